#include "emulatorservice.h"

#include "emulatorauth.h"
#include "kinds/resourcekind.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pagewise
{

namespace
{

constexpr QByteArrayView kAwsJsonContentType = "application/x-amz-json-1.1";
constexpr QByteArrayView kRestJsonContentType = "application/json";
constexpr QByteArrayView kDecoratedValidation
    = "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/";
// A filtered scan stops after this many candidates and hands back a token (as AWS does with
// sparse filters), so that one request never walks a whole index.
constexpr qint64 kScanBudget = 20000;
// Filtered image listings return an empty page that still carries a token about once in this many.
constexpr quint64 kEmptyPageRate = 40;
constexpr int kMaxNextTokenImages = 8192, kMaxNextTokenDatasets = 1500, kMaxNextTokenSessions = 4096;

enum ImageSort { ByCreation = 0, ByModification = 1, ByName = 2 };

const ResourceKind &kind(const char *id)
{
    const ResourceKind *found = findResourceKind(QLatin1String(id));
    Q_ASSERT(found);
    return *found;
}

const FilterSpec &filter(const ResourceKind &kind, const char *parameter)
{
    const FilterSpec *found = kind.filter(QLatin1String(parameter));
    Q_ASSERT(found);
    return *found;
}

// How Coral names a JSON token that cannot become the member's type.
QString jsonTokenName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("TRUE_VALUE") : QStringLiteral("FALSE_VALUE");
    case QJsonValue::Double:
        return QStringLiteral("NUMBER_VALUE");
    case QJsonValue::String:
        return QStringLiteral("STRING_VALUE");
    case QJsonValue::Array:
        return QStringLiteral("START_ARRAY");
    case QJsonValue::Object:
        return QStringLiteral("START_OBJECT");
    default:
        return QStringLiteral("VALUE_NULL");
    }
}

struct TypeError {
    QString message;
};

// A member of an awsJson input as the model's type. Absent and null are the same (nullopt); a
// JSON token that cannot become the type is nullopt too, and *error names the first such member
// the way Coral does.
template<typename T, typename Convert>
std::optional<T> typedMember(
    const QJsonObject &input, const char *name, const char *typeName, std::optional<TypeError> *error, Convert convert)
{
    const QJsonValue value = input.value(QLatin1String(name));
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    const std::optional<T> converted = convert(value);
    if (!converted && !*error)
        *error
            = TypeError {jsonTokenName(value) + QStringLiteral(" can not be converted to ") + QLatin1String(typeName)};
    return converted;
}

std::optional<QString> stringMember(const QJsonObject &input, const char *name, std::optional<TypeError> *error)
{
    return typedMember<QString>(input, name, "a String", error, [](const QJsonValue &value) -> std::optional<QString> {
        if (!value.isString())
            return std::nullopt;
        return value.toString();
    });
}

std::optional<qint64> integerMember(const QJsonObject &input, const char *name, std::optional<TypeError> *error)
{
    return typedMember<qint64>(input, name, "an Integer", error, [](const QJsonValue &value) -> std::optional<qint64> {
        const double number = value.toDouble();
        if (!value.isDouble() || number != std::floor(number) || std::fabs(number) > 2147483647.0)
            return std::nullopt;
        return qint64(number);
    });
}

std::optional<qint64> timestampMember(const QJsonObject &input, const char *name, std::optional<TypeError> *error)
{
    return typedMember<qint64>(input, name, "a Timestamp", error, [](const QJsonValue &value) -> std::optional<qint64> {
        if (!value.isDouble())
            return std::nullopt;
        const double seconds = std::clamp(value.toDouble(), -1e13, 1e13);
        return qint64(std::llround(seconds * 1000.0));
    });
}

QString quoted(const QString &value)
{
    return QLatin1Char('\'') + value + QLatin1Char('\'');
}

QString violationText(const QByteArray &member, const QString &value, const QString &constraint)
{
    return QStringLiteral("Value %1 at '%2' failed to satisfy constraint: %3")
        .arg(quoted(value), QString::fromLatin1(member), constraint);
}

QString maxLengthConstraint(qsizetype maxLength)
{
    return QStringLiteral("Member must have length less than or equal to %1").arg(maxLength);
}

QString patternConstraint(const QString &pattern)
{
    return QStringLiteral("Member must satisfy regular expression pattern: ") + pattern;
}

QString validationMessage(const QStringList &parts)
{
    return QStringLiteral("%1 validation error%2 detected: %3")
        .arg(parts.size())
        .arg(parts.size() == 1 ? QString() : QStringLiteral("s"))
        .arg(parts.join(QStringLiteral("; ")));
}

bool isAscii(const QString &text)
{
    for (QChar c : text) {
        if (c.unicode() > 0x7f)
            return false;
    }
    return true;
}

