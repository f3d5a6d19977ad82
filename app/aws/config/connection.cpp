#include "connection.h"

#include "credentialproviders.h"
#include "credentialsrequest.h"
#include "endpoints.h"
#include "kinds/resourcekind.h"
#include "secretredaction.h"
#include "sharedconfig.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QTimer>

namespace pagewise
{

namespace
{

const QString defaultProfile = QStringLiteral("default");

AwsError configurationError(const QString &code, const QString &message)
{
    AwsError error;
    error.kind = AwsError::Kind::Configuration;
    error.code = code;
    error.message = message;
    return error;
}

/// A setting read from the first place that has it: an environment variable, else a key of the
/// profile. Empty environment variables count as unset.
struct Setting {
    QString value;
    QString origin; ///< "AWS_RETRY_MODE" or "retry_mode in [profile dev] of /home/me/.aws/config"
    bool isSet() const { return !value.isEmpty(); }
};

class ProfileSettings
{
public:
    ProfileSettings(const SharedConfig &config, const QString &profile, const Environment &environment)
        : m_config(config)
        , m_profile(profile)
        , m_environment(environment)
        , m_section(config.profile(profile))
    {
    }

    /// The environment variable (when given) wins over the profile key.
    Result<Setting> get(const QString &variable, const QString &key) const
    {
        if (!variable.isEmpty()) {
            const QString value = m_environment.value(variable).trimmed();
            if (!value.isEmpty())
                return Setting {value, variable};
        }
        const auto entry = m_section.constFind(key);
        if (entry == m_section.constEnd())
            return Setting {};
        const QString origin = describe(key);
        if (entry->isSubsection) {
            return configurationError(QStringLiteral("InvalidConfig"),
                QStringLiteral("%1 is a subsection (indented lines); it must be a single value "
                               "on the key's line")
                    .arg(origin));
        }
        return Setting {entry->value, origin};
    }

    /// A switch read as botocore's ensure_boolean does: only "true" (any case) is true.
    Result<bool> flag(const QString &variable, const QString &key) const
    {
        const Result<Setting> setting = get(variable, key);
        if (!setting.ok())
            return setting.error();
        return setting.value().value.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    }

    QString describe(const QString &key) const { return m_config.keyLocation(m_profile, key); }

