#include "aws/http/qnamhttpengine.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace pagewise;
using namespace Qt::StringLiterals;

namespace
{

constexpr qint64 MiB = 1024 * 1024;

/// Collects what the engine reports for one exchange.
class Listener final : public QObject, public HttpExchangeListener
{
    Q_OBJECT
public:
    void requestWritten() override { }
    void responseStarted(int status, const HttpHeaders &) override { startedStatus = status; }
    void bodyReceived(qint64 bytes) override { bodyBytes = bytes; }
    void exchangeFinished(HttpExchangeResult &finished) override
    {
        result = std::move(finished);
        emit done();
    }

    int startedStatus = 0;
    qint64 bodyBytes = 0;
    HttpExchangeResult result;

signals:
    void done();
};

HttpAttempt attemptFor(const QUrl &url, const QByteArray &method, qint64 maxResponseBytes)
{
    HttpAttempt attempt;
    attempt.method = method;
    attempt.url = url;
    attempt.target = "/";
    attempt.headers = {{"Host", url.authority().toLatin1()}};
    if (method == "POST") {
        attempt.headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/x-amz-json-1.1"));
        attempt.body = "{}";
    }
    attempt.maxResponseBytes = maxResponseBytes;
    return attempt;
}

/// How a response body ends.
enum class Framing {
    Sized, ///< Content-Length
    Chunked,
    UntilClose, ///< neither: the body is whatever comes before the server closes
};

QByteArray responseHead(Framing framing, qint64 bodySize = 0)
{
    switch (framing) {
    case Framing::Sized:
        return "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: "
            + QByteArray::number(bodySize) + "\r\n\r\n";
    case Framing::Chunked:
        return "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    case Framing::UntilClose:
        return "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nConnection: close\r\n\r\n";
    }
    return {};
}

/// A body as it goes on the wire, chunked in pieces of 64 KiB when asked.
QByteArray framedBody(Framing framing, const QByteArray &body)
{
    if (framing != Framing::Chunked)
        return body;
    QByteArray wire;
    for (qsizetype at = 0; at < body.size(); at += 64 * 1024) {
        const QByteArray piece = body.mid(at, 64 * 1024);
        wire += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
    }
    return wire + "0\r\n\r\n";
}

/// Answers the first request on 127.0.0.1 with a body that never ends (a sized one declares a
/// terabyte), from its own thread, so that it keeps sending while the test's thread is blocked.
/// It counts every byte of body the kernel took from it: what a server can push to a client
/// that stopped reading is what the client buffers plus the two kernels' socket buffers.
class FloodServer
{
public:
    explicit FloodServer(Framing framing, qint64 cap)
        : m_framing(framing)
        , m_cap(cap)
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof(address);
        if (m_listener < 0 || ::bind(m_listener, reinterpret_cast<sockaddr *>(&address), length) != 0
            || ::listen(m_listener, 1) != 0
            || ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            return;
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] { run(); });
    }
    ~FloodServer()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
            m_go = true;
        }
        m_changed.notify_all();
        if (m_thread.joinable())
            m_thread.join();
        if (m_listener >= 0)
            ::close(m_listener);
    }

    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port)); }
    bool requestReceived() const { return m_requestReceived; }
    /// Starts the body (the request has come).
    void startSending()
    {
        {
            std::lock_guard lock(m_mutex);
            m_go = true;
        }
        m_changed.notify_all();
    }
    /// Blocks the calling thread until the server can send no more (the client stopped taking
    /// bytes) or has sent more than the cap.
    void waitUntilStuckOrPastCap()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait_for(lock, std::chrono::seconds(30), [this] { return m_stuck || m_pastCap || m_ended; });
    }
    /// Blocks until the client has closed the connection.
    bool waitUntilEnded()
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::seconds(10), [this] { return m_ended; });
    }
    qint64 bodyBytesSent() const { return m_sent; }
    bool pastCap() const { return m_pastCap; }

