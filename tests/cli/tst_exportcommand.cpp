// The real `pagewise export` program against the emulator over loopback: flags reach the request,
// --max-items/--starting-token resume exactly (also across the AWS CLI), exit statuses and messages,
// the AWS CLI's JSON document byte for byte, nothing written when the first page fails, complete lines
// before a later failure.
#include "emulator/emulator.h"
#include "kinds/resourcekind.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace pagewise;

namespace
{

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QString errText() const { return QString::fromUtf8(err); }
    /// The token `pagewise export` printed on stderr after --max-items stopped early.
    QString nextToken() const
    {
        for (const QByteArray &line : err.split('\n')) {
            if (line.startsWith("NextToken: "))
                return QString::fromUtf8(line.mid(11));
        }
        return {};
    }
    /// CSV data lines (CRLF-terminated), header dropped.
    QList<QByteArray> rows() const
    {
        QList<QByteArray> lines = out.split('\n');
        if (!lines.isEmpty() && lines.last().isEmpty())
            lines.removeLast();
        if (!lines.isEmpty())
            lines.removeFirst();
        return lines;
    }
};

QString pagewiseBinary()
{
    const QString fromEnv = qEnvironmentVariable("PAGEWISE_BINARY");
    return fromEnv.isEmpty() ? QStringLiteral(PAGEWISE_BINARY) : fromEnv;
}

} // namespace

class tst_ExportCommand : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void filterFlagsReachTheRequest_data();
    void filterFlagsReachTheRequest();
    void filtersSelectTheRightItems();
    void maxItemsResumesToTheWholeListing_data();
    void maxItemsResumesToTheWholeListing();
    void awsCliAndPagewiseResumeEachOther_data();
    void awsCliAndPagewiseResumeEachOther();
    void jsonMatchesTheAwsCli_data();
    void jsonMatchesTheAwsCli();
    void csvColumnsAndFile();
    void badArgumentsExitTwoBeforeSending_data();
    void badArgumentsExitTwoBeforeSending();
    void connectionProblemsAreReported();
    void awsErrorExitsOneWithCodeAndRequestId();
    void firstPageFailureWritesNothing_data();
    void firstPageFailureWritesNothing();
    void firstPageFailureLeavesTheOutputFileAsItWas();
    void emptyListingWritesOnlyTheFrame_data();
    void emptyListingWritesOnlyTheFrame();
    void rowsBeforeAFailureAreCompleteLines_data();
    void rowsBeforeAFailureAreCompleteLines();

private:
    Run pagewise(const QStringList &arguments, const QProcessEnvironment &environment = {});
    Run aws(const QStringList &arguments);
    QStringList sessionIds() const;
    QStringList kindArguments(const QString &kindId) const;
    QString awsKindCommand(const QString &kindId) const;

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QThread m_emulatorThread;
    Emulator *m_emulator = nullptr;
    QString m_endpoint;
    QString m_groupArn;
    QString m_farm, m_queue, m_job;
    QString m_awsCli;
};

void tst_ExportCommand::initTestCase()
{
    QVERIFY2(QFileInfo(pagewiseBinary()).isExecutable(), qPrintable(pagewiseBinary()));
    QVERIFY(m_home.isValid());

    EmulatorConfig config;
    config.data.images = 130;
    config.data.datasetGroups = 2;
    config.data.datasets = 60;
    config.data.farms = 1;
    config.data.queuesPerFarm = 1;
    config.data.jobsPerQueue = 2;
    config.data.sessions = 90;
    m_emulator = new Emulator(config);
    m_emulator->moveToThread(&m_emulatorThread);
    m_emulatorThread.start();
    bool listening = false;
    QString error;
    QMetaObject::invokeMethod(
        m_emulator, [&] { listening = m_emulator->listen(&error); }, Qt::BlockingQueuedConnection);
    QVERIFY2(listening, qPrintable(error));
    m_endpoint = m_emulator->url().toString();

    const EmulatorCatalog catalog = m_emulator->catalog();
    QVERIFY(!catalog.datasetGroups.isEmpty());
    m_groupArn = catalog.datasetGroups.first().arn;
    for (const auto &farm : catalog.farms) {
        for (const auto &queue : farm.queues) {
            for (const auto &job : queue.jobs) {
                if (job.sessions > 12 && m_job.isEmpty()) {
                    m_farm = farm.farmId;
                    m_queue = queue.queueId;
                    m_job = job.jobId;
                }
            }
        }
    }
    QVERIFY2(!m_job.isEmpty(), "the emulator seeded no job with more than 12 sessions");

    // Example credentials, empty config files, a home without ~/.aws: nothing of the machine leaks in.
    const QString empty = m_home.filePath(QStringLiteral("empty"));
    QFile(empty).open(QIODevice::WriteOnly);
    m_environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : m_environment.keys()) {
        if (name.startsWith(QStringLiteral("AWS_")))
            m_environment.remove(name);
    }
    m_environment.insert(QStringLiteral("HOME"), m_home.path());
    m_environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), config.accessKeyId);
    m_environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), config.secretAccessKey);
    m_environment.insert(QStringLiteral("AWS_CONFIG_FILE"), empty);
    m_environment.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), empty);
    m_environment.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("us-east-1"));
    m_environment.insert(QStringLiteral("AWS_DISABLE_HOST_PREFIX_INJECTION"), QStringLiteral("true"));
    m_environment.insert(QStringLiteral("AWS_EC2_METADATA_DISABLED"), QStringLiteral("true"));
    m_environment.insert(QStringLiteral("AWS_PAGER"), QString());

    m_awsCli = QStandardPaths::findExecutable(QStringLiteral("aws"));
}

