#include "aws/config/connection.h"
#include "aws/config/endpoints.h"
#include "configfixture.h"
#include "kinds/resourcekind.h"

#include <QTest>

using namespace pagewise;
using pagewise::testing::ConfigFixture;
using pagewise::testing::errorText;

namespace
{

const ResourceKind &kind(const QString &id)
{
    const ResourceKind *found = findResourceKind(id);
    if (!found)
        qFatal("no resource kind %s", qPrintable(id));
    return *found;
}

} // namespace

/// FIPS and dual-stack AWS endpoints (use_fips_endpoint / use_dualstack_endpoint).
class tst_EndpointVariants : public QObject
{
    Q_OBJECT

private slots:
    void matchesBotocore_data();
    void matchesBotocore();
    void readsTheSettings_data();
    void readsTheSettings();
    void refusesVariantsAPartitionLacks_data();
    void refusesVariantsAPartitionLacks();
};

void tst_EndpointVariants::matchesBotocore_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("kindId");
    QTest::addColumn<bool>("fips");
    QTest::addColumn<bool>("dualStack");
    QTest::addColumn<QString>("expected");

    auto row = [](const char *region, const char *kindId, bool fips, bool dualStack, const char *expected) {
        QTest::addRow("%s %s%s%s", region, kindId, fips ? " fips" : "", dualStack ? " dual-stack" : "")
            << QString::fromLatin1(region) << QString::fromLatin1(kindId) << fips << dualStack
            << QString::fromLatin1(expected);
    };
    // The request URLs botocore 1.43 sends (use_fips_endpoint / use_dualstack_endpoint in its
    // Config), without their paths: the rule sets' hosts with Deadline's "management." prefix.
    // "local" matches no partition and falls back to aws.
    row("us-east-1", "images", true, false, "https://api-fips.sagemaker.us-east-1.amazonaws.com");
    row("us-east-1", "images", false, true, "https://api.sagemaker.us-east-1.api.aws");
    row("us-east-1", "images", true, true, "https://api.sagemaker-fips.us-east-1.api.aws");
    row("us-east-1", "datasets", true, false, "https://personalize-fips.us-east-1.amazonaws.com");
    row("us-east-1", "datasets", false, true, "https://personalize.us-east-1.api.aws");
    row("us-east-1", "datasets", true, true, "https://personalize-fips.us-east-1.api.aws");
    row("us-east-1", "sessions", true, false, "https://management.deadline-fips.us-east-1.amazonaws.com");
    row("us-east-1", "sessions", false, true, "https://management.deadline.us-east-1.api.aws");
    row("us-east-1", "sessions", true, true, "https://management.deadline-fips.us-east-1.api.aws");
    row("eu-west-1", "images", true, false, "https://api-fips.sagemaker.eu-west-1.amazonaws.com");
    row("eu-west-1", "images", false, true, "https://api.sagemaker.eu-west-1.api.aws");
    row("eu-west-1", "images", true, true, "https://api.sagemaker-fips.eu-west-1.api.aws");
    row("eu-west-1", "datasets", true, false, "https://personalize-fips.eu-west-1.amazonaws.com");
    row("eu-west-1", "datasets", false, true, "https://personalize.eu-west-1.api.aws");
    row("eu-west-1", "datasets", true, true, "https://personalize-fips.eu-west-1.api.aws");
    row("eu-west-1", "sessions", true, false, "https://management.deadline-fips.eu-west-1.amazonaws.com");
    row("eu-west-1", "sessions", false, true, "https://management.deadline.eu-west-1.api.aws");
    row("eu-west-1", "sessions", true, true, "https://management.deadline-fips.eu-west-1.api.aws");
    row("cn-north-1", "images", true, false, "https://api.sagemaker-fips.cn-north-1.amazonaws.com.cn");
    row("cn-north-1", "images", false, true, "https://api.sagemaker.cn-north-1.api.amazonwebservices.com.cn");
    row("cn-north-1", "images", true, true, "https://api.sagemaker-fips.cn-north-1.api.amazonwebservices.com.cn");
    row("cn-north-1", "datasets", true, false, "https://personalize-fips.cn-north-1.amazonaws.com.cn");
    row("cn-north-1", "datasets", false, true, "https://personalize.cn-north-1.api.amazonwebservices.com.cn");
    row("cn-north-1", "datasets", true, true, "https://personalize-fips.cn-north-1.api.amazonwebservices.com.cn");
    row("cn-north-1", "sessions", true, false, "https://management.deadline-fips.cn-north-1.amazonaws.com.cn");
    row("cn-north-1", "sessions", false, true, "https://management.deadline.cn-north-1.api.amazonwebservices.com.cn");
    row("cn-north-1", "sessions", true, true,
        "https://management.deadline-fips.cn-north-1.api.amazonwebservices.com.cn");
    row("us-gov-west-1", "images", true, false, "https://api-fips.sagemaker.us-gov-west-1.amazonaws.com");
    row("us-gov-west-1", "images", false, true, "https://api.sagemaker.us-gov-west-1.api.aws");
    row("us-gov-west-1", "images", true, true, "https://api.sagemaker-fips.us-gov-west-1.api.aws");
    row("us-gov-west-1", "datasets", true, false, "https://personalize-fips.us-gov-west-1.amazonaws.com");
    row("us-gov-west-1", "datasets", false, true, "https://personalize.us-gov-west-1.api.aws");
    row("us-gov-west-1", "datasets", true, true, "https://personalize-fips.us-gov-west-1.api.aws");
    row("us-gov-west-1", "sessions", true, false, "https://management.deadline-fips.us-gov-west-1.amazonaws.com");
    row("us-gov-west-1", "sessions", false, true, "https://management.deadline.us-gov-west-1.api.aws");
    row("us-gov-west-1", "sessions", true, true, "https://management.deadline-fips.us-gov-west-1.api.aws");
    row("us-iso-east-1", "images", true, false, "https://api.sagemaker-fips.us-iso-east-1.c2s.ic.gov");
    row("us-iso-east-1", "images", false, true, "https://api.sagemaker.us-iso-east-1.api.aws.ic.gov");
    row("us-iso-east-1", "images", true, true, "https://api.sagemaker-fips.us-iso-east-1.api.aws.ic.gov");
    row("us-iso-east-1", "datasets", true, false, "https://personalize-fips.us-iso-east-1.c2s.ic.gov");
    row("us-iso-east-1", "datasets", false, true, "https://personalize.us-iso-east-1.api.aws.ic.gov");
    row("us-iso-east-1", "datasets", true, true, "https://personalize-fips.us-iso-east-1.api.aws.ic.gov");
    row("us-iso-east-1", "sessions", true, false, "https://management.deadline-fips.us-iso-east-1.c2s.ic.gov");
    row("us-iso-east-1", "sessions", false, true, "https://management.deadline.us-iso-east-1.api.aws.ic.gov");
    row("us-iso-east-1", "sessions", true, true, "https://management.deadline-fips.us-iso-east-1.api.aws.ic.gov");
    row("eusc-de-east-1", "images", true, false, "https://api.sagemaker-fips.eusc-de-east-1.amazonaws.eu");
    row("eusc-de-east-1", "images", false, true, "https://api.sagemaker.eusc-de-east-1.api.amazonwebservices.eu");
    row("eusc-de-east-1", "images", true, true, "https://api.sagemaker-fips.eusc-de-east-1.api.amazonwebservices.eu");
    row("eusc-de-east-1", "datasets", true, false, "https://personalize-fips.eusc-de-east-1.amazonaws.eu");
    row("eusc-de-east-1", "datasets", false, true, "https://personalize.eusc-de-east-1.api.amazonwebservices.eu");
    row("eusc-de-east-1", "datasets", true, true, "https://personalize-fips.eusc-de-east-1.api.amazonwebservices.eu");
    row("eusc-de-east-1", "sessions", true, false, "https://management.deadline-fips.eusc-de-east-1.amazonaws.eu");
    row("eusc-de-east-1", "sessions", false, true,
        "https://management.deadline.eusc-de-east-1.api.amazonwebservices.eu");
    row("eusc-de-east-1", "sessions", true, true,
        "https://management.deadline-fips.eusc-de-east-1.api.amazonwebservices.eu");
    row("local", "images", true, false, "https://api-fips.sagemaker.local.amazonaws.com");
    row("local", "images", false, true, "https://api.sagemaker.local.api.aws");
    row("local", "images", true, true, "https://api.sagemaker-fips.local.api.aws");
    row("local", "datasets", true, false, "https://personalize-fips.local.amazonaws.com");
    row("local", "datasets", false, true, "https://personalize.local.api.aws");
    row("local", "datasets", true, true, "https://personalize-fips.local.api.aws");
    row("local", "sessions", true, false, "https://management.deadline-fips.local.amazonaws.com");
    row("local", "sessions", false, true, "https://management.deadline.local.api.aws");
    row("local", "sessions", true, true, "https://management.deadline-fips.local.api.aws");
}

