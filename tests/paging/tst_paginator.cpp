#include "kinds/resourcekind.h"
#include "paging/pagetoken.h"
#include "paging/pagetokenrejection.h"
#include "paging/pagetransport.h"
#include "paging/paginator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <functional>

using namespace pagewise;
using namespace Qt::StringLiterals;

namespace
{

/// A call that answers from the event loop, or waits for the test when held.
class FakeCall final : public PageCall
{
public:
    using PageCall::PageCall;

    void complete(const AwsResponse &response)
    {
        QMetaObject::invokeMethod(
            this,
            [this, response] {
                emit finished(response);
                deleteLater();
            },
            Qt::QueuedConnection);
    }
    void cancel() override
    {
        cancelled = true;
        deleteLater();
    }
    bool cancelled = false;
};

/// What the service does, shared by the test and the transport the paginator owns.
struct Script {
    explicit Script(std::function<AwsResponse(const HttpRequestParts &)> respond)
        : respond(std::move(respond))
    {
    }
    std::function<AwsResponse(const HttpRequestParts &)> respond;
    QList<HttpRequestParts> requests;
    bool hold = false; ///< keep calls pending (for cancel tests)
    QList<QPointer<FakeCall>> calls;

    QJsonObject body(qsizetype i) const { return QJsonDocument::fromJson(requests.at(i).body).object(); }
};

class FakeTransport final : public PageTransport
{
public:
    explicit FakeTransport(Script *script)
        : m_script(script)
    {
    }
    PageCall *send(const ResourceKind &, const HttpRequestParts &request) override
    {
        m_script->requests.append(request);
        auto *call = new FakeCall;
        m_script->calls.append(call);
        if (!m_script->hold)
            call->complete(m_script->respond(request));
        return call;
    }

private:
    Script *m_script;
};

AwsResponse ok(const QJsonObject &body, const QString &requestId = u"req"_s)
{
    AwsResponse response;
    response.httpStatus = 200;
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    response.requestId = requestId;
    response.attempts = 1;
    return response;
}

AwsResponse serviceError(const QString &code, const QString &message)
{
    AwsResponse response;
    response.httpStatus = 400;
    response.requestId = u"err"_s;
    response.attempts = 1;
    response.error.kind = AwsError::Kind::Service;
    response.error.code = code;
    response.error.message = message;
    response.error.httpStatus = 400;
    return response;
}

/// The NextToken a request sends, empty for the first page.
QString requestToken(const HttpRequestParts &request)
{
    return QJsonDocument::fromJson(request.body).object().value(u"NextToken"_s).toString();
}

/// Where a stub's token "<letter><k>" resumes: k, 0 for the first page.
int tokenIndex(const QString &token)
{
    return token.isEmpty() ? 0 : token.mid(1).toInt();
}

/// docs/aws-protocols.md §5.3: images img-1 … img-5; token "T<k>" starts at index k; MaxResults honoured.
AwsResponse imageStub(const HttpRequestParts &request)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const int pageSize = body.value(u"MaxResults"_s).toInt(2);
    const int start = tokenIndex(body.value(u"NextToken"_s).toString());
    QJsonArray images;
    for (int i = start; i < qMin(start + pageSize, 5); ++i)
        images.append(QJsonObject {{u"ImageName"_s, u"img-%1"_s.arg(i + 1)}, {u"CreationTime"_s, 1.7145648E9}});
    QJsonObject response {{u"Images"_s, images}};
    if (start + pageSize < 5)
        response.insert(u"NextToken"_s, u"T%1"_s.arg(start + pageSize));
    return ok(response);
}

// imageStub, except that the first request for token T2 fails with a throttling error.
std::function<AwsResponse(const HttpRequestParts &)> throttledOnceAtT2()
{
    return [failOnce = true](const HttpRequestParts &request) mutable {
        if (failOnce && request.body.contains("T2")) {
            failOnce = false;
            return serviceError(u"ThrottlingException"_s, u"Rate exceeded"_s);
        }
        return imageStub(request);
    };
}

/// Empty pages without end, each token the previous one plus "x".
AwsResponse endlessEmptyPage(const HttpRequestParts &request)
{
    return ok(QJsonObject {{u"Images"_s, QJsonArray()}, {u"NextToken"_s, QString(requestToken(request) + u"x"_s)}});
}

QStringList names(const Page &page)
{
    QStringList out;
    for (const QJsonValue &item : page.jsonItems())
        out << item.toObject().value(u"ImageName"_s).toString();
    return out;
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

} // namespace

