// What `pagewise export` (and the model) say when the credentials or the configuration are wrong:
// one message that names the cause and the fix, never a raw stack of network error codes.
#include "aws/http/awsclient.h"
#include "integrationsupport.h"
#include "models/resourcetablemodel.h"
#include "scriptedhttpserver.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pagewise;
using namespace pagewise::testing;
using namespace pagewise::testsupport;
using namespace Qt::StringLiterals;

namespace
{

/// Where a case sends its requests.
enum class Service { Emulator, ExpiredTokenService };

/// Texts of Qt's network layer that must never reach a user as the explanation.
const QStringList kRawNetworkTexts {u"QNetworkReply"_s, u"Error transferring"_s, u"server replied"_s,
    u"Operation canceled"_s, u"Unknown error"_s, u"error code"_s};

void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

} // namespace

class tst_CredentialErrors : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exportExplainsTheCauseAndTheFix_data();
    void exportExplainsTheCauseAndTheFix();
    void modelExplainsAWrongSecretKey();

private:
    std::unique_ptr<LoopbackEmulator> m_emulator;
};

void tst_CredentialErrors::initTestCase()
{
    QLoggingCategory::setFilterRules(u"pagewise.*.debug=false"_s);
    m_emulator = std::make_unique<LoopbackEmulator>(
        smallEmulatorConfig({.images = 30, .datasetGroups = 1, .datasets = 5, .sessions = 5}));
    QString error;
    QVERIFY2(m_emulator->start(&error), qPrintable(error));
}

void tst_CredentialErrors::exportExplainsTheCauseAndTheFix_data()
{
    QTest::addColumn<Service>("service");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("environment"); ///< NAME=value
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("expected"); ///< fragments of the message: the cause and the fix

    const QString example = exampleCredentials().secretAccessKey;
    const QStringList region {u"--region"_s, u"us-east-1"_s};
    QTest::addRow("wrong secret key") << Service::Emulator << region
                                      << QStringList {u"AWS_ACCESS_KEY_ID=AKIDEXAMPLE"_s,
                                             u"AWS_SECRET_ACCESS_KEY=WrongSecretKeyForPagewiseTests0000000000"_s}
                                      << 1
                                      << QStringList {
                                             u"the secret access key does not match the access key ID AKID…MPLE"_s,
                                             u"environment"_s, u"check the credentials of profile default"_s};
    QTest::addRow("unknown access key")
        << Service::Emulator << region
        << QStringList {u"AWS_ACCESS_KEY_ID=AKIAUNKNOWNPAGEWISE1"_s, u"AWS_SECRET_ACCESS_KEY="_s + example} << 1
        << QStringList {u"the access key ID AKIA…ISE1 is not known to the service"_s,
               u"check the credentials of profile default and that the key is still active"_s};
    QTest::addRow("expired session token")
        << Service::ExpiredTokenService << region
        << QStringList {u"AWS_ACCESS_KEY_ID=ASIAEXPIREDPAGEWISE1"_s, u"AWS_SECRET_ACCESS_KEY="_s + example,
               u"AWS_SESSION_TOKEN=ExpiredSessionTokenOfPagewiseTests"_s}
        << 1
        << QStringList {
               u"session token expired"_s, u"refresh the credentials of profile default"_s, u"aws sso login"_s};
    QTest::addRow("unknown profile") << Service::Emulator << QStringList {u"--profile"_s, u"staging"_s}
                                     << QStringList {} << 2
                                     << QStringList {
                                            u"--profile: 'staging' is not a profile"_s, u"accepted: default, dev"_s};
    QTest::addRow("missing region") << Service::Emulator << QStringList {}
                                    << QStringList {u"AWS_ACCESS_KEY_ID=AKIDEXAMPLE"_s,
                                           u"AWS_SECRET_ACCESS_KEY="_s + example}
                                    << 1
                                    << QStringList {
                                           u"No AWS region"_s, u"--region"_s, u"AWS_REGION"_s, u"region = us-east-1"_s};
    QTest::addRow("no credentials anywhere")
        << Service::Emulator << QStringList {u"--profile"_s, u"dev"_s, u"--region"_s, u"us-east-1"_s} << QStringList {}
        << 1
        << QStringList {u"No AWS credentials found for profile dev"_s,
               u"add aws_access_key_id and aws_secret_access_key to [dev]"_s, u"credential_process"_s};
}

