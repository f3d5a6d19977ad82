// HTTPS to the emulator with a certificate made for the test: refused with a clear certificate
// error until the CA is trusted through AWS_CA_BUNDLE or the profile's ca_bundle.
#include "aws/http/awsclient.h"
#include "integrationsupport.h"
#include "kinds/resourcekind.h"
#include "paging/paginator.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QSignalSpy>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pagewise;
using namespace pagewise::testing;
using namespace pagewise::testsupport;
using namespace Qt::StringLiterals;

namespace
{

constexpr int kImages = 30;

/// Runs the openssl command line tool in `directory`; false and *error on failure.
bool openssl(const QString &directory, const QStringList &arguments, QString *error)
{
    QProcess process;
    process.setWorkingDirectory(directory);
    process.start(u"openssl"_s, arguments);
    if (!process.waitForFinished(60'000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error
            = u"openssl %1 failed: %2"_s.arg(arguments.join(u' '), QString::fromUtf8(process.readAllStandardError()));
        return false;
    }
    return true;
}

/// A CA (ca.pem) and a server certificate for 127.0.0.1 signed by it (server.pem, server.key),
/// plus an unrelated CA (other-ca.pem), all short-lived EC P-256.
bool makeCertificates(const QString &directory, QString *error)
{
    const QStringList ecKey {u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s};
    QFile extensions(QDir(directory).filePath(u"server.ext"_s));
    if (!extensions.open(QIODevice::WriteOnly))
        return false;
    extensions.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n"
                     "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
    extensions.close();
    const QStringList caExtensions {
        u"-addext"_s, u"basicConstraints=critical,CA:TRUE"_s, u"-addext"_s, u"keyUsage=critical,keyCertSign,cRLSign"_s};
    return openssl(directory,
               QStringList {u"req"_s, u"-x509"_s} + ecKey
                   + QStringList {u"-keyout"_s, u"ca.key"_s, u"-out"_s, u"ca.pem"_s, u"-days"_s, u"2"_s, u"-subj"_s,
                       u"/CN=Pagewise Test CA"_s}
                   + caExtensions,
               error)
        && openssl(directory,
            QStringList {u"req"_s, u"-x509"_s} + ecKey
                + QStringList {u"-keyout"_s, u"other-ca.key"_s, u"-out"_s, u"other-ca.pem"_s, u"-days"_s, u"2"_s,
                    u"-subj"_s, u"/CN=Some Other CA"_s}
                + caExtensions,
            error)
        && openssl(directory,
            QStringList {u"req"_s} + ecKey
                + QStringList {u"-keyout"_s, u"server.key"_s, u"-out"_s, u"server.csr"_s, u"-subj"_s,
                    u"/CN=127.0.0.1"_s},
            error)
        && openssl(directory,
            {u"x509"_s, u"-req"_s, u"-in"_s, u"server.csr"_s, u"-CA"_s, u"ca.pem"_s, u"-CAkey"_s, u"ca.key"_s,
                u"-CAcreateserial"_s, u"-out"_s, u"server.pem"_s, u"-days"_s, u"2"_s, u"-extfile"_s, u"server.ext"_s},
            error);
}

} // namespace

class tst_Tls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void clientRefusesUntilTheCaIsTrusted_data();
    void clientRefusesUntilTheCaIsTrusted();
    void exportRefusesUntilTheCaIsTrusted_data();
    void exportRefusesUntilTheCaIsTrusted();

private:
    QString file(const QString &name) const { return m_directory.filePath(name); }

    QTemporaryDir m_directory;
    std::unique_ptr<LoopbackEmulator> m_emulator;
};

void tst_Tls::initTestCase()
{
    QLoggingCategory::setFilterRules(u"pagewise.*.debug=false"_s);
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here");
    if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
        QSKIP("the openssl command is not installed (run.sh installs it): cannot make a test certificate");
    QVERIFY(m_directory.isValid());
    QString error;
    QVERIFY2(makeCertificates(m_directory.path(), &error), qPrintable(error));

    EmulatorConfig config = smallEmulatorConfig({.images = kImages, .datasetGroups = 1, .datasets = 5, .sessions = 5});
    config.tlsCertificateFile = file(u"server.pem"_s);
    config.tlsKeyFile = file(u"server.key"_s);
    m_emulator = std::make_unique<LoopbackEmulator>(config);
    QVERIFY2(m_emulator->start(&error), qPrintable(error));
    QCOMPARE(m_emulator->url().scheme(), u"https"_s);
}

