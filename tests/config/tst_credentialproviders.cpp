#include "aws/config/credentialproviders.h"
#include "aws/config/secretredaction.h"
#include "configfixture.h"

#include <QPointer>
#include <QTest>
#include <QTimer>

#include <signal.h>

using namespace pagewise;
using pagewise::testing::ConfigFixture;
using pagewise::testing::errorText;

namespace
{

// Long enough to look like a real secret key, so both redaction rules would catch it.
const QString secretKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
// Short, so only knowing the exact value can mask it.
const QString sessionToken = QStringLiteral("tok-3141");

const QString expiresAt = QStringLiteral("2030-01-01T00:00:00Z");
const QDateTime expiry = QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC);

// A /bin/sh script in the fixture's directory that appends a line to "runs" each time it runs.
QString writeScript(const ConfigFixture &fixture, const QString &name, const QByteArray &body)
{
    const QString path = fixture.path(name);
    ConfigFixture::write(
        path, "#!/bin/sh\necho run >> '" + fixture.path(QStringLiteral("runs")).toUtf8() + "'\n" + body, true);
    return path;
}

int runs(const ConfigFixture &fixture)
{
    QFile file(fixture.path(QStringLiteral("runs")));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return int(file.readAll().count('\n'));
}

QByteArray printJson(const QByteArray &json)
{
    return "cat <<'EOF'\n" + json + "\nEOF\n";
}

QByteArray processJson(const QString &accessKey, const QString &expiration = QString())
{
    QByteArray json = "{\"Version\": 1, \"AccessKeyId\": \"" + accessKey.toUtf8() + "\", \"SecretAccessKey\": \""
        + secretKey.toUtf8() + "\", \"SessionToken\": \"" + sessionToken.toUtf8() + '"';
    if (!expiration.isEmpty())
        json += ", \"Expiration\": \"" + expiration.toUtf8() + '"';
    return json + '}';
}

void verifyNoSecret(const QString &message)
{
    QVERIFY2(!message.contains(secretKey), qPrintable(message));
    QVERIFY2(!message.contains(QStringLiteral("wJalrXUtnFEMI")), qPrintable(message));
    QVERIFY2(!message.contains(sessionToken), qPrintable(message));
}

/// A credential_process whose first run hands out AKIDFIRST, expiring at `expiry`, and whose later
/// runs fail as an expired SSO session does.
QString writeRefreshFailing(const ConfigFixture &fixture)
{
    return writeScript(fixture, QStringLiteral("p.sh"),
        "if [ \"$(wc -l < '" + fixture.path(QStringLiteral("runs")).toUtf8()
            + "')\" -gt 1 ]; then echo 'sso session expired' >&2; exit 1; fi\n"
            + printJson(processJson(QStringLiteral("AKIDFIRST"), expiresAt)));
}

enum Source { Explicit = 1, Env = 2, CredentialsFile = 4, Process = 8, ConfigKeys = 16 };

} // namespace

class tst_CredentialProviders : public QObject
{
    Q_OBJECT

private slots:
    void followsChainOrder_data();
    void followsChainOrder();
    void prefersLegacySessionToken_data();
    void prefersLegacySessionToken();
    void reportsPartialCredentials_data();
    void reportsPartialCredentials();
    void explainsMissingCredentials_data();
    void explainsMissingCredentials();
    void honoursEnvironmentExpiration();
    void runsCredentialProcessFromCredentialsFile();

    void processFetchesAndCaches();
    void processRefreshesNearExpiry_data();
    void processRefreshesNearExpiry();
    void processKeepsCredentialsWhenEarlyRefreshFails();
    void processRejectsExpiredCredentials();
    void processRejectsBadOutput_data();
    void processRejectsBadOutput();
    void processFailureHidesSecrets();
    void processTimesOut();
    void processRunsWithoutShell();
    void processGetsConnectionEnvironment();
    void processCommandErrors_data();
    void processCommandErrors();

    void fetchKeepsTheEventLoopRunning();
    void concurrentFetchesShareOneRun();
    void cancellingOneWaiterKeepsTheRunForTheOthers();
    void cancellingStopsTheProcess_data();
    void cancellingStopsTheProcess();
    void fetchGivesTheSameErrorsAsCredentials_data();
    void fetchGivesTheSameErrorsAsCredentials();
    void fetchFollowsTheRefreshRules();
    void staticCredentialsAreAtHand();

    void redactsSecretLikeText_data();
    void redactsSecretLikeText();
};

void tst_CredentialProviders::followsChainOrder_data()
{
    QTest::addColumn<int>("present");
    QTest::addColumn<bool>("profileExplicit");
    QTest::addColumn<QString>("source");

    // Every combination of present sources; the expected winner follows botocore's order, with
    // the environment skipped only for an explicitly named profile (not for AWS_PROFILE).
    const QList<std::pair<int, QString>> order {{Explicit, QStringLiteral("explicit")},
        {Env, QStringLiteral("environment")}, {CredentialsFile, QStringLiteral("profile dev (credentials file)")},
        {Process, QStringLiteral("profile dev (credential_process)")},
        {ConfigKeys, QStringLiteral("profile dev (config file)")}};
    const QStringList names {QStringLiteral("explicit"), QStringLiteral("env"), QStringLiteral("credentials-file"),
        QStringLiteral("process"), QStringLiteral("config-keys")};
    for (int profileExplicit = 0; profileExplicit < 2; ++profileExplicit) {
        for (int present = 0; present < 32; ++present) {
            QString source;
            for (const auto &[flag, name] : order) {
                if ((present & flag) && !(flag == Env && profileExplicit)) {
                    source = name;
                    break;
                }
            }
            QStringList parts;
            for (int bit = 0; bit < 5; ++bit) {
                if (present & (1 << bit))
                    parts << names[bit];
            }
            QTest::addRow("%s%s", parts.isEmpty() ? "none" : qPrintable(parts.join(QLatin1Char('+'))),
                profileExplicit ? " (--profile dev)" : " (AWS_PROFILE=dev)")
                << present << bool(profileExplicit) << source;
        }
    }
}

