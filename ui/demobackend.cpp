#include "demobackend.h"

#include "emulator/emulator.h"

#include <QThread>

namespace pagewise
{

DemoBackend::DemoBackend(QObject *parent)
    : QObject(parent)
{
}

DemoBackend::~DemoBackend()
{
    stop();
}

bool DemoBackend::start(QString *error, const EmulatorDataSpec &spec)
{
    if (m_emulator)
        return true;
    EmulatorConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = 0;
    config.data = spec;
    m_accessKeyId = config.accessKeyId;
    m_secretAccessKey = config.secretAccessKey;

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("demo-emulator"));
    m_emulator = new Emulator(config);
    m_emulator->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_emulator, &QObject::deleteLater);
    m_thread->start();

    bool ok = false;
    QString why;
    QMetaObject::invokeMethod(
        m_emulator, [&] { ok = m_emulator->listen(&why); }, Qt::BlockingQueuedConnection);
    if (!ok) {
        if (error)
            *error = why;
        stop();
        return false;
    }
    m_url = m_emulator->url();
    m_catalog = m_emulator->catalog();
    return true;
}

void DemoBackend::stop()
{
    if (!m_thread)
        return;
    if (m_emulator)
        QMetaObject::invokeMethod(
            m_emulator, [emulator = m_emulator] { emulator->close(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    m_emulator = nullptr; // deleted by deleteLater when the thread finished
    delete m_thread;
    m_thread = nullptr;
}

ConnectionOptions DemoBackend::connectionOptions() const
{
    ConnectionOptions options;
    options.region = QStringLiteral("us-east-1");
    options.endpointUrl = m_url.toString();
    Credentials credentials;
    credentials.accessKeyId = m_accessKeyId;
    credentials.secretAccessKey = m_secretAccessKey;
    credentials.source = tr("demo emulator example keys");
    options.credentials = credentials;
    return options;
}

Environment DemoBackend::isolatedEnvironment()
{
    return Environment {};
}

} // namespace pagewise
