#include "kinds/resourcekind.h"
#include "paging/operationcodec.h"
#include "paging/rawpage.h"
#include "sessionids.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <functional>

using namespace pagewise;
using namespace pagewise::testing;
using namespace Qt::StringLiterals;

namespace
{

QString sessionsPath(const QString &farmId = farm)
{
    return u"/2023-10-12/farms/%1/queues/%2/jobs/%3/sessions"_s.arg(farmId, queue, job);
}

QDateTime utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs);
}

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

/// A list response around the given items (JSON text), for the images kind.
QByteArray imagesBody(const QByteArray &items, const QByteArray &rest = {})
{
    return R"({"Images":[)" + items + "]" + rest + "}";
}

} // namespace

class tst_OperationCodec : public QObject
{
    Q_OBJECT

private slots:
    void encodesRequests_data();
    void encodesRequests();
    void encodesEveryPageOfAListingAlike();
    void percentEncodesLikeBotocore_data();
    void percentEncodesLikeBotocore();
    void encodesLikeBotocoreWireExamples_data();
    void encodesLikeBotocoreWireExamples();
    void decodesWireExampleResponses_data();
    void decodesWireExampleResponses();
    void guessesTheTokenWithoutParsing_data();
    void guessesTheTokenWithoutParsing();
    void keepsEveryMemberAsReceived();
    void treatsEmptyAndNullTokensAsNone_data();
    void treatsEmptyAndNullTokensAsNone();
    void rejectsMalformedBodies_data();
    void rejectsMalformedBodies();
    void survivesDeepNestingAndHugeStrings();
    void rawDecodingAgreesWithQt_data();
    void rawDecodingAgreesWithQt();
    void rawItemsAreSharedNotCopied();
};

void tst_OperationCodec::encodesRequests_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QVariantMap>("parameters");
    QTest::addColumn<QString>("token");
    QTest::addColumn<std::optional<int>>("limit");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body"); ///< JSON compared parsed; empty means no body at all

    const QByteArray json11 = "application/x-amz-json-1.1";
    QTest::addRow("images, nothing set") << u"images"_s << QVariantMap() << QString() << std::optional<int>()
                                         << QByteArray("POST") << u"/"_s << QByteArray()
                                         << QByteArray("SageMaker.ListImages") << json11 << QByteArray("{}");
    QTest::addRow("images, filters, sort, limit and token")
        << u"images"_s
        << QVariantMap {{u"NameContains"_s, u"base"_s}, {u"SortBy"_s, u"CREATION_TIME"_s},
               {u"SortOrder"_s, u"DESCENDING"_s}, {u"CreationTimeAfter"_s, utc("2024-01-01T00:00:00Z")},
               // botocore drops sub-second precision: int(timegm(timetuple()))
               {u"LastModifiedTimeBefore"_s, utc("2024-05-01T12:00:00.999Z")}}
        << u"AAMA-EFRSHdGX2V4YW1wbGVfdG9rZW4="_s << std::optional<int>(25) << QByteArray("POST") << u"/"_s
        << QByteArray() << QByteArray("SageMaker.ListImages") << json11
        << QByteArray(R"({"NameContains": "base", "SortBy": "CREATION_TIME", "SortOrder": "DESCENDING",
                         "CreationTimeAfter": 1704067200, "LastModifiedTimeBefore": 1714564800,
                         "MaxResults": 25, "NextToken": "AAMA-EFRSHdGX2V4YW1wbGVfdG9rZW4="})");
    QTest::addRow("images, timestamp before 1970 rounds down")
        << u"images"_s << QVariantMap {{u"CreationTimeAfter"_s, utc("1969-12-31T23:59:59.500Z")}} << QString()
        << std::optional<int>() << QByteArray("POST") << u"/"_s << QByteArray() << QByteArray("SageMaker.ListImages")
        << json11 << QByteArray(R"({"CreationTimeAfter": -1})");
    QTest::addRow("datasets")
        << u"datasets"_s
        << QVariantMap {{u"datasetGroupArn"_s, u"arn:aws:personalize:us-west-2:123456789012:dataset-group/shop"_s}}
        << u"tok"_s << std::optional<int>(1) << QByteArray("POST") << u"/"_s << QByteArray()
        << QByteArray("AmazonPersonalize.ListDatasets") << json11
        << QByteArray(R"({"datasetGroupArn": "arn:aws:personalize:us-west-2:123456789012:dataset-group/shop",
                                                "maxResults": 1, "nextToken": "tok"})");
    QTest::addRow("sessions, first page")
        << u"sessions"_s << sessionIds() << QString() << std::optional<int>() << QByteArray("GET") << sessionsPath()
        << QByteArray() << QByteArray() << QByteArray() << QByteArray();
    QTest::addRow("sessions, limit then token, percent-encoded")
        << u"sessions"_s << sessionIds() << u"a b/\u00e9+=~"_s << std::optional<int>(25) << QByteArray("GET")
        << sessionsPath() << QByteArray("maxResults=25&nextToken=a%20b%2F%C3%A9%2B%3D~") << QByteArray() << QByteArray()
        << QByteArray();
    QTest::addRow("sessions, '/' in a label stays inside it")
        << u"sessions"_s << sessionIds(u"farm/../x"_s) << QString() << std::optional<int>() << QByteArray("GET")
        << sessionsPath(u"farm%2F..%2Fx"_s) << QByteArray() << QByteArray() << QByteArray() << QByteArray();
}

