#include "httpresponseparser.h"

#include <algorithm>
#include <cstring>

namespace pagewise
{

namespace
{

constexpr qsizetype MaxLineBytes = 8 * 1024; // a chunk-size or trailer line

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

QByteArrayView trimmed(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isSpace(text[begin]))
        ++begin;
    while (end > begin && isSpace(text[end - 1]))
        --end;
    return text.sliced(begin, end - begin);
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && qstrnicmp(a.data(), a.size(), b.data(), b.size()) == 0;
}

/// Whether a comma-separated header value holds the token (any case).
bool hasToken(QByteArrayView value, QByteArrayView token)
{
    while (!value.isEmpty()) {
        const qsizetype comma = value.indexOf(',');
        const QByteArrayView item = trimmed(comma < 0 ? value : value.first(comma));
        if (equalsIgnoringCase(item, token))
            return true;
        if (comma < 0)
            break;
        value = value.sliced(comma + 1);
    }
    return false;
}

/// The last comma-separated item of a header value.
QByteArrayView lastToken(QByteArrayView value)
{
    const qsizetype comma = value.lastIndexOf(',');
    return trimmed(comma < 0 ? value : value.sliced(comma + 1));
}

/// A non-negative decimal number without sign or spaces; -1 when it is not one.
qint64 parseLength(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 18)
        return -1;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

/// A chunk size: 1 to 15 hexadecimal digits, nothing else (no sign, prefix or NUL); -1 otherwise.
qint64 parseChunkSize(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 15)
        return -1;
    qint64 value = 0;
    for (const char c : text) {
        int digit = -1;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

} // namespace

void HttpResponseParser::reset(qint64 maxBodyBytes, bool headRequest)
{
    m_state = State::NeedMore;
    m_phase = Phase::Head;
    m_maxBodyBytes = maxBodyBytes;
    m_headRequest = headRequest;
    m_started = false;
    m_keepAlive = false;
    m_status = 0;
    m_headers.clear();
    m_head.resize(0);
    m_line.resize(0);
    m_lineLength = 0;
    m_sawHeadLine = false;
    m_body = QByteArray();
    m_remaining = 0;
    m_error.clear();
}

HttpResponseParser::State HttpResponseParser::fail(const QString &error)
{
    m_error = error;
    m_state = State::Malformed;
    m_keepAlive = false;
    return m_state;
}

HttpResponseParser::State HttpResponseParser::feed(const char *data, qsizetype size, qsizetype *consumed)
{
    qsizetype pos = 0;
    if (size > 0)
        m_started = true;
    while (pos < size && m_state == State::NeedMore) {
        switch (m_phase) {
        case Phase::Head: {
            qsizetype used = 0;
            parseHead(data + pos, size - pos, &used);
            pos += used;
            break;
        }
        case Phase::LengthBody:
        case Phase::ChunkData: {
            const qsizetype take = qsizetype(std::min<qint64>(m_remaining, size - pos));
            m_body.append(data + pos, take);
            pos += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                if (m_phase == Phase::LengthBody) {
                    m_phase = Phase::Done;
                    m_state = State::Complete;
                } else {
                    m_phase = Phase::ChunkDataEnd;
                }
            }
            break;
        }
        case Phase::ChunkSize: {
            if (!takeLimitedLine(data, size, pos, QLatin1String("chunk-size")))
                break;
            QByteArrayView line(m_line);
            const qsizetype extension = line.indexOf(';');
            if (extension >= 0)
                line = line.first(extension);
            const qint64 chunk = parseChunkSize(trimmed(line));
            m_line.resize(0);
            if (chunk < 0) {
                fail(QStringLiteral("a chunk size is not a hexadecimal number"));
                break;
            }
            if (chunk == 0) {
                m_phase = Phase::Trailers;
                break;
            }
            if (m_body.size() + chunk > m_maxBodyBytes) {
                m_state = State::TooLarge;
                m_keepAlive = false;
                break;
            }
            m_remaining = chunk;
            m_phase = Phase::ChunkData;
            break;
        }
        case Phase::ChunkDataEnd:
            if (!takeLine(data, size, pos)) {
                if (!m_line.isEmpty() && m_line != "\r")
                    fail(QStringLiteral("a chunk is longer than its declared size"));
                break;
            }
            if (!m_line.isEmpty())
                fail(QStringLiteral("a chunk is longer than its declared size"));
            else
                m_phase = Phase::ChunkSize;
            m_line.resize(0);
            break;
        case Phase::Trailers:
            if (!takeLimitedLine(data, size, pos, QLatin1String("trailer")))
                break;
            if (m_line.isEmpty()) {
                m_phase = Phase::Done;
                m_state = State::Complete;
            }
            m_line.resize(0);
            break;
        case Phase::UntilClose:
            appendBody(data + pos, size - pos);
            pos = size;
            break;
        case Phase::Done:
            break;
        }
    }
    *consumed = pos;
    return m_state;
}

