#include "aws/config/credentialproviders.h"
#include "aws/http/awsclient.h"
#include "credentialdoubles.h"
#include "emulator/emulator.h"
#include "kinds/resourcekind.h"
#include "loopbackemulator.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace pagewise;
using namespace Qt::StringLiterals;
using pagewise::testsupport::DeferredCredentials;
using pagewise::testsupport::exampleCredentials;
using pagewise::testsupport::FixedCredentials;

namespace
{

struct ReceivedRequest {
    QByteArray method;
    QByteArray target; ///< request-target as received: path?query
    HttpRequestParts parts; ///< path, query, headers, body as received
    QByteArray header(const QByteArray &name) const { return parts.header(name); }
    bool hasHeader(const QByteArray &name) const
    {
        return std::any_of(parts.headers.begin(), parts.headers.end(),
            [&name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
    }
};

/// What the server does with the next request.
struct ScriptedReply {
    enum class Action {
        Respond, ///< write bytes, keep the connection
        Hang, ///< read the request, never answer
        DropAfter, ///< write bytes (a partial response), then close
    };
    Action action = Action::Respond;
    QByteArray bytes;

    static ScriptedReply respond(
        int status, const QByteArray &reason, const QByteArray &headers, const QByteArray &body)
    {
        QByteArray raw = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
        raw += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        for (const QByteArray &line : headers.split('\n')) {
            if (!line.trimmed().isEmpty())
                raw += line.trimmed() + "\r\n";
        }
        raw += "\r\n" + body;
        return {Action::Respond, raw};
    }
    static ScriptedReply ok(const QByteArray &body)
    {
        return respond(200, "OK", "x-amzn-RequestId: ok-1\nContent-Type: application/x-amz-json-1.1", body);
    }
    static ScriptedReply throttled(int n)
    {
        return respond(400, "Bad Request", "x-amzn-RequestId: throttled-" + QByteArray::number(n),
            R"({"__type":"ThrottlingException","message":"Rate exceeded"})");
    }
    static ScriptedReply unavailable() { return respond(503, "Service Unavailable", "", ""); }
    static ScriptedReply hang() { return {Action::Hang, {}}; }
    static ScriptedReply dropAfter(const QByteArray &partial) { return {Action::DropAfter, partial}; }
};

/// A tiny HTTP/1.1 server on 127.0.0.1 that records every request and answers from a script.
class ScriptedServer : public QObject
{
    Q_OBJECT
public:
    /// Plain HTTP, or HTTPS with the given certificate and key.
    explicit ScriptedServer(const std::optional<QSslConfiguration> &tls = std::nullopt)
    {
        if (tls) {
            auto *server = new QSslServer(this);
            server->setSslConfiguration(*tls);
            m_server = server;
        } else {
            m_server = new QTcpServer(this);
        }
        connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &ScriptedServer::handleNewConnection);
    }
    ~ScriptedServer() override
    {
        // The sockets outlive m_buffers (they are the server's children): stop hearing from them first.
        for (QTcpSocket *socket : m_server->findChildren<QTcpSocket *>())
            disconnect(socket, nullptr, this, nullptr);
    }
    bool listen() { return m_server->listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server->serverPort(); }
    QString url() const
    {
        const bool tls = qobject_cast<QSslServer *>(m_server);
        return u"%1://127.0.0.1:%2"_s.arg(tls ? u"https"_s : u"http"_s).arg(port());
    }
    void enqueue(const ScriptedReply &reply) { m_script.append(reply); }

    QList<ReceivedRequest> requests;
    int connections = 0;
    int disconnections = 0;

signals:
    void requestReceived();
    void clientDisconnected();

private:
    // pendingConnectionAvailable, not newConnection: QSslServer queues a socket once its handshake is done.
    void handleNewConnection()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            ++connections;
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { process(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                ++disconnections;
                m_buffers.remove(socket);
                socket->deleteLater();
                emit clientDisconnected();
            });
            if (socket->bytesAvailable() > 0) // TLS: the request may come with the handshake's end
                process(socket);
        }
    }

    void process(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
            ReceivedRequest request;
            const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
            request.method = requestLine.value(0);
            request.target = requestLine.value(1);
            const qsizetype question = request.target.indexOf('?');
            request.parts.method = request.method;
            request.parts.path = question < 0 ? request.target : request.target.left(question);
            request.parts.query = question < 0 ? QByteArray() : request.target.mid(question + 1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    request.parts.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
            }
            const qsizetype length = request.header("Content-Length").toLongLong();
            if (buffer.size() < headerEnd + 4 + length)
                return;
            request.parts.body = buffer.mid(headerEnd + 4, length);
            buffer.remove(0, headerEnd + 4 + length);
            requests.append(request);

            const ScriptedReply reply = m_script.isEmpty()
                ? ScriptedReply::respond(500, "Internal Server Error", "", R"({"__type":"Unscripted"})")
                : m_script.takeFirst();
            switch (reply.action) {
            case ScriptedReply::Action::Respond:
                socket->write(reply.bytes);
                break;
            case ScriptedReply::Action::Hang:
                break;
            case ScriptedReply::Action::DropAfter:
                socket->write(reply.bytes);
                socket->flush();
                socket->disconnectFromHost();
                break;
            }
            emit requestReceived();
        }
    }

    QTcpServer *m_server = nullptr;
    QList<ScriptedReply> m_script;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

/// A port on 127.0.0.1 where connecting hangs: its listening socket's accept queue is full, so
/// the kernel drops every new SYN (nothing ever accepts).
class BlackHole
{
public:
    BlackHole()
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof(address);
        if (m_listener < 0 || ::bind(m_listener, reinterpret_cast<sockaddr *>(&address), length) != 0
            || ::listen(m_listener, 0) != 0
            || ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            return;
        m_port = ntohs(address.sin_port);
        // Backlog 0 queues one connection; these take the place and the next SYNs are dropped.
        for (int i = 0; i < 2; ++i) {
            const int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            [[maybe_unused]] const int connected = ::connect(filler, reinterpret_cast<sockaddr *>(&address), length);
            m_fillers << filler;
        }
    }
    ~BlackHole()
    {
        for (const int filler : std::as_const(m_fillers))
            ::close(filler);
        if (m_listener >= 0)
            ::close(m_listener);
    }
    quint16 port() const { return m_port; }

private:
    int m_listener = -1;
    quint16 m_port = 0;
    QList<int> m_fillers;
};

/// A tiny HTTP proxy on 127.0.0.1 that records what reaches it: it answers absolute-form
/// requests itself (as the origin would), tunnels CONNECT to the port asked for on 127.0.0.1,
/// and, when told to, answers 407 until the right Proxy-Authorization comes.
class ScriptedProxy : public QObject
{
    Q_OBJECT
public:
    ScriptedProxy() { connect(&m_server, &QTcpServer::newConnection, this, &ScriptedProxy::handleNewConnection); }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }

    QByteArray requiredAuthorization; ///< the whole Proxy-Authorization value, when one is required
    QByteArray answer = ScriptedReply::ok(R"({"Images":[]})").bytes; ///< to absolute-form requests
    QList<ReceivedRequest> requests; ///< every request, CONNECT included
    QList<QByteArray> authorizations; ///< Proxy-Authorization of each request, empty when none
    int connections = 0;