class tst_Paginator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void followsBotocoreWorkedExample_data();
    void followsBotocoreWorkedExample();
    void sendsOperationHeaders();
    void carriesRequestIdAttemptsAndNumbers();
    void stopsOnEmptyOrNullToken_data();
    void stopsOnEmptyOrNullToken();
    void reportsRepeatedTokenInsteadOfLooping_data();
    void reportsRepeatedTokenInsteadOfLooping();
    void followsEmptyPagesThatCarryAToken_data();
    void followsEmptyPagesThatCarryAToken();
    void boundsEndlessEmptyPages();
    void reportsTooManyEmptyPagesInARowAndRetryScansOn_data();
    void reportsTooManyEmptyPagesInARowAndRetryScansOn();
    void retriesTheSameTokenAfterAFailure();
    void deliversNothingOfAMalformedPage_data();
    void deliversNothingOfAMalformedPage();
    void explainsARejectedStartingToken_data();
    void explainsARejectedStartingToken();
    void reportsABadStartingTokenWithoutSending();
    void reportsARejectedTokenMidListingAndNeverResendsIt_data();
    void reportsARejectedTokenMidListingAndNeverResendsIt();
    void otherFailuresMidListingRetryTheSameToken_data();
    void otherFailuresMidListingRetryTheSameToken();
    void aRequestWithoutATokenIsNeverATokenRejection();
    void cancelAbortsTheCallAndKeepsThePosition();
    void putsTheTokenInTheQueryForRestJson();
    void readAheadAsksForTheNextPageBeforeDelivering();
    void readAheadCancelsAWrongGuess();
    void readAheadCancelsWhenThePageFails();
    void readAheadAnswerWaitsForFetchNext();
    void readAheadFailureRetriesTheSameToken();
    void readAheadSkipsWhatMaxItemsMayEnd();

private:
    static void readAheadData();
    struct Run {
        QList<Page> pages;
        QList<AwsError> errors;
    };
    /// fetchNext() until hasMore() is false or a page fails.
    static Run runToEnd(Paginator &paginator);
    const ResourceKind *m_images = nullptr;
    const ResourceKind *m_sessions = nullptr;
};

void tst_Paginator::initTestCase()
{
    m_images = findResourceKind(u"images"_s);
    m_sessions = findResourceKind(u"sessions"_s);
    QVERIFY(m_images);
    QVERIFY(m_sessions);
}

void tst_Paginator::readAheadData()
{
    QTest::addColumn<bool>("readAhead");
    QTest::addRow("one request at a time") << false;
    QTest::addRow("read-ahead") << true;
}

tst_Paginator::Run tst_Paginator::runToEnd(Paginator &paginator)
{
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);
    while (paginator.hasMore() && failed.isEmpty() && ready.size() < 100) {
        const qsizetype before = ready.size();
        paginator.fetchNext();
        if (!QTest::qWaitFor([&] { return ready.size() > before || !failed.isEmpty(); }, 5000))
            break;
    }
    Run run;
    for (const QList<QVariant> &args : std::as_const(ready))
        run.pages << args.at(0).value<Page>();
    for (const QList<QVariant> &args : std::as_const(failed))
        run.errors << args.at(0).value<AwsError>();
    return run;
}

void tst_Paginator::followsBotocoreWorkedExample_data()
{
    QTest::addColumn<std::optional<int>>("pageSize");
    QTest::addColumn<std::optional<qint64>>("maxItems");
    QTest::addColumn<QString>("startingToken");
    QTest::addColumn<QList<QJsonObject>>("bodies");
    QTest::addColumn<QList<QStringList>>("pages");
    QTest::addColumn<QString>("resumeToken");

    const QString afterImg3 = u"eyJOZXh0VG9rZW4iOiAiVDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="_s;
    const QString afterImg1 = u"eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="_s;

    QTest::addRow("1 page size 2") << std::optional<int>(2) << std::optional<qint64>() << QString()
                                   << QList<QJsonObject> {json(R"({"MaxResults": 2})"),
                                          json(R"({"MaxResults": 2, "NextToken": "T2"})"),
                                          json(R"({"MaxResults": 2, "NextToken": "T4"})")}
                                   << QList<QStringList> {{u"img-1"_s, u"img-2"_s}, {u"img-3"_s, u"img-4"_s},
                                          {u"img-5"_s}}
                                   << QString();
    QTest::addRow("2 max items 3 stops mid-page")
        << std::optional<int>(2) << std::optional<qint64>(3) << QString()
        << QList<QJsonObject> {json(R"({"MaxResults": 2})"), json(R"({"MaxResults": 2, "NextToken": "T2"})")}
        << QList<QStringList> {{u"img-1"_s, u"img-2"_s}, {u"img-3"_s}} << afterImg3;
    QTest::addRow("3 resume from 2") << std::optional<int>(2) << std::optional<qint64>(3) << afterImg3
                                     << QList<QJsonObject> {json(R"({"NextToken": "T2", "MaxResults": 2})"),
                                            json(R"({"NextToken": "T4", "MaxResults": 2})")}
                                     << QList<QStringList> {{u"img-4"_s}, {u"img-5"_s}} << QString();
    QTest::addRow("4 stop inside the first page")
        << std::optional<int>(2) << std::optional<qint64>(1) << QString()
        << QList<QJsonObject> {json(R"({"MaxResults": 2})")} << QList<QStringList> {{u"img-1"_s}} << afterImg1;
    QTest::addRow("5 resume from 4 with max items 2")
        << std::optional<int>(2) << std::optional<qint64>(2) << afterImg1
        << QList<QJsonObject> {json(R"({"MaxResults": 2})"), json(R"({"MaxResults": 2, "NextToken": "T2"})")}
        << QList<QStringList> {{u"img-2"_s}, {u"img-3"_s}} << afterImg3;
    QTest::addRow("6 stop on a page boundary")
        << std::optional<int>(2) << std::optional<qint64>(2) << QString()
        << QList<QJsonObject> {json(R"({"MaxResults": 2})")} << QList<QStringList> {{u"img-1"_s, u"img-2"_s}}
        << u"eyJOZXh0VG9rZW4iOiAiVDIifQ=="_s;
    QTest::addRow("7 raw service token") << std::optional<int>(2) << std::optional<qint64>() << u"T2"_s
                                         << QList<QJsonObject> {json(R"({"NextToken": "T2", "MaxResults": 2})"),
                                                json(R"({"NextToken": "T4", "MaxResults": 2})")}
                                         << QList<QStringList> {{u"img-3"_s, u"img-4"_s}, {u"img-5"_s}} << QString();
}

