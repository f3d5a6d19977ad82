#include "aws/signing/sigv4signer.h"
#include "emulator/emulator.h"
#include "emulator/emulatorthread.h"
#include "loopbackemulator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pagewise;
using namespace Qt::StringLiterals;
using namespace pagewise::testsupport;

namespace
{

struct Reply {
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers)
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

EmulatorConfig smallConfig()
{
    EmulatorConfig config = smallEmulatorConfig({.images = 200, .datasetGroups = 2, .datasets = 50, .sessions = 80});
    config.requireAuth = false;
    return config;
}

QNetworkRequest awsJsonRequest(const QUrl &url, const QByteArray &target)
{
    QNetworkRequest request(url);
    request.setRawHeader("X-Amz-Target", target);
    request.setRawHeader("Content-Type", "application/x-amz-json-1.1");
    return request;
}

/// Waits for the reply to finish and takes what it received.
Reply receive(QNetworkReply *reply)
{
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(20000);
    Reply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.error = reply->error();
    out.body = reply->readAll();
    out.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return out;
}

} // namespace

class tst_Emulator : public QObject
{
    Q_OBJECT

private slots:
    void servesPagesOverKeepAliveConnections();
    void requestLogKeepsParametersButNoSecrets();
    void injectsFaultsAsEachServiceSendsThem_data();
    void injectsFaultsAsEachServiceSendsThem();
    void faultsAreDeterministicAndNeverChangeTheData();
    void delaysResponsesWithoutBlocking();
    void servesFromItsOwnThread();
    void servesHttps();
    void refusesToListenWithBadTlsFiles();

private:
    Reply send(QNetworkAccessManager &manager, const QUrl &base, const QByteArray &target, const QByteArray &body,
        const QList<std::pair<QByteArray, QByteArray>> &extraHeaders = {});
    Reply sessions(QNetworkAccessManager &manager, const Emulator &emulator, const QByteArray &query = {});
};

Reply tst_Emulator::send(QNetworkAccessManager &manager, const QUrl &base, const QByteArray &target,
    const QByteArray &body, const QList<std::pair<QByteArray, QByteArray>> &extraHeaders)
{
    QNetworkRequest request = awsJsonRequest(base, target);
    for (const auto &[name, value] : extraHeaders)
        request.setRawHeader(name, value);
    return receive(manager.post(request, body));
}

Reply tst_Emulator::sessions(QNetworkAccessManager &manager, const Emulator &emulator, const QByteArray &query)
{
    const EmulatorCatalog catalog = emulator.catalog();
    const auto &farm = catalog.farms.first();
    QUrl url = emulator.url();
    url.setPath(u"/2023-10-12/farms/"_s + farm.farmId + u"/queues/"_s + farm.queues.first().queueId + u"/jobs/"_s
        + farm.queues.first().jobs.first().jobId + u"/sessions"_s);
    url.setQuery(QString::fromLatin1(query));
    return receive(manager.get(QNetworkRequest(url)));
}

void tst_Emulator::servesPagesOverKeepAliveConnections()
{
    Emulator emulator(smallConfig());
    QString error;
    QVERIFY2(emulator.listen(&error), qPrintable(error));
    QCOMPARE(emulator.url().scheme(), u"http"_s);
    QCOMPARE(emulator.url().host(), u"127.0.0.1"_s);
    QVERIFY(emulator.port() != 0);

    QNetworkAccessManager manager;
    QString token;
    QStringList names;
    for (int page = 0; page < 4; ++page) {
        QJsonObject input {{u"MaxResults"_s, 50}, {u"SortBy"_s, u"IMAGE_NAME"_s}};
        if (!token.isEmpty())
            input.insert(u"NextToken"_s, token);
        const Reply reply = send(manager, emulator.url(), "SageMaker.ListImages", QJsonDocument(input).toJson());
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("content-type"), QByteArray("application/x-amz-json-1.1"));
        QVERIFY(!reply.header("x-amzn-requestid").isEmpty());
        for (const QJsonValue &image : reply.json().value(u"Images"_s).toArray())
            names << image.toObject().value(u"ImageName"_s).toString();
        token = reply.json().value(u"NextToken"_s).toString();
    }
    QVERIFY(token.isEmpty());
    QCOMPARE(names.size(), 200);
    QStringList sorted = names;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    QCOMPARE(names, sorted);

    const Reply deadline = sessions(manager, emulator, "maxResults=100");
    QCOMPARE(deadline.status, 200);
    QCOMPARE(deadline.header("content-type"), QByteArray("application/json"));

    const EmulatorStats stats = emulator.stats();
    QCOMPARE(stats.requests, quint64(5));
    QCOMPARE(stats.pages, quint64(5));
    QCOMPARE(stats.items, quint64(200 + emulator.catalog().farms.first().queues.first().jobs.first().sessions));
    QVERIFY(stats.nsPerPage() > 0);
    QVERIFY2(stats.connections < 5, "keep-alive connections are reused");
}

