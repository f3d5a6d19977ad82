#include "operationcodec.h"

#include "kinds/resourcekind.h"
#include "rawpage.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace pagewise
{

namespace
{

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
        || c == '_' || c == '~';
}

/// botocore sends int(calendar.timegm(value.timetuple())): whole seconds, rounded down.
qint64 epochSeconds(const QDateTime &time)
{
    const qint64 msecs = time.toMSecsSinceEpoch();
    return msecs >= 0 ? msecs / 1000 : -((-msecs + 999) / 1000);
}

QDateTime asDateTime(const QVariant &value)
{
    if (value.metaType().id() == QMetaType::QDateTime)
        return value.toDateTime();
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

/// A member's value as JSON: timestamps (by the filter's type or the value's) as epoch seconds.
QJsonValue bodyValue(const FilterSpec *filter, const QVariant &value)
{
    const bool timestamp
        = value.metaType().id() == QMetaType::QDateTime || (filter && filter->type == ValueType::Timestamp);
    if (timestamp) {
        const QDateTime time = asDateTime(value);
        if (time.isValid())
            return QJsonValue(epochSeconds(time));
    }
    switch (value.metaType().id()) {
    case QMetaType::QString:
        return value.toString();
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
        return QJsonValue(value.toLongLong());
    default:
        return QJsonValue::fromVariant(value);
    }
}

/// A member's value as text for a URI label or the query string (restJson: ISO-8601 timestamps).
QString textValue(const FilterSpec *filter, const QVariant &value)
{
    const bool timestamp
        = value.metaType().id() == QMetaType::QDateTime || (filter && filter->type == ValueType::Timestamp);
    if (timestamp) {
        const QDateTime time = asDateTime(value);
        if (time.isValid())
            return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
    }
    if (value.metaType().id() == QMetaType::Bool)
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.toString();
}

/// A JSON string literal in UTF-8 (RFC 8259: quote, backslash and control characters escaped).
void appendJsonString(QByteArray &out, QStringView text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text.toUtf8()) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '"' || byte == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("missing");
}

} // namespace

OperationCodec::OperationCodec(const ResourceKind &kind)
    : m_kind(kind)
{
    if (kind.service.protocol == ServiceSpec::Protocol::AwsJson) {
        m_target = (kind.service.targetPrefix + QLatin1Char('.') + kind.operation.name).toUtf8();
        m_contentType = "application/x-amz-json-" + kind.service.jsonVersion.toUtf8();
    } else {
        m_contentType = "application/json";
    }
    m_quotedOutputToken = '"' + kind.pagination.outputToken.toUtf8() + '"';
}

OperationCodec::~OperationCodec() = default;

QByteArray OperationCodec::percentEncode(const QString &value)
{
    static const char hex[] = "0123456789ABCDEF";
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() * 3);
    for (const char c : utf8) {
        if (isUnreserved(c)) {
            out.append(c);
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out.append('%');
            out.append(hex[byte >> 4]);
            out.append(hex[byte & 0xf]);
        }
    }
    return out;
}

bool OperationCodec::resultKeyRequired() const
{
    return m_kind.pagination.resultRequired;
}

HttpRequestParts OperationCodec::encode(
    const QVariantMap &parameters, const QString &serviceToken, std::optional<int> limit) const
{
    const PaginationSpec &pagination = m_kind.pagination;
    HttpRequestParts request;

    if (m_kind.service.protocol == ServiceSpec::Protocol::AwsJson) {
        // awsJson has no HTTP bindings: every member goes in the body, whatever the filter's location.
        if (!m_lastBody || m_lastBody->limit != limit || m_lastBody->parameters != parameters) {
            QJsonObject body;
            for (auto it = parameters.constBegin(); it != parameters.constEnd(); ++it)
                body.insert(it.key(), bodyValue(m_kind.filter(it.key()), it.value()));
            if (limit)
                body.insert(pagination.limitKey, *limit);
            m_lastBody = EncodedBody {parameters, limit, QJsonDocument(body).toJson(QJsonDocument::Compact)};
        }
        request.body = m_lastBody->json;
        if (!serviceToken.isEmpty()) {
            request.body.chop(1); // the closing brace
            if (request.body.size() > 1)
                request.body += ',';
            appendJsonString(request.body, pagination.inputToken);
            request.body += ':';
            appendJsonString(request.body, serviceToken);
            request.body += '}';
        }
        request.method = "POST";
        request.path = "/";
        request.setHeader("X-Amz-Target", m_target);
        request.setHeader("Content-Type", m_contentType);
        return request;
    }

    // restJson: URI labels, then query members in descriptor order, then the limit and the token.
    QString path = m_kind.operation.requestUri;
    QList<std::pair<QByteArray, QByteArray>> query;
    QJsonObject body;
    auto place = [&](const QString &name, const FilterSpec *filter, const QVariant &value) {
        const FilterSpec::Location location = filter ? filter->location : FilterSpec::Location::Query;
        switch (location) {
        case FilterSpec::Location::Uri: {
            const QString label = QLatin1Char('{') + name + QLatin1Char('}');
            const QString greedy = QLatin1Char('{') + name + QStringLiteral("+}");
            if (path.contains(greedy)) {
                QByteArray encoded = percentEncode(textValue(filter, value));
                encoded.replace("%2F", "/");
                path.replace(greedy, QString::fromLatin1(encoded));
            } else {
                path.replace(label, QString::fromLatin1(percentEncode(textValue(filter, value))));
            }
            break;
        }
        case FilterSpec::Location::Query:
            query.append({percentEncode(name), percentEncode(textValue(filter, value))});
            break;
        case FilterSpec::Location::Body:
            body.insert(name, bodyValue(filter, value));
            break;
        }
    };
    for (const FilterSpec &filter : m_kind.filters) {
        const auto it = parameters.constFind(filter.parameter);
        if (it != parameters.constEnd())
            place(filter.parameter, &filter, it.value());
    }
    for (auto it = parameters.constBegin(); it != parameters.constEnd(); ++it) {
        if (!m_kind.filter(it.key()))
            place(it.key(), nullptr, it.value());
    }
    if (limit)
        query.append({percentEncode(pagination.limitKey), QByteArray::number(*limit)});
    if (!serviceToken.isEmpty())
        query.append({percentEncode(pagination.inputToken), percentEncode(serviceToken)});

    request.method = m_kind.operation.method.toLatin1();
    request.path = path.toLatin1();
    for (const auto &[key, value] : std::as_const(query)) {
        if (!request.query.isEmpty())
            request.query.append('&');
        request.query += key + '=' + value;
    }
    if (!body.isEmpty()) {
        request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        request.setHeader("Content-Type", m_contentType);
    }
    return request;
}

