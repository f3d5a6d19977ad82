#include "resourcekind.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

static void initPagewiseResources()
{
    Q_INIT_RESOURCE(pagewise);
}

namespace pagewise
{

namespace
{

std::optional<ValueType> parseValueType(const QString &name)
{
    static const struct {
        const char *name;
        ValueType type;
    } table[] = {{"text", ValueType::Text}, {"enum", ValueType::Enum}, {"timestamp", ValueType::Timestamp},
        {"arn", ValueType::Arn}, {"id", ValueType::Id}, {"integer", ValueType::Integer}};
    for (const auto &entry : table) {
        if (name == QLatin1String(entry.name))
            return entry.type;
    }
    return std::nullopt;
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

std::optional<int> optionalInt(const QJsonObject &object, const char *key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isDouble())
        return value.toInt();
    return std::nullopt;
}

QString str(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

// The JSON export writes exactly the columns' members, in itemMembers' order: both lists must
// name the same members.
QString itemMembersProblem(const ResourceKind &kind)
{
    const QStringList &members = kind.operation.itemMembers;
    if (members.isEmpty() && !kind.columns.isEmpty())
        return QStringLiteral("is missing (the item shape's members, in the service model's order)");
    for (qsizetype i = 0; i < members.size(); ++i) {
        if (kind.columnIndex(members[i]) < 0)
            return QStringLiteral("names \"%1\", which is not a column").arg(members[i]);
        if (members.indexOf(members[i], i + 1) >= 0)
            return QStringLiteral("names \"%1\" twice").arg(members[i]);
    }
    for (const ColumnSpec &column : kind.columns) {
        if (!members.contains(column.member))
            return QStringLiteral("lacks the column member \"%1\"").arg(column.member);
    }
    return {};
}

} // namespace

QString valueTypeName(ValueType type)
{
    switch (type) {
    case ValueType::Text:
        return QStringLiteral("text");
    case ValueType::Enum:
        return QStringLiteral("enum");
    case ValueType::Timestamp:
        return QStringLiteral("timestamp");
    case ValueType::Arn:
        return QStringLiteral("arn");
    case ValueType::Id:
        return QStringLiteral("id");
    case ValueType::Integer:
        return QStringLiteral("integer");
    }
    return {};
}

QString ServiceSpec::envName() const
{
    return QString(serviceId).replace(QLatin1Char(' '), QLatin1Char('_')).toUpper();
}

QString ServiceSpec::configKey() const
{
    return QString(serviceId).replace(QLatin1Char(' '), QLatin1Char('_')).toLower();
}

const ServerSortSpec::Column *ServerSortSpec::forColumn(const QString &member) const
{
    for (const Column &c : columns) {
        if (c.column == member)
            return &c;
    }
    return nullptr;
}

const ServerSortSpec::Column *ServerSortSpec::forCli(const QString &cliValue) const
{
    for (const Column &c : columns) {
        if (c.cli == cliValue)
            return &c;
    }
    return nullptr;
}

int ResourceKind::columnIndex(const QString &member) const
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns[i].member == member)
            return i;
    }
    return -1;
}

const FilterSpec *ResourceKind::filter(const QString &parameter) const
{
    for (const FilterSpec &f : filters) {
        if (f.parameter == parameter)
            return &f;
    }
    return nullptr;
}

const FilterSpec *ResourceKind::filterByCliFlag(const QString &flag) const
{
    for (const FilterSpec &f : filters) {
        if (f.cliFlag == flag)
            return &f;
    }
    return nullptr;
}

