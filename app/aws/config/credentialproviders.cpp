#include "credentialproviders.h"

#include "configfile.h"
#include "secretredaction.h"
#include "sharedconfig.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

namespace pagewise
{

namespace
{

Clock orSystemClock(Clock clock)
{
    return clock ? std::move(clock) : Clock(&QDateTime::currentDateTimeUtc);
}

AwsError credentialsError(const QString &code, const QString &message)
{
    AwsError error;
    error.kind = AwsError::Kind::Credentials;
    error.code = code;
    error.message = message;
    return error;
}

QDateTime parseIsoTime(const QString &text)
{
    QDateTime time = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text.trimmed(), Qt::ISODate);
    return time.isValid() ? time.toUTC() : time;
}

// The first non-empty line of a process' stderr, short, with control characters and anything
// key-like removed: enough to tell the user what the tool complained about.
QString firstStderrLine(const QByteArray &stderrBytes, const QStringList &knownSecrets)
{
    const QString text = QString::fromUtf8(stderrBytes.left(64 * 1024));
    for (QStringView line : QStringView(text).split(QLatin1Char('\n'))) {
        QString cleaned;
        for (const QChar c : line) {
            if (c.isPrint())
                cleaned += c;
        }
        cleaned = cleaned.trimmed();
        if (cleaned.isEmpty())
            continue;
        cleaned = redactSecretLike(cleaned, knownSecrets);
        if (cleaned.size() > 300)
            cleaned = cleaned.left(300) + QStringLiteral("…");
        return cleaned;
    }
    return {};
}

QStringList secretsIn(const QByteArray &stdoutBytes)
{
    const QJsonObject object = QJsonDocument::fromJson(stdoutBytes).object();
    QStringList secrets;
    for (const char *key : {"SecretAccessKey", "SessionToken"}) {
        const QString value = object.value(QLatin1String(key)).toString();
        if (!value.isEmpty())
            secrets << value;
    }
    return secrets;
}

QString searchPath(const Environment &environment)
{
    const QString path = environment.value(QStringLiteral("PATH"));
    return path.isEmpty() ? QStringLiteral("/usr/local/bin:/usr/bin:/bin") : path;
}

} // namespace

StaticCredentialsProvider::StaticCredentialsProvider(Result<Credentials> credentials, Clock clock)
    : m_credentials(std::move(credentials))
    , m_clock(orSystemClock(std::move(clock)))
{
}

Result<Credentials> StaticCredentialsProvider::credentials()
{
    if (m_credentials.ok() && m_credentials.value().expiration.isValid()
        && m_credentials.value().expiration <= m_clock()) {
        return credentialsError(QStringLiteral("ExpiredCredentials"),
            QStringLiteral("The credentials from %1 expired at %2; get new ones")
                .arg(m_credentials.value().source, m_credentials.value().expiration.toString(Qt::ISODate)));
    }
    return m_credentials;
}