void tst_EndpointVariants::matchesBotocore()
{
    QFETCH(QString, region);
    QFETCH(QString, kindId);
    QFETCH(bool, fips);
    QFETCH(bool, dualStack);
    QFETCH(QString, expected);

    Connection connection;
    connection.region = region;
    connection.useFipsEndpoint = fips;
    connection.useDualStackEndpoint = dualStack;
    const Result<QUrl> endpoint = connection.endpointFor(kind(kindId));
    QVERIFY2(endpoint.ok(), errorText(endpoint).constData());
    QCOMPARE(endpoint.value().toString(), expected);
    QVERIFY(!connection.hasCustomEndpoint(kind(kindId)));
}

void tst_EndpointVariants::readsTheSettings_data()
{
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QByteArray>("profileLines");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("source");

    QTest::addRow("AWS_USE_FIPS_ENDPOINT, any case")
        << QStringList {QStringLiteral("AWS_USE_FIPS_ENDPOINT=TRUE")} << QByteArray()
        << QStringLiteral("https://personalize-fips.us-east-1.amazonaws.com")
        << QStringLiteral("AWS FIPS endpoint for us-east-1");
    QTest::addRow("use_dualstack_endpoint in the profile")
        << QStringList {} << QByteArray("use_dualstack_endpoint = true\n")
        << QStringLiteral("https://personalize.us-east-1.api.aws")
        << QStringLiteral("AWS dual-stack endpoint for us-east-1");
    QTest::addRow("both, one from each place")
        << QStringList {QStringLiteral("AWS_USE_DUALSTACK_ENDPOINT=true")} << QByteArray("use_fips_endpoint = true\n")
        << QStringLiteral("https://personalize-fips.us-east-1.api.aws")
        << QStringLiteral("AWS FIPS dual-stack endpoint for us-east-1");
    QTest::addRow("the environment wins over the profile")
        << QStringList {QStringLiteral("AWS_USE_FIPS_ENDPOINT=false")} << QByteArray("use_fips_endpoint = true\n")
        << QStringLiteral("https://personalize.us-east-1.amazonaws.com") << QStringLiteral("AWS default for us-east-1");
    QTest::addRow("only \"true\" is true")
        << QStringList {QStringLiteral("AWS_USE_FIPS_ENDPOINT=1")} << QByteArray("use_dualstack_endpoint = yes\n")
        << QStringLiteral("https://personalize.us-east-1.amazonaws.com") << QStringLiteral("AWS default for us-east-1");
    QTest::addRow("a custom endpoint is used as it is")
        << QStringList {QStringLiteral("AWS_USE_FIPS_ENDPOINT=true"), QStringLiteral("AWS_USE_DUALSTACK_ENDPOINT=true"),
               QStringLiteral("AWS_ENDPOINT_URL=http://localhost:4566")}
        << QByteArray() << QStringLiteral("http://localhost:4566") << QStringLiteral("AWS_ENDPOINT_URL");
}

