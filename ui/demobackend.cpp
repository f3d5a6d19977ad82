#include "demobackend.h"

#include "emulator/emulator.h"
#include "emulator/emulatorthread.h"

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
    if (m_server)
        return true;
    EmulatorConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = 0;
    config.data = spec;
    m_accessKeyId = config.accessKeyId;
    m_secretAccessKey = config.secretAccessKey;

    auto server = std::make_unique<EmulatorThread>(config);
    if (!server->start(error))
        return false;
    m_server = std::move(server);
    m_url = m_server->url();
    m_catalog = m_server->emulator()->catalog();
    return true;
}

void DemoBackend::stop()
{
    if (m_server)
        m_server->stop();
    m_server.reset();
}

Emulator *DemoBackend::emulator() const
{
    return m_server ? m_server->emulator() : nullptr;
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
