#include "credentialproviders.h"

#include "configfile.h"
#include "secretredaction.h"
#include "sharedconfig.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

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

ProcessCredentialsProvider::ProcessCredentialsProvider(
    QString command, QString description, QString source, Environment environment, Clock clock, int timeoutMs)
    : m_command(std::move(command))
    , m_description(std::move(description))
    , m_source(std::move(source))
    , m_environment(std::move(environment))
    , m_clock(orSystemClock(std::move(clock)))
    , m_timeoutMs(timeoutMs)
{
}

Result<Credentials> ProcessCredentialsProvider::credentials()
{
    const QDateTime now = m_clock();
    if (m_cached) {
        if (!m_cached->expiration.isValid())
            return *m_cached;
        const qint64 secondsLeft = now.secsTo(m_cached->expiration);
        if (secondsLeft >= advisoryRefreshSeconds)
            return *m_cached;
        Result<Credentials> refreshed = run();
        if (!refreshed.ok()) {
            if (secondsLeft >= mandatoryRefreshSeconds)
                return *m_cached;
            m_cached.reset();
            return refreshed;
        }
        m_cached = refreshed.value();
    } else {
        Result<Credentials> fetched = run();
        if (!fetched.ok())
            return fetched;
        m_cached = fetched.value();
    }
    if (m_cached->expiration.isValid() && m_cached->expiration <= now) {
        const QDateTime expiration = m_cached->expiration;
        m_cached.reset();
        return failure(QStringLiteral("it returned credentials that expired at %1 (now %2); it must print fresh "
                                      "ones")
                           .arg(expiration.toString(Qt::ISODate), now.toString(Qt::ISODate)));
    }
    return *m_cached;
}

AwsError ProcessCredentialsProvider::failure(const QString &what) const
{
    return credentialsError(
        QStringLiteral("CredentialProcessError"), QStringLiteral("The %1 failed: %2").arg(m_description, what));
}