void tst_EndpointVariants::readsTheSettings()
{
    QFETCH(QStringList, variables);
    QFETCH(QByteArray, profileLines);
    QFETCH(QString, expected);
    QFETCH(QString, source);

    ConfigFixture fixture;
    fixture.writeConfig("[default]\nregion = us-east-1\n" + profileLines);
    for (const QString &variable : std::as_const(variables)) {
        fixture.set(
            variable.section(QLatin1Char('='), 0, 0).toLatin1().constData(), variable.section(QLatin1Char('='), 1));
    }
    const Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    const Result<QUrl> endpoint = connection.value().endpointFor(kind(QStringLiteral("datasets")));
    QVERIFY2(endpoint.ok(), errorText(endpoint).constData());
    QCOMPARE(endpoint.value().toString(), expected);
    QCOMPARE(connection.value().endpointSource(kind(QStringLiteral("datasets"))), source);
}

void tst_EndpointVariants::refusesVariantsAPartitionLacks_data()
{
    QTest::addColumn<bool>("supportsFips");
    QTest::addColumn<bool>("supportsDualStack");
    QTest::addColumn<bool>("fips");
    QTest::addColumn<bool>("dualStack");
    QTest::addColumn<QString>("expected"); ///< URL, or the start of the error

    // Every partition botocore 1.43 knows offers both; a future one may not, and the rule sets
    // then fail instead of falling back to the standard host.
    QTest::addRow("FIPS where there is none") << false << true << true << false
                                              << QStringLiteral("error: FIPS endpoints (AWS_USE_FIPS_ENDPOINT / "
                                                                "use_fips_endpoint) are not offered for deadline in "
                                                                "xx-new-1 (partition aws-new)");
    QTest::addRow("dual-stack where there is none")
        << true << false << false << true
        << QStringLiteral("error: dual-stack endpoints (AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint) are not "
                          "offered for deadline in xx-new-1 (partition aws-new)");
    QTest::addRow("both, where dual-stack is missing")
        << true << false << true << true << QStringLiteral("error: FIPS dual-stack endpoints");
    QTest::addRow("FIPS where dual-stack is missing")
        << true << false << true << false << QStringLiteral("https://management.deadline-fips.xx-new-1.example.new");
    QTest::addRow("no variant") << false << false << false << false
                                << QStringLiteral("https://management.deadline.xx-new-1.example.new");
}

