#include "directhttpengine.h"

#include "aws/http/httpresponseparser.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>
#include <cstring>

namespace pagewise
{

/// One request on its way: the bytes to write and who to tell.
class DirectExchange final : public HttpExchange
{
public:
    void abort() override { engine->abortExchange(this); }

    DirectHttpEngine *engine = nullptr;
    HttpExchangeListener *listener = nullptr;
    QByteArray origin; ///< scheme://host:port, the pool key
    QString host;
    quint16 port = 0;
    bool https = false;
    std::optional<QSslConfiguration> tls;
    QByteArray wire; ///< the whole request, written at once
    qint64 maxResponseBytes = 0;
    bool head = false;
    DirectConnection *connection = nullptr; ///< none while a failure found in start() waits to be told
    HttpOutcome pendingOutcome = HttpOutcome::OtherError;
    QString pendingError;
    bool written = false;
    bool reused = false;
    bool staleRetried = false;
};

/// One socket and the response being read on it.
class DirectConnection
{
public:
    quint64 id = 0;
    QTcpSocket *socket = nullptr; ///< a QSslSocket for https; a child of the engine
    QByteArray origin;
    bool tls = false;
    bool ready = false; ///< connected, and for https encrypted
    bool troubled = false; ///< trouble seen inside start(), handled from the event loop
    bool leftover = false; ///< bytes came after the response: the connection cannot be reused
    DirectExchange *exchange = nullptr; ///< none while idle
    QList<QSslError> sslErrors;
    HttpResponseParser parser;
};

namespace
{

int defaultPort(const QString &scheme)
{
    return scheme == QLatin1String("https") ? 443 : 80;
}

bool hasLineBreak(const QByteArray &text)
{
    return text.contains('\r') || text.contains('\n');
}

} // namespace

DirectHttpEngine::DirectHttpEngine(QObject *parent)
    : QObject(parent)
{
}

DirectHttpEngine::~DirectHttpEngine()
{
    for (DirectExchange *orphan : std::as_const(m_orphans))
        delete orphan;
    const std::vector<DirectConnection *> connections = m_connections;
    for (DirectConnection *connection : connections) {
        delete connection->exchange;
        connection->exchange = nullptr;
        closeConnection(connection);
    }
    // The sockets are children: they go with the engine.
}

int DirectHttpEngine::idleConnections() const
{
    return int(std::count_if(m_connections.cbegin(), m_connections.cend(),
        [](const DirectConnection *connection) { return connection->ready && !connection->exchange; }));
}

HttpExchange *DirectHttpEngine::start(HttpAttempt attempt, HttpExchangeListener *listener)
{
    auto *exchange = new DirectExchange;
    exchange->engine = this;
    exchange->listener = listener;
    exchange->https = attempt.url.scheme() == QLatin1String("https");
    exchange->host = attempt.url.host();
    exchange->port = quint16(attempt.url.port(defaultPort(attempt.url.scheme())));
    exchange->origin = (exchange->https ? QByteArrayLiteral("https://") : QByteArrayLiteral("http://"))
        + exchange->host.toUtf8() + ':' + QByteArray::number(exchange->port);
    exchange->tls = std::move(attempt.tls);
    exchange->maxResponseBytes = attempt.maxResponseBytes;
    exchange->head = attempt.method == "HEAD";

    // The request line, headers and body in one buffer, so that one write sends them all.
    const bool sendsLength = !attempt.body.isEmpty() || (attempt.method != "GET" && attempt.method != "HEAD");
    qsizetype size = attempt.method.size() + attempt.target.size() + 16 + attempt.body.size() + (sendsLength ? 40 : 0);
    bool valid = !attempt.target.isEmpty() && !hasLineBreak(attempt.method) && !hasLineBreak(attempt.target)
        && !attempt.target.contains(' ');
    for (const auto &[name, value] : std::as_const(attempt.headers)) {
        size += name.size() + value.size() + 4;
        valid = valid && !hasLineBreak(name) && !hasLineBreak(value) && !name.contains(':');
    }
    QByteArray &wire = exchange->wire;
    wire.reserve(size);
    wire += attempt.method;
    wire += ' ';
    wire += attempt.target;
    wire += " HTTP/1.1\r\n";
    for (const auto &[name, value] : std::as_const(attempt.headers)) {
        wire += name;
        wire += ": ";
        wire += value;
        wire += "\r\n";
    }
    if (sendsLength) {
        wire += "Content-Length: ";
        wire += QByteArray::number(attempt.body.size());
        wire += "\r\n";
    }
    wire += "\r\n";
    wire += attempt.body;

    if (!valid || attempt.proxy || exchange->host.isEmpty()) {
        exchange->pendingError = attempt.proxy
            ? QStringLiteral("the direct HTTP engine does not go through proxies")
            : QStringLiteral("the request line or a header is not valid HTTP (a line break, a space or no target)");
        m_orphans.push_back(exchange);
        QMetaObject::invokeMethod(
            this,
            [this, exchange] {
                const auto found = std::find(m_orphans.begin(), m_orphans.end(), exchange);
                if (found == m_orphans.end())
                    return; // aborted meanwhile
                m_orphans.erase(found);
                HttpExchangeResult result;
                result.outcome = exchange->pendingOutcome;
                result.errorText = exchange->pendingError;
                HttpExchangeListener *listener = exchange->listener;
                delete exchange;
                listener->exchangeFinished(result);
            },
            Qt::QueuedConnection);
        return exchange;
    }

    // Failures that sockets report synchronously wait for the event loop: the caller does not
    // have the exchange yet.
    m_inStart = true;
    DirectConnection *connection = takeIdle(exchange->origin);
    if (connection) {
        ++m_stats.requestsOnReusedConnections;
        exchange->reused = true;
        exchange->connection = connection;
        connection->exchange = exchange;
        connection->parser.reset(exchange->maxResponseBytes, exchange->head);
        connection->leftover = false;
        sendRequest(connection);
    } else {
        open(exchange);
        connection = exchange->connection;
    }
    m_inStart = false;

    if (connection->troubled) {
        connection->troubled = false;
        const quint64 id = connection->id;
        QMetaObject::invokeMethod(
            this,
            [this, id] {
                const auto found = std::find_if(m_connections.begin(), m_connections.end(),
                    [id](const DirectConnection *candidate) { return candidate->id == id; });
                if (found != m_connections.end())
                    handleTrouble(*found);
            },
            Qt::QueuedConnection);
    }
    return exchange;
}

DirectConnection *DirectHttpEngine::takeIdle(const QByteArray &origin)
{
    // The most recently used first: the least likely to have been closed by the server.
    for (auto it = m_connections.rbegin(); it != m_connections.rend(); ++it) {
        DirectConnection *connection = *it;
        if (connection->exchange || !connection->ready || connection->origin != origin)
            continue;
        if (connection->socket->state() != QAbstractSocket::ConnectedState) {
            closeConnection(connection);
            return takeIdle(origin);
        }
        return connection;
    }
    return nullptr;
}

void DirectHttpEngine::open(DirectExchange *exchange)
{
    auto *connection = new DirectConnection;
    connection->id = ++m_nextConnectionId;
    connection->origin = exchange->origin;
    connection->tls = exchange->https;
    connection->exchange = exchange;
    connection->parser.reset(exchange->maxResponseBytes, exchange->head);
    exchange->connection = connection;

    QTcpSocket *socket = nullptr;
    if (exchange->https) {
        auto *ssl = new QSslSocket(this);
        if (exchange->tls)
            ssl->setSslConfiguration(*exchange->tls);
        connect(ssl, &QAbstractSocket::connected, this,
            [ssl] { ssl->setSocketOption(QAbstractSocket::LowDelayOption, 1); });
        connect(ssl, &QSslSocket::encrypted, this, [this, connection] { handleConnected(connection); });
        connect(ssl, &QSslSocket::sslErrors, this,
            [connection](const QList<QSslError> &errors) { connection->sslErrors = errors; });
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
        connect(socket, &QAbstractSocket::connected, this, [this, connection] { handleConnected(connection); });
    }
    socket->setProxy(QNetworkProxy::NoProxy);
    connect(socket, &QIODevice::readyRead, this, [this, connection] { handleReadyRead(connection); });
    connect(socket, &QIODevice::bytesWritten, this, [this, connection] { handleBytesWritten(connection); });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, connection] { handleTrouble(connection); });
    connect(socket, &QAbstractSocket::disconnected, this, [this, connection] { handleTrouble(connection); });
    connection->socket = socket;
    m_connections.push_back(connection);
    ++m_stats.connectionsOpened;

    // Last: outside start(), a failure reported from inside may end the exchange and the connection.
    if (exchange->https) {
        static_cast<QSslSocket *>(socket)->connectToHostEncrypted(exchange->host, exchange->port, QIODevice::ReadWrite);
    } else {
        // Unbuffered, as QNetworkAccessManager's own HTTP channel: reads go straight to the kernel.
        socket->connectToHost(exchange->host, exchange->port, QIODevice::ReadWrite | QIODevice::Unbuffered);
    }
}

