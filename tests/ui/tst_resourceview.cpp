#include "expiringfirstlisting.h"
#include "shownlabeltext.h"
#include "ui/datetimefilteredit.h"
#include "ui/detailpane.h"
#include "ui/errorbanner.h"
#include "ui/filterpanel.h"
#include "ui/resourceview.h"
#include "ui/viewstatusbar.h"
#include "uitesthelpers.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QGuiApplication>
#include <QHeaderView>
#include <QHelpEvent>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QToolTip>

using namespace pagewise;
using uitest::isIdle;

namespace
{

void clickHeader(QTableView *table, int logical)
{
    QHeaderView *header = table->horizontalHeader();
    table->scrollTo(table->model()->index(0, logical));
    const QPoint pos(header->sectionViewportPosition(logical) + 10, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, pos);
}

QStringList rowKeys(const ResourceTableModel *model)
{
    QStringList keys;
    for (int row = 0; row < model->rowCount(); ++row)
        keys << model->index(row, 0).data(ResourceTableModel::KeyRole).toString();
    return keys;
}

QStringList keysOf(const QVariantMap &map)
{
    QStringList keys = map.keys();
    keys.sort();
    return keys;
}

} // namespace

class tst_ResourceView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void appliedFiltersAreExactlyWhatIsSent();
    void firstListingSendsOneRequestInTheServerOrder();
    void scrollingToTheBottomFetchesTheNextPage();
    void scrollingToTheLastColumnFetchesNothing();
    void headerClickOnServerColumnRequeries();
    void headerClickOnOtherColumnSortsLoadedRowsOnly();
    void validationErrorStopsTheRequest();
    void failedPageKeepsRowsAndRetryContinues();
    void expiredPageTokenOffersReloadNotRetry_data();
    void expiredPageTokenOffersReloadNotRetry();
    void localFilterDoesNotDrainTheListing();
    void detailPaneShowsTheCurrentRow();
    void selectionMapsToSourceRowsInViewOrder();
    void columnsCanBeHiddenBeforeTheFirstListing();
    void valuesFromTheServiceShowLiterally();
    void contextMenuCopiesAValueOrAColumn();

private:
    void fillCatalogJob(ResourceView *view);

    QTemporaryDir m_settingsDir;
    uitest::EmulatorFixture m_emulator;
};

void tst_ResourceView::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    uitest::useTemporarySettings(m_settingsDir);
    QString error;
    QVERIFY2(m_emulator.start(&error), qPrintable(error));
}

void tst_ResourceView::init()
{
    m_emulator.reset();
}

void tst_ResourceView::fillCatalogJob(ResourceView *view)
{
    // The job with the most sessions, from what the emulator seeded.
    const EmulatorCatalog &catalog = m_emulator.backend().catalog();
    QString farm, queue, job;
    int most = -1;
    for (const auto &f : catalog.farms)
        for (const auto &q : f.queues)
            for (const auto &j : q.jobs)
                if (j.sessions > most) {
                    most = j.sessions;
                    farm = f.farmId;
                    queue = q.queueId;
                    job = j.jobId;
                }
    ListQuery query = view->filterPanel()->query();
    query.parameters.insert(QStringLiteral("farmId"), farm);
    query.parameters.insert(QStringLiteral("queueId"), queue);
    query.parameters.insert(QStringLiteral("jobId"), job);
    view->filterPanel()->setQuery(query);
}

