// `pagewise export` (the real binary) against the emulator's fault injection: every item exactly
// once and in order through throttling and 5xx; when attempts run out, or a connection drops or a
// body is malformed, a clear error naming the page, exactly the rows before it written, and a
// --starting-token that continues from the failed page.
#include "aws/http/awsclient.h"
#include "integrationsupport.h"
#include "kinds/resourcekind.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace pagewise;
using namespace pagewise::testing;
using namespace pagewise::testsupport;
using namespace Qt::StringLiterals;

namespace
{

constexpr int kPageSize = 100;

QStringList exportArguments(const QUrl &endpoint)
{
    return {u"images"_s, u"--region"_s, u"us-east-1"_s, u"--endpoint-url"_s, endpoint.toString(), u"--page-size"_s,
        QString::number(kPageSize), u"--columns"_s, u"ImageArn"_s};
}

/// Every image key in listing order, fetched without faults.
QStringList imageKeys(const QUrl &endpoint)
{
    AwsClient client(loopbackConnection(endpoint));
    return listKeys(client, *findResourceKind(u"images"_s), {u"images"_s, {}, kPageSize, {}, {}});
}

/// The --starting-token the CLI suggests after a failure ("" when none).
QString suggestedToken(const QString &messages)
{
    static const QRegularExpression pattern(u"--starting-token (\\S+)"_s);
    return pattern.match(messages).captured(1);
}

} // namespace

class tst_ExportFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyItemOnceInOrderThroughThrottlingAnd5xx();
    void failedPageIsReportedAndTheTokenContinues_data();
    void failedPageIsReportedAndTheTokenContinues();

private:
    QProcessEnvironment environment(int maxAttempts) const;

    QTemporaryDir m_home;
};

void tst_ExportFaults::initTestCase()
{
    QLoggingCategory::setFilterRules(u"pagewise.*.debug=false"_s);
    QVERIFY(m_home.isValid());
}

QProcessEnvironment tst_ExportFaults::environment(int maxAttempts) const
{
    QProcessEnvironment environment = isolatedEnvironment(m_home.path(), exampleCredentials());
    environment.insert(u"AWS_MAX_ATTEMPTS"_s, QString::number(maxAttempts));
    environment.insert(u"AWS_RETRY_MODE"_s, u"standard"_s);
    // Asked for in the hardening issue; harmless if the CLI does not read it (see below).
    environment.insert(u"PAGEWISE_BACKOFF_SCALE"_s, u"0"_s);
    return environment;
}

void tst_ExportFaults::everyItemOnceInOrderThroughThrottlingAnd5xx()
{
    // The CLI has no way to shorten botocore's backoff (about a second per failed attempt on
    // average at these rates), so a 20,000-item run would wait minutes; unless it learns one, a
    // listing of ten pages goes through the same fault mix.
    const bool backoffScalable
        = runExport({u"--help"_s}, environment(1)).standardOutput.contains("PAGEWISE_BACKOFF_SCALE");
    const int images = backoffScalable ? 20'000 : 1'000;
    LoopbackEmulator loopback(
        smallEmulatorConfig({.images = images, .datasetGroups = 1, .datasets = 5, .sessions = 5}));
    QString error;
    QVERIFY2(loopback.start(&error), qPrintable(error));
    Emulator &emulator = loopback.emulator();
    const QStringList expected = imageKeys(emulator.url());
    QCOMPARE(expected.size(), images);

    EmulatorFaults faults;
    faults.throttleRate = 0.3;
    faults.errorRate = 0.1;
    faults.latencyMs = 1;
    faults.jitterMs = 4;
    faults.faultSeed = 5;
    emulator.setFaults(faults);
    emulator.resetStats();
    const ProcessResult result = runExport(exportArguments(emulator.url()), environment(10), 600'000);
    QVERIFY(result.finished);
    QVERIFY2(result.exitCode == 0, result.standardError.constData());
    QCOMPARE(csvFirstColumn(result.standardOutput), expected);
    QVERIFY2(emulator.stats().faults >= 2, qPrintable(u"%1 faults"_s.arg(emulator.stats().faults)));
}

void tst_ExportFaults::failedPageIsReportedAndTheTokenContinues_data()
{
    QTest::addColumn<EmulatorFaults>("faults");
    QTest::addColumn<int>("maxAttempts");
    QTest::addColumn<QString>("what");
    EmulatorFaults failing;
    failing.errorRate = 1.0;
    QTest::addRow("attempts run out on 5xx") << failing << 2 << u"attempts, page 4)"_s;
    EmulatorFaults dropped;
    dropped.dropRate = 1.0;
    QTest::addRow("connection dropped mid-response") << dropped << 1 << u"dropped mid-response"_s;
    EmulatorFaults malformed;
    malformed.malformedRate = 1.0;
    QTest::addRow("malformed JSON body") << malformed << 1 << u"Page 4 of ListImages could not be read"_s;
}

void tst_ExportFaults::failedPageIsReportedAndTheTokenContinues()
{
    QFETCH(EmulatorFaults, faults);
    QFETCH(int, maxAttempts);
    QFETCH(QString, what);

    LoopbackEmulator loopback(smallEmulatorConfig({.images = 1000, .datasetGroups = 1, .datasets = 5, .sessions = 5}));
    QString error;
    QVERIFY2(loopback.start(&error), qPrintable(error));
    Emulator &emulator = loopback.emulator();
    const QStringList expected = imageKeys(emulator.url());
    QCOMPARE(expected.size(), 1000);
    emulator.resetStats();

    // Pages 1-3 are served, then every response fails
    connect(&emulator, &Emulator::requestHandled, this, [&] {
        if (emulator.stats().pages == 3 && !emulator.faults().any())
            emulator.setFaults(faults);
    });
    const ProcessResult failed = runExport(exportArguments(emulator.url()), environment(maxAttempts), 60'000);
    QVERIFY(failed.finished);
    QCOMPARE(failed.exitCode, 1);
    const QString messages = QString::fromUtf8(failed.standardError);
    QVERIFY2(messages.contains(what), qPrintable(messages));
    QVERIFY2(messages.contains(u"page 4"_s, Qt::CaseInsensitive), qPrintable(messages));
    QVERIFY2(messages.contains(u"the 300 items before the failure were written"_s), qPrintable(messages));
    // Exactly the rows of the pages before the failure: nothing of the failed page
    QCOMPARE(csvFirstColumn(failed.standardOutput), expected.mid(0, 300));

    // The suggested token continues from the failed page
    const QString token = suggestedToken(messages);
    QVERIFY2(!token.isEmpty(), qPrintable(messages));
    emulator.disconnect(this);
    emulator.setFaults({});
    const ProcessResult resumed
        = runExport(exportArguments(emulator.url()) + QStringList {u"--starting-token"_s, token}, environment(1));
    QVERIFY2(resumed.exitCode == 0, resumed.standardError.constData());
    QCOMPARE(csvFirstColumn(resumed.standardOutput), expected.mid(300));
}

QTEST_GUILESS_MAIN(tst_ExportFaults)
#include "tst_exportfaults.moc"