void tst_CredentialErrors::exportExplainsTheCauseAndTheFix()
{
    QFETCH(Service, service);
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, environment);
    QFETCH(int, exitCode);
    QFETCH(QStringList, expected);

    ScriptedHttpServer expiredTokenService([](const ScriptedRequest &) {
        return ScriptedReply::awsJsonError(
            400, "ExpiredTokenException", "The security token included in the request is expired");
    });
    QVERIFY(expiredTokenService.listen());
    const QUrl endpoint = service == Service::Emulator ? m_emulator->url() : expiredTokenService.url();

    // A home with two profiles that have no keys (so nothing is found unless the case sets some)
    QTemporaryDir home;
    writeFile(home.filePath(u".aws/config"_s), "[default]\noutput = json\n\n[profile dev]\noutput = json\n");
    QProcessEnvironment processEnvironment = isolatedEnvironment(home.path());
    for (const QString &assignment : std::as_const(environment))
        processEnvironment.insert(assignment.section(u'=', 0, 0), assignment.section(u'=', 1));

    const ProcessResult result = runExport(
        QStringList {u"images"_s, u"--endpoint-url"_s, endpoint.toString()} + arguments, processEnvironment, 60'000);
    QVERIFY(result.finished);
    const QString messages = QString::fromUtf8(result.standardError);
    QVERIFY2(result.exitCode == exitCode, qPrintable(u"exit %1: %2"_s.arg(result.exitCode).arg(messages)));
    for (const QString &fragment : std::as_const(expected))
        QVERIFY2(messages.contains(fragment), qPrintable(u"no \"%1\" in: %2"_s.arg(fragment, messages)));
    for (const QString &raw : kRawNetworkTexts)
        QVERIFY2(!messages.contains(raw, Qt::CaseInsensitive), qPrintable(messages));
    // One message (plus at most the hint about --help), not a stack of them
    QVERIFY2(messages.count(u"pagewise export:"_s) == 1, qPrintable(messages));
    // Nothing but the header row (if any) went to the output
    QVERIFY(result.standardOutput.count('\n') <= 1);
    // And a secret given in the environment is never repeated
    for (const QString &assignment : std::as_const(environment)) {
        if (assignment.startsWith(u"AWS_SECRET_ACCESS_KEY="_s) || assignment.startsWith(u"AWS_SESSION_TOKEN="_s))
            QVERIFY(!messages.contains(assignment.section(u'=', 1)));
    }
}

void tst_CredentialErrors::modelExplainsAWrongSecretKey()
{
    Credentials wrong = exampleCredentials();
    wrong.secretAccessKey = u"WrongSecretKeyForPagewiseTests0000000000"_s;
    wrong.source = u"profile dev (credentials file)"_s;
    AwsClient client(loopbackConnection(m_emulator->url(), 3, wrong));
    ResourceTableModel model(paginatorFactory(&client));
    QSignalSpy failed(&model, &ResourceTableModel::pageFailed);
    model.setQuery({u"images"_s, {}, 10, {}, {}});
    QVERIFY(failed.wait(30'000));

    const AwsError error = model.lastError();
    QCOMPARE(error.kind, AwsError::Kind::Service);
    QCOMPARE(error.attempts, 1); // not retried: a wrong key does not get right by waiting
    QVERIFY2(error.message.contains(u"the secret access key does not match the access key ID AKID…MPLE"_s),
        qPrintable(error.message));
    QVERIFY2(error.message.contains(u"profile dev (credentials file)"_s), qPrintable(error.message));
    QVERIFY(!error.toString().contains(wrong.secretAccessKey));
}

QTEST_GUILESS_MAIN(tst_CredentialErrors)
#include "tst_credentialerrors.moc"
