#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QUrl>

#include <functional>
#include <utility>

class QTcpServer;
class QTcpSocket;

namespace pagewise::testing
{

/// One request as it arrived.
struct ScriptedRequest {
    QByteArray method;
    QByteArray target; ///< path and query as sent
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int number = 0; ///< 1-based, in arrival order

    QByteArray header(const QByteArray &name) const;
};

/// What to send back. By default a complete HTTP/1.1 response with Content-Length.
struct ScriptedReply {
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool hang = false; ///< never answer (the connection stays open)
    qsizetype dropAfterBytes = -1; ///< when >= 0: send only this many bytes of the response, then close
    qsizetype stallAfterBytes = -1; ///< when >= 0: send only this many bytes, then nothing more (kept open)
    bool chunked = false; ///< Transfer-Encoding: chunked instead of Content-Length
    /// A large body without holding it: `fillBytes` copies of `fill` go between body and
    /// bodyTail, written as the client reads (so a client that stops reading stops the sending).
    qsizetype fillBytes = 0;
    char fill = 'x';
    QByteArray bodyTail;

    static ScriptedReply json(const QByteArray &body, int status = 200);
    /// An awsJson error as AWS sends it (x-amzn-ErrorType and a __type body).
    static ScriptedReply awsJsonError(int status, const QByteArray &type, const QByteArray &message);
};

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers each request from a script, for behaviour the
/// emulator deliberately never shows (repeated tokens, hangs, hostile bodies). Lives in the test's
/// thread: wait with the event loop running (QTRY_*, QSignalSpy::wait, qWaitFor).
class ScriptedHttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScriptedHttpServer)
public:
    using Script = std::function<ScriptedReply(const ScriptedRequest &)>;

    explicit ScriptedHttpServer(Script script, QObject *parent = nullptr);
    ~ScriptedHttpServer() override;

    bool listen();
    QUrl url() const; ///< http://127.0.0.1:PORT
    const QList<ScriptedRequest> &requests() const { return m_requests; }
    /// Bytes of each response (status line and headers included) the client accepted, by request.
    const QList<qint64> &bytesSent() const { return m_bytesSent; }
    void setScript(Script script) { m_script = std::move(script); }

signals:
    void requestReceived(int number);

private:
    void handleConnection();
    void handleReadyRead(QTcpSocket *socket);
    void writeMore(QTcpSocket *socket);

    Script m_script;
    QTcpServer *m_server = nullptr;
    QList<ScriptedRequest> m_requests;
    QList<qint64> m_bytesSent;
};

} // namespace pagewise::testing
