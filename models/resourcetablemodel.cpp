#include "resourcetablemodel.h"

#include "paging/pagetokenrejection.h"
#include "resourcerowstore.h"

#include <QJsonArray>
#include <QSet>

namespace pagewise
{

namespace
{

// A listing that cannot start: no request was sent.
AwsError setupError(AwsError::Kind kind, const QString &code, const QString &message)
{
    AwsError error;
    error.kind = kind;
    error.code = code;
    error.message = message;
    return error;
}

} // namespace

ResourceTableModel::ResourceTableModel(PageFetcherFactory factory, QObject *parent)
    : QAbstractTableModel(parent)
    , m_factory(std::move(factory))
{
}

ResourceTableModel::~ResourceTableModel()
{
    dropFetcher();
}

// --- QAbstractItemModel ----------------------------------------------------------------------

int ResourceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_store ? 0 : m_store->rowCount();
}

int ResourceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_kind ? 0 : int(m_kind->columns.size());
}

QVariant ResourceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_store)
        return {};
    const int row = index.row(), column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return m_store->displayText(row, column);
    case Qt::EditRole:
    case RawValueRole:
        return m_store->rawValue(row, column);
    case Qt::ToolTipRole:
        return m_store->toolTip(row, column);
    case ResourceRole:
        return m_store->resource(row);
    case KeyRole:
        return m_store->key(row);
    default:
        return {};
    }
}

QVariant ResourceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole && section >= 0 && section < rowCount() ? QVariant(section + 1) : QVariant();
    if (!m_kind || section < 0 || section >= m_kind->columns.size())
        return {};
    const ColumnSpec &column = m_kind->columns[section];
    switch (role) {
    case Qt::DisplayRole:
        return column.header;
    case MemberRole:
        return column.member;
    case Qt::ToolTipRole:
        return QStringLiteral("%1 (%2)").arg(column.member, valueTypeName(column.type));
    default:
        return {};
    }
}

QHash<int, QByteArray> ResourceTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(MemberRole, "member");
    names.insert(RawValueRole, "rawValue");
    names.insert(ResourceRole, "resource");
    names.insert(KeyRole, "key");
    return names;
}

bool ResourceTableModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_fetcher || isBusy() || m_errorWaitsForRetry || !hasMore())
        return false;
    if (m_mode == FetchMode::Pages || m_mode == FetchMode::LoadAll || m_mode == FetchMode::Reload)
        return false; // a run is in charge of the next request
    return !m_visibleRowCounter || m_viewFetchesLeft > 0;
}

void ResourceTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    setMode(FetchMode::View);
    m_autoContinueLeft = m_autoContinuePages;
    if (m_visibleRowCounter)
        --m_viewFetchesLeft;
    requestPage();
}

// --- listing ---------------------------------------------------------------------------------

int ResourceTableModel::columnForMember(const QString &member) const
{
    return m_kind ? m_kind->columnIndex(member) : -1;
}

void ResourceTableModel::dropFetcher()
{
    ++m_fetcherSerial;
    if (!m_fetcher)
        return;
    // Disconnected first, so nothing it still delivers can reach this listing; deleted later,
    // because we may be inside one of its signals.
    m_fetcher->disconnect(this);
    if (m_fetcher->isFetching())
        m_fetcher->cancel();
    m_fetcher.release()->deleteLater();
}

void ResourceTableModel::setQuery(const ListQuery &query)
{
    const ResourceKind *kind = findResourceKind(query.kindId);
    beginResetModel();
    dropFetcher();
    ++m_generation;
    m_query = query;
    if (kind != m_kind || !m_store) {
        m_kind = kind;
        m_store = kind ? std::make_unique<ResourceRowStore>(*kind) : nullptr;
    } else {
        m_store->clear();
    }
    m_error = {};
    m_errorWaitsForRetry = false;
    m_failureNeedsReload = false;
    m_requestInFlight = false;
    m_pagesLoaded = 0;
    m_duplicates = 0;
    setMode(FetchMode::None);
    m_viewFetchesLeft = m_viewFetchBudget;
    endResetModel();
    emit rowsLoadedChanged(0);

    if (!kind) {
        handleFailure(setupError(AwsError::Kind::InvalidInput, QStringLiteral("UnknownResourceKind"),
            QStringLiteral("unknown resource kind \"%1\" (images, datasets or sessions)").arg(query.kindId)));
        return;
    }
    if (!startFetcher())
        return;
    setMode(FetchMode::View);
    m_autoContinueLeft = m_autoContinuePages;
    requestPage();
}

