#include "pagetokenrejection.h"

#include <QJsonArray>

namespace pagewise
{

QString pageTokenRejectedCode()
{
    return QStringLiteral("PageTokenRejected");
}

bool refusesPageToken(const AwsError &serviceError, const QString &inputToken)
{
    if (serviceError.kind != AwsError::Kind::Service)
        return false;
    if (serviceError.code == QLatin1String("InvalidNextTokenException"))
        return true;
    if (serviceError.code != QLatin1String("ValidationException"))
        return false;
    // The service accepted the same parameters without this token (or with an earlier one), so a
    // ValidationException is about the token, unless the service names other members at fault.
    const QJsonArray fields = serviceError.details.value(QLatin1String("fieldList")).toArray();
    if (fields.isEmpty())
        return true;
    for (const QJsonValue &field : fields) {
        const QString name = field.toObject().value(QLatin1String("name")).toString();
        if (name.compare(inputToken, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

AwsError pageTokenRejected(AwsError serviceError)
{
    AwsError error = std::move(serviceError);
    QString answer = error.code.isEmpty() ? AwsError::kindName(error.kind) : error.code;
    if (!error.message.isEmpty())
        answer += QStringLiteral(": ") + error.message;
    error.kind = AwsError::Kind::Pagination;
    error.code = pageTokenRejectedCode();
    error.message = QStringLiteral("The page token was rejected or has expired (service tokens last about 24 "
                                   "hours); the listing must start again from its first page. The service answered %1")
                        .arg(answer);
    return error;
}

bool isPageTokenRejected(const AwsError &error)
{
    return error.kind == AwsError::Kind::Pagination && error.code == pageTokenRejectedCode();
}

} // namespace pagewise
