#include "resourcesortfilterproxymodel.h"

#include "resourcerowstore.h"
#include "resourcetablemodel.h"
#include "rowpredicate.h"
#include "rowsort.h"

#include <QLoggingCategory>

#include <algorithm>
#include <numeric>

namespace pagewise
{

namespace
{

// A page scattered over more places than this is announced as one layout change instead of
// one rowsInserted per run: views pay per signal, at a million rows more than the merge costs.
constexpr int kMaxInsertRuns = 8;

std::vector<quint32> allRows(int count)
{
    std::vector<quint32> rows(size_t(std::max(0, count)));
    std::iota(rows.begin(), rows.end(), 0u);
    return rows;
}

} // namespace

bool LocalFilter::isEmpty() const
{
    for (const Text &text : texts) {
        if (!text.needle.isEmpty())
            return false;
    }
    for (const OneOf &oneOf : oneOfs) {
        if (!oneOf.values.isEmpty())
            return false;
    }
    for (const TimeRange &range : timeRanges) {
        if (range.from || range.to)
            return false;
    }
    return true;
}

ResourceSortFilterProxyModel::ResourceSortFilterProxyModel(QObject *parent)
    : QAbstractProxyModel(parent)
    , m_order(std::make_unique<RowOrder>())
{
}

ResourceSortFilterProxyModel::~ResourceSortFilterProxyModel()
{
    if (m_source)
        m_source->setVisibleRowCounter({});
}

void ResourceSortFilterProxyModel::setSourceModel(QAbstractItemModel *sourceModel)
{
    auto *resource = qobject_cast<ResourceTableModel *>(sourceModel);
    if (sourceModel && !resource) {
        qWarning("ResourceSortFilterProxyModel: the source model must be a ResourceTableModel");
        return;
    }
    if (resource == m_source)
        return;
    beginResetModel();
    for (const QMetaObject::Connection &c : std::as_const(m_sourceConnections))
        disconnect(c);
    m_sourceConnections.clear();
    if (m_source)
        m_source->setVisibleRowCounter({});
    m_source = resource;
    QAbstractProxyModel::setSourceModel(sourceModel);
    clearMapping();
    if (m_source) {
        m_kindId = m_source->kind() ? m_source->kind()->id : QString();
        m_sourceConnections = {
            connect(m_source, &QAbstractItemModel::modelAboutToBeReset, this,
                &ResourceSortFilterProxyModel::handleSourceAboutToBeReset),
            connect(m_source, &QAbstractItemModel::modelReset, this, &ResourceSortFilterProxyModel::handleSourceReset),
            connect(m_source, &QAbstractItemModel::rowsAboutToBeInserted, this,
                &ResourceSortFilterProxyModel::handleRowsAboutToBeInserted),
            connect(
                m_source, &QAbstractItemModel::rowsInserted, this, &ResourceSortFilterProxyModel::handleRowsInserted),
            connect(m_source, &QAbstractItemModel::dataChanged, this, &ResourceSortFilterProxyModel::handleDataChanged),
            connect(m_source, &QAbstractItemModel::headerDataChanged, this,
                &ResourceSortFilterProxyModel::handleHeaderDataChanged),
            connect(m_source, &QAbstractItemModel::layoutAboutToBeChanged, this,
                &ResourceSortFilterProxyModel::handleSourceLayoutAboutToBeChanged),
            connect(m_source, &QAbstractItemModel::layoutChanged, this,
                &ResourceSortFilterProxyModel::handleSourceLayoutChanged),
            connect(m_source, &ResourceTableModel::hasMoreChanged, this,
                [this] { emit sortChanged(sortColumn(), sortOrder(), sortScope()); }),
            connect(m_source, &QObject::destroyed, this,
                [this] {
                    // The view may outlive the model (children go in creation order).
                    beginResetModel();
                    clearMapping();
                    m_sourceConnections.clear();
                    endResetModel();
                }),
        };
        rebuild(false, true);
    }
    endResetModel();
    updateVisibleRowCounter();
    emitCounts();
}

// --- structure -------------------------------------------------------------------------------

bool ResourceSortFilterProxyModel::isMapped() const
{
    return m_comparator || m_predicate;
}

QModelIndex ResourceSortFilterProxyModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex ResourceSortFilterProxyModel::parent(const QModelIndex &) const
{
    return {};
}

int ResourceSortFilterProxyModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_source)
        return 0;
    return isMapped() ? m_order->size() : m_source->rowCount();
}

int ResourceSortFilterProxyModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_source)
        return 0;
    return m_source->columnCount();
}

bool ResourceSortFilterProxyModel::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && rowCount() > 0 && columnCount() > 0;
}

QModelIndex ResourceSortFilterProxyModel::sibling(int row, int column, const QModelIndex &idx) const
{
    return idx.isValid() ? index(row, column) : QModelIndex();
}

int ResourceSortFilterProxyModel::sourceRow(int proxyRow) const
{
    if (!m_source || proxyRow < 0 || proxyRow >= rowCount())
        return -1;
    return isMapped() ? int(m_order->at(proxyRow)) : proxyRow;
}

int ResourceSortFilterProxyModel::proxyRow(int sourceRow) const
{
    if (!m_source || sourceRow < 0)
        return -1;
    if (!isMapped())
        return sourceRow < m_source->rowCount() ? sourceRow : -1;
    if (sourceRow >= m_processedRows)
        return -1;
    const RowOrder &order = *m_order;
    const auto row = quint32(sourceRow);
    // Binary search over the (possibly gapped) order: by comparator when sorted, by row otherwise.
    int lo = 0, hi = order.size();
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        const quint32 at = order.at(mid);
        const bool before = m_comparator ? m_comparator->less(at, row) : at < row;
        if (before)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < order.size() && order.at(lo) == row ? lo : -1;
}

QModelIndex ResourceSortFilterProxyModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !m_source)
        return {};
    const int row = sourceRow(proxyIndex.row());
    return row < 0 ? QModelIndex() : m_source->index(row, proxyIndex.column());
}

QModelIndex ResourceSortFilterProxyModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || !m_source || sourceIndex.model() != m_source)
        return {};
    const int row = proxyRow(sourceIndex.row());
    return row < 0 ? QModelIndex() : createIndex(row, sourceIndex.column());
}

QVariant ResourceSortFilterProxyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_source)
        return {};
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole && section >= 0 && section < rowCount() ? QVariant(section + 1) : QVariant();
    return m_source->headerData(section, orientation, role);
}

// --- sorting ---------------------------------------------------------------------------------

int ResourceSortFilterProxyModel::serverSortColumn(Qt::SortOrder *order) const
{
    const ResourceKind *kind = m_source ? m_source->kind() : nullptr;
    if (!kind || !kind->serverSort)
        return -1;
    const ServerSortSpec &spec = *kind->serverSort;
    const QVariantMap &parameters = m_source->query().parameters;
    const QString sortBy = parameters.value(spec.sortByParameter).toString();
    const QString sortOrder = parameters.value(spec.sortOrderParameter).toString();
    QString member = spec.defaultColumn;
    if (!sortBy.isEmpty()) {
        member.clear();
        for (const ServerSortSpec::Column &c : spec.columns) {
            if (c.value == sortBy)
                member = c.column;
        }
    }
    if (order) {
        *order = sortOrder == spec.ascending ? Qt::AscendingOrder
            : sortOrder == spec.descending   ? Qt::DescendingOrder
                                             : spec.defaultOrder;
    }
    return kind->columnIndex(member);
}

int ResourceSortFilterProxyModel::sortColumn() const
{
    return m_localSortColumn >= 0 ? m_localSortColumn : serverSortColumn(nullptr);
}

Qt::SortOrder ResourceSortFilterProxyModel::sortOrder() const
{
    if (m_localSortColumn >= 0)
        return m_localSortOrder;
    Qt::SortOrder order = Qt::AscendingOrder;
    serverSortColumn(&order);
    return order;
}

ResourceSortFilterProxyModel::SortScope ResourceSortFilterProxyModel::sortScope() const
{
    if (m_localSortColumn >= 0)
        return SortScope::Local;
    return serverSortColumn(nullptr) >= 0 ? SortScope::Server : SortScope::None;
}

bool ResourceSortFilterProxyModel::isServerSortable(int column) const
{
    const ResourceKind *kind = m_source ? m_source->kind() : nullptr;
    return kind && kind->serverSort && column >= 0 && column < kind->columns.size()
        && kind->serverSort->forColumn(kind->columns[column].member);
}

int ResourceSortFilterProxyModel::sortedRowCount() const
{
    return m_localSortColumn >= 0 ? m_processedRows : 0;
}

