#include "resourceview.h"

#include "detailpane.h"
#include "errorbanner.h"
#include "export/exportrows.h"
#include "filterpanel.h"
#include "paging/queryvalidator.h"
#include "plaintooltip.h"
#include "viewstatusbar.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTextDocument>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>

namespace pagewise
{

namespace
{

// "Load more" scans at most this many pages per click when a local filter hides what arrives.
constexpr int loadMorePages = 5;
// While a local filter hides rows, what scrolling (or a filter change) may pull in by itself:
// one view request, continued through at most four pages that show nothing new.
constexpr int viewFetchBudget = 1;
constexpr int autoContinuePages = 4;
constexpr int localFilterDelayMs = 150;

// Words, not arrows: styles draw the header's indicator arrow either way round.
QString direction(Qt::SortOrder order)
{
    return order == Qt::AscendingOrder ? ResourceView::tr("ascending") : ResourceView::tr("descending");
}

/// Long IDs and ARNs differ at their end, text at its start: elide each where it keeps the
/// telling part.
class ElideDelegate final : public QStyledItemDelegate
{
public:
    ElideDelegate(const ResourceKind &kind, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_kind(kind)
    {
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const int column = index.column();
        const bool identifier = column >= 0 && column < m_kind.columns.size()
            && (m_kind.columns[column].type == ValueType::Arn || m_kind.columns[column].type == ValueType::Id);
        option->textElideMode = identifier ? Qt::ElideMiddle : Qt::ElideRight;
    }

    // A cell's tooltip is the value as the service sent it: shown literally, never as HTML.
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
        const QModelIndex &index) override
    {
        if (event && view && event->type() == QEvent::ToolTip) {
            const QString text = index.data(Qt::ToolTipRole).toString();
            if (Qt::mightBeRichText(text)) {
                QToolTip::showText(event->globalPos(), plainToolTip(text), view->viewport(), option.rect);
                return true;
            }
        }
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    }

private:
    const ResourceKind &m_kind;
};

} // namespace

ResourceView::ResourceView(const ResourceKind &kind, PageFetcherFactory factory, QWidget *parent)
    : QWidget(parent)
    , m_kind(kind)
    , m_model(new ResourceTableModel(std::move(factory), this))
    , m_proxy(new ResourceSortFilterProxyModel(this))
    , m_filters(new FilterPanel(kind, this))
    , m_filterScroll(new QScrollArea(this))
    , m_table(new ResourceTableView(this))
    , m_detail(new DetailPane(kind, this))
    , m_error(new ErrorBanner(this))
    , m_status(new ViewStatusBar(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_tableSplitter(new QSplitter(Qt::Vertical, this))
    , m_filterTimer(new QTimer(this))
    , m_layout(ColumnLayout::defaults(kind))
{
    setObjectName(QStringLiteral("view_") + kind.id);
    m_model->setViewFetchBudget(viewFetchBudget);
    m_model->setAutoContinuePages(autoContinuePages);
    m_proxy->setSourceModel(m_model);

    m_filterScroll->setWidget(m_filters);
    m_filterScroll->setWidgetResizable(true);
    m_filterScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_filterScroll->setFrameShape(QFrame::NoFrame);
    m_filterScroll->setMinimumWidth(240);

    buildTable();

    auto *tableArea = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tableArea);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(2);
    tableLayout->addWidget(m_error);
    tableLayout->addWidget(m_table, 1);
    tableLayout->addWidget(m_status);

    auto *detailScroll = new QScrollArea(this);
    detailScroll->setWidget(m_detail);
    detailScroll->setWidgetResizable(true);
    detailScroll->setFrameShape(QFrame::StyledPanel);

    m_tableSplitter->addWidget(tableArea);
    m_tableSplitter->addWidget(detailScroll);
    m_tableSplitter->setStretchFactor(0, 1);
    m_tableSplitter->setStretchFactor(1, 0);
    m_tableSplitter->setChildrenCollapsible(true);
    m_tableSplitter->setSizes({700, m_detail->sizeHint().height() + 2 * detailScroll->frameWidth()});

    m_splitter->addWidget(m_filterScroll);
    m_splitter->addWidget(m_tableSplitter);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({330, 1070});
    m_splitter->setObjectName(QStringLiteral("splitter"));
    m_tableSplitter->setObjectName(QStringLiteral("tableSplitter"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_splitter);

    setTabOrder(m_filterScroll, m_table);

    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(localFilterDelayMs);
    connect(m_filterTimer, &QTimer::timeout, this, &ResourceView::applyLocalFilter);
    connect(m_filters, &FilterPanel::localFiltersChanged, m_filterTimer, qOverload<>(&QTimer::start));
    connect(m_filters, &FilterPanel::applyRequested, this, &ResourceView::apply);
    connect(m_filters, &FilterPanel::resetRequested, this, [this] {
        applyLocalFilter();
        emit statusMessage(tr("Filters cleared; Apply lists without them"));
    });

    connect(m_model, &ResourceTableModel::stateChanged, this, &ResourceView::handleStateChanged);
    connect(m_model, &ResourceTableModel::rowsLoadedChanged, this, &ResourceView::updateStatus);
    connect(m_model, &ResourceTableModel::hasMoreChanged, this, &ResourceView::updateStatus);
    connect(m_model, &ResourceTableModel::resumeTokenChanged, m_filters, &FilterPanel::setResumeToken);
    connect(m_model, &ResourceTableModel::pageFailed, this, [this](const AwsError &error) {
        using Offer = ErrorBanner::Offer;
        const Offer offer
            = m_model->failureNeedsReload() ? Offer::Reload : (m_model->canRetry() ? Offer::Retry : Offer::Nothing);
        m_error->showError(error, offer);
        updateStatus();
    });
    connect(m_model, &ResourceTableModel::loadingAllChanged, this, [this](bool on) {
        m_status->setBulkProgress(on, m_model->rowCount(), 0);
        updateStatus();
    });
    connect(m_model, &ResourceTableModel::loadAllProgress, this,
        [this](int rows, int, double itemsPerSecond) { m_status->setBulkProgress(true, rows, itemsPerSecond); });
    connect(m_model, &ResourceTableModel::fetchPagesProgress, this, [this](int pages, int visible) {
        if (m_proxy->isFiltering())
            emit statusMessage(tr("Scanned %n page(s), ", nullptr, pages) + tr("%n new match(es)", nullptr, visible));
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &ResourceView::handleColumnsAppeared);
    connect(m_model, &QAbstractItemModel::columnsInserted, this, &ResourceView::handleColumnsAppeared);
    connect(m_proxy, &ResourceSortFilterProxyModel::sortChanged, this, &ResourceView::handleSortChanged);
    connect(m_proxy, &ResourceSortFilterProxyModel::matchCountChanged, this, &ResourceView::handleMatchCountChanged);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &ResourceView::updatePlaceholder);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ResourceView::updatePlaceholder);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &ResourceView::updatePlaceholder);

    connect(m_error, &ErrorBanner::retryRequested, this, &ResourceView::retry);
    connect(m_error, &ErrorBanner::reloadRequested, this, &ResourceView::reload);
    connect(m_status, &ViewStatusBar::loadMoreRequested, this, &ResourceView::loadMore);
    connect(m_status, &ViewStatusBar::loadAllRequested, this, &ResourceView::loadAll);
    connect(m_status, &ViewStatusBar::cancelRequested, this, &ResourceView::cancelLoading);
    connect(m_detail, &DetailPane::copied, this, &ResourceView::statusMessage);

    updateStatus();
    updatePlaceholder();
}

ResourceView::~ResourceView()
{
    // Take the models down before the widgets that show them: nothing they emit on the way out
    // may reach this half-destroyed view.
    disconnect(m_proxy, nullptr, this, nullptr);
    disconnect(m_model, nullptr, this, nullptr);
    m_table->setModel(nullptr);
    delete m_proxy;
    m_proxy = nullptr;
    delete m_model;
    m_model = nullptr;
}

void ResourceView::buildTable()
{
    m_table->setObjectName(QStringLiteral("table_") + m_kind.id);
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setItemDelegate(new ElideDelegate(m_kind, m_table));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setCornerButtonEnabled(true);

    // Row heights never depend on content: one fixed size, so layout never walks rows.
    QHeaderView *vertical = m_table->verticalHeader();
    vertical->setSectionResizeMode(QHeaderView::Fixed);
    vertical->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    vertical->setMinimumSectionSize(m_table->fontMetrics().height() + 4);
    vertical->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);

    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setResizeContentsPrecision(200);
    header->setSortIndicatorShown(true);