std::optional<ResourceKind> parseResourceKind(const QByteArray &json, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<ResourceKind> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return fail(QStringLiteral("not a JSON object: %1").arg(parseError.errorString()));
    const QJsonObject root = doc.object();

    ResourceKind kind;
    kind.id = str(root, "id");
    kind.title = str(root, "title");
    kind.keyMember = str(root, "keyMember");
    if (kind.id.isEmpty())
        return fail(QStringLiteral("missing \"id\""));

    const QJsonObject service = root.value(QLatin1String("service")).toObject();
    kind.service.serviceId = str(service, "serviceId");
    kind.service.signingName = str(service, "signingName");
    kind.service.endpointPrefix = str(service, "endpointPrefix");
    const QString protocol = str(service, "protocol");
    if (protocol == QLatin1String("json"))
        kind.service.protocol = ServiceSpec::Protocol::AwsJson;
    else if (protocol == QLatin1String("rest-json"))
        kind.service.protocol = ServiceSpec::Protocol::RestJson;
    else
        return fail(QStringLiteral("%1: unknown protocol \"%2\" (json or rest-json)").arg(kind.id, protocol));
    kind.service.jsonVersion = str(service, "jsonVersion");
    kind.service.targetPrefix = str(service, "targetPrefix");
    kind.service.apiVersion = str(service, "apiVersion");
    kind.service.modelFile = str(service, "modelFile");

    const QJsonObject operation = root.value(QLatin1String("operation")).toObject();
    kind.operation.name = str(operation, "name");
    kind.operation.method = str(operation, "method");
    kind.operation.requestUri = str(operation, "requestUri");
    kind.operation.hostPrefix = str(operation, "hostPrefix");
    kind.operation.inputShape = str(operation, "inputShape");
    kind.operation.outputShape = str(operation, "outputShape");
    kind.operation.itemShape = str(operation, "itemShape");
    kind.operation.itemMembers = toStringList(operation.value(QLatin1String("itemMembers")));
    kind.operation.cli = str(operation, "cli");

    const QJsonObject pagination = root.value(QLatin1String("pagination")).toObject();
    kind.pagination.inputToken = str(pagination, "inputToken");
    kind.pagination.outputToken = str(pagination, "outputToken");
    kind.pagination.limitKey = str(pagination, "limitKey");
    kind.pagination.resultKey = str(pagination, "resultKey");
    kind.pagination.minPageSize = optionalInt(pagination, "minPageSize").value_or(1);
    kind.pagination.maxPageSize = optionalInt(pagination, "maxPageSize").value_or(100);
    kind.pagination.defaultPageSize = optionalInt(pagination, "defaultPageSize").value_or(100);
    kind.pagination.resultRequired = pagination.value(QLatin1String("resultRequired")).toBool(false);

    for (const QJsonValue &v : root.value(QLatin1String("columns")).toArray()) {
        const QJsonObject o = v.toObject();
        ColumnSpec column;
        column.member = str(o, "member");
        column.header = str(o, "header");
        const auto type = parseValueType(str(o, "type"));
        if (!type)
            return fail(
                QStringLiteral("%1: column %2 has an unknown type \"%3\"").arg(kind.id, column.member, str(o, "type")));
        column.type = *type;
        column.visibleByDefault = o.value(QLatin1String("visible")).toBool(true);
        column.widthHint = optionalInt(o, "width").value_or(120);
        column.enumValues = toStringList(o.value(QLatin1String("values")));
        column.idPrefix = str(o, "idPrefix");
        kind.columns << column;
    }

    if (const QString problem = itemMembersProblem(kind); !problem.isEmpty())
        return fail(QStringLiteral("%1: operation.itemMembers %2").arg(kind.id, problem));

    for (const QJsonValue &v : root.value(QLatin1String("filters")).toArray()) {
        const QJsonObject o = v.toObject();
        FilterSpec filter;
        filter.parameter = str(o, "parameter");
        filter.label = str(o, "label");
        const auto type = parseValueType(str(o, "type"));
        if (!type)
            return fail(QStringLiteral("%1: filter %2 has an unknown type").arg(kind.id, filter.parameter));
        filter.type = *type;
        filter.cliFlag = str(o, "cliFlag");
        const QString location = str(o, "location");
        if (location == QLatin1String("uri"))
            filter.location = FilterSpec::Location::Uri;
        else if (location == QLatin1String("querystring"))
            filter.location = FilterSpec::Location::Query;
        else
            filter.location = FilterSpec::Location::Body;
        filter.required = o.value(QLatin1String("required")).toBool(false);
        filter.pattern = str(o, "pattern");
        filter.minLength = optionalInt(o, "minLength");
        filter.maxLength = optionalInt(o, "maxLength");
        filter.column = str(o, "column");
        filter.bound = str(o, "bound");
        kind.filters << filter;
    }

    const QJsonValue sort = root.value(QLatin1String("serverSort"));
    if (sort.isObject()) {
        const QJsonObject o = sort.toObject();
        ServerSortSpec spec;
        spec.sortByParameter = str(o, "sortByParameter");
        spec.sortOrderParameter = str(o, "sortOrderParameter");
        spec.ascending = str(o, "ascending");
        spec.descending = str(o, "descending");
        spec.defaultColumn = str(o, "defaultColumn");
        spec.defaultOrder
            = str(o, "defaultOrder") == QLatin1String("ascending") ? Qt::AscendingOrder : Qt::DescendingOrder;
        for (const QJsonValue &c : o.value(QLatin1String("columns")).toArray()) {
            const QJsonObject co = c.toObject();
            spec.columns << ServerSortSpec::Column {str(co, "column"), str(co, "value"), str(co, "cli")};
        }
        kind.serverSort = spec;
    }

    for (const QJsonValue &v : root.value(QLatin1String("localFilters")).toArray()) {
        const QJsonObject o = v.toObject();
        LocalFilterSpec filter;
        filter.column = str(o, "column");
        filter.label = str(o, "label");
        filter.type = parseValueType(str(o, "type")).value_or(ValueType::Text);
        filter.alsoColumns = toStringList(o.value(QLatin1String("alsoColumns")));
        kind.localFilters << filter;
    }
    return kind;
}

const QList<ResourceKind> &resourceKinds()
{
    static const QList<ResourceKind> kinds = [] {
        initPagewiseResources();
        QList<ResourceKind> out;
        for (const char *id : {"images", "datasets", "sessions"}) {
            QFile file(QStringLiteral(":/kinds/%1.json").arg(QLatin1String(id)));
            if (!file.open(QIODevice::ReadOnly))
                qFatal("resource-kind descriptor %s is not compiled in", id);
            QString error;
            auto kind = parseResourceKind(file.readAll(), &error);
            if (!kind)
                qFatal("resource-kind descriptor %s is invalid: %s", id, qPrintable(error));
            out << *kind;
        }
        return out;
    }();
    return kinds;
}

const ResourceKind *findResourceKind(const QString &id)
{
    for (const ResourceKind &kind : resourceKinds()) {
        if (kind.id == id)
            return &kind;
    }
    return nullptr;
}

} // namespace pagewise