bool ResourceSortFilterProxyModel::isSortPartial() const
{
    return m_localSortColumn >= 0 && m_source && m_source->hasMore();
}

void ResourceSortFilterProxyModel::sort(int column, Qt::SortOrder order)
{
    if (!m_source || !m_source->kind() || column >= columnCount())
        return;
    const ResourceKind &kind = *m_source->kind();
    if (column >= 0 && isServerSortable(column)) {
        const ServerSortSpec &spec = *kind.serverSort;
        Qt::SortOrder currentOrder = Qt::AscendingOrder;
        const bool sameAsServer = serverSortColumn(&currentOrder) == column && currentOrder == order;
        if (sameAsServer) {
            // Already the service's order (e.g. the header's initial indicator): no request.
            if (m_localSortColumn >= 0) {
                m_localSortColumn = -1;
                rebuild(true, true);
            }
        } else {
            ListQuery query = m_source->query();
            query.parameters.insert(spec.sortByParameter, spec.forColumn(kind.columns[column].member)->value);
            query.parameters.insert(
                spec.sortOrderParameter, order == Qt::AscendingOrder ? spec.ascending : spec.descending);
            query.startingToken.clear(); // a token of the old order means nothing in the new one
            m_localSortColumn = -1;
            m_comparator.reset(); // the reset that follows rebuilds in source (server) order
            m_source->setQuery(query);
        }
        emit sortChanged(sortColumn(), sortOrder(), sortScope());
        return;
    }
    if (column < 0) {
        if (m_localSortColumn < 0)
            return;
        m_localSortColumn = -1;
    } else {
        if (m_localSortColumn == column && m_localSortOrder == order)
            return;
        m_localSortColumn = column;
        m_localSortOrder = order;
    }
    rebuild(true, true);
    emit sortChanged(sortColumn(), sortOrder(), sortScope());
}

// --- filtering -------------------------------------------------------------------------------

bool ResourceSortFilterProxyModel::isFiltering() const
{
    return !m_filter.isEmpty();
}

int ResourceSortFilterProxyModel::matchCount() const
{
    return rowCount();
}

int ResourceSortFilterProxyModel::loadedRowCount() const
{
    return m_source ? m_source->rowCount() : 0;
}

void ResourceSortFilterProxyModel::setFilter(const LocalFilter &filter)
{
    if (filter == m_filter)
        return;
    const bool wasFiltering = isFiltering();
    m_filter = filter;
    if (m_source && (wasFiltering || isFiltering()))
        rebuild(true, false);
    updateVisibleRowCounter();
    emit filterChanged();
    emitCounts();
}

void ResourceSortFilterProxyModel::updateVisibleRowCounter()
{
    if (!m_source)
        return;
    if (m_predicate) {
        m_source->setVisibleRowCounter(
            [this](int first, int last) { return m_predicate ? m_predicate->count(first, last) : last - first + 1; });
    } else if (m_source->hasVisibleRowCounter()) {
        m_source->setVisibleRowCounter({});
    }
}

void ResourceSortFilterProxyModel::emitCounts()
{
    emit matchCountChanged(matchCount(), loadedRowCount());
}

// --- mapping ---------------------------------------------------------------------------------

void ResourceSortFilterProxyModel::rebuild(bool emitLayout, bool resort)
{
    const ResourceRowStore *store = m_source ? m_source->store() : nullptr;
    const int rows = store ? store->rowCount() : 0;

    QModelIndexList persistent;
    std::vector<int> persistentSourceRows;
    if (emitLayout) {
        emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        persistent = persistentIndexList();
        persistentSourceRows.reserve(size_t(persistent.size()));
        for (const QModelIndex &index : std::as_const(persistent))
            persistentSourceRows.push_back(sourceRow(index.row()));
    }

    // The full order of every loaded row, reusing the current one when only the filter changed.
    std::vector<quint32> all;
    const bool wantSort = store && m_localSortColumn >= 0 && m_localSortColumn < store->columnCount();
    if (wantSort) {
        if (!resort && m_comparator) {
            all = m_predicate ? std::move(m_order->allSorted) : std::move(m_order->rows);
        } else {
            m_comparator = std::make_unique<RowComparator>(*store, m_localSortColumn, m_localSortOrder);
            all = m_comparator->sorted(allRows(rows));
        }
    } else {
        m_comparator.reset();
        m_localSortColumn = -1;
    }
    m_predicate = store && !m_filter.isEmpty() ? std::make_unique<RowPredicate>(*store, m_filter) : nullptr;

    m_order->allSorted.clear();
    if (m_predicate) {
        if (!wantSort)
            all = allRows(rows);
        std::vector<quint32> visible;
        for (quint32 row : all) {
            if (m_predicate->matches(row))
                visible.push_back(row);
        }
        m_order->assign(std::move(visible));
        if (wantSort)
            m_order->allSorted = std::move(all);
    } else {
        m_order->assign(wantSort ? std::move(all) : std::vector<quint32>());
    }
    m_processedRows = rows;

    if (emitLayout) {
        QModelIndexList to;
        to.reserve(persistent.size());
        for (qsizetype i = 0; i < persistent.size(); ++i) {
            const int row = persistentSourceRows[size_t(i)] < 0 ? -1 : proxyRow(persistentSourceRows[size_t(i)]);
            to.append(row < 0 ? QModelIndex() : createIndex(row, persistent[i].column()));
        }
        changePersistentIndexList(persistent, to);
        emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }
}

