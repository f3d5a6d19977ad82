#include "queryvalidator.h"

#include "kinds/resourcekind.h"
#include "pagetoken.h"

#include <QDateTime>
#include <QHash>
#include <QRegularExpression>

namespace pagewise
{

namespace
{

/// Java's POSIX-like property classes (ASCII only, as in Java without UNICODE_CHARACTER_CLASS).
QString posixClassFor(const QString &javaName)
{
    static const QHash<QString, QString> names {
        {QStringLiteral("Lower"), QStringLiteral("lower")},
        {QStringLiteral("Upper"), QStringLiteral("upper")},
        {QStringLiteral("ASCII"), QStringLiteral("ascii")},
        {QStringLiteral("Alpha"), QStringLiteral("alpha")},
        {QStringLiteral("Digit"), QStringLiteral("digit")},
        {QStringLiteral("Alnum"), QStringLiteral("alnum")},
        {QStringLiteral("Punct"), QStringLiteral("punct")},
        {QStringLiteral("Graph"), QStringLiteral("graph")},
        {QStringLiteral("Print"), QStringLiteral("print")},
        {QStringLiteral("Blank"), QStringLiteral("blank")},
        {QStringLiteral("Cntrl"), QStringLiteral("cntrl")},
        {QStringLiteral("XDigit"), QStringLiteral("xdigit")},
        {QStringLiteral("Space"), QStringLiteral("space")},
    };
    return names.value(javaName);
}

qsizetype codePointCount(const QString &value)
{
    qsizetype count = 0;
    for (const QChar c : value) {
        if (!c.isLowSurrogate())
            ++count;
    }
    return count;
}

QString quoted(const QString &value)
{
    constexpr qsizetype shown = 80;
    if (value.size() <= shown)
        return QLatin1Char('\'') + value + QLatin1Char('\'');
    return QLatin1Char('\'') + value.left(shown) + QStringLiteral("…' (%1 characters)").arg(value.size());
}

QString joinAlternatives(const QStringList &parts, const QString &conjunction)
{
    if (parts.size() <= 1)
        return parts.join(QString());
    return parts.mid(0, parts.size() - 1).join(QStringLiteral(", ")) + QLatin1Char(' ') + conjunction + QLatin1Char(' ')
        + parts.constLast();
}

/// "a-zA-Z0-9\-." -> "letters, digits, '-' or '.'"; empty when the class is not simple.
QString describeCharacterClass(const QString &body)
{
    QStringList parts;
    bool lower = false, upper = false, digits = false;
    for (qsizetype i = 0; i < body.size(); ++i) {
        const QChar c = body.at(i);
        if (c == QLatin1Char('\\') && i + 1 < body.size()) {
            const QChar escaped = body.at(++i);
            if (escaped == QLatin1Char('d'))
                digits = true;
            else if (escaped.isLetterOrNumber())
                return {};
            else
                parts << QStringLiteral("'%1'").arg(escaped);
        } else if (i + 2 < body.size() && body.at(i + 1) == QLatin1Char('-')) {
            const QString range = body.mid(i, 3);
            if (range == QLatin1String("a-z"))
                lower = true;
            else if (range == QLatin1String("A-Z"))
                upper = true;
            else if (range == QLatin1String("0-9"))
                digits = true;
            else
                return {};
            i += 2;
        } else if (c == QLatin1Char('[') || c == QLatin1Char('^')) {
            return {};
        } else {
            parts << QStringLiteral("'%1'").arg(c);
        }
    }
    QStringList kinds;
    if (lower && upper)
        kinds << QStringLiteral("letters");
    else if (lower)
        kinds << QStringLiteral("lower-case letters");
    else if (upper)
        kinds << QStringLiteral("upper-case letters");
    if (digits)
        kinds << QStringLiteral("digits");
    return joinAlternatives(kinds + parts, QStringLiteral("or"));
}

/// What a value matching the pattern looks like, for people: "look like farm- followed by 32
/// hexadecimal digits". Falls back to quoting the pattern.
QString describePattern(const QString &pattern)
{
    static const QRegularExpression prefixedHex(QStringLiteral("^([A-Za-z0-9_:]+-)\\[0-9a-f\\]\\{(\\d+)\\}$"));
    static const QRegularExpression simpleClass(QStringLiteral("^\\[([^\\]]+)\\]([+*])$"));
    if (const auto match = prefixedHex.match(pattern); match.hasMatch())
        return QStringLiteral("look like %1 followed by %2 lower-case hexadecimal digits")
            .arg(match.captured(1), match.captured(2));
    if (const auto match = simpleClass.match(pattern); match.hasMatch()) {
        const QString allowed = describeCharacterClass(match.captured(1));
        if (!allowed.isEmpty())
            return match.captured(2) == QLatin1String("+")
                ? QStringLiteral("be at least one character and contain only %1").arg(allowed)
                : QStringLiteral("contain only %1").arg(allowed);
    }
    if (pattern.startsWith(QLatin1String("arn:")))
        return QStringLiteral("be an ARN matching %1").arg(pattern);
    return QStringLiteral("match the pattern %1").arg(pattern);
}

QString isoText(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate);
}

std::optional<QDateTime> toDateTime(const QVariant &value)
{
    QDateTime time;
    if (value.metaType().id() == QMetaType::QDateTime)
        time = value.toDateTime();
    else if (value.metaType().id() == QMetaType::QString)
        time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    return time;
}

class Checker
{
public:
    Checker(const ResourceKind &kind, const ListQuery &query)
        : m_kind(kind)
        , m_query(query)
    {
    }

