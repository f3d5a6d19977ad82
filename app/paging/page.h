#pragma once

#include <QJsonArray>
#include <QString>

namespace pagewise
{

/// One page of a listing as the service sent it, after MaxItems / StartingToken truncation.
struct Page {
    QJsonArray items; ///< the result key's items, every member kept as received (wire names, wire values)
    QString nextToken; ///< the service's token for the following page; empty on the last page
    QString requestId; ///< x-amzn-RequestId
    int attempts = 1; ///< attempts the page took (retries included)
    int number = 0; ///< 1-based page number within the listing
    qint64 bytes = 0; ///< response body size
};

} // namespace pagewise
