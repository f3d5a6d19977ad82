#include "emulatortesthelpers.h"
#include "loopbackemulator.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace pagewise;
using namespace Qt::StringLiterals;
using namespace pagewise::testing;
using pagewise::testsupport::exampleCredentials;

namespace
{

struct Listing {
    QList<QJsonObject> items;
    int pages = 0;
    int emptyPagesWithToken = 0;
    QString error;
};

// Pages through a listing the way botocore does, checking the token rules on the way.
Listing collect(const EmulatorService &service, EmulatorOperation operation, const QJsonObject &input, int pageSize,
    const QStringList &parents = {})
{
    Listing listing;
    QString token;
    const QString tokenKey = nextTokenMember(operation);
    const QString resultKey = operation == EmulatorOperation::ListImages ? QStringLiteral("Images")
        : operation == EmulatorOperation::ListDatasets                   ? QStringLiteral("datasets")
                                                                         : QStringLiteral("sessions");
    for (int guard = 0; guard < 10000; ++guard) {
        const EmulatorRequest request = pageRequest(operation, input, token, pageSize, parents);
        const EmulatorResponse response = service.handle(request, kNow, quint64(guard + 1));
        if (response.status != 200) {
            listing.error = QString::fromUtf8(response.body);
            return listing;
        }
        const QJsonObject body = bodyOf(response);
        const QJsonArray items = body.value(resultKey).toArray();
        if (!body.contains(resultKey))
            listing.error = QStringLiteral("response without ") + resultKey;
        ++listing.pages;
        for (const QJsonValue &item : items)
            listing.items.append(item.toObject());
        const QString next = body.value(tokenKey).toString();
        if (items.isEmpty() && !next.isEmpty())
            ++listing.emptyPagesWithToken;
        if (next.isEmpty())
            return listing;
        if (next == token) {
            listing.error = QStringLiteral("the same token twice in a row");
            return listing;
        }
        token = next;
    }
    listing.error = QStringLiteral("listing did not end");
    return listing;
}

qint64 epochMs(const QJsonValue &value)
{
    return qint64(std::llround(value.toDouble() * 1000.0));
}

} // namespace

class tst_EmulatorService : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void listImagesDefaultsToTenNewestFirst();
    void listImagesFiltersAndSorts_data();
    void listImagesFiltersAndSorts();
    void listImagesBoundsAreInclusive();
    void filteredListingsSometimesReturnEmptyPagesWithToken();
    void sameTokenReturnsSamePage();
    void tokenIsBoundToItsListing_data();
    void tokenIsBoundToItsListing();
    void forgedTokensAreRejected_data();
    void forgedTokensAreRejected();

    void awsJsonValidationErrors_data();
    void awsJsonValidationErrors();
    void wrongMemberTypeIsSerializationException_data();
    void wrongMemberTypeIsSerializationException();

    void listDatasetsDefaultsToHundredAndFiltersByGroup();
    void listDatasetsRejectsBadInput();

    void listSessionsPagesThroughEveryJob();
    void listSessionsOfEmptyJobHasEmptyArray();
    void listSessionsTimestampsAreIsoUtc();
    void listSessionsValidation_data();
    void listSessionsValidation();
    void listSessionsUnknownParents_data();
    void listSessionsUnknownParents();

    void unknownOperations();
    void everyResponseHasRequestId();

    void signatureVerification_data();
    void signatureVerification();
    void statedPayloadHashMustMatchTheBody();

private:
    std::shared_ptr<const EmulatorDataset> m_data;
    std::unique_ptr<EmulatorService> m_service;
    EmulatorCatalog m_catalog;
};

void tst_EmulatorService::initTestCase()
{
    m_data = EmulatorDataset::generate(smallSpec());
    m_service = std::make_unique<EmulatorService>(m_data, noAuth());
    m_catalog = m_data->catalog();
    QVERIFY(!m_catalog.farms.isEmpty());
}

void tst_EmulatorService::listImagesDefaultsToTenNewestFirst()
{
    const EmulatorResponse response = m_service->handle(imagesRequest({}), kNow, 1);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("content-type"), QByteArray("application/x-amz-json-1.1"));
    const QJsonArray images = bodyOf(response).value(QLatin1String("Images")).toArray();
    QCOMPARE(images.size(), 10);
    qint64 newest = 0;
    for (const EmulatorImage &image : m_data->images)
        newest = std::max(newest, image.createdMs);
    QCOMPARE(epochMs(images.first().toObject().value(QLatin1String("CreationTime"))), newest);
    for (qsizetype i = 1; i < images.size(); ++i)
        QVERIFY(epochMs(images[i - 1].toObject().value(QLatin1String("CreationTime")))
            >= epochMs(images[i].toObject().value(QLatin1String("CreationTime"))));
    QVERIFY(!bodyOf(response).value(QLatin1String("NextToken")).toString().isEmpty());
}

