#include "exportarguments.h"

#include "export/exportrows.h"
#include "kinds/resourcekind.h"
#include "timeargument.h"

#include <QRegularExpression>
#include <QUrl>

namespace pagewise
{

namespace
{

using namespace Qt::StringLiterals;

const QString pageSizeFlag = u"--page-size"_s;
const QString maxItemsFlag = u"--max-items"_s;
const QString startingTokenFlag = u"--starting-token"_s;
const QString sortByFlag = u"--sort-by"_s;
const QString sortOrderFlag = u"--sort-order"_s;

QString kindIds()
{
    QStringList ids;
    for (const ResourceKind &kind : resourceKinds())
        ids << kind.id;
    return ids.join(u", "_s);
}

QStringList columnMembers(const ResourceKind &kind)
{
    QStringList members;
    for (const ColumnSpec &column : kind.columns)
        members << column.member;
    return members;
}

QStringList sortByValues(const ServerSortSpec &sort)
{
    QStringList values;
    for (const ServerSortSpec::Column &column : sort.columns)
        values << column.cli;
    return values;
}

/// Options every kind takes, with the value each accepts ("" for switches).
struct CommonOption {
    QString flag;
    QString value;
    QString help;
};

const QList<CommonOption> &commonOptions()
{
    static const QList<CommonOption> options = {
        {u"--profile"_s, u"P"_s, u"named profile from the shared config/credentials files"_s},
        {u"--region"_s, u"R"_s, u"AWS region, e.g. us-east-1"_s},
        {u"--endpoint-url"_s, u"URL"_s, u"send requests to this endpoint instead of AWS (http or https)"_s},
        {pageSizeFlag, u"N"_s, u"items per request (the service's limit)"_s},
        {maxItemsFlag, u"N"_s, u"stop after N items and print the token that resumes after them"_s},
        {startingTokenFlag, u"T"_s, u"resume from a token printed by pagewise or the AWS CLI"_s},
        {u"--format"_s, u"csv|json"_s, u"CSV (default) or the AWS CLI's JSON document"_s},
        {u"--columns"_s, u"A,B,..."_s, u"CSV columns (response member names) in this order"_s},
        {u"--raw-cells"_s, QString(), u"write CSV cells as they are (no spreadsheet formula neutralisation)"_s},
        {u"-o"_s, u"FILE|-"_s, u"write to FILE (default: standard output)"_s},
    };
    return options;
}

bool isSwitch(const QString &flag)
{
    return flag == u"--raw-cells"_s || flag == u"--help"_s || flag == u"-h"_s;
}

QString valueName(const FilterSpec &filter)
{
    switch (filter.type) {
    case ValueType::Timestamp:
        return u"TIME"_s;
    case ValueType::Arn:
        return u"ARN"_s;
    case ValueType::Id:
        return u"ID"_s;
    case ValueType::Integer:
        return u"N"_s;
    case ValueType::Text:
    case ValueType::Enum:
        break;
    }
    return u"TEXT"_s;
}

QStringList validFlags(const ResourceKind &kind)
{
    QStringList flags;
    for (const FilterSpec &filter : kind.filters)
        flags << u"--"_s + filter.cliFlag;
    if (kind.serverSort)
        flags << sortByFlag << sortOrderFlag;
    for (const CommonOption &option : commonOptions())
        flags << option.flag;
    return flags;
}

QString pageSizeRange(const ResourceKind &kind)
{
    return u"an integer from %1 to %2"_s.arg(kind.pagination.minPageSize).arg(kind.pagination.maxPageSize);
}

QString acceptedForFlag(const ResourceKind &kind, const QString &flag)
{
    if (const FilterSpec *filter = kind.filterByCliFlag(flag.mid(2)); filter && flag.startsWith(u"--"_s))
        return acceptedValuesText(kind, filter->parameter);
    if (kind.serverSort && flag == sortByFlag)
        return sortByValues(*kind.serverSort).join(u", "_s);
    if (flag == pageSizeFlag)
        return pageSizeRange(kind);
    if (flag == u"--columns"_s)
        return u"comma-separated columns of %1: %2"_s.arg(kind.id, columnMembers(kind).join(u", "_s));
    for (const CommonOption &option : commonOptions()) {
        if (option.flag == flag)
            return option.value;
    }
    return {};
}

// One to 18 ASCII digits, nothing else (no sign, spaces or newline). A plain loop: a regular
// expression here cost the start-up of every run a PCRE JIT compile.
std::optional<qint64> parseCount(const QString &text)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

ArgumentError error(const QString &argument, const QString &message)
{
    return ArgumentError {argument, argument + u": "_s + message};
}

class Parser
{
public:
    explicit Parser(const ResourceKind &kind) { m_args.kind = &kind; }

