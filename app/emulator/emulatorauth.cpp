#include "emulatorauth.h"

#include "aws/signing/sigv4signer.h"

#include <QCryptographicHash>

namespace pagewise
{

namespace
{

constexpr qint64 kMaxSkewSeconds = 15 * 60;

EmulatorAuthFailure failure(const char *code, const QString &message)
{
    return EmulatorAuthFailure {QByteArray(code), message};
}

} // namespace

std::optional<EmulatorAuthFailure> verifyEmulatorSignature(const EmulatorRequest &request, QByteArrayView signingName,
    const QString &accessKeyId, const QString &secretAccessKey, const QDateTime &now, QByteArray *signedWithKeyId)
{
    const QByteArray authorization = request.header("authorization");
    if (authorization.isEmpty())
        return failure("MissingAuthenticationTokenException", QStringLiteral("Missing Authentication Token"));
    QString whyNot;
    const auto auth = SigV4Signer::parseAuthorization(authorization, &whyNot);
    if (!auth) {
        return failure("IncompleteSignatureException",
            QStringLiteral("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
                           "parameters (AWS4-HMAC-SHA256): %1")
                .arg(whyNot));
    }
    if (signedWithKeyId)
        *signedWithKeyId = auth->accessKeyId.toUtf8();
    if (auth->accessKeyId != accessKeyId)
        return failure(
            "UnrecognizedClientException", QStringLiteral("The security token included in the request is invalid."));
    if (auth->scope.service.toUtf8() != signingName) {
        return failure("InvalidSignatureException",
            QStringLiteral("Credential should be scoped to correct service: '%1'.")
                .arg(QString::fromLatin1(signingName.toByteArray())));
    }
    if (!auth->signedHeaders.contains(QByteArrayLiteral("host"))
        || !auth->signedHeaders.contains(QByteArrayLiteral("x-amz-date"))) {
        return failure("InvalidSignatureException",
            QStringLiteral("The request signature must cover the 'host' and 'x-amz-date' headers."));
    }
    const QByteArray amzDateText = request.header("x-amz-date");
    const QDateTime amzDate = SigV4Signer::parseAmzDate(amzDateText);
    if (!amzDate.isValid()) {
        return failure("IncompleteSignatureException",
            QStringLiteral("X-Amz-Date must be an ISO-8601 basic date like 20240501T120000Z."));
    }
    if (auth->date != QString::fromLatin1(amzDateText.left(8))) {
        return failure("InvalidSignatureException",
            QStringLiteral("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                           "date from HTTP: '%1' != '%2', from '%3'.")
                .arg(auth->date, QString::fromLatin1(amzDateText.left(8)), QString::fromLatin1(amzDateText)));
    }
    const qint64 skew = amzDate.secsTo(now);
    if (skew > kMaxSkewSeconds || skew < -kMaxSkewSeconds) {
        const QByteArray nowText = SigV4Signer::amzDate(now);
        const QByteArray bound
            = SigV4Signer::amzDate(skew > 0 ? now.addSecs(-kMaxSkewSeconds) : now.addSecs(kMaxSkewSeconds));
        return failure("InvalidSignatureException",
            QStringLiteral("Signature expired: %1 is now %2 than %3 (%4 %5 15 min.)")
                .arg(QString::fromLatin1(amzDateText), skew > 0 ? QStringLiteral("earlier") : QStringLiteral("later"),
                    QString::fromLatin1(bound), QString::fromLatin1(nowText),
                    skew > 0 ? QStringLiteral("-") : QStringLiteral("+")));
    }

    // A client may state the body's hash; it must then be the hash of the body that arrived.
    const QByteArray statedHash = request.header("x-amz-content-sha256");
    if (!statedHash.isEmpty() && statedHash != "UNSIGNED-PAYLOAD"
        && statedHash != QCryptographicHash::hash(request.body, QCryptographicHash::Sha256).toHex()) {
        return failure("InvalidSignatureException",
            QStringLiteral("The provided 'x-amz-content-sha256' header does not match what was computed."));
    }

    HttpRequestParts received;
    received.method = request.method;
    received.path = request.path.isEmpty() ? QByteArray("/") : request.path;
    received.query = request.query;
    received.headers = request.headers;
    received.body = request.body;
    const QByteArray expected = SigV4Signer::expectedSignature(received, *auth, secretAccessKey, amzDate);
    if (!SigV4Signer::signaturesEqual(expected, auth->signature)) {
        return failure("InvalidSignatureException",
            QStringLiteral("The request signature we calculated does not match the signature you "
                           "provided. Check your AWS Secret Access Key and signing method. Consult the "
                           "service documentation for details."));
    }
    return std::nullopt;
}

} // namespace pagewise
