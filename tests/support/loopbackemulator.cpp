#include "loopbackemulator.h"

#include "aws/config/credentialproviders.h"
#include "aws/http/awsclient.h"
#include "kinds/resourcekind.h"
#include "paging/paginator.h"

namespace pagewise::testsupport
{

namespace
{

EmulatorConfig onLoopback(EmulatorConfig config)
{
    config.host = QStringLiteral("127.0.0.1");
    return config;
}

} // namespace

Credentials exampleCredentials(bool withSessionToken)
{
    Credentials credentials;
    credentials.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    credentials.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    if (withSessionToken)
        credentials.sessionToken = QStringLiteral("FQoGZXIvYXdzEXAMPLESESSIONTOKEN");
    credentials.source = QStringLiteral("explicit");
    return credentials;
}

EmulatorConfig smallEmulatorConfig(const SmallCatalog &sizes)
{
    EmulatorConfig config;
    config.data.images = sizes.images;
    config.data.datasetGroups = sizes.datasetGroups;
    config.data.datasets = sizes.datasets;
    config.data.farms = 1;
    config.data.queuesPerFarm = 1;
    config.data.jobsPerQueue = 2;
    config.data.sessions = sizes.sessions;
    return config;
}

Connection loopbackConnection(const QUrl &endpoint, int maxAttempts, Credentials credentials)
{
    Connection connection;
    connection.profile = QStringLiteral("test");
    connection.region = QStringLiteral("us-east-1");
    connection.explicitEndpoint = endpoint.toString();
    connection.retry.maxAttempts = maxAttempts;
    connection.credentials = std::make_shared<StaticCredentialsProvider>(std::move(credentials));
    return connection;
}

std::unique_ptr<AwsClient> loopbackClient(const QUrl &endpoint, int maxAttempts, Credentials credentials)
{
    auto client = std::make_unique<AwsClient>(loopbackConnection(endpoint, maxAttempts, std::move(credentials)));
    client->setBackoffScale(0);
    return client;
}

PageFetcherFactory paginatorFactory(AwsClient *client)
{
    return [client](const ListQuery &query) -> std::unique_ptr<PageFetcher> {
        const ResourceKind *kind = findResourceKind(query.kindId);
        return kind ? std::make_unique<Paginator>(client, *kind, query) : nullptr;
    };
}

LoopbackEmulator::LoopbackEmulator(EmulatorConfig config)
    : m_emulator(onLoopback(std::move(config)))
{
}

bool LoopbackEmulator::start(QString *error)
{
    return m_emulator.listen(error);
}

std::unique_ptr<AwsClient> LoopbackEmulator::client(int maxAttempts) const
{
    Credentials credentials = exampleCredentials();
    credentials.accessKeyId = m_emulator.config().accessKeyId;
    credentials.secretAccessKey = m_emulator.config().secretAccessKey;
    return loopbackClient(url(), maxAttempts, std::move(credentials));
}

} // namespace pagewise::testsupport
