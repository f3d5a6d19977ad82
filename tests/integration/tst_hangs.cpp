// A service that stops answering: the read timeout fires, the attempt is retried, and cancel()
// stops a request at any moment (sending, waiting, mid-body, in backoff) without a late signal.
#include "aws/http/awsclient.h"
#include "integrationsupport.h"
#include "kinds/resourcekind.h"
#include "models/resourcetablemodel.h"
#include "paging/operationcodec.h"
#include "paging/paginator.h"
#include "scriptedhttpserver.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace pagewise;
using namespace pagewise::testing;
using namespace pagewise::testsupport;
using namespace Qt::StringLiterals;

namespace
{

constexpr int kReadTimeoutMs = 300;

QByteArray onePage(int first, bool more)
{
    QByteArray items;
    for (int i = first; i < first + 2; ++i) {
        if (!items.isEmpty())
            items += ',';
        items += "{\"ImageName\":\"image-" + QByteArray::number(i)
            + "\",\"ImageArn\":\"arn:aws:sagemaker:us-east-1:1:image/image-" + QByteArray::number(i) + "\"}";
    }
    QByteArray body = "{\"Images\":[" + items + "]";
    if (more)
        body += ",\"NextToken\":\"next-" + QByteArray::number(first) + "\"";
    return body + "}";
}

/// Pages of two images, the first request(s) answered as `first` says, the rest normally.
ScriptedHttpServer::Script firstRequestsThen(int howMany, ScriptedReply first)
{
    return [howMany, first](const ScriptedRequest &request) {
        if (request.number <= howMany)
            return first;
        return ScriptedReply::json(onePage(request.number * 10, true));
    };
}

ScriptedReply hanging()
{
    ScriptedReply reply;
    reply.hang = true;
    return reply;
}

std::unique_ptr<AwsClient> impatientClient(const QUrl &url, int maxAttempts)
{
    auto client = loopbackClient(url, maxAttempts);
    client->setTimeouts(5'000, kReadTimeoutMs);
    return client;
}

} // namespace

class tst_Hangs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void readTimeoutFiresAndTheAttemptIsRetried();
    void readTimeoutOnEveryAttemptIsAClearError();
    void cancelStopsTheModelAtAnyMoment_data();
    void cancelStopsTheModelAtAnyMoment();
    void cancelDuringBackoffStopsTheRetry();
};

void tst_Hangs::initTestCase()
{
    QLoggingCategory::setFilterRules(u"pagewise.*.debug=false"_s);
}

