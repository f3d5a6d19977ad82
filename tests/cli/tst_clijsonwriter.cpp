// --format json: the document `aws ... --output json` (AWS CLI v1) prints, byte for byte: items built
// as botocore builds them (the service model's member order, numbers as Python reads them), written
// as Python's json.dump(indent=4, ensure_ascii=False) writes them, page by page.
#include "cli/clijsonwriter.h"
#include "kinds/resourcekind.h"
#include "paging/operationcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QtTest>

using namespace pagewise;

namespace
{

const ResourceKind &kindOf(const char *kindId)
{
    return *findResourceKind(QString::fromLatin1(kindId));
}

/// A page as `pagewise export` gets it: the body decoded raw (simdjson's values, which keep
/// `1714564800` apart from `1.7145648E9`). An empty Page when the body does not decode.
Page rawPage(const char *kindId, const QByteArray &body)
{
    const OperationCodec codec(kindOf(kindId));
    Result<Page> page = codec.decodeRaw(body, 1);
    return page.ok() ? page.value() : Page();
}

/// A page of Qt JSON values (the window's decoding, and bodies the raw decoder leaves to Qt).
Page qtPage(const char *items)
{
    Page page;
    page.items = QJsonDocument::fromJson(items).array();
    return page;
}

QByteArray document(const char *kindId, const QList<Page> &pages, const QString &resumeToken)
{
    CliJsonWriter writer(kindOf(kindId));
    writer.begin();
    for (const Page &page : pages)
        writer.writePage(page);
    writer.finish(resumeToken);
    return writer.output();
}

} // namespace

