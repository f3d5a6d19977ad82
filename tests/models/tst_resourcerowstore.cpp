// Compact typed storage: every member comes back as it arrived; encodings; keys; formatting.
#include "models/resourcerowstore.h"
#include "sampleresources.h"

#include <QJsonDocument>
#include <QtTest>

using namespace pagewise;
using namespace pagewise::test;

namespace
{

QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(QByteArray(text), &error).object();
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", qPrintable(error.errorString()));
    return o;
}

const ResourceKind &kind(const char *id)
{
    return *findResourceKind(QLatin1String(id));
}

} // namespace

class tst_ResourceRowStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("TZ", "America/New_York"); // -04:00 in May: DisplayRole is local time
    }

    void resourceGivesBackEveryMemberAsItArrived_data()
    {
        QTest::addColumn<QString>("kindId");
        QTest::addColumn<QString>("item");

        QTest::addRow("session, canonical") << "sessions"
                                            << R"({"sessionId":"session-0123456789abcdef0123456789abcdef",
            "fleetId":"fleet-0123456789abcdef0123456789abcdef","workerId":"worker-0123456789abcdef0123456789abcdef",
            "lifecycleStatus":"ENDED","startedAt":"2024-05-01T12:00:00Z","endedAt":"2024-05-01T12:34:56.789Z",
            "targetLifecycleStatus":"ENDED","updatedAt":"2024-05-01T12:34:56.789Z",
            "updatedBy":"arn:aws:sts::123456789012:assumed-role/DeadlineWorker/worker"})";
        QTest::addRow("session, unknown members") << "sessions"
                                                  << R"({"sessionId":"session-0123456789abcdef0123456789abcdef",
            "startedAt":"2024-05-01T12:00:00Z","lifecycleStatus":"STARTED","hostProperties":{"ipAddresses":["10.0.0.1"]},
            "newFlag":true,"count":3})";
        QTest::addRow("session, other ISO spellings") << "sessions"
                                                      << R"({"sessionId":"session-0123456789abcdef0123456789abcdef",
            "startedAt":"2024-05-01T12:00:00.000Z","endedAt":"2024-05-01T14:00:00+02:00","updatedAt":"2024-05-01T12:00:00.123456Z"})";
        QTest::addRow("session, ids off the pattern") << "sessions"
                                                      << R"({"sessionId":"session-0123456789ABCDEF0123456789ABCDEF",
            "fleetId":"fleet-short","workerId":"someone-else","lifecycleStatus":"SOME_NEW_STATE"})";
        QTest::addRow("session, nulls and wrong types") << "sessions"
                                                        << R"({"sessionId":"session-0123456789abcdef0123456789abcdef",
            "endedAt":null,"updatedBy":42,"startedAt":1714564800,"lifecycleStatus":["ENDED"]})";
        QTest::addRow("image, epoch numbers")
            << "images"
            << R"({"ImageName":"my-image","ImageArn":"arn:aws:sagemaker:us-west-2:123456789012:image/my-image",
            "ImageStatus":"CREATE_FAILED","CreationTime":1.714564800123E9,"LastModifiedTime":1714564800,
            "Description":"With 'quotes', a \\ and ünïcødé","FailureReason":"","DisplayName":"Mine"})";
        QTest::addRow("image, sub-millisecond and string time")
            << "images"
            << R"({"ImageName":"x","ImageArn":"arn:aws:sagemaker:us-west-2:123456789012:image/x",
            "ImageStatus":"CREATED","CreationTime":1714564800.1234567,"LastModifiedTime":"2024-05-01T12:00:00Z"})";
        QTest::addRow("dataset, spaces in status")
            << "datasets"
            << R"({"name":"ds","datasetArn":"arn:aws:personalize:us-west-2:123456789012:dataset/g/INTERACTIONS",
            "datasetType":"Interactions","status":"CREATE IN_PROGRESS","creationDateTime":1.7145648E9,"lastUpdatedDateTime":1714564801.5})";
        QTest::addRow("empty item") << "datasets"
                                    << "{}";
    }

    void resourceGivesBackEveryMemberAsItArrived()
    {
        QFETCH(QString, kindId);
        QFETCH(QString, item);
        const QJsonObject input = json(item.toUtf8().constData());
        ResourceRowStore store(*findResourceKind(kindId));
        store.append(input);
        store.append(input); // twice: the second row must not borrow from the first
        QCOMPARE(store.rowCount(), 2);
        QCOMPARE(store.resource(0), input);
        QCOMPARE(store.resource(1), input);
        for (auto it = input.constBegin(); it != input.constEnd(); ++it) {
            const int column = kind(qPrintable(kindId)).columnIndex(it.key());
            if (column >= 0)
                QCOMPARE(store.wireValue(1, column), it.value());
        }
    }

    void canonicalSessionRowsNeedNoSideTable()
    {
        ResourceRowStore store(kind("sessions"));
        for (int i = 0; i < 2000; ++i)
            store.append(session(i));
        const int sessionId = store.kind().columnIndex(QStringLiteral("sessionId"));
        const int fleetId = store.kind().columnIndex(QStringLiteral("fleetId"));
        const int status = store.kind().columnIndex(QStringLiteral("lifecycleStatus"));
        QCOMPARE(store.stringColumn(sessionId)->encoding(), StringColumn::Encoding::RawId);
        QCOMPARE(store.stringColumn(fleetId)->encoding(), StringColumn::Encoding::Pool);
        QCOMPARE(store.stringColumn(fleetId)->poolSize(), 3);
        QCOMPARE(store.stringColumn(status)->encoding(), StringColumn::Encoding::Pool);
        for (int i = 0; i < 2000; i += 111)
            QCOMPARE(store.resource(i), session(i));
        // Typed columns only: well under the 200 bytes a row of the target
        QVERIFY2(store.bytes() < size_t(2000 * 120), qPrintable(QString::number(store.bytes())));
    }

    void mostlyDistinctTextLeavesThePool()
    {
        ResourceRowStore store(kind("images"));
        for (int i = 0; i < 6000; ++i)
            store.append(image(i));
        const int description = store.kind().columnIndex(QStringLiteral("Description"));
        const int status = store.kind().columnIndex(QStringLiteral("ImageStatus"));
        QCOMPARE(store.stringColumn(description)->encoding(), StringColumn::Encoding::Blob);
        QCOMPARE(store.stringColumn(status)->encoding(), StringColumn::Encoding::Pool);
        for (int i = 0; i < 6000; i += 97)
            QCOMPARE(store.resource(i), image(i));
    }

    void keysAreFoundWhateverTheirEncoding()
    {
        ResourceRowStore sessions(kind("sessions"));
        sessions.append(session(1));
        sessions.append(json(R"({"sessionId":"session-NOT-HEX"})"));
        QVERIFY(sessions.containsKey(session(1).value(QStringLiteral("sessionId")).toString()));
        QVERIFY(sessions.containsKey(QStringLiteral("session-NOT-HEX")));
        QVERIFY(!sessions.containsKey(session(2).value(QStringLiteral("sessionId")).toString()));
        QVERIFY(!sessions.containsKey(QString()));
        QCOMPARE(sessions.key(1), QStringLiteral("session-NOT-HEX"));

        ResourceRowStore images(kind("images"));
        for (int i = 0; i < 1000; ++i) // past several growths of the key table
            images.append(image(i));
        for (int i = 0; i < 1000; i += 7)
            QVERIFY(images.containsKey(image(i).value(QStringLiteral("ImageArn")).toString()));
        QVERIFY(!images.containsKey(image(1000).value(QStringLiteral("ImageArn")).toString()));
    }

    void cellsAreFormattedForPeople_data()
    {
        QTest::addColumn<QString>("kindId");
        QTest::addColumn<QString>("item");
        QTest::addColumn<QString>("member");
        QTest::addColumn<QString>("display");
        QTest::addColumn<QString>("toolTip");
        QTest::addColumn<QVariant>("raw");

        const char *s
            = R"({"sessionId":"session-0123456789abcdef0123456789abcdef","lifecycleStatus":"UPDATE_IN_PROGRESS",
            "startedAt":"2024-05-01T12:34:56.789Z","endedAt":"2024-01-15T03:00:00Z"})";
        QTest::addRow("iso timestamp") << "sessions" << s << "startedAt"
                                       << "2024-05-01 08:34:56"
                                       << "2024-05-01T12:34:56.789Z"
                                       << QVariant(QDateTime(QDate(2024, 5, 1), QTime(12, 34, 56, 789), Qt::UTC));
        QTest::addRow("winter time") << "sessions" << s << "endedAt"
                                     << "2024-01-14 22:00:00"
                                     << "2024-01-15T03:00:00.000Z"
                                     << QVariant(QDateTime(QDate(2024, 1, 15), QTime(3, 0), Qt::UTC));
        QTest::addRow("absent") << "sessions" << s << "updatedAt"
                                << ""
                                << "" << QVariant();
        QTest::addRow("known enum") << "sessions" << s << "lifecycleStatus"
                                    << "Update in progress"
                                    << "UPDATE_IN_PROGRESS" << QVariant(QStringLiteral("UPDATE_IN_PROGRESS"));
        QTest::addRow("id") << "sessions" << s << "sessionId"
                            << "session-0123456789abcdef0123456789abcdef"
                            << "session-0123456789abcdef0123456789abcdef"
                            << QVariant(QStringLiteral("session-0123456789abcdef0123456789abcdef"));
        const char *i
            = R"({"ImageName":"n","ImageArn":"arn:aws:sagemaker:us-west-2:123456789012:image/n","ImageStatus":"CREATE_FAILED",
            "CreationTime":1.714564800123E9})";
        QTest::addRow("epoch number") << "images" << i << "CreationTime"
                                      << "2024-05-01 08:00:00"
                                      << "2024-05-01T12:00:00.123Z"
                                      << QVariant(QDateTime(QDate(2024, 5, 1), QTime(12, 0, 0, 123), Qt::UTC));
        QTest::addRow("enum with underscore") << "images" << i << "ImageStatus"
                                              << "Create failed"
                                              << "CREATE_FAILED" << QVariant(QStringLiteral("CREATE_FAILED"));
        QTest::addRow("full arn") << "images" << i << "ImageArn"
                                  << "arn:aws:sagemaker:us-west-2:123456789012:image/n"
                                  << "arn:aws:sagemaker:us-west-2:123456789012:image/n"
                                  << QVariant(QStringLiteral("arn:aws:sagemaker:us-west-2:123456789012:image/n"));
        const char *d = R"({"name":"d","status":"CREATE IN_PROGRESS","datasetType":"Action_Interactions"})";
        QTest::addRow("enum with spaces") << "datasets" << d << "status"
                                          << "Create in progress"
                                          << "CREATE IN_PROGRESS" << QVariant(QStringLiteral("CREATE IN_PROGRESS"));
        QTest::addRow("enum mixed case") << "datasets" << d << "datasetType"
                                         << "Action interactions"
                                         << "Action_Interactions" << QVariant(QStringLiteral("Action_Interactions"));
        const char *u = R"({"name":"d","status":"ARCHIVED_SOMEHOW","creationDateTime":"yesterday"})";
        QTest::addRow("unknown enum as it came") << "datasets" << u << "status"
                                                 << "ARCHIVED_SOMEHOW"
                                                 << "ARCHIVED_SOMEHOW" << QVariant(QStringLiteral("ARCHIVED_SOMEHOW"));
        QTest::addRow("unparseable time as it came") << "datasets" << u << "creationDateTime"
                                                     << "yesterday"
                                                     << "yesterday" << QVariant();
    }

    void cellsAreFormattedForPeople()
    {
        QFETCH(QString, kindId);
        QFETCH(QString, item);
        QFETCH(QString, member);
        QFETCH(QString, display);
        QFETCH(QString, toolTip);
        QFETCH(QVariant, raw);
        ResourceRowStore store(*findResourceKind(kindId));
        store.append(json(item.toUtf8().constData()));
        const int column = store.kind().columnIndex(member);
        QCOMPARE(store.displayText(0, column), display);
        QCOMPARE(store.toolTip(0, column), toolTip);
        QCOMPARE(store.rawValue(0, column), raw);
        if (raw.metaType().id() == QMetaType::QDateTime)
            QCOMPARE(store.rawValue(0, column).toDateTime().timeSpec(), Qt::UTC);
    }

    void wireTimestampParsing_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<qint64>("ms"); // -1: not a timestamp
        QTest::addRow("iso") << QJsonValue(QStringLiteral("2024-05-01T12:00:00Z")) << 1714564800000LL;
        QTest::addRow("iso ms") << QJsonValue(QStringLiteral("2024-05-01T12:00:00.007Z")) << 1714564800007LL;
        QTest::addRow("iso offset") << QJsonValue(QStringLiteral("2024-05-01T14:00:00+02:00")) << 1714564800000LL;
        QTest::addRow("iso no zone is UTC") << QJsonValue(QStringLiteral("2024-05-01T12:00:00")) << 1714564800000LL;
        QTest::addRow("leap day") << QJsonValue(QStringLiteral("2024-02-29T00:00:00Z")) << 1709164800000LL;
        QTest::addRow("epoch") << QJsonValue(1714564800) << 1714564800000LL;
        QTest::addRow("epoch exponent") << QJsonValue(1.714564800123E9) << 1714564800123LL;
        QTest::addRow("epoch string") << QJsonValue(QStringLiteral("1714564800.5")) << 1714564800500LL;
        QTest::addRow("before 1970") << QJsonValue(QStringLiteral("1969-12-31T23:59:59.999Z")) << -1LL;
        QTest::addRow("garbage") << QJsonValue(QStringLiteral("soon")) << qint64(kNullValue);
        QTest::addRow("bad date") << QJsonValue(QStringLiteral("2023-02-29T00:00:00Z")) << qint64(kNullValue);
    }

    void wireTimestampParsing()
    {
        QFETCH(QJsonValue, value);
        QFETCH(qint64, ms);
        QCOMPARE(wiretime::parseAny(value).value_or(kNullValue), ms);
    }

    void canonicalIsoRoundTrips()
    {
        for (qint64 ms : {0LL, 1714564800000LL, 1714564800789LL, -1LL, 951782400000LL, 4102444799999LL}) {
            const QString text = wiretime::formatCanonicalIso(ms);
            QCOMPARE(wiretime::parseCanonicalIso(text), std::optional<qint64>(ms));
            QCOMPARE(text, isoUtc(ms, ms % 1000 != 0));
            QCOMPARE(wiretime::formatIsoWithMs(ms), isoUtc(ms, true));
        }
        QVERIFY(!wiretime::parseCanonicalIso(u"2024-05-01T12:00:00.000Z"));
        QVERIFY(!wiretime::parseCanonicalIso(u"2024-05-01T24:00:00Z"));
        QVERIFY(!wiretime::parseCanonicalIso(u"2024-05-01t12:00:00Z"));
    }
};

QTEST_GUILESS_MAIN(tst_ResourceRowStore)
#include "tst_resourcerowstore.moc"