void tst_ExportCommand::cleanupTestCase()
{
    if (m_emulator) {
        QMetaObject::invokeMethod(
            m_emulator, [this] { delete m_emulator; }, Qt::BlockingQueuedConnection);
        m_emulator = nullptr;
    }
    m_emulatorThread.quit();
    m_emulatorThread.wait();
}

void tst_ExportCommand::init()
{
    m_emulator->setFaults({});
    m_emulator->clearRequestLog();
}

Run tst_ExportCommand::pagewise(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QProcess process;
    process.setProcessEnvironment(environment.isEmpty() ? m_environment : environment);
    QStringList all {QStringLiteral("export")};
    all << arguments;
    process.start(pagewiseBinary(), all);
    Run run;
    if (!process.waitForStarted() || !process.waitForFinished(120000)) {
        run.err = "pagewise did not run: " + process.errorString().toUtf8();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

Run tst_ExportCommand::aws(const QStringList &arguments)
{
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.start(m_awsCli,
        arguments
            + QStringList {
                QStringLiteral("--endpoint-url"), m_endpoint, QStringLiteral("--output"), QStringLiteral("json")});
    Run run;
    if (!process.waitForStarted() || !process.waitForFinished(120000))
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QStringList tst_ExportCommand::sessionIds() const
{
    return {
        QStringLiteral("--farm-id"), m_farm, QStringLiteral("--queue-id"), m_queue, QStringLiteral("--job-id"), m_job};
}

QStringList tst_ExportCommand::kindArguments(const QString &kindId) const
{
    QStringList arguments {kindId, QStringLiteral("--endpoint-url"), m_endpoint};
    if (kindId == QStringLiteral("sessions"))
        arguments << sessionIds();
    if (kindId == QStringLiteral("datasets"))
        arguments << QStringLiteral("--dataset-group-arn") << m_groupArn;
    return arguments;
}

void tst_ExportCommand::filterFlagsReachTheRequest_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("parameter");
    QTest::addColumn<QVariant>("expected");

    auto images = [](std::initializer_list<const char *> flags) {
        QStringList list {QStringLiteral("images")};
        for (const char *flag : flags)
            list << QString::fromUtf8(flag);
        return list;
    };
    // Timestamps travel as integer epoch seconds (botocore's serialisation); `date -u -d ... +%s`.
    QTest::addRow("name-contains") << images({"--name-contains", "py"}) << "NameContains"
                                   << QVariant(QStringLiteral("py"));
    QTest::addRow("created-after") << images({"--created-after", "2024-01-01"}) << "CreationTimeAfter"
                                   << QVariant(1704067200);
    QTest::addRow("created-before") << images({"--created-before", "2025-06-01T12:00:00+02:00"}) << "CreationTimeBefore"
                                    << QVariant(1748772000);
    QTest::addRow("modified-after") << images({"--modified-after", "1714564800"}) << "LastModifiedTimeAfter"
                                    << QVariant(1714564800);
    QTest::addRow("modified-before") << images({"--modified-before", "2030-01-01T00:00:00Z"})
                                     << "LastModifiedTimeBefore" << QVariant(1893456000);
    QTest::addRow("sort-by") << images({"--sort-by", "name"}) << "SortBy" << QVariant(QStringLiteral("IMAGE_NAME"));
    QTest::addRow("sort-by modified") << images({"--sort-by", "last-modified-time"}) << "SortBy"
                                      << QVariant(QStringLiteral("LAST_MODIFIED_TIME"));
    QTest::addRow("sort-order") << images({"--sort-order", "ascending"}) << "SortOrder"
                                << QVariant(QStringLiteral("ASCENDING"));
    QTest::addRow("page-size images") << images({"--page-size", "7"}) << "MaxResults" << QVariant(7);
    QTest::addRow("page-size sessions") << QStringList {QStringLiteral("sessions"), QStringLiteral("--page-size"),
        QStringLiteral("9")} << "maxResults"
                                        << QVariant(QStringLiteral("9"));
    QTest::addRow("dataset-group-arn") << QStringList {QStringLiteral("datasets")} << "datasetGroupArn" << QVariant();
    QTest::addRow("farm-id") << QStringList {QStringLiteral("sessions")} << "farmId" << QVariant();
    QTest::addRow("queue-id") << QStringList {QStringLiteral("sessions")} << "queueId" << QVariant();
    QTest::addRow("job-id") << QStringList {QStringLiteral("sessions")} << "jobId" << QVariant();
}

void tst_ExportCommand::filterFlagsReachTheRequest()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, parameter);
    QFETCH(QVariant, expected);
    // Parent IDs are only known once the emulator is seeded.
    if (!expected.isValid()) {
        expected = parameter == QStringLiteral("datasetGroupArn") ? m_groupArn
            : parameter == QStringLiteral("farmId")               ? m_farm
            : parameter == QStringLiteral("queueId")              ? m_queue
                                                                  : m_job;
    }
    const QString kindId = arguments.takeFirst();
    const Run run = pagewise(
        kindArguments(kindId) + arguments + QStringList {QStringLiteral("--max-items"), QStringLiteral("3")});
    QVERIFY2(run.exitCode == 0, run.err.constData());

    const QList<EmulatorRequestLogEntry> log = m_emulator->requestLog();
    QVERIFY(!log.isEmpty());
    const EmulatorRequestLogEntry &request = log.first();
    QCOMPARE(request.status, 200);
    QVERIFY2(request.parameters.contains(parameter), qPrintable(request.parameters.keys().join(u',')));
    const QVariant sent = request.parameters.value(parameter);
    if (expected.typeId() == QMetaType::Int)
        QCOMPARE(sent.toLongLong(), expected.toLongLong());
    else
        QCOMPARE(sent.toString(), expected.toString());
}