void tst_OperationCodec::encodesRequests()
{
    QFETCH(QString, kind);
    QFETCH(QVariantMap, parameters);
    QFETCH(QString, token);
    QFETCH(std::optional<int>, limit);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);

    const ResourceKind *resourceKind = findResourceKind(kind);
    QVERIFY(resourceKind);
    const HttpRequestParts request = OperationCodec(*resourceKind).encode(parameters, token, limit);

    QCOMPARE(request.method, method);
    QCOMPARE(request.path, path.toLatin1());
    QCOMPARE(request.query, query);
    QCOMPARE(request.header("X-Amz-Target"), target);
    QCOMPARE(request.header("Content-Type"), contentType);
    QCOMPARE(request.header("Host"), QByteArray());
    if (body.isEmpty()) {
        QCOMPARE(request.body, QByteArray());
    } else {
        QJsonParseError error;
        const QJsonDocument sent = QJsonDocument::fromJson(request.body, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(sent.object(), parseObject(body));
        // Integers go out as integers (botocore: 1704067200), never in exponent form.
        QVERIFY2(!request.body.contains("e+") && !request.body.contains("E+"), request.body.constData());
    }
}

void tst_OperationCodec::encodesEveryPageOfAListingAlike()
{
    // One codec, one listing: only the token changes from page to page, whatever its characters;
    // other members or another limit are encoded anew.
    const OperationCodec codec(*findResourceKind(u"images"_s));
    const QVariantMap sorted {{u"SortBy"_s, u"NAME"_s}, {u"SortOrder"_s, u"ASCENDING"_s}};
    const QVariantMap named {{u"NameContains"_s, u"gpu"_s}};
    const QString tokens[] = {
        u"T1"_s, u"quote\" backslash\\ slash/"_s, u"line\nbreak\u0001tab\t"_s, u"jeton-\u00e9 \U0001D11E"_s, QString()};
    for (const std::optional<int> limit : {std::optional<int>(100), std::optional<int>()}) {
        for (const QVariantMap &parameters : {sorted, named, QVariantMap()}) {
            for (const QString &token : tokens) {
                QJsonObject expected = QJsonObject::fromVariantMap(parameters);
                if (limit)
                    expected.insert(u"MaxResults"_s, *limit);
                if (!token.isEmpty())
                    expected.insert(u"NextToken"_s, token);
                const QByteArray body = codec.encode(parameters, token, limit).body;
                QJsonParseError error;
                const QJsonDocument sent = QJsonDocument::fromJson(body, &error);
                QVERIFY2(error.error == QJsonParseError::NoError, body.constData());
                QCOMPARE(sent.object(), expected);
            }
        }
    }
}

void tst_OperationCodec::percentEncodesLikeBotocore_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("encoded");
    // botocore.utils.percent_encode (safe='-_.~')
    QTest::addRow("unreserved") << u"AZaz09-._~"_s << QByteArray("AZaz09-._~");
    QTest::addRow("reserved") << u"/?#[]@!$&'()*+,;= %"_s
                              << QByteArray("%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%20%25");
    QTest::addRow("utf-8") << u"\u00e9\u4e2d\U0001F600"_s << QByteArray("%C3%A9%E4%B8%AD%F0%9F%98%80");
    QTest::addRow("empty") << QString() << QByteArray();
}

