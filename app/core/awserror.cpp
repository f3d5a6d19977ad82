#include "awserror.h"

#include <QStringList>

namespace pagewise
{

QString AwsError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::Service:
        return QStringLiteral("service error");
    case Kind::Network:
        return QStringLiteral("network error");
    case Kind::Tls:
        return QStringLiteral("TLS error");
    case Kind::Decode:
        return QStringLiteral("malformed response");
    case Kind::Credentials:
        return QStringLiteral("credentials error");
    case Kind::Configuration:
        return QStringLiteral("configuration error");
    case Kind::Pagination:
        return QStringLiteral("pagination error");
    case Kind::InvalidInput:
        return QStringLiteral("invalid input");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

QString AwsError::toString() const
{
    QString text = code.isEmpty() ? kindName(kind) : code;
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    QStringList context;
    if (httpStatus > 0)
        context << QStringLiteral("HTTP %1").arg(httpStatus);
    if (!requestId.isEmpty())
        context << QStringLiteral("request id %1").arg(requestId);
    if (attempts > 1)
        context << QStringLiteral("%1 attempts").arg(attempts);
    if (page > 0)
        context << QStringLiteral("page %1").arg(page);
    if (!context.isEmpty())
        text += QStringLiteral(" (") + context.join(QStringLiteral(", ")) + QLatin1Char(')');
    return text;
}

} // namespace pagewise
