#include "emulator.h"

#include "emulatorconnection.h"

#include <QDateTime>
#include <QFile>
#include <QHostAddress>
#include <QMutexLocker>
#include <QSaveFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

#include <ctime>

namespace pagewise
{

namespace
{

// CPU time of this thread: what a page costs the server, whatever else the machine runs.
qint64 threadCpuNs()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000LL + now.tv_nsec;
}

enum FaultDraw : quint64 { DrawThrottle = 1, DrawError, DrawDrop, DrawMalformed, DrawJitter, DrawKind };

} // namespace

QByteArray emulatorReasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

QByteArray emulatorHttpResponseBytes(const EmulatorResponse &response, bool keepAlive, qsizetype *headerSize)
{
    QByteArray out;
    out.reserve(256 + response.body.size());
    out.append("HTTP/1.1 ").append(QByteArray::number(response.status)).append(' ');
    out.append(emulatorReasonPhrase(response.status)).append("\r\n");
    for (const auto &[name, value] : response.headers)
        out.append(name).append(": ").append(value).append("\r\n");
    out.append("Content-Length: ").append(QByteArray::number(response.body.size())).append("\r\n");
    out.append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
    if (headerSize)
        *headerSize = out.size();
    out.append(response.body);
    return out;
}

Emulator::Emulator(EmulatorConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_faults(m_config.faults)
{
}

Emulator::Emulator(EmulatorConfig config, std::shared_ptr<const EmulatorDataset> data, QObject *parent)
    : Emulator(std::move(config), parent)
{
    m_data = std::move(data);
    EmulatorService::Options options;
    options.accessKeyId = m_config.accessKeyId;
    options.secretAccessKey = m_config.secretAccessKey;
    options.requireAuth = m_config.requireAuth;
    m_service = std::make_unique<EmulatorService>(m_data, options);
}

Emulator::~Emulator()
{
    close();
}

bool Emulator::prepareData(QString *error)
{
    if (m_service)
        return true;
    if (!m_config.dataFile.isEmpty()) {
        QFile file(m_config.dataFile);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read --data file %1: %2").arg(m_config.dataFile, file.errorString());
            return false;
        }
        QString problem;
        m_data = EmulatorDataset::load(file.readAll(), &problem);
        if (!m_data) {
            *error = QStringLiteral("--data file %1: %2").arg(m_config.dataFile, problem);
            return false;
        }
    } else {
        m_data = EmulatorDataset::generate(m_config.data);
    }
    EmulatorService::Options options;
    options.accessKeyId = m_config.accessKeyId;
    options.secretAccessKey = m_config.secretAccessKey;
    options.requireAuth = m_config.requireAuth;
    m_service = std::make_unique<EmulatorService>(m_data, options);
    return true;
}

