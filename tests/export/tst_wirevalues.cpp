#include "export/wirevalues.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>

#include <limits>

using namespace pagewise;
using namespace Qt::StringLiterals;

namespace
{

qint64 utcMs(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC).toMSecsSinceEpoch();
}

// A JSON value as it comes out of a response body, so numbers keep their wire spelling.
QJsonValue wire(const char *json)
{
    return QJsonDocument::fromJson(QByteArray("[") + json + "]").array().at(0);
}

} // namespace

class tst_WireValues : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void parseOtherJsonTypes();
    void formatIsoUtc_data();
    void formatIsoUtc();
    void formatAgreesWithQDateTime();
    void formatsEveryDay();
    void epochSecondsToMs_data();
    void epochSecondsToMs();
    void matchesBotocore();
};

void tst_WireValues::parse_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("expected");

    const qint64 noon = utcMs(2024, 5, 1, 12);
    // Epoch seconds as the JSON protocols send them.
    QTest::addRow("exponent with millis") << wire("1.714564800123E9") << true << noon + 123;
    QTest::addRow("exponent whole") << wire("1.7145684E9") << true << utcMs(2024, 5, 1, 13);
    QTest::addRow("integer seconds") << wire("1704067200") << true << utcMs(2024, 1, 1);
    QTest::addRow("fraction") << wire("1714564800.5") << true << noon + 500;
    QTest::addRow("lower-case exponent") << wire("1.7145648e+9") << true << noon;
    QTest::addRow("microseconds dropped, not rounded") << wire("1714564800.1239") << true << noon + 123;
    QTest::addRow("epoch") << wire("0") << true << qint64(0);
    QTest::addRow("before epoch") << wire("-1.5") << true << qint64(-1500);
    QTest::addRow("numeric string") << QJsonValue(QStringLiteral("1714564800")) << true << noon;
    QTest::addRow("numeric string exponent") << QJsonValue(QStringLiteral(" 1.714564800123E9 ")) << true << noon + 123;
    QTest::addRow("numeric string plus") << QJsonValue(QStringLiteral("+1714564800")) << true << noon;
    // ISO 8601 / RFC 3339.
    QTest::addRow("iso Z") << QJsonValue(QStringLiteral("2024-05-01T12:00:00Z")) << true << noon;
    QTest::addRow("iso millis") << QJsonValue(QStringLiteral("2024-05-01T12:34:56.789Z")) << true
                                << utcMs(2024, 5, 1, 12, 34, 56, 789);
    QTest::addRow("iso one fraction digit")
        << QJsonValue(QStringLiteral("2024-05-01T12:00:00.1Z")) << true << noon + 100;
    QTest::addRow("iso nanoseconds") << QJsonValue(QStringLiteral("2024-05-01T12:00:00.123456789Z")) << true
                                     << noon + 123;
    QTest::addRow("iso comma fraction") << QJsonValue(QStringLiteral("2024-05-01T12:00:00,5Z")) << true << noon + 500;
    QTest::addRow("iso plus offset") << QJsonValue(QStringLiteral("2024-05-01T14:00:00+02:00")) << true << noon;
    QTest::addRow("iso minus offset") << QJsonValue(QStringLiteral("2024-05-01T10:30:00-01:30")) << true << noon;
    QTest::addRow("iso compact offset") << QJsonValue(QStringLiteral("2024-05-01T14:00:00+0200")) << true << noon;
    QTest::addRow("iso hour offset") << QJsonValue(QStringLiteral("2024-05-01T14:00:00+02")) << true << noon;
    QTest::addRow("iso offset across midnight")
        << QJsonValue(QStringLiteral("2024-05-02T01:00:00+13:00")) << true << noon;
    QTest::addRow("iso zero offset") << QJsonValue(QStringLiteral("2024-05-01T12:00:00+00:00")) << true << noon;
    QTest::addRow("iso lower-case") << QJsonValue(QStringLiteral("2024-05-01t12:00:00z")) << true << noon;
    QTest::addRow("iso no zone is UTC") << QJsonValue(QStringLiteral("2024-05-01T12:00:00")) << true << noon;
    QTest::addRow("iso space separator") << QJsonValue(QStringLiteral("2024-05-01 12:00:00.123+00:00")) << true
                                         << noon + 123;
    QTest::addRow("iso no seconds") << QJsonValue(QStringLiteral("2024-05-01T12:00Z")) << true << noon;
    QTest::addRow("iso date only") << QJsonValue(QStringLiteral("2024-05-01")) << true << utcMs(2024, 5, 1);
    QTest::addRow("iso basic") << QJsonValue(QStringLiteral("20240501T120000Z")) << true << noon;
    QTest::addRow("leap day") << QJsonValue(QStringLiteral("2024-02-29T00:00:00Z")) << true << utcMs(2024, 2, 29);
    QTest::addRow("year 1") << QJsonValue(QStringLiteral("0001-01-01T00:00:00Z")) << true << utcMs(1, 1, 1);
    QTest::addRow("year 9999") << QJsonValue(QStringLiteral("9999-12-31T23:59:59.999Z")) << true
                               << utcMs(9999, 12, 31, 23, 59, 59, 999);
    // RFC 822 / HTTP date.
    QTest::addRow("rfc 822 GMT") << QJsonValue(QStringLiteral("Wed, 01 May 2024 12:00:00 GMT")) << true << noon;
    QTest::addRow("rfc 822 offset") << QJsonValue(QStringLiteral("Wed, 01 May 2024 14:00:00 +0200")) << true << noon;
    QTest::addRow("rfc 822 no weekday") << QJsonValue(QStringLiteral("1 May 2024 12:00:00 UTC")) << true << noon;
    // Not timestamps.
    QTest::addRow("garbage") << QJsonValue(QStringLiteral("yesterday")) << false << qint64(0);
    QTest::addRow("empty") << QJsonValue(QString()) << false << qint64(0);
    QTest::addRow("spaces") << QJsonValue(QStringLiteral("   ")) << false << qint64(0);
    QTest::addRow("month 13") << QJsonValue(QStringLiteral("2024-13-01T00:00:00Z")) << false << qint64(0);
    QTest::addRow("february 30") << QJsonValue(QStringLiteral("2024-02-30T00:00:00Z")) << false << qint64(0);
    QTest::addRow("not a leap year") << QJsonValue(QStringLiteral("2023-02-29T00:00:00Z")) << false << qint64(0);
    QTest::addRow("hour 25") << QJsonValue(QStringLiteral("2024-05-01T25:00:00Z")) << false << qint64(0);
    QTest::addRow("second 60") << QJsonValue(QStringLiteral("2024-05-01T12:00:60Z")) << false << qint64(0);
    QTest::addRow("empty fraction") << QJsonValue(QStringLiteral("2024-05-01T12:00:00.Z")) << false << qint64(0);
    QTest::addRow("offset 24h") << QJsonValue(QStringLiteral("2024-05-01T12:00:00+24:00")) << false << qint64(0);
    QTest::addRow("trailing text") << QJsonValue(QStringLiteral("2024-05-01T12:00:00Z junk")) << false << qint64(0);
    QTest::addRow("two-digit year") << QJsonValue(QStringLiteral("24-05-01")) << false << qint64(0);
    QTest::addRow("slashes") << QJsonValue(QStringLiteral("2024/05/01")) << false << qint64(0);
    QTest::addRow("nan") << QJsonValue(QStringLiteral("nan")) << false << qint64(0);
    QTest::addRow("inf") << QJsonValue(QStringLiteral("inf")) << false << qint64(0);
    QTest::addRow("year 10000") << wire("253402300800") << false << qint64(0);
    QTest::addRow("huge") << wire("1e20") << false << qint64(0);
    QTest::addRow("before year 1") << wire("-62135596801") << false << qint64(0);
    // Qt folds U+017F (long s) to 's', so the weekday "ſat" passes as "Sat"; UTF-8 text must agree.
    QTest::addRow("rfc 822 folded weekday")
        << QJsonValue(QStringLiteral("\u017Fat, 04 May 2024 12:00:00 GMT")) << true << utcMs(2024, 5, 4, 12);
    QTest::addRow("iso with non-ascii zone")
        << QJsonValue(QStringLiteral("2024-05-01T12:00:00\u00C9")) << false << qint64(0);
    QTest::addRow("rfc 822 bad month") << QJsonValue(QStringLiteral("Wed, 01 Mai 2024 12:00:00 GMT")) << false
                                       << qint64(0);
}