namespace
{

AwsError processFailure(const ProcessSpec &spec, const QString &what)
{
    return credentialsError(
        QStringLiteral("CredentialProcessError"), QStringLiteral("The %1 failed: %2").arg(spec.description, what));
}

/// What to execute for a credential_process command.
struct Launch {
    QString program;
    QStringList arguments;
    QString programName; ///< for messages: the file name only, never the arguments (they may hold tokens)
};

Result<Launch> prepareLaunch(const ProcessSpec &spec)
{
    QStringList words;
    QString splitError;
    if (!splitShellWords(spec.command, &words, &splitError)) {
        return processFailure(spec,
            QStringLiteral("the command cannot be split into words (%1); write it as a program and its "
                           "arguments, quoted like in a shell, without pipes or redirections")
                .arg(splitError));
    }
    if (words.isEmpty() || words.first().isEmpty())
        return processFailure(spec, QStringLiteral("the command is empty; set it to a program and its arguments"));

    Launch launch;
    launch.program = words.takeFirst();
    launch.arguments = words;
    launch.programName = QFileInfo(redactSecretLike(launch.program)).fileName();
    if (!launch.program.contains(QLatin1Char('/'))) {
        const QString found = QStandardPaths::findExecutable(
            launch.program, searchPath(spec.environment).split(QLatin1Char(':'), Qt::SkipEmptyParts));
        if (found.isEmpty()) {
            return processFailure(spec,
                QStringLiteral("the program '%1' was not found in PATH; use its full path or install it")
                    .arg(redactSecretLike(launch.program)));
        }
        launch.program = found;
    }
    return launch;
}

void prepareProcess(QProcess &process, const ProcessSpec &spec)
{
    QProcessEnvironment processEnvironment;
    for (auto it = spec.environment.variables.constBegin(); it != spec.environment.variables.constEnd(); ++it)
        processEnvironment.insert(it.key(), it.value());
    process.setProcessEnvironment(processEnvironment);
    process.setStandardInputFile(QProcess::nullDevice());
}

AwsError startFailure(const ProcessSpec &spec, const Launch &launch, const QString &reason)
{
    return processFailure(spec, QStringLiteral("'%1' could not be started (%2)").arg(launch.programName, reason));
}

AwsError timeoutFailure(const ProcessSpec &spec, const Launch &launch)
{
    return processFailure(spec,
        QStringLiteral("'%1' did not finish within %2 seconds and was stopped")
            .arg(launch.programName)
            .arg(spec.timeoutMs / 1000.0));
}

AwsError floodFailure(const ProcessSpec &spec, const Launch &launch)
{
    return processFailure(spec,
        QStringLiteral("'%1' printed more than %2 bytes and was stopped")
            .arg(launch.programName)
            .arg(ProcessCredentialsProvider::maxOutputBytes));
}

bool isFlooding(const QByteArray &out, const QByteArray &err)
{
    return out.size() > ProcessCredentialsProvider::maxOutputBytes
        || err.size() > ProcessCredentialsProvider::maxOutputBytes;
}

/// The credentials a process that ran to its end printed, or what was wrong with it.
Result<Credentials> interpretOutput(const ProcessSpec &spec, const Launch &launch, QProcess::ExitStatus exitStatus,
    int exitCode, const QByteArray &out, const QByteArray &err)
{
    const QStringList knownSecrets = secretsIn(out);
    const QString stderrLine = firstStderrLine(err, knownSecrets);
    const QString said = stderrLine.isEmpty() ? QStringLiteral("it printed nothing on stderr")
                                              : QStringLiteral("it said: %1").arg(stderrLine);
    if (exitStatus == QProcess::CrashExit) {
        return processFailure(
            spec, QStringLiteral("'%1' was killed before it finished; %2").arg(launch.programName, said));
    }
    if (exitCode != 0) {
        return processFailure(
            spec, QStringLiteral("'%1' exited with code %2; %3").arg(launch.programName).arg(exitCode).arg(said));
    }

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(out, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const QString why = parseError.error != QJsonParseError::NoError
            ? QStringLiteral("%1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)
            : QStringLiteral("not an object");
        return processFailure(spec,
            QStringLiteral("its output is not a JSON object (%1); it must print {\"Version\": 1, "
                           "\"AccessKeyId\": ..., \"SecretAccessKey\": ...}")
                .arg(why));
    }
    const QJsonObject object = document.object();
    const QJsonValue version = object.value(QLatin1String("Version"));
    if (!version.isDouble() || version.toDouble() != 1.0) {
        QString shown;
        if (version.isUndefined())
            shown = QStringLiteral("no Version");
        else if (version.isDouble())
            shown = QStringLiteral("Version %1").arg(version.toDouble());
        else if (version.isString())
            shown = QStringLiteral("Version \"%1\"").arg(redactSecretLike(version.toString().left(40)));
        else
            shown = QStringLiteral("a Version that is not a number");
        return processFailure(spec, QStringLiteral("its output has %1; only \"Version\": 1 is supported").arg(shown));
    }

    Credentials credentials;
    credentials.source = spec.source;
    const struct {
        const char *member;
        QString *target;
        bool required;
    } members[] = {{"AccessKeyId", &credentials.accessKeyId, true},
        {"SecretAccessKey", &credentials.secretAccessKey, true}, {"SessionToken", &credentials.sessionToken, false}};
    for (const auto &member : members) {
        const QJsonValue value = object.value(QLatin1String(member.member));
        if (value.isUndefined() || value.isNull()) {
            if (member.required)
                return processFailure(spec, QStringLiteral("its output has no %1").arg(QLatin1String(member.member)));
            continue;
        }
        if (!value.isString() || (member.required && value.toString().isEmpty()))
            return processFailure(
                spec, QStringLiteral("%1 in its output is not a non-empty string").arg(QLatin1String(member.member)));
        *member.target = value.toString();
    }
    const QJsonValue expiration = object.value(QLatin1String("Expiration"));
    if (!expiration.isUndefined() && !expiration.isNull()) {
        credentials.expiration = parseIsoTime(expiration.toString());
        if (!expiration.isString() || !credentials.expiration.isValid()) {
            return processFailure(spec,
                QStringLiteral("Expiration in its output is not an ISO 8601 time such as "
                               "2024-05-01T13:00:00Z"));
        }
    }
    return credentials;
}

/// Runs the process to its end on the calling thread, which it blocks.
Result<Credentials> runBlocking(const ProcessSpec &spec)
{
    const Result<Launch> prepared = prepareLaunch(spec);
    if (!prepared)
        return prepared.error();
    const Launch &launch = prepared.value();

    QProcess process;
    prepareProcess(process, spec);
    process.start(launch.program, launch.arguments, QIODevice::ReadOnly);

    QDeadlineTimer deadline(spec.timeoutMs);
    if (!process.waitForStarted(int(qMax<qint64>(deadline.remainingTime(), 0))))
        return startFailure(spec, launch, process.errorString());
    QByteArray out;
    QByteArray err;
    auto stopWith = [&process](const AwsError &error) {
        process.kill();
        process.waitForFinished(5000);
        return error;
    };
    while (process.state() != QProcess::NotRunning) {
        if (deadline.hasExpired())
            return stopWith(timeoutFailure(spec, launch));
        // Short slices so that a process flooding its output is stopped early.
        process.waitForFinished(int(qBound<qint64>(0, deadline.remainingTime(), qint64(50))));
        out += process.readAllStandardOutput();
        err += process.readAllStandardError();
        if (isFlooding(out, err))
            return stopWith(floodFailure(spec, launch));
    }
    out += process.readAllStandardOutput();
    err += process.readAllStandardError();
    return interpretOutput(spec, launch, process.exitStatus(), process.exitCode(), out, err);
}

} // namespace

/// One run of a credential_process on the event loop of the thread that started it. Reports
/// its answer once, always from the event loop (never inside start() or a QProcess signal), so
/// the receiver may delete the run then.
class CredentialProcessRun final : public QObject
{
public:
    using Done = std::function<void(const Result<Credentials> &)>;

