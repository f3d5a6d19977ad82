#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkProxy>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>
#include <QUrl>

#include <optional>
#include <utility>

namespace pagewise
{

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

/// One HTTP request, sent once: what an engine needs for a single attempt. Signing, retries,
/// timeouts and messages stay with AwsClient.
struct HttpAttempt {
    QByteArray method;
    QUrl url; ///< scheme, host and port to connect to (path and query are in target)
    QByteArray target; ///< request-target in origin form (path?query), the bytes that were signed
    HttpHeaders headers; ///< every header to send, Host included; engines add Content-Length only
    QByteArray body;
    /// For https: trusted CAs (the CA bundle included) and protocol settings.
    std::optional<QSslConfiguration> tls;
    /// A larger body ends the attempt with HttpOutcome::TooLarge, declared or not.
    qint64 maxResponseBytes = 0;
    /// Go through this HTTP proxy (CONNECT for https); none means a direct connection.
    std::optional<QNetworkProxy> proxy;
};

/// How one attempt ended, in terms of the transport rather than of any one HTTP library.
enum class HttpOutcome {
    Complete, ///< a whole response arrived (any status)
    ConnectionRefused,
    HostNotFound,
    DroppedMidResponse, ///< the connection closed after part of the response had arrived
    ClosedWithoutAnswer, ///< the connection closed before any byte of a response
    MalformedResponse, ///< the bytes that came back are not HTTP/1.x
    TlsFailure, ///< the handshake failed; tlsErrors lists the certificate problems, if any
    TooLarge, ///< the body is larger than maxResponseBytes
    TimedOut, ///< a timeout of the transport itself (AwsClient's own timeouts abort instead)
    NetworkUnavailable,
    ProxyFailure, ///< the proxy refused, was not found, wanted other credentials or failed
    Aborted, ///< ended by something other than HttpExchange::abort()
    OtherError, ///< errorText says what
};

struct HttpExchangeResult {
    HttpOutcome outcome = HttpOutcome::Complete;
    int status = 0; ///< 0 when no status line arrived
    HttpHeaders headers; ///< as received, when a status line arrived
    QByteArray body; ///< the whole body when outcome is Complete, else empty
    QList<QSslError> tlsErrors;
    QString errorText; ///< the transport's own words, for TlsFailure, ProxyFailure, Aborted and OtherError
};

/// Hears how one attempt goes. requestWritten() may come before HttpEngine::start() returns;
/// exchangeFinished() never does, and is the last call: the exchange no longer exists when it comes.
class HttpExchangeListener
{
public:
    /// The whole request was handed to the network (for the switch from connect to read timeout).
    virtual void requestWritten() = 0;
    /// A status line and headers arrived (exchangeFinished() repeats them).
    virtual void responseStarted(int status, const HttpHeaders &headers) = 0;
    /// More of the body arrived; bytes is the total so far.
    virtual void bodyReceived(qint64 bytes) = 0;
    virtual void exchangeFinished(HttpExchangeResult &result) = 0;

protected:
    ~HttpExchangeListener() = default;
};

/// One attempt in flight, owned by its engine.
class HttpExchange
{
public:
    virtual ~HttpExchange() = default;
    /// Stops the attempt and closes its connection; the listener hears nothing more and the
    /// exchange no longer exists afterwards. Not to be called from exchangeFinished().
    virtual void abort() = 0;
};

/// Performs single HTTP/1.1 attempts on the calling thread's event loop.
class HttpEngine
{
public:
    virtual ~HttpEngine() = default;
    virtual HttpExchange *start(HttpAttempt attempt, HttpExchangeListener *listener) = 0;
};

} // namespace pagewise
