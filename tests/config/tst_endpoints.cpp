#include "aws/config/endpoints.h"
#include "kinds/resourcekind.h"

#include <QTest>

using namespace pagewise;

class tst_Endpoints : public QObject
{
    Q_OBJECT

private slots:
    void mapsRegionsToPartitions_data();
    void mapsRegionsToPartitions();
    void validatesRegionNames_data();
    void validatesRegionNames();
    void buildsDefaultEndpoints();
    void parsesEndpointUrls_data();
    void parsesEndpointUrls();
    void rejectsEndpointUrls_data();
    void rejectsEndpointUrls();
    void recognisesIpAddresses_data();
    void recognisesIpAddresses();
};

void tst_Endpoints::mapsRegionsToPartitions_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("partition");
    QTest::addColumn<QString>("dnsSuffix");

    // As botocore 1.43 resolves them (partitions.json and the services' endpoint rules).
    const QString aws = QStringLiteral("amazonaws.com");
    QTest::addRow("us-east-1") << QStringLiteral("us-east-1") << QStringLiteral("aws") << aws;
    QTest::addRow("eu-west-1") << QStringLiteral("eu-west-1") << QStringLiteral("aws") << aws;
    QTest::addRow("il-central-1") << QStringLiteral("il-central-1") << QStringLiteral("aws") << aws;
    QTest::addRow("mx-central-1") << QStringLiteral("mx-central-1") << QStringLiteral("aws") << aws;
    QTest::addRow("cn-north-1") << QStringLiteral("cn-north-1") << QStringLiteral("aws-cn")
                                << QStringLiteral("amazonaws.com.cn");
    QTest::addRow("cn-northwest-1") << QStringLiteral("cn-northwest-1") << QStringLiteral("aws-cn")
                                    << QStringLiteral("amazonaws.com.cn");
    QTest::addRow("us-gov-west-1") << QStringLiteral("us-gov-west-1") << QStringLiteral("aws-us-gov") << aws;
    QTest::addRow("us-iso-east-1") << QStringLiteral("us-iso-east-1") << QStringLiteral("aws-iso")
                                   << QStringLiteral("c2s.ic.gov");
    QTest::addRow("us-isob-east-1") << QStringLiteral("us-isob-east-1") << QStringLiteral("aws-iso-b")
                                    << QStringLiteral("sc2s.sgov.gov");
    QTest::addRow("eu-isoe-west-1") << QStringLiteral("eu-isoe-west-1") << QStringLiteral("aws-iso-e")
                                    << QStringLiteral("cloud.adc-e.uk");
    QTest::addRow("us-isof-south-1") << QStringLiteral("us-isof-south-1") << QStringLiteral("aws-iso-f")
                                     << QStringLiteral("csp.hci.ic.gov");
    QTest::addRow("eusc-de-east-1") << QStringLiteral("eusc-de-east-1") << QStringLiteral("aws-eusc")
                                    << QStringLiteral("amazonaws.eu");
    QTest::addRow("local falls back to aws") << QStringLiteral("local") << QStringLiteral("aws") << aws;
    QTest::addRow("unknown prefix falls back to aws") << QStringLiteral("xx-yy-1") << QStringLiteral("aws") << aws;
}

void tst_Endpoints::mapsRegionsToPartitions()
{
    QFETCH(QString, region);
    QFETCH(QString, partition);
    QFETCH(QString, dnsSuffix);
    QCOMPARE(partitionForRegion(region).id, partition);
    QCOMPARE(partitionForRegion(region).dnsSuffix, dnsSuffix);
}

void tst_Endpoints::validatesRegionNames_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<bool>("valid");

    // botocore.utils.validate_region_name
    QTest::addRow("us-east-1") << QStringLiteral("us-east-1") << true;
    QTest::addRow("local") << QStringLiteral("local") << true;
    QTest::addRow("63 characters") << QString(63, QLatin1Char('a')) << true;
    QTest::addRow("64 characters") << QString(64, QLatin1Char('a')) << false;
    QTest::addRow("digits only") << QStringLiteral("12") << false;
    QTest::addRow("leading dash") << QStringLiteral("-east") << false;
    QTest::addRow("trailing dash") << QStringLiteral("east-") << false;
    QTest::addRow("dot") << QStringLiteral("us.east") << false;
    QTest::addRow("slash") << QStringLiteral("us/east") << false;
    QTest::addRow("empty") << QString() << false;
}

void tst_Endpoints::validatesRegionNames()
{
    QFETCH(QString, region);
    QFETCH(bool, valid);
    QCOMPARE(isValidRegionName(region), valid);
}

void tst_Endpoints::buildsDefaultEndpoints()
{
    const ResourceKind *sessions = findResourceKind(QStringLiteral("sessions"));
    QVERIFY(sessions);
    QCOMPARE(defaultEndpoint(sessions->service, sessions->operation.hostPrefix, QStringLiteral("us-west-2")).toString(),
        QStringLiteral("https://management.deadline.us-west-2.amazonaws.com"));
    const ResourceKind *images = findResourceKind(QStringLiteral("images"));
    QVERIFY(images);
    QCOMPARE(defaultEndpoint(images->service, QString(), QStringLiteral("cn-north-1")).toString(),
        QStringLiteral("https://api.sagemaker.cn-north-1.amazonaws.com.cn"));
}

