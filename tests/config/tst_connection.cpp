#include "aws/config/connection.h"
#include "configfixture.h"
#include "kinds/resourcekind.h"

#include <QDir>
#include <QTest>

using namespace pagewise;
using pagewise::testing::ConfigFixture;
using pagewise::testing::errorText;

namespace
{

const ResourceKind &kind(const QString &id)
{
    const ResourceKind *found = findResourceKind(id);
    Q_ASSERT(found);
    return *found;
}

} // namespace

class tst_Connection : public QObject
{
    Q_OBJECT

private slots:
    void systemEnvironment();
    void selectsProfile_data();
    void selectsProfile();
    void rejectsUnknownNamedProfile_data();
    void rejectsUnknownNamedProfile();
    void selectsRegion_data();
    void selectsRegion();
    void explainsMissingRegion();
    void rejectsMalformedRegion_data();
    void rejectsMalformedRegion();
    void readsRetrySettings_data();
    void readsRetrySettings();
    void rejectsBadRetrySettings_data();
    void rejectsBadRetrySettings();
    void readsCaBundle();
    void resolvesEndpoints_data();
    void resolvesEndpoints();
    void rejectsMalformedEndpoints_data();
    void rejectsMalformedEndpoints();
    void resolvesFipsAndDualStackHosts_data();
    void resolvesFipsAndDualStackHosts();
    void reportsBrokenServicesSection_data();
    void reportsBrokenServicesSection();
    void reportsConfigParseErrors();
    void listsAvailableProfiles();
    void neverRevealsSecrets_data();
    void neverRevealsSecrets();
};

void tst_Connection::systemEnvironment()
{
    const Environment environment = Environment::system();
    QCOMPARE(environment.homeDir, QDir::homePath());
    QCOMPARE(environment.value(QStringLiteral("PATH")), qEnvironmentVariable("PATH"));
    QCOMPARE(environment.has(QStringLiteral("PAGEWISE_NO_SUCH_VARIABLE")), false);
}

void tst_Connection::selectsProfile_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QString>("profile");

    QTest::addRow("nothing named") << QString() << QStringList {} << QStringLiteral("default");
    QTest::addRow("AWS_PROFILE") << QString() << QStringList {QStringLiteral("AWS_PROFILE=b")} << QStringLiteral("b");
    QTest::addRow("AWS_DEFAULT_PROFILE") << QString() << QStringList {QStringLiteral("AWS_DEFAULT_PROFILE=a")}
                                         << QStringLiteral("a");
    QTest::addRow("AWS_DEFAULT_PROFILE before AWS_PROFILE")
        << QString() << QStringList {QStringLiteral("AWS_DEFAULT_PROFILE=a"), QStringLiteral("AWS_PROFILE=b")}
        << QStringLiteral("a");
    QTest::addRow("--profile first") << QStringLiteral(
        "c") << QStringList {QStringLiteral("AWS_DEFAULT_PROFILE=a"), QStringLiteral("AWS_PROFILE=b")}
                                     << QStringLiteral("c");
    QTest::addRow("empty variables are unset")
        << QString() << QStringList {QStringLiteral("AWS_DEFAULT_PROFILE="), QStringLiteral("AWS_PROFILE=b")}
        << QStringLiteral("b");
    QTest::addRow("profile only in the credentials file")
        << QString() << QStringList {QStringLiteral("AWS_PROFILE=creds-only")} << QStringLiteral("creds-only");
}

void tst_Connection::selectsProfile()
{
    QFETCH(QString, option);
    QFETCH(QStringList, variables);
    QFETCH(QString, profile);

    ConfigFixture fixture;
    // Each profile has its own region, so the settings show which profile was read.
    fixture.writeConfig("[default]\nregion = us-east-1\n[profile a]\nregion = eu-west-1\n"
                        "[profile b]\nregion = ap-south-1\n[profile c]\nregion = ca-central-1\n");
    fixture.writeCredentials("[creds-only]\nregion = sa-east-1\n");
    fixture.setVariables(variables);
    ConnectionOptions options;
    options.profile = option;

    const Result<Connection> connection = resolveConnection(options, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    QCOMPARE(connection.value().profile, profile);
    const QHash<QString, QString> regions {{QStringLiteral("default"), QStringLiteral("us-east-1")},
        {QStringLiteral("a"), QStringLiteral("eu-west-1")}, {QStringLiteral("b"), QStringLiteral("ap-south-1")},
        {QStringLiteral("c"), QStringLiteral("ca-central-1")},
        {QStringLiteral("creds-only"), QStringLiteral("sa-east-1")}};
    QCOMPARE(connection.value().region, regions.value(profile));
}

void tst_Connection::rejectsUnknownNamedProfile_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QString>("origin");

    QTest::addRow("--profile") << QStringLiteral("nope") << QStringList {} << QStringLiteral("--profile");
    QTest::addRow("AWS_PROFILE") << QString() << QStringList {QStringLiteral("AWS_PROFILE=nope")}
                                 << QStringLiteral("AWS_PROFILE");
    QTest::addRow("AWS_DEFAULT_PROFILE") << QString() << QStringList {QStringLiteral("AWS_DEFAULT_PROFILE=nope")}
                                         << QStringLiteral("AWS_DEFAULT_PROFILE");
}