void DirectHttpEngine::handleConnected(DirectConnection *connection)
{
    if (!connection->tls)
        connection->socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connection->ready = true;
    if (connection->exchange)
        sendRequest(connection);
}

void DirectHttpEngine::sendRequest(DirectConnection *connection)
{
    DirectExchange *exchange = connection->exchange;
    QTcpSocket *socket = connection->socket;
    if (socket->write(exchange->wire) < 0) {
        handleTrouble(connection);
        return;
    }
    if (connection->tls)
        socket->flush(); // QSslSocket would otherwise encrypt and send from the event loop
    if (socket->bytesToWrite() == 0 && !exchange->written) {
        exchange->written = true;
        exchange->listener->requestWritten();
    }
}

void DirectHttpEngine::handleBytesWritten(DirectConnection *connection)
{
    DirectExchange *exchange = connection->exchange;
    if (exchange && !exchange->written && connection->socket->bytesToWrite() == 0) {
        exchange->written = true;
        exchange->listener->requestWritten();
    }
}

void DirectHttpEngine::handleReadyRead(DirectConnection *connection)
{
    if (!connection->exchange) {
        // An idle connection became readable: the server closed it (or sent what nobody asked for).
        closeConnection(connection);
        return;
    }
    readResponse(connection);
}

bool DirectHttpEngine::readResponse(DirectConnection *connection)
{
    DirectExchange *exchange = connection->exchange;
    QTcpSocket *socket = connection->socket;
    HttpResponseParser &parser = connection->parser;
    if (m_readBuffer.isEmpty())
        m_readBuffer.resize(ReadBufferBytes);
    char *buffer = m_readBuffer.data();
    for (;;) {
        const qint64 got = socket->read(buffer, ReadBufferBytes);
        if (got < 0) {
            handleEndOfStream(connection);
            return false;
        }
        if (got == 0)
            return true;
        const bool hadHead = parser.headersComplete();
        qsizetype used = 0;
        const HttpResponseParser::State state = parser.feed(buffer, got, &used);
        if (!hadHead && parser.headersComplete())
            exchange->listener->responseStarted(parser.status(), parser.headers());
        switch (state) {
        case HttpResponseParser::State::NeedMore:
            if (parser.bodySize() > 0)
                exchange->listener->bodyReceived(parser.bodySize());
            break;
        case HttpResponseParser::State::Complete:
            connection->leftover = used < got;
            finishExchange(connection, HttpOutcome::Complete);
            return false;
        case HttpResponseParser::State::Malformed:
            finishExchange(connection, HttpOutcome::MalformedResponse, parser.error());
            return false;
        case HttpResponseParser::State::TooLarge:
            finishExchange(connection, HttpOutcome::TooLarge);
            return false;
        }
        // Unbuffered: a short read emptied the kernel's buffer, and the next bytes bring a new
        // readyRead. QSslSocket reads from its own buffer, so it is drained completely.
        if (!connection->tls && got < ReadBufferBytes)
            return true;
    }
}