void tst_WireValues::parse()
{
    QFETCH(QJsonValue, value);
    QFETCH(bool, valid);
    QFETCH(qint64, expected);
    const std::optional<qint64> parsed = parseWireTimestampMs(value);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, expected);
    if (value.isString()) {
        // The UTF-8 form (a raw page's strings) reads the same.
        const QByteArray utf8 = value.toString().toUtf8();
        QCOMPARE(parseWireTimestampMs(std::string_view(utf8.constData(), size_t(utf8.size()))), parsed);
    }
}

void tst_WireValues::parseOtherJsonTypes()
{
    QVERIFY(!parseWireTimestampMs(QJsonValue()));
    QVERIFY(!parseWireTimestampMs(QJsonValue(QJsonValue::Undefined)));
    QVERIFY(!parseWireTimestampMs(QJsonValue(true)));
    QVERIFY(!parseWireTimestampMs(QJsonValue(QJsonObject {{QStringLiteral("s"), 1}})));
    QVERIFY(!parseWireTimestampMs(QJsonValue(QJsonArray {1714564800})));
}

void tst_WireValues::formatIsoUtc_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("expected");
    QTest::addRow("millis") << qint64(1714564800123) << QStringLiteral("2024-05-01T12:00:00.123Z");
    QTest::addRow("whole second") << qint64(1714564800000) << QStringLiteral("2024-05-01T12:00:00Z");
    QTest::addRow("one milli") << qint64(1714564800001) << QStringLiteral("2024-05-01T12:00:00.001Z");
    QTest::addRow("epoch") << qint64(0) << QStringLiteral("1970-01-01T00:00:00Z");
    QTest::addRow("just before epoch") << qint64(-1) << QStringLiteral("1969-12-31T23:59:59.999Z");
    QTest::addRow("leap day 2000") << qint64(951782400000) << QStringLiteral("2000-02-29T00:00:00Z");
    QTest::addRow("year 1") << qint64(-62135596800000) << QStringLiteral("0001-01-01T00:00:00Z");
    QTest::addRow("year 9999") << qint64(253402300799999) << QStringLiteral("9999-12-31T23:59:59.999Z");
    QTest::addRow("last milli of 1999") << qint64(946684799999) << QStringLiteral("1999-12-31T23:59:59.999Z");
    QTest::addRow("first of 2000") << qint64(946684800000) << QStringLiteral("2000-01-01T00:00:00Z");
    QTest::addRow("leap day 2024, last milli") << qint64(1709251199999) << QStringLiteral("2024-02-29T23:59:59.999Z");
    QTest::addRow("no leap day 1900") << qint64(-2203891200000) << QStringLiteral("1900-03-01T00:00:00Z");
    QTest::addRow("a day before epoch, one milli more")
        << qint64(-86400001) << QStringLiteral("1969-12-30T23:59:59.999Z");
    QTest::addRow("year 0") << qint64(-62167219200000) << QStringLiteral("0000-01-01T00:00:00Z");
    QTest::addRow("before year 0") << qint64(-62167219200001) << QString();
    QTest::addRow("out of range") << qint64(253402300800000) << QString();
    QTest::addRow("lowest") << std::numeric_limits<qint64>::min() << QString();
    QTest::addRow("highest") << std::numeric_limits<qint64>::max() << QString();
}