// restJson error members: just the message.
QByteArray messageMembers(QByteArrayView message)
{
    QByteArray members;
    EmulatorJsonWriter json(members);
    json.key("message", true);
    json.string(message);
    json.finish();
    return members;
}

// restJson members of a ValidationException: the message, why, and the fields at fault.
QByteArray fieldValidationMembers(QByteArrayView message, QByteArrayView reason, QByteArrayView fieldList)
{
    QByteArray members;
    EmulatorJsonWriter json(members);
    json.key("message", true);
    json.string(message);
    json.key("reason", false);
    json.string(reason);
    json.key("fieldList", false);
    json.raw(fieldList);
    json.finish();
    return members;
}

// Which items [begin, end) of a listing of `count` a page from `offset` holds.
std::pair<qint64, qint64> pageSlice(quint64 offset, qint64 count, int limit)
{
    const qint64 begin = qint64(std::min<quint64>(offset, quint64(count)));
    return {begin, std::min<qint64>(count, begin + limit)};
}

// A member that only some resources have (id 0: this one has none).
inline void optionalString(EmulatorJsonWriter &json, QByteArrayView member, const EmulatorStringPool &pool, quint32 id)
{
    if (!id)
        return;
    json.key(member, false);
    json.string(pool.view(id));
}

// Ends a listing's body: the items array, the next page's token when there is one, the object.
void closeListing(EmulatorJsonWriter &json, QByteArrayView tokenMember, const QByteArray &nextToken)
{
    json.raw(']');
    if (!nextToken.isEmpty()) {
        json.key(tokenMember, false);
        json.raw('"');
        json.raw(nextToken);
        json.raw('"');
    }
    json.raw('}');
    json.finish();
}

QList<std::pair<QByteArray, QByteArray>> parseQuery(const QByteArray &query)
{
    QList<std::pair<QByteArray, QByteArray>> out;
    if (query.isEmpty())
        return out;
    for (const QByteArray &part : query.split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        const QByteArray key = eq < 0 ? part : part.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : part.mid(eq + 1);
        out.append({QByteArray::fromPercentEncoding(key), QByteArray::fromPercentEncoding(value)});
    }
    return out;
}

} // namespace

// What is wrong with a request's members, in the order found, worded as Coral words it.
class EmulatorService::Violations
{
public:
    struct Violation {
        QByteArray member; ///< as AWS names it in messages (lower camel case)
        QString value; ///< as the message quotes it
        QString constraint;
    };

    void add(QByteArrayView member, const QString &value, const QString &constraint)
    {
        m_list.append({member.toByteArray(), value, constraint});
    }
    void checkString(const StringRule &rule, const QString &value)
    {
        if (value.size() > rule.maxLength)
            add(rule.member, value, maxLengthConstraint(rule.maxLength));
        if (!rule.pattern.match(value).hasMatch())
            add(rule.member, value, patternConstraint(rule.patternText));
    }
    void checkEnum(QByteArrayView member, const QString &value, const QStringList &values)
    {
        if (!values.contains(value))
            add(member, value,
                QStringLiteral("Member must satisfy enum value set: [%1]").arg(values.join(QStringLiteral(", "))));
    }
    /// A maxResults outside [1, maxPageSize].
    void checkPageSize(qint64 maxResults, int maxPageSize)
    {
        if (maxResults < 1)
            add("maxResults", QString::number(maxResults),
                QStringLiteral("Member must have value greater than or equal to 1"));
        if (maxResults > maxPageSize)
            add("maxResults", QString::number(maxResults),
                QStringLiteral("Member must have value less than or equal to %1").arg(maxPageSize));
    }
    bool isEmpty() const { return m_list.isEmpty(); }
    const QList<Violation> &list() const { return m_list; }

private:
    QList<Violation> m_list;
};

struct EmulatorService::Context {
    EmulatorOperation operation = EmulatorOperation::Unknown;
    bool restJson = false;
    quint64 requestNumber = 0;
    EmulatorRequestLogEntry *log = nullptr;
};

