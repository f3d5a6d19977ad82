#pragma once

#include "export/csvwriter.h"
#include "kinds/resourcekind.h"
#include "listingwriter.h"

#include <QList>
#include <QStringList>

namespace pagewise
{

/// Writes a listing as the window's CSV export does (the shared CsvWriter and export rows): a
/// header of response member names, one line per item, timestamps in ISO 8601 UTC, formula-like
/// cells neutralised unless raw cells were asked for.
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
    QList<ColumnSpec> m_columns;
    CsvWriter m_csv;
};

} // namespace pagewise
