// No secret access key or session token in any artefact: debug logs, error messages, the
// window's settings and texts, `pagewise export` output and messages at every verbosity, and the
// emulator's request log and output. Distinctive fake secrets are grepped for in each, with their
// percent-encoded and base64 forms.
#include "aws/http/awsclient.h"
#include "integrationsupport.h"
#include "models/resourcetablemodel.h"
#include "scriptedhttpserver.h"
#include "ui/connectionbar.h"
#include "ui/mainwindow.h"
#include "ui/resourceview.h"

#include <QApplication>
#include <QDirIterator>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pagewise;
using namespace pagewise::testing;
using namespace pagewise::testsupport;
using namespace Qt::StringLiterals;

namespace
{

const QString kAccessKeyId = u"AKIAPAGEWISELEAKTST1"_s;
const QString kSecret = u"pwSecretKey/LEAKCHECK+9f8e7d6c5b4a3f2e1d0c9b8a"_s;
const QString kSessionToken = u"pwSessionToken//LEAKCHECK/IQoJb3JpZ2luX2VjEFakeTokenForTestsOnly=="_s;
const QString kWrongSecret = u"pwWrongSecret/LEAKCHECK+00112233445566778899aa"_s;

/// Every message Qt logged since the handler was installed.
QStringList g_log;

void captureMessage(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    g_log << QString::fromUtf8(context.category ? context.category : "") + u": "_s + message;
}

Credentials sessionCredentials()
{
    Credentials credentials;
    credentials.accessKeyId = kAccessKeyId;
    credentials.secretAccessKey = kSecret;
    credentials.sessionToken = kSessionToken;
    credentials.source = u"explicit"_s;
    return credentials;
}

/// The secret texts and the forms they take on the wire or in encoded output.
QList<QByteArray> secretForms()
{
    QList<QByteArray> forms;
    for (const QString &secret : {kSecret, kSessionToken, kWrongSecret}) {
        const QByteArray utf8 = secret.toUtf8();
        forms << utf8 << utf8.toPercentEncoding() << utf8.toBase64() << utf8.mid(8, 20);
    }
    return forms;
}

/// The first secret form found in text, or "" when there is none.
QByteArray leakIn(const QByteArray &text)
{
    for (const QByteArray &form : secretForms()) {
        if (text.contains(form))
            return form;
    }
    return {};
}

#define VERIFY_NO_SECRET(artefact, text)                                                                               \
    do {                                                                                                               \
        const QByteArray found = leakIn(text);                                                                         \
        QVERIFY2(found.isEmpty(), qPrintable(u"%1 holds a secret (%2)"_s.arg(artefact, QString::fromUtf8(found))));    \
    } while (false)

QByteArray requestLogText(const QList<EmulatorRequestLogEntry> &log)
{
    QByteArray text;
    for (const EmulatorRequestLogEntry &entry : log) {
        text += entry.method + ' ' + entry.path + ' ' + entry.target + ' ' + entry.operation.toUtf8() + ' '
            + entry.accessKeyId + ' ' + entry.errorCode + ' ' + entry.fault + ' '
            + QJsonDocument::fromVariant(entry.parameters).toJson(QJsonDocument::Compact) + '\n';
    }
    return text;
}

} // namespace

class tst_Secrets : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void modelLogsAndErrorsHoldNoSecret();
    void windowSettingsAndTextsHoldNoSecret();
    void exportOutputAndMessagesHoldNoSecret_data();
    void exportOutputAndMessagesHoldNoSecret();
    void emulatorLogAndOutputHoldNoSecret();

private:
    QProcessEnvironment exportEnvironment(const QString &secret) const;
    Emulator &emulator() { return m_emulator->emulator(); }

    QTemporaryDir m_settings;
    QTemporaryDir m_home;
    std::unique_ptr<LoopbackEmulator> m_emulator;
};

void tst_Secrets::initTestCase()
{
    QVERIFY(m_settings.isValid() && m_home.isValid());
    QCoreApplication::setOrganizationName(u"PagewiseSecretsTest"_s);
    QCoreApplication::setApplicationName(u"Pagewise"_s);
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());

    // Everything Qt and Pagewise log, at every level
    QLoggingCategory::setFilterRules(u"*.debug=true"_s);
    qInstallMessageHandler(captureMessage);

    EmulatorConfig config = smallEmulatorConfig({.images = 300, .datasetGroups = 1, .datasets = 5, .sessions = 5});
    config.accessKeyId = kAccessKeyId;
    config.secretAccessKey = kSecret;
    config.faults.throttleRate = 0.3;
    config.faults.errorRate = 0.1;
    m_emulator = std::make_unique<LoopbackEmulator>(config);
    QString error;
    QVERIFY2(m_emulator->start(&error), qPrintable(error));
}