Result<Page> OperationCodec::decode(const QByteArray &body, int pageNumber) const
{
    const PaginationSpec &pagination = m_kind.pagination;
    auto failure = [&](const QString &what) {
        AwsError error;
        error.kind = AwsError::Kind::Decode;
        error.code = QStringLiteral("MalformedResponse");
        error.page = pageNumber;
        const QString where = pageNumber > 0
            ? QStringLiteral("Page %1 of %2").arg(pageNumber).arg(m_kind.operation.name)
            : QStringLiteral("The %1 response").arg(m_kind.operation.name);
        error.message = where + QStringLiteral(" could not be read: ") + what;
        return error;
    };

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (body.trimmed().isEmpty())
            return failure(QStringLiteral("the body is empty, expected a JSON object"));
        return failure(QStringLiteral("the body is not valid JSON (%1 at byte %2)")
                           .arg(parseError.errorString())
                           .arg(parseError.offset));
    }
    if (!document.isObject())
        return failure(QStringLiteral("the body is a JSON %1, expected an object")
                           .arg(document.isArray() ? QStringLiteral("list") : QStringLiteral("value")));

    const QJsonObject object = document.object();
    Page page;
    page.number = pageNumber;
    page.bytes = body.size();

    const auto items = object.constFind(pagination.resultKey);
    if (items == object.constEnd() || items->isNull()) {
        if (resultKeyRequired())
            return failure(
                QStringLiteral("it has no \"%1\" list, which the service always sends").arg(pagination.resultKey));
    } else if (!items->isArray()) {
        return failure(QStringLiteral("\"%1\" is %2, expected a list").arg(pagination.resultKey, jsonTypeName(*items)));
    } else {
        page.items = items->toArray();
        qsizetype index = 0;
        for (const QJsonValue &item : std::as_const(page.items)) {
            if (!item.isObject())
                return failure(QStringLiteral("item %1 of \"%2\" is %3, expected an object")
                                   .arg(index + 1)
                                   .arg(pagination.resultKey, jsonTypeName(item)));
            ++index;
        }
    }

    const auto token = object.constFind(pagination.outputToken);
    if (token != object.constEnd() && !token->isNull()) {
        if (!token->isString())
            return failure(
                QStringLiteral("\"%1\" is %2, expected a string").arg(pagination.outputToken, jsonTypeName(*token)));
        page.nextToken = token->toString();
    }
    return page;
}

Result<Page> OperationCodec::decodeRaw(const QByteArray &body, int pageNumber) const
{
    const PaginationSpec &pagination = m_kind.pagination;
    if (!m_rawParser)
        m_rawParser
            = std::make_unique<RawPageParser>(pagination.resultKey, pagination.outputToken, resultKeyRequired());
    std::optional<RawPageParser::Parsed> parsed = m_rawParser->parse(body);
    if (!parsed)
        return decode(body, pageNumber); // Qt's parser decides, errors included
    Page page;
    page.number = pageNumber;
    page.bytes = body.size();
    page.raw.count = parsed->page->size();
    page.raw.page = std::move(parsed->page);
    page.nextToken = std::move(parsed->nextToken);
    return page;
}

std::optional<QString> OperationCodec::peekNextToken(const QByteArray &body) const
{
    // From the end: the token follows the items, so this reads a few bytes, not the page.
    const QByteArrayView text(body);
    const qsizetype at = text.lastIndexOf(m_quotedOutputToken);
    if (at < 0)
        return std::nullopt;
    qsizetype i = at + m_quotedOutputToken.size();
    const auto skipWhitespace = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
            ++i;
    };
    skipWhitespace();
    if (i >= text.size() || text[i] != ':')
        return std::nullopt;
    ++i;
    skipWhitespace();
    if (i >= text.size() || text[i] != '"')
        return std::nullopt;
    const qsizetype start = i + 1;
    const qsizetype end = text.indexOf('"', start);
    if (end <= start)
        return std::nullopt;
    const QByteArrayView value = text.sliced(start, end - start);
    if (value.contains('\\'))
        return std::nullopt; // escapes: left to the parser
    return QString::fromUtf8(value);
}

Result<Page> OperationCodec::decode(const QByteArray &body, int pageNumber, ItemDecoding decoding) const
{
    return decoding == ItemDecoding::Raw ? decodeRaw(body, pageNumber) : decode(body, pageNumber);
}

} // namespace pagewise