    const ConfigSection &section() const { return m_section; }

private:
    const SharedConfig &m_config;
    QString m_profile;
    const Environment &m_environment;
    ConfigSection m_section;
};

// A value from the environment or a file, as shown in a message: short, key-like runs masked
// (someone may have pasted a key into the wrong setting).
QString shownValue(const QString &value)
{
    const QString masked = redactSecretLike(value);
    return masked.size() > 70 ? masked.left(70) + QStringLiteral("…") : masked;
}

Result<RetrySettings> resolveRetry(const ProfileSettings &settings)
{
    RetrySettings retry;
    const Result<Setting> mode = settings.get(QStringLiteral("AWS_RETRY_MODE"), QStringLiteral("retry_mode"));
    if (!mode.ok())
        return mode.error();
    if (mode.value().isSet()) {
        const QString value = mode.value().value;
        if (value != QLatin1String("standard") && value != QLatin1String("adaptive")
            && value != QLatin1String("legacy")) {
            return configurationError(QStringLiteral("InvalidRetryMode"),
                QStringLiteral("The retry mode '%1' from %2 is not one of standard, adaptive or "
                               "legacy")
                    .arg(shownValue(value), mode.value().origin));
        }
        retry.mode = value;
    }
    // botocore's legacy mode makes 5 attempts unless told otherwise; the others 3.
    retry.maxAttempts = retry.mode == QLatin1String("legacy") ? 5 : 3;

    const Result<Setting> attempts = settings.get(QStringLiteral("AWS_MAX_ATTEMPTS"), QStringLiteral("max_attempts"));
    if (!attempts.ok())
        return attempts.error();
    if (attempts.value().isSet()) {
        QString text = attempts.value().value;
        if (text.startsWith(QLatin1Char('+')))
            text.remove(0, 1);
        bool isNumber = !text.isEmpty();
        for (const QChar c : std::as_const(text))
            isNumber = isNumber && c >= QLatin1Char('0') && c <= QLatin1Char('9');
        const int value = isNumber ? text.toInt(&isNumber) : 0;
        if (!isNumber || value < 1) {
            return configurationError(QStringLiteral("InvalidMaxAttempts"),
                QStringLiteral("The max attempts '%1' from %2 is not a whole number of at least "
                               "1; it counts all attempts, the first included (e.g. 3)")
                    .arg(shownValue(attempts.value().value), attempts.value().origin));
        }
        retry.maxAttempts = value;
    }
    return retry;
}

AwsError noRegionError(const QString &profile, const QString &configFile)
{
    return configurationError(QStringLiteral("NoRegion"),
        QStringLiteral("No AWS region: pass --region, set AWS_REGION or add region = ... to "
                       "profile %1 in %2 (for example region = us-east-1)")
            .arg(profile, configFile));
}

AwsError invalidRegionError(const QString &region, const QString &origin)
{
    return configurationError(QStringLiteral("InvalidRegion"),
        QStringLiteral("The region '%1' from %2 is not a region name: use letters, digits and "
                       "'-' only, like us-east-1")
            .arg(shownValue(region), origin));
}

struct EndpointChoice {
    QString url;
    QString source;
};

} // namespace

std::optional<Result<Credentials>> CredentialsProvider::credentialsIfReady()
{
    return credentials();
}

CredentialsRequest *CredentialsProvider::fetchCredentials(QObject *parent)
{
    auto *request = new CredentialsRequest(parent);
    QTimer::singleShot(0, request, [request, answer = credentials()] { request->finish(answer); });
    return request;
}

Environment Environment::system()
{
    Environment environment;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    const QStringList names = system.keys();
    for (const QString &name : names)
        environment.variables.insert(name, system.value(name));
    environment.homeDir = QDir::homePath();
    return environment;
}

QStringList availableProfiles(const Environment &environment)
{
    return SharedConfig::load(environment).profileNames();
}

Result<Connection> resolveConnection(const ConnectionOptions &options, const Environment &environment)
{
    const SharedConfig config = SharedConfig::load(environment);
    if (const auto error = config.error())
        return *error;

    Connection connection;
    connection.configFile = config.configPath();
    connection.proxies = ProxySettings::fromEnvironment(environment);

    // Profile: --profile, AWS_DEFAULT_PROFILE, AWS_PROFILE, "default". A named profile must exist.
    QString profileOrigin;
    if (!options.profile.isEmpty()) {
        connection.profile = options.profile;
        profileOrigin = QStringLiteral("--profile");
    } else {
        for (const char *variable : {"AWS_DEFAULT_PROFILE", "AWS_PROFILE"}) {
            const QString value = environment.value(QLatin1String(variable));
            if (!value.isEmpty()) {
                connection.profile = value;
                profileOrigin = QLatin1String(variable);
                break;
            }
        }
    }
    if (profileOrigin.isEmpty()) {
        connection.profile = defaultProfile;
    } else if (!config.hasProfile(connection.profile)) {
        const QStringList known = config.profileNames();
        return configurationError(QStringLiteral("ProfileNotFound"),
            QStringLiteral("The profile '%1' (from %2) does not exist in %3 or %4. %5")
                .arg(shownValue(connection.profile), profileOrigin, config.configPath(), config.credentialsPath(),
                    known.isEmpty() ? QStringLiteral("No profiles are defined there; create one with `aws configure "
                                                     "--profile %1`.")
                                          .arg(shownValue(connection.profile))
                                    : QStringLiteral("Profiles that exist: %1.")
                                          .arg(redactSecretLike(known.join(QStringLiteral(", "))))));
    }
    const ProfileSettings settings(config, connection.profile, environment);

    // Region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region.
    QString regionOrigin;
    if (!options.region.trimmed().isEmpty()) {
        connection.region = options.region.trimmed();
        regionOrigin = QStringLiteral("--region");
    } else {
        const QString fromRegion = environment.value(QStringLiteral("AWS_REGION")).trimmed();
        const Result<Setting> region = fromRegion.isEmpty()
            ? settings.get(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("region"))
            : Result<Setting>(Setting {fromRegion, QStringLiteral("AWS_REGION")});
        if (!region.ok())
            return region.error();
        connection.region = region.value().value;
        regionOrigin = region.value().origin;
    }
    if (connection.region.isEmpty())
        return noRegionError(connection.profile, config.configPath());
    if (!isValidRegionName(connection.region))
        return invalidRegionError(connection.region, regionOrigin);

    const Result<RetrySettings> retry = resolveRetry(settings);
    if (!retry.ok())
        return retry.error();
    connection.retry = retry.value();

    const Result<Setting> caBundle = settings.get(QStringLiteral("AWS_CA_BUNDLE"), QStringLiteral("ca_bundle"));
    if (!caBundle.ok())
        return caBundle.error();
    if (caBundle.value().isSet()) {
        connection.caBundle = SharedConfig::expandPath(caBundle.value().value, environment);
        if (!QFileInfo(connection.caBundle).isFile()) {
            return configurationError(QStringLiteral("InvalidCaBundle"),
                QStringLiteral("The CA bundle '%1' from %2 is not a file; point it at a PEM file "
                               "of trusted certificates")
                    .arg(connection.caBundle, caBundle.value().origin));
        }
    }

    const Result<bool> disablePrefix = settings.flag(
        QStringLiteral("AWS_DISABLE_HOST_PREFIX_INJECTION"), QStringLiteral("disable_host_prefix_injection"));
    if (!disablePrefix.ok())
        return disablePrefix.error();
    connection.injectHostPrefix = !disablePrefix.value();

    const Result<bool> fips
        = settings.flag(QStringLiteral("AWS_USE_FIPS_ENDPOINT"), QStringLiteral("use_fips_endpoint"));
    if (!fips.ok())
        return fips.error();
    connection.useFipsEndpoint = fips.value();
    const Result<bool> dualStack
        = settings.flag(QStringLiteral("AWS_USE_DUALSTACK_ENDPOINT"), QStringLiteral("use_dualstack_endpoint"));
    if (!dualStack.ok())
        return dualStack.error();
    connection.useDualStackEndpoint = dualStack.value();

    // Endpoint overrides (botocore ConfiguredEndpointProvider); all but --endpoint-url can be
    // switched off with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls.
    connection.explicitEndpoint = options.endpointUrl.trimmed();
    const Result<bool> ignore = settings.flag(
        QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), QStringLiteral("ignore_configured_endpoint_urls"));
    if (!ignore.ok())
        return ignore.error();
    if (!ignore.value()) {
        const QString servicePrefix = QStringLiteral("AWS_ENDPOINT_URL_");
        for (auto it = environment.variables.constBegin(); it != environment.variables.constEnd(); ++it) {
            const QString suffix = it.key().mid(servicePrefix.size());
            if (it.key().startsWith(servicePrefix) && !suffix.isEmpty() && suffix == suffix.toUpper()
                && !it.value().trimmed().isEmpty()) {
                connection.environmentEndpoints.insert(suffix.toLower(), it.value().trimmed());
            }
        }
        connection.environmentEndpoint = environment.value(QStringLiteral("AWS_ENDPOINT_URL")).trimmed();

        const Result<Setting> services = settings.get({}, QStringLiteral("services"));
        if (!services.ok())
            return services.error();
        // Like botocore, a broken [services] reference only matters where it would be read.
        const bool servicesConsulted
            = connection.explicitEndpoint.isEmpty() && connection.environmentEndpoint.isEmpty();
        if (services.value().isSet()) {
            connection.servicesSection = services.value().value;
            if (!config.hasServices(connection.servicesSection)) {
                if (servicesConsulted) {
                    return configurationError(QStringLiteral("InvalidConfig"),
                        QStringLiteral("%1 refers to [services %2], which is not in %3; add that "
                                       "section or remove the services key")
                            .arg(services.value().origin, connection.servicesSection, config.configPath()));
                }
            } else {
                const ConfigSection section = config.services(connection.servicesSection);
                for (auto it = section.constBegin(); it != section.constEnd(); ++it) {
                    if (!it->isSubsection) {
                        if (!servicesConsulted)
                            continue;
                        return configurationError(QStringLiteral("InvalidConfig"),
                            QStringLiteral("In [services %1] of %2 (line %3), '%4' must be a subsection: write '%4 =' "
                                           "and below it, indented, 'endpoint_url = http://...'")
                                .arg(connection.servicesSection, config.configPath())
                                .arg(it->line)
                                .arg(it.key()));
                    }
                    const QString url = it->subsection.value(QStringLiteral("endpoint_url")).trimmed();
                    if (!url.isEmpty())
                        connection.profileServiceEndpoints.insert(it.key(), url);
                }
            }
        }
        const Result<Setting> profileEndpoint = settings.get({}, QStringLiteral("endpoint_url"));
        if (!profileEndpoint.ok())
            return profileEndpoint.error();
        connection.profileEndpoint = profileEndpoint.value().value.trimmed();
    }

