#pragma once

#include "localfilter.h"

#include <QAbstractProxyModel>
#include <QPointer>

#include <memory>
#include <vector>

namespace pagewise
{

class ResourceTableModel;
class RowComparator;
class RowPredicate;
struct RowOrder;

/// Sorts and filters a ResourceTableModel honestly.
///
/// Sorting: where the API sorts (the kind's serverSort: ListImages' creation time, last
/// modified, name), sort(column, order) re-queries the service with SortBy/SortOrder (a new
/// ListQuery through the source model) and keeps rows in server order, so the order also holds
/// for pages not loaded yet: sortScope() == Server. Every other column sorts the loaded rows
/// locally (typed keys, not display text; rows without the value last in both directions,
/// ties in load order) and new pages are merged into that order: sortScope() == Local,
/// sortedRowCount() rows covered, isSortPartial() while more exist. sort(-1) returns to
/// source (server) order.
///
/// Filtering: setFilter() applies a LocalFilter to loaded rows; matchCount() of
/// loadedRowCount(). While a filter is active the source model gets a visible-row counter, so
/// its fetch budget counts visible rows (see ResourceTableModel).
///
/// The mapping is our own (a permutation of source rows), not QSortFilterProxyModel's, so
/// sorting and filtering stay fast at a million rows. Filter and sort changes emit
/// layoutChanged (persistent indexes follow their rows; hidden ones become invalid). A page
/// merged into a sorted order emits rowsInserted per contiguous run when it lands in at most 8
/// places, otherwise one layoutChanged (VerticalSortHint) with the rows added: a view pays per
/// signal, at a million rows more than the merge costs. Unsorted pages are one rowsInserted.
class ResourceSortFilterProxyModel final : public QAbstractProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResourceSortFilterProxyModel)
public:
    enum class SortScope {
        None, ///< source order with no known server order
        Server, ///< the service's order (a SortBy query or the API's default order)
        Local, ///< the loaded rows, sorted here
    };
    Q_ENUM(SortScope)

    explicit ResourceSortFilterProxyModel(QObject *parent = nullptr);
    ~ResourceSortFilterProxyModel() override;

    /// Must be a ResourceTableModel (anything else is refused with a warning).
    void setSourceModel(QAbstractItemModel *sourceModel) override;
    ResourceTableModel *resourceModel() const { return m_source; }

    // QAbstractItemModel / QAbstractProxyModel
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &idx) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    /// The source row shown at a proxy row (no QModelIndex needed; -1 when out of range).
    int sourceRow(int proxyRow) const;
    /// The proxy row of a source row, -1 when filtered out.
    int proxyRow(int sourceRow) const;

    /// The column the rows are ordered by and the direction: a local sort, a server SortBy, or
    /// the API's default order (for the header's sort indicator); -1 when unordered.
    int sortColumn() const;
    Qt::SortOrder sortOrder() const;
    SortScope sortScope() const;
    /// True when a header click on this column re-queries the service.
    bool isServerSortable(int column) const;
    /// Rows a local order covers (all loaded rows); 0 when not sorted locally.
    int sortedRowCount() const;
    /// A local order over a listing that has more rows to load.
    bool isSortPartial() const;

    void setFilter(const LocalFilter &filter);
    const LocalFilter &filter() const { return m_filter; }
    bool isFiltering() const;
    /// Visible rows (== rowCount()).
    int matchCount() const;
    /// Rows of the source model.
    int loadedRowCount() const;

signals:
    void sortChanged(int column, Qt::SortOrder order, pagewise::ResourceSortFilterProxyModel::SortScope scope);
    void filterChanged();
    /// Visible rows among loaded rows, after every page, filter change and reset.
    void matchCountChanged(int matches, int loaded);

private:
    void handleSourceAboutToBeReset();
    void handleSourceReset();
    void handleRowsAboutToBeInserted(const QModelIndex &parent, int first, int last);
    void handleRowsInserted(const QModelIndex &parent, int first, int last);
    void handleDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void handleHeaderDataChanged(Qt::Orientation orientation, int first, int last);
    void handleSourceLayoutAboutToBeChanged();
    void handleSourceLayoutChanged();
    void rebuild(bool emitLayout, bool resort);
    /// Forgets the mapping and what points into the source's store (inside a model reset).
    void clearMapping();
    void mergeIntoVisible(const std::vector<quint32> &sortedRows);
    void updateVisibleRowCounter();
    void emitCounts();
    bool isMapped() const;
    int serverSortColumn(Qt::SortOrder *order) const;

    QPointer<ResourceTableModel> m_source; ///< null once the source is destroyed (it may go first)
    LocalFilter m_filter;
    std::unique_ptr<RowPredicate> m_predicate;
    std::unique_ptr<RowComparator> m_comparator;
    std::unique_ptr<RowOrder> m_order;
    int m_processedRows = 0; ///< source rows taken into the mapping
    QString m_kindId;
    int m_localSortColumn = -1;
    Qt::SortOrder m_localSortOrder = Qt::AscendingOrder;
    QList<QPersistentModelIndex> m_layoutSourceIndexes; ///< across a source layout change
    QModelIndexList m_layoutProxyIndexes;
    QList<QMetaObject::Connection> m_sourceConnections;
};

} // namespace pagewise
