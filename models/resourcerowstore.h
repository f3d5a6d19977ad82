#pragma once

#include "kinds/resourcekind.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QVariant>

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

namespace pagewise
{

/// Marks an absent (or unparseable) timestamp or integer.
inline constexpr qint64 kNullValue = std::numeric_limits<qint64>::min();

/// One bit per row.
class RowBits
{
public:
    bool test(size_t row) const { return row / 64 < m_words.size() && (m_words[row / 64] >> (row % 64)) & 1u; }
    void set(size_t row, bool on);
    void clear() { m_words.clear(); }
    size_t bytes() const { return m_words.capacity() * sizeof(quint64); }

private:
    std::vector<quint64> m_words;
};

/// A timestamp column: milliseconds since the epoch (UTC), kNullValue when absent. The wire
/// form (epoch-seconds number or ISO-8601 string) follows the protocol; values that would not
/// re-serialise to exactly what arrived keep their wire value in the store's side table.
struct TimestampColumn {
    enum class WireForm : quint8 { Unknown, EpochSeconds, Iso8601 };
    std::vector<qint64> ms;
    WireForm form = WireForm::Unknown;
};

/// An integer column (kNullValue when absent).
struct IntegerColumn {
    std::vector<qint64> values;
};

/// A string column in one of three encodings:
/// - Pool: a per-column pool of distinct strings, one index per row (enums, status, fleet and
///   worker ids, updatedBy): 4 bytes a row.
/// - Blob: every row's UTF-16 text in one buffer with offsets (names, ARNs, descriptions).
/// - RawId: "<prefix>" + 32 lowercase hex digits as 16 raw bytes; rows that do not match keep
///   their text in a small fallback table.
/// Columns of repeated-looking types start pooled and switch to Blob/RawId once most values
/// turn out to be distinct; key columns start unique.
class StringColumn
{
public:
    enum class Encoding : quint8 { Pool, Blob, RawId };

    StringColumn(ValueType type, const QString &idPrefix, bool unique);

    Encoding encoding() const { return m_encoding; }
    bool isPresent(size_t row) const;
    /// The stored text (ids rebuilt from their bytes); empty when absent.
    QString text(size_t row) const;
    /// Pool only: the row's pool index (0 = absent) and the pool itself.
    quint32 code(size_t row) const { return m_codes[row]; }
    const QList<QString> &pool() const { return m_pool; }
    /// Blob only: a view of the row's text (valid until the next append).
    QStringView view(size_t row) const;
    /// RawId only: the 16 bytes, and whether the row fell back to text.
    const std::array<quint8, 16> &rawId(size_t row) const { return m_ids[row]; }
    bool isFallback(size_t row) const { return m_fallback.test(row); }
    const QString &idPrefix() const { return m_idPrefix; }
    /// Distinct values seen so far (Pool only; grows only).
    int poolSize() const { return int(m_pool.size()) - 1; }

    void append(const QString *value); ///< nullptr = absent
    void clear();
    size_t bytes() const;

    /// Parses "<prefix><32 lowercase hex>" into bytes.
    static bool parseId(QStringView text, QStringView prefix, std::array<quint8, 16> *out);

private:
    void convertFromPool();
    void appendUnique(const QString *value);

    ValueType m_type;
    QString m_idPrefix;
    Encoding m_encoding = Encoding::Pool;
    size_t m_rows = 0;
    // Pool
    std::vector<quint32> m_codes;
    QList<QString> m_pool;
    QHash<QString, quint32> m_poolIndex;
    // Blob
    std::vector<quint32> m_offsets;
    std::vector<char16_t> m_chars;
    RowBits m_present;
    // RawId
    std::vector<std::array<quint8, 16>> m_ids;
    RowBits m_fallback;
    QHash<quint32, QString> m_fallbackText;
};

/// The loaded rows of one listing, stored compactly in typed columns (one per ColumnSpec of the
/// kind), never as a QVariant or QJsonObject per cell. Members the kind does not describe, and
/// values that cannot be kept typed without changing their wire form (a JSON null, a number
/// where a string belongs, a timestamp in a non-canonical spelling), live in a sparse side table
/// per row, so resource() gives back every member exactly as it arrived (JSON value equality).
class ResourceRowStore
{
public:
    explicit ResourceRowStore(const ResourceKind &kind);
    ~ResourceRowStore();