EmulatorService::EmulatorService(std::shared_ptr<const EmulatorDataset> data, Options options)
    : m_data(std::move(data))
    , m_options(std::move(options))
    , m_tokens(m_data->seed())
{
    const ResourceKind &images = kind("images");
    const ResourceKind &datasets = kind("datasets");
    const ResourceKind &sessions = kind("sessions");
    m_imagesTarget = (images.service.targetPrefix + QLatin1Char('.') + images.operation.name).toLatin1();
    m_datasetsTarget = (datasets.service.targetPrefix + QLatin1Char('.') + datasets.operation.name).toLatin1();
    m_imagesSigningName = images.service.signingName.toLatin1();
    m_datasetsSigningName = datasets.service.signingName.toLatin1();
    m_sessionsSigningName = sessions.service.signingName.toLatin1();
    m_sessionsPath = sessions.operation.requestUri.toLatin1().split('/');
    m_imagesDefaultPageSize = images.pagination.defaultPageSize;
    m_datasetsDefaultPageSize = datasets.pagination.defaultPageSize;
    m_sessionsDefaultPageSize = sessions.pagination.defaultPageSize;
    m_maxPageSize = images.pagination.maxPageSize;
    const auto stringRule = [](const FilterSpec &filter) {
        StringRule rule;
        // Coral names members in lower camel case ("NameContains" -> "nameContains").
        rule.member = (filter.parameter.left(1).toLower() + filter.parameter.mid(1)).toLatin1();
        Q_ASSERT(filter.maxLength);
        rule.maxLength = filter.maxLength.value_or(0);
        rule.patternText = filter.pattern;
        rule.pattern.setPattern(QRegularExpression::anchoredPattern(filter.pattern));
        rule.pattern.optimize();
        return rule;
    };
    m_nameContains = stringRule(filter(images, "NameContains"));
    m_datasetGroupArn = stringRule(filter(datasets, "datasetGroupArn"));
}

QByteArray EmulatorService::operationName(EmulatorOperation operation)
{
    switch (operation) {
    case EmulatorOperation::ListImages:
        return "ListImages";
    case EmulatorOperation::ListDatasets:
        return "ListDatasets";
    case EmulatorOperation::ListSessions:
        return "ListSessions";
    case EmulatorOperation::Unknown:
        break;
    }
    return {};
}

QByteArray EmulatorService::requestId(quint64 requestNumber) const
{
    const quint64 a = emulatorHash(m_data->seed(), 0x7e9, requestNumber);
    const quint64 b = emulatorMix(a ^ requestNumber);
    EmulatorId id {};
    for (int i = 0; i < 8; ++i) {
        id[size_t(i)] = quint8(a >> (8 * i));
        id[size_t(i + 8)] = quint8(b >> (8 * i));
    }
    id[6] = quint8((id[6] & 0x0f) | 0x40);
    id[8] = quint8((id[8] & 0x3f) | 0x80);
    QByteArray hex;
    appendHexId(hex, id);
    return hex.left(8) + '-' + hex.mid(8, 4) + '-' + hex.mid(12, 4) + '-' + hex.mid(16, 4) + '-' + hex.mid(20);
}

EmulatorOperation EmulatorService::route(const EmulatorRequest &request) const
{
    const QByteArray target = request.header("x-amz-target");
    if (!target.isEmpty()) {
        if (target == m_imagesTarget)
            return EmulatorOperation::ListImages;
        if (target == m_datasetsTarget)
            return EmulatorOperation::ListDatasets;
        return EmulatorOperation::Unknown;
    }
    if (request.method != "GET")
        return EmulatorOperation::Unknown;
    const QList<QByteArray> segments = request.path.split('/');
    if (segments.size() != m_sessionsPath.size())
        return EmulatorOperation::Unknown;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        if (!m_sessionsPath[i].startsWith('{') && segments[i] != m_sessionsPath[i])
            return EmulatorOperation::Unknown;
    }
    return EmulatorOperation::ListSessions;
}

EmulatorResponse EmulatorService::handle(
    const EmulatorRequest &request, const QDateTime &now, quint64 requestNumber, EmulatorRequestLogEntry *log) const
{
    Context context;
    context.requestNumber = requestNumber;
    context.log = log;
    context.operation = route(request);
    const QByteArray target = request.header("x-amz-target");
    context.restJson = target.isEmpty();
    if (log) {
        log->number = requestNumber;
        log->method = request.method;
        log->path = request.path;
        log->target = target;
        log->operation = QString::fromLatin1(operationName(context.operation));
    }

    if (context.operation == EmulatorOperation::Unknown) {
        if (!context.restJson) {
            return awsJsonError(context, 400, "UnknownOperationException",
                QStringLiteral("Unknown operation: %1").arg(QString::fromLatin1(target)));
        }
        return restJsonError(context, 404, "UnknownOperationException", "UnknownOperationException",
            messageMembers(QByteArray("No operation matches " + request.method + ' ' + request.path)));
    }

    if (m_options.requireAuth) {
        const QByteArray &signingName = context.operation == EmulatorOperation::ListImages ? m_imagesSigningName
            : context.operation == EmulatorOperation::ListDatasets                         ? m_datasetsSigningName
                                                                                           : m_sessionsSigningName;
        QByteArray keyId;
        const auto failure = verifyEmulatorSignature(
            request, signingName, m_options.accessKeyId, m_options.secretAccessKey, now, &keyId);
        if (log)
            log->accessKeyId = keyId;
        if (failure) {
            if (!context.restJson)
                return awsJsonError(context, 400, failure->code, failure->message);
            return restJsonError(context, 403, failure->code, failure->code, messageMembers(failure->message.toUtf8()));
        }
    }

    if (context.operation == EmulatorOperation::ListSessions)
        return listSessions(request, context);

    QJsonObject input;
    if (!request.body.trimmed().isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            return awsJsonError(context, 400, "SerializationException",
                QStringLiteral("Could not parse the request body as JSON: %1 at offset %2")
                    .arg(parseError.errorString())
                    .arg(parseError.offset));
        }
        if (!document.isObject()) {
            return awsJsonError(
                context, 400, "SerializationException", QStringLiteral("Start of list found where not expected"));
        }
        input = document.object();
    }
    if (log)
        log->parameters = input.toVariantMap();
    if (context.operation == EmulatorOperation::ListImages)
        return listImages(input, context);
    return listDatasets(input, context);
}

