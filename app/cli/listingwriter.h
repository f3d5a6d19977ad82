#pragma once

#include "paging/page.h"

#include <QByteArray>
#include <QString>

namespace pagewise
{

/// Turns the pages of one listing into output bytes, one page at a time, so a listing of any
/// length is written as it arrives and never held whole.
class ListingWriter
{
public:
    virtual ~ListingWriter() = default;
    /// Appends what comes before the first item (a CSV header, the opening of a JSON document).
    virtual void begin(QByteArray &out) = 0;
    /// Appends the items of one page.
    virtual void writePage(const Page &page, QByteArray &out) = 0;
    /// Appends what ends a complete listing; resumeToken is non-empty when --max-items stopped early.
    virtual void finish(const QString &resumeToken, QByteArray &out) = 0;
};

} // namespace pagewise