void ResourceSortFilterProxyModel::mergeIntoVisible(const std::vector<quint32> &add)
{
    const int k = int(add.size());
    if (k == 0)
        return;
    RowOrder &order = *m_order;
    std::vector<quint32> &rows = order.rows;
    const int n = order.size();
    Q_ASSERT(order.gapLength == 0);

    // Where each new row goes among the old ones (non-decreasing, since `add` is sorted).
    std::vector<int> positions(static_cast<size_t>(k));
    auto from = rows.begin();
    int runs = 0;
    for (int j = 0; j < k; ++j) {
        from = std::lower_bound(
            from, rows.end(), add[size_t(j)], [this](quint32 a, quint32 b) { return m_comparator->less(a, b); });
        positions[size_t(j)] = int(from - rows.begin());
        if (j == 0 || positions[size_t(j)] != positions[size_t(j - 1)])
            ++runs;
    }

    if (runs > kMaxInsertRuns) {
        emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        const QModelIndexList persistent = persistentIndexList();
        QModelIndexList to;
        to.reserve(persistent.size());
        for (const QModelIndex &index : persistent) {
            const int shift
                = int(std::upper_bound(positions.begin(), positions.end(), index.row()) - positions.begin());
            to.append(createIndex(index.row() + shift, index.column()));
        }
        std::vector<quint32> merged;
        merged.reserve(size_t(n + k));
        int old = 0;
        for (int j = 0; j < k; ++j) {
            merged.insert(merged.end(), rows.begin() + old, rows.begin() + positions[size_t(j)]);
            old = positions[size_t(j)];
            merged.push_back(add[size_t(j)]);
        }
        merged.insert(merged.end(), rows.begin() + old, rows.end());
        order.assign(std::move(merged));
        changePersistentIndexList(persistent, to);
        emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
        return;
    }

    // One pass: open a gap of k at the front, then walk it forward, closing it run by run.
    rows.resize(size_t(n + k));
    std::move_backward(rows.begin(), rows.begin() + n, rows.end());
    order.gapStart = 0;
    order.gapLength = k;
    int inserted = 0;
    for (int j = 0; j < k;) {
        int end = j + 1;
        while (end < k && positions[size_t(end)] == positions[size_t(j)])
            ++end;
        const int count = end - j;
        const int at = positions[size_t(j)] + inserted;
        // Old rows before the insertion point move in front of the gap (the order is unchanged).
        std::move(rows.begin() + order.gapStart + order.gapLength, rows.begin() + at + order.gapLength,
            rows.begin() + order.gapStart);
        order.gapStart = at;
        beginInsertRows(QModelIndex(), at, at + count - 1);
        std::copy(add.begin() + j, add.begin() + end, rows.begin() + at);
        order.gapStart += count;
        order.gapLength -= count;
        endInsertRows();
        inserted += count;
        j = end;
    }
    order.gapStart = 0;
}

void ResourceSortFilterProxyModel::clearMapping()
{
    m_comparator.reset();
    m_predicate.reset();
    m_order->assign({});
    m_order->allSorted.clear();
    m_processedRows = 0;
}

// --- source signals --------------------------------------------------------------------------

void ResourceSortFilterProxyModel::handleSourceAboutToBeReset()
{
    beginResetModel();
    // The source may replace its store: nothing may keep pointing into the old one.
    clearMapping();
}