EmulatorResponse EmulatorService::listImages(const QJsonObject &input, Context &context) const
{
    std::optional<TypeError> typeError;
    const auto createdAfter = timestampMember(input, "CreationTimeAfter", &typeError);
    const auto createdBefore = timestampMember(input, "CreationTimeBefore", &typeError);
    const auto modifiedAfter = timestampMember(input, "LastModifiedTimeAfter", &typeError);
    const auto modifiedBefore = timestampMember(input, "LastModifiedTimeBefore", &typeError);
    const auto maxResults = integerMember(input, "MaxResults", &typeError);
    const auto nameContains = stringMember(input, "NameContains", &typeError);
    const auto nextToken = stringMember(input, "NextToken", &typeError);
    const auto sortBy = stringMember(input, "SortBy", &typeError);
    const auto sortOrder = stringMember(input, "SortOrder", &typeError);
    if (typeError)
        return awsJsonError(context, 400, "SerializationException", typeError->message);

    Violations violations;
    if (maxResults)
        violations.checkPageSize(*maxResults, m_maxPageSize);
    if (nameContains)
        violations.checkString(m_nameContains, *nameContains);
    static const QStringList sortByValues
        = {QStringLiteral("CREATION_TIME"), QStringLiteral("LAST_MODIFIED_TIME"), QStringLiteral("IMAGE_NAME")};
    static const QStringList sortOrderValues = {QStringLiteral("ASCENDING"), QStringLiteral("DESCENDING")};
    if (sortBy)
        violations.checkEnum("sortBy", *sortBy, sortByValues);
    if (sortOrder)
        violations.checkEnum("sortOrder", *sortOrder, sortOrderValues);
    if (nextToken && nextToken->size() > kMaxNextTokenImages)
        violations.add(
            "nextToken", nextToken->left(32) + QStringLiteral("..."), maxLengthConstraint(kMaxNextTokenImages));
    if (!violations.isEmpty())
        return validationError(context, "ValidationException", violations);

    const int sort = !sortBy                             ? ByCreation
        : *sortBy == QLatin1String("LAST_MODIFIED_TIME") ? ByModification
        : *sortBy == QLatin1String("IMAGE_NAME")         ? ByName
                                                         : ByCreation;
    const bool ascending = sortOrder && *sortOrder == QLatin1String("ASCENDING");
    const QByteArray needle = nameContains ? nameContains->toLatin1().toLower() : QByteArray();
    const bool filtered = createdAfter || createdBefore || modifiedAfter || modifiedBefore || nameContains;

    QByteArray canonical;
    canonical.reserve(128);
    canonical.append(char('0' + sort)).append(ascending ? 'A' : 'D');
    const auto addBound = [&canonical](char tag, const std::optional<qint64> &value) {
        canonical.append('|').append(tag);
        if (value)
            canonical.append(QByteArray::number(*value));
    };
    addBound('a', createdAfter);
    addBound('b', createdBefore);
    addBound('c', modifiedAfter);
    addBound('d', modifiedBefore);
    canonical.append("|n");
    if (nameContains)
        canonical.append('=').append(needle);
    const quint8 operation = quint8(EmulatorOperation::ListImages);
    const quint64 listing = EmulatorTokenCodec::listingHash(operation, canonical);

    const auto position = nextToken && !isAscii(*nextToken)
        ? std::nullopt
        : resumePosition(nextToken.value_or(QString()).toLatin1(), operation, listing);
    if (!position) {
        return awsJsonError(context, 400, "ValidationException",
            QStringLiteral("Invalid pagination token: it was not issued for this listing "
                           "(same filters and sort) or was altered."));
    }

    const EmulatorDataset &data = *m_data;
    const std::vector<quint32> &index = sort == ByCreation ? data.imagesByCreation
        : sort == ByModification                           ? data.imagesByModification
                                                           : data.imagesByName;
    const qint64 n = qint64(index.size());
    const auto at = [&](qint64 logical) { return index[size_t(ascending ? logical : n - 1 - logical)]; };

    // Narrow to the sort key's own range filter by binary search.
    qint64 lo = 0, hi = n;
    const auto narrow = [&](const std::optional<qint64> &after, const std::optional<qint64> &before, auto key) {
        const auto first = after
            ? std::lower_bound(index.begin(), index.end(), *after, [&](quint32 i, qint64 v) { return key(i) < v; })
            : index.begin();
        const auto last = before
            ? std::upper_bound(index.begin(), index.end(), *before, [&](qint64 v, quint32 i) { return v < key(i); })
            : index.end();
        qint64 a = first - index.begin(), b = std::max(a, qint64(last - index.begin()));
        if (ascending) {
            lo = a;
            hi = b;
        } else {
            lo = n - b;
            hi = n - a;
        }
    };
    if (sort == ByCreation && (createdAfter || createdBefore))
        narrow(createdAfter, createdBefore, [&](quint32 i) { return data.images[i].createdMs; });
    else if (sort == ByModification && (modifiedAfter || modifiedBefore))
        narrow(modifiedAfter, modifiedBefore, [&](quint32 i) { return data.images[i].modifiedMs; });

    const auto matches = [&](quint32 index) {
        const EmulatorImage &image = data.images[index];
        if (createdAfter && image.createdMs < *createdAfter)
            return false;
        if (createdBefore && image.createdMs > *createdBefore)
            return false;
        if (modifiedAfter && image.modifiedMs < *modifiedAfter)
            return false;
        if (modifiedBefore && image.modifiedMs > *modifiedBefore)
            return false;
        if (!nameContains)
            return true;
        const QByteArrayView name = data.imageNamesLower.view(index + 1);
        return memmem(name.data(), size_t(name.size()), needle.constData(), size_t(needle.size())) != nullptr;
    };

    const int limit = int(maxResults.value_or(m_imagesDefaultPageSize));
    qint64 p = std::max<qint64>(lo, qint64(std::min<quint64>(position->offset, quint64(n))));
    QByteArray body;
    body.reserve(64 + limit * 330);
    EmulatorJsonWriter json(body);
    json.raw("{\"Images\":[");
    int items = 0;
    qint64 nextOffset = -1;
    const bool emptyPage
        = filtered && p < hi && emulatorHash(listing, quint64(p), position->page, data.seed()) % kEmptyPageRate == 0;
    if (emptyPage) {
        nextOffset = p;
    } else {
        qint64 budget = kScanBudget;
        for (; p < hi && items < limit && budget > 0; ++p, --budget) {
            // Orders other than creation time visit storage at random: fetch ahead.
            if (sort != ByCreation && p + 8 < hi) {
                __builtin_prefetch(&data.images[at(p + 8)]);
                const EmulatorImage &soon = data.images[at(p + 4)];
                data.names.prefetch(soon.name);
                if (nameContains)
                    data.imageNamesLower.prefetch(at(p + 4) + 1);
            }
            const quint32 index = at(p);
            if (!matches(index))
                continue;
            const EmulatorImage &image = data.images[index];
            if (items++)
                json.raw(',');
            json.raw("{\"CreationTime\":");
            json.epochSeconds(image.createdMs, image.timeForm & 1);
            optionalString(json, "Description", data.texts, image.description);
            optionalString(json, "DisplayName", data.texts, image.displayName);
            optionalString(json, "FailureReason", data.texts, image.failureReason);
            const QByteArrayView name = data.names.view(image.name);
            json.key("ImageArn", false);
            json.raw('"');
            json.raw(data.imageArnPrefixes[image.arnPrefix]);
            json.raw(name);
            json.raw('"');
            json.key("ImageName", false);
            json.string(name);
            json.key("ImageStatus", false);
            json.raw('"');
            json.raw(EmulatorDataset::imageStatuses().at(image.status));
            json.raw('"');
            json.key("LastModifiedTime", false);
            json.epochSeconds(image.modifiedMs, image.timeForm & 2);
            json.raw('}');
        }
        if (p < hi && budget > 0 && items == limit && filtered) {
            // Look ahead for one more match so that a full last page carries no needless token.
            qint64 ahead = p;
            for (; ahead < hi && budget > 0 && !matches(at(ahead)); ++ahead, --budget) { }
            p = ahead;
        }
        if (p < hi)
            nextOffset = p;
    }
    closeListing(json, "NextToken",
        nextOffset >= 0 ? m_tokens.encode({operation, quint64(nextOffset), position->page + 1}, listing)
                        : QByteArray());
    return success(context, std::move(body), items, nextOffset >= 0);
}

