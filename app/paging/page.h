#pragma once

#include <QJsonArray>
#include <QString>

#include <memory>

namespace pagewise
{

class RawPage;

/// How a Page carries its items: as Qt JSON values (what the window's models read), or raw, as the
/// parsed body itself, for writers that turn items straight into bytes (the CLI's CSV). A raw
/// page keeps simdjson's whole document alive (about ten times the body's size) until its last
/// copy goes: right for writers that drop each page once written, not for holding a listing.
enum class ItemDecoding { Json, Raw };

/// A page's items in raw form: a window [first, first + count) onto the items of one parsed body,
/// which every copy shares and nobody changes (see rawpage.h to read them).
struct RawItems {
    std::shared_ptr<const RawPage> page;
    qsizetype first = 0;
    qsizetype count = 0;
};

/// One page of a listing as the service sent it, after MaxItems / StartingToken truncation.
///
/// Its items are in exactly one of two forms: `items` (ItemDecoding::Json, and any raw-mode page
/// the raw decoder left to Qt's parser) or `raw` (isRaw()). Copies are cheap either way.
struct Page {
    QJsonArray items; ///< the result key's items, every member kept as received (wire names, wire values)
    RawItems raw; ///< the same items, unconverted, when isRaw(); `items` is empty then
    QString nextToken; ///< the service's token for the following page; empty on the last page
    QString requestId; ///< x-amzn-RequestId
    int attempts = 1; ///< attempts the page took (retries included)
    int number = 0; ///< 1-based page number within the listing
    qint64 bytes = 0; ///< response body size

    bool isRaw() const { return bool(raw.page); }
    /// The number of items, in either form.
    qsizetype itemCount() const { return isRaw() ? raw.count : items.size(); }
    /// Drops the first n items (all of them when n >= itemCount()).
    void dropFirstItems(qsizetype n);
    /// Keeps the first n items only.
    void keepFirstItems(qsizetype n);
    /// The items as Qt JSON values, whatever their form (converted when raw: for tests and rare callers).
    QJsonArray jsonItems() const;
};

} // namespace pagewise
