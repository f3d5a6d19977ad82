// pagewise-bench: how fast Pagewise lists, exports and opens, next to boto3, the AWS CLI and the
// emulator's own floor. Prints a table and writes <build>/bench/results.json. It reports; it never
// fails a build or a test run (missing peers give null). Every listing runs three times (--repeat N)
// and the medians are reported; --wall-only measures section 3 alone and writes nothing.
//
// Measured:
//   1. `pagewise export images --page-size 100 -o /dev/null` over 100,000 images: wall time and the
//      child's CPU (user+sys from wait4) per 1,000 items;
//   2. the same listing with a boto3 paginator and with `aws sagemaker list-images`, same emulator;
//   3. the floor: a raw keep-alive HTTP loop against a --no-auth emulator (no signing, no JSON parse),
//      and `pagewise export` against that same emulator, so that the ratio is the client's overhead;
//   4. the models' figures from pagewise-bench-models;
//   5. CSV export of 1,000,000 rows in-process: the core CsvWriter over text rows, and the CLI's
//      path from response bodies (simdjson parse + CSV);
//   6. time from starting `pagewise --demo` to the first rows in the Images view.
#include "cli/csvlistingwriter.h"
#include "export/csvwriter.h"
#include "export/exportrows.h"
#include "kinds/resourcekind.h"
#include "paging/operationcodec.h"

#include <algorithm>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace
{

using namespace pagewise;

constexpr int kListItems = 100000;
constexpr int kPageSize = 100;
constexpr int kCsvRows = 1000000;
const char *kAccessKey = "AKIDEXAMPLE";
const char *kSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

void note(const QString &text)
{
    std::fprintf(stderr, "pagewise-bench: %s\n", text.toUtf8().constData());
}

QString buildDir(const char *argv0)
{
    const QString fromEnv = qEnvironmentVariable("PAGEWISE_BUILD_DIR");
    if (!fromEnv.isEmpty())
        return QDir(fromEnv).absolutePath();
    // <build>/tests/bench/pagewise-bench
    return QFileInfo(QString::fromLocal8Bit(argv0)).absoluteDir().absoluteFilePath(QStringLiteral("../.."));
}

/// One finished child process: exit status, wall time, and its own CPU time as wait4 reports it.
struct ChildRun {
    bool started = false;
    int exitCode = -1;
    double wallS = 0;
    double cpuS = 0;
    QByteArray out; ///< empty when stdout went to /dev/null
    QByteArray err;
};

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// Runs a program to completion with posix_spawn + wait4, so the CPU time is exactly the child's.
ChildRun runMeasured(
    const QStringList &command, const QProcessEnvironment &environment, bool keepStdout, const QTemporaryDir &scratch)
{
    ChildRun run;
    const QString outPath = scratch.filePath(QStringLiteral("child.out"));
    const QString errPath = scratch.filePath(QStringLiteral("child.err"));
    const QByteArray outFile = keepStdout ? QFile::encodeName(outPath) : QByteArray("/dev/null");
    const QByteArray errFile = QFile::encodeName(errPath);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outFile.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errFile.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);

    QList<QByteArray> argStorage;
    for (const QString &part : command)
        argStorage << part.toLocal8Bit();
    std::vector<char *> argv;
    for (QByteArray &part : argStorage)
        argv.push_back(part.data());
    argv.push_back(nullptr);
    QList<QByteArray> envStorage;
    for (const QString &entry : environment.toStringList())
        envStorage << entry.toLocal8Bit();
    std::vector<char *> envp;
    for (QByteArray &entry : envStorage)
        envp.push_back(entry.data());
    envp.push_back(nullptr);

    QElapsedTimer clock;
    clock.start();
    pid_t pid = 0;
    const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        note(
            QStringLiteral("cannot start %1: %2").arg(command.first(), QString::fromLocal8Bit(std::strerror(spawned))));
        return run;
    }
    run.started = true;
    int status = 0;
    struct rusage usage = {};
    while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) { }
    run.wallS = double(clock.nsecsElapsed()) / 1e9;
    run.cpuS = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (keepStdout)
        run.out = readFile(outPath);
    run.err = readFile(errPath);
    return run;
}

