#include "scriptedhttpserver.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

namespace pagewise::testing
{

namespace
{

constexpr char kBufferProperty[] = "scriptedBuffer";

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

QByteArray serialise(const ScriptedReply &reply)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
    for (const auto &[name, value] : reply.headers)
        out += name + ": " + value + "\r\n";
    if (reply.chunked) {
        out += "Transfer-Encoding: chunked\r\n\r\n";
        constexpr qsizetype chunk = 64 * 1024;
        for (qsizetype at = 0; at < reply.body.size(); at += chunk) {
            const QByteArray part = reply.body.mid(at, chunk);
            out += QByteArray::number(part.size(), 16) + "\r\n" + part + "\r\n";
        }
        out += "0\r\n\r\n";
        return out;
    }
    out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n";
    out += reply.body;
    return out;
}

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
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void ScriptedHttpServer::handleReadyRead(QTcpSocket *socket)
{
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
        emit requestReceived(request.number);
        if (reply.hang)
            continue;
        const QByteArray bytes = serialise(reply);
        if (reply.stallAfterBytes >= 0) {
            socket->write(bytes.left(reply.stallAfterBytes));
            continue;
        }
        if (reply.dropAfterBytes >= 0) {
            socket->write(bytes.left(reply.dropAfterBytes));
            socket->flush();
            socket->disconnectFromHost();
            return;
        }
        socket->write(bytes);
    }
    socket->setProperty(kBufferProperty, buffer);
}

} // namespace pagewise::testing
