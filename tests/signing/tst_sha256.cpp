#include "aws/signing/sha256.h"

#include <QCryptographicHash>
#include <QTest>

using namespace pagewise;

namespace
{

QByteArray hexOf(const Sha256::Digest &digest)
{
    return Sha256::toHex(digest);
}

// A message of `size` bytes that differ from block to block, so a block dropped or repeated shows.
QByteArray patterned(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 7 + i / 64) & 0xff);
    return bytes;
}

} // namespace

class tst_Sha256 : public QObject
{
    Q_OBJECT

private slots:
    void fipsExamples_data();
    void fipsExamples();
    void blockBoundariesMatchQt_data();
    void blockBoundariesMatchQt();
    void addDataInPiecesEqualsOneHash();
    void resultStartsOver();
    void copyContinuesOnItsOwn();
    void writeHexIsLowerCase();
};

void tst_Sha256::fipsExamples_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("digest");
    // FIPS 180-2 appendix B and the NIST CAVP short messages.
    QTest::addRow("empty") << QByteArray()
                           << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::addRow("abc") << QByteArray("abc")
                         << QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    QTest::addRow("448 bits, two blocks")
        << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        << QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    QTest::addRow("896 bits") << QByteArray(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnop"
        "qrstnopqrstu") << QByteArray("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    QTest::addRow("a million a") << QByteArray(1000000, 'a')
                                 << QByteArray("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

void tst_Sha256::fipsExamples()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, digest);
    QCOMPARE(hexOf(Sha256::hash(message)), digest);
}

void tst_Sha256::blockBoundariesMatchQt_data()
{
    QTest::addColumn<int>("size");
    // Where the padding needs a block of its own (56), exact blocks, and both sides of each.
    for (const int size : {1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 300, 1000})
        QTest::addRow("%d bytes", size) << size;
}

void tst_Sha256::blockBoundariesMatchQt()
{
    QFETCH(int, size);
    const QByteArray message = patterned(size);
    QCOMPARE(hexOf(Sha256::hash(message)), QCryptographicHash::hash(message, QCryptographicHash::Sha256).toHex());
}

void tst_Sha256::addDataInPiecesEqualsOneHash()
{
    const QByteArray message = patterned(300);
    for (const qsizetype piece : {1, 3, 63, 64, 65, 299}) {
        Sha256 hash;
        for (qsizetype at = 0; at < message.size(); at += piece)
            hash.addData(QByteArrayView(message).sliced(at, std::min(piece, message.size() - at)));
        QCOMPARE(hexOf(hash.result()), hexOf(Sha256::hash(message)));
    }
}

void tst_Sha256::resultStartsOver()
{
    Sha256 hash;
    hash.addData("something else first");
    hash.result();
    hash.addData("abc");
    QCOMPARE(hexOf(hash.result()), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(hexOf(hash.result()), QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

void tst_Sha256::copyContinuesOnItsOwn()
{
    Sha256 original;
    original.addData(patterned(70));
    Sha256 copy = original;
    original.addData("one");
    copy.addData("two");
    QCOMPARE(hexOf(original.result()), hexOf(Sha256::hash(QByteArray(patterned(70) + "one"))));
    QCOMPARE(hexOf(copy.result()), hexOf(Sha256::hash(QByteArray(patterned(70) + "two"))));
}

void tst_Sha256::writeHexIsLowerCase()
{
    Sha256::Digest digest;
    for (std::size_t i = 0; i < digest.size(); ++i)
        digest[i] = static_cast<unsigned char>(i * 8 + 7);
    char text[2 * Sha256::DigestSize + 1];
    text[2 * Sha256::DigestSize] = 'x';
    QCOMPARE(qsizetype(Sha256::writeHex(digest, text) - text), 2 * Sha256::DigestSize);
    QCOMPARE(text[2 * Sha256::DigestSize], 'x');
    QCOMPARE(QByteArray(text, 2 * Sha256::DigestSize),
        QByteArray(reinterpret_cast<const char *>(digest.data()), Sha256::DigestSize).toHex());
}

QTEST_APPLESS_MAIN(tst_Sha256)
#include "tst_sha256.moc"
