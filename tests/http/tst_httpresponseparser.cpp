#include "aws/http/httpresponseparser.h"

#include <QTest>

using namespace pagewise;
using namespace Qt::StringLiterals;

namespace
{

using State = HttpResponseParser::State;

/// Feeds the bytes in pieces of `step` (the whole at once for 0) and returns the last state;
/// *consumed adds up what the parser took.
State feedInPieces(HttpResponseParser &parser, const QByteArray &bytes, qsizetype step, qsizetype *consumed = nullptr)
{
    State state = State::NeedMore;
    qsizetype total = 0;
    const qsizetype size = step > 0 ? step : std::max<qsizetype>(bytes.size(), 1);
    for (qsizetype offset = 0; offset < bytes.size() && state == State::NeedMore; offset += size) {
        qsizetype used = 0;
        state = parser.feed(bytes.constData() + offset, std::min(size, bytes.size() - offset), &used);
        total += used;
    }
    if (consumed)
        *consumed = total;
    return state;
}

QByteArray chunked(const QList<QByteArray> &chunks, const QByteArray &trailers = {})
{
    QByteArray raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (const QByteArray &chunk : chunks)
        raw += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    raw += "0\r\n" + trailers + "\r\n";
    return raw;
}

} // namespace

class tst_HttpResponseParser : public QObject
{
    Q_OBJECT

private slots:
    void completeResponses_data();
    void completeResponses();
    void malformed_data();
    void malformed();
    void bodyLimit_data();
    void bodyLimit();
    void lineLimits_data();
    void lineLimits();
    void bodyUntilClose();
    void truncatedBodyIsNotComplete();
    void keepsBytesOfTheNextResponse();
    void headResponseHasNoBody();
    void resetReadsTheNextResponse();
};

void tst_HttpResponseParser::completeResponses_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<QByteArray>("requestId"); // the x-amzn-RequestId header as parsed

    QTest::addRow("content-length") << QByteArray("HTTP/1.1 200 OK\r\nx-amzn-RequestId: r-1\r\nContent-Length: 11\r\n"
                                                  "\r\n{\"Items\":1}")
                                    << 200 << QByteArray("{\"Items\":1}") << true << QByteArray("r-1");
    QTest::addRow("empty body") << QByteArray("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n") << 503
                                << QByteArray() << true << QByteArray();
    QTest::addRow("no reason phrase") << QByteArray("HTTP/1.1 200\r\nContent-Length: 2\r\n\r\n{}") << 200
                                      << QByteArray("{}") << true << QByteArray();
    QTest::addRow("bare line feeds") << QByteArray("HTTP/1.1 200 OK\nx-amzn-RequestId:r-2\nContent-Length: 2\n\n{}")
                                     << 200 << QByteArray("{}") << true << QByteArray("r-2");
    QTest::addRow("chunked") << chunked({"{\"Ite", "ms\":", "[1,2]}"}) << 200 << QByteArray("{\"Items\":[1,2]}") << true
                             << QByteArray();
    QTest::addRow("chunk extensions and trailers")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3;name=value\r\nabc\r\n1 \r\nd\r\n0\r\nx-trailer: 1\r\nx-other: 2\r\n\r\n")
        << 200 << QByteArray("abcd") << true << QByteArray();
    QTest::addRow("chunked wins over length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                      "2\r\n{}\r\n0\r\n\r\n")
        << 200 << QByteArray("{}") << true << QByteArray();
    QTest::addRow("connection close") << QByteArray("HTTP/1.1 400 Bad Request\r\nConnection: Close\r\n"
                                                    "Content-Length: 2\r\n\r\n{}")
                                      << 400 << QByteArray("{}") << false << QByteArray();
    QTest::addRow("close among tokens") << QByteArray("HTTP/1.1 200 OK\r\nConnection: foo, close\r\n"
                                                      "Content-Length: 2\r\n\r\n{}")
                                        << 200 << QByteArray("{}") << false << QByteArray();
    QTest::addRow("http/1.0") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}") << 200 << QByteArray("{}")
                              << false << QByteArray();
    QTest::addRow("http/1.0 keep-alive") << QByteArray("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                                                       "Content-Length: 2\r\n\r\n{}")
                                         << 200 << QByteArray("{}") << true << QByteArray();
    QTest::addRow("interim 100 continue") << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
                                                        "x-amzn-RequestId: r-3\r\nContent-Length: 2\r\n\r\n{}")
                                          << 201 << QByteArray("{}") << true << QByteArray("r-3");
    QTest::addRow("no content") << QByteArray("HTTP/1.1 204 No Content\r\nx-amzn-RequestId: r-4\r\n\r\n") << 204
                                << QByteArray() << true << QByteArray("r-4");
    QTest::addRow("folded header") << QByteArray("HTTP/1.1 200 OK\r\nx-amzn-RequestId: r-\r\n 5\r\n"
                                                 "Content-Length: 2\r\n\r\n{}")
                                   << 200 << QByteArray("{}") << true << QByteArray("r- 5");
    QTest::addRow("blank line before status") << QByteArray("\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}") << 200
                                              << QByteArray("{}") << true << QByteArray();
    QTest::addRow("folded value trimmed") << QByteArray("HTTP/1.1 200 OK\r\nx-amzn-RequestId:\r\n r-6\r\n\t\r\n"
                                                        "Content-Length: 2\r\n\r\n{}")
                                          << 200 << QByteArray("{}") << true << QByteArray("r-6");
    QTest::addRow("folded connection close") << QByteArray("HTTP/1.1 200 OK\r\nConnection: keep-alive,\r\n close\r\n"
                                                           "Content-Length: 2\r\n\r\n{}")
                                             << 200 << QByteArray("{}") << false << QByteArray();
    QTest::addRow("upper-case chunk sizes") << chunked({QByteArray(26, 'x')}).replace("\r\n1a\r\n", "\r\n1A\r\n") << 200
                                            << QByteArray(26, 'x') << true << QByteArray();
    QTest::addRow("repeated equal lengths") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                                                          "Content-Length: 2\r\n\r\n{}")
                                            << 200 << QByteArray("{}") << true << QByteArray();
}