void tst_Emulator::requestLogKeepsParametersButNoSecrets()
{
    EmulatorConfig config = smallConfig();
    config.requireAuth = true;
    Emulator emulator(config);
    QVERIFY(emulator.listen());
    QSignalSpy handled(&emulator, &Emulator::requestHandled);
    QVERIFY(handled.isValid());

    // A request signed with session credentials, as botocore sends it.
    HttpRequestParts parts;
    parts.method = "POST";
    parts.path = "/";
    parts.body = R"({"MaxResults": 3, "NameContains": "gpu"})";
    parts.headers = {{"Host", "127.0.0.1:" + QByteArray::number(emulator.port())},
        {"X-Amz-Target", "SageMaker.ListImages"}, {"Content-Type", "application/x-amz-json-1.1"}};
    const Credentials credentials = exampleCredentials(/*withSessionToken=*/true);
    SigV4Signer::sign(parts, credentials, {u"us-east-1"_s, u"sagemaker"_s}, QDateTime::currentDateTimeUtc());
    QList<std::pair<QByteArray, QByteArray>> headers;
    for (const auto &header : parts.headers)
        if (header.first.compare("host", Qt::CaseInsensitive) != 0)
            headers.append(header);

    QNetworkAccessManager manager;
    const Reply reply = send(manager, emulator.url(), "SageMaker.ListImages", parts.body, headers);
    QVERIFY2(reply.status == 200, reply.body.constData());
    QCOMPARE(handled.size(), 1);

    const QList<EmulatorRequestLogEntry> log = emulator.requestLog();
    QCOMPARE(log.size(), 1);
    const EmulatorRequestLogEntry &entry = log.first();
    QCOMPARE(entry.method, QByteArray("POST"));
    QCOMPARE(entry.target, QByteArray("SageMaker.ListImages"));
    QCOMPARE(entry.operation, u"ListImages"_s);
    QCOMPARE(entry.parameters.value(u"MaxResults"_s).toInt(), 3);
    QCOMPARE(entry.parameters.value(u"NameContains"_s).toString(), u"gpu"_s);
    QCOMPARE(entry.accessKeyId, QByteArray("AKIDEXAMPLE"));
    QCOMPARE(entry.status, 200);
    QCOMPARE(handled.first().first().value<EmulatorRequestLogEntry>().number, entry.number);

    // Nothing in the entry carries the secret, the session token or the signature.
    QByteArray everything = entry.method + entry.path + entry.target + entry.operation.toUtf8() + entry.accessKeyId
        + entry.errorCode + entry.fault + QJsonDocument(QJsonObject::fromVariantMap(entry.parameters)).toJson();
    QVERIFY(!everything.contains("wJalrXUtnFEMI"));
    QVERIFY(!everything.contains("FQoGZXIvYXdzEXAMPLESESSIONTOKEN"));
    QVERIFY(!everything.contains(parts.header("authorization").right(64)));
    QVERIFY(!everything.contains("Signature"));
}

void tst_Emulator::injectsFaultsAsEachServiceSendsThem_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<bool>("deadline");
    QTest::addColumn<QList<int>>("statuses");
    QTest::addColumn<QStringList>("codes");
    QTest::addRow("throttle, awsJson") << u"throttle"_s << false << QList<int> {400}
                                       << QStringList {u"ThrottlingException"_s};
    QTest::addRow("throttle, Deadline") << u"throttle"_s << true << QList<int> {429}
                                        << QStringList {u"ThrottlingException"_s};
    QTest::addRow("error, awsJson") << u"error"_s << false << QList<int> {500, 503}
                                    << QStringList {u"InternalFailure"_s, u"ServiceUnavailable"_s};
    QTest::addRow("error, Deadline") << u"error"_s << true << QList<int> {500}
                                     << QStringList {u"InternalServerErrorException"_s};
    QTest::addRow("malformed, awsJson") << u"malformed"_s << false << QList<int> {200} << QStringList {};
    QTest::addRow("malformed, Deadline") << u"malformed"_s << true << QList<int> {200} << QStringList {};
    QTest::addRow("drop, awsJson") << u"drop"_s << false << QList<int> {} << QStringList {};
    QTest::addRow("drop, Deadline") << u"drop"_s << true << QList<int> {} << QStringList {};
}