void tst_CredentialProviders::followsChainOrder()
{
    QFETCH(int, present);
    QFETCH(bool, profileExplicit);
    QFETCH(QString, source);

    ConfigFixture fixture;
    ConnectionOptions options;
    if (profileExplicit)
        options.profile = QStringLiteral("dev");
    else
        fixture.set("AWS_PROFILE", QStringLiteral("dev"));
    if (present & Explicit)
        options.credentials = Credentials {QStringLiteral("AKIDEXPLICIT"), secretKey, {}, {}, {}};
    if (present & Env) {
        fixture.set("AWS_ACCESS_KEY_ID", QStringLiteral("AKIDENVIRONMENT"));
        fixture.set("AWS_SECRET_ACCESS_KEY", secretKey);
    }
    if (present & CredentialsFile)
        fixture.writeCredentials("[dev]\naws_access_key_id = AKIDCREDENTIALSFILE\naws_secret_access_key = s\n");
    QByteArray config = "[profile dev]\nregion = us-east-1\n";
    if (present & Process) {
        const QString script
            = writeScript(fixture, QStringLiteral("process.sh"), printJson(processJson(QStringLiteral("AKIDPROCESS"))));
        config += "credential_process = " + script.toUtf8() + "\n";
    }
    if (present & ConfigKeys)
        config += "aws_access_key_id = AKIDCONFIGFILE\naws_secret_access_key = s\n";
    fixture.writeConfig(config);

    const Result<Connection> connection = resolveConnection(options, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    const Result<Credentials> credentials = connection.value().credentials->credentials();
    if (source.isEmpty()) {
        QVERIFY(!credentials.ok());
        QCOMPARE(credentials.error().kind, AwsError::Kind::Credentials);
        QCOMPARE(credentials.error().code, QStringLiteral("NoCredentials"));
        return;
    }
    QVERIFY2(credentials.ok(), errorText(credentials).constData());
    QCOMPARE(credentials.value().source, source);
    const QHash<QString, QString> keys {{QStringLiteral("explicit"), QStringLiteral("AKIDEXPLICIT")},
        {QStringLiteral("environment"), QStringLiteral("AKIDENVIRONMENT")},
        {QStringLiteral("profile dev (credentials file)"), QStringLiteral("AKIDCREDENTIALSFILE")},
        {QStringLiteral("profile dev (credential_process)"), QStringLiteral("AKIDPROCESS")},
        {QStringLiteral("profile dev (config file)"), QStringLiteral("AKIDCONFIGFILE")}};
    QCOMPARE(credentials.value().accessKeyId, keys.value(source));
    // The process only runs when it is the source that answers.
    QCOMPARE(runs(fixture), source.endsWith(QStringLiteral("(credential_process)")) ? 1 : 0);
}

void tst_CredentialProviders::prefersLegacySessionToken_data()
{
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QByteArray>("credentialsFile");
    QTest::addColumn<QString>("token");

    QTest::addRow("env AWS_SECURITY_TOKEN first")
        << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID=AKID"), QStringLiteral("AWS_SECRET_ACCESS_KEY=s"),
               QStringLiteral("AWS_SECURITY_TOKEN=legacy"), QStringLiteral("AWS_SESSION_TOKEN=current")}
        << QByteArray() << QStringLiteral("legacy");
    QTest::addRow("env AWS_SESSION_TOKEN") << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID=AKID"),
        QStringLiteral("AWS_SECRET_ACCESS_KEY=s"), QStringLiteral("AWS_SESSION_TOKEN=current")}
                                           << QByteArray() << QStringLiteral("current");
    QTest::addRow("env empty legacy ignored")
        << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID=AKID"), QStringLiteral("AWS_SECRET_ACCESS_KEY=s"),
               QStringLiteral("AWS_SECURITY_TOKEN="), QStringLiteral("AWS_SESSION_TOKEN=current")}
        << QByteArray() << QStringLiteral("current");
    QTest::addRow("env no token") << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID=AKID"),
        QStringLiteral("AWS_SECRET_ACCESS_KEY=s")}
                                  << QByteArray() << QString();
    QTest::addRow("file aws_security_token first")
        << QStringList {}
        << QByteArray("[default]\naws_access_key_id = AKID\naws_secret_access_key = s\naws_session_token = current\n"
                      "aws_security_token = legacy\n")
        << QStringLiteral("legacy");
    QTest::addRow("file aws_session_token")
        << QStringList {}
        << QByteArray("[default]\naws_access_key_id = AKID\naws_secret_access_key = s\naws_session_token = current\n")
        << QStringLiteral("current");
}

void tst_CredentialProviders::prefersLegacySessionToken()
{
    QFETCH(QStringList, variables);
    QFETCH(QByteArray, credentialsFile);
    QFETCH(QString, token);

    ConfigFixture fixture;
    fixture.set("AWS_REGION", QStringLiteral("us-east-1"));
    fixture.setVariables(variables);
    fixture.writeCredentials(credentialsFile);
    const Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    const Result<Credentials> credentials = connection.value().credentials->credentials();
    QVERIFY2(credentials.ok(), errorText(credentials).constData());
    QCOMPARE(credentials.value().accessKeyId, QStringLiteral("AKID"));
    QCOMPARE(credentials.value().sessionToken, token);
}

void tst_CredentialProviders::reportsPartialCredentials_data()
{
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QByteArray>("credentialsFile");
    QTest::addColumn<QByteArray>("configFile");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QStringList>("mentions");

    const QString secretLine = QStringLiteral("aws_secret_access_key = ") + secretKey + QLatin1Char('\n');
    QTest::addRow("env key id without secret")
        << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID=AKID")} << QByteArray() << QByteArray()
        << QStringLiteral("PartialCredentials") << QStringList {QStringLiteral("AWS_SECRET_ACCESS_KEY")};
    QTest::addRow("env secret without key id is no source")
        << QStringList {QStringLiteral("AWS_SECRET_ACCESS_KEY=") + secretKey} << QByteArray() << QByteArray()
        << QStringLiteral("NoCredentials") << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID")};
    QTest::addRow("credentials file key id without secret")
        << QStringList {} << QByteArray("[default]\naws_access_key_id = AKID\n") << QByteArray()
        << QStringLiteral("PartialCredentials")
        << QStringList {QStringLiteral("[default] in CREDENTIALS"), QStringLiteral("aws_secret_access_key")};
    QTest::addRow("credentials file empty key id")
        << QStringList {} << (QByteArray("[default]\naws_access_key_id =\n") + secretLine.toUtf8()) << QByteArray()
        << QStringLiteral("PartialCredentials") << QStringList {QStringLiteral("empty aws_access_key_id")};
    QTest::addRow("config file key id without secret")
        << QStringList {} << QByteArray() << QByteArray("[profile dev]\naws_access_key_id = AKID\n")
        << QStringLiteral("PartialCredentials") << QStringList {QStringLiteral("[profile dev] in CONFIG")};
    QTest::addRow("secret alone in credentials file is no source")
        << QStringList {} << ("[default]\n" + secretLine.toUtf8()) << QByteArray() << QStringLiteral("NoCredentials")
        << QStringList {QStringLiteral("has no aws_access_key_id")};
    QTest::addRow("explicit key without secret")
        << QStringList {QStringLiteral("EXPLICIT=1")} << QByteArray() << QByteArray()
        << QStringLiteral("PartialCredentials") << QStringList {QStringLiteral("explicitly")};
}

