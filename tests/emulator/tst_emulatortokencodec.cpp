#include "emulator/emulatortokencodec.h"

#include <QRegularExpression>
#include <QTest>

using namespace pagewise;

class tst_EmulatorTokenCodec : public QObject
{
    Q_OBJECT

private slots:
    void roundTrips_data();
    void roundTrips();
    void tokensAreShortOpaqueAndUrlSafe();
    void consecutivePagesHaveDifferentTokens();
    void everyAlteredCharacterIsRejected();
    void otherListingIsRecognised();
    void otherSecretIsForged();
    void garbageIsMalformed_data();
    void garbageIsMalformed();
};

void tst_EmulatorTokenCodec::roundTrips_data()
{
    QTest::addColumn<quint64>("offset");
    QTest::addColumn<quint32>("page");
    QTest::addRow("start") << quint64(0) << quint32(2);
    QTest::addRow("million") << quint64(999999) << quint32(10000);
    QTest::addRow("large") << quint64(1) << quint32(0xffffffffu);
    QTest::addRow("huge offset") << quint64(1) << quint32(3);
}

void tst_EmulatorTokenCodec::roundTrips()
{
    QFETCH(quint64, offset);
    QFETCH(quint32, page);
    const EmulatorTokenCodec codec(42);
    const quint64 listing = EmulatorTokenCodec::listingHash(1, "0D|a|b");
    const QByteArray token = codec.encode({1, offset, page}, listing);
    EmulatorTokenCodec::Problem problem = EmulatorTokenCodec::Problem::Malformed;
    const auto position = codec.decode(token, 1, listing, &problem);
    QVERIFY(position);
    QCOMPARE(problem, EmulatorTokenCodec::Problem::None);
    QCOMPARE(position->offset, offset);
    QCOMPARE(position->page, page);
    QCOMPARE(codec.encode({1, offset, page}, listing), token); // the same position gives the same token
}

void tst_EmulatorTokenCodec::tokensAreShortOpaqueAndUrlSafe()
{
    const EmulatorTokenCodec codec(1);
    const QByteArray token = codec.encode({3, 12345, 7}, EmulatorTokenCodec::listingHash(3, "farm/queue/job"));
    QVERIFY(token.size() <= 1500); // Personalize's limit is the smallest of the three
    QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]+$")).match(QString::fromLatin1(token)).hasMatch());
    QVERIFY(!token.contains("12345"));
}

void tst_EmulatorTokenCodec::consecutivePagesHaveDifferentTokens()
{
    const EmulatorTokenCodec codec(1);
    const quint64 listing = EmulatorTokenCodec::listingHash(1, "x");
    // Even an empty page (same offset) gets a new token, so botocore never sees one twice in a row.
    QVERIFY(codec.encode({1, 10, 2}, listing) != codec.encode({1, 10, 3}, listing));
    QVERIFY(codec.encode({1, 10, 2}, listing) != codec.encode({1, 11, 2}, listing));
}

void tst_EmulatorTokenCodec::everyAlteredCharacterIsRejected()
{
    const EmulatorTokenCodec codec(9);
    const quint64 listing = EmulatorTokenCodec::listingHash(2, "g=arn");
    const QByteArray token = codec.encode({2, 400, 5}, listing);
    for (qsizetype i = 0; i < token.size(); ++i) {
        QByteArray altered = token;
        altered[i] = altered[i] == 'Q' ? 'R' : 'Q';
        QVERIFY2(!codec.decode(altered, 2, listing), altered.constData());
    }
}

void tst_EmulatorTokenCodec::otherListingIsRecognised()
{
    const EmulatorTokenCodec codec(9);
    const QByteArray token = codec.encode({1, 4, 2}, EmulatorTokenCodec::listingHash(1, "NameContains=a"));
    EmulatorTokenCodec::Problem problem = EmulatorTokenCodec::Problem::None;
    QVERIFY(!codec.decode(token, 1, EmulatorTokenCodec::listingHash(1, "NameContains=b"), &problem));
    QCOMPARE(problem, EmulatorTokenCodec::Problem::OtherListing);
    QVERIFY(!codec.decode(token, 2, EmulatorTokenCodec::listingHash(1, "NameContains=a"), &problem));
    QCOMPARE(problem, EmulatorTokenCodec::Problem::OtherListing);
}

void tst_EmulatorTokenCodec::otherSecretIsForged()
{
    const quint64 listing = EmulatorTokenCodec::listingHash(1, "");
    const QByteArray token = EmulatorTokenCodec(1).encode({1, 4, 2}, listing);
    EmulatorTokenCodec::Problem problem = EmulatorTokenCodec::Problem::None;
    QVERIFY(!EmulatorTokenCodec(2).decode(token, 1, listing, &problem));
    QCOMPARE(problem, EmulatorTokenCodec::Problem::Forged);
    QVERIFY(EmulatorTokenCodec(1).decode(token, 1, listing)); // the same seed accepts it after a restart
}

void tst_EmulatorTokenCodec::garbageIsMalformed_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addRow("empty") << QByteArray();
    QTest::addRow("not base64") << QByteArray("!!!!");
    QTest::addRow("botocore style") << QByteArray("eyJOZXh0VG9rZW4iOiAiVDIifQ==");
    QTest::addRow("too long") << QByteArray(5000, 'A');
}

void tst_EmulatorTokenCodec::garbageIsMalformed()
{
    QFETCH(QByteArray, token);
    EmulatorTokenCodec::Problem problem = EmulatorTokenCodec::Problem::None;
    QVERIFY(!EmulatorTokenCodec(1).decode(token, 1, 0, &problem));
    QCOMPARE(problem, EmulatorTokenCodec::Problem::Malformed);
}

QTEST_APPLESS_MAIN(tst_EmulatorTokenCodec)
#include "tst_emulatortokencodec.moc"