void tst_WireValues::formatIsoUtc()
{
    QFETCH(qint64, ms);
    QFETCH(QString, expected);
    QCOMPARE(pagewise::formatIsoUtc(ms), expected);
    char buffer[kIsoUtcMaxSize];
    const char *end = pagewise::formatIsoUtc(ms, buffer);
    QCOMPARE(QLatin1StringView(buffer, end - buffer), expected);
}

void tst_WireValues::formatAgreesWithQDateTime()
{
    QRandomGenerator random(7);
    const qint64 lowest = utcMs(1, 1, 1);
    const qint64 highest = utcMs(9999, 12, 31, 23, 59, 59, 999);
    for (int i = 0; i < 20'000; ++i) {
        qint64 ms = lowest + qint64(random.bounded(double(highest - lowest)));
        if (i % 2)
            ms -= ms % 1000; // half of them whole seconds
        const QDateTime reference = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        QString expected = reference.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
        if (ms % 1000 != 0)
            expected += reference.toString(QStringLiteral(".zzz"));
        expected += u'Z';
        const QString formatted = pagewise::formatIsoUtc(ms);
        QCOMPARE(formatted, expected);
        QCOMPARE(parseWireTimestampMs(QJsonValue(formatted)), std::optional<qint64>(ms));
    }
}

void tst_WireValues::formatsEveryDay()
{
    // Every date from 0001-01-01 to 9999-12-31 as QDate (proleptic Gregorian) names it, each at a
    // different time of day.
    const qint64 msPerDay = 86'400'000;
    const QDate epoch(1970, 1, 1);
    QDate date(1, 1, 1);
    int y = 0, m = 0, d = 0;
    for (qint64 day = epoch.daysTo(date); date.isValid(); ++day, date = date.addDays(1)) {
        const qint64 msOfDay = day * 7919 % msPerDay;
        char buffer[kIsoUtcMaxSize];
        const char *end = pagewise::formatIsoUtc(day * msPerDay + (msOfDay < 0 ? msOfDay + msPerDay : msOfDay), buffer);
        QVERIFY(end - buffer >= 20);
        const auto number = [&](int at, int digits) {
            int value = 0;
            for (int i = at; i < at + digits; ++i)
                value = value * 10 + (buffer[i] - '0');
            return value;
        };
        date.getDate(&y, &m, &d);
        if (number(0, 4) != y || number(5, 2) != m || number(8, 2) != d)
            QFAIL(qPrintable(
                u"%1 written as %2"_s.arg(date.toString(Qt::ISODate), QLatin1StringView(buffer, end - buffer))));
        if (y == 9999 && m == 12 && d == 31)
            break;
    }
    QCOMPARE(date, QDate(9999, 12, 31));

    // Year 0, which QDate has not: the Gregorian calendar repeats every 400 years (146097 days).
    for (qint64 day = epoch.daysTo(QDate(400, 1, 1)); day < epoch.daysTo(QDate(401, 1, 1)); ++day) {
        char shifted[kIsoUtcMaxSize];
        char year0[kIsoUtcMaxSize];
        const char *shiftedEnd = pagewise::formatIsoUtc(day * msPerDay, shifted);
        const char *year0End = pagewise::formatIsoUtc((day - 146097) * msPerDay, year0);
        QCOMPARE(
            QLatin1StringView(year0, year0End - year0).mid(4), QLatin1StringView(shifted, shiftedEnd - shifted).mid(4));
        QCOMPARE(QLatin1StringView(year0, 4), QLatin1StringView("0000"));
    }
}