void tst_ExportCommand::filtersSelectTheRightItems()
{
    // Independent check of what the filters mean: the filtered listing equals the whole listing
    // filtered here.
    const Run all = pagewise(
        kindArguments(QStringLiteral("images")) + QStringList {QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(all.exitCode, 0);
    const QJsonArray images = QJsonDocument::fromJson(all.out).object().value(QStringLiteral("Images")).toArray();
    QCOMPARE(images.size(), 130);

    const double after = images.at(images.size() / 2).toObject().value(QStringLiteral("CreationTime")).toDouble();
    const QString afterText = QString::number(qint64(after));
    const Run filtered = pagewise(kindArguments(QStringLiteral("images"))
        + QStringList {QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--name-contains"),
            QStringLiteral("py"), QStringLiteral("--created-after"), afterText, QStringLiteral("--sort-by"),
            QStringLiteral("name"), QStringLiteral("--sort-order"), QStringLiteral("ascending")});
    QCOMPARE(filtered.exitCode, 0);
    QStringList expected;
    for (const QJsonValue &image : images) {
        const QJsonObject object = image.toObject();
        const QString name = object.value(QStringLiteral("ImageName")).toString();
        if (name.contains(QStringLiteral("py"), Qt::CaseInsensitive)
            && object.value(QStringLiteral("CreationTime")).toDouble() >= double(qint64(after)))
            expected << name;
    }
    QStringList got;
    for (const QJsonValue &image :
        QJsonDocument::fromJson(filtered.out).object().value(QStringLiteral("Images")).toArray())
        got << image.toObject().value(QStringLiteral("ImageName")).toString();
    QVERIFY(!got.isEmpty());
    QStringList sortedExpected = expected;
    sortedExpected.sort(Qt::CaseInsensitive);
    QStringList sortedGot = got;
    sortedGot.sort(Qt::CaseInsensitive);
    QCOMPARE(sortedGot, sortedExpected);
    // Descending by name is the same set in reverse (whatever collation the service uses).
    const Run descending = pagewise(kindArguments(QStringLiteral("images"))
        + QStringList {QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--name-contains"),
            QStringLiteral("py"), QStringLiteral("--created-after"), afterText, QStringLiteral("--sort-by"),
            QStringLiteral("name"), QStringLiteral("--sort-order"), QStringLiteral("descending")});
    QCOMPARE(descending.exitCode, 0);
    QStringList reversed;
    for (const QJsonValue &image :
        QJsonDocument::fromJson(descending.out).object().value(QStringLiteral("Images")).toArray())
        reversed.prepend(image.toObject().value(QStringLiteral("ImageName")).toString());
    QCOMPARE(reversed, got);
}

void tst_ExportCommand::maxItemsResumesToTheWholeListing_data()
{
    QTest::addColumn<QString>("kindId");
    QTest::addColumn<QString>("pageSize");
    QTest::addColumn<QString>("maxItems");
    QTest::addRow("images, stops mid-page") << "images"
                                            << "7"
                                            << "10";
    QTest::addRow("images, stops on page boundaries") << "images"
                                                      << "5"
                                                      << "10";
    QTest::addRow("datasets") << "datasets"
                              << "4"
                              << "6";
    QTest::addRow("sessions") << "sessions"
                              << "3"
                              << "5";
}

void tst_ExportCommand::maxItemsResumesToTheWholeListing()
{
    QFETCH(QString, kindId);
    QFETCH(QString, pageSize);
    QFETCH(QString, maxItems);
    const QStringList base = kindArguments(kindId) + QStringList {QStringLiteral("--page-size"), pageSize};
    const Run whole = pagewise(base);
    QVERIFY2(whole.exitCode == 0, whole.err.constData());
    QVERIFY(whole.nextToken().isEmpty());
    QVERIFY(whole.rows().size() > maxItems.toInt());
    // Reading ahead wastes no request: the service served every item exactly once.
    qsizetype served = 0;
    for (const EmulatorRequestLogEntry &request : m_emulator->requestLog())
        served += request.items;
    QCOMPARE(served, whole.rows().size());

    QList<QByteArray> resumed;
    QString token;
    const qsizetype page = pageSize.toInt();
    for (int round = 0; round < 100; ++round) {
        QStringList arguments = base + QStringList {QStringLiteral("--max-items"), maxItems};
        if (!token.isEmpty())
            arguments << QStringLiteral("--starting-token") << token;
        m_emulator->clearRequestLog();
        const Run part = pagewise(arguments);
        QVERIFY2(part.exitCode == 0, part.err.constData());
        QVERIFY(part.rows().size() <= maxItems.toInt());
        const qsizetype first = resumed.size();
        resumed << part.rows();
        token = part.nextToken();
        if (token.isEmpty())
            break;
        // Stopped by --max-items: exactly the pages that hold items [first, first + rows), none
        // read ahead past them.
        const qsizetype last = first + part.rows().size() - 1;
        QCOMPARE(m_emulator->requestLog().size(), last / page - first / page + 1);
    }
    QCOMPARE(resumed, whole.rows());
}

QString tst_ExportCommand::awsKindCommand(const QString &kindId) const
{
    return findResourceKind(kindId)->operation.cli;
}

void tst_ExportCommand::awsCliAndPagewiseResumeEachOther_data()
{
    QTest::addColumn<QString>("kindId");
    for (const ResourceKind &kind : resourceKinds())
        QTest::addRow("%s", qPrintable(kind.id)) << kind.id;
}

void tst_ExportCommand::awsCliAndPagewiseResumeEachOther()
{
    if (m_awsCli.isEmpty())
        QSKIP("the AWS CLI (aws) is not installed");
    QFETCH(QString, kindId);
    const ResourceKind &kind = *findResourceKind(kindId);
    const QString itemsKey = kind.pagination.resultKey;
    QStringList awsBase = awsKindCommand(kindId).split(u' ').mid(1);
    if (kindId == QStringLiteral("sessions"))
        awsBase << sessionIds();
    if (kindId == QStringLiteral("datasets"))
        awsBase << QStringLiteral("--dataset-group-arn") << m_groupArn;

    auto keys = [&](const QByteArray &json) {
        QStringList list;
        for (const QJsonValue &item : QJsonDocument::fromJson(json).object().value(itemsKey).toArray())
            list << item.toObject().value(kind.keyMember).toString();
        return list;
    };
    const QStringList json {QStringLiteral("--format"), QStringLiteral("json")};
    const Run whole = pagewise(kindArguments(kindId) + json);
    QCOMPARE(whole.exitCode, 0);
    const QStringList all = keys(whole.out);
    QVERIFY(all.size() > 9);

    // Pagewise stops mid-page, the AWS CLI resumes from its token.
    const Run first = pagewise(kindArguments(kindId) + json
        + QStringList {
            QStringLiteral("--page-size"), QStringLiteral("3"), QStringLiteral("--max-items"), QStringLiteral("4")});
    QCOMPARE(first.exitCode, 0);
    QVERIFY(!first.nextToken().isEmpty());
    const Run awsNext = aws(awsBase
        + QStringList {QStringLiteral("--starting-token"), first.nextToken(), QStringLiteral("--max-items"),
            QStringLiteral("3"), QStringLiteral("--page-size"), QStringLiteral("3")});
    QVERIFY2(awsNext.exitCode == 0, awsNext.err.constData());
    QCOMPARE(keys(first.out) + keys(awsNext.out), all.mid(0, 7));

    // The AWS CLI stops mid-page, Pagewise resumes from its token.
    const QString awsToken
        = QJsonDocument::fromJson(awsNext.out).object().value(QStringLiteral("NextToken")).toString();
    QVERIFY(!awsToken.isEmpty());
    const Run resumed = pagewise(kindArguments(kindId) + json
        + QStringList {
            QStringLiteral("--starting-token"), awsToken, QStringLiteral("--max-items"), QStringLiteral("2")});
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    QCOMPARE(keys(resumed.out), all.mid(7, 2));
}

void tst_ExportCommand::jsonMatchesTheAwsCli_data()
{
    QTest::addColumn<QString>("kindId");
    QTest::addColumn<QStringList>("paging");
    for (const ResourceKind &kind : resourceKinds()) {
        QTest::addRow("%s, whole listing", qPrintable(kind.id)) << kind.id << QStringList {};
        QTest::addRow("%s, max items mid-page", qPrintable(kind.id))
            << kind.id
            << QStringList {QStringLiteral("--page-size"), QStringLiteral("4"), QStringLiteral("--max-items"),
                   QStringLiteral("6")};
        QTest::addRow("%s, max items at a page's end", qPrintable(kind.id))
            << kind.id
            << QStringList {QStringLiteral("--page-size"), QStringLiteral("5"), QStringLiteral("--max-items"),
                   QStringLiteral("10")};
    }
    QTest::addRow("images, nothing found")
        << QStringLiteral("images") << QStringList {QStringLiteral("--name-contains"), QStringLiteral("zzz")};
}

void tst_ExportCommand::jsonMatchesTheAwsCli()
{
    if (m_awsCli.isEmpty())
        QSKIP("the AWS CLI (aws) is not installed; the byte-for-byte comparison with "
              "`aws ... --output json` needs it");
    QFETCH(QString, kindId);
    QFETCH(QStringList, paging);
    QStringList awsArguments = awsKindCommand(kindId).split(u' ').mid(1);
    if (kindId == QStringLiteral("sessions"))
        awsArguments << sessionIds();
    if (kindId == QStringLiteral("datasets"))
        awsArguments << QStringLiteral("--dataset-group-arn") << m_groupArn;
    const Run expected = aws(awsArguments + paging);
    QVERIFY2(expected.exitCode == 0, expected.err.constData());
    if (paging.isEmpty()) {
        // The emulator sends some epoch seconds as bare integers (`1714564800`), which Python keeps
        // as ints, beside the floats AWS sends (`1.7145648E9`): a whole listing with numbers has both.
        static const QRegularExpression integer(QStringLiteral("\": -?\\d+,?$"), QRegularExpression::MultilineOption);
        static const QRegularExpression fraction(
            QStringLiteral("\": -?\\d+\\.\\d+,?$"), QRegularExpression::MultilineOption);
        const QString text = QString::fromUtf8(expected.out);
        QVERIFY2(text.contains(integer) == text.contains(fraction),
            "the emulator no longer sends both integral and fractional epoch seconds: one form goes unchecked");
    }
    const Run got
        = pagewise(kindArguments(kindId) + paging + QStringList {QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(got.exitCode == 0, got.err.constData());

    // The very bytes the AWS CLI printed: members in the model's order, numbers as Python prints
    // them, NextToken last. The first differing line says where.
    const QList<QByteArray> gotLines = got.out.split('\n');
    const QList<QByteArray> expectedLines = expected.out.split('\n');
    for (qsizetype i = 0; i < std::min(gotLines.size(), expectedLines.size()); ++i) {
        if (gotLines[i] != expectedLines[i])
            QFAIL(qPrintable(QStringLiteral("line %1 differs:\n  aws:      %2\n  pagewise: %3")
                                 .arg(i + 1)
                                 .arg(QString::fromUtf8(expectedLines[i]), QString::fromUtf8(gotLines[i]))));
    }
    QCOMPARE(got.out, expected.out);
}

void tst_ExportCommand::csvColumnsAndFile()
{
    const QString file = m_home.filePath(QStringLiteral("images.csv"));
    const Run run = pagewise(kindArguments(QStringLiteral("images"))
        + QStringList {QStringLiteral("--columns"), QStringLiteral("ImageArn,ImageName"), QStringLiteral("--max-items"),
            QStringLiteral("3"), QStringLiteral("-o"), file});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(run.out.isEmpty());
    QFile csv(file);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().split('\n');
    QCOMPARE(lines.size(), 5); // header, 3 rows, nothing after the last CRLF
    QCOMPARE(lines.first(), QByteArray("ImageArn,ImageName\r"));
    QVERIFY(lines.at(1).startsWith("arn:aws:sagemaker:"));
    QVERIFY(lines.last().isEmpty());

    // Default columns: the descriptor's visible-by-default ones, in order.
    const Run defaults = pagewise(
        kindArguments(QStringLiteral("sessions")) + QStringList {QStringLiteral("--max-items"), QStringLiteral("1")});
    QCOMPARE(defaults.exitCode, 0);
    QStringList visible;
    for (const ColumnSpec &column : findResourceKind(QStringLiteral("sessions"))->columns) {
        if (column.visibleByDefault)
            visible << column.member;
    }
    QCOMPARE(QString::fromUtf8(defaults.out.split('\r').first()), visible.join(u','));
}

void tst_ExportCommand::badArgumentsExitTwoBeforeSending_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QString>("accepted");

    auto list = [](std::initializer_list<const char *> items) {
        QStringList out;
        for (const char *item : items)
            out << QString::fromUtf8(item);
        return out;
    };
    QTest::addRow("unknown flag") << list({"images", "--colour", "red"}) << "--colour"
                                  << "--name-contains";
    QTest::addRow("unknown kind") << list({"buckets"}) << "<kind>"
                                  << "images, datasets, sessions";
    QTest::addRow("bad date") << list({"images", "--created-after", "last tuesday"}) << "--created-after"
                              << "ISO 8601";
    QTest::addRow("page size 0") << list({"images", "--page-size", "0"}) << "--page-size"
                                 << "1 to 100";
    QTest::addRow("page size 101") << list({"images", "--page-size", "101"}) << "--page-size"
                                   << "1 to 100";
    QTest::addRow("name pattern") << list({"images", "--name-contains", "a b"}) << "--name-contains"
                                  << "letters, digits";
    QTest::addRow("name too long") << QStringList {QStringLiteral("images"), QStringLiteral("--name-contains"),
        QString(64, u'a')} << "--name-contains"
                                   << "63";
    QTest::addRow("malformed farm id") << list({"sessions", "--farm-id", "farm-XYZ", "--queue-id",
        "queue-0123456789abcdef0123456789abcdef", "--job-id", "job-0123456789abcdef0123456789abcdef"})
                                       << "--farm-id"
                                       << "farm-";
    QTest::addRow("missing required") << list({"sessions", "--farm-id", "farm-0123456789abcdef0123456789abcdef"})
                                      << "--queue-id"
                                      << "queue-";
    QTest::addRow("bad dataset group arn")
        << list({"datasets", "--dataset-group-arn", "not-an-arn"}) << "--dataset-group-arn"
        << "arn:";
    QTest::addRow("unknown column") << list({"images", "--columns", "ImageName,Colour"}) << "--columns"
                                    << "ImageStatus";
    QTest::addRow("bad format") << list({"images", "--format", "yaml"}) << "--format"
                                << "csv, json";
    QTest::addRow("bad sort") << list({"images", "--sort-by", "size"}) << "--sort-by"
                              << "creation-time";
    QTest::addRow("garbage token") << list({"images", "--starting-token", "eyJmb28iOiAxfQ=="}) << "--starting-token"
                                   << "";
    QTest::addRow("unknown profile") << list({"images", "--profile", "nosuchprofile"}) << "--profile"
                                     << "profile";
    QTest::addRow("missing value") << list({"images", "--max-items"}) << "--max-items"
                                   << "N";
    QTest::addRow("uncreatable output file") << QStringList {QStringLiteral("images"), QStringLiteral("-o"),
        m_home.filePath(QStringLiteral("no-such-folder/images.csv"))}
                                             << "-o"
                                             << "for writing";
}

void tst_ExportCommand::badArgumentsExitTwoBeforeSending()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, argument);
    QFETCH(QString, accepted);
    const QString kindId = arguments.takeFirst();
    const Run run = pagewise(QStringList {kindId, QStringLiteral("--endpoint-url"), m_endpoint} + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.errText().contains(argument), run.err.constData());
    QVERIFY2(run.errText().contains(accepted), run.err.constData());
    QVERIFY2(m_emulator->requestLog().isEmpty(), "a request was sent despite bad arguments");
}

void tst_ExportCommand::connectionProblemsAreReported()
{
    // No credentials anywhere: the environment's fault, exit 1, nothing sent, no secret shown.
    QProcessEnvironment noKeys = m_environment;
    noKeys.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
    noKeys.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
    const Run run = pagewise(kindArguments(QStringLiteral("images")), noKeys);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errText().contains(QStringLiteral("credentials"), Qt::CaseInsensitive), run.err.constData());
    QVERIFY(m_emulator->requestLog().isEmpty());

    // No region: exit 1 naming the region.
    QProcessEnvironment noRegion = m_environment;
    noRegion.remove(QStringLiteral("AWS_DEFAULT_REGION"));
    const Run regionless = pagewise(kindArguments(QStringLiteral("images")), noRegion);
    QCOMPARE(regionless.exitCode, 1);
    QVERIFY2(regionless.errText().contains(QStringLiteral("region"), Qt::CaseInsensitive), regionless.err.constData());

    // The secret key never appears, neither in messages nor in output.
    const QByteArray secret = m_environment.value(QStringLiteral("AWS_SECRET_ACCESS_KEY")).toUtf8();
    for (const Run &any : {run, regionless, pagewise(kindArguments(QStringLiteral("images")))}) {
        QVERIFY(!any.err.contains(secret));
        QVERIFY(!any.out.contains(secret));
    }
}