void tst_OperationCodec::percentEncodesLikeBotocore()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, encoded);
    QCOMPARE(OperationCodec::percentEncode(value), encoded);
}

namespace
{

QJsonArray wireExamples()
{
    const QByteArray shared = qgetenv("PAGEWISE_SHARED_DIR");
    if (shared.isEmpty())
        return {};
    QFile file(QString::fromLocal8Bit(shared) + u"/aws-models/botocore-wire-examples.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(u"examples"_s).toArray();
}

constexpr char kNoWireExamples[] = "shared/aws-models/botocore-wire-examples.json not found (set PAGEWISE_SHARED_DIR)";

/// An "example" row for each wire example that keep() accepts; false when there are none at all.
bool addWireExampleRows(const std::function<bool(const QJsonObject &)> &keep)
{
    QTest::addColumn<QJsonObject>("example");
    const QJsonArray examples = wireExamples();
    for (const QJsonValue &example : examples) {
        if (keep(example.toObject()))
            QTest::newRow(qPrintable(example[u"name"_s].toString())) << example.toObject();
    }
    return !examples.isEmpty();
}

const ResourceKind *kindForSigningName(const QString &signingName)
{
    for (const ResourceKind &kind : resourceKinds()) {
        if (kind.service.signingName == signingName)
            return &kind;
    }
    return nullptr;
}

} // namespace

void tst_OperationCodec::encodesLikeBotocoreWireExamples_data()
{
    if (!addWireExampleRows([](const QJsonObject &) { return true; }))
        QSKIP(kNoWireExamples);
}

void tst_OperationCodec::encodesLikeBotocoreWireExamples()
{
    QFETCH(QJsonObject, example);
    const ResourceKind *kind = kindForSigningName(example[u"service"_s].toString());
    QVERIFY(kind);

    // The example's params are what botocore was called with: split off the paginator's members.
    QVariantMap parameters;
    QString token;
    std::optional<int> limit;
    const QJsonObject params = example[u"params"_s].toObject();
    for (auto it = params.begin(); it != params.end(); ++it) {
        const FilterSpec *filter = kind->filter(it.key());
        if (it.key() == kind->pagination.limitKey)
            limit = it->toInt();
        else if (it.key() == kind->pagination.inputToken)
            token = it->toString();
        else if (filter && filter->type == ValueType::Timestamp)
            parameters.insert(it.key(), QDateTime::fromString(it->toString(), Qt::ISODate));
        else
            parameters.insert(it.key(), it->toVariant());
    }
    const HttpRequestParts request = OperationCodec(*kind).encode(parameters, token, limit);

    const QJsonObject wire = example[u"request"_s].toObject();
    const QStringList requestLine = wire[u"request_line"_s].toString().split(u' ');
    const QStringList target = requestLine.at(1).split(u'?');
    QCOMPARE(QString::fromLatin1(request.method), requestLine.at(0));
    QCOMPARE(QString::fromLatin1(request.path), target.at(0));
    QCOMPARE(QString::fromLatin1(request.query), target.size() > 1 ? target.at(1) : QString());

    QMap<QByteArray, QByteArray> headers;
    for (const QJsonValue &line : wire[u"headers"_s].toArray()) {
        const QByteArray text = line.toString().toUtf8();
        const qsizetype colon = text.indexOf(':');
        headers.insert(text.left(colon).toLower(), text.mid(colon + 1).trimmed());
    }
    QCOMPARE(request.header("X-Amz-Target"), headers.value("x-amz-target"));
    QCOMPARE(request.header("Content-Type"), headers.value("content-type"));

    const QByteArray body = wire[u"body"_s].toString().toUtf8();
    if (body.isEmpty())
        QCOMPARE(request.body, QByteArray());
    else
        QCOMPARE(parseObject(request.body), parseObject(body));
}

void tst_OperationCodec::decodesWireExampleResponses_data()
{
    const auto succeeded = [](const QJsonObject &example) {
        return example[u"response"_s][u"status_line"_s].toString().contains(u" 200 "_s);
    };
    if (!addWireExampleRows(succeeded))
        QSKIP(kNoWireExamples);
}

void tst_OperationCodec::decodesWireExampleResponses()
{
    QFETCH(QJsonObject, example);
    const ResourceKind *kind = kindForSigningName(example[u"service"_s].toString());
    QVERIFY(kind);
    const QByteArray body = example[u"response"_s][u"body"_s].toString().toUtf8();

    const Result<Page> page = OperationCodec(*kind).decode(body, 3);
    QVERIFY(page.ok());

    const QJsonObject parsed = example[u"botocore_parsed"_s].toObject();
    QCOMPARE(page.value().nextToken, parsed[kind->pagination.outputToken].toString());
    QCOMPARE(page.value().items, parseObject(body)[kind->pagination.resultKey].toArray());
    QCOMPARE(page.value().items.size(), parsed[kind->pagination.resultKey].toArray().size());
    QCOMPARE(page.value().number, 3);
    QCOMPARE(page.value().bytes, body.size());
    // Every member botocore saw is kept, under its wire name.
    const QJsonObject first = page.value().items.at(0).toObject();
    for (const QString &member : parsed[kind->pagination.resultKey][0].toObject().keys())
        QVERIFY2(first.contains(member), qPrintable(member));

    // The raw mode reads the same items and token, without Qt's parser.
    const Result<Page> raw = OperationCodec(*kind).decodeRaw(body, 3);
    QVERIFY(raw.ok());
    QVERIFY(raw.value().isRaw());
    QCOMPARE(raw.value().jsonItems(), page.value().items);
    QCOMPARE(raw.value().nextToken, page.value().nextToken);

    // Read-ahead's guess is right for what AWS sends.
    const std::optional<QString> guess = OperationCodec(*kind).peekNextToken(body);
    QCOMPARE(guess.value_or(QString()), page.value().nextToken);
}

void tst_OperationCodec::guessesTheTokenWithoutParsing_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<std::optional<QString>>("guess");
    const auto none = std::optional<QString>();
    QTest::addRow("after the items") << u"images"_s << imagesBody(R"({"ImageName":"a"})", R"(,"NextToken":"T2")")
                                     << std::optional(u"T2"_s);
    QTest::addRow("before the items") << u"images"_s << QByteArray(R"({"NextToken":"T2","Images":[]})")
                                      << std::optional(u"T2"_s);
    QTest::addRow("spaces and newlines") << u"images"_s << QByteArray("{\"Images\": [],\n  \"NextToken\" :\t \"T2\"\n}")
                                         << std::optional(u"T2"_s);
    QTest::addRow("UTF-8") << u"images"_s << QByteArray("{\"Images\":[],\"NextToken\":\"jeton-\xc3\xa9\"}")
                           << std::optional(u"jeton-\u00e9"_s);
    QTest::addRow("rest-json member name")
        << u"sessions"_s << QByteArray(R"({"sessions":[],"nextToken":"a/b+c="})") << std::optional(u"a/b+c="_s);
    QTest::addRow("other case is another member")
        << u"sessions"_s << QByteArray(R"({"sessions":[],"NextToken":"x"})") << none;
    QTest::addRow("absent") << u"images"_s << imagesBody(R"({"ImageName":"a"})") << none;
    QTest::addRow("null") << u"images"_s << QByteArray(R"({"Images":[],"NextToken":null})") << none;
    QTest::addRow("empty") << u"images"_s << QByteArray(R"({"Images":[],"NextToken":""})") << none;
    QTest::addRow("escapes left to the parser")
        << u"images"_s << QByteArray(R"({"Images":[],"NextToken":"a\/b"})") << none;
    QTest::addRow("unterminated") << u"images"_s << QByteArray(R"({"Images":[],"NextToken":"abc)") << none;
    QTest::addRow("not a member") << u"images"_s << QByteArray(R"({"Images":["NextToken"]})") << none;
    QTest::addRow("inside a string") << u"images"_s << imagesBody(R"({"Description":"say \"NextToken\":\"x\""})")
                                     << none;
    // A guess, not a parse: an item's member of that name is taken; the paginator checks it.
    QTest::addRow("an item's member") << u"images"_s
                                      << QByteArray(R"({"NextToken":"T2","Images":[{"NextToken":"decoy"}]})")
                                      << std::optional(u"decoy"_s);
}