void tst_Paginator::followsBotocoreWorkedExample()
{
    QFETCH(std::optional<int>, pageSize);
    QFETCH(std::optional<qint64>, maxItems);
    QFETCH(QString, startingToken);
    QFETCH(QList<QJsonObject>, bodies);
    QFETCH(QList<QStringList>, pages);
    QFETCH(QString, resumeToken);

    // MaxItems and StartingToken truncate the same way whichever form the items take, and reading
    // ahead sends exactly the same requests.
    for (const auto &[decoding, readAhead] :
        {std::pair {ItemDecoding::Json, false}, std::pair {ItemDecoding::Raw, false},
            std::pair {ItemDecoding::Json, true}, std::pair {ItemDecoding::Raw, true}}) {
        Script script {imageStub};
        ListQuery query {u"images"_s, {}, pageSize, maxItems, startingToken};
        Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, query);
        paginator.setItemDecoding(decoding);
        paginator.setReadAhead(readAhead);

        const Run run = runToEnd(paginator);

        QVERIFY(run.errors.isEmpty());
        QCOMPARE(script.requests.size(), bodies.size());
        for (qsizetype i = 0; i < bodies.size(); ++i)
            QCOMPARE(script.body(i), bodies.at(i));
        QCOMPARE(run.pages.size(), pages.size());
        qint64 items = 0;
        for (qsizetype i = 0; i < pages.size(); ++i) {
            QCOMPARE(run.pages.at(i).isRaw(), decoding == ItemDecoding::Raw);
            QCOMPARE(names(run.pages.at(i)), pages.at(i));
            QCOMPARE(run.pages.at(i).itemCount(), pages.at(i).size());
            QCOMPARE(run.pages.at(i).number, i + 1);
            items += pages.at(i).size();
        }
        QCOMPARE(paginator.itemCount(), items);
        QCOMPARE(paginator.hasMore(), false);
        QCOMPARE(paginator.resumeToken(), resumeToken);
    }
}

void tst_Paginator::sendsOperationHeaders()
{
    Script script {imageStub};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, {}, {}, {}});
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);

    paginator.fetchNext();
    QVERIFY(paginator.isFetching());
    QVERIFY(ready.wait());

    const HttpRequestParts &request = script.requests.constFirst();
    QCOMPARE(request.method, "POST");
    QCOMPARE(request.path, "/");
    QCOMPARE(request.header("X-Amz-Target"), "SageMaker.ListImages");
    QCOMPARE(request.header("Content-Type"), "application/x-amz-json-1.1");
    QCOMPARE(request.body, "{}");
    // Without MaxItems the resume token after a full page names the next service token.
    QCOMPARE(paginator.resumeToken(), (PageToken {u"T2"_s, std::nullopt}.encode(u"NextToken"_s)));
    QVERIFY(paginator.hasMore());
}

void tst_Paginator::carriesRequestIdAttemptsAndNumbers()
{
    Script script {[](const HttpRequestParts &request) {
        AwsResponse response = imageStub(request);
        response.requestId = u"rid-%1"_s.arg(QJsonDocument::fromJson(request.body).object().size());
        response.attempts = 3;
        return response;
    }};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, {}, {}});
    const Run run = runToEnd(paginator);

    QCOMPARE(run.pages.size(), 3);
    QCOMPARE(run.pages.at(0).requestId, u"rid-1"_s);
    QCOMPARE(run.pages.at(1).requestId, u"rid-2"_s);
    QCOMPARE(run.pages.at(2).attempts, 3);
    QCOMPARE(run.pages.at(2).number, 3);
    QVERIFY(run.pages.at(0).bytes > 0);
    QCOMPARE(run.pages.at(0).nextToken, u"T2"_s);
    QCOMPARE(run.pages.at(2).nextToken, QString());
}

void tst_Paginator::stopsOnEmptyOrNullToken_data()
{
    QTest::addColumn<QJsonValue>("token");
    QTest::addRow("empty string") << QJsonValue(u""_s);
    QTest::addRow("null") << QJsonValue(QJsonValue::Null);
    QTest::addRow("absent") << QJsonValue(QJsonValue::Undefined);
}