    // setSortingEnabled(true) sorts at once by the header's indicator. Point the indicator at
    // the order the service lists in by default, so that first sort asks for nothing new.
    int defaultColumn = -1;
    Qt::SortOrder defaultOrder = Qt::AscendingOrder;
    if (m_kind.serverSort) {
        defaultColumn = m_kind.columnIndex(m_kind.serverSort->defaultColumn);
        defaultOrder = m_kind.serverSort->defaultOrder;
    }
    header->setSortIndicator(defaultColumn, defaultOrder);
    m_table->setSortingEnabled(true);

    m_placeholder = new QLabel(m_table->viewport());
    m_placeholder->setObjectName(QStringLiteral("placeholder"));
    m_placeholder->setTextFormat(Qt::PlainText);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    QPalette palette = m_placeholder->palette();
    palette.setColor(QPalette::WindowText, palette.color(QPalette::Disabled, QPalette::WindowText));
    m_placeholder->setPalette(palette);
    m_table->viewport()->installEventFilter(this);

    connect(header, &QWidget::customContextMenuRequested, this, &ResourceView::showHeaderMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &ResourceView::showTableMenu);
    connect(
        m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ResourceView::handleCurrentChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ResourceView::selectionChanged);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ResourceView::handleCurrentChanged);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &ResourceView::handleCurrentChanged);
}