void tst_HttpResponseParser::completeResponses()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    QFETCH(QByteArray, requestId);

    // Whole, then split at every possible place, then byte by byte.
    for (const qsizetype step : {qsizetype(0), qsizetype(1), qsizetype(2), qsizetype(3), qsizetype(7)}) {
        HttpResponseParser parser;
        parser.reset(1024);
        qsizetype consumed = 0;
        QCOMPARE(feedInPieces(parser, raw, step, &consumed), State::Complete);
        QCOMPARE(consumed, raw.size());
        QCOMPARE(parser.status(), status);
        QCOMPARE(parser.keepAlive(), keepAlive);
        QByteArray foundId;
        for (const auto &[name, value] : parser.headers()) {
            if (name.compare("x-amzn-RequestId", Qt::CaseInsensitive) == 0)
                foundId = value;
        }
        QCOMPARE(foundId, requestId);
        QCOMPARE(parser.takeBody(), body);
    }
    for (qsizetype split = 1; split < raw.size(); ++split) {
        HttpResponseParser parser;
        parser.reset(1024);
        qsizetype first = 0;
        qsizetype second = 0;
        QCOMPARE(parser.feed(raw.constData(), split, &first), State::NeedMore);
        QCOMPARE(first, split);
        QCOMPARE(parser.feed(raw.constData() + split, raw.size() - split, &second), State::Complete);
        QCOMPARE(parser.takeBody(), body);
    }
}

void tst_HttpResponseParser::malformed_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("error");
    QTest::addRow("not http") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n") << u"not HTTP/1.x"_s;
    QTest::addRow("http/2 preface") << QByteArray("HTTP/2 200\r\n\r\n") << u"not HTTP/1.x"_s;
    QTest::addRow("short status") << QByteArray("HTTP/1.1 20 OK\r\n\r\n") << u"three digits"_s;
    QTest::addRow("letters in status") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n") << u"three digits"_s;
    QTest::addRow("header without colon")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length 2\r\n\r\n{}") << u"no colon"_s;
    QTest::addRow("space before colon") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\n{}")
                                        << u"white space"_s;
    QTest::addRow("negative length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n{}")
                                     << u"Content-Length"_s;
    QTest::addRow("two lengths") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")
                                 << u"Content-Length"_s;
    QTest::addRow("chunk size not hex") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                                        << u"hexadecimal"_s;
    QTest::addRow("chunk size with 0x") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                      "0x2\r\n{}\r\n0\r\n\r\n")
                                        << u"hexadecimal"_s;
    QTest::addRow("chunk size with NUL") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0") + '\0'
            + "zz\r\n\r\n" << u"hexadecimal"_s;
    QTest::addRow("chunk size with CR") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                      "2\r\r\n{}\r\n0\r\n\r\n")
                                        << u"hexadecimal"_s;
    QTest::addRow("CR in a header value") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\r\n\r\n"
                                                        "2\r\n{}\r\n0\r\n\r\n")
                                          << u"CR or NUL"_s;
    QTest::addRow("NUL in a header value")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2") + '\0' + "\r\n\r\n{}" << u"CR or NUL"_s;
    QTest::addRow("folded length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n 3\r\n\r\n{}x")
                                   << u"Content-Length"_s;
    QTest::addRow("chunk longer than declared")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n")
        << u"longer than its declared size"_s;
    QTest::addRow("switching protocols") << QByteArray("HTTP/1.1 101 Switching Protocols\r\n\r\n")
                                         << u"switched protocols"_s;
    QTest::addRow("endless headers") << QByteArray("HTTP/1.1 200 OK\r\n") + QByteArray("x-filler: ")
            + QByteArray(HttpResponseParser::MaxHeaderBytes, 'a')
                                     << u"headers are longer than"_s;
}

