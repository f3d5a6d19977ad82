#include "aws/config/sharedconfig.h"
#include "configfixture.h"

#include <QDir>
#include <QTest>

using namespace pagewise;
using pagewise::testing::ConfigFixture;

class tst_SharedConfig : public QObject
{
    Q_OBJECT

private slots:
    void findsProfilesAsBotocore();
    void laterSectionOfSameProfileWins();
    void mergesCredentialsFileOverConfigFile();
    void readsServicesSections();
    void resolvesFilePaths_data();
    void resolvesFilePaths();
    void reportsUnreadableFiles();
};

void tst_SharedConfig::findsProfilesAsBotocore()
{
    // Expected names are botocore's configloader.build_profile_map for the same file.
    ConfigFixture fixture;
    fixture.writeConfig(
        "[profile dev]\nk=1\n[profile   spaced]\nk=1\n[profile \"two words\"]\nk=1\n[profile a b]\nk=1\n"
        "[profiledev x]\nk=1\n[profile]\nk=1\n[profile 'unclosed]\nk=1\n[ profile y ]\nk=1\n"
        "[preview]\nk=1\n[services s]\nk=1\n[default]\nk=1\n[sso-session z]\nk=1\n[profiles q]\nk=1\n");
    const SharedConfig config = SharedConfig::load(fixture.environment);
    QVERIFY(!config.error());
    QCOMPARE(config.profileNames(),
        (QStringList {QStringLiteral("default"), QStringLiteral("dev"), QStringLiteral("q"), QStringLiteral("spaced"),
            QStringLiteral("two words"), QStringLiteral("x")}));
    QVERIFY(config.hasServices(QStringLiteral("s")));
    QVERIFY(!config.hasProfile(QStringLiteral("preview")));
    QVERIFY(!config.hasProfile(QStringLiteral("s")));
    QCOMPARE(config.configProfile(QStringLiteral("two words")).value(QStringLiteral("k")).value, QStringLiteral("1"));

    // In the credentials file every section is a profile, named exactly as written.
    fixture.writeCredentials("[profile odd]\n[plain]\n");
    const SharedConfig withCredentials = SharedConfig::load(fixture.environment);
    QVERIFY(withCredentials.hasCredentialsProfile(QStringLiteral("profile odd")));
    QVERIFY(withCredentials.hasProfile(QStringLiteral("plain")));
    QVERIFY(!withCredentials.hasProfile(QStringLiteral("odd")));
}

void tst_SharedConfig::laterSectionOfSameProfileWins()
{
    ConfigFixture fixture;
    fixture.writeConfig("[default]\nregion = us-east-1\noutput = json\n[profile default]\nregion = eu-west-1\n");
    const SharedConfig config = SharedConfig::load(fixture.environment);
    const ConfigSection profile = config.profile(QStringLiteral("default"));
    QCOMPARE(profile.value(QStringLiteral("region")).value, QStringLiteral("eu-west-1"));
    QVERIFY(!profile.contains(QStringLiteral("output")));
}

void tst_SharedConfig::mergesCredentialsFileOverConfigFile()
{
    ConfigFixture fixture;
    fixture.writeConfig("[profile dev]\nregion = us-east-1\noutput = json\n");
    fixture.writeCredentials("[dev]\nregion = eu-west-1\naws_access_key_id = AKID\n");
    const SharedConfig config = SharedConfig::load(fixture.environment);
    const ConfigSection merged = config.profile(QStringLiteral("dev"));
    QCOMPARE(merged.value(QStringLiteral("region")).value, QStringLiteral("eu-west-1"));
    QCOMPARE(merged.value(QStringLiteral("output")).value, QStringLiteral("json"));
    QCOMPARE(merged.value(QStringLiteral("aws_access_key_id")).value, QStringLiteral("AKID"));
    QCOMPARE(config.originOf(QStringLiteral("dev"), QStringLiteral("region")), fixture.credentialsPath());
    QCOMPARE(config.originOf(QStringLiteral("dev"), QStringLiteral("output")), fixture.configPath());
    // The single-file views stay apart.
    QCOMPARE(
        config.configProfile(QStringLiteral("dev")).value(QStringLiteral("region")).value, QStringLiteral("us-east-1"));
    QVERIFY(!config.configProfile(QStringLiteral("dev")).contains(QStringLiteral("aws_access_key_id")));
    QVERIFY(!config.credentialsProfile(QStringLiteral("dev")).contains(QStringLiteral("output")));
}

