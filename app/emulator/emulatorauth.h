#pragma once

#include "emulatorrequest.h"

#include <QDateTime>

#include <optional>

namespace pagewise
{

/// Why a request's SigV4 signature was refused: the AWS error code and a message in AWS's words.
struct EmulatorAuthFailure {
    QByteArray code; ///< MissingAuthenticationTokenException, IncompleteSignatureException,
                     ///< UnrecognizedClientException or InvalidSignatureException
    QString message;
};

/// Verifies a request's Authorization header as AWS does for the emulated services: the key id
/// must be the configured one, the scope's service must be signingName (any region), the
/// signed headers must include host and x-amz-date, X-Amz-Date must be within 15 minutes of
/// now and the signature must match. Returns nothing when the request is authentic.
std::optional<EmulatorAuthFailure> verifyEmulatorSignature(const EmulatorRequest &request, QByteArrayView signingName,
    const QString &accessKeyId, const QString &secretAccessKey, const QDateTime &now,
    QByteArray *signedWithKeyId = nullptr);

} // namespace pagewise