bool Emulator::listen(QString *error)
{
    QString dummy;
    QString &problem = error ? *error : dummy;
    if (m_server)
        return true;
    if (!prepareData(&problem))
        return false;
    if (!m_config.catalogFile.isEmpty()) {
        QSaveFile file(m_config.catalogFile);
        if (!file.open(QIODevice::WriteOnly) || file.write(catalog().toJson()) < 0 || !file.commit()) {
            problem
                = QStringLiteral("cannot write --catalog file %1: %2").arg(m_config.catalogFile, file.errorString());
            return false;
        }
    }
    m_tls = m_config.tls();
    if (m_tls) {
        if (!QSslSocket::supportsSsl()) {
            problem = QStringLiteral("TLS was requested but this Qt has no TLS backend");
            return false;
        }
        QFile certificate(m_config.tlsCertificateFile), key(m_config.tlsKeyFile);
        if (!certificate.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly)) {
            problem = QStringLiteral("cannot read --tls-cert %1 or --tls-key %2")
                          .arg(m_config.tlsCertificateFile, m_config.tlsKeyFile);
            return false;
        }
        m_tlsCertificate = certificate.readAll();
        m_tlsKey = key.readAll();
        if (QSslCertificate(m_tlsCertificate, QSsl::Pem).isNull()) {
            problem = QStringLiteral("--tls-cert %1 is not a PEM certificate").arg(m_config.tlsCertificateFile);
            return false;
        }
        if (QSslKey(m_tlsKey, QSsl::Rsa, QSsl::Pem).isNull() && QSslKey(m_tlsKey, QSsl::Ec, QSsl::Pem).isNull()) {
            problem = QStringLiteral("--tls-key %1 is not a PEM RSA or EC private key").arg(m_config.tlsKeyFile);
            return false;
        }
    }
    QHostAddress address;
    if (m_config.host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(m_config.host)) {
        problem = QStringLiteral("--host accepts an IP address such as 127.0.0.1, not '%1'").arg(m_config.host);
        return false;
    }
    m_server = new EmulatorTcpServer([this](qintptr descriptor) { handleNewConnection(descriptor); }, this);
    m_server->setMaxPendingConnections(1024);
    if (!m_server->listen(address, m_config.port)) {
        problem = QStringLiteral("cannot listen on %1:%2: %3")
                      .arg(m_config.host)
                      .arg(m_config.port)
                      .arg(m_server->errorString());
        delete m_server;
        m_server = nullptr;
        return false;
    }
    QUrl url;
    url.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(m_config.host == QLatin1String("0.0.0.0") ? QStringLiteral("127.0.0.1") : m_config.host);
    url.setPort(m_server->serverPort());
    QMutexLocker locker(&m_mutex);
    m_url = url;
    m_port = m_server->serverPort();
    return true;
}

void Emulator::close()
{
    if (!m_server)
        return;
    m_server->close();
    delete m_server;
    m_server = nullptr;
    {
        QMutexLocker locker(&m_mutex);
        m_url.clear();
        m_port = 0;
    }
    const QList<EmulatorConnection *> connections = findChildren<EmulatorConnection *>(Qt::FindDirectChildrenOnly);
    for (EmulatorConnection *connection : connections)
        delete connection;
}

bool Emulator::isListening() const
{
    QMutexLocker locker(&m_mutex);
    return m_port != 0;
}

QUrl Emulator::url() const
{
    QMutexLocker locker(&m_mutex);
    return m_url;
}

quint16 Emulator::port() const
{
    QMutexLocker locker(&m_mutex);
    return m_port;
}

EmulatorCatalog Emulator::catalog() const
{
    return m_data ? m_data->catalog() : EmulatorCatalog {};
}

void Emulator::setFaults(const EmulatorFaults &faults)
{
    QMutexLocker locker(&m_mutex);
    m_faults = faults;
    m_faultNumber = 0;
}

EmulatorFaults Emulator::faults() const
{
    QMutexLocker locker(&m_mutex);
    return m_faults;
}

EmulatorStats Emulator::stats() const
{
    QMutexLocker locker(&m_mutex);
    return m_stats;
}

void Emulator::resetStats()
{
    QMutexLocker locker(&m_mutex);
    m_stats = {};
}

QList<EmulatorRequestLogEntry> Emulator::requestLog() const
{
    QMutexLocker locker(&m_mutex);
    return m_log;
}

void Emulator::clearRequestLog()
{
    QMutexLocker locker(&m_mutex);
    m_log.clear();
}

void Emulator::setRequestLogCapacity(int capacity)
{
    QMutexLocker locker(&m_mutex);
    m_logCapacity = std::max(0, capacity);
    while (m_log.size() > m_logCapacity)
        m_log.removeFirst();
}

int Emulator::requestLogCapacity() const
{
    QMutexLocker locker(&m_mutex);
    return m_logCapacity;
}