void tst_Endpoints::parsesEndpointUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("path");

    QTest::addRow("host and port") << QStringLiteral("http://localhost:4566") << QStringLiteral("http://localhost:4566")
                                   << QString();
    QTest::addRow("root path dropped") << QStringLiteral("http://localhost:4566/")
                                       << QStringLiteral("http://localhost:4566") << QString();
    QTest::addRow("path kept") << QStringLiteral("https://proxy.example.com/aws/api/")
                               << QStringLiteral("https://proxy.example.com/aws/api") << QStringLiteral("/aws/api");
    QTest::addRow("only one trailing slash dropped")
        << QStringLiteral("https://proxy.example.com/aws//") << QStringLiteral("https://proxy.example.com/aws/")
        << QStringLiteral("/aws/");
    QTest::addRow("case folded") << QStringLiteral("HTTPS://Proxy.Example.COM")
                                 << QStringLiteral("https://proxy.example.com") << QString();
    QTest::addRow("surrounding spaces") << QStringLiteral("  http://h:1  ") << QStringLiteral("http://h:1")
                                        << QString();
    QTest::addRow("IPv4") << QStringLiteral("http://127.0.0.1:5000/base")
                          << QStringLiteral("http://127.0.0.1:5000/base") << QStringLiteral("/base");
    QTest::addRow("IPv6") << QStringLiteral("http://[::1]:8080") << QStringLiteral("http://[::1]:8080") << QString();
    QTest::addRow("trailing dot") << QStringLiteral("https://example.com.") << QStringLiteral("https://example.com.")
                                  << QString();
    QTest::addRow("percent-encoded path")
        << QStringLiteral("http://h/a%20b") << QStringLiteral("http://h/a%20b") << QStringLiteral("/a%20b");
}

void tst_Endpoints::parsesEndpointUrls()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QFETCH(QString, path);
    const Result<QUrl> url = parseEndpointUrl(text, QStringLiteral("test"));
    QVERIFY2(url.ok(), url.ok() ? "" : qPrintable(url.error().message));
    QCOMPARE(url.value().toString(QUrl::FullyEncoded), expected);
    QCOMPARE(url.value().path(QUrl::FullyEncoded), path);
}

void tst_Endpoints::rejectsEndpointUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");

    QTest::addRow("empty") << QString() << QStringLiteral("it is empty");
    QTest::addRow("host and port only") << QStringLiteral("localhost:4566")
                                        << QStringLiteral("'localhost' is not http or https");
    QTest::addRow("relative") << QStringLiteral("/just/a/path") << QStringLiteral("no scheme");
    QTest::addRow("ftp") << QStringLiteral("ftp://example.com") << QStringLiteral("'ftp' is not http or https");
    QTest::addRow("no host") << QStringLiteral("https://") << QStringLiteral("no host");
    QTest::addRow("user info") << QStringLiteral("https://user:hunter2@example.com") << QStringLiteral("user name");
    QTest::addRow("fragment") << QStringLiteral("https://example.com/#x") << QStringLiteral("fragment");
    QTest::addRow("label starting with dash")
        << QStringLiteral("https://-bad.example.com") << QStringLiteral("not a valid URL");
    QTest::addRow("label too long") << QStringLiteral("https://%1.com").arg(QString(64, QLatin1Char('a')))
                                    << QStringLiteral("not a valid");
    QTest::addRow("underscore") << QStringLiteral("https://my_host.example.com")
                                << QStringLiteral("not a valid host name");
    QTest::addRow("invalid with password")
        << QStringLiteral("https://user:hunter2@bad host") << QStringLiteral("'https://…@bad host'");
    QTest::addRow("bad port") << QStringLiteral("http://h:99999") << QStringLiteral("not a valid URL");
}

void tst_Endpoints::rejectsEndpointUrls()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    const Result<QUrl> url = parseEndpointUrl(text, QStringLiteral("AWS_ENDPOINT_URL"));
    QVERIFY(!url.ok());
    QCOMPARE(url.error().kind, AwsError::Kind::Configuration);
    QVERIFY2(url.error().message.contains(reason), qPrintable(url.error().message));
    QVERIFY2(url.error().message.contains(QStringLiteral("(from AWS_ENDPOINT_URL)")), qPrintable(url.error().message));
    QVERIFY2(!url.error().message.contains(QStringLiteral("hunter2")), qPrintable(url.error().message));
}

void tst_Endpoints::recognisesIpAddresses_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("isIp");

    QTest::addRow("IPv4") << QStringLiteral("127.0.0.1") << true;
    QTest::addRow("short IPv4") << QStringLiteral("127.1") << true;
    QTest::addRow("IPv6 loopback") << QStringLiteral("::1") << true;
    QTest::addRow("IPv6") << QStringLiteral("2001:db8::10") << true;
    QTest::addRow("localhost") << QStringLiteral("localhost") << false;
    QTest::addRow("host with digits") << QStringLiteral("10.0.0.1.nip.io") << false;
    QTest::addRow("empty") << QString() << false;
}

void tst_Endpoints::recognisesIpAddresses()
{
    QFETCH(QString, host);
    QFETCH(bool, isIp);
    QCOMPARE(isIpAddressHost(host), isIp);
}

QTEST_APPLESS_MAIN(tst_Endpoints)
#include "tst_endpoints.moc"