void tst_EmulatorService::listImagesFiltersAndSorts_data()
{
    QTest::addColumn<QJsonObject>("input");
    QTest::addColumn<int>("pageSize");
    // Bounds in the middle of the generated range (2019..2025).
    const double t2021 = 1609459200, t2023 = 1672531200, t2022 = 1640995200;
    QTest::addRow("default order") << QJsonObject {} << 37;
    QTest::addRow("creation ascending") << QJsonObject {{u"SortOrder"_s, u"ASCENDING"_s}} << 100;
    QTest::addRow("modified descending") << QJsonObject {{u"SortBy"_s, u"LAST_MODIFIED_TIME"_s}} << 13;
    QTest::addRow("modified ascending") << QJsonObject {{u"SortBy"_s, u"LAST_MODIFIED_TIME"_s},
        {u"SortOrder"_s, u"ASCENDING"_s}}
                                        << 50;
    QTest::addRow("name ascending") << QJsonObject {{u"SortBy"_s, u"IMAGE_NAME"_s}, {u"SortOrder"_s, u"ASCENDING"_s}}
                                    << 9;
    QTest::addRow("name descending") << QJsonObject {{u"SortBy"_s, u"IMAGE_NAME"_s}} << 1;
    QTest::addRow("created after") << QJsonObject {{u"CreationTimeAfter"_s, t2021}} << 20;
    QTest::addRow("created window, ascending") << QJsonObject {{u"CreationTimeAfter"_s, t2021},
        {u"CreationTimeBefore"_s, t2023}, {u"SortOrder"_s, u"ASCENDING"_s}}
                                               << 7;
    QTest::addRow("created window, by name") << QJsonObject {{u"CreationTimeAfter"_s, t2021},
        {u"CreationTimeBefore"_s, t2023}, {u"SortBy"_s, u"IMAGE_NAME"_s}}
                                             << 11;
    QTest::addRow("modified window, by modification") << QJsonObject {{u"LastModifiedTimeAfter"_s, t2022},
        {u"LastModifiedTimeBefore"_s, t2023}, {u"SortBy"_s, u"LAST_MODIFIED_TIME"_s}}
                                                      << 5;
    QTest::addRow("modified before, by creation") << QJsonObject {{u"LastModifiedTimeBefore"_s, t2022}} << 100;
    QTest::addRow("name contains, case-insensitive") << QJsonObject {{u"NameContains"_s, u"GPU"_s}} << 4;
    QTest::addRow("name contains with dot")
        << QJsonObject {{u"NameContains"_s, u"."_s}, {u"SortBy"_s, u"IMAGE_NAME"_s}} << 3;
    QTest::addRow("everything") << QJsonObject {{u"NameContains"_s, u"o"_s}, {u"CreationTimeAfter"_s, t2021},
        {u"CreationTimeBefore"_s, t2023}, {u"LastModifiedTimeAfter"_s, t2021}, {u"LastModifiedTimeBefore"_s, 1.7e9},
        {u"SortBy"_s, u"LAST_MODIFIED_TIME"_s}, {u"SortOrder"_s, u"ASCENDING"_s}}
                                << 6;
    QTest::addRow("matches nothing") << QJsonObject {{u"NameContains"_s, u"zzzz-no-such"_s}} << 10;
}

void tst_EmulatorService::listImagesFiltersAndSorts()
{
    QFETCH(QJsonObject, input);
    QFETCH(int, pageSize);

    const Listing listing = collect(*m_service, EmulatorOperation::ListImages, input, pageSize);
    QVERIFY2(listing.error.isEmpty(), qPrintable(listing.error));

    // Independent computation over the raw data.
    const auto bound = [&](const char *key) -> std::optional<qint64> {
        if (!input.contains(QLatin1String(key)))
            return std::nullopt;
        return qint64(std::llround(input.value(QLatin1String(key)).toDouble() * 1000));
    };
    const auto ca = bound("CreationTimeAfter"), cb = bound("CreationTimeBefore"), ma = bound("LastModifiedTimeAfter"),
               mb = bound("LastModifiedTimeBefore");
    const QString needle = input.value(QLatin1String("NameContains")).toString();
    QSet<QString> expected;
    for (const EmulatorImage &image : m_data->images) {
        const QString name = QString::fromUtf8(m_data->names.view(image.name));
        if ((ca && image.createdMs < *ca) || (cb && image.createdMs > *cb) || (ma && image.modifiedMs < *ma)
            || (mb && image.modifiedMs > *mb) || (!needle.isEmpty() && !name.contains(needle, Qt::CaseInsensitive)))
            continue;
        expected.insert(name);
    }

    QSet<QString> seen;
    for (const QJsonObject &image : listing.items) {
        const QString name = image.value(QLatin1String("ImageName")).toString();
        QVERIFY2(!seen.contains(name), qPrintable(QStringLiteral("duplicate ") + name));
        seen.insert(name);
    }
    QCOMPARE(seen, expected);

    const QString sortBy = input.value(QLatin1String("SortBy")).toString(QStringLiteral("CREATION_TIME"));
    const bool ascending = input.value(QLatin1String("SortOrder")).toString() == QLatin1String("ASCENDING");
    const auto key = [&](const QJsonObject &image) -> std::pair<qint64, QString> {
        const QString name = image.value(QLatin1String("ImageName")).toString();
        if (sortBy == QLatin1String("IMAGE_NAME"))
            return {0, name};
        const char *member = sortBy == QLatin1String("LAST_MODIFIED_TIME") ? "LastModifiedTime" : "CreationTime";
        return {epochMs(image.value(QLatin1String(member))), name};
    };
    for (qsizetype i = 1; i < listing.items.size(); ++i) {
        const auto previous = key(listing.items[i - 1]), current = key(listing.items[i]);
        QVERIFY2(ascending ? previous < current : previous > current,
            qPrintable(QStringLiteral("out of order at %1: %2 then %3").arg(i).arg(previous.second, current.second)));
    }
}

