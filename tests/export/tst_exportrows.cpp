#include "export/csvwriter.h"
#include "export/exportrows.h"
#include "kinds/resourcekind.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace pagewise;

namespace
{

const ResourceKind &kind(const char *id)
{
    const ResourceKind *found = findResourceKind(QString::fromLatin1(id));
    if (!found)
        qFatal("no resource kind %s", id);
    return *found;
}

ColumnSpec column(ValueType type)
{
    ColumnSpec spec;
    spec.member = QStringLiteral("m");
    spec.type = type;
    return spec;
}

// botocore's str() of a datetime ("2024-05-01 12:00:00.123000+00:00") as the export writes it.
QString isoFromBotocoreText(QString text)
{
    text.replace(u' ', u'T');
    text.replace(QStringLiteral("+00:00"), QStringLiteral("Z"));
    static const QRegularExpression micros(QStringLiteral("\\.(\\d{3})\\d{3}Z$"));
    text.replace(micros, QStringLiteral(".\\1Z"));
    text.replace(QStringLiteral(".000Z"), QStringLiteral("Z"));
    return text;
}

} // namespace

class tst_ExportRows : public QObject
{
    Q_OBJECT

private slots:
    void allColumnsByDefault();
    void chosenColumnsInGivenOrder();
    void unknownOrRepeatedColumnIsAnError();
    void cellText_data();
    void cellText();
    void writesHeaderAndRows();
    void matchesBotocoreParsedResponses_data();
    void matchesBotocoreParsedResponses();
};

void tst_ExportRows::allColumnsByDefault()
{
    for (const ResourceKind &k : resourceKinds()) {
        QString error;
        const auto columns = exportColumns(k, {}, &error);
        QVERIFY2(columns, qPrintable(error));
        QCOMPARE(columns->size(), k.columns.size());
        QStringList members;
        for (const ColumnSpec &c : k.columns)
            members.append(c.member);
        QCOMPARE(exportHeader(*columns), members);
    }
}

void tst_ExportRows::chosenColumnsInGivenOrder()
{
    QString error;
    const auto columns
        = exportColumns(kind("images"), {QStringLiteral("creationtime"), QStringLiteral("ImageName")}, &error);
    QVERIFY2(columns, qPrintable(error));
    QCOMPARE(exportHeader(*columns), (QStringList {QStringLiteral("CreationTime"), QStringLiteral("ImageName")}));
    QCOMPARE(columns->first().type, ValueType::Timestamp);
}

void tst_ExportRows::unknownOrRepeatedColumnIsAnError()
{
    QString error;
    QVERIFY(!exportColumns(kind("sessions"), {QStringLiteral("sessionId"), QStringLiteral("nope")}, &error));
    QVERIFY2(error.contains(QStringLiteral("\"nope\"")), qPrintable(error));
    QVERIFY2(
        error.contains(QStringLiteral("sessionId")) && error.contains(QStringLiteral("updatedBy")), qPrintable(error));

    error.clear();
    QVERIFY(!exportColumns(kind("sessions"), {QStringLiteral("sessionId"), QStringLiteral("SESSIONID")}, &error));
    QVERIFY2(error.contains(QStringLiteral("more than once")), qPrintable(error));
}

void tst_ExportRows::cellText_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("expected");
    const int timestamp = int(ValueType::Timestamp);
    const int text = int(ValueType::Text);
    const int integer = int(ValueType::Integer);
    auto wire = [](const char *json) { return QJsonDocument::fromJson(QByteArray("[") + json + "]").array().at(0); };

    QTest::addRow("epoch exponent") << timestamp << wire("1.714564800123E9")
                                    << QStringLiteral("2024-05-01T12:00:00.123Z");
    QTest::addRow("epoch whole") << timestamp << wire("1.7145684E9") << QStringLiteral("2024-05-01T13:00:00Z");
    QTest::addRow("iso millis") << timestamp << QJsonValue(QStringLiteral("2024-05-01T12:34:56.789Z"))
                                << QStringLiteral("2024-05-01T12:34:56.789Z");
    QTest::addRow("iso offset to UTC") << timestamp << QJsonValue(QStringLiteral("2024-05-01T14:00:00+02:00"))
                                       << QStringLiteral("2024-05-01T12:00:00Z");
    QTest::addRow("not a timestamp kept") << timestamp << QJsonValue(QStringLiteral("soon")) << QStringLiteral("soon");
    QTest::addRow("null timestamp") << timestamp << QJsonValue() << QString();
    QTest::addRow("absent") << text << QJsonValue(QJsonValue::Undefined) << QString();
    QTest::addRow("null") << text << QJsonValue() << QString();
    QTest::addRow("text") << text << QJsonValue(QStringLiteral("base, \"py\"")) << QStringLiteral("base, \"py\"");
    QTest::addRow("text not parsed as time")
        << text << QJsonValue(QStringLiteral("1714564800")) << QStringLiteral("1714564800");
    QTest::addRow("integer") << integer << wire("5") << QStringLiteral("5");
    QTest::addRow("large integer") << integer << wire("1714564800123") << QStringLiteral("1714564800123");
    QTest::addRow("fraction") << text << wire("1.5") << QStringLiteral("1.5");
    QTest::addRow("shortest double") << text << wire("0.1") << QStringLiteral("0.1");
    QTest::addRow("bool") << text << QJsonValue(true) << QStringLiteral("true");
    QTest::addRow("object") << text << wire(R"({"a": [1, "x"]})") << QStringLiteral(R"({"a":[1,"x"]})");
    QTest::addRow("array") << text << wire(R"(["a", "b"])") << QStringLiteral(R"(["a","b"])");
}

