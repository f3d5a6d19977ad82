#include "emulatortesthelpers.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace pagewise;
using namespace Qt::StringLiterals;
using namespace pagewise::testing;

namespace
{

// Every page of a listing, as raw response bodies.
QList<QByteArray> allPages(const EmulatorService &service, EmulatorOperation operation, const QStringList &parents = {})
{
    QList<QByteArray> pages;
    QString token;
    // Images in pages of 100; datasets and sessions in their default page size.
    const std::optional<int> pageSize
        = operation == EmulatorOperation::ListImages ? std::optional<int>(100) : std::nullopt;
    for (int guard = 0; guard < 10000; ++guard) {
        const EmulatorResponse response = service.handle(pageRequest(operation, {}, token, pageSize, parents), kNow, 1);
        if (response.status != 200)
            return {};
        pages.append(response.body);
        token = bodyOf(response).value(nextTokenMember(operation)).toString();
        if (token.isEmpty())
            break;
    }
    return pages;
}

QList<QJsonObject> items(const QList<QByteArray> &pages, const char *resultKey)
{
    QList<QJsonObject> out;
    for (const QByteArray &page : pages) {
        for (const QJsonValue &item : QJsonDocument::fromJson(page).object().value(QLatin1String(resultKey)).toArray())
            out.append(item.toObject());
    }
    return out;
}

QList<QJsonObject> allSessions(const EmulatorService &service)
{
    QList<QJsonObject> out;
    for (const auto &farm : service.data().catalog().farms)
        for (const auto &queue : farm.queues)
            for (const auto &job : queue.jobs)
                out += items(
                    allPages(service, EmulatorOperation::ListSessions, {farm.farmId, queue.queueId, job.jobId}),
                    "sessions");
    return out;
}

// Checks one response item against its structure shape in a botocore model: required members,
// string patterns and lengths, enums, timestamps.
class ModelChecker
{
public:
    bool load(const QString &file)
    {
        QFile in(file);
        if (!in.open(QIODevice::ReadOnly))
            return false;
        m_shapes = QJsonDocument::fromJson(in.readAll()).object().value(QLatin1String("shapes")).toObject();
        return !m_shapes.isEmpty();
    }

    QString check(const QJsonObject &item, const QString &shapeName, QSet<QString> *enumValuesSeen) const
    {
        const QJsonObject shape = m_shapes.value(shapeName).toObject();
        for (const QJsonValue &required : shape.value(QLatin1String("required")).toArray()) {
            if (!item.contains(required.toString()))
                return QStringLiteral("missing required %1").arg(required.toString());
        }
        const QJsonObject members = shape.value(QLatin1String("members")).toObject();
        for (auto it = item.begin(); it != item.end(); ++it) {
            if (!members.contains(it.key()))
                return QStringLiteral("member %1 is not in the model").arg(it.key());
            const QString memberShapeName = members.value(it.key()).toObject().value(QLatin1String("shape")).toString();
            const QJsonObject memberShape = m_shapes.value(memberShapeName).toObject();
            const QString type = memberShape.value(QLatin1String("type")).toString();
            if (type == QLatin1String("timestamp")) {
                const bool iso
                    = memberShape.value(QLatin1String("timestampFormat")).toString() == QLatin1String("iso8601");
                if (iso ? !it.value().isString() : !it.value().isDouble())
                    return QStringLiteral("%1 has the wrong timestamp form").arg(it.key());
                continue;
            }
            if (type != QLatin1String("string"))
                continue;
            if (!it.value().isString())
                return QStringLiteral("%1 is not a string").arg(it.key());
            const QString value = it.value().toString();
            if (memberShape.contains(QLatin1String("min"))
                && value.size() < memberShape.value(QLatin1String("min")).toInt())
                return QStringLiteral("%1 '%2' is too short").arg(it.key(), value);
            if (memberShape.contains(QLatin1String("max"))
                && value.size() > memberShape.value(QLatin1String("max")).toInt())
                return QStringLiteral("%1 '%2' is too long").arg(it.key(), value);
            const QString pattern = memberShape.value(QLatin1String("pattern")).toString();
            if (!pattern.isEmpty()) {
                const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
                if (!re.isValid() || !re.match(value).hasMatch())
                    return QStringLiteral("%1 '%2' does not match %3").arg(it.key(), value, pattern);
            }
            const QJsonArray values = memberShape.value(QLatin1String("enum")).toArray();
            if (!values.isEmpty() && !values.contains(value))
                return QStringLiteral("%1 '%2' is not in its enum").arg(it.key(), value);
            if (!values.isEmpty())
                enumValuesSeen->insert(memberShapeName + QLatin1Char('=') + value);
        }
        return {};
    }