void tst_Paginator::stopsOnEmptyOrNullToken()
{
    QFETCH(QJsonValue, token);
    Script script {[token](const HttpRequestParts &) {
        QJsonObject body {{u"Images"_s, QJsonArray {QJsonObject {{u"ImageName"_s, u"a"_s}}}}};
        if (!token.isUndefined())
            body.insert(u"NextToken"_s, token);
        return ok(body);
    }};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, {}, {}, {}});
    const Run run = runToEnd(paginator);
    QCOMPARE(run.pages.size(), 1);
    QCOMPARE(script.requests.size(), 1);
    QCOMPARE(paginator.hasMore(), false);
    QCOMPARE(paginator.resumeToken(), QString());
}

void tst_Paginator::reportsRepeatedTokenInsteadOfLooping_data()
{
    readAheadData();
}

void tst_Paginator::reportsRepeatedTokenInsteadOfLooping()
{
    QFETCH(bool, readAhead);
    Script script {[](const HttpRequestParts &) {
        return ok(json(R"({"Images": [{"ImageName": "again"}], "NextToken": "SAME"})"));
    }};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, {}, {}, {}});
    paginator.setReadAhead(readAhead);
    const Run run = runToEnd(paginator);

    // botocore yields the page that repeated the token, then raises instead of asking again.
    QCOMPARE(run.pages.size(), 2);
    QCOMPARE(script.requests.size(), 2);
    QCOMPARE(run.errors.size(), 1);
    const AwsError &error = run.errors.constFirst();
    QCOMPARE(error.kind, AwsError::Kind::Pagination);
    QCOMPARE(error.page, 2);
    QCOMPARE(error.message, u"the service returned the same NextToken twice (page 2); stopping instead of looping"_s);

    // Retrying does not send the looping request either.
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);
    paginator.fetchNext();
    QVERIFY(failed.wait());
    QCOMPARE(script.requests.size(), 2);
}

void tst_Paginator::followsEmptyPagesThatCarryAToken_data()
{
    readAheadData();
}

void tst_Paginator::followsEmptyPagesThatCarryAToken()
{
    QFETCH(bool, readAhead);
    // E1, E2, E3 are empty; E4 has the items.
    Script script {[](const HttpRequestParts &request) {
        const int index = tokenIndex(requestToken(request));
        if (index < 3)
            return ok(QJsonObject {{u"Images"_s, QJsonArray()}, {u"NextToken"_s, u"E%1"_s.arg(index + 1)}});
        return ok(json(R"({"Images": [{"ImageName": "late"}]})"));
    }};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, {}, {}, {}});
    paginator.setReadAhead(readAhead);
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(ready.size(), 1);
    const Page page = ready.at(0).at(0).value<Page>();
    QCOMPARE(names(page), QStringList {u"late"_s});
    QCOMPARE(page.number, 4);
    QCOMPARE(script.requests.size(), 4);
    for (int i = 1; i < 4; ++i)
        QCOMPARE(script.body(i).value(u"NextToken"_s).toString(), u"E%1"_s.arg(i));
    QCOMPARE(paginator.hasMore(), false);
}

void tst_Paginator::boundsEndlessEmptyPages()
{
    Script script {endlessEmptyPage};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, {}, {}, {}});
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(script.requests.size(), Paginator::maxEmptyPagesFollowed());
    const Page page = ready.at(0).at(0).value<Page>();
    QVERIFY(page.items.isEmpty());
    QCOMPARE(page.number, Paginator::maxEmptyPagesFollowed());
    QVERIFY(paginator.hasMore());
    QVERIFY(!paginator.isFetching());

    // The caller decides to go on: the next fetch continues after the last empty page.
    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(script.requests.size(), 2 * Paginator::maxEmptyPagesFollowed());
    QCOMPARE(script.body(Paginator::maxEmptyPagesFollowed()).value(u"NextToken"_s).toString(),
        QString(Paginator::maxEmptyPagesFollowed(), u'x'));
}

void tst_Paginator::reportsTooManyEmptyPagesInARowAndRetryScansOn_data()
{
    readAheadData();
}

void tst_Paginator::reportsTooManyEmptyPagesInARowAndRetryScansOn()
{
    QFETCH(bool, readAhead);
    Script script {endlessEmptyPage};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, {}, {}, {}});
    paginator.setReadAhead(readAhead);
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    // A caller that keeps asking (load all, export) gets an error once the scan is long enough ...
    while (failed.isEmpty()) {
        const qsizetype delivered = ready.size();
        paginator.fetchNext();
        QTRY_VERIFY(ready.size() > delivered || !failed.isEmpty());
        QVERIFY(script.requests.size() <= Paginator::maxEmptyPagesInARow());
    }
    QCOMPARE(script.requests.size(), Paginator::maxEmptyPagesInARow());
    const AwsError error = failed.at(0).at(0).value<AwsError>();
    QCOMPARE(error.kind, AwsError::Kind::Pagination);
    QVERIFY2(error.message.contains(u"500 empty pages in a row"_s), qPrintable(error.message));
    QVERIFY(paginator.hasMore());

    // ... and a retry scans on from where it stopped.
    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(script.body(Paginator::maxEmptyPagesInARow()).value(u"NextToken"_s).toString(),
        QString(Paginator::maxEmptyPagesInARow(), u'x'));
}