void tst_SharedConfig::readsServicesSections()
{
    ConfigFixture fixture;
    fixture.writeConfig(
        "[profile dev]\nservices = local-emulator\n[services local-emulator]\nsagemaker =\n"
        "  endpoint_url = http://localhost:4566\npersonalize =\n  endpoint_url = http://localhost:4567\n");
    const SharedConfig config = SharedConfig::load(fixture.environment);
    QVERIFY(config.hasServices(QStringLiteral("local-emulator")));
    const ConfigSection services = config.services(QStringLiteral("local-emulator"));
    QVERIFY(services.value(QStringLiteral("sagemaker")).isSubsection);
    QCOMPARE(services.value(QStringLiteral("sagemaker")).subsection.value(QStringLiteral("endpoint_url")),
        QStringLiteral("http://localhost:4566"));
    QCOMPARE(services.value(QStringLiteral("personalize")).subsection.value(QStringLiteral("endpoint_url")),
        QStringLiteral("http://localhost:4567"));
    QVERIFY(!config.hasServices(QStringLiteral("other")));
}

void tst_SharedConfig::resolvesFilePaths_data()
{
    QTest::addColumn<QString>("configured");
    QTest::addColumn<QString>("expected");

    QTest::addRow("unset: under the home directory") << QString() << QStringLiteral("HOME/.aws/config");
    QTest::addRow("tilde") << QStringLiteral("~/custom/config") << QStringLiteral("HOME/custom/config");
    QTest::addRow("variable") << QStringLiteral("$CONFIG_DIR/config") << QStringLiteral("/etc/aws/config");
    QTest::addRow("braced variable") << QStringLiteral("${CONFIG_DIR}x") << QStringLiteral("/etc/awsx");
    QTest::addRow("unknown variable kept") << QStringLiteral("/a/$NOPE/b") << QStringLiteral("/a/$NOPE/b");
    QTest::addRow("other user's home kept") << QStringLiteral("~root/config") << QStringLiteral("~root/config");
}

void tst_SharedConfig::resolvesFilePaths()
{
    QFETCH(QString, configured);
    QFETCH(QString, expected);
    ConfigFixture fixture;
    fixture.set("CONFIG_DIR", QStringLiteral("/etc/aws"));
    if (configured.isEmpty())
        fixture.environment.variables.remove(QStringLiteral("AWS_CONFIG_FILE"));
    else
        fixture.set("AWS_CONFIG_FILE", configured);
    const SharedConfig config = SharedConfig::load(fixture.environment);
    QCOMPARE(config.configPath(), QString(expected).replace(QStringLiteral("HOME"), fixture.environment.homeDir));
}

void tst_SharedConfig::reportsUnreadableFiles()
{
    ConfigFixture fixture;
    fixture.writeConfig("[default]\nregion\n");
    fixture.writeCredentials("[from-credentials]\n");
    SharedConfig config = SharedConfig::load(fixture.environment);
    QVERIFY(config.error());
    QCOMPARE(config.error()->kind, AwsError::Kind::Configuration);
    QVERIFY(config.error()->message.contains(fixture.configPath() + QStringLiteral(", line 2")));
    QCOMPARE(config.profileNames(), QStringList {QStringLiteral("from-credentials")});

    fixture.writeConfig("[default]\n");
    fixture.writeCredentials("[a]\n[a]\n");
    config = SharedConfig::load(fixture.environment);
    QVERIFY(config.error());
    QCOMPARE(config.error()->kind, AwsError::Kind::Credentials);
    QVERIFY(config.error()->message.contains(fixture.credentialsPath() + QStringLiteral(", line 2")));
    QCOMPARE(config.profileNames(), QStringList {QStringLiteral("default")});
}

QTEST_APPLESS_MAIN(tst_SharedConfig)
#include "tst_sharedconfig.moc"