bool ResourceTableModel::startFetcher()
{
    m_fetcher = m_factory ? m_factory(m_query) : nullptr;
    if (!m_fetcher) {
        handleFailure(setupError(AwsError::Kind::Configuration, QStringLiteral("NoPageFetcher"),
            QStringLiteral("no page fetcher for %1").arg(m_kind->operation.name)));
        return false;
    }
    const quint64 serial = m_fetcherSerial;
    connect(m_fetcher.get(), &PageFetcher::pageReady, this, [this, serial](const Page &page) {
        if (serial == m_fetcherSerial)
            handlePage(page);
    });
    connect(m_fetcher.get(), &PageFetcher::pageFailed, this, [this, serial](const AwsError &error) {
        if (serial == m_fetcherSerial)
            handleFailure(error);
    });
    return true;
}

bool ResourceTableModel::maxItemsReached() const
{
    return m_query.maxItems && m_fetcher && m_fetcher->itemCount() >= *m_query.maxItems;
}

bool ResourceTableModel::hasMore() const
{
    return m_fetcher && m_fetcher->hasMore() && !maxItemsReached();
}

QString ResourceTableModel::resumeToken() const
{
    return m_fetcher ? m_fetcher->resumeToken() : QString();
}

QJsonObject ResourceTableModel::resource(int row) const
{
    if (!m_store || row < 0 || row >= m_store->rowCount())
        return {};
    return m_store->resource(row);
}

void ResourceTableModel::setVisibleRowCounter(VisibleRowCounter counter)
{
    m_visibleRowCounter = std::move(counter);
    m_viewFetchesLeft = m_viewFetchBudget; // a filter change is the user's action
}

void ResourceTableModel::setAutoContinuePages(int pages)
{
    m_autoContinuePages = std::max(0, pages);
}

void ResourceTableModel::setViewFetchBudget(int pages)
{
    m_viewFetchBudget = std::max(0, pages);
    m_viewFetchesLeft = m_viewFetchBudget;
}

// --- fetching --------------------------------------------------------------------------------

void ResourceTableModel::setMode(FetchMode mode)
{
    const bool wasLoadingAll = m_mode == FetchMode::LoadAll;
    m_mode = mode;
    ++m_runId;
    m_continuationPending = false;
    if (wasLoadingAll && mode != FetchMode::LoadAll)
        emit loadingAllChanged(false);
}

void ResourceTableModel::requestPage()
{
    if (!m_fetcher || m_requestInFlight)
        return;
    m_requestInFlight = true; // before fetchNext(): a fetcher may answer synchronously
    updateState();
    m_fetcher->fetchNext();
}

void ResourceTableModel::continueLater()
{
    m_continuationPending = true;
    const quint64 runId = m_runId;
    // Queued: the view gets to lay out between pages, and the fetcher has finished emitting.
    QMetaObject::invokeMethod(
        this,
        [this, runId] {
            if (runId != m_runId || !m_continuationPending)
                return;
            m_continuationPending = false;
            if (m_errorWaitsForRetry || !hasMore()) {
                setMode(FetchMode::None);
                updateState();
                return;
            }
            requestPage();
        },
        Qt::QueuedConnection);
}

void ResourceTableModel::handlePage(const Page &page)
{
    m_requestInFlight = false;
    ++m_pagesLoaded;

    // Dedupe by key, against loaded rows and within the page.
    std::vector<QJsonObject> fresh;
    fresh.reserve(size_t(page.items.size()));
    QSet<QString> keysInPage;
    int duplicates = 0;
    for (const QJsonValue &value : page.items) {
        QJsonObject item = value.toObject();
        const QString key = m_store->keyOf(item);
        if (!key.isEmpty()) {
            if (m_store->containsKey(key) || keysInPage.contains(key)) {
                ++duplicates;
                continue;
            }
            keysInPage.insert(key);
        }
        fresh.push_back(std::move(item));
    }
    m_duplicates += duplicates;

    const int first = m_store->rowCount();
    const int added = int(fresh.size());
    if (added > 0) {
        beginInsertRows(QModelIndex(), first, first + added - 1);
        for (const QJsonObject &item : fresh)
            m_store->append(item);
        endInsertRows();
    }
    const int visible = added == 0 ? 0 : (m_visibleRowCounter ? m_visibleRowCounter(first, first + added - 1) : added);
    const int rows = m_store->rowCount();

    const quint64 serial = m_fetcherSerial;
    emit pageLoaded(page.number, added, duplicates);
    if (added > 0)
        emit rowsLoadedChanged(rows);
    if (serial != m_fetcherSerial)
        return; // a receiver started a new listing or reloaded: this page's run is over

    const bool more = hasMore();
    switch (m_mode) {
    case FetchMode::None:
        break;
    case FetchMode::Reload:
        if (more && m_fetcher->itemCount() <= m_reloadItems) {
            continueLater();
            break;
        }
        // Past where the old listing stopped: from here on as if the view had asked for this page.
        setMode(FetchMode::View);
        m_autoContinueLeft = m_autoContinuePages;
        [[fallthrough]];
    case FetchMode::View:
        // An empty page with a token, or rows the proxy hides, would stall the view: go on, a little.
        if (visible == 0 && more && m_autoContinueLeft-- > 0)
            continueLater();
        else
            setMode(FetchMode::None);
        break;
    case FetchMode::Pages:
        ++m_pagesRunScanned;
        m_pagesRunVisible += visible;
        emit fetchPagesProgress(m_pagesRunScanned, m_pagesRunVisible);
        if (visible > 0 || !more || --m_pagesRunLeft <= 0)
            setMode(FetchMode::None);
        else
            continueLater();
        break;
    case FetchMode::LoadAll: {
        ++m_loadAllPages;
        const qint64 ms = std::max<qint64>(1, m_loadAllClock.elapsed());
        emit loadAllProgress(rows, m_loadAllPages, double(rows - m_loadAllStartRows) * 1000.0 / double(ms));
        if (more)
            continueLater();
        else
            setMode(FetchMode::None);
        break;
    }
    }
    updateState();
}