void tst_CredentialProviders::reportsPartialCredentials()
{
    QFETCH(QStringList, variables);
    QFETCH(QByteArray, credentialsFile);
    QFETCH(QByteArray, configFile);
    QFETCH(QString, code);
    QFETCH(QStringList, mentions);

    ConfigFixture fixture;
    fixture.set("AWS_REGION", QStringLiteral("us-east-1"));
    ConnectionOptions options;
    for (const QString &variable : variables) {
        if (variable == QLatin1String("EXPLICIT=1"))
            options.credentials = Credentials {QStringLiteral("AKID"), {}, {}, {}, {}};
        else
            fixture.environment.variables.insert(
                variable.section(QLatin1Char('='), 0, 0), variable.section(QLatin1Char('='), 1));
    }
    fixture.writeCredentials(credentialsFile);
    fixture.writeConfig(configFile);
    if (!configFile.isEmpty())
        options.profile = QStringLiteral("dev");
    const Result<Connection> connection = resolveConnection(options, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    const Result<Credentials> credentials = connection.value().credentials->credentials();
    QVERIFY(!credentials.ok());
    QCOMPARE(credentials.error().kind, AwsError::Kind::Credentials);
    QCOMPARE(credentials.error().code, code);
    for (QString mention : mentions) {
        mention.replace(QStringLiteral("CREDENTIALS"), fixture.credentialsPath());
        mention.replace(QStringLiteral("CONFIG"), fixture.configPath());
        QVERIFY2(credentials.error().message.contains(mention), qPrintable(credentials.error().message));
    }
    verifyNoSecret(credentials.error().message);
}

void tst_CredentialProviders::explainsMissingCredentials_data()
{
    QTest::addColumn<bool>("filesExist");
    QTest::addColumn<QStringList>("mentions");

    QTest::addRow("nothing anywhere")
        << false
        << QStringList {QStringLiteral("for profile default."),
               QStringLiteral("environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (not set)"),
               QStringLiteral("shared credentials file CREDENTIALS (does not exist)"),
               QStringLiteral("config file CONFIG (does not exist)"),
               QStringLiteral("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
               QStringLiteral("to [default] in CREDENTIALS (`aws configure` writes them)"),
               QStringLiteral("add credential_process = <command> to [default] in CONFIG")};
    QTest::addRow("--profile dev, files without its keys")
        << true
        << QStringList {QStringLiteral("for profile dev."),
               QStringLiteral("environment variables (not used because the profile was named explicitly)"),
               QStringLiteral("shared credentials file CREDENTIALS (no [dev] section)"),
               QStringLiteral("config file CONFIG ([profile dev] has neither credential_process nor "
                              "aws_access_key_id)"),
               QStringLiteral("add aws_access_key_id and aws_secret_access_key to [dev] in CREDENTIALS "
                              "(`aws configure --profile dev` writes them)"),
               QStringLiteral("add credential_process = <command> to [profile dev] in CONFIG")};
}

void tst_CredentialProviders::explainsMissingCredentials()
{
    QFETCH(bool, filesExist);
    QFETCH(QStringList, mentions);

    ConfigFixture fixture;
    fixture.set("AWS_REGION", QStringLiteral("us-east-1"));
    ConnectionOptions options;
    if (filesExist) {
        fixture.writeConfig("[profile dev]\nregion = us-east-1\n");
        fixture.writeCredentials(
            "[other]\naws_access_key_id = AKID\naws_secret_access_key = " + secretKey.toUtf8() + "\n");
        // Ignored: the profile is named explicitly.
        options.profile = QStringLiteral("dev");
        fixture.set("AWS_ACCESS_KEY_ID", QStringLiteral("AKIDIGNORED"));
        fixture.set("AWS_SECRET_ACCESS_KEY", secretKey);
    }
    const Result<Connection> connection = resolveConnection(options, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    const Result<Credentials> credentials = connection.value().credentials->credentials();
    QVERIFY(!credentials.ok());
    const AwsError &error = credentials.error();
    QCOMPARE(error.kind, AwsError::Kind::Credentials);
    QCOMPARE(error.code, QStringLiteral("NoCredentials"));
    for (QString mention : mentions) {
        mention.replace(QStringLiteral("CREDENTIALS"), fixture.credentialsPath());
        mention.replace(QStringLiteral("CONFIG"), fixture.configPath());
        QVERIFY2(
            error.message.contains(mention), qPrintable(QStringLiteral("%1\nmissing: %2").arg(error.message, mention)));
    }
    verifyNoSecret(error.message);
    QVERIFY(!error.message.contains(QStringLiteral("AKIDIGNORED")));
    // Asking again gives the same answer.
    QCOMPARE(connection.value().credentials->credentials().error().message, error.message);
}

void tst_CredentialProviders::honoursEnvironmentExpiration()
{
    ConfigFixture fixture;
    fixture.set("AWS_REGION", QStringLiteral("us-east-1"));
    fixture.set("AWS_ACCESS_KEY_ID", QStringLiteral("AKID"));
    fixture.set("AWS_SECRET_ACCESS_KEY", secretKey);
    fixture.set("AWS_CREDENTIAL_EXPIRATION", QStringLiteral("2001-02-03T04:05:06Z"));
    Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    Result<Credentials> credentials = connection.value().credentials->credentials();
    QVERIFY(!credentials.ok());
    QCOMPARE(credentials.error().code, QStringLiteral("ExpiredCredentials"));
    QVERIFY2(credentials.error().message.contains(QStringLiteral("2001-02-03T04:05:06Z")),
        qPrintable(credentials.error().message));

    fixture.set("AWS_CREDENTIAL_EXPIRATION", QStringLiteral("2999-01-01T00:00:00+02:00"));
    connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    credentials = connection.value().credentials->credentials();
    QVERIFY2(credentials.ok(), errorText(credentials).constData());
    QCOMPARE(credentials.value().expiration, QDateTime(QDate(2998, 12, 31), QTime(22, 0), Qt::UTC));

    fixture.set("AWS_CREDENTIAL_EXPIRATION", QStringLiteral("tomorrow"));
    connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    credentials = connection.value().credentials->credentials();
    QVERIFY(!credentials.ok());
    QVERIFY(credentials.error().message.contains(QStringLiteral("AWS_CREDENTIAL_EXPIRATION")));
}

void tst_CredentialProviders::runsCredentialProcessFromCredentialsFile()
{
    // botocore merges the credentials file into the profile, so credential_process works there too.
    ConfigFixture fixture;
    fixture.set("AWS_REGION", QStringLiteral("us-east-1"));
    const QString script
        = writeScript(fixture, QStringLiteral("p.sh"), printJson(processJson(QStringLiteral("AKIDP"))));
    fixture.writeCredentials("[default]\ncredential_process = " + script.toUtf8() + "\n");
    const Result<Connection> connection = resolveConnection({}, fixture.environment);
    QVERIFY2(connection.ok(), errorText(connection).constData());
    const Result<Credentials> credentials = connection.value().credentials->credentials();
    QVERIFY2(credentials.ok(), errorText(credentials).constData());
    QCOMPARE(credentials.value().accessKeyId, QStringLiteral("AKIDP"));
    QCOMPARE(credentials.value().source, QStringLiteral("profile default (credential_process)"));
}

void tst_CredentialProviders::processFetchesAndCaches()
{
    ConfigFixture fixture;
    const QString script = writeScript(
        fixture, QStringLiteral("p.sh"), printJson(processJson(QStringLiteral("AKIDPROCESS"), expiresAt)));
    ProcessCredentialsProvider provider(script, QStringLiteral("credential_process of test"),
        QStringLiteral("profile t (credential_process)"), fixture.environment, [] { return expiry.addDays(-1); });
    for (int call = 0; call < 2; ++call) {
        const Result<Credentials> credentials = provider.credentials();
        QVERIFY2(credentials.ok(), errorText(credentials).constData());
        QCOMPARE(credentials.value().accessKeyId, QStringLiteral("AKIDPROCESS"));
        QCOMPARE(credentials.value().secretAccessKey, secretKey);
        QCOMPARE(credentials.value().sessionToken, sessionToken);
        QCOMPARE(credentials.value().expiration, expiry);
        QCOMPARE(credentials.value().source, QStringLiteral("profile t (credential_process)"));
    }
    QCOMPARE(runs(fixture), 1);
}

void tst_CredentialProviders::processRefreshesNearExpiry_data()
{
    QTest::addColumn<int>("secondsLeft");
    QTest::addColumn<int>("expectedRuns");

    QTest::addRow("20 minutes left: kept") << 20 * 60 << 1;
    QTest::addRow("15 minutes left: kept") << 15 * 60 << 1;
    QTest::addRow("14:59 left: refreshed") << 15 * 60 - 1 << 2;
    QTest::addRow("5 minutes left: refreshed") << 5 * 60 << 2;
    QTest::addRow("expired: refreshed") << -60 << 2;
}

void tst_CredentialProviders::processRefreshesNearExpiry()
{
    QFETCH(int, secondsLeft);
    QFETCH(int, expectedRuns);

    // The first run hands out keys that expire at `expiry`, later runs keys valid a day longer.
    ConfigFixture fixture;
    const QString later = expiry.addDays(1).toString(Qt::ISODate);
    const QString script = writeScript(fixture, QStringLiteral("p.sh"),
        "if [ \"$(wc -l < '" + fixture.path(QStringLiteral("runs")).toUtf8() + "')\" -eq 1 ]; then\n"
            + printJson(processJson(QStringLiteral("AKIDFIRST"), expiresAt)) + "else\n"
            + printJson(processJson(QStringLiteral("AKIDSECOND"), later)) + "fi\n");
    QDateTime now = expiry.addSecs(-3600);
    ProcessCredentialsProvider provider(script, QStringLiteral("credential_process of test"), QStringLiteral("t"),
        fixture.environment, [&now] { return now; });
    Result<Credentials> credentials = provider.credentials();
    QVERIFY2(credentials.ok(), errorText(credentials).constData());
    QCOMPARE(credentials.value().accessKeyId, QStringLiteral("AKIDFIRST"));

    now = expiry.addSecs(-secondsLeft);
    credentials = provider.credentials();
    QVERIFY2(credentials.ok(), errorText(credentials).constData());
    QCOMPARE(runs(fixture), expectedRuns);
    QCOMPARE(credentials.value().accessKeyId,
        expectedRuns == 1 ? QStringLiteral("AKIDFIRST") : QStringLiteral("AKIDSECOND"));
}

void tst_CredentialProviders::processKeepsCredentialsWhenEarlyRefreshFails()
{
    ConfigFixture fixture;
    const QString script = writeRefreshFailing(fixture);
    QDateTime now = expiry.addSecs(-3600);
    ProcessCredentialsProvider provider(script, QStringLiteral("credential_process of test"), QStringLiteral("t"),
        fixture.environment, [&now] { return now; });
    QVERIFY(provider.credentials().ok());

    // 12 minutes left: the refresh fails, the keys still have time, so they are used.
    now = expiry.addSecs(-12 * 60);
    Result<Credentials> credentials = provider.credentials();
    QVERIFY2(credentials.ok(), errorText(credentials).constData());
    QCOMPARE(credentials.value().accessKeyId, QStringLiteral("AKIDFIRST"));
    QCOMPARE(runs(fixture), 2);

    // 5 minutes left: a failed refresh is an error.
    now = expiry.addSecs(-5 * 60);
    credentials = provider.credentials();
    QVERIFY(!credentials.ok());
    QCOMPARE(runs(fixture), 3);
    QVERIFY2(credentials.error().message.contains(QStringLiteral("sso session expired")),
        qPrintable(credentials.error().message));
}

void tst_CredentialProviders::processRejectsExpiredCredentials()
{
    ConfigFixture fixture;
    const QString script = writeScript(fixture, QStringLiteral("p.sh"),
        printJson(processJson(QStringLiteral("AKID"), QStringLiteral("2020-01-01T00:00:00Z"))));
    ProcessCredentialsProvider provider(
        script, QStringLiteral("credential_process of test"), QStringLiteral("t"), fixture.environment);
    const Result<Credentials> credentials = provider.credentials();
    QVERIFY(!credentials.ok());
    QCOMPARE(credentials.error().kind, AwsError::Kind::Credentials);
    QVERIFY2(credentials.error().message.contains(QStringLiteral("expired at 2020-01-01T00:00:00Z")),
        qPrintable(credentials.error().message));
    // Expired keys are not kept: the next call runs the process again.
    QVERIFY(!provider.credentials().ok());
    QCOMPARE(runs(fixture), 2);
}

void tst_CredentialProviders::processRejectsBadOutput_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QString>("mentions");

    const QByteArray secret = secretKey.toUtf8();
    QTest::addRow("Version 2") << QByteArray("{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" + secret
        + "\"}") << QStringLiteral("has Version 2; only \"Version\": 1 is supported");
    QTest::addRow("no Version") << QByteArray("{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" + secret + "\"}")
                                << QStringLiteral("has no Version");
    QTest::addRow("Version as string") << QByteArray(
        "{\"Version\": \"1\", \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}")
                                       << QStringLiteral("Version \"1\"");
    QTest::addRow("not JSON") << QByteArray("AccessKeyId=A SecretAccessKey=" + secret)
                              << QStringLiteral("is not a JSON object");
    QTest::addRow("JSON array") << QByteArray("[1]") << QStringLiteral("not an object");
    QTest::addRow("nothing printed") << QByteArray() << QStringLiteral("is not a JSON object");
    QTest::addRow("no AccessKeyId") << QByteArray("{\"Version\": 1, \"SecretAccessKey\": \"" + secret + "\"}")
                                    << QStringLiteral("has no AccessKeyId");
    QTest::addRow("no SecretAccessKey") << QByteArray("{\"Version\": 1, \"AccessKeyId\": \"A\"}")
                                        << QStringLiteral("has no SecretAccessKey");
    QTest::addRow("AccessKeyId not a string")
        << QByteArray("{\"Version\": 1, \"AccessKeyId\": 5, \"SecretAccessKey\": \"s\"}")
        << QStringLiteral("AccessKeyId in its output is not a non-empty string");
    QTest::addRow("Expiration not a time") << QByteArray(
        "{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" + secret + "\", \"Expiration\": \"soon\"}")
                                           << QStringLiteral("Expiration in its output is not an ISO 8601 time");
}

void tst_CredentialProviders::processRejectsBadOutput()
{
    QFETCH(QByteArray, output);
    QFETCH(QString, mentions);

    ConfigFixture fixture;
    const QString script = writeScript(fixture, QStringLiteral("p.sh"), printJson(output));
    ProcessCredentialsProvider provider(script, QStringLiteral("credential_process of [profile dev] in /x/config"),
        QStringLiteral("t"), fixture.environment);
    const Result<Credentials> credentials = provider.credentials();
    QVERIFY(!credentials.ok());
    QCOMPARE(credentials.error().kind, AwsError::Kind::Credentials);
    QCOMPARE(credentials.error().code, QStringLiteral("CredentialProcessError"));
    QVERIFY2(credentials.error().message.startsWith(
                 QStringLiteral("The credential_process of [profile dev] in /x/config failed: ")),
        qPrintable(credentials.error().message));
    QVERIFY2(credentials.error().message.contains(mentions), qPrintable(credentials.error().message));
    verifyNoSecret(credentials.error().message);
}

void tst_CredentialProviders::processFailureHidesSecrets()
{
    ConfigFixture fixture;
    const QString script = writeScript(fixture, QStringLiteral("p.sh"),
        printJson(processJson(QStringLiteral("AKID"))) + "echo '' >&2\necho 'refresh failed: key " + secretKey.toUtf8()
            + " token " + sessionToken.toUtf8() + " rejected' >&2\necho 'second line' >&2\nexit 3\n");
    ProcessCredentialsProvider provider(
        script, QStringLiteral("credential_process of test"), QStringLiteral("t"), fixture.environment);
    const Result<Credentials> credentials = provider.credentials();
    QVERIFY(!credentials.ok());
    const QString message = credentials.error().message;
    QVERIFY2(message.contains(QStringLiteral("'p.sh' exited with code 3")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("refresh failed: key [redacted] token [redacted] rejected")),
        qPrintable(message));
    QVERIFY2(!message.contains(QStringLiteral("second line")), qPrintable(message));
    QVERIFY2(!message.contains(fixture.path(QStringLiteral("p.sh"))), qPrintable(message));
    verifyNoSecret(message);
}

void tst_CredentialProviders::processTimesOut()
{
    ConfigFixture fixture;
    const QString script = writeScript(fixture, QStringLiteral("p.sh"), "exec sleep 30\n");
    ProcessCredentialsProvider provider(
        script, QStringLiteral("credential_process of test"), QStringLiteral("t"), fixture.environment, {}, 300);
    const Result<Credentials> credentials = provider.credentials();
    QVERIFY(!credentials.ok());
    QVERIFY2(credentials.error().message.contains(QStringLiteral("did not finish within 0.3 seconds")),
        qPrintable(credentials.error().message));
}

void tst_CredentialProviders::processRunsWithoutShell()
{
    ConfigFixture fixture;
    const QString arguments = fixture.path(QStringLiteral("arguments"));
    const QString marker = fixture.path(QStringLiteral("marker"));
    const QString script = writeScript(fixture, QStringLiteral("p.sh"),
        "for a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + arguments.toUtf8() + "'; done\n"
            + printJson(processJson(QStringLiteral("AKID"))));
    const QString command = script + QStringLiteral(" 'a b' \"c\\\"d\" $HOME ; touch ") + marker;
    ProcessCredentialsProvider provider(
        command, QStringLiteral("credential_process of test"), QStringLiteral("t"), fixture.environment);
    const Result<Credentials> credentials = provider.credentials();
    QVERIFY2(credentials.ok(), errorText(credentials).constData());
    QFile file(arguments);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts),
        (QStringList {QStringLiteral("a b"), QStringLiteral("c\"d"), QStringLiteral("$HOME"), QStringLiteral(";"),
            QStringLiteral("touch"), marker}));
    QVERIFY(!QFile::exists(marker));
}

