#pragma once

#include "models/resourcetablemodel.h"
#include "paging/listquery.h"
#include "sampleresources.h"

#include <QAbstractItemModel>
#include <QStringList>

namespace pagewise::test
{

/// The key of every row in row order, through the model or a proxy over it.
inline QStringList rowKeys(const QAbstractItemModel &model)
{
    QStringList keys;
    for (int row = 0; row < model.rowCount(); ++row)
        keys << model.index(row, 0).data(ResourceTableModel::KeyRole).toString();
    return keys;
}

/// A sessions listing of one made-up job, for models over scripted pages.
inline ListQuery sessionsQuery()
{
    ListQuery q;
    q.kindId = QStringLiteral("sessions");
    q.parameters.insert(QStringLiteral("farmId"), QStringLiteral("farm-%1").arg(hex32(1)));
    q.parameters.insert(QStringLiteral("queueId"), QStringLiteral("queue-%1").arg(hex32(2)));
    q.parameters.insert(QStringLiteral("jobId"), QStringLiteral("job-%1").arg(hex32(3)));
    return q;
}

} // namespace pagewise::test
