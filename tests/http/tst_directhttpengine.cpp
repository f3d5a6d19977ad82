#include "aws/http/directhttpengine.h"
#include "emulator/emulator.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace pagewise;
using namespace Qt::StringLiterals;

namespace
{

/// Collects what the engine reports for one exchange.
class Listener final : public QObject, public HttpExchangeListener
{
    Q_OBJECT
public:
    void requestWritten() override { ++writtenCalls; }
    void responseStarted(int status, const HttpHeaders &) override { startedStatus = status; }
    void bodyReceived(qint64 bytes) override { bodyBytes = bytes; }
    void exchangeFinished(HttpExchangeResult &finished) override
    {
        result = std::move(finished);
        emit done();
    }

    int writtenCalls = 0;
    int startedStatus = 0;
    qint64 bodyBytes = 0;
    HttpExchangeResult result;

signals:
    void done();
};

/// Answers every request on a connection with `reply`, then closes the connection when
/// closeAfter is set. Counts connections and requests.
class OneShotServer : public QObject
{
    Q_OBJECT
public:
    OneShotServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++connections;
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    const QByteArray bytes = socket->readAll();
                    requests += int(bytes.count("\r\n\r\n"));
                    socket->write(reply);
                    socket->flush();
                    if (closeAfter)
                        socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                    socket->deleteLater();
                    emit closed();
                });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }

    QByteArray reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    bool closeAfter = false;
    int connections = 0;
    int requests = 0;

signals:
    void closed();

private:
    QTcpServer m_server;
};

HttpAttempt attemptFor(const QUrl &url)
{
    HttpAttempt attempt;
    attempt.method = "POST";
    attempt.url = url;
    attempt.target = "/";
    attempt.headers = {{"Host", url.authority().toLatin1()}, {"Content-Type", "application/x-amz-json-1.1"}};
    attempt.body = "{}";
    attempt.maxResponseBytes = 1024;
    return attempt;
}

/// Runs one exchange to its end.
HttpExchangeResult exchange(DirectHttpEngine &engine, const QUrl &url, Listener *listener = nullptr)
{
    Listener own;
    Listener *used = listener ? listener : &own;
    QSignalSpy done(used, &Listener::done);
    engine.start(attemptFor(url), used);
    if (!done.wait(5000)) {
        HttpExchangeResult none;
        none.outcome = HttpOutcome::OtherError;
        none.errorText = u"no exchangeFinished() within 5 s"_s;
        return none;
    }
    return std::move(used->result);
}

} // namespace

class tst_DirectHttpEngine : public QObject
{
    Q_OBJECT

private slots:
    void reportsEachStep();
    void staleConnectionIsReplacedOnce();
    void closeSeenWhileIdleNeedsNoRetry();
    void droppedAfterBytesIsNotResent();
    void emulatorSeesOneConnection();
    void refusesProxiesAndBrokenHeaders();
};

void tst_DirectHttpEngine::reportsEachStep()
{
    OneShotServer server;
    QVERIFY(server.listen());
    DirectHttpEngine engine;
    Listener listener;

    const HttpExchangeResult result = exchange(engine, server.url(), &listener);

    QCOMPARE(result.outcome, HttpOutcome::Complete);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.body, QByteArray("{}"));
    QCOMPARE(listener.writtenCalls, 1);
    QCOMPARE(listener.startedStatus, 200);
    QCOMPARE(engine.idleConnections(), 1);
}

void tst_DirectHttpEngine::staleConnectionIsReplacedOnce()
{
    OneShotServer server;
    QVERIFY(server.listen());
    server.closeAfter = true; // keep-alive response, then the server closes anyway
    DirectHttpEngine engine;

    QCOMPARE(exchange(engine, server.url()).outcome, HttpOutcome::Complete);
    // Sent before the event loop saw the close: written to the dead connection, then moved.
    const HttpExchangeResult second = exchange(engine, server.url());

    QCOMPARE(second.outcome, HttpOutcome::Complete);
    QCOMPARE(engine.stats().staleConnectionRetries, 1);
    QCOMPARE(engine.stats().connectionsOpened, 2);
    QCOMPARE(server.requests, 2);
}

