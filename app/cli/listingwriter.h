#pragma once

#include "paging/page.h"

#include <QByteArray>
#include <QString>

namespace pagewise
{

/// Turns the pages of one listing into output bytes, one page at a time, so a listing of any
/// length is written as it arrives and never held whole. Each call appends to output(); the
/// caller writes those bytes out and empties output() between calls.
class ListingWriter
{
public:
    virtual ~ListingWriter() = default;
    /// What comes before the first item (a CSV header, the opening of a JSON document), once the
    /// first page has arrived, so that a listing failing before it writes nothing.
    virtual void begin() = 0;
    /// The items of one page.
    virtual void writePage(const Page &page) = 0;
    /// What ends a complete listing; resumeToken is non-empty when --max-items stopped early.
    virtual void finish(const QString &resumeToken) = 0;

    QByteArray &output() { return m_output; }

protected:
    QByteArray m_output;
};

} // namespace pagewise