private:
    void handleNewConnection()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            ++connections;
            connect(client, &QTcpSocket::readyRead, this, [this, client] { process(client); });
            connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        }
    }

    void process(QTcpSocket *client)
    {
        if (QTcpSocket *upstream = m_tunnels.value(client)) {
            upstream->write(client->readAll());
            return;
        }
        QByteArray &buffer = m_buffers[client];
        buffer += client->readAll();
        for (;;) {
            const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
            ReceivedRequest request;
            const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
            request.method = requestLine.value(0);
            request.target = requestLine.value(1);
            request.parts.method = request.method;
            // The origin-form part of an absolute-form target, as the origin would see it.
            const QUrl absolute = QUrl::fromEncoded(request.target);
            request.parts.path = absolute.path(QUrl::FullyEncoded).toLatin1();
            request.parts.query = absolute.query(QUrl::FullyEncoded).toLatin1();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    request.parts.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
            }
            const qsizetype length = request.header("Content-Length").toLongLong();
            if (buffer.size() < headerEnd + 4 + length)
                return;
            request.parts.body = buffer.mid(headerEnd + 4, length);
            buffer.remove(0, headerEnd + 4 + length);
            requests.append(request);
            authorizations.append(request.header("Proxy-Authorization"));

            if (!requiredAuthorization.isEmpty() && request.header("Proxy-Authorization") != requiredAuthorization) {
                client->write("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
                              "realm=\"pagewise\"\r\nContent-Length: 0\r\n\r\n");
                continue;
            }
            if (request.method != "CONNECT") {
                client->write(answer);
                continue;
            }
            // Tunnel to 127.0.0.1:port, whatever host was named: nothing leaves the machine.
            auto *upstream = new QTcpSocket(client);
            m_tunnels.insert(client, upstream);
            const QByteArray early = buffer;
            buffer.clear();
            connect(upstream, &QTcpSocket::connected, client, [client, upstream, early] {
                client->write("HTTP/1.1 200 Connection established\r\n\r\n");
                if (!early.isEmpty())
                    upstream->write(early);
            });
            connect(
                upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
            connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
            connect(client, &QTcpSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
            upstream->connectToHost(
                QHostAddress::LocalHost, quint16(request.target.mid(request.target.lastIndexOf(':') + 1).toUInt()));
            return;
        }
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QTcpSocket *, QTcpSocket *> m_tunnels;
};

Environment proxyEnvironment(const QList<std::pair<QString, QString>> &variables)
{
    Environment environment;
    for (const auto &[name, value] : variables)
        environment.variables.insert(name, value);
    return environment;
}

ResourceKind jsonKind()
{
    ResourceKind kind;
    kind.id = u"images"_s;
    kind.service.serviceId = u"SageMaker"_s;
    kind.service.signingName = u"sagemaker"_s;
    kind.service.endpointPrefix = u"api.sagemaker"_s;
    kind.service.protocol = ServiceSpec::Protocol::AwsJson;
    kind.service.jsonVersion = u"1.1"_s;
    kind.service.targetPrefix = u"SageMaker"_s;
    kind.operation.name = u"ListImages"_s;
    kind.operation.method = u"POST"_s;
    kind.operation.requestUri = u"/"_s;
    return kind;
}

ResourceKind restKind()
{
    ResourceKind kind;
    kind.id = u"sessions"_s;
    kind.service.serviceId = u"deadline"_s;
    kind.service.signingName = u"deadline"_s;
    kind.service.endpointPrefix = u"deadline"_s;
    kind.service.protocol = ServiceSpec::Protocol::RestJson;
    kind.operation.name = u"ListSessions"_s;
    kind.operation.method = u"GET"_s;
    kind.operation.requestUri = u"/2023-10-12/farms/{farmId}/queues/{queueId}/jobs/{jobId}/sessions"_s;
    kind.operation.hostPrefix = u"management."_s; // never applied to an IP address
    return kind;
}

HttpRequestParts listImagesRequest()
{
    HttpRequestParts request;
    request.method = "POST";
    request.path = "/";
    request.headers = {{"X-Amz-Target", "SageMaker.ListImages"}, {"Content-Type", "application/x-amz-json-1.1"}};
    request.body = R"({"MaxResults": 1})";
    return request;
}

/// The engine every Fixture's client uses: the whole class runs once per engine (see main()).
AwsClient::Engine s_engine = AwsClient::Engine::Qnam;

struct Fixture {
    explicit Fixture(const QString &endpoint, Result<Credentials> credentials = exampleCredentials(),
        int maxAttempts = 3, const QString &caBundle = {}, const QString &retryMode = u"standard"_s,
        const Environment &environment = {})
    {
        Connection connection = testsupport::loopbackConnection(QUrl(endpoint), maxAttempts);
        connection.proxies = ProxySettings::fromEnvironment(environment);
        connection.caBundle = caBundle;
        connection.retry.mode = retryMode;
        provider = std::make_shared<FixedCredentials>(std::move(credentials));
        connection.credentials = provider;
        client = std::make_unique<AwsClient>(connection);
        client->setHttpEngine(s_engine);
        client->setBackoffScale(0);
        client->setRandomSource([] { return 0.5; });
    }
    std::shared_ptr<FixedCredentials> provider;
    std::unique_ptr<AwsClient> client;
};

/// A client like Fixture's, with the given credentials provider.
std::unique_ptr<AwsClient> clientWith(const QString &endpoint, std::shared_ptr<CredentialsProvider> provider)
{
    Connection connection = testsupport::loopbackConnection(QUrl(endpoint));
    connection.credentials = std::move(provider);
    auto client = std::make_unique<AwsClient>(connection);
    client->setHttpEngine(s_engine);
    client->setBackoffScale(0);
    return client;
}

/// Recomputes the signature from the bytes that arrived, as a server does.
bool signatureMatchesWire(const ReceivedRequest &sent)
{
    const auto authorization = SigV4Signer::parseAuthorization(sent.header("Authorization"));
    if (!authorization)
        return false;
    QDateTime utc = QDateTime::fromString(QString::fromLatin1(sent.header("X-Amz-Date")), u"yyyyMMdd'T'HHmmss'Z'"_s);
    utc.setTimeSpec(Qt::UTC);
    const QByteArray canonical = SigV4Signer::canonicalRequest(sent.parts, authorization->signedHeaders);
    const QByteArray toSign = SigV4Signer::stringToSign(canonical, utc, authorization->scope);
    const QByteArray signature
        = SigV4Signer::signature(toSign, exampleCredentials().secretAccessKey, utc, authorization->scope);
    if (signature != authorization->signature)
        qWarning() << "signature mismatch; canonical request from the wire:" << canonical;
    return signature == authorization->signature;
}

/// Waits for the call's single finished() and returns its response.
AwsResponse waitForResponse(AwsCall *call, int timeoutMs = 10'000)
{
    QSignalSpy spy(call, &AwsCall::finished);
    if (!spy.wait(timeoutMs)) {
        AwsResponse none;
        none.error.kind = AwsError::Kind::Cancelled;
        none.error.message = u"no finished() within %1 ms"_s.arg(timeoutMs);
        return none;
    }
    return spy.first().first().value<AwsResponse>();
}

} // namespace

class tst_AwsClient : public QObject
{
    Q_OBJECT
public:
    explicit tst_AwsClient(AwsClient::Engine engine)
        : m_engine(engine)
    {
    }

private slots:
    void initTestCase();
    void signsAndSetsHost();
    void sendsSessionTokenSigned();
    void sendsRawPathAndQueryUnchanged();
    void signatureCoversWireBytes_data();
    void signatureCoversWireBytes();
    void getHasNoBodyOrContentType();
    void retriesUnavailableThenSucceeds();
    void givesUpAfterMaxAttempts();
    void readTimeoutIsRetried();
    void readTimeoutMessage();
    void droppedConnectionIsRetried();
    void connectionRefused();
    void cancelDuringBackoff();
    void cancelDuringAttempt();
    void retryAfterIsAFloor_data();
    void retryAfterIsAFloor();
    void bodyCap_data();
    void bodyCap();
    void credentialsErrorSendsNothing();
    void fetchedCredentialsDoNotStartTheConnectTimeout();
    void credentialFetchErrorSendsNothing();
    void endingCallsWhileCredentialsAreFetched_data();
    void endingCallsWhileCredentialsAreFetched();
    void callsShareOneCredentialProcessRun();
    void explainsSignatureErrors();
    void quotaStopsRetries();
    void legacyModeUsesItsOwnRules();
    void redirectsAreNotFollowed();
    void destroyingTheClientEndsCallsSilently();
    void untrustedCertificateIsATlsError();
    void caBundleIsTrusted();
    void unreadableCaBundle();
    void caBundleWithoutCertificates();
    void keepsConnectionsAlive();
    void serverClosingAnIdleConnection_data();
    void serverClosingAnIdleConnection();
    void connectionCloseIsHonoured();
    void chunkedResponse();
    void bodyUntilTheConnectionCloses();
    void malformedResponseIsRetried();
    void closedWithoutAnswerIsRetried();
    void readTimeoutMidBody();
    void connectTimeout_data();
    void connectTimeout();
    void cancelAtAnyMoment_data();
    void cancelAtAnyMoment();
    void tlsConnectionIsReused();
    void httpThroughProxy();
    void httpsThroughProxyUsesConnect();
    void proxyCredentials();
    void noProxyGoesDirect();
    void proxyFailureNamesTheProxyNotItsPassword();
    void invalidProxyFailsTheCall();
    void emulatorAcceptsSignedRequests_data();
    void emulatorAcceptsSignedRequests();
    void emulatorRejectsWrongSecret();
    void emulatorFaultsAreRetried();

private:
    /// The direct engine opens exactly the connections it must; QNAM may open more on its own
    /// (it resends, and closes after chunked trailers), so for it only the minimum is checked.
    bool connectionsAre(int actual, int expected) const
    {
        if (m_engine == AwsClient::Engine::Direct ? actual == expected : actual >= expected)
            return true;
        qWarning("%d connections where %d were expected", actual, expected);
        return false;
    }
    std::optional<QSslConfiguration> serverTls();
    QString certificatePath() const { return m_certificates.filePath(u"cert.pem"_s); }

    AwsClient::Engine m_engine;
    QTemporaryDir m_certificates;
    bool m_haveCertificate = false;
};

/// Every test of tst_AwsClient, over QNetworkAccessManager.
class tst_AwsClientQnam final : public tst_AwsClient
{
    Q_OBJECT
public:
    tst_AwsClientQnam()
        : tst_AwsClient(AwsClient::Engine::Qnam)
    {
    }
};

/// Every test of tst_AwsClient, over DirectHttpEngine.
class tst_AwsClientDirect final : public tst_AwsClient
{
    Q_OBJECT
public:
    tst_AwsClientDirect()
        : tst_AwsClient(AwsClient::Engine::Direct)
    {
    }
};

void tst_AwsClient::initTestCase()
{
    s_engine = m_engine;
    qRegisterMetaType<AwsResponse>();
    qRegisterMetaType<AwsError>();

    // A self-signed certificate for 127.0.0.1, made fresh so it never expires in the repository.
    if (!QSslSocket::supportsSsl() || QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
        return;
    QProcess openssl;
    openssl.setWorkingDirectory(m_certificates.path());
    openssl.start(u"openssl"_s,
        {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s,
            u"-keyout"_s, u"key.pem"_s, u"-out"_s, u"cert.pem"_s, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=127.0.0.1"_s,
            u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s});
    m_haveCertificate = openssl.waitForFinished(30'000) && openssl.exitCode() == 0;
}

std::optional<QSslConfiguration> tst_AwsClient::serverTls()
{
    if (!m_haveCertificate)
        return std::nullopt;
    QFile key(m_certificates.filePath(u"key.pem"_s));
    if (!key.open(QIODevice::ReadOnly))
        return std::nullopt;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(QSslCertificate::fromPath(certificatePath()));
    configuration.setPrivateKey(QSslKey(&key, QSsl::Ec));
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

void tst_AwsClient::signsAndSetsHost()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok(R"({"Images":[]})"));
    Fixture fixture(server.url());

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(response.httpStatus, 200);
    QCOMPARE(response.body, QByteArray(R"({"Images":[]})"));
    QCOMPARE(response.requestId, u"ok-1"_s);
    QCOMPARE(response.attempts, 1);
    QCOMPARE(server.requests.size(), 1);
    const ReceivedRequest &sent = server.requests.first();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.target, QByteArray("/"));
    QCOMPARE(sent.header("Host"), "127.0.0.1:" + QByteArray::number(server.port()));
    QCOMPARE(sent.header("X-Amz-Target"), QByteArray("SageMaker.ListImages"));
    QCOMPARE(sent.header("Content-Type"), QByteArray("application/x-amz-json-1.1"));
    QCOMPARE(sent.parts.body, QByteArray(R"({"MaxResults": 1})"));
    QVERIFY(QRegularExpression(u"^\\d{8}T\\d{6}Z$"_s).match(QString::fromLatin1(sent.header("X-Amz-Date"))).hasMatch());
    const QByteArray date = sent.header("X-Amz-Date").left(8);
    const QByteArray expectedAuthorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + date
        + "/us-east-1/sagemaker/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=";
    QVERIFY2(sent.header("Authorization").startsWith(expectedAuthorization), sent.header("Authorization").constData());
    QVERIFY(QRegularExpression(u"^[0-9a-f-]{36}$"_s)
                .match(QString::fromLatin1(sent.header("amz-sdk-invocation-id")))
                .hasMatch());
    QCOMPARE(sent.header("amz-sdk-request"), QByteArray("attempt=1; max=3"));
    QVERIFY(sent.header("User-Agent").startsWith("pagewise/"));
    QVERIFY(!sent.hasHeader("X-Amz-Security-Token"));

    QVERIFY(signatureMatchesWire(sent));
}

void tst_AwsClient::signatureCoversWireBytes_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("target"); // what must arrive
    QTest::addRow("reserved stay encoded")
        << QByteArray("/farms/a%2Fb%2Bc%3Dd%3Ae%20f%40g") << QByteArray("nextToken=a%2Fb%2Bc%3D%26&maxResults=2")
        << QByteArray("/farms/a%2Fb%2Bc%3Dd%3Ae%20f%40g?nextToken=a%2Fb%2Bc%3D%26&maxResults=2");
    QTest::addRow("utf-8") << QByteArray("/farms/%C3%A9t%C3%A9") << QByteArray("name=%E2%82%AC")
                           << QByteArray("/farms/%C3%A9t%C3%A9?name=%E2%82%AC");
    // QUrl decodes unreserved characters and upper-cases hex digits; the signature follows it.
    QTest::addRow("encoded unreserved") << QByteArray("/farms/%7Ex%41") << QByteArray("t=%7E%2d")
                                        << QByteArray("/farms/~xA?t=~-");
    QTest::addRow("lower-case hex") << QByteArray("/farms/a%2fb") << QByteArray("t=%2b%3d")
                                    << QByteArray("/farms/a%2Fb?t=%2B%3D");
}

