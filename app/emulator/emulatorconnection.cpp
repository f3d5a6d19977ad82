#include "emulatorconnection.h"

#include "emulator.h"

#include <QTcpSocket>
#include <QTimer>
#include <QUuid>

namespace pagewise
{

namespace
{

constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
constexpr qsizetype kMaxBodyBytes = 8 * 1024 * 1024;

} // namespace

EmulatorConnection::EmulatorConnection(QTcpSocket *socket, Emulator *emulator)
    : QObject(emulator)
    , m_socket(socket)
    , m_emulator(emulator)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, this, &EmulatorConnection::handleReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    connect(socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
    });
}

void EmulatorConnection::handleReadyRead()
{
    m_buffer.append(m_socket->readAll());
    processBuffer();
}

void EmulatorConnection::processBuffer()
{
    while (!m_busy && !m_closing && !m_buffer.isEmpty()) {
        EmulatorRequest request;
        bool keepAlive = true;
        QByteArray problem;
        const Parse parse = parseRequest(&request, &keepAlive, &problem);
        if (parse == Parse::Incomplete)
            return;
        if (parse == Parse::Bad) {
            fail(problem.startsWith("413") ? 413 : problem.startsWith("501") ? 501 : 400, problem);
            return;
        }
        m_continueSent = false;
        const Emulator::Outcome outcome = m_emulator->process(request, keepAlive);
        if (outcome.delayMs > 0) {
            m_busy = true;
            QTimer::singleShot(outcome.delayMs, this, [this, outcome] {
                m_busy = false;
                send(outcome.bytes, outcome.sendBytes, outcome.keepAlive);
                processBuffer();
            });
            return;
        }
        send(outcome.bytes, outcome.sendBytes, outcome.keepAlive);
    }
}

EmulatorConnection::Parse EmulatorConnection::parseRequest(
    EmulatorRequest *request, bool *keepAlive, QByteArray *problem)
{
    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (m_buffer.size() > kMaxHeaderBytes) {
            *problem = "413 request headers too large";
            return Parse::Bad;
        }
        return Parse::Incomplete;
    }
    const QByteArrayView head(m_buffer.constData(), headerEnd);
    qsizetype lineEnd = head.indexOf("\r\n");
    const QByteArrayView requestLine = lineEnd < 0 ? head : head.first(lineEnd);
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace) {
        *problem = "malformed request line";
        return Parse::Bad;
    }
    const QByteArrayView version = requestLine.sliced(lastSpace + 1);
    if (!version.startsWith("HTTP/1.")) {
        *problem = "unsupported HTTP version";
        return Parse::Bad;
    }
    request->method = requestLine.first(firstSpace).toByteArray();
    const QByteArrayView target = requestLine.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const qsizetype question = target.indexOf('?');
    request->path = (question < 0 ? target : target.first(question)).toByteArray();
    request->query = question < 0 ? QByteArray() : target.sliced(question + 1).toByteArray();
    *keepAlive = version == "HTTP/1.1";

    qsizetype contentLength = 0;
    bool expectContinue = false;
    while (lineEnd >= 0) {
        const qsizetype start = lineEnd + 2;
        lineEnd = head.indexOf("\r\n", start);
        const QByteArrayView line = head.sliced(start, (lineEnd < 0 ? head.size() : lineEnd) - start);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            *problem = "malformed header line";
            return Parse::Bad;
        }
        const QByteArray name = line.first(colon).trimmed().toByteArray();
        const QByteArray value = line.sliced(colon + 1).trimmed().toByteArray();
        if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            contentLength = value.toLongLong(&ok);
            if (!ok || contentLength < 0) {
                *problem = "malformed Content-Length";
                return Parse::Bad;
            }
            if (contentLength > kMaxBodyBytes) {
                *problem = "413 request body too large";
                return Parse::Bad;
            }
        } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
            *problem = "501 Transfer-Encoding is not supported; send Content-Length";
            return Parse::Bad;
        } else if (name.compare("connection", Qt::CaseInsensitive) == 0) {
            const QByteArray lower = value.toLower();
            if (lower.contains("close"))
                *keepAlive = false;
            else if (lower.contains("keep-alive"))
                *keepAlive = true;
        } else if (name.compare("expect", Qt::CaseInsensitive) == 0) {
            expectContinue = value.compare("100-continue", Qt::CaseInsensitive) == 0;
        }
        request->headers.append({name, value});
    }
    const qsizetype total = headerEnd + 4 + contentLength;
    if (m_buffer.size() < total) {
        if (expectContinue && !m_continueSent) {
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            m_continueSent = true;
        }
        return Parse::Incomplete;
    }
    request->body = m_buffer.mid(headerEnd + 4, contentLength);
    m_buffer.remove(0, total);
    return Parse::Ready;
}

void EmulatorConnection::send(const QByteArray &bytes, qint64 sendBytes, bool keepAlive)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (sendBytes >= 0) {
        m_socket->write(bytes.constData(), std::min<qint64>(sendBytes, bytes.size()));
        m_closing = true;
        m_socket->disconnectFromHost();
        return;
    }
    m_socket->write(bytes);
    if (!keepAlive) {
        m_closing = true;
        m_socket->disconnectFromHost();
    }
}

void EmulatorConnection::fail(int status, const QByteArray &message)
{
    EmulatorResponse response;
    response.status = status;
    response.headers
        = {{"x-amzn-RequestId", QUuid::createUuid().toByteArray(QUuid::WithoutBraces)}, {"Content-Type", "text/plain"}};
    response.body = message + '\n';
    send(emulatorHttpResponseBytes(response, false), -1, false);
}

} // namespace pagewise
