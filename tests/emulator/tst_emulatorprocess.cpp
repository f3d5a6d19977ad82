#include <QDebug>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// The pagewise-emulator executable as people and scripts use it, and its conformance with
// botocore/boto3 and the AWS CLI (tests/emulator/conformance.py).
class tst_EmulatorProcess : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void badFlagsExitWithTwo_data();
    void badFlagsExitWithTwo();
    void printsOneListeningLineAndStopsOnSignal_data();
    void printsOneListeningLineAndStopsOnSignal();
    void writesTheCatalog();
    void conformsToBoto3();
    void conformsToAwsCli();
    void cleanup();

private:
    /// Starts the emulator and returns its URL from the "listening on" line (empty on failure).
    QString start(const QStringList &arguments);
    void runConformance(const QString &part);

    QTemporaryDir m_dir;
    QString m_python;
    QProcess m_emulator;
};

void tst_EmulatorProcess::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_python = QStandardPaths::findExecutable(QStringLiteral("python3"));
}

void tst_EmulatorProcess::cleanup()
{
    if (m_emulator.state() != QProcess::NotRunning) {
        m_emulator.kill();
        m_emulator.waitForFinished(5000);
    }
}

QString tst_EmulatorProcess::start(const QStringList &arguments)
{
    m_emulator.setProgram(QStringLiteral(PAGEWISE_EMULATOR_PATH));
    m_emulator.setArguments(arguments);
    m_emulator.setProcessChannelMode(QProcess::SeparateChannels);
    m_emulator.start();
    if (!m_emulator.waitForStarted(10000))
        return {};
    QByteArray output;
    while (!output.contains('\n')) {
        if (!m_emulator.waitForReadyRead(30000))
            return {};
        output += m_emulator.readAllStandardOutput();
    }
    const QRegularExpression line(QStringLiteral("^listening on (https?://127\\.0\\.0\\.1:\\d+)\n$"));
    const auto match = line.match(QString::fromUtf8(output));
    return match.hasMatch() ? match.captured(1) : QString();
}

void tst_EmulatorProcess::badFlagsExitWithTwo_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mention");
    QTest::addRow("port not a number") << QStringList {QStringLiteral("--port"), QStringLiteral("abc")} << "--port";
    QTest::addRow("port too big") << QStringList {QStringLiteral("--port"), QStringLiteral("70000")} << "65535";
    QTest::addRow("rate above one") << QStringList {QStringLiteral("--drop-rate"), QStringLiteral("1.5")}
                                    << "--drop-rate";
    QTest::addRow("negative count") << QStringList {QStringLiteral("--images=-3")} << "--images";
    QTest::addRow("missing value") << QStringList {QStringLiteral("--seed")} << "--seed";
    QTest::addRow("unknown flag") << QStringList {QStringLiteral("--colour")} << "--colour";
    QTest::addRow("cert without key") << QStringList {QStringLiteral("--tls-cert"), QStringLiteral("x.pem")}
                                      << "--tls-key";
}

void tst_EmulatorProcess::badFlagsExitWithTwo()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mention);
    QProcess process;
    process.start(QStringLiteral(PAGEWISE_EMULATOR_PATH), arguments);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    const QString error = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(error.contains(mention), qPrintable(error));
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

void tst_EmulatorProcess::printsOneListeningLineAndStopsOnSignal_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addRow("SIGTERM") << int(SIGTERM);
    QTest::addRow("SIGINT") << int(SIGINT);
}

void tst_EmulatorProcess::printsOneListeningLineAndStopsOnSignal()
{
    QFETCH(int, signalNumber);
    const QString url
        = start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--images"), QStringLiteral("50")});
    QVERIFY2(!url.isEmpty(), m_emulator.readAllStandardError().constData());
    QVERIFY(!url.endsWith(QLatin1String(":0")));
    ::kill(pid_t(m_emulator.processId()), signalNumber);
    QVERIFY(m_emulator.waitForFinished(10000));
    QCOMPARE(m_emulator.exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_emulator.exitCode(), 0);
    QVERIFY(m_emulator.readAllStandardOutput().isEmpty()); // nothing after the one line
}

void tst_EmulatorProcess::writesTheCatalog()
{
    const QString catalog = m_dir.filePath(QStringLiteral("catalog.json"));
    const QString url = start({QStringLiteral("--farms"), QStringLiteral("2"), QStringLiteral("--queues-per-farm"),
        QStringLiteral("3"), QStringLiteral("--jobs-per-queue"), QStringLiteral("2"), QStringLiteral("--sessions"),
        QStringLiteral("120"), QStringLiteral("--dataset-groups"), QStringLiteral("4"), QStringLiteral("--datasets"),
        QStringLiteral("40"), QStringLiteral("--catalog"), catalog});
    QVERIFY(!url.isEmpty());
    QFile file(catalog);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(json.value(QLatin1String("datasetGroups")).toArray().size(), 4);
    const QJsonArray farms = json.value(QLatin1String("farms")).toArray();
    QCOMPARE(farms.size(), 2);
    int sessions = 0;
    for (const QJsonValue &farm : farms) {
        QVERIFY(QRegularExpression(QStringLiteral("^farm-[0-9a-f]{32}$"))
                    .match(farm.toObject().value(QLatin1String("farmId")).toString())
                    .hasMatch());
        QCOMPARE(farm.toObject().value(QLatin1String("queues")).toArray().size(), 3);
        sessions += farm.toObject().value(QLatin1String("sessions")).toInt();
    }
    QCOMPARE(sessions, 120);
}

void tst_EmulatorProcess::runConformance(const QString &part)
{
    if (m_python.isEmpty())
        QSKIP("python3 is not on PATH: the conformance test drives the emulator with botocore and the aws CLI");
    QProcess probe;
    probe.start(m_python, {QStringLiteral("-c"), QStringLiteral("import boto3, botocore")});
    if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
        QSKIP("python3 has no boto3/botocore (pip install boto3): conformance with botocore not checked");
    if (part == QLatin1String("cli") && QStandardPaths::findExecutable(QStringLiteral("aws")).isEmpty())
        QSKIP("the aws command line is not on PATH: conformance with the AWS CLI not checked");

    const QString script = QStringLiteral(PAGEWISE_CONFORMANCE_SCRIPT);
    const QString data = m_dir.filePath(QStringLiteral("conformance-data.json"));
    QProcess writer;
    writer.start(m_python, {script, QStringLiteral("write-data"), data});
    QVERIFY(writer.waitForFinished(60000));
    QVERIFY2(writer.exitCode() == 0, writer.readAllStandardError().constData());

    const QString url = start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data"), data});
    QVERIFY2(!url.isEmpty(), m_emulator.readAllStandardError().constData());

    QProcess conformance;
    conformance.setProcessChannelMode(QProcess::MergedChannels);
    conformance.start(m_python, {script, part, url, data});
    QVERIFY(conformance.waitForFinished(300000));
    const QByteArray output = conformance.readAll();
    qInfo().noquote() << QString::fromUtf8(output).trimmed();
    if (conformance.exitCode() == 77)
        QSKIP(output.constData());
    QVERIFY2(conformance.exitStatus() == QProcess::NormalExit && conformance.exitCode() == 0, output.constData());
}

void tst_EmulatorProcess::conformsToBoto3()
{
    runConformance(QStringLiteral("boto3"));
}

void tst_EmulatorProcess::conformsToAwsCli()
{
    runConformance(QStringLiteral("cli"));
}

QTEST_GUILESS_MAIN(tst_EmulatorProcess)
#include "tst_emulatorprocess.moc"
