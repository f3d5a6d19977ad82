// The models over real HTTP: the Paginator and AwsClient against the in-process emulator on
// loopback, seen through a QTableView (offscreen) as the window shows them.
#include "aws/http/awsclient.h"
#include "expiringtokentransport.h"
#include "loopbackemulator.h"
#include "models/resourcesortfilterproxymodel.h"
#include "models/resourcetablemodel.h"
#include "modeltesthelpers.h"
#include "paging/pagetokenrejection.h"
#include "paging/paginator.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

using namespace pagewise;
using namespace pagewise::testsupport;
using pagewise::test::rowKeys;

namespace
{

ListQuery imagesQuery(int pageSize)
{
    ListQuery q;
    q.kindId = QStringLiteral("images");
    q.pageSize = pageSize;
    return q;
}

ListQuery sessionsQuery(const EmulatorCatalog &catalog, int job, int pageSize)
{
    const EmulatorCatalog::Farm &farm = catalog.farms.first();
    ListQuery q;
    q.kindId = QStringLiteral("sessions");
    q.pageSize = pageSize;
    q.parameters.insert(QStringLiteral("farmId"), farm.farmId);
    q.parameters.insert(QStringLiteral("queueId"), farm.queues.first().queueId);
    q.parameters.insert(QStringLiteral("jobId"), farm.queues.first().jobs.at(job).jobId);
    return q;
}

/// The whole listing, fetched without faults by a model of its own: what the test expects.
QStringList wholeListing(AwsClient *client, const ListQuery &query)
{
    ResourceTableModel model(paginatorFactory(client));
    model.setQuery(query);
    QSignalSpy done(&model, &ResourceTableModel::stateChanged);
    model.loadAll();
    if (!QTest::qWaitFor([&] { return model.state() == ResourceTableModel::State::Complete; }, 20000))
        qWarning() << "reference listing did not complete:" << model.lastError().toString();
    return rowKeys(model);
}

/// Paginators over `client` whose first listing's page tokens expire from the expireAt-th
/// request that carries one (the emulator then refuses them); later listings' tokens never do.
PageFetcherFactory expiringFirstListing(AwsClient *client, int expireAt)
{
    return [client, expireAt, listings = 0](const ListQuery &query) mutable -> std::unique_ptr<PageFetcher> {
        const ResourceKind *kind = findResourceKind(query.kindId);
        if (!kind)
            return nullptr;
        const int expiry = listings++ == 0 ? expireAt : std::numeric_limits<int>::max();
        return std::make_unique<Paginator>(
            std::make_unique<pagewise::test::ExpiringTokenTransport>(client, expiry), *kind, query);
    };
}

/// The window's pair over real HTTP: the lazy model and its proxy, both under QAbstractItemModelTester.
struct ProxiedListing {
    explicit ProxiedListing(AwsClient *client)
        : model(paginatorFactory(client))
        , modelTester(&model)
        , proxyTester(&proxy)
    {
        modelTester.setUseFetchMore(false);
        proxyTester.setUseFetchMore(false);
        proxy.setSourceModel(&model);
    }
    ResourceTableModel model;
    ResourceSortFilterProxyModel proxy;
    QAbstractItemModelTester modelTester;
    QAbstractItemModelTester proxyTester;
};

} // namespace