HttpResponseParser::State HttpResponseParser::finishAtEof()
{
    if (m_state == State::NeedMore && m_phase == Phase::UntilClose) {
        m_phase = Phase::Done;
        m_state = State::Complete;
    }
    return m_state;
}

bool HttpResponseParser::takeLine(const char *data, qsizetype size, qsizetype &pos)
{
    const void *found = std::memchr(data + pos, '\n', size_t(size - pos));
    if (!found) {
        m_line.append(data + pos, size - pos);
        pos = size;
        return false;
    }
    const qsizetype newline = static_cast<const char *>(found) - data;
    m_line.append(data + pos, newline - pos);
    pos = newline + 1;
    if (m_line.endsWith('\r'))
        m_line.chop(1);
    return true;
}

bool HttpResponseParser::takeLimitedLine(const char *data, qsizetype size, qsizetype &pos, QLatin1String what)
{
    const bool complete = takeLine(data, size, pos);
    // A line in progress may still lose a CR before its LF: the same line is too long whether
    // it arrived whole or in pieces.
    if (m_line.size() > MaxLineBytes + (complete ? 0 : 1)) {
        fail(QStringLiteral("a %1 line is longer than %2 bytes").arg(what).arg(MaxLineBytes));
        return false;
    }
    return complete;
}

HttpResponseParser::State HttpResponseParser::appendBody(const char *data, qsizetype size)
{
    if (m_body.size() + size > m_maxBodyBytes) {
        m_state = State::TooLarge;
        return m_state;
    }
    m_body.append(data, size);
    return m_state;
}

HttpResponseParser::State HttpResponseParser::parseHead(const char *data, qsizetype size, qsizetype *consumed)
{
    // Only the status line and headers are copied (into m_head); body bytes that came in the
    // same read are left to the body phases.
    const auto tooLong = [this]() {
        return fail(QStringLiteral("the response headers are longer than %1 KiB").arg(MaxHeaderBytes / 1024));
    };
    qsizetype start = 0;
    qsizetype pos = 0;
    while (pos < size) {
        const void *found = std::memchr(data + pos, '\n', size_t(size - pos));
        if (!found) {
            m_lineLength += size - pos;
            pos = size;
            break;
        }
        const qsizetype newline = static_cast<const char *>(found) - data;
        const qsizetype length = m_lineLength + (newline - pos);
        const char last = newline > pos ? data[newline - 1] : (m_head.isEmpty() ? '\0' : m_head.back());
        const bool blank = length == 0 || (length == 1 && last == '\r');
        m_lineLength = 0;
        pos = newline + 1;
        if (!blank) {
            m_sawHeadLine = true;
            continue;
        }
        if (!m_sawHeadLine) {
            // Blank lines before a status line are tolerated (RFC 9112, 2.2).
            start = pos;
            m_head.resize(0);
            continue;
        }
        m_head.append(data + start, pos - start);
        *consumed = pos;
        if (m_head.size() > MaxHeaderBytes)
            return tooLong();
        const State state = interpretHead();
        m_head.resize(0);
        m_sawHeadLine = false;
        return state;
    }
    m_head.append(data + start, pos - start);
    *consumed = pos;
    // At least the final LF is still to come, so the limit is reached the same way whether the
    // head arrives in one read or in many.
    if (m_head.size() >= MaxHeaderBytes)
        return tooLong();
    return m_state;
}