void ResourceTableModel::handleFailure(const AwsError &error)
{
    m_requestInFlight = false;
    m_error = error;
    m_errorWaitsForRetry = true;
    m_failureNeedsReload = isPageTokenRejected(error);
    m_continuationPending = false;
    updateState();
    emit pageFailed(error);
}

void ResourceTableModel::fetchPages(int maxPages)
{
    if (maxPages <= 0 || !m_fetcher || !hasMore() || m_failureNeedsReload)
        return;
    m_errorWaitsForRetry = false;
    m_error = {};
    setMode(FetchMode::Pages);
    m_pagesRunLeft = maxPages;
    m_pagesRunScanned = 0;
    m_pagesRunVisible = 0;
    m_viewFetchesLeft = m_viewFetchBudget;
    requestPage(); // no-op when a request is already in flight: its page counts for this run
    updateState();
}

void ResourceTableModel::loadAll()
{
    if (!m_fetcher || !hasMore() || m_mode == FetchMode::LoadAll || m_failureNeedsReload)
        return;
    m_errorWaitsForRetry = false;
    m_error = {};
    setMode(FetchMode::LoadAll);
    m_loadAllClock.start();
    m_loadAllStartRows = rowCount();
    m_loadAllPages = 0;
    emit loadingAllChanged(true);
    requestPage();
    updateState();
}

void ResourceTableModel::retry()
{
    if (!canRetry())
        return;
    m_errorWaitsForRetry = false;
    m_error = {};
    if (m_mode == FetchMode::None || m_mode == FetchMode::View) {
        setMode(FetchMode::View);
        m_autoContinueLeft = m_autoContinuePages;
    }
    requestPage();
    updateState();
}

void ResourceTableModel::reload()
{
    if (!m_kind)
        return; // no listing to start again
    // Where the old listing stopped; reloading again before getting there keeps that target.
    const qint64 reached
        = std::max(m_fetcher ? m_fetcher->itemCount() : 0, m_mode == FetchMode::Reload ? m_reloadItems : 0);
    const bool loadingAll = m_mode == FetchMode::LoadAll;
    dropFetcher();
    m_requestInFlight = false;
    m_error = {};
    m_errorWaitsForRetry = false;
    m_failureNeedsReload = false;
    m_pagesLoaded = 0;
    m_viewFetchesLeft = m_viewFetchBudget; // a user action
    // A load-all fetches every page anyway; anything else catches up first.
    setMode(loadingAll ? FetchMode::LoadAll : FetchMode::Reload);
    m_reloadItems = reached;
    if (!startFetcher()) {
        setMode(FetchMode::None);
        updateState();
        return;
    }
    requestPage();
    updateState();
}

void ResourceTableModel::cancel()
{
    if (m_fetcher && m_requestInFlight)
        m_fetcher->cancel();
    m_requestInFlight = false;
    setMode(FetchMode::None);
    updateState();
}

void ResourceTableModel::updateState()
{
    State state = State::Idle;
    if (m_errorWaitsForRetry)
        state = State::Error;
    else if (isBusy())
        state = State::Loading;
    else if (m_fetcher && !hasMore())
        state = State::Complete;
    const bool more = hasMore();
    const QString token = resumeToken();
    if (state != m_state) {
        m_state = state;
        emit stateChanged(state);
    }
    if (more != m_lastHasMore) {
        m_lastHasMore = more;
        emit hasMoreChanged(more);
    }
    if (token != m_lastResumeToken) {
        m_lastResumeToken = token;
        emit resumeTokenChanged(token);
    }
}

} // namespace pagewise