    connection.credentials = makeDefaultCredentialsProvider(
        options.credentials, options.profile.isEmpty(), connection.profile, config, environment);
    return connection;
}

namespace
{

std::optional<EndpointChoice> chooseEndpoint(const Connection &connection, const ResourceKind &kind)
{
    const QString key = kind.service.configKey();
    if (!connection.explicitEndpoint.isEmpty())
        return EndpointChoice {connection.explicitEndpoint, QStringLiteral("--endpoint-url")};
    if (connection.environmentEndpoints.contains(key)) {
        return EndpointChoice {
            connection.environmentEndpoints.value(key), QStringLiteral("AWS_ENDPOINT_URL_") + kind.service.envName()};
    }
    if (!connection.environmentEndpoint.isEmpty())
        return EndpointChoice {connection.environmentEndpoint, QStringLiteral("AWS_ENDPOINT_URL")};
    if (connection.profileServiceEndpoints.contains(key)) {
        return EndpointChoice {connection.profileServiceEndpoints.value(key),
            QStringLiteral("endpoint_url of %1 in [services %2] of %3")
                .arg(key, connection.servicesSection, connection.configFile)};
    }
    if (!connection.profileEndpoint.isEmpty()) {
        return EndpointChoice {connection.profileEndpoint,
            QStringLiteral("endpoint_url of profile %1 in %2").arg(connection.profile, connection.configFile)};
    }
    return std::nullopt;
}

} // namespace