void tst_Connection::rejectsUnknownNamedProfile()
{
    QFETCH(QString, option);
    QFETCH(QStringList, variables);
    QFETCH(QString, origin);

    ConfigFixture fixture;
    fixture.writeConfig("[profile prod]\nregion = us-east-1\n[default]\nregion = us-east-1\n");
    fixture.writeCredentials("[staging]\naws_access_key_id = AKIDSTAGING\naws_secret_access_key = s\n");
    fixture.setVariables(variables);
    ConnectionOptions options;
    options.profile = option;

    const Result<Connection> connection = resolveConnection(options, fixture.environment);
    QVERIFY(!connection.ok());
    const AwsError &error = connection.error();
    QCOMPARE(error.kind, AwsError::Kind::Configuration);
    QCOMPARE(error.code, QStringLiteral("ProfileNotFound"));
    QVERIFY2(error.message.contains(QStringLiteral("'nope'")), qPrintable(error.message));
    QVERIFY2(error.message.contains(origin), qPrintable(error.message));
    QVERIFY2(error.message.contains(QStringLiteral("default, prod, staging")), qPrintable(error.message));
    QVERIFY2(error.message.contains(fixture.configPath()), qPrintable(error.message));
}

void tst_Connection::selectsRegion_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QString>("region");

    const QString both = QStringLiteral("AWS_REGION=eu-west-2");
    const QString defaultRegion = QStringLiteral("AWS_DEFAULT_REGION=eu-west-3");
    QTest::addRow("--region first") << QStringLiteral("ap-east-1") << QStringList {both, defaultRegion}
                                    << QStringLiteral("ap-east-1");
    QTest::addRow("AWS_REGION before AWS_DEFAULT_REGION")
        << QString() << QStringList {both, defaultRegion} << QStringLiteral("eu-west-2");
    QTest::addRow("AWS_DEFAULT_REGION before profile")
        << QString() << QStringList {defaultRegion} << QStringLiteral("eu-west-3");
    QTest::addRow("profile region") << QString() << QStringList {} << QStringLiteral("us-west-1");
    QTest::addRow("empty variables are unset")
        << QString() << QStringList {QStringLiteral("AWS_REGION="), QStringLiteral("AWS_DEFAULT_REGION=")}
        << QStringLiteral("us-west-1");
}

