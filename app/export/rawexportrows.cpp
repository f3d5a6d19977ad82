#include "rawexportrows.h"

#include "export/csvwriter.h"
#include "export/exportrows.h"
#include "export/wirevalues.h"
#include "paging/rawpage.h"

#include <cstring>
namespace pagewise
{

using simdjson::dom::element;
using simdjson::dom::element_type;

namespace
{

// Every member of an item is looked up in every row: one comparison of text each, against the
// column of the same length and last byte, rather than one per column.
size_t slotOf(std::string_view member, size_t slotCount)
{
    const size_t last = member.empty() ? 0 : static_cast<unsigned char>(member.back());
    return (member.size() * 31 + last) % slotCount;
}

template<typename Word>
Word load(const char *p)
{
    Word word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

// std::string_view's == calls memcmp, which costs more than comparing a short name: words at a
// time, the last one overlapping.
bool sameText(std::string_view a, std::string_view b)
{
    const size_t n = a.size();
    if (n != b.size())
        return false;
    if (n < 4)
        return a == b;
    if (n < 8)
        return load<quint32>(a.data()) == load<quint32>(b.data())
            && load<quint32>(a.data() + n - 4) == load<quint32>(b.data() + n - 4);
    for (size_t i = 0; i + 8 < n; i += 8) {
        if (load<quint64>(a.data() + i) != load<quint64>(b.data() + i))
            return false;
    }
    return load<quint64>(a.data() + n - 8) == load<quint64>(b.data() + n - 8);
}

} // namespace

RawExportRows::RawExportRows(const QList<ColumnSpec> &columns)
{
    m_columns.reserve(size_t(columns.size()));
    for (const ColumnSpec &spec : columns)
        m_columns.push_back(Column {spec, spec.member.toStdString(), spec.type == ValueType::Timestamp});
    m_values.resize(m_columns.size());
    m_rowOfValue.assign(m_columns.size(), 0);
    // Each slot chains its columns in column order.
    m_firstInSlot.fill(-1);
    for (int c = int(m_columns.size()) - 1; c >= 0; --c) {
        int &first = m_firstInSlot[slotOf(m_columns[size_t(c)].member, kSlots)];
        m_columns[size_t(c)].nextInSlot = first;
        first = c;
    }
}

// Inline (as writeCell()): once per member of every item, a call costs as much as the work.
inline int RawExportRows::columnOf(std::string_view member) const
{
    for (int c = m_firstInSlot[slotOf(member, kSlots)]; c >= 0; c = m_columns[size_t(c)].nextInSlot) {
        if (sameText(m_columns[size_t(c)].member, member))
            return c;
    }
    return -1;
}

void RawExportRows::writeRows(CsvWriter &writer, const RawItems &items)
{
    for (qsizetype i = 0; i < items.count; ++i)
        writeRow(writer, rawItem(items, i));
}

void RawExportRows::writeRow(CsvWriter &writer, element item)
{
    ++m_row;
    simdjson::dom::object object;
    if (!item.get_object().get(object)) {
        for (const simdjson::dom::key_value_pair field : object) {
            const int c = columnOf(field.key);
            if (c >= 0) {
                // A member repeated keeps its last value, as in a QJsonObject.
                m_values[size_t(c)] = field.value;
                m_rowOfValue[size_t(c)] = m_row;
            }
        }
    }
    for (size_t c = 0; c < m_columns.size(); ++c) {
        if (m_rowOfValue[c] == m_row)
            writeCell(writer, m_columns[c], m_values[c]);
        else
            writer.addUtf8Cell({});
    }
    writer.endRow();
}

inline void RawExportRows::writeCell(CsvWriter &writer, const Column &column, element value)
{
    // Each case is exportCellText()'s rule for that shape; see writeFallback() for the rest.
    switch (value.type()) {
    case element_type::NULL_VALUE:
        writer.addUtf8Cell({});
        return;
    case element_type::STRING: {
        const std::string_view text = value.get_string().value_unsafe();
        if (column.timestamp) {
            if (const std::optional<qint64> ms = parseWireTimestampMs(text)) {
                writer.addIsoUtcCell(*ms);
                return;
            }
        }
        writer.addUtf8Cell(text); // not a timestamp: as it came
        return;
    }
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: {
        // What QJsonValue::toDouble() gives for the same number.
        const double number = value.get_double().value_unsafe();
        if (column.timestamp) {
            if (const std::optional<qint64> ms = epochSecondsToMs(number)) {
                writer.addIsoUtcCell(*ms);
                return;
            }
        }
        break;
    }
    case element_type::BOOL:
        writer.addUtf8Cell(value.get_bool().value_unsafe() ? "true" : "false");
        return;
    case element_type::ARRAY:
    case element_type::OBJECT:
        break;
    }
    writeFallback(writer, column, value);
}

void RawExportRows::writeFallback(CsvWriter &writer, const Column &column, element value)
{
    writer.addCell(exportCellText(column.spec, rawToJson(value)));
}

} // namespace pagewise