void tst_ResourceView::appliedFiltersAreExactlyWhatIsSent()
{
    auto view = m_emulator.shownView(QStringLiteral("images"));
    QVERIFY(view);
    FilterPanel *panel = view->filterPanel();
    // Given a name filter and one date bound, entered as a user does
    auto *name = qobject_cast<QLineEdit *>(panel->editorFor(QStringLiteral("NameContains")));
    QTest::keyClicks(name, QStringLiteral("py"));
    auto *after = qobject_cast<DateTimeFilterEdit *>(panel->editorFor(QStringLiteral("CreationTimeAfter")));
    QTest::mouseClick(after->checkBox(), Qt::LeftButton, {}, QPoint(5, after->checkBox()->height() / 2));
    const QDateTime bound(QDate(2023, 1, 1), QTime(0, 0), Qt::UTC);
    after->editor()->setDateTime(bound);
    // When Enter is pressed
    name->setFocus();
    QTest::keyClick(name, Qt::Key_Return);
    // Then the request carries exactly those parameters
    QTRY_VERIFY(!m_emulator.requests(QStringLiteral("ListImages")).isEmpty() && isIdle(view.get()));
    const auto requests = m_emulator.requests(QStringLiteral("ListImages"));
    const QVariantMap first = requests.first().parameters;
    const ResourceKind &kind = view->kind();
    QCOMPARE(keysOf(first),
        (QStringList {QStringLiteral("CreationTimeAfter"), kind.pagination.limitKey, QStringLiteral("NameContains")}));
    QCOMPARE(first.value(kind.pagination.limitKey).toInt(), kind.pagination.maxPageSize);
    QCOMPARE(first.value(QStringLiteral("NameContains")).toString(), QStringLiteral("py"));
    QCOMPARE(first.value(QStringLiteral("CreationTimeAfter")).toLongLong(), bound.toSecsSinceEpoch());
    for (const EmulatorRequestLogEntry &entry : requests) {
        QVariantMap rest = entry.parameters;
        rest.remove(QStringLiteral("NextToken"));
        QCOMPARE(rest, first);
    }
    // and the rows shown are what the service answered for them
    ResourceTableModel *model = view->model();
    QVERIFY(model->rowCount() > 0);
    const int nameColumn = model->columnForMember(QStringLiteral("ImageName"));
    const int createdColumn = model->columnForMember(QStringLiteral("CreationTime"));
    for (int row = 0; row < model->rowCount(); ++row) {
        QVERIFY(model->index(row, nameColumn)
                    .data(ResourceTableModel::RawValueRole)
                    .toString()
                    .contains(QStringLiteral("py"), Qt::CaseInsensitive));
        QVERIFY(model->index(row, createdColumn).data(ResourceTableModel::RawValueRole).toDateTime() >= bound);
    }
}

void tst_ResourceView::firstListingSendsOneRequestInTheServerOrder()
{
    auto view = m_emulator.shownView(QStringLiteral("images"));
    QVERIFY(view);
    // The header shows the service's default order before anything was asked for.
    const ResourceKind &kind = view->kind();
    QHeaderView *header = view->table()->horizontalHeader();
    QCOMPARE(header->sortIndicatorSection(), kind.columnIndex(kind.serverSort->defaultColumn));
    QCOMPARE(header->sortIndicatorOrder(), kind.serverSort->defaultOrder);
    QVERIFY(m_emulator.requests(QStringLiteral("ListImages")).isEmpty());

    QVERIFY(view->apply());
    QTRY_VERIFY(view->model()->rowCount() > 0 && isIdle(view.get()));
    int firstPages = 0;
    for (const EmulatorRequestLogEntry &entry : m_emulator.requests(QStringLiteral("ListImages"))) {
        QVERIFY(!entry.parameters.contains(QStringLiteral("SortBy")));
        if (!entry.parameters.contains(QStringLiteral("NextToken")))
            ++firstPages;
    }
    QCOMPARE(firstPages, 1);
    QVERIFY(view->statusLine()->sortNote().contains(QStringLiteral("on the server")));
}

void tst_ResourceView::scrollingToTheBottomFetchesTheNextPage()
{
    auto view = m_emulator.shownView(QStringLiteral("images"));
    QVERIFY(view);
    QVERIFY(view->apply());
    QTRY_VERIFY(view->model()->rowCount() > 0 && isIdle(view.get()));
    QVERIFY(view->model()->hasMore());
    const qsizetype requestsBefore = m_emulator.requests(QStringLiteral("ListImages")).size();
    const int rowsBefore = view->model()->rowCount();

    view->table()->scrollToBottom();

    QTRY_VERIFY(view->model()->rowCount() > rowsBefore);
    const auto requests = m_emulator.requests(QStringLiteral("ListImages"));
    QVERIFY(requests.size() > requestsBefore);
    QVERIFY(requests.last().parameters.contains(QStringLiteral("NextToken")));
    QVERIFY(view->statusLine()->rowsText().contains(QLocale().toString(view->model()->rowCount())));
}