void ResourceSortFilterProxyModel::handleSourceReset()
{
    const QString kindId = m_source->kind() ? m_source->kind()->id : QString();
    bool sortCleared = false, filterCleared = false;
    if (kindId != m_kindId) {
        // Columns and members of another kind: a sort or filter of the old one means nothing.
        m_kindId = kindId;
        sortCleared = m_localSortColumn >= 0;
        filterCleared = !m_filter.isEmpty();
        m_localSortColumn = -1;
        m_filter = {};
    }
    rebuild(false, true);
    endResetModel();
    updateVisibleRowCounter();
    if (filterCleared)
        emit filterChanged();
    if (sortCleared)
        emit sortChanged(sortColumn(), sortOrder(), sortScope());
    emitCounts();
}

void ResourceSortFilterProxyModel::handleRowsAboutToBeInserted(const QModelIndex &parent, int first, int last)
{
    if (!parent.isValid() && !isMapped())
        beginInsertRows(QModelIndex(), first, last);
}

void ResourceSortFilterProxyModel::handleRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    if (!isMapped()) {
        m_processedRows = last + 1;
        endInsertRows();
        emitCounts();
        return;
    }
    if (m_comparator)
        m_comparator->refresh();
    if (m_predicate)
        m_predicate->refresh();

    std::vector<quint32> added(static_cast<size_t>(last - first + 1));
    std::iota(added.begin(), added.end(), quint32(first));
    if (m_comparator) {
        std::sort(added.begin(), added.end(), [this](quint32 a, quint32 b) { return m_comparator->less(a, b); });
        if (m_predicate) {
            std::vector<quint32> &all = m_order->allSorted;
            const auto middle = all.insert(all.end(), added.begin(), added.end());
            std::inplace_merge(
                all.begin(), middle, all.end(), [this](quint32 a, quint32 b) { return m_comparator->less(a, b); });
        }
    }
    if (m_predicate) {
        added.erase(
            std::remove_if(added.begin(), added.end(), [this](quint32 row) { return !m_predicate->matches(row); }),
            added.end());
    }
    m_processedRows = last + 1;
    if (m_comparator) {
        mergeIntoVisible(added);
    } else if (!added.empty()) {
        const int at = m_order->size();
        beginInsertRows(QModelIndex(), at, at + int(added.size()) - 1);
        m_order->rows.insert(m_order->rows.end(), added.begin(), added.end());
        endInsertRows();
    }
    emitCounts();
}

void ResourceSortFilterProxyModel::handleDataChanged(
    const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    if (!topLeft.isValid() || rowCount() == 0)
        return;
    if (!isMapped()) {
        emit dataChanged(index(topLeft.row(), topLeft.column()), index(bottomRight.row(), bottomRight.column()), roles);
        return;
    }
    emit dataChanged(index(0, topLeft.column()), index(rowCount() - 1, bottomRight.column()), roles);
}

void ResourceSortFilterProxyModel::handleHeaderDataChanged(Qt::Orientation orientation, int first, int last)
{
    if (orientation == Qt::Horizontal)
        emit headerDataChanged(orientation, first, last);
    else if (rowCount() > 0)
        emit headerDataChanged(orientation, 0, rowCount() - 1);
}

void ResourceSortFilterProxyModel::handleSourceLayoutAboutToBeChanged()
{
    // The model only appends and resets; a layout change from it is handled as a full re-map.
    emit layoutAboutToBeChanged();
    m_layoutProxyIndexes = persistentIndexList();
    m_layoutSourceIndexes.clear();
    for (const QModelIndex &index : std::as_const(m_layoutProxyIndexes))
        m_layoutSourceIndexes.append(QPersistentModelIndex(mapToSource(index)));
}

void ResourceSortFilterProxyModel::handleSourceLayoutChanged()
{
    rebuild(false, true);
    QModelIndexList to;
    for (qsizetype i = 0; i < m_layoutProxyIndexes.size(); ++i) {
        const QPersistentModelIndex &source = m_layoutSourceIndexes[i];
        const int row = source.isValid() ? proxyRow(source.row()) : -1;
        to.append(row < 0 ? QModelIndex() : createIndex(row, m_layoutProxyIndexes[i].column()));
    }
    changePersistentIndexList(m_layoutProxyIndexes, to);
    m_layoutProxyIndexes.clear();
    m_layoutSourceIndexes.clear();
    emit layoutChanged();
    emitCounts();
}

} // namespace pagewise
