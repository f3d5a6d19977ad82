#include "awsclient.h"

#include "aws/http/errorparser.h"
#include "kinds/resourcekind.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslError>
#include <QSslSocket>
#include <QTimer>
#include <QUuid>

// Off unless asked for (QT_LOGGING_RULES="pagewise.http.debug=true"); never logs headers or bodies.
Q_LOGGING_CATEGORY(lcHttp, "pagewise.http", QtInfoMsg)

namespace pagewise
{

/// The state of one call across its attempts. AwsClient drives it; the call itself only
/// knows how to stop.
class ClientCall final : public AwsCall
{
public:
    explicit ClientCall(AwsClient *client)
        : AwsCall(client)
    {
        attemptTimer.setSingleShot(true);
        backoffTimer.setSingleShot(true);
        // A timeout aborts the reply; its finished() then reports the timeout.
        connect(&attemptTimer, &QTimer::timeout, this, [this] {
            timedOut = true;
            if (reply)
                reply->abort();
        });
    }
    ~ClientCall() override { dropReply(); }

    void cancel() override
    {
        if (done)
            return;
        done = true;
        attemptTimer.stop();
        backoffTimer.stop();
        dropReply();
        deleteLater();
    }

    void dropReply()
    {
        if (!reply)
            return;
        QNetworkReply *dropped = reply;
        reply = nullptr;
        disconnect(dropped, nullptr, this, nullptr);
        dropped->abort();
        dropped->deleteLater();
    }

    enum class Phase { Connecting, Reading };

    // Fixed for the whole call.
    ServiceSpec::Protocol protocol = ServiceSpec::Protocol::AwsJson;
    SigV4Signer::Scope scope;
    HttpRequestParts request; ///< unsigned, path with the endpoint's base path, Host set
    QUrl url;
    QByteArray invocationId;
    QString injectedHostPrefix; ///< the operation's host prefix when it went in front of a custom endpoint

    // Per attempt.
    int attempt = 0;
    int lastRetryCost = 0;
    Credentials credentials;
    QPointer<QNetworkReply> reply;
    QTimer attemptTimer;
    QTimer backoffTimer;
    Phase phase = Phase::Connecting;
    QByteArray body;
    bool responseStarted = false;
    bool timedOut = false;
    bool bodyTooLarge = false;
    QList<QSslError> sslErrors;
    bool done = false;
    bool inSend = false; ///< the first attempt starts inside send(), before the caller can connect
};

namespace
{

QByteArray userAgent()
{
    return QByteArrayLiteral("pagewise/") + QByteArrayLiteral("0.1 Qt/") + QByteArray(qVersion());
}

int defaultPort(const QString &scheme)
{
    return scheme == QLatin1String("https") ? 443 : 80;
}

/// "host:port" for messages, with the port the connection really uses.
QString hostForMessages(const QUrl &url)
{
    return url.host() + QLatin1Char(':') + QString::number(url.port(defaultPort(url.scheme())));
}

QString secondsText(int ms)
{
    if (ms % 1000 == 0)
        return QStringLiteral("%1 s").arg(ms / 1000);
    return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'g', 3);
}

AwsError makeError(AwsError::Kind kind, const QString &code, const QString &message)
{
    AwsError error;
    error.kind = kind;
    error.code = code;
    error.message = message;
    return error;
}

// A timeout of 0 or less means none.
void restartTimer(QTimer &timer, int ms)
{
    if (ms > 0)
        timer.start(ms);
    else
        timer.stop();
}

bool isTransportError(QNetworkReply::NetworkError error)
{
    // 1-99: network layer, 101-199: proxy, 399: broken HTTP. Content (2xx) and server (4xx)
    // errors mirror an HTTP status and are parsed from the response instead.
    const int value = static_cast<int>(error);
    return (value > 0 && value < 200) || error == QNetworkReply::ProtocolFailure;
}

QString describeNetworkError(
    const QNetworkReply *reply, const QUrl &url, bool responseStarted, const QString &injectedHostPrefix)
{
    const QString host = hostForMessages(url);
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused by %1; check that the endpoint is running and the URL is right")
            .arg(host);
    case QNetworkReply::RemoteHostClosedError:
        if (responseStarted)
            return QStringLiteral("connection to %1 dropped mid-response").arg(host);
        return QStringLiteral("%1 closed the connection without answering").arg(host);
    case QNetworkReply::HostNotFoundError:
        if (!injectedHostPrefix.isEmpty()) {
            return QStringLiteral("host %1 not found (DNS lookup failed); \"%2\" was put in front of the custom "
                                  "endpoint's host as botocore does: set AWS_DISABLE_HOST_PREFIX_INJECTION=true (or "
                                  "disable_host_prefix_injection in the profile) if that name does not resolve")
                .arg(url.host(), injectedHostPrefix);
        }
        return QStringLiteral("host %1 not found (DNS lookup failed); check the endpoint URL and region")
            .arg(url.host());
    case QNetworkReply::TimeoutError:
        return QStringLiteral("the connection to %1 timed out").arg(host);
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return QStringLiteral("the network is unavailable, so %1 cannot be reached").arg(host);
    case QNetworkReply::ProtocolFailure:
        return QStringLiteral("%1 sent a malformed HTTP response").arg(host);
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return QStringLiteral("the proxy failed while connecting to %1: %2").arg(host, reply->errorString());
    default:
        return QStringLiteral("network error talking to %1: %2").arg(host, reply->errorString());
    }
}

