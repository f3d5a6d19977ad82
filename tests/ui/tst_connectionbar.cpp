#include "aws/config/credentialsrequest.h"
#include "credentialdoubles.h"
#include "shownlabeltext.h"
#include "ui/connectionbar.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace pagewise;
using pagewise::testsupport::DeferredCredentials;
using pagewise::testsupport::FixedCredentials;

namespace
{

/// What a blocking credentials() call would get: the bar must never make one.
Result<Credentials> mustNotBlock()
{
    AwsError error;
    error.message = QStringLiteral("the connection bar must not block");
    return error;
}

Connection connectionWith(std::shared_ptr<CredentialsProvider> provider)
{
    Connection connection;
    connection.profile = QStringLiteral("dev");
    connection.region = QStringLiteral("eu-west-1");
    connection.credentials = std::move(provider);
    return connection;
}

Connection connectionWith(Result<Credentials> credentials)
{
    return connectionWith(std::make_shared<FixedCredentials>(std::move(credentials)));
}

Credentials sampleCredentials()
{
    Credentials credentials;
    credentials.accessKeyId = QStringLiteral("AKIAIOSFODNN7EXAMPLE");
    credentials.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    credentials.sessionToken = QStringLiteral("FwoGZXIvYXdzEXAMPLETOKEN");
    credentials.source = QStringLiteral("environment");
    return credentials;
}

} // namespace

class tst_ConnectionBar : public QObject
{
    Q_OBJECT

private slots:
    void plainHttpOffLoopback_data();
    void plainHttpOffLoopback();
    void showsMaskedKeyAndSourceNeverTheSecret();
    void warnsAboutPlainHttpToAnotherHost();
    void noWarningForHttpsOrLoopback();
    void credentialErrorsAreShownInWords();
    void messagesFromOutsideShowLiterally();
    void showsResolvingUntilFetchedCredentialsArrive();
    void showsTheErrorOfFetchedCredentials();
    void aNewConnectionDropsTheWait();
    void aConnectionErrorDropsTheWait();
    void optionsRoundTrip();
    void switchingProfileRequestsAConnection();
};

void tst_ConnectionBar::plainHttpOffLoopback_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("warn");
    QTest::addRow("loopback v4") << "http://127.0.0.1:4566" << false;
    QTest::addRow("loopback v4 range") << "http://127.10.0.3:80" << false;
    QTest::addRow("loopback v6") << "http://[::1]:4566" << false;
    QTest::addRow("localhost") << "http://localhost:4566" << false;
    QTest::addRow("prefixed localhost") << "http://management.localhost:4566/" << false;
    QTest::addRow("https elsewhere") << "https://deadline.us-east-1.amazonaws.com" << false;
    QTest::addRow("http lan address") << "http://192.168.1.20:4566" << true;
    QTest::addRow("http host name") << "http://emulator.internal:4566" << true;
    QTest::addRow("HTTP upper case") << "HTTP://10.0.0.1" << true;
    QTest::addRow("localhost lookalike") << "http://localhost.example.com" << true;
}

void tst_ConnectionBar::plainHttpOffLoopback()
{
    QFETCH(QString, url);
    QFETCH(bool, warn);
    QCOMPARE(ConnectionBar::isPlainHttpOffLoopback(QUrl(url)), warn);
}

void tst_ConnectionBar::showsMaskedKeyAndSourceNeverTheSecret()
{
    ConnectionBar bar;
    const Credentials credentials = sampleCredentials();
    bar.showConnection(
        connectionWith(credentials), {QUrl(QStringLiteral("https://api.sagemaker.eu-west-1.amazonaws.com"))});
    const QString text = bar.credentialsText();
    QVERIFY2(text.contains(QStringLiteral("AKIA…MPLE")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("environment")));
    for (QLabel *label : bar.findChildren<QLabel *>()) {
        QVERIFY(!label->text().contains(credentials.accessKeyId));
        QVERIFY(!label->text().contains(credentials.secretAccessKey));
        QVERIFY(!label->text().contains(credentials.sessionToken));
        QVERIFY(!label->toolTip().contains(credentials.secretAccessKey));
    }
    QVERIFY(bar.warningText().isEmpty());
    QVERIFY(bar.errorText().isEmpty());
}

