#include "rowsort.h"

#include "resourcerowstore.h"

#include <QChar>

#include <algorithm>
#include <cstring>
#include <numeric>

namespace pagewise
{

struct SortEntry {
    quint64 key;
    quint32 row;
};

namespace
{

constexpr quint64 kSignBit = quint64(1) << 63;

inline char16_t fold(char16_t c)
{
    return foldUnit(c);
}

/// Four folded UTF-16 units from `depth`, big-endian, zero-padded: ordered like compareFolded.
inline quint64 textKey(QStringView text, int depth)
{
    quint64 key = 0;
    const qsizetype n = text.size();
    for (int i = 0; i < 4; ++i) {
        const qsizetype at = depth + i;
        key = (key << 16) | (at < n ? fold(text[at].unicode()) : 0u);
    }
    return key;
}

inline quint64 bigEndian64(const quint8 *bytes)
{
    quint64 v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | bytes[i];
    return v;
}

/// Stable LSD radix sort on `key`, 8 bits a pass, skipping passes in which every key has the
/// same byte. The result is in [begin, end).
void radixSort(SortEntry *begin, SortEntry *end, SortEntry *scratch)
{
    const size_t n = size_t(end - begin);
    if (n < 64) {
        std::stable_sort(begin, end, [](const SortEntry &a, const SortEntry &b) { return a.key < b.key; });
        return;
    }
    std::vector<std::array<quint32, 256>> counts(8);
    for (auto &c : counts)
        c.fill(0);
    for (SortEntry *e = begin; e != end; ++e) {
        const quint64 k = e->key;
        for (int pass = 0; pass < 8; ++pass)
            ++counts[size_t(pass)][(k >> (pass * 8)) & 0xff];
    }
    SortEntry *from = begin;
    SortEntry *to = scratch;
    for (int pass = 0; pass < 8; ++pass) {
        auto &count = counts[size_t(pass)];
        if (std::any_of(count.begin(), count.end(), [n](quint32 c) { return c == n; }))
            continue;
        quint32 offsets[256];
        quint32 sum = 0;
        for (int b = 0; b < 256; ++b) {
            offsets[b] = sum;
            sum += count[size_t(b)];
        }
        const int shift = pass * 8;
        for (SortEntry *e = from; e != from + n; ++e)
            to[offsets[(e->key >> shift) & 0xff]++] = *e;
        std::swap(from, to);
    }
    if (from != begin)
        std::copy(from, from + n, begin);
}

/// Calls sortTies(first, last) on every run of two or more entries with equal keys.
template<typename SortTies>
void forEachTie(SortEntry *begin, SortEntry *end, SortTies sortTies)
{
    for (SortEntry *g = begin; g != end;) {
        SortEntry *groupEnd = g + 1;
        while (groupEnd != end && groupEnd->key == g->key)
            ++groupEnd;
        if (groupEnd - g > 1)
            sortTies(g, groupEnd);
        g = groupEnd;
    }
}

/// Folded units only (no exact tie-break): 0 for text that differs only in case.
int compareFoldedOnly(QStringView a, QStringView b)
{
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t fa = foldUnit(a[i].unicode()), fb = foldUnit(b[i].unicode());
        if (fa != fb)
            return fa < fb ? -1 : 1;
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

} // namespace

QString foldText(QStringView text)
{
    QString out(text.size(), Qt::Uninitialized);
    for (qsizetype i = 0; i < text.size(); ++i)
        out[i] = QChar(foldUnit(text[i].unicode()));
    return out;
}

bool containsFolded(QStringView haystack, QStringView foldedNeedle)
{
    const qsizetype m = foldedNeedle.size();
    if (m == 0)
        return true;
    const char16_t first = foldedNeedle[0].unicode();
    for (qsizetype i = 0; i + m <= haystack.size(); ++i) {
        if (foldUnit(haystack[i].unicode()) != first)
            continue;
        qsizetype j = 1;
        while (j < m && foldUnit(haystack[i + j].unicode()) == foldedNeedle[j].unicode())
            ++j;
        if (j == m)
            return true;
    }
    return false;
}

int compareFolded(QStringView a, QStringView b)
{
    if (const int folded = compareFoldedOnly(a, b))
        return folded;
    // Equal but for case: the exact units decide.
    const qsizetype n = a.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t ca = a[i].unicode(), cb = b[i].unicode();
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return 0;
}

RowComparator::RowComparator(const ResourceRowStore &store, int column, Qt::SortOrder order)
    : m_store(store)
    , m_column(column)
    , m_order(order)
{
    refresh();
}

void RowComparator::refresh()
{
    const StringColumn *strings = m_store.stringColumn(m_column);
    if (!strings)
        return;
    const int encoding = int(strings->encoding());
    if (strings->encoding() != StringColumn::Encoding::Pool) {
        m_encoding = encoding;
        m_rank.clear();
        return;
    }
    if (encoding == m_encoding && strings->poolSize() == m_rankedPoolSize)
        return;
    m_encoding = encoding;
    m_rankedPoolSize = strings->poolSize();
    const QList<QString> &pool = strings->pool();
    const bool idColumn = m_store.columnType(m_column) == ValueType::Id && !strings->idPrefix().isEmpty();
    std::vector<quint8> fallback(size_t(pool.size()), 0);
    if (idColumn) {
        std::array<quint8, 16> bytes;
        for (qsizetype i = 1; i < pool.size(); ++i)
            fallback[size_t(i)] = !StringColumn::parseId(pool[i], strings->idPrefix(), &bytes);
    }
    std::vector<quint32> byOrder(size_t(pool.size() - 1));
    std::iota(byOrder.begin(), byOrder.end(), 1u);
    std::sort(byOrder.begin(), byOrder.end(), [&](quint32 a, quint32 b) {
        if (fallback[a] != fallback[b])
            return fallback[a] < fallback[b];
        const int c = compareFolded(pool[a], pool[b]);
        return c != 0 ? c < 0 : a < b;
    });
    m_rank.assign(size_t(pool.size()), 0);
    for (size_t i = 0; i < byOrder.size(); ++i)
        m_rank[byOrder[i]] = quint32(i + 1) | (fallback[byOrder[i]] ? 0x80000000u : 0u);
}

int RowComparator::category(quint32 row) const
{
    if (m_store.isNull(int(row), m_column))
        return Null;
    const StringColumn *strings = m_store.stringColumn(m_column);
    if (!strings)
        return Value;
    switch (strings->encoding()) {
    case StringColumn::Encoding::RawId:
        return strings->isFallback(row) ? Fallback : Value;
    case StringColumn::Encoding::Pool:
        return (m_rank[strings->code(row)] & 0x80000000u) ? Fallback : Value;
    case StringColumn::Encoding::Blob:
        break;
    }
    return Value;
}

int RowComparator::compareValues(quint32 a, quint32 b) const
{
    const StringColumn *strings = m_store.stringColumn(m_column);
    if (!strings) {
        const bool timestamps = m_store.timestampColumn(m_column);
        const qint64 va = timestamps ? m_store.timestampMs(int(a), m_column) : m_store.integer(int(a), m_column);
        const qint64 vb = timestamps ? m_store.timestampMs(int(b), m_column) : m_store.integer(int(b), m_column);
        return va < vb ? -1 : (va > vb ? 1 : 0);
    }
    switch (strings->encoding()) {
    case StringColumn::Encoding::Pool: {
        const quint32 ra = m_rank[strings->code(a)], rb = m_rank[strings->code(b)];
        return ra < rb ? -1 : (ra > rb ? 1 : 0);
    }
    case StringColumn::Encoding::Blob:
        return compareFolded(strings->view(a), strings->view(b));
    case StringColumn::Encoding::RawId:
        if (!strings->isFallback(a) && !strings->isFallback(b))
            return std::memcmp(strings->rawId(a).data(), strings->rawId(b).data(), 16);
        return compareFolded(strings->text(a), strings->text(b));
    }
    return 0;
}

bool RowComparator::less(quint32 a, quint32 b) const
{
    const int ca = category(a), cb = category(b);
    if (ca != cb)
        return ca < cb;
    if (ca != Null) {
        const int c = compareValues(a, b);
        if (c != 0)
            return m_order == Qt::AscendingOrder ? c < 0 : c > 0;
    }
    return a < b;
}

void RowComparator::sortTextRange(SortEntry *begin, SortEntry *end, SortEntry *scratch, int depth) const
{
    const StringColumn *strings = m_store.stringColumn(m_column);
    const bool ascending = m_order == Qt::AscendingOrder;
    // Every string of the range shares its first `depth` units (folded): compare from there on.
    const auto byTextFrom = [strings, ascending](int from) {
        return [strings, ascending, from](const SortEntry &x, const SortEntry &y) {
            const QStringView a = strings->view(x.row), b = strings->view(y.row);
            int c = a.size() >= from && b.size() >= from ? compareFoldedOnly(a.mid(from), b.mid(from))
                                                         : compareFolded(a, b);
            if (c == 0)
                c = compareFolded(a, b);
            if (c == 0)
                return x.row < y.row;
            return ascending ? c < 0 : c > 0;
        };
    };
    if (end - begin <= 32) {
        std::sort(begin, end, byTextFrom(depth));
        return;
    }
    // Skip what every string shares from here on (ARNs share dozens of characters).
    {
        const QStringView first = strings->view(begin->row);
        qsizetype common = std::max<qsizetype>(0, first.size() - depth);
        for (SortEntry *e = begin + 1; e != end && common > 0; ++e) {
            const QStringView text = strings->view(e->row);
            const qsizetype limit = std::min<qsizetype>(common, text.size() - depth);
            qsizetype same = 0;
            while (same < limit && fold(text[depth + same].unicode()) == fold(first[depth + same].unicode()))
                ++same;
            common = same;
        }
        depth += int(common);
    }
    const bool descending = m_order == Qt::DescendingOrder;
    bool anyLonger = false;
    for (SortEntry *e = begin; e != end; ++e) {
        const QStringView text = strings->view(e->row);
        e->key = descending ? ~textKey(text, depth) : textKey(text, depth);
        anyLonger = anyLonger || text.size() > depth + 4;
    }
    radixSort(begin, end, scratch);
    if (!anyLonger) {
        // Equal keys mean equal folded text here: order those groups exactly (case, then row).
        forEachTie(begin, end, [&](SortEntry *first, SortEntry *last) { std::sort(first, last, byTextFrom(depth)); });
        return;
    }
    forEachTie(begin, end,
        [&](SortEntry *first, SortEntry *last) { sortTextRange(first, last, scratch + (first - begin), depth + 4); });
}

std::vector<quint32> RowComparator::sorted(std::vector<quint32> rows) const
{
    if (!std::is_sorted(rows.begin(), rows.end()))
        std::sort(rows.begin(), rows.end());

    std::vector<SortEntry> values;
    std::vector<quint32> fallbacks, nulls;
    values.reserve(rows.size());
    for (quint32 row : rows) {
        switch (category(row)) {
        case Value:
            values.push_back({0, row});
            break;
        case Fallback:
            fallbacks.push_back(row);
            break;
        default:
            nulls.push_back(row);
            break;
        }
    }
    rows.clear();
    rows.shrink_to_fit();

    const bool descending = m_order == Qt::DescendingOrder;
    std::vector<SortEntry> scratch(values.size());
    const StringColumn *strings = m_store.stringColumn(m_column);
    if (!strings || strings->encoding() != StringColumn::Encoding::Blob) {
        bool needsTies = false;
        for (SortEntry &e : values) {
            quint64 key;
            if (!strings) {
                const qint64 v = m_store.timestampColumn(m_column) ? m_store.timestampMs(int(e.row), m_column)
                                                                   : m_store.integer(int(e.row), m_column);
                key = quint64(v) ^ kSignBit;
            } else if (strings->encoding() == StringColumn::Encoding::Pool) {
                key = m_rank[strings->code(e.row)];
            } else {
                key = bigEndian64(strings->rawId(e.row).data());
                needsTies = true;
            }
            e.key = descending ? ~key : key;
        }
        radixSort(values.data(), values.data() + values.size(), scratch.data());
        if (needsTies) {
            // Ids equal in their first 8 bytes: settle on all 16 (rare).
            const auto byComparator = [this](const SortEntry &x, const SortEntry &y) { return less(x.row, y.row); };
            forEachTie(values.data(), values.data() + values.size(),
                [&](SortEntry *first, SortEntry *last) { std::sort(first, last, byComparator); });
        }
    } else {
        sortTextRange(values.data(), values.data() + values.size(), scratch.data(), 0);
    }
    scratch = {};

    std::sort(fallbacks.begin(), fallbacks.end(), [this](quint32 a, quint32 b) { return less(a, b); });
    std::vector<quint32> out;
    out.reserve(values.size() + fallbacks.size() + nulls.size());
    for (const SortEntry &e : values)
        out.push_back(e.row);
    out.insert(out.end(), fallbacks.begin(), fallbacks.end());
    out.insert(out.end(), nulls.begin(), nulls.end());
    return out;
}

} // namespace pagewise