void tst_ResourceView::scrollingToTheLastColumnFetchesNothing()
{
    // Given a table narrower than its columns, listed with more pages to come
    ResourceView view(*findResourceKind(QStringLiteral("images")), m_emulator.factory());
    view.resize(760, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    qobject_cast<QSpinBox *>(view.filterPanel()->editorFor(QStringLiteral("PageSize")))->setValue(50);
    QVERIFY(view.apply());
    QTRY_VERIFY(view.model()->rowCount() > 0 && isIdle(&view));
    QVERIFY(view.model()->hasMore());
    QScrollBar *horizontal = view.table()->horizontalScrollBar();
    QTRY_VERIFY(horizontal->maximum() > 0);
    QCOMPARE(view.table()->verticalScrollBar()->value(), 0);
    QVERIFY(view.model()->canFetchMore(QModelIndex()));
    m_emulator.emulator()->clearRequestLog();
    const int rows = view.model()->rowCount();

    // When it is scrolled sideways to its last column
    horizontal->setValue(horizontal->maximum());
    QCOMPARE(horizontal->value(), horizontal->maximum());

    // Then no page is asked for
    QVERIFY(!view.model()->isFetching());
    QCoreApplication::processEvents();
    QVERIFY(!view.model()->isFetching());
    QVERIFY(m_emulator.requests(QStringLiteral("ListImages")).isEmpty());
    QCOMPARE(view.model()->rowCount(), rows);

    // while reaching the bottom still does
    view.table()->scrollToBottom();
    QTRY_VERIFY(view.model()->rowCount() > rows);
    QVERIFY(!m_emulator.requests(QStringLiteral("ListImages")).isEmpty());
}

void tst_ResourceView::headerClickOnServerColumnRequeries()
{
    auto view = m_emulator.shownView(QStringLiteral("images"));
    QVERIFY(view);
    QVERIFY(view->apply());
    QTRY_VERIFY(view->model()->rowCount() > 0 && isIdle(view.get()));
    m_emulator.emulator()->clearRequestLog();

    const int nameColumn = view->kind().columnIndex(QStringLiteral("ImageName"));
    clickHeader(view->table(), nameColumn);

    QTRY_VERIFY(!m_emulator.requests(QStringLiteral("ListImages")).isEmpty() && isIdle(view.get()));
    const QVariantMap first = m_emulator.requests(QStringLiteral("ListImages")).first().parameters;
    QCOMPARE(first.value(QStringLiteral("SortBy")).toString(), QStringLiteral("IMAGE_NAME"));
    QCOMPARE(first.value(QStringLiteral("SortOrder")).toString(), QStringLiteral("ASCENDING"));
    QVERIFY(!first.contains(QStringLiteral("NextToken")));
    QCOMPARE(view->proxy()->sortScope(), ResourceSortFilterProxyModel::SortScope::Server);
    QVERIFY(view->statusLine()->sortNote().contains(QStringLiteral("on the server")));
    QCOMPARE(view->table()->horizontalHeader()->sortIndicatorSection(), nameColumn);

    // Rows arrive in the service's order and stay there.
    QTRY_VERIFY(view->proxy()->rowCount() > 1);
    QCOMPARE(view->proxy()->sourceRow(0), 0);
    QCOMPARE(view->proxy()->sourceRow(1), 1);

    // Apply keeps the order the header chose.
    m_emulator.emulator()->clearRequestLog();
    QVERIFY(view->apply());
    QTRY_VERIFY(!m_emulator.requests(QStringLiteral("ListImages")).isEmpty());
    QCOMPARE(
        m_emulator.requests(QStringLiteral("ListImages")).first().parameters.value(QStringLiteral("SortBy")).toString(),
        QStringLiteral("IMAGE_NAME"));
}

void tst_ResourceView::headerClickOnOtherColumnSortsLoadedRowsOnly()
{
    auto view = m_emulator.shownView(QStringLiteral("datasets"));
    QVERIFY(view);
    QVERIFY(view->apply());
    QTRY_VERIFY(view->model()->rowCount() > 0 && isIdle(view.get()));
    QVERIFY(view->model()->hasMore());
    m_emulator.emulator()->clearRequestLog();

    const int statusColumn = view->kind().columnIndex(QStringLiteral("status"));
    clickHeader(view->table(), statusColumn);

    QTRY_COMPARE(view->proxy()->sortScope(), ResourceSortFilterProxyModel::SortScope::Local);
    QCoreApplication::processEvents();
    QVERIFY(m_emulator.requests(QStringLiteral("ListDatasets")).isEmpty());
    const QString note = view->statusLine()->sortNote();
    QVERIFY2(note.contains(QStringLiteral("loaded rows only")), qPrintable(note));
    QVERIFY(view->statusLine()->loadAllButton()->isVisible());
    QVERIFY(view->statusLine()->loadAllButton()->text().contains(QStringLiteral("sort")));
    // The proxy orders by the typed value.
    for (int row = 1; row < view->proxy()->rowCount(); ++row) {
        const QString a = view->proxy()->index(row - 1, statusColumn).data(ResourceTableModel::RawValueRole).toString();
        const QString b = view->proxy()->index(row, statusColumn).data(ResourceTableModel::RawValueRole).toString();
        QVERIFY2(a <= b || b.isEmpty(), qPrintable(a + QStringLiteral(" > ") + b));
    }
}

void tst_ResourceView::validationErrorStopsTheRequest()
{
    auto view = m_emulator.shownView(QStringLiteral("sessions"));
    QVERIFY(view);
    fillCatalogJob(view.get());
    auto *farm = qobject_cast<QComboBox *>(view->filterPanel()->editorFor(QStringLiteral("farmId")));
    farm->setEditText(QStringLiteral("farm-123"));
    farm->setFocus();
    QTest::keyClick(farm->lineEdit(), Qt::Key_Return);

    QCoreApplication::processEvents();
    QVERIFY(m_emulator.requests(QStringLiteral("ListSessions")).isEmpty());
    QVERIFY(!view->hasListed());
    QCOMPARE(view->model()->rowCount(), 0);
    const QString message = view->filterPanel()->fieldError(QStringLiteral("farmId"));
    QVERIFY2(message.contains(QStringLiteral("farm-")), qPrintable(message));
    QVERIFY(view->filterPanel()->fieldError(QStringLiteral("queueId")).isEmpty());

    // Fixed, it goes out and the message goes away.
    fillCatalogJob(view.get());
    QVERIFY(view->apply());
    QTRY_VERIFY(!m_emulator.requests(QStringLiteral("ListSessions")).isEmpty());
    QVERIFY(view->filterPanel()->fieldError(QStringLiteral("farmId")).isEmpty());
}

void tst_ResourceView::failedPageKeepsRowsAndRetryContinues()
{
    auto view = m_emulator.shownView(QStringLiteral("images"));
    QVERIFY(view);
    QVERIFY(view->apply());
    QTRY_VERIFY(view->model()->rowCount() > 0 && isIdle(view.get()));
    const int rowsBefore = view->model()->rowCount();
    const QString firstKey = view->model()->index(0, 0).data(ResourceTableModel::KeyRole).toString();

    // Given a service that fails every request
    EmulatorFaults faults;
    faults.errorRate = 1.0;
    m_emulator.emulator()->setFaults(faults);
    m_emulator.emulator()->clearRequestLog();
    // When more rows are asked for
    QTest::mouseClick(view->statusLine()->loadMoreButton(), Qt::LeftButton);
    // Then the error is shown in words and every loaded row stays
    QTRY_VERIFY(!view->errorBanner()->text().isEmpty());
    const QString text = view->errorBanner()->text();
    QVERIFY2(text.contains(QStringLiteral("HTTP 50")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("request id")), qPrintable(text));
    QCOMPARE(view->model()->rowCount(), rowsBefore);
    QCOMPARE(view->model()->index(0, 0).data(ResourceTableModel::KeyRole).toString(), firstKey);
    const QString failedToken = m_emulator.requests(QStringLiteral("ListImages"))
                                    .last()
                                    .parameters.value(QStringLiteral("NextToken"))
                                    .toString();
    QVERIFY(!failedToken.isEmpty());

    // When the service recovers and Retry is pressed
    m_emulator.emulator()->setFaults({});
    m_emulator.emulator()->clearRequestLog();
    QPushButton *retry = view->errorBanner()->retryButton();
    QVERIFY(retry->isVisible());
    QTest::mouseClick(retry, Qt::LeftButton);
    // Then the same page is asked for again and the listing continues
    QTRY_VERIFY(view->model()->rowCount() > rowsBefore);
    QCOMPARE(m_emulator.requests(QStringLiteral("ListImages"))
                 .first()
                 .parameters.value(QStringLiteral("NextToken"))
                 .toString(),
        failedToken);
    QCOMPARE(view->model()->index(0, 0).data(ResourceTableModel::KeyRole).toString(), firstKey);
    QVERIFY(view->errorBanner()->text().isEmpty());
}

void tst_ResourceView::expiredPageTokenOffersReloadNotRetry_data()
{
    QTest::addColumn<QString>("action");
    QTest::addRow("Reload in the banner") << QStringLiteral("reload");
    QTest::addRow("Load more") << QStringLiteral("more");
    QTest::addRow("Load all") << QStringLiteral("all");
}

void tst_ResourceView::expiredPageTokenOffersReloadNotRetry()
{
    QFETCH(QString, action);
    // What the listing holds when nothing goes wrong, from a view of its own.
    QStringList expected;
    {
        auto reference = m_emulator.shownView(QStringLiteral("images"));
        QVERIFY(reference);
        QVERIFY(reference->apply());
        QTRY_VERIFY(isIdle(reference.get()));
        reference->loadAll();
        QTRY_COMPARE_WITH_TIMEOUT(reference->model()->state(), ResourceTableModel::State::Complete, 20000);
        expected = rowKeys(reference->model());
    }
    QVERIFY(expected.size() > 300);
    QCOMPARE(QSet<QString>(expected.cbegin(), expected.cend()).size(), expected.size());
    m_emulator.emulator()->clearRequestLog();

    // Given a view whose first listing's page tokens expire from the first one on
    ResourceView view(
        *findResourceKind(QStringLiteral("images")), uitest::expiringFirstListing(m_emulator.client(), 1));
    view.resize(1300, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.apply());
    QTRY_VERIFY(view.model()->rowCount() > 0 && isIdle(&view));
    const int rowsBefore = view.model()->rowCount();

    // When the next page is asked for, the service refuses its token
    QTest::mouseClick(view.statusLine()->loadMoreButton(), Qt::LeftButton);
    QTRY_COMPARE(view.model()->state(), ResourceTableModel::State::Error);
    // Then the banner offers Reload, not a Retry that would send the dead token again
    const QString text = view.errorBanner()->text();
    QVERIFY2(text.contains(QStringLiteral("PageTokenRejected")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("HTTP 400")), qPrintable(text));
    QVERIFY(view.errorBanner()->reloadButton()->isVisible());
    QVERIFY(!view.errorBanner()->retryButton()->isVisible());
    QCOMPARE(view.errorBanner()->reloadButton()->text(), QStringLiteral("Re&load"));
    QCOMPARE(rowKeys(view.model()), expected.mid(0, rowsBefore));

    // When the user goes on
    if (action == QLatin1String("reload"))
        QTest::mouseClick(view.errorBanner()->reloadButton(), Qt::LeftButton);
    else if (action == QLatin1String("more"))
        QTest::mouseClick(view.statusLine()->loadMoreButton(), Qt::LeftButton);
    else
        QTest::mouseClick(view.statusLine()->loadAllButton(), Qt::LeftButton);
    QVERIFY(view.errorBanner()->text().isEmpty());
    QCOMPARE(view.model()->rowCount(), rowsBefore); // loaded rows stay while the listing starts again
    if (action != QLatin1String("all")) {
        // Back by itself past where it stopped, then the rest on request
        QTRY_VERIFY(view.model()->rowCount() > rowsBefore && isIdle(&view));
        QCOMPARE(view.model()->state(), ResourceTableModel::State::Idle);
        QTest::mouseClick(view.statusLine()->loadAllButton(), Qt::LeftButton);
    }
    // Then the whole listing, in the service's order, with nothing twice
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->state(), ResourceTableModel::State::Complete, 20000);
    QCOMPARE(rowKeys(view.model()), expected);
    QCOMPARE(view.model()->duplicatesDropped(), qint64(rowsBefore));
    QVERIFY(view.errorBanner()->text().isEmpty());
    // and the refused token went out once: the restarted listing never sent it
    int altered = 0;
    for (const EmulatorRequestLogEntry &entry : m_emulator.requests(QStringLiteral("ListImages"))) {
        if (entry.parameters.value(QStringLiteral("NextToken")).toString().startsWith(QLatin1Char('x')))
            ++altered;
    }
    QCOMPARE(altered, 1);
}

