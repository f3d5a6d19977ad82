// HTTP/1.x responses as a server (or anything listening on the endpoint's port) may send them:
// HttpResponseParser fed the bytes whole, then in pieces. Input: a byte giving the piece size
// (1 + the low 6 bits), a byte of options (bits 0-2: the body limit, from bodyLimits; bit 3: the
// request was HEAD; bit 4: re-encode the body chunked rather than with Content-Length), then the
// response bytes. The same response must come out however the bytes arrive, never with a body
// over the limit, and a complete body must be what its framing delimits.
#include "aws/http/httpresponseparser.h"
#include "fuzzcheck.h"

#include <algorithm>
#include <cstdint>
#include <optional>

using namespace pagewise;

namespace
{

using State = HttpResponseParser::State;

constexpr qint64 bodyLimits[] = {0, 1, 16, 100, 1024, 4096, 65536, 1024 * 1024};

/// Everything a caller can observe once the parser stops (or the peer closes).
struct Outcome {
    State state = State::NeedMore;
    qsizetype consumed = 0;
    bool started = false;
    bool headersComplete = false;
    int status = 0;
    HttpHeaders headers;
    qint64 bodySize = 0;
    QByteArray body;
    bool keepAlive = false;
    QString error;
};

/// Feeds `bytes` in pieces of `step` bytes until the parser stops; at the end of the bytes the
/// peer closes the connection.
Outcome parse(QByteArrayView bytes, qsizetype step, qint64 limit, bool headRequest)
{
    HttpResponseParser parser;
    parser.reset(limit, headRequest);
    Outcome outcome;
    for (qsizetype offset = 0; offset < bytes.size() && outcome.state == State::NeedMore; offset += step) {
        qsizetype used = 0;
        const qsizetype piece = std::min(step, bytes.size() - offset);
        outcome.state = parser.feed(bytes.data() + offset, piece, &used);
        FUZZ_CHECK(used >= 0 && used <= piece);
        FUZZ_CHECK(outcome.state != State::NeedMore || used == piece);
        outcome.consumed += used;
        FUZZ_CHECK(parser.bodySize() <= limit);
    }
    if (outcome.state == State::NeedMore)
        outcome.state = parser.finishAtEof();
    FUZZ_CHECK(parser.state() == outcome.state);
    outcome.started = parser.hasStarted();
    outcome.headersComplete = parser.headersComplete();
    outcome.status = parser.status();
    outcome.keepAlive = parser.keepAlive();
    outcome.error = parser.error();
    outcome.headers = parser.takeHeaders();
    outcome.bodySize = parser.bodySize();
    outcome.body = parser.takeBody();
    return outcome;
}

bool equalsIgnoringCase(const QByteArray &a, const char *b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

/// Without the optional white space (SP, HTAB) around it (RFC 9110, 5.6.3).
QByteArray trimmedOws(QByteArray text)
{
    while (text.endsWith(' ') || text.endsWith('\t'))
        text.chop(1);
    while (text.startsWith(' ') || text.startsWith('\t'))
        text.remove(0, 1);
    return text;
}

bool isFramingHeader(const QByteArray &name)
{
    return equalsIgnoringCase(name, "content-length") || equalsIgnoringCase(name, "transfer-encoding");
}

enum class Framing { None, Length, Chunked, UntilClose };

/// How the headers delimit the body (RFC 9112, 6.3), read independently of the parser.
Framing framingOf(const HttpHeaders &headers, int status, bool headRequest, qint64 *declaredLength)
{
    if (headRequest || status == 204 || status == 304)
        return Framing::None;
    const QByteArray *transferEncoding = nullptr;
    const QByteArray *contentLength = nullptr;
    for (const auto &[name, value] : headers) {
        if (equalsIgnoringCase(name, "transfer-encoding"))
            transferEncoding = &value;
        else if (equalsIgnoringCase(name, "content-length"))
            contentLength = &value;
    }
    if (transferEncoding) {
        const QByteArray last = trimmedOws(transferEncoding->mid(transferEncoding->lastIndexOf(',') + 1));
        return equalsIgnoringCase(last, "chunked") ? Framing::Chunked : Framing::UntilClose;
    }
    if (!contentLength)
        return Framing::UntilClose;
    bool ok = false;
    *declaredLength = contentLength->toLongLong(&ok);
    FUZZ_CHECK(ok && *declaredLength >= 0);
    return Framing::Length;
}

/// The response written again by a plain server: same status, the headers other than framing,
/// the body with Content-Length or in chunks of `chunkSize`.
QByteArray reencode(const Outcome &outcome, bool chunked, qsizetype chunkSize)
{
    QByteArray raw = "HTTP/1.1 " + QByteArray::number(outcome.status) + " Again\r\n";
    for (const auto &[name, value] : outcome.headers) {
        if (!isFramingHeader(name))
            raw += name + ": " + value + "\r\n";
    }
    if (!chunked || outcome.body.isEmpty())
        return raw + "Content-Length: " + QByteArray::number(outcome.body.size()) + "\r\n\r\n" + outcome.body;
    raw += "Transfer-Encoding: chunked\r\n\r\n";
    for (qsizetype offset = 0; offset < outcome.body.size(); offset += chunkSize) {
        const QByteArray chunk = outcome.body.mid(offset, chunkSize);
        raw += QByteArray::number(chunk.size(), 16) + ";piece\r\n" + chunk + "\r\n";
    }
    return raw + "0\r\nx-trailer: 1\r\n\r\n";
}

/// Where the status line and headers of the final response end: the bytes fed one at a time.
qsizetype headEnd(QByteArrayView bytes, qint64 limit)
{
    HttpResponseParser parser;
    parser.reset(limit);
    qsizetype end = 0;
    while (end < bytes.size() && !parser.headersComplete()) {
        qsizetype used = 0;
        parser.feed(bytes.data() + end, 1, &used);
        FUZZ_CHECK(used == 1);
        ++end;
    }
    FUZZ_CHECK(parser.headersComplete());
    return end;
}

/// A strict reader of chunked coding (RFC 9112, 7.1; bare LF accepted as the parser does): the
/// body, and in *end where the response ends; nullopt when the bytes are not that coding.
std::optional<QByteArray> dechunk(QByteArrayView bytes, qsizetype *end)
{
    QByteArray body;
    qsizetype pos = 0;
    const auto nextLine = [&](QByteArrayView *line) {
        const qsizetype newline = bytes.sliced(pos).indexOf('\n');
        if (newline < 0)
            return false;
        *line = bytes.sliced(pos, newline);
        if (line->endsWith('\r'))
            line->chop(1);
        pos += newline + 1;
        return true;
    };
    for (;;) {
        QByteArrayView line;
        if (!nextLine(&line))
            return std::nullopt;
        if (line.contains(';'))
            line = line.first(line.indexOf(';'));
        while (!line.isEmpty() && (line.back() == ' ' || line.back() == '\t'))
            line.chop(1);
        while (!line.isEmpty() && (line.front() == ' ' || line.front() == '\t'))
            line = line.sliced(1);
        if (line.isEmpty() || line.size() > 15)
            return std::nullopt;
        qint64 size = 0;
        for (const char c : line) {
            const int digit = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f'             ? c - 'a' + 10
                : c >= 'A' && c <= 'F'             ? c - 'A' + 10
                                                   : -1;
            if (digit < 0)
                return std::nullopt;
            size = size * 16 + digit;
        }
        if (size == 0)
            break;
        if (bytes.size() - pos < size)
            return std::nullopt;
        body += bytes.sliced(pos, size);
        pos += size;
        if (!nextLine(&line) || !line.isEmpty())
            return std::nullopt;
    }
    for (QByteArrayView trailer;;) {
        if (!nextLine(&trailer))
            return std::nullopt;
        if (trailer.isEmpty())
            break;
    }
    *end = pos;
    return body;
}

HttpHeaders withoutFraming(HttpHeaders headers)
{
    headers.removeIf([](const auto &header) { return isFramingHeader(header.first); });
    return headers;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 1024 * 1024)
        return 0;
    const qsizetype step = 1 + (data[0] & 0x3f);
    const qint64 limit = bodyLimits[data[1] & 7];
    const bool headRequest = data[1] & 8;
    const bool chunkedAgain = data[1] & 16;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));

    const Outcome whole = parse(bytes, std::max<qsizetype>(bytes.size(), 1), limit, headRequest);
    const Outcome pieces = parse(bytes, step, limit, headRequest);

    // However the bytes arrive, the same response (or the same error).
    FUZZ_CHECK(whole.state == pieces.state);
    FUZZ_CHECK(whole.started == pieces.started);
    FUZZ_CHECK(whole.started == !bytes.isEmpty());
    FUZZ_CHECK(whole.headersComplete == pieces.headersComplete);
    FUZZ_CHECK(whole.status == pieces.status);
    FUZZ_CHECK(whole.headers == pieces.headers);
    FUZZ_CHECK(whole.error == pieces.error);
    FUZZ_CHECK((whole.state == State::Malformed) == !whole.error.isEmpty());
    if (whole.state == State::Complete || whole.state == State::NeedMore) {
        // Bytes after a complete response belong to the next one; a NeedMore parser took them all.
        FUZZ_CHECK(whole.consumed == pieces.consumed);
        FUZZ_CHECK(whole.state == State::Complete || whole.consumed == bytes.size());
        FUZZ_CHECK(whole.body == pieces.body);
        FUZZ_CHECK(whole.keepAlive == pieces.keepAlive);
    } else {
        FUZZ_CHECK(!whole.keepAlive && !pieces.keepAlive);
    }
    for (const Outcome *outcome : {&whole, &pieces}) {
        FUZZ_CHECK(outcome->bodySize <= limit);
        FUZZ_CHECK(outcome->body.size() == outcome->bodySize);
    }
    if (!whole.headersComplete) {
        FUZZ_CHECK(whole.status == 0 && whole.headers.isEmpty() && whole.body.isEmpty());
        return 0;
    }
    FUZZ_CHECK(whole.status >= 200 && whole.status <= 999);

    qint64 declaredLength = -1;
    const Framing framing = framingOf(whole.headers, whole.status, headRequest, &declaredLength);
    if (whole.state == State::TooLarge && framing == Framing::Length)
        FUZZ_CHECK(declaredLength > limit);
    if (whole.state != State::Complete)
        return 0;

    // The body is what the framing delimits.
    switch (framing) {
    case Framing::None:
        FUZZ_CHECK(whole.body.isEmpty());
        break;
    case Framing::Length:
        FUZZ_CHECK(whole.body.size() == declaredLength);
        FUZZ_CHECK(whole.body == bytes.first(whole.consumed).last(declaredLength));
        break;
    case Framing::UntilClose:
        FUZZ_CHECK(!whole.keepAlive);
        FUZZ_CHECK(whole.consumed == bytes.size());
        FUZZ_CHECK(whole.body == bytes.last(whole.body.size()));
        break;
    case Framing::Chunked: {
        const qsizetype start = headEnd(bytes, limit);
        qsizetype end = 0;
        const std::optional<QByteArray> body = dechunk(bytes.first(whole.consumed).sliced(start), &end);
        FUZZ_CHECK(body && *body == whole.body);
        FUZZ_CHECK(start + end == whole.consumed);
        break;
    }
    }

    // Written again as a plain server would, the response reads back the same.
    const QByteArray again = reencode(whole, chunkedAgain, step);
    if (again.indexOf("\r\n\r\n") + 4 > HttpResponseParser::MaxHeaderBytes)
        return 0; // ": " and CR LF where the original had less
    const Outcome reread = parse(again, std::max<qsizetype>(again.size(), 1), limit, false);
    FUZZ_CHECK(reread.state == State::Complete);
    FUZZ_CHECK(reread.consumed == again.size());
    FUZZ_CHECK(reread.status == whole.status);
    FUZZ_CHECK(withoutFraming(reread.headers) == withoutFraming(whole.headers));
    FUZZ_CHECK(reread.body == whole.body);
    return 0;
}
