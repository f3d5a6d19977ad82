#include "rowpredicate.h"

#include "resourcerowstore.h"
#include "rowsort.h"

namespace pagewise
{

namespace
{

bool poolEntryMatchesText(const ResourceRowStore &store, int column, const QString &value, const QString &needle)
{
    if (containsFolded(value, needle))
        return true;
    return store.columnType(column) == ValueType::Enum && containsFolded(store.readableEnum(column, value), needle);
}

} // namespace

RowPredicate::RowPredicate(const ResourceRowStore &store, const LocalFilter &filter)
    : m_store(store)
{
    const ResourceKind &kind = store.kind();
    for (const LocalFilter::Text &text : filter.texts) {
        if (text.needle.isEmpty())
            continue;
        TextCondition condition;
        condition.needle = foldText(text.needle);
        for (const QString &member : text.members) {
            const int column = kind.columnIndex(member);
            if (column >= 0)
                condition.targets.push_back(TextTarget {column, {}});
        }
        if (condition.targets.empty())
            m_matchesNothing = true;
        m_texts.push_back(std::move(condition));
    }
    for (const LocalFilter::OneOf &oneOf : filter.oneOfs) {
        if (oneOf.values.isEmpty())
            continue;
        const int column = kind.columnIndex(oneOf.member);
        if (column < 0 || !store.stringColumn(column)) {
            m_matchesNothing = true;
            continue;
        }
        m_oneOfs.push_back(OneOfCondition {column, oneOf.values, {}});
    }
    for (const LocalFilter::TimeRange &range : filter.timeRanges) {
        if (!range.from && !range.to)
            continue;
        const int column = kind.columnIndex(range.member);
        if (column < 0 || !store.timestampColumn(column)) {
            m_matchesNothing = true;
            continue;
        }
        TimeCondition condition;
        condition.column = column;
        condition.from = range.from ? range.from->toMSecsSinceEpoch() : std::numeric_limits<qint64>::min() + 1;
        condition.to = range.to ? range.to->toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
        m_times.push_back(condition);
    }
    refresh();
}

void RowPredicate::refresh()
{
    // Decides the values a pooled column gained since last time; a column not pooled keeps none.
    const auto decidePool = [](const StringColumn *strings, PoolDecisions &pool, auto decide) {
        if (!strings || strings->encoding() != StringColumn::Encoding::Pool) {
            pool.matches.clear();
            return;
        }
        if (int(strings->encoding()) == pool.encoding && strings->poolSize() == pool.decidedPoolSize)
            return;
        pool.encoding = int(strings->encoding());
        const QList<QString> &values = strings->pool();
        const size_t from = pool.decidedPoolSize < 0 ? 0 : pool.matches.size();
        pool.matches.resize(size_t(values.size()), 0);
        for (size_t i = std::max<size_t>(from, 1); i < size_t(values.size()); ++i)
            pool.matches[i] = decide(values[qsizetype(i)]);
        pool.decidedPoolSize = strings->poolSize();
    };
    for (TextCondition &condition : m_texts) {
        for (TextTarget &target : condition.targets) {
            decidePool(m_store.stringColumn(target.column), target.pool, [&](const QString &value) {
                return poolEntryMatchesText(m_store, target.column, value, condition.needle);
            });
        }
    }
    for (OneOfCondition &condition : m_oneOfs) {
        decidePool(m_store.stringColumn(condition.column), condition.pool,
            [&](const QString &value) { return condition.values.contains(value); });
    }
}

bool RowPredicate::textTargetMatches(const QString &needle, const TextTarget &target, quint32 row) const
{
    if (m_store.isNull(int(row), target.column))
        return false;
    if (const StringColumn *strings = m_store.stringColumn(target.column)) {
        switch (strings->encoding()) {
        case StringColumn::Encoding::Pool:
            return target.pool.matches[strings->code(row)];
        case StringColumn::Encoding::Blob:
            return containsFolded(strings->view(row), needle);
        case StringColumn::Encoding::RawId: {
            if (strings->isFallback(row))
                return containsFolded(strings->text(row), needle);
            char16_t buffer[96];
            const QString &prefix = strings->idPrefix();
            const qsizetype prefixLength = std::min<qsizetype>(prefix.size(), 64);
            std::copy_n(reinterpret_cast<const char16_t *>(prefix.constData()), prefixLength, buffer);
            static constexpr char16_t hex[] = u"0123456789abcdef";
            char16_t *p = buffer + prefixLength;
            for (quint8 byte : strings->rawId(row)) {
                *p++ = hex[byte >> 4];
                *p++ = hex[byte & 15];
            }
            return containsFolded(QStringView(buffer, p - buffer), needle);
        }
        }
    }
    return containsFolded(m_store.displayText(int(row), target.column), needle);
}

bool RowPredicate::textMatches(const TextCondition &condition, quint32 row) const
{
    for (const TextTarget &target : condition.targets) {
        if (textTargetMatches(condition.needle, target, row))
            return true;
    }
    return false;
}

bool RowPredicate::matches(quint32 row) const
{
    if (m_matchesNothing)
        return false;
    for (const TimeCondition &condition : m_times) {
        const qint64 ms = m_store.timestampMs(int(row), condition.column);
        if (ms == kNullValue || ms < condition.from || ms > condition.to)
            return false;
    }
    for (const OneOfCondition &condition : m_oneOfs) {
        const StringColumn *strings = m_store.stringColumn(condition.column);
        if (!strings->isPresent(row))
            return false;
        const bool hit = strings->encoding() == StringColumn::Encoding::Pool
            ? bool(condition.pool.matches[strings->code(row)])
            : condition.values.contains(strings->text(row));
        if (!hit)
            return false;
    }
    for (const TextCondition &condition : m_texts) {
        if (!textMatches(condition, row))
            return false;
    }
    return true;
}

int RowPredicate::count(int first, int last) const
{
    int n = 0;
    for (int row = first; row <= last; ++row)
        n += matches(quint32(row));
    return n;
}

} // namespace pagewise