void tst_Connection::selectsRegion()
{
    QFETCH(QString, option);
    QFETCH(QStringList, variables);
    QFETCH(QString, region);

    ConfigFixture fixture;
    fixture.writeConfig("[default]\nregion = us-west-1\n");
    fixture.setVariables(variables);
    ConnectionOptions options;
    options.region = option;
    const Result<Connection> connection = resolveConnection(options, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    QCOMPARE(connection.value().region, region);
}

void tst_Connection::explainsMissingRegion()
{
    ConfigFixture fixture;
    fixture.writeConfig("[profile dev]\noutput = json\n");
    ConnectionOptions options;
    options.profile = QStringLiteral("dev");
    const Result<Connection> connection = resolveConnection(options, fixture.environment);
    QVERIFY(!connection.ok());
    QCOMPARE(connection.error().kind, AwsError::Kind::Configuration);
    QCOMPARE(connection.error().message,
        QStringLiteral("No AWS region: pass --region, set AWS_REGION or add region = ... to profile dev in %1 (for "
                       "example region = us-east-1)")
            .arg(fixture.configPath()));
}

void tst_Connection::rejectsMalformedRegion_data()
{
    QTest::addColumn<QString>("region");
    QTest::addRow("path") << QStringLiteral("us-east-1/evil");
    QTest::addRow("host injection") << QStringLiteral("us-east-1.attacker.example#");
    QTest::addRow("leading dash") << QStringLiteral("-us-east-1");
    QTest::addRow("digits only") << QStringLiteral("123");
    QTest::addRow("space inside") << QStringLiteral("us east 1");
}

void tst_Connection::rejectsMalformedRegion()
{
    QFETCH(QString, region);
    ConfigFixture fixture;
    fixture.set("AWS_REGION", region);
    const Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY(!connection.ok());
    QCOMPARE(connection.error().kind, AwsError::Kind::Configuration);
    QCOMPARE(connection.error().code, QStringLiteral("InvalidRegion"));
    QVERIFY2(connection.error().message.contains(QStringLiteral("AWS_REGION")), qPrintable(connection.error().message));
    QVERIFY2(connection.error().message.contains(QStringLiteral("us-east-1")), qPrintable(connection.error().message));
}

void tst_Connection::readsRetrySettings_data()
{
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QByteArray>("profileLines");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("maxAttempts");

    QTest::addRow("defaults") << QStringList {} << QByteArray() << QStringLiteral("standard") << 3;
    QTest::addRow("AWS_RETRY_MODE") << QStringList {QStringLiteral("AWS_RETRY_MODE=adaptive")} << QByteArray()
                                    << QStringLiteral("adaptive") << 3;
    QTest::addRow("legacy makes 5 attempts")
        << QStringList {} << QByteArray("retry_mode = legacy\n") << QStringLiteral("legacy") << 5;
    QTest::addRow("environment before profile")
        << QStringList {QStringLiteral("AWS_RETRY_MODE=standard"), QStringLiteral("AWS_MAX_ATTEMPTS=4")}
        << QByteArray("retry_mode = legacy\nmax_attempts = 2\n") << QStringLiteral("standard") << 4;
    QTest::addRow("profile max_attempts")
        << QStringList {} << QByteArray("max_attempts = 2\n") << QStringLiteral("standard") << 2;
    QTest::addRow("one attempt") << QStringList {QStringLiteral("AWS_MAX_ATTEMPTS=1")} << QByteArray()
                                 << QStringLiteral("standard") << 1;
    QTest::addRow("legacy with max_attempts") << QStringList {QStringLiteral("AWS_MAX_ATTEMPTS=7")}
                                              << QByteArray("retry_mode = legacy\n") << QStringLiteral("legacy") << 7;
}

void tst_Connection::readsRetrySettings()
{
    QFETCH(QStringList, variables);
    QFETCH(QByteArray, profileLines);
    QFETCH(QString, mode);
    QFETCH(int, maxAttempts);

    ConfigFixture fixture;
    fixture.writeConfig("[default]\nregion = us-east-1\n" + profileLines);
    fixture.setVariables(variables);
    const Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    QCOMPARE(connection.value().retry.mode, mode);
    QCOMPARE(connection.value().retry.maxAttempts, maxAttempts);
}

void tst_Connection::rejectsBadRetrySettings_data()
{
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QByteArray>("profileLines");
    QTest::addColumn<QStringList>("mentions");

    QTest::addRow("unknown mode") << QStringList {QStringLiteral("AWS_RETRY_MODE=fast")} << QByteArray()
                                  << QStringList {QStringLiteral("'fast'"), QStringLiteral("AWS_RETRY_MODE"),
                                         QStringLiteral("standard")};
    QTest::addRow("mode case matters") << QStringList {} << QByteArray("retry_mode = Standard\n")
                                       << QStringList {
                                              QStringLiteral("'Standard'"), QStringLiteral("retry_mode in [default]")};
    QTest::addRow("zero attempts") << QStringList {QStringLiteral("AWS_MAX_ATTEMPTS=0")} << QByteArray()
                                   << QStringList {QStringLiteral("'0'"), QStringLiteral("at least 1")};
    QTest::addRow("negative") << QStringList {} << QByteArray("max_attempts = -1\n")
                              << QStringList {QStringLiteral("'-1'"), QStringLiteral("max_attempts in [default]")};
    QTest::addRow("not a number") << QStringList {QStringLiteral("AWS_MAX_ATTEMPTS=three")} << QByteArray()
                                  << QStringList {QStringLiteral("'three'"), QStringLiteral("AWS_MAX_ATTEMPTS")};
    QTest::addRow("fraction") << QStringList {QStringLiteral("AWS_MAX_ATTEMPTS=2.5")} << QByteArray()
                              << QStringList {QStringLiteral("'2.5'")};
    QTest::addRow("too large for int") << QStringList {QStringLiteral("AWS_MAX_ATTEMPTS=99999999999")} << QByteArray()
                                       << QStringList {QStringLiteral("'99999999999'")};
}

void tst_Connection::rejectsBadRetrySettings()
{
    QFETCH(QStringList, variables);
    QFETCH(QByteArray, profileLines);
    QFETCH(QStringList, mentions);

    ConfigFixture fixture;
    fixture.writeConfig("[default]\nregion = us-east-1\n" + profileLines);
    fixture.setVariables(variables);
    const Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY(!connection.ok());
    QCOMPARE(connection.error().kind, AwsError::Kind::Configuration);
    for (const QString &mention : mentions)
        QVERIFY2(connection.error().message.contains(mention), qPrintable(connection.error().message));
}

void tst_Connection::readsCaBundle()
{
    ConfigFixture fixture;
    ConfigFixture::write(fixture.path(QStringLiteral("env.pem")), "pem");
    ConfigFixture::write(fixture.path(QStringLiteral("profile.pem")), "pem");
    fixture.writeConfig("[default]\nregion = us-east-1\nca_bundle = ~/profile.pem\n");

    Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    QCOMPARE(connection.value().caBundle, fixture.path(QStringLiteral("profile.pem")));

    fixture.set("AWS_CA_BUNDLE", fixture.path(QStringLiteral("env.pem")));
    connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    QCOMPARE(connection.value().caBundle, fixture.path(QStringLiteral("env.pem")));

    fixture.set("AWS_CA_BUNDLE", fixture.path(QStringLiteral("missing.pem")));
    connection = resolveConnection({}, fixture.environment);
    QVERIFY(!connection.ok());
    QCOMPARE(connection.error().kind, AwsError::Kind::Configuration);
    QVERIFY(connection.error().message.contains(fixture.path(QStringLiteral("missing.pem"))));
    QVERIFY(connection.error().message.contains(QStringLiteral("AWS_CA_BUNDLE")));

    fixture.environment.variables.remove(QStringLiteral("AWS_CA_BUNDLE"));
    fixture.writeConfig("[default]\nregion = us-east-1\n");
    connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    QVERIFY(connection.value().caBundle.isEmpty());
}

void tst_Connection::resolvesEndpoints_data()
{
    QTest::addColumn<QString>("kindId");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("explicitUrl");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("source");

    const QByteArray plain = "[default]\n";
    const QString aws = QStringLiteral("AWS default for us-east-1");
    // Default hosts per partition (checked with botocore's endpoint rules).
    QTest::addRow("sagemaker default") << QStringLiteral("images") << QStringLiteral("us-east-1") << QString()
                                       << QStringList {} << plain
                                       << QStringLiteral("https://api.sagemaker.us-east-1.amazonaws.com") << aws;
    QTest::addRow("personalize default") << QStringLiteral("datasets") << QStringLiteral("us-east-1") << QString()
                                         << QStringList {} << plain
                                         << QStringLiteral("https://personalize.us-east-1.amazonaws.com") << aws;
    QTest::addRow("deadline default has the host prefix")
        << QStringLiteral("sessions") << QStringLiteral("us-east-1") << QString() << QStringList {} << plain
        << QStringLiteral("https://management.deadline.us-east-1.amazonaws.com") << aws;
    QTest::addRow("aws-cn partition") << QStringLiteral("sessions") << QStringLiteral("cn-north-1") << QString()
                                      << QStringList {} << plain
                                      << QStringLiteral("https://management.deadline.cn-north-1.amazonaws.com.cn")
                                      << QStringLiteral("AWS default for cn-north-1");
    QTest::addRow("aws-cn northwest") << QStringLiteral("images") << QStringLiteral("cn-northwest-1") << QString()
                                      << QStringList {} << plain
                                      << QStringLiteral("https://api.sagemaker.cn-northwest-1.amazonaws.com.cn")
                                      << QStringLiteral("AWS default for cn-northwest-1");
    QTest::addRow("aws-us-gov partition")
        << QStringLiteral("images") << QStringLiteral("us-gov-west-1") << QString() << QStringList {} << plain
        << QStringLiteral("https://api.sagemaker.us-gov-west-1.amazonaws.com")
        << QStringLiteral("AWS default for us-gov-west-1");
    QTest::addRow("aws-iso partition") << QStringLiteral("datasets") << QStringLiteral("us-iso-east-1") << QString()
                                       << QStringList {} << plain
                                       << QStringLiteral("https://personalize.us-iso-east-1.c2s.ic.gov")
                                       << QStringLiteral("AWS default for us-iso-east-1");
    QTest::addRow("no partition matches: aws")
        << QStringLiteral("datasets") << QStringLiteral("local") << QString() << QStringList {} << plain
        << QStringLiteral("https://personalize.local.amazonaws.com") << QStringLiteral("AWS default for local");

    // Precedence: --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, [services], endpoint_url.
    const QByteArray everything = "[default]\nservices = local\nendpoint_url = http://profile:1\n"
                                  "[services local]\nsagemaker =\n  endpoint_url = http://services:2\n"
                                  "deadline =\n  endpoint_url = http://services:2\n";
    const QStringList allVariables {QStringLiteral("AWS_ENDPOINT_URL_SAGEMAKER=http://envservice:3"),
        QStringLiteral("AWS_ENDPOINT_URL=http://envglobal:4")};
    QTest::addRow("--endpoint-url wins") << QStringLiteral("images") << QStringLiteral("us-east-1")
                                         << QStringLiteral("http://explicit:5") << allVariables << everything
                                         << QStringLiteral("http://explicit:5") << QStringLiteral("--endpoint-url");
    QTest::addRow("then AWS_ENDPOINT_URL_<SERVICE>")
        << QStringLiteral("images") << QStringLiteral("us-east-1") << QString() << allVariables << everything
        << QStringLiteral("http://envservice:3") << QStringLiteral("AWS_ENDPOINT_URL_SAGEMAKER");
    QTest::addRow("then AWS_ENDPOINT_URL")
        << QStringLiteral("images") << QStringLiteral("us-east-1") << QString()
        << QStringList {QStringLiteral("AWS_ENDPOINT_URL=http://envglobal:4")} << everything
        << QStringLiteral("http://envglobal:4") << QStringLiteral("AWS_ENDPOINT_URL");
    QTest::addRow("then [services]") << QStringLiteral("images") << QStringLiteral("us-east-1") << QString()
                                     << QStringList {} << everything << QStringLiteral("http://services:2")
                                     << QStringLiteral("endpoint_url of sagemaker in [services local] of CONFIG");
    QTest::addRow("then the profile's endpoint_url")
        << QStringLiteral("datasets") << QStringLiteral("us-east-1") << QString() << QStringList {} << everything
        << QStringLiteral("http://profile:1") << QStringLiteral("endpoint_url of profile default in CONFIG");
    QTest::addRow("other service's variable does not apply")
        << QStringLiteral("datasets") << QStringLiteral("us-east-1") << QString()
        << QStringList {QStringLiteral("AWS_ENDPOINT_URL_SAGEMAKER=http://envservice:3")} << plain
        << QStringLiteral("https://personalize.us-east-1.amazonaws.com") << aws;
    QTest::addRow("variable name is upper case only")
        << QStringLiteral("images") << QStringLiteral("us-east-1") << QString()
        << QStringList {QStringLiteral("AWS_ENDPOINT_URL_sagemaker=http://lower:1")} << plain
        << QStringLiteral("https://api.sagemaker.us-east-1.amazonaws.com") << aws;
    QTest::addRow("[services] key is case-insensitive")
        << QStringLiteral("images") << QStringLiteral("us-east-1") << QString() << QStringList {}
        << QByteArray("[default]\nservices = s\n[services s]\nSageMaker =\n  endpoint_url = http://mixed:1\n")
        << QStringLiteral("http://mixed:1") << QStringLiteral("endpoint_url of sagemaker in [services s] of CONFIG");
    QTest::addRow("[services] without this service falls through")
        << QStringLiteral("datasets") << QStringLiteral("us-east-1") << QString() << QStringList {}
        << QByteArray("[default]\nservices = s\n[services s]\nsagemaker =\n  endpoint_url = http://x:1\n")
        << QStringLiteral("https://personalize.us-east-1.amazonaws.com") << aws;
    QTest::addRow("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        << QStringLiteral("images") << QStringLiteral("us-east-1") << QString()
        << (QStringList(allVariables) << QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=TRUE")) << everything
        << QStringLiteral("https://api.sagemaker.us-east-1.amazonaws.com") << aws;
    QTest::addRow("ignore keeps --endpoint-url")
        << QStringLiteral("images") << QStringLiteral("us-east-1") << QStringLiteral("http://explicit:5")
        << QStringList {QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true")} << everything
        << QStringLiteral("http://explicit:5") << QStringLiteral("--endpoint-url");
    QTest::addRow("ignore_configured_endpoint_urls in profile")
        << QStringLiteral("images") << QStringLiteral("us-east-1") << QString() << allVariables
        << QByteArray(everything).replace("[default]\n", "[default]\nignore_configured_endpoint_urls = true\n")
        << QStringLiteral("https://api.sagemaker.us-east-1.amazonaws.com") << aws;
    QTest::addRow("environment false beats profile true")
        << QStringLiteral("images") << QStringLiteral("us-east-1") << QString()
        << QStringList {QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false")}
        << QByteArray(everything).replace("[default]\n", "[default]\nignore_configured_endpoint_urls = true\n")
        << QStringLiteral("http://services:2")
        << QStringLiteral("endpoint_url of sagemaker in [services local] of CONFIG");

    // Host prefix on custom endpoints: host names yes, IP addresses never, unless switched off.
    QTest::addRow("prefix on a host name")
        << QStringLiteral("sessions") << QStringLiteral("us-east-1") << QString()
        << QStringList {QStringLiteral("AWS_ENDPOINT_URL=http://localhost:4566")} << plain
        << QStringLiteral("http://management.localhost:4566") << QStringLiteral("AWS_ENDPOINT_URL");
    QTest::addRow("prefix on [services] host")
        << QStringLiteral("sessions") << QStringLiteral("us-east-1") << QString() << QStringList {} << everything
        << QStringLiteral("http://management.services:2")
        << QStringLiteral("endpoint_url of deadline in [services local] of CONFIG");
    QTest::addRow("no prefix on IPv4, path kept")
        << QStringLiteral("sessions") << QStringLiteral("us-east-1") << QString()
        << QStringList {QStringLiteral("AWS_ENDPOINT_URL_DEADLINE=http://127.0.0.1:5000/base")} << plain
        << QStringLiteral("http://127.0.0.1:5000/base") << QStringLiteral("AWS_ENDPOINT_URL_DEADLINE");
    QTest::addRow("no prefix on IPv6") << QStringLiteral("sessions") << QStringLiteral("us-east-1")
                                       << QStringLiteral("http://[::1]:8080") << QStringList {} << plain
                                       << QStringLiteral("http://[::1]:8080") << QStringLiteral("--endpoint-url");
    QTest::addRow("no prefix on full IPv6")
        << QStringLiteral("sessions") << QStringLiteral("us-east-1") << QStringLiteral("https://[2001:db8::10]/api/")
        << QStringList {} << plain << QStringLiteral("https://[2001:db8::10]/api") << QStringLiteral("--endpoint-url");
    QTest::addRow("AWS_DISABLE_HOST_PREFIX_INJECTION")
        << QStringLiteral("sessions") << QStringLiteral("us-east-1") << QStringLiteral("http://localhost:4566")
        << QStringList {QStringLiteral("AWS_DISABLE_HOST_PREFIX_INJECTION=true")} << plain
        << QStringLiteral("http://localhost:4566") << QStringLiteral("--endpoint-url");
    QTest::addRow("disable_host_prefix_injection in profile")
        << QStringLiteral("sessions") << QStringLiteral("us-east-1") << QStringLiteral("https://emulator.test")
        << QStringList {} << QByteArray("[default]\ndisable_host_prefix_injection = true\n")
        << QStringLiteral("https://emulator.test") << QStringLiteral("--endpoint-url");
    QTest::addRow("environment false beats profile disable")
        << QStringLiteral("sessions") << QStringLiteral("us-east-1") << QStringLiteral("https://emulator.test")
        << QStringList {QStringLiteral("AWS_DISABLE_HOST_PREFIX_INJECTION=false")}
        << QByteArray("[default]\ndisable_host_prefix_injection = true\n")
        << QStringLiteral("https://management.emulator.test") << QStringLiteral("--endpoint-url");
    QTest::addRow("AWS hosts keep the prefix when disabled")
        << QStringLiteral("sessions") << QStringLiteral("eu-west-1") << QString()
        << QStringList {QStringLiteral("AWS_DISABLE_HOST_PREFIX_INJECTION=true")} << plain
        << QStringLiteral("https://management.deadline.eu-west-1.amazonaws.com")
        << QStringLiteral("AWS default for eu-west-1");
    QTest::addRow("no prefix for services without one")
        << QStringLiteral("images") << QStringLiteral("us-east-1") << QStringLiteral("http://localhost:4566/")
        << QStringList {} << plain << QStringLiteral("http://localhost:4566") << QStringLiteral("--endpoint-url");
    QTest::addRow("trailing slash of a path dropped")
        << QStringLiteral("datasets") << QStringLiteral("us-east-1") << QStringLiteral("HTTPS://Example.COM/base/")
        << QStringList {} << plain << QStringLiteral("https://example.com/base") << QStringLiteral("--endpoint-url");
}

void tst_Connection::resolvesEndpoints()
{
    QFETCH(QString, kindId);
    QFETCH(QString, region);
    QFETCH(QString, explicitUrl);
    QFETCH(QStringList, variables);
    QFETCH(QByteArray, config);
    QFETCH(QString, expected);
    QFETCH(QString, source);

    ConfigFixture fixture;
    fixture.writeConfig(config);
    fixture.setVariables(variables);
    ConnectionOptions options;
    options.region = region;
    options.endpointUrl = explicitUrl;
    const Result<Connection> connection = resolveConnection(options, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());

    const Result<QUrl> endpoint = connection.value().endpointFor(kind(kindId));
    QVERIFY2(endpoint.ok(), errorText(endpoint).constData());
    QCOMPARE(endpoint.value().toString(), expected);
    QCOMPARE(connection.value().endpointSource(kind(kindId)),
        QString(source).replace(QStringLiteral("CONFIG"), fixture.configPath()));
    QCOMPARE(connection.value().hasCustomEndpoint(kind(kindId)), !source.startsWith(QStringLiteral("AWS default")));
}

void tst_Connection::rejectsMalformedEndpoints_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("reason");

    QTest::addRow("no scheme") << QStringLiteral("AWS_ENDPOINT_URL") << QStringLiteral("localhost:4566")
                               << QStringLiteral("not http or https");
    QTest::addRow("no scheme, bare host")
        << QStringLiteral("AWS_ENDPOINT_URL") << QStringLiteral("example.com") << QStringLiteral("no scheme");
    QTest::addRow("ftp") << QStringLiteral("AWS_ENDPOINT_URL_DEADLINE") << QStringLiteral("ftp://example.com")
                         << QStringLiteral("not http or https");
    QTest::addRow("no host") << QStringLiteral("AWS_ENDPOINT_URL") << QStringLiteral("http://")
                             << QStringLiteral("no host");
    QTest::addRow("no host, only path") << QStringLiteral("AWS_ENDPOINT_URL") << QStringLiteral("http:///path")
                                        << QStringLiteral("no host");
    QTest::addRow("underscore in host") << QStringLiteral("AWS_ENDPOINT_URL") << QStringLiteral("http://my_host:1")
                                        << QStringLiteral("not a valid host name");
    QTest::addRow("query") << QStringLiteral("AWS_ENDPOINT_URL") << QStringLiteral("http://h:1/?a=b")
                           << QStringLiteral("query");
    QTest::addRow("spaces") << QStringLiteral("AWS_ENDPOINT_URL") << QStringLiteral("http://exa mple.com")
                            << QStringLiteral("not a valid URL");
}

void tst_Connection::rejectsMalformedEndpoints()
{
    QFETCH(QString, variable);
    QFETCH(QString, url);
    QFETCH(QString, reason);

    ConfigFixture fixture;
    fixture.set("AWS_REGION", QStringLiteral("us-east-1"));
    fixture.environment.variables.insert(variable, url);
    const Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    const Result<QUrl> endpoint = connection.value().endpointFor(kind(QStringLiteral("sessions")));
    QVERIFY(!endpoint.ok());
    const AwsError &error = endpoint.error();
    QCOMPARE(error.kind, AwsError::Kind::Configuration);
    QCOMPARE(error.code, QStringLiteral("InvalidEndpoint"));
    QVERIFY2(error.message.contains(QLatin1Char('\'') + url + QLatin1Char('\'')), qPrintable(error.message));
    QVERIFY2(error.message.contains(QStringLiteral("(from %1)").arg(variable)), qPrintable(error.message));
    QVERIFY2(error.message.contains(reason), qPrintable(error.message));
    QVERIFY2(error.message.contains(QStringLiteral("http:// or https://")), qPrintable(error.message));
}

void tst_Connection::resolvesFipsAndDualStackHosts_data()
{
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QByteArray>("profileLines");
    QTest::addColumn<QString>("expected"); ///< the URL, as botocore builds it

    QTest::addRow("AWS_USE_FIPS_ENDPOINT") << QStringList {QStringLiteral("AWS_USE_FIPS_ENDPOINT=true")} << QByteArray()
                                           << QStringLiteral("https://personalize-fips.us-east-1.amazonaws.com");
    QTest::addRow("use_dualstack_endpoint") << QStringList {} << QByteArray("use_dualstack_endpoint = true\n")
                                            << QStringLiteral("https://personalize.us-east-1.api.aws");
    QTest::addRow("false is off") << QStringList {QStringLiteral("AWS_USE_FIPS_ENDPOINT=false")}
                                  << QByteArray("use_dualstack_endpoint = false\n")
                                  << QStringLiteral("https://personalize.us-east-1.amazonaws.com");
    QTest::addRow("custom endpoint used as it is") << QStringList {QStringLiteral("AWS_USE_FIPS_ENDPOINT=true"),
        QStringLiteral("AWS_ENDPOINT_URL=http://localhost:4566")}
                                                   << QByteArray() << QStringLiteral("http://localhost:4566");
}

void tst_Connection::resolvesFipsAndDualStackHosts()
{
    QFETCH(QStringList, variables);
    QFETCH(QByteArray, profileLines);
    QFETCH(QString, expected);

    // The hosts botocore 1.43 sends these requests to (tst_endpointvariants covers every variant).
    ConfigFixture fixture;
    fixture.writeConfig("[default]\nregion = us-east-1\n" + profileLines);
    fixture.setVariables(variables);
    const Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    const Result<QUrl> endpoint = connection.value().endpointFor(kind(QStringLiteral("datasets")));
    QVERIFY2(endpoint.ok(), errorText(endpoint).constData());
    QCOMPARE(endpoint.value().toString(), expected);
}

void tst_Connection::reportsBrokenServicesSection_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QString>("mentions");

    QTest::addRow("missing section") << QByteArray("[default]\nregion = us-east-1\nservices = nowhere\n")
                                     << QStringLiteral("[services nowhere]");
    QTest::addRow("service key not a subsection")
        << QByteArray("[default]\nregion = us-east-1\nservices = s\n[services s]\nsagemaker = http://x:1\n")
        << QStringLiteral("'sagemaker' must be a subsection");
}

void tst_Connection::reportsBrokenServicesSection()
{
    QFETCH(QByteArray, config);
    QFETCH(QString, mentions);
    ConfigFixture fixture;
    fixture.writeConfig(config);
    Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY(!connection.ok());
    QCOMPARE(connection.error().kind, AwsError::Kind::Configuration);
    QVERIFY2(connection.error().message.contains(mentions), qPrintable(connection.error().message));
    QVERIFY2(connection.error().message.contains(fixture.configPath()), qPrintable(connection.error().message));

    // Not read, so not an error, when an override for every service comes first.
    fixture.set("AWS_ENDPOINT_URL", QStringLiteral("http://localhost:1"));
    connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
}

void tst_Connection::reportsConfigParseErrors()
{
    ConfigFixture fixture;
    fixture.writeConfig("[default]\nregion = us-east-1\nregion = eu-west-1\n");
    Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY(!connection.ok());
    QCOMPARE(connection.error().kind, AwsError::Kind::Configuration);
    QVERIFY2(connection.error().message.contains(fixture.configPath() + QStringLiteral(", line 3")),
        qPrintable(connection.error().message));

    fixture.writeConfig("[default]\nregion = us-east-1\n");
    fixture.writeCredentials("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
    connection = resolveConnection({}, fixture.environment);
    QVERIFY(!connection.ok());
    QCOMPARE(connection.error().kind, AwsError::Kind::Credentials);
    QVERIFY2(connection.error().message.contains(fixture.credentialsPath() + QStringLiteral(", line 1")),
        qPrintable(connection.error().message));
    QVERIFY(!connection.error().message.contains(QStringLiteral("wJalrXUtnFEMI")));
}

void tst_Connection::listsAvailableProfiles()
{
    ConfigFixture fixture;
    QCOMPARE(availableProfiles(fixture.environment), QStringList());

    fixture.writeConfig("[profile zeta]\n[services s]\n[sso-session corp]\n[profile alpha]\n[default]\n"
                        "[profile \"two words\"]\n[preview]\n");
    fixture.writeCredentials("[beta]\n[alpha]\n[default]\n");
    QCOMPARE(availableProfiles(fixture.environment),
        (QStringList {QStringLiteral("default"), QStringLiteral("alpha"), QStringLiteral("beta"),
            QStringLiteral("two words"), QStringLiteral("zeta")}));

    // The default paths are under the Environment's home directory.
    ConfigFixture home;
    home.environment.variables.remove(QStringLiteral("AWS_CONFIG_FILE"));
    home.environment.variables.remove(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"));
    QVERIFY(QDir(home.environment.homeDir).mkpath(QStringLiteral(".aws")));
    ConfigFixture::write(home.path(QStringLiteral(".aws/config")), "[profile from-config]\n");
    ConfigFixture::write(home.path(QStringLiteral(".aws/credentials")), "[from-credentials]\n");
    QCOMPARE(availableProfiles(home.environment),
        (QStringList {QStringLiteral("from-config"), QStringLiteral("from-credentials")}));
}

void tst_Connection::neverRevealsSecrets_data()
{
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QByteArray>("credentials");

    // Each setup is wrong somewhere near a secret key; whatever fails must not repeat it.
    const QByteArray key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const QByteArray region = "[default]\nregion = us-east-1\n";
    QTest::addRow("duplicate secret line")
        << QStringList {} << region
        << "[default]\naws_secret_access_key = " + key + "\naws_secret_access_key = " + key + "\n";
    QTest::addRow("secret pasted without key") << QStringList {} << region << "[default]\n" + key + "\n";
    QTest::addRow("secret before any section") << QStringList {} << region << "aws_secret_access_key=" + key + "\n";
    QTest::addRow("secret as region") << QStringList {} << "[default]\nregion = " + key + "\n" << QByteArray();
    QTest::addRow("secret in AWS_REGION")
        << QStringList {QStringLiteral("AWS_REGION=") + QLatin1String(key)} << QByteArray() << QByteArray();
    QTest::addRow("secret as max attempts")
        << QStringList {QStringLiteral("AWS_MAX_ATTEMPTS=") + QLatin1String(key)} << region << QByteArray();
    QTest::addRow("secret as retry mode") << QStringList {} << region + "retry_mode = " + key + "\n" << QByteArray();
    QTest::addRow("secret as profile name")
        << QStringList {QStringLiteral("AWS_PROFILE=") + QLatin1String(key)} << region << QByteArray();
    QTest::addRow("secret as endpoint") << QStringList {QStringLiteral("AWS_ENDPOINT_URL=") + QLatin1String(key)}
                                        << region << QByteArray();
    QTest::addRow("secret in endpoint password") << QStringList {QStringLiteral("AWS_ENDPOINT_URL=https://me:")
        + QLatin1String(key) + QStringLiteral("@host name")}
                                                 << region << QByteArray();
    QTest::addRow("secret as credential_process") << QStringList {} << region + "credential_process = " + key + " --x\n"
                                                  << QByteArray();
    QTest::addRow("key id without secret, secret elsewhere") << QStringList {
        QStringLiteral("AWS_SESSION_TOKEN=") + QLatin1String(key),
        QStringLiteral("AWS_ACCESS_KEY_ID=AKID")} << region << "[default]\naws_secret_access_key = " + key + "\n";
    QTest::addRow("no key id, secrets everywhere")
        << QStringList {QStringLiteral("AWS_SECRET_ACCESS_KEY=") + QLatin1String(key)}
        << region + "aws_secret_access_key = " + key + "\n"
        << "[default]\naws_secret_access_key = " + key + "\naws_session_token = " + key + "\n";
}

void tst_Connection::neverRevealsSecrets()
{
    QFETCH(QStringList, variables);
    QFETCH(QByteArray, config);
    QFETCH(QByteArray, credentials);

    ConfigFixture fixture;
    fixture.writeConfig(config);
    fixture.writeCredentials(credentials);
    fixture.setVariables(variables);
    QStringList messages;
    const Result<Connection> connection = resolveConnection({}, fixture.environment);
    if (!connection.ok()) {
        messages << connection.error().toString();
    } else {
        for (const ResourceKind &resourceKind : resourceKinds()) {
            const Result<QUrl> endpoint = connection.value().endpointFor(resourceKind);
            if (!endpoint.ok())
                messages << endpoint.error().toString();
        }
        const Result<Credentials> found = connection.value().credentials->credentials();
        if (!found.ok())
            messages << found.error().toString();
    }
    QVERIFY2(!messages.isEmpty(), "every row is a broken setup and must fail somewhere");
    for (const QString &message : std::as_const(messages)) {
        QVERIFY2(!message.contains(QStringLiteral("wJalrXUtnFEMI")), qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("EXAMPLEKEY")), qPrintable(message));
    }
}

QTEST_GUILESS_MAIN(tst_Connection)
#include "tst_connection.moc"
