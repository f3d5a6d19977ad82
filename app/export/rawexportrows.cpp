#include "rawexportrows.h"

#include "export/csvwriter.h"
#include "export/exportrows.h"
#include "export/wirevalues.h"
#include "paging/rawpage.h"

namespace pagewise
{

using simdjson::dom::element;
using simdjson::dom::element_type;

RawExportRows::RawExportRows(const QList<ColumnSpec> &columns)
{
    m_columns.reserve(size_t(columns.size()));
    for (const ColumnSpec &spec : columns)
        m_columns.push_back(Column {spec, spec.member.toStdString(), spec.type == ValueType::Timestamp});
    m_values.resize(m_columns.size());
    m_rowOfValue.assign(m_columns.size(), 0);
}

int RawExportRows::columnOf(std::string_view member) const
{
    // A handful of columns: a scan (lengths compared first) is as fast as any index.
    for (size_t c = 0; c < m_columns.size(); ++c) {
        if (m_columns[c].member == member)
            return int(c);
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

void RawExportRows::writeCell(CsvWriter &writer, const Column &column, element value)
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
                writeIsoCell(writer, *ms);
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
                writeIsoCell(writer, *ms);
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

void RawExportRows::writeIsoCell(CsvWriter &writer, qint64 ms)
{
    char buffer[kIsoUtcMaxSize];
    writer.addUtf8Cell(std::string_view(buffer, size_t(formatIsoUtc(ms, buffer) - buffer)));
}

void RawExportRows::writeFallback(CsvWriter &writer, const Column &column, element value)
{
    writer.addCell(exportCellText(column.spec, rawToJson(value)));
}

} // namespace pagewise