    CredentialProcessRun(ProcessSpec spec, Done done)
        : m_spec(std::move(spec))
        , m_done(std::move(done))
    {
        m_deadline.setSingleShot(true);
    }
    ~CredentialProcessRun() override { stop(); }

    void start()
    {
        Result<Launch> prepared = prepareLaunch(m_spec);
        if (!prepared) {
            conclude(prepared.error());
            return;
        }
        m_launch = std::move(prepared).value();
        prepareProcess(m_process, m_spec);
        connect(&m_process, &QProcess::readyReadStandardOutput, this, &CredentialProcessRun::readOutput);
        connect(&m_process, &QProcess::readyReadStandardError, this, &CredentialProcessRun::readOutput);
        connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
            // Other errors are followed by finished().
            if (error == QProcess::FailedToStart)
                conclude(startFailure(m_spec, m_launch, m_process.errorString()));
        });
        connect(&m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus exitStatus) {
            readOutput();
            conclude(interpretOutput(m_spec, m_launch, exitStatus, exitCode, m_out, m_err));
        });
        connect(&m_deadline, &QTimer::timeout, this, [this] { stopWith(timeoutFailure(m_spec, m_launch)); });
        m_deadline.start(std::max(0, m_spec.timeoutMs));
        m_process.start(m_launch.program, m_launch.arguments, QIODevice::ReadOnly);
    }

    /// Kills the process and waits until it is gone; nothing is reported any more.
    void stop()
    {
        m_done = {};
        m_deadline.stop();
        disconnect(&m_process, nullptr, this, nullptr);
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(5000);
    }

