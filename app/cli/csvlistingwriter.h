#pragma once

#include "export/csvwriter.h"
#include "export/rawexportrows.h"
#include "kinds/resourcekind.h"
#include "listingwriter.h"

#include <QList>
#include <QStringList>

namespace pagewise
{

/// Writes a listing as the window's CSV export does (the shared CsvWriter and the cell rules of
/// exportCellText()): a header of response member names, one line per item, timestamps in
/// ISO 8601 UTC, formula-like cells neutralised unless raw cells were asked for.
///
/// Raw pages (ItemDecoding::Raw, what `pagewise export` asks for) go through RawExportRows, from
/// the parsed body straight to bytes. For pages of Qt JSON values the common cells (strings,
/// epoch-second timestamps, absent members) go from the JSON value straight into the CsvWriter
/// without building a row of strings first; anything else takes exportCellText(). Either way the
/// bytes are those of writeExportRows().
class CsvListingWriter final : public ListingWriter
{
public:
    /// columns: the export's columns in output order (see exportColumns()).
    CsvListingWriter(QList<ColumnSpec> columns, bool rawCells);

    /// The kind's visible-by-default columns, in descriptor order: what `--columns` defaults to.
    static QStringList defaultColumns(const ResourceKind &kind);

    void begin() override;
    void writePage(const Page &page) override;
    void finish(const QString &resumeToken) override;

private:
    struct Column {
        ColumnSpec spec;
        bool timestamp = false;
    };
    void writeCell(const Column &column, const QJsonValue &value);

    QList<ColumnSpec> m_specs;
    QList<Column> m_columns;
    CsvWriter m_csv;
    RawExportRows m_rawRows;
};

} // namespace pagewise