void tst_CredentialProviders::processGetsConnectionEnvironment()
{
    ConfigFixture fixture;
    fixture.set("PAGEWISE_TEST_ACCOUNT", QStringLiteral("FROMENV"));
    const QString script = writeScript(fixture, QStringLiteral("p.sh"),
        "printf '{\"Version\": 1, \"AccessKeyId\": \"AKID%s\", \"SecretAccessKey\": \"s\"}' "
        "\"$PAGEWISE_TEST_ACCOUNT\"");
    ProcessCredentialsProvider provider(
        script, QStringLiteral("credential_process of test"), QStringLiteral("t"), fixture.environment);
    const Result<Credentials> credentials = provider.credentials();
    QVERIFY2(credentials.ok(), errorText(credentials).constData());
    QCOMPARE(credentials.value().accessKeyId, QStringLiteral("AKIDFROMENV"));
    QVERIFY(credentials.value().sessionToken.isEmpty());
    QVERIFY(!credentials.value().expiration.isValid());
}

void tst_CredentialProviders::processCommandErrors_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("mentions");

    QTest::addRow("not in PATH") << QStringLiteral("pagewise-no-such-helper --profile dev")
                                 << QStringLiteral("'pagewise-no-such-helper' was not found in PATH");
    QTest::addRow("not executable") << QStringLiteral("/dev/null") << QStringLiteral("could not be started");
    QTest::addRow("unclosed quote") << QStringLiteral("helper 'dev") << QStringLiteral("a quote is not closed");
    QTest::addRow("empty") << QStringLiteral("   ") << QStringLiteral("the command is empty");
}

