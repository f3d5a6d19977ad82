// The lazy model over a scripted (fake) PageFetcher: fetch rules, states, errors, generations, roles.
#include "fakepagefetcher.h"
#include "models/resourcetablemodel.h"
#include "sampleresources.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QtTest>

using namespace pagewise;
using namespace pagewise::test;

namespace
{

ListQuery sessionsQuery()
{
    ListQuery q;
    q.kindId = QStringLiteral("sessions");
    q.parameters.insert(QStringLiteral("farmId"), QStringLiteral("farm-%1").arg(hex32(1)));
    q.parameters.insert(QStringLiteral("queueId"), QStringLiteral("queue-%1").arg(hex32(2)));
    q.parameters.insert(QStringLiteral("jobId"), QStringLiteral("job-%1").arg(hex32(3)));
    return q;
}

QStringList keysOf(const ResourceTableModel &model)
{
    QStringList keys;
    for (int row = 0; row < model.rowCount(); ++row)
        keys << model.index(row, 0).data(ResourceTableModel::KeyRole).toString();
    return keys;
}

QStringList sessionIds(int first, int count)
{
    QStringList ids;
    for (int i = first; i < first + count; ++i)
        ids << session(i).value(QStringLiteral("sessionId")).toString();
    return ids;
}

} // namespace