void Emulator::handleNewConnection(qintptr descriptor)
{
    QTcpSocket *socket = nullptr;
    if (m_tls) {
        auto *ssl = new QSslSocket;
        if (!ssl->setSocketDescriptor(descriptor)) {
            delete ssl;
            return;
        }
        ssl->setLocalCertificate(QSslCertificate(m_tlsCertificate, QSsl::Pem));
        QSslKey key(m_tlsKey, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(m_tlsKey, QSsl::Ec, QSsl::Pem);
        ssl->setPrivateKey(key);
        ssl->setPeerVerifyMode(QSslSocket::VerifyNone);
        ssl->startServerEncryption();
        socket = ssl;
    } else {
        socket = new QTcpSocket;
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    new EmulatorConnection(socket, this);
    QMutexLocker locker(&m_mutex);
    ++m_stats.connections;
}

Emulator::Outcome Emulator::process(const EmulatorRequest &request, bool keepAlive)
{
    EmulatorFaults faults;
    quint64 number = 0, faultNumber = 0;
    {
        QMutexLocker locker(&m_mutex);
        faults = m_faults;
        number = ++m_requestNumber;
        faultNumber = ++m_faultNumber;
    }
    EmulatorRequestLogEntry entry;
    const qint64 started = threadCpuNs();
    EmulatorResponse response = m_service->handle(request, QDateTime::currentDateTimeUtc(), number, &entry);
    const qint64 elapsed = threadCpuNs() - started;

    Outcome outcome;
    outcome.keepAlive = keepAlive;
    const bool isPage = response.status == 200;
    const int pageItems = response.items;
    if (faults.any() && response.operation != EmulatorOperation::Unknown) {
        const quint64 seed = faults.faultSeed;
        const auto draw = [&](FaultDraw what) { return emulatorUnit(emulatorHash(seed, faultNumber, what)); };
        if (draw(DrawThrottle) < faults.throttleRate) {
            entry.fault = "throttle";
            response = m_service->faultResponse(response.operation, EmulatorService::Fault::Throttle, number);
        } else if (draw(DrawError) < faults.errorRate) {
            entry.fault = "error";
            const bool unavailable = emulatorHash(seed, faultNumber, DrawKind) & 1;
            response = m_service->faultResponse(response.operation,
                unavailable ? EmulatorService::Fault::Unavailable : EmulatorService::Fault::InternalError, number);
        } else if (draw(DrawDrop) < faults.dropRate) {
            entry.fault = "drop";
        } else if (draw(DrawMalformed) < faults.malformedRate) {
            entry.fault = "malformed";
            const QByteArray body = response.body;
            response.status = 200;
            response.errorCode.clear();
            response.body = body.left(std::max<qsizetype>(1, body.size() / 2)) + "\x01<truncated";
        }
        outcome.delayMs = faults.latencyMs;
        if (faults.jitterMs > 0)
            outcome.delayMs += int(draw(DrawJitter) * (faults.jitterMs + 1));
    }
    qsizetype headerSize = 0;
    outcome.bytes = emulatorHttpResponseBytes(response, keepAlive, &headerSize);
    if (entry.fault == "drop")
        outcome.sendBytes = headerSize + (outcome.bytes.size() - headerSize) / 2;
    if (!keepAlive)
        outcome.keepAlive = false;

    entry.status = response.status;
    entry.errorCode = response.errorCode;
    entry.items = response.status == 200 ? response.items : 0;
    entry.serverNs = elapsed;
    {
        QMutexLocker locker(&m_mutex);
        ++m_stats.requests;
        m_stats.handlerNs += elapsed;
        if (isPage) {
            ++m_stats.pages;
            m_stats.items += quint64(pageItems);
            m_stats.pageNs += elapsed;
        } else {
            ++m_stats.errors;
        }
        if (!entry.fault.isEmpty())
            ++m_stats.faults;
        if (m_logCapacity > 0) {
            if (m_log.size() >= m_logCapacity)
                m_log.removeFirst();
            m_log.append(entry);
        }
    }
    emit requestHandled(entry);
    return outcome;
}

} // namespace pagewise
