#pragma once

#include "aws/config/connection.h"
#include "aws/http/httpengine.h"
#include "aws/http/retrypolicy.h"
#include "aws/signing/sigv4signer.h"
#include "core/awserror.h"

#include <QObject>
#include <QSslConfiguration>

#include <QElapsedTimer>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace pagewise
{

struct ResourceKind;
class ClientCall;
class DirectHttpEngine;
class QnamHttpEngine;

/// The outcome of one call (after retries): the final response or a typed error.
struct AwsResponse {
    int httpStatus = 0;
    QByteArray body;
    QString requestId; ///< x-amzn-RequestId
    QList<std::pair<QByteArray, QByteArray>> headers;
    int attempts = 0;
    AwsError error; ///< kind None on success (2xx)

    bool ok() const { return !error.isError(); }
};

/// One call in flight. Emits finished() exactly once unless cancelled; deletes itself later
/// (deleteLater) after finished, so connect and forget.
class AwsCall : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    /// Aborts the attempt in flight or the backoff wait; no finished() follows.
    virtual void cancel() = 0;

signals:
    void finished(const pagewise::AwsResponse &response);
    /// An attempt failed and another follows after delayMs (the policy's delay, before the
    /// client's backoff scale is applied). For status lines ("throttled, retrying in 2 s").
    void retryScheduled(int failedAttempt, int delayMs, const pagewise::AwsError &cause);
};

/// Sends signed requests to AWS (or an endpoint override) for one Connection: resolves the
/// endpoint and host prefix, signs with SigV4, applies connect/read timeouts and botocore's
/// `standard` retry mode (max attempts, rand*min(2^(n-1),20) s backoff, retry quota, at least
/// Retry-After when sent), trusts the CA bundle, goes through the connection's proxy when one
/// applies, and turns every failure into a typed AwsError with the AWS code and message
/// extracted as botocore does for the protocol. Each attempt is carried by an HttpEngine.
class AwsClient : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AwsClient)
public:
    static constexpr int DefaultConnectTimeoutMs = 10'000;
    static constexpr int DefaultReadTimeoutMs = 60'000;
    static constexpr qint64 DefaultMaxResponseBytes = 64 * 1024 * 1024;

    /// What carries the attempts. Qnam: QNetworkAccessManager (its own HTTP thread). Direct: a
    /// lean HTTP/1.1 client on this thread's event loop (DirectHttpEngine), several times
    /// cheaper per request. Calls that go through a proxy always use Qnam.
    enum class Engine { Qnam, Direct };

    explicit AwsClient(Connection connection, QObject *parent = nullptr);
    ~AwsClient() override;

    /// request.method/path/query/body and operation headers (Content-Type, X-Amz-Target) are
    /// set by the caller; path is relative to the endpoint (the endpoint's own path is
    /// prepended). Host, X-Amz-Date, security token and Authorization are added here.
    AwsCall *send(const ResourceKind &kind, const HttpRequestParts &request);

    const Connection &connection() const;
    /// Defaults: 10 s connect (botocore waits 60 s; a desktop user learns sooner that a host
    /// is unreachable, and the attempt is retried), 60 s read (botocore's); 0 or less turns a
    /// timeout off. The
    /// connect timeout runs until the request is written, the read timeout restarts on every
    /// chunk of the response. A timeout counts as a transient error and is retried. Neither
    /// runs while credentials are fetched (a credential_process has its own time limit).
    void setTimeouts(int connectMs, int readMs);
    /// For tests: scales every backoff delay (0 = retry at once). Default 1.0.
    void setBackoffScale(double scale);
    /// For tests: the jitter source of the backoff, returning [0, 1). Default: uniform random.
    void setRandomSource(RetryPolicy::RandomSource random);
    /// Bodies larger than this fail with a Decode error instead of being buffered.
    void setMaxResponseBytes(qint64 bytes);
    /// What is left of the retry quota of one service's calls (standard mode), by signing name.
    /// botocore keeps a quota per client, and a client serves one service: a struggling
    /// service uses up its own retries, not those of the others.
    int retryQuotaAvailable(const QString &signingName) const;
    /// Default Qnam. Applies to attempts started afterwards. With Direct the first attempt's
    /// request is written inside send() when a kept-alive connection is free.
    void setHttpEngine(Engine engine);
    Engine httpEngine() const { return m_engineChoice; }

private:
    friend class ClientCall;

    /// Checks the CA bundle (once) and, for https, builds the TLS configuration (once).
    void ensureTlsConfiguration(bool https);
    struct ResolvedEndpoint {
        QString serviceId;
        QString endpointPrefix;
        QString hostPrefix;
        Result<QUrl> url;
        bool custom = false;
    };
    /// Connection::endpointFor() parses URLs every time, and its answer never changes for one
    /// client: it is kept per service and host prefix.
    const ResolvedEndpoint &resolvedEndpoint(const ResourceKind &kind);
    /// Gets the credentials, then sendAttempt(); waits for them without blocking when they
    /// have to be fetched.
    void startAttempt(ClientCall *call);
    void sendAttempt(ClientCall *call, Result<Credentials> credentials);
    HttpEngine &engineFor(const ClientCall *call);
    void handleAttemptTimeout(ClientCall *call);
    void handleExchangeFinished(ClientCall *call, HttpExchangeResult &result);
    void handleAttemptFailure(ClientCall *call, AwsResponse response, const AttemptFailure &failure);
    void complete(ClientCall *call, AwsResponse response);

    Connection m_connection;
    Engine m_engineChoice = Engine::Qnam;
    std::unique_ptr<QnamHttpEngine> m_qnamEngine; ///< made on first use, as m_directEngine
    std::unique_ptr<DirectHttpEngine> m_directEngine;
    QElapsedTimer m_clock; ///< read timeouts count from the last byte received
    std::vector<ResolvedEndpoint> m_endpoints;
    RetryPolicy m_policy;
    std::map<QString, RetryQuota> m_quotas; ///< by signing name
    /// Four HMACs a request saved: the key changes only with the secret, day, region and service.
    SigV4SigningKeyCache m_signingKeys;
    RetryPolicy::RandomSource m_random;
    /// Built on the first https call: even a default-constructed QSslConfiguration loads the TLS backend.
    std::optional<QSslConfiguration> m_sslConfiguration;
    AwsError m_caBundleError; ///< set when the CA bundle cannot be used; every call fails with it
    bool m_caBundleChecked = false;
    int m_connectTimeoutMs = DefaultConnectTimeoutMs;
    int m_readTimeoutMs = DefaultReadTimeoutMs;
    double m_backoffScale = 1.0;
    qint64 m_maxResponseBytes = DefaultMaxResponseBytes;
};

} // namespace pagewise