    QList<FieldError> run()
    {
        checkUnknownParameters();
        for (const FilterSpec &filter : m_kind.filters)
            checkFilter(filter);
        checkSort();
        checkDateRanges();
        checkPagination();
        return m_errors;
    }

private:
    void add(const QString &parameter, const QString &message) { m_errors.append({parameter, message}); }

    bool isSortParameter(const QString &name) const
    {
        return m_kind.serverSort
            && (name == m_kind.serverSort->sortByParameter || name == m_kind.serverSort->sortOrderParameter);
    }

    void checkUnknownParameters()
    {
        for (auto it = m_query.parameters.constBegin(); it != m_query.parameters.constEnd(); ++it) {
            const QString &name = it.key();
            if (m_kind.filter(name) || isSortParameter(name))
                continue;
            if (name == m_kind.pagination.limitKey) {
                add(name, QStringLiteral("%1 is set from the page size: use PageSize (--page-size) instead").arg(name));
            } else if (name == m_kind.pagination.inputToken) {
                add(name,
                    QStringLiteral("%1 is set by the paginator: use StartingToken (--starting-token) instead")
                        .arg(name));
            } else {
                QStringList accepted;
                for (const FilterSpec &filter : m_kind.filters)
                    accepted << filter.parameter;
                if (m_kind.serverSort)
                    accepted << m_kind.serverSort->sortByParameter << m_kind.serverSort->sortOrderParameter;
                add(name,
                    QStringLiteral("%1 does not take a parameter named %2 (accepted: %3)")
                        .arg(m_kind.operation.name, name, accepted.join(QStringLiteral(", "))));
            }
        }
    }

    void checkFilter(const FilterSpec &filter)
    {
        const auto it = m_query.parameters.constFind(filter.parameter);
        const bool absent = it == m_query.parameters.constEnd() || !it->isValid() || it->isNull()
            || (filter.required && it->metaType().id() == QMetaType::QString && it->toString().isEmpty());
        if (absent) {
            if (filter.required)
                add(filter.parameter, QStringLiteral("%1 is required").arg(filter.label));
            return;
        }
        const QVariant &value = *it;
        switch (filter.type) {
        case ValueType::Timestamp:
            if (!toDateTime(value))
                add(filter.parameter,
                    QStringLiteral("%1 must be a date and time such as 2024-05-01T12:00:00Z (got %2)")
                        .arg(filter.label, quoted(value.toString())));
            return;
        case ValueType::Integer:
            if (!value.canConvert<qint64>() || value.metaType().id() == QMetaType::QString)
                add(filter.parameter,
                    QStringLiteral("%1 must be a whole number (got %2)").arg(filter.label, quoted(value.toString())));
            return;
        case ValueType::Text:
        case ValueType::Enum:
        case ValueType::Arn:
        case ValueType::Id:
            break;
        }
        if (value.metaType().id() != QMetaType::QString) {
            add(filter.parameter,
                QStringLiteral("%1 must be text (got a %2)").arg(filter.label, QString::fromLatin1(value.typeName())));
            return;
        }
        const QString text = value.toString();
        const qsizetype length = codePointCount(text);
        if (filter.maxLength && length > *filter.maxLength) {
            add(filter.parameter,
                QStringLiteral("%1 must be at most %2 characters long (got %3 characters)")
                    .arg(filter.label)
                    .arg(*filter.maxLength)
                    .arg(length));
            return;
        }
        if (filter.minLength && length < *filter.minLength) {
            add(filter.parameter,
                QStringLiteral("%1 must be at least %2 characters long (got %3)")
                    .arg(filter.label)
                    .arg(*filter.minLength)
                    .arg(quoted(text)));
            return;
        }
        if (!filter.pattern.isEmpty() && !QueryValidator::matchesPattern(filter.pattern, text))
            add(filter.parameter,
                QStringLiteral("%1 must %2 (got %3)").arg(filter.label, describePattern(filter.pattern), quoted(text)));
    }

