// The `pagewise` program itself: its command line, the headless `export` dispatch, the hand-over to
// pagewise-gui and the demo.
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_Main : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void helpListsTheConnectionOptions();
    void exportRunsWithoutADisplay();
    void exportLoadsNoGuiLibrary();
    void helpAndVersionNeedNoDisplay();
    void explainsAMissingWindowProgram();
    void demoScreenshotsShowEveryView();

private:
    QProcessEnvironment environment() const;
    QProcessEnvironment environmentWithoutDisplay() const;
    QString m_program;
    QTemporaryDir m_home;
};

void tst_Main::initTestCase()
{
    const QString buildDir = qEnvironmentVariable("PAGEWISE_BUILD_DIR");
    if (buildDir.isEmpty())
        QSKIP("PAGEWISE_BUILD_DIR is not set (run through ctest)");
    m_program = QDir(buildDir).filePath(QStringLiteral("pagewise"));
    if (!QFileInfo(m_program).isExecutable())
        QSKIP("the pagewise program is not built");
    QVERIFY(m_home.isValid());
}

QProcessEnvironment tst_Main::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Settings and AWS files of the test only.
    env.insert(QStringLiteral("HOME"), m_home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
    env.remove(QStringLiteral("AWS_PROFILE"));
    return env;
}

// No display anywhere: creating a QApplication here would abort.
QProcessEnvironment tst_Main::environmentWithoutDisplay() const
{
    QProcessEnvironment env = environment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    return env;
}

void tst_Main::helpListsTheConnectionOptions()
{
    QProcess process;
    QProcessEnvironment env = environment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    process.start(m_program, {QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    const QString help = QString::fromUtf8(process.readAllStandardOutput());
    for (const char *option : {"--demo", "--profile", "--region", "--endpoint-url", "pagewise export"})
        QVERIFY2(help.contains(QLatin1String(option)), option);
    QVERIFY(!help.contains(QStringLiteral("--screenshot")));
}

void tst_Main::exportRunsWithoutADisplay()
{
    // With no display, creating a QApplication would abort: `export` must not create one.
    QProcess process;
    process.setProcessEnvironment(environmentWithoutDisplay());
    process.start(m_program, {QStringLiteral("export"), QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    const QString output = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
    QVERIFY2(output.contains(QStringLiteral("pagewise export")), qPrintable(output));
    QVERIFY(!output.contains(QStringLiteral("display")));
}

void tst_Main::exportLoadsNoGuiLibrary()
{
    // The dynamic loader lists every library it opens: none of the GUI's may be among them.
    QProcess process;
    QProcessEnvironment env = environment();
    env.insert(QStringLiteral("LD_DEBUG"), QStringLiteral("files"));
    process.setProcessEnvironment(env);
    process.start(m_program, {QStringLiteral("export"), QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 0);
    const QString loaded = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(loaded.contains(QStringLiteral("libQt6Network")), "LD_DEBUG=files listed nothing");
    QVERIFY2(!loaded.contains(QStringLiteral("libQt6Gui")), "pagewise export loads Qt GUI");
    QVERIFY2(!loaded.contains(QStringLiteral("libQt6Widgets")), "pagewise export loads Qt Widgets");
}

void tst_Main::helpAndVersionNeedNoDisplay()
{
    for (const QString &option : {QStringLiteral("--version"), QStringLiteral("--help")}) {
        QProcess process;
        process.setProcessEnvironment(environmentWithoutDisplay());
        process.start(m_program, {option});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        const QString output = QString::fromUtf8(process.readAllStandardOutput());
        QVERIFY2(output.contains(option == QStringLiteral("--version") ? QStringLiteral("Pagewise 0.")
                                                                       : QStringLiteral("--endpoint-url")),
            qPrintable(output));
    }
}

void tst_Main::explainsAMissingWindowProgram()
{
    // `pagewise` alone, without pagewise-gui beside it: export still works, the window says why not.
    QTemporaryDir alone;
    QVERIFY(alone.isValid());
    const QString copy = alone.filePath(QStringLiteral("pagewise"));
    QVERIFY(QFile::copy(m_program, copy));
    QVERIFY(QFile::setPermissions(copy, QFile::permissions(m_program)));

    QProcess process;
    process.setProcessEnvironment(environment());
    process.start(copy, {QStringLiteral("export"), QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 0);

    process.start(copy, {QStringLiteral("--demo")});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 1);
    const QString error = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(error.contains(u"cannot start the window program "_s + alone.filePath(QStringLiteral("pagewise-gui"))),
        qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("No such file")), qPrintable(error));
}

void tst_Main::demoScreenshotsShowEveryView()
{
    QTemporaryDir shots;
    QVERIFY(shots.isValid());
    QProcess process;
    QProcessEnvironment env = environment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    process.start(m_program, {QStringLiteral("--demo"), QStringLiteral("--screenshot"), shots.path()});
    QVERIFY(process.waitForFinished(120000));
    const QString output = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 0, qPrintable(output)); // non-zero when a view showed no rows
    for (const char *name : {"images.png", "datasets.png", "sessions.png", "export-dialog.png"}) {
        const QImage image(QDir(shots.path()).filePath(QLatin1String(name)));
        QVERIFY2(!image.isNull(), name);
        QVERIFY(image.width() >= 500);
    }
    const QImage window(QDir(shots.path()).filePath(QStringLiteral("images.png")));
    QCOMPARE(window.size(), QSize(1400, 900));
}

QTEST_GUILESS_MAIN(tst_Main)
#include "tst_main.moc"