void tst_CredentialProviders::processCommandErrors()
{
    QFETCH(QString, command);
    QFETCH(QString, mentions);
    ConfigFixture fixture;
    ProcessCredentialsProvider provider(
        command, QStringLiteral("credential_process of test"), QStringLiteral("t"), fixture.environment);
    const Result<Credentials> credentials = provider.credentials();
    QVERIFY(!credentials.ok());
    QCOMPARE(credentials.error().kind, AwsError::Kind::Credentials);
    QVERIFY2(credentials.error().message.contains(mentions), qPrintable(credentials.error().message));
}

namespace
{

/// What a request answered, collected as it arrives.
struct Answer {
    explicit Answer(CredentialsRequest *request)
    {
        QObject::connect(request, &CredentialsRequest::finished, request, [this](const Result<Credentials> &result) {
            this->result = result;
            ++count;
        });
    }
    std::optional<Result<Credentials>> result;
    int count = 0;
};

/// A credential_process that answers `accessKey` after `seconds`: long enough to see callers wait.
struct SlowProcess {
    SlowProcess(const QByteArray &seconds, const QString &accessKey)
        : provider(
            writeScript(fixture, QStringLiteral("p.sh"), "sleep " + seconds + "\n" + printJson(processJson(accessKey))),
            QStringLiteral("credential_process of test"), QStringLiteral("t"), fixture.environment)
    {
    }
    ConfigFixture fixture;
    ProcessCredentialsProvider provider;
};

/// A script that records its pid, then becomes a long sleep (exec: killing the pid kills the sleep).
QString writeSleeper(const ConfigFixture &fixture)
{
    return writeScript(fixture, QStringLiteral("p.sh"),
        "echo $$ > '" + fixture.path(QStringLiteral("pid")).toUtf8() + ".tmp'\nmv '"
            + fixture.path(QStringLiteral("pid")).toUtf8() + ".tmp' '" + fixture.path(QStringLiteral("pid")).toUtf8()
            + "'\nexec sleep 30\n");
}

/// The pid the sleeper recorded, 0 until it has.
qint64 recordedPid(const ConfigFixture &fixture)
{
    QFile file(fixture.path(QStringLiteral("pid")));
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toLongLong() : 0;
}

bool processExists(qint64 pid)
{
    return ::kill(pid_t(pid), 0) == 0;
}

} // namespace