void tst_Paginator::retriesTheSameTokenAfterAFailure()
{
    Script script {throttledOnceAtT2()};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, {}, {}});
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    const QString resumeAfterFirst = paginator.resumeToken();
    paginator.fetchNext();
    QVERIFY(failed.wait());
    const AwsError error = failed.at(0).at(0).value<AwsError>();
    QCOMPARE(error.code, u"ThrottlingException"_s);
    QCOMPARE(error.message, u"Rate exceeded"_s);
    QCOMPARE(error.page, 2);
    QCOMPARE(paginator.itemCount(), 2);
    QCOMPARE(paginator.resumeToken(), resumeAfterFirst);
    QVERIFY(paginator.hasMore());

    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(script.body(2), json(R"({"MaxResults": 2, "NextToken": "T2"})"));
    const Page page = ready.at(1).at(0).value<Page>();
    QCOMPARE(names(page), (QStringList {u"img-3"_s, u"img-4"_s}));
    QCOMPARE(page.number, 2);
    QCOMPARE(paginator.itemCount(), 4);
}

void tst_Paginator::deliversNothingOfAMalformedPage_data()
{
    QTest::addColumn<bool>("raw");
    QTest::addRow("json items") << false;
    QTest::addRow("raw items") << true;
}

void tst_Paginator::deliversNothingOfAMalformedPage()
{
    QFETCH(bool, raw);
    int calls = 0;
    Script script {[&calls](const HttpRequestParts &request) {
        if (++calls == 2) {
            AwsResponse response = ok({});
            response.body = R"({"Images": [{"ImageName": "img-3"}, 42], "NextToken": "T4"})";
            response.requestId = u"bad-page"_s;
            return response;
        }
        return imageStub(request);
    }};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, {}, {}});
    paginator.setItemDecoding(raw ? ItemDecoding::Raw : ItemDecoding::Json);
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    paginator.fetchNext();
    QVERIFY(failed.wait());
    QCOMPARE(ready.size(), 1);
    const AwsError error = failed.at(0).at(0).value<AwsError>();
    QCOMPARE(error.kind, AwsError::Kind::Decode);
    QCOMPARE(error.page, 2);
    QCOMPARE(error.requestId, u"bad-page"_s);
    QVERIFY2(error.message.contains(u"Page 2"_s) && error.message.contains(u"item 2 of \"Images\" is a number"_s),
        qPrintable(error.message));
    QCOMPARE(paginator.itemCount(), 2);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(names(ready.at(1).at(0).value<Page>()), (QStringList {u"img-3"_s, u"img-4"_s}));
}

void tst_Paginator::explainsARejectedStartingToken_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addRow("Personalize") << u"InvalidNextTokenException"_s << u"Invalid next token."_s;
    QTest::addRow("Deadline") << u"ValidationException"_s << u"Invalid pagination token"_s;
}

void tst_Paginator::explainsARejectedStartingToken()
{
    QFETCH(QString, code);
    QFETCH(QString, message);
    Script script {[&](const HttpRequestParts &) { return serviceError(code, message); }};
    Paginator paginator(
        std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, {}, {}, u"expired-or-bogus"_s});
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    paginator.fetchNext();
    QVERIFY(failed.wait());
    const AwsError error = failed.at(0).at(0).value<AwsError>();
    QCOMPARE(error.code, code);
    QCOMPARE(error.parameter, u"StartingToken"_s);
    QVERIFY2(error.message.contains(u"did not accept the starting token"_s), qPrintable(error.message));
    QVERIFY2(error.message.contains(code + u": "_s + message), qPrintable(error.message));
    QCOMPARE(error.page, 1);
}

void tst_Paginator::reportsABadStartingTokenWithoutSending()
{
    Script script {imageStub};
    const QString foreign = QString::fromLatin1(QByteArray(R"({"nextToken": "abc"})").toBase64());
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, {}, {}, foreign});
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    paginator.fetchNext();
    QVERIFY(failed.wait());
    QCOMPARE(failed.at(0).at(0).value<AwsError>().kind, AwsError::Kind::Pagination);
    QCOMPARE(script.requests.size(), 0);
}

void tst_Paginator::reportsARejectedTokenMidListingAndNeverResendsIt_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QJsonObject>("details");
    QTest::addColumn<QString>("startingToken");
    QTest::addColumn<bool>("readAhead");

    const QJsonObject deadline = json(R"({"reason": "FIELD_VALIDATION_FAILED",
        "fieldList": [{"name": "nextToken", "message": "Invalid pagination token"}]})");
    QTest::addRow("Personalize") << u"InvalidNextTokenException"_s << u"Invalid next token."_s << QJsonObject()
                                 << QString() << false;
    QTest::addRow("SageMaker") << u"ValidationException"_s << u"Invalid pagination token"_s << QJsonObject()
                               << QString() << false;
    QTest::addRow("Deadline") << u"ValidationException"_s << u"Token expired"_s << deadline << QString() << false;
    QTest::addRow("Deadline, other reason")
        << u"ValidationException"_s << u"Expired"_s << json(R"({"reason": "OTHER"})") << QString() << false;
    QTest::addRow("read-ahead") << u"InvalidNextTokenException"_s << u"Invalid next token."_s << QJsonObject()
                                << QString() << true;
    QTest::addRow("resumed from a starting token")
        << u"ValidationException"_s << u"Invalid pagination token"_s << QJsonObject() << u"T2"_s << false;
}

