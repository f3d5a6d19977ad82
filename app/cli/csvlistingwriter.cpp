#include "csvlistingwriter.h"

#include "export/exportrows.h"

namespace pagewise
{

CsvListingWriter::CsvListingWriter(QList<ColumnSpec> columns, bool rawCells)
    : m_columns(std::move(columns))
    , m_csv(&m_output)
{
    m_csv.setRawCells(rawCells);
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
    writeExportHeader(m_csv, m_columns);
}

void CsvListingWriter::writePage(const Page &page)
{
    writeExportRows(m_csv, m_columns, page.items);
}

void CsvListingWriter::finish(const QString &) { }

} // namespace pagewise