HttpResponseParser::State HttpResponseParser::interpretHead()
{
    QByteArrayView head(m_head);
    const auto nextLine = [&head]() {
        const qsizetype newline = head.indexOf('\n');
        QByteArrayView line = newline < 0 ? head : head.first(newline);
        head = newline < 0 ? QByteArrayView() : head.sliced(newline + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        return line;
    };

    // HTTP/1.1 200 OK
    const QByteArrayView statusLine = nextLine();
    if (statusLine.size() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine[8] != ' ')
        return fail(QStringLiteral("the status line is not HTTP/1.x"));
    const char minor = statusLine[7];
    if (minor < '0' || minor > '9')
        return fail(QStringLiteral("the status line is not HTTP/1.x"));
    const QByteArrayView code = statusLine.sliced(9, 3);
    if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })
        || (statusLine.size() > 12 && statusLine[12] != ' '))
        return fail(QStringLiteral("the status code is not three digits"));
    const int status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    if (status < 100)
        return fail(QStringLiteral("the status code is not three digits"));
    const bool http10 = minor == '0';

    HttpHeaders headers;
    headers.reserve(16);
    while (!head.isEmpty()) {
        const QByteArrayView line = nextLine();
        if (line.isEmpty())
            break;
        // RFC 9110, 5.5: a CR or NUL could make one header read as another (or as none).
        if (line.contains('\r') || line.contains('\0'))
            return fail(QStringLiteral("a header line contains a CR or NUL byte"));
        if (isSpace(line[0])) {
            // Obsolete line folding: the previous header's value goes on after one space.
            if (headers.isEmpty())
                return fail(QStringLiteral("a header line starts with white space"));
            QByteArray &value = headers.last().second;
            value.append(' ').append(trimmed(line));
            value = trimmed(value).toByteArray();
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(QStringLiteral("a header line has no name or no colon"));
        const QByteArrayView name = line.first(colon);
        if (std::any_of(name.begin(), name.end(), [](char c) { return isSpace(c); }))
            return fail(QStringLiteral("a header name contains white space"));
        headers.append({name.toByteArray(), trimmed(line.sliced(colon + 1)).toByteArray()});
    }

    // Read only once every header is whole, so that folded lines count.
    qint64 contentLength = -1;
    bool chunked = false;
    bool otherCoding = false;
    bool close = false;
    bool keepAliveToken = false;
    for (const auto &[name, value] : std::as_const(headers)) {
        if (equalsIgnoringCase(name, "content-length")) {
            const qint64 length = parseLength(value);
            if (length < 0 || (contentLength >= 0 && contentLength != length))
                return fail(QStringLiteral("the Content-Length header is not one non-negative number"));
            contentLength = length;
        } else if (equalsIgnoringCase(name, "transfer-encoding")) {
            chunked = equalsIgnoringCase(lastToken(value), "chunked");
            otherCoding = !chunked;
        } else if (equalsIgnoringCase(name, "connection")) {
            close = close || hasToken(value, "close");
            keepAliveToken = keepAliveToken || hasToken(value, "keep-alive");
        }
    }

    if (status < 200) {
        if (status == 101)
            return fail(QStringLiteral("the server switched protocols, which was not asked for"));
        return m_state; // an interim response: the real one follows
    }
    m_status = status;
    m_headers = std::move(headers);
    m_keepAlive = http10 ? keepAliveToken && !close : !close;

    if (m_headRequest || status == 204 || status == 304) {
        m_phase = Phase::Done;
        m_state = State::Complete;
    } else if (chunked) {
        m_phase = Phase::ChunkSize;
    } else if (otherCoding || contentLength < 0) {
        m_phase = Phase::UntilClose;
        m_keepAlive = false;
    } else if (contentLength > m_maxBodyBytes) {
        m_phase = Phase::Done;
        m_state = State::TooLarge;
        m_keepAlive = false;
    } else if (contentLength == 0) {
        m_phase = Phase::Done;
        m_state = State::Complete;
    } else {
        m_body.reserve(contentLength);
        m_remaining = contentLength;
        m_phase = Phase::LengthBody;
    }
    return m_state;
}

} // namespace pagewise
