#pragma once

#include "emulatorrequest.h"

#include <QByteArray>
#include <QObject>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace pagewise
{

class Emulator;

/// Hands accepted socket descriptors to a callback, so the caller can wrap them in a QSslSocket.
class EmulatorTcpServer final : public QTcpServer
{
public:
    explicit EmulatorTcpServer(std::function<void(qintptr)> onConnection, QObject *parent = nullptr)
        : QTcpServer(parent)
        , m_onConnection(std::move(onConnection))
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override { m_onConnection(descriptor); }

private:
    std::function<void(qintptr)> m_onConnection;
};

/// One client connection: a small HTTP/1.1 reader (request line, headers, Content-Length body,
/// keep-alive, Expect: 100-continue) that answers one request at a time, in order.
class EmulatorConnection final : public QObject
{
public:
    EmulatorConnection(QTcpSocket *socket, Emulator *emulator);

private:
    enum class Parse { Incomplete, Ready, Bad };

    void handleReadyRead();
    void processBuffer();
    Parse parseRequest(EmulatorRequest *request, bool *keepAlive, QByteArray *problem);
    void send(const QByteArray &bytes, qint64 sendBytes, bool keepAlive);
    void fail(int status, const QByteArray &message);

    QTcpSocket *m_socket;
    Emulator *m_emulator;
    QByteArray m_buffer;
    bool m_busy = false; ///< a delayed response is pending
    bool m_closing = false;
    bool m_continueSent = false;
};

} // namespace pagewise
