// Services that would keep a client paging forever: a NextToken returned twice in a row, a cycle
// of tokens, and endless empty pages that each carry a fresh token. The paginator, the model and
// `pagewise export` must each stop after a bounded number of requests and say why.
#include "aws/http/awsclient.h"
#include "integrationsupport.h"
#include "kinds/resourcekind.h"
#include "models/resourcetablemodel.h"
#include "paging/paginator.h"
#include "scriptedhttpserver.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pagewise;
using namespace pagewise::testing;
using namespace pagewise::testsupport;
using namespace Qt::StringLiterals;

namespace
{

enum class Misbehaviour {
    RepeatedToken, ///< page 1 -> "T", page "T" -> "T" again
    TokenCycle, ///< "A" -> "B" -> "A" -> ...
    EndlessEmptyPages, ///< every page empty, each with a new token
};

QByteArray imageItem(int n)
{
    return "{\"ImageName\":\"image-" + QByteArray::number(n)
        + "\",\"ImageArn\":\"arn:aws:sagemaker:us-east-1:1:image/image-" + QByteArray::number(n)
        + "\",\"ImageStatus\":\"CREATED\",\"CreationTime\":1714564800}";
}

/// ListImages answers that misbehave in the given way; item names number the request.
ScriptedHttpServer::Script misbehaving(Misbehaviour misbehaviour)
{
    return [misbehaviour](const ScriptedRequest &request) {
        const QString token = QJsonDocument::fromJson(request.body).object().value(u"NextToken"_s).toString();
        switch (misbehaviour) {
        case Misbehaviour::RepeatedToken:
            return ScriptedReply::json("{\"Images\":[" + imageItem(request.number) + "],\"NextToken\":\"T\"}");
        case Misbehaviour::TokenCycle:
            return ScriptedReply::json("{\"Images\":[" + imageItem(request.number) + "],\"NextToken\":\""
                + (token == u"A"_s ? "B" : "A") + "\"}");
        case Misbehaviour::EndlessEmptyPages:
            return ScriptedReply::json(
                "{\"Images\":[],\"NextToken\":\"empty-" + QByteArray::number(request.number) + "\"}");
        }
        return ScriptedReply::json("{}", 500);
    };
}

/// Generous: a few thousand requests on loopback take well under a second each way.
constexpr int kRequestBound = 1000;

} // namespace

class tst_PaginationLoops : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void paginatorStopsAtARepeatedToken();
    void paginatorBoundsEmptyPages();
    void modelStopsAndReports_data();
    void modelStopsAndReports();
    void exportStopsAndReports_data();
    void exportStopsAndReports();
};

void tst_PaginationLoops::initTestCase()
{
    QLoggingCategory::setFilterRules(u"pagewise.*.debug=false"_s);
}

