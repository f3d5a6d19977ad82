// --format json: the document `aws ... --output json` prints, written as Python's json.dump(indent=4,
// ensure_ascii=False) writes it, page by page.
#include "cli/clijsonwriter.h"
#include "kinds/resourcekind.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

using namespace pagewise;

namespace
{

Page pageFromWire(const char *json)
{
    Page page;
    page.items = QJsonDocument::fromJson(json).array();
    return page;
}

QByteArray document(const char *kindId, const QList<Page> &pages, const QString &resumeToken)
{
    CliJsonWriter writer(*findResourceKind(QString::fromLatin1(kindId)));
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
        QByteArray out;
        CliJsonWriter::appendString(u"a\"b\\c\nd\te\u0001f\u00e9\u2028/", out);
        QCOMPARE(out, QByteArray("\"a\\\"b\\\\c\\nd\\te\\u0001f\xc3\xa9\xe2\x80\xa8/\""));
    }

    void imagesDocument()
    {
        // Given two pages as SageMaker sends them (epoch seconds, E-notation, an unmodeled member)
        const Page first = pageFromWire(
            "[{\"CreationTime\":1.714564800123E9,\"Description\":\"Team base image\",\"DisplayName\":\"Base Py\","
            "\"ImageArn\":\"arn:aws:sagemaker:us-east-1:123456789012:image/base-py\",\"ImageName\":\"base-py\","
            "\"ImageStatus\":\"CREATED\",\"LastModifiedTime\":1.7145684E9,\"Unmodeled\":1}]");
        const Page second = pageFromWire(
            "[{\"CreationTime\":1704067200,\"ImageArn\":\"arn:aws:sagemaker:us-east-1:123456789012:image/legacy-r\","
            "\"ImageName\":\"legacy-r\",\"ImageStatus\":\"UPDATE_FAILED\",\"FailureReason\":\"Role not assumable\","
            "\"LastModifiedTime\":1.7041536E9,\"Description\":null}]");
        // When written with a resume token
        const QByteArray out = document("images", {first, second}, QStringLiteral("eyJOZXh0VG9rZW4iOiAiVDIifQ=="));
        // Then it is the CLI's document: result key, items with modeled members only, timestamps as
        // Python floats, NextToken last.
        const QByteArray expected
            = "{\n"
              "    \"Images\": [\n"
              "        {\n"
              "            \"ImageName\": \"base-py\",\n"
              "            \"DisplayName\": \"Base Py\",\n"
              "            \"ImageStatus\": \"CREATED\",\n"
              "            \"CreationTime\": 1714564800.123,\n"
              "            \"LastModifiedTime\": 1714568400.0,\n"
              "            \"Description\": \"Team base image\",\n"
              "            \"ImageArn\": \"arn:aws:sagemaker:us-east-1:123456789012:image/base-py\"\n"
              "        },\n"
              "        {\n"
              "            \"ImageName\": \"legacy-r\",\n"
              "            \"ImageStatus\": \"UPDATE_FAILED\",\n"
              "            \"CreationTime\": 1704067200.0,\n"
              "            \"LastModifiedTime\": 1704153600.0,\n"
              "            \"ImageArn\": \"arn:aws:sagemaker:us-east-1:123456789012:image/legacy-r\",\n"
              "            \"FailureReason\": \"Role not assumable\"\n"
              "        }\n"
              "    ],\n"
              "    \"NextToken\": \"eyJOZXh0VG9rZW4iOiAiVDIifQ==\"\n"
              "}\n"
              "";
        QCOMPARE(out, expected);
    }

    void emptyListing()
    {
        QCOMPARE(document("datasets", {}, {}), QByteArray("{\n    \"datasets\": []\n}\n"));
        QCOMPARE(document("sessions", {Page()}, {}), QByteArray("{\n    \"sessions\": []\n}\n"));
    }

    void sessionTimestampsStayStrings()
    {
        const Page page = pageFromWire("[{\"sessionId\":\"session-0123456789abcdef0123456789abcdef\","
                                       "\"fleetId\":\"fleet-0123456789abcdef0123456789abcdef\","
                                       "\"workerId\":\"worker-0123456789abcdef0123456789abcdef\","
                                       "\"startedAt\":\"2024-05-01T12:00:00Z\",\"lifecycleStatus\":\"ENDED\","
                                       "\"endedAt\":\"2024-05-01T12:34:56.789Z\"}]");
        const QByteArray out = document("sessions", {page}, {});
        QVERIFY2(out.contains("\"startedAt\": \"2024-05-01T12:00:00Z\",\n"), out.constData());
        QVERIFY2(out.contains("\"endedAt\": \"2024-05-01T12:34:56.789Z\",\n"), out.constData());
    }

    void formattingMatchesPython()
    {
        // Python re-dumping our document must give the same bytes (same layout, escapes, numbers).
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            QSKIP("python3 is not installed; the byte-for-byte comparison with json.dumps needs it");
        const Page page = pageFromWire("[{\"name\":\"shop \\\"quoted\\\" \\\\ tab\\t nl\\n uni é ☃ ctl \\u0007\","
                                       "\"datasetArn\":\"arn:aws:personalize:x:1:dataset/a\","
                                       "\"datasetType\":\"Interactions\",\"status\":\"CREATE PENDING\","
                                       "\"creationDateTime\":1.7145648E9,\"lastUpdatedDateTime\":0.000012345},"
                                       "{\"name\":\"big\",\"creationDateTime\":1e300,\"lastUpdatedDateTime\":-0.0}]");
        // Plus timestamps of every magnitude, as services send them.
        Page many;
        double value = 1.0e-7;
        for (int i = 0; i < 400; ++i) {
            value *= 1.37;
            many.items.append(QJsonObject {{QStringLiteral("name"), QString::number(i)},
                {QStringLiteral("creationDateTime"), value}, {QStringLiteral("lastUpdatedDateTime"), -value / 3}});
        }
        const QByteArray out = document("datasets", {page, many, page}, QStringLiteral("tok/+="));
        QProcess process;
        process.start(python,
            {QStringLiteral("-c"),
                QStringLiteral("import json,sys; d=json.load(sys.stdin); "
                               "sys.stdout.write(json.dumps(d, indent=4, ensure_ascii=False) + '\\n')")});
        QVERIFY(process.waitForStarted());
        process.write(out);
        process.closeWriteChannel();
        QVERIFY(process.waitForFinished());
        QCOMPARE(process.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(out));
    }
};

QTEST_APPLESS_MAIN(tst_CliJsonWriter)
#include "tst_clijsonwriter.moc"
