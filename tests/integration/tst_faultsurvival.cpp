// The lazy model over the real Paginator and AwsClient, against the emulator's fault injection
// on loopback: throttling, 5xx, latency, dropped connections and malformed bodies.
#include "aws/http/awsclient.h"
#include "integrationsupport.h"
#include "kinds/resourcekind.h"
#include "models/resourcetablemodel.h"

#include <QAbstractItemModelTester>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

using namespace pagewise;
using namespace pagewise::testing;
using namespace pagewise::testsupport;
using namespace Qt::StringLiterals;

namespace
{

constexpr int kImages = 20'000;
constexpr int kPageSize = 100;
constexpr int kListingTimeoutMs = 180'000;

ListQuery imagesQuery()
{
    ListQuery query;
    query.kindId = u"images"_s;
    query.pageSize = kPageSize;
    return query;
}

} // namespace

class tst_FaultSurvival : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void everyItemOnceInOrderThroughFaults_data();
    void everyItemOnceInOrderThroughFaults();
    void exhaustedAttemptsKeepRowsAndRetryContinues();
    void failedPageIsAClearErrorAndNothingPartial_data();
    void failedPageIsAClearErrorAndNothingPartial();

private:
    /// Loads the first `pages` pages without faults.
    bool loadPages(ResourceTableModel &model, int pages);
    Emulator &emulator() { return m_emulator->emulator(); }

    std::unique_ptr<LoopbackEmulator> m_emulator;
    QStringList m_reference; ///< every image key in listing order, fetched without faults
};

void tst_FaultSurvival::initTestCase()
{
    QLoggingCategory::setFilterRules(u"pagewise.*.debug=false"_s);
    m_emulator = std::make_unique<LoopbackEmulator>(
        smallEmulatorConfig({.images = kImages, .datasetGroups = 1, .datasets = 10, .sessions = 10}));
    emulator().setRequestLogCapacity(4000);
    QString error;
    QVERIFY2(m_emulator->start(&error), qPrintable(error));

    AwsClient client(loopbackConnection(m_emulator->url()));
    m_reference = listKeys(client, *findResourceKind(u"images"_s), imagesQuery());
    QCOMPARE(m_reference.size(), kImages);
    QCOMPARE(QSet<QString>(m_reference.begin(), m_reference.end()).size(), kImages);
}

void tst_FaultSurvival::init()
{
    emulator().setFaults({});
    emulator().resetStats();
    emulator().clearRequestLog();
}

bool tst_FaultSurvival::loadPages(ResourceTableModel &model, int pages)
{
    QSignalSpy loaded(&model, &ResourceTableModel::pageLoaded);
    model.setQuery(imagesQuery()); // requests page one
    while (loaded.size() < pages) {
        const qsizetype before = loaded.size();
        if (before > 0)
            model.fetchMore({});
        if (!waitFor([&] { return loaded.size() > before; }, 30'000))
            return false;
    }
    return model.rowCount() == pages * kPageSize;
}

void tst_FaultSurvival::everyItemOnceInOrderThroughFaults_data()
{
    QTest::addColumn<EmulatorFaults>("faults");
    EmulatorFaults throttled;
    throttled.throttleRate = 0.30;
    throttled.errorRate = 0.10;
    throttled.latencyMs = 1;
    throttled.jitterMs = 4;
    throttled.faultSeed = 20240501;
    QTest::addRow("30%% throttling, 10%% 5xx, latency with jitter") << throttled;
    EmulatorFaults dropped;
    dropped.dropRate = 0.15;
    dropped.throttleRate = 0.10;
    dropped.jitterMs = 2;
    dropped.faultSeed = 7;
    QTest::addRow("15%% dropped connections, 10%% throttling") << dropped;
}

void tst_FaultSurvival::everyItemOnceInOrderThroughFaults()
{
    QFETCH(EmulatorFaults, faults);
    emulator().setFaults(faults);

    // Given a client with a generous attempt budget whose backoff is not waited for in tests
    const std::unique_ptr<AwsClient> client = loopbackClient(m_emulator->url(), 10);
    // (No QAbstractItemModelTester on the 20,000-row listings: it re-checks every row on each
    // insert, which makes them quadratic; the small listings below run under it.)
    ResourceTableModel model(paginatorFactory(client.get()));
    QSignalSpy failed(&model, &ResourceTableModel::pageFailed);

    // When the whole listing is loaded through the faults
    model.setQuery(imagesQuery());
    model.loadAll();
    QVERIFY(waitFor(
        [&] { return model.state() == ResourceTableModel::State::Complete || !failed.isEmpty(); }, kListingTimeoutMs));

    // Then every item is there exactly once, in the service's order
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).value<AwsError>().toString()));
    QCOMPARE(model.duplicatesDropped(), 0);
    QCOMPARE(rowKeys(model), m_reference);
    QCOMPARE(model.pagesLoaded(), kImages / kPageSize);

    // And faults really happened, each page was served successfully exactly once, and every
    // faulted request was followed by a retry of the same page (same token)
    const EmulatorStats stats = emulator().stats();
    QVERIFY2(stats.faults >= kImages / kPageSize / 10, qPrintable(u"only %1 faults"_s.arg(stats.faults)));
    const QList<EmulatorRequestLogEntry> log = emulator().requestLog();
    QCOMPARE(quint64(log.size()), stats.requests);
    int served = 0;
    int retried = 0;
    for (qsizetype i = 0; i + 1 < log.size(); ++i) {
        if (log[i].fault.isEmpty()) {
            ++served;
            continue;
        }
        QCOMPARE(log[i + 1].parameters.value(u"NextToken"_s), log[i].parameters.value(u"NextToken"_s));
        ++retried;
    }
    QVERIFY(retried > 0);
    QCOMPARE(served + 1, kImages / kPageSize); // the loop stops before the last entry, a success
    QVERIFY(log.constLast().fault.isEmpty());
}