bool ResourceView::apply()
{
    ListQuery query = m_filters->query();
    const bool first = !m_listed;
    if (first && m_pendingSort && m_pendingSort->server && m_kind.serverSort) {
        // The order remembered from last time goes out with the very first request.
        const ServerSortSpec &spec = *m_kind.serverSort;
        if (const ServerSortSpec::Column *column = spec.forColumn(m_pendingSort->member)) {
            query.parameters.insert(spec.sortByParameter, column->value);
            query.parameters.insert(
                spec.sortOrderParameter, m_pendingSort->order == Qt::AscendingOrder ? spec.ascending : spec.descending);
        }
    } else if (m_kind.serverSort && m_proxy->sortScope() == ResourceSortFilterProxyModel::SortScope::Server) {
        // Keep an order chosen by a header click: SortBy/SortOrder live in the model's query.
        for (const QString &key : {m_kind.serverSort->sortByParameter, m_kind.serverSort->sortOrderParameter}) {
            if (m_model->query().parameters.contains(key))
                query.parameters.insert(key, m_model->query().parameters.value(key));
        }
    }
    const QList<FieldError> errors = QueryValidator::validate(m_kind, query);
    if (!errors.isEmpty()) {
        m_filters->showFieldErrors(errors);
        emit statusMessage(tr("Not sent: %n parameter(s) need attention", nullptr, int(errors.size())));
        updatePlaceholder();
        return false;
    }
    m_filters->clearFieldErrors();
    startQuery(query);
    if (first && m_pendingSort && !m_pendingSort->server)
        m_proxy->sort(m_kind.columnIndex(m_pendingSort->member), m_pendingSort->order);
    m_pendingSort.reset();
    return true;
}

void ResourceView::activate()
{
    if (m_listed)
        return;
    const ListQuery query = m_filters->query();
    if (QueryValidator::validate(m_kind, query).isEmpty())
        apply();
    else
        updatePlaceholder();
}

void ResourceView::relist()
{
    if (!m_listed) {
        apply();
        return;
    }
    startQuery(m_model->query());
}

void ResourceView::startQuery(const ListQuery &query)
{
    m_error->clearError();
    m_listed = true;
    m_model->setQuery(query);
    applyLocalFilter();
    updateStatus();
    updatePlaceholder();
}

void ResourceView::loadMore()
{
    if (m_model->state() == ResourceTableModel::State::Error) {
        if (m_model->failureNeedsReload())
            reload();
        else
            retry();
        return;
    }
    if (!m_model->hasMore() || m_model->isFetching())
        return;
    m_model->fetchPages(loadMorePages);
}

void ResourceView::loadAll()
{
    if (!m_model->hasMore())
        return;
    m_error->clearError();
    // The failed page's token is dead: the listing starts again, then runs to the end.
    if (m_model->failureNeedsReload())
        m_model->reload();
    m_model->loadAll();
}

void ResourceView::cancelLoading()
{
    if (!isBusy())
        return;
    m_model->cancel();
    emit statusMessage(tr("Loading cancelled; %n row(s) kept", nullptr, m_model->rowCount()));
}

void ResourceView::retry()
{
    m_error->clearError();
    m_model->retry();
}

