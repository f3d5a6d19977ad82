#pragma once

#include <QChar>
#include <QString>
#include <QtGlobal>

#include <vector>

namespace pagewise
{

class ResourceRowStore;

/// The order of one column of a ResourceRowStore, on typed keys:
/// - timestamps and integers by value, pooled strings by the rank of their pool entry, text by
///   case-folded UTF-16 then exact UTF-16, ids matching their pattern by their bytes (the same
///   as their text order) and ids that do not match after them, by text;
/// - rows without a value last in both directions;
/// - equal values in row (load) order, in both directions.
/// Every comparison is a total order on rows, so a merge of new rows by binary search gives
/// exactly what a full re-sort gives.
class RowComparator
{
public:
    RowComparator(const ResourceRowStore &store, int column, Qt::SortOrder order);

    int column() const { return m_column; }
    Qt::SortOrder order() const { return m_order; }
    /// Call after rows were appended (new pool entries get their rank).
    void refresh();
    bool less(quint32 a, quint32 b) const;
    /// Every row of `rows` in this order (fast path: radix sort on typed keys).
    std::vector<quint32> sorted(std::vector<quint32> rows) const;

private:
    enum Category : int { Value = 0, Fallback = 1, Null = 2 };
    int category(quint32 row) const;
    int compareValues(quint32 a, quint32 b) const; ///< ascending; 0 when equal
    void sortTextRange(struct SortEntry *begin, struct SortEntry *end, struct SortEntry *scratch, int depth) const;

    const ResourceRowStore &m_store;
    int m_column;
    Qt::SortOrder m_order;
    std::vector<quint32> m_rank; ///< pool index -> rank (pooled columns)
    int m_rankedPoolSize = -1;
    int m_encoding = -1;
};

/// Simple case folding of one UTF-16 unit (the text order of RowComparator and the local filter).
inline char16_t foldUnit(char16_t c)
{
    if (c < 128)
        return (c >= u'A' && c <= u'Z') ? char16_t(c + 32) : c;
    return char16_t(QChar::toCaseFolded(char32_t(c)));
}
/// Every unit folded.
QString foldText(QStringView text);
/// Case-folded UTF-16 comparison (the text order of RowComparator), then exact.
int compareFolded(QStringView a, QStringView b);
/// Whether `haystack`, folded, contains `foldedNeedle` (already folded with foldText).
bool containsFolded(QStringView haystack, QStringView foldedNeedle);

/// The proxy's row mapping: proxy row -> source row, with a gap so a sorted page can be inserted
/// run by run in one pass over the vector (the rows before the gap are final, those after it
/// are the old rows not yet passed).
struct RowOrder {
    std::vector<quint32> rows;
    /// Every loaded row in sort order, kept only while sorted and a filter hides some rows.
    std::vector<quint32> allSorted;
    int gapStart = 0;
    int gapLength = 0;

    int size() const { return int(rows.size()) - gapLength; }
    quint32 at(int i) const { return rows[size_t(i < gapStart ? i : i + gapLength)]; }
    void assign(std::vector<quint32> values)
    {
        rows = std::move(values);
        gapStart = gapLength = 0;
    }
};

} // namespace pagewise
