#include "aws/signing/sha256.h"

#include <QMessageAuthenticationCode>
#include <QTest>

using namespace pagewise;

namespace
{

QByteArray hexOf(const Sha256::Digest &digest)
{
    return Sha256::toHex(digest);
}

QByteArray rfc4231Key4()
{
    QByteArray key;
    for (char c = 1; c <= 25; ++c)
        key.append(c);
    return key;
}

} // namespace

class tst_HmacSha256 : public QObject
{
    Q_OBJECT

private slots:
    void rfc4231_data();
    void rfc4231();
    void keySizesMatchQt_data();
    void keySizesMatchQt();
    void oneKeyManyMessages();
};

void tst_HmacSha256::rfc4231_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("mac");
    // RFC 4231 section 4, HMAC-SHA-256 of each test case (case 5 is truncated to 128 bits there).
    QTest::addRow("case 1") << QByteArray(20, '\x0b') << QByteArray("Hi There")
                            << QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    QTest::addRow("case 2, short key") << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
                                       << QByteArray(
                                              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    QTest::addRow("case 3") << QByteArray(20, '\xaa') << QByteArray(50, '\xdd')
                            << QByteArray("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    QTest::addRow("case 4") << rfc4231Key4() << QByteArray(50, '\xcd')
                            << QByteArray("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    QTest::addRow("case 5, truncated") << QByteArray(20, '\x0c') << QByteArray("Test With Truncation")
                                       << QByteArray("a3b6167473100ee06e0c796c2955552b");
    QTest::addRow("case 6, 131-byte key")
        << QByteArray(131, '\xaa') << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
        << QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    QTest::addRow("case 7, 131-byte key and multi-block message")
        << QByteArray(131, '\xaa')
        << QByteArray("This is a test using a larger than block-size key and a larger than block-size data. The key "
                      "needs to be hashed before being used by the HMAC algorithm.")
        << QByteArray("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
    QTest::addRow("empty key and message")
        << QByteArray() << QByteArray()
        << QByteArray("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

void tst_HmacSha256::rfc4231()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, mac);
    QCOMPARE(hexOf(HmacSha256::mac(key, message)).left(mac.size()), mac);
    const HmacSha256 keyed(key);
    QCOMPARE(hexOf(keyed.mac(message)).left(mac.size()), mac);
}

void tst_HmacSha256::keySizesMatchQt_data()
{
    QTest::addColumn<int>("keySize");
    QTest::addColumn<int>("messageSize");
    // 64 is used as it is, 65 is hashed first; messages on both sides of the block too.
    for (const int keySize : {1, 32, 63, 64, 65, 200}) {
        for (const int messageSize : {0, 55, 64, 150})
            QTest::addRow("key %d, message %d", keySize, messageSize) << keySize << messageSize;
    }
}

void tst_HmacSha256::keySizesMatchQt()
{
    QFETCH(int, keySize);
    QFETCH(int, messageSize);
    QByteArray key(keySize, Qt::Uninitialized);
    for (int i = 0; i < keySize; ++i)
        key[i] = char(i * 13 + 1);
    const QByteArray message(messageSize, 'm');
    QCOMPARE(hexOf(HmacSha256::mac(key, message)),
        QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256).toHex());
}

void tst_HmacSha256::oneKeyManyMessages()
{
    // The kept key state is copied for each message, never used up.
    const HmacSha256 keyed(QByteArray("Jefe"));
    const QByteArray first = hexOf(keyed.mac("what do ya want for nothing?"));
    const QByteArray other = hexOf(keyed.mac("something else"));
    QCOMPARE(hexOf(keyed.mac("what do ya want for nothing?")), first);
    QCOMPARE(first, QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    QCOMPARE(other, hexOf(HmacSha256::mac("Jefe", "something else")));
    QVERIFY(other != first);
}

QTEST_APPLESS_MAIN(tst_HmacSha256)
#include "tst_hmacsha256.moc"