void tst_AwsClient::signatureCoversWireBytes()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, target);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok("{}"));
    Fixture fixture(server.url());
    HttpRequestParts request;
    request.method = "GET";
    request.path = path;
    request.query = query;

    const AwsResponse response = waitForResponse(fixture.client->send(restKind(), request));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(server.requests.first().target, target);
    QVERIFY(signatureMatchesWire(server.requests.first()));
}

void tst_AwsClient::sendsSessionTokenSigned()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok("{}"));
    Fixture fixture(server.url(), exampleCredentials(true));

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    const ReceivedRequest &sent = server.requests.first();
    QCOMPARE(sent.header("X-Amz-Security-Token"), QByteArray("FQoGZXIvYXdzEXAMPLESESSIONTOKEN"));
    QVERIFY(sent.header("Authorization")
                .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"));
}

void tst_AwsClient::sendsRawPathAndQueryUnchanged()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok(R"({"sessions":[]})"));
    // The endpoint's own path is put in front of the request path.
    Fixture fixture(server.url() + u"/base"_s);
    HttpRequestParts request;
    request.method = "GET";
    request.path = "/2023-10-12/farms/farm-a%2Fb%2Bc%3Dd%20e/queues/q%3Ax/jobs/j/sessions";
    request.query = "maxResults=5&nextToken=a%2Fb%2Bc%3D%3D%26x";

    const AwsResponse response = waitForResponse(fixture.client->send(restKind(), request));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests.first().target,
        QByteArray("/base/2023-10-12/farms/farm-a%2Fb%2Bc%3Dd%20e/queues/q%3Ax/jobs/j/sessions"
                   "?maxResults=5&nextToken=a%2Fb%2Bc%3D%3D%26x"));
    // Host prefix never goes in front of an IP address.
    QCOMPARE(server.requests.first().header("Host"), "127.0.0.1:" + QByteArray::number(server.port()));
    QVERIFY(server.requests.first().header("Authorization").contains("/us-east-1/deadline/aws4_request"));
}

void tst_AwsClient::getHasNoBodyOrContentType()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok(R"({"sessions":[]})"));
    Fixture fixture(server.url());
    HttpRequestParts request;
    request.method = "GET";
    request.path = "/2023-10-12/farms/f/queues/q/jobs/j/sessions";

    const AwsResponse response = waitForResponse(fixture.client->send(restKind(), request));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    const ReceivedRequest &sent = server.requests.first();
    QCOMPARE(sent.method, QByteArray("GET"));
    QVERIFY(!sent.hasHeader("Content-Type"));
    QVERIFY(sent.header("Content-Length").isEmpty() || sent.header("Content-Length") == "0");
    QVERIFY(sent.parts.body.isEmpty());
    QVERIFY(sent.header("Authorization").contains("SignedHeaders=host;x-amz-date,"));
}

void tst_AwsClient::retriesUnavailableThenSucceeds()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::unavailable());
    server.enqueue(ScriptedReply::ok(R"({"Images":[]})"));
    Fixture fixture(server.url());
    AwsCall *call = fixture.client->send(jsonKind(), listImagesRequest());
    QSignalSpy retries(call, &AwsCall::retryScheduled);

    const AwsResponse response = waitForResponse(call);

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(response.attempts, 2);
    QCOMPARE(response.body, QByteArray(R"({"Images":[]})"));
    QCOMPARE(retries.size(), 1);
    QCOMPARE(retries.first().at(0).toInt(), 1);
    QCOMPARE(retries.first().at(2).value<AwsError>().code, u"503"_s);
    QCOMPARE(server.requests.size(), 2);
    QCOMPARE(server.requests.at(0).header("amz-sdk-request"), QByteArray("attempt=1; max=3"));
    QCOMPARE(server.requests.at(1).header("amz-sdk-request"), QByteArray("attempt=2; max=3"));
    QCOMPARE(
        server.requests.at(0).header("amz-sdk-invocation-id"), server.requests.at(1).header("amz-sdk-invocation-id"));
    QVERIFY(!server.requests.at(1).header("Authorization").isEmpty());
    QCOMPARE(fixture.client->retryQuotaAvailable(u"sagemaker"_s), 500); // the retry's cost came back with the success
}