    const ResourceKind &kind() const { return m_kind; }
    int rowCount() const { return int(m_rows); }
    int columnCount() const { return int(m_kind.columns.size()); }
    ValueType columnType(int column) const { return m_kind.columns[column].type; }
    int keyColumn() const { return m_keyColumn; }

    /// The item's keyMember value ("" when it has none: such items are never deduplicated).
    QString keyOf(const QJsonObject &item) const;
    /// Whether a row with this key is stored.
    bool containsKey(const QString &key) const;
    /// Appends one item (the caller dedupes).
    void append(const QJsonObject &item);
    void clear();

    // Typed access (row, column in range).
    bool isNull(int row, int column) const; ///< no typed value (absent, or kept in the side table only)
    qint64 timestampMs(int row, int column) const; ///< kNullValue when absent
    qint64 integer(int row, int column) const; ///< kNullValue when absent
    QString text(int row, int column) const; ///< strings, enums (wire value), ids and ARNs
    const TimestampColumn *timestampColumn(int column) const;
    const IntegerColumn *integerColumn(int column) const;
    const StringColumn *stringColumn(int column) const;

    /// Formatted for people: local time "yyyy-MM-dd HH:mm:ss", readable known enum values.
    QString displayText(int row, int column) const;
    /// Full value: ISO-8601 UTC with milliseconds for timestamps, the whole text otherwise.
    QString toolTip(int row, int column) const;
    /// QDateTime (UTC) / qint64 / QString; invalid when absent.
    QVariant rawValue(int row, int column) const;
    /// The member exactly as it arrived (undefined when absent).
    QJsonValue wireValue(int row, int column) const;
    QJsonObject resource(int row) const;
    QString key(int row) const;
    /// Readable form of a known enum value ("CREATE_FAILED" -> "Create failed"); others unchanged.
    QString readableEnum(int column, const QString &value) const;

    /// Heap bytes held by the columns (an estimate; the benchmark measures RSS).
    size_t bytes() const;

private:
    struct Column;
    void appendTimestamp(Column &column, const QJsonValue &value, QJsonObject *extras);
    void appendInteger(Column &column, const QJsonValue &value, QJsonObject *extras);
    void appendString(Column &column, const QJsonValue &value, QJsonObject *extras);
    quint64 rowKeyHash(size_t row) const;
    void insertKey(size_t row, quint64 hash);
    void growKeyTable();
    const QJsonObject *extras(int row) const;

    const ResourceKind &m_kind;
    std::vector<Column> m_columns;
    QHash<QString, int> m_columnOfMember;
    int m_keyColumn = -1;
    size_t m_rows = 0;
    QHash<quint32, QJsonObject> m_extras;
    /// Open addressing over row numbers (row + 1; 0 = empty), hashed by key.
    std::vector<quint32> m_keySlots;
};

/// Wire timestamp helpers (strict, allocation-free for the canonical forms).
namespace wiretime
{
/// "2024-05-01T12:00:00Z" / "2024-05-01T12:00:00.789Z" -> ms; nullopt for any other spelling.
std::optional<qint64> parseCanonicalIso(QStringView text);
/// The canonical spelling: no fraction when ms % 1000 == 0, else exactly three digits.
QString formatCanonicalIso(qint64 ms);
/// Always with milliseconds: "2024-05-01T12:00:00.000Z" (tool tips, export).
QString formatIsoWithMs(qint64 ms);
/// Any spelling botocore accepts for a timestamp member (export/wirevalues' parseWireTimestampMs).
std::optional<qint64> parseAny(const QJsonValue &value);
} // namespace wiretime

} // namespace pagewise