void tst_ConnectionBar::warnsAboutPlainHttpToAnotherHost()
{
    ConnectionBar bar;
    bar.show();
    bar.showConnection(connectionWith(sampleCredentials()),
        {QUrl(QStringLiteral("http://10.1.2.3:4566")), QUrl(QStringLiteral("https://secure.example"))});
    QVERIFY(bar.warningText().contains(QStringLiteral("10.1.2.3")));
    QVERIFY(bar.warningText().contains(QStringLiteral("unencrypted")));
    QVERIFY(!bar.warningText().contains(QStringLiteral("secure.example")));
}

void tst_ConnectionBar::noWarningForHttpsOrLoopback()
{
    ConnectionBar bar;
    bar.show();
    bar.showConnection(connectionWith(sampleCredentials()), {QUrl(QStringLiteral("http://10.1.2.3:4566"))});
    QVERIFY(!bar.warningText().isEmpty());
    bar.showConnection(connectionWith(sampleCredentials()),
        {QUrl(QStringLiteral("http://127.0.0.1:4566")), QUrl(QStringLiteral("https://a.example"))});
    QVERIFY(bar.warningText().isEmpty());
}

void tst_ConnectionBar::credentialErrorsAreShownInWords()
{
    ConnectionBar bar;
    bar.show();
    AwsError error;
    error.kind = AwsError::Kind::Credentials;
    error.message = QStringLiteral("No credentials found: looked at the environment and profile dev");
    bar.showConnection(connectionWith(error), {});
    QVERIFY(bar.errorText().contains(error.message));

    bar.showError(QStringLiteral("The config profile (nope) could not be found"));
    QVERIFY(bar.errorText().contains(QStringLiteral("nope")));
    bar.showConnection(connectionWith(sampleCredentials()), {});
    QVERIFY(bar.errorText().isEmpty());
}

void tst_ConnectionBar::messagesFromOutsideShowLiterally()
{
    ConnectionBar bar;
    bar.show();
    // What a credential_process printed, or an identity provider's HTML error page
    AwsError error;
    error.kind = AwsError::Kind::Credentials;
    error.message = QStringLiteral("<h1>x</h1><a href=\"https://sso.example.invalid/\">sign in</a>");
    bar.showConnection(connectionWith(error), {});
    const auto *errorLabel = bar.findChild<QLabel *>(QStringLiteral("error"));
    QVERIFY(errorLabel && errorLabel->isVisible());
    QVERIFY2(uitest::shownText(errorLabel).contains(error.message), qPrintable(uitest::shownText(errorLabel)));

    bar.showError(QStringLiteral("<b>profile</b> <i>dev</i> not found"));
    QVERIFY(uitest::shownText(errorLabel).contains(QStringLiteral("<b>profile</b> <i>dev</i> not found")));

    // A credential source named by a config file
    Credentials credentials = sampleCredentials();
    credentials.source = QStringLiteral("<u>process</u>");
    bar.showConnection(connectionWith(credentials), {});
    const auto *credentialsLabel = bar.findChild<QLabel *>(QStringLiteral("credentials"));
    QVERIFY(uitest::shownText(credentialsLabel).contains(QStringLiteral("<u>process</u>")));
}

void tst_ConnectionBar::showsResolvingUntilFetchedCredentialsArrive()
{
    ConnectionBar bar;
    bar.show();
    auto provider = std::make_shared<DeferredCredentials>(mustNotBlock());
    bar.showConnection(connectionWith(provider), {});

    QCOMPARE(bar.credentialsText(), QStringLiteral("Resolving credentials…"));
    QVERIFY(bar.isResolvingCredentials());
    QVERIFY(bar.errorText().isEmpty());
    QCOMPARE(provider->pending.size(), 1);

    provider->pending.first()->finish(sampleCredentials());
    QCOMPARE(bar.credentialsText(), QStringLiteral("Credentials: AKIA…MPLE (environment)"));
    QVERIFY(!bar.isResolvingCredentials());
    QVERIFY(bar.errorText().isEmpty());
}