void tst_CredentialProviders::fetchKeepsTheEventLoopRunning()
{
    SlowProcess process("0.7", QStringLiteral("AKIDSLOW"));
    ProcessCredentialsProvider &provider = process.provider;
    QVERIFY(!provider.credentialsIfReady());

    QObject context;
    CredentialsRequest *request = provider.fetchCredentials(&context);
    QVERIFY(!request->isFinished());
    QVERIFY(provider.isFetching());
    // Started after fetchCredentials() returned: if the process had run inside it, the answer
    // would be queued before the first tick.
    int ticks = 0;
    int ticksBeforeAnswer = -1;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, &ticker, [&ticks] { ++ticks; });
    ticker.start(10);
    std::optional<Result<Credentials>> answer;
    connect(request, &CredentialsRequest::finished, &context, [&](const Result<Credentials> &credentials) {
        ticksBeforeAnswer = ticks;
        answer = credentials;
    });

    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10'000);
    QVERIFY2(ticksBeforeAnswer > 0, "the event loop did not run while the process did");
    QVERIFY2(answer->ok(), errorText(*answer).constData());
    QCOMPARE(answer->value().accessKeyId, QStringLiteral("AKIDSLOW"));
    QCOMPARE(answer->value().source, QStringLiteral("t"));
    QVERIFY(!provider.isFetching());
    QCOMPARE(runs(process.fixture), 1);

    // Cached now: at hand without waiting, and no second run, blocking or not.
    const std::optional<Result<Credentials>> ready = provider.credentialsIfReady();
    QVERIFY(ready && ready->ok());
    QCOMPARE(ready->value().accessKeyId, QStringLiteral("AKIDSLOW"));
    QCOMPARE(provider.credentials().value().accessKeyId, QStringLiteral("AKIDSLOW"));
    Answer cached(provider.fetchCredentials(&context));
    QVERIFY(!cached.result); // answers from the event loop, never inside fetchCredentials()
    QTRY_VERIFY(cached.result);
    QCOMPARE(cached.result->value().accessKeyId, QStringLiteral("AKIDSLOW"));
    QCOMPARE(runs(process.fixture), 1);
}