    QSet<QString> enumValues(const QStringList &shapeNames) const
    {
        QSet<QString> out;
        for (const QString &name : shapeNames)
            for (const QJsonValue &value : m_shapes.value(name).toObject().value(QLatin1String("enum")).toArray())
                out.insert(name + QLatin1Char('=') + value.toString());
        return out;
    }

private:
    QJsonObject m_shapes;
};

bool hasNonAscii(const QString &text)
{
    for (QChar c : text)
        if (c.unicode() > 0x7f)
            return true;
    return false;
}

} // namespace

class tst_EmulatorDataset : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sameSeedGivesIdenticalBodies();
    void otherSeedGivesOtherData();
    void countsAreTotalsSpreadOverParents();
    void generatedValuesMatchTheModels_data();
    void generatedValuesMatchTheModels();
    void optionalMembersFollowTheirStatus();
    void timestampsUseBothNumberForms();
    void loadsADataFile();
    void rejectsBadDataFiles_data();
    void rejectsBadDataFiles();
    void catalogJsonListsParents();

private:
    std::unique_ptr<EmulatorService> m_service;
};

void tst_EmulatorDataset::initTestCase()
{
    m_service = std::make_unique<EmulatorService>(EmulatorDataset::generate(smallSpec()), noAuth());
}

void tst_EmulatorDataset::sameSeedGivesIdenticalBodies()
{
    const EmulatorService again(EmulatorDataset::generate(smallSpec()), noAuth());
    for (auto operation : {EmulatorOperation::ListImages, EmulatorOperation::ListDatasets}) {
        const QList<QByteArray> pages = allPages(*m_service, operation);
        QVERIFY(pages.size() > 1);
        QCOMPARE(allPages(again, operation), pages);
    }
    const EmulatorCatalog catalog = again.data().catalog();
    const auto &farm = catalog.farms.first();
    const QStringList parents {farm.farmId, farm.queues.first().queueId, farm.queues.first().jobs.first().jobId};
    QCOMPARE(allPages(again, EmulatorOperation::ListSessions, parents),
        allPages(*m_service, EmulatorOperation::ListSessions, parents));
}

void tst_EmulatorDataset::otherSeedGivesOtherData()
{
    const EmulatorService other(EmulatorDataset::generate(smallSpec(99)), noAuth());
    QVERIFY(allPages(other, EmulatorOperation::ListImages) != allPages(*m_service, EmulatorOperation::ListImages));
    QVERIFY(other.data().catalog().farms.first().farmId != m_service->data().catalog().farms.first().farmId);
}

void tst_EmulatorDataset::countsAreTotalsSpreadOverParents()
{
    const EmulatorDataSpec spec = smallSpec();
    const EmulatorCatalog catalog = m_service->data().catalog();
    QCOMPARE(catalog.images, spec.images);
    QCOMPARE(items(allPages(*m_service, EmulatorOperation::ListImages), "Images").size(), spec.images);
    QCOMPARE(catalog.datasetGroups.size(), spec.datasetGroups);
    int datasets = 0, nonEmptyGroups = 0;
    for (const auto &group : catalog.datasetGroups) {
        datasets += group.datasets;
        nonEmptyGroups += group.datasets > 0;
    }
    QCOMPARE(datasets, spec.datasets);
    QCOMPARE(nonEmptyGroups, spec.datasetGroups);
    QCOMPARE(catalog.farms.size(), spec.farms);
    int sessions = 0, jobs = 0;
    for (const auto &farm : catalog.farms) {
        QCOMPARE(farm.queues.size(), spec.queuesPerFarm);
        for (const auto &queue : farm.queues) {
            QCOMPARE(queue.jobs.size(), spec.jobsPerQueue);
            for (const auto &job : queue.jobs) {
                sessions += job.sessions;
                ++jobs;
            }
        }
    }
    QCOMPARE(sessions, spec.sessions);
    QCOMPARE(allSessions(*m_service).size(), spec.sessions);
}

