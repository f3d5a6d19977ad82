#pragma once

#include <QJsonObject>
#include <QString>

namespace pagewise
{

/// One error value for everything that can go wrong between a filter panel and a service:
/// what kind of failure, the AWS error code and message where the service sent one, and
/// enough context (status, request id, attempts, page) for a person to act on it.
/// Never carries a secret: messages are built from codes, names and paths only.
struct AwsError {
    enum class Kind {
        None,
        Service, ///< the service answered with an AWS error (code/message from the body or headers)
        Network, ///< connection refused, reset, dropped mid-response, DNS, timeouts
        Tls, ///< certificate or handshake failure
        Decode, ///< a 2xx response whose body is not what the model promises
        Credentials, ///< no credentials, unreadable profile, failing credential_process
        Configuration, ///< no region, bad endpoint URL, unknown profile
        Pagination, ///< repeated NextToken, endless empty pages, bad StartingToken
        InvalidInput, ///< a request parameter failed validation before anything was sent
        Cancelled, ///< the caller cancelled
    };

    Kind kind = Kind::None;
    QString code; ///< AWS error code, cleaned as botocore does ("ValidationException"), or our own
    QString message; ///< human-readable, says what was wrong and what is accepted / how to fix
    int httpStatus = 0; ///< 0 when no response arrived
    QString requestId; ///< x-amzn-RequestId of the failing response, if any
    int attempts = 0; ///< how many attempts were made (retries included)
    int page = 0; ///< 1-based page number of the listing that failed, 0 when not paging
    QString parameter; ///< for InvalidInput: the request parameter (or CLI argument) at fault
    QJsonObject details; ///< modeled error members (reason, fieldList, resourceId, ...)

    bool isError() const { return kind != Kind::None; }
    /// "ThrottlingException: Rate exceeded (service code: deadline, quota code: L-1234) (HTTP 429,
    /// request id …, 3 attempts, page 7)"; the details' parentheses only when detailsText() has any.
    QString toString() const;
    /// The modeled members of details a person can act on, in one line: "reason: X; NAME: MESSAGE"
    /// (Deadline's reason and fieldList), "resource: TYPE ID", "service code: S, quota code: Q",
    /// "context: K=V". Other members (retryAfterSeconds included) are left out. Empty when none.
    QString detailsText() const;
    static QString kindName(Kind kind);
};

} // namespace pagewise