void tst_PaginationLoops::paginatorStopsAtARepeatedToken()
{
    ScriptedHttpServer server(misbehaving(Misbehaviour::RepeatedToken));
    QVERIFY(server.listen());
    AwsClient client(loopbackConnection(server.url()));
    Paginator paginator(&client, *findResourceKind(u"images"_s), {u"images"_s, {}, 1, {}, {}});
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    // Pages 1 and 2 are real (page 2 repeats page 1's token); the third request is never sent.
    for (int i = 0; i < 3 && failed.isEmpty(); ++i) {
        paginator.fetchNext();
        QVERIFY(waitFor([&] { return ready.size() > i || !failed.isEmpty(); }, 30'000));
    }
    QCOMPARE(ready.size(), 2);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(server.requests().size(), 2);
    const AwsError error = failed.constFirst().constFirst().value<AwsError>();
    QCOMPARE(error.kind, AwsError::Kind::Pagination);
    QVERIFY2(error.message.contains(u"same NextToken twice"_s), qPrintable(error.message));
    QCOMPARE(error.page, 2);
}

void tst_PaginationLoops::paginatorBoundsEmptyPages()
{
    ScriptedHttpServer server(misbehaving(Misbehaviour::EndlessEmptyPages));
    QVERIFY(server.listen());
    AwsClient client(loopbackConnection(server.url()));
    Paginator paginator(&client, *findResourceKind(u"images"_s), {u"images"_s, {}, 10, {}, {}});
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);

    // One fetchNext() follows empty pages only so far, then hands the empty page to the caller.
    paginator.fetchNext();
    QVERIFY(ready.wait(30'000));
    QCOMPARE(server.requests().size(), Paginator::maxEmptyPagesFollowed());
    QVERIFY(ready.constFirst().constFirst().value<Page>().items.isEmpty());
    QVERIFY(paginator.hasMore());
    QVERIFY(!paginator.isFetching());
}

void tst_PaginationLoops::modelStopsAndReports_data()
{
    QTest::addColumn<Misbehaviour>("misbehaviour");
    QTest::addRow("repeated token") << Misbehaviour::RepeatedToken;
    QTest::addRow("token cycle") << Misbehaviour::TokenCycle;
    QTest::addRow("endless empty pages") << Misbehaviour::EndlessEmptyPages;
}

void tst_PaginationLoops::modelStopsAndReports()
{
    QFETCH(Misbehaviour, misbehaviour);
    ScriptedHttpServer server(misbehaving(misbehaviour));
    QVERIFY(server.listen());
    AwsClient client(loopbackConnection(server.url()));
    ResourceTableModel model(paginatorFactory(&client));
    QAbstractItemModelTester tester(&model);
    tester.setUseFetchMore(false); // the test drives fetching

    // When the user asks for everything
    model.setQuery({u"images"_s, {}, 1, {}, {}});
    model.loadAll();

    // Then loading stops by itself after a bounded number of requests, with an error that says why
    const bool stopped = waitFor(
        [&] { return model.state() != ResourceTableModel::State::Loading || server.requests().size() > kRequestBound; },
        60'000);
    QVERIFY(stopped);
    const qsizetype requests = server.requests().size();
    QVERIFY2(requests <= kRequestBound, qPrintable(u"%1 requests"_s.arg(requests)));
    QCOMPARE(model.state(), ResourceTableModel::State::Error);
    QCOMPARE(model.lastError().kind, AwsError::Kind::Pagination);
    // The rows of the pages that did arrive stay (empty pages bring none)
    QCOMPARE(model.rowCount(), misbehaviour == Misbehaviour::EndlessEmptyPages ? 0 : requests);
}

void tst_PaginationLoops::exportStopsAndReports_data()
{
    modelStopsAndReports_data();
}

void tst_PaginationLoops::exportStopsAndReports()
{
    QFETCH(Misbehaviour, misbehaviour);
    ScriptedHttpServer server(misbehaving(misbehaviour));
    QVERIFY(server.listen());
    QTemporaryDir home;
    const QProcessEnvironment environment = isolatedEnvironment(home.path(), exampleCredentials());

    const ProcessResult result
        = runExport({u"images"_s, u"--region"_s, u"us-east-1"_s, u"--endpoint-url"_s, server.url().toString(),
                        u"--page-size"_s, u"1"_s, u"--columns"_s, u"ImageName"_s},
            environment, 60'000, [&] { return server.requests().size() > kRequestBound; });
    QVERIFY2(result.finished, qPrintable(u"still running after %1 requests"_s.arg(server.requests().size())));
    QCOMPARE(result.exitCode, 1);
    const QString messages = QString::fromUtf8(result.standardError);
    QVERIFY2(messages.contains(u"NextToken"_s), qPrintable(messages));
    // What arrived before the loop was noticed is written, once per page.
    QCOMPARE(csvFirstColumn(result.standardOutput).size(),
        misbehaviour == Misbehaviour::EndlessEmptyPages ? 0 : server.requests().size());
}

QTEST_GUILESS_MAIN(tst_PaginationLoops)
#include "tst_paginationloops.moc"