Result<QUrl> Connection::endpointFor(const ResourceKind &kind) const
{
    const QString &hostPrefix = kind.operation.hostPrefix;
    if (const auto custom = chooseEndpoint(*this, kind)) {
        Result<QUrl> url = parseEndpointUrl(custom->url, custom->source);
        if (!url.ok())
            return url;
        QUrl endpoint = url.value();
        if (injectHostPrefix && !hostPrefix.isEmpty() && !isIpAddressHost(endpoint.host()))
            endpoint.setHost(hostPrefix + endpoint.host());
        return endpoint;
    }
    if (region.isEmpty())
        return noRegionError(profile.isEmpty() ? defaultProfile : profile, configFile);
    if (!isValidRegionName(region))
        return invalidRegionError(region, QStringLiteral("the connection"));
    // AWS's own hosts always carry the operation's prefix; the switch is for custom endpoints.
    return awsEndpoint(kind.service, hostPrefix, region, {useFipsEndpoint, useDualStackEndpoint});
}

bool Connection::hasCustomEndpoint(const ResourceKind &kind) const
{
    return chooseEndpoint(*this, kind).has_value();
}

QString Connection::endpointSource(const ResourceKind &kind) const
{
    if (const auto custom = chooseEndpoint(*this, kind))
        return custom->source;
    if (useFipsEndpoint && useDualStackEndpoint)
        return QStringLiteral("AWS FIPS dual-stack endpoint for %1").arg(region);
    if (useFipsEndpoint)
        return QStringLiteral("AWS FIPS endpoint for %1").arg(region);
    if (useDualStackEndpoint)
        return QStringLiteral("AWS dual-stack endpoint for %1").arg(region);
    return QStringLiteral("AWS default for %1").arg(region);
}

} // namespace pagewise