void tst_EmulatorService::listImagesBoundsAreInclusive()
{
    const EmulatorImage &image = m_data->images[123];
    const QString name = QString::fromUtf8(m_data->names.view(image.name));
    const double created = double(image.createdMs) / 1000.0;
    const QJsonObject input {
        {u"CreationTimeAfter"_s, created}, {u"CreationTimeBefore"_s, created}, {u"MaxResults"_s, 100}};
    const Listing listing = collect(*m_service, EmulatorOperation::ListImages, input, 100);
    QVERIFY(listing.error.isEmpty());
    QStringList names;
    for (const QJsonObject &item : listing.items)
        names << item.value(QLatin1String("ImageName")).toString();
    QVERIFY2(names.contains(name), qPrintable(names.join(u',')));
}

void tst_EmulatorService::filteredListingsSometimesReturnEmptyPagesWithToken()
{
    // Given a filtered listing with small pages
    int emptyPages = 0, pages = 0;
    for (const char *needle : {"a", "e", "o", "-"}) {
        const Listing listing = collect(
            *m_service, EmulatorOperation::ListImages, QJsonObject {{u"NameContains"_s, QLatin1String(needle)}}, 2);
        QVERIFY(listing.error.isEmpty());
        emptyPages += listing.emptyPagesWithToken;
        pages += listing.pages;
    }
    // Then a few pages are empty yet carry a token (clients must keep going), but only a few.
    QVERIFY2(emptyPages > 0, "no empty page with a token");
    QVERIFY2(emptyPages * 10 < pages, qPrintable(QStringLiteral("%1 of %2 pages empty").arg(emptyPages).arg(pages)));

    // And unfiltered listings never do.
    QCOMPARE(collect(*m_service, EmulatorOperation::ListImages, {}, 3).emptyPagesWithToken, 0);
}

void tst_EmulatorService::sameTokenReturnsSamePage()
{
    const QJsonObject input {{u"SortBy"_s, u"IMAGE_NAME"_s}, {u"MaxResults"_s, 25}};
    const EmulatorResponse first = m_service->handle(imagesRequest(input), kNow, 1);
    const QString token = bodyOf(first).value(QLatin1String("NextToken")).toString();
    QVERIFY(!token.isEmpty());
    QVERIFY(token.size() <= 8192);
    QJsonObject second = input;
    second.insert(QStringLiteral("NextToken"), token);
    const EmulatorResponse a = m_service->handle(imagesRequest(second), kNow, 2);
    const EmulatorResponse b = m_service->handle(imagesRequest(second), kNow, 3);
    QCOMPARE(a.status, 200);
    QCOMPARE(a.body, b.body);
    QVERIFY(a.body != first.body);
    QVERIFY(bodyOf(a).value(QLatin1String("NextToken")).toString() != token);
    // A different page size may resume the same listing.
    second.insert(QStringLiteral("MaxResults"), 5);
    QCOMPARE(m_service->handle(imagesRequest(second), kNow, 4).status, 200);
}

void tst_EmulatorService::tokenIsBoundToItsListing_data()
{
    QTest::addColumn<QJsonObject>("issuedFor");
    QTest::addColumn<QJsonObject>("usedWith");
    QTest::addRow("other sort") << QJsonObject {} << QJsonObject {{u"SortBy"_s, u"IMAGE_NAME"_s}};
    QTest::addRow("other order") << QJsonObject {} << QJsonObject {{u"SortOrder"_s, u"ASCENDING"_s}};
    QTest::addRow("filter added") << QJsonObject {} << QJsonObject {{u"NameContains"_s, u"gpu"_s}};
    QTest::addRow("filter changed") << QJsonObject {{u"NameContains"_s, u"gpu"_s}}
                                    << QJsonObject {{u"NameContains"_s, u"cpu"_s}};
    QTest::addRow("bound changed") << QJsonObject {{u"CreationTimeAfter"_s, 1600000000}}
                                   << QJsonObject {{u"CreationTimeAfter"_s, 1600000001}};
}

void tst_EmulatorService::tokenIsBoundToItsListing()
{
    QFETCH(QJsonObject, issuedFor);
    QFETCH(QJsonObject, usedWith);
    issuedFor.insert(QStringLiteral("MaxResults"), 3);
    const QString token
        = bodyOf(m_service->handle(imagesRequest(issuedFor), kNow, 1)).value(QLatin1String("NextToken")).toString();
    QVERIFY(!token.isEmpty());
    usedWith.insert(QStringLiteral("NextToken"), token);
    const EmulatorResponse response = m_service->handle(imagesRequest(usedWith), kNow, 2);
    QCOMPARE(response.status, 400);
    QCOMPARE(bodyOf(response).value(QLatin1String("__type")).toString(), QStringLiteral("ValidationException"));
}

