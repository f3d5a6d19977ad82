#include "aws/config/credentialproviders.h"
#include "configfixture.h"

#include <QDir>
#include <QTest>

using namespace pagewise;
using pagewise::testing::ConfigFixture;
using pagewise::testing::errorText;

namespace
{

const QString secretKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

const QByteArray baseProfile
    = "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = " + secretKey.toUtf8() + "\n";

QString withPaths(QString text, const ConfigFixture &fixture)
{
    text.replace(QStringLiteral("CREDENTIALS"), fixture.credentialsPath());
    text.replace(QStringLiteral("CONFIG"), fixture.configPath());
    return text;
}

/// The connection a row's files, variables ("NAME=value", with AWS_REGION set) and --profile give.
Result<Connection> connectionFor(ConfigFixture &fixture, const QByteArray &config, const QByteArray &credentials,
    const QStringList &variables, const QString &profile)
{
    fixture.writeConfig(config);
    fixture.writeCredentials(credentials);
    fixture.set("AWS_REGION", QStringLiteral("us-east-1"));
    fixture.setVariables(variables);
    ConnectionOptions options;
    options.profile = profile;
    return resolveConnection(options, fixture.environment);
}

} // namespace

/// The credential methods botocore has and Pagewise does not run (SSO, assume role, web
/// identity, console sign-in) and what the chain says about files it cannot read.
class tst_UnsupportedCredentials : public QObject
{
    Q_OBJECT

private slots:
    void explainsTheBridge_data();
    void explainsTheBridge();
    void keepsBotocoresOrder_data();
    void keepsBotocoresOrder();
    void describesFilesThatAreNotRead_data();
    void describesFilesThatAreNotRead();
};

void tst_UnsupportedCredentials::explainsTheBridge_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QByteArray>("credentials");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QString>("profile"); ///< passed as --profile; empty: AWS_PROFILE / default
    QTest::addColumn<QStringList>("mentions");

    const QString bridge = QStringLiteral("add a separate profile `[profile dev-pagewise]` to CONFIG with "
                                          "`credential_process = aws configure export-credentials --profile dev "
                                          "--format process`");
    const QString notInItself = QStringLiteral("Not in [profile dev] itself: the AWS CLI would then call itself");

    QTest::addRow("SSO with an sso-session")
        << QByteArray("[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Reader\n"
                      "region = eu-west-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
                      "sso_region = eu-west-1\n")
        << QByteArray() << QStringList {} << QStringLiteral("dev")
        << QStringList {QStringLiteral("Profile dev gets its credentials by IAM Identity Center (SSO) "
                                       "(sso_account_id in [profile dev] of CONFIG), which Pagewise does not "
                                       "support yet."),
               bridge + QStringLiteral(" and `region = eu-west-1`, and use --profile dev-pagewise"),
               QStringLiteral("run `aws sso login --profile dev` when its sign-in expires"), notInItself};
    QTest::addRow("legacy SSO, role name only")
        << QByteArray("[profile dev]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
                      "sso_role_name = Reader\n")
        << QByteArray() << QStringList {} << QStringLiteral("dev")
        << QStringList {QStringLiteral("IAM Identity Center (SSO) (sso_role_name in [profile dev] of CONFIG)"),
               bridge + QStringLiteral(", and use --profile dev-pagewise"), notInItself};
    QTest::addRow("SSO session without account and role")
        << QByteArray("[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_start_url = "
                      "https://corp.awsapps.com/start\nsso_region = eu-west-1\n")
        << QByteArray() << QStringList {} << QStringLiteral("dev")
        << QStringList {QStringLiteral("IAM Identity Center (SSO) (sso_session in [profile dev] of CONFIG, without "
                                       "sso_account_id and sso_role_name"),
               bridge, notInItself};
    QTest::addRow("assume role from a source profile")
        << QByteArray(
               "[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/Reader\nsource_profile = base\n" + baseProfile)
        << QByteArray() << QStringList {} << QStringLiteral("dev")
        << QStringList {QStringLiteral("by assume role (role_arn in [profile dev] of CONFIG, with source_profile)"),
               bridge + QStringLiteral(", and use --profile dev-pagewise"), notInItself};
    QTest::addRow("assume role from a credential source, set in the credentials file")
        << QByteArray("[profile dev]\nregion = us-west-2\n")
        << QByteArray("[dev]\nrole_arn = arn:aws:iam::111122223333:role/Reader\ncredential_source = Environment\n")
        << QStringList {} << QStringLiteral("dev")
        << QStringList {QStringLiteral("by assume role (role_arn in [dev] of CREDENTIALS, with credential_source)"),
               bridge + QStringLiteral(" and `region = us-west-2`"), notInItself};
    QTest::addRow("assume role without a source")
        << QByteArray("[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/Reader\n") << QByteArray()
        << QStringList {} << QStringLiteral("dev")
        << QStringList {QStringLiteral("by assume role (role_arn in [profile dev] of CONFIG, without source_profile "
                                       "or credential_source, one of which it needs)"),
               bridge, notInItself};
    QTest::addRow("web identity in the profile (its role_arn does not mean assume role)")
        << QByteArray("[profile dev]\nweb_identity_token_file = /var/run/token\nrole_arn = "
                      "arn:aws:iam::111122223333:role/Reader\n")
        << QByteArray() << QStringList {} << QStringLiteral("dev")
        << QStringList {QStringLiteral("by web identity (web_identity_token_file in [profile dev] of CONFIG)"), bridge,
               notInItself};
    QTest::addRow("web identity from the environment")
        << QByteArray() << QByteArray()
        << QStringList {QStringLiteral("AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/token"),
               QStringLiteral("AWS_ROLE_ARN=arn:aws:iam::111122223333:role/Reader")}
        << QString()
        << QStringList {QStringLiteral("Profile default gets its credentials by web identity "
                                       "(AWS_WEB_IDENTITY_TOKEN_FILE)"),
               QStringLiteral("eval \"$(aws configure export-credentials --format env)\"")};
    QTest::addRow("console sign-in")
        << QByteArray("[profile dev]\nlogin_session = arn:aws:iam::111122223333:user/me\n") << QByteArray()
        << QStringList {} << QStringLiteral("dev")
        << QStringList {QStringLiteral("by AWS console sign-in (login_session in [profile dev] of CONFIG)"), bridge,
               QStringLiteral("run `aws login --profile dev` when its sign-in expires"), notInItself};
    QTest::addRow("a profile name that needs quoting")
        << QByteArray("[profile \"my dev\"]\nsso_account_id = 111122223333\nsso_role_name = Reader\n") << QByteArray()
        << QStringList {} << QStringLiteral("my dev")
        << QStringList {QStringLiteral("--profile 'my dev' --format process"),
               QStringLiteral("`aws sso login --profile 'my dev'`")};
}