EmulatorResponse EmulatorService::listDatasets(const QJsonObject &input, Context &context) const
{
    std::optional<TypeError> typeError;
    const auto groupArn = stringMember(input, "datasetGroupArn", &typeError);
    const auto maxResults = integerMember(input, "maxResults", &typeError);
    const auto nextToken = stringMember(input, "nextToken", &typeError);
    if (typeError)
        return awsJsonError(context, 400, "SerializationException", typeError->message);

    Violations violations;
    if (groupArn)
        violations.checkString(m_datasetGroupArn, *groupArn);
    if (maxResults)
        violations.checkPageSize(*maxResults, m_maxPageSize);
    if (nextToken && (nextToken->size() > kMaxNextTokenDatasets || !isAscii(*nextToken)))
        violations.add("nextToken", nextToken->left(32),
            patternConstraint(QStringLiteral("\\p{ASCII}{0,%1}").arg(kMaxNextTokenDatasets)));
    if (!violations.isEmpty())
        return validationError(context, "InvalidInputException", violations);

    const EmulatorDataset &data = *m_data;
    const std::vector<quint32> *list = &data.datasetsInOrder;
    static const std::vector<quint32> none;
    if (groupArn) {
        const auto it = data.datasetGroupByArn.constFind(groupArn->toUtf8());
        list = it == data.datasetGroupByArn.constEnd() ? &none : &data.datasetGroups[it.value()].datasets;
    }
    const quint8 operation = quint8(EmulatorOperation::ListDatasets);
    const quint64 listing = EmulatorTokenCodec::listingHash(
        operation, groupArn ? QByteArray("g=" + groupArn->toUtf8()) : QByteArray("-"));
    const auto position = resumePosition(nextToken.value_or(QString()).toLatin1(), operation, listing);
    if (!position)
        return awsJsonError(context, 400, "InvalidNextTokenException", QStringLiteral("Invalid next token."));
    const qint64 n = qint64(list->size());
    const int limit = int(maxResults.value_or(m_datasetsDefaultPageSize));
    const auto [begin, end] = pageSlice(position->offset, n, limit);

    QByteArray body;
    body.reserve(64 + limit * 300);
    EmulatorJsonWriter json(body);
    json.raw("{\"datasets\":[");
    for (qint64 i = begin; i < end; ++i) {
        const EmulatorDatasetSummary &dataset = data.datasets[(*list)[size_t(i)]];
        if (i > begin)
            json.raw(',');
        json.raw('{');
        bool first = true;
        if (dataset.createdMs >= 0) {
            json.key("creationDateTime", first);
            json.epochSeconds(dataset.createdMs, dataset.timeForm & 1);
            first = false;
        }
        json.key("datasetArn", first);
        json.string(data.names.view(dataset.arn));
        optionalString(json, "datasetType", data.texts, dataset.type);
        if (dataset.updatedMs >= 0) {
            json.key("lastUpdatedDateTime", false);
            json.epochSeconds(dataset.updatedMs, dataset.timeForm & 2);
        }
        optionalString(json, "name", data.names, dataset.name);
        optionalString(json, "status", data.texts, dataset.status);
        json.raw('}');
    }
    const bool more = end < n;
    closeListing(json, "nextToken",
        more ? m_tokens.encode({operation, quint64(end), position->page + 1}, listing) : QByteArray());
    return success(context, std::move(body), int(end - begin), more);
}

