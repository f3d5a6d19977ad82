#include "awserror.h"

#include <QJsonArray>
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

namespace
{

// Fields a service echoes back stay on one line and short, whatever it sent.
constexpr qsizetype maxValueLength = 200;
constexpr qsizetype maxFields = 5;

QString shortText(const QJsonValue &value)
{
    QString raw;
    if (value.isString())
        raw = value.toString();
    else if (value.isDouble())
        raw = QString::number(value.toDouble());
    else if (value.isBool())
        raw = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    QString text;
    for (const QChar c : std::as_const(raw))
        text += c.isPrint() ? c : QLatin1Char(' ');
    text = text.simplified();
    if (text.size() > maxValueLength)
        text = text.left(maxValueLength) + QStringLiteral("…");
    return text;
}

QString member(const QJsonObject &details, const char *name)
{
    return shortText(details.value(QLatin1String(name)));
}

// Deadline's fieldList: [{"name": "maxResults", "message": "Member must ..."}]. A field the
// message already spells out is not repeated.
QStringList fieldTexts(const QJsonValue &fieldList, const QString &message)
{
    QStringList texts;
    int more = 0;
    for (const QJsonValue &field : fieldList.toArray()) {
        const QJsonObject object = field.toObject();
        const QString name = member(object, "name");
        const QString fieldMessage = member(object, "message");
        if (name.isEmpty() && fieldMessage.isEmpty())
            continue;
        if (!fieldMessage.isEmpty() && message.contains(fieldMessage) && message.contains(name))
            continue;
        if (texts.size() == maxFields) {
            ++more;
            continue;
        }
        texts << (name.isEmpty()         ? fieldMessage
                : fieldMessage.isEmpty() ? name
                                         : QStringLiteral("%1: %2").arg(name, fieldMessage));
    }
    if (more > 0)
        texts << QStringLiteral("%1 more").arg(more);
    return texts;
}

} // namespace

QString AwsError::detailsText() const
{
    if (details.isEmpty())
        return {};
    QStringList parts;
    const QString reason = member(details, "reason");
    if (!reason.isEmpty())
        parts << QStringLiteral("reason: %1").arg(reason);
    parts << fieldTexts(details.value(QLatin1String("fieldList")), message);

    QStringList resource;
    for (const char *name : {"resourceType", "resourceId"}) {
        if (const QString value = member(details, name); !value.isEmpty())
            resource << value;
    }
    if (!resource.isEmpty())
        parts << QStringLiteral("resource: %1").arg(resource.join(QLatin1Char(' ')));

    QStringList quota;
    if (const QString service = member(details, "serviceCode"); !service.isEmpty())
        quota << QStringLiteral("service code: %1").arg(service);
    if (const QString code = member(details, "quotaCode"); !code.isEmpty())
        quota << QStringLiteral("quota code: %1").arg(code);
    if (!quota.isEmpty())
        parts << quota.join(QStringLiteral(", "));

    const QJsonObject context = details.value(QLatin1String("context")).toObject();
    QStringList entries;
    for (auto it = context.begin(); it != context.end() && entries.size() < maxFields; ++it)
        entries << QStringLiteral("%1=%2").arg(shortText(it.key()), shortText(it.value()));
    if (!entries.isEmpty())
        parts << QStringLiteral("context: %1").arg(entries.join(QStringLiteral(", ")));
    return parts.join(QStringLiteral("; "));
}

QString AwsError::toString() const
{
    QString text = code.isEmpty() ? kindName(kind) : code;
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    if (const QString extra = detailsText(); !extra.isEmpty())
        text += QStringLiteral(" (") + extra + QLatin1Char(')');
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