void tst_Tls::clientRefusesUntilTheCaIsTrusted_data()
{
    QTest::addColumn<QString>("caBundle"); ///< file in the test directory, "" for none
    QTest::addColumn<QString>("error"); ///< "" when the listing must succeed
    QTest::addRow("no CA bundle") << QString() << u"certificate not trusted for host 127.0.0.1"_s;
    QTest::addRow("a bundle with another CA") << u"other-ca.pem"_s << u"certificate not trusted for host 127.0.0.1"_s;
    QTest::addRow("a bundle that does not exist") << u"missing.pem"_s << u"cannot read the CA bundle"_s;
    QTest::addRow("the test CA") << u"ca.pem"_s << QString();
}

void tst_Tls::clientRefusesUntilTheCaIsTrusted()
{
    QFETCH(QString, caBundle);
    QFETCH(QString, error);

    Connection connection = loopbackConnection(m_emulator->url(), 3);
    if (!caBundle.isEmpty())
        connection.caBundle = file(caBundle);
    AwsClient client(connection);
    const ResourceKind &images = *findResourceKind(u"images"_s);
    if (error.isEmpty()) {
        QCOMPARE(listKeys(client, images, {u"images"_s, {}, 7, {}, {}}).size(), kImages);
        return;
    }

    Paginator paginator(&client, images, {u"images"_s, {}, 7, {}, {}});
    QSignalSpy failed(&paginator, &PageFetcher::pageFailed);
    paginator.fetchNext();
    QVERIFY(failed.wait(30'000));
    const AwsError failure = failed.constFirst().constFirst().value<AwsError>();
    QVERIFY2(failure.message.contains(error), qPrintable(failure.message));
    QVERIFY2(failure.message.contains(u"AWS_CA_BUNDLE"_s), qPrintable(failure.message));
    QVERIFY(failure.kind == AwsError::Kind::Tls || failure.kind == AwsError::Kind::Configuration);
    QVERIFY(failure.attempts <= 1); // a certificate does not become trusted by retrying
}

void tst_Tls::exportRefusesUntilTheCaIsTrusted_data()
{
    QTest::addColumn<QString>("environmentBundle"); ///< AWS_CA_BUNDLE, "" for unset
    QTest::addColumn<QString>("profileBundle"); ///< ca_bundle in the config file, "" for none
    QTest::addColumn<bool>("trusted");
    QTest::addRow("untrusted") << QString() << QString() << false;
    QTest::addRow("AWS_CA_BUNDLE") << u"ca.pem"_s << QString() << true;
    QTest::addRow("profile ca_bundle") << QString() << u"ca.pem"_s << true;
    QTest::addRow("AWS_CA_BUNDLE wins over ca_bundle") << u"other-ca.pem"_s << u"ca.pem"_s << false;
}

void tst_Tls::exportRefusesUntilTheCaIsTrusted()
{
    QFETCH(QString, environmentBundle);
    QFETCH(QString, profileBundle);
    QFETCH(bool, trusted);

    QTemporaryDir home;
    QDir().mkpath(home.filePath(u".aws"_s));
    QFile config(home.filePath(u".aws/config"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("[default]\nregion = us-east-1\n");
    if (!profileBundle.isEmpty())
        config.write("ca_bundle = " + file(profileBundle).toUtf8() + '\n');
    config.close();
    QProcessEnvironment environment = isolatedEnvironment(home.path(), exampleCredentials());
    if (!environmentBundle.isEmpty())
        environment.insert(u"AWS_CA_BUNDLE"_s, file(environmentBundle));

    const ProcessResult result = runExport(
        {u"images"_s, u"--endpoint-url"_s, m_emulator->url().toString(), u"--columns"_s, u"ImageName"_s}, environment);
    QVERIFY(result.finished);
    const QString messages = QString::fromUtf8(result.standardError);
    if (trusted) {
        QVERIFY2(result.exitCode == 0, qPrintable(messages));
        QCOMPARE(csvFirstColumn(result.standardOutput).size(), kImages);
        return;
    }
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(messages.contains(u"certificate not trusted for host 127.0.0.1"_s), qPrintable(messages));
    QVERIFY2(messages.contains(u"set AWS_CA_BUNDLE or the profile's ca_bundle"_s), qPrintable(messages));
    QCOMPARE(csvFirstColumn(result.standardOutput).size(), 0);
}

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_tls.moc"
