#pragma once

#include "listingwriter.h"

#include <QStringList>

namespace pagewise
{

struct ResourceKind;

/// Writes a listing as CSV: a header of response member names, then one line per item.
class CsvListingWriter final : public ListingWriter
{
public:
    /// columns: members in output order; empty means the kind's visible-by-default columns.
    CsvListingWriter(const ResourceKind &kind, const QStringList &columns, bool rawCells);

    void begin(QByteArray &out) override;
    void writePage(const Page &page, QByteArray &out) override;
    void finish(const QString &resumeToken, QByteArray &out) override;

private:
    QStringList m_columns;
    bool m_rawCells;
};

} // namespace pagewise
