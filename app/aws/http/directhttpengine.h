#pragma once

#include "aws/http/httpengine.h"

#include <QObject>

#include <vector>

namespace pagewise
{

class DirectConnection;
class DirectExchange;

/// A lean HTTP/1.1 client on the calling thread's event loop, for direct connections only (no
/// proxy): QTcpSocket (unbuffered) or QSslSocket with the attempt's TLS configuration, one
/// write per request, TCP_NODELAY, the response parsed as it arrives (HttpResponseParser) with
/// the body limit enforced while reading. Connections are kept alive and reused per scheme,
/// host and port (at most MaxIdlePerOrigin idle ones each); a reused connection that fails
/// before any byte of the response came back is replaced by a fresh one once, as urllib3 and
/// QNetworkAccessManager do. Bodies are not compressed (no Accept-Encoding). Host names are
/// looked up by Qt's resolver when a connection opens. Destroying the engine aborts its
/// exchanges silently.
class DirectHttpEngine final : public QObject, public HttpEngine
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DirectHttpEngine)
public:
    static constexpr int MaxIdlePerOrigin = 4;
    static constexpr qsizetype ReadBufferBytes = 64 * 1024;

    /// Counters for tests and benchmarks.
    struct Stats {
        int connectionsOpened = 0;
        int requestsOnReusedConnections = 0;
        int staleConnectionRetries = 0; ///< requests moved to a fresh connection
    };

    explicit DirectHttpEngine(QObject *parent = nullptr);
    ~DirectHttpEngine() override;

    /// Listeners must not abort the exchange from requestWritten(), responseStarted() or
    /// bodyReceived().
    HttpExchange *start(HttpAttempt attempt, HttpExchangeListener *listener) override;

    Stats stats() const { return m_stats; }
    int idleConnections() const;

private:
    friend class DirectExchange;

    void open(DirectExchange *exchange);
    void sendRequest(DirectConnection *connection);
    DirectConnection *takeIdle(const QByteArray &origin);

    void handleConnected(DirectConnection *connection);
    void handleBytesWritten(DirectConnection *connection);
    void handleReadyRead(DirectConnection *connection);
    /// Reads what has arrived; false when that ended the exchange (the connection may be gone).
    bool readResponse(DirectConnection *connection);
    void handleTrouble(DirectConnection *connection);
    void handleEndOfStream(DirectConnection *connection);

    void finishExchange(DirectConnection *connection, HttpOutcome outcome, const QString &errorText = {});
    void abortExchange(DirectExchange *exchange);
    void closeConnection(DirectConnection *connection);

    std::vector<DirectConnection *> m_connections; ///< busy, connecting and idle
    std::vector<DirectExchange *> m_orphans; ///< refused in start(), told from the event loop
    quint64 m_nextConnectionId = 0;
    QByteArray m_readBuffer; ///< one for all connections: reads never interleave on one thread
    Stats m_stats;
    bool m_inStart = false; ///< socket trouble seen inside start() is handled from the event loop
};

} // namespace pagewise
