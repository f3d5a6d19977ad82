#pragma once

#include "core/awserror.h"
#include "kinds/resourcekind.h"

#include <QByteArray>
#include <QList>

#include <optional>
#include <utility>

namespace pagewise
{

struct Credentials;

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

/// Turns a non-2xx AWS response into an AwsError the way botocore's parsers do, so a code
/// means the same here as in `aws` CLI output.
class ErrorParser
{
public:
    /// Code and message as botocore chooses them for the protocol:
    ///  - awsJson: code from body `__type`, else the status; message from `message`, else `Message`.
    ///  - restJson: as awsJson, then the `x-amzn-ErrorType` header wins, else body `code`/`Code`.
    ///  - any protocol, status >= 500 with an empty or `<html>` body: code = the status,
    ///    message = the status's reason phrase.
    /// The code is cleaned (cleanCode); details hold the body's other members (reason,
    /// fieldList, resourceId, ...) and retryAfterSeconds from a Retry-After header.
    static AwsError parse(
        ServiceSpec::Protocol protocol, int httpStatus, const HttpHeaders &headers, const QByteArray &body);

    /// "ns#Name:http://..." -> "Name": cut at the first ':', then keep what follows the last '#'.
    static QString cleanCode(const QString &raw);

    /// First value of the header, name compared case-insensitively; empty when absent.
    static QByteArray headerValue(const HttpHeaders &headers, const QByteArray &name);
    static bool hasHeader(const HttpHeaders &headers, const QByteArray &name);
    /// x-amzn-RequestId (or x-amz-request-id), any case.
    static QString requestId(const HttpHeaders &headers);
    /// Retry-After in seconds when it is a non-negative number; HTTP dates are not honoured.
    static std::optional<double> retryAfterSeconds(const HttpHeaders &headers);
    /// The standard reason phrase of a status ("Service Unavailable"), empty when unknown.
    static QString reasonPhrase(int httpStatus);

    /// For the codes that mean the credentials are wrong or stale, puts in front of the
    /// service's message what is wrong and how to fix it, naming where the credentials came
    /// from and the profile. Leaves other errors alone.
    static void explainCredentialErrors(AwsError &error, const Credentials &credentials, const QString &profile);
    /// Replaces any occurrence of the secret key or session token in the message and details
    /// (some services echo the canonical request, token included).
    static void redactSecrets(AwsError &error, const Credentials &credentials);
};

} // namespace pagewise
