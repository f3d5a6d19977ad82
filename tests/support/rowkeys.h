#pragma once

// For tests that link pagewise_models as well: what a listing shows, row by row.

#include "models/resourcetablemodel.h"

#include <QAbstractItemModel>
#include <QStringList>

namespace pagewise::testsupport
{

/// The key of every row in row order, through a ResourceTableModel or a proxy over it.
inline QStringList rowKeys(const QAbstractItemModel &model)
{
    QStringList keys;
    keys.reserve(model.rowCount());
    for (int row = 0; row < model.rowCount(); ++row)
        keys << model.index(row, 0).data(ResourceTableModel::KeyRole).toString();
    return keys;
}

} // namespace pagewise::testsupport