private:
    void readOutput()
    {
        m_out += m_process.readAllStandardOutput();
        m_err += m_process.readAllStandardError();
        if (isFlooding(m_out, m_err))
            stopWith(floodFailure(m_spec, m_launch));
    }

    void stopWith(const AwsError &error)
    {
        conclude(error);
        disconnect(&m_process, nullptr, this, nullptr);
        // Reaped when the run is deleted, outside this QProcess signal.
        m_process.kill();
    }

    void conclude(const Result<Credentials> &result)
    {
        if (m_concluded)
            return;
        m_concluded = true;
        m_deadline.stop();
        QTimer::singleShot(0, this, [this, result] {
            if (m_done)
                std::exchange(m_done, {})(result);
        });
    }

    ProcessSpec m_spec;
    Done m_done;
    Launch m_launch;
    QProcess m_process;
    QTimer m_deadline;
    QByteArray m_out;
    QByteArray m_err;
    bool m_concluded = false;
};

ProcessCredentialsProvider::ProcessCredentialsProvider(
    QString command, QString description, QString source, Environment environment, Clock clock, int timeoutMs)
    : m_spec {std::move(command), std::move(description), std::move(source), std::move(environment), timeoutMs}
    , m_clock(orSystemClock(std::move(clock)))
{
}

ProcessCredentialsProvider::~ProcessCredentialsProvider()
{
    // Requests still waiting are left unanswered: their fetch ends with the provider.
    for (const QPointer<CredentialsRequest> &waiter : std::as_const(m_waiters)) {
        if (waiter)
            waiter->setWithdrawHandler({});
    }
    delete m_run;
}

std::optional<Credentials> ProcessCredentialsProvider::freshCached() const
{
    if (!m_cached)
        return std::nullopt;
    if (!m_cached->expiration.isValid() || m_clock().secsTo(m_cached->expiration) >= advisoryRefreshSeconds)
        return m_cached;
    return std::nullopt;
}

Result<Credentials> ProcessCredentialsProvider::settle(Result<Credentials> fetched)
{
    const QDateTime now = m_clock();
    if (!fetched.ok()) {
        // A failed early refresh keeps the credentials while they still have some time.
        if (m_cached
            && (!m_cached->expiration.isValid() || now.secsTo(m_cached->expiration) >= mandatoryRefreshSeconds))
            return *m_cached;
        m_cached.reset();
        return fetched;
    }
    m_cached = std::move(fetched).value();
    if (m_cached->expiration.isValid() && m_cached->expiration <= now) {
        const QDateTime expiration = m_cached->expiration;
        m_cached.reset();
        return processFailure(m_spec,
            QStringLiteral("it returned credentials that expired at %1 (now %2); it must print fresh ones")
                .arg(expiration.toString(Qt::ISODate), now.toString(Qt::ISODate)));
    }
    return *m_cached;
}

Result<Credentials> ProcessCredentialsProvider::credentials()
{
    if (std::optional<Credentials> fresh = freshCached())
        return std::move(*fresh);
    return settle(runBlocking(m_spec));
}

std::optional<Result<Credentials>> ProcessCredentialsProvider::credentialsIfReady()
{
    if (std::optional<Credentials> fresh = freshCached())
        return Result<Credentials>(std::move(*fresh));
    return std::nullopt;
}

CredentialsRequest *ProcessCredentialsProvider::fetchCredentials(QObject *parent)
{
    auto *request = new CredentialsRequest(parent);
    if (std::optional<Credentials> fresh = freshCached()) {
        QTimer::singleShot(0, request, [request, credentials = std::move(*fresh)] { request->finish(credentials); });
        return request;
    }
    m_waiters.append(request);
    request->setWithdrawHandler([this, request] { withdraw(request); });
    if (!m_run) {
        m_run = new CredentialProcessRun(
            m_spec, [this](const Result<Credentials> &fetched) { handleRunFinished(fetched); });
        m_run->start();
    }
    return request;
}

