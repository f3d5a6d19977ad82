#include "endpoints.h"

#include "kinds/resourcekind.h"
#include "secretredaction.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace pagewise
{

namespace
{

struct PartitionRule {
    const char *id;
    const char *regionPattern;
    const char *dnsSuffix;
    const char *dualStackDnsSuffix;
    bool supportsFips;
    bool supportsDualStack;
};

// botocore/data/partitions.json (regionRegex, outputs), in its order.
constexpr PartitionRule partitionRules[] = {
    {"aws", R"(^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$)", "amazonaws.com", "api.aws", true, true},
    {"aws-cn", R"(^cn\-\w+\-\d+$)", "amazonaws.com.cn", "api.amazonwebservices.com.cn", true, true},
    {"aws-eusc", R"(^eusc\-(de)\-\w+\-\d+$)", "amazonaws.eu", "api.amazonwebservices.eu", true, true},
    {"aws-iso", R"(^us\-iso\-\w+\-\d+$)", "c2s.ic.gov", "api.aws.ic.gov", true, true},
    {"aws-iso-b", R"(^us\-isob\-\w+\-\d+$)", "sc2s.sgov.gov", "api.aws.scloud", true, true},
    {"aws-iso-e", R"(^eu\-isoe\-\w+\-\d+$)", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", true, true},
    {"aws-iso-f", R"(^us\-isof\-\w+\-\d+$)", "csp.hci.ic.gov", "api.aws.hci.ic.gov", true, true},
    {"aws-us-gov", R"(^us\-gov\-\w+\-\d+$)", "amazonaws.com", "api.aws", true, true},
};

Partition partitionFrom(const PartitionRule &rule)
{
    return {QLatin1String(rule.id), QLatin1String(rule.dnsSuffix), QLatin1String(rule.dualStackDnsSuffix),
        rule.supportsFips, rule.supportsDualStack};
}

// Hosts an endpoint rule set writes out instead of the general pattern
// (botocore/data/<service>/<version>/endpoint-rule-set-1.json).
struct HostRule {
    const char *endpointPrefix;
    const char *partition;
    EndpointVariant variant;
    const char *hostPattern; ///< {region} is replaced
};

constexpr HostRule hostRules[] = {
    {"api.sagemaker", "aws", {true, false}, "api-fips.sagemaker.{region}.amazonaws.com"},
    {"api.sagemaker", "aws-us-gov", {true, false}, "api-fips.sagemaker.{region}.amazonaws.com"},
};

QString variantName(EndpointVariant variant)
{
    if (variant.fips && variant.dualStack)
        return QStringLiteral("FIPS dual-stack");
    return variant.fips ? QStringLiteral("FIPS") : QStringLiteral("dual-stack");
}

QString variantSettings(EndpointVariant variant)
{
    QStringList settings;
    if (variant.fips)
        settings << QStringLiteral("AWS_USE_FIPS_ENDPOINT / use_fips_endpoint");
    if (variant.dualStack)
        settings << QStringLiteral("AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint");
    return settings.join(QStringLiteral(" and "));
}

QString endpointError(const QString &shown, const QString &source, const QString &reason)
{
    return QStringLiteral("The endpoint URL '%1' (from %2) cannot be used: %3. An endpoint URL is http:// or https:// "
                          "followed by a host name or IP address, an optional :port and an optional path, for "
                          "example http://localhost:4566 or https://example.com/base")
        .arg(shown, source, reason);
}

bool isValidHostName(QString host)
{
    // botocore.utils.is_valid_endpoint_url
    if (host.size() > 255)
        return false;
    if (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    static const QRegularExpression allowed(
        QStringLiteral(R"(^((?!-)[A-Z\d-]{1,63}(?<!-)\.)*((?!-)[A-Z\d-]{1,63}(?<!-))$)"),
        QRegularExpression::CaseInsensitiveOption);
    return allowed.match(host).hasMatch();
}

} // namespace

Partition partitionForRegion(const QString &region)
{
    static const QList<QRegularExpression> patterns = [] {
        QList<QRegularExpression> compiled;
        for (const PartitionRule &rule : partitionRules)
            compiled.append(QRegularExpression(QLatin1String(rule.regionPattern)));
        return compiled;
    }();
    for (qsizetype i = 0; i < patterns.size(); ++i) {
        if (patterns[i].match(region).hasMatch())
            return partitionFrom(partitionRules[i]);
    }
    return partitionFrom(partitionRules[0]);
}

bool isValidRegionName(const QString &region)
{
    static const QRegularExpression label(QStringLiteral(R"(^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$)"));
    return label.match(region).hasMatch();
}

QUrl defaultEndpoint(const ServiceSpec &service, const QString &hostPrefix, const QString &region)
{
    return awsEndpoint(service, hostPrefix, region, {}).value();
}

Result<QUrl> awsEndpoint(
    const ServiceSpec &service, const QString &hostPrefix, const QString &region, EndpointVariant variant)
{
    return awsEndpoint(service, hostPrefix, region, variant, partitionForRegion(region));
}

Result<QUrl> awsEndpoint(const ServiceSpec &service, const QString &hostPrefix, const QString &region,
    EndpointVariant variant, const Partition &partition)
{
    if ((variant.fips && !partition.supportsFips) || (variant.dualStack && !partition.supportsDualStack)) {
        AwsError error;
        error.kind = AwsError::Kind::Configuration;
        error.code = QStringLiteral("UnsupportedEndpointVariant");
        error.message = QStringLiteral("%1 endpoints (%2) are not offered for %3 in %4 (partition %5); turn the "
                                       "setting off, or pass an endpoint with --endpoint-url or AWS_ENDPOINT_URL_%6")
                            .arg(variantName(variant), variantSettings(variant), service.serviceId, region,
                                partition.id, service.envName());
        return error;
    }
    QString host;
    for (const HostRule &rule : hostRules) {
        if (service.endpointPrefix == QLatin1String(rule.endpointPrefix)
            && partition.id == QLatin1String(rule.partition) && variant.fips == rule.variant.fips
            && variant.dualStack == rule.variant.dualStack) {
            host = QString(QLatin1String(rule.hostPattern)).replace(QStringLiteral("{region}"), region);
        }
    }
    if (host.isEmpty()) {
        host = service.endpointPrefix + (variant.fips ? QStringLiteral("-fips.") : QStringLiteral(".")) + region
            + QLatin1Char('.') + (variant.dualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix);
    }
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(hostPrefix + host);
    return url;
}

bool isIpAddressHost(const QString &host)
{
    if (host.isEmpty())
        return false;
    QHostAddress address;
    if (address.setAddress(host))
        return true;
    // Short IPv4 forms ("127.1") are addresses to a resolver too.
    for (const QChar c : host) {
        if (!c.isDigit() && c != QLatin1Char('.'))
            return false;
    }
    return true;
}

Result<QUrl> parseEndpointUrl(const QString &text, const QString &source)
{
    const QString trimmed = text.trimmed();
    const QUrl url(trimmed, QUrl::StrictMode);
    // Never echo a password given in the URL (QUrl's own error text would repeat it whole).
    QString shown;
    if (url.isValid()) {
        shown = redactSecretLike(url.toDisplayString(QUrl::RemovePassword));
    } else {
        static const QRegularExpression userInfo(QStringLiteral("^([^:/?#]*://)[^/?#]*@"));
        shown = redactSecretLike(QString(trimmed).replace(userInfo, QStringLiteral("\\1…@")));
    }
    auto fail = [&](const QString &reason) {
        AwsError error;
        error.kind = AwsError::Kind::Configuration;
        error.code = QStringLiteral("InvalidEndpoint");
        error.message = endpointError(shown, source, reason);
        return error;
    };
    if (trimmed.isEmpty())
        return fail(QStringLiteral("it is empty"));
    if (!url.isValid())
        return fail(QStringLiteral("it is not a valid URL (check the host name, the port and for spaces)"));
    const QString scheme = url.scheme().toLower();
    if (scheme.isEmpty())
        return fail(QStringLiteral("it has no scheme"));
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return fail(QStringLiteral("the scheme '%1' is not http or https").arg(scheme));
    const QString host = url.host(QUrl::FullyEncoded);
    if (host.isEmpty())
        return fail(QStringLiteral("it has no host"));
    if (!url.userInfo().isEmpty())
        return fail(QStringLiteral("it contains a user name"));
    if (url.hasQuery())
        return fail(QStringLiteral("it contains a query ('?...')"));
    if (url.hasFragment())
        return fail(QStringLiteral("it contains a fragment ('#...')"));
    const bool isIpv6 = host.contains(QLatin1Char(':'));
    if (isIpv6 ? !isIpAddressHost(host) : !isValidHostName(host))
        return fail(QStringLiteral("'%1' is not a valid host name (letters, digits, '-' and '.') or IP address")
                        .arg(redactSecretLike(host)));

    QUrl endpoint;
    endpoint.setScheme(scheme);
    endpoint.setHost(host);
    if (url.port() >= 0)
        endpoint.setPort(url.port());
    QString path = url.path(QUrl::FullyEncoded);
    // botocore's _urljoin drops one trailing '/' before appending the request path.
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    endpoint.setPath(path, QUrl::StrictMode);
    return endpoint;
}

} // namespace pagewise
