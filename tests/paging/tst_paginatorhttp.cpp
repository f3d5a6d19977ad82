#include "aws/http/awsclient.h"
#include "credentialdoubles.h"
#include "emulator/emulator.h"
#include "expiringtokentransport.h"
#include "kinds/resourcekind.h"
#include "loopbackemulator.h"
#include "paging/pagetokenrejection.h"
#include "paging/paginator.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace pagewise;
using namespace Qt::StringLiterals;

namespace
{

struct Listing {
    QStringList keys;
    QList<AwsError> errors;
    int pages = 0;
};

/// Pages through to the end (or the first failure) and collects the kind's key member.
Listing list(AwsClient &client, const ResourceKind &kind, const ListQuery &query, QString *resumeToken = nullptr)
{
    Paginator paginator(&client, kind, query);
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);
    while (paginator.hasMore() && failed.isEmpty() && ready.size() < 1000) {
        const qsizetype before = ready.size();
        paginator.fetchNext();
        if (!QTest::qWaitFor([&] { return ready.size() > before || !failed.isEmpty(); }, 10000))
            break;
    }
    Listing listing;
    for (const QList<QVariant> &args : std::as_const(ready)) {
        for (const QJsonValue &item : args.at(0).value<Page>().items)
            listing.keys << item[kind.keyMember].toString();
        ++listing.pages;
    }
    for (const QList<QVariant> &args : std::as_const(failed))
        listing.errors << args.at(0).value<AwsError>();
    if (resumeToken)
        *resumeToken = paginator.resumeToken();
    return listing;
}

} // namespace

/// The Paginator over AwsClient and real HTTP on loopback, against the emulator.
class tst_PaginatorHttp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listsEveryImageOnce();
    void resumesWhereMaxItemsStopped_data();
    void resumesWhereMaxItemsStopped();
    void listsTheSessionsOfOneJob();
    void explainsARejectedStartingToken();
    void reportsATokenThatExpiredMidListing_data();
    void reportsATokenThatExpiredMidListing();

private:
    std::unique_ptr<Emulator> m_emulator;
    std::unique_ptr<AwsClient> m_client;
    const ResourceKind *m_images = nullptr;
};

void tst_PaginatorHttp::initTestCase()
{
    QLoggingCategory::setFilterRules(u"pagewise.http.debug=false"_s);
    EmulatorConfig config;
    config.data.images = 57;
    config.data.datasets = 20;
    config.data.sessions = 200;
    m_emulator = std::make_unique<Emulator>(config);
    QString error;
    QVERIFY2(m_emulator->listen(&error), qPrintable(error));

    Connection connection;
    connection.profile = u"test"_s;
    connection.region = u"us-east-1"_s;
    connection.explicitEndpoint = m_emulator->url().toString();
    connection.credentials = std::make_shared<testsupport::FixedCredentials>(testsupport::exampleCredentials());
    m_client = std::make_unique<AwsClient>(connection);
    m_images = findResourceKind(u"images"_s);
    QVERIFY(m_images);
}

void tst_PaginatorHttp::listsEveryImageOnce()
{
    const Listing listing = list(*m_client, *m_images, {u"images"_s, {}, 10, {}, {}});
    QVERIFY(listing.errors.isEmpty());
    QCOMPARE(listing.keys.size(), m_emulator->catalog().images);
    QCOMPARE(QSet<QString>(listing.keys.begin(), listing.keys.end()).size(), listing.keys.size());
    QCOMPARE(listing.pages, 6);
}

void tst_PaginatorHttp::resumesWhereMaxItemsStopped_data()
{
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<qint64>("maxItems");
    QTest::addRow("mid-page") << 10 << qint64(23);
    QTest::addRow("page boundary") << 10 << qint64(20);
    QTest::addRow("inside the first page") << 10 << qint64(3);
}

void tst_PaginatorHttp::resumesWhereMaxItemsStopped()
{
    QFETCH(int, pageSize);
    QFETCH(qint64, maxItems);

    const Listing all = list(*m_client, *m_images, {u"images"_s, {}, pageSize, {}, {}});
    QString token;
    const Listing head = list(*m_client, *m_images, {u"images"_s, {}, pageSize, maxItems, {}}, &token);
    QCOMPARE(head.keys.size(), maxItems);
    QVERIFY(!token.isEmpty());
    const Listing tail = list(*m_client, *m_images, {u"images"_s, {}, pageSize, {}, token});
    QVERIFY(tail.errors.isEmpty());
    QCOMPARE(head.keys + tail.keys, all.keys);
}