void DirectHttpEngine::handleTrouble(DirectConnection *connection)
{
    if (m_inStart) {
        connection->troubled = true;
        return;
    }
    if (!connection->exchange) {
        closeConnection(connection);
        return;
    }
    QTcpSocket *socket = connection->socket;
    const QAbstractSocket::SocketError error = socket->error();
    if (error == QAbstractSocket::SslHandshakeFailedError || !connection->sslErrors.isEmpty()) {
        finishExchange(connection, HttpOutcome::TlsFailure, socket->errorString());
        return;
    }
    if (!connection->ready) {
        switch (error) {
        case QAbstractSocket::ConnectionRefusedError:
            finishExchange(connection, HttpOutcome::ConnectionRefused);
            return;
        case QAbstractSocket::HostNotFoundError:
            finishExchange(connection, HttpOutcome::HostNotFound);
            return;
        case QAbstractSocket::SocketTimeoutError:
            finishExchange(connection, HttpOutcome::TimedOut);
            return;
        case QAbstractSocket::RemoteHostClosedError:
            finishExchange(connection, HttpOutcome::ClosedWithoutAnswer);
            return;
        default:
            finishExchange(connection, HttpOutcome::OtherError, socket->errorString());
            return;
        }
    }
    // QSslSocket may still hold decrypted bytes that came before the end.
    if (connection->tls && socket->bytesAvailable() > 0 && !readResponse(connection))
        return;
    handleEndOfStream(connection);
}