void tst_EmulatorService::forgedTokensAreRejected_data()
{
    QTest::addColumn<int>("operation");
    QTest::addColumn<QString>("expectedType");
    QTest::addColumn<int>("expectedStatus");
    QTest::addRow("images") << int(EmulatorOperation::ListImages) << "ValidationException" << 400;
    QTest::addRow("datasets") << int(EmulatorOperation::ListDatasets) << "InvalidNextTokenException" << 400;
    QTest::addRow("sessions") << int(EmulatorOperation::ListSessions) << "ValidationException" << 400;
}

void tst_EmulatorService::forgedTokensAreRejected()
{
    QFETCH(int, operation);
    QFETCH(QString, expectedType);
    QFETCH(int, expectedStatus);
    const auto op = EmulatorOperation(operation);
    const auto &farm = m_catalog.farms.first();
    const auto &queue = farm.queues.first();
    const auto &job = queue.jobs.first();
    const auto request = [&](const QString &token) {
        if (op == EmulatorOperation::ListSessions)
            return sessionsRequest(farm.farmId, queue.queueId, job.jobId,
                "maxResults=2" + (token.isNull() ? QByteArray() : "&nextToken=" + token.toUtf8().toPercentEncoding()));
        QJsonObject input {{op == EmulatorOperation::ListImages ? u"MaxResults"_s : u"maxResults"_s, 2}};
        if (!token.isNull())
            input.insert(op == EmulatorOperation::ListImages ? u"NextToken"_s : u"nextToken"_s, token);
        return op == EmulatorOperation::ListImages ? imagesRequest(input) : datasetsRequest(input);
    };
    const QString key = op == EmulatorOperation::ListImages ? QStringLiteral("NextToken") : QStringLiteral("nextToken");
    const QString token = bodyOf(m_service->handle(request(QString()), kNow, 1)).value(key).toString();
    QVERIFY(!token.isEmpty());
    QCOMPARE(m_service->handle(request(token), kNow, 2).status, 200);

    QStringList forged {QStringLiteral("not-a-token"), token.left(token.size() - 2), token + QStringLiteral("A"),
        QStringLiteral("eyJvZmZzZXQiOjF9")};
    for (int i = 0; i < token.size(); i += 5) {
        QString changed = token;
        changed[i] = changed[i] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        forged << changed;
    }
    const EmulatorService other(EmulatorDataset::generate(smallSpec(8)), noAuth());
    // A valid token of another seed is forged too (sessions: the other seed has other parent IDs).
    if (op != EmulatorOperation::ListSessions) {
        const QString otherToken = bodyOf(other.handle(request(QString()), kNow, 1)).value(key).toString();
        QVERIFY(!otherToken.isEmpty());
        forged << otherToken;
    }
    for (const QString &bad : forged) {
        const EmulatorResponse response = m_service->handle(request(bad), kNow, 3);
        QVERIFY2(response.status == expectedStatus, qPrintable(bad + QStringLiteral(" was accepted")));
        QCOMPARE(bodyOf(response).value(QLatin1String("__type")).toString(), expectedType);
        QCOMPARE(response.header("content-type"),
            op == EmulatorOperation::ListSessions ? QByteArray("application/json")
                                                  : QByteArray("application/x-amz-json-1.1"));
    }
}

void tst_EmulatorService::awsJsonValidationErrors_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("message");
    const QByteArray images = "SageMaker.ListImages", datasets = "AmazonPersonalize.ListDatasets";
    QTest::addRow("MaxResults too big")
        << images << QByteArray(R"({"MaxResults": 500})") << "ValidationException"
        << "1 validation error detected: Value '500' at 'maxResults' failed to satisfy constraint: Member must have "
           "value less than or equal to 100";
    QTest::addRow("MaxResults zero")
        << images << QByteArray(R"({"MaxResults": 0})") << "ValidationException"
        << "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have "
           "value greater than or equal to 1";
    QTest::addRow("NameContains pattern")
        << images << QByteArray(R"({"NameContains": "a b"})") << "ValidationException"
        << "1 validation error detected: Value 'a b' at 'nameContains' failed to satisfy constraint: Member must "
           "satisfy regular expression pattern: [a-zA-Z0-9\\-.]+";
    QTest::addRow("NameContains length")
        << images << QByteArray("{\"NameContains\": \"" + QByteArray(64, 'a') + "\"}") << "ValidationException"
        << QString(u"1 validation error detected: Value '"_s + QString(64, QLatin1Char('a'))
               + u"' at 'nameContains' failed to satisfy constraint: Member must have length less than or equal to 63"_s);
    QTest::addRow("SortBy enum")
        << images << QByteArray(R"({"SortBy": "NAME"})") << "ValidationException"
        << "1 validation error detected: Value 'NAME' at 'sortBy' failed to satisfy constraint: Member must satisfy "
           "enum value set: [CREATION_TIME, LAST_MODIFIED_TIME, IMAGE_NAME]";
    QTest::addRow("two errors")
        << images << QByteArray(R"({"MaxResults": 101, "SortOrder": "UP"})") << "ValidationException"
        << "2 validation errors detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have "
           "value less than or equal to 100; Value 'UP' at 'sortOrder' failed to satisfy constraint: Member must "
           "satisfy enum value set: [ASCENDING, DESCENDING]";
    QTest::addRow("datasets maxResults")
        << datasets << QByteArray(R"({"maxResults": 1000})") << "InvalidInputException"
        << "1 validation error detected: Value '1000' at 'maxResults' failed to satisfy constraint: Member must have "
           "value less than or equal to 100";
    QTest::addRow("datasets bad ARN")
        << datasets << QByteArray(R"({"datasetGroupArn": "arn:aws:s3:::bucket"})") << "InvalidInputException"
        << "1 validation error detected: Value 'arn:aws:s3:::bucket' at 'datasetGroupArn' failed to satisfy "
           "constraint: Member must satisfy regular expression pattern: arn:([a-z\\d-]+):personalize:.*:.*:.+";
}

