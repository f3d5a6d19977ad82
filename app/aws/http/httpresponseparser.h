#pragma once

#include "aws/http/httpengine.h"

#include <QByteArray>

namespace pagewise
{

/// Reads one HTTP/1.x response from bytes as they arrive: status line, headers, then a body
/// delimited by Content-Length, chunked transfer coding or the end of the connection. Interim
/// 1xx responses are skipped. The body limit is enforced while reading, so a body that is too
/// large is never buffered whole, whether its length was declared or not.
class HttpResponseParser
{
public:
    enum class State {
        NeedMore, ///< feed more bytes (or call finishAtEof() when the peer closed)
        Complete, ///< a whole response; bytes after it were not consumed
        Malformed, ///< not HTTP/1.x; error() says what
        TooLarge, ///< the body is longer than the limit
    };

    static constexpr qsizetype MaxHeaderBytes = 64 * 1024;

    /// Readies the parser for a new response. HEAD responses have no body whatever they declare.
    void reset(qint64 maxBodyBytes, bool headRequest = false);
    /// Consumes bytes up to the end of the response; *consumed says how many were used.
    State feed(const char *data, qsizetype size, qsizetype *consumed);
    /// The peer closed the connection: completes a body that runs to the end of the connection,
    /// and is Malformed for anything else not yet complete.
    State finishAtEof();

    State state() const { return m_state; }
    bool hasStarted() const { return m_started; } ///< at least one byte of a response arrived
    bool headersComplete() const { return m_phase > Phase::Head; }
    int status() const { return m_status; }
    const HttpHeaders &headers() const { return m_headers; }
    HttpHeaders takeHeaders() { return std::move(m_headers); }
    qint64 bodySize() const { return m_body.size(); }
    QByteArray takeBody() { return std::move(m_body); }
    /// Whether the connection may carry another request after this response.
    bool keepAlive() const { return m_keepAlive; }
    QString error() const { return m_error; }

private:
    enum class Phase { Head, LengthBody, ChunkSize, ChunkData, ChunkDataEnd, Trailers, UntilClose, Done };

    State fail(const QString &error);
    State parseHead(const char *data, qsizetype size, qsizetype *consumed);
    State interpretHead();
    /// Collects one line into m_line; true when it is complete (without CR LF).
    bool takeLine(const char *data, qsizetype size, qsizetype &pos);
    /// takeLine() for chunk-size and trailer lines, which fails the response when one is too long.
    bool takeLimitedLine(const char *data, qsizetype size, qsizetype &pos, QLatin1String what);
    State appendBody(const char *data, qsizetype size);

    State m_state = State::NeedMore;
    Phase m_phase = Phase::Head;
    qint64 m_maxBodyBytes = 0;
    bool m_headRequest = false;
    bool m_started = false;
    bool m_keepAlive = false;
    int m_status = 0;
    HttpHeaders m_headers;
    QByteArray m_head; ///< bytes of the status line and headers until their blank line
    qsizetype m_lineLength = 0; ///< of the head line in progress
    bool m_sawHeadLine = false;
    QByteArray m_line; ///< a chunk-size or trailer line in progress
    QByteArray m_body;
    qint64 m_remaining = 0; ///< of the declared length or of the current chunk
    QString m_error;
};

} // namespace pagewise