class tst_CliJsonWriter : public QObject
{
    Q_OBJECT
private slots:
    void floatsAsPythonReprWritesThem_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("python"); // repr(value) from CPython 3.11
        QTest::addRow("fraction") << 1714564800.123 << QByteArray("1714564800.123");
        QTest::addRow("integral") << 1.7145648E9 << QByteArray("1714564800.0");
        QTest::addRow("1e16 switches to exponent") << 1e16 << QByteArray("1e+16");
        QTest::addRow("1e15 stays positional") << 1e15 << QByteArray("1000000000000000.0");
        QTest::addRow("0.0001 positional") << 0.0001 << QByteArray("0.0001");
        QTest::addRow("0.00001 exponent") << 0.00001 << QByteArray("1e-05");
        QTest::addRow("small with digits") << 1.5e-7 << QByteArray("1.5e-07");
        QTest::addRow("negative zero") << -0.0 << QByteArray("-0.0");
        QTest::addRow("big") << 123456789012345678.0 << QByteArray("1.2345678901234568e+17");
        QTest::addRow("0.1") << 0.1 << QByteArray("0.1");
        QTest::addRow("max") << 1.7976931348623157e308 << QByteArray("1.7976931348623157e+308");
        QTest::addRow("denormal") << 5e-324 << QByteArray("5e-324");
        QTest::addRow("negative") << -1234.5 << QByteArray("-1234.5");
        QTest::addRow("16 digits") << 9999999999999998.0 << QByteArray("9999999999999998.0");
    }

    void floatsAsPythonReprWritesThem()
    {
        QFETCH(double, value);
        QFETCH(QByteArray, python);
        QByteArray out;
        CliJsonWriter::appendPythonFloat(value, out);
        QCOMPARE(out, python);
    }

    void stringsAsJsonDumpsWritesThem()
    {
        const QString text = QStringLiteral("a\"b\\c\nd\te\u0001f\u00e9\u2028/");
        const QByteArray python("\"a\\\"b\\\\c\\nd\\te\\u0001f\xc3\xa9\xe2\x80\xa8/\"");
        QByteArray out;
        CliJsonWriter::appendString(text, out);
        QCOMPARE(out, python);
        out.clear();
        const QByteArray utf8 = text.toUtf8();
        CliJsonWriter::appendUtf8String(std::string_view(utf8.constData(), size_t(utf8.size())), out);
        QCOMPARE(out, python);
    }

    // What the emulator and services send, and what `print(json.dumps(json.loads(wire)))` prints
    // (CPython 3.11): Python keeps a number without fraction or exponent an int.
    void numbersAsPythonReadsAndWritesThem_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QByteArray>("python");
        QTest::addRow("bare integer") << QByteArray("1714564800") << QByteArray("1714564800");
        QTest::addRow("E-notation, as AWS sends") << QByteArray("1.7145648E9") << QByteArray("1714564800.0");
        QTest::addRow("E-notation with millis") << QByteArray("1.714564800123E9") << QByteArray("1714564800.123");
        QTest::addRow("point zero") << QByteArray("1714564800.0") << QByteArray("1714564800.0");
        QTest::addRow("integral mantissa, exponent") << QByteArray("17145648e2") << QByteArray("1714564800.0");
        QTest::addRow("trailing zero") << QByteArray("12.50") << QByteArray("12.5");
        QTest::addRow("E+2") << QByteArray("1E+2") << QByteArray("100.0");
        QTest::addRow("zero") << QByteArray("0") << QByteArray("0");
        QTest::addRow("negative zero integer") << QByteArray("-0") << QByteArray("0");
        QTest::addRow("above 2^53, exact") << QByteArray("9007199254740993") << QByteArray("9007199254740993");
        QTest::addRow("above qint64") << QByteArray("18446744073709551615") << QByteArray("18446744073709551615");
        QTest::addRow("1e16") << QByteArray("1e16") << QByteArray("1e+16");
        QTest::addRow("small") << QByteArray("-1.5E-7") << QByteArray("-1.5e-07");
        QTest::addRow("ISO string") << QByteArray("\"2024-05-01T12:00:00Z\"") << QByteArray("\"2024-05-01T12:00:00Z\"");
    }

    void numbersAsPythonReadsAndWritesThem()
    {
        QFETCH(QByteArray, wire);
        QFETCH(QByteArray, python);
        const Page page = rawPage("datasets", "{\"datasets\":[{\"creationDateTime\":" + wire + ",\"name\":\"n\"}]}");
        QVERIFY(page.isRaw());
        QCOMPARE(document("datasets", {page}, {}),
            "{\n    \"datasets\": [\n        {\n            \"name\": \"n\",\n            \"creationDateTime\": "
                + python + "\n        }\n    ]\n}\n");
    }

    // Each expected document is what botocore 1.43's parser (the CLI's identity timestamp parser)
    // and json.dumps(indent=4, ensure_ascii=False) make of the same bodies.
    void documentAsTheAwsCliPrintsIt_data()
    {
        QTest::addColumn<QByteArray>("kindId");
        QTest::addColumn<QByteArrayList>("bodies");
        QTest::addColumn<QString>("resumeToken");
        QTest::addColumn<QByteArray>("expected");

        // Members in no particular order, E-notation and a bare integer, an unmodeled member, a
        // null one, a repeated one (the last value counts); --max-items stopped early.
        QTest::addRow("images")
            << QByteArray("images")
            << QByteArrayList {"{\"Images\":[{\"LastModifiedTime\":1.7145684E9,\"Unmodeled\":1,\"ImageStatus\":"
                               "\"CREATED\",\"ImageName\":\"base-py\",\"ImageArn\":\"arn:aws:sagemaker:us-east-1:"
                               "123456789012:image/base-py\",\"DisplayName\":\"Base Py\",\"Description\":\"Team "
                               "base image\",\"CreationTime\":1.714564800123E9}],\"NextToken\":\"T2\"}",
                   "{\"Images\":[{\"CreationTime\":1704067200,\"ImageArn\":\"arn:aws:sagemaker:us-east-1:"
                   "123456789012:image/legacy-r\",\"ImageName\":\"legacy-r\",\"ImageStatus\":\"UPDATE_FAILED\","
                   "\"FailureReason\":\"Role not assumable\",\"LastModifiedTime\":1.7041536E9,\"Description\":"
                   "null,\"ImageName\":\"legacy-r2\"}]}"}
            << QStringLiteral("eyJOZXh0VG9rZW4iOiAiVDIifQ==")
            << QByteArray("{\n"
                          "    \"Images\": [\n"
                          "        {\n"
                          "            \"CreationTime\": 1714564800.123,\n"
                          "            \"Description\": \"Team base image\",\n"
                          "            \"DisplayName\": \"Base Py\",\n"
                          "            \"ImageArn\": \"arn:aws:sagemaker:us-east-1:123456789012:image/base-py\",\n"
                          "            \"ImageName\": \"base-py\",\n"
                          "            \"ImageStatus\": \"CREATED\",\n"
                          "            \"LastModifiedTime\": 1714568400.0\n"
                          "        },\n"
                          "        {\n"
                          "            \"CreationTime\": 1704067200,\n"
                          "            \"FailureReason\": \"Role not assumable\",\n"
                          "            \"ImageArn\": \"arn:aws:sagemaker:us-east-1:123456789012:image/legacy-r\",\n"
                          "            \"ImageName\": \"legacy-r2\",\n"
                          "            \"ImageStatus\": \"UPDATE_FAILED\",\n"
                          "            \"LastModifiedTime\": 1704153600.0\n"
                          "        }\n"
                          "    ],\n"
                          "    \"NextToken\": \"eyJOZXh0VG9rZW4iOiAiVDIifQ==\"\n"
                          "}\n");
        // Members in reverse order, an item without any.
        QTest::addRow("datasets")
            << QByteArray("datasets")
            << QByteArrayList {"{\"datasets\":[{\"lastUpdatedDateTime\":1714568400,\"creationDateTime\":"
                               "1714564800.5,\"status\":\"ACTIVE\",\"datasetType\":\"Interactions\",\"datasetArn\":"
                               "\"arn:aws:personalize:us-west-2:123456789012:dataset/shop/INTERACTIONS\",\"name\":"
                               "\"shop-interactions\"},{}]}"}
            << QString()
            << QByteArray("{\n"
                          "    \"datasets\": [\n"
                          "        {\n"
                          "            \"name\": \"shop-interactions\",\n"
                          "            \"datasetArn\": "
                          "\"arn:aws:personalize:us-west-2:123456789012:dataset/shop/INTERACTIONS\",\n"
                          "            \"datasetType\": \"Interactions\",\n"
                          "            \"status\": \"ACTIVE\",\n"
                          "            \"creationDateTime\": 1714564800.5,\n"
                          "            \"lastUpdatedDateTime\": 1714568400\n"
                          "        },\n"
                          "        {}\n"
                          "    ]\n"
                          "}\n");
        // rest-json with ISO 8601 timestamps: strings, as sent.
        QTest::addRow("sessions")
            << QByteArray("sessions")
            << QByteArrayList {"{\"sessions\":[{\"updatedBy\":\"arn:aws:sts::123456789012:assumed-role/R/s\","
                               "\"updatedAt\":\"2024-05-01T12:40:00Z\",\"targetLifecycleStatus\":\"ENDED\","
                               "\"endedAt\":\"2024-05-01T12:34:56.789Z\",\"lifecycleStatus\":\"ENDED\",\"startedAt\":"
                               "\"2024-05-01T12:00:00Z\",\"workerId\":\"worker-0123456789abcdef0123456789abcdef\","
                               "\"fleetId\":\"fleet-0123456789abcdef0123456789abcdef\",\"sessionId\":"
                               "\"session-0123456789abcdef0123456789abcdef\"}]}"}
            << QString()
            << QByteArray("{\n"
                          "    \"sessions\": [\n"
                          "        {\n"
                          "            \"sessionId\": \"session-0123456789abcdef0123456789abcdef\",\n"
                          "            \"fleetId\": \"fleet-0123456789abcdef0123456789abcdef\",\n"
                          "            \"workerId\": \"worker-0123456789abcdef0123456789abcdef\",\n"
                          "            \"startedAt\": \"2024-05-01T12:00:00Z\",\n"
                          "            \"lifecycleStatus\": \"ENDED\",\n"
                          "            \"endedAt\": \"2024-05-01T12:34:56.789Z\",\n"
                          "            \"targetLifecycleStatus\": \"ENDED\",\n"
                          "            \"updatedAt\": \"2024-05-01T12:40:00Z\",\n"
                          "            \"updatedBy\": \"arn:aws:sts::123456789012:assumed-role/R/s\"\n"
                          "        }\n"
                          "    ]\n"
                          "}\n");
    }

    void documentAsTheAwsCliPrintsIt()
    {
        QFETCH(QByteArray, kindId);
        QFETCH(QByteArrayList, bodies);
        QFETCH(QString, resumeToken);
        QFETCH(QByteArray, expected);
        QList<Page> pages;
        for (const QByteArray &body : bodies) {
            pages << rawPage(kindId.constData(), body);
            QVERIFY(pages.last().isRaw());
        }
        QCOMPARE(document(kindId.constData(), pages, resumeToken), expected);
    }

    void emptyListing()
    {
        QCOMPARE(document("datasets", {}, {}), QByteArray("{\n    \"datasets\": []\n}\n"));
        QCOMPARE(document("sessions", {Page()}, {}), QByteArray("{\n    \"sessions\": []\n}\n"));
        const Page empty = rawPage("images", "{\"Images\":[]}");
        QVERIFY(empty.isRaw());
        QCOMPARE(document("images", {empty}, QStringLiteral("tok")),
            QByteArray("{\n    \"Images\": [],\n    \"NextToken\": \"tok\"\n}\n"));
    }

    void qtValuesKeepTheModelOrderAndWriteTimestampsAsFloats()
    {
        // Qt's values do not say whether 1704067200 came as an integer: a timestamp is written as the
        // float AWS services send.
        const Page page = qtPage("[{\"LastModifiedTime\":1.7041536E9,\"ImageName\":\"legacy-r\",\"CreationTime\":"
                                 "1704067200,\"Description\":null,\"Unmodeled\":1}]");
        QCOMPARE(document("images", {page}, {}),
            QByteArray("{\n"
                       "    \"Images\": [\n"
                       "        {\n"
                       "            \"CreationTime\": 1704067200.0,\n"
                       "            \"ImageName\": \"legacy-r\",\n"
                       "            \"LastModifiedTime\": 1704153600.0\n"
                       "        }\n"
                       "    ]\n"
                       "}\n"));
    }

    void formattingMatchesPython()
    {
        // Python reading the same bodies and dumping what botocore keeps of each item must give the
        // same bytes (layout, escapes, ints and floats of every magnitude).
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            QSKIP("python3 is not installed; the byte-for-byte comparison with json.dumps needs it");
        const QByteArray awkward = "{\"datasets\":[{\"name\":\"shop \\\"quoted\\\" \\\\ tab\\t nl\\n uni é ☃ ctl "
                                   "\\u0007 \\u00e9 \\ud83d\\ude00\",\"datasetArn\":\"arn:aws:personalize:x:1:dataset/"
                                   "a\",\"datasetType\":\"Interactions\",\"status\":\"CREATE PENDING\","
                                   "\"creationDateTime\":1.7145648E9,\"lastUpdatedDateTime\":0.000012345},"
                                   "{\"name\":\"big\",\"creationDateTime\":1e300,\"lastUpdatedDateTime\":-1}]}";
        // Plus timestamps of every magnitude, as floats and as integers.
        QByteArray many = "{\"datasets\":[";
        double value = 1.0e-7;
        for (int i = 0; i < 400; ++i) {
            value *= 1.37;
            if (i > 0)
                many += ',';
            many += "{\"lastUpdatedDateTime\":" + QByteArray::number(-value / 3, 'g', 17) + ",\"creationDateTime\":"
                + QByteArray::number(value, 'g', 17 - i % 5) + ",\"name\":\"" + QByteArray::number(i) + "\"";
            // Integers where a string is modeled: botocore passes them on as Python ints.
            if (value < 1e18)
                many += ",\"status\":" + QByteArray::number(qint64(value) * (i % 2 ? 1 : -1));
            many += '}';
        }
        many += "]}";
        const QByteArrayList bodies {awkward, many, awkward};
        QList<Page> pages;
        for (const QByteArray &body : bodies) {
            pages << rawPage("datasets", body);
            QVERIFY(pages.last().isRaw());
        }
        const QByteArray out = document("datasets", pages, QStringLiteral("tok/+="));

        QTemporaryFile input;
        QVERIFY(input.open());
        input.write(bodies.join('\n'));
        input.close();
        QProcess process;
        process.start(python,
            QStringList {QStringLiteral("-c"),
                QStringLiteral("import json,sys\n"
                               "members = sys.argv[2:]\n"
                               "items = []\n"
                               "for line in open(sys.argv[1], encoding='utf-8'):\n"
                               "    for item in json.loads(line)['datasets']:\n"
                               "        items.append({m: item[m] for m in members if item.get(m) is not None})\n"
                               "doc = {'datasets': items, 'NextToken': 'tok/+='}\n"
                               "sys.stdout.buffer.write((json.dumps(doc, indent=4, ensure_ascii=False) + "
                               "'\\n').encode())\n"),
                input.fileName()}
                + kindOf("datasets").operation.itemMembers);
        QVERIFY(process.waitForFinished());
        QCOMPARE(process.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(out), QString::fromUtf8(process.readAllStandardOutput()));
    }
};

QTEST_APPLESS_MAIN(tst_CliJsonWriter)
#include "tst_clijsonwriter.moc"
