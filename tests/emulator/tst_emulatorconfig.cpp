#include "emulator/emulatorconfig.h"

#include <QTest>

using namespace pagewise;
using namespace Qt::StringLiterals;

class tst_EmulatorConfig : public QObject
{
    Q_OBJECT

private slots:
    void defaultsMatchTheDocumentation();
    void everyFlagSetsItsField();
    void equalsFormIsAccepted();
    void badValuesNameTheFlagAndWhatItAccepts_data();
    void badValuesNameTheFlagAndWhatItAccepts();
    void helpIsRecognised();
};

void tst_EmulatorConfig::defaultsMatchTheDocumentation()
{
    QString error;
    const auto config = parseEmulatorArguments({}, &error);
    QVERIFY(config);
    QCOMPARE(config->host, u"127.0.0.1"_s);
    QCOMPARE(config->port, quint16(0));
    QCOMPARE(config->data.images, 3000);
    QCOMPARE(config->data.datasetGroups, 8);
    QCOMPARE(config->data.datasets, 2000);
    QCOMPARE(config->data.farms * config->data.queuesPerFarm * config->data.jobsPerQueue, 24);
    QCOMPARE(config->data.sessions, 20000);
    QCOMPARE(config->accessKeyId, u"AKIDEXAMPLE"_s);
    QCOMPARE(config->secretAccessKey, u"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"_s);
    QVERIFY(config->requireAuth);
    QVERIFY(!config->tls());
    QVERIFY(!config->faults.any());
}

void tst_EmulatorConfig::everyFlagSetsItsField()
{
    QString error;
    const QStringList arguments {u"--host"_s, u"0.0.0.0"_s, u"--port"_s, u"4566"_s, u"--seed"_s, u"42"_s, u"--images"_s,
        u"1000000"_s, u"--dataset-groups"_s, u"3"_s, u"--datasets"_s, u"30"_s, u"--farms"_s, u"1"_s,
        u"--queues-per-farm"_s, u"5"_s, u"--jobs-per-queue"_s, u"6"_s, u"--sessions"_s, u"1000000"_s, u"--catalog"_s,
        u"c.json"_s, u"--data"_s, u"d.json"_s, u"--access-key"_s, u"AKIDOTHER"_s, u"--secret-key"_s, u"s3cret"_s,
        u"--no-auth"_s, u"--tls-cert"_s, u"cert.pem"_s, u"--tls-key"_s, u"key.pem"_s, u"--latency-ms"_s, u"25"_s,
        u"--jitter-ms"_s, u"5"_s, u"--throttle-rate"_s, u"0.1"_s, u"--error-rate"_s, u"0.2"_s, u"--drop-rate"_s,
        u"0.05"_s, u"--malformed-rate"_s, u"1"_s, u"--fault-seed"_s, u"9"_s};
    const auto config = parseEmulatorArguments(arguments, &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->host, u"0.0.0.0"_s);
    QCOMPARE(config->port, quint16(4566));
    QCOMPARE(config->data.seed, quint64(42));
    QCOMPARE(config->data.images, 1000000);
    QCOMPARE(config->data.datasetGroups, 3);
    QCOMPARE(config->data.datasets, 30);
    QCOMPARE(config->data.farms, 1);
    QCOMPARE(config->data.queuesPerFarm, 5);
    QCOMPARE(config->data.jobsPerQueue, 6);
    QCOMPARE(config->data.sessions, 1000000);
    QCOMPARE(config->catalogFile, u"c.json"_s);
    QCOMPARE(config->dataFile, u"d.json"_s);
    QCOMPARE(config->accessKeyId, u"AKIDOTHER"_s);
    QCOMPARE(config->secretAccessKey, u"s3cret"_s);
    QVERIFY(!config->requireAuth);
    QVERIFY(config->tls());
    QCOMPARE(config->tlsKeyFile, u"key.pem"_s);
    QCOMPARE(config->faults.latencyMs, 25);
    QCOMPARE(config->faults.jitterMs, 5);
    QCOMPARE(config->faults.throttleRate, 0.1);
    QCOMPARE(config->faults.errorRate, 0.2);
    QCOMPARE(config->faults.dropRate, 0.05);
    QCOMPARE(config->faults.malformedRate, 1.0);
    QCOMPARE(config->faults.faultSeed, quint64(9));
}

void tst_EmulatorConfig::equalsFormIsAccepted()
{
    QString error;
    const auto config = parseEmulatorArguments({u"--port=5000"_s, u"--images=7"_s, u"--no-auth"_s}, &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->port, quint16(5000));
    QCOMPARE(config->data.images, 7);
    QVERIFY(!config->requireAuth);
}

void tst_EmulatorConfig::badValuesNameTheFlagAndWhatItAccepts_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("mentions");
    QTest::addRow("port word") << QStringList {u"--port"_s, u"http"_s}
                               << QStringList {u"--port"_s, u"0 to 65535"_s, u"http"_s};
    QTest::addRow("rate") << QStringList {u"--throttle-rate"_s, u"50%"_s}
                          << QStringList {u"--throttle-rate"_s, u"probability from 0 to 1"_s};
    QTest::addRow("negative latency") << QStringList {u"--latency-ms"_s, u"-1"_s} << QStringList {u"--latency-ms"_s};
    QTest::addRow("seed") << QStringList {u"--fault-seed"_s, u"x"_s}
                          << QStringList {u"--fault-seed"_s, u"non-negative"_s};
    QTest::addRow("no value") << QStringList {u"--data"_s} << QStringList {u"--data needs a value"_s};
    QTest::addRow("unknown") << QStringList {u"--verbose"_s} << QStringList {u"--verbose"_s, u"--help"_s};
    QTest::addRow("key without cert") << QStringList {u"--tls-key"_s, u"k.pem"_s} << QStringList {u"--tls-cert"_s};
    QTest::addRow("empty secret") << QStringList {u"--secret-key"_s, u""_s} << QStringList {u"--secret-key"_s};
}

void tst_EmulatorConfig::badValuesNameTheFlagAndWhatItAccepts()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, mentions);
    QString error;
    QVERIFY(!parseEmulatorArguments(arguments, &error));
    for (const QString &mention : mentions)
        QVERIFY2(error.contains(mention), qPrintable(error));
}

void tst_EmulatorConfig::helpIsRecognised()
{
    QString error;
    bool help = false;
    QVERIFY(parseEmulatorArguments({u"--images"_s, u"5"_s, u"--help"_s}, &error, &help));
    QVERIFY(help);
    for (const char *flag : {"--host", "--port", "--seed", "--images", "--dataset-groups", "--datasets", "--farms",
             "--queues-per-farm", "--jobs-per-queue", "--sessions", "--catalog", "--data", "--access-key",
             "--secret-key", "--no-auth", "--tls-cert", "--tls-key", "--latency-ms", "--jitter-ms", "--throttle-rate",
             "--error-rate", "--drop-rate", "--malformed-rate", "--fault-seed"})
        QVERIFY2(emulatorUsage().contains(QLatin1String(flag)), flag);
}

QTEST_APPLESS_MAIN(tst_EmulatorConfig)
#include "tst_emulatorconfig.moc"
