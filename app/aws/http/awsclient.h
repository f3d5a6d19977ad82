#pragma once

#include "aws/config/connection.h"
#include "aws/signing/sigv4signer.h"
#include "core/awserror.h"

#include <QObject>

class QNetworkAccessManager;

namespace pagewise {

struct ResourceKind;

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
class AwsCall : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    /// Aborts the attempt in flight or the backoff wait; no finished() follows.
    virtual void cancel() = 0;

signals:
    void finished(const pagewise::AwsResponse &response);
};

/// Sends signed requests to AWS (or an endpoint override) for one Connection: resolves the
/// endpoint and host prefix, signs with SigV4, applies connect/read timeouts and botocore's
/// `standard` retry mode (max attempts, rand*min(2^(n-1),20) s backoff, retry quota, at least
/// Retry-After when sent), trusts the CA bundle, and turns every failure into a typed AwsError
/// with the AWS code and message extracted as botocore does for the protocol.
class AwsClient : public QObject {
    Q_OBJECT
public:
    explicit AwsClient(Connection connection, QObject *parent = nullptr);
    ~AwsClient() override;

    /// request.method/path/query/body and operation headers (Content-Type, X-Amz-Target) are
    /// set by the caller; path is relative to the endpoint (the endpoint's own path is
    /// prepended). Host, X-Amz-Date, security token and Authorization are added here.
    AwsCall *send(const ResourceKind &kind, const HttpRequestParts &request);

    const Connection &connection() const;
    void setTimeouts(int connectMs, int readMs); ///< defaults: 10 s connect, 60 s read (botocore's)
    /// For tests: scales every backoff delay (0 = retry at once). Default 1.0.
    void setBackoffScale(double scale);

private:
    class Private;
    Private *d;
};

} // namespace pagewise