QString describeTlsError(const QNetworkReply *reply, const QUrl &url, const QList<QSslError> &errors)
{
    if (errors.isEmpty())
        return QStringLiteral("TLS handshake with %1 failed: %2").arg(hostForMessages(url), reply->errorString());
    QStringList reasons;
    for (const QSslError &error : errors) {
        if (!reasons.contains(error.errorString()))
            reasons << error.errorString();
    }
    return QStringLiteral("certificate not trusted for host %1: %2; set AWS_CA_BUNDLE or the profile's ca_bundle "
                          "to a PEM file with the CA")
        .arg(url.host(), reasons.join(QStringLiteral("; ")));
}

} // namespace

AwsClient::AwsClient(Connection connection, QObject *parent)
    : QObject(parent)
    , m_connection(std::move(connection))
    , m_network(new QNetworkAccessManager(this))
    , m_policy(RetryPolicy::fromSettings(m_connection.retry))
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network->setStrictTransportSecurityEnabled(false);
    m_network->setAutoDeleteReplies(false);

    // The TLS backend and the system CA store load on the first https call, or on the first call
    // when a CA bundle is configured (its error must reach plain http calls too): loading them
    // costs ~40 ms and is wasted on http endpoints such as a local emulator.
}

void AwsClient::ensureTlsConfiguration(bool https)
{
    if (!m_caBundleChecked && !m_connection.caBundle.isEmpty()) {
        m_caBundleChecked = true;
        const QString &path = m_connection.caBundle;
        const QFileInfo info(path);
        if (!info.isFile() || !info.isReadable()) {
            m_caBundleError = makeError(AwsError::Kind::Configuration, QStringLiteral("InvalidCaBundle"),
                QStringLiteral("cannot read the CA bundle %1 (AWS_CA_BUNDLE or the "
                               "profile's ca_bundle): %2")
                    .arg(path, info.exists() ? QStringLiteral("not a readable file") : QStringLiteral("no such file")));
        } else {
            m_caBundleCertificates = QSslCertificate::fromPath(path, QSsl::Pem);
            if (m_caBundleCertificates.isEmpty()) {
                m_caBundleError = makeError(AwsError::Kind::Configuration, QStringLiteral("InvalidCaBundle"),
                    QStringLiteral("the CA bundle %1 (AWS_CA_BUNDLE or the profile's "
                                   "ca_bundle) holds no PEM certificate")
                        .arg(path));
            }
        }
    }
    if (!https || m_sslConfiguration)
        return;
    m_sslConfiguration = QSslSocket::supportsSsl() ? QSslConfiguration::defaultConfiguration() : QSslConfiguration();
    if (!m_caBundleCertificates.isEmpty())
        m_sslConfiguration->addCaCertificates(m_caBundleCertificates);
}

AwsClient::~AwsClient()
{
    // Calls are children; end them before the network manager goes, silently.
    const QList<AwsCall *> calls = findChildren<AwsCall *>(Qt::FindDirectChildrenOnly);
    for (AwsCall *call : calls)
        delete call;
}

const Connection &AwsClient::connection() const
{
    return m_connection;
}

void AwsClient::setTimeouts(int connectMs, int readMs)
{
    m_connectTimeoutMs = connectMs;
    m_readTimeoutMs = readMs;
}

void AwsClient::setBackoffScale(double scale)
{
    m_backoffScale = std::max(0.0, scale);
}

void AwsClient::setRandomSource(RetryPolicy::RandomSource random)
{
    m_random = std::move(random);
}

void AwsClient::setMaxResponseBytes(qint64 bytes)
{
    m_maxResponseBytes = bytes;
}