void tst_OperationCodec::guessesTheTokenWithoutParsing()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, body);
    QFETCH(std::optional<QString>, guess);
    QCOMPARE(OperationCodec(*findResourceKind(kind)).peekNextToken(body), guess);
}

void tst_OperationCodec::keepsEveryMemberAsReceived()
{
    const ResourceKind *images = findResourceKind(u"images"_s);
    const QByteArray body = R"({"Images":[{"CreationTime":1.714564800123E9,"LastModifiedTime":1.7145684E9,
        "ImageName":"x","Unmodelled":{"nested":[1,null]},"FailureReason":null}],
        "SomethingElse":true,"NextToken":"n"})";
    const Result<Page> page = OperationCodec(*images).decode(body);
    QVERIFY(page.ok());
    const QJsonObject item = page.value().items.at(0).toObject();
    QCOMPARE(item.value(u"CreationTime"_s).toDouble(), 1714564800.123);
    QCOMPARE(item.value(u"LastModifiedTime"_s).toDouble(), 1714568400.0);
    QCOMPARE(item.value(u"Unmodelled"_s).toObject(), parseObject(R"({"nested":[1,null]})"));
    QVERIFY(item.contains(u"FailureReason"_s));
    QCOMPARE(item.size(), 5);
    QCOMPARE(page.value().nextToken, u"n"_s);
}