void tst_ExportCommand::awsErrorExitsOneWithCodeAndRequestId()
{
    const QString unknownJob = QStringLiteral("job-ffffffffffffffffffffffffffffffff");
    const Run run = pagewise(
        {QStringLiteral("sessions"), QStringLiteral("--endpoint-url"), m_endpoint, QStringLiteral("--farm-id"), m_farm,
            QStringLiteral("--queue-id"), m_queue, QStringLiteral("--job-id"), unknownJob});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errText().contains(QStringLiteral("ResourceNotFoundException")), run.err.constData());
    const QList<EmulatorRequestLogEntry> log = m_emulator->requestLog();
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.first().status, 404);
    const QString requestId = QString::fromLatin1(m_emulator->service()->requestId(log.first().number));
    QVERIFY2(run.errText().contains(requestId), run.err.constData());
    // Not even the header: the listing failed before its first page.
    QCOMPARE(run.out, QByteArray());
}

void tst_ExportCommand::firstPageFailureWritesNothing_data()
{
    QTest::addColumn<QString>("cause");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("sent");
    for (const char *format : {"csv", "json"}) {
        QTest::addRow("%s, wrong secret key", format)
            << "wrong secret key" << format << "InvalidSignatureException" << true;
        QTest::addRow("%s, server error", format) << "server error" << format << "HTTP 50" << true;
        QTest::addRow("%s, no credentials", format) << "no credentials" << format << "NoCredentials" << false;
        QTest::addRow("%s, failing credential_process", format)
            << "failing credential_process" << format << "CredentialProcessError" << false;
        QTest::addRow("%s, endpoint not listening", format)
            << "endpoint not listening" << format << "connection refused" << false;
    }
}