    std::optional<ArgumentError> apply(const QString &flag, const QString &value);
    void setSwitch(const QString &flag)
    {
        if (flag == u"--raw-cells"_s)
            m_args.rawCells = true;
        else
            m_args.help = true;
    }
    std::optional<ArgumentError> finish();
    ExportArguments take() { return std::move(m_args); }

private:
    std::optional<ArgumentError> applyFilter(const FilterSpec &filter, const QString &flag, const QString &value);

    ExportArguments m_args;
};

std::optional<ArgumentError> Parser::applyFilter(const FilterSpec &filter, const QString &flag, const QString &value)
{
    const ResourceKind &kind = *m_args.kind;
    switch (filter.type) {
    case ValueType::Timestamp: {
        const std::optional<QDateTime> time = parseTimeArgument(value);
        if (!time)
            return error(
                flag, u"'%1' is not a time; accepted: %2"_s.arg(value, acceptedValuesText(kind, filter.parameter)));
        m_args.query.parameters.insert(filter.parameter, *time);
        return std::nullopt;
    }
    case ValueType::Integer: {
        bool ok = false;
        const int number = value.toInt(&ok);
        if (!ok)
            return error(
                flag, u"'%1' is not an integer; accepted: %2"_s.arg(value, acceptedValuesText(kind, filter.parameter)));
        m_args.query.parameters.insert(filter.parameter, number);
        return std::nullopt;
    }
    case ValueType::Text:
    case ValueType::Enum:
    case ValueType::Arn:
    case ValueType::Id:
        break;
    }
    m_args.query.parameters.insert(filter.parameter, value);
    return std::nullopt;
}

std::optional<ArgumentError> Parser::apply(const QString &flag, const QString &value)
{
    const ResourceKind &kind = *m_args.kind;
    if (flag.startsWith(u"--"_s)) {
        if (const FilterSpec *filter = kind.filterByCliFlag(flag.mid(2)))
            return applyFilter(*filter, flag, value);
    }
    if (kind.serverSort && flag == sortByFlag) {
        const ServerSortSpec::Column *column = kind.serverSort->forCli(value);
        if (!column)
            return error(flag,
                u"'%1' is not a sort column of %2; accepted: %3"_s.arg(
                    value, kind.id, sortByValues(*kind.serverSort).join(u", "_s)));
        m_args.query.parameters.insert(kind.serverSort->sortByParameter, column->value);
        return std::nullopt;
    }
    if (kind.serverSort && flag == sortOrderFlag) {
        if (value != u"ascending"_s && value != u"descending"_s)
            return error(flag, u"'%1' is not a sort order; accepted: ascending, descending"_s.arg(value));
        m_args.query.parameters.insert(kind.serverSort->sortOrderParameter,
            value == u"ascending"_s ? kind.serverSort->ascending : kind.serverSort->descending);
        return std::nullopt;
    }
    if (flag == pageSizeFlag) {
        const std::optional<qint64> size = parseCount(value);
        if (!size || *size < kind.pagination.minPageSize || *size > kind.pagination.maxPageSize)
            return error(
                flag, u"'%1' is not a valid page size for %2; accepted: %3"_s.arg(value, kind.id, pageSizeRange(kind)));
        m_args.query.pageSize = int(*size);
        return std::nullopt;
    }
    if (flag == maxItemsFlag) {
        const std::optional<qint64> count = parseCount(value);
        if (!count || *count < 1)
            return error(flag, u"'%1' is not a valid item count; accepted: a positive integer"_s.arg(value));
        m_args.query.maxItems = *count;
        return std::nullopt;
    }
    if (flag == startingTokenFlag) {
        if (value.isEmpty())
            return error(flag, u"the token is empty; accepted: a NextToken printed by pagewise or the AWS CLI"_s);
        m_args.query.startingToken = value;
        return std::nullopt;
    }
    if (flag == u"--profile"_s) {
        if (value.trimmed().isEmpty())
            return error(flag, u"the profile name is empty; accepted: a profile of the shared config files"_s);
        m_args.connection.profile = value;
        return std::nullopt;
    }
    if (flag == u"--region"_s) {
        // botocore's own check of region names (InvalidRegionError).
        static const QRegularExpression region(u"^[a-zA-Z0-9](?:[a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])?$"_s);
        if (!region.match(value).hasMatch())
            return error(
                flag, u"'%1' is not a region name; accepted: letters, digits and '-', e.g. us-east-1"_s.arg(value));
        m_args.connection.region = value;
        return std::nullopt;
    }
    if (flag == u"--endpoint-url"_s) {
        const QUrl url(value, QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        if (!url.isValid() || (scheme != u"http"_s && scheme != u"https"_s) || url.host().isEmpty())
            return error(
                flag, u"'%1' is not an endpoint URL; accepted: http://host[:port] or https://host[:port]"_s.arg(value));
        m_args.connection.endpointUrl = value;
        return std::nullopt;
    }
    if (flag == u"--format"_s) {
        if (value == u"csv"_s)
            m_args.format = ExportArguments::Format::Csv;
        else if (value == u"json"_s)
            m_args.format = ExportArguments::Format::Json;
        else
            return error(flag, u"'%1' is not an output format; accepted: csv, json"_s.arg(value));
        return std::nullopt;
    }
    if (flag == u"--columns"_s) {
        QString problem;
        const auto chosen = exportColumns(kind, value.split(QLatin1Char(',')), &problem);
        if (!chosen)
            return error(flag, problem);
        m_args.columns = exportHeader(*chosen);
        return std::nullopt;
    }
    if (flag == u"-o"_s) {
        if (value.isEmpty())
            return error(flag, u"the file name is empty; accepted: a file path, or - for standard output"_s);
        m_args.outputPath = value;
        return std::nullopt;
    }
    return error(
        flag, u"not an option of 'pagewise export %1'; accepted: %2"_s.arg(kind.id, validFlags(kind).join(u", "_s)));
}

std::optional<ArgumentError> Parser::finish()
{
    const ResourceKind &kind = *m_args.kind;
    for (const FilterSpec &filter : kind.filters) {
        if (filter.required && !m_args.query.parameters.contains(filter.parameter)) {
            const QString flag = u"--"_s + filter.cliFlag;
            return error(
                flag, u"is required for %1; accepted: %2"_s.arg(kind.id, acceptedValuesText(kind, filter.parameter)));
        }
    }
    if (m_args.format == ExportArguments::Format::Json) {
        if (!m_args.columns.isEmpty())
            return error(u"--columns"_s, u"applies to --format csv only; the JSON document has every member"_s);
        if (m_args.rawCells)
            return error(u"--raw-cells"_s, u"applies to --format csv only"_s);
    }
    return std::nullopt;
}

} // namespace

ExportArgumentsResult parseExportArguments(const QStringList &arguments)
{
    if (arguments.isEmpty())
        return ArgumentError {u"<kind>"_s, u"<kind>: missing; accepted: %1"_s.arg(kindIds())};
    const QString &first = arguments.first();
    if (first == u"--help"_s || first == u"-h"_s) {
        ExportArguments help;
        help.help = true;
        return help;
    }
    const ResourceKind *kind = findResourceKind(first);
    if (!kind)
        return ArgumentError {u"<kind>"_s, u"<kind>: '%1' is not a kind; accepted: %2"_s.arg(first, kindIds())};

    Parser parser(*kind);
    const QStringList flags = validFlags(*kind);
    QStringList seen;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (!argument.startsWith(QLatin1Char('-')) || argument == u"-"_s)
            return error(argument, u"unexpected argument; options start with --, e.g. --page-size 100"_s);

        QString flag = argument;
        QString value;
        bool hasValue = false;
        const qsizetype equals = argument.indexOf(QLatin1Char('='));
        if (argument.startsWith(u"--"_s) && equals > 0) {
            flag = argument.left(equals);
            value = argument.mid(equals + 1);
            hasValue = true;
        }
        if (!flags.contains(flag) && !isSwitch(flag))
            return error(
                flag, u"not an option of 'pagewise export %1'; accepted: %2"_s.arg(kind->id, flags.join(u", "_s)));
        if (seen.contains(flag))
            return error(flag, u"given more than once; give it once"_s);
        seen << flag;

        if (isSwitch(flag)) {
            if (hasValue)
                return error(flag, u"takes no value"_s);
            parser.setSwitch(flag);
            continue;
        }
        if (!hasValue) {
            // A following option means the value was forgotten; "-" alone is a value (standard output).
            if (i + 1 >= arguments.size() || arguments.at(i + 1).startsWith(u"--"_s))
                return error(flag, u"needs a value; accepted: %1"_s.arg(acceptedForFlag(*kind, flag)));
            value = arguments.at(++i);
        }
        if (auto problem = parser.apply(flag, value))
            return *problem;
    }
    if (auto problem = parser.finish())
        return *problem;
    return parser.take();
}

QString exportUsage()
{
    QString text = u"usage: pagewise export <kind> [options]\n\nkinds and their options:\n"_s;
    for (const ResourceKind &kind : resourceKinds()) {
        text += u"  %1  (%2)\n"_s.arg(kind.id, kind.operation.cli);
        for (const FilterSpec &filter : kind.filters) {
            text += u"      --%1 %2%3\n"_s.arg(
                filter.cliFlag, valueName(filter), filter.required ? u"  (required)"_s : QString());
        }
        if (kind.serverSort) {
            text += u"      %1 %2\n"_s.arg(sortByFlag, sortByValues(*kind.serverSort).join(QLatin1Char('|')));
            text += u"      %1 ascending|descending\n"_s.arg(sortOrderFlag);
        }
    }
    text += u"\ncommon options:\n"_s;
    for (const CommonOption &option : commonOptions())
        text += u"  %1 %2\n        %3\n"_s.arg(option.flag, option.value, option.help);
    text += u"  --help\n        this text\n"_s;
    text += u"\ntimes: "_s + timeArgumentFormats() + u"\n"_s;
    text += u"exit status: 0 success, 1 AWS, network or credential error, 2 bad arguments\n"_s;
    return text;
}

QString cliFlagForParameter(const ResourceKind &kind, const QString &parameter)
{
    if (const FilterSpec *filter = kind.filter(parameter))
        return u"--"_s + filter->cliFlag;
    if (kind.serverSort && parameter == kind.serverSort->sortByParameter)
        return sortByFlag;
    if (kind.serverSort && parameter == kind.serverSort->sortOrderParameter)
        return sortOrderFlag;
    if (parameter == kind.pagination.limitKey)
        return pageSizeFlag;
    if (parameter == kind.pagination.inputToken)
        return startingTokenFlag;
    return {};
}

QString acceptedValuesText(const ResourceKind &kind, const QString &parameter)
{
    const FilterSpec *filter = kind.filter(parameter);
    if (!filter)
        return {};
    if (filter->type == ValueType::Timestamp)
        return timeArgumentFormats();
    if (filter->type == ValueType::Integer)
        return u"an integer"_s;
    QString text;
    switch (filter->type) {
    case ValueType::Arn:
        text = u"an ARN"_s;
        break;
    case ValueType::Id:
        text = u"an ID"_s;
        break;
    default:
        text = u"text"_s;
        break;
    }
    if (!filter->pattern.isEmpty())
        text += u" matching %1"_s.arg(filter->pattern);
    const int minLength = filter->minLength.value_or(0);
    if (filter->maxLength)
        text += minLength > 1 ? u", %1 to %2 characters"_s.arg(minLength).arg(*filter->maxLength)
                              : u", up to %1 characters"_s.arg(*filter->maxLength);
    return text;
}

} // namespace pagewise