/// A pagewise-emulator process serving kListItems images on a free loopback port.
class EmulatorProcess
{
public:
    bool start(const QString &program, bool noAuth)
    {
        QStringList arguments {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--images"),
            QString::number(kListItems), QStringLiteral("--datasets"), QStringLiteral("10"),
            QStringLiteral("--sessions"), QStringLiteral("10")};
        if (noAuth)
            arguments << QStringLiteral("--no-auth");
        m_process.start(program, arguments);
        if (!m_process.waitForStarted(10000))
            return false;
        QByteArray line;
        QElapsedTimer clock;
        clock.start();
        while (!line.contains('\n') && clock.elapsed() < 120000) {
            if (!m_process.waitForReadyRead(1000) && m_process.state() != QProcess::Running)
                break;
            line += m_process.readAllStandardOutput();
        }
        const QRegularExpressionMatch match
            = QRegularExpression(QStringLiteral("listening on (\\S+)")).match(QString::fromUtf8(line));
        if (!match.hasMatch()) {
            note(QStringLiteral("the emulator did not start: %1")
                     .arg(QString::fromUtf8(line + m_process.readAllStandardError())));
            return false;
        }
        m_url = match.captured(1);
        return true;
    }
    ~EmulatorProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    QString url() const { return m_url; }
    quint16 port() const { return quint16(QUrl(m_url).port()); }

private:
    QProcess m_process;
    QString m_url;
};

/// The floor: ListImages pages over one keep-alive connection with hand-made requests (no
/// signing, no JSON parsing beyond finding NextToken). Returns ms per page, or nullopt.
std::optional<double> rawHttpFloorMsPerPage(quint16 port, int *pagesOut)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return std::nullopt;
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return std::nullopt;
    }
    QByteArray token;
    QByteArray buffer;
    buffer.reserve(1 << 20);
    char chunk[1 << 16];
    int pages = 0;
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        const QByteArray body = token.isEmpty() ? QByteArray("{\"MaxResults\": 100}")
                                                : QByteArray("{\"MaxResults\": 100, \"NextToken\": \"") + token + "\"}";
        const QByteArray request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: SageMaker.ListImages\r\n"
                                   "Content-Type: application/x-amz-json-1.1\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        if (::send(fd, request.constData(), size_t(request.size()), 0) != request.size())
            break;
        buffer.clear();
        qsizetype headerEnd = -1;
        qsizetype contentLength = -1;
        while (headerEnd < 0 || buffer.size() < headerEnd + 4 + contentLength) {
            const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
            if (got <= 0) {
                ::close(fd);
                return std::nullopt;
            }
            buffer.append(chunk, got);
            if (headerEnd < 0) {
                headerEnd = buffer.indexOf("\r\n\r\n");
                if (headerEnd >= 0) {
                    const QByteArray headers = buffer.left(headerEnd).toLower();
                    const qsizetype at = headers.indexOf("content-length:");
                    contentLength
                        = at < 0 ? 0 : headers.mid(at + 15, headers.indexOf('\r', at) - at - 15).trimmed().toLongLong();
                    if (!buffer.startsWith("HTTP/1.1 200")) {
                        note(QStringLiteral("the raw loop got: %1").arg(QString::fromUtf8(buffer.left(200))));
                        ::close(fd);
                        return std::nullopt;
                    }
                }
            }
        }
        ++pages;
        const QByteArray responseBody = buffer.mid(headerEnd + 4, contentLength);
        const qsizetype at = responseBody.indexOf("\"NextToken\":\"");
        if (at < 0)
            break;
        const qsizetype start = at + 13;
        token = responseBody.mid(start, responseBody.indexOf('"', start) - start);
    }
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    ::close(fd);
    *pagesOut = pages;
    return pages > 0 ? std::optional<double>(ms / pages) : std::nullopt;
}