void tst_EmulatorService::awsJsonValidationErrors()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(QString, type);
    QFETCH(QString, message);
    const EmulatorResponse response = m_service->handle(awsJsonRequest(target, body), kNow, 1);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.header("x-amzn-errortype"), type.toUtf8());
    QCOMPARE(response.header("content-type"), QByteArray("application/x-amz-json-1.1"));
    const QJsonObject error = bodyOf(response);
    QCOMPARE(error.value(QLatin1String("__type")).toString(), type);
    QCOMPARE(error.value(QLatin1String("message")).toString(), message);
}

void tst_EmulatorService::wrongMemberTypeIsSerializationException_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addRow("string for integer") << QByteArray("SageMaker.ListImages") << QByteArray(R"({"MaxResults":"ten"})");
    QTest::addRow("fraction for integer") << QByteArray("SageMaker.ListImages") << QByteArray(R"({"MaxResults":2.5})");
    QTest::addRow("string for timestamp")
        << QByteArray("SageMaker.ListImages") << QByteArray(R"({"CreationTimeAfter":"2024-01-01"})");
    QTest::addRow("number for string") << QByteArray("SageMaker.ListImages") << QByteArray(R"({"NameContains":5})");
    QTest::addRow("list for string") << QByteArray("AmazonPersonalize.ListDatasets")
                                     << QByteArray(R"({"datasetGroupArn":[]})");
    QTest::addRow("unparseable") << QByteArray("AmazonPersonalize.ListDatasets") << QByteArray(R"({"maxResults":)");
    QTest::addRow("not an object") << QByteArray("SageMaker.ListImages") << QByteArray("[1,2]");
}

void tst_EmulatorService::wrongMemberTypeIsSerializationException()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    const EmulatorResponse response = m_service->handle(awsJsonRequest(target, body), kNow, 1);
    QCOMPARE(response.status, 400);
    QCOMPARE(bodyOf(response).value(QLatin1String("__type")).toString(), QStringLiteral("SerializationException"));
    QVERIFY(!bodyOf(response).value(QLatin1String("message")).toString().isEmpty());
}

void tst_EmulatorService::listDatasetsDefaultsToHundredAndFiltersByGroup()
{
    const EmulatorResponse first = m_service->handle(datasetsRequest({}), kNow, 1);
    QCOMPARE(first.status, 200);
    QCOMPARE(bodyOf(first).value(QLatin1String("datasets")).toArray().size(), 100);

    const Listing all = collect(*m_service, EmulatorOperation::ListDatasets, {}, 100);
    QVERIFY(all.error.isEmpty());
    QCOMPARE(all.items.size(), qsizetype(m_data->datasets.size()));
    int total = 0;
    for (const EmulatorCatalog::DatasetGroup &group : m_catalog.datasetGroups) {
        const Listing listing
            = collect(*m_service, EmulatorOperation::ListDatasets, QJsonObject {{u"datasetGroupArn"_s, group.arn}}, 17);
        QVERIFY(listing.error.isEmpty());
        QCOMPARE(listing.items.size(), group.datasets);
        QSet<QString> arns;
        for (const QJsonObject &dataset : listing.items) {
            const QString arn = dataset.value(QLatin1String("datasetArn")).toString();
            QVERIFY2(arn.contains(QStringLiteral("/") + group.name + QStringLiteral("/")), qPrintable(arn));
            arns.insert(arn);
        }
        QCOMPARE(arns.size(), group.datasets);
        total += group.datasets;
    }
    QCOMPARE(total, int(m_data->datasets.size()));
    // A well-formed ARN of a group that does not exist lists nothing.
    const Listing none = collect(*m_service, EmulatorOperation::ListDatasets,
        QJsonObject {{u"datasetGroupArn"_s, u"arn:aws:personalize:us-west-2:123456789012:dataset-group/none"_s}}, 10);
    QVERIFY(none.error.isEmpty());
    QCOMPARE(none.items.size(), 0);
}