void ProcessCredentialsProvider::handleRunFinished(const Result<Credentials> &fetched)
{
    // Called by the run itself: it goes once this returns (deleting it reaps a killed process).
    std::exchange(m_run, nullptr)->deleteLater();
    const Result<Credentials> answer = settle(fetched);
    const QList<QPointer<CredentialsRequest>> waiters = std::exchange(m_waiters, {});
    for (const QPointer<CredentialsRequest> &waiter : waiters) {
        if (waiter)
            waiter->setWithdrawHandler({});
    }
    // A receiver may delete this provider: nothing of it is used below.
    for (const QPointer<CredentialsRequest> &waiter : waiters) {
        if (waiter)
            waiter->finish(answer);
    }
}

void ProcessCredentialsProvider::withdraw(CredentialsRequest *request)
{
    m_waiters.removeIf(
        [request](const QPointer<CredentialsRequest> &waiter) { return waiter.isNull() || waiter == request; });
    if (m_waiters.isEmpty())
        stopRun();
}

void ProcessCredentialsProvider::stopRun()
{
    if (!m_run)
        return;
    CredentialProcessRun *run = std::exchange(m_run, nullptr);
    // Killed and reaped now, so nothing of it outlives the last request; deleted from the event
    // loop in case this runs inside one of its signals.
    run->stop();
    run->deleteLater();
}

