#include "awsclient.h"

#include "aws/config/credentialsrequest.h"
#include "aws/http/directhttpengine.h"
#include "aws/http/errorparser.h"
#include "aws/http/qnamhttpengine.h"
#include "kinds/resourcekind.h"

#include <QFileInfo>
#include <QLoggingCategory>
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
/// knows how to stop and hears its attempt's progress.
class ClientCall final : public AwsCall, public HttpExchangeListener
{
public:
    explicit ClientCall(AwsClient *client)
        : AwsCall(client)
        , m_client(client)
    {
        attemptTimer.setSingleShot(true);
        backoffTimer.setSingleShot(true);
        connect(&attemptTimer, &QTimer::timeout, this, [this] { m_client->handleAttemptTimeout(this); });
    }
    ~ClientCall() override { dropExchange(); }

    void cancel() override
    {
        if (done)
            return;
        done = true;
        attemptTimer.stop();
        backoffTimer.stop();
        if (credentialsRequest)
            std::exchange(credentialsRequest, nullptr)->cancel();
        dropExchange();
        deleteLater();
    }

    void dropExchange()
    {
        if (!exchange)
            return;
        HttpExchange *dropped = exchange;
        exchange = nullptr;
        dropped->abort();
    }

    void requestWritten() override
    {
        if (phase == Phase::Connecting)
            startReading();
    }
    void responseStarted(int status, const HttpHeaders &headers) override
    {
        gotResponse = true;
        httpStatus = status;
        responseHeaders = headers;
        startReading();
    }
    void bodyReceived(qint64) override
    {
        gotResponse = true;
        if (phase == Phase::Connecting)
            startReading();
        else
            lastActivityMs = m_client->m_clock.elapsed();
    }
    void exchangeFinished(HttpExchangeResult &result) override
    {
        exchange = nullptr;
        m_client->handleExchangeFinished(this, result);
    }

    /// The read timeout counts from now; it is re-armed lazily, not on every chunk.
    void startReading()
    {
        phase = Phase::Reading;
        lastActivityMs = m_client->m_clock.elapsed();
        if (m_client->m_readTimeoutMs > 0)
            attemptTimer.start(m_client->m_readTimeoutMs);
        else
            attemptTimer.stop();
    }

    enum class Phase { Connecting, Reading };

    // Fixed for the whole call.
    ServiceSpec::Protocol protocol = ServiceSpec::Protocol::AwsJson;
    SigV4Signer::Scope scope;
    HttpRequestParts request; ///< unsigned, path with the endpoint's base path, Host set
    QUrl url;
    QByteArray target; ///< path?query as signed and sent
    QByteArray invocationId;
    QString injectedHostPrefix; ///< the operation's host prefix when it went in front of a custom endpoint
    std::optional<QNetworkProxy> proxy; ///< none: a direct connection
    QString proxyDescription; ///< "host:port (from HTTPS_PROXY)", never its credentials

