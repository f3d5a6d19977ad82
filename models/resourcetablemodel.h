#pragma once

#include "core/awserror.h"
#include "kinds/resourcekind.h"
#include "paging/listquery.h"
#include "paging/pagefetcher.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QJsonObject>

#include <functional>
#include <memory>

namespace pagewise
{

class ResourceRowStore;

/// A lazily fetching table of one listing (ListImages, ListDatasets or ListSessions), its
/// columns taken from the kind's descriptor. Rows are kept in compact typed columns
/// (ResourceRowStore), deduplicated by the kind's keyMember, and only ever appended.
///
/// Fetching:
/// - fetchMore() (what a view calls at the scroll end) starts at most one request and returns.
///   canFetchMore() is true only for the root while the listing has more, nothing is in flight,
///   no error waits for retry() and the fetch budget allows it.
/// - A page that adds no visible row (an empty page with a token, or rows a filtering proxy
///   hides) makes the model ask for the next one by itself, at most autoContinuePages() times,
///   so a view never stalls.
/// - While a filtering proxy is attached (setVisibleRowCounter), view-driven fetching stops
///   after viewFetchBudget() pages until the user asks for more (fetchPages / loadAll), so a
///   local filter never drains the whole listing on its own.
/// - Each page arrives as exactly one beginInsertRows/endInsertRows at the end.
/// - A failed page keeps every loaded row; state() is Error until retry() re-requests the
///   same page; cancel() stops a request in flight (and fetchPages/loadAll).
/// - When the service rejected the listing's page token (expired; failureNeedsReload()), the same
///   page cannot be requested again: retry() is not offered and reload() starts the listing over.
class ResourceTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResourceTableModel)
public:
    enum Role {
        /// On headers (horizontal): the column's exact response member name ("CreationTime").
        MemberRole = Qt::UserRole,
        /// The typed value: QDateTime (UTC) for timestamps, qint64 for integers, QString otherwise;
        /// an invalid QVariant when the member is absent. Same as Qt::EditRole.
        RawValueRole,
        /// The whole resource as a QJsonObject, every response member in wire form (unknown
        /// members included), for the detail view and export. Wire-faithful by JSON value: strings
        /// (ISO-8601 timestamps included) come back character for character, numbers with the
        /// value that arrived (1.7145648E9 and 1714564800 are the same JSON number; QJsonValue
        /// compares them equal), nulls and unexpected types as they were.
        ResourceRole,
        /// The row's keyMember value (ARN, session id) as a QString.
        KeyRole,
    };
    Q_ENUM(Role)
    static constexpr int SortRole = RawValueRole;

    enum class State {
        Idle, ///< nothing in flight; hasMore() says whether more exist (or no query yet)
        Loading, ///< a request is in flight (fetchMore, fetchPages or loadAll)
        Complete, ///< the listing is exhausted (or MaxItems reached)
        Error, ///< the last page failed; lastError() says why; retry() continues (reload() when failureNeedsReload())
    };
    Q_ENUM(State)

    /// How many of the source rows first..last (inclusive) a filtering proxy lets through.
    using VisibleRowCounter = std::function<int(int first, int last)>;

    explicit ResourceTableModel(PageFetcherFactory factory, QObject *parent = nullptr);
    ~ResourceTableModel() override;

    // QAbstractItemModel
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    /// A new listing: resets the model (columns from query.kindId's descriptor), drops the old
    /// fetcher and anything it still delivers, and requests page one.
    void setQuery(const ListQuery &query);
    const ListQuery &query() const { return m_query; }
    /// The descriptor of the current listing; nullptr before the first setQuery().
    const ResourceKind *kind() const { return m_kind; }
    /// Column of a response member, -1 when the kind has no such column.
    int columnForMember(const QString &member) const;
    /// Bumped by every setQuery(); pages of an older generation are never shown.
    quint64 generation() const { return m_generation; }

    State state() const { return m_state; }
    /// The error of the last failed page (kind None when there is none).
    const AwsError &lastError() const { return m_error; }
    bool hasMore() const;
    bool isFetching() const { return m_requestInFlight; }
    bool isLoadingAll() const { return m_mode == FetchMode::LoadAll; }
    /// The fetcher's botocore-compatible resume token ("--starting-token"); empty when complete.
    QString resumeToken() const;
    int pagesLoaded() const { return m_pagesLoaded; }
    qint64 duplicatesDropped() const { return m_duplicates; }

    /// Fetch up to maxPages more pages, one at a time, continuing only while pages add no
    /// visible rows (stops after the first page that adds one). A user action: also renews the
    /// view fetch budget.
    void fetchPages(int maxPages);
    /// Fetch every remaining page (with loadAllProgress); cancel() stops.
    void loadAll();
    /// Whether retry() can continue: a failed page waits and its token is still good.
    bool canRetry() const { return m_errorWaitsForRetry && m_fetcher && !m_failureNeedsReload; }
    /// The last failure lost the listing's place: the service rejected its page token
    /// (isPageTokenRejected(lastError()); tokens expire after about 24 hours). retry(),
    /// fetchPages() and loadAll() would send the dead token, so they do nothing; reload() goes on.
    bool failureNeedsReload() const { return m_failureNeedsReload; }
    /// Re-requests the page that failed (same token) and resumes fetchPages/loadAll if one was
    /// running. Does nothing unless canRetry().
    void retry();
    /// Starts the listing again with the same query, from its first page, keeping every loaded
    /// row: the restarted listing's rows that are already loaded are dropped as duplicates (by
    /// key), so nothing appears twice and nothing loaded disappears, and pages are fetched without
    /// waiting for the view until it has passed the place where the old listing stopped (as many
    /// items as that one delivered); then fetching goes on as before (a load-all that failed
    /// carries on to the end). pagesLoaded() counts the new listing's pages. Rows deleted at the
    /// service meanwhile stay until a new setQuery(); generation() does not change.
    void reload();
    /// Stops the request in flight and any fetchPages/loadAll; loaded rows stay.
    void cancel();

    /// Installed by a filtering proxy while its filter is active; empty = every row is visible.
    void setVisibleRowCounter(VisibleRowCounter counter);
    bool hasVisibleRowCounter() const { return bool(m_visibleRowCounter); }

    /// Consecutive pages without a visible row that one fetchMore() may pull in (default 5).
    int autoContinuePages() const { return m_autoContinuePages; }
    void setAutoContinuePages(int pages);
    /// Pages a view may fetch through fetchMore() while a filtering proxy is attached, until the
    /// next user action (default 3).
    int viewFetchBudget() const { return m_viewFetchBudget; }
    void setViewFetchBudget(int pages);

    /// Compact rows, read-only (the proxy sorts and filters on typed columns directly);
    /// nullptr before the first setQuery(). Replaced (not just cleared) when the kind changes.
    const ResourceRowStore *store() const { return m_store.get(); }
    /// The whole resource of a row in wire form (same as ResourceRole).
    QJsonObject resource(int row) const;