void tst_DirectHttpEngine::closeSeenWhileIdleNeedsNoRetry()
{
    OneShotServer server;
    QVERIFY(server.listen());
    server.closeAfter = true;
    DirectHttpEngine engine;
    QSignalSpy closed(&server, &OneShotServer::closed);

    QCOMPARE(exchange(engine, server.url()).outcome, HttpOutcome::Complete);
    QTRY_COMPARE(closed.size(), 1);
    QTRY_COMPARE(engine.idleConnections(), 0); // the close was noticed while idle
    QCOMPARE(exchange(engine, server.url()).outcome, HttpOutcome::Complete);

    QCOMPARE(engine.stats().staleConnectionRetries, 0);
    QCOMPARE(engine.stats().connectionsOpened, 2);
}

void tst_DirectHttpEngine::droppedAfterBytesIsNotResent()
{
    OneShotServer server;
    QVERIFY(server.listen());
    DirectHttpEngine engine;
    QCOMPARE(exchange(engine, server.url()).outcome, HttpOutcome::Complete);
    // On the reused connection part of a response arrives, then the connection drops: the
    // server may have acted on the request, so the engine does not send it again.
    server.reply = "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"partial";
    server.closeAfter = true;

    const HttpExchangeResult result = exchange(engine, server.url());

    QCOMPARE(result.outcome, HttpOutcome::DroppedMidResponse);
    QCOMPARE(result.status, 200);
    QVERIFY(result.body.isEmpty());
    QCOMPARE(engine.stats().staleConnectionRetries, 0);
    QCOMPARE(server.requests, 2);
}

void tst_DirectHttpEngine::emulatorSeesOneConnection()
{
    EmulatorConfig config;
    config.data.images = 5;
    Emulator emulator(config);
    QString problem;
    QVERIFY2(emulator.listen(&problem), qPrintable(problem));
    DirectHttpEngine engine;

    for (int i = 0; i < 20; ++i) {
        // Unsigned: the emulator answers 4xx, which is as good a response as any here.
        const HttpExchangeResult result = exchange(engine, emulator.url());
        QCOMPARE(result.outcome, HttpOutcome::Complete);
        QVERIFY(result.status >= 400 && result.status < 500);
    }

    QCOMPARE(emulator.stats().requests, quint64(20));
    QCOMPARE(emulator.stats().connections, quint64(1));
    QCOMPARE(engine.stats().connectionsOpened, 1);
    QCOMPARE(engine.stats().requestsOnReusedConnections, 19);
}

void tst_DirectHttpEngine::refusesProxiesAndBrokenHeaders()
{
    OneShotServer server;
    QVERIFY(server.listen());
    DirectHttpEngine engine;
    Listener proxied;
    HttpAttempt viaProxy = attemptFor(server.url());
    viaProxy.proxy = QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, 3128);
    Listener injected;
    HttpAttempt withLineBreak = attemptFor(server.url());
    withLineBreak.headers.append(std::pair<QByteArray, QByteArray>("X-Evil", "a\r\nX-Injected: 1"));
    QSignalSpy proxiedDone(&proxied, &Listener::done);
    QSignalSpy injectedDone(&injected, &Listener::done);

    engine.start(viaProxy, &proxied);
    engine.start(withLineBreak, &injected);
    QCOMPARE(proxiedDone.size(), 0); // never from inside start()
    QVERIFY(proxiedDone.wait());
    QTRY_COMPARE(injectedDone.size(), 1);

    QCOMPARE(proxied.result.outcome, HttpOutcome::OtherError);
    QCOMPARE(injected.result.outcome, HttpOutcome::OtherError);
    QCOMPARE(server.connections, 0);
}

QTEST_GUILESS_MAIN(tst_DirectHttpEngine)
#include "tst_directhttpengine.moc"