/// Synthetic ListImages pages: 10 pages of 100 realistic items, formula-like and quoted text included.
QList<Page> syntheticImagePages()
{
    QList<Page> pages;
    for (int p = 0; p < 10; ++p) {
        Page page;
        for (int i = 0; i < kPageSize; ++i) {
            const int n = p * kPageSize + i;
            const QString name = QStringLiteral("image-%1-cuda12").arg(n, 6, 10, QLatin1Char('0'));
            page.items.append(QJsonObject {
                {QStringLiteral("ImageName"), name},
                {QStringLiteral("DisplayName"), QStringLiteral("Team image %1").arg(n % 97)},
                {QStringLiteral("ImageStatus"), n % 11 ? QStringLiteral("CREATED") : QStringLiteral("UPDATE_FAILED")},
                {QStringLiteral("CreationTime"), 1.7e9 + n * 37.125},
                {QStringLiteral("LastModifiedTime"), 1.71e9 + n * 41.5},
                {QStringLiteral("Description"),
                    n % 5 ? QStringLiteral("GPU training image, \"CUDA\" 12") : QStringLiteral("=cmd|' /C calc'!A0")},
                {QStringLiteral("ImageArn"),
                    QString(QStringLiteral("arn:aws:sagemaker:us-east-1:123456789012:image/") + name)},
            });
        }
        pages << page;
    }
    return pages;
}

/// Rows per second of the core CsvWriter over synthetic rows whose cells are already text (the
/// window's export and the CLI both end in it), written to /dev/null.
double csvWriterRowsPerSecond()
{
    const ResourceKind &images = *findResourceKind(QStringLiteral("images"));
    QList<QStringList> rows;
    for (const Page &page : syntheticImagePages()) {
        for (const QJsonValue &item : page.items) {
            QStringList cells;
            exportItemCells(images.columns, item.toObject(), cells);
            rows << cells;
        }
    }
    std::FILE *sink = std::fopen("/dev/null", "wb");
    if (!sink)
        return 0;
    QByteArray buffer;
    CsvWriter writer(&buffer);
    QElapsedTimer clock;
    clock.start();
    writeExportHeader(writer, images.columns);
    for (int written = 0; written < kCsvRows; ++written) {
        writer.writeRow(rows.at(written % rows.size()));
        if (buffer.size() >= 1 << 16) {
            std::fwrite(buffer.constData(), 1, size_t(buffer.size()), sink);
            buffer.truncate(0);
        }
    }
    std::fwrite(buffer.constData(), 1, size_t(buffer.size()), sink);
    std::fflush(sink);
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    std::fclose(sink);
    return kCsvRows / seconds;
}

/// Rows per second of `pagewise export`'s CSV path from response bodies: each ListImages body is
/// parsed as the CLI parses it (OperationCodec::decodeRaw, simdjson) and its items written by the
/// CLI's CSV writer (cells straight from the parsed values), to /dev/null. Parsing is included.
double csvExportRowsPerSecond()
{
    const ResourceKind &images = *findResourceKind(QStringLiteral("images"));
    QList<QByteArray> bodies;
    for (const Page &page : syntheticImagePages())
        bodies << QJsonDocument(QJsonObject {{QStringLiteral("Images"), page.items}}).toJson(QJsonDocument::Compact);
    const OperationCodec codec(images);
    std::FILE *sink = std::fopen("/dev/null", "wb");
    if (!sink)
        return 0;
    CsvListingWriter writer(images.columns, false);
    bool allRaw = true;
    QElapsedTimer clock;
    clock.start();
    writer.begin();
    for (int written = 0, p = 0; written < kCsvRows; written += kPageSize, ++p) {
        const Result<Page> page = codec.decodeRaw(bodies.at(p % bodies.size()), p + 1);
        if (!page)
            return 0;
        allRaw = allRaw && page.value().isRaw();
        writer.writePage(page.value());
        QByteArray &bytes = writer.output();
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), sink);
        bytes.truncate(0);
    }
    std::fflush(sink);
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    std::fclose(sink);
    if (!allRaw)
        note(QStringLiteral("some synthetic pages were not decoded raw; csv_export_rows_per_s measured Qt's path"));
    return kCsvRows / seconds;
}