class tst_ModelsOverEmulator : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_emulator = std::make_unique<LoopbackEmulator>(
            smallEmulatorConfig({.images = 300, .datasetGroups = 1, .datasets = 10, .sessions = 400}));
        QString error;
        QVERIFY2(m_emulator->start(&error), qPrintable(error));
        QCOMPARE(m_emulator->url().host(), QStringLiteral("127.0.0.1"));
        m_client = m_emulator->client(3);
    }

    void cleanup() { m_emulator->emulator().setFaults({}); }

    void scrollingToTheBottomFetchesTheNextPage()
    {
        ProxiedListing listing(m_client.get());
        ResourceTableModel &model = listing.model;
        QTableView view;
        view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        view.verticalHeader()->setDefaultSectionSize(24);
        view.setModel(&listing.proxy);
        view.resize(500, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        model.setQuery(imagesQuery(25));
        QTRY_COMPARE(model.rowCount(), 25);
        QTRY_COMPARE(model.state(), ResourceTableModel::State::Idle);
        // Not at the bottom yet: a layout pass must not fetch by itself
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(model.rowCount(), 25);

        view.scrollToBottom();
        QTRY_COMPARE(model.rowCount(), 50);
        QTRY_COMPARE(model.state(), ResourceTableModel::State::Idle);

        // The horizontal scrollbar at its end asks for more too (the view's own rule)
        view.horizontalScrollBar()->setValue(view.horizontalScrollBar()->maximum() - 1);
        QCoreApplication::processEvents();
        view.horizontalScrollBar()->setValue(view.horizontalScrollBar()->maximum());
        QTRY_COMPARE(model.rowCount(), 75);

        // In the API's default order (CreationTime descending), with no row twice
        const QStringList keys = rowKeys(listing.proxy);
        QCOMPARE(QSet<QString>(keys.cbegin(), keys.cend()).size(), keys.size());
        const int created = model.columnForMember(QStringLiteral("CreationTime"));
        for (int row = 1; row < model.rowCount(); ++row) {
            QVERIFY(model.index(row - 1, created).data(ResourceTableModel::RawValueRole).toDateTime()
                >= model.index(row, created).data(ResourceTableModel::RawValueRole).toDateTime());
        }
        QCOMPARE(keys, wholeListing(m_client.get(), imagesQuery(25)).mid(0, 75));
    }

    void aNewListingMidFetchNeverMixesListings()
    {
        const EmulatorCatalog catalog = m_emulator->emulator().catalog();
        const auto &jobs = catalog.farms.first().queues.first().jobs;
        QVERIFY(jobs.size() >= 2);
        // B: the job with the most sessions (two pages at least); A: another one
        const int b = int(std::max_element(jobs.begin(), jobs.end(), [](const auto &x, const auto &y) {
            return x.sessions < y.sessions;
        }) - jobs.begin());
        const int a = b == 0 ? 1 : 0;
        const QStringList jobB = wholeListing(m_client.get(), sessionsQuery(catalog, b, 20));
        QVERIFY2(jobB.size() > 40, qPrintable(QString::number(jobB.size())));

        ResourceTableModel model(paginatorFactory(m_client.get()));
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        EmulatorFaults slow;
        slow.latencyMs = 150;
        m_emulator->emulator().setFaults(slow);

        model.setQuery(sessionsQuery(catalog, a, 20));
        QVERIFY(model.isFetching());
        // The user changes the job while job A's first page is on its way
        model.setQuery(sessionsQuery(catalog, b, 20));
        QTRY_COMPARE(model.rowCount(), 20);
        model.fetchMore({});
        QTRY_COMPARE(model.rowCount(), 40);
        m_emulator->emulator().setFaults({});
        QTRY_COMPARE(model.state(), ResourceTableModel::State::Idle);

        QCOMPARE(rowKeys(model), jobB.mid(0, 40));
    }

    void injectedFaultsKeepRowsAndRetryCompletesTheListing()
    {
        const QStringList expected = wholeListing(m_client.get(), imagesQuery(20));
        QCOMPARE(expected.size(), 300);

        // No client-side retries, so the faults reach the model as failed pages
        std::unique_ptr<AwsClient> client = m_emulator->client(1);
        ProxiedListing listing(client.get());
        ResourceTableModel &model = listing.model;
        listing.proxy.sort(
            model.columnForMember(QStringLiteral("ImageStatus")), Qt::AscendingOrder); // a local order too
        EmulatorFaults faults;
        faults.errorRate = 0.25;
        faults.dropRate = 0.15;
        faults.faultSeed = 7;
        m_emulator->emulator().setFaults(faults);

        model.setQuery(imagesQuery(20));
        QTRY_VERIFY(model.state() != ResourceTableModel::State::Loading);
        model.loadAll();
        int failures = 0;
        while (model.state() != ResourceTableModel::State::Complete) {
            QTRY_VERIFY_WITH_TIMEOUT(model.state() == ResourceTableModel::State::Error
                    || model.state() == ResourceTableModel::State::Complete,
                20000);
            if (model.state() == ResourceTableModel::State::Complete)
                break;
            ++failures;
            const QStringList before = rowKeys(model);
            QCOMPARE(before, expected.mid(0, before.size())); // every loaded row stays, in order
            QVERIFY(model.lastError().isError());
            model.retry();
            QVERIFY(failures < 200);
        }
        QVERIFY2(failures > 0, "the fault rate should have failed some pages");
        QCOMPARE(rowKeys(model), expected);
        QCOMPARE(model.duplicatesDropped(), 0);
        QCOMPARE(listing.proxy.rowCount(), 300);
    }

    void anExpiredTokenMidListingReloadsToTheWholeListing_data()
    {
        QTest::addColumn<bool>("loadingAll");
        QTest::addRow("scrolling") << false;
        QTest::addRow("load all") << true;
    }

    void anExpiredTokenMidListingReloadsToTheWholeListing()
    {
        QFETCH(bool, loadingAll);
        const QStringList expected = wholeListing(m_client.get(), imagesQuery(20));
        QCOMPARE(expected.size(), 300);
        ResourceTableModel model(expiringFirstListing(m_client.get(), 3)); // pages 1-3 arrive, page 4 fails
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        QSignalSpy failed(&model, &ResourceTableModel::pageFailed);

        model.setQuery(imagesQuery(20));
        QTRY_COMPARE(model.state(), ResourceTableModel::State::Idle);
        if (loadingAll) {
            model.loadAll();
        } else {
            for (int page = 2; page <= 4 && failed.isEmpty(); ++page) {
                model.fetchMore({});
                QTRY_VERIFY(!model.isFetching());
            }
        }
        QTRY_COMPARE(model.state(), ResourceTableModel::State::Error);
        QCOMPARE(failed.size(), 1);
        const AwsError error = model.lastError();
        QVERIFY2(isPageTokenRejected(error), qPrintable(error.toString()));
        QVERIFY2(error.message.contains(QStringLiteral("ValidationException: Invalid pagination token")),
            qPrintable(error.message));
        QCOMPARE(error.page, 4);
        QVERIFY(!error.requestId.isEmpty());
        QVERIFY(model.failureNeedsReload());
        QVERIFY(!model.canRetry());
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(rowKeys(model), expected.mid(0, 60));

        model.reload();
        QCOMPARE(model.rowCount(), 60); // kept while the listing starts again
        if (loadingAll) {
            QTRY_COMPARE_WITH_TIMEOUT(model.state(), ResourceTableModel::State::Complete, 20000);
        } else {
            // Back by itself to where it stopped, one page further
            QTRY_COMPARE(model.state(), ResourceTableModel::State::Idle);
            QCOMPARE(rowKeys(model), expected.mid(0, 80));
            model.loadAll();
            QTRY_COMPARE_WITH_TIMEOUT(model.state(), ResourceTableModel::State::Complete, 20000);
        }
        QCOMPARE(rowKeys(model), expected);
        QCOMPARE(model.duplicatesDropped(), 60);
        QCOMPARE(failed.size(), 1);
    }

    void serverSortHoldsAcrossPages()
    {
        ProxiedListing listing(m_client.get());
        ResourceTableModel &model = listing.model;
        ResourceSortFilterProxyModel &proxy = listing.proxy;
        model.setQuery(imagesQuery(50));
        QTRY_COMPARE(model.rowCount(), 50);

        const int name = model.columnForMember(QStringLiteral("ImageName"));
        proxy.sort(name, Qt::AscendingOrder);
        QCOMPARE(proxy.sortScope(), ResourceSortFilterProxyModel::SortScope::Server);
        QCOMPARE(model.query().parameters.value(QStringLiteral("SortBy")).toString(), QStringLiteral("IMAGE_NAME"));
        QTRY_COMPARE(model.rowCount(), 50);
        QTRY_COMPARE(model.state(), ResourceTableModel::State::Idle);
        const QString lastOfPageOne = proxy.index(49, name).data().toString();
        model.fetchMore({});
        QTRY_COMPARE(model.rowCount(), 100);

        // The service's order: page two continues after page one, with nothing moved locally
        QVERIFY(proxy.index(50, name).data().toString() > lastOfPageOne);
        for (int row = 1; row < 100; ++row) {
            QVERIFY(proxy.index(row - 1, name).data().toString() <= proxy.index(row, name).data().toString());
            QCOMPARE(proxy.sourceRow(row), row);
        }
    }

private:
    std::unique_ptr<LoopbackEmulator> m_emulator;
    std::unique_ptr<AwsClient> m_client;
};

QTEST_MAIN(tst_ModelsOverEmulator)
#include "tst_modelsoveremulator.moc"