void ResourceView::reload()
{
    m_error->clearError();
    m_model->reload();
}

bool ResourceView::isBusy() const
{
    return m_model->isFetching() || m_model->isLoadingAll();
}

QList<int> ResourceView::selectedSourceRows() const
{
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    QList<int> proxyRows;
    proxyRows.reserve(selected.size());
    for (const QModelIndex &index : selected)
        proxyRows << index.row();
    std::sort(proxyRows.begin(), proxyRows.end());
    QList<int> rows;
    rows.reserve(proxyRows.size());
    for (int proxyRow : std::as_const(proxyRows)) {
        const int source = m_proxy->sourceRow(proxyRow);
        if (source >= 0)
            rows << source;
    }
    return rows;
}

QList<int> ResourceView::shownSourceRows() const
{
    QList<int> rows;
    const int count = m_proxy->rowCount();
    rows.reserve(count);
    for (int proxyRow = 0; proxyRow < count; ++proxyRow)
        rows << m_proxy->sourceRow(proxyRow);
    return rows;
}

QStringList ResourceView::visibleMembers() const
{
    if (m_table->horizontalHeader()->count() == 0) {
        QStringList members;
        for (const QString &member : m_layout.order) {
            if (!m_layout.hidden.contains(member))
                members << member;
        }
        return members;
    }
    return ColumnLayout::visibleMembers(m_kind, m_table->horizontalHeader());
}

void ResourceView::focusFilter()
{
    m_filters->focusFirstField();
    m_filterScroll->ensureWidgetVisible(QApplication::focusWidget() ? QApplication::focusWidget() : m_filters);
}

void ResourceView::resetColumns()
{
    m_layout = ColumnLayout::defaults(m_kind);
    if (m_table->horizontalHeader()->count() > 0)
        m_layout.apply(m_kind, m_table->horizontalHeader());
}

void ResourceView::setContextActions(const QList<QAction *> &actions)
{
    m_contextActions = actions;
}