void tst_EmulatorService::listDatasetsRejectsBadInput()
{
    QJsonObject input {{u"nextToken"_s, u"expired-or-bogus"_s}};
    const EmulatorResponse response = m_service->handle(datasetsRequest(input), kNow, 1);
    QCOMPARE(response.status, 400);
    QCOMPARE(bodyOf(response).value(QLatin1String("__type")).toString(), QStringLiteral("InvalidNextTokenException"));
    QCOMPARE(bodyOf(response).value(QLatin1String("message")).toString(), QStringLiteral("Invalid next token."));

    input.insert(QStringLiteral("nextToken"), QString(1501, QLatin1Char('x')));
    QCOMPARE(bodyOf(m_service->handle(datasetsRequest(input), kNow, 2)).value(QLatin1String("__type")).toString(),
        QStringLiteral("InvalidInputException"));
}

void tst_EmulatorService::listSessionsPagesThroughEveryJob()
{
    int total = 0;
    for (const auto &farm : m_catalog.farms) {
        for (const auto &queue : farm.queues) {
            for (const auto &job : queue.jobs) {
                const Listing listing = collect(
                    *m_service, EmulatorOperation::ListSessions, {}, 30, {farm.farmId, queue.queueId, job.jobId});
                QVERIFY2(listing.error.isEmpty(), qPrintable(listing.error));
                QCOMPARE(listing.items.size(), job.sessions);
                QSet<QString> ids;
                QString previousStart;
                for (const QJsonObject &session : listing.items) {
                    ids.insert(session.value(QLatin1String("sessionId")).toString());
                    const QString start = session.value(QLatin1String("startedAt")).toString();
                    QVERIFY(QDateTime::fromString(previousStart, Qt::ISODateWithMs)
                        <= QDateTime::fromString(start, Qt::ISODateWithMs));
                    previousStart = start;
                }
                QCOMPARE(ids.size(), job.sessions);
                total += job.sessions;
            }
        }
    }
    QCOMPARE(total, int(m_data->sessions.size()));
}

void tst_EmulatorService::listSessionsOfEmptyJobHasEmptyArray()
{
    const auto &farm = m_catalog.farms.last();
    const auto &queue = farm.queues.last();
    const auto &job = queue.jobs.last();
    QCOMPARE(job.sessions, 0);
    const EmulatorResponse response
        = m_service->handle(sessionsRequest(farm.farmId, queue.queueId, job.jobId), kNow, 1);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray(R"({"sessions":[]})"));
    QCOMPARE(response.header("content-type"), QByteArray("application/json"));
}