void tst_Secrets::cleanupTestCase()
{
    qInstallMessageHandler(nullptr);
    QLoggingCategory::setFilterRules(u"*.debug=false"_s);
}

void tst_Secrets::modelLogsAndErrorsHoldNoSecret()
{
    g_log.clear();
    // A whole listing with session credentials through throttling and 5xx (retries logged)
    const std::unique_ptr<AwsClient> client = loopbackClient(m_emulator->url(), 10, sessionCredentials());
    ResourceTableModel model(paginatorFactory(client.get()));
    model.setQuery({u"images"_s, {}, 50, {}, {}});
    model.loadAll();
    QVERIFY(waitFor([&] { return model.state() != ResourceTableModel::State::Loading; }, 60'000));
    QCOMPARE(model.state(), ResourceTableModel::State::Complete);
    QCOMPARE(model.rowCount(), 300);

    // A wrong secret key
    emulator().setFaults({});
    Credentials wrong = sessionCredentials();
    wrong.secretAccessKey = kWrongSecret;
    AwsClient wrongClient(loopbackConnection(m_emulator->url(), 1, wrong));
    ResourceTableModel refused(paginatorFactory(&wrongClient));
    QSignalSpy failed(&refused, &ResourceTableModel::pageFailed);
    refused.setQuery({u"images"_s, {}, 50, {}, {}});
    QVERIFY(failed.wait(30'000));
    QVERIFY(refused.lastError().message.contains(u"secret access key does not match"_s));

    // A service that echoes the request's credentials back in its error (as some proxies do)
    ScriptedHttpServer echoing([](const ScriptedRequest &request) {
        const QByteArray echo = request.header("Authorization") + " token " + request.header("X-Amz-Security-Token");
        ScriptedReply reply = ScriptedReply::awsJsonError(403, "AccessDeniedException", "denied for " + echo);
        reply.headers.append({"x-amzn-ErrorMessage", "denied for " + echo});
        return reply;
    });
    QVERIFY(echoing.listen());
    AwsClient echoClient(loopbackConnection(echoing.url(), 1, sessionCredentials()));
    ResourceTableModel echoed(paginatorFactory(&echoClient));
    QSignalSpy echoFailed(&echoed, &ResourceTableModel::pageFailed);
    echoed.setQuery({u"images"_s, {}, 50, {}, {}});
    QVERIFY(echoFailed.wait(30'000));
    QVERIFY(echoing.requests().constFirst().header("X-Amz-Security-Token") == kSessionToken.toUtf8());

    for (const AwsError &error : {refused.lastError(), echoed.lastError()}) {
        VERIFY_NO_SECRET(u"an error message"_s, error.toString().toUtf8());
        VERIFY_NO_SECRET(u"an error's details"_s, QJsonDocument(error.details).toJson());
    }
    QVERIFY(g_log.size() > 10); // the debug categories were really on
    VERIFY_NO_SECRET(u"the debug log"_s, g_log.join(u'\n').toUtf8());
}

void tst_Secrets::windowSettingsAndTextsHoldNoSecret()
{
    g_log.clear();
    emulator().setFaults({});
    Environment environment;
    environment.homeDir = m_home.path();
    environment.variables = {{u"AWS_ACCESS_KEY_ID"_s, kAccessKeyId}, {u"AWS_SECRET_ACCESS_KEY"_s, kSecret},
        {u"AWS_SESSION_TOKEN"_s, kSessionToken}, {u"AWS_REGION"_s, u"us-east-1"_s}};
    ConnectionOptions options;
    options.endpointUrl = m_emulator->url().toString();

    {
        MainWindow window;
        window.connectWith(options, environment);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showKind(u"images"_s);
        ResourceView *view = window.view(u"images"_s);
        view->activate();
        QVERIFY(waitFor([&] { return view->model()->rowCount() > 0; }, 30'000));
        QVERIFY2(window.connectionBar()->credentialsText().contains(u"AKIA…TST1"_s),
            qPrintable(window.connectionBar()->credentialsText()));

        QByteArray texts;
        for (const QLabel *label : window.findChildren<QLabel *>())
            texts += label->text().toUtf8() + label->toolTip().toUtf8() + '\n';
        for (const QLineEdit *edit : window.findChildren<QLineEdit *>())
            texts += edit->text().toUtf8() + '\n';
        VERIFY_NO_SECRET(u"the window's texts"_s, texts);
        window.saveSettings();
        window.close();
    }
    QSettings().sync();

    int files = 0;
    QDirIterator it(m_settings.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        VERIFY_NO_SECRET(file.fileName(), file.readAll());
        ++files;
    }
    QVERIFY2(files > 0, "the window wrote no settings file where the test looked");
    VERIFY_NO_SECRET(u"the debug log"_s, g_log.join(u'\n').toUtf8());
}

QProcessEnvironment tst_Secrets::exportEnvironment(const QString &secret) const
{
    Credentials credentials = sessionCredentials();
    credentials.secretAccessKey = secret;
    QProcessEnvironment environment = isolatedEnvironment(m_home.path(), credentials);
    environment.insert(u"AWS_REGION"_s, u"us-east-1"_s);
    environment.insert(u"AWS_MAX_ATTEMPTS"_s, u"1"_s);
    return environment;
}

void tst_Secrets::exportOutputAndMessagesHoldNoSecret_data()
{
    QTest::addColumn<QString>("loggingRules"); ///< QT_LOGGING_RULES, "" for unset
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("exitCode");
    for (const QString &rules : {QString(), u"*.debug=true"_s}) {
        const QString verbosity = rules.isEmpty() ? u"default"_s : u"all debug"_s;
        QTest::addRow("%s, csv", qPrintable(verbosity)) << rules << kSecret << u"csv"_s << 0;
        QTest::addRow("%s, json", qPrintable(verbosity)) << rules << kSecret << u"json"_s << 0;
        QTest::addRow("%s, wrong secret", qPrintable(verbosity)) << rules << kWrongSecret << u"csv"_s << 1;
    }
}

void tst_Secrets::exportOutputAndMessagesHoldNoSecret()
{
    QFETCH(QString, loggingRules);
    QFETCH(QString, secret);
    QFETCH(QString, format);
    QFETCH(int, exitCode);
    emulator().setFaults({});

    QProcessEnvironment environment = exportEnvironment(secret);
    if (!loggingRules.isEmpty())
        environment.insert(u"QT_LOGGING_RULES"_s, loggingRules);
    QTemporaryDir output;
    const QString file = output.filePath(u"out"_s);
    const ProcessResult result = runExport(
        {u"images"_s, u"--endpoint-url"_s, m_emulator->url().toString(), u"--format"_s, format, u"-o"_s, file},
        environment);
    QVERIFY(result.finished);
    QVERIFY2(result.exitCode == exitCode, result.standardError.constData());
    // A listing refused on its first page leaves no file behind; a written one holds no secret.
    QFile written(file);
    if (exitCode == 0) {
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray contents = written.readAll();
        QVERIFY(contents.count('\n') > 100);
        VERIFY_NO_SECRET(u"the %1 output"_s.arg(format), contents);
    } else {
        QVERIFY(!written.exists());
    }
    VERIFY_NO_SECRET(u"standard output"_s, result.standardOutput);
    VERIFY_NO_SECRET(u"standard error"_s, result.standardError);
}

void tst_Secrets::emulatorLogAndOutputHoldNoSecret()
{
    // The in-process emulator that served every request above
    QVERIFY(emulator().requestLog().size() > 10);
    VERIFY_NO_SECRET(u"the emulator's request log"_s, requestLogText(emulator().requestLog()));

    // The emulator program, given the secret on its command line, serving a good and a bad client
    EmulatorProcess program;
    QString error;
    QVERIFY2(program.start({u"--images"_s, u"20"_s, u"--access-key"_s, kAccessKeyId, u"--secret-key"_s, kSecret,
                               u"--throttle-rate"_s, u"0.2"_s},
                 &error),
        qPrintable(error));
    for (const QString &secret : {kSecret, kWrongSecret}) {
        QProcessEnvironment environment = exportEnvironment(secret);
        environment.insert(u"AWS_MAX_ATTEMPTS"_s, u"5"_s);
        const ProcessResult result
            = runExport({u"images"_s, u"--endpoint-url"_s, program.url().toString()}, environment);
        QVERIFY(result.finished);
        VERIFY_NO_SECRET(u"standard error"_s, result.standardError);
    }
    VERIFY_NO_SECRET(u"pagewise-emulator's output"_s, program.standardError());
}

QTEST_MAIN(tst_Secrets)
#include "tst_secrets.moc"