void tst_ExportCommand::firstPageFailureWritesNothing()
{
    QFETCH(QString, cause);
    QFETCH(QString, format);
    QFETCH(QString, message);
    QFETCH(bool, sent);
    QProcessEnvironment environment = m_environment;
    environment.insert(QStringLiteral("AWS_MAX_ATTEMPTS"), QStringLiteral("1"));
    QString endpoint = m_endpoint;
    if (cause == QStringLiteral("wrong secret key")) {
        environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("not-the-secret"));
    } else if (cause == QStringLiteral("server error")) {
        EmulatorFaults faults;
        faults.errorRate = 1.0;
        m_emulator->setFaults(faults);
    } else if (cause == QStringLiteral("no credentials")) {
        environment.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
        environment.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
    } else if (cause == QStringLiteral("failing credential_process")) {
        const QString falseProgram = QStandardPaths::findExecutable(QStringLiteral("false"));
        if (falseProgram.isEmpty())
            QSKIP("no `false` program to serve as a failing credential_process");
        QFile config(m_home.filePath(QStringLiteral("failing-process-config")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("[default]\ncredential_process = " + falseProgram.toUtf8() + "\n");
        config.close();
        environment.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
        environment.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        environment.insert(QStringLiteral("AWS_CONFIG_FILE"), config.fileName());
    } else {
        // A loopback port nothing listens on any more.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        endpoint = QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort());
        server.close();
    }

    const Run run = pagewise(
        {QStringLiteral("images"), QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("--format"), format},
        environment);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errText().contains(message), run.err.constData());
    QVERIFY2(run.errText().contains(QStringLiteral("page 1")), run.err.constData());
    // Neither a lone CSV header nor the opening of a JSON document.
    QCOMPARE(run.out, QByteArray());
    QCOMPARE(m_emulator->requestLog().isEmpty(), !sent);
}