private:
    void run()
    {
        const int connection = accept();
        if (connection >= 0) {
            // A fixed, small send buffer: what the server's kernel holds is known.
            const int sendBuffer = 64 * 1024;
            ::setsockopt(connection, SOL_SOCKET, SO_SNDBUF, &sendBuffer, sizeof(sendBuffer));
            const QByteArray head = responseHead(m_framing, qint64(1) << 40);
            if (readRequest(connection) && waitForGo() && sendAll(connection, head))
                flood(connection);
            ::close(connection);
        }
        report(m_ended);
    }

    bool stopping()
    {
        std::lock_guard lock(m_mutex);
        return m_stopping;
    }

    void report(bool &flag)
    {
        {
            std::lock_guard lock(m_mutex);
            flag = true;
        }
        m_changed.notify_all();
    }

    /// poll() in short steps so that the destructor is never kept waiting.
    short waitFor(int fd, short events, int timeoutMs)
    {
        for (int waited = 0; waited < timeoutMs && !stopping(); waited += 50) {
            pollfd entry {fd, events, 0};
            if (::poll(&entry, 1, 50) > 0)
                return entry.revents;
        }
        return 0;
    }

    int accept()
    {
        while (!stopping()) {
            if (waitFor(m_listener, POLLIN, 50) & POLLIN)
                return ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        }
        return -1;
    }

    bool readRequest(int connection)
    {
        QByteArray request;
        for (;;) {
            const qsizetype headerEnd = request.indexOf("\r\n\r\n");
            if (headerEnd >= 0) {
                const qsizetype lengthAt = request.toLower().indexOf("content-length:");
                const qint64 length = lengthAt < 0 || lengthAt > headerEnd
                    ? 0
                    : request.mid(lengthAt + 15, request.indexOf("\r\n", lengthAt) - lengthAt - 15)
                          .trimmed()
                          .toLongLong();
                if (request.size() >= headerEnd + 4 + length) {
                    m_requestReceived = true;
                    return true;
                }
            }
            if (!(waitFor(connection, POLLIN, 10'000) & POLLIN))
                return false;
            char buffer[4096];
            const ssize_t got = ::recv(connection, buffer, sizeof(buffer), 0);
            if (got <= 0)
                return false;
            request.append(buffer, got);
        }
    }

    bool waitForGo()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_go; });
        return !m_stopping;
    }

    bool sendAll(int connection, const QByteArray &bytes) { return sendSome(connection, bytes, false) == bytes.size(); }

    /// Sends until done, the client goes away, or (counting) the client stops reading for long
    /// enough to call it stuck, after which it keeps waiting for the client.
    qint64 sendSome(int connection, const QByteArray &bytes, bool counting)
    {
        qint64 done = 0;
        while (done < bytes.size() && !stopping()) {
            const ssize_t sent
                = ::send(connection, bytes.constData() + done, size_t(bytes.size() - done), MSG_NOSIGNAL);
            if (sent > 0) {
                done += sent;
                if (counting)
                    m_sent += sent;
                continue;
            }
            if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                return -1; // the client closed the connection
            // Half a second without room: whatever the client buffers is full.
            const short events = waitFor(connection, POLLOUT, 500);
            if (events & (POLLERR | POLLHUP))
                return -1;
            if (counting && !(events & POLLOUT))
                report(m_stuck);
        }
        return done;
    }

    void flood(int connection)
    {
        const QByteArray piece(64 * 1024, 'x');
        const QByteArray block = m_framing == Framing::Chunked ? "10000\r\n" + piece + "\r\n" : piece;
        while (m_sent <= m_cap) {
            if (sendSome(connection, block, true) != block.size())
                return;
        }
        report(m_pastCap);
        // Leave the rest to the client: it either reads on or closes the connection.
        while (!stopping() && !(waitFor(connection, POLLIN, 500) & (POLLIN | POLLERR | POLLHUP))) { }
    }

    const Framing m_framing;
    const qint64 m_cap;
    int m_listener = -1;
    quint16 m_port = 0;
    std::thread m_thread;
    std::atomic<bool> m_requestReceived = false;
    std::atomic<qint64> m_sent = 0;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_go = false;
    bool m_stopping = false;
    bool m_stuck = false;
    bool m_pastCap = false;
    bool m_ended = false;
};

/// Answers every request with `reply` from the test's own thread.
class OneShotServer : public QObject
{
    Q_OBJECT
public:
    OneShotServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    socket->readAll();
                    socket->write(reply);
                    if (closeAfter)
                        socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }

    QByteArray reply;
    bool closeAfter = false;

private:
    QTcpServer m_server;
};

} // namespace

class tst_QnamHttpEngine : public QObject
{
    Q_OBJECT

private slots:
    void bodiesUpToTheLimitArriveWhole_data();
    void bodiesUpToTheLimitArriveWhole();
    void endlessBodyIsRefusedWhileTheThreadIsBusy_data();
    void endlessBodyIsRefusedWhileTheThreadIsBusy();
    void failureAtOnceIsReportedAfterStart_data();
    void failureAtOnceIsReportedAfterStart();
    void abortingBeforeThatReportSilencesIt();
};

void tst_QnamHttpEngine::bodiesUpToTheLimitArriveWhole_data()
{
    QTest::addColumn<Framing>("framing");
    QTest::addColumn<qint64>("bodySize");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<bool>("tooLarge");

    const qint64 page = 27 * 1024; // a page of 100 images
    for (const auto &[name, framing] : {std::pair {"sized", Framing::Sized}, std::pair {"chunked", Framing::Chunked},
             std::pair {"until close", Framing::UntilClose}}) {
        QTest::addRow("%s page", name) << framing << page << 64 * MiB << false;
        // Larger than what Qt's thread may read ahead: the reading resumes as the body is taken.
        QTest::addRow("%s 5 MiB", name) << framing << 5 * MiB << 64 * MiB << false;
        QTest::addRow("%s at the limit", name) << framing << 3 * MiB << 3 * MiB << false;
        QTest::addRow("%s a byte over", name) << framing << 3 * MiB + 1 << 3 * MiB << true;
    }
}