void tst_FaultSurvival::exhaustedAttemptsKeepRowsAndRetryContinues()
{
    // Given three pages loaded and a service that then fails every request
    const std::unique_ptr<AwsClient> client = loopbackClient(m_emulator->url(), 4);
    ResourceTableModel model(paginatorFactory(client.get()));
    QVERIFY(loadPages(model, 3));
    EmulatorFaults failing;
    failing.errorRate = 1.0;
    emulator().setFaults(failing);

    // When the next page is asked for
    QSignalSpy failed(&model, &ResourceTableModel::pageFailed);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.fetchMore({});
    QVERIFY(failed.wait(30'000));

    // Then the error says what failed, on which page, after how many attempts; the rows stay
    const AwsError error = failed.constFirst().constFirst().value<AwsError>();
    QCOMPARE(error.kind, AwsError::Kind::Service);
    QCOMPARE(error.attempts, 4);
    QCOMPARE(error.page, 4);
    QVERIFY2(error.httpStatus == 500 || error.httpStatus == 503, qPrintable(error.toString()));
    QVERIFY2(error.toString().contains(u"page 4"_s), qPrintable(error.toString()));
    QVERIFY2(error.toString().contains(u"4 attempts"_s), qPrintable(error.toString()));
    QCOMPARE(model.state(), ResourceTableModel::State::Error);
    QCOMPARE(model.rowCount(), 3 * kPageSize);
    QCOMPARE(inserted.size(), 0);
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(emulator().stats().requests, quint64(3 + 4));

    // When the service recovers and the user retries
    emulator().setFaults({});
    QSignalSpy loaded(&model, &ResourceTableModel::pageLoaded);
    model.retry();
    QVERIFY(loaded.wait(30'000));

    // Then the listing continues from the failed page, and on to the end in order
    QCOMPARE(loaded.constFirst().at(0).toInt(), 4);
    QCOMPARE(rowKeys(model), m_reference.mid(0, 4 * kPageSize));
    model.loadAll();
    QVERIFY(waitFor([&] { return model.state() == ResourceTableModel::State::Complete; }, kListingTimeoutMs));
    QCOMPARE(rowKeys(model), m_reference);
}

void tst_FaultSurvival::failedPageIsAClearErrorAndNothingPartial_data()
{
    QTest::addColumn<EmulatorFaults>("faults");
    QTest::addColumn<AwsError::Kind>("kind");
    QTest::addColumn<QString>("what");
    EmulatorFaults dropped;
    dropped.dropRate = 1.0;
    QTest::addRow("connection dropped mid-response") << dropped << AwsError::Kind::Network << u"dropped mid-response"_s;
    EmulatorFaults malformed;
    malformed.malformedRate = 1.0;
    QTest::addRow("malformed JSON body") << malformed << AwsError::Kind::Decode
                                         << u"Page 3 of ListImages could not be read: the body is not valid JSON"_s;
}

void tst_FaultSurvival::failedPageIsAClearErrorAndNothingPartial()
{
    QFETCH(EmulatorFaults, faults);
    QFETCH(AwsError::Kind, kind);
    QFETCH(QString, what);

    // Given two pages loaded, one attempt per request, and a fault on every response from now on
    AwsClient client(loopbackConnection(m_emulator->url(), 1));
    ResourceTableModel model(paginatorFactory(&client));
    QAbstractItemModelTester tester(&model);
    tester.setUseFetchMore(false); // the test drives fetching
    QVERIFY(loadPages(model, 2));
    emulator().setFaults(faults);

    QSignalSpy failed(&model, &ResourceTableModel::pageFailed);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.fetchMore({});
    QVERIFY(failed.wait(30'000));

    // Then: a clear error naming what failed and the page, and not one row of the bad page
    const AwsError error = failed.constFirst().constFirst().value<AwsError>();
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.page, 3);
    QVERIFY2(error.toString().contains(what), qPrintable(error.toString()));
    QVERIFY2(error.toString().contains(u"page 3"_s, Qt::CaseInsensitive), qPrintable(error.toString()));
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(model.rowCount(), 2 * kPageSize);
    QCOMPARE(model.state(), ResourceTableModel::State::Error);

    // And a retry after the fault clears continues with page 3
    emulator().setFaults({});
    QSignalSpy loaded(&model, &ResourceTableModel::pageLoaded);
    model.retry();
    QVERIFY(loaded.wait(30'000));
    QCOMPARE(loaded.constFirst().at(0).toInt(), 3);
    QCOMPARE(rowKeys(model), m_reference.mid(0, 3 * kPageSize));
}

QTEST_GUILESS_MAIN(tst_FaultSurvival)
#include "tst_faultsurvival.moc"