void tst_Paginator::reportsARejectedTokenMidListingAndNeverResendsIt()
{
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(QJsonObject, details);
    QFETCH(QString, startingToken);
    QFETCH(bool, readAhead);
    // The token of the second page has expired by the time it is sent.
    const QString expired = startingToken.isEmpty() ? u"T2"_s : u"T4"_s;
    Script script {[&](const HttpRequestParts &request) {
        if (requestToken(request) != expired)
            return imageStub(request);
        AwsResponse response = serviceError(code, message);
        response.requestId = u"req-expired"_s;
        response.error.requestId = response.requestId;
        response.error.details = details;
        return response;
    }};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, {}, startingToken});
    paginator.setReadAhead(readAhead);
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    paginator.fetchNext();
    QVERIFY(failed.wait());
    const AwsError error = failed.at(0).at(0).value<AwsError>();
    QVERIFY(isPageTokenRejected(error));
    QCOMPARE(error.kind, AwsError::Kind::Pagination);
    QCOMPARE(error.code, u"PageTokenRejected"_s);
    QVERIFY2(error.message.startsWith(u"The page token was rejected or has expired (service tokens last about 24 "
                                      "hours); the listing must start again from its first page."_s),
        qPrintable(error.message));
    QVERIFY2(error.message.contains(code + u": "_s + message), qPrintable(error.message));
    QCOMPARE(error.httpStatus, 400);
    QCOMPARE(error.requestId, u"req-expired"_s);
    QCOMPARE(error.details, details);
    QCOMPARE(error.page, 2);
    QCOMPARE(script.requests.size(), 2);
    QCOMPARE(requestToken(script.requests.at(1)), expired);
    QCOMPARE(paginator.itemCount(), 2);
    QVERIFY(paginator.hasMore());

    // The dead token is never sent again: each later fetch fails the same way at once.
    for (int again = 1; again <= 2; ++again) {
        paginator.fetchNext();
        QVERIFY(failed.wait());
        QCOMPARE(failed.size(), again + 1);
        QVERIFY(isPageTokenRejected(failed.at(again).at(0).value<AwsError>()));
        QCOMPARE(failed.at(again).at(0).value<AwsError>().requestId, u"req-expired"_s);
    }
    QCOMPARE(script.requests.size(), 2);
    QCOMPARE(ready.size(), 1);
    QVERIFY(!paginator.isFetching());
}

void tst_Paginator::otherFailuresMidListingRetryTheSameToken_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QJsonObject>("details");
    QTest::addRow("throttling") << u"ThrottlingException"_s << QJsonObject();
    QTest::addRow("Personalize bad input") << u"InvalidInputException"_s << QJsonObject();
    QTest::addRow("validation of another member")
        << u"ValidationException"_s
        << json(
               R"({"reason": "FIELD_VALIDATION_FAILED", "fieldList": [{"name": "maxResults", "message": "too big"}]})");
}

void tst_Paginator::otherFailuresMidListingRetryTheSameToken()
{
    QFETCH(QString, code);
    QFETCH(QJsonObject, details);
    Script script {[&, failOnce = true](const HttpRequestParts &request) mutable {
        if (failOnce && requestToken(request) == u"T2"_s) {
            failOnce = false;
            AwsResponse response = serviceError(code, u"no"_s);
            response.error.details = details;
            return response;
        }
        return imageStub(request);
    }};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, {}, {}});
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    paginator.fetchNext();
    QVERIFY(failed.wait());
    const AwsError error = failed.at(0).at(0).value<AwsError>();
    QVERIFY(!isPageTokenRejected(error));
    QCOMPARE(error.kind, AwsError::Kind::Service);
    QCOMPARE(error.code, code);
    QCOMPARE(error.message, u"no"_s);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(script.requests.size(), 3);
    QCOMPARE(requestToken(script.requests.at(2)), u"T2"_s);
    QCOMPARE(names(ready.at(1).at(0).value<Page>()), (QStringList {u"img-3"_s, u"img-4"_s}));
}

void tst_Paginator::aRequestWithoutATokenIsNeverATokenRejection()
{
    // A ValidationException for the first page is about the query: there was no token to blame.
    Script script {[](const HttpRequestParts &) { return serviceError(u"ValidationException"_s, u"bad"_s); }};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, {}, {}});
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    paginator.fetchNext();
    QVERIFY(failed.wait());
    const AwsError error = failed.at(0).at(0).value<AwsError>();
    QVERIFY(!isPageTokenRejected(error));
    QCOMPARE(error.kind, AwsError::Kind::Service);
    QCOMPARE(error.code, u"ValidationException"_s);
    paginator.fetchNext();
    QVERIFY(failed.wait());
    QCOMPARE(script.requests.size(), 2);
}