void tst_QnamHttpEngine::bodiesUpToTheLimitArriveWhole()
{
    QFETCH(Framing, framing);
    QFETCH(qint64, bodySize);
    QFETCH(qint64, limit);
    QFETCH(bool, tooLarge);
    QByteArray body(bodySize, Qt::Uninitialized);
    for (qsizetype i = 0; i < body.size(); ++i)
        body[i] = char('a' + i % 26);
    OneShotServer server;
    QVERIFY(server.listen());
    server.reply = responseHead(framing, bodySize) + framedBody(framing, body);
    server.closeAfter = framing == Framing::UntilClose;
    QnamHttpEngine engine;
    Listener listener;
    QSignalSpy done(&listener, &Listener::done);

    engine.start(attemptFor(server.url(), "POST", limit), &listener);

    QVERIFY(done.wait(10'000));
    if (tooLarge) {
        QCOMPARE(listener.result.outcome, HttpOutcome::TooLarge);
        QVERIFY(listener.result.body.isEmpty());
        return;
    }
    QCOMPARE(listener.result.outcome, HttpOutcome::Complete);
    QCOMPARE(listener.result.status, 200);
    QCOMPARE(listener.result.body.size(), body.size());
    QVERIFY(listener.result.body == body);
}

void tst_QnamHttpEngine::endlessBodyIsRefusedWhileTheThreadIsBusy_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<Framing>("framing");

    // POST (the JSON services) starts the request from the event loop, GET (REST) at once.
    for (const QByteArray method : {"POST", "GET"}) {
        QTest::addRow("%s sized", method.constData()) << method << Framing::Sized;
        QTest::addRow("%s chunked", method.constData()) << method << Framing::Chunked;
        QTest::addRow("%s until close", method.constData()) << method << Framing::UntilClose;
    }
}

void tst_QnamHttpEngine::endlessBodyIsRefusedWhileTheThreadIsBusy()
{
    QFETCH(QByteArray, method);
    QFETCH(Framing, framing);
    const qint64 limit = 1 * MiB;
    // The client's own share (the body up to the limit and what Qt's thread may read ahead),
    // plus what the kernels hold for a reader that stopped: the server's 128 KiB send buffer
    // and the client's receive buffer, which loopback grows with what the client reads (2 to
    // 5 MiB seen). Without a read buffer size Qt's thread takes everything: twice the bound.
    const qint64 bound = limit + QnamHttpEngine::ReadAheadBytes + 16 * MiB;
    FloodServer server(framing, 2 * bound);
    QnamHttpEngine engine;
    Listener listener;
    QSignalSpy done(&listener, &Listener::done);

    engine.start(attemptFor(server.url(), method, limit), &listener);
    QTRY_VERIFY(server.requestReceived());
    server.startSending();
    // The thread that owns the engine is busy (as the window's can be): no event of the
    // exchange runs until the server can send no more, or has sent twice the bound.
    server.waitUntilStuckOrPastCap();

    QVERIFY(done.wait(10'000));
    QCOMPARE(listener.result.outcome, HttpOutcome::TooLarge);
    QVERIFY(listener.result.body.isEmpty());
    QVERIFY(server.waitUntilEnded());
    QVERIFY2(!server.pastCap() && server.bodyBytesSent() <= bound,
        qPrintable(u"the server sent %1 MiB of body, the bound is %2 MiB"_s.arg(server.bodyBytesSent() / double(MiB))
                       .arg(bound / double(MiB))));
}

void tst_QnamHttpEngine::failureAtOnceIsReportedAfterStart_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addRow("POST") << QByteArray("POST");
    QTest::addRow("GET") << QByteArray("GET");
}

void tst_QnamHttpEngine::failureAtOnceIsReportedAfterStart()
{
    QFETCH(QByteArray, method);
    // A scheme Qt cannot serve (as https is where Qt has no TLS backend): the reply fails as
    // soon as it starts, which the engine makes happen inside start().
    const QUrl url(u"gopher://127.0.0.1:1/"_s);
    QnamHttpEngine engine;
    Listener listener;
    QSignalSpy done(&listener, &Listener::done);

    engine.start(attemptFor(url, method, MiB), &listener);

    QCOMPARE(done.size(), 0);
    QVERIFY(done.wait(5'000));
    QCOMPARE(listener.result.outcome, HttpOutcome::OtherError);
    QVERIFY2(listener.result.errorText.contains(u"gopher"_s), qPrintable(listener.result.errorText));
}

void tst_QnamHttpEngine::abortingBeforeThatReportSilencesIt()
{
    QnamHttpEngine engine;
    Listener listener;
    QSignalSpy done(&listener, &Listener::done);
    HttpExchange *exchange = engine.start(attemptFor(QUrl(u"gopher://127.0.0.1:1/"_s), "POST", MiB), &listener);

    exchange->abort();

    QVERIFY(!done.wait(300));
}

QTEST_GUILESS_MAIN(tst_QnamHttpEngine)
#include "tst_qnamhttpengine.moc"
