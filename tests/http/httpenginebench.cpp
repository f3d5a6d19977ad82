// pagewise-httpbench: client CPU per signed ListImages request (100 items a page) for each
// AwsClient engine, against a pagewise-emulator process, so that the emulator's CPU is not
// counted. Usage: pagewise-httpbench [--requests N] [--emulator PATH] [--engine qnam|direct|both] [--tls]
// (--tls: HTTPS with a certificate made by the openssl command, trusted through the CA bundle).
#include "aws/http/awsclient.h"
#include "kinds/resourcekind.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <cstdio>
#include <sys/resource.h>

using namespace pagewise;
using namespace Qt::StringLiterals;

namespace
{

class FixedCredentials final : public CredentialsProvider
{
public:
    Result<Credentials> credentials() override
    {
        Credentials credentials;
        credentials.accessKeyId = u"AKIDEXAMPLE"_s;
        credentials.secretAccessKey = u"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"_s;
        credentials.source = u"benchmark"_s;
        return credentials;
    }
};

struct Usage {
    double cpuMs = 0;
    long contextSwitches = 0;
};

Usage usageNow()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval &t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
    return {ms(usage.ru_utime) + ms(usage.ru_stime), usage.ru_nvcsw + usage.ru_nivcsw};
}

/// Sends `count` ListImages requests one after the other, as the CLI's pages go.
bool runRequests(AwsClient &client, const ResourceKind &kind, int count, qint64 *bytes)
{
    HttpRequestParts request;
    request.method = "POST";
    request.path = "/";
    request.headers = {{"X-Amz-Target", "SageMaker.ListImages"}, {"Content-Type", "application/x-amz-json-1.1"}};
    request.body = R"({"MaxResults":100})";
    QEventLoop loop;
    bool ok = true;
    int done = 0;
    std::function<void()> next = [&] {
        AwsCall *call = client.send(kind, request);
        QObject::connect(call, &AwsCall::finished, &loop, [&](const AwsResponse &response) {
            if (!response.ok()) {
                std::fprintf(stderr, "request failed: %s\n", qPrintable(response.error.toString()));
                ok = false;
                loop.quit();
                return;
            }
            *bytes += response.body.size();
            if (++done == count)
                loop.quit();
            else
                next();
        });
    };
    next();
    loop.exec();
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCommandLineParser parser;
    parser.addOption({u"requests"_s, u"requests per engine (default 2000)"_s, u"N"_s, u"2000"_s});
    parser.addOption({u"emulator"_s, u"pagewise-emulator executable"_s, u"PATH"_s, QStringLiteral(PAGEWISE_EMULATOR)});
    parser.addOption({u"engine"_s, u"qnam, direct or both (default both)"_s, u"NAME"_s, u"both"_s});
    parser.addOption({u"tls"_s, u"HTTPS, with a test certificate made by openssl"_s});
    parser.addHelpOption();
    parser.process(application);
    const int requests = parser.value(u"requests"_s).toInt();

    QStringList emulatorArguments {u"--port"_s, u"0"_s, u"--images"_s, u"1000"_s};
    QTemporaryDir certificates;
    if (parser.isSet(u"tls"_s)) {
        QProcess openssl;
        openssl.setWorkingDirectory(certificates.path());
        openssl.start(u"openssl"_s,
            {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s,
                u"-keyout"_s, u"key.pem"_s, u"-out"_s, u"cert.pem"_s, u"-days"_s, u"1"_s, u"-subj"_s,
                u"/CN=127.0.0.1"_s, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s});
        if (!openssl.waitForFinished(30'000) || openssl.exitCode() != 0) {
            std::fprintf(stderr, "pagewise-httpbench: --tls needs the openssl command\n");
            return 1;
        }
        emulatorArguments << u"--tls-cert"_s << certificates.filePath(u"cert.pem"_s) << u"--tls-key"_s
                          << certificates.filePath(u"key.pem"_s);
    }

    QProcess emulator;
    emulator.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    emulator.start(parser.value(u"emulator"_s), emulatorArguments);
    if (!emulator.waitForStarted() || !emulator.waitForReadyRead(30'000)) {
        std::fprintf(stderr, "pagewise-httpbench: cannot start %s\n", qPrintable(parser.value(u"emulator"_s)));
        return 1;
    }
    const QString banner = QString::fromUtf8(emulator.readLine()).trimmed();
    const QRegularExpressionMatch url = QRegularExpression(u"(https?://\\S+)"_s).match(banner);
    if (!url.hasMatch()) {
        std::fprintf(stderr, "pagewise-httpbench: unexpected emulator output: %s\n", qPrintable(banner));
        return 1;
    }

    const ResourceKind *kind = findResourceKind(u"images"_s);
    Connection connection;
    connection.profile = u"bench"_s;
    connection.region = u"us-east-1"_s;
    connection.explicitEndpoint = url.captured(1);
    connection.credentials = std::make_shared<FixedCredentials>();
    if (parser.isSet(u"tls"_s))
        connection.caBundle = certificates.filePath(u"cert.pem"_s);

    std::printf("%-7s %9s %14s %16s %12s %10s\n", "engine", "requests", "CPU ms / req", "ctx sw / req", "wall ms/req",
        "KiB / req");
    const QString which = parser.value(u"engine"_s);
    int status = 0;
    for (const auto &[name, engine] :
        {std::pair {"qnam", AwsClient::Engine::Qnam}, std::pair {"direct", AwsClient::Engine::Direct}}) {
        if (which != u"both"_s && which != QLatin1String(name))
            continue;
        AwsClient client(connection);
        client.setHttpEngine(engine);
        qint64 bytes = 0;
        if (!runRequests(client, *kind, 50, &bytes)) { // warm-up: connection, TLS backend, allocator
            status = 1;
            continue;
        }
        bytes = 0;
        const Usage before = usageNow();
        QElapsedTimer wall;
        wall.start();
        if (!runRequests(client, *kind, requests, &bytes)) {
            status = 1;
            continue;
        }
        const double wallMs = wall.nsecsElapsed() / 1e6;
        const Usage after = usageNow();
        std::printf("%-7s %9d %14.4f %16.2f %12.4f %10.1f\n", name, requests, (after.cpuMs - before.cpuMs) / requests,
            double(after.contextSwitches - before.contextSwitches) / requests, wallMs / requests,
            bytes / 1024.0 / requests);
    }
    emulator.terminate();
    emulator.waitForFinished();
    return status;
}