EmulatorResponse EmulatorService::listSessions(const EmulatorRequest &request, Context &context) const
{
    const QList<QByteArray> segments = request.path.split('/');
    QByteArray labels[3];
    const char *const labelNames[3] = {"farmId", "queueId", "jobId"};
    for (qsizetype i = 0; i < segments.size(); ++i) {
        for (int l = 0; l < 3; ++l) {
            if (m_sessionsPath[i] == QByteArray('{' + QByteArray(labelNames[l]) + '}'))
                labels[l] = QByteArray::fromPercentEncoding(segments[i]);
        }
    }
    std::optional<QByteArray> maxResultsText, nextToken;
    for (const auto &[key, value] : parseQuery(request.query)) {
        if (key == "maxResults")
            maxResultsText = value;
        else if (key == "nextToken")
            nextToken = value;
    }
    if (context.log) {
        QVariantMap parameters;
        for (int l = 0; l < 3; ++l)
            parameters.insert(QLatin1String(labelNames[l]), QString::fromUtf8(labels[l]));
        if (maxResultsText)
            parameters.insert(QStringLiteral("maxResults"), QString::fromUtf8(*maxResultsText));
        if (nextToken)
            parameters.insert(QStringLiteral("nextToken"), QString::fromUtf8(*nextToken));
        context.log->parameters = parameters;
    }

    Violations violations;
    EmulatorId ids[3];
    const char *const prefixes[3] = {"farm-", "queue-", "job-"};
    for (int l = 0; l < 3; ++l) {
        if (!parsePrefixedId(labels[l], prefixes[l], &ids[l]))
            violations.add(labelNames[l], QString::fromUtf8(labels[l]),
                patternConstraint(QLatin1String(prefixes[l]) + QStringLiteral("[0-9a-f]{32}")));
    }
    int limit = m_sessionsDefaultPageSize;
    if (maxResultsText) {
        bool ok = false;
        const int value = maxResultsText->toInt(&ok);
        if (!ok) {
            return restJsonError(context, 400, "ValidationException", kDecoratedValidation,
                fieldValidationMembers(
                    QByteArray("Unable to parse '" + *maxResultsText + "' as an integer for maxResults"),
                    "CANNOT_PARSE", "[{\"name\":\"maxResults\",\"message\":\"Member must be an integer\"}]"));
        }
        violations.checkPageSize(value, m_maxPageSize);
        limit = value;
    }
    if (nextToken && nextToken->size() > kMaxNextTokenSessions)
        violations.add("nextToken", QString::fromUtf8(nextToken->left(32)), maxLengthConstraint(kMaxNextTokenSessions));
    if (!violations.isEmpty())
        return validationError(context, "ValidationException", violations);

    const EmulatorDataset &data = *m_data;
    QByteArray missing;
    const EmulatorJob *job = data.findJob(ids[0], ids[1], ids[2], &missing);
    if (!job) {
        const int level = missing == "farm" ? 0 : missing == "queue" ? 1 : 2;
        QByteArray members;
        EmulatorJsonWriter json(members);
        json.key("message", true);
        json.string(QByteArray("Resource of type " + missing + " with id " + labels[level] + " not found."));
        json.key("resourceId", false);
        json.string(labels[level]);
        json.key("resourceType", false);
        json.string(missing);
        json.finish();
        return restJsonError(context, 404, "ResourceNotFoundException", "ResourceNotFoundException", members);
    }

    const quint8 operation = quint8(EmulatorOperation::ListSessions);
    const quint64 listing
        = EmulatorTokenCodec::listingHash(operation, QByteArray(labels[0] + '/' + labels[1] + '/' + labels[2]));
    const auto position = resumePosition(nextToken.value_or(QByteArray()), operation, listing);
    if (!position) {
        return restJsonError(context, 400, "ValidationException", kDecoratedValidation,
            fieldValidationMembers("Invalid nextToken: it was not issued for this listing or was altered.",
                "FIELD_VALIDATION_FAILED", "[{\"name\":\"nextToken\",\"message\":\"Invalid pagination token\"}]"));
    }
    const qint64 n = qint64(job->end - job->begin);
    const auto [begin, end] = pageSlice(position->offset, n, limit);

    QByteArray body;
    body.reserve(64 + limit * 420);
    EmulatorJsonWriter json(body);
    json.raw("{\"sessions\":[");
    for (qint64 i = begin; i < end; ++i) {
        const EmulatorSession &session = data.sessions[size_t(job->begin + i)];
        if (i > begin)
            json.raw(',');
        json.raw("{\"sessionId\":");
        json.prefixedId("session-", session.id);
        json.key("fleetId", false);
        json.prefixedId("fleet-", data.fleets[session.fleet]);
        json.key("workerId", false);
        json.prefixedId("worker-", data.workers[session.worker]);
        json.key("startedAt", false);
        json.isoTimestamp(session.startedMs);
        json.key("lifecycleStatus", false);
        json.raw('"');
        json.raw(EmulatorDataset::sessionStatuses().at(session.status));
        json.raw('"');
        if (session.endedMs >= 0) {
            json.key("endedAt", false);
            json.isoTimestamp(session.endedMs);
        }
        if (session.targetEnded)
            json.raw(",\"targetLifecycleStatus\":\"ENDED\"");
        if (session.updatedMs >= 0) {
            json.key("updatedAt", false);
            json.isoTimestamp(session.updatedMs);
        }
        optionalString(json, "updatedBy", data.texts, session.updatedBy);
        json.raw('}');
    }
    const bool more = end < n;
    closeListing(json, "nextToken",
        more ? m_tokens.encode({operation, quint64(end), position->page + 1}, listing) : QByteArray());
    return success(context, std::move(body), int(end - begin), more);
}