void tst_ExportCommand::firstPageFailureLeavesTheOutputFileAsItWas()
{
    QProcessEnvironment wrongKey = m_environment;
    wrongKey.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("not-the-secret"));
    const QStringList images = kindArguments(QStringLiteral("images"));

    // A file the run created is removed again.
    const QString created = m_home.filePath(QStringLiteral("created-by-failed-run.csv"));
    const Run failedNew = pagewise(images + QStringList {QStringLiteral("-o"), created}, wrongKey);
    QCOMPARE(failedNew.exitCode, 1);
    QVERIFY2(!QFileInfo::exists(created), "a failed export left a file it created");

    // A file that was there keeps its contents.
    const QString existing = m_home.filePath(QStringLiteral("yesterday.csv"));
    QByteArray yesterday;
    for (int i = 0; i < 2000; ++i)
        yesterday += "yesterday's row " + QByteArray::number(i) + "\r\n";
    {
        QFile file(existing);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(yesterday);
    }
    const Run failedExisting = pagewise(images + QStringList {QStringLiteral("-o"), existing}, wrongKey);
    QCOMPARE(failedExisting.exitCode, 1);
    QFile kept(existing);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), yesterday);
    kept.close();

    // A run that succeeds replaces the whole of it, nothing of the longer old file left behind.
    const QStringList three = images + QStringList {QStringLiteral("--max-items"), QStringLiteral("3")};
    const Run toStdout = pagewise(three);
    QCOMPARE(toStdout.exitCode, 0);
    const Run toFile = pagewise(three + QStringList {QStringLiteral("-o"), existing});
    QCOMPARE(toFile.exitCode, 0);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), toStdout.out);
}