void tst_ConnectionBar::showsTheErrorOfFetchedCredentials()
{
    ConnectionBar bar;
    bar.show();
    auto provider = std::make_shared<DeferredCredentials>(mustNotBlock());
    bar.showConnection(connectionWith(provider), {});
    AwsError error;
    error.kind = AwsError::Kind::Credentials;
    error.message
        = QStringLiteral("The credential_process of [profile dev] in config failed: 'sso' exited with code 1");
    provider->pending.first()->finish(error);

    QCOMPARE(bar.credentialsText(), QStringLiteral("No credentials"));
    QCOMPARE(bar.errorText(), QStringLiteral("Cannot connect: ") + error.message);
    QVERIFY(!bar.isResolvingCredentials());
}

void tst_ConnectionBar::aNewConnectionDropsTheWait()
{
    ConnectionBar bar;
    bar.show();
    auto slow = std::make_shared<DeferredCredentials>(mustNotBlock());
    bar.showConnection(connectionWith(slow), {});
    bar.showConnection(connectionWith(sampleCredentials()), {});

    QCOMPARE(slow->withdrawn, 1);
    QCOMPARE(bar.credentialsText(), QStringLiteral("Credentials: AKIA…MPLE (environment)"));
    QVERIFY(!bar.isResolvingCredentials());
    // A late answer for the old connection changes nothing.
    if (CredentialsRequest *late = slow->pending.first())
        late->finish(AwsError {});
    QCOMPARE(bar.credentialsText(), QStringLiteral("Credentials: AKIA…MPLE (environment)"));
    QVERIFY(bar.errorText().isEmpty());
}

void tst_ConnectionBar::aConnectionErrorDropsTheWait()
{
    ConnectionBar bar;
    bar.show();
    auto slow = std::make_shared<DeferredCredentials>(mustNotBlock());
    bar.showConnection(connectionWith(slow), {});
    bar.showError(QStringLiteral("The profile 'nope' does not exist"));

    QCOMPARE(slow->withdrawn, 1);
    QVERIFY(!bar.isResolvingCredentials());
    QVERIFY(bar.credentialsText().isEmpty());
    QVERIFY(bar.errorText().contains(QStringLiteral("nope")));
}

void tst_ConnectionBar::optionsRoundTrip()
{
    ConnectionBar bar;
    bar.setProfiles({QStringLiteral("default"), QStringLiteral("dev"), QStringLiteral("prod")});
    ConnectionOptions options;
    options.profile = QStringLiteral("dev");
    options.region = QStringLiteral("ap-south-1");
    options.endpointUrl = QStringLiteral("http://127.0.0.1:4566");
    bar.setOptions(options);
    const ConnectionOptions back = bar.options();
    QCOMPARE(back.profile, options.profile);
    QCOMPARE(back.region, options.region);
    QCOMPARE(back.endpointUrl, options.endpointUrl);
    QVERIFY(!back.credentials);

    bar.setOptions(ConnectionOptions {});
    QCOMPARE(bar.options().profile, QString()); // the default chain
}

void tst_ConnectionBar::switchingProfileRequestsAConnection()
{
    ConnectionBar bar;
    bar.setProfiles({QStringLiteral("default"), QStringLiteral("dev")});
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    QSignalSpy spy(&bar, &ConnectionBar::connectRequested);
    auto *profile = bar.findChild<QComboBox *>(QStringLiteral("profile"));
    QVERIFY(profile);
    profile->setFocus();
    QTest::keyClick(profile, Qt::Key_Down);
    QTRY_COMPARE(spy.size(), 1);
    QCOMPARE(spy.first().first().value<ConnectionOptions>().profile, profile->currentData().toString());

    auto *endpoint = bar.findChild<QLineEdit *>(QStringLiteral("endpointUrl"));
    endpoint->setFocus();
    QTest::keyClicks(endpoint, QStringLiteral("http://127.0.0.1:1"));
    QTest::keyClick(endpoint, Qt::Key_Return);
    QCOMPARE(spy.size(), 2);
    QCOMPARE(spy.last().first().value<ConnectionOptions>().endpointUrl, QStringLiteral("http://127.0.0.1:1"));
}

QTEST_MAIN(tst_ConnectionBar)
#include "tst_connectionbar.moc"