void tst_PaginatorHttp::listsTheSessionsOfOneJob()
{
    const EmulatorCatalog catalog = m_emulator->catalog();
    QVERIFY(!catalog.farms.isEmpty());
    const EmulatorCatalog::Farm &farm = catalog.farms.constFirst();
    const EmulatorCatalog::Queue &queue = farm.queues.constFirst();
    const EmulatorCatalog::Job &job = queue.jobs.constFirst();

    const ListQuery query {
        u"sessions"_s, {{u"farmId"_s, farm.farmId}, {u"queueId"_s, queue.queueId}, {u"jobId"_s, job.jobId}}, 3, {}, {}};
    const Listing listing = list(*m_client, *findResourceKind(u"sessions"_s), query);
    QVERIFY2(listing.errors.isEmpty(), qPrintable(listing.errors.value(0).toString()));
    QCOMPARE(listing.keys.size(), job.sessions);
}

void tst_PaginatorHttp::explainsARejectedStartingToken()
{
    const Listing listing = list(*m_client, *m_images, {u"images"_s, {}, 10, {}, u"not-a-token-of-this-service"_s});
    QCOMPARE(listing.errors.size(), 1);
    const AwsError &error = listing.errors.constFirst();
    QCOMPARE(error.kind, AwsError::Kind::Service);
    QCOMPARE(error.parameter, u"StartingToken"_s);
    QVERIFY2(error.message.contains(u"did not accept the starting token"_s), qPrintable(error.message));
    QCOMPARE(error.page, 1);
}

void tst_PaginatorHttp::reportsATokenThatExpiredMidListing_data()
{
    QTest::addColumn<QString>("kindId");
    QTest::addColumn<QString>("serviceCode");
    QTest::addRow("SageMaker") << u"images"_s << u"ValidationException"_s;
    QTest::addRow("Personalize") << u"datasets"_s << u"InvalidNextTokenException"_s;
    QTest::addRow("Deadline") << u"sessions"_s << u"ValidationException"_s;
}

void tst_PaginatorHttp::reportsATokenThatExpiredMidListing()
{
    QFETCH(QString, kindId);
    QFETCH(QString, serviceCode);
    const ResourceKind *kind = findResourceKind(kindId);
    QVERIFY(kind);
    ListQuery query {kindId, {}, 2, {}, {}};
    if (kindId == u"sessions"_s) {
        // The job with the most sessions: three pages at least.
        int most = 0;
        for (const EmulatorCatalog::Farm &farm : m_emulator->catalog().farms) {
            for (const EmulatorCatalog::Queue &queue : farm.queues) {
                for (const EmulatorCatalog::Job &job : queue.jobs) {
                    if (job.sessions <= most)
                        continue;
                    most = job.sessions;
                    query.parameters
                        = {{u"farmId"_s, farm.farmId}, {u"queueId"_s, queue.queueId}, {u"jobId"_s, job.jobId}};
                }
            }
        }
        QVERIFY2(most > 4, qPrintable(QString::number(most)));
    }
    // Pages 1 and 2 arrive; the token for page 3 has expired by the time it is sent.
    auto transport = std::make_unique<test::ExpiringTokenTransport>(m_client.get(), 2);
    test::ExpiringTokenTransport *expiring = transport.get();
    Paginator paginator(std::move(transport), *kind, query);
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);
    for (int page = 1; page <= 3 && failed.isEmpty(); ++page) {
        paginator.fetchNext();
        QTRY_VERIFY(!paginator.isFetching());
    }

    QCOMPARE(ready.size(), 2);
    QCOMPARE(failed.size(), 1);
    const AwsError error = failed.at(0).at(0).value<AwsError>();
    QVERIFY2(isPageTokenRejected(error), qPrintable(error.toString()));
    QVERIFY2(error.message.startsWith(u"The page token was rejected or has expired"_s), qPrintable(error.message));
    QVERIFY2(error.message.contains(u"The service answered "_s + serviceCode + u": "_s), qPrintable(error.message));
    QCOMPARE(error.httpStatus, 400);
    QVERIFY(!error.requestId.isEmpty());
    QCOMPARE(error.page, 3);
    QCOMPARE(expiring->expiredRequests, 1);

    // A retry does not send the dead token again.
    paginator.fetchNext();
    QVERIFY(failed.wait());
    QVERIFY(isPageTokenRejected(failed.at(1).at(0).value<AwsError>()));
    QCOMPARE(expiring->tokenRequests, 2);
}

QTEST_GUILESS_MAIN(tst_PaginatorHttp)
#include "tst_paginatorhttp.moc"
