#include "integrationsupport.h"

#include "aws/http/awsclient.h"
#include "kinds/resourcekind.h"
#include "paging/paginator.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

namespace pagewise::testing
{

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    QElapsedTimer clock;
    clock.start();
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() >= timeoutMs)
            loop.quit();
    });
    poll.start(1);
    loop.exec();
    return done();
}

QStringList listKeys(AwsClient &client, const ResourceKind &kind, const ListQuery &query)
{
    Paginator paginator(&client, kind, query);
    QSignalSpy ready(&paginator, &PageFetcher::pageReady);
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);
    QStringList keys;
    while (paginator.hasMore()) {
        const qsizetype before = ready.size();
        paginator.fetchNext();
        const auto arrived = [&] { return ready.size() > before || !failed.isEmpty(); };
        if (!waitFor(arrived, 30'000) || !failed.isEmpty())
            return {};
        for (const QJsonValue &item : ready.constLast().at(0).value<Page>().items)
            keys << item[kind.keyMember].toString();
    }
    return keys;
}

QString pagewiseProgram()
{
    return QStringLiteral(PAGEWISE_PROGRAM);
}

QString emulatorProgram()
{
    return QStringLiteral(PAGEWISE_EMULATOR_PROGRAM);
}

QProcessEnvironment isolatedEnvironment(const QString &home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : environment.keys()) {
        if (name.startsWith(QLatin1String("AWS_")) || name == QLatin1String("QT_LOGGING_RULES"))
            environment.remove(name);
    }
    environment.insert(QStringLiteral("HOME"), home);
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    return environment;
}

QProcessEnvironment isolatedEnvironment(const QString &home, const Credentials &credentials)
{
    QProcessEnvironment environment = isolatedEnvironment(home);
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), credentials.accessKeyId);
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), credentials.secretAccessKey);
    if (!credentials.sessionToken.isEmpty())
        environment.insert(QStringLiteral("AWS_SESSION_TOKEN"), credentials.sessionToken);
    return environment;
}

ProcessResult runProgram(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
    int timeoutMs, const std::function<bool()> &giveUp)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    ProcessResult result;
    if (!process.waitForStarted(10'000)) {
        result.standardError = process.errorString().toUtf8();
        return result;
    }
    // Read as it comes, so a large export never fills the pipe and blocks the child.
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &process,
        [&] { result.standardOutput += process.readAllStandardOutput(); });
    QObject::connect(&process, &QProcess::readyReadStandardError, &process,
        [&] { result.standardError += process.readAllStandardError(); });
    waitFor([&] { return process.state() == QProcess::NotRunning || (giveUp && giveUp()); }, timeoutMs);
    result.finished = process.state() == QProcess::NotRunning;
    if (!result.finished) {
        process.kill();
        process.waitForFinished(5'000);
    }
    result.standardOutput += process.readAllStandardOutput();
    result.standardError += process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}

ProcessResult runExport(const QStringList &arguments, const QProcessEnvironment &environment, int timeoutMs,
    const std::function<bool()> &giveUp)
{
    return runProgram(
        pagewiseProgram(), QStringList {QStringLiteral("export")} + arguments, environment, timeoutMs, giveUp);
}

EmulatorProcess::~EmulatorProcess()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5'000))
            m_process->kill();
        m_process->waitForFinished(5'000);
    }
}

bool EmulatorProcess::start(const QStringList &arguments, QString *error)
{
    m_process = std::make_unique<QProcess>();
    m_process->start(emulatorProgram(), arguments);
    QByteArray output;
    const auto started = [&] {
        output += m_process->readAllStandardOutput();
        return output.contains('\n') || m_process->state() == QProcess::NotRunning;
    };
    const bool listening = waitFor(started, 60'000);
    const qsizetype at = output.indexOf("listening on ");
    if (!listening || at < 0) {
        *error = QStringLiteral("pagewise-emulator did not start: %1 %2")
                     .arg(QString::fromUtf8(output), QString::fromUtf8(m_process->readAllStandardError()));
        return false;
    }
    m_url = QUrl(QString::fromUtf8(output.mid(at + 13).trimmed()));
    return m_url.isValid();
}

QByteArray EmulatorProcess::standardError()
{
    return m_process ? m_process->readAllStandardError() : QByteArray();
}

QStringList csvFirstColumn(const QByteArray &csv)
{
    QStringList values;
    const QList<QByteArray> lines = csv.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (!line.isEmpty())
            values << QString::fromUtf8(line.left(line.indexOf(',') < 0 ? line.size() : line.indexOf(',')));
    }
    return values;
}

} // namespace pagewise::testing
