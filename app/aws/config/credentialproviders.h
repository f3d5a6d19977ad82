#pragma once

#include "connection.h"
#include "credentialsrequest.h"

#include <QDateTime>
#include <QList>
#include <QPointer>

#include <functional>

namespace pagewise
{

class CredentialProcessRun;
class SharedConfig;

/// What a credential_process is and how it is run.
struct ProcessSpec {
    QString command; ///< as written in the profile: a program and its arguments
    QString description; ///< "credential_process of [profile dev] in /home/me/.aws/config"
    QString source; ///< becomes Credentials::source
    Environment environment;
    int timeoutMs = 0;
};

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
/// credentials() blocks the calling thread while the process runs; fetchCredentials() runs it
/// on the event loop instead, once for every request that waits meanwhile, and kills it when
/// the last of them is cancelled or the provider is destroyed (requests still waiting then get
/// no answer). Both share the cache; a blocking credentials() does not join a fetch under way.
/// Not thread-safe.
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
    ~ProcessCredentialsProvider() override;
    Q_DISABLE_COPY_MOVE(ProcessCredentialsProvider)

    Result<Credentials> credentials() override;
    std::optional<Result<Credentials>> credentialsIfReady() override;
    CredentialsRequest *fetchCredentials(QObject *parent) override;

    /// Whether a fetchCredentials() run is under way (its process started or starting).
    bool isFetching() const { return m_run != nullptr; }

private:
    /// The cached credentials when they are not due for a refresh.
    std::optional<Credentials> freshCached() const;
    /// Applies the refresh rules to what a run gave and updates the cache.
    Result<Credentials> settle(Result<Credentials> fetched);
    void handleRunFinished(const Result<Credentials> &fetched);
    void withdraw(CredentialsRequest *request);
    void stopRun();

    ProcessSpec m_spec;
    Clock m_clock;
    std::optional<Credentials> m_cached;
    CredentialProcessRun *m_run = nullptr; ///< owned; the fetch under way
    QList<QPointer<CredentialsRequest>> m_waiters; ///< requests waiting for m_run
};

/// botocore's default chain, as far as a desktop client needs it: explicit credentials, the
/// environment (left out when a profile was named explicitly), the profile's keys in the shared
/// credentials file, its credential_process, its keys in the config file. The first source that
/// is present answers, errors included (a key id without its secret is an error, not a miss).
/// Where botocore would assume a role, use web identity, SSO or console sign-in (at their places
/// in its chain), credentials() fails with UnsupportedCredentials, saying how to bridge the
/// method with a separate credential_process profile that runs the AWS CLI v2.
/// When none is present, every credentials() call fails with a message that lists what was
/// looked at and how to fix it.
std::shared_ptr<CredentialsProvider> makeDefaultCredentialsProvider(
    const std::optional<Credentials> &explicitCredentials, bool useEnvironment, const QString &profile,
    const SharedConfig &config, const Environment &environment);

} // namespace pagewise