void tst_EmulatorDataset::generatedValuesMatchTheModels_data()
{
    QTest::addColumn<QString>("modelFile");
    QTest::addColumn<int>("operation");
    QTest::addColumn<QString>("itemShape");
    QTest::addColumn<QStringList>("enumShapes");
    QTest::addRow("images") << "sagemaker-ListImages.json" << int(EmulatorOperation::ListImages) << "Image"
                            << QStringList {u"ImageStatus"_s};
    QTest::addRow("datasets") << "personalize-ListDatasets.json" << int(EmulatorOperation::ListDatasets)
                              << "DatasetSummary" << QStringList {};
    QTest::addRow("sessions") << "deadline-ListSessions.json" << int(EmulatorOperation::ListSessions)
                              << "SessionSummary"
                              << QStringList {u"SessionLifecycleStatus"_s, u"SessionLifecycleTargetStatus"_s};
}

void tst_EmulatorDataset::generatedValuesMatchTheModels()
{
    QFETCH(QString, modelFile);
    QFETCH(int, operation);
    QFETCH(QString, itemShape);
    QFETCH(QStringList, enumShapes);
    const QString shared = qEnvironmentVariable("PAGEWISE_SHARED_DIR");
    ModelChecker checker;
    if (shared.isEmpty() || !checker.load(QDir(shared).filePath(QStringLiteral("aws-models/") + modelFile)))
        QSKIP("PAGEWISE_SHARED_DIR does not point at the reference models (aws-models/*.json)");

    const auto op = EmulatorOperation(operation);
    const QList<QJsonObject> all = op == EmulatorOperation::ListSessions ? allSessions(*m_service)
        : op == EmulatorOperation::ListImages                            ? items(allPages(*m_service, op), "Images")
                                                                         : items(allPages(*m_service, op), "datasets");
    QVERIFY(!all.isEmpty());
    QSet<QString> enumsSeen;
    bool nonAscii = false;
    QSet<QString> optionalAbsent;
    for (const QJsonObject &item : all) {
        const QString problem = checker.check(item, itemShape, &enumsSeen);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (auto it = item.begin(); it != item.end(); ++it)
            nonAscii = nonAscii || (it.value().isString() && hasNonAscii(it.value().toString()));
        for (const char *optional :
            {"Description", "DisplayName", "FailureReason", "endedAt", "updatedBy", "targetLifecycleStatus"})
            if (!item.contains(QLatin1String(optional)))
                optionalAbsent.insert(QLatin1String(optional));
    }
    QCOMPARE(enumsSeen, checker.enumValues(enumShapes));
    if (op != EmulatorOperation::ListDatasets)
        QVERIFY2(nonAscii, "no non-ASCII text generated");
    if (op == EmulatorOperation::ListDatasets) {
        // Free strings in the model; the documented values must all appear.
        QSet<QByteArray> types, statuses;
        for (const QJsonObject &item : all) {
            types.insert(item.value(QLatin1String("datasetType")).toString().toUtf8());
            statuses.insert(item.value(QLatin1String("status")).toString().toUtf8());
        }
        QCOMPARE(
            types, QSet<QByteArray>(EmulatorDataset::datasetTypes().begin(), EmulatorDataset::datasetTypes().end()));
        QCOMPARE(statuses,
            QSet<QByteArray>(EmulatorDataset::datasetStatuses().begin(), EmulatorDataset::datasetStatuses().end()));
    } else if (op == EmulatorOperation::ListImages) {
        QVERIFY(optionalAbsent.contains(QStringLiteral("Description")));
        QVERIFY(optionalAbsent.contains(QStringLiteral("DisplayName")));
    }
}

void tst_EmulatorDataset::optionalMembersFollowTheirStatus()
{
    int emptyReasons = 0;
    for (const QJsonObject &image : items(allPages(*m_service, EmulatorOperation::ListImages), "Images")) {
        const bool failed = image.value(QLatin1String("ImageStatus")).toString().endsWith(QLatin1String("_FAILED"));
        QCOMPARE(image.contains(QLatin1String("FailureReason")), failed);
        emptyReasons += failed && image.value(QLatin1String("FailureReason")).toString().isEmpty();
    }
    QVERIFY2(emptyReasons > 0, "an empty FailureReason belongs to realistic data");
    for (const QJsonObject &session : allSessions(*m_service)) {
        const QString status = session.value(QLatin1String("lifecycleStatus")).toString();
        QCOMPARE(session.contains(QLatin1String("endedAt")), status == QLatin1String("ENDED"));
        QCOMPARE(session.contains(QLatin1String("updatedAt")), session.contains(QLatin1String("updatedBy")));
        if (session.contains(QLatin1String("endedAt")))
            QVERIFY(session.value(QLatin1String("endedAt")).toString()
                > session.value(QLatin1String("startedAt")).toString());
    }
}