void tst_UnsupportedCredentials::explainsTheBridge()
{
    QFETCH(QByteArray, config);
    QFETCH(QByteArray, credentials);
    QFETCH(QStringList, variables);
    QFETCH(QString, profile);
    QFETCH(QStringList, mentions);

    ConfigFixture fixture;
    const Result<Connection> connection = connectionFor(fixture, config, credentials, variables, profile);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    const Result<Credentials> answer = connection.value().credentials->credentials();
    QVERIFY2(!answer.ok(), qPrintable(answer.ok() ? answer.value().source : QString()));
    const AwsError &error = answer.error();
    QCOMPARE(error.kind, AwsError::Kind::Credentials);
    QCOMPARE(error.code, QStringLiteral("UnsupportedCredentials"));
    for (const QString &mention : std::as_const(mentions)) {
        const QString expected = withPaths(mention, fixture);
        QVERIFY2(error.message.contains(expected),
            qPrintable(QStringLiteral("%1\nmissing: %2").arg(error.message, expected)));
    }
    // The bridge never suggests long-lived keys.
    QVERIFY2(!error.message.contains(QStringLiteral("aws_secret_access_key")), qPrintable(error.message));
    QVERIFY(!error.message.contains(secretKey));
}

void tst_UnsupportedCredentials::keepsBotocoresOrder_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QByteArray>("credentials");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("expected"); ///< the source of the credentials, or "error: CODE"

    const QByteArray keys = "aws_access_key_id = AKIDDEV\naws_secret_access_key = " + secretKey.toUtf8() + "\n";
    // botocore tries assume role before the profile's own keys: using them would be another identity.
    QTest::addRow("role_arn before the credentials file's keys")
        << QByteArray(
               "[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/Reader\nsource_profile = base\n" + baseProfile)
        << "[dev]\n" + keys << QStringList {} << QStringLiteral("dev")
        << QStringLiteral("error: UnsupportedCredentials");
    QTest::addRow("environment keys before role_arn (AWS_PROFILE)")
        << QByteArray(
               "[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/Reader\nsource_profile = base\n" + baseProfile)
        << QByteArray()
        << QStringList {QStringLiteral("AWS_PROFILE=dev"), QStringLiteral("AWS_ACCESS_KEY_ID=AKIDENV"),
               QStringLiteral("AWS_SECRET_ACCESS_KEY=") + secretKey}
        << QString() << QStringLiteral("environment");
    QTest::addRow("an SSO session alone does not hide the profile's keys")
        << QByteArray("[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_region = eu-west-1\n")
        << "[dev]\n" + keys << QStringList {} << QStringLiteral("dev")
        << QStringLiteral("profile dev (credentials file)");
    QTest::addRow("console sign-in after the credentials file's keys")
        << QByteArray("[profile dev]\nlogin_session = arn:aws:iam::111122223333:user/me\n") << "[dev]\n" + keys
        << QStringList {} << QStringLiteral("dev") << QStringLiteral("profile dev (credentials file)");
    QTest::addRow("console sign-in before credential_process")
        << QByteArray("[profile dev]\nlogin_session = arn:aws:iam::111122223333:user/me\ncredential_process = "
                      "/bin/false\n")
        << QByteArray() << QStringList {} << QStringLiteral("dev") << QStringLiteral("error: UnsupportedCredentials");
    QTest::addRow("a named profile ignores AWS_WEB_IDENTITY_TOKEN_FILE")
        << QByteArray("[profile dev]\nregion = us-east-1\n") << QByteArray()
        << QStringList {QStringLiteral("AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/token")} << QStringLiteral("dev")
        << QStringLiteral("error: NoCredentials");
    QTest::addRow("an empty AWS_WEB_IDENTITY_TOKEN_FILE hides the profile's token file, as in botocore")
        << QByteArray("[default]\nweb_identity_token_file = /var/run/token\n") << QByteArray()
        << QStringList {QStringLiteral("AWS_WEB_IDENTITY_TOKEN_FILE=")} << QString()
        << QStringLiteral("error: NoCredentials");
}

