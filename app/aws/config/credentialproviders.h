#pragma once

#include "connection.h"

#include <QDateTime>

#include <functional>

namespace pagewise
{

class SharedConfig;

/// The time now, in UTC; tests pass their own to drive expiry.
using Clock = std::function<QDateTime()>;

/// Credentials known up front (explicit, environment, a profile's keys), or the error found
/// while reading them. Credentials with an expiration (AWS_CREDENTIAL_EXPIRATION) fail once it
/// has passed, since nothing could refresh them.
class StaticCredentialsProvider final : public CredentialsProvider
{
public:
    explicit StaticCredentialsProvider(Result<Credentials> credentials, Clock clock = {});
    Result<Credentials> credentials() override;

private:
    Result<Credentials> m_credentials;
    Clock m_clock;
};

/// Runs a profile's credential_process: the command is split like a shell command and run
/// without a shell, with the connection's environment, no input and a time limit. Its stdout
/// must be {"Version": 1, "AccessKeyId", "SecretAccessKey", optional "SessionToken" and
/// "Expiration"}. Credentials without Expiration are kept; those with one are fetched again
/// when less than 15 minutes remain (if that fails they are kept while 10 minutes remain, as
/// botocore does). Errors say what failed without repeating what the process printed on stdout,
/// and mask anything key-like in the first line of its stderr.
/// Blocks the calling thread while the process runs; not thread-safe.
class ProcessCredentialsProvider final : public CredentialsProvider
{
public:
    static constexpr int defaultTimeoutMs = 60 * 1000;
    static constexpr qint64 advisoryRefreshSeconds = 15 * 60;
    static constexpr qint64 mandatoryRefreshSeconds = 10 * 60;
    static constexpr qint64 maxOutputBytes = 1024 * 1024;

    /// description names it in messages ("credential_process of profile dev in ~/.aws/config");
    /// source becomes Credentials::source.
    ProcessCredentialsProvider(QString command, QString description, QString source, Environment environment,
        Clock clock = {}, int timeoutMs = defaultTimeoutMs);
    Result<Credentials> credentials() override;

private:
    Result<Credentials> run() const;
    AwsError failure(const QString &what) const;

    QString m_command;
    QString m_description;
    QString m_source;
    Environment m_environment;
    Clock m_clock;
    int m_timeoutMs;
    std::optional<Credentials> m_cached;
};

/// botocore's default chain, as far as a desktop client needs it: explicit credentials, the
/// environment (left out when a profile was named explicitly), the profile's keys in the shared
/// credentials file, its credential_process, its keys in the config file. The first source that
/// is present answers, errors included (a key id without its secret is an error, not a miss).
/// When none is present, every credentials() call fails with a message that lists what was
/// looked at and how to fix it.
std::shared_ptr<CredentialsProvider> makeDefaultCredentialsProvider(
    const std::optional<Credentials> &explicitCredentials, bool useEnvironment, const QString &profile,
    const SharedConfig &config, const Environment &environment);

} // namespace pagewise