void tst_AwsClient::givesUpAfterMaxAttempts()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    for (int i = 1; i <= 4; ++i)
        server.enqueue(ScriptedReply::throttled(i));
    Fixture fixture(server.url());
    AwsCall *call = fixture.client->send(jsonKind(), listImagesRequest());
    QSignalSpy retries(call, &AwsCall::retryScheduled);

    const AwsResponse response = waitForResponse(call);

    QVERIFY(!response.ok());
    QCOMPARE(response.attempts, 3);
    QCOMPARE(response.error.kind, AwsError::Kind::Service);
    QCOMPARE(response.error.code, u"ThrottlingException"_s);
    QCOMPARE(response.error.message, u"Rate exceeded"_s);
    QCOMPARE(response.error.attempts, 3);
    QCOMPARE(response.error.httpStatus, 400);
    QCOMPARE(response.error.requestId, u"throttled-3"_s);
    QCOMPARE(retries.size(), 2);
    QCOMPARE(server.requests.size(), 3);
    QCOMPARE(fixture.client->retryQuotaAvailable(u"sagemaker"_s), 490);
}

void tst_AwsClient::readTimeoutIsRetried()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::hang());
    server.enqueue(ScriptedReply::ok(R"({"Images":[]})"));
    Fixture fixture(server.url());
    fixture.client->setTimeouts(5000, 300);
    AwsCall *call = fixture.client->send(jsonKind(), listImagesRequest());
    QSignalSpy retries(call, &AwsCall::retryScheduled);

    const AwsResponse response = waitForResponse(call);

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(response.attempts, 2);
    QCOMPARE(retries.size(), 1);
    const AwsError cause = retries.first().at(2).value<AwsError>();
    QCOMPARE(cause.kind, AwsError::Kind::Network);
    QVERIFY2(cause.message.contains(u"(read timeout)"_s), qPrintable(cause.message));
}

void tst_AwsClient::readTimeoutMessage()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::hang());
    server.enqueue(ScriptedReply::hang());
    Fixture fixture(server.url(), exampleCredentials(), 2);
    fixture.client->setTimeouts(5000, 200);

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.error.kind, AwsError::Kind::Network);
    QCOMPARE(response.attempts, 2);
    QCOMPARE(response.error.message, u"no response from 127.0.0.1:%1 within 0.2 s (read timeout)"_s.arg(server.port()));
    QCOMPARE(fixture.client->retryQuotaAvailable(u"sagemaker"_s), 490); // one timeout retry costs 10
}

void tst_AwsClient::droppedConnectionIsRetried()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::dropAfter("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Images\""));
    server.enqueue(ScriptedReply::dropAfter("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Images\""));
    Fixture fixture(server.url(), exampleCredentials(), 2);

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.error.kind, AwsError::Kind::Network);
    QCOMPARE(response.attempts, 2);
    QCOMPARE(response.error.message, u"connection to 127.0.0.1:%1 dropped mid-response"_s.arg(server.port()));
}

void tst_AwsClient::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    } // closed again: nothing listens there now
    Fixture fixture(u"http://127.0.0.1:%1"_s.arg(port));

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.error.kind, AwsError::Kind::Network);
    QCOMPARE(response.attempts, 3); // a connection error is transient
    QVERIFY2(response.error.message.startsWith(u"connection refused by 127.0.0.1:%1"_s.arg(port)),
        qPrintable(response.error.message));
    QVERIFY(!response.error.message.contains(u"ConnectionRefusedError"_s));
}

void tst_AwsClient::cancelDuringBackoff()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::unavailable());
    server.enqueue(ScriptedReply::ok("{}"));
    Fixture fixture(server.url());
    fixture.client->setBackoffScale(1.0); // random 0.5 -> 500 ms wait
    AwsCall *call = fixture.client->send(jsonKind(), listImagesRequest());
    QSignalSpy finished(call, &AwsCall::finished);
    QSignalSpy retries(call, &AwsCall::retryScheduled);
    QPointer<AwsCall> guard(call);

    QVERIFY(retries.wait());
    QCOMPARE(retries.first().at(1).toInt(), 500);
    call->cancel();

    QVERIFY(!finished.wait(800)); // longer than the backoff
    QCOMPARE(server.requests.size(), 1);
    QTRY_VERIFY(guard.isNull()); // the call cleans itself up
}

void tst_AwsClient::cancelDuringAttempt()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::hang());
    Fixture fixture(server.url());
    fixture.client->setTimeouts(5000, 400);
    AwsCall *call = fixture.client->send(jsonKind(), listImagesRequest());
    QSignalSpy finished(call, &AwsCall::finished);
    QSignalSpy received(&server, &ScriptedServer::requestReceived);
    QSignalSpy closed(&server, &ScriptedServer::clientDisconnected);

    QVERIFY(received.wait());
    call->cancel();

    QVERIFY(closed.wait()); // the attempt's connection is torn down
    QVERIFY(!finished.wait(700)); // and no read timeout or retry follows
    QCOMPARE(server.requests.size(), 1);
}

void tst_AwsClient::retryAfterIsAFloor_data()
{
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<int>("delayMs");
    // random 0.5 on the 1st retry: backoff 500 ms.
    QTest::addRow("longer than backoff") << QByteArray("3") << 3000;
    QTest::addRow("shorter than backoff") << QByteArray("0.2") << 500;
    QTest::addRow("capped at 20 s") << QByteArray("100") << 20000;
    QTest::addRow("not a number") << QByteArray("soon") << 500;
}

void tst_AwsClient::retryAfterIsAFloor()
{
    QFETCH(QByteArray, retryAfter);
    QFETCH(int, delayMs);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::respond(429, "Too Many Requests",
        "x-amzn-ErrorType: ThrottlingException\nRetry-After: " + retryAfter, R"({"message":"Rate exceeded"})"));
    server.enqueue(ScriptedReply::ok(R"({"sessions":[]})"));
    Fixture fixture(server.url());
    HttpRequestParts request;
    request.method = "GET";
    request.path = "/2023-10-12/farms/f/queues/q/jobs/j/sessions";
    AwsCall *call = fixture.client->send(restKind(), request);
    QSignalSpy retries(call, &AwsCall::retryScheduled);

    const AwsResponse response = waitForResponse(call);

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(retries.size(), 1);
    QCOMPARE(retries.first().at(1).toInt(), delayMs);
    QCOMPARE(retries.first().at(2).value<AwsError>().code, u"ThrottlingException"_s);
}

void tst_AwsClient::bodyCap_data()
{
    QTest::addColumn<QByteArray>("reply");
    QByteArray big(4096, 'x');
    QTest::addRow("declared length") << ScriptedReply::ok(big).bytes;
    QByteArray chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 8; ++i)
        chunked += "200\r\n" + QByteArray(512, 'y') + "\r\n";
    chunked += "0\r\n\r\n";
    QTest::addRow("chunked, no length") << chunked;
    QTest::addRow("until the connection closes") << "HTTP/1.0 200 OK\r\n\r\n" + big;
}

void tst_AwsClient::bodyCap()
{
    QFETCH(QByteArray, reply);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue({ScriptedReply::Action::Respond, reply});
    Fixture fixture(server.url());
    fixture.client->setMaxResponseBytes(1024);

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(response.error.kind == AwsError::Kind::Decode, qPrintable(response.error.toString()));
    QCOMPARE(response.attempts, 1); // a too large answer does not shrink on a retry
    QVERIFY(response.body.isEmpty());
    QVERIFY2(response.error.message.contains(u"larger than"_s), qPrintable(response.error.message));
}

void tst_AwsClient::credentialsErrorSendsNothing()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    AwsError missing;
    missing.kind = AwsError::Kind::Credentials;
    missing.code = u"NoCredentials"_s;
    missing.message = u"no credentials in profile test"_s;
    Fixture fixture(server.url(), missing);

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.error.kind, AwsError::Kind::Credentials);
    QCOMPARE(response.error.message, u"no credentials in profile test"_s);
    QCOMPARE(response.attempts, 0);
    QCOMPARE(server.connections, 0);
}

void tst_AwsClient::fetchedCredentialsDoNotStartTheConnectTimeout()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok(R"({"Images": []})"));
    auto provider = std::make_shared<DeferredCredentials>(exampleCredentials());
    auto client = clientWith(server.url(), provider);
    client->setTimeouts(100, 5000);

    AwsCall *call = client->send(jsonKind(), listImagesRequest());
    QSignalSpy finished(call, &AwsCall::finished);
    QCOMPARE(provider->pending.size(), 1);
    // Three times the connect timeout: still waiting for the credentials, nothing sent.
    QVERIFY(!finished.wait(300));
    QCOMPARE(server.connections, 0);

    provider->pending.first()->finish(exampleCredentials());
    const AwsResponse response = waitForResponse(call);
    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(response.attempts, 1);
    QCOMPARE(server.requests.size(), 1);
    QVERIFY(signatureMatchesWire(server.requests.first()));
    QCOMPARE(provider->withdrawn, 0);
}

