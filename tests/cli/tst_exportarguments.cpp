// `pagewise export` arguments: flags come from the kind descriptors and land in the ListQuery
// under the model's member names; mistakes name the argument and what it accepts.
#include "cli/exportarguments.h"
#include "kinds/resourcekind.h"

#include <QtTest>

using namespace pagewise;

namespace
{

const QString farm = QStringLiteral("farm-0123456789abcdef0123456789abcdef");
const QString queue = QStringLiteral("queue-0123456789abcdef0123456789abcdef");
const QString job = QStringLiteral("job-0123456789abcdef0123456789abcdef");

QStringList sessionArgs()
{
    return {QStringLiteral("sessions"), QStringLiteral("--farm-id"), farm, QStringLiteral("--queue-id"), queue,
        QStringLiteral("--job-id"), job};
}

QString text(const char *value)
{
    return QString::fromUtf8(value);
}
QString text(const QString &value)
{
    return value;
}
/// list("images", farm, ...): mixed literals and QStrings.
template<typename... T>
QStringList list(const T &...items)
{
    return QStringList {text(items)...};
}

QDateTime utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs);
}

} // namespace

class tst_ExportArguments : public QObject
{
    Q_OBJECT
private slots:
    void imageFiltersBecomeRequestMembers()
    {
        const ExportArgumentsResult result = parseExportArguments({QStringLiteral("images"),
            QStringLiteral("--name-contains"), QStringLiteral("base"), QStringLiteral("--created-after"),
            QStringLiteral("2024-01-01"), QStringLiteral("--created-before=1714564800"),
            QStringLiteral("--modified-after"), QStringLiteral("2024-02-01T10:00:00+01:00"),
            QStringLiteral("--modified-before"), QStringLiteral("2024-06-01T00:00:00Z"), QStringLiteral("--sort-by"),
            QStringLiteral("last-modified-time"), QStringLiteral("--sort-order"), QStringLiteral("ascending")});
        QVERIFY2(result.ok(), qPrintable(result.error().message));
        const ListQuery &query = result.arguments().query;
        QCOMPARE(result.arguments().kind->id, QStringLiteral("images"));
        QCOMPARE(query.parameters.value(QStringLiteral("NameContains")).toString(), QStringLiteral("base"));
        QCOMPARE(query.parameters.value(QStringLiteral("CreationTimeAfter")).toDateTime(), utc("2024-01-01T00:00:00Z"));
        QCOMPARE(
            query.parameters.value(QStringLiteral("CreationTimeBefore")).toDateTime(), utc("2024-05-01T12:00:00Z"));
        QCOMPARE(
            query.parameters.value(QStringLiteral("LastModifiedTimeAfter")).toDateTime(), utc("2024-02-01T09:00:00Z"));
        QCOMPARE(
            query.parameters.value(QStringLiteral("LastModifiedTimeBefore")).toDateTime(), utc("2024-06-01T00:00:00Z"));
        QCOMPARE(query.parameters.value(QStringLiteral("SortBy")).toString(), QStringLiteral("LAST_MODIFIED_TIME"));
        QCOMPARE(query.parameters.value(QStringLiteral("SortOrder")).toString(), QStringLiteral("ASCENDING"));
        QCOMPARE(query.parameters.size(), 7);
    }

    void commonOptions()
    {
        const ExportArgumentsResult result = parseExportArguments({QStringLiteral("datasets"),
            QStringLiteral("--dataset-group-arn"),
            QStringLiteral("arn:aws:personalize:us-west-2:123456789012:dataset-group/shop"),
            QStringLiteral("--profile"), QStringLiteral("dev"), QStringLiteral("--region"), QStringLiteral("eu-west-1"),
            QStringLiteral("--endpoint-url"), QStringLiteral("http://127.0.0.1:4566"), QStringLiteral("--page-size"),
            QStringLiteral("25"), QStringLiteral("--max-items=70"), QStringLiteral("--starting-token"),
            QStringLiteral("abc"), QStringLiteral("--columns"), QStringLiteral("status,name"),
            QStringLiteral("--raw-cells"), QStringLiteral("-o"), QStringLiteral("out.csv")});
        QVERIFY2(result.ok(), qPrintable(result.error().message));
        const ExportArguments &args = result.arguments();
        QCOMPARE(args.query.parameters.value(QStringLiteral("datasetGroupArn")).toString(),
            QStringLiteral("arn:aws:personalize:us-west-2:123456789012:dataset-group/shop"));
        QCOMPARE(args.connection.profile, QStringLiteral("dev"));
        QCOMPARE(args.connection.region, QStringLiteral("eu-west-1"));
        QCOMPARE(args.connection.endpointUrl, QStringLiteral("http://127.0.0.1:4566"));
        QCOMPARE(args.query.pageSize, std::optional<int>(25));
        QCOMPARE(args.query.maxItems, std::optional<qint64>(70));
        QCOMPARE(args.query.startingToken, QStringLiteral("abc"));
        QCOMPARE(args.columns, QStringList({QStringLiteral("status"), QStringLiteral("name")}));
        QVERIFY(args.rawCells);
        QCOMPARE(args.outputPath, QStringLiteral("out.csv"));
        QCOMPARE(args.format, ExportArguments::Format::Csv);
    }