void tst_Emulator::injectsFaultsAsEachServiceSendsThem()
{
    QFETCH(QString, fault);
    QFETCH(bool, deadline);
    QFETCH(QList<int>, statuses);
    QFETCH(QStringList, codes);
    EmulatorConfig config = smallConfig();
    Emulator emulator(config);
    QVERIFY(emulator.listen());
    EmulatorFaults faults;
    (fault == u"throttle"_s           ? faults.throttleRate
            : fault == u"error"_s     ? faults.errorRate
            : fault == u"malformed"_s ? faults.malformedRate
                                      : faults.dropRate)
        = 1.0;
    emulator.setFaults(faults);

    QNetworkAccessManager manager;
    QSet<int> seenStatuses;
    for (int i = 0; i < 6; ++i) {
        const Reply reply = deadline ? sessions(manager, emulator)
                                     : send(manager, emulator.url(), "AmazonPersonalize.ListDatasets", "{}");
        if (fault == u"drop"_s) {
            QVERIFY2(reply.error != QNetworkReply::NoError, "a dropped connection must fail the request");
            continue;
        }
        QVERIFY(statuses.contains(reply.status));
        seenStatuses.insert(reply.status);
        QVERIFY(!reply.header("x-amzn-requestid").isEmpty());
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(reply.body, &parseError);
        if (fault == u"malformed"_s) {
            QVERIFY2(parseError.error != QJsonParseError::NoError, reply.body.constData());
            continue;
        }
        const QString code = QString::fromLatin1(reply.header("x-amzn-errortype"));
        QVERIFY2(codes.contains(code), qPrintable(code));
        QCOMPARE(document.object().value(u"__type"_s).toString(), code);
        QVERIFY(!document.object().value(u"message"_s).toString().isEmpty());
        if (deadline && fault == u"throttle"_s)
            QCOMPARE(reply.header("retry-after"), QByteArray("1"));
    }
    if (fault == u"error"_s && !deadline)
        QCOMPARE(seenStatuses.size(), 2);
    const QList<EmulatorRequestLogEntry> log = emulator.requestLog();
    QCOMPARE(log.size(), 6);
    for (const EmulatorRequestLogEntry &entry : log)
        QCOMPARE(QString::fromLatin1(entry.fault), fault);
    QCOMPARE(emulator.stats().faults, quint64(6));
}

void tst_Emulator::faultsAreDeterministicAndNeverChangeTheData()
{
    Emulator emulator(smallConfig());
    QVERIFY(emulator.listen());
    QNetworkAccessManager manager;
    const QByteArray body = R"({"MaxResults": 20, "SortOrder": "ASCENDING"})";
    const Reply clean = send(manager, emulator.url(), "SageMaker.ListImages", body);
    QCOMPARE(clean.status, 200);

    EmulatorFaults faults;
    faults.throttleRate = 0.3;
    faults.errorRate = 0.2;
    faults.faultSeed = 11;
    const auto run = [&] {
        emulator.setFaults(faults);
        QList<int> statuses;
        for (int i = 0; i < 20; ++i) {
            const Reply reply = send(manager, emulator.url(), "SageMaker.ListImages", body);
            statuses << reply.status;
            if (reply.status == 200)
                [&] { QCOMPARE(reply.body, clean.body); }();
        }
        return statuses;
    };
    const QList<int> first = run();
    QCOMPARE(run(), first);
    QVERIFY(first.contains(200));
    QVERIFY(first.contains(400));
    faults.faultSeed = 12;
    QVERIFY(run() != first);
}