void tst_AwsClient::credentialFetchErrorSendsNothing()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    auto provider = std::make_shared<DeferredCredentials>(exampleCredentials());
    auto client = clientWith(server.url(), provider);
    AwsCall *call = client->send(jsonKind(), listImagesRequest());
    AwsError failed;
    failed.kind = AwsError::Kind::Credentials;
    failed.code = u"CredentialProcessError"_s;
    failed.message = u"The credential_process of [profile test] in config failed: 'sso' exited with code 1"_s;
    QSignalSpy finished(call, &AwsCall::finished);
    QCOMPARE(provider->pending.size(), 1);
    provider->pending.first()->finish(failed);

    QVERIFY(finished.size() == 1 || finished.wait());
    const AwsResponse response = finished.first().first().value<AwsResponse>();
    QCOMPARE(response.error.kind, AwsError::Kind::Credentials);
    QCOMPARE(response.error.code, failed.code);
    QCOMPARE(response.error.message, failed.message);
    QCOMPARE(response.attempts, 0);
    QCOMPARE(server.connections, 0);
}

void tst_AwsClient::endingCallsWhileCredentialsAreFetched_data()
{
    QTest::addColumn<bool>("destroyClient");
    QTest::addRow("call cancelled") << false;
    QTest::addRow("client destroyed") << true;
}

void tst_AwsClient::endingCallsWhileCredentialsAreFetched()
{
    QFETCH(bool, destroyClient);
    ScriptedServer server;
    QVERIFY(server.listen());
    auto provider = std::make_shared<DeferredCredentials>(exampleCredentials());
    auto client = clientWith(server.url(), provider);
    QPointer<AwsCall> call = client->send(jsonKind(), listImagesRequest());
    QSignalSpy finished(call.data(), &AwsCall::finished);
    QCOMPARE(provider->pending.size(), 1);

    if (destroyClient)
        client.reset();
    else
        call->cancel();

    QCOMPARE(provider->withdrawn, 1); // the provider hears that nobody waits any more
    QVERIFY(!finished.wait(200));
    QTRY_VERIFY(call.isNull());
    QTRY_VERIFY(provider->pending.first().isNull());
    QCOMPARE(server.connections, 0);
}

void tst_AwsClient::callsShareOneCredentialProcessRun()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok(R"({"Images": []})"));
    server.enqueue(ScriptedReply::ok(R"({"Images": []})"));
    QTemporaryDir dir;
    const QString script = dir.filePath(u"credentials.sh"_s);
    const QString runs = dir.filePath(u"runs"_s);
    {
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const Credentials keys = exampleCredentials();
        file.write("#!/bin/sh\necho run >> '" + runs.toUtf8()
            + "'\nsleep 0.3\nprintf '{\"Version\": 1, "
              "\"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}' '"
            + keys.accessKeyId.toUtf8() + "' '" + keys.secretAccessKey.toUtf8() + "'\n");
        QVERIFY(file.setPermissions(file.permissions() | QFile::ExeOwner));
    }
    Environment environment;
    environment.variables.insert(u"PATH"_s, u"/usr/bin:/bin"_s);
    auto provider = std::make_shared<ProcessCredentialsProvider>(
        script, u"credential_process of test"_s, u"profile test (credential_process)"_s, environment);
    auto client = clientWith(server.url(), provider);

    AwsCall *first = client->send(jsonKind(), listImagesRequest());
    AwsCall *second = client->send(jsonKind(), listImagesRequest());
    QSignalSpy secondFinished(second, &AwsCall::finished);
    const AwsResponse firstResponse = waitForResponse(first);
    QVERIFY(secondFinished.size() == 1 || secondFinished.wait());

    QVERIFY2(firstResponse.ok(), qPrintable(firstResponse.error.toString()));
    QVERIFY(secondFinished.first().first().value<AwsResponse>().ok());
    QCOMPARE(server.requests.size(), 2);
    for (const ReceivedRequest &request : std::as_const(server.requests))
        QVERIFY(signatureMatchesWire(request));
    QFile counted(runs);
    QVERIFY(counted.open(QIODevice::ReadOnly));
    QCOMPARE(counted.readAll().count('\n'), 1);
}

void tst_AwsClient::explainsSignatureErrors()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::respond(400, "Bad Request", "x-amzn-RequestId: sig-1",
        R"({"__type":"InvalidSignatureException","message":"The request signature )"
        R"(we calculated does not match the signature you provided."})"));
    Fixture fixture(server.url(), exampleCredentials(true));

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.error.kind, AwsError::Kind::Service);
    QCOMPARE(response.error.code, u"InvalidSignatureException"_s);
    QCOMPARE(response.attempts, 1); // not retried
    QVERIFY2(response.error.message.startsWith(u"the secret access key does not match the access key ID"_s),
        qPrintable(response.error.message));
    QVERIFY(response.error.message.contains(u"(source: explicit)"_s));
    QVERIFY(response.error.message.contains(u"profile test"_s));
    QVERIFY(response.error.message.endsWith(u"does not match the signature you provided."_s));
    const QString text = response.error.toString();
    QVERIFY(!text.contains(exampleCredentials(true).secretAccessKey));
    QVERIFY(!text.contains(exampleCredentials(true).sessionToken));
}

void tst_AwsClient::quotaStopsRetries()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    Fixture fixture(server.url(), exampleCredentials(), 1000);
    // Drain the shared bucket: 100 retries of 5.
    for (int i = 0; i < 101; ++i)
        server.enqueue(ScriptedReply::unavailable());
    const AwsResponse drained = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()), 30'000);
    QCOMPARE(drained.error.code, u"503"_s);
    QCOMPARE(drained.attempts, 101);
    QCOMPARE(fixture.client->retryQuotaAvailable(u"sagemaker"_s), 0);

    // With the quota empty, the next failure is final at once.
    server.enqueue(ScriptedReply::unavailable());
    const AwsResponse next = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));
    QCOMPARE(next.attempts, 1);
    QCOMPARE(next.error.code, u"503"_s);

    // The quota is the service's (botocore keeps one per client): Deadline still retries.
    QCOMPARE(fixture.client->retryQuotaAvailable(u"deadline"_s), RetryQuota::InitialCapacity);
    server.enqueue(ScriptedReply::unavailable());
    server.enqueue(ScriptedReply::ok(R"({"sessions":[]})"));
    HttpRequestParts sessions;
    sessions.method = "GET";
    sessions.path = "/2023-10-12/farms/farm-1/queues/queue-1/jobs/job-1/sessions";
    const AwsResponse other = waitForResponse(fixture.client->send(restKind(), sessions));
    QVERIFY2(other.ok(), qPrintable(other.error.toString()));
    QCOMPARE(other.attempts, 2);
    QCOMPARE(fixture.client->retryQuotaAvailable(u"deadline"_s), RetryQuota::InitialCapacity); // given back
}

void tst_AwsClient::legacyModeUsesItsOwnRules()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    // Legacy retries a bare 429 and 509 on the status alone, without a retry quota...
    for (int i = 0; i < 2; ++i) {
        server.enqueue(ScriptedReply::respond(429, "Too Many Requests", "", R"({"__type":"SomethingBusy"})"));
        server.enqueue(ScriptedReply::respond(509, "Bandwidth Limit Exceeded", "", ""));
    }
    server.enqueue(ScriptedReply::ok("{}"));
    Fixture fixture(server.url(), exampleCredentials(), 5, {}, u"legacy"_s);
    AwsCall *call = fixture.client->send(jsonKind(), listImagesRequest());
    QSignalSpy retries(call, &AwsCall::retryScheduled);

    const AwsResponse response = waitForResponse(call);

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(response.attempts, 5);
    QCOMPARE(server.requests.last().header("amz-sdk-request"), QByteArray("attempt=5; max=5"));
    // ...with rand * 2^(n-1) and no 20 s cap: random 0.5 gives 0.5, 1, 2, 4 s.
    QList<int> delays;
    for (const QList<QVariant> &retry : retries)
        delays << retry.at(1).toInt();
    QCOMPARE(delays, QList<int>({500, 1000, 2000, 4000}));
    QCOMPARE(fixture.client->retryQuotaAvailable(u"sagemaker"_s), RetryQuota::InitialCapacity);

    // A throttling code standard mode knows, but not legacy, is final.
    server.enqueue(ScriptedReply::respond(400, "Bad Request", "", R"({"__type":"TooManyRequestsException"})"));
    const AwsResponse final = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));
    QCOMPARE(final.error.code, u"TooManyRequestsException"_s);
    QCOMPARE(final.attempts, 1);
}

void tst_AwsClient::redirectsAreNotFollowed()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::respond(307, "Temporary Redirect", "Location: /elsewhere", ""));
    Fixture fixture(server.url());

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.httpStatus, 307);
    QCOMPARE(response.error.kind, AwsError::Kind::Service);
    QCOMPARE(response.error.code, u"307"_s);
    QCOMPARE(server.requests.size(), 1);
}