class tst_ResourceTableModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("TZ", "Europe/Berlin"); // a known offset (+02:00 in May) for DisplayRole
    }

    void setQueryRequestsPageOneAndInsertsItOnce()
    {
        FakeFetcherFactory fakes;
        fakes.pages = pagesOf(session, 25, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QVERIFY(inserted.isValid() && resets.isValid());

        // When
        model.setQuery(sessionsQuery());

        // Then: one reset, one request, nothing inserted until the page answers
        QCOMPARE(resets.size(), 1);
        QCOMPARE(fakes.queries.size(), 1);
        QCOMPARE(fakes.queries.first(), sessionsQuery());
        QCOMPARE(fakes.last()->requestedPages, QList<int> {0});
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.state(), ResourceTableModel::State::Loading);
        QVERIFY(!model.canFetchMore({}));

        fakes.last()->deliver();
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(inserted.first().at(2).toInt(), 9);
        QCOMPARE(model.state(), ResourceTableModel::State::Idle);
        QVERIFY(model.canFetchMore({}));
        QCOMPARE(keysOf(model), sessionIds(0, 10));
    }

    void fetchMoreStartsOneRequestAndNeverBlocks()
    {
        FakeFetcherFactory fakes;
        fakes.pages = pagesOf(session, 25, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setQuery(sessionsQuery());
        fakes.last()->deliver();

        model.fetchMore({});
        model.fetchMore({}); // a second call while in flight (timer + scrollbar) is ignored
        QCOMPARE(fakes.last()->requestedPages, (QList<int> {0, 1}));
        QCOMPARE(model.rowCount(), 10);
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(!model.canFetchMore(model.index(0, 0)));

        fakes.last()->deliver();
        model.fetchMore({});
        fakes.last()->deliver();
        QCOMPARE(model.rowCount(), 25);
        QCOMPARE(keysOf(model), sessionIds(0, 25));
        QCOMPARE(model.state(), ResourceTableModel::State::Complete);
        QVERIFY(!model.hasMore());
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.resumeToken(), QString());
        QCOMPARE(model.pagesLoaded(), 3);
    }

    void duplicatesAreDroppedByKey()
    {
        FakeFetcherFactory fakes;
        QJsonArray first = itemRange(session, 0, 5);
        QJsonArray second = itemRange(session, 3, 5); // 3 and 4 again
        second.append(session(7)); // and twice within the page
        fakes.pages = {first, second};
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        QSignalSpy loaded(&model, &ResourceTableModel::pageLoaded);
        model.setQuery(sessionsQuery());
        fakes.last()->deliver();
        model.fetchMore({});
        fakes.last()->deliver();

        QCOMPARE(keysOf(model), sessionIds(0, 8));
        QCOMPARE(model.duplicatesDropped(), 3);
        QCOMPARE(loaded.last().at(1).toInt(), 3); // rows added
        QCOMPARE(loaded.last().at(2).toInt(), 3); // duplicates
    }

    void emptyPageWithTokenContinuesByItself()
    {
        FakeFetcherFactory fakes;
        fakes.autoDeliver = true;
        fakes.pages = {QJsonArray(), QJsonArray(), itemRange(session, 0, 4), itemRange(session, 4, 4)};
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setQuery(sessionsQuery());

        // Two empty pages with a token do not stall: the model asks again without a view's fetchMore
        QTRY_COMPARE(model.rowCount(), 4);
        QTRY_COMPARE(model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(fakes.last()->requestedPages, (QList<int> {0, 1, 2}));
        QVERIFY(model.canFetchMore({}));
    }

    void emptyPagesAreBounded()
    {
        FakeFetcherFactory fakes;
        fakes.autoDeliver = true;
        fakes.pages = QList<QJsonArray>(20, QJsonArray());
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setAutoContinuePages(3);
        model.setQuery(sessionsQuery());

        QTRY_COMPARE(model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(fakes.last()->requestedPages.size(), 4); // the first page and three more
        QVERIFY(model.canFetchMore({})); // the user (or the view) may ask again
    }

    void repeatedTokenErrorStopsAndKeepsRows()
    {
        FakeFetcherFactory fakes;
        fakes.pages = pagesOf(session, 30, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        QSignalSpy failed(&model, &ResourceTableModel::pageFailed);
        model.setQuery(sessionsQuery());
        fakes.last()->deliver();
        fakes.last()->failures << makeError(AwsError::Kind::Pagination, QStringLiteral("RepeatedNextToken"));

        model.fetchMore({});
        fakes.last()->deliver();

        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().first().value<AwsError>().code, QStringLiteral("RepeatedNextToken"));
        QCOMPARE(model.state(), ResourceTableModel::State::Error);
        QCOMPARE(model.lastError().kind, AwsError::Kind::Pagination);
        QCOMPARE(model.rowCount(), 10);
        // Errors must not loop: no view-driven retry
        QVERIFY(!model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(fakes.last()->requestedPages, (QList<int> {0, 1}));
        QVERIFY(model.hasMore());
    }

    void failedPageThenRetryMissesAndRepeatsNothing()
    {
        FakeFetcherFactory fakes;
        fakes.pages = pagesOf(session, 30, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        QSignalSpy states(&model, &ResourceTableModel::stateChanged);
        model.setQuery(sessionsQuery());
        fakes.last()->deliver();
        fakes.last()->failures << makeError(AwsError::Kind::Service, QStringLiteral("ThrottlingException"));
        model.fetchMore({});
        fakes.last()->deliver();
        QCOMPARE(model.state(), ResourceTableModel::State::Error);

        model.retry();
        QCOMPARE(model.state(), ResourceTableModel::State::Loading);
        QCOMPARE(model.lastError().kind, AwsError::Kind::None);
        fakes.last()->deliver();
        model.fetchMore({});
        fakes.last()->deliver();

        QCOMPARE(fakes.last()->requestedPages, (QList<int> {0, 1, 1, 2}));
        QCOMPARE(keysOf(model), sessionIds(0, 30));
        QCOMPARE(model.state(), ResourceTableModel::State::Complete);
        QList<ResourceTableModel::State> seen;
        for (const QList<QVariant> &args : std::as_const(states))
            seen << args.first().value<ResourceTableModel::State>();
        using S = ResourceTableModel::State;
        QCOMPARE(
            seen, (QList<S> {S::Loading, S::Idle, S::Loading, S::Error, S::Loading, S::Idle, S::Loading, S::Complete}));
    }

    void replyForAnOldListingIsIgnored()
    {
        FakeFetcherFactory fakes;
        fakes.pages = pagesOf(session, 30, 10);
        fakes.pagesFor = [](const ListQuery &q) {
            const int offset = q.parameters.value(QStringLiteral("jobId")).toString().endsWith(hex32(3)) ? 0 : 1000;
            return pagesOf([offset](int i) { return session(offset + i); }, 30, 10);
        };
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setQuery(sessionsQuery());
        QPointer<FakePageFetcher> old = fakes.last();
        const quint64 oldGeneration = model.generation();

        ListQuery other = sessionsQuery();
        other.parameters.insert(QStringLiteral("jobId"), QStringLiteral("job-%1").arg(hex32(99)));
        model.setQuery(other);
        QVERIFY(model.generation() > oldGeneration);
        QCOMPARE(old->cancels, 1); // the request in flight was cancelled

        // The old fetcher still answers (a reply already on its way): it must not appear
        Page stale;
        stale.items = itemRange(session, 0, 10);
        stale.number = 1;
        emit old->pageReady(stale);
        QCOMPARE(model.rowCount(), 0);
        fakes.last()->deliver();
        QCOMPARE(keysOf(model), sessionIds(1000, 10));
        // and the old fetcher is gone once the event loop runs
        QTRY_VERIFY(old.isNull());
    }

    void aNewListingFromAPageHandlerStartsCleanly()
    {
        FakeFetcherFactory fakes;
        fakes.pages = {QJsonArray(), itemRange(session, 0, 5)};
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setQuery(sessionsQuery());
        bool switched = false;
        connect(&model, &ResourceTableModel::pageLoaded, this, [&] {
            if (!std::exchange(switched, true))
                model.setQuery(sessionsQuery()); // e.g. the window reacting to the first page
        });

        fakes.fetchers.first()->deliver(); // an empty page: would continue by itself, but the listing changed

        QTest::qWait(0);
        QCOMPARE(fakes.fetchers.size(), 2);
        QCOMPARE(fakes.last()->requestedPages, QList<int> {0});
        QCOMPARE(model.state(), ResourceTableModel::State::Loading);
        fakes.last()->deliver();
        QCOMPARE(model.rowCount(), 0); // the new listing's first page is the empty one
        QTRY_VERIFY(fakes.last()->isFetching()); // which it follows by itself
        fakes.last()->deliver();
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(fakes.last()->requestedPages, (QList<int> {0, 1}));
    }

    void cancelStopsTheRequestInFlight()
    {
        FakeFetcherFactory fakes;
        fakes.pages = pagesOf(session, 30, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setQuery(sessionsQuery());
        fakes.last()->deliver();
        model.fetchMore({});

        model.cancel();

        QCOMPARE(fakes.last()->cancels, 1);
        QCOMPARE(model.state(), ResourceTableModel::State::Idle);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        fakes.last()->deliver();
        QCOMPARE(keysOf(model), sessionIds(0, 20));
    }

    void fetchPagesStopsAtTheFirstPageWithVisibleRows()
    {
        FakeFetcherFactory fakes;
        fakes.autoDeliver = true;
        fakes.pages = pagesOf(session, 100, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setQuery(sessionsQuery());
        QTRY_COMPARE(model.rowCount(), 10);
        // A filter that lets only rows from 40 on through
        model.setVisibleRowCounter([](int first, int last) { return std::max(0, last - std::max(first, 40) + 1); });
        QSignalSpy progress(&model, &ResourceTableModel::fetchPagesProgress);

        model.fetchPages(10);

        QTRY_COMPARE(model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(model.rowCount(), 50); // pages 2..5 scanned, the 5th had visible rows
        QCOMPARE(progress.size(), 4);
        QCOMPARE(progress.last().at(0).toInt(), 4);
        QCOMPARE(progress.last().at(1).toInt(), 10);
    }

    void fetchPagesHonoursItsBudgetWhenNothingIsVisible()
    {
        FakeFetcherFactory fakes;
        fakes.autoDeliver = true;
        fakes.pages = pagesOf(session, 200, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setQuery(sessionsQuery());
        QTRY_COMPARE(model.rowCount(), 10);
        model.setVisibleRowCounter([](int, int) { return 0; }); // a filter that hides everything

        model.fetchPages(3);
        QTRY_COMPARE(model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(model.rowCount(), 40);
        QVERIFY(model.hasMore());
    }

    void hiddenRowsDoNotDrainTheListingThroughTheView()
    {
        FakeFetcherFactory fakes;
        fakes.autoDeliver = true;
        fakes.pages = pagesOf(session, 1000, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setViewFetchBudget(2);
        model.setAutoContinuePages(1);
        model.setQuery(sessionsQuery());
        QTRY_COMPARE(model.rowCount(), 10);
        model.setVisibleRowCounter([](int first, int last) { return first <= last ? 1 : 0; });

        // A view asking at every layout (the last visible row is always in the viewport)
        for (int i = 0; i < 50; ++i) {
            model.fetchMore({});
            QTest::qWait(0);
            QTRY_VERIFY(model.state() != ResourceTableModel::State::Loading);
        }
        QCOMPARE(model.rowCount(), 30); // two view fetches, then the budget is spent
        QVERIFY(!model.canFetchMore({}));
        model.fetchPages(1); // the user's "Load more" renews it
        QTRY_COMPARE(model.rowCount(), 40);
        QVERIFY(model.canFetchMore({}));
    }

    void loadAllReportsProgressAndCompletes()
    {
        FakeFetcherFactory fakes;
        fakes.autoDeliver = true;
        fakes.pages = pagesOf(session, 95, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        QSignalSpy progress(&model, &ResourceTableModel::loadAllProgress);
        QSignalSpy loadingAll(&model, &ResourceTableModel::loadingAllChanged);
        model.setQuery(sessionsQuery());
        QTRY_COMPARE(model.rowCount(), 10);

        model.loadAll();
        QVERIFY(model.isLoadingAll());
        QTRY_COMPARE(model.state(), ResourceTableModel::State::Complete);

        QCOMPARE(model.rowCount(), 95);
        QCOMPARE(keysOf(model), sessionIds(0, 95));
        QCOMPARE(progress.size(), 9);
        QCOMPARE(progress.last().at(0).toInt(), 95);
        QCOMPARE(progress.last().at(1).toInt(), 9);
        QVERIFY(progress.last().at(2).toDouble() > 0);
        QCOMPARE(loadingAll.size(), 2);
        QCOMPARE(loadingAll.at(0).first().toBool(), true);
        QCOMPARE(loadingAll.at(1).first().toBool(), false);
    }

    void loadAllResumesAfterRetry()
    {
        FakeFetcherFactory fakes;
        fakes.autoDeliver = true;
        fakes.pages = pagesOf(session, 50, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setQuery(sessionsQuery());
        QTRY_COMPARE(model.rowCount(), 10);
        fakes.last()->failures << makeError(AwsError::Kind::Network, QStringLiteral("ConnectionReset"));
        model.loadAll();
        QTRY_COMPARE(model.state(), ResourceTableModel::State::Error);
        QCOMPARE(model.rowCount(), 10);

        model.retry();
        QTRY_COMPARE(model.state(), ResourceTableModel::State::Complete);
        QCOMPARE(keysOf(model), sessionIds(0, 50));
    }

    void cancelStopsLoadAll()
    {
        FakeFetcherFactory fakes;
        fakes.pages = pagesOf(session, 50, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setQuery(sessionsQuery());
        fakes.last()->deliver();
        model.loadAll();
        fakes.last()->deliver();
        model.cancel();
        QTest::qWait(0);
        QCOMPARE(model.rowCount(), 20);
        QVERIFY(!model.isLoadingAll());
        QVERIFY(!model.isFetching());
        QCOMPARE(fakes.last()->requestedPages, (QList<int> {0, 1}));
    }

    void maxItemsEndsTheListing()
    {
        FakeFetcherFactory fakes;
        fakes.pages = pagesOf(session, 50, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        ListQuery q = sessionsQuery();
        q.maxItems = 20;
        model.setQuery(q);
        fakes.last()->deliver();
        model.fetchMore({});
        fakes.last()->deliver();
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.state(), ResourceTableModel::State::Complete);
    }

    void unknownKindIsAnError()
    {
        FakeFetcherFactory fakes;
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        ListQuery q;
        q.kindId = QStringLiteral("buckets");
        model.setQuery(q);
        QCOMPARE(model.state(), ResourceTableModel::State::Error);
        QCOMPARE(model.lastError().kind, AwsError::Kind::InvalidInput);
        QVERIFY(model.lastError().message.contains(QStringLiteral("buckets")));
        QCOMPARE(model.columnCount(), 0);
        QVERIFY(fakes.queries.isEmpty());
    }

    void signalsTellTheViewWhatItCanShow()
    {
        FakeFetcherFactory fakes;
        fakes.pages = pagesOf(session, 20, 10);
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        QSignalSpy more(&model, &ResourceTableModel::hasMoreChanged);
        QSignalSpy token(&model, &ResourceTableModel::resumeTokenChanged);
        QSignalSpy rows(&model, &ResourceTableModel::rowsLoadedChanged);
        model.setQuery(sessionsQuery());
        fakes.last()->deliver();
        QCOMPARE(more.size(), 1);
        QCOMPARE(more.last().first().toBool(), true);
        QCOMPARE(token.last().first().toString(), QStringLiteral("resume-1"));
        QCOMPARE(model.resumeToken(), QStringLiteral("resume-1"));
        QCOMPARE(rows.last().first().toInt(), 10);
        model.fetchMore({});
        fakes.last()->deliver();
        QCOMPARE(more.last().first().toBool(), false);
        QCOMPARE(token.last().first().toString(), QString());
        QCOMPARE(rows.last().first().toInt(), 20);
    }

    void rolesGiveDisplayRawToolTipAndResource()
    {
        FakeFetcherFactory fakes;
        QJsonObject item = QJsonDocument::fromJson(R"({"sessionId":"session-0123456789abcdef0123456789abcdef",
            "fleetId":"fleet-0123456789abcdef0123456789abcdef","workerId":"worker-0123456789abcdef0123456789abcdef",
            "lifecycleStatus":"UPDATE_FAILED","startedAt":"2024-05-01T12:34:56.789Z","futureMember":{"a":[1,2]}})")
                               .object();
        fakes.pages = {QJsonArray {item}};
        ResourceTableModel model(fakes.factory());
        QAbstractItemModelTester tester(&model);
        tester.setUseFetchMore(false);
        model.setQuery(sessionsQuery());
        fakes.last()->deliver();
        const int started = model.columnForMember(QStringLiteral("startedAt"));
        const int status = model.columnForMember(QStringLiteral("lifecycleStatus"));
        const int ended = model.columnForMember(QStringLiteral("endedAt"));

        QCOMPARE(model.index(0, started).data().toString(), QStringLiteral("2024-05-01 14:34:56"));
        QCOMPARE(model.index(0, started).data(Qt::ToolTipRole).toString(), QStringLiteral("2024-05-01T12:34:56.789Z"));
        const QDateTime raw = model.index(0, started).data(ResourceTableModel::RawValueRole).toDateTime();
        QCOMPARE(raw.timeSpec(), Qt::UTC);
        QCOMPARE(raw.toMSecsSinceEpoch(), 1714566896789LL);
        QCOMPARE(
            model.index(0, started).data(Qt::EditRole), model.index(0, started).data(ResourceTableModel::SortRole));
        QCOMPARE(model.index(0, status).data().toString(), QStringLiteral("Update failed"));
        QCOMPARE(
            model.index(0, status).data(ResourceTableModel::RawValueRole).toString(), QStringLiteral("UPDATE_FAILED"));
        QVERIFY(!model.index(0, ended).data(ResourceTableModel::RawValueRole).isValid());
        QCOMPARE(model.index(0, ended).data().toString(), QString());
        QCOMPARE(model.index(0, 0).data(ResourceTableModel::ResourceRole).toJsonObject(), item);
        QCOMPARE(model.resource(0), item);

        QCOMPARE(model.headerData(started, Qt::Horizontal, ResourceTableModel::MemberRole).toString(),
            QStringLiteral("startedAt"));
        QCOMPARE(model.headerData(started, Qt::Horizontal).toString(), QStringLiteral("Started"));
        QCOMPARE(model.headerData(0, Qt::Vertical).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_ResourceTableModel)
#include "tst_resourcetablemodel.moc"