void ResourceView::saveSettings(QSettings &settings) const
{
    settings.setValue(QStringLiteral("splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("tableSplitter"), m_tableSplitter->saveState());
    settings.beginGroup(QStringLiteral("columns"));
    if (m_layoutApplied)
        ColumnLayout::capture(m_kind, m_table->horizontalHeader()).save(settings);
    else
        m_layout.save(settings);
    settings.endGroup();
    settings.beginGroup(QStringLiteral("filters"));
    m_filters->saveState(settings);
    settings.endGroup();
    saveSort(settings);
}

void ResourceView::restoreSettings(QSettings &settings)
{
    m_splitter->restoreState(settings.value(QStringLiteral("splitter")).toByteArray());
    m_tableSplitter->restoreState(settings.value(QStringLiteral("tableSplitter")).toByteArray());
    settings.beginGroup(QStringLiteral("columns"));
    m_layout = ColumnLayout::load(m_kind, settings);
    settings.endGroup();
    if (m_layoutApplied)
        m_layout.apply(m_kind, m_table->horizontalHeader());
    settings.beginGroup(QStringLiteral("filters"));
    m_filters->restoreState(settings);
    settings.endGroup();
    restoreSort(settings);
    applyLocalFilter();
}

std::optional<ResourceView::SortChoice> ResourceView::sortChoice() const
{
    if (!m_listed)
        return m_pendingSort;
    const int column = m_proxy->sortColumn();
    if (column < 0 || column >= m_kind.columns.size())
        return std::nullopt;
    const SortChoice choice {m_kind.columns[column].member, m_proxy->sortOrder(), false};
    switch (m_proxy->sortScope()) {
    case ResourceSortFilterProxyModel::SortScope::Local:
        return choice;
    case ResourceSortFilterProxyModel::SortScope::Server:
        // The API's default order is no choice: only a SortBy the user asked for is kept.
        if (m_model->query().parameters.contains(m_kind.serverSort->sortByParameter))
            return SortChoice {choice.member, choice.order, true};
        return std::nullopt;
    case ResourceSortFilterProxyModel::SortScope::None:
        break;
    }
    return std::nullopt;
}

void ResourceView::saveSort(QSettings &settings) const
{
    settings.beginGroup(QStringLiteral("sort"));
    settings.remove(QString());
    if (const std::optional<SortChoice> choice = sortChoice()) {
        settings.setValue(QStringLiteral("column"), choice->member);
        settings.setValue(QStringLiteral("order"),
            choice->order == Qt::AscendingOrder ? QStringLiteral("ascending") : QStringLiteral("descending"));
        settings.setValue(QStringLiteral("scope"), choice->server ? QStringLiteral("server") : QStringLiteral("local"));
    }
    settings.endGroup();
}

void ResourceView::restoreSort(QSettings &settings)
{
    settings.beginGroup(QStringLiteral("sort"));
    SortChoice choice;
    choice.member = settings.value(QStringLiteral("column")).toString();
    const QString order = settings.value(QStringLiteral("order")).toString();
    const QString scope = settings.value(QStringLiteral("scope")).toString();
    settings.endGroup();
    choice.order = order == QLatin1String("descending") ? Qt::DescendingOrder : Qt::AscendingOrder;
    choice.server = scope == QLatin1String("server");
    const int column = m_kind.columnIndex(choice.member);
    // The proxy decides by column where a sort happens; a saved choice that no longer matches
    // (the descriptor changed, the file was edited) is dropped rather than half applied.
    const bool serverSortable = m_kind.serverSort && m_kind.serverSort->forColumn(choice.member);
    const bool valid = column >= 0 && (order == QLatin1String("ascending") || order == QLatin1String("descending"))
        && ((choice.server && serverSortable) || (scope == QLatin1String("local") && !serverSortable));
    if (!valid)
        return;
    if (m_listed) {
        m_proxy->sort(column, choice.order);
        return;
    }
    m_pendingSort = choice;
    const QSignalBlocker blocker(m_table->horizontalHeader());
    m_table->horizontalHeader()->setSortIndicator(column, choice.order);
}

QString ResourceView::placeholderText() const
{
    return m_placeholder->isHidden() ? QString() : m_placeholder->text();
}

void ResourceView::fillColumnsMenu(QMenu *menu)
{
    QHeaderView *header = m_table->horizontalHeader();
    const bool live = header->count() > 0;
    for (int logical = 0; logical < m_kind.columns.size(); ++logical) {
        const ColumnSpec &column = m_kind.columns[logical];
        QAction *action = menu->addAction(column.header);
        action->setCheckable(true);
        action->setChecked(live ? !header->isSectionHidden(logical) : !m_layout.hidden.contains(column.member));
        action->setToolTip(column.member);
        connect(action, &QAction::toggled, this, [this, logical](bool on) { setColumnVisible(logical, on); });
    }
    menu->addSeparator();
    menu->addAction(tr("Reset columns"), this, &ResourceView::resetColumns);
}

void ResourceView::setColumnVisible(int logical, bool visible)
{
    QHeaderView *header = m_table->horizontalHeader();
    const QString &member = m_kind.columns[logical].member;
    if (header->count() == 0) {
        // No columns yet (nothing listed): the layout applies when they appear.
        if (visible)
            m_layout.hidden.remove(member);
        else if (m_layout.hidden.size() < m_kind.columns.size() - 1)
            m_layout.hidden.insert(member);
        return;
    }
    // Never hide the last visible column: the header would be gone.
    if (!visible && header->hiddenSectionCount() >= header->count() - 1)
        return;
    header->setSectionHidden(logical, !visible);
    if (visible && header->sectionSize(logical) < 30)
        header->resizeSection(logical, m_kind.columns[logical].widthHint);
}

void ResourceView::showHeaderMenu(const QPoint &pos)
{
    QMenu menu(this);
    menu.addSection(tr("Columns"));
    fillColumnsMenu(&menu);
    menu.exec(m_table->horizontalHeader()->mapToGlobal(pos));
}

void ResourceView::showTableMenu(const QPoint &pos)
{
    QMenu menu(this);
    fillTableMenu(&menu, m_table->indexAt(pos));
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void ResourceView::fillTableMenu(QMenu *menu, const QModelIndex &index)
{
    if (index.isValid() && index.model() == m_proxy && index.column() < m_kind.columns.size()) {
        // The menu may stay open while pages arrive: the cell is found again when chosen.
        const QPersistentModelIndex cell(index);
        QAction *value = menu->addAction(tr("Copy &value"), this, [this, cell] { copyValue(cell); });
        value->setObjectName(QStringLiteral("copyValue"));
        value->setEnabled(!cellValue(index).isEmpty());
        const int column = index.column();
        QString header = m_kind.columns[column].header;
        header.replace(QLatin1Char('&'), QLatin1String("&&"));
        QAction *values = menu->addAction(
            tr("Copy %1 of selected rows").arg(header), this, [this, column] { copyColumnOfSelection(column); });
        values->setObjectName(QStringLiteral("copyColumn"));
        values->setEnabled(m_table->selectionModel()->hasSelection());
        menu->addSeparator();
    }
    for (QAction *action : std::as_const(m_contextActions)) {
        if (action)
            menu->addAction(action);
        else
            menu->addSeparator();
    }
    if (!m_contextActions.isEmpty())
        menu->addSeparator();
    QAction *more = menu->addAction(tr("Load more"), this, &ResourceView::loadMore);
    more->setEnabled(m_model->hasMore() && !isBusy());
    QAction *all = menu->addAction(tr("Load all"), this, &ResourceView::loadAll);
    all->setEnabled(m_model->hasMore() && !m_model->isLoadingAll());
}

QString ResourceView::cellValue(const QModelIndex &index) const
{
    const QModelIndex source = index.model() == m_proxy ? m_proxy->mapToSource(index) : index;
    if (!source.isValid() || source.model() != m_model || source.column() >= m_kind.columns.size())
        return {};
    const ColumnSpec &column = m_kind.columns[source.column()];
    return exportCellText(column, m_model->resource(source.row()).value(column.member));
}

void ResourceView::copyValue(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    const QString value = cellValue(index);
    QGuiApplication::clipboard()->setText(value);
    emit statusMessage(tr("%1 copied: %2").arg(m_kind.columns[index.column()].header, value));
}

void ResourceView::copyColumnOfSelection(int column)
{
    if (column < 0 || column >= m_kind.columns.size())
        return;
    const ColumnSpec &spec = m_kind.columns[column];
    const QList<int> rows = selectedSourceRows();
    if (rows.isEmpty())
        return;
    QStringList values;
    values.reserve(rows.size());
    for (int row : rows) {
        // One value per line, whatever the value holds: scripts count lines.
        QString value = exportCellText(spec, m_model->resource(row).value(spec.member));
        value.replace(QLatin1String("\r\n"), QLatin1String(" "));
        value.replace(QLatin1Char('\n'), QLatin1Char(' '));
        value.replace(QLatin1Char('\r'), QLatin1Char(' '));
        values << value;
    }
    QGuiApplication::clipboard()->setText(values.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    emit statusMessage(tr("%n value(s) of %1 copied, one per line", nullptr, int(values.size())).arg(spec.header));
}

void ResourceView::handleCurrentChanged()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    m_detail->showRow(m_model, m_proxy->sourceRow(current.row()));
}

void ResourceView::handleStateChanged()
{
    if (m_model->state() != ResourceTableModel::State::Error && m_model->lastError().isError() == false)
        m_error->clearError();
    updateStatus();
    updatePlaceholder();
}

void ResourceView::handleSortChanged(int column, Qt::SortOrder order, ResourceSortFilterProxyModel::SortScope scope)
{
    QHeaderView *header = m_table->horizontalHeader();
    if (header->sortIndicatorSection() != column || header->sortIndicatorOrder() != order) {
        // Only the indicator: the proxy already has this order.
        const QSignalBlocker blocker(header);
        header->setSortIndicator(column, order);
        header->viewport()->update();
    }
    Q_UNUSED(scope)
    updateStatus();
}

void ResourceView::handleMatchCountChanged(int, int)
{
    updateStatus();
    updatePlaceholder();
}

void ResourceView::handleColumnsAppeared()
{
    QHeaderView *header = m_table->horizontalHeader();
    if (m_layoutApplied || header->count() == 0)
        return;
    m_layout.apply(m_kind, header);
    m_layoutApplied = true;
}

void ResourceView::applyLocalFilter()
{
    m_filterTimer->stop();
    const LocalFilter filter = toLocalFilter(m_filters->localFilters());
    if (filter == m_proxy->filter())
        return;
    m_proxy->setFilter(filter);
    updateStatus();
    updatePlaceholder();
}

LocalFilter ResourceView::toLocalFilter(const QList<LocalFilterInput> &inputs) const
{
    LocalFilter filter;
    for (const LocalFilterInput &input : inputs) {
        if (!input.isActive())
            continue;
        switch (input.type) {
        case ValueType::Timestamp:
            filter.timeRanges << LocalFilter::TimeRange {input.column, input.from, input.to};
            break;
        case ValueType::Enum:
            filter.oneOfs << LocalFilter::OneOf {input.column, {input.text}};
            break;
        default:
            filter.texts << LocalFilter::Text {QStringList {input.column} + input.alsoColumns, input.text};
            break;
        }
    }
    return filter;
}

void ResourceView::updateStatus()
{
    using State = ResourceTableModel::State;
    const State state = m_model->state();
    const int loaded = m_model->rowCount();
    const bool more = m_model->hasMore() && m_listed;
    m_status->setRows(loaded, more, state == State::Complete);
    m_status->setCanLoadMore(state != State::Loading);
    if (state == State::Loading && !m_model->isLoadingAll())
        m_status->setLoading(true, tr("Loading page %1…").arg(m_model->pagesLoaded() + 1));
    else if (!m_model->isLoadingAll())
        m_status->setLoading(false);
    if (state == State::Error) {
        // "Load all" waits for Retry (or Reload) after a failed page; it is not running meanwhile.
        m_status->setBulkProgress(false);
        m_status->setLoading(false);
    }

    if (m_proxy->isFiltering()) {
        QString note = tr("%1 of %2 loaded rows match the local filter")
                           .arg(QLocale().toString(m_proxy->matchCount()), QLocale().toString(loaded));
        if (more)
            note += tr(" · Load more to scan further");
        m_status->setFilterNote(note);
    } else {
        m_status->setFilterNote({});
    }

    const int column = m_proxy->sortColumn();
    const QString header = column >= 0 && column < m_kind.columns.size() ? m_kind.columns[column].header : QString();
    switch (m_proxy->sortScope()) {
    case ResourceSortFilterProxyModel::SortScope::Server:
        m_status->setSortNote(header.isEmpty()
                ? tr("In the service's order")
                : tr("Sorted by %1, %2, on the server").arg(header, direction(m_proxy->sortOrder())),
            false);
        break;
    case ResourceSortFilterProxyModel::SortScope::Local:
        if (m_proxy->isSortPartial())
            m_status->setSortNote(tr("Sorted by %1, %2, among the %3 loaded rows only (local)")
                                      .arg(header, direction(m_proxy->sortOrder()), QLocale().toString(loaded)),
                true);
        else
            m_status->setSortNote(
                tr("Sorted by %1, %2 (local, all rows loaded)").arg(header, direction(m_proxy->sortOrder())), false);
        break;
    case ResourceSortFilterProxyModel::SortScope::None:
        m_status->setSortNote(m_listed ? tr("In the service's order") : QString(), false);
        break;
    }
}

QString ResourceView::missingRequiredText() const
{
    QStringList labels;
    for (const FilterSpec &filter : m_kind.filters) {
        if (filter.required && !m_filters->query().parameters.contains(filter.parameter))
            labels << filter.label;
    }
    if (labels.isEmpty())
        return {};
    return tr("Enter %1, then press Apply (Enter).").arg(QLocale().createSeparatedList(labels));
}

void ResourceView::updatePlaceholder()
{
    using State = ResourceTableModel::State;
    QString text;
    if (m_proxy->rowCount() == 0) {
        if (!m_listed) {
            text = missingRequiredText();
            if (text.isEmpty())
                text = tr("Press Apply (Enter) to list %1.").arg(m_kind.title.toLower());
        } else if (m_model->state() == State::Loading) {
            text = tr("Loading %1…").arg(m_kind.title.toLower());
        } else if (m_model->state() == State::Error) {
            text = m_model->failureNeedsReload()
                ? tr("The page token expired; Reload starts the listing again and keeps the loaded rows.")
                : tr("The request failed; see the message above. Retry continues from the failed page.");
        } else if (m_model->rowCount() > 0) {
            text = tr("None of the %1 loaded rows matches the local filter.")
                       .arg(QLocale().toString(m_model->rowCount()));
            if (m_model->hasMore())
                text += tr("\nLoad more scans further pages.");
        } else if (!m_model->hasMore()) {
            text = tr("No %1 match these parameters.").arg(m_kind.title.toLower());
        }
    }
    m_placeholder->setText(text);
    m_placeholder->setVisible(!text.isEmpty());
    m_placeholder->setGeometry(m_table->viewport()->rect().adjusted(20, 20, -20, -20));
}

bool ResourceView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        m_placeholder->setGeometry(m_table->viewport()->rect().adjusted(20, 20, -20, -20));
    return QWidget::eventFilter(watched, event);
}

} // namespace pagewise
