#include "proxysettings.h"

#include "aws/config/connection.h"

namespace pagewise
{

namespace
{

/// urllib's getproxies_environment(): the lower-case variable wins, and set but empty it
/// removes the proxy; the upper-case one counts only when the lower-case one is not set.
std::optional<std::pair<QString, QString>> lookUp(
    const Environment &environment, const QString &lower, const QString &upper, bool upperAllowed = true)
{
    if (environment.has(lower)) {
        const QString value = environment.value(lower);
        if (value.isEmpty())
            return std::nullopt;
        return std::pair {lower, value};
    }
    if (upperAllowed && !environment.value(upper).isEmpty())
        return std::pair {upper, environment.value(upper)};
    return std::nullopt;
}

AwsError invalidProxy(const QString &variable, const QString &value, const QString &problem)
{
    AwsError error;
    error.kind = AwsError::Kind::Configuration;
    error.code = QStringLiteral("InvalidProxy");
    error.message = QStringLiteral("%1 is not a usable proxy URL (%2): %3; expected http://[user:password@]host[:port]")
                        .arg(variable, ProxySettings::maskedUrl(value), problem);
    return error;
}

} // namespace

QString ProxyServer::description() const
{
    const QString shownHost = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return QStringLiteral("%1:%2 (from %3)").arg(shownHost).arg(port).arg(variable);
}

ProxySettings ProxySettings::fromEnvironment(const Environment &environment)
{
    ProxySettings settings;
    const bool cgi = environment.has(QStringLiteral("REQUEST_METHOD"));
    if (const auto http = lookUp(environment, QStringLiteral("http_proxy"), QStringLiteral("HTTP_PROXY"), !cgi))
        settings.m_http = Variable {http->first, http->second};
    if (const auto https = lookUp(environment, QStringLiteral("https_proxy"), QStringLiteral("HTTPS_PROXY")))
        settings.m_https = Variable {https->first, https->second};
    if (const auto no = lookUp(environment, QStringLiteral("no_proxy"), QStringLiteral("NO_PROXY")))
        settings.m_noProxy = no->second;
    return settings;
}

bool ProxySettings::bypasses(const QUrl &endpoint) const
{
    const QString noProxy = m_noProxy.trimmed();
    if (noProxy.isEmpty())
        return false;
    if (noProxy == QLatin1String("*"))
        return true;
    // urllib compares the URL's netloc: the host, and host:port when the URL names a port.
    // An IPv6 host matches with or without its brackets.
    const QString host = endpoint.host().toLower();
    QStringList hosts {host};
    if (host.contains(QLatin1Char(':')))
        hosts << QLatin1Char('[') + host + QLatin1Char(']');
    if (endpoint.port() != -1) {
        const QString port = QLatin1Char(':') + QString::number(endpoint.port());
        hosts << hosts.last() + port;
    }
    const QStringList names = noProxy.split(QLatin1Char(','));
    for (QString name : names) {
        name = name.trimmed().toLower();
        while (name.startsWith(QLatin1Char('.')))
            name.remove(0, 1);
        if (name.isEmpty())
            continue;
        const QString suffix = QLatin1Char('.') + name;
        for (const QString &candidate : std::as_const(hosts)) {
            if (candidate == name || candidate.endsWith(suffix))
                return true;
        }
    }
    return false;
}

Result<std::optional<ProxyServer>> ProxySettings::proxyFor(const QUrl &endpoint) const
{
    const QString scheme = endpoint.scheme().toLower();
    const std::optional<Variable> &variable = scheme == QLatin1String("https") ? m_https
        : scheme == QLatin1String("http")                                      ? m_http
                                                                               : std::optional<Variable>();
    if (!variable || bypasses(endpoint))
        return std::optional<ProxyServer>();

    // botocore's _fix_proxy_url: "//host" and "host:port" become http:// URLs.
    QString text = variable->value.trimmed();
    if (text.startsWith(QLatin1String("//")))
        text.prepend(QLatin1String("http:"));
    else if (!text.contains(QLatin1String("://")))
        text.prepend(QLatin1String("http://"));
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return invalidProxy(variable->name, variable->value, QStringLiteral("not a valid URL"));
    const QString proxyScheme = url.scheme().toLower();
    if (proxyScheme == QLatin1String("https")) {
        return invalidProxy(variable->name, variable->value,
            QStringLiteral("a proxy reached over TLS (https://) is not supported; use its http:// address (https "
                           "requests stay encrypted end to end through CONNECT)"));
    }
    if (proxyScheme != QLatin1String("http"))
        return invalidProxy(variable->name, variable->value, QStringLiteral("only http:// proxies are supported"));
    if (url.host().isEmpty())
        return invalidProxy(variable->name, variable->value, QStringLiteral("no host"));

    ProxyServer proxy;
    proxy.host = url.host();
    proxy.port = quint16(url.port(80));
    proxy.user = url.userName(QUrl::FullyDecoded);
    proxy.password = url.password(QUrl::FullyDecoded);
    proxy.variable = variable->name;
    return std::optional<ProxyServer>(proxy);
}

QString ProxySettings::maskedUrl(const QString &url)
{
    // Up to the last '@' anywhere: a password with an unencoded '/' or '?' must not show either.
    const qsizetype schemeEnd = url.indexOf(QLatin1String("://"));
    const qsizetype userStart = schemeEnd < 0 ? (url.startsWith(QLatin1String("//")) ? 2 : 0) : schemeEnd + 3;
    const qsizetype at = url.lastIndexOf(QLatin1Char('@'));
    if (at < userStart)
        return url;
    const bool hasPassword = url.mid(userStart, at - userStart).contains(QLatin1Char(':'));
    return url.left(userStart) + (hasPassword ? QLatin1String("***:***") : QLatin1String("***")) + url.mid(at);
}

} // namespace pagewise
