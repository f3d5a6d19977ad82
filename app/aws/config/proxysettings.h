#pragma once

#include "core/result.h"

#include <QString>
#include <QUrl>

#include <optional>

namespace pagewise
{

struct Environment;

/// An HTTP proxy to go through, as parsed from a proxy URL.
struct ProxyServer {
    QString host;
    quint16 port = 0;
    QString user; ///< percent-decoded, empty when none
    QString password; ///< percent-decoded; never shown or logged
    QString variable; ///< where it came from: "HTTPS_PROXY", "http_proxy", ...

    /// "host:port (from VARIABLE)", for messages: never the credentials.
    QString description() const;
};

/// Proxies as botocore takes them from the environment (urllib's getproxies() and
/// proxy_bypass()): HTTPS_PROXY for https endpoints and HTTP_PROXY for http ones, the
/// lower-case spelling winning when both are set (set but empty turns the proxy off);
/// NO_PROXY/no_proxy lists hosts that go direct: comma-separated names, each matching that
/// host, that host:port or any name ending in "." + it (a leading dot is ignored), or "*"
/// alone for every host. Loopback addresses are proxied like any other unless listed, as
/// botocore does. A proxy URL without a scheme is http://; user:password in it is
/// percent-decoded and used for Basic proxy authentication. HTTP_PROXY in upper case is
/// ignored in a CGI process (REQUEST_METHOD set), as urllib does (CVE-2016-1000110).
class ProxySettings
{
public:
    static ProxySettings fromEnvironment(const Environment &environment);

    /// No proxy variable is set at all.
    bool isEmpty() const { return !m_http && !m_https; }
    /// The proxy for requests to this endpoint: none when no proxy is set for its scheme or
    /// NO_PROXY exempts its host; an error of kind Configuration (the URL masked) when the
    /// variable that applies is not an http:// proxy URL with a host.
    Result<std::optional<ProxyServer>> proxyFor(const QUrl &endpoint) const;
    /// Whether NO_PROXY exempts the host (and port, when not the scheme's default).
    bool bypasses(const QUrl &endpoint) const;

    /// The URL with any user and password replaced by "***", for messages.
    static QString maskedUrl(const QString &url);

private:
    struct Variable {
        QString name;
        QString value;
    };
    std::optional<Variable> m_http;
    std::optional<Variable> m_https;
    QString m_noProxy;
};

} // namespace pagewise