void tst_AwsClient::destroyingTheClientEndsCallsSilently()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::hang());
    auto fixture = std::make_unique<Fixture>(server.url());
    QPointer<AwsCall> call = fixture->client->send(jsonKind(), listImagesRequest());
    QSignalSpy finished(call.data(), &AwsCall::finished);
    QSignalSpy received(&server, &ScriptedServer::requestReceived);
    QSignalSpy closed(&server, &ScriptedServer::clientDisconnected);
    QVERIFY(received.wait());

    fixture.reset();

    QVERIFY(call.isNull());
    QCOMPARE(finished.size(), 0);
    QVERIFY(closed.wait());
}

void tst_AwsClient::untrustedCertificateIsATlsError()
{
    const auto tls = serverTls();
    if (!tls)
        QSKIP("needs a TLS backend and the openssl command to make a test certificate");
    ScriptedServer server(tls);
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok("{}"));
    Fixture fixture(server.url());

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.error.kind, AwsError::Kind::Tls);
    QCOMPARE(response.attempts, 1); // a certificate does not become trusted by retrying
    QVERIFY2(response.error.message.startsWith(u"certificate not trusted for host 127.0.0.1: "_s),
        qPrintable(response.error.message));
    QVERIFY2(
        response.error.message.endsWith(u"; set AWS_CA_BUNDLE or the profile's ca_bundle to a PEM file with the CA"_s),
        qPrintable(response.error.message));
    QVERIFY(server.requests.isEmpty());
}

void tst_AwsClient::caBundleIsTrusted()
{
    const auto tls = serverTls();
    if (!tls)
        QSKIP("needs a TLS backend and the openssl command to make a test certificate");
    ScriptedServer server(tls);
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok(R"({"Images":[]})"));
    Fixture fixture(server.url(), exampleCredentials(), 3, certificatePath());

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(response.body, QByteArray(R"({"Images":[]})"));
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests.first().header("Host"), "127.0.0.1:" + QByteArray::number(server.port()));
}

void tst_AwsClient::unreadableCaBundle()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    const QString missing = m_certificates.filePath(u"missing.pem"_s);
    Fixture fixture(server.url(), exampleCredentials(), 3, missing);

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.error.kind, AwsError::Kind::Configuration);
    QVERIFY2(response.error.message.contains(missing), qPrintable(response.error.message));
    QVERIFY(response.error.message.contains(u"AWS_CA_BUNDLE"_s));
    QCOMPARE(server.connections, 0);
}

void tst_AwsClient::caBundleWithoutCertificates()
{
    const QString notPem = m_certificates.filePath(u"not-pem.txt"_s);
    QFile file(notPem);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("no certificate here\n");
    file.close();

    // http never reads the bundle (it is only for TLS), so the call goes through.
    ScriptedServer plain;
    QVERIFY(plain.listen());
    plain.enqueue(ScriptedReply::ok(R"({"Images":[]})"));
    Fixture plainFixture(plain.url(), exampleCredentials(), 3, notPem);
    const AwsResponse plainResponse = waitForResponse(plainFixture.client->send(jsonKind(), listImagesRequest()));
    QVERIFY2(plainResponse.ok(), qPrintable(plainResponse.error.toString()));

    // https needs it: a clear configuration error, nothing sent.
    const auto tls = serverTls();
    if (!tls)
        QSKIP("needs a TLS backend and the openssl command to make a test certificate");
    ScriptedServer secure(tls);
    QVERIFY(secure.listen());
    Fixture secureFixture(secure.url(), exampleCredentials(), 3, notPem);
    const AwsResponse response = waitForResponse(secureFixture.client->send(jsonKind(), listImagesRequest()));
    QCOMPARE(response.error.kind, AwsError::Kind::Configuration);
    QVERIFY2(response.error.message.contains(u"holds no PEM certificate"_s), qPrintable(response.error.message));
    QVERIFY(response.error.message.contains(notPem));
    QCOMPARE(secure.connections, 0);
}

void tst_AwsClient::keepsConnectionsAlive()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    for (int i = 0; i < 5; ++i)
        server.enqueue(ScriptedReply::ok(R"({"Images":[]})"));
    Fixture fixture(server.url());

    for (int i = 0; i < 5; ++i) {
        const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));
        QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    }

    QCOMPARE(server.requests.size(), 5);
    QVERIFY(connectionsAre(server.connections, 1));
}

void tst_AwsClient::serverClosingAnIdleConnection_data()
{
    QTest::addColumn<bool>("waitForClose");
    // Sent at once, the next request goes out on the closed connection and has to be moved to a
    // new one; sent after the close was seen, it opens a new connection from the start.
    QTest::addRow("closed as the next request goes out") << false;
    QTest::addRow("closed while idle") << true;
}

void tst_AwsClient::serverClosingAnIdleConnection()
{
    QFETCH(bool, waitForClose);
    ScriptedServer server;
    QVERIFY(server.listen());
    // A keep-alive response (no Connection: close), then the server closes the connection.
    server.enqueue(ScriptedReply::dropAfter(ScriptedReply::ok(R"({"Images":[1]})").bytes));
    server.enqueue(ScriptedReply::ok(R"({"Images":[2]})"));
    Fixture fixture(server.url());
    QSignalSpy closed(&server, &ScriptedServer::clientDisconnected);

    const AwsResponse first = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));
    QVERIFY2(first.ok(), qPrintable(first.error.toString()));
    if (waitForClose)
        QTRY_COMPARE(closed.size(), 1);
    const AwsResponse second = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(second.ok(), qPrintable(second.error.toString()));
    QCOMPARE(second.body, QByteArray(R"({"Images":[2]})"));
    QCOMPARE(second.attempts, 1); // not a retry of AwsClient's: the request never reached the server
    QCOMPARE(server.requests.size(), 2);
    QVERIFY(connectionsAre(server.connections, 2));
}

void tst_AwsClient::connectionCloseIsHonoured()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    // The server says it will close but keeps the socket open: the client must not reuse it.
    server.enqueue(ScriptedReply::respond(200, "OK", "Connection: close", R"({"Images":[1]})"));
    server.enqueue(ScriptedReply::ok(R"({"Images":[2]})"));
    Fixture fixture(server.url());

    const AwsResponse first = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));
    const AwsResponse second = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(first.ok(), qPrintable(first.error.toString()));
    QCOMPARE(first.body, QByteArray(R"({"Images":[1]})"));
    QVERIFY2(second.ok(), qPrintable(second.error.toString()));
    QVERIFY(connectionsAre(server.connections, 2));
}

void tst_AwsClient::chunkedResponse()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue({ScriptedReply::Action::Respond,
        "HTTP/1.1 200 OK\r\nx-amzn-RequestId: chunked-1\r\nTransfer-Encoding: chunked\r\n\r\n"
        "b\r\n{\"Images\":[\r\n3;ext=1\r\n1,2\r\n2\r\n]}\r\n0\r\nx-trailer: t\r\n\r\n"});
    server.enqueue(ScriptedReply::ok("{}"));
    Fixture fixture(server.url());

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));
    const AwsResponse next = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(response.body, QByteArray(R"({"Images":[1,2]})"));
    QCOMPARE(response.requestId, u"chunked-1"_s);
    QVERIFY2(next.ok(), qPrintable(next.error.toString()));
    QVERIFY(connectionsAre(server.connections, 1)); // the chunked response ended cleanly: the connection was kept
}

void tst_AwsClient::bodyUntilTheConnectionCloses()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::dropAfter("HTTP/1.0 200 OK\r\nx-amzn-RequestId: old-1\r\n\r\n{\"Images\":[]}"));
    server.enqueue(ScriptedReply::ok("{}"));
    Fixture fixture(server.url());

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));
    const AwsResponse next = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(response.body, QByteArray(R"({"Images":[]})"));
    QCOMPARE(response.requestId, u"old-1"_s);
    QCOMPARE(response.attempts, 1);
    QVERIFY2(next.ok(), qPrintable(next.error.toString()));
    QVERIFY(connectionsAre(server.connections, 2));
}

void tst_AwsClient::malformedResponseIsRetried()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    for (int i = 0; i < 6; ++i) // QNAM resends on its own before giving up; only the outcome matters
        server.enqueue(ScriptedReply::dropAfter("SSH-2.0-OpenSSH_9.2\r\nContent-Length: 2\r\n\r\n{}"));
    Fixture fixture(server.url(), exampleCredentials(), 2);

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(response.error.kind == AwsError::Kind::Network, qPrintable(response.error.toString()));
    QCOMPARE(response.attempts, 2);
    // QNAM takes a status line that is not HTTP for a connection closed without an answer.
    if (m_engine == AwsClient::Engine::Direct)
        QCOMPARE(response.error.message, u"127.0.0.1:%1 sent a malformed HTTP response"_s.arg(server.port()));
    else
        QVERIFY2(response.error.message.startsWith(u"127.0.0.1:%1 "_s.arg(server.port())),
            qPrintable(response.error.message));
}