AwsCall *AwsClient::send(const ResourceKind &kind, const HttpRequestParts &request)
{
    auto *call = new ClientCall(this);
    call->protocol = kind.service.protocol;
    call->scope = SigV4Signer::Scope {m_connection.region, kind.service.signingName};
    call->request = request;
    call->invocationId = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    connect(&call->backoffTimer, &QTimer::timeout, call, [this, call] { startAttempt(call); });

    const auto failLater = [this, call](AwsError error) {
        AwsResponse response;
        response.error = std::move(error);
        QTimer::singleShot(0, call, [this, call, response] { complete(call, response); });
        return call;
    };

    const Result<QUrl> endpoint = m_connection.endpointFor(kind);
    const QString scheme = endpoint ? endpoint.value().scheme().toLower() : QString();
    ensureTlsConfiguration(scheme == QLatin1String("https"));
    if (m_caBundleError.isError())
        return failLater(m_caBundleError);
    if (!endpoint)
        return failLater(endpoint.error());
    const QUrl &base = endpoint.value();
    if ((scheme != QLatin1String("http") && scheme != QLatin1String("https")) || base.host().isEmpty()) {
        return failLater(makeError(AwsError::Kind::Configuration, QStringLiteral("InvalidEndpoint"),
            QStringLiteral("the endpoint URL %1 is not an http:// or https:// URL with a host")
                .arg(base.toDisplayString())));
    }

    // Host as botocore signs it: lower case, the port only when it is not the scheme's default.
    QByteArray host = base.host(QUrl::FullyEncoded).toLower().toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    const int port = base.port(defaultPort(scheme));
    if (port != defaultPort(scheme))
        host += ':' + QByteArray::number(port);

    const QString prefix = kind.operation.hostPrefix;
    if (!prefix.isEmpty() && m_connection.injectHostPrefix && m_connection.hasCustomEndpoint(kind)
        && base.host().startsWith(prefix, Qt::CaseInsensitive))
        call->injectedHostPrefix = prefix;

    QByteArray basePath = base.path(QUrl::FullyEncoded).toLatin1();
    while (basePath.endsWith('/'))
        basePath.chop(1);
    QByteArray path = request.path.isEmpty() ? QByteArrayLiteral("/") : request.path;
    if (!path.startsWith('/'))
        path.prepend('/');
    call->request.path = basePath + path;
    call->request.setHeader("Host", host);

    QByteArray wire = scheme.toLatin1() + "://" + host + call->request.path;
    if (!request.query.isEmpty())
        wire += '?' + request.query;
    // Strict: a stray '%' or space is the caller's bug, not something to repair silently.
    call->url = QUrl::fromEncoded(wire, QUrl::StrictMode);
    if (!call->url.isValid()) {
        return failLater(makeError(AwsError::Kind::InvalidInput, QStringLiteral("InvalidRequestUrl"),
            QStringLiteral("the request path or query is not valid percent-encoded URL text: %1")
                .arg(call->url.errorString())));
    }
    // Sign what QNetworkAccessManager will put on the request line. QUrl keeps reserved
    // characters encoded (%2F, %2B, %3D survive) but decodes unreserved ones (%7E -> ~) and
    // upper-cases hex digits; signing its form keeps the signature valid either way.
    const QByteArray target = call->url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment
        | QUrl::FullyEncoded | QUrl::NormalizePathSegments);
    const qsizetype question = target.indexOf('?');
    call->request.path = question < 0 ? target : target.left(question);
    call->request.query = question < 0 ? QByteArray() : target.mid(question + 1);

    // Started here rather than from the event loop: a caller that asks for the next page
    // before working on the current one (the CLI does) gets the request out meanwhile.
    call->inSend = true;
    startAttempt(call);
    call->inSend = false;
    return call;
}

