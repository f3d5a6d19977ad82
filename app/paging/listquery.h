#pragma once

#include <QString>
#include <QVariantMap>

#include <optional>

namespace pagewise
{

/// One listing as the user asked for it: the request parameters of the operation plus
/// botocore's PaginationConfig. A plain value, built and validated by a filter panel or the
/// CLI and handed over whole.
struct ListQuery {
    QString kindId; ///< ResourceKind::id
    /// Request member name -> value, exactly the model's member names ("NameContains",
    /// "farmId", "SortBy"). Values: QString for strings/enums/IDs/ARNs, QDateTime (UTC) for
    /// timestamps, int for integers. Absent means not sent.
    QVariantMap parameters;
    std::optional<int> pageSize; ///< PaginationConfig.PageSize -> limit key on every request
    std::optional<qint64> maxItems; ///< PaginationConfig.MaxItems (client-side cap)
    QString startingToken; ///< PaginationConfig.StartingToken: botocore-style or a raw service token

    bool operator==(const ListQuery &other) const = default;
};

} // namespace pagewise