void tst_OperationCodec::treatsEmptyAndNullTokensAsNone_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addRow("empty") << QByteArray(R"({"datasets": [], "nextToken": ""})");
    QTest::addRow("null") << QByteArray(R"({"datasets": [], "nextToken": null})");
    QTest::addRow("absent") << QByteArray(R"({"datasets": []})");
    QTest::addRow("no result key either") << QByteArray(R"({})");
}

void tst_OperationCodec::treatsEmptyAndNullTokensAsNone()
{
    QFETCH(QByteArray, body);
    const OperationCodec codec(*findResourceKind(u"datasets"_s));
    for (const ItemDecoding decoding : {ItemDecoding::Json, ItemDecoding::Raw}) {
        const Result<Page> page = codec.decode(body, 1, decoding);
        QVERIFY(page.ok());
        QCOMPARE(page.value().nextToken, QString());
        QCOMPARE(page.value().itemCount(), 0);
        QCOMPARE(page.value().isRaw(), decoding == ItemDecoding::Raw);
    }
}

void tst_OperationCodec::rejectsMalformedBodies_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");

    QTest::addRow("empty body") << u"images"_s << QByteArray() << u"the body is empty, expected a JSON object"_s;
    QTest::addRow("html") << u"images"_s << QByteArray("<html>oops</html>") << u"the body is not valid JSON"_s;
    QTest::addRow("truncated") << u"datasets"_s << QByteArray(R"({"datasets": [{"name": "a")")
                               << u"the body is not valid JSON"_s;
    QTest::addRow("list body") << u"images"_s << QByteArray("[]") << u"the body is a JSON list, expected an object"_s;
    QTest::addRow("result not a list") << u"images"_s << QByteArray(R"({"Images": {"ImageName": "x"}})")
                                       << u"\"Images\" is an object, expected a list"_s;
    QTest::addRow("result a string") << u"datasets"_s << QByteArray(R"({"datasets": "none"})")
                                     << u"\"datasets\" is a string, expected a list"_s;
    QTest::addRow("item not an object") << u"images"_s << QByteArray(R"({"Images": [{}, {}, "img-3"]})")
                                        << u"item 3 of \"Images\" is a string, expected an object"_s;
    QTest::addRow("null item") << u"sessions"_s << QByteArray(R"({"sessions": [null]})")
                               << u"item 1 of \"sessions\" is null, expected an object"_s;
    QTest::addRow("token not a string") << u"images"_s << QByteArray(R"({"Images": [], "NextToken": 2})")
                                        << u"\"NextToken\" is a number, expected a string"_s;
    QTest::addRow("sessions missing") << u"sessions"_s << QByteArray(R"({"nextToken": "x"})")
                                      << u"it has no \"sessions\" list"_s;
    QTest::addRow("sessions null") << u"sessions"_s << QByteArray(R"({"sessions": null})")
                                   << u"it has no \"sessions\" list"_s;
}

