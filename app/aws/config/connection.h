#pragma once

#include "aws/config/proxysettings.h"
#include "core/credentials.h"
#include "core/result.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

class QObject;

namespace pagewise
{

class CredentialsRequest;
struct ResourceKind;

/// A snapshot of the process environment (variables and home directory), so resolution is a
/// pure function of its inputs and tests can pass their own.
struct Environment {
    QHash<QString, QString> variables;
    QString homeDir;

    static Environment system();
    QString value(const QString &name) const { return variables.value(name); }
    bool has(const QString &name) const { return variables.contains(name); }
};

/// What the user chose on the command line or in the window; empty means "not given".
struct ConnectionOptions {
    QString profile; ///< --profile (wins over AWS_DEFAULT_PROFILE / AWS_PROFILE)
    QString region; ///< --region
    QString endpointUrl; ///< --endpoint-url, for every service
    std::optional<Credentials> credentials; ///< explicit credentials (first in the chain)
};

/// Yields the credentials of a connection, refreshing those that expire (credential_process).
/// Code on a thread with an event loop (the window, AwsClient) asks credentialsIfReady() and,
/// when that has no answer, waits for fetchCredentials(): getting credentials may mean running
/// a program for up to a minute. Use a provider from one thread.
class CredentialsProvider
{
public:
    virtual ~CredentialsProvider() = default;
    /// Current credentials, or an AwsError of kind Credentials that says what was looked at.
    /// May block the calling thread while they are fetched (credential_process).
    virtual Result<Credentials> credentials() = 0;
    /// The answer credentials() would give, when it is at hand without blocking (static
    /// credentials, or cached ones not yet due for a refresh); nothing when it has to be
    /// fetched. The default suits providers that never block: it is credentials().
    virtual std::optional<Result<Credentials>> credentialsIfReady();
    /// Gets the answer without blocking the calling thread, whose event loop must run: the
    /// request, a child of parent, emits finished() later (see CredentialsRequest). Requests
    /// made while a fetch is under way wait for that same fetch. The default calls
    /// credentials() at once and delivers its answer from the event loop: providers whose
    /// credentials() blocks override this and credentialsIfReady().
    virtual CredentialsRequest *fetchCredentials(QObject *parent);
};

/// botocore's retry settings (AWS_RETRY_MODE / retry_mode, AWS_MAX_ATTEMPTS / max_attempts).
struct RetrySettings {
    QString mode = QStringLiteral("standard");
    int maxAttempts = 3; ///< total attempts, first included
};

/// Everything needed to talk to AWS for one profile/region choice.
struct Connection {
    QString profile; ///< profile in use ("default" when none was named)
    QString region;
    RetrySettings retry;
    QString caBundle; ///< PEM file with extra trusted CAs (AWS_CA_BUNDLE / ca_bundle), or empty
    bool injectHostPrefix = true; ///< false with AWS_DISABLE_HOST_PREFIX_INJECTION / disable_host_prefix_injection
    /// AWS_USE_FIPS_ENDPOINT / use_fips_endpoint and AWS_USE_DUALSTACK_ENDPOINT /
    /// use_dualstack_endpoint: endpointFor() gives the AWS host of that variant (see awsEndpoint()).
    /// Custom endpoints are used as they are, as botocore does.
    bool useFipsEndpoint = false;
    bool useDualStackEndpoint = false;
    std::shared_ptr<CredentialsProvider> credentials;
    /// HTTPS_PROXY / HTTP_PROXY / NO_PROXY of the environment, as botocore reads them.
    ProxySettings proxies;

    /// The base URL for a kind's operation, with its host prefix applied where due:
    /// explicit --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's
    /// [services] section, the profile's endpoint_url, else the service's AWS host in the
    /// region (its FIPS / dual-stack variant when those are set). The prefix ("management.") goes in front of custom
    /// hosts too unless disabled, never in front of an IP address, where it cannot resolve.
    Result<QUrl> endpointFor(const ResourceKind &kind) const;
    /// True when endpointFor(kind) is an override rather than the AWS default.
    bool hasCustomEndpoint(const ResourceKind &kind) const;
    /// Where endpointFor(kind) comes from, for people: "--endpoint-url", "AWS_ENDPOINT_URL_SAGEMAKER",
    /// "AWS_ENDPOINT_URL", "[services NAME] in <config file>", "endpoint_url of profile NAME in
    /// <config file>", or "AWS default for <region>" ("AWS FIPS endpoint for <region>", "AWS
    /// dual-stack endpoint for ...", "AWS FIPS dual-stack endpoint for ..." with those settings).
    QString endpointSource(const ResourceKind &kind) const;

    // Filled by resolveConnection(); read by endpointFor().
    QString explicitEndpoint;
    QHash<QString, QString> environmentEndpoints; ///< service config key -> URL from AWS_ENDPOINT_URL_<SERVICE>
    QString environmentEndpoint; ///< AWS_ENDPOINT_URL
    QHash<QString, QString> profileServiceEndpoints; ///< from the profile's [services] section
    QString profileEndpoint; ///< the profile's endpoint_url
    QString configFile; ///< the config file the profile settings were read from (for messages)
    QString servicesSection; ///< NAME of the [services NAME] section the profile refers to (for messages)
};

/// Resolves profile, region, credentials chain, endpoints, retry and TLS settings the way
/// botocore / the AWS CLI v2 do. Errors name what was looked at and how to fix it.
Result<Connection> resolveConnection(
    const ConnectionOptions &options, const Environment &environment = Environment::system());

/// Profile names found in the shared credentials and config files, sorted, "default" first.
QStringList availableProfiles(const Environment &environment = Environment::system());

} // namespace pagewise