namespace
{

Result<Credentials> keysFromProfile(const ConfigSection &section, const QString &where, const QString &source)
{
    auto text = [&section](const QString &key) {
        const ConfigEntry entry = section.value(key);
        return entry.isSubsection ? QString() : entry.value;
    };
    const QString accessKey = text(QStringLiteral("aws_access_key_id"));
    const QString secretKey = text(QStringLiteral("aws_secret_access_key"));
    if (accessKey.isEmpty()) {
        return credentialsError(QStringLiteral("PartialCredentials"),
            QStringLiteral("%1 has an empty aws_access_key_id; set it and aws_secret_access_key, "
                           "or remove it")
                .arg(where));
    }
    if (secretKey.isEmpty()) {
        return credentialsError(QStringLiteral("PartialCredentials"),
            QStringLiteral("%1 has aws_access_key_id but no aws_secret_access_key; add it, or "
                           "remove aws_access_key_id")
                .arg(where));
    }
    Credentials credentials;
    credentials.accessKeyId = accessKey;
    credentials.secretAccessKey = secretKey;
    // botocore checks the legacy name first.
    credentials.sessionToken = section.contains(QStringLiteral("aws_security_token"))
        ? text(QStringLiteral("aws_security_token"))
        : text(QStringLiteral("aws_session_token"));
    credentials.source = source;
    return credentials;
}

Result<Credentials> keysFromEnvironment(const Environment &environment)
{
    Credentials credentials;
    credentials.accessKeyId = environment.value(QStringLiteral("AWS_ACCESS_KEY_ID"));
    credentials.secretAccessKey = environment.value(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
    if (credentials.secretAccessKey.isEmpty()) {
        return credentialsError(QStringLiteral("PartialCredentials"),
            QStringLiteral("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both, "
                           "or unset AWS_ACCESS_KEY_ID to use a profile"));
    }
    for (const char *name : {"AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"}) {
        credentials.sessionToken = environment.value(QLatin1String(name));
        if (!credentials.sessionToken.isEmpty())
            break;
    }
    const QString expiration = environment.value(QStringLiteral("AWS_CREDENTIAL_EXPIRATION"));
    if (!expiration.isEmpty()) {
        credentials.expiration = parseIsoTime(expiration);
        if (!credentials.expiration.isValid()) {
            return credentialsError(QStringLiteral("InvalidCredentialExpiration"),
                QStringLiteral("AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time such as "
                               "2024-05-01T13:00:00Z"));
        }
    }
    credentials.source = QStringLiteral("environment");
    return credentials;
}

/// Why a file that ConfigFile::read() found absent was not read.
QString absentFileNote(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("does not exist");
    if (info.isDir())
        return QStringLiteral("is a directory, so it is not read");
    return QStringLiteral("is not a regular file, so it is not read");
}

/// Where a fix adds to a file: the file, unless it is one that is never read (/dev/null).
QString fileToAddTo(const QString &path, const char *variable)
{
    const QFileInfo info(path);
    if (!info.exists() || info.isFile())
        return path;
    return QStringLiteral("a regular file named by %1, not %2").arg(QLatin1String(variable), path);
}

/// A way of getting credentials that botocore has and Pagewise does not run yet.
struct UnsupportedMethod {
    QString name; ///< "IAM Identity Center (SSO)"
    QString evidence; ///< what selects it: "sso_account_id in [profile dev] of ~/.aws/config"
    QString signIn; ///< the command that renews its sign-in, if it has one
    bool fromEnvironment = false; ///< selected by environment variables, not by the profile
};

bool hasKey(const ConfigSection &profile, const char *key)
{
    return profile.contains(QLatin1String(key));
}

/// The methods botocore tries between the environment and the shared credentials file, in its
/// order (assume role, web identity, SSO): the one the profile (or the environment) selects.
std::optional<UnsupportedMethod> methodBeforeTheFiles(
    const SharedConfig &config, const QString &profile, const Environment &environment, bool useEnvironment)
{
    const ConfigSection section = config.profile(profile);
    auto at = [&config, &profile](const char *key) { return config.keyLocation(profile, QLatin1String(key)); };
    // botocore leaves a role_arn to the web identity provider when the profile has a token file.
    if (hasKey(section, "role_arn") && !hasKey(section, "web_identity_token_file")) {
        const char *source = hasKey(section, "credential_source") ? "with credential_source"
            : hasKey(section, "source_profile")                   ? "with source_profile"
                                                : "without source_profile or credential_source, one of which it needs";
        return UnsupportedMethod {QStringLiteral("assume role"),
            QStringLiteral("%1, %2").arg(at("role_arn"), QLatin1String(source)), {}, false};
    }
    const QString tokenVariable = QStringLiteral("AWS_WEB_IDENTITY_TOKEN_FILE");
    if (useEnvironment && environment.has(tokenVariable)) {
        if (!environment.value(tokenVariable).isEmpty())
            return UnsupportedMethod {QStringLiteral("web identity"), tokenVariable, {}, true};
    } else if (hasKey(section, "web_identity_token_file")) {
        return UnsupportedMethod {QStringLiteral("web identity"), at("web_identity_token_file"), {}, false};
    }
    for (const char *key : {"sso_account_id", "sso_role_name"}) {
        if (hasKey(section, key)) {
            return UnsupportedMethod {
                QStringLiteral("IAM Identity Center (SSO)"), at(key), QStringLiteral("aws sso login"), false};
        }
    }
    return std::nullopt;
}

/// botocore's login provider, tried between the shared credentials file and credential_process.
std::optional<UnsupportedMethod> loginMethod(const SharedConfig &config, const QString &profile)
{
    if (!hasKey(config.profile(profile), "login_session"))
        return std::nullopt;
    return UnsupportedMethod {QStringLiteral("AWS console sign-in"),
        config.keyLocation(profile, QStringLiteral("login_session")), QStringLiteral("aws login"), false};
}

/// A profile with only the SSO session keys names no account and role, so botocore finds no
/// credentials in it; it is still an SSO profile to its owner, and the answer is the same bridge.
std::optional<UnsupportedMethod> partialSso(const SharedConfig &config, const QString &profile)
{
    for (const char *key : {"sso_session", "sso_start_url"}) {
        if (hasKey(config.profile(profile), key)) {
            return UnsupportedMethod {QStringLiteral("IAM Identity Center (SSO)"),
                QStringLiteral("%1, without sso_account_id and sso_role_name (the AWS CLI needs both to get "
                               "credentials)")
                    .arg(config.keyLocation(profile, QLatin1String(key))),
                QStringLiteral("aws sso login"), false};
        }
    }
    return std::nullopt;
}

/// A profile name as one shell word for a credential_process command.
QString shellWord(const QString &word)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9._@%+=:,/-]+$"));
    if (plain.match(word).hasMatch())
        return word;
    return QLatin1Char('\'') + QString(word).replace(QLatin1Char('\''), QStringLiteral("'\\''")) + QLatin1Char('\'');
}

