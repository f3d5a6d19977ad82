#include "paging/pagetoken.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace pagewise;
using namespace Qt::StringLiterals;

namespace
{

// The decoding tables: a StartingToken's text and the service token and skip it stands for.
void addDecodingColumns()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::optional<QString>>("serviceToken");
    QTest::addColumn<std::optional<qint64>>("truncateAmount");
}

// Decodes the row's text; `raw`: the text is the service's own token, not one botocore made.
void verifyDecodedRow(bool raw)
{
    QFETCH(QString, text);
    QFETCH(std::optional<QString>, serviceToken);
    QFETCH(std::optional<qint64>, truncateAmount);

    const Result<PageToken> token = PageToken::decode(u"NextToken"_s, text);
    QVERIFY2(token.ok(), qPrintable(token.ok() ? QString() : token.error().message));
    QCOMPARE(token.value().serviceToken, serviceToken);
    QCOMPARE(token.value().truncateAmount, truncateAmount);
    QCOMPARE(token.value().raw, raw);
}

} // namespace

class tst_PageToken : public QObject
{
    Q_OBJECT

private slots:
    void encodesLikeBotocore_data();
    void encodesLikeBotocore();
    void decodesBotocoreTokens_data();
    void decodesBotocoreTokens();
    void roundTrips_data();
    void roundTrips();
    void fallsBackToRawServiceTokens_data();
    void fallsBackToRawServiceTokens();
    void rejectsBadStartingTokens_data();
    void rejectsBadStartingTokens();
    void escapesJsonLikePython();
    void matchesInstalledBotocore();
};

void tst_PageToken::encodesLikeBotocore_data()
{
    QTest::addColumn<QString>("inputToken");
    QTest::addColumn<PageToken>("token");
    QTest::addColumn<QString>("expected");

    // docs/aws-protocols.md §5.3 scenarios 2, 4 and 6
    QTest::addRow("truncated mid-page") << u"NextToken"_s << PageToken {u"T2"_s, 1}
                                        << u"eyJOZXh0VG9rZW4iOiAiVDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="_s;
    QTest::addRow("truncated inside the first page")
        << u"NextToken"_s << PageToken {std::nullopt, 1}
        << u"eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="_s;
    QTest::addRow("page boundary") << u"NextToken"_s << PageToken {u"T2"_s, std::nullopt}
                                   << u"eyJOZXh0VG9rZW4iOiAiVDIifQ=="_s;
    // {"nextToken": "abc", "boto_truncate_amount": 1}, from botocore's TokenEncoder
    QTest::addRow("camelCase input token") << u"nextToken"_s << PageToken {u"abc"_s, 1}
                                           << u"eyJuZXh0VG9rZW4iOiAiYWJjIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogMX0="_s;
}

void tst_PageToken::encodesLikeBotocore()
{
    QFETCH(QString, inputToken);
    QFETCH(PageToken, token);
    QFETCH(QString, expected);
    QCOMPARE(token.encode(inputToken), expected);
}

void tst_PageToken::decodesBotocoreTokens_data()
{
    addDecodingColumns();

    QTest::addRow("truncated") << u"eyJOZXh0VG9rZW4iOiAiVDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="_s
                               << std::optional<QString>(u"T2"_s) << std::optional<qint64>(1);
    QTest::addRow("null token") << u"eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="_s
                                << std::optional<QString>() << std::optional<qint64>(1);
    QTest::addRow("boundary") << u"eyJOZXh0VG9rZW4iOiAiVDIifQ=="_s << std::optional<QString>(u"T2"_s)
                              << std::optional<qint64>();
    // {"boto_truncate_amount": 7, "NextToken": "x"}: key order does not matter when reading
    QTest::addRow("keys in other order") << QString::fromLatin1(
        QByteArray(R"({"boto_truncate_amount": 7, "NextToken": "x"})").toBase64())
                                         << std::optional<QString>(u"x"_s) << std::optional<qint64>(7);
    QTest::addRow("compact json") << QString::fromLatin1(QByteArray(R"({"NextToken":"x"})").toBase64())
                                  << std::optional<QString>(u"x"_s) << std::optional<qint64>();
}

