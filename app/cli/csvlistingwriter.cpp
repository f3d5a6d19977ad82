#include "csvlistingwriter.h"

#include "export/exportrows.h"
#include "export/wirevalues.h"

#include <QJsonArray>
#include <QJsonObject>

namespace pagewise
{

CsvListingWriter::CsvListingWriter(QList<ColumnSpec> columns, bool rawCells)
    : m_specs(std::move(columns))
    , m_csv(&m_output)
    , m_rawRows(m_specs)
{
    m_csv.setRawCells(rawCells);
    for (const ColumnSpec &spec : std::as_const(m_specs))
        m_columns.append(Column {spec, spec.type == ValueType::Timestamp});
}

QStringList CsvListingWriter::defaultColumns(const ResourceKind &kind)
{
    QStringList members;
    for (const ColumnSpec &column : kind.columns) {
        if (column.visibleByDefault)
            members << column.member;
    }
    return members;
}

void CsvListingWriter::begin()
{
    writeExportHeader(m_csv, m_specs);
}

void CsvListingWriter::writeCell(const Column &column, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
    case QJsonValue::Null:
        m_csv.addCell(QStringView());
        return;
    case QJsonValue::String:
        if (!column.timestamp) {
            m_csv.addCell(value.toString());
            return;
        }
        break;
    case QJsonValue::Double:
        if (column.timestamp) {
            if (const std::optional<qint64> ms = epochSecondsToMs(value.toDouble())) {
                m_csv.addCell(formatIsoUtc(*ms));
                return;
            }
        }
        break;
    case QJsonValue::Bool:
    case QJsonValue::Array:
    case QJsonValue::Object:
        break;
    }
    m_csv.addCell(exportCellText(column.spec, value));
}

void CsvListingWriter::writePage(const Page &page)
{
    if (page.isRaw()) {
        m_rawRows.writeRows(m_csv, page.raw);
        return;
    }
    for (const QJsonValue &item : page.items) {
        // Not an object: no members, a row of empty cells (as writeExportRows writes it).
        const QJsonObject object = item.toObject();
        for (const Column &column : std::as_const(m_columns))
            // The UTF-16 overload: QJsonObject compares it with its keys faster than Latin-1.
            writeCell(column, object.value(QStringView(column.spec.member)));
        m_csv.endRow();
    }
}

void CsvListingWriter::finish(const QString &) { }

} // namespace pagewise