std::optional<EmulatorTokenCodec::Position> EmulatorService::resumePosition(
    QByteArrayView token, quint8 operation, quint64 listing) const
{
    if (token.isEmpty())
        return EmulatorTokenCodec::Position {operation, 0, 1};
    return m_tokens.decode(token, operation, listing);
}

EmulatorResponse EmulatorService::success(const Context &context, QByteArray body, int items, bool hasNextToken) const
{
    EmulatorResponse response;
    response.status = 200;
    response.operation = context.operation;
    response.items = items;
    response.hasNextToken = hasNextToken;
    response.body = std::move(body);
    response.headers = {{"x-amzn-RequestId", requestId(context.requestNumber)},
        {"Content-Type", (context.restJson ? kRestJsonContentType : kAwsJsonContentType).toByteArray()}};
    return response;
}

EmulatorResponse EmulatorService::awsJsonError(
    const Context &context, int status, QByteArrayView type, const QString &message) const
{
    EmulatorResponse response;
    response.status = status;
    response.operation = context.operation;
    response.errorCode = type.toByteArray();
    EmulatorJsonWriter json(response.body);
    json.raw("{\"__type\":");
    json.string(type);
    json.key("message", false);
    json.string(message.toUtf8());
    json.raw('}');
    response.headers = {{"x-amzn-RequestId", requestId(context.requestNumber)},
        {"X-Amzn-ErrorType", type.toByteArray()}, {"Content-Type", kAwsJsonContentType.toByteArray()}};
    json.finish();
    return response;
}