void tst_OperationCodec::rejectsMalformedBodies()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, body);
    QFETCH(QString, message);

    const ResourceKind *resourceKind = findResourceKind(kind);
    const OperationCodec codec(*resourceKind);
    for (const ItemDecoding decoding : {ItemDecoding::Json, ItemDecoding::Raw}) {
        const Result<Page> page = codec.decode(body, 7, decoding);
        QVERIFY(!page.ok());
        const AwsError &error = page.error();
        QCOMPARE(error.kind, AwsError::Kind::Decode);
        QCOMPARE(error.page, 7);
        QVERIFY2(error.message.startsWith(u"Page 7 of %1 could not be read: "_s.arg(resourceKind->operation.name)),
            qPrintable(error.message));
        QVERIFY2(error.message.contains(message), qPrintable(error.message));
    }
}

void tst_OperationCodec::survivesDeepNestingAndHugeStrings()
{
    const OperationCodec codec(*findResourceKind(u"images"_s));

    const QByteArray deepList = R"({"Images": [)" + QByteArray(100000, '[') + QByteArray(100000, ']') + "]}";
    Result<Page> page = codec.decode(deepList, 1);
    QVERIFY(!page.ok());
    QCOMPARE(page.error().kind, AwsError::Kind::Decode);

    QByteArray deepObject = R"({"Images": [{"a":)";
    for (int i = 0; i < 50000; ++i)
        deepObject += R"({"a":)";
    deepObject += "1" + QByteArray(50001, '}') + "]}";
    page = codec.decode(deepObject, 1);
    QVERIFY(!page.ok());
    QCOMPARE(page.error().kind, AwsError::Kind::Decode);

    const QByteArray huge(16 * 1024 * 1024, 'x');
    page = codec.decode(R"({"Images": [{"Description": ")" + huge + R"("}]})", 1);
    QVERIFY(page.ok());
    QCOMPARE(page.value().items.at(0)[u"Description"_s].toString().size(), huge.size());
}

