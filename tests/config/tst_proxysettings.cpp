#include "aws/config/connection.h"
#include "aws/config/proxysettings.h"
#include "configfixture.h"

#include <QTest>

using namespace pagewise;
using namespace pagewise::testing;
using namespace Qt::StringLiterals;

namespace
{

using Variables = QList<std::pair<QString, QString>>;

Environment environmentWith(const Variables &variables)
{
    Environment environment;
    for (const auto &[name, value] : variables)
        environment.variables.insert(name, value);
    return environment;
}

/// "host:port user password (VARIABLE)" of the proxy for the URL, "direct", or "error: message".
QString proxyFor(const Environment &environment, const QString &url)
{
    const Result<std::optional<ProxyServer>> proxy = ProxySettings::fromEnvironment(environment).proxyFor(QUrl(url));
    if (!proxy)
        return u"error: "_s + proxy.error().message;
    if (!proxy.value())
        return u"direct"_s;
    const ProxyServer &server = *proxy.value();
    QString text = u"%1:%2"_s.arg(server.host).arg(server.port);
    if (!server.user.isEmpty() || !server.password.isEmpty())
        text += u" %1 %2"_s.arg(server.user, server.password);
    return text + u" ("_s + server.variable + u')';
}

} // namespace

class tst_ProxySettings : public QObject
{
    Q_OBJECT

private slots:
    void choice_data();
    void choice();
    void noProxy_data();
    void noProxy();
    void invalidProxyUrlsNeverShowCredentials_data();
    void invalidProxyUrlsNeverShowCredentials();
    void maskedUrl_data();
    void maskedUrl();
    void descriptionHasNoCredentials();
    void resolveConnectionReadsTheEnvironment();
};

void tst_ProxySettings::choice_data()
{
    QTest::addColumn<Variables>("variables");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");

    QTest::addRow("none") << Variables {} << u"https://api.sagemaker.us-east-1.amazonaws.com"_s << u"direct"_s;
    QTest::addRow("https endpoint uses HTTPS_PROXY")
        << Variables {{u"HTTPS_PROXY"_s, u"http://proxy.corp:3128"_s}, {u"HTTP_PROXY"_s, u"http://other:8080"_s}}
        << u"https://api.sagemaker.us-east-1.amazonaws.com"_s << u"proxy.corp:3128 (HTTPS_PROXY)"_s;
    QTest::addRow("http endpoint uses HTTP_PROXY")
        << Variables {{u"HTTPS_PROXY"_s, u"http://proxy.corp:3128"_s}, {u"HTTP_PROXY"_s, u"http://other:8080"_s}}
        << u"http://127.0.0.1:4566"_s << u"other:8080 (HTTP_PROXY)"_s;
    QTest::addRow("https endpoint ignores HTTP_PROXY")
        << Variables {{u"HTTP_PROXY"_s, u"http://other:8080"_s}} << u"https://example.com"_s << u"direct"_s;
    QTest::addRow("lower case wins") << Variables {{u"HTTPS_PROXY"_s, u"http://upper:1"_s},
        {u"https_proxy"_s, u"http://lower:2"_s}}
                                     << u"https://example.com"_s << u"lower:2 (https_proxy)"_s;
    QTest::addRow("empty lower case turns it off")
        << Variables {{u"HTTPS_PROXY"_s, u"http://upper:1"_s}, {u"https_proxy"_s, QString()}}
        << u"https://example.com"_s << u"direct"_s;
    QTest::addRow("no scheme means http") << Variables {{u"HTTPS_PROXY"_s, u"proxy.corp:3128"_s}}
                                          << u"https://example.com"_s << u"proxy.corp:3128 (HTTPS_PROXY)"_s;
    QTest::addRow("scheme-relative") << Variables {{u"HTTPS_PROXY"_s, u"//proxy.corp:3128"_s}}
                                     << u"https://example.com"_s << u"proxy.corp:3128 (HTTPS_PROXY)"_s;
    QTest::addRow("default port 80") << Variables {{u"HTTPS_PROXY"_s, u"http://proxy.corp"_s}}
                                     << u"https://example.com"_s << u"proxy.corp:80 (HTTPS_PROXY)"_s;
    QTest::addRow("credentials are percent-decoded")
        << Variables {{u"HTTPS_PROXY"_s, u"http://me%40corp:p%3Ass%2Fw@proxy.corp:3128"_s}} << u"https://example.com"_s
        << u"proxy.corp:3128 me@corp p:ss/w (HTTPS_PROXY)"_s;
    QTest::addRow("loopback is proxied like any host")
        << Variables {{u"HTTP_PROXY"_s, u"http://127.0.0.1:3128"_s}} << u"http://127.0.0.1:4566"_s
        << u"127.0.0.1:3128 (HTTP_PROXY)"_s;
    QTest::addRow("CGI ignores upper-case HTTP_PROXY")
        << Variables {{u"REQUEST_METHOD"_s, u"GET"_s}, {u"HTTP_PROXY"_s, u"http://injected:1"_s}}
        << u"http://example.com"_s << u"direct"_s;
    QTest::addRow("CGI keeps lower-case http_proxy")
        << Variables {{u"REQUEST_METHOD"_s, u"GET"_s}, {u"http_proxy"_s, u"http://chosen:1"_s}}
        << u"http://example.com"_s << u"chosen:1 (http_proxy)"_s;
    QTest::addRow("ALL_PROXY is not botocore's")
        << Variables {{u"ALL_PROXY"_s, u"http://all:1"_s}} << u"https://example.com"_s << u"direct"_s;
}