    void defaults()
    {
        const ExportArgumentsResult result = parseExportArguments({QStringLiteral("images")});
        QVERIFY(result.ok());
        const ExportArguments &args = result.arguments();
        QVERIFY(args.query.parameters.isEmpty());
        QVERIFY(!args.query.pageSize);
        QVERIFY(!args.query.maxItems);
        QCOMPARE(args.outputPath, QStringLiteral("-"));
        QCOMPARE(args.format, ExportArguments::Format::Csv);
        QVERIFY(args.columns.isEmpty());
        QVERIFY(!args.rawCells);
        QVERIFY(!args.help);
    }

    void sessionIdsGoToTheUri()
    {
        QStringList args = sessionArgs();
        args << QStringLiteral("--format") << QStringLiteral("json") << QStringLiteral("-o") << QStringLiteral("-");
        const ExportArgumentsResult result = parseExportArguments(args);
        QVERIFY2(result.ok(), qPrintable(result.error().message));
        QCOMPARE(result.arguments().query.parameters.value(QStringLiteral("farmId")).toString(), farm);
        QCOMPARE(result.arguments().query.parameters.value(QStringLiteral("queueId")).toString(), queue);
        QCOMPARE(result.arguments().query.parameters.value(QStringLiteral("jobId")).toString(), job);
        QCOMPARE(result.arguments().format, ExportArguments::Format::Json);
        QCOMPARE(result.arguments().outputPath, QStringLiteral("-"));
    }

    void help()
    {
        QVERIFY(parseExportArguments({QStringLiteral("--help")}).arguments().help);
        QVERIFY(parseExportArguments({QStringLiteral("images"), QStringLiteral("-h")}).arguments().help);
        const QString usage = exportUsage();
        // Every kind's flags come from its descriptor.
        for (const ResourceKind &kind : resourceKinds()) {
            QVERIFY2(usage.contains(kind.id), qPrintable(kind.id));
            for (const FilterSpec &filter : kind.filters)
                QVERIFY2(usage.contains(QStringLiteral("--") + filter.cliFlag), qPrintable(filter.cliFlag));
        }
        QVERIFY(usage.contains(QStringLiteral("creation-time|last-modified-time|name")));
    }

    void mistakesNameTheArgument_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("argument");
        QTest::addColumn<QString>("mentions"); ///< part of what is accepted