    void checkSort()
    {
        if (!m_kind.serverSort)
            return;
        const ServerSortSpec &sort = *m_kind.serverSort;
        QStringList columns;
        for (const ServerSortSpec::Column &column : sort.columns)
            columns << column.value;
        checkEnum(sort.sortByParameter, columns);
        checkEnum(sort.sortOrderParameter, {sort.ascending, sort.descending});
    }

    void checkEnum(const QString &parameter, const QStringList &accepted)
    {
        const auto it = m_query.parameters.constFind(parameter);
        if (it == m_query.parameters.constEnd())
            return;
        if (it->metaType().id() != QMetaType::QString || !accepted.contains(it->toString()))
            add(parameter,
                QStringLiteral("%1 must be one of %2 (got %3)")
                    .arg(parameter, accepted.join(QStringLiteral(", ")), quoted(it->toString())));
    }

    void checkDateRanges()
    {
        for (const FilterSpec &after : m_kind.filters) {
            if (after.bound != QLatin1String("after") || after.column.isEmpty())
                continue;
            for (const FilterSpec &before : m_kind.filters) {
                if (before.bound != QLatin1String("before") || before.column != after.column)
                    continue;
                const auto from = toDateTime(m_query.parameters.value(after.parameter));
                const auto to = toDateTime(m_query.parameters.value(before.parameter));
                if (from && to && *from > *to)
                    add(after.parameter,
                        QStringLiteral(
                            "%1 (%2) is later than %3 (%4): nothing can match; swap the dates or widen the range")
                            .arg(after.label, isoText(*from), before.label, isoText(*to)));
            }
        }
    }

    void checkPagination()
    {
        const PaginationSpec &pagination = m_kind.pagination;
        if (m_query.pageSize
            && (*m_query.pageSize < pagination.minPageSize || *m_query.pageSize > pagination.maxPageSize))
            add(QStringLiteral("PageSize"),
                QStringLiteral("Page size must be between %1 and %2 (got %3)")
                    .arg(pagination.minPageSize)
                    .arg(pagination.maxPageSize)
                    .arg(*m_query.pageSize));
        if (m_query.maxItems && *m_query.maxItems < 1)
            add(QStringLiteral("MaxItems"),
                QStringLiteral("Max items must be at least 1 (got %1); leave it unset for no limit")
                    .arg(*m_query.maxItems));
        if (!m_query.startingToken.isEmpty()) {
            const Result<PageToken> token = PageToken::decode(pagination.inputToken, m_query.startingToken);
            if (!token)
                add(QStringLiteral("StartingToken"), token.error().message);
        }
    }

    const ResourceKind &m_kind;
    const ListQuery &m_query;
    QList<FieldError> m_errors;
};

} // namespace

QList<FieldError> QueryValidator::validate(const ResourceKind &kind, const ListQuery &query)
{
    return Checker(kind, query).run();
}

AwsError QueryValidator::toError(const QList<FieldError> &errors)
{
    AwsError error;
    if (errors.isEmpty())
        return error;
    error.kind = AwsError::Kind::InvalidInput;
    error.code = QStringLiteral("InvalidParameter");
    error.parameter = errors.constFirst().parameter;
    error.message = errors.constFirst().message;
    return error;
}

QString QueryValidator::toAnchoredPattern(const QString &javaPattern)
{
    static const QRegularExpression property(QStringLiteral("^\\\\([pP])\\{(?:Is)?([A-Za-z]+)\\}"));
    QString out;
    out.reserve(javaPattern.size() + 16);
    int classDepth = 0;
    for (qsizetype i = 0; i < javaPattern.size(); ++i) {
        const QChar c = javaPattern.at(i);
        if (c == QLatin1Char('\\') && i + 1 < javaPattern.size()) {
            const auto match = property.match(QStringView(javaPattern).mid(i));
            const QString posix = match.hasMatch() ? posixClassFor(match.captured(2)) : QString();
            if (!posix.isEmpty()) {
                const bool negated = match.captured(1) == QLatin1String("P");
                const QString set
                    = QStringLiteral("[:") + (negated ? QStringLiteral("^") : QString()) + posix + QStringLiteral(":]");
                out += classDepth > 0 ? set : QLatin1Char('[') + set + QLatin1Char(']');
                i += match.capturedLength() - 1;
            } else {
                out += c;
                out += javaPattern.at(++i);
            }
            continue;
        }
        if (c == QLatin1Char('['))
            ++classDepth;
        else if (c == QLatin1Char(']') && classDepth > 0)
            --classDepth;
        out += c;
    }
    return QStringLiteral("\\A(?:") + out + QStringLiteral(")\\z");
}

bool QueryValidator::matchesPattern(const QString &javaPattern, const QString &value)
{
    const QRegularExpression regex(toAnchoredPattern(javaPattern));
    if (!regex.isValid())
        return true;
    return regex.match(value).hasMatch();
}

} // namespace pagewise