void AwsClient::startAttempt(ClientCall *call)
{
    if (call->done)
        return;
    ++call->attempt;
    call->body.clear();
    call->phase = ClientCall::Phase::Connecting;
    call->responseStarted = false;
    call->timedOut = false;
    call->bodyTooLarge = false;
    call->sslErrors.clear();

    AwsResponse failed;
    if (!m_connection.credentials) {
        --call->attempt; // nothing was sent
        failed.error = makeError(AwsError::Kind::Credentials, QStringLiteral("NoCredentials"),
            QStringLiteral("no credentials provider is configured for profile %1").arg(m_connection.profile));
        complete(call, failed);
        return;
    }
    Result<Credentials> credentials = m_connection.credentials->credentials();
    if (!credentials) {
        --call->attempt;
        failed.error = credentials.error();
        complete(call, failed);
        return;
    }
    call->credentials = std::move(credentials).value();

    // Signed afresh every attempt: X-Amz-Date must be current, credentials may have been refreshed.
    HttpRequestParts parts = call->request;
    SigV4Signer::sign(parts, call->credentials, call->scope, QDateTime::currentDateTimeUtc());

    QNetworkRequest request(call->url);
    for (const auto &[name, value] : std::as_const(parts.headers))
        request.setRawHeader(name, parts.header(name));
    if (!request.hasRawHeader("User-Agent"))
        request.setRawHeader("User-Agent", userAgent());
    // Added after signing, as botocore does: not part of the signature.
    request.setRawHeader("amz-sdk-invocation-id", call->invocationId);
    request.setRawHeader("amz-sdk-request",
        "attempt=" + QByteArray::number(call->attempt) + "; max=" + QByteArray::number(m_policy.maxAttempts()));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    if (call->url.scheme() == QLatin1String("https") && m_sslConfiguration)
        request.setSslConfiguration(*m_sslConfiguration);

    qCDebug(lcHttp) << "sending" << parts.method << call->url.host() << call->request.path << "attempt"
                    << call->attempt;

    const bool hasBody = !parts.body.isEmpty() || (parts.method != "GET" && parts.method != "HEAD");
    QNetworkReply *reply = hasBody ? m_network->sendCustomRequest(request, parts.method, parts.body)
                                   : m_network->sendCustomRequest(request, parts.method);
    call->reply = reply;

    const auto startReading = [this, call] {
        call->phase = ClientCall::Phase::Reading;
        restartTimer(call->attemptTimer, m_readTimeoutMs);
    };
    const auto takeBody = [this, call, reply] {
        if (call->bodyTooLarge)
            return;
        if (call->body.size() + reply->bytesAvailable() > m_maxResponseBytes) {
            call->bodyTooLarge = true;
            reply->abort();
            return;
        }
        call->body += reply->readAll();
    };
    connect(reply, &QNetworkReply::requestSent, call, startReading);
    connect(reply, &QNetworkReply::uploadProgress, call, [call, startReading](qint64 sent, qint64) {
        if (sent > 0 && call->phase == ClientCall::Phase::Connecting)
            startReading();
    });
    connect(reply, &QNetworkReply::metaDataChanged, call, [this, call, reply, startReading] {
        call->responseStarted = true;
        startReading();
        bool ok = false;
        const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
        if (ok && length > m_maxResponseBytes) {
            call->bodyTooLarge = true;
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::readyRead, call, [call, startReading, takeBody] {
        call->responseStarted = true;
        startReading();
        takeBody();
    });
    connect(
        reply, &QNetworkReply::sslErrors, call, [call](const QList<QSslError> &errors) { call->sslErrors = errors; });
    connect(reply, &QNetworkReply::finished, call, [this, call] { handleReplyFinished(call); });
    restartTimer(call->attemptTimer, m_connectTimeoutMs);
}

void AwsClient::handleReplyFinished(ClientCall *call)
{
    QNetworkReply *reply = call->reply;
    call->reply = nullptr;
    call->attemptTimer.stop();
    if (!reply)
        return;
    reply->deleteLater();
    disconnect(reply, nullptr, call, nullptr);
    if (call->done)
        return;

    if (!call->bodyTooLarge && !call->timedOut) {
        if (call->body.size() + reply->bytesAvailable() > m_maxResponseBytes)
            call->bodyTooLarge = true;
        else
            call->body += reply->readAll();
    }

    AwsResponse response;
    response.attempts = call->attempt;
    const QUrl &url = call->url;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (status.isValid()) {
        response.httpStatus = status.toInt();
        response.headers = reply->rawHeaderPairs();
        response.requestId = ErrorParser::requestId(response.headers);
    }

    if (call->bodyTooLarge) {
        response.error = makeError(AwsError::Kind::Decode, QStringLiteral("ResponseTooLarge"),
            QStringLiteral("the response from %1 is larger than the %2 MiB limit")
                .arg(hostForMessages(url))
                .arg(m_maxResponseBytes / (1024.0 * 1024.0), 0, 'g', 4));
        complete(call, response);
        return;
    }

    if (call->timedOut) {
        AttemptFailure failure;
        failure.transport = AttemptFailure::Transport::Timeout;
        QString message;
        if (call->phase == ClientCall::Phase::Connecting) {
            message = QStringLiteral("could not connect to %1 within %2 (connect timeout)")
                          .arg(hostForMessages(url), secondsText(m_connectTimeoutMs));
        } else if (call->responseStarted) {
            message = QStringLiteral("%1 stopped sending the response for %2 (read timeout)")
                          .arg(hostForMessages(url), secondsText(m_readTimeoutMs));
        } else {
            message = QStringLiteral("no response from %1 within %2 (read timeout)")
                          .arg(hostForMessages(url), secondsText(m_readTimeoutMs));
        }
        response.error = makeError(AwsError::Kind::Network, QString(), message);
        response.error.httpStatus = response.httpStatus;
        handleAttemptFailure(call, response, failure);
        return;
    }

    const QNetworkReply::NetworkError networkError = reply->error();
    if (networkError == QNetworkReply::SslHandshakeFailedError || !call->sslErrors.isEmpty()) {
        // A certificate does not start being trusted on the next attempt: no retry.
        response.error = makeError(AwsError::Kind::Tls, QString(), describeTlsError(reply, url, call->sslErrors));
        complete(call, response);
        return;
    }
    if (isTransportError(networkError) || !status.isValid()) {
        AttemptFailure failure;
        failure.transport = AttemptFailure::Transport::ConnectionError;
        response.error = makeError(AwsError::Kind::Network, QString(),
            describeNetworkError(reply, url, call->responseStarted, call->injectedHostPrefix));
        response.error.httpStatus = response.httpStatus;
        response.error.requestId = response.requestId;
        handleAttemptFailure(call, response, failure);
        return;
    }

    response.body = std::move(call->body);
    qCDebug(lcHttp) << "received" << response.httpStatus << call->request.method << url.host() << call->request.path
                    << "request id" << response.requestId << "attempt" << call->attempt;

    if (response.httpStatus >= 200 && response.httpStatus < 300) {
        if (m_policy.mode() == RetryPolicy::Mode::Standard)
            m_quota.releaseAfterSuccess(call->lastRetryCost);
        complete(call, response);
        return;
    }

    response.error = ErrorParser::parse(call->protocol, response.httpStatus, response.headers, response.body);
    ErrorParser::explainCredentialErrors(response.error, call->credentials, m_connection.profile);
    ErrorParser::redactSecrets(response.error, call->credentials);
    AttemptFailure failure;
    failure.httpStatus = response.httpStatus;
    failure.code = response.error.code;
    failure.retryAfterSeconds = ErrorParser::retryAfterSeconds(response.headers);
    handleAttemptFailure(call, response, failure);
}

void AwsClient::handleAttemptFailure(ClientCall *call, AwsResponse response, const AttemptFailure &failure)
{
    if (m_policy.shouldRetry(failure, call->attempt)) {
        int cost = 1;
        if (m_policy.mode() == RetryPolicy::Mode::Standard)
            cost = m_quota.acquire(failure.transport);
        if (cost > 0) {
            call->lastRetryCost = m_policy.mode() == RetryPolicy::Mode::Standard ? cost : 0;
            const double random = m_random ? std::clamp(m_random(), 0.0, 1.0) : 0.0;
            const double seconds = m_policy.backoffSeconds(call->attempt, random, failure.retryAfterSeconds);
            const int delayMs = qRound(seconds * 1000.0);
            response.error.attempts = call->attempt;
            qCDebug(lcHttp) << "retrying" << call->url.host() << call->request.path << "after attempt" << call->attempt
                            << "in" << delayMs << "ms:" << response.error.code;
            emit call->retryScheduled(call->attempt, delayMs, response.error);
            if (call->done)
                return;
            call->backoffTimer.start(qRound(delayMs * m_backoffScale));
            return;
        }
    }
    complete(call, response);
}

void AwsClient::complete(ClientCall *call, AwsResponse response)
{
    if (call->done)
        return;
    if (call->inSend) {
        // Nobody is connected yet: report from the event loop, as every outcome of send().
        QTimer::singleShot(0, call, [this, call, response] { complete(call, response); });
        return;
    }
    call->done = true;
    call->attemptTimer.stop();
    call->backoffTimer.stop();
    if (response.attempts == 0)
        response.attempts = call->attempt;
    if (response.error.isError()) {
        response.error.attempts = response.attempts;
        if (response.error.httpStatus == 0)
            response.error.httpStatus = response.httpStatus;
        if (response.error.requestId.isEmpty())
            response.error.requestId = response.requestId;
    }
    emit call->finished(response);
    call->deleteLater();
}

} // namespace pagewise