void tst_ProxySettings::choice()
{
    QFETCH(Variables, variables);
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QCOMPARE(proxyFor(environmentWith(variables), url), expected);
}

void tst_ProxySettings::noProxy_data()
{
    QTest::addColumn<QString>("noProxy");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("direct");

    QTest::addRow("exact host") << u"example.com"_s << u"https://example.com"_s << true;
    QTest::addRow("suffix") << u"amazonaws.com"_s << u"https://api.sagemaker.us-east-1.amazonaws.com"_s << true;
    QTest::addRow("leading dot") << u".amazonaws.com"_s << u"https://sts.amazonaws.com"_s << true;
    QTest::addRow("not a suffix at a dot") << u"zonaws.com"_s << u"https://sts.amazonaws.com"_s << false;
    QTest::addRow("list with spaces") << u"localhost, 127.0.0.1 ,internal"_s << u"http://127.0.0.1:4566"_s << true;
    QTest::addRow("any case") << u"EXAMPLE.com"_s << u"https://Example.COM"_s << true;
    QTest::addRow("host and port") << u"127.0.0.1:4566"_s << u"http://127.0.0.1:4566"_s << true;
    QTest::addRow("other port") << u"127.0.0.1:9999"_s << u"http://127.0.0.1:4566"_s << false;
    QTest::addRow("star alone") << u"*"_s << u"https://example.com"_s << true;
    QTest::addRow("star in a list is a name") << u"localhost,*"_s << u"https://example.com"_s << false;
    QTest::addRow("ipv6") << u"::1"_s << u"http://[::1]:4566"_s << true;
    QTest::addRow("ipv6 in brackets") << u"[::1]"_s << u"http://[::1]:4566"_s << true;
    QTest::addRow("unrelated") << u"example.org"_s << u"https://example.com"_s << false;
}

void tst_ProxySettings::noProxy()
{
    QFETCH(QString, noProxy);
    QFETCH(QString, url);
    QFETCH(bool, direct);
    for (const QString &name : {u"NO_PROXY"_s, u"no_proxy"_s}) {
        const Environment environment = environmentWith(
            {{u"HTTPS_PROXY"_s, u"http://proxy:3128"_s}, {u"HTTP_PROXY"_s, u"http://proxy:3128"_s}, {name, noProxy}});
        QCOMPARE(proxyFor(environment, url) == u"direct"_s, direct);
        QCOMPARE(ProxySettings::fromEnvironment(environment).bypasses(QUrl(url)), direct);
    }
}