void tst_EmulatorDataset::timestampsUseBothNumberForms()
{
    const QList<QByteArray> pages = allPages(*m_service, EmulatorOperation::ListImages);
    const QByteArray joined = pages.join();
    const QRegularExpression exponent(QStringLiteral("\"CreationTime\":\\d\\.\\d+E9"));
    const QRegularExpression plain(QStringLiteral("\"CreationTime\":\\d{10}(\\.\\d{1,3})?[,}]"));
    QVERIFY(exponent.match(QString::fromUtf8(joined)).hasMatch());
    QVERIFY(plain.match(QString::fromUtf8(joined)).hasMatch());
    // Years are spread: 2019 up to 2025.
    QSet<int> years;
    for (const QJsonObject &image : items(pages, "Images"))
        years.insert(QDateTime::fromMSecsSinceEpoch(
            qint64(image.value(QLatin1String("CreationTime")).toDouble() * 1000), Qt::UTC)
                         .date()
                         .year());
    QVERIFY2(years.size() >= 5, qPrintable(QString::number(years.size())));
}

void tst_EmulatorDataset::loadsADataFile()
{
    const QByteArray document = R"({
      "images": [
        {"ImageName": "b-image", "ImageArn": "arn:aws:sagemaker:eu-west-1:111122223333:image/b-image",
         "CreationTime": 1704067200, "LastModifiedTime": "2024-02-01T00:00:00.5Z", "ImageStatus": "CREATED",
         "DisplayName": "Bé"},
        {"ImageName": "a-image", "ImageArn": "arn:aws:sagemaker:eu-west-1:111122223333:image/a-image",
         "CreationTime": 1.7040672005E9, "LastModifiedTime": 1704067201, "ImageStatus": "UPDATE_FAILED",
         "FailureReason": ""}
      ],
      "datasetGroups": ["arn:aws:personalize:us-east-1:111122223333:dataset-group/empty"],
      "datasets": [
        {"datasetGroupArn": "arn:aws:personalize:us-east-1:111122223333:dataset-group/shop",
         "datasetArn": "arn:aws:personalize:us-east-1:111122223333:dataset/shop/ITEMS", "name": "shop-items",
         "datasetType": "Items", "status": "ACTIVE", "creationDateTime": 1700000000, "lastUpdatedDateTime": 1700000001}
      ],
      "jobs": [{"farmId": "farm-00000000000000000000000000000001", "queueId": "queue-00000000000000000000000000000001",
                "jobId": "job-00000000000000000000000000000009"}],
      "sessions": [
        {"farmId": "farm-00000000000000000000000000000001", "queueId": "queue-00000000000000000000000000000001",
         "jobId": "job-00000000000000000000000000000002", "sessionId": "session-0000000000000000000000000000000b",
         "fleetId": "fleet-00000000000000000000000000000003", "workerId": "worker-00000000000000000000000000000004",
         "startedAt": "2024-05-01T12:00:01Z", "lifecycleStatus": "STARTED"},
        {"farmId": "farm-00000000000000000000000000000001", "queueId": "queue-00000000000000000000000000000001",
         "jobId": "job-00000000000000000000000000000002", "sessionId": "session-0000000000000000000000000000000a",
         "fleetId": "fleet-00000000000000000000000000000003", "workerId": "worker-00000000000000000000000000000005",
         "startedAt": "2024-05-01T12:00:00Z", "endedAt": "2024-05-01T12:34:56.789Z", "lifecycleStatus": "ENDED",
         "targetLifecycleStatus": "ENDED", "updatedBy": "someone"}
      ]
    })";
    QString error;
    const auto data = EmulatorDataset::load(document, &error);
    QVERIFY2(data, qPrintable(error));
    const EmulatorService service(data, noAuth());

    const QList<QJsonObject> images = items(allPages(service, EmulatorOperation::ListImages), "Images"); // newest first
    QCOMPARE(images.size(), 2);
    QCOMPARE(images[0].value(QLatin1String("ImageName")).toString(), QStringLiteral("a-image"));
    QCOMPARE(images[0].value(QLatin1String("FailureReason")).toString(), QString());
    QVERIFY(images[0].contains(QLatin1String("FailureReason")));
    QCOMPARE(images[1].value(QLatin1String("ImageArn")).toString(),
        QStringLiteral("arn:aws:sagemaker:eu-west-1:111122223333:image/b-image"));
    QCOMPARE(images[1].value(QLatin1String("DisplayName")).toString(), QStringLiteral("Bé"));
    QCOMPARE(images[1].value(QLatin1String("LastModifiedTime")).toDouble(), 1706745600.5);

    const EmulatorCatalog catalog = data->catalog();
    QCOMPARE(catalog.datasetGroups.size(), 2);
    QCOMPARE(catalog.datasetGroups[0].datasets, 0);
    QCOMPARE(catalog.datasetGroups[1].datasets, 1);
    QCOMPARE(catalog.farms.size(), 1);
    QCOMPARE(catalog.farms[0].queues[0].jobs.size(), 2);

    const QList<QJsonObject> sessions = items(allPages(service, EmulatorOperation::ListSessions,
                                                  {QStringLiteral("farm-00000000000000000000000000000001"),
                                                      QStringLiteral("queue-00000000000000000000000000000001"),
                                                      QStringLiteral("job-00000000000000000000000000000002")}),
        "sessions");
    QCOMPARE(sessions.size(), 2);
    QCOMPARE(sessions[0].value(QLatin1String("sessionId")).toString(),
        QStringLiteral("session-0000000000000000000000000000000a"));
    QCOMPARE(sessions[0].value(QLatin1String("endedAt")).toString(), QStringLiteral("2024-05-01T12:34:56.789Z"));
    QCOMPARE(sessions[0].value(QLatin1String("targetLifecycleStatus")).toString(), QStringLiteral("ENDED"));
    QVERIFY(!sessions[1].contains(QLatin1String("endedAt")));
}

