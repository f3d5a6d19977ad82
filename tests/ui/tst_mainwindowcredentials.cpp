// The window while a credential_process runs: it keeps painting and answering, the connection
// bar says it is resolving, then shows the key; the listing waits for the same run.

#include "ui/connectionbar.h"
#include "ui/mainwindow.h"
#include "ui/resourceview.h"
#include "uitesthelpers.h"

#include <QFile>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <signal.h>

using namespace pagewise;

namespace
{

/// Counts the paint events a widget gets while a condition holds.
class PaintCounter final : public QObject
{
public:
    PaintCounter(QWidget *widget, std::function<bool()> counting)
        : m_counting(std::move(counting))
    {
        widget->installEventFilter(this);
    }
    int paints = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && m_counting())
            ++paints;
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<bool()> m_counting;
};

bool processExists(qint64 pid)
{
    return ::kill(pid_t(pid), 0) == 0;
}

} // namespace

class tst_MainWindowCredentials : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void windowStaysResponsiveWhileCredentialsResolve();
    void credentialProcessErrorsAreShown();
    void switchingAwayWhileResolvingStopsTheProcess();

private:
    /// An environment whose config file has profile "slow" with a credential_process running
    /// a script made of body.
    Environment environmentWith(const QByteArray &body);
    ConnectionOptions slowProfile() const;
    int runs() const;
    qint64 recordedPid() const;

    QTemporaryDir m_settingsDir;
    std::unique_ptr<QTemporaryDir> m_home;
    DemoBackend m_backend;
};

void tst_MainWindowCredentials::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    uitest::useTemporarySettings(m_settingsDir);
    QString error;
    QVERIFY2(m_backend.start(&error), qPrintable(error));
}

void tst_MainWindowCredentials::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
}

Environment tst_MainWindowCredentials::environmentWith(const QByteArray &body)
{
    const QString script = m_home->filePath(QStringLiteral("slow.sh"));
    QFile file(script);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("#!/bin/sh\necho run >> '" + m_home->filePath(QStringLiteral("runs")).toUtf8() + "'\necho $$ > '"
        + m_home->filePath(QStringLiteral("pid")).toUtf8() + "'\n" + body);
    file.setPermissions(file.permissions() | QFile::ExeOwner);
    file.close();
    QFile config(m_home->filePath(QStringLiteral("config")));
    if (!config.open(QIODevice::WriteOnly))
        return {};
    config.write("[profile slow]\nregion = us-east-1\ncredential_process = " + script.toUtf8() + "\n");

    Environment environment;
    environment.homeDir = m_home->path();
    environment.variables.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
    environment.variables.insert(QStringLiteral("AWS_CONFIG_FILE"), config.fileName());
    environment.variables.insert(
        QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_home->filePath(QStringLiteral("credentials")));
    return environment;
}

ConnectionOptions tst_MainWindowCredentials::slowProfile() const
{
    ConnectionOptions options;
    options.profile = QStringLiteral("slow");
    options.endpointUrl = m_backend.url().toString(); // loopback only
    return options;
}

int tst_MainWindowCredentials::runs() const
{
    QFile file(m_home->filePath(QStringLiteral("runs")));
    return file.open(QIODevice::ReadOnly) ? int(file.readAll().count('\n')) : 0;
}

qint64 tst_MainWindowCredentials::recordedPid() const
{
    QFile file(m_home->filePath(QStringLiteral("pid")));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = file.readAll();
    return text.endsWith('\n') ? text.trimmed().toLongLong() : 0;
}

void tst_MainWindowCredentials::windowStaysResponsiveWhileCredentialsResolve()
{
    // The emulator's keys, printed after a pause as an SSO helper would.
    const Credentials keys = *m_backend.connectionOptions().credentials;
    const Environment environment = environmentWith("sleep 0.7\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", "
                                                    "\"SecretAccessKey\": \"%s\"}' '"
        + keys.accessKeyId.toUtf8() + "' '" + keys.secretAccessKey.toUtf8() + "'\n");
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ConnectionBar *bar = window.connectionBar();
    auto *label = bar->findChild<QLabel *>(QStringLiteral("credentials"));
    QVERIFY(label);
    PaintCounter painted(label, [bar] { return bar->isResolvingCredentials(); });
    int ticksWhileResolving = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, &ticker, [&] {
        if (bar->isResolvingCredentials())
            ++ticksWhileResolving;
    });
    ticker.start(10);

    window.connectWith(slowProfile(), environment);

    QCOMPARE(bar->credentialsText(), QStringLiteral("Resolving credentials…"));
    QVERIFY(bar->isResolvingCredentials());
    QTRY_VERIFY_WITH_TIMEOUT(!bar->isResolvingCredentials(), 10'000);
    QVERIFY2(ticksWhileResolving > 0, "timers did not fire while the credential_process ran");
    QVERIFY2(painted.paints > 0, "the connection bar was not repainted while the credential_process ran");
    QCOMPARE(bar->credentialsText(), QStringLiteral("Credentials: AKID…MPLE (profile slow (credential_process))"));
    QVERIFY(bar->errorText().isEmpty());

    // The listing started meanwhile waited for the same run, then signed with its keys.
    ResourceView *view = window.currentView();
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() > 0, 10'000);
    QCOMPARE(runs(), 1);
}

void tst_MainWindowCredentials::credentialProcessErrorsAreShown()
{
    const Environment environment = environmentWith("sleep 0.3\necho 'sso session expired' >&2\nexit 2\n");
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ConnectionBar *bar = window.connectionBar();

    window.connectWith(slowProfile(), environment);
    QCOMPARE(bar->credentialsText(), QStringLiteral("Resolving credentials…"));

    QTRY_VERIFY_WITH_TIMEOUT(!bar->isResolvingCredentials(), 10'000);
    QCOMPARE(bar->credentialsText(), QStringLiteral("No credentials"));
    const QString expected = QStringLiteral("Cannot connect: The credential_process of [profile slow] in %1 failed: "
                                            "'slow.sh' exited with code 2; it said: sso session expired")
                                 .arg(m_home->filePath(QStringLiteral("config")));
    QCOMPARE(bar->errorText(), expected);
}

void tst_MainWindowCredentials::switchingAwayWhileResolvingStopsTheProcess()
{
    const Environment environment = environmentWith("exec sleep 30\n");
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ConnectionBar *bar = window.connectionBar();

    window.connectWith(slowProfile(), environment);
    QTRY_VERIFY_WITH_TIMEOUT(recordedPid() > 0, 10'000);
    const qint64 pid = recordedPid();
    QVERIFY(processExists(pid));

    // The demo's explicit keys: nothing waits for the process any more.
    window.connectWith(m_backend.connectionOptions(), DemoBackend::isolatedEnvironment());
    QVERIFY2(!processExists(pid), qPrintable(QStringLiteral("credential_process %1 still runs").arg(pid)));
    QVERIFY(!bar->isResolvingCredentials());
    QCOMPARE(bar->credentialsText(), QStringLiteral("Credentials: AKID…MPLE (explicit)"));
    QTRY_VERIFY_WITH_TIMEOUT(window.currentView()->model()->rowCount() > 0, 10'000);
    QCOMPARE(runs(), 1);
}

QTEST_MAIN(tst_MainWindowCredentials)
#include "tst_mainwindowcredentials.moc"