void tst_OperationCodec::rawDecodingAgreesWithQt_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("raw"); // whether the page comes back raw (false: simdjson left it to Qt)

    const QString images = u"images"_s;
    QTest::addRow("wire-like page") << images
                                    << imagesBody(R"({"CreationTime":1.751241078698E9,"Description":"Base image",)"
                                                  R"("DisplayName":"Größe 🚀","ImageArn":"arn:aws:sagemaker:us-east-1:)"
                                                  R"(123456789012:image/a","ImageName":"a","ImageStatus":"CREATING",)"
                                                  R"("LastModifiedTime":1751241426.281},{"ImageName":"b"})",
                                           R"(,"NextToken":"tok/+=")")
                                    << true;
    QTest::addRow("escapes") << images
                             << imagesBody(R"({"ImageName":"\u00e9\ud83d\ude80 \" \\ \/ \b\f\n\r\t \u0000 \u2028"})")
                             << true;
    QTest::addRow("csv specials") << images
                                  << imagesBody(R"({"ImageName":"a,b","DisplayName":"say \"hi\"",)"
                                                R"j("Description":"line\nbreak\r\n","FailureReason":"=SUM(A1)"},)j"
                                                R"({"ImageName":"+1","DisplayName":"-1","Description":"@x"})")
                                  << true;
    QTest::addRow("timestamps of every kind")
        << images
        << imagesBody(
               R"({"CreationTime":1714564800,"LastModifiedTime":1714564800.5},)"
               R"({"CreationTime":"2024-05-01T12:00:00.123Z","LastModifiedTime":"Wed, 01 May 2024 12:00:00 GMT"},)"
               R"({"CreationTime":"1714564800","LastModifiedTime":"not a time"},)"
               R"({"CreationTime":1e300,"LastModifiedTime":-62135596801},)"
               R"({"CreationTime":true,"LastModifiedTime":[1714564800]})")
        << true;
    QTest::addRow("huge numbers")
        << images
        << imagesBody(R"({"ImageName":18446744073709551615,"DisplayName":9223372036854775807,)"
                      R"("Description":-9223372036854775808,"FailureReason":1.7976931348623157e308,)"
                      R"("ImageStatus":5e-324,"ImageArn":123456789012345678,"x":1.0,"y":1E2,"z":17145648E9,)"
                      R"("w":-9223372036854775808.0,"v":9223372036854775808.0})")
        << true;
    QTest::addRow("null and missing members")
        << images << imagesBody(R"({"ImageName":null},{},{"DisplayName":null,"CreationTime":null})") << true;
    QTest::addRow("nested values") << images
                                   << imagesBody(R"({"ImageName":{"b":[1,2.5,{"z":null}],"a":"x"},)"
                                                 R"("Description":[true,false,"s",{"k":{}}],"u":{"deep":[[[]]]}})")
                                   << true;
    QTest::addRow("members repeated: the last wins")
        << images
        << QByteArray(R"({"Images":[{"ImageName":"first"}],"NextToken":"a","Images":[{"ImageName":"x",)"
                      R"("ImageName":"y","o":{"k":1,"k":2}}],"NextToken":"b"})")
        << true;
    QTest::addRow("unknown enum value and members")
        << images << imagesBody(R"({"ImageStatus":"SOMETHING_NEW","Future":{"a":1}})", R"(,"Other":[1,"x"])") << true;
    QTest::addRow("empty token") << images << imagesBody({}, R"(,"NextToken":"")") << true;
    QTest::addRow("null token") << images << imagesBody({}, R"(,"NextToken":null)") << true;
    QTest::addRow("no result key") << u"datasets"_s << QByteArray(R"({"nextToken":"t"})") << true;
    QTest::addRow("null result key") << u"datasets"_s << QByteArray(R"({"datasets":null})") << true;
    QTest::addRow("sessions page") << u"sessions"_s
                                   << QByteArray(
                                          R"({"sessions":[{"sessionId":"session-1","startedAt":)"
                                          R"("2024-05-01T12:00:00Z","lifecycleStatus":"STARTED"}],"nextToken":"n"})")
                                   << true;

    // Bodies simdjson refuses or reads differently: Qt's parser decides, as in the JSON mode.
    QTest::addRow("integer beyond 64 bits")
        << images << imagesBody(R"({"ImageName":123456789012345678901234567890})") << false;
    QTest::addRow("zero written as a double") << images << imagesBody(R"({"CreationTime":0.0})") << false;
    QTest::addRow("byte order mark") << images << "\xef\xbb\xbf" + imagesBody(R"({"ImageName":"a"})") << false;
    QTest::addRow("EF bytes that are no byte order mark")
        << images << imagesBody("{\"ImageName\":\"\xef\xbc\x81\xef\xbb\x80\xef\xbf\xbd\"}") << true;
    QTest::addRow("byte order mark opening a string") << images
                                                      << imagesBody("{\"ImageName\":\"\xef\xbb\xbf"
                                                                    "a\"}")
                                                      << false;
    QTest::addRow("byte order mark opening a key")
        << images << imagesBody("{\"\xef\xbb\xbfImageName\":\"a\",\"ImageName\":\"b\"}") << false;
    QTest::addRow("raw tab in a string") << images << imagesBody("{\"ImageName\":\"a\tb\"}") << false;
    QTest::addRow("lone surrogate escape") << images << imagesBody(R"({"ImageName":"\ud800"})") << false;
    QTest::addRow("number with a bare point") << images << imagesBody(R"({"CreationTime":1714564800.})") << false;
    QTest::addRow("deeper than simdjson is asked to go")
        << images << imagesBody(R"({"u":)" + QByteArray(600, '[') + QByteArray(600, ']') + "}") << false;

    // Malformed in both.
    QTest::addRow("underflow") << images << imagesBody(R"({"CreationTime":1e-400})") << false;
    QTest::addRow("underflow in a replaced result key")
        << images << QByteArray(R"({"Images":[{"CreationTime":1e-400}],"Images":[]})") << false;
    QTest::addRow("underflow in an unknown member") << images << imagesBody({}, R"(,"x":[-2e-324])") << false;
    QTest::addRow("overflow") << images << imagesBody(R"({"CreationTime":1e400})") << false;
    QTest::addRow("trailing comma") << images << imagesBody(R"({"ImageName":"a"},)") << false;
    QTest::addRow("garbage after") << images << imagesBody({}) + "x" << false;
    QTest::addRow("nul after") << images << imagesBody({}) + QByteArray(1, '\0') << false;
    QTest::addRow("invalid utf-8") << images << imagesBody("{\"ImageName\":\"\xc0\x80\"}") << false;
    QTest::addRow("too deep") << images << imagesBody(R"({"u":)" + QByteArray(2000, '[') + QByteArray(2000, ']') + "}")
                              << false;
    QTest::addRow("item not an object") << images << imagesBody(R"({},"x")") << false;
    QTest::addRow("result not a list") << images << QByteArray(R"({"Images":{}})") << false;
    QTest::addRow("token a number") << images << imagesBody({}, R"(,"NextToken":1)") << false;
    QTest::addRow("sessions missing") << u"sessions"_s << QByteArray(R"({"nextToken":"x"})") << false;
    QTest::addRow("top-level list") << images << QByteArray("[]") << false;
    QTest::addRow("top-level number") << images << QByteArray("1") << false;
    QTest::addRow("empty") << images << QByteArray() << false;
    QTest::addRow("spaces") << images << QByteArray(" \n") << false;
}