void tst_EmulatorDataset::rejectsBadDataFiles_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("expected");
    QTest::addRow("not JSON") << QByteArray("[") << "not a JSON object";
    QTest::addRow("image without name") << QByteArray(R"({"images":[{"ImageArn":"x"}]})") << "images[0]";
    QTest::addRow("ARN not ending in name") << QByteArray(
        R"({"images":[{"ImageName":"a","ImageArn":"arn:b","CreationTime":1,"LastModifiedTime":1,"ImageStatus":"CREATED"}]})")
                                            << "ImageArn";
    QTest::addRow("unknown status") << QByteArray(
        R"({"images":[{"ImageName":"a","ImageArn":"image/a","CreationTime":1,"LastModifiedTime":1,"ImageStatus":"GONE"}]})")
                                    << "ImageStatus";
    QTest::addRow("bad session id") << QByteArray(
        R"({"sessions":[{"farmId":"farm-00000000000000000000000000000001","queueId":"queue-00000000000000000000000000000001","jobId":"job-00000000000000000000000000000002","sessionId":"s"}]})")
                                    << "sessions[0]";
}

void tst_EmulatorDataset::rejectsBadDataFiles()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!EmulatorDataset::load(document, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void tst_EmulatorDataset::catalogJsonListsParents()
{
    const EmulatorCatalog catalog = m_service->data().catalog();
    const QJsonObject json = QJsonDocument::fromJson(catalog.toJson()).object();
    QCOMPARE(json.value(QLatin1String("datasetGroups")).toArray().size(), catalog.datasetGroups.size());
    const QJsonObject firstGroup = json.value(QLatin1String("datasetGroups")).toArray().first().toObject();
    QCOMPARE(firstGroup.value(QLatin1String("datasetGroupArn")).toString(), catalog.datasetGroups.first().arn);
    const QJsonObject farm = json.value(QLatin1String("farms")).toArray().first().toObject();
    const QJsonObject job = farm.value(QLatin1String("queues"))
                                .toArray()
                                .first()
                                .toObject()
                                .value(QLatin1String("jobs"))
                                .toArray()
                                .first()
                                .toObject();
    QCOMPARE(job.value(QLatin1String("jobId")).toString(), catalog.farms.first().queues.first().jobs.first().jobId);
    QCOMPARE(job.value(QLatin1String("sessions")).toInt(), catalog.farms.first().queues.first().jobs.first().sessions);
}

QTEST_GUILESS_MAIN(tst_EmulatorDataset)
#include "tst_emulatordataset.moc"