void tst_HttpResponseParser::malformed()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, error);
    for (const qsizetype step : {qsizetype(0), qsizetype(1), qsizetype(5)}) {
        if (step == 1 && raw.size() > 4096)
            continue; // byte by byte through 64 KiB proves nothing more
        HttpResponseParser parser;
        parser.reset(1024);
        QCOMPARE(feedInPieces(parser, raw, step), State::Malformed);
        QVERIFY2(parser.error().contains(error), qPrintable(parser.error()));
        QVERIFY(!parser.keepAlive());
    }
}

void tst_HttpResponseParser::bodyLimit_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<State>("expected");
    QTest::addColumn<qint64>("maxBufferedBody"); // the most the parser may hold when it stops

    QTest::addRow("length at the limit") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n")
            + QByteArray(16, 'x') << State::Complete
                                         << qint64(16);
    QTest::addRow("declared length over")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n") + QByteArray(17, 'x') << State::TooLarge
        << qint64(0);
    QTest::addRow("huge declared length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999\r\n\r\nx") << State::TooLarge << qint64(0);
    QTest::addRow("chunks at the limit") << chunked({QByteArray(8, 'a'), QByteArray(8, 'b')}) << State::Complete
                                         << qint64(16);
    QTest::addRow("chunks over") << chunked({QByteArray(8, 'a'), QByteArray(8, 'b'), QByteArray(1, 'c')})
                                 << State::TooLarge << qint64(16);
    QTest::addRow("one huge chunk") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                  "fffffffffffff\r\nabc")
                                    << State::TooLarge << qint64(0);
}

void tst_HttpResponseParser::bodyLimit()
{
    QFETCH(QByteArray, raw);
    QFETCH(State, expected);
    QFETCH(qint64, maxBufferedBody);
    for (const qsizetype step : {qsizetype(0), qsizetype(1), qsizetype(4)}) {
        HttpResponseParser parser;
        parser.reset(16);
        QCOMPARE(feedInPieces(parser, raw, step), expected);
        QVERIFY(parser.bodySize() <= maxBufferedBody);
    }
}

void tst_HttpResponseParser::lineLimits_data()
{
    // A line just over a limit is too long however the reads split it, even between its CR and
    // its LF; one at the limit is accepted.
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<qsizetype>("lineEnd"); // a CR whose LF may come in the next read
    QTest::addColumn<QString>("error"); // empty: Complete

    constexpr qsizetype maxLine = 8 * 1024;
    const QByteArray chunkedHead = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const auto trailer = [&](qsizetype length) {
        const QByteArray line = "x-t: " + QByteArray(length - 5, 't');
        return std::pair<QByteArray, qsizetype>(
            chunkedHead + "1\r\na\r\n0\r\n" + line + "\r\n\r\n", chunkedHead.size() + 9 + line.size());
    };
    const auto extension = [&](qsizetype length) {
        const QByteArray line = "1;" + QByteArray(length - 2, 'e');
        return std::pair<QByteArray, qsizetype>(
            chunkedHead + line + "\r\na\r\n0\r\n\r\n", chunkedHead.size() + line.size());
    };
    const auto head = [](qsizetype total) {
        const QByteArray start = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nx-f: ";
        const QByteArray line = QByteArray(total - start.size() - 4, 'f');
        return std::pair<QByteArray, qsizetype>(start + line + "\r\n\r\n", start.size() + line.size() + 2);
    };
    const std::pair<QByteArray, qsizetype> rows[] = {trailer(maxLine), trailer(maxLine + 1), extension(maxLine),
        extension(maxLine + 1), head(HttpResponseParser::MaxHeaderBytes), head(HttpResponseParser::MaxHeaderBytes + 1)};
    const QString errors[] = {{}, u"trailer line is longer than 8192 bytes"_s, {},
        u"chunk-size line is longer than 8192 bytes"_s, {}, u"headers are longer than 64 KiB"_s};
    const char *names[] = {"trailer at the limit", "trailer over", "chunk extension at the limit",
        "chunk extension over", "headers at the limit", "headers over"};
    for (int i = 0; i < 6; ++i)
        QTest::addRow("%s", names[i]) << rows[i].first << rows[i].second << errors[i];
}