void tst_ExportCommand::emptyListingWritesOnlyTheFrame_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("expected");
    QStringList visible;
    for (const ColumnSpec &column : findResourceKind(QStringLiteral("images"))->columns) {
        if (column.visibleByDefault)
            visible << column.member;
    }
    QTest::addRow("csv: the header") << "csv" << QByteArray(visible.join(u',').toUtf8() + "\r\n");
    // What `aws sagemaker list-images --output json` prints when nothing matches.
    QTest::addRow("json: the complete document") << "json" << QByteArray("{\n    \"Images\": []\n}\n");
}

void tst_ExportCommand::emptyListingWritesOnlyTheFrame()
{
    QFETCH(QString, format);
    QFETCH(QByteArray, expected);
    const Run run = pagewise(kindArguments(QStringLiteral("images"))
        + QStringList {QStringLiteral("--name-contains"), QStringLiteral("zzz"), QStringLiteral("--format"), format});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out, expected);
    QCOMPARE(run.err, QByteArray());
}

void tst_ExportCommand::rowsBeforeAFailureAreCompleteLines_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<bool>("toFile");
    QTest::addRow("csv") << "csv" << false;
    QTest::addRow("json") << "json" << false;
    QTest::addRow("csv, -o FILE") << "csv" << true;
}