void tst_EmulatorService::listSessionsTimestampsAreIsoUtc()
{
    const QRegularExpression iso(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z$"));
    int withMillis = 0, withoutMillis = 0;
    const auto &farm = m_catalog.farms.first();
    const auto &queue = farm.queues.first();
    const auto &job = queue.jobs.first();
    const Listing listing
        = collect(*m_service, EmulatorOperation::ListSessions, {}, 100, {farm.farmId, queue.queueId, job.jobId});
    for (const QJsonObject &session : listing.items) {
        for (const char *member : {"startedAt", "endedAt", "updatedAt"}) {
            if (!session.contains(QLatin1String(member)))
                continue;
            const QString value = session.value(QLatin1String(member)).toString();
            QVERIFY2(iso.match(value).hasMatch(), qPrintable(value));
            (value.contains(QLatin1Char('.')) ? withMillis : withoutMillis)++;
        }
        const bool ended = session.value(QLatin1String("lifecycleStatus")).toString() == QLatin1String("ENDED");
        QCOMPARE(session.contains(QLatin1String("endedAt")), ended);
    }
    QVERIFY(withMillis > 0);
    QVERIFY(withoutMillis > 0);
}

void tst_EmulatorService::listSessionsValidation_data()
{
    QTest::addColumn<QString>("farm");
    QTest::addColumn<QString>("queue");
    QTest::addColumn<QString>("job");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QStringList>("fields");
    const QString farm = QStringLiteral("farm-") + QString(32, QLatin1Char('a'));
    const QString queue = QStringLiteral("queue-") + QString(32, QLatin1Char('b'));
    const QString job = QStringLiteral("job-") + QString(32, QLatin1Char('c'));
    QTest::addRow("bad farm") << "farm-XYZ" << queue << job << QByteArray() << QStringList {u"farmId"_s};
    QTest::addRow("upper-case hex") << farm << QStringLiteral("queue-") + QString(32, QLatin1Char('B')) << job
                                    << QByteArray() << QStringList {u"queueId"_s};
    QTest::addRow("slash in job") << farm << queue << "job-a/b" << QByteArray() << QStringList {u"jobId"_s};
    QTest::addRow("maxResults too big") << farm << queue << job << QByteArray("maxResults=1000")
                                        << QStringList {u"maxResults"_s};
    QTest::addRow("maxResults zero and bad farm")
        << "farm-" << queue << job << QByteArray("maxResults=0") << QStringList {u"farmId"_s, u"maxResults"_s};
}

void tst_EmulatorService::listSessionsValidation()
{
    QFETCH(QString, farm);
    QFETCH(QString, queue);
    QFETCH(QString, job);
    QFETCH(QByteArray, query);
    QFETCH(QStringList, fields);
    const EmulatorResponse response = m_service->handle(sessionsRequest(farm, queue, job, query), kNow, 1);
    QCOMPARE(response.status, 400);
    QVERIFY(response.header("x-amzn-errortype").startsWith("ValidationException"));
    const QJsonObject error = bodyOf(response);
    QCOMPARE(error.value(QLatin1String("reason")).toString(), QStringLiteral("FIELD_VALIDATION_FAILED"));
    QStringList names;
    for (const QJsonValue &field : error.value(QLatin1String("fieldList")).toArray()) {
        names << field.toObject().value(QLatin1String("name")).toString();
        QVERIFY(
            field.toObject().value(QLatin1String("message")).toString().contains(QLatin1String("failed to satisfy")));
    }
    QCOMPARE(names, fields);
    QVERIFY(error.value(QLatin1String("message")).toString().contains(QLatin1String("validation error")));
}

void tst_EmulatorService::listSessionsUnknownParents_data()
{
    QTest::addColumn<int>("level");
    QTest::addRow("farm") << 0;
    QTest::addRow("queue") << 1;
    QTest::addRow("job") << 2;
}

void tst_EmulatorService::listSessionsUnknownParents()
{
    QFETCH(int, level);
    const auto &farm = m_catalog.farms.first();
    QStringList ids {farm.farmId, farm.queues.first().queueId, farm.queues.first().jobs.first().jobId};
    const QStringList prefixes {QStringLiteral("farm-"), QStringLiteral("queue-"), QStringLiteral("job-")};
    ids[level] = prefixes[level] + QString(32, QLatin1Char('0'));
    const EmulatorResponse response = m_service->handle(sessionsRequest(ids[0], ids[1], ids[2]), kNow, 1);
    QCOMPARE(response.status, 404);
    QCOMPARE(response.header("x-amzn-errortype"), QByteArray("ResourceNotFoundException"));
    const QJsonObject error = bodyOf(response);
    QCOMPARE(error.value(QLatin1String("resourceId")).toString(), ids[level]);
    QCOMPARE(error.value(QLatin1String("resourceType")).toString(), prefixes[level].chopped(1));
    QVERIFY(!error.value(QLatin1String("message")).toString().isEmpty());
}

void tst_EmulatorService::unknownOperations()
{
    const EmulatorResponse target = m_service->handle(awsJsonRequest("SageMaker.DeleteImage", "{}"), kNow, 1);
    QCOMPARE(target.status, 400);
    QCOMPARE(bodyOf(target).value(QLatin1String("__type")).toString(), QStringLiteral("UnknownOperationException"));

    EmulatorRequest path
        = sessionsRequest(QStringLiteral("farm-x"), QStringLiteral("queue-y"), QStringLiteral("job-z"));
    path.path.replace("/sessions", "/workers");
    const EmulatorResponse route = m_service->handle(path, kNow, 2);
    QCOMPARE(route.status, 404);
    QCOMPARE(route.header("x-amzn-errortype"), QByteArray("UnknownOperationException"));
}

void tst_EmulatorService::everyResponseHasRequestId()
{
    const QRegularExpression uuid(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    QSet<QByteArray> ids;
    const QList<EmulatorRequest> requests {imagesRequest({}), datasetsRequest({{u"maxResults"_s, 0}}),
        awsJsonRequest("Nope.Nope", "{}"),
        sessionsRequest(QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"))};
    quint64 number = 0;
    for (const EmulatorRequest &request : requests) {
        const QByteArray id = m_service->handle(request, kNow, ++number).header("x-amzn-requestid");
        QVERIFY2(uuid.match(QString::fromLatin1(id)).hasMatch(), id.constData());
        ids.insert(id);
    }
    for (auto fault : {EmulatorService::Fault::Throttle, EmulatorService::Fault::InternalError})
        ids.insert(m_service->faultResponse(EmulatorOperation::ListImages, fault, ++number).header("x-amzn-requestid"));
    QCOMPARE(ids.size(), 6);
}

void tst_EmulatorService::signatureVerification_data()
{
    QTest::addColumn<int>("operation");
    QTest::addColumn<QString>("accessKey");
    QTest::addColumn<QString>("secretKey");
    QTest::addColumn<QString>("service");
    QTest::addColumn<int>("skewSeconds");
    QTest::addColumn<bool>("tamper");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const QString key = exampleCredentials().accessKeyId, secret = exampleCredentials().secretAccessKey;
    const int images = int(EmulatorOperation::ListImages), sessions = int(EmulatorOperation::ListSessions),
              datasets = int(EmulatorOperation::ListDatasets);
    QTest::addRow("images signed") << images << key << secret << "sagemaker" << 0 << false << 200 << QString();
    QTest::addRow("datasets signed") << datasets << key << secret << "personalize" << 0 << false << 200 << QString();
    QTest::addRow("sessions signed") << sessions << key << secret << "deadline" << 0 << false << 200 << QString();
    QTest::addRow("14 min skew") << images << key << secret << "sagemaker" << 14 * 60 << false << 200 << QString();
    QTest::addRow("wrong secret, json") << images << key << "wrong"
                                        << "sagemaker" << 0 << false << 400 << "InvalidSignatureException";
    QTest::addRow("wrong secret, deadline") << sessions << key << "wrong"
                                            << "deadline" << 0 << false << 403 << "InvalidSignatureException";
    QTest::addRow("unknown key, json") << datasets << "AKIDUNKNOWN" << secret << "personalize" << 0 << false << 400
                                       << "UnrecognizedClientException";
    QTest::addRow("unknown key, deadline")
        << sessions << "AKIDUNKNOWN" << secret << "deadline" << 0 << false << 403 << "UnrecognizedClientException";
    QTest::addRow("wrong service") << images << key << secret << "personalize" << 0 << false << 400
                                   << "InvalidSignatureException";
    QTest::addRow("16 min skew") << images << key << secret << "sagemaker" << 16 * 60 << false << 400
                                 << "InvalidSignatureException";
    QTest::addRow("16 min ahead") << sessions << key << secret << "deadline" << -16 * 60 << false << 403
                                  << "InvalidSignatureException";
    QTest::addRow("body changed after signing")
        << images << key << secret << "sagemaker" << 0 << true << 400 << "InvalidSignatureException";
    QTest::addRow("query changed after signing")
        << sessions << key << secret << "deadline" << 0 << true << 403 << "InvalidSignatureException";
}

void tst_EmulatorService::signatureVerification()
{
    QFETCH(int, operation);
    QFETCH(QString, accessKey);
    QFETCH(QString, secretKey);
    QFETCH(QString, service);
    QFETCH(int, skewSeconds);
    QFETCH(bool, tamper);
    QFETCH(int, status);
    QFETCH(QString, code);

    const EmulatorService verifying(m_data, EmulatorService::Options {});
    const auto &farm = m_catalog.farms.first();
    const EmulatorRequest unsignedRequest = EmulatorOperation(operation) == EmulatorOperation::ListImages
        ? imagesRequest({{u"MaxResults"_s, 3}})
        : EmulatorOperation(operation) == EmulatorOperation::ListDatasets
        ? datasetsRequest({{u"maxResults"_s, 3}})
        : sessionsRequest(farm.farmId, farm.queues.first().queueId, farm.queues.first().jobs.first().jobId,
            "maxResults=3&nextToken=");
    Credentials credentials = exampleCredentials(/*withSessionToken=*/true);
    credentials.accessKeyId = accessKey;
    credentials.secretAccessKey = secretKey;
    EmulatorRequest request = signedRequest(
        unsignedRequest, credentials, {QStringLiteral("eu-central-1"), service}, kNow.addSecs(-skewSeconds));
    if (tamper) {
        if (request.body.isEmpty())
            request.query = "maxResults=4";
        else
            request.body.replace("3", "4");
    }
    EmulatorRequestLogEntry log;
    const EmulatorResponse response = verifying.handle(request, kNow, 1, &log);
    QCOMPARE(response.status, status);
    QCOMPARE(QString::fromLatin1(response.errorCode), code);
    if (!code.isEmpty())
        QCOMPARE(bodyOf(response).value(QLatin1String("__type")).toString(), code);
    QCOMPARE(log.accessKeyId, accessKey.toLatin1());

    // Without any Authorization the request is refused too.
    EmulatorRequest unsigned_ = request;
    unsigned_.headers.removeIf(
        [](const auto &header) { return header.first.compare("authorization", Qt::CaseInsensitive) == 0; });
    QVERIFY(verifying.handle(unsigned_, kNow, 2).status >= 400);
}

void tst_EmulatorService::statedPayloadHashMustMatchTheBody()
{
    const EmulatorService verifying(m_data, EmulatorService::Options {});
    const auto stating = [](const QByteArray &statedHash) {
        EmulatorRequest request = datasetsRequest({{u"maxResults"_s, 2}});
        request.headers.append({"X-Amz-Content-SHA256", statedHash});
        return signedRequest(request, exampleCredentials(), {u"us-east-1"_s, u"personalize"_s}, kNow);
    };
    const EmulatorRequest honest = stating(
        QCryptographicHash::hash(datasetsRequest({{u"maxResults"_s, 2}}).body, QCryptographicHash::Sha256).toHex());
    QCOMPARE(verifying.handle(honest, kNow, 1).status, 200);
    // Signed consistently, but the hash is not the body's.
    const EmulatorResponse lying = verifying.handle(stating(QByteArray(64, 'a')), kNow, 2);
    QCOMPARE(lying.status, 400);
    QCOMPARE(lying.errorCode, QByteArray("InvalidSignatureException"));
}

QTEST_GUILESS_MAIN(tst_EmulatorService)
#include "tst_emulatorservice.moc"