void DirectHttpEngine::handleEndOfStream(DirectConnection *connection)
{
    DirectExchange *exchange = connection->exchange;
    HttpResponseParser &parser = connection->parser;
    if (parser.finishAtEof() == HttpResponseParser::State::Complete) {
        finishExchange(connection, HttpOutcome::Complete);
        return;
    }
    if (exchange->reused && !exchange->staleRetried && !parser.hasStarted()) {
        // The server had closed the kept-alive connection before this request reached it.
        ++m_stats.staleConnectionRetries;
        exchange->staleRetried = true;
        exchange->reused = false;
        connection->exchange = nullptr;
        closeConnection(connection);
        open(exchange);
        return;
    }
    const QAbstractSocket::SocketError error = connection->socket->error();
    if (error != QAbstractSocket::RemoteHostClosedError && error != QAbstractSocket::UnknownSocketError) {
        finishExchange(connection, HttpOutcome::OtherError, connection->socket->errorString());
        return;
    }
    finishExchange(
        connection, parser.hasStarted() ? HttpOutcome::DroppedMidResponse : HttpOutcome::ClosedWithoutAnswer);
}

void DirectHttpEngine::finishExchange(DirectConnection *connection, HttpOutcome outcome, const QString &errorText)
{
    DirectExchange *exchange = connection->exchange;
    connection->exchange = nullptr;
    HttpResponseParser &parser = connection->parser;

    HttpExchangeResult result;
    result.outcome = outcome;
    result.errorText = errorText;
    if (parser.headersComplete()) {
        result.status = parser.status();
        result.headers = parser.takeHeaders();
    }
    if (outcome == HttpOutcome::Complete)
        result.body = parser.takeBody();
    if (outcome == HttpOutcome::TlsFailure)
        result.tlsErrors = connection->sslErrors;

    bool reuse = outcome == HttpOutcome::Complete && parser.keepAlive() && !connection->leftover
        && connection->socket->state() == QAbstractSocket::ConnectedState;
    if (reuse) {
        const auto idleHere
            = std::count_if(m_connections.cbegin(), m_connections.cend(), [connection](const DirectConnection *other) {
                  return other != connection && !other->exchange && other->ready && other->origin == connection->origin;
              });
        reuse = idleHere < MaxIdlePerOrigin;
    }
    if (!reuse)
        closeConnection(connection);

    HttpExchangeListener *listener = exchange->listener;
    delete exchange;
    listener->exchangeFinished(result);
}

void DirectHttpEngine::abortExchange(DirectExchange *exchange)
{
    const auto orphan = std::find(m_orphans.begin(), m_orphans.end(), exchange);
    if (orphan != m_orphans.end()) {
        m_orphans.erase(orphan);
    } else if (DirectConnection *connection = exchange->connection) {
        connection->exchange = nullptr;
        closeConnection(connection);
    }
    delete exchange;
}

void DirectHttpEngine::closeConnection(DirectConnection *connection)
{
    m_connections.erase(std::remove(m_connections.begin(), m_connections.end(), connection), m_connections.end());
    QTcpSocket *socket = connection->socket;
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    // Not deleted here: this may run inside one of the socket's own signals.
    socket->deleteLater();
    delete connection;
}

} // namespace pagewise