signals:
    void stateChanged(pagewise::ResourceTableModel::State state);
    void hasMoreChanged(bool hasMore);
    void resumeTokenChanged(const QString &token);
    /// After a page was taken in: its 1-based number, rows added, duplicates dropped.
    void pageLoaded(int pageNumber, int rowsAdded, int duplicates);
    void pageFailed(const pagewise::AwsError &error);
    /// rowCount() changed (pages appended or a reset).
    void rowsLoadedChanged(int rows);
    /// fetchPages(): pages fetched so far in this run, and visible rows they added.
    void fetchPagesProgress(int pagesScanned, int visibleRowsAdded);
    void loadingAllChanged(bool loadingAll);
    void loadAllProgress(int rows, int pages, double itemsPerSecond);

private:
    enum class FetchMode { None, View, Pages, LoadAll, Reload };

    void handlePage(const pagewise::Page &page);
    void handleFailure(const pagewise::AwsError &error);
    void requestPage();
    void continueLater();
    void setMode(FetchMode mode);
    bool isBusy() const { return m_requestInFlight || m_continuationPending; }
    bool maxItemsReached() const;
    void updateState();
    void dropFetcher();
    /// A fetcher for m_query from the factory, connected; false (and a failure) when there is none.
    bool startFetcher();

    PageFetcherFactory m_factory;
    std::unique_ptr<PageFetcher> m_fetcher;
    std::unique_ptr<ResourceRowStore> m_store;
    const ResourceKind *m_kind = nullptr;
    ListQuery m_query;
    quint64 m_generation = 0;

    State m_state = State::Idle;
    AwsError m_error;
    bool m_requestInFlight = false;
    bool m_continuationPending = false;
    quint64 m_runId = 0; ///< bumped whenever a fetch run starts or stops (drops queued continuations)
    bool m_errorWaitsForRetry = false;
    bool m_failureNeedsReload = false;
    quint64 m_fetcherSerial = 0; ///< bumped whenever the fetcher is dropped: its signals are stale
    qint64 m_reloadItems = 0; ///< items the listing had delivered before reload(): fetched past without waiting
    bool m_lastHasMore = false;
    QString m_lastResumeToken;
    int m_pagesLoaded = 0;
    qint64 m_duplicates = 0;

    FetchMode m_mode = FetchMode::None;
    int m_autoContinuePages = 5;
    int m_autoContinueLeft = 0;
    int m_viewFetchBudget = 3;
    int m_viewFetchesLeft = 3;
    int m_pagesRunLeft = 0;
    int m_pagesRunScanned = 0;
    int m_pagesRunVisible = 0;
    VisibleRowCounter m_visibleRowCounter;

    QElapsedTimer m_loadAllClock;
    int m_loadAllStartRows = 0;
    int m_loadAllPages = 0;
};

} // namespace pagewise
