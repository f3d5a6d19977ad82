#include "emulator/emulatorjson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <cmath>

using namespace pagewise;
using namespace Qt::StringLiterals;

class tst_EmulatorJsonWriter : public QObject
{
    Q_OBJECT

private slots:
    void epochSecondsForms_data();
    void epochSecondsForms();
    void epochSecondsParseBackExactly();
    void isoTimestampsMatchQDateTime_data();
    void isoTimestampsMatchQDateTime();
    void stringsRoundTripThroughAJsonParser_data();
    void stringsRoundTripThroughAJsonParser();
    void integersAndIds();
    void growsPastAnyReservation();
};

void tst_EmulatorJsonWriter::epochSecondsForms_data()
{
    QTest::addColumn<qint64>("milliseconds");
    QTest::addColumn<bool>("exponent");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("java form with millis") << qint64(1714564800123) << true << QByteArray("1.714564800123E9");
    QTest::addRow("java form, whole seconds") << qint64(1714568400000) << true << QByteArray("1.7145684E9");
    QTest::addRow("java form, round") << qint64(1000000000000) << true << QByteArray("1.0E9");
    QTest::addRow("java form, trailing zero millis") << qint64(1704067200500) << true << QByteArray("1.7040672005E9");
    QTest::addRow("plain with millis") << qint64(1714564800123) << false << QByteArray("1714564800.123");
    QTest::addRow("plain, trailing zeros dropped") << qint64(1714564800100) << false << QByteArray("1714564800.1");
    QTest::addRow("plain, whole seconds") << qint64(1704067200000) << false << QByteArray("1704067200");
}

void tst_EmulatorJsonWriter::epochSecondsForms()
{
    QFETCH(qint64, milliseconds);
    QFETCH(bool, exponent);
    QFETCH(QByteArray, expected);
    QByteArray out;
    {
        EmulatorJsonWriter json(out);
        json.epochSeconds(milliseconds, exponent);
    }
    QCOMPARE(out, expected);
}

void tst_EmulatorJsonWriter::epochSecondsParseBackExactly()
{
    QRandomGenerator random(7);
    for (int i = 0; i < 2000; ++i) {
        const qint64 ms = 1000000000000LL + qint64(random.bounded(900000000) * 1000LL) + random.bounded(1000);
        for (bool exponent : {false, true}) {
            QByteArray out("[");
            {
                EmulatorJsonWriter json(out);
                json.epochSeconds(ms, exponent);
                json.raw(']');
            }
            const double parsed = QJsonDocument::fromJson(out).array().first().toDouble();
            QCOMPARE(parsed, double(ms) / 1000.0);
            QCOMPARE(qint64(std::llround(parsed * 1000.0)), ms);
        }
    }
}

void tst_EmulatorJsonWriter::isoTimestampsMatchQDateTime_data()
{
    QTest::addColumn<qint64>("milliseconds");
    QTest::addRow("example") << qint64(1714566896789);
    QTest::addRow("whole second") << qint64(1714564800000);
    QTest::addRow("leap day") << QDateTime(QDate(2024, 2, 29), QTime(23, 59, 59, 1), Qt::UTC).toMSecsSinceEpoch();
    QTest::addRow("century") << QDateTime(QDate(2000, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    QTest::addRow("before 1970") << QDateTime(QDate(1969, 12, 31), QTime(23, 59, 59, 500), Qt::UTC).toMSecsSinceEpoch();
}

void tst_EmulatorJsonWriter::isoTimestampsMatchQDateTime()
{
    QFETCH(qint64, milliseconds);
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(milliseconds, Qt::UTC);
    const QString expected
        = time.toString(time.time().msec() ? u"yyyy-MM-ddTHH:mm:ss.zzzZ"_s : u"yyyy-MM-ddTHH:mm:ssZ"_s);
    QCOMPARE(QString::fromLatin1(isoTimestampText(milliseconds)), expected);
    QByteArray out;
    {
        EmulatorJsonWriter json(out);
        json.isoTimestamp(milliseconds);
    }
    QCOMPARE(out, '"' + expected.toLatin1() + '"');
}

void tst_EmulatorJsonWriter::stringsRoundTripThroughAJsonParser_data()
{
    QTest::addColumn<QString>("text");
    QTest::addRow("plain") << u"Base image"_s;
    QTest::addRow("quotes and backslash") << u"say \"hi\" \\ bye"_s;
    QTest::addRow("control characters") << QString::fromUtf8("tab\there\nnew\rline\x01\x1f end");
    QTest::addRow("non-ASCII") << u"Grüße — 数据科学 🚀"_s;
    QTest::addRow("empty") << QString();
}

void tst_EmulatorJsonWriter::stringsRoundTripThroughAJsonParser()
{
    QFETCH(QString, text);
    QByteArray out;
    {
        EmulatorJsonWriter json(out);
        json.raw('{');
        json.key("value", true);
        json.string(text.toUtf8());
        json.raw('}');
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, out.constData());
    QCOMPARE(document.object().value(u"value"_s).toString(), text);
}

void tst_EmulatorJsonWriter::integersAndIds()
{
    QByteArray out;
    {
        EmulatorJsonWriter json(out);
        json.raw('[');
        json.integer(0);
        json.raw(',');
        json.integer(-42);
        json.raw(',');
        json.integer(std::numeric_limits<qint64>::min());
        json.raw(',');
        EmulatorId id {};
        for (int i = 0; i < 16; ++i)
            id[size_t(i)] = quint8(i * 17);
        json.prefixedId("farm-", id);
        json.raw(']');
    }
    QCOMPARE(out, QByteArray("[0,-42,-9223372036854775808,\"farm-00112233445566778899aabbccddeeff\"]"));
    EmulatorId parsed {};
    QVERIFY(parsePrefixedId("farm-00112233445566778899aabbccddeeff", "farm-", &parsed));
    QCOMPARE(parsed[15], quint8(0xff));
    QVERIFY(!parsePrefixedId("farm-00112233445566778899AABBCCDDEEFF", "farm-", &parsed));
    QVERIFY(!parsePrefixedId("queue-00112233445566778899aabbccddeeff", "farm-", &parsed));
    QVERIFY(!parsePrefixedId("farm-00112233445566778899aabbccddeef", "farm-", &parsed));
}

void tst_EmulatorJsonWriter::growsPastAnyReservation()
{
    QByteArray out("prefix:");
    {
        EmulatorJsonWriter json(out);
        for (int i = 0; i < 5000; ++i)
            json.string("abcdefghij");
        json.finish();
        QCOMPARE(out.size(), qsizetype(7 + 5000 * 12));
        json.raw('!'); // writing after finish() continues where it stopped
    }
    QVERIFY(out.startsWith("prefix:\"abcdefghij\""));
    QVERIFY(out.endsWith("\"abcdefghij\"!"));
    QCOMPARE(out.size(), qsizetype(7 + 5000 * 12 + 1));
}

QTEST_APPLESS_MAIN(tst_EmulatorJsonWriter)
#include "tst_emulatorjsonwriter.moc"
