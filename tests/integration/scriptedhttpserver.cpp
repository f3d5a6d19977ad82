#include "scriptedhttpserver.h"

#include "emulator/emulator.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>
#include <utility>

namespace pagewise::testing
{
/// What is left to send of one response: `head` bytes, then `fillLeft` fill bytes, then `tail`.
struct PendingReply {
    QByteArray head;
    qsizetype fillLeft = 0;
    char fill = 'x';
    QByteArray tail;
    bool chunked = false;
    qsizetype stopAfter = -1; ///< total bytes to send before stalling or dropping (-1: all)
    bool dropAtStop = false;
    int index = 0; ///< into bytesSent
    qint64 sent = 0;
};
} // namespace pagewise::testing
Q_DECLARE_METATYPE(std::shared_ptr<pagewise::testing::PendingReply>)

namespace pagewise::testing
{

namespace
{

constexpr char kBufferProperty[] = "scriptedBuffer";
constexpr qsizetype kWriteChunk = 256 * 1024;

PendingReply plan(const ScriptedReply &reply)
{
    PendingReply pending;
    pending.head = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + emulatorReasonPhrase(reply.status) + "\r\n";
    for (const auto &[name, value] : reply.headers)
        pending.head += name + ": " + value + "\r\n";
    if (reply.chunked) {
        pending.head += "Transfer-Encoding: chunked\r\n\r\n";
        pending.chunked = true;
        if (!reply.body.isEmpty())
            pending.head += QByteArray::number(reply.body.size(), 16) + "\r\n" + reply.body + "\r\n";
        pending.tail = reply.bodyTail.isEmpty()
            ? QByteArray("0\r\n\r\n")
            : QByteArray::number(reply.bodyTail.size(), 16) + "\r\n" + reply.bodyTail + "\r\n0\r\n\r\n";
    } else {
        const qsizetype length = reply.body.size() + reply.fillBytes + reply.bodyTail.size();
        pending.head += "Content-Length: " + QByteArray::number(length) + "\r\n\r\n" + reply.body;
        pending.tail = reply.bodyTail;
    }
    pending.fillLeft = reply.fillBytes;
    pending.fill = reply.fill;
    if (reply.stallAfterBytes >= 0) {
        pending.stopAfter = reply.stallAfterBytes;
    } else if (reply.dropAfterBytes >= 0) {
        pending.stopAfter = reply.dropAfterBytes;
        pending.dropAtStop = true;
    }
    return pending;
}

constexpr char kPendingProperty[] = "scriptedPending";

} // namespace

QByteArray ScriptedRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

ScriptedReply ScriptedReply::json(const QByteArray &body, int status)
{
    ScriptedReply reply;
    reply.status = status;
    reply.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"x-amzn-RequestId", "scripted-request"}};
    reply.body = body;
    return reply;
}

ScriptedReply ScriptedReply::awsJsonError(int status, const QByteArray &type, const QByteArray &message)
{
    ScriptedReply reply
        = json("{\"__type\":\"com.amazonaws.service#" + type + "\",\"message\":\"" + message + "\"}", status);
    reply.headers.append({"x-amzn-ErrorType", type});
    return reply;
}

ScriptedHttpServer::ScriptedHttpServer(Script script, QObject *parent)
    : QObject(parent)
    , m_script(std::move(script))
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &ScriptedHttpServer::handleConnection);
}

ScriptedHttpServer::~ScriptedHttpServer() = default;

bool ScriptedHttpServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

QUrl ScriptedHttpServer::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort()));
}

void ScriptedHttpServer::handleConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { handleReadyRead(socket); });
        connect(socket, &QTcpSocket::bytesWritten, this, [this, socket](qint64 written) {
            const QVariant value = socket->property(kPendingProperty);
            if (value.isValid()) {
                auto pending = value.value<std::shared_ptr<PendingReply>>();
                m_bytesSent[pending->index] += written;
            }
            writeMore(socket);
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void ScriptedHttpServer::writeMore(QTcpSocket *socket)
{
    const QVariant value = socket->property(kPendingProperty);
    if (!value.isValid())
        return;
    auto pending = value.value<std::shared_ptr<PendingReply>>();
    // Keep about a megabyte queued: enough to saturate loopback, little enough that a client
    // which stops reading leaves the rest unsent.
    while (socket->bytesToWrite() < 4 * kWriteChunk) {
        QByteArray next;
        if (!pending->head.isEmpty()) {
            next = pending->head.left(kWriteChunk);
            pending->head.remove(0, next.size());
        } else if (pending->fillLeft > 0) {
            const qsizetype n = qMin(kWriteChunk, pending->fillLeft);
            next = pending->chunked ? QByteArray::number(n, 16) + "\r\n" + QByteArray(n, pending->fill) + "\r\n"
                                    : QByteArray(n, pending->fill);
            pending->fillLeft -= n;
        } else if (!pending->tail.isEmpty()) {
            next = std::exchange(pending->tail, QByteArray());
        } else {
            socket->setProperty(kPendingProperty, QVariant());
            handleReadyRead(socket); // a request that arrived meanwhile
            return;
        }
        if (pending->stopAfter >= 0 && pending->sent + next.size() >= pending->stopAfter) {
            socket->write(next.left(pending->stopAfter - pending->sent));
            socket->setProperty(kPendingProperty, QVariant());
            if (pending->dropAtStop) {
                socket->flush();
                socket->disconnectFromHost();
            }
            return;
        }
        pending->sent += next.size();
        socket->write(next);
    }
}

void ScriptedHttpServer::handleReadyRead(QTcpSocket *socket)
{
    if (socket->property(kPendingProperty).isValid())
        return; // still answering the previous request; its end calls us again
    QByteArray buffer = socket->property(kBufferProperty).toByteArray() + socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            break;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        ScriptedRequest request;
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.target = requestLine.value(1);
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            if (line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0)
                length = line.mid(colon + 1).trimmed().toLongLong();
        }
        if (buffer.size() < headerEnd + 4 + length)
            break;
        request.body = buffer.mid(headerEnd + 4, length);
        buffer.remove(0, headerEnd + 4 + length);
        request.number = int(m_requests.size()) + 1;
        m_requests.append(request);

        const ScriptedReply reply = m_script(request);
        m_bytesSent.append(0);
        emit requestReceived(request.number);
        if (reply.hang)
            continue;
        auto pending = std::make_shared<PendingReply>(plan(reply));
        pending->index = int(m_bytesSent.size()) - 1;
        socket->setProperty(kPendingProperty, QVariant::fromValue(pending));
        writeMore(socket);
        // One response at a time per connection: the rest of the buffer waits for this one.
        if (socket->property(kPendingProperty).isValid())
            break;
    }
    socket->setProperty(kBufferProperty, buffer);
}

} // namespace pagewise::testing