/// Says that the method is not supported and how to bridge it with the AWS CLI v2. The bridge is
/// a profile of its own: a credential_process in the same profile would make the CLI run itself.
std::shared_ptr<CredentialsProvider> unsupportedMethodProvider(
    const UnsupportedMethod &method, const SharedConfig &config, const QString &profile)
{
    QString bridge;
    if (method.fromEnvironment) {
        // With a named profile the AWS CLI ignores these variables, so no profile can bridge them.
        bridge = QStringLiteral("put its credentials into the environment before starting Pagewise: "
                                "eval \"$(aws configure export-credentials --format env)\" (they are not "
                                "refreshed)");
    } else {
        const QString bridgeProfile = profile + QStringLiteral("-pagewise");
        QString settings = QStringLiteral("`credential_process = aws configure export-credentials --profile %1 "
                                          "--format process`")
                               .arg(shellWord(profile));
        const ConfigEntry region = config.profile(profile).value(QStringLiteral("region"));
        if (!region.isSubsection && !region.value.trimmed().isEmpty())
            settings += QStringLiteral(" and `region = %1`").arg(redactSecretLike(region.value.trimmed()));
        bridge = QStringLiteral("add a separate profile `%1` to %2 with %3, and use --profile %4 "
                                "(or AWS_PROFILE=%4)")
                     .arg(SharedConfig::configSectionHeader(bridgeProfile),
                         fileToAddTo(config.configPath(), "AWS_CONFIG_FILE"), settings, bridgeProfile);
        if (!method.signIn.isEmpty()) {
            bridge += QStringLiteral("; run `%1 --profile %2` when its sign-in expires")
                          .arg(method.signIn, shellWord(profile));
        }
        bridge += QStringLiteral(". Not in %1 itself: the AWS CLI would then call itself")
                      .arg(SharedConfig::configSectionHeader(profile));
    }
    return std::make_shared<StaticCredentialsProvider>(credentialsError(QStringLiteral("UnsupportedCredentials"),
        QStringLiteral("Profile %1 gets its credentials by %2 (%3), which Pagewise does not support yet. To "
                       "bridge it with the AWS CLI v2, %4.")
            .arg(profile, method.name, method.evidence, bridge)));
}

/// "no [dev] section", saying so when the file has no sections at all (an empty file).
QString missingSectionNote(const ConfigFile &file, const QString &section)
{
    if (file.sectionNames().isEmpty())
        return QStringLiteral("no %1 section; the file has no sections at all").arg(section);
    return QStringLiteral("no %1 section").arg(section);
}

} // namespace