void tst_ProxySettings::invalidProxyUrlsNeverShowCredentials_data()
{
    QTest::addColumn<QString>("proxyUrl");
    QTest::addColumn<QString>("problem");
    QTest::addRow("tls to the proxy") << u"https://me:s3cret@proxy:443"_s << u"https://"_s;
    QTest::addRow("socks") << u"socks5://me:s3cret@proxy:1080"_s << u"only http://"_s;
    QTest::addRow("bad port") << u"http://me:s3cret@proxy:port"_s << u"not a valid URL"_s;
    QTest::addRow("no host") << u"http://me:s3cret@:3128"_s << u"no host"_s;
}

void tst_ProxySettings::invalidProxyUrlsNeverShowCredentials()
{
    QFETCH(QString, proxyUrl);
    QFETCH(QString, problem);
    const ProxySettings settings = ProxySettings::fromEnvironment(environmentWith({{u"HTTPS_PROXY"_s, proxyUrl}}));
    const Result<std::optional<ProxyServer>> proxy = settings.proxyFor(QUrl(u"https://example.com"_s));
    QVERIFY(!proxy);
    QCOMPARE(proxy.error().kind, AwsError::Kind::Configuration);
    QCOMPARE(proxy.error().code, u"InvalidProxy"_s);
    const QString message = proxy.error().message;
    QVERIFY2(message.startsWith(u"HTTPS_PROXY is not a usable proxy URL ("_s), qPrintable(message));
    QVERIFY2(message.contains(problem), qPrintable(message));
    QVERIFY2(message.contains(u"***:***@"_s), qPrintable(message));
    QVERIFY2(!message.contains(u"s3cret"_s) && !message.contains(u"me:"_s), qPrintable(message));
    // An endpoint that the variable does not apply to is not bothered by it.
    QCOMPARE(proxyFor(environmentWith({{u"HTTPS_PROXY"_s, proxyUrl}}), u"http://example.com"_s), u"direct"_s);
}

void tst_ProxySettings::maskedUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("masked");
    QTest::addRow("user and password") << u"http://me:pw@proxy:3128"_s << u"http://***:***@proxy:3128"_s;
    QTest::addRow("user only") << u"http://me@proxy:3128"_s << u"http://***@proxy:3128"_s;
    QTest::addRow("none") << u"http://proxy:3128"_s << u"http://proxy:3128"_s;
    QTest::addRow("no scheme") << u"me:pw@proxy:3128"_s << u"***:***@proxy:3128"_s;
    QTest::addRow("slash in password") << u"http://me:p/w@proxy:3128"_s << u"http://***:***@proxy:3128"_s;
    QTest::addRow("at in password") << u"http://me:p@w@proxy:3128"_s << u"http://***:***@proxy:3128"_s;
}

void tst_ProxySettings::maskedUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, masked);
    QCOMPARE(ProxySettings::maskedUrl(url), masked);
}

void tst_ProxySettings::descriptionHasNoCredentials()
{
    const auto proxy
        = ProxySettings::fromEnvironment(environmentWith({{u"https_proxy"_s, u"http://me:pw@[::1]:3128"_s}}))
              .proxyFor(QUrl(u"https://example.com"_s));
    QVERIFY(proxy && proxy.value());
    QCOMPARE(proxy.value()->description(), u"[::1]:3128 (from https_proxy)"_s);
}

void tst_ProxySettings::resolveConnectionReadsTheEnvironment()
{
    ConfigFixture fixture;
    fixture.writeConfig("[default]\nregion = us-west-2\n");
    fixture.set("HTTPS_PROXY", u"http://proxy.corp:3128"_s);
    fixture.set("NO_PROXY", u"internal.corp"_s);

    const Result<Connection> connection = resolveConnection({}, fixture.environment);

    QVERIFY2(connection, errorText(connection).constData());
    QCOMPARE(connection.value()
                 .proxies.proxyFor(QUrl(u"https://api.sagemaker.us-west-2.amazonaws.com"_s))
                 .value()
                 ->description(),
        u"proxy.corp:3128 (from HTTPS_PROXY)"_s);
    QVERIFY(!connection.value().proxies.proxyFor(QUrl(u"https://emulator.internal.corp"_s)).value());
}

QTEST_APPLESS_MAIN(tst_ProxySettings)
#include "tst_proxysettings.moc"
