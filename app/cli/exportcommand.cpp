#include "exportcommand.h"

#include "aws/config/connection.h"
#include "aws/http/awsclient.h"
#include "clijsonwriter.h"
#include "csvlistingwriter.h"
#include "export/exportrows.h"
#include "exportarguments.h"
#include "exportprogress.h"
#include "exportrun.h"
#include "kinds/resourcekind.h"
#include "paging/paginator.h"
#include "paging/queryvalidator.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

namespace pagewise
{

namespace
{

using namespace Qt::StringLiterals;

void printMessage(const QString &message)
{
    std::fprintf(stderr, "pagewise export: %s\n", message.toUtf8().constData());
}

int badArguments(const QString &message)
{
    printMessage(message);
    std::fputs("Run 'pagewise export --help' for the options of each kind.\n", stderr);
    return ExportRun::BadArguments;
}

/// The CLI flag behind a validator field ("PageSize" -> --page-size, "NameContains" -> --name-contains).
QString flagForField(const ResourceKind &kind, const QString &field)
{
    if (field == u"PageSize"_s)
        return u"--page-size"_s;
    if (field == u"MaxItems"_s)
        return u"--max-items"_s;
    if (field == u"StartingToken"_s)
        return u"--starting-token"_s;
    const QString flag = cliFlagForParameter(kind, field);
    return flag.isEmpty() ? field : flag;
}

/// Whether a connection failure is the command line's fault (exit 2) rather than the
/// environment's (exit 1): a --profile that names no profile. Missing credentials or region,
/// unreadable config files and failing credential processes are environment problems.
std::optional<QString> unknownProfile(const ConnectionOptions &options, const Environment &environment)
{
    if (options.profile.isEmpty())
        return std::nullopt;
    const QStringList profiles = availableProfiles(environment);
    if (profiles.contains(options.profile))
        return std::nullopt;
    return u"--profile: '%1' is not a profile of the shared config or credentials files; accepted: %2"_s.arg(
        options.profile, profiles.isEmpty() ? u"(no profiles are defined)"_s : profiles.join(u", "_s));
}

/// Where the listing goes: standard output, or the -o file. The file is opened before anything is
/// sent, so that a path that cannot be created is a bad argument, but an existing file is emptied
/// only when the first page is about to be written, and a file this run created is removed again
/// when nothing was written: a listing that fails before its first page leaves the file system as
/// it was. (Once rows are written they stay, with the --starting-token that continues after them.)
class Output
{
public:
    Output() = default;
    Q_DISABLE_COPY_MOVE(Output)
    ~Output()
    {
        if (m_path.isEmpty() || !m_file)
            return;
        std::fclose(m_file);
        if (m_created && !m_started)
            std::remove(m_path.constData());
    }

    /// "-" is standard output. Returns the error when the file cannot be opened for writing.
    std::optional<QString> open(const QString &path)
    {
        if (path == u"-"_s) {
            m_file = stdout;
            return std::nullopt;
        }
        m_path = QFile::encodeName(path);
        // Not inherited by a credential_process.
        int fd = ::open(m_path.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        m_created = fd >= 0;
        if (fd < 0 && errno == EEXIST)
            fd = ::open(m_path.constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (fd >= 0)
            m_file = ::fdopen(fd, "wb");
        if (!m_file) {
            const int code = errno;
            if (fd >= 0)
                ::close(fd);
            return u"-o: cannot open '%1' for writing: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(code)));
        }
        return std::nullopt;
    }

    std::FILE *file() const { return m_file; }

    /// The first bytes are about to be written.
    void start()
    {
        m_started = true;
        if (m_path.isEmpty() || m_created)
            return;
        // Pipes, terminals and devices cannot be emptied, and need not be (EINVAL).
        if (::ftruncate(::fileno(m_file), 0) == 0 || errno == EINVAL)
            return;
        const int code = errno;
        printMessage(u"cannot empty '%1' before writing to it: %2"_s.arg(
            QFile::decodeName(m_path), QString::fromLocal8Bit(std::strerror(code))));
    }

private:
    std::FILE *m_file = nullptr;
    QByteArray m_path; ///< empty for standard output
    bool m_created = false;
    bool m_started = false;
};

int runExport(const QStringList &arguments)
{
    const ExportArgumentsResult parsed = parseExportArguments(arguments);
    if (!parsed.ok())
        return badArguments(parsed.error().message);
    const ExportArguments &args = parsed.arguments();
    if (args.help) {
        std::fputs(exportUsage().toUtf8().constData(), stdout);
        return ExportRun::Success;
    }
    const ResourceKind &kind = *args.kind;

    const QList<FieldError> problems = QueryValidator::validate(kind, args.query);
    if (!problems.isEmpty()) {
        const FieldError &first = problems.first();
        return badArguments(flagForField(kind, first.parameter) + u": "_s + first.message);
    }

    const Environment environment = Environment::system();
    if (const auto problem = unknownProfile(args.connection, environment))
        return badArguments(*problem);
    Result<Connection> connection = resolveConnection(args.connection, environment);
    if (!connection.ok()) {
        const AwsError &error = connection.error();
        if (error.parameter.startsWith(u"--"_s))
            return badArguments(error.parameter + u": "_s + error.message);
        printMessage(error.toString());
        return ExportRun::Failure;
    }

    Output output;
    if (const auto problem = output.open(args.outputPath))
        return badArguments(*problem);
    // Pages are flushed whole; a large buffer makes that one write a page. It has to be ours:
    // glibc ignores the size when it allocates the buffer itself (and takes 4 KiB). Static, as
    // stdout may still be flushed at exit.
    static char buffer[1 << 16];
    std::setvbuf(output.file(), buffer, _IOFBF, sizeof buffer);

    std::unique_ptr<ListingWriter> writer;
    if (args.format == ExportArguments::Format::Json)
        writer = std::make_unique<CliJsonWriter>(kind);
    else
        writer = std::make_unique<CsvListingWriter>(
            *exportColumns(
                kind, args.columns.isEmpty() ? CsvListingWriter::defaultColumns(kind) : args.columns, nullptr),
            args.rawCells);

    AwsClient client(connection.value());
    // The same-thread engine: no hand-off to a network thread for every page (proxied calls
    // still go through QNetworkAccessManager).
    client.setHttpEngine(AwsClient::Engine::Direct);
    Paginator paginator(&client, kind, args.query);
    // Both writers read the parsed body directly; only it tells `1714564800` from `1.7145648E9`,
    // which the JSON document must print as the AWS CLI does.
    paginator.setItemDecoding(ItemDecoding::Raw);
    // Every page is fetched: the service works on the next one while this one is parsed and written.
    paginator.setReadAhead(true);
    ExportProgress progress(stderr, ExportProgress::streamIsTerminal(stderr));
    ExportRun run(paginator, *writer, output.file(), stderr, progress);
    QObject::connect(&run, &ExportRun::outputStarting, &run, [&output] { output.start(); });
    run.start();
    if (!run.isFinished()) {
        QEventLoop loop;
        QObject::connect(&run, &ExportRun::finished, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return run.exitCode();
}

} // namespace

int runExportCommand(int argc, char *argv[])
{
    std::optional<QCoreApplication> application;
    if (!QCoreApplication::instance())
        application.emplace(argc, argv);
    QStringList arguments;
    for (int i = 2; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return runExport(arguments);
}

} // namespace pagewise