void tst_ExportRows::cellText()
{
    QFETCH(int, type);
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);
    QCOMPARE(exportCellText(column(ValueType(type)), value), expected);
}

void tst_ExportRows::writesHeaderAndRows()
{
    const auto columns = exportColumns(kind("images"),
        {QStringLiteral("ImageName"), QStringLiteral("CreationTime"), QStringLiteral("FailureReason"),
            QStringLiteral("Description")},
        nullptr);
    QVERIFY(columns);
    const QJsonArray items = QJsonDocument::fromJson(R"([
        {"ImageName": "base-py", "CreationTime": 1.714564800123E9, "Description": "=cmd|' /C calc'!A0"},
        {"ImageName": "legacy-r", "CreationTime": 1.7040672E9, "FailureReason": "Role, not assumable"}
    ])")
                                 .array();

    QByteArray out;
    CsvWriter writer(&out);
    writeExportHeader(writer, *columns);
    writeExportRows(writer, *columns, items);
    QCOMPARE(out,
        QByteArray("ImageName,CreationTime,FailureReason,Description\r\n"
                   "base-py,2024-05-01T12:00:00.123Z,,'=cmd|' /C calc'!A0\r\n"
                   "legacy-r,2024-01-01T00:00:00Z,\"Role, not assumable\",\r\n"));
    QCOMPARE(writer.rowsWritten(), 3);
}

void tst_ExportRows::matchesBotocoreParsedResponses_data()
{
    QTest::addColumn<QJsonObject>("example");
    const QString shared = qEnvironmentVariable("PAGEWISE_SHARED_DIR");
    QFile file(shared + QStringLiteral("/aws-models/botocore-wire-examples.json"));
    if (shared.isEmpty() || !file.open(QIODevice::ReadOnly))
        return;
    const QJsonArray examples = QJsonDocument::fromJson(file.readAll()).object().value(u"examples").toArray();
    for (const QJsonValue &example : examples) {
        if (example[u"botocore_exception"].isNull())
            QTest::addRow("%s", qPrintable(example[u"name"].toString())) << example.toObject();
    }
}

// Each item of a successful wire example, exported, equals what botocore parsed from it.
void tst_ExportRows::matchesBotocoreParsedResponses()
{
    if (!QFileInfo::exists(
            qEnvironmentVariable("PAGEWISE_SHARED_DIR") + QStringLiteral("/aws-models/botocore-wire-examples.json")))
        QSKIP("PAGEWISE_SHARED_DIR/aws-models/botocore-wire-examples.json not found: set PAGEWISE_SHARED_DIR to the "
              "reference material");
    QFETCH(QJsonObject, example);

    const ResourceKind *match = nullptr;
    for (const ResourceKind &k : resourceKinds()) {
        if (k.service.signingName == example[u"service"].toString())
            match = &k;
    }
    QVERIFY(match);
    const QJsonObject body = QJsonDocument::fromJson(example[u"response"][u"body"].toString().toUtf8()).object();
    const QJsonArray items = body.value(match->pagination.resultKey).toArray();
    const QJsonArray parsed = example[u"botocore_parsed"][match->pagination.resultKey].toArray();
    QVERIFY(!items.isEmpty());
    QCOMPARE(items.size(), parsed.size());

    const QList<ColumnSpec> columns = *exportColumns(*match, {}, nullptr);
    QStringList cells;
    for (qsizetype i = 0; i < items.size(); ++i) {
        exportItemCells(columns, items[i].toObject(), cells);
        const QJsonObject reference = parsed[i].toObject();
        for (qsizetype c = 0; c < columns.size(); ++c) {
            const QJsonValue value = reference.value(columns[c].member);
            QString expected = value.toString();
            if (columns[c].type == ValueType::Timestamp && value.isString())
                expected = isoFromBotocoreText(expected);
            QCOMPARE(cells[c], expected);
        }
    }
}

QTEST_APPLESS_MAIN(tst_ExportRows)
#include "tst_exportrows.moc"