void tst_AwsClient::closedWithoutAnswerIsRetried()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    for (int i = 0; i < 6; ++i) // QNAM resends on its own before giving up; only the outcome matters
        server.enqueue(ScriptedReply::dropAfter({}));
    server.enqueue(ScriptedReply::ok("{}"));
    Fixture fixture(server.url(), exampleCredentials(), 1);

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.error.kind, AwsError::Kind::Network);
    QCOMPARE(response.attempts, 1);
    QCOMPARE(response.error.message, u"127.0.0.1:%1 closed the connection without answering"_s.arg(server.port()));
}

void tst_AwsClient::readTimeoutMidBody()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.enqueue({ScriptedReply::Action::Respond, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Images\":["});
    Fixture fixture(server.url(), exampleCredentials(), 1);
    fixture.client->setTimeouts(5000, 200);

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.error.kind, AwsError::Kind::Network);
    QCOMPARE(response.error.message,
        u"127.0.0.1:%1 stopped sending the response for 0.2 s (read timeout)"_s.arg(server.port()));
    QCOMPARE(response.error.httpStatus, 200);
}

void tst_AwsClient::connectTimeout_data()
{
    QTest::addColumn<bool>("https");
    QTest::addRow("tcp connect") << false;
    QTest::addRow("tls handshake") << true;
}

void tst_AwsClient::connectTimeout()
{
    QFETCH(bool, https);
    BlackHole blackHole;
    QTcpServer silent; // accepts, then never answers the TLS hello
    QVERIFY(blackHole.port() != 0);
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    if (https && !QSslSocket::supportsSsl())
        QSKIP("needs a TLS backend");
    const quint16 port = https ? silent.serverPort() : blackHole.port();
    Fixture fixture(u"%1://127.0.0.1:%2"_s.arg(https ? u"https"_s : u"http"_s).arg(port), exampleCredentials(), 2);
    fixture.client->setTimeouts(300, 5000);
    AwsCall *call = fixture.client->send(jsonKind(), listImagesRequest());
    QSignalSpy retries(call, &AwsCall::retryScheduled);

    const AwsResponse response = waitForResponse(call);

    QCOMPARE(response.error.kind, AwsError::Kind::Network);
    QCOMPARE(response.attempts, 2);
    QCOMPARE(response.error.message, u"could not connect to 127.0.0.1:%1 within 0.3 s (connect timeout)"_s.arg(port));
    QCOMPARE(retries.size(), 1);
    QCOMPARE(fixture.client->retryQuotaAvailable(u"sagemaker"_s), 490); // a timeout retry costs 10
}

void tst_AwsClient::cancelAtAnyMoment_data()
{
    QTest::addColumn<QString>("moment");
    QTest::addRow("connecting") << u"connecting"_s;
    QTest::addRow("request sent") << u"request sent"_s;
    QTest::addRow("mid-body") << u"mid-body"_s;
    QTest::addRow("right after send") << u"right after send"_s;
}

void tst_AwsClient::cancelAtAnyMoment()
{
    QFETCH(QString, moment);
    BlackHole blackHole;
    ScriptedServer server;
    QVERIFY(server.listen());
    if (moment == u"mid-body"_s)
        server.enqueue({ScriptedReply::Action::Respond, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Ima"});
    else
        server.enqueue(ScriptedReply::hang());
    const QString endpoint = moment == u"connecting"_s ? u"http://127.0.0.1:%1"_s.arg(blackHole.port()) : server.url();
    Fixture fixture(endpoint);
    fixture.client->setTimeouts(150, 150);
    QPointer<AwsCall> call = fixture.client->send(jsonKind(), listImagesRequest());
    QSignalSpy finished(call.data(), &AwsCall::finished);
    QSignalSpy retries(call.data(), &AwsCall::retryScheduled);
    QSignalSpy received(&server, &ScriptedServer::requestReceived);
    QSignalSpy closed(&server, &ScriptedServer::clientDisconnected);

    if (moment == u"connecting"_s)
        QVERIFY(!finished.wait(50)); // well inside the connect timeout
    else if (moment != u"right after send"_s)
        QVERIFY(received.wait());
    call->cancel();

    if (moment == u"request sent"_s || moment == u"mid-body"_s)
        QVERIFY(closed.wait()); // the attempt's connection is torn down
    QVERIFY(!finished.wait(350)); // longer than either timeout: nothing follows
    QCOMPARE(retries.size(), 0);
    QTRY_VERIFY(call.isNull());
    QVERIFY(server.requests.size() <= 1);
}

void tst_AwsClient::tlsConnectionIsReused()
{
    const auto tls = serverTls();
    if (!tls)
        QSKIP("needs a TLS backend and the openssl command to make a test certificate");
    ScriptedServer server(tls);
    QVERIFY(server.listen());
    for (int i = 0; i < 3; ++i)
        server.enqueue(ScriptedReply::ok(R"({"Images":[]})"));
    Fixture fixture(server.url(), exampleCredentials(), 3, certificatePath());

    for (int i = 0; i < 3; ++i) {
        const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));
        QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    }

    QCOMPARE(server.requests.size(), 3);
    QVERIFY(connectionsAre(server.connections, 1));
}

void tst_AwsClient::httpThroughProxy()
{
    ScriptedServer origin; // never reached: the proxy answers for it
    QVERIFY(origin.listen());
    ScriptedProxy proxy;
    QVERIFY(proxy.listen());
    // Set explicitly: botocore proxies loopback endpoints too, so the test environment decides.
    Fixture fixture(origin.url(), exampleCredentials(), 3, {}, u"standard"_s,
        proxyEnvironment({{u"HTTP_PROXY"_s, u"http://127.0.0.1:%1"_s.arg(proxy.port())}}));

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(response.body, QByteArray(R"({"Images":[]})"));
    QCOMPARE(proxy.requests.size(), 1);
    const ReceivedRequest &sent = proxy.requests.first();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.target, "http://127.0.0.1:" + QByteArray::number(origin.port()) + '/'); // absolute form
    QCOMPARE(sent.header("Host"), "127.0.0.1:" + QByteArray::number(origin.port()));
    QCOMPARE(sent.header("X-Amz-Target"), QByteArray("SageMaker.ListImages"));
    QCOMPARE(sent.parts.body, QByteArray(R"({"MaxResults": 1})"));
    QVERIFY(signatureMatchesWire(sent));
    QCOMPARE(origin.connections, 0);
}

void tst_AwsClient::httpsThroughProxyUsesConnect()
{
    const auto tls = serverTls();
    if (!tls)
        QSKIP("needs a TLS backend and the openssl command to make a test certificate");
    ScriptedServer origin(tls);
    QVERIFY(origin.listen());
    origin.enqueue(ScriptedReply::ok(R"({"Images":["tunnelled"]})"));
    ScriptedProxy proxy;
    QVERIFY(proxy.listen());
    Fixture fixture(origin.url(), exampleCredentials(), 3, certificatePath(), u"standard"_s,
        proxyEnvironment(
            {{u"HTTPS_PROXY"_s, u"127.0.0.1:%1"_s.arg(proxy.port())}, {u"HTTP_PROXY"_s, u"http://127.0.0.1:1"_s}}));

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(response.body, QByteArray(R"({"Images":["tunnelled"]})"));
    QCOMPARE(proxy.requests.size(), 1);
    QCOMPARE(proxy.requests.first().method, QByteArray("CONNECT"));
    QCOMPARE(proxy.requests.first().target, "127.0.0.1:" + QByteArray::number(origin.port()));
    QCOMPARE(origin.requests.size(), 1); // through the tunnel, TLS end to end
    QVERIFY(signatureMatchesWire(origin.requests.first()));
}

void tst_AwsClient::proxyCredentials()
{
    ScriptedServer origin;
    QVERIFY(origin.listen());
    ScriptedProxy proxy;
    QVERIFY(proxy.listen());
    proxy.requiredAuthorization = "Basic " + QByteArray("me@corp:p:ss").toBase64();
    Fixture fixture(origin.url(), exampleCredentials(), 3, {}, u"standard"_s,
        proxyEnvironment({{u"http_proxy"_s, u"http://me%40corp:p%3Ass@127.0.0.1:%1"_s.arg(proxy.port())}}));

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(response.attempts, 1);
    QCOMPARE(proxy.authorizations.last(), proxy.requiredAuthorization);
}