/// Seconds from starting `pagewise --demo` to its "first rows after N ms" line (the window honours
/// PAGEWISE_EXIT_AFTER_FIRST_ROWS=1 by printing it and exiting). nullopt when it does not.
std::optional<double> firstRowsSeconds(const QString &pagewise)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("PAGEWISE_EXIT_AFTER_FIRST_ROWS"), QStringLiteral("1"));
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer clock;
    clock.start();
    process.start(pagewise, {QStringLiteral("--demo")});
    if (!process.waitForStarted(10000))
        return std::nullopt;
    const QRegularExpression line(QStringLiteral("first rows after (\\d+(?:\\.\\d+)?) ms"));
    QByteArray output;
    std::optional<double> seconds;
    while (clock.elapsed() < 30000) {
        process.waitForReadyRead(200);
        output += process.readAll();
        const QRegularExpressionMatch match = line.match(QString::fromUtf8(output));
        if (match.hasMatch()) {
            // Our own clock: it also counts process start-up, which the program cannot see.
            seconds = std::max(double(clock.elapsed()), match.captured(1).toDouble()) / 1000.0;
            break;
        }
        if (process.state() == QProcess::NotRunning) {
            output += process.readAll();
            const QRegularExpressionMatch last = line.match(QString::fromUtf8(output));
            if (last.hasMatch())
                seconds = last.captured(1).toDouble() / 1000.0;
            break;
        }
    }
    if (process.state() != QProcess::NotRunning) {
        process.terminate();
        if (!process.waitForFinished(3000))
            process.kill();
        process.waitForFinished(3000);
    }
    if (!seconds)
        note(QStringLiteral("`pagewise --demo` printed no \"first rows after N ms\" line with "
                            "PAGEWISE_EXIT_AFTER_FIRST_ROWS=1; first_rows_s is null"));
    return seconds;
}

/// One listing run: the child process and how many items it listed.
struct ListingSample {
    ChildRun run;
    qint64 items = 0;
};

/// Medians over the runs of one listing; nullopt figures when no run succeeded.
struct ListingFigures {
    std::optional<double> wallS;
    std::optional<double> cpuMsPer1k;
    qint64 items = 0;
};