void tst_WireValues::epochSecondsToMs_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("expected");
    QTest::addRow("whole") << 1714564800.0 << true << qint64(1714564800000);
    QTest::addRow("binary fraction below") << 1.714564800123E9 << true << qint64(1714564800123);
    QTest::addRow("half micro rounds to even") << 0.0000005 << true << qint64(0);
    QTest::addRow("999999.6 micros carry") << 0.9999996 << true << qint64(1000);
    QTest::addRow("negative fraction") << -0.001 << true << qint64(-1);
    QTest::addRow("nan") << std::nan("") << false << qint64(0);
    QTest::addRow("infinity") << HUGE_VAL << false << qint64(0);
}

void tst_WireValues::epochSecondsToMs()
{
    QFETCH(double, seconds);
    QFETCH(bool, valid);
    QFETCH(qint64, expected);
    const auto ms = pagewise::epochSecondsToMs(seconds);
    QCOMPARE(ms.has_value(), valid);
    if (valid)
        QCOMPARE(*ms, expected);
}

// botocore's own parse_timestamp on the same inputs: every value we accept must give the same
// instant, and what botocore refuses we refuse too.
void tst_WireValues::matchesBotocore()
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        QSKIP("python3 not found: the comparison with botocore's parse_timestamp needs python3 with botocore");

    const QStringList inputs = {
        QStringLiteral("1.714564800123E9"),
        QStringLiteral("1714564800"),
        QStringLiteral("-1.5"),
        QStringLiteral("2024-05-01T12:34:56.789Z"),
        QStringLiteral("2024-05-01T12:00:00Z"),
        QStringLiteral("2024-05-01T14:00:00+02:00"),
        QStringLiteral("2024-05-01T10:30:00-0130"),
        QStringLiteral("2024-05-01T12:00:00.123456789Z"),
        QStringLiteral("2024-05-01 12:00:00"),
        QStringLiteral("2024-05-01"),
        QStringLiteral("20240501T120000Z"),
        QStringLiteral("Wed, 01 May 2024 12:00:00 GMT"),
        QStringLiteral("2024-02-29T23:59:59.999+14:00"),
        QStringLiteral("2024-02-30T00:00:00Z"),
        QStringLiteral("2024-05-01T25:00:00Z"),
        QStringLiteral("yesterday"),
    };
    const QString script = QStringLiteral(R"PY(
import sys, json, datetime
from botocore.utils import parse_timestamp
out = []
for value in json.load(sys.stdin):
    try:
        d = parse_timestamp(value)
    except Exception:
        out.append(None)
        continue
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    delta = d - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    out.append((delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000)
print(json.dumps(out))
)PY");
    QProcess process;
    process.start(python, {QStringLiteral("-c"), script});
    QVERIFY(process.waitForStarted());
    process.write(QJsonDocument(QJsonArray::fromStringList(inputs)).toJson());
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(30000));
    if (process.exitCode() != 0 && process.readAllStandardError().contains("No module named"))
        QSKIP("botocore is not installed for python3: the comparison needs it");
    QCOMPARE(process.exitCode(), 0);
    const QJsonArray expected = QJsonDocument::fromJson(process.readAllStandardOutput()).array();
    QCOMPARE(expected.size(), inputs.size());
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        const std::optional<qint64> ours = parseWireTimestampMs(QStringView(inputs[i]));
        const QJsonValue theirs = expected[i];
        QVERIFY2(ours.has_value() == !theirs.isNull(), qPrintable(inputs[i]));
        if (ours)
            QCOMPARE(*ours, qint64(theirs.toDouble()));
    }
}

QTEST_APPLESS_MAIN(tst_WireValues)
#include "tst_wirevalues.moc"