void tst_UnsupportedCredentials::keepsBotocoresOrder()
{
    QFETCH(QByteArray, config);
    QFETCH(QByteArray, credentials);
    QFETCH(QStringList, variables);
    QFETCH(QString, profile);
    QFETCH(QString, expected);

    ConfigFixture fixture;
    const Result<Connection> connection = connectionFor(fixture, config, credentials, variables, profile);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    const Result<Credentials> answer = connection.value().credentials->credentials();
    if (expected.startsWith(QStringLiteral("error: "))) {
        QVERIFY2(!answer.ok(), qPrintable(answer.ok() ? answer.value().source : QString()));
        QCOMPARE(answer.error().code, expected.mid(7));
    } else {
        QVERIFY2(answer.ok(), errorText(answer).constData());
        QCOMPARE(answer.value().source, expected);
    }
}

void tst_UnsupportedCredentials::describesFilesThatAreNotRead_data()
{
    QTest::addColumn<QString>("configFile"); ///< "/dev/null", "directory", "empty" or "missing"
    QTest::addColumn<QStringList>("mentions");
    QTest::addColumn<QString>("absent"); ///< a wrong description

    QTest::addRow("/dev/null") << QStringLiteral(
        "/dev/null") << QStringList {QStringLiteral("config file /dev/null (is not a regular file, so it is not read)")}
                               << QStringLiteral("does not exist");
    QTest::addRow("a directory") << QStringLiteral(
        "directory") << QStringList {QStringLiteral("config file CONFIG (is a directory, so it is not read)")}
                                 << QStringLiteral("does not exist");
    QTest::addRow("an empty file") << QStringLiteral("empty")
                                   << QStringList {QStringLiteral("config file CONFIG (no [default] section; the "
                                                                  "file has no sections at all)")}
                                   << QStringLiteral("does not exist");
    QTest::addRow("a missing file") << QStringLiteral("missing")
                                    << QStringList {QStringLiteral("config file CONFIG (does not exist)")}
                                    << QStringLiteral("CONFIG (is not");
}

void tst_UnsupportedCredentials::describesFilesThatAreNotRead()
{
    QFETCH(QString, configFile);
    QFETCH(QStringList, mentions);
    QFETCH(QString, absent);

    ConfigFixture fixture;
    fixture.set("AWS_REGION", QStringLiteral("us-east-1"));
    fixture.set("AWS_SHARED_CREDENTIALS_FILE", QStringLiteral("/dev/null"));
    if (configFile == QLatin1String("/dev/null"))
        fixture.set("AWS_CONFIG_FILE", configFile);
    else if (configFile == QLatin1String("directory"))
        QVERIFY(QDir().mkpath(fixture.configPath()));
    else if (configFile == QLatin1String("empty"))
        fixture.writeConfig({});
    const Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    const Result<Credentials> answer = connection.value().credentials->credentials();
    QVERIFY(!answer.ok());
    const QString &message = answer.error().message;
    QCOMPARE(answer.error().code, QStringLiteral("NoCredentials"));
    QVERIFY2(message.contains(QStringLiteral("shared credentials file /dev/null (is not a regular file, so it is "
                                             "not read)")),
        qPrintable(message));
    for (const QString &mention : std::as_const(mentions)) {
        const QString expected = withPaths(mention, fixture);
        QVERIFY2(message.contains(expected), qPrintable(QStringLiteral("%1\nmissing: %2").arg(message, expected)));
    }
    QVERIFY2(!message.contains(withPaths(absent, fixture)), qPrintable(message));
    // A file that is not a regular file cannot take what the fix suggests adding.
    QVERIFY2(!message.contains(QStringLiteral("in /dev/null")), qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_UnsupportedCredentials)
#include "tst_unsupportedcredentials.moc"