std::shared_ptr<CredentialsProvider> makeDefaultCredentialsProvider(
    const std::optional<Credentials> &explicitCredentials, bool useEnvironment, const QString &profile,
    const SharedConfig &config, const Environment &environment)
{
    if (explicitCredentials) {
        if (!explicitCredentials->isValid()) {
            return std::make_shared<StaticCredentialsProvider>(credentialsError(QStringLiteral("PartialCredentials"),
                QStringLiteral("The credentials given explicitly need both an access key id and a "
                               "secret access key")));
        }
        Credentials credentials = *explicitCredentials;
        credentials.source = QStringLiteral("explicit");
        return std::make_shared<StaticCredentialsProvider>(credentials);
    }

    QStringList lookedAt;
    if (useEnvironment) {
        if (!environment.value(QStringLiteral("AWS_ACCESS_KEY_ID")).isEmpty())
            return std::make_shared<StaticCredentialsProvider>(keysFromEnvironment(environment));
        lookedAt << QStringLiteral("environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (not set)");
    } else {
        lookedAt << QStringLiteral("environment variables (not used because the profile was named explicitly)");
    }

    if (const auto method = methodBeforeTheFiles(config, profile, environment, useEnvironment))
        return unsupportedMethodProvider(*method, config, profile);

    const QString credentialsPath = config.credentialsPath();
    const QString credentialsSection = QStringLiteral("[%1]").arg(profile);
    if (!config.credentialsFile().exists()) {
        lookedAt
            << QStringLiteral("shared credentials file %1 (%2)").arg(credentialsPath, absentFileNote(credentialsPath));
    } else if (!config.hasCredentialsProfile(profile)) {
        lookedAt << QStringLiteral("shared credentials file %1 (%2)")
                        .arg(credentialsPath, missingSectionNote(config.credentialsFile(), credentialsSection));
    } else {
        const ConfigSection section = config.credentialsProfile(profile);
        if (section.contains(QStringLiteral("aws_access_key_id"))) {
            return std::make_shared<StaticCredentialsProvider>(
                keysFromProfile(section, QStringLiteral("%1 in %2").arg(credentialsSection, credentialsPath),
                    QStringLiteral("profile %1 (credentials file)").arg(profile)));
        }
        lookedAt << QStringLiteral("shared credentials file %1 (%2 has no aws_access_key_id)")
                        .arg(credentialsPath, credentialsSection);
    }

    if (const auto method = loginMethod(config, profile))
        return unsupportedMethodProvider(*method, config, profile);

    const QString configPath = config.configPath();
    const QString configSection = SharedConfig::configSectionHeader(profile);
    const ConfigSection merged = config.profile(profile);
    if (merged.contains(QStringLiteral("credential_process"))) {
        const ConfigEntry entry = merged.value(QStringLiteral("credential_process"));
        const QString origin = config.originOf(profile, QStringLiteral("credential_process"));
        const QString section = origin == configPath ? configSection : credentialsSection;
        const QString description = QStringLiteral("credential_process of %1 in %2").arg(section, origin);
        if (entry.isSubsection) {
            return std::make_shared<StaticCredentialsProvider>(
                credentialsError(QStringLiteral("CredentialProcessError"),
                    QStringLiteral("The %1 is a subsection; it must be one line: a program and its arguments")
                        .arg(description)));
        }
        return std::make_shared<ProcessCredentialsProvider>(
            entry.value, description, QStringLiteral("profile %1 (credential_process)").arg(profile), environment);
    }

    if (!config.configFile().exists()) {
        lookedAt << QStringLiteral("config file %1 (%2)").arg(configPath, absentFileNote(configPath));
    } else if (!config.hasConfigProfile(profile)) {
        lookedAt << QStringLiteral("config file %1 (%2)")
                        .arg(configPath, missingSectionNote(config.configFile(), configSection));
    } else {
        const ConfigSection section = config.configProfile(profile);
        if (section.contains(QStringLiteral("aws_access_key_id"))) {
            return std::make_shared<StaticCredentialsProvider>(
                keysFromProfile(section, QStringLiteral("%1 in %2").arg(configSection, configPath),
                    QStringLiteral("profile %1 (config file)").arg(profile)));
        }
        lookedAt << QStringLiteral("config file %1 (%2 has neither credential_process nor aws_access_key_id)")
                        .arg(configPath, configSection);
    }

    if (const auto method = partialSso(config, profile))
        return unsupportedMethodProvider(*method, config, profile);

    QStringList fixes;
    if (useEnvironment)
        fixes << QStringLiteral("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    fixes << QStringLiteral("add aws_access_key_id and aws_secret_access_key to %1 in %2 (`aws configure%3` writes "
                            "them)")
                 .arg(credentialsSection, fileToAddTo(credentialsPath, "AWS_SHARED_CREDENTIALS_FILE"),
                     profile == QLatin1String("default") ? QString() : QStringLiteral(" --profile ") + profile);
    fixes << QStringLiteral("add credential_process = <command> to %1 in %2")
                 .arg(configSection, fileToAddTo(configPath, "AWS_CONFIG_FILE"));
    return std::make_shared<StaticCredentialsProvider>(credentialsError(QStringLiteral("NoCredentials"),
        QStringLiteral("No AWS credentials found for profile %1. Looked at: %2. To fix it, %3.")
            .arg(profile, lookedAt.join(QStringLiteral("; ")), fixes.join(QStringLiteral(", or ")))));
}

} // namespace pagewise