Result<Credentials> ProcessCredentialsProvider::run() const
{
    QStringList words;
    QString splitError;
    if (!splitShellWords(m_command, &words, &splitError)) {
        return failure(QStringLiteral("the command cannot be split into words (%1); write it as a program and its "
                                      "arguments, quoted like in a shell, without pipes or redirections")
                           .arg(splitError));
    }
    if (words.isEmpty() || words.first().isEmpty())
        return failure(QStringLiteral("the command is empty; set it to a program and its arguments"));

    QString program = words.takeFirst();
    // Only the program's name goes into messages, never its arguments (they may hold tokens).
    const QString programName = QFileInfo(redactSecretLike(program)).fileName();
    if (!program.contains(QLatin1Char('/'))) {
        const QString found = QStandardPaths::findExecutable(
            program, searchPath(m_environment).split(QLatin1Char(':'), Qt::SkipEmptyParts));
        if (found.isEmpty()) {
            return failure(QStringLiteral("the program '%1' was not found in PATH; use its full path or install it")
                               .arg(redactSecretLike(program)));
        }
        program = found;
    }

    QProcessEnvironment processEnvironment;
    for (auto it = m_environment.variables.constBegin(); it != m_environment.variables.constEnd(); ++it)
        processEnvironment.insert(it.key(), it.value());
    QProcess process;
    process.setProcessEnvironment(processEnvironment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, words, QIODevice::ReadOnly);

    QDeadlineTimer deadline(m_timeoutMs);
    if (!process.waitForStarted(int(qMax<qint64>(deadline.remainingTime(), 0)))) {
        return failure(QStringLiteral("'%1' could not be started (%2)").arg(programName, process.errorString()));
    }
    QByteArray out;
    QByteArray err;
    auto stopWith = [&process](const AwsError &error) {
        process.kill();
        process.waitForFinished(5000);
        return error;
    };
    while (process.state() != QProcess::NotRunning) {
        if (deadline.hasExpired()) {
            return stopWith(failure(QStringLiteral("'%1' did not finish within %2 seconds and was stopped")
                                        .arg(programName)
                                        .arg(m_timeoutMs / 1000.0)));
        }
        // Short slices so that a process flooding its output is stopped early.
        process.waitForFinished(int(qBound<qint64>(0, deadline.remainingTime(), qint64(50))));
        out += process.readAllStandardOutput();
        err += process.readAllStandardError();
        if (out.size() > maxOutputBytes || err.size() > maxOutputBytes) {
            return stopWith(failure(QStringLiteral("'%1' printed more than %2 bytes and was stopped")
                                        .arg(programName)
                                        .arg(maxOutputBytes)));
        }
    }
    out += process.readAllStandardOutput();
    err += process.readAllStandardError();

    const QStringList knownSecrets = secretsIn(out);
    const QString stderrLine = firstStderrLine(err, knownSecrets);
    const QString said = stderrLine.isEmpty() ? QStringLiteral("it printed nothing on stderr")
                                              : QStringLiteral("it said: %1").arg(stderrLine);
    if (process.exitStatus() == QProcess::CrashExit) {
        return failure(QStringLiteral("'%1' was killed before it finished; %2").arg(programName, said));
    }
    if (process.exitCode() != 0) {
        return failure(
            QStringLiteral("'%1' exited with code %2; %3").arg(programName).arg(process.exitCode()).arg(said));
    }

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(out, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const QString why = parseError.error != QJsonParseError::NoError
            ? QStringLiteral("%1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)
            : QStringLiteral("not an object");
        return failure(QStringLiteral("its output is not a JSON object (%1); it must print {\"Version\": 1, "
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
        return failure(QStringLiteral("its output has %1; only \"Version\": 1 is supported").arg(shown));
    }

    Credentials credentials;
    credentials.source = m_source;
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
                return failure(QStringLiteral("its output has no %1").arg(QLatin1String(member.member)));
            continue;
        }
        if (!value.isString() || (member.required && value.toString().isEmpty()))
            return failure(
                QStringLiteral("%1 in its output is not a non-empty string").arg(QLatin1String(member.member)));
        *member.target = value.toString();
    }
    const QJsonValue expiration = object.value(QLatin1String("Expiration"));
    if (!expiration.isUndefined() && !expiration.isNull()) {
        credentials.expiration = parseIsoTime(expiration.toString());
        if (!expiration.isString() || !credentials.expiration.isValid()) {
            return failure(QStringLiteral("Expiration in its output is not an ISO 8601 time such as "
                                          "2024-05-01T13:00:00Z"));
        }
    }
    return credentials;
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

    const QString credentialsPath = config.credentialsPath();
    const QString credentialsSection = QStringLiteral("[%1]").arg(profile);
    if (!config.credentialsFile().exists()) {
        lookedAt << QStringLiteral("shared credentials file %1 (does not exist)").arg(credentialsPath);
    } else if (!config.hasCredentialsProfile(profile)) {
        lookedAt
            << QStringLiteral("shared credentials file %1 (no %2 section)").arg(credentialsPath, credentialsSection);
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
        lookedAt << QStringLiteral("config file %1 (does not exist)").arg(configPath);
    } else if (!config.hasConfigProfile(profile)) {
        lookedAt << QStringLiteral("config file %1 (no %2 section)").arg(configPath, configSection);
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

    QStringList fixes;
    if (useEnvironment)
        fixes << QStringLiteral("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    fixes << QStringLiteral("add aws_access_key_id and aws_secret_access_key to %1 in %2 (`aws configure%3` writes "
                            "them)")
                 .arg(credentialsSection, credentialsPath,
                     profile == QLatin1String("default") ? QString() : QStringLiteral(" --profile ") + profile);
    fixes << QStringLiteral("add credential_process = <command> to %1 in %2").arg(configSection, configPath);
    return std::make_shared<StaticCredentialsProvider>(credentialsError(QStringLiteral("NoCredentials"),
        QStringLiteral("No AWS credentials found for profile %1. Looked at: %2. To fix it, %3.")
            .arg(profile, lookedAt.join(QStringLiteral("; ")), fixes.join(QStringLiteral(", or ")))));
}

} // namespace pagewise