void tst_CredentialProviders::concurrentFetchesShareOneRun()
{
    SlowProcess process("0.5", QStringLiteral("AKIDSHARED"));
    ProcessCredentialsProvider &provider = process.provider;
    QObject context;
    QList<CredentialsRequest *> requests;
    for (int i = 0; i < 3; ++i)
        requests << provider.fetchCredentials(&context);
    Answer first(requests[0]);
    Answer second(requests[1]);
    Answer third(requests[2]);
    // All three wait while the one process runs.
    QVERIFY(provider.isFetching());
    for (const CredentialsRequest *request : std::as_const(requests))
        QVERIFY(!request->isFinished());

    QTRY_VERIFY_WITH_TIMEOUT(first.result && second.result && third.result, 10'000);
    for (const Answer *answer : {&first, &second, &third}) {
        QVERIFY2(answer->result->ok(), errorText(*answer->result).constData());
        QCOMPARE(answer->result->value().accessKeyId, QStringLiteral("AKIDSHARED"));
        QCOMPARE(answer->count, 1);
    }
    QCOMPARE(runs(process.fixture), 1);
}

void tst_CredentialProviders::cancellingOneWaiterKeepsTheRunForTheOthers()
{
    SlowProcess process("0.5", QStringLiteral("AKIDKEPT"));
    ProcessCredentialsProvider &provider = process.provider;
    QObject context;
    CredentialsRequest *cancelled = provider.fetchCredentials(&context);
    Answer withdrawn(cancelled);
    Answer kept(provider.fetchCredentials(&context));

    cancelled->cancel();
    QVERIFY(provider.isFetching());

    QTRY_VERIFY_WITH_TIMEOUT(kept.result, 10'000);
    QVERIFY2(kept.result->ok(), errorText(*kept.result).constData());
    QCOMPARE(kept.result->value().accessKeyId, QStringLiteral("AKIDKEPT"));
    QCOMPARE(withdrawn.count, 0);
    QCOMPARE(runs(process.fixture), 1);
}

void tst_CredentialProviders::cancellingStopsTheProcess_data()
{
    QTest::addColumn<QString>("how");
    QTest::addRow("cancel()") << QStringLiteral("cancel");
    QTest::addRow("request deleted") << QStringLiteral("delete");
    QTest::addRow("its parent deleted") << QStringLiteral("parent");
    QTest::addRow("provider destroyed") << QStringLiteral("provider");
}

void tst_CredentialProviders::cancellingStopsTheProcess()
{
    QFETCH(QString, how);
    ConfigFixture fixture;
    auto provider = std::make_unique<ProcessCredentialsProvider>(
        writeSleeper(fixture), QStringLiteral("credential_process of test"), QStringLiteral("t"), fixture.environment);
    auto context = std::make_unique<QObject>();
    QPointer<CredentialsRequest> request = provider->fetchCredentials(context.get());
    Answer answer(request);
    QTRY_VERIFY_WITH_TIMEOUT(recordedPid(fixture) > 0, 10'000);
    const qint64 pid = recordedPid(fixture);
    QVERIFY(processExists(pid));

    if (how == QLatin1String("cancel"))
        request->cancel();
    else if (how == QLatin1String("delete"))
        delete request;
    else if (how == QLatin1String("parent"))
        context.reset();
    else
        provider.reset();

    // Gone at once, not left running until its sleep ends.
    QVERIFY2(!processExists(pid), qPrintable(QStringLiteral("process %1 still runs").arg(pid)));
    if (provider)
        QVERIFY(!provider->isFetching());
    QVERIFY(!QTest::qWaitFor([&answer] { return answer.count > 0; }, 300));
    QCOMPARE(runs(fixture), 1);
}

void tst_CredentialProviders::fetchGivesTheSameErrorsAsCredentials_data()
{
    QTest::addColumn<QString>("command"); // SCRIPT stands for the script written from body
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<QString>("mentions");

    const int standard = ProcessCredentialsProvider::defaultTimeoutMs;
    QTest::addRow("non-zero exit") << QStringLiteral("SCRIPT") << QByteArray("echo 'sso session expired' >&2\nexit 4\n")
                                   << standard
                                   << QStringLiteral("'p.sh' exited with code 4; it said: sso session expired");
    QTest::addRow("bad JSON") << QStringLiteral("SCRIPT") << printJson("AccessKeyId=A") << standard
                              << QStringLiteral("its output is not a JSON object");
    QTest::addRow("Version 2") << QStringLiteral("SCRIPT")
                               << printJson("{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}")
                               << standard << QStringLiteral("has Version 2");
    QTest::addRow("timeout") << QStringLiteral("SCRIPT") << QByteArray("exec sleep 30\n") << 300
                             << QStringLiteral("'p.sh' did not finish within 0.3 seconds and was stopped");
    QTest::addRow("killed") << QStringLiteral("SCRIPT") << QByteArray("echo 'bye' >&2\nkill -9 $$\n") << standard
                            << QStringLiteral("'p.sh' was killed before it finished; it said: bye");
    QTest::addRow("floods its output") << QStringLiteral("SCRIPT") << QByteArray("exec head -c 3000000 /dev/zero\n")
                                       << standard << QStringLiteral("printed more than 1048576 bytes");
    QTest::addRow("expired keys") << QStringLiteral(
        "SCRIPT") << printJson(processJson(QStringLiteral("AKID"), QStringLiteral("2020-01-01T00:00:00Z")))
                                  << standard << QStringLiteral("expired at 2020-01-01T00:00:00Z");
    QTest::addRow("not in PATH") << QStringLiteral("pagewise-no-such-helper --profile dev") << QByteArray() << standard
                                 << QStringLiteral("'pagewise-no-such-helper' was not found in PATH");
    QTest::addRow("not executable") << QStringLiteral("/dev/null") << QByteArray() << standard
                                    << QStringLiteral("'null' could not be started");
    QTest::addRow("unclosed quote") << QStringLiteral("helper 'dev") << QByteArray() << standard
                                    << QStringLiteral("a quote is not closed");
}

void tst_CredentialProviders::fetchGivesTheSameErrorsAsCredentials()
{
    QFETCH(QString, command);
    QFETCH(QByteArray, body);
    QFETCH(int, timeoutMs);
    QFETCH(QString, mentions);

    ConfigFixture fixture;
    if (command == QLatin1String("SCRIPT"))
        command = writeScript(fixture, QStringLiteral("p.sh"), body);
    const QString description = QStringLiteral("credential_process of [profile dev] in /x/config");
    // One time for both: messages about expired keys say what time it is.
    const Clock clock = [] { return QDateTime(QDate(2025, 6, 1), QTime(12, 0), Qt::UTC); };
    ProcessCredentialsProvider blocking(
        command, description, QStringLiteral("t"), fixture.environment, clock, timeoutMs);
    ProcessCredentialsProvider fetching(
        command, description, QStringLiteral("t"), fixture.environment, clock, timeoutMs);

    const Result<Credentials> expected = blocking.credentials();
    QObject context;
    Answer answer(fetching.fetchCredentials(&context));
    QTRY_VERIFY_WITH_TIMEOUT(answer.result, 10'000);

    QVERIFY(!expected.ok());
    QVERIFY(!answer.result->ok());
    const AwsError &error = answer.result->error();
    QCOMPARE(error.message, expected.error().message);
    QCOMPARE(error.code, QStringLiteral("CredentialProcessError"));
    QCOMPARE(error.kind, AwsError::Kind::Credentials);
    QVERIFY2(error.message.startsWith(QStringLiteral("The credential_process of [profile dev] in /x/config failed: ")),
        qPrintable(error.message));
    QVERIFY2(error.message.contains(mentions), qPrintable(error.message));
    QVERIFY(!fetching.isFetching());
}

void tst_CredentialProviders::fetchFollowsTheRefreshRules()
{
    ConfigFixture fixture;
    const QString script = writeRefreshFailing(fixture);
    QDateTime now = expiry.addSecs(-3600);
    ProcessCredentialsProvider provider(script, QStringLiteral("credential_process of test"), QStringLiteral("t"),
        fixture.environment, [&now] { return now; });
    QObject context;
    auto fetch = [&provider, &context]() -> Result<Credentials> {
        Answer answer(provider.fetchCredentials(&context));
        if (!QTest::qWaitFor([&answer] { return answer.result.has_value(); }, 10'000))
            return AwsError {};
        return *answer.result;
    };

    Result<Credentials> credentials = fetch();
    QVERIFY2(credentials.ok(), errorText(credentials).constData());
    QCOMPARE(credentials.value().accessKeyId, QStringLiteral("AKIDFIRST"));
    QVERIFY(provider.credentialsIfReady()); // an hour left: no refresh due

    // 12 minutes left: a refresh is due; it fails, and the keys still have time, so they are used.
    now = expiry.addSecs(-12 * 60);
    QVERIFY(!provider.credentialsIfReady());
    credentials = fetch();
    QVERIFY2(credentials.ok(), errorText(credentials).constData());
    QCOMPARE(credentials.value().accessKeyId, QStringLiteral("AKIDFIRST"));
    QCOMPARE(runs(fixture), 2);

    // 5 minutes left: a failed refresh is an error.
    now = expiry.addSecs(-5 * 60);
    credentials = fetch();
    QVERIFY(!credentials.ok());
    QVERIFY2(credentials.error().message.contains(QStringLiteral("sso session expired")),
        qPrintable(credentials.error().message));
    QCOMPARE(runs(fixture), 3);
}

void tst_CredentialProviders::staticCredentialsAreAtHand()
{
    Credentials keys {QStringLiteral("AKIDSTATIC"), secretKey, {}, {}, QStringLiteral("environment")};
    StaticCredentialsProvider provider(keys);
    const std::optional<Result<Credentials>> ready = provider.credentialsIfReady();
    QVERIFY(ready && ready->ok());
    QCOMPARE(ready->value().accessKeyId, QStringLiteral("AKIDSTATIC"));

    // Through the default fetchCredentials(): the same answer, from the event loop.
    QObject context;
    CredentialsRequest *request = provider.fetchCredentials(&context);
    Answer answer(request);
    QVERIFY(!request->isFinished());
    QTRY_VERIFY(answer.result);
    QCOMPARE(answer.result->value().accessKeyId, QStringLiteral("AKIDSTATIC"));
    QCOMPARE(answer.count, 1);
}

void tst_CredentialProviders::redactsSecretLikeText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("known");
    QTest::addColumn<QString>("expected");

    QTest::addRow("secret key") << QStringLiteral("bad key ") + secretKey + QStringLiteral(".") << QStringList {}
                                << QStringLiteral("bad key [redacted].");
    QTest::addRow("short words kept") << QStringLiteral("profile dev: token expired at 12:00") << QStringList {}
                                      << QStringLiteral("profile dev: token expired at 12:00");
    QTest::addRow("31 characters kept") << QString(31, QLatin1Char('a')) << QStringList {}
                                        << QString(31, QLatin1Char('a'));
    QTest::addRow("32 characters masked")
        << QString(32, QLatin1Char('a')) << QStringList {} << QStringLiteral("[redacted]");
    QTest::addRow("known short secret") << QStringLiteral("token tok-3141 bad") << QStringList {sessionToken}
                                        << QStringLiteral("token [redacted] bad");
    QTest::addRow("path with dots kept") << QStringLiteral("/home/user/.aws/cli/cache/abc.json") << QStringList {}
                                         << QStringLiteral("/home/user/.aws/cli/cache/abc.json");
}

void tst_CredentialProviders::redactsSecretLikeText()
{
    QFETCH(QString, text);
    QFETCH(QStringList, known);
    QFETCH(QString, expected);
    QCOMPARE(redactSecretLike(text, known), expected);
}

QTEST_GUILESS_MAIN(tst_CredentialProviders)
#include "tst_credentialproviders.moc"