void tst_Paginator::cancelAbortsTheCallAndKeepsThePosition()
{
    Script script {imageStub};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, {}, {}});
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);
    paginator.fetchNext();
    QVERIFY(ready.wait());

    script.hold = true;
    paginator.fetchNext();
    QVERIFY(paginator.isFetching());
    paginator.fetchNext(); // ignored while in flight
    QCOMPARE(script.requests.size(), 2);

    paginator.cancel();
    QVERIFY(!paginator.isFetching());
    QVERIFY(script.calls.at(1));
    QVERIFY(script.calls.at(1)->cancelled);
    QTRY_VERIFY(!script.calls.at(1)); // the call deleted itself
    QCOMPARE(ready.size(), 1);
    QCOMPARE(failed.size(), 0);

    script.hold = false;
    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(script.body(2), json(R"({"MaxResults": 2, "NextToken": "T2"})"));
    QCOMPARE(ready.at(1).at(0).value<Page>().number, 2);
}

void tst_Paginator::putsTheTokenInTheQueryForRestJson()
{
    const QString session = u"session-0123456789abcdef0123456789abcdef"_s;
    Script script {[&](const HttpRequestParts &request) {
        const QUrlQuery query(QString::fromLatin1(request.query));
        const bool first = !query.hasQueryItem(u"nextToken"_s);
        QJsonObject body {{u"sessions"_s, QJsonArray {QJsonObject {{u"sessionId"_s, session}}}}};
        if (first)
            body.insert(u"nextToken"_s, u"a/b+c="_s);
        return ok(body);
    }};
    const QVariantMap ids {{u"farmId"_s, u"farm-0123456789abcdef0123456789abcdef"_s},
        {u"queueId"_s, u"queue-0123456789abcdef0123456789abcdef"_s},
        {u"jobId"_s, u"job-0123456789abcdef0123456789abcdef"_s}};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_sessions, {u"sessions"_s, ids, 1, 1, {}});
    const Run run = runToEnd(paginator);

    QCOMPARE(run.pages.size(), 1);
    QCOMPARE(script.requests.size(), 1);
    QCOMPARE(script.requests.at(0).method, "GET");
    QCOMPARE(script.requests.at(0).query, "maxResults=1");
    // MaxItems 1 reached on a page boundary: resume with the service token under "nextToken".
    QCOMPARE(paginator.resumeToken(), (PageToken {u"a/b+c="_s, std::nullopt}.encode(u"nextToken"_s)));

    Paginator resumed(
        std::make_unique<FakeTransport>(&script), *m_sessions, {u"sessions"_s, ids, 1, {}, paginator.resumeToken()});
    runToEnd(resumed);
    QCOMPARE(script.requests.at(1).query, "maxResults=1&nextToken=a%2Fb%2Bc%3D");
}

void tst_Paginator::readAheadAsksForTheNextPageBeforeDelivering()
{
    Script script {imageStub};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, {}, {}});
    paginator.setReadAhead(true);
    QList<qsizetype> requestsAtDelivery;
    connect(&paginator, &PageFetcher::pageReady, this, [&] { requestsAtDelivery << script.requests.size(); });

    const Run run = runToEnd(paginator);

    // The request for page n + 1 is out when page n is delivered; the last page has none after it.
    QCOMPARE(requestsAtDelivery, (QList<qsizetype> {2, 3, 3}));
    QCOMPARE(script.requests.size(), 3);
    QCOMPARE(script.body(1), json(R"({"MaxResults": 2, "NextToken": "T2"})"));
    QCOMPARE(script.body(2), json(R"({"MaxResults": 2, "NextToken": "T4"})"));
    QCOMPARE(run.pages.size(), 3);
    QCOMPARE(names(run.pages.at(1)), (QStringList {u"img-3"_s, u"img-4"_s}));
    QCOMPARE(run.pages.at(2).number, 3);
    QCOMPARE(paginator.itemCount(), 5);
    for (const QPointer<FakeCall> &call : std::as_const(script.calls))
        QVERIFY(!call || !call->cancelled);
}

void tst_Paginator::readAheadCancelsAWrongGuess()
{
    // The last "NextToken" in the body is an item's member: the guess is wrong.
    Script script {[](const HttpRequestParts &request) {
        if (QJsonDocument::fromJson(request.body).object().contains(u"NextToken"_s))
            return ok(json(R"({"Images": [{"ImageName": "b"}]})"));
        AwsResponse response = ok({});
        response.body = R"({"NextToken": "REAL", "Images": [{"ImageName": "a", "NextToken": "decoy"}]})";
        return response;
    }};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, {}, {}, {}});
    paginator.setReadAhead(true);
    script.hold = true;
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);

    paginator.fetchNext();
    script.calls.at(0)->complete(script.respond(script.requests.at(0)));
    QVERIFY(ready.wait());
    QCOMPARE(script.requests.size(), 2);
    QCOMPARE(script.body(1).value(u"NextToken"_s).toString(), u"decoy"_s);
    QVERIFY(script.calls.at(1)->cancelled);

    script.hold = false;
    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(script.requests.size(), 3);
    QCOMPARE(script.body(2).value(u"NextToken"_s).toString(), u"REAL"_s);
    QCOMPARE(names(ready.at(1).at(0).value<Page>()), QStringList {u"b"_s});
    QVERIFY(!paginator.hasMore());
}