std::optional<double> median(std::vector<double> values)
{
    if (values.empty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

/// Runs a listing `repeats` times; single runs on a shared 2-core machine vary by tens of percent.
ListingFigures measureListing(int repeats, const std::function<std::optional<ListingSample>()> &runOnce)
{
    std::vector<double> walls, cpus;
    ListingFigures figures;
    for (int i = 0; i < repeats; ++i) {
        const std::optional<ListingSample> sample = runOnce();
        if (!sample)
            continue;
        figures.items = sample->items;
        walls.push_back(sample->run.wallS);
        cpus.push_back(sample->run.cpuS * 1000.0 / (double(sample->items) / 1000.0));
    }
    figures.wallS = median(walls);
    figures.cpuMsPer1k = median(cpus);
    return figures;
}

/// `pagewise export images` to a CSV file; the items are the file's rows.
std::optional<ListingSample> pagewiseListing(const QString &pagewise, const QString &url,
    const QProcessEnvironment &environment, const QTemporaryDir &scratch, const QStringList &extra)
{
    const QString csv = scratch.filePath(QStringLiteral("images.csv"));
    const QStringList command
        = QStringList {pagewise, QStringLiteral("export"), QStringLiteral("images"), QStringLiteral("--page-size"),
              QString::number(kPageSize), QStringLiteral("--endpoint-url"), url, QStringLiteral("-o"), csv}
        + extra;
    const ChildRun run = runMeasured(command, environment, false, scratch);
    const qint64 lines = readFile(csv).count('\n');
    if (run.exitCode == 0 && lines > 1)
        return ListingSample {run, lines - 1};
    note(QStringLiteral("pagewise export failed (exit %1): %2")
             .arg(run.exitCode)
             .arg(QString::fromUtf8(run.err.left(400))));
    return std::nullopt;
}

struct WallFigures {
    std::optional<double> floorMsPerPage;
    std::optional<double> clientMsPerPage;
};

/// The floor, and `pagewise export` against the very same emulator: one that skips signature
/// checks, since the raw loop does not sign. Both see identical server work per page, so their
/// ratio is the client's overhead alone. Their runs alternate, so that a machine growing busier or
/// quieter during the measurement weighs on both alike. pagewise empty: the floor only.
WallFigures measureWallAgainstFloor(int repeats, const EmulatorProcess &emulator, const QString &pagewise,
    const QProcessEnvironment &environment, const QTemporaryDir &scratch)
{
    std::vector<double> floors, clients;
    for (int i = 0; i < repeats; ++i) {
        int pages = 0;
        if (const std::optional<double> ms = rawHttpFloorMsPerPage(emulator.port(), &pages))
            floors.push_back(*ms);
        if (pagewise.isEmpty())
            continue;
        const std::optional<ListingSample> sample = pagewiseListing(pagewise, emulator.url(), environment, scratch, {});
        if (sample && sample->items > 0)
            clients.push_back(sample->run.wallS * 1000.0 / std::ceil(double(sample->items) / kPageSize));
    }
    return {median(floors), median(clients)};
}

QJsonValue number(std::optional<double> value, int decimals = 3)
{
    if (!value || !std::isfinite(*value))
        return QJsonValue::Null;
    const double scale = std::pow(10.0, decimals);
    return std::round(*value * scale) / scale;
}

QString cell(const QJsonValue &value, const char *unit = "")
{
    if (value.isNull() || value.isUndefined())
        return QStringLiteral("n/a");
    const double v = value.toDouble();
    const int decimals = std::fabs(v) >= 1000 ? 0 : std::fabs(v) >= 10 ? 1 : 3;
    return QLocale::c().toString(v, 'f', decimals) + QString::fromLatin1(unit);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // --repeat N: runs of each listing (default 3); the median is reported.
    int repeats = 3;
    const QStringList arguments = app.arguments();
    const qsizetype repeatAt = arguments.indexOf(QStringLiteral("--repeat"));
    if (repeatAt > 0 && repeatAt + 1 < arguments.size())
        repeats = std::clamp(arguments.at(repeatAt + 1).toInt(), 1, 99);
    // --wall-only: just the floor and the client against it (section 3), printed, nothing written.
    const bool wallOnly = arguments.contains(QStringLiteral("--wall-only"));
    const QString build = buildDir(argv[0]);
    const QString pagewise = QDir(build).filePath(QStringLiteral("pagewise"));
    const QString emulatorProgram = QDir(build).filePath(QStringLiteral("app/emulator/pagewise-emulator"));
    const QString modelsProgram = QDir(build).filePath(QStringLiteral("tests/bench/models/pagewise-bench-models"));
    QTemporaryDir scratch;
    const unsigned cores = std::thread::hardware_concurrency();
    QJsonObject results;
    results.insert(QStringLiteral("cores"), int(cores));

    // Clients see example credentials and empty config files, nothing of the machine's.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : environment.keys()) {
        if (name.startsWith(QStringLiteral("AWS_")))
            environment.remove(name);
    }
    const QString empty = scratch.filePath(QStringLiteral("empty"));
    QFile(empty).open(QIODevice::WriteOnly);
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(kAccessKey));
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(kSecretKey));
    environment.insert(QStringLiteral("AWS_CONFIG_FILE"), empty);
    environment.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), empty);
    environment.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("us-east-1"));
    environment.insert(QStringLiteral("AWS_EC2_METADATA_DISABLED"), QStringLiteral("true"));

    std::optional<double> pagewiseCpuPer1k, pagewiseWall, boto3CpuPer1k, awsCpuPer1k, floorMs, boto3Wall, awsWall,
        clientWallMsPerPage, startupS;
    std::optional<qint64> listedItems;
    EmulatorProcess emulator, rawEmulator;
    if (wallOnly) {
        if (!rawEmulator.start(emulatorProgram, true))
            return 1;
        const WallFigures wall = measureWallAgainstFloor(repeats, rawEmulator, pagewise, environment, scratch);
        if (!wall.floorMsPerPage || !wall.clientMsPerPage)
            return 1;
        std::printf("floor %.3f ms per page, client %.3f ms per page: %.2fx the floor (medians of %d)\n",
            *wall.floorMsPerPage, *wall.clientMsPerPage, *wall.clientMsPerPage / *wall.floorMsPerPage, repeats);
        return 0;
    }
    if (!QFileInfo(emulatorProgram).isExecutable()) {
        note(QStringLiteral("no emulator at %1; listing figures are null").arg(emulatorProgram));
    } else if (emulator.start(emulatorProgram, false)) {
        const QString url = emulator.url();
        note(QStringLiteral("emulator with %1 images at %2; every listing runs %3 times, medians reported")
                 .arg(kListItems)
                 .arg(url)
                 .arg(repeats));
        const bool havePagewise = QFileInfo(pagewise).isExecutable();
        if (!havePagewise)
            note(QStringLiteral("no pagewise program at %1").arg(pagewise));

        // 1. Pagewise, against the emulator that verifies signatures (as AWS does).
        if (havePagewise) {
            const ListingFigures figures
                = measureListing(repeats, [&] { return pagewiseListing(pagewise, url, environment, scratch, {}); });
            listedItems = figures.items;
            pagewiseWall = figures.wallS;
            pagewiseCpuPer1k = figures.cpuMsPer1k;
            // Start-up and the first page: the fixed cost inside the wall time above.
            const ListingFigures oneItem = measureListing(repeats, [&] {
                return pagewiseListing(
                    pagewise, url, environment, scratch, {QStringLiteral("--max-items"), QStringLiteral("1")});
            });
            startupS = oneItem.wallS;
        }

        // 2. boto3 and the AWS CLI, run by the real interpreter (not a version-manager shim).
        QString python;
        const QString python3 = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (!python3.isEmpty()) {
            QProcess probe;
            probe.start(python3, {QStringLiteral("-c"), QStringLiteral("import sys; print(sys.executable)")});
            if (probe.waitForFinished(30000) && probe.exitCode() == 0)
                python = QString::fromUtf8(probe.readAllStandardOutput()).trimmed();
        }
        if (!python.isEmpty()) {
            const QString script = QStringLiteral(
                "import sys, boto3\n"
                "client = boto3.client('sagemaker', endpoint_url=sys.argv[1], region_name='us-east-1')\n"
                "n = 0\n"
                "for page in client.get_paginator('list_images').paginate(PaginationConfig={'PageSize': 100}):\n"
                "    n += len(page['Images'])\n"
                "print(n)\n");
            const ListingFigures boto3 = measureListing(repeats, [&]() -> std::optional<ListingSample> {
                const ChildRun run
                    = runMeasured({python, QStringLiteral("-c"), script, url}, environment, true, scratch);
                const qint64 items = run.out.trimmed().toLongLong();
                if (run.exitCode == 0 && items > 0)
                    return ListingSample {run, items};
                note(QStringLiteral("boto3 run unavailable (exit %1): %2")
                         .arg(run.exitCode)
                         .arg(QString::fromUtf8(run.err.right(300))));
                return std::nullopt;
            });
            boto3CpuPer1k = boto3.cpuMsPer1k;
            boto3Wall = boto3.wallS;
            const ListingFigures awsCli = measureListing(repeats, [&]() -> std::optional<ListingSample> {
                const ChildRun run = runMeasured(
                    {python, QStringLiteral("-m"), QStringLiteral("awscli"), QStringLiteral("sagemaker"),
                        QStringLiteral("list-images"), QStringLiteral("--page-size"), QString::number(kPageSize),
                        QStringLiteral("--endpoint-url"), url, QStringLiteral("--output"), QStringLiteral("json")},
                    environment, true, scratch);
                const qint64 items = run.out.count("\"ImageArn\"");
                if (run.exitCode == 0 && items > 0)
                    return ListingSample {run, items};
                note(QStringLiteral("AWS CLI run unavailable (exit %1): %2")
                         .arg(run.exitCode)
                         .arg(QString::fromUtf8(run.err.right(300))));
                return std::nullopt;
            });
            awsCpuPer1k = awsCli.cpuMsPer1k;
            awsWall = awsCli.wallS;
        } else {
            note(QStringLiteral("no python3; boto3 and AWS CLI figures are null"));
        }

        // 3. The floor, and Pagewise against the very same emulator.
        if (rawEmulator.start(emulatorProgram, true)) {
            const WallFigures wall = measureWallAgainstFloor(
                repeats, rawEmulator, havePagewise ? pagewise : QString(), environment, scratch);
            floorMs = wall.floorMsPerPage;
            clientWallMsPerPage = wall.clientMsPerPage;
        }
    }

    results.insert(QStringLiteral("list_items"), listedItems ? QJsonValue(double(*listedItems)) : QJsonValue());
    results.insert(QStringLiteral("list_wall_s"), number(pagewiseWall));
    results.insert(QStringLiteral("list_cpu_ms_per_1k_items"), number(pagewiseCpuPer1k));
    results.insert(QStringLiteral("boto3_cpu_ms_per_1k_items"), number(boto3CpuPer1k));
    results.insert(QStringLiteral("awscli_cpu_ms_per_1k_items"), number(awsCpuPer1k));
    results.insert(QStringLiteral("floor_ms_per_page"), number(floorMs));
    results.insert(QStringLiteral("client_wall_ms_per_page"), number(clientWallMsPerPage));
    results.insert(QStringLiteral("export_startup_s"), number(startupS));

    // 4. The models' figures.
    const QStringList modelKeys {QStringLiteral("append_page_at_1m_ms_median"), QStringLiteral("sort_1m_timestamp_s"),
        QStringLiteral("sort_1m_text_s"), QStringLiteral("bytes_per_row_at_1m")};
    for (const QString &key : modelKeys)
        results.insert(key, QJsonValue());
    if (QFileInfo(modelsProgram).isExecutable()) {
        const ChildRun models = runMeasured({modelsProgram}, QProcessEnvironment::systemEnvironment(), true, scratch);
        const QJsonObject figures = QJsonDocument::fromJson(models.out).object();
        if (models.exitCode != 0 || figures.isEmpty())
            note(QStringLiteral("pagewise-bench-models gave no JSON object (exit %1)").arg(models.exitCode));
        for (const QString &key : modelKeys) {
            if (figures.value(key).isDouble())
                results.insert(key, figures.value(key));
        }
    } else {
        note(QStringLiteral("no pagewise-bench-models at %1; its figures are null").arg(modelsProgram));
    }

    // 5. CSV export.
    results.insert(QStringLiteral("csv_rows_per_s"), number(csvWriterRowsPerSecond(), 0));
    results.insert(QStringLiteral("csv_export_rows_per_s"), number(csvExportRowsPerSecond(), 0));

    // 6. First rows of the window.
    results.insert(QStringLiteral("first_rows_s"),
        number(QFileInfo(pagewise).isExecutable() ? firstRowsSeconds(pagewise) : std::optional<double>()));

    // The table.
    auto ratio = [&](std::optional<double> other) -> QString {
        if (!other || !pagewiseCpuPer1k || *pagewiseCpuPer1k <= 0)
            return QStringLiteral("n/a");
        return QString::number(*other / *pagewiseCpuPer1k, 'f', 1) + QStringLiteral("x Pagewise");
    };
    std::printf("\nPagewise benchmarks (%u cores)\n", cores);
    std::printf("%-44s %-18s %s\n", "measure", "value", "target / comparison");
    auto row = [](const char *name, const QString &value, const QString &comment) {
        std::printf("%-44s %-18s %s\n", name, value.toUtf8().constData(), comment.toUtf8().constData());
    };
    const QJsonValue clientPerPage = results.value(QStringLiteral("client_wall_ms_per_page"));
    const QJsonValue floorPerPage = results.value(QStringLiteral("floor_ms_per_page"));
    row("items listed (pages of 100)", cell(results.value(QStringLiteral("list_items"))), QString());
    row("pagewise export wall time", cell(results.value(QStringLiteral("list_wall_s")), " s"),
        boto3Wall ? QStringLiteral("boto3 %1 s, aws %2 s")
                        .arg(*boto3Wall, 0, 'f', 2)
                        .arg(awsWall ? QString::number(*awsWall, 'f', 2) : QStringLiteral("n/a"))
                  : QString());
    row("pagewise client CPU per 1,000 items", cell(results.value(QStringLiteral("list_cpu_ms_per_1k_items")), " ms"),
        QStringLiteral("target: 10x below boto3"));
    row("boto3 paginator CPU per 1,000 items", cell(results.value(QStringLiteral("boto3_cpu_ms_per_1k_items")), " ms"),
        ratio(boto3CpuPer1k));
    row("aws sagemaker list-images CPU per 1,000",
        cell(results.value(QStringLiteral("awscli_cpu_ms_per_1k_items")), " ms"), ratio(awsCpuPer1k));
    row("pagewise export start-up (1 item)", cell(results.value(QStringLiteral("export_startup_s")), " s"),
        QStringLiteral("included in the wall times"));
    row("client wall per page (floor's emulator)", cell(clientPerPage, " ms"),
        clientPerPage.isDouble() && floorPerPage.isDouble() && floorPerPage.toDouble() > 0
            ? QStringLiteral("%1x the floor (target <= 1.5x)")
                  .arg(clientPerPage.toDouble() / floorPerPage.toDouble(), 0, 'f', 2)
            : QString());
    row("floor: raw HTTP loop per page", cell(floorPerPage, " ms"),
        QStringLiteral("same emulator, no signing, no JSON parse"));
    row("models: append page at 1M rows (median)",
        cell(results.value(QStringLiteral("append_page_at_1m_ms_median")), " ms"), QString());
    row("models: sort 1M rows by timestamp", cell(results.value(QStringLiteral("sort_1m_timestamp_s")), " s"),
        QString());
    row("models: sort 1M rows by text", cell(results.value(QStringLiteral("sort_1m_text_s")), " s"), QString());
    row("models: bytes per row at 1M", cell(results.value(QStringLiteral("bytes_per_row_at_1m"))), QString());
    row("CSV export rows per second (CsvWriter)", cell(results.value(QStringLiteral("csv_rows_per_s"))),
        QStringLiteral("target: > 1,000,000"));
    row("CSV rows per second from bodies (CLI)", cell(results.value(QStringLiteral("csv_export_rows_per_s"))),
        QStringLiteral("parse + CSV, as pagewise export does"));
    row("window: first rows after start", cell(results.value(QStringLiteral("first_rows_s")), " s"),
        QStringLiteral("target: < 1 s"));

    const QString benchDir = QDir(build).filePath(QStringLiteral("bench"));
    QDir().mkpath(benchDir);
    QFile out(QDir(benchDir).filePath(QStringLiteral("results.json")));
    if (out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        out.write(QJsonDocument(results).toJson(QJsonDocument::Indented));
        std::printf("\nwrote %s\n", QDir::cleanPath(out.fileName()).toUtf8().constData());
    } else {
        note(QStringLiteral("cannot write %1").arg(out.fileName()));
    }
    return 0;
}