void tst_OperationCodec::rawDecodingAgreesWithQt()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, body);
    QFETCH(bool, raw);

    const OperationCodec codec(*findResourceKind(kind));
    const Result<Page> json = codec.decode(body, 4);
    const Result<Page> decoded = codec.decodeRaw(body, 4);
    QCOMPARE(decoded.ok(), json.ok());
    if (!json.ok()) {
        QCOMPARE(decoded.error().kind, json.error().kind);
        QCOMPARE(decoded.error().code, json.error().code);
        QCOMPARE(decoded.error().page, json.error().page);
        QCOMPARE(decoded.error().message, json.error().message);
        return;
    }
    const Page &expected = json.value();
    const Page &page = decoded.value();
    QVERIFY(!expected.isRaw());
    QCOMPARE(page.isRaw(), raw);
    QCOMPARE(page.itemCount(), expected.itemCount());
    QCOMPARE(page.jsonItems(), expected.items);
    // Integer or double, key order, repeated keys: the serialised form shows any difference.
    QCOMPARE(QJsonDocument(page.jsonItems()).toJson(QJsonDocument::Compact),
        QJsonDocument(expected.items).toJson(QJsonDocument::Compact));
    QCOMPARE(page.nextToken, expected.nextToken);
    QCOMPARE(page.number, 4);
    QCOMPARE(page.bytes, expected.bytes);
}

void tst_OperationCodec::rawItemsAreSharedNotCopied()
{
    const OperationCodec codec(*findResourceKind(u"images"_s));
    Result<Page> decoded = codec.decodeRaw(imagesBody(R"({"ImageName":"a"},{"ImageName":"b"},{"ImageName":"c"})"));
    QVERIFY(decoded.ok());
    Page page = decoded.value();
    QVERIFY(page.isRaw());
    const Page copy = page;
    QCOMPARE(copy.raw.page, page.raw.page);

    // Truncation moves the window of one copy; the parsed body and the other copy stay as they were.
    page.dropFirstItems(1);
    page.keepFirstItems(1);
    QCOMPARE(page.itemCount(), 1);
    QCOMPARE(page.jsonItems(), (QJsonArray {QJsonObject {{u"ImageName"_s, u"b"_s}}}));
    QCOMPARE(copy.itemCount(), 3);
    QCOMPARE(copy.raw.page->size(), 3);
    QCOMPARE(std::string_view(rawItem(copy.raw, 2)["ImageName"].get_string().value()), std::string_view("c"));

    // The codec reuses its buffers: the next body does not disturb pages already decoded.
    QVERIFY(codec.decodeRaw(imagesBody(R"({"ImageName":"zzzzzzzzzzzzzz"})")).ok());
    QCOMPARE(copy.jsonItems().at(0).toObject().value(u"ImageName"_s).toString(), u"a"_s);
}

QTEST_APPLESS_MAIN(tst_OperationCodec)
#include "tst_operationcodec.moc"
