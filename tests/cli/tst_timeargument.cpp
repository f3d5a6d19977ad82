// Times given to --created-after & co.: ISO 8601 with or without zone (none = UTC) and epoch seconds.
#include "cli/timeargument.h"

#include <QtTest>

using namespace pagewise;

class tst_TimeArgument : public QObject
{
    Q_OBJECT
private slots:
    void acceptsIsoAndEpoch_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("epochMs");
        // Expected values: `date -u -d <text> +%s` by hand.
        QTest::addRow("date only is midnight UTC") << "2024-05-01" << Q_INT64_C(1714521600000);
        QTest::addRow("no zone is UTC") << "2024-05-01T12:00:00" << Q_INT64_C(1714564800000);
        QTest::addRow("minutes only") << "2024-05-01T12:00" << Q_INT64_C(1714564800000);
        QTest::addRow("space separator") << "2024-05-01 12:00:00" << Q_INT64_C(1714564800000);
        QTest::addRow("Z") << "2024-05-01T12:00:00Z" << Q_INT64_C(1714564800000);
        QTest::addRow("lower-case t and z") << "2024-05-01t12:00:00z" << Q_INT64_C(1714564800000);
        QTest::addRow("positive offset") << "2024-05-01T14:00:00+02:00" << Q_INT64_C(1714564800000);
        QTest::addRow("negative offset without colon") << "2024-05-01T07:30:00-0430" << Q_INT64_C(1714564800000);
        QTest::addRow("hour offset") << "2024-05-01T13:00:00+01" << Q_INT64_C(1714564800000);
        QTest::addRow("milliseconds") << "2024-05-01T12:00:00.123Z" << Q_INT64_C(1714564800123);
        QTest::addRow("microseconds truncate") << "2024-05-01T12:00:00.123999Z" << Q_INT64_C(1714564800123);
        QTest::addRow("comma fraction") << "2024-05-01T12:00:00,5" << Q_INT64_C(1714564800500);
        QTest::addRow("offset crosses midnight") << "2024-05-01T01:00:00+03:00" << Q_INT64_C(1714514400000);
        QTest::addRow("epoch seconds") << "1714564800" << Q_INT64_C(1714564800000);
        QTest::addRow("epoch zero") << "0" << Q_INT64_C(0);
        QTest::addRow("epoch with fraction") << "1714564800.25" << Q_INT64_C(1714564800250);
        QTest::addRow("surrounding blanks") << " 2024-05-01 " << Q_INT64_C(1714521600000);
        QTest::addRow("leap day") << "2024-02-29" << Q_INT64_C(1709164800000);
    }

    void acceptsIsoAndEpoch()
    {
        QFETCH(QString, text);
        QFETCH(qint64, epochMs);
        const std::optional<QDateTime> time = parseTimeArgument(text);
        QVERIFY2(time.has_value(), qPrintable(text));
        QCOMPARE(time->toMSecsSinceEpoch(), epochMs);
        QCOMPARE(time->offsetFromUtc(), 0);
    }

    void rejectsOtherText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("empty") << "";
        QTest::addRow("word") << "yesterday";
        QTest::addRow("month 13") << "2024-13-01";
        QTest::addRow("no leap day") << "2023-02-29";
        QTest::addRow("hour 24") << "2024-05-01T24:00:00";
        QTest::addRow("hour without minutes") << "2024-05-01T12";
        QTest::addRow("zone without time") << "2024-05-01Z";
        QTest::addRow("offset out of range") << "2024-05-01T12:00:00+25:00";
        QTest::addRow("slashes") << "05/01/2024";
        QTest::addRow("negative epoch") << "-5";
        QTest::addRow("epoch beyond year 9999") << "253402300800";
        QTest::addRow("epoch with exponent") << "1.7e9";
        QTest::addRow("trailing junk") << "2024-05-01T12:00:00Zx";
    }

    void rejectsOtherText()
    {
        QFETCH(QString, text);
        QVERIFY2(!parseTimeArgument(text).has_value(), qPrintable(text));
    }
};

QTEST_APPLESS_MAIN(tst_TimeArgument)
#include "tst_timeargument.moc"
