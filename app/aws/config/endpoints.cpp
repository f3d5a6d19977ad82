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
};

// botocore/data/partitions.json (regionRegex, outputs.dnsSuffix), in its order.
constexpr PartitionRule partitionRules[] = {
    {"aws", R"(^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$)", "amazonaws.com"},
    {"aws-cn", R"(^cn\-\w+\-\d+$)", "amazonaws.com.cn"},
    {"aws-eusc", R"(^eusc\-(de)\-\w+\-\d+$)", "amazonaws.eu"},
    {"aws-iso", R"(^us\-iso\-\w+\-\d+$)", "c2s.ic.gov"},
    {"aws-iso-b", R"(^us\-isob\-\w+\-\d+$)", "sc2s.sgov.gov"},
    {"aws-iso-e", R"(^eu\-isoe\-\w+\-\d+$)", "cloud.adc-e.uk"},
    {"aws-iso-f", R"(^us\-isof\-\w+\-\d+$)", "csp.hci.ic.gov"},
    {"aws-us-gov", R"(^us\-gov\-\w+\-\d+$)", "amazonaws.com"},
};

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
            return {QLatin1String(partitionRules[i].id), QLatin1String(partitionRules[i].dnsSuffix)};
    }
    return {QStringLiteral("aws"), QStringLiteral("amazonaws.com")};
}

bool isValidRegionName(const QString &region)
{
    static const QRegularExpression label(QStringLiteral(R"(^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$)"));
    return label.match(region).hasMatch();
}

QUrl defaultEndpoint(const ServiceSpec &service, const QString &hostPrefix, const QString &region)
{
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(hostPrefix + service.endpointPrefix + QLatin1Char('.') + region + QLatin1Char('.')
        + partitionForRegion(region).dnsSuffix);
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