void tst_Emulator::delaysResponsesWithoutBlocking()
{
    EmulatorConfig config = smallConfig();
    config.faults.latencyMs = 150;
    config.faults.jitterMs = 50;
    Emulator emulator(config);
    QVERIFY(emulator.listen());
    // Two clients at once: both answered, each in its own connection, with no fault.
    QNetworkAccessManager first, second;
    const QNetworkRequest request = awsJsonRequest(emulator.url(), "SageMaker.ListImages");
    QNetworkReply *a = first.post(request, QByteArray("{}"));
    QNetworkReply *b = second.post(request, QByteArray("{}"));
    QSignalSpy aDone(a, &QNetworkReply::finished), bDone(b, &QNetworkReply::finished);
    QTRY_VERIFY_WITH_TIMEOUT(aDone.size() == 1 && bDone.size() == 1, 20000);
    QCOMPARE(a->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(b->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(a->readAll(), b->readAll());
    delete a;
    delete b;
    for (const EmulatorRequestLogEntry &entry : emulator.requestLog())
        QVERIFY(entry.fault.isEmpty());
}

void tst_Emulator::servesFromItsOwnThread()
{
    EmulatorThread server(smallConfig());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QVERIFY(server.emulator());
    QVERIFY(server.url().port() > 0);
    QVERIFY(server.emulator()->thread() != QThread::currentThread());

    QNetworkAccessManager manager;
    const Reply reply = send(manager, server.url(), "SageMaker.ListImages", "{\"MaxResults\": 7}");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(u"Images"_s).toArray().size(), 7);
    QCOMPARE(server.emulator()->stats().pages, quint64(1));
    QCOMPARE(server.emulator()->requestLog().size(), 1);

    const QUrl url = server.url();
    server.stop();
    QVERIFY(!server.emulator());
    QVERIFY(send(manager, url, "SageMaker.ListImages", "{}").error != QNetworkReply::NoError);

    // A port that is taken makes start() fail with a message, and the thread ends.
    Emulator blocker(smallConfig());
    QVERIFY(blocker.listen());
    EmulatorConfig taken = smallConfig();
    taken.port = blocker.port();
    EmulatorThread second(taken);
    QVERIFY(!second.start(&error));
    QVERIFY2(error.contains(QString::number(blocker.port())), qPrintable(error));
}

void tst_Emulator::servesHttps()
{
    const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (openssl.isEmpty())
        QSKIP("openssl is not on PATH: no certificate to test HTTPS with");
    QTemporaryDir dir;
    const QString cert = dir.filePath(u"cert.pem"_s), key = dir.filePath(u"key.pem"_s);
    QProcess process;
    process.start(openssl,
        {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-days"_s, u"2"_s, u"-subj"_s,
            u"/CN=127.0.0.1"_s, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s, key, u"-out"_s, cert});
    QVERIFY(process.waitForFinished(60000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());

    EmulatorConfig config = smallConfig();
    config.tlsCertificateFile = cert;
    config.tlsKeyFile = key;
    Emulator emulator(config);
    QString error;
    QVERIFY2(emulator.listen(&error), qPrintable(error));
    QCOMPARE(emulator.url().scheme(), u"https"_s);

    QFile certificateFile(cert);
    QVERIFY(certificateFile.open(QIODevice::ReadOnly));
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates(QSslCertificate::fromData(certificateFile.readAll(), QSsl::Pem));
    QNetworkAccessManager manager;
    QNetworkRequest request = awsJsonRequest(emulator.url(), "AmazonPersonalize.ListDatasets");
    request.setSslConfiguration(ssl);
    QNetworkReply *reply = manager.post(request, QByteArray(R"({"maxResults": 5})"));
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(20000));
    QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(u"datasets"_s).toArray().size(), 5);
    delete reply;
}

void tst_Emulator::refusesToListenWithBadTlsFiles()
{
    QTemporaryDir dir;
    QFile junk(dir.filePath(u"junk.pem"_s));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not a certificate");
    junk.close();
    EmulatorConfig config = smallConfig();
    config.tlsCertificateFile = junk.fileName();
    config.tlsKeyFile = junk.fileName();
    Emulator emulator(config);
    QString error;
    QVERIFY(!emulator.listen(&error));
    QVERIFY2(error.contains(u"--tls-cert"_s), qPrintable(error));
    QVERIFY(!emulator.isListening());
}

QTEST_GUILESS_MAIN(tst_Emulator)
#include "tst_emulator.moc"