void tst_ExportCommand::rowsBeforeAFailureAreCompleteLines()
{
    QFETCH(QString, format);
    QFETCH(bool, toFile);
    const QStringList arguments = kindArguments(QStringLiteral("images"))
        + QStringList {QStringLiteral("--page-size"), QStringLiteral("10"), QStringLiteral("--format"), format};
    const Run whole = pagewise(arguments);
    QCOMPARE(whole.exitCode, 0);

    // From the fourth request on, every request fails with HTTP 500 (no retries).
    std::atomic<int> handled = 0;
    const QMetaObject::Connection connection = connect(
        m_emulator, &Emulator::requestHandled, m_emulator,
        [this, &handled](const EmulatorRequestLogEntry &) {
            if (++handled == 3) {
                EmulatorFaults faults;
                faults.errorRate = 1.0;
                m_emulator->setFaults(faults);
            }
        },
        Qt::DirectConnection);
    QProcessEnvironment environment = m_environment;
    environment.insert(QStringLiteral("AWS_MAX_ATTEMPTS"), QStringLiteral("1"));
    const QString file = m_home.filePath(QStringLiteral("failed-midway.") + format);
    QFile::remove(file);
    Run failed = pagewise(toFile ? arguments + QStringList {QStringLiteral("-o"), file} : arguments, environment);
    disconnect(connection);
    if (toFile) {
        QVERIFY(failed.out.isEmpty());
        QFile written(file);
        QVERIFY2(written.open(QIODevice::ReadOnly), "the rows written before the failure were removed");
        failed.out = written.readAll();
    }

    QCOMPARE(failed.exitCode, 1);
    QVERIFY2(failed.errText().contains(QStringLiteral("page 4")), failed.err.constData());
    QVERIFY2(failed.errText().contains(QStringLiteral("request id")), failed.err.constData());
    // Three whole pages, exactly as in the whole listing.
    QVERIFY(whole.out.startsWith(failed.out));
    if (format == QStringLiteral("csv")) {
        // Header and 30 rows, each line complete.
        QVERIFY(failed.out.endsWith("\r\n"));
        QCOMPARE(failed.rows().size(), 30);
    } else {
        // 30 items, and a document left unterminated so that it cannot pass for a complete one.
        QCOMPARE(failed.out.count("\"ImageArn\": "), 30);
        QJsonParseError error;
        QJsonDocument::fromJson(failed.out, &error);
        QVERIFY(error.error != QJsonParseError::NoError);
    }
    // And the listing can continue from where it stopped.
    QVERIFY2(failed.errText().contains(QStringLiteral("--starting-token ")), failed.err.constData());
}

QTEST_GUILESS_MAIN(tst_ExportCommand)
#include "tst_exportcommand.moc"