        const QString images = QStringLiteral("images");
        QTest::addRow("no kind") << QStringList {} << "<kind>"
                                 << "images, datasets, sessions";
        QTest::addRow("unknown kind") << list("buckets") << "<kind>"
                                      << "images, datasets, sessions";
        QTest::addRow("unknown flag") << list(images, "--colour", "red") << "--colour"
                                      << "--name-contains";
        QTest::addRow("other kind's flag") << list(images, "--farm-id", farm) << "--farm-id"
                                           << "--sort-by";
        QTest::addRow("sort on a kind without sort") << list("datasets", "--sort-by", "name") << "--sort-by"
                                                     << "--dataset-group-arn";
        QTest::addRow("bad date") << list(images, "--created-after", "yesterday") << "--created-after"
                                  << "ISO 8601";
        QTest::addRow("impossible date") << list(images, "--modified-before", "2023-02-29") << "--modified-before"
                                         << "epoch seconds";
        QTest::addRow("page size 0") << list(images, "--page-size", "0") << "--page-size"
                                     << "from 1 to 100";
        QTest::addRow("page size 101") << list(images, "--page-size", "101") << "--page-size"
                                       << "from 1 to 100";
        QTest::addRow("page size not a number") << list(images, "--page-size", "ten") << "--page-size"
                                                << "from 1 to 100";
        QTest::addRow("max items 0") << list(images, "--max-items", "0") << "--max-items"
                                     << "positive";
        QTest::addRow("max items with a sign") << list(images, "--max-items", "+5") << "--max-items"
                                               << "positive";
        QTest::addRow("max items with a newline") << list(images, "--max-items", "5\n") << "--max-items"
                                                  << "positive";
        QTest::addRow("max items beyond 18 digits")
            << list(images, "--max-items", "1234567890123456789") << "--max-items"
            << "positive";
        QTest::addRow("page size in other digits") << list(images, "--page-size", "\u0665") << "--page-size"
                                                   << "from 1 to 100";
        QTest::addRow("missing value") << list(images, "--page-size") << "--page-size"
                                       << "from 1 to 100";
        QTest::addRow("value is another flag")
            << list(images, "--name-contains", "--page-size", "5") << "--name-contains"
            << "[a-zA-Z0-9\\-.]+";
        QTest::addRow("sort column") << list(images, "--sort-by", "size") << "--sort-by"
                                     << "creation-time, last-modified-time, name";
        QTest::addRow("sort order") << list(images, "--sort-order", "up") << "--sort-order"
                                    << "ascending, descending";
        QTest::addRow("format") << list(images, "--format", "xml") << "--format"
                                << "csv, json";
        QTest::addRow("unknown column") << list(images, "--columns", "ImageName,Size") << "--columns"
                                        << "ImageArn";
        QTest::addRow("column of another kind") << list(images, "--columns", "sessionId") << "--columns"
                                                << "ImageName";
        QTest::addRow("columns with json") << list(images, "--format", "json", "--columns", "ImageName") << "--columns"
                                           << "csv";
        QTest::addRow("raw cells with json") << list(images, "--raw-cells", "--format", "json") << "--raw-cells"
                                             << "csv";
        QTest::addRow("switch with value") << list(images, "--raw-cells=yes") << "--raw-cells"
                                           << "no value";
        QTest::addRow("repeated flag") << list(images, "--page-size", "5", "--page-size", "6") << "--page-size"
                                       << "once";
        QTest::addRow("stray word") << list(images, "extra") << "extra"
                                    << "--";
        QTest::addRow("missing required") << list("sessions", "--farm-id", farm, "--queue-id", queue) << "--job-id"
                                          << "job-[0-9a-f]{32}";
        QTest::addRow("bad region") << list(images, "--region", "us east") << "--region"
                                    << "us-east-1";
        QTest::addRow("bad endpoint") << list(images, "--endpoint-url", "ftp://x") << "--endpoint-url"
                                      << "http://host";
        QTest::addRow("empty token") << list(images, "--starting-token=") << "--starting-token"
                                     << "NextToken";
    }

    void mistakesNameTheArgument()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, argument);
        QFETCH(QString, mentions);
        const ExportArgumentsResult result = parseExportArguments(arguments);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().argument, argument);
        QVERIFY2(
            result.error().message.startsWith(argument + QStringLiteral(": ")), qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(mentions), qPrintable(result.error().message));
    }

    void validatorFieldsMapBackToFlags()
    {
        const ResourceKind &images = *findResourceKind(QStringLiteral("images"));
        QCOMPARE(cliFlagForParameter(images, QStringLiteral("NameContains")), QStringLiteral("--name-contains"));
        QCOMPARE(cliFlagForParameter(images, QStringLiteral("CreationTimeBefore")), QStringLiteral("--created-before"));
        QCOMPARE(cliFlagForParameter(images, QStringLiteral("SortOrder")), QStringLiteral("--sort-order"));
        QCOMPARE(cliFlagForParameter(images, QStringLiteral("MaxResults")), QStringLiteral("--page-size"));
        const ResourceKind &sessions = *findResourceKind(QStringLiteral("sessions"));
        QCOMPARE(cliFlagForParameter(sessions, QStringLiteral("queueId")), QStringLiteral("--queue-id"));
        QCOMPARE(cliFlagForParameter(sessions, QStringLiteral("nextToken")), QStringLiteral("--starting-token"));
        QCOMPARE(cliFlagForParameter(sessions, QStringLiteral("bogus")), QString());
    }
};

QTEST_APPLESS_MAIN(tst_ExportArguments)
#include "tst_exportarguments.moc"