void tst_PageToken::decodesBotocoreTokens()
{
    verifyDecodedRow(false);
}

void tst_PageToken::roundTrips_data()
{
    QTest::addColumn<PageToken>("token");
    QTest::addRow("plain") << PageToken {u"AAMA-EFRSHdGX2V4YW1wbGVfdG9rZW4="_s, std::nullopt};
    QTest::addRow("with skip") << PageToken {u"eyJvZmZzZXQiOjJ9"_s, 42};
    QTest::addRow("null with skip") << PageToken {std::nullopt, 3};
    QTest::addRow("quotes and backslashes") << PageToken {uR"(a"b\c/d)"_s, 1};
    QTest::addRow("non-ASCII") << PageToken {u"\u00e9\u2603\U0001F600"_s, std::nullopt};
    QTest::addRow("control characters") << PageToken {u"a\nb\tc\u0001\u007f"_s, 0};
    QTest::addRow("long") << PageToken {QString(8192, u'x'), 99};
}

void tst_PageToken::roundTrips()
{
    QFETCH(PageToken, token);
    const QString encoded = token.encode(u"nextToken"_s);
    const Result<PageToken> decoded = PageToken::decode(u"nextToken"_s, encoded);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded.value(), token);
}

void tst_PageToken::fallsBackToRawServiceTokens_data()
{
    addDecodingColumns();

    QTest::addRow("short token") << u"T2"_s << std::optional<QString>(u"T2"_s) << std::optional<qint64>();
    QTest::addRow("service base64 not JSON")
        << u"AAMA-EFRSHdGX2V4YW1wbGVfdG9rZW4="_s << std::optional<QString>(u"AAMA-EFRSHdGX2V4YW1wbGVfdG9rZW4="_s)
        << std::optional<qint64>();
    // base64 of [1,2]: JSON, but not an object, so not a botocore token
    QTest::addRow("base64 of a JSON list")
        << u"WzEsMl0="_s << std::optional<QString>(u"WzEsMl0="_s) << std::optional<qint64>();
    QTest::addRow("deprecated token with index")
        << u"tok___3"_s << std::optional<QString>(u"tok"_s) << std::optional<qint64>(3);
    QTest::addRow("deprecated token without int")
        << u"tok___x"_s << std::optional<QString>(u"tok___x"_s) << std::optional<qint64>();
    QTest::addRow("None means no token") << u"None"_s << std::optional<QString>() << std::optional<qint64>();
}

void tst_PageToken::fallsBackToRawServiceTokens()
{
    verifyDecodedRow(true);
}

void tst_PageToken::rejectsBadStartingTokens_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("why");

    auto b64 = [](const char *json) { return QString::fromLatin1(QByteArray(json).toBase64()); };
    QTest::addRow("other service's key") << b64(R"({"nextToken": "abc"})") << u"\"nextToken\""_s;
    QTest::addRow("extra key") << b64(R"({"NextToken": "a", "Marker": "b"})") << u"\"Marker\""_s;
    QTest::addRow("only truncate amount") << b64(R"({"boto_truncate_amount": 1})") << u"no \"NextToken\""_s;
    QTest::addRow("token is a number") << b64(R"({"NextToken": 5})") << u"not a string"_s;
    QTest::addRow("negative skip") << b64(R"({"NextToken": "a", "boto_truncate_amount": -1})")
                                   << u"non-negative integer"_s;
    QTest::addRow("fractional skip") << b64(R"({"NextToken": "a", "boto_truncate_amount": 1.5})")
                                     << u"non-negative integer"_s;
    QTest::addRow("skip as text") << b64(R"({"NextToken": "a", "boto_truncate_amount": "1"})")
                                  << u"non-negative integer"_s;
    QTest::addRow("too many deprecated parts") << u"a___b___c"_s << u"more than one"_s;
}