void tst_Paginator::readAheadCancelsWhenThePageFails()
{
    int calls = 0;
    Script script {[&calls](const HttpRequestParts &request) {
        if (++calls == 2) {
            AwsResponse response = ok({});
            response.body = R"({"Images": [{"ImageName": "img-3"}, 42], "NextToken": "T4"})";
            return response;
        }
        return imageStub(request);
    }};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, {}, {}});
    paginator.setReadAhead(true);
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    paginator.fetchNext(); // takes over the request for T2, whose page is malformed
    QVERIFY(failed.wait());
    QCOMPARE(script.requests.size(), 3);
    QCOMPARE(script.body(2).value(u"NextToken"_s).toString(), u"T4"_s);
    QVERIFY(!script.calls.at(2) || script.calls.at(2)->cancelled);
    QCOMPARE(paginator.itemCount(), 2);
    QVERIFY(!paginator.isFetching());

    // Nothing advanced: the retry asks for T2 again.
    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(script.body(3), json(R"({"MaxResults": 2, "NextToken": "T2"})"));
    QCOMPARE(names(ready.at(1).at(0).value<Page>()), (QStringList {u"img-3"_s, u"img-4"_s}));
}

void tst_Paginator::readAheadAnswerWaitsForFetchNext()
{
    Script script {imageStub};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, {}, {}});
    paginator.setReadAhead(true);
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    QVERIFY(!paginator.isFetching());
    QTRY_VERIFY(!script.calls.at(1)); // the read-ahead call answered and is gone

    // Taken over without a request, and still reported from the event loop.
    paginator.fetchNext();
    QVERIFY(paginator.isFetching());
    QCOMPARE(ready.size(), 1);
    QCOMPARE(script.requests.size(), 2);
    QVERIFY(ready.wait());
    QCOMPARE(names(ready.at(1).at(0).value<Page>()), (QStringList {u"img-3"_s, u"img-4"_s}));

    // Cancelled before it is reported: nothing follows, and the next fetch asks again.
    QTRY_VERIFY(!script.calls.at(2));
    paginator.fetchNext();
    paginator.cancel();
    QVERIFY(!paginator.isFetching());
    QVERIFY(!ready.wait(100));
    QCOMPARE(ready.size(), 2);
    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(script.requests.size(), 4);
    QCOMPARE(script.body(3), json(R"({"MaxResults": 2, "NextToken": "T4"})"));
    QCOMPARE(names(ready.at(2).at(0).value<Page>()), QStringList {u"img-5"_s});
}

void tst_Paginator::readAheadFailureRetriesTheSameToken()
{
    Script script {throttledOnceAtT2()};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, {}, {}});
    paginator.setReadAhead(true);
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    const QString resumeAfterFirst = paginator.resumeToken();
    paginator.fetchNext();
    QVERIFY(failed.wait());
    const AwsError error = failed.at(0).at(0).value<AwsError>();
    QCOMPARE(error.code, u"ThrottlingException"_s);
    QCOMPARE(error.page, 2);
    QCOMPARE(paginator.resumeToken(), resumeAfterFirst);
    QCOMPARE(script.requests.size(), 2);

    paginator.fetchNext();
    QVERIFY(ready.wait());
    QCOMPARE(script.body(2), json(R"({"MaxResults": 2, "NextToken": "T2"})"));
    QCOMPARE(ready.at(1).at(0).value<Page>().number, 2);
    QCOMPARE(paginator.itemCount(), 4);
}

void tst_Paginator::readAheadSkipsWhatMaxItemsMayEnd()
{
    // Pages of 2, MaxItems 5: pages 1 and 2 cannot reach it, page 3 may (and does, mid-page).
    Script script {[](const HttpRequestParts &request) {
        const int start = tokenIndex(requestToken(request));
        QJsonArray images;
        for (int i = start; i < start + 2; ++i)
            images.append(QJsonObject {{u"ImageName"_s, u"img-%1"_s.arg(i + 1)}});
        return ok(QJsonObject {{u"Images"_s, images}, {u"NextToken"_s, u"T%1"_s.arg(start + 2)}});
    }};
    Paginator paginator(std::make_unique<FakeTransport>(&script), *m_images, {u"images"_s, {}, 2, 5, {}});
    paginator.setReadAhead(true);
    QList<qsizetype> requestsAtDelivery;
    connect(&paginator, &PageFetcher::pageReady, this, [&] { requestsAtDelivery << script.requests.size(); });

    const Run run = runToEnd(paginator);

    QCOMPARE(requestsAtDelivery, (QList<qsizetype> {2, 3, 3}));
    QCOMPARE(script.requests.size(), 3);
    QCOMPARE(paginator.itemCount(), 5);
    QVERIFY(!paginator.hasMore());
    QCOMPARE(paginator.resumeToken(), (PageToken {u"T4"_s, 1}.encode(u"NextToken"_s)));
}

QTEST_GUILESS_MAIN(tst_Paginator)
#include "tst_paginator.moc"
