// The lazy model over a scripted (fake) PageFetcher: fetch rules, states, errors, generations, roles.
#include "modeltesthelpers.h"
#include "paging/pagetokenrejection.h"
#include "scriptedmodel.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QtTest>

using namespace pagewise;
using namespace pagewise::test;

namespace
{

QStringList sessionIds(int first, int count)
{
    QStringList ids;
    for (int i = first; i < first + count; ++i)
        ids << session(i).value(QStringLiteral("sessionId")).toString();
    return ids;
}

/// What a Paginator reports when the service refuses the listing's page token (expired).
AwsError rejectedToken()
{
    AwsError service = makeError(
        AwsError::Kind::Service, QStringLiteral("ValidationException"), QStringLiteral("Invalid pagination token"));
    service.httpStatus = 400;
    service.requestId = QStringLiteral("req-expired");
    return pageTokenRejected(service);
}

bool hasDuplicates(const QStringList &keys)
{
    return QSet<QString>(keys.cbegin(), keys.cend()).size() != keys.size();
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
        ScriptedModel f(pagesOf(session, 25, 10));
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy resets(&f.model, &QAbstractItemModel::modelReset);
        QVERIFY(inserted.isValid() && resets.isValid());

        // When
        f.model.setQuery(sessionsQuery());

        // Then: one reset, one request, nothing inserted until the page answers
        QCOMPARE(resets.size(), 1);
        QCOMPARE(f.fakes.queries.size(), 1);
        QCOMPARE(f.fakes.queries.first(), sessionsQuery());
        QCOMPARE(f.fakes.last()->requestedPages, QList<int> {0});
        QCOMPARE(f.model.rowCount(), 0);
        QCOMPARE(f.model.state(), ResourceTableModel::State::Loading);
        QVERIFY(!f.model.canFetchMore({}));

        f.fakes.last()->deliver();
        QCOMPARE(f.model.rowCount(), 10);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(inserted.first().at(2).toInt(), 9);
        QCOMPARE(f.model.state(), ResourceTableModel::State::Idle);
        QVERIFY(f.model.canFetchMore({}));
        QCOMPARE(rowKeys(f.model), sessionIds(0, 10));
    }

    void fetchMoreStartsOneRequestAndNeverBlocks()
    {
        ScriptedModel f(pagesOf(session, 25, 10));
        f.model.setQuery(sessionsQuery());
        f.fakes.last()->deliver();

        f.model.fetchMore({});
        f.model.fetchMore({}); // a second call while in flight (timer + scrollbar) is ignored
        QCOMPARE(f.fakes.last()->requestedPages, (QList<int> {0, 1}));
        QCOMPARE(f.model.rowCount(), 10);
        QVERIFY(!f.model.canFetchMore({}));
        QVERIFY(!f.model.canFetchMore(f.model.index(0, 0)));

        f.fakes.last()->deliver();
        f.model.fetchMore({});
        f.fakes.last()->deliver();
        QCOMPARE(f.model.rowCount(), 25);
        QCOMPARE(rowKeys(f.model), sessionIds(0, 25));
        QCOMPARE(f.model.state(), ResourceTableModel::State::Complete);
        QVERIFY(!f.model.hasMore());
        QVERIFY(!f.model.canFetchMore({}));
        QCOMPARE(f.model.resumeToken(), QString());
        QCOMPARE(f.model.pagesLoaded(), 3);
    }

    void duplicatesAreDroppedByKey()
    {
        QJsonArray first = itemRange(session, 0, 5);
        QJsonArray second = itemRange(session, 3, 5); // 3 and 4 again
        second.append(session(7)); // and twice within the page
        ScriptedModel f({first, second});
        QSignalSpy loaded(&f.model, &ResourceTableModel::pageLoaded);
        f.model.setQuery(sessionsQuery());
        f.fakes.last()->deliver();
        f.model.fetchMore({});
        f.fakes.last()->deliver();

        QCOMPARE(rowKeys(f.model), sessionIds(0, 8));
        QCOMPARE(f.model.duplicatesDropped(), 3);
        QCOMPARE(loaded.last().at(1).toInt(), 3); // rows added
        QCOMPARE(loaded.last().at(2).toInt(), 3); // duplicates
    }