void tst_PageToken::rejectsBadStartingTokens()
{
    QFETCH(QString, text);
    QFETCH(QString, why);

    const Result<PageToken> token = PageToken::decode(u"NextToken"_s, text);
    QVERIFY(!token.ok());
    QCOMPARE(token.error().kind, AwsError::Kind::Pagination);
    QCOMPARE(token.error().parameter, u"StartingToken"_s);
    QVERIFY2(token.error().message.startsWith(u"Bad starting token"_s), qPrintable(token.error().message));
    QVERIFY2(token.error().message.contains(why), qPrintable(token.error().message));
}

void tst_PageToken::escapesJsonLikePython()
{
    // json.dumps('café/☃ "q" \\ \n\t\x01\x7f😀') from Python 3
    QCOMPARE(PageToken::pythonJsonString(u"caf\u00e9/\u2603 \"q\" \\ \n\t\u0001\u007f\U0001F600"_s),
        QByteArray(R"("caf\u00e9/\u2603 \"q\" \\ \n\t\u0001\u007f\ud83d\ude00")"));
    // botocore's TokenEncoder().encode({'nextToken': <the same string>})
    QCOMPARE(
        (PageToken {u"caf\u00e9/\u2603 \"q\" \\ \n\t\u0001\u007f\U0001F600"_s, std::nullopt}.encode(u"nextToken"_s)),
        u"eyJuZXh0VG9rZW4iOiAiY2FmXHUwMGU5L1x1MjYwMyBcInFcIiBcXCBcblx0XHUwMDAxXHUwMDdmXHVkODNkXHVkZTAwIn0="_s);
}

void tst_PageToken::matchesInstalledBotocore()
{
    const QString python = QStandardPaths::findExecutable(u"python3"_s);
    if (python.isEmpty())
        QSKIP("python3 is not installed: cannot compare with botocore's TokenEncoder");

    const QList<PageToken> tokens {
        {u"T2"_s, 1},
        {std::nullopt, 1},
        {u"T4"_s, std::nullopt},
        {u"\u00e9\u00df\u4e2d\U0001F680 </x> \\\"'"_s, 17},
        {u"a\u0000b\u001fc"_s, 0},
    };
    // One JSON list of [token, amount] pairs in, one encoded token per line out.
    QJsonArray input;
    for (const PageToken &token : tokens) {
        input.append(QJsonArray {token.serviceToken ? QJsonValue(*token.serviceToken) : QJsonValue(),
            token.truncateAmount ? QJsonValue(*token.truncateAmount) : QJsonValue()});
    }
    const char *script = "import json, sys\n"
                         "from botocore.paginate import TokenEncoder\n"
                         "for token, amount in json.load(sys.stdin):\n"
                         "    d = {'NextToken': token}\n"
                         "    if amount is not None: d['boto_truncate_amount'] = amount\n"
                         "    print(TokenEncoder().encode(d))\n";
    QProcess process;
    process.start(python, {u"-c"_s, QString::fromLatin1(script)});
    QVERIFY(process.waitForStarted());
    process.write(QJsonDocument(input).toJson());
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(30000));
    if (process.exitCode() != 0 && process.readAllStandardError().contains("ModuleNotFoundError"))
        QSKIP("botocore is not installed for python3: cannot compare with its TokenEncoder");
    QCOMPARE(process.exitCode(), 0);

    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), tokens.size());
    for (qsizetype i = 0; i < tokens.size(); ++i)
        QCOMPARE(tokens.at(i).encode(u"NextToken"_s), QString::fromLatin1(lines.at(i)));
}

QTEST_APPLESS_MAIN(tst_PageToken)
#include "tst_pagetoken.moc"
