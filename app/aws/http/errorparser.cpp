#include "errorparser.h"

#include "core/credentials.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace pagewise
{

namespace
{

// Messages are shown in one line of the window; a proxy's HTML page must not fill it.
constexpr qsizetype MaxMessageLength = 1000;

QString truncated(QString text)
{
    if (text.size() > MaxMessageLength) {
        text.truncate(MaxMessageLength);
        text += QStringLiteral("…");
    }
    return text;
}

// botocore's _parse_body_as_json: an empty body is {}, a body that is not JSON becomes the message.
QJsonObject bodyAsJson(const QByteArray &body)
{
    if (body.isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QJsonObject {{QStringLiteral("message"), truncated(QString::fromUtf8(body))}};
    return document.object();
}

QString stringMember(const QJsonObject &object, const QString &name)
{
    const QJsonValue value = object.value(name);
    return value.isString() ? value.toString() : QString();
}

bool isGenericServerError(int httpStatus, const QByteArray &body)
{
    if (httpStatus < 500)
        return false;
    const QByteArray trimmed = body.trimmed();
    return trimmed.isEmpty() || trimmed.startsWith("<html>");
}

QString redacted(QString text, const Credentials &credentials)
{
    // Short values could match ordinary words; real secrets and tokens are long.
    for (const QString &secret : {credentials.secretAccessKey, credentials.sessionToken}) {
        if (secret.size() >= 8)
            text.replace(secret, QStringLiteral("****"));
    }
    return text;
}

} // namespace

QString ErrorParser::cleanCode(const QString &raw)
{
    QString code = raw;
    const qsizetype colon = code.indexOf(QLatin1Char(':'));
    if (colon >= 0)
        code.truncate(colon);
    const qsizetype hash = code.lastIndexOf(QLatin1Char('#'));
    if (hash >= 0)
        code = code.mid(hash + 1);
    return code;
}

QByteArray ErrorParser::headerValue(const HttpHeaders &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool ErrorParser::hasHeader(const HttpHeaders &headers, const QByteArray &name)
{
    return std::any_of(headers.begin(), headers.end(),
        [&name](const auto &header) { return header.first.compare(name, Qt::CaseInsensitive) == 0; });
}

QString ErrorParser::requestId(const HttpHeaders &headers)
{
    QByteArray id = headerValue(headers, "x-amzn-RequestId");
    if (id.isEmpty())
        id = headerValue(headers, "x-amz-request-id");
    return QString::fromLatin1(id.trimmed());
}

std::optional<double> ErrorParser::retryAfterSeconds(const HttpHeaders &headers)
{
    bool ok = false;
    const double seconds = headerValue(headers, "Retry-After").trimmed().toDouble(&ok);
    if (!ok || seconds < 0 || !std::isfinite(seconds))
        return std::nullopt;
    return seconds;
}

QString ErrorParser::reasonPhrase(int httpStatus)
{
    // Python's http.client.responses, which botocore uses for generic errors.
    switch (httpStatus) {
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 408:
        return QStringLiteral("Request Timeout");
    case 413:
        return QStringLiteral("Request Entity Too Large");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 501:
        return QStringLiteral("Not Implemented");
    case 502:
        return QStringLiteral("Bad Gateway");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    case 505:
        return QStringLiteral("HTTP Version Not Supported");
    case 506:
        return QStringLiteral("Variant Also Negotiates");
    case 507:
        return QStringLiteral("Insufficient Storage");
    case 508:
        return QStringLiteral("Loop Detected");
    case 510:
        return QStringLiteral("Not Extended");
    case 511:
        return QStringLiteral("Network Authentication Required");
    default:
        return {};
    }
}

AwsError ErrorParser::parse(
    ServiceSpec::Protocol protocol, int httpStatus, const HttpHeaders &headers, const QByteArray &body)
{
    AwsError error;
    error.kind = AwsError::Kind::Service;
    error.httpStatus = httpStatus;
    error.requestId = requestId(headers);
    if (const auto retryAfter = retryAfterSeconds(headers))
        error.details.insert(QStringLiteral("retryAfterSeconds"), *retryAfter);

    if (isGenericServerError(httpStatus, body)) {
        error.code = QString::number(httpStatus);
        error.message = reasonPhrase(httpStatus);
        return error;
    }

    const QJsonObject json = bodyAsJson(body);
    const QString messageKey
        = json.contains(QLatin1String("message")) ? QStringLiteral("message") : QStringLiteral("Message");
    error.message = stringMember(json, messageKey);

    QString code = stringMember(json, QStringLiteral("__type"));
    if (code.isEmpty())
        code = QString::number(httpStatus);
    if (protocol == ServiceSpec::Protocol::RestJson) {
        if (hasHeader(headers, "x-amzn-ErrorType")) {
            code = QString::fromUtf8(headerValue(headers, "x-amzn-ErrorType").trimmed());
        } else if (json.contains(QLatin1String("code")) || json.contains(QLatin1String("Code"))) {
            code = stringMember(
                json, json.contains(QLatin1String("code")) ? QStringLiteral("code") : QStringLiteral("Code"));
        }
    }
    error.code = cleanCode(code);

    for (auto it = json.begin(); it != json.end(); ++it) {
        static const QStringList generic = {QStringLiteral("__type"), QStringLiteral("message"),
            QStringLiteral("Message"), QStringLiteral("code"), QStringLiteral("Code")};
        if (!generic.contains(it.key()))
            error.details.insert(it.key(), it.value());
    }
    return error;
}

void ErrorParser::explainCredentialErrors(AwsError &error, const Credentials &credentials, const QString &profile)
{
    if (error.kind != AwsError::Kind::Service)
        return;
    const QString &code = error.code;
    const QString source = credentials.source.isEmpty() ? QStringLiteral("unknown") : credentials.source;
    const QString profileText = profile.isEmpty() ? QStringLiteral("in use") : profile;
    QString hint;
    if (code == QLatin1String("InvalidSignatureException") || code == QLatin1String("SignatureDoesNotMatch")) {
        if (error.message.contains(QLatin1String("Signature expired"), Qt::CaseInsensitive)) {
            hint = QStringLiteral("the request's time is too far from the service's clock; "
                                  "set this computer's clock right (sync it with NTP)");
        } else {
            hint = QStringLiteral("the secret access key does not match the access key ID %1 (source: %2); "
                                  "check the credentials of profile %3")
                       .arg(credentials.maskedAccessKeyId(), source, profileText);
        }
    } else if (code == QLatin1String("UnrecognizedClientException") || code == QLatin1String("InvalidClientTokenId")) {
        hint = QStringLiteral("the access key ID %1 is not known to the service (source: %2); "
                              "check the credentials of profile %3 and that the key is still active")
                   .arg(credentials.maskedAccessKeyId(), source, profileText);
    } else if (code == QLatin1String("ExpiredToken") || code == QLatin1String("ExpiredTokenException")) {
        hint = QStringLiteral("session token expired (source: %1): refresh the credentials of profile %2, "
                              "e.g. aws sso login / rerun credential_process")
                   .arg(source, profileText);
    } else if (code == QLatin1String("RequestExpired")) {
        hint = QStringLiteral("request expired: the session token is stale or this computer's clock is off "
                              "(source: %1); refresh the credentials of profile %2, e.g. aws sso login / rerun "
                              "credential_process, and check the clock")
                   .arg(source, profileText);
    } else {
        return;
    }
    error.message = error.message.isEmpty() ? hint : hint + QStringLiteral(". The service said: ") + error.message;
}

void ErrorParser::redactSecrets(AwsError &error, const Credentials &credentials)
{
    error.message = redacted(error.message, credentials);
    if (!error.details.isEmpty()) {
        const QString json = QString::fromUtf8(QJsonDocument(error.details).toJson(QJsonDocument::Compact));
        const QString clean = redacted(json, credentials);
        if (clean != json)
            error.details = QJsonDocument::fromJson(clean.toUtf8()).object();
    }
}

} // namespace pagewise