    void emptyPageWithTokenContinuesByItself()
    {
        ScriptedModel f({QJsonArray(), QJsonArray(), itemRange(session, 0, 4), itemRange(session, 4, 4)});
        f.fakes.autoDeliver = true;
        f.model.setQuery(sessionsQuery());

        // Two empty pages with a token do not stall: the model asks again without a view's fetchMore
        QTRY_COMPARE(f.model.rowCount(), 4);
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(f.fakes.last()->requestedPages, (QList<int> {0, 1, 2}));
        QVERIFY(f.model.canFetchMore({}));
    }

    void emptyPagesAreBounded()
    {
        ScriptedModel f(QList<QJsonArray>(20, QJsonArray()));
        f.fakes.autoDeliver = true;
        f.model.setAutoContinuePages(3);
        f.model.setQuery(sessionsQuery());

        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(f.fakes.last()->requestedPages.size(), 4); // the first page and three more
        QVERIFY(f.model.canFetchMore({})); // the user (or the view) may ask again
    }

    void repeatedTokenErrorStopsAndKeepsRows()
    {
        ScriptedModel f(pagesOf(session, 30, 10));
        QSignalSpy failed(&f.model, &ResourceTableModel::pageFailed);
        f.model.setQuery(sessionsQuery());
        f.fakes.last()->deliver();
        f.fakes.last()->failures << makeError(AwsError::Kind::Pagination, QStringLiteral("RepeatedNextToken"));

        f.model.fetchMore({});
        f.fakes.last()->deliver();

        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().first().value<AwsError>().code, QStringLiteral("RepeatedNextToken"));
        QCOMPARE(f.model.state(), ResourceTableModel::State::Error);
        QCOMPARE(f.model.lastError().kind, AwsError::Kind::Pagination);
        QCOMPARE(f.model.rowCount(), 10);
        // Errors must not loop: no view-driven retry
        QVERIFY(!f.model.canFetchMore({}));
        f.model.fetchMore({});
        QCOMPARE(f.fakes.last()->requestedPages, (QList<int> {0, 1}));
        QVERIFY(f.model.hasMore());
    }

    void failedPageThenRetryMissesAndRepeatsNothing()
    {
        ScriptedModel f(pagesOf(session, 30, 10));
        QSignalSpy states(&f.model, &ResourceTableModel::stateChanged);
        f.model.setQuery(sessionsQuery());
        f.fakes.last()->deliver();
        f.fakes.last()->failures << makeError(AwsError::Kind::Service, QStringLiteral("ThrottlingException"));
        f.model.fetchMore({});
        f.fakes.last()->deliver();
        QCOMPARE(f.model.state(), ResourceTableModel::State::Error);

        QVERIFY(f.model.canRetry());
        QVERIFY(!f.model.failureNeedsReload());

        f.model.retry();
        QCOMPARE(f.model.state(), ResourceTableModel::State::Loading);
        QCOMPARE(f.model.lastError().kind, AwsError::Kind::None);
        f.fakes.last()->deliver();
        f.model.fetchMore({});
        f.fakes.last()->deliver();

        QCOMPARE(f.fakes.last()->requestedPages, (QList<int> {0, 1, 1, 2}));
        QCOMPARE(rowKeys(f.model), sessionIds(0, 30));
        QCOMPARE(f.model.state(), ResourceTableModel::State::Complete);
        QList<ResourceTableModel::State> seen;
        for (const QList<QVariant> &args : std::as_const(states))
            seen << args.first().value<ResourceTableModel::State>();
        using S = ResourceTableModel::State;
        QCOMPARE(
            seen, (QList<S> {S::Loading, S::Idle, S::Loading, S::Error, S::Loading, S::Idle, S::Loading, S::Complete}));
    }

    void replyForAnOldListingIsIgnored()
    {
        ScriptedModel f;
        f.fakes.pagesFor = [](const ListQuery &q) {
            const int offset = q.parameters.value(QStringLiteral("jobId")).toString().endsWith(hex32(3)) ? 0 : 1000;
            return pagesOf([offset](int i) { return session(offset + i); }, 30, 10);
        };
        f.model.setQuery(sessionsQuery());
        QPointer<FakePageFetcher> old = f.fakes.last();
        const quint64 oldGeneration = f.model.generation();

        ListQuery other = sessionsQuery();
        other.parameters.insert(QStringLiteral("jobId"), QStringLiteral("job-%1").arg(hex32(99)));
        f.model.setQuery(other);
        QVERIFY(f.model.generation() > oldGeneration);
        QCOMPARE(old->cancels, 1); // the request in flight was cancelled

        // The old fetcher still answers (a reply already on its way): it must not appear
        Page stale;
        stale.items = itemRange(session, 0, 10);
        stale.number = 1;
        emit old->pageReady(stale);
        QCOMPARE(f.model.rowCount(), 0);
        f.fakes.last()->deliver();
        QCOMPARE(rowKeys(f.model), sessionIds(1000, 10));
        // and the old fetcher is gone once the event loop runs
        QTRY_VERIFY(old.isNull());
    }

    void aNewListingFromAPageHandlerStartsCleanly()
    {
        ScriptedModel f({QJsonArray(), itemRange(session, 0, 5)});
        f.model.setQuery(sessionsQuery());
        bool switched = false;
        connect(&f.model, &ResourceTableModel::pageLoaded, this, [&] {
            if (!std::exchange(switched, true))
                f.model.setQuery(sessionsQuery()); // e.g. the window reacting to the first page
        });

        f.fakes.fetchers.first()->deliver(); // an empty page: would continue by itself, but the listing changed

        QTest::qWait(0);
        QCOMPARE(f.fakes.fetchers.size(), 2);
        QCOMPARE(f.fakes.last()->requestedPages, QList<int> {0});
        QCOMPARE(f.model.state(), ResourceTableModel::State::Loading);
        f.fakes.last()->deliver();
        QCOMPARE(f.model.rowCount(), 0); // the new listing's first page is the empty one
        QTRY_VERIFY(f.fakes.last()->isFetching()); // which it follows by itself
        f.fakes.last()->deliver();
        QCOMPARE(f.model.rowCount(), 5);
        QCOMPARE(f.fakes.last()->requestedPages, (QList<int> {0, 1}));
    }

    void cancelStopsTheRequestInFlight()
    {
        ScriptedModel f(pagesOf(session, 30, 10));
        f.model.setQuery(sessionsQuery());
        f.fakes.last()->deliver();
        f.model.fetchMore({});

        f.model.cancel();

        QCOMPARE(f.fakes.last()->cancels, 1);
        QCOMPARE(f.model.state(), ResourceTableModel::State::Idle);
        QVERIFY(f.model.canFetchMore({}));
        f.model.fetchMore({});
        f.fakes.last()->deliver();
        QCOMPARE(rowKeys(f.model), sessionIds(0, 20));
    }

    void fetchPagesStopsAtTheFirstPageWithVisibleRows()
    {
        ScriptedModel f(pagesOf(session, 100, 10));
        f.fakes.autoDeliver = true;
        f.model.setQuery(sessionsQuery());
        QTRY_COMPARE(f.model.rowCount(), 10);
        // A filter that lets only rows from 40 on through
        f.model.setVisibleRowCounter([](int first, int last) { return std::max(0, last - std::max(first, 40) + 1); });
        QSignalSpy progress(&f.model, &ResourceTableModel::fetchPagesProgress);

        f.model.fetchPages(10);

        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(f.model.rowCount(), 50); // pages 2..5 scanned, the 5th had visible rows
        QCOMPARE(progress.size(), 4);
        QCOMPARE(progress.last().at(0).toInt(), 4);
        QCOMPARE(progress.last().at(1).toInt(), 10);
    }

    void fetchPagesHonoursItsBudgetWhenNothingIsVisible()
    {
        ScriptedModel f(pagesOf(session, 200, 10));
        f.fakes.autoDeliver = true;
        f.model.setQuery(sessionsQuery());
        QTRY_COMPARE(f.model.rowCount(), 10);
        f.model.setVisibleRowCounter([](int, int) { return 0; }); // a filter that hides everything

        f.model.fetchPages(3);
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(f.model.rowCount(), 40);
        QVERIFY(f.model.hasMore());
    }

    void hiddenRowsDoNotDrainTheListingThroughTheView()
    {
        ScriptedModel f(pagesOf(session, 1000, 10));
        f.fakes.autoDeliver = true;
        f.model.setViewFetchBudget(2);
        f.model.setAutoContinuePages(1);
        f.model.setQuery(sessionsQuery());
        QTRY_COMPARE(f.model.rowCount(), 10);
        f.model.setVisibleRowCounter([](int first, int last) { return first <= last ? 1 : 0; });

        // A view asking at every layout (the last visible row is always in the viewport)
        for (int i = 0; i < 50; ++i) {
            f.model.fetchMore({});
            QTest::qWait(0);
            QTRY_VERIFY(f.model.state() != ResourceTableModel::State::Loading);
        }
        QCOMPARE(f.model.rowCount(), 30); // two view fetches, then the budget is spent
        QVERIFY(!f.model.canFetchMore({}));
        f.model.fetchPages(1); // the user's "Load more" renews it
        QTRY_COMPARE(f.model.rowCount(), 40);
        QVERIFY(f.model.canFetchMore({}));
    }

    void loadAllReportsProgressAndCompletes()
    {
        ScriptedModel f(pagesOf(session, 95, 10));
        f.fakes.autoDeliver = true;
        QSignalSpy progress(&f.model, &ResourceTableModel::loadAllProgress);
        QSignalSpy loadingAll(&f.model, &ResourceTableModel::loadingAllChanged);
        f.model.setQuery(sessionsQuery());
        QTRY_COMPARE(f.model.rowCount(), 10);

        f.model.loadAll();
        QVERIFY(f.model.isLoadingAll());
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Complete);

        QCOMPARE(f.model.rowCount(), 95);
        QCOMPARE(rowKeys(f.model), sessionIds(0, 95));
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
        ScriptedModel f(pagesOf(session, 50, 10));
        f.fakes.autoDeliver = true;
        f.model.setQuery(sessionsQuery());
        QTRY_COMPARE(f.model.rowCount(), 10);
        f.fakes.last()->failures << makeError(AwsError::Kind::Network, QStringLiteral("ConnectionReset"));
        f.model.loadAll();
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Error);
        QCOMPARE(f.model.rowCount(), 10);

        f.model.retry();
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Complete);
        QCOMPARE(rowKeys(f.model), sessionIds(0, 50));
    }

    void aRejectedTokenOffersReloadNotRetry()
    {
        ScriptedModel f(pagesOf(session, 50, 10));
        f.model.setAutoContinuePages(0); // the catch-up after reload() is not bounded by it
        QSignalSpy failed(&f.model, &ResourceTableModel::pageFailed);
        QSignalSpy resets(&f.model, &QAbstractItemModel::modelReset);
        f.model.setQuery(sessionsQuery());
        f.nextPage();
        f.nextPage();
        f.fakes.last()->failures << rejectedToken();
        f.nextPage();

        QCOMPARE(failed.size(), 1);
        QVERIFY(isPageTokenRejected(f.model.lastError()));
        QCOMPARE(f.model.state(), ResourceTableModel::State::Error);
        QVERIFY(f.model.failureNeedsReload());
        QVERIFY(!f.model.canRetry());
        QVERIFY(!f.model.canFetchMore({}));
        QCOMPARE(f.model.rowCount(), 20);

        // Nothing sends the dead token again
        f.model.retry();
        f.model.fetchMore({});
        f.model.fetchPages(3);
        f.model.loadAll();
        QCOMPARE(f.fakes.last()->requestedPages, (QList<int> {0, 1, 2}));
        QCOMPARE(f.fakes.fetchers.size(), 1);
        QCOMPARE(f.model.state(), ResourceTableModel::State::Error);
        QVERIFY(!f.model.isLoadingAll());

        // Reload: the same query from page one, the loaded rows kept meanwhile
        f.fakes.autoDeliver = true;
        const quint64 generation = f.model.generation();
        f.model.reload();
        QCOMPARE(f.fakes.queries.size(), 2);
        QCOMPARE(f.fakes.queries.last(), sessionsQuery());
        QCOMPARE(f.fakes.last()->requestedPages, QList<int> {0});
        QCOMPARE(f.model.state(), ResourceTableModel::State::Loading);
        QVERIFY(!f.model.failureNeedsReload());
        QCOMPARE(f.model.lastError().kind, AwsError::Kind::None);
        QCOMPARE(f.model.rowCount(), 20);
        QCOMPARE(f.model.generation(), generation);

        // It fetches past the rows already loaded by itself, and stops after the first new page
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(f.fakes.last()->requestedPages, (QList<int> {0, 1, 2}));
        QCOMPARE(rowKeys(f.model), sessionIds(0, 30));
        QCOMPARE(f.model.pagesLoaded(), 3);
        QCOMPARE(f.model.duplicatesDropped(), 20);
        QVERIFY(f.model.canFetchMore({}));

        f.model.fetchMore({});
        QTRY_COMPARE(f.model.rowCount(), 40);
        f.model.fetchMore({});
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Complete);
        QCOMPARE(rowKeys(f.model), sessionIds(0, 50));
        QCOMPARE(resets.size(), 1); // setQuery's only
    }

    void reloadCarriesOnALoadAllToTheEnd()
    {
        ScriptedModel f(pagesOf(session, 60, 10));
        f.fakes.autoDeliver = true;
        QSignalSpy loadingAll(&f.model, &ResourceTableModel::loadingAllChanged);
        f.model.setQuery(sessionsQuery());
        QTRY_COMPARE(f.model.rowCount(), 10);
        connect(&f.model, &ResourceTableModel::pageLoaded, this, [&f](int page) {
            if (page == 3 && f.fakes.fetchers.size() == 1)
                f.fakes.last()->failures << rejectedToken(); // the token for page 4 has expired
        });
        f.model.loadAll();
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Error);
        QVERIFY(f.model.failureNeedsReload());
        QCOMPARE(f.model.rowCount(), 30);

        f.model.reload();
        QVERIFY(f.model.isLoadingAll());
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Complete);
        QCOMPARE(rowKeys(f.model), sessionIds(0, 60));
        QCOMPARE(f.fakes.last()->requestedPages, (QList<int> {0, 1, 2, 3, 4, 5}));
        QVERIFY(!f.model.isLoadingAll());
        QCOMPARE(loadingAll.size(), 2); // one load-all from start to end
    }

    void reloadOfAChangedListingLosesNothingAndRepeatsNothing()
    {
        // Meanwhile two sessions started; the listing shows them first
        ScriptedModel f;
        f.fakes.pagesFor = [calls = 0](const ListQuery &) mutable {
            QJsonArray items = itemRange(session, 0, 50);
            if (calls++ > 0) {
                items.prepend(session(101));
                items.prepend(session(100));
            }
            QList<QJsonArray> pages;
            for (qsizetype i = 0; i < items.size(); i += 10)
                pages << QJsonArray(itemRange(
                    [&](int k) { return items.at(k).toObject(); }, int(i), int(qMin<qsizetype>(10, items.size() - i))));
            return pages;
        };
        f.model.setQuery(sessionsQuery());
        f.nextPage();
        f.nextPage();
        f.fakes.last()->failures << rejectedToken();
        f.nextPage();
        QVERIFY(f.model.failureNeedsReload());

        f.fakes.autoDeliver = true;
        f.model.reload();
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(rowKeys(f.model), sessionIds(0, 20) + sessionIds(100, 2) + sessionIds(20, 8));
        f.model.loadAll();
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Complete);
        QCOMPARE(rowKeys(f.model), sessionIds(0, 20) + sessionIds(100, 2) + sessionIds(20, 30));
        QVERIFY(!hasDuplicates(rowKeys(f.model)));
    }

    void cancelStopsLoadAll()
    {
        ScriptedModel f(pagesOf(session, 50, 10));
        f.model.setQuery(sessionsQuery());
        f.fakes.last()->deliver();
        f.model.loadAll();
        f.fakes.last()->deliver();
        f.model.cancel();
        QTest::qWait(0);
        QCOMPARE(f.model.rowCount(), 20);
        QVERIFY(!f.model.isLoadingAll());
        QVERIFY(!f.model.isFetching());
        QCOMPARE(f.fakes.last()->requestedPages, (QList<int> {0, 1}));
    }

    void maxItemsEndsTheListing()
    {
        ScriptedModel f(pagesOf(session, 50, 10));
        ListQuery q = sessionsQuery();
        q.maxItems = 20;
        f.model.setQuery(q);
        f.fakes.last()->deliver();
        f.model.fetchMore({});
        f.fakes.last()->deliver();
        QVERIFY(!f.model.canFetchMore({}));
        QCOMPARE(f.model.state(), ResourceTableModel::State::Complete);
    }

    void unknownKindIsAnError()
    {
        ScriptedModel f;
        ListQuery q;
        q.kindId = QStringLiteral("buckets");
        f.model.setQuery(q);
        QCOMPARE(f.model.state(), ResourceTableModel::State::Error);
        QCOMPARE(f.model.lastError().kind, AwsError::Kind::InvalidInput);
        QVERIFY(f.model.lastError().message.contains(QStringLiteral("buckets")));
        QCOMPARE(f.model.columnCount(), 0);
        QVERIFY(f.fakes.queries.isEmpty());
    }

    void signalsTellTheViewWhatItCanShow()
    {
        ScriptedModel f(pagesOf(session, 20, 10));
        QSignalSpy more(&f.model, &ResourceTableModel::hasMoreChanged);
        QSignalSpy token(&f.model, &ResourceTableModel::resumeTokenChanged);
        QSignalSpy rows(&f.model, &ResourceTableModel::rowsLoadedChanged);
        f.model.setQuery(sessionsQuery());
        f.fakes.last()->deliver();
        QCOMPARE(more.size(), 1);
        QCOMPARE(more.last().first().toBool(), true);
        QCOMPARE(token.last().first().toString(), QStringLiteral("resume-1"));
        QCOMPARE(f.model.resumeToken(), QStringLiteral("resume-1"));
        QCOMPARE(rows.last().first().toInt(), 10);
        f.model.fetchMore({});
        f.fakes.last()->deliver();
        QCOMPARE(more.last().first().toBool(), false);
        QCOMPARE(token.last().first().toString(), QString());
        QCOMPARE(rows.last().first().toInt(), 20);
    }

    void rolesGiveDisplayRawToolTipAndResource()
    {
        QJsonObject item = QJsonDocument::fromJson(R"({"sessionId":"session-0123456789abcdef0123456789abcdef",
            "fleetId":"fleet-0123456789abcdef0123456789abcdef","workerId":"worker-0123456789abcdef0123456789abcdef",
            "lifecycleStatus":"UPDATE_FAILED","startedAt":"2024-05-01T12:34:56.789Z","futureMember":{"a":[1,2]}})")
                               .object();
        ScriptedModel f({QJsonArray {item}});
        f.model.setQuery(sessionsQuery());
        f.fakes.last()->deliver();
        const int started = f.model.columnForMember(QStringLiteral("startedAt"));
        const int status = f.model.columnForMember(QStringLiteral("lifecycleStatus"));
        const int ended = f.model.columnForMember(QStringLiteral("endedAt"));

        QCOMPARE(f.model.index(0, started).data().toString(), QStringLiteral("2024-05-01 14:34:56"));
        QCOMPARE(
            f.model.index(0, started).data(Qt::ToolTipRole).toString(), QStringLiteral("2024-05-01T12:34:56.789Z"));
        const QDateTime raw = f.model.index(0, started).data(ResourceTableModel::RawValueRole).toDateTime();
        QCOMPARE(raw.timeSpec(), Qt::UTC);
        QCOMPARE(raw.toMSecsSinceEpoch(), 1714566896789LL);
        QCOMPARE(
            f.model.index(0, started).data(Qt::EditRole), f.model.index(0, started).data(ResourceTableModel::SortRole));
        QCOMPARE(f.model.index(0, status).data().toString(), QStringLiteral("Update failed"));
        QCOMPARE(f.model.index(0, status).data(ResourceTableModel::RawValueRole).toString(),
            QStringLiteral("UPDATE_FAILED"));
        QVERIFY(!f.model.index(0, ended).data(ResourceTableModel::RawValueRole).isValid());
        QCOMPARE(f.model.index(0, ended).data().toString(), QString());
        QCOMPARE(f.model.index(0, 0).data(ResourceTableModel::ResourceRole).toJsonObject(), item);
        QCOMPARE(f.model.resource(0), item);

        QCOMPARE(f.model.headerData(started, Qt::Horizontal, ResourceTableModel::MemberRole).toString(),
            QStringLiteral("startedAt"));
        QCOMPARE(f.model.headerData(started, Qt::Horizontal).toString(), QStringLiteral("Started"));
        QCOMPARE(f.model.headerData(0, Qt::Vertical).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_ResourceTableModel)
#include "tst_resourcetablemodel.moc"