void tst_ResourceView::localFilterDoesNotDrainTheListing()
{
    auto view = m_emulator.shownView(QStringLiteral("datasets"));
    QVERIFY(view);
    QVERIFY(view->apply());
    QTRY_VERIFY(view->model()->rowCount() > 0 && isIdle(view.get()));
    const int totalPages = (m_emulator.backend().catalog().datasets + 99) / 100;
    QVERIFY(totalPages > 12);
    const qsizetype beforeFilter = m_emulator.requests(QStringLiteral("ListDatasets")).size();
    // What one user action may pull in while the filter hides everything.
    const int perAction = view->model()->viewFetchBudget() * (1 + view->model()->autoContinuePages());
    QVERIFY(perAction <= 6);

    // A local filter that matches nothing loaded (nor anything at all)
    auto *name = view->filterPanel()->findChild<QLineEdit *>(QStringLiteral("local_name"));
    QTest::keyClicks(name, QStringLiteral("no-such-dataset"));
    QTRY_VERIFY(view->proxy()->isFiltering());
    QTRY_VERIFY(isIdle(view.get()) && !view->model()->canFetchMore(QModelIndex()));
    const qsizetype afterFilter = m_emulator.requests(QStringLiteral("ListDatasets")).size();
    QVERIFY2(afterFilter - beforeFilter <= perAction, qPrintable(QString::number(afterFilter - beforeFilter)));
    QVERIFY(view->model()->hasMore());
    QCOMPARE(view->proxy()->rowCount(), 0);
    QVERIFY(view->statusLine()->filterNote().startsWith(QStringLiteral("0 of")));
    QVERIFY(view->placeholderText().contains(QStringLiteral("local filter")));

    // "Load more" scans a bounded number of further pages per click: its own five, and what the
    // renewed view budget allows after them.
    QVERIFY(view->statusLine()->loadMoreButton()->isEnabled());
    QTest::mouseClick(view->statusLine()->loadMoreButton(), Qt::LeftButton);
    QTRY_VERIFY(m_emulator.requests(QStringLiteral("ListDatasets")).size() > afterFilter);
    QTRY_VERIFY(isIdle(view.get()) && !view->model()->canFetchMore(QModelIndex()));
    const qsizetype afterLoadMore = m_emulator.requests(QStringLiteral("ListDatasets")).size();
    QVERIFY2(afterLoadMore - afterFilter <= 5 + perAction, qPrintable(QString::number(afterLoadMore - afterFilter)));
    QVERIFY(view->model()->hasMore());
}