void tst_EndpointVariants::refusesVariantsAPartitionLacks()
{
    QFETCH(bool, supportsFips);
    QFETCH(bool, supportsDualStack);
    QFETCH(bool, fips);
    QFETCH(bool, dualStack);
    QFETCH(QString, expected);

    const Partition partition {QStringLiteral("aws-new"), QStringLiteral("example.new"),
        QStringLiteral("api.example.new"), supportsFips, supportsDualStack};
    const ResourceKind &sessions = kind(QStringLiteral("sessions"));
    const Result<QUrl> endpoint = awsEndpoint(
        sessions.service, sessions.operation.hostPrefix, QStringLiteral("xx-new-1"), {fips, dualStack}, partition);
    if (expected.startsWith(QStringLiteral("error: "))) {
        QVERIFY(!endpoint.ok());
        QCOMPARE(endpoint.error().kind, AwsError::Kind::Configuration);
        QCOMPARE(endpoint.error().code, QStringLiteral("UnsupportedEndpointVariant"));
        QVERIFY2(endpoint.error().message.startsWith(expected.mid(7)), qPrintable(endpoint.error().message));
        QVERIFY2(endpoint.error().message.contains(QStringLiteral("AWS_ENDPOINT_URL_DEADLINE")),
            qPrintable(endpoint.error().message));
    } else {
        QVERIFY2(endpoint.ok(), errorText(endpoint).constData());
        QCOMPARE(endpoint.value().toString(), expected);
    }
}

QTEST_GUILESS_MAIN(tst_EndpointVariants)
#include "tst_endpointvariants.moc"