    // Per attempt.
    int attempt = 0;
    int lastRetryCost = 0;
    Credentials credentials;
    CredentialsRequest *credentialsRequest = nullptr; ///< a child, while credentials are fetched
    HttpExchange *exchange = nullptr;
    QTimer attemptTimer;
    QTimer backoffTimer;
    Phase phase = Phase::Connecting;
    qint64 lastActivityMs = 0;
    bool gotResponse = false;
    int httpStatus = 0;
    HttpHeaders responseHeaders;
    bool done = false;
    bool inSend = false; ///< the first attempt starts inside send(), before the caller can connect

private:
    AwsClient *m_client;
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

QString describeNetworkError(const HttpExchangeResult &result, const QUrl &url, const QString &injectedHostPrefix,
    const QString &proxyDescription)
{
    const QString host = hostForMessages(url);
    switch (result.outcome) {
    case HttpOutcome::ConnectionRefused:
        return QStringLiteral("connection refused by %1; check that the endpoint is running and the URL is right")
            .arg(host);
    case HttpOutcome::DroppedMidResponse:
        return QStringLiteral("connection to %1 dropped mid-response").arg(host);
    case HttpOutcome::ClosedWithoutAnswer:
        return QStringLiteral("%1 closed the connection without answering").arg(host);
    case HttpOutcome::HostNotFound:
        if (!injectedHostPrefix.isEmpty()) {
            return QStringLiteral("host %1 not found (DNS lookup failed); \"%2\" was put in front of the custom "
                                  "endpoint's host as botocore does: set AWS_DISABLE_HOST_PREFIX_INJECTION=true (or "
                                  "disable_host_prefix_injection in the profile) if that name does not resolve")
                .arg(url.host(), injectedHostPrefix);
        }
        return QStringLiteral("host %1 not found (DNS lookup failed); check the endpoint URL and region")
            .arg(url.host());
    case HttpOutcome::TimedOut:
        return QStringLiteral("the connection to %1 timed out").arg(host);
    case HttpOutcome::NetworkUnavailable:
        return QStringLiteral("the network is unavailable, so %1 cannot be reached").arg(host);
    case HttpOutcome::MalformedResponse:
        return QStringLiteral("%1 sent a malformed HTTP response").arg(host);
    case HttpOutcome::ProxyFailure:
        if (!proxyDescription.isEmpty()) {
            return QStringLiteral("the proxy %1 failed while connecting to %2: %3")
                .arg(proxyDescription, host, result.errorText);
        }
        return QStringLiteral("the proxy failed while connecting to %1: %2").arg(host, result.errorText);
    default:
        return QStringLiteral("network error talking to %1: %2").arg(host, result.errorText);
    }
}

QString describeTlsError(const HttpExchangeResult &result, const QUrl &url)
{
    if (result.tlsErrors.isEmpty())
        return QStringLiteral("TLS handshake with %1 failed: %2").arg(hostForMessages(url), result.errorText);
    QStringList reasons;
    for (const QSslError &error : result.tlsErrors) {
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
    , m_policy(RetryPolicy::fromSettings(m_connection.retry))
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    m_clock.start();
    // The TLS backend and the system CA store load on the first https call, or on the first call
    // when a CA bundle is configured (its error must reach plain http calls too): loading them
    // costs ~40 ms and is wasted on http endpoints such as a local emulator.
}

void AwsClient::ensureTlsConfiguration(bool https)
{
    // Every call: a bundle that cannot be read is an error even for http, so a typo shows at once.
    if (!m_caBundleChecked && !m_connection.caBundle.isEmpty()) {
        m_caBundleChecked = true;
        const QFileInfo info(m_connection.caBundle);
        if (!info.isFile() || !info.isReadable()) {
            m_caBundleError = makeError(AwsError::Kind::Configuration, QStringLiteral("InvalidCaBundle"),
                QStringLiteral("cannot read the CA bundle %1 (AWS_CA_BUNDLE or the "
                               "profile's ca_bundle): %2")
                    .arg(m_connection.caBundle,
                        info.exists() ? QStringLiteral("not a readable file") : QStringLiteral("no such file")));
        }
    }
    if (!https || m_sslConfiguration || m_caBundleError.isError())
        return;
    // https only: parsing a system-sized bundle costs ~100 ms, wasted on an http endpoint.
    QList<QSslCertificate> bundle;
    if (!m_connection.caBundle.isEmpty()) {
        bundle = QSslCertificate::fromPath(m_connection.caBundle, QSsl::Pem);
        if (bundle.isEmpty()) {
            m_caBundleError = makeError(AwsError::Kind::Configuration, QStringLiteral("InvalidCaBundle"),
                QStringLiteral("the CA bundle %1 (AWS_CA_BUNDLE or the profile's "
                               "ca_bundle) holds no PEM certificate")
                    .arg(m_connection.caBundle));
            return;
        }
    }
    m_sslConfiguration = QSslSocket::supportsSsl() ? QSslConfiguration::defaultConfiguration() : QSslConfiguration();
    if (!bundle.isEmpty())
        m_sslConfiguration->addCaCertificates(bundle);
}

AwsClient::~AwsClient()
{
    // Calls are children; end them before the engines go, silently.
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

int AwsClient::retryQuotaAvailable(const QString &signingName) const
{
    const auto quota = m_quotas.find(signingName);
    return quota == m_quotas.end() ? RetryQuota::InitialCapacity : quota->second.available();
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

    const ResolvedEndpoint &resolved = resolvedEndpoint(kind);
    const Result<QUrl> &endpoint = resolved.url;
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
    if (!prefix.isEmpty() && m_connection.injectHostPrefix && resolved.custom
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
    call->target = target;

    const Result<std::optional<ProxyServer>> proxy = m_connection.proxies.proxyFor(call->url);
    if (!proxy)
        return failLater(proxy.error());
    if (const std::optional<ProxyServer> &server = proxy.value()) {
        // CONNECT for https, absolute-form requests for http.
        call->proxy
            = QNetworkProxy(QNetworkProxy::HttpProxy, server->host, server->port, server->user, server->password);
        call->proxyDescription = server->description();
    }

    // Started here rather than from the event loop: a caller that asks for the next page
    // before working on the current one (the CLI does) gets the request out meanwhile.
    call->inSend = true;
    startAttempt(call);
    call->inSend = false;
    return call;
}

const AwsClient::ResolvedEndpoint &AwsClient::resolvedEndpoint(const ResourceKind &kind)
{
    // What Connection::endpointFor() reads of the kind.
    const QString &serviceId = kind.service.serviceId;
    const QString &endpointPrefix = kind.service.endpointPrefix;
    const QString &hostPrefix = kind.operation.hostPrefix;
    for (const ResolvedEndpoint &known : m_endpoints) {
        if (known.serviceId == serviceId && known.endpointPrefix == endpointPrefix && known.hostPrefix == hostPrefix)
            return known;
    }
    m_endpoints.push_back(
        {serviceId, endpointPrefix, hostPrefix, m_connection.endpointFor(kind), m_connection.hasCustomEndpoint(kind)});
    return m_endpoints.back();
}

void AwsClient::startAttempt(ClientCall *call)
{
    if (call->done)
        return;
    ++call->attempt;
    call->phase = ClientCall::Phase::Connecting;
    call->gotResponse = false;
    call->httpStatus = 0;
    call->responseHeaders.clear();

    AwsResponse failed;
    if (!m_connection.credentials) {
        --call->attempt; // nothing was sent
        failed.error = makeError(AwsError::Kind::Credentials, QStringLiteral("NoCredentials"),
            QStringLiteral("no credentials provider is configured for profile %1").arg(m_connection.profile));
        complete(call, failed);
        return;
    }
    std::optional<Result<Credentials>> ready = m_connection.credentials->credentialsIfReady();
    if (!ready) {
        // They have to be fetched (a credential_process may run for a minute): wait without
        // blocking the thread, and without the connect timeout running meanwhile.
        call->credentialsRequest = m_connection.credentials->fetchCredentials(call);
        connect(call->credentialsRequest, &CredentialsRequest::finished, call,
            [this, call](const Result<Credentials> &credentials) {
                call->credentialsRequest = nullptr;
                sendAttempt(call, credentials);
            });
        return;
    }
    sendAttempt(call, std::move(*ready));
}

void AwsClient::sendAttempt(ClientCall *call, Result<Credentials> credentials)
{
    if (!credentials) {
        --call->attempt;
        AwsResponse failed;
        failed.error = credentials.error();
        complete(call, failed);
        return;
    }
    call->credentials = std::move(credentials).value();

    // Signed afresh every attempt: X-Amz-Date must be current, credentials may have been refreshed.
    HttpRequestParts parts = call->request;
    SigV4Signer::sign(parts, call->credentials, call->scope, QDateTime::currentDateTimeUtc(), &m_signingKeys);

    HttpAttempt attempt;
    attempt.method = parts.method;
    attempt.url = call->url;
    attempt.target = call->target;
    attempt.headers.reserve(parts.headers.size() + 3);
    for (const auto &header : std::as_const(parts.headers)) {
        // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
        const QByteArray &name = header.first;
        const bool repeated = std::any_of(attempt.headers.cbegin(), attempt.headers.cend(),
            [&name](const auto &sent) { return sent.first.compare(name, Qt::CaseInsensitive) == 0; });
        if (!repeated)
            attempt.headers.append({name, parts.header(name)});
    }
    if (!parts.hasHeader("User-Agent"))
        attempt.headers.append({"User-Agent", userAgent()});
    // Added after signing, as botocore does: not part of the signature.
    attempt.headers.append({"amz-sdk-invocation-id", call->invocationId});
    attempt.headers.append({"amz-sdk-request",
        "attempt=" + QByteArray::number(call->attempt) + "; max=" + QByteArray::number(m_policy.maxAttempts())});
    attempt.body = std::move(parts.body);
    if (call->url.scheme() == QLatin1String("https"))
        attempt.tls = m_sslConfiguration;
    attempt.maxResponseBytes = m_maxResponseBytes;
    attempt.proxy = call->proxy;

    qCDebug(lcHttp) << "sending" << attempt.method << call->url.host() << call->request.path << "attempt"
                    << call->attempt;

    restartTimer(call->attemptTimer, m_connectTimeoutMs);
    call->exchange = engineFor(call).start(std::move(attempt), call);
}

void AwsClient::setHttpEngine(Engine engine)
{
    m_engineChoice = engine;
}

HttpEngine &AwsClient::engineFor(const ClientCall *call)
{
    // The direct engine connects directly only; proxied calls always go through QNAM.
    if (m_engineChoice == Engine::Direct && !call->proxy) {
        if (!m_directEngine)
            m_directEngine = std::make_unique<DirectHttpEngine>();
        return *m_directEngine;
    }
    if (!m_qnamEngine)
        m_qnamEngine = std::make_unique<QnamHttpEngine>();
    return *m_qnamEngine;
}

void AwsClient::handleAttemptTimeout(ClientCall *call)
{
    if (call->done)
        return;
    if (call->phase == ClientCall::Phase::Reading && m_readTimeoutMs > 0) {
        // Bytes arrived since the timer was armed: the read timeout counts from the last of them.
        const qint64 idleMs = m_clock.elapsed() - call->lastActivityMs;
        if (idleMs < m_readTimeoutMs) {
            call->attemptTimer.start(int(m_readTimeoutMs - idleMs));
            return;
        }
    }
    call->dropExchange();

    AwsResponse response;
    response.attempts = call->attempt;
    if (call->httpStatus > 0) {
        response.httpStatus = call->httpStatus;
        response.headers = call->responseHeaders;
        response.requestId = ErrorParser::requestId(response.headers);
    }
    const QUrl &url = call->url;
    AttemptFailure failure;
    failure.transport = AttemptFailure::Transport::Timeout;
    QString message;
    if (call->phase == ClientCall::Phase::Connecting) {
        message = QStringLiteral("could not connect to %1 within %2 (connect timeout)")
                      .arg(hostForMessages(url), secondsText(m_connectTimeoutMs));
    } else if (call->gotResponse) {
        message = QStringLiteral("%1 stopped sending the response for %2 (read timeout)")
                      .arg(hostForMessages(url), secondsText(m_readTimeoutMs));
    } else {
        message = QStringLiteral("no response from %1 within %2 (read timeout)")
                      .arg(hostForMessages(url), secondsText(m_readTimeoutMs));
    }
    response.error = makeError(AwsError::Kind::Network, QString(), message);
    response.error.httpStatus = response.httpStatus;
    handleAttemptFailure(call, response, failure);
}

void AwsClient::handleExchangeFinished(ClientCall *call, HttpExchangeResult &result)
{
    call->attemptTimer.stop();
    if (call->done)
        return;

    AwsResponse response;
    response.attempts = call->attempt;
    const QUrl &url = call->url;
    if (result.status > 0) {
        response.httpStatus = result.status;
        response.headers = std::move(result.headers);
        response.requestId = ErrorParser::requestId(response.headers);
    }

    if (call->proxy
        && (result.outcome == HttpOutcome::ConnectionRefused || result.outcome == HttpOutcome::HostNotFound)) {
        // Through a proxy, only the proxy can refuse or be missing (it answers for the endpoint).
        if (result.errorText.isEmpty()) {
            result.errorText = result.outcome == HttpOutcome::ConnectionRefused ? QStringLiteral("connection refused")
                                                                                : QStringLiteral("host not found");
        }
        result.outcome = HttpOutcome::ProxyFailure;
    }
    switch (result.outcome) {
    case HttpOutcome::Complete:
        break;
    case HttpOutcome::TooLarge:
        response.error = makeError(AwsError::Kind::Decode, QStringLiteral("ResponseTooLarge"),
            QStringLiteral("the response from %1 is larger than the %2 MiB limit")
                .arg(hostForMessages(url))
                .arg(m_maxResponseBytes / (1024.0 * 1024.0), 0, 'g', 4));
        complete(call, response);
        return;
    case HttpOutcome::TlsFailure:
        // A certificate does not start being trusted on the next attempt: no retry.
        response.error = makeError(AwsError::Kind::Tls, QString(), describeTlsError(result, url));
        complete(call, response);
        return;
    default: {
        AttemptFailure failure;
        failure.transport = AttemptFailure::Transport::ConnectionError;
        response.error = makeError(AwsError::Kind::Network, QString(),
            describeNetworkError(result, url, call->injectedHostPrefix, call->proxyDescription));
        response.error.httpStatus = response.httpStatus;
        response.error.requestId = response.requestId;
        handleAttemptFailure(call, response, failure);
        return;
    }
    }

    response.body = std::move(result.body);
    qCDebug(lcHttp) << "received" << response.httpStatus << call->request.method << url.host() << call->request.path
                    << "request id" << response.requestId << "attempt" << call->attempt;

    if (response.httpStatus >= 200 && response.httpStatus < 300) {
        if (m_policy.mode() == RetryPolicy::Mode::Standard)
            m_quotas[call->scope.service].releaseAfterSuccess(call->lastRetryCost);
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
            cost = m_quotas[call->scope.service].acquire(failure.transport);
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