void tst_HttpResponseParser::lineLimits()
{
    QFETCH(QByteArray, raw);
    QFETCH(qsizetype, lineEnd);
    QFETCH(QString, error);
    QCOMPARE(raw.at(lineEnd), '\r');
    const State expected = error.isEmpty() ? State::Complete : State::Malformed;

    QList<QList<QByteArray>> readings; // each a list of reads
    readings.append({raw});
    readings.append({raw.first(lineEnd), raw.sliced(lineEnd)});
    readings.append({raw.first(lineEnd + 1), raw.sliced(lineEnd + 1)});
    for (const qsizetype step : {qsizetype(1), qsizetype(7), qsizetype(4096)}) {
        QList<QByteArray> pieces;
        for (qsizetype offset = 0; offset < raw.size(); offset += step)
            pieces.append(raw.mid(offset, step));
        readings.append(pieces);
    }
    for (const QList<QByteArray> &reads : std::as_const(readings)) {
        HttpResponseParser parser;
        parser.reset(1024);
        State state = State::NeedMore;
        for (qsizetype i = 0; i < reads.size() && state == State::NeedMore; ++i) {
            qsizetype used = 0;
            state = parser.feed(reads[i].constData(), reads[i].size(), &used);
        }
        QCOMPARE(state, expected);
        QVERIFY2(parser.error().contains(error), qPrintable(parser.error()));
    }
}

void tst_HttpResponseParser::bodyUntilClose()
{
    // Neither length nor chunked: the body is what comes until the server closes.
    const QByteArray head = "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n";
    HttpResponseParser parser;
    parser.reset(16);
    QCOMPARE(feedInPieces(parser, head + "{\"a\":", 0), State::NeedMore);
    QCOMPARE(feedInPieces(parser, "1}", 0), State::NeedMore);
    QCOMPARE(parser.finishAtEof(), State::Complete);
    QVERIFY(!parser.keepAlive());
    QCOMPARE(parser.takeBody(), QByteArray("{\"a\":1}"));

    // ...and is limited like any other.
    parser.reset(16);
    QCOMPARE(feedInPieces(parser, head + QByteArray(17, 'x'), 3), State::TooLarge);
}

void tst_HttpResponseParser::truncatedBodyIsNotComplete()
{
    HttpResponseParser parser;
    parser.reset(1024);
    QVERIFY(!parser.hasStarted());
    QCOMPARE(feedInPieces(parser, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\"", 0), State::NeedMore);
    QVERIFY(parser.hasStarted());
    QVERIFY(parser.headersComplete());
    QCOMPARE(parser.finishAtEof(), State::NeedMore);

    parser.reset(1024);
    QCOMPARE(feedInPieces(parser, chunked({"abc"}).chopped(5), 0), State::NeedMore);
    QCOMPARE(parser.finishAtEof(), State::NeedMore);
}

void tst_HttpResponseParser::keepsBytesOfTheNextResponse()
{
    const QByteArray first = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    const QByteArray next = "HTTP/1.1 200 OK\r\n";
    HttpResponseParser parser;
    parser.reset(1024);
    qsizetype used = 0;
    const QByteArray both = first + next;
    QCOMPARE(parser.feed(both.constData(), both.size(), &used), State::Complete);
    QCOMPARE(used, first.size());
}

void tst_HttpResponseParser::headResponseHasNoBody()
{
    HttpResponseParser parser;
    parser.reset(1024, true);
    QCOMPARE(feedInPieces(parser, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", 0), State::Complete);
    QVERIFY(parser.keepAlive());
    QVERIFY(parser.takeBody().isEmpty());
}

void tst_HttpResponseParser::resetReadsTheNextResponse()
{
    HttpResponseParser parser;
    parser.reset(1024);
    QCOMPARE(feedInPieces(parser, chunked({"abc"}, "x-t: 1\r\n"), 2), State::Complete);
    QCOMPARE(parser.takeBody(), QByteArray("abc"));
    parser.reset(1024);
    QVERIFY(!parser.hasStarted());
    QCOMPARE(feedInPieces(parser, "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnop", 0), State::Complete);
    QCOMPARE(parser.status(), 404);
    QCOMPARE(parser.takeBody(), QByteArray("nop"));
}

QTEST_APPLESS_MAIN(tst_HttpResponseParser)
#include "tst_httpresponseparser.moc"