EmulatorResponse EmulatorService::restJsonError(const Context &context, int status, QByteArrayView type,
    QByteArrayView headerType, const QByteArray &members, QByteArrayView retryAfter) const
{
    EmulatorResponse response;
    response.status = status;
    response.operation = context.operation;
    response.errorCode = type.toByteArray();
    EmulatorJsonWriter json(response.body);
    json.raw("{\"__type\":");
    json.string(type);
    if (!members.isEmpty()) {
        json.raw(',');
        json.raw(members);
    }
    json.raw('}');
    response.headers = {{"x-amzn-RequestId", requestId(context.requestNumber)},
        {"x-amzn-ErrorType", headerType.toByteArray()}, {"Content-Type", kRestJsonContentType.toByteArray()}};
    if (!retryAfter.isEmpty())
        response.headers.append({"Retry-After", retryAfter.toByteArray()});
    json.finish();
    return response;
}

EmulatorResponse EmulatorService::validationError(
    const Context &context, QByteArrayView type, const Violations &found) const
{
    const QList<Violations::Violation> &violations = found.list();
    QStringList parts;
    for (const Violations::Violation &violation : violations)
        parts << violationText(violation.member, violation.value, violation.constraint);
    const QString message = validationMessage(parts);
    if (!context.restJson)
        return awsJsonError(context, 400, type, message);
    QByteArray fieldList;
    EmulatorJsonWriter json(fieldList);
    json.raw('[');
    for (qsizetype i = 0; i < violations.size(); ++i) {
        if (i)
            json.raw(',');
        json.raw("{\"name\":");
        json.string(violations[i].member);
        json.key("message", false);
        json.string(parts[i].toUtf8());
        json.raw('}');
    }
    json.raw(']');
    json.finish();
    return restJsonError(context, 400, type, kDecoratedValidation,
        fieldValidationMembers(message.toUtf8(), "FIELD_VALIDATION_FAILED", fieldList));
}

EmulatorResponse EmulatorService::faultResponse(EmulatorOperation operation, Fault fault, quint64 requestNumber) const
{
    Context context;
    context.operation = operation;
    context.restJson = operation == EmulatorOperation::ListSessions;
    context.requestNumber = requestNumber;
    if (!context.restJson) {
        switch (fault) {
        case Fault::Throttle:
            return awsJsonError(context, 400, "ThrottlingException", QStringLiteral("Rate exceeded"));
        case Fault::InternalError:
            return awsJsonError(context, 500, "InternalFailure",
                QStringLiteral("The request processing has failed because of an unknown error, "
                               "exception or failure."));
        case Fault::Unavailable:
            return awsJsonError(context, 503, "ServiceUnavailable",
                QStringLiteral("The request has failed due to a temporary failure of the server."));
        }
    }
    if (fault == Fault::Throttle) {
        QByteArray members;
        EmulatorJsonWriter json(members);
        json.key("message", true);
        json.string("Rate exceeded");
        json.key("serviceCode", false);
        json.string("deadline");
        json.key("quotaCode", false);
        json.string("L-EMULATOR1");
        json.finish();
        return restJsonError(context, 429, "ThrottlingException", "ThrottlingException", members, "1");
    }
    return restJsonError(context, 500, "InternalServerErrorException", "InternalServerErrorException",
        messageMembers("Internal server error"));
}

} // namespace pagewise