void tst_Hangs::readTimeoutFiresAndTheAttemptIsRetried()
{
    ScriptedHttpServer server(firstRequestsThen(1, hanging()));
    QVERIFY(server.listen());
    const auto client = impatientClient(server.url(), 3);
    Paginator paginator(client.get(), *findResourceKind(u"images"_s), {u"images"_s, {}, 2, {}, {}});
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    paginator.fetchNext();
    QVERIFY(waitFor([&] { return !ready.isEmpty() || !failed.isEmpty(); }, 30'000));

    QVERIFY(failed.isEmpty());
    const Page page = ready.constFirst().constFirst().value<Page>();
    QCOMPARE(page.attempts, 2);
    QCOMPARE(page.items.size(), 2);
    QCOMPARE(server.requests().size(), 2);
    // The retry is the same request (same body), re-signed
    QCOMPARE(server.requests().at(1).body, server.requests().at(0).body);
    QVERIFY(server.requests().at(1).header("amz-sdk-request").startsWith("attempt=2"));
}

void tst_Hangs::readTimeoutOnEveryAttemptIsAClearError()
{
    ScriptedHttpServer server(firstRequestsThen(1000, hanging()));
    QVERIFY(server.listen());
    const auto client = impatientClient(server.url(), 2);
    ResourceTableModel model(paginatorFactory(client.get()));
    QAbstractItemModelTester tester(&model);
    tester.setUseFetchMore(false); // the test drives fetching
    QSignalSpy failed(&model, &ResourceTableModel::pageFailed);

    model.setQuery({u"images"_s, {}, 2, {}, {}});
    QVERIFY(failed.wait(30'000));

    const AwsError error = failed.constFirst().constFirst().value<AwsError>();
    QCOMPARE(error.kind, AwsError::Kind::Network);
    QCOMPARE(error.attempts, 2);
    QCOMPARE(error.page, 1);
    QVERIFY2(error.message.contains(u"read timeout"_s), qPrintable(error.message));
    QVERIFY2(error.message.contains(u"127.0.0.1:%1"_s.arg(server.url().port())), qPrintable(error.message));
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(model.state(), ResourceTableModel::State::Error);
}

void tst_Hangs::cancelStopsTheModelAtAnyMoment_data()
{
    QTest::addColumn<int>("moment");
    QTest::addRow("before anything is sent") << 0;
    QTest::addRow("while the service hangs") << 1;
    QTest::addRow("mid-body") << 2;
}

void tst_Hangs::cancelStopsTheModelAtAnyMoment()
{
    QFETCH(int, moment);

    // Page 1 arrives normally; page 2 hangs (or stalls mid-body); later requests answer.
    ScriptedReply stalled = ScriptedReply::json(onePage(1000, true));
    stalled.stallAfterBytes = stalled.body.size(); // the headers and part of the body
    const ScriptedReply second = moment == 2 ? stalled : hanging();
    ScriptedHttpServer server([&](const ScriptedRequest &request) {
        if (request.number == 2 && moment > 0)
            return second;
        return ScriptedReply::json(onePage(request.number * 10, true));
    });
    QVERIFY(server.listen());
    // A long read timeout: only cancel() may end the hanging request.
    AwsClient client(loopbackConnection(server.url(), 3));
    client.setTimeouts(5'000, 60'000);
    ResourceTableModel model(paginatorFactory(&client));
    QAbstractItemModelTester tester(&model);
    tester.setUseFetchMore(false); // the test drives fetching
    QSignalSpy loaded(&model, &ResourceTableModel::pageLoaded);
    QSignalSpy failed(&model, &ResourceTableModel::pageFailed);
    model.setQuery({u"images"_s, {}, 2, {}, {}});
    QVERIFY(loaded.wait(30'000));
    QCOMPARE(model.rowCount(), 2);

    // When page 2 is requested and cancelled at that moment
    model.fetchMore({});
    QCOMPARE(model.state(), ResourceTableModel::State::Loading);
    if (moment > 0)
        QVERIFY(waitFor([&] { return server.requests().size() == 2; }, 30'000));
    model.cancel();

    // Then loading stops at once, rows stay, and no error is shown
    QCOMPARE(model.state(), ResourceTableModel::State::Idle);
    QVERIFY(!model.isFetching());
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(model.canFetchMore({}));

    // And asking again fetches page 2 afresh; the cancelled request never delivers anything
    const qsizetype sent = server.requests().size();
    model.fetchMore({});
    QVERIFY(waitFor([&] { return loaded.size() == 2 || !failed.isEmpty(); }, 30'000));
    QVERIFY(failed.isEmpty());
    QCOMPARE(loaded.constLast().at(0).toInt(), 2);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(server.requests().size(), sent + 1);
    const QJsonObject input = QJsonDocument::fromJson(server.requests().constLast().body).object();
    QCOMPARE(input.value(u"NextToken"_s).toString(), u"next-10"_s); // the token page 1 returned
}

void tst_Hangs::cancelDuringBackoffStopsTheRetry()
{
    ScriptedHttpServer server(firstRequestsThen(1, ScriptedReply::awsJsonError(503, "ServiceUnavailable", "busy")));
    QVERIFY(server.listen());
    AwsClient client(loopbackConnection(server.url(), 3));
    client.setRandomSource([] { return 0.99; }); // about a second of backoff, never waited for
    const ResourceKind &kind = *findResourceKind(u"images"_s);
    QPointer<AwsCall> call = client.send(kind, OperationCodec(kind).encode({}, {}, 2));
    QSignalSpy retrying(call.data(), &AwsCall::retryScheduled);
    QSignalSpy finished(call.data(), &AwsCall::finished);

    QVERIFY(retrying.wait(30'000));
    QCOMPARE(retrying.constFirst().at(0).toInt(), 1);
    QVERIFY(retrying.constFirst().at(1).toInt() > 500);
    call->cancel();

    // The call (and its backoff timer) is gone without finishing; the retry is never sent.
    QVERIFY(waitFor([&] { return call.isNull(); }, 5'000));
    QVERIFY(finished.isEmpty());
    QCOMPARE(server.requests().size(), 1);
}

QTEST_GUILESS_MAIN(tst_Hangs)
#include "tst_hangs.moc"
