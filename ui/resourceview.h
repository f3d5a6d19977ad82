#pragma once

#include "columnlayout.h"
#include "kinds/resourcekind.h"
#include "models/resourcesortfilterproxymodel.h"
#include "models/resourcetablemodel.h"
#include "resourcetableview.h"

#include <QWidget>

#include <optional>

class QAction;
class QLabel;
class QMenu;
class QScrollArea;
class QSettings;
class QSplitter;
class QTimer;

namespace pagewise
{

class DetailPane;
class ErrorBanner;
class FilterPanel;
class ViewStatusBar;
struct LocalFilterInput;

/// Everything about one resource kind: its generated filter panel, the lazily fetched table
/// (through the sort/filter proxy), a detail pane, the error banner and the status line.
class ResourceView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResourceView)
public:
    ResourceView(const ResourceKind &kind, PageFetcherFactory factory, QWidget *parent = nullptr);
    ~ResourceView() override;

    const ResourceKind &kind() const { return m_kind; }
    FilterPanel *filterPanel() const { return m_filters; }
    QTableView *table() const { return m_table; }
    ResourceTableModel *model() const { return m_model; }
    ResourceSortFilterProxyModel *proxy() const { return m_proxy; }
    DetailPane *detailPane() const { return m_detail; }
    ViewStatusBar *statusLine() const { return m_status; }
    ErrorBanner *errorBanner() const { return m_error; }
    QSplitter *splitter() const { return m_splitter; }

    /// Validates the panel's parameters and lists; false (and the reasons shown next to the
    /// fields, nothing sent) when they are not valid.
    bool apply();
    /// First time the view is shown: lists when the parameters are complete; otherwise shows
    /// what is missing without marking errors.
    void activate();
    bool hasListed() const { return m_listed; }
    /// Lists again with the query of the last listing (nothing is re-validated).
    void relist();

    /// Fetches further pages (bounded, continuing only through pages that show nothing new).
    void loadMore();
    void loadAll();
    void cancelLoading();
    /// Requests the failed page again (when its page token is still good).
    void retry();
    /// After the service rejected the page token: starts the listing again from its first page,
    /// keeping the loaded rows (unlike relist(), which starts over empty).
    void reload();
    bool isBusy() const;

    /// Source rows of the selection, in view order (proxy order), one per row.
    QList<int> selectedSourceRows() const;
    /// Source rows of every row the view shows (after the local filter), in view order.
    QList<int> shownSourceRows() const;
    /// Response member names of the visible columns, in view order.
    QStringList visibleMembers() const;

    void focusFilter();
    void resetColumns();
    /// Adds a checkable action per column (shown or hidden) and "Reset columns".
    void fillColumnsMenu(QMenu *menu);
    void setColumnVisible(int logical, bool visible);
    /// Window-level actions offered in the table's context menu (export, copy).
    void setContextActions(const QList<QAction *> &actions);
    /// The table's context menu for a cell (a proxy index; invalid below the last row): copy the
    /// cell's value, copy its column of the selected rows, the window's actions, load more/all.
    void fillTableMenu(QMenu *menu, const QModelIndex &index);
    /// The full value of a cell as exported: what the service sent, timestamps in ISO 8601 UTC,
    /// nothing elided or formatted for display.
    QString cellValue(const QModelIndex &index) const;

    void saveSettings(QSettings &settings) const;
    void restoreSettings(QSettings &settings);

    /// Tests: the placeholder shown over an empty table ("" when hidden).
    QString placeholderText() const;

signals:
    /// A short message for the window's status bar.
    void statusMessage(const QString &text);
    void selectionChanged();

private:
    /// A sort as settings keep it: by member name, so that it survives a change of columns.
    struct SortChoice {
        QString member;
        Qt::SortOrder order = Qt::AscendingOrder;
        bool server = false; ///< a SortBy request, not an order of the loaded rows
    };

    void buildTable();
    /// The sort the user chose (a header click or restored); nullopt for the service's default order.
    std::optional<SortChoice> sortChoice() const;
    void saveSort(QSettings &settings) const;
    void restoreSort(QSettings &settings);
    void showHeaderMenu(const QPoint &pos);
    void showTableMenu(const QPoint &pos);
    void copyValue(const QModelIndex &index);
    void copyColumnOfSelection(int column);
    void handleCurrentChanged();
    void handleStateChanged();
    void handleSortChanged(int column, Qt::SortOrder order, ResourceSortFilterProxyModel::SortScope scope);
    void handleMatchCountChanged(int matches, int loaded);
    void handleColumnsAppeared();
    void applyLocalFilter();
    void updateStatus();
    void updatePlaceholder();
    void startQuery(const ListQuery &query);
    LocalFilter toLocalFilter(const QList<LocalFilterInput> &inputs) const;
    QString missingRequiredText() const;
    bool eventFilter(QObject *watched, QEvent *event) override;

    const ResourceKind &m_kind;
    ResourceTableModel *m_model = nullptr;
    ResourceSortFilterProxyModel *m_proxy = nullptr;
    FilterPanel *m_filters = nullptr;
    QScrollArea *m_filterScroll = nullptr;
    ResourceTableView *m_table = nullptr;
    DetailPane *m_detail = nullptr;
    ErrorBanner *m_error = nullptr;
    ViewStatusBar *m_status = nullptr;
    QSplitter *m_splitter = nullptr;
    QSplitter *m_tableSplitter = nullptr;
    QLabel *m_placeholder = nullptr;
    QTimer *m_filterTimer = nullptr;
    QList<QAction *> m_contextActions;
    bool m_listed = false;
    /// Restored before the first listing, which applies it: SortBy in its request, or the
    /// local order over its rows.
    std::optional<SortChoice> m_pendingSort;
    bool m_layoutApplied = false;
    ColumnLayout m_layout; ///< applied when the model first has columns
};

} // namespace pagewise