void tst_AwsClient::noProxyGoesDirect()
{
    ScriptedServer origin;
    QVERIFY(origin.listen());
    origin.enqueue(ScriptedReply::ok(R"({"Images":[]})"));
    ScriptedProxy proxy;
    QVERIFY(proxy.listen());
    Fixture fixture(origin.url(), exampleCredentials(), 3, {}, u"standard"_s,
        proxyEnvironment({{u"HTTP_PROXY"_s, u"http://127.0.0.1:%1"_s.arg(proxy.port())},
            {u"NO_PROXY"_s, u"localhost,127.0.0.1"_s}}));

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QVERIFY2(response.ok(), qPrintable(response.error.toString()));
    QCOMPARE(origin.requests.size(), 1);
    QCOMPARE(proxy.connections, 0);
}

void tst_AwsClient::proxyFailureNamesTheProxyNotItsPassword()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        closedPort = probe.serverPort();
    }
    ScriptedServer origin;
    QVERIFY(origin.listen());
    Fixture fixture(origin.url(), exampleCredentials(), 2, {}, u"standard"_s,
        proxyEnvironment({{u"HTTP_PROXY"_s, u"http://me:pr0xy-s3cret@127.0.0.1:%1"_s.arg(closedPort)}}));

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.error.kind, AwsError::Kind::Network);
    QCOMPARE(response.attempts, 2); // a proxy that is down may come back
    QVERIFY2(response.error.message.startsWith(u"the proxy 127.0.0.1:%1 (from HTTP_PROXY) failed while connecting to "
                                               "127.0.0.1:%2: "_s.arg(closedPort)
                                                   .arg(origin.port())),
        qPrintable(response.error.message));
    QVERIFY(!response.error.toString().contains(u"pr0xy-s3cret"_s));
    QCOMPARE(origin.connections, 0);
}

void tst_AwsClient::invalidProxyFailsTheCall()
{
    ScriptedServer origin;
    QVERIFY(origin.listen());
    Fixture fixture(origin.url(), exampleCredentials(), 3, {}, u"standard"_s,
        proxyEnvironment({{u"HTTP_PROXY"_s, u"socks5://me:pr0xy-s3cret@127.0.0.1:1080"_s}}));

    const AwsResponse response = waitForResponse(fixture.client->send(jsonKind(), listImagesRequest()));

    QCOMPARE(response.error.kind, AwsError::Kind::Configuration);
    QCOMPARE(response.error.code, u"InvalidProxy"_s);
    QCOMPARE(response.attempts, 0);
    QVERIFY(response.error.message.startsWith(u"HTTP_PROXY is not a usable proxy URL (socks5://***:***@"_s));
    QVERIFY(!response.error.toString().contains(u"pr0xy-s3cret"_s));
    QCOMPARE(origin.connections, 0);
}

namespace
{

EmulatorConfig smallEmulator()
{
    return testsupport::smallEmulatorConfig({.images = 12, .datasetGroups = 2, .datasets = 30, .sessions = 30});
}

// The parent with the most children, so that two full pages exist.
template<typename Parent>
const Parent &largest(const QList<Parent> &parents)
{
    const auto children = [](const Parent &parent) {
        if constexpr (requires { parent.datasets; })
            return parent.datasets;
        else
            return parent.sessions;
    };
    return *std::max_element(parents.begin(), parents.end(),
        [&children](const Parent &a, const Parent &b) { return children(a) < children(b); });
}

/// The first page request of a kind, as the paging layer would build it, with the token of
/// the page before when there is one.
HttpRequestParts firstPageRequest(const ResourceKind &kind, const EmulatorCatalog &catalog, const QString &token)
{
    HttpRequestParts request;
    request.method = kind.operation.method.toLatin1();
    const QString limit = kind.pagination.limitKey;
    if (kind.service.protocol == ServiceSpec::Protocol::AwsJson) {
        request.path = "/";
        request.headers = {{"X-Amz-Target", (kind.service.targetPrefix + u'.' + kind.operation.name).toLatin1()},
            {"Content-Type", "application/x-amz-json-" + kind.service.jsonVersion.toLatin1()}};
        QJsonObject body {{limit, 5}};
        if (kind.id == u"datasets"_s)
            body.insert(u"datasetGroupArn"_s, largest(catalog.datasetGroups).arn);
        if (!token.isEmpty())
            body.insert(kind.pagination.inputToken, token);
        request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    } else {
        const auto &farm = catalog.farms.first();
        QString path = kind.operation.requestUri;
        path.replace(u"{farmId}"_s, farm.farmId)
            .replace(u"{queueId}"_s, farm.queues.first().queueId)
            .replace(u"{jobId}"_s, largest(farm.queues.first().jobs).jobId);
        request.path = path.toLatin1();
        request.query = limit.toLatin1() + "=5";
        if (!token.isEmpty())
            request.query += '&' + kind.pagination.inputToken.toLatin1() + '=' + QUrl::toPercentEncoding(token);
    }
    return request;
}

} // namespace

void tst_AwsClient::emulatorAcceptsSignedRequests_data()
{
    QTest::addColumn<QString>("kindId");
    QTest::addColumn<bool>("sessionToken");
    for (const ResourceKind &kind : resourceKinds()) {
        QTest::addRow("%s", qPrintable(kind.id)) << kind.id << false;
        QTest::addRow("%s with session token", qPrintable(kind.id)) << kind.id << true;
    }
}

void tst_AwsClient::emulatorAcceptsSignedRequests()
{
    QFETCH(QString, kindId);
    QFETCH(bool, sessionToken);
    Emulator emulator(smallEmulator());
    QString problem;
    QVERIFY2(emulator.listen(&problem), qPrintable(problem));
    const ResourceKind *kind = findResourceKind(kindId);
    QVERIFY(kind);
    Fixture fixture(emulator.url().toString(), exampleCredentials(sessionToken));

    // Page 1, then page 2 with the token sent back (in the query for Deadline, percent-encoded).
    QString token;
    for (int page = 1; page <= 2; ++page) {
        const AwsResponse response
            = waitForResponse(fixture.client->send(*kind, firstPageRequest(*kind, emulator.catalog(), token)));
        QVERIFY2(response.ok(), qPrintable(response.error.toString()));
        QCOMPARE(response.httpStatus, 200);
        QCOMPARE(response.attempts, 1);
        QVERIFY(!response.requestId.isEmpty());
        const QJsonObject body = QJsonDocument::fromJson(response.body).object();
        QCOMPARE(body.value(kind->pagination.resultKey).toArray().size(), 5);
        token = body.value(kind->pagination.outputToken).toString();
        QVERIFY(!token.isEmpty());
    }
}

void tst_AwsClient::emulatorRejectsWrongSecret()
{
    Emulator emulator(smallEmulator());
    QString problem;
    QVERIFY2(emulator.listen(&problem), qPrintable(problem));
    Credentials wrong = exampleCredentials();
    wrong.secretAccessKey = u"not-the-secret-that-goes-with-AKIDEXAMPLE"_s;
    Fixture fixture(emulator.url().toString(), wrong);
    const ResourceKind *kind = findResourceKind(u"images"_s);
    QVERIFY(kind);

    const AwsResponse response
        = waitForResponse(fixture.client->send(*kind, firstPageRequest(*kind, emulator.catalog(), {})));

    QCOMPARE(response.error.kind, AwsError::Kind::Service);
    QCOMPARE(response.error.code, u"InvalidSignatureException"_s);
    QCOMPARE(response.attempts, 1);
    QVERIFY2(response.error.message.startsWith(u"the secret access key does not match the access key ID"_s),
        qPrintable(response.error.message));
    QVERIFY(!response.error.toString().contains(wrong.secretAccessKey));
}

void tst_AwsClient::emulatorFaultsAreRetried()
{
    EmulatorConfig config = smallEmulator();
    config.faults.throttleRate = 0.2;
    config.faults.errorRate = 0.2;
    config.faults.dropRate = 0.1;
    config.faults.faultSeed = 7;
    Emulator emulator(config);
    QString problem;
    QVERIFY2(emulator.listen(&problem), qPrintable(problem));
    Fixture fixture(emulator.url().toString(), exampleCredentials(), 10);

    int retried = 0;
    for (const ResourceKind &kind : resourceKinds()) {
        for (int i = 0; i < 8; ++i) {
            const AwsResponse response
                = waitForResponse(fixture.client->send(kind, firstPageRequest(kind, emulator.catalog(), {})));
            QVERIFY2(response.ok(), qPrintable(response.error.toString()));
            QCOMPARE(
                QJsonDocument::fromJson(response.body).object().value(kind.pagination.resultKey).toArray().size(), 5);
            retried += response.attempts - 1;
        }
    }
    QVERIFY(retried > 0); // the faults did happen, and were retried away
    QCOMPARE(emulator.stats().faults, quint64(retried));
}

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    int failures = 0;
    {
        tst_AwsClientQnam overQnam;
        failures += QTest::qExec(&overQnam, argc, argv);
    }
    {
        tst_AwsClientDirect direct;
        failures += QTest::qExec(&direct, argc, argv);
    }
    return failures;
}

#include "tst_awsclient.moc"