void tst_ResourceView::detailPaneShowsTheCurrentRow()
{
    auto view = m_emulator.shownView(QStringLiteral("sessions"));
    QVERIFY(view);
    fillCatalogJob(view.get());
    QVERIFY(view->apply());
    QTRY_VERIFY(view->model()->rowCount() > 2 && isIdle(view.get()));

    QTableView *table = view->table();
    const QRect cell = table->visualRect(view->proxy()->index(2, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    const int source = view->proxy()->sourceRow(2);
    const QJsonObject resource = view->model()->resource(source);
    QCOMPARE(view->detailPane()->valueText(QStringLiteral("sessionId")),
        resource.value(QStringLiteral("sessionId")).toString());
    QCOMPARE(
        view->detailPane()->valueText(QStringLiteral("fleetId")), resource.value(QStringLiteral("fleetId")).toString());
    // Timestamps read as the table shows them, with the exact UTC value alongside.
    QVERIFY(view->detailPane()->valueText(QStringLiteral("startedAt")).contains(QLatin1Char('Z')));

    QPushButton *copy = view->detailPane()->copyButton(QStringLiteral("workerId"));
    QVERIFY(copy && copy->isEnabled());
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), resource.value(QStringLiteral("workerId")).toString());
}

void tst_ResourceView::selectionMapsToSourceRowsInViewOrder()
{
    auto view = m_emulator.shownView(QStringLiteral("datasets"));
    QVERIFY(view);
    QVERIFY(view->apply());
    QTRY_VERIFY(view->model()->rowCount() > 10 && isIdle(view.get()));
    view->table()->sortByColumn(view->kind().columnIndex(QStringLiteral("name")), Qt::DescendingOrder);
    QTRY_COMPARE(view->proxy()->sortScope(), ResourceSortFilterProxyModel::SortScope::Local);

    // Select proxy rows 7, 1 and 4, in that order.
    QItemSelectionModel *selection = view->table()->selectionModel();
    for (int row : {7, 1, 4})
        selection->select(view->proxy()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QList<int> expected = {view->proxy()->sourceRow(1), view->proxy()->sourceRow(4), view->proxy()->sourceRow(7)};
    QCOMPARE(view->selectedSourceRows(), expected);
}

void tst_ResourceView::columnsCanBeHiddenBeforeTheFirstListing()
{
    auto view = m_emulator.shownView(QStringLiteral("sessions"));
    QVERIFY(view);
    const int fleet = view->kind().columnIndex(QStringLiteral("fleetId"));
    const int updated = view->kind().columnIndex(QStringLiteral("updatedAt"));
    QCOMPARE(view->table()->horizontalHeader()->count(), 0);
    QMenu menu;
    view->fillColumnsMenu(&menu);
    QVERIFY(menu.actions().at(fleet)->isChecked());
    QVERIFY(!menu.actions().at(updated)->isChecked()); // hidden by default
    menu.actions().at(fleet)->setChecked(false);
    menu.actions().at(updated)->setChecked(true);
    QVERIFY(!view->visibleMembers().contains(QStringLiteral("fleetId")));

    fillCatalogJob(view.get());
    QVERIFY(view->apply());
    QTRY_VERIFY(view->table()->horizontalHeader()->count() > 0);
    QVERIFY(view->table()->horizontalHeader()->isSectionHidden(fleet));
    QVERIFY(!view->table()->horizontalHeader()->isSectionHidden(updated));
    QVERIFY(view->visibleMembers().contains(QStringLiteral("updatedAt")));
}

void tst_ResourceView::valuesFromTheServiceShowLiterally()
{
    // Given a resource whose values look like HTML
    const ResourceKind &kind = *findResourceKind(QStringLiteral("images"));
    const QString arn = QStringLiteral("arn:aws:sagemaker:us-east-1:1:image/<i>x</i>");
    const QString description = QStringLiteral("<h1>x</h1><a href=\"https://example.invalid/\">y</a>");
    QJsonArray items;
    items.append(QJsonObject {{QStringLiteral("ImageName"), QStringLiteral("x")}, {QStringLiteral("ImageArn"), arn},
        {QStringLiteral("Description"), description}});
    ResourceView view(kind, [items](const ListQuery &) { return std::make_unique<uitest::OnePageFetcher>(items); });
    view.resize(1300, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.apply());
    QTRY_COMPARE(view.model()->rowCount(), 1);

    // When its row is current, the detail pane's title is the key as sent
    view.table()->selectRow(0);
    const auto *title = view.detailPane()->findChild<QLabel *>(QStringLiteral("detailTitle"));
    QVERIFY(title);
    QCOMPARE(uitest::shownText(title), arn);

    // and the cell's tooltip shows the description as sent
    const int column = kind.columnIndex(QStringLiteral("Description"));
    QTableView *table = view.table();
    table->scrollTo(view.proxy()->index(0, column));
    const QPoint pos = table->visualRect(view.proxy()->index(0, column)).center();
    QHelpEvent help(QEvent::ToolTip, pos, table->viewport()->mapToGlobal(pos));
    QCoreApplication::sendEvent(table->viewport(), &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(uitest::shownToolTip(QToolTip::text()).trimmed(), description);
    QToolTip::hideText();
}

void tst_ResourceView::contextMenuCopiesAValueOrAColumn()
{
    auto view = m_emulator.shownView(QStringLiteral("images"));
    QVERIFY(view);
    QVERIFY(view->apply());
    QTRY_VERIFY(view->model()->rowCount() > 5 && isIdle(view.get()));
    const ResourceKind &kind = view->kind();
    ResourceSortFilterProxyModel *proxy = view->proxy();
    const int created = kind.columnIndex(QStringLiteral("CreationTime"));
    const int name = kind.columnIndex(QStringLiteral("ImageName"));
    auto trigger = [&](const QModelIndex &index, const QString &objectName) {
        QMenu menu;
        view->fillTableMenu(&menu, index);
        auto *action = menu.findChild<QAction *>(objectName);
        if (!action || !action->isEnabled())
            return false;
        action->trigger();
        return true;
    };

    // "Copy value": the cell as the service sent it, whole (not the table's local-time text)
    const QModelIndex cell = proxy->index(3, created);
    const QJsonObject resource = view->model()->resource(proxy->sourceRow(3));
    QVERIFY(trigger(cell, QStringLiteral("copyValue")));
    const QDateTime expected = QDateTime::fromMSecsSinceEpoch(
        qint64(resource.value(QStringLiteral("CreationTime")).toDouble() * 1000), Qt::UTC);
    QCOMPARE(QDateTime::fromString(QGuiApplication::clipboard()->text(), Qt::ISODateWithMs), expected);
    QVERIFY(QGuiApplication::clipboard()->text().endsWith(QLatin1Char('Z')));
    QVERIFY(trigger(proxy->index(3, name), QStringLiteral("copyValue")));
    QCOMPARE(QGuiApplication::clipboard()->text(), resource.value(QStringLiteral("ImageName")).toString());

    // "Copy Name of selected rows": one value per line, in view order
    QItemSelectionModel *selection = view->table()->selectionModel();
    selection->clearSelection();
    QVERIFY(!trigger(proxy->index(0, name), QStringLiteral("copyColumn"))); // nothing selected
    for (int row : {4, 1, 2})
        selection->select(proxy->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QMenu menu;
    view->fillTableMenu(&menu, proxy->index(2, name));
    QCOMPARE(menu.findChild<QAction *>(QStringLiteral("copyColumn"))->text(),
        QStringLiteral("Copy %1 of selected rows").arg(kind.columns[name].header));
    QVERIFY(trigger(proxy->index(2, name), QStringLiteral("copyColumn")));
    QString expectedLines;
    for (int row : {1, 2, 4})
        expectedLines += proxy->index(row, name).data(ResourceTableModel::RawValueRole).toString() + QLatin1Char('\n');
    QCOMPARE(QGuiApplication::clipboard()->text(), expectedLines);
}

QTEST_MAIN(tst_ResourceView)
#include "tst_resourceview.moc"
