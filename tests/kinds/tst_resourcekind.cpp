// Every descriptor in resources/kinds agrees with the official service models in ../shared/aws-models.
#include "kinds/resourcekind.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

#include <simdjson.h>

using namespace pagewise;

namespace
{

QString sharedDir()
{
    const QString fromEnv = qEnvironmentVariable("PAGEWISE_SHARED_DIR");
    return fromEnv.isEmpty() ? QStringLiteral("../shared") : fromEnv;
}

QJsonObject loadModel(const ResourceKind &kind)
{
    QFile file(sharedDir() + QStringLiteral("/aws-models/") + kind.service.modelFile);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// QJsonObject sorts its keys, so the order of a shape's members is read with simdjson, which keeps
// them as the file has them (as botocore's loader does).
QStringList modelMemberOrder(const ResourceKind &kind, const QString &shapeName)
{
    simdjson::dom::parser parser;
    simdjson::dom::object members;
    const QString path = sharedDir() + QStringLiteral("/aws-models/") + kind.service.modelFile;
    if (parser.load(path.toStdString())["shapes"][shapeName.toStdString()]["members"].get(members))
        return {};
    QStringList order;
    for (const simdjson::dom::key_value_pair member : members)
        order << QString::fromUtf8(member.key.data(), qsizetype(member.key.size()));
    return order;
}

} // namespace

class tst_ResourceKind : public QObject
{
    Q_OBJECT
private slots:
    void threeKindsAreCompiledIn()
    {
        QCOMPARE(resourceKinds().size(), 3);
        QVERIFY(findResourceKind(QStringLiteral("images")));
        QVERIFY(findResourceKind(QStringLiteral("datasets")));
        QVERIFY(findResourceKind(QStringLiteral("sessions")));
        QVERIFY(!findResourceKind(QStringLiteral("buckets")));
        QCOMPARE(findResourceKind(QStringLiteral("images"))->service.envName(), QStringLiteral("SAGEMAKER"));
        QCOMPARE(findResourceKind(QStringLiteral("sessions"))->service.configKey(), QStringLiteral("deadline"));
    }

    void badDescriptorIsRejectedWithReason()
    {
        QString error;
        QVERIFY(!parseResourceKind("{\"id\":\"x\",\"service\":{\"protocol\":\"xml\"}}", &error));
        QVERIFY2(error.contains(QStringLiteral("xml")), qPrintable(error));
    }

    void itemMembersMustMatchTheColumns_data()
    {
        QTest::addColumn<QByteArray>("itemMembers");
        QTest::addColumn<QString>("problem");
        QTest::addRow("missing") << QByteArray() << QStringLiteral("operation.itemMembers is missing");
        QTest::addRow("lacks a column") << QByteArray("[\"a\"]")
                                        << QStringLiteral("operation.itemMembers lacks the column member \"b\"");
        QTest::addRow("not a column") << QByteArray("[\"a\", \"b\", \"c\"]")
                                      << QStringLiteral("operation.itemMembers names \"c\", which is not a column");
        QTest::addRow("twice") << QByteArray("[\"b\", \"a\", \"b\"]")
                               << QStringLiteral("operation.itemMembers names \"b\" twice");
        QTest::addRow("any order") << QByteArray("[\"b\", \"a\"]") << QString();
    }

    void itemMembersMustMatchTheColumns()
    {
        QFETCH(QByteArray, itemMembers);
        QFETCH(QString, problem);
        QByteArray json = R"({"id": "x", "service": {"protocol": "json"}, "operation": {)";
        if (!itemMembers.isNull())
            json += R"("itemMembers": )" + itemMembers;
        json += R"(}, "columns": [{"member": "a", "type": "text"}, {"member": "b", "type": "timestamp"}]})";
        QString error;
        const std::optional<ResourceKind> kind = parseResourceKind(json, &error);
        if (problem.isEmpty()) {
            QVERIFY2(kind, qPrintable(error));
            QCOMPARE(kind->operation.itemMembers, (QStringList {QStringLiteral("b"), QStringLiteral("a")}));
        } else {
            QVERIFY(!kind);
            QVERIFY2(error.startsWith(QStringLiteral("x: ") + problem), qPrintable(error));
        }
    }

    void agreesWithServiceModel_data()
    {
        QTest::addColumn<QString>("kindId");
        for (const ResourceKind &kind : resourceKinds())
            QTest::addRow("%s", qPrintable(kind.id)) << kind.id;
    }

    void agreesWithServiceModel()
    {
        QFETCH(QString, kindId);
        const ResourceKind &kind = *findResourceKind(kindId);
        const QJsonObject model = loadModel(kind);
        if (model.isEmpty())
            QSKIP(qPrintable(QStringLiteral("service model %1 not found under %2/aws-models (set PAGEWISE_SHARED_DIR)")
                                 .arg(kind.service.modelFile, sharedDir())));
        const QJsonObject metadata = model.value(QStringLiteral("metadata")).toObject();
        QCOMPARE(kind.service.serviceId, metadata.value(QStringLiteral("serviceId")).toString());
        QCOMPARE(kind.service.signingName, metadata.value(QStringLiteral("signingName")).toString());
        QCOMPARE(kind.service.endpointPrefix, metadata.value(QStringLiteral("endpointPrefix")).toString());
        QCOMPARE(kind.service.apiVersion, metadata.value(QStringLiteral("apiVersion")).toString());
        QCOMPARE(kind.service.targetPrefix, metadata.value(QStringLiteral("targetPrefix")).toString());
        QCOMPARE(kind.service.jsonVersion, metadata.value(QStringLiteral("jsonVersion")).toString());
        QCOMPARE(kind.service.protocol == ServiceSpec::Protocol::AwsJson ? QStringLiteral("json")
                                                                         : QStringLiteral("rest-json"),
            metadata.value(QStringLiteral("protocol")).toString());

        const QJsonObject op
            = model.value(QStringLiteral("operations")).toObject().value(kind.operation.name).toObject();
        QVERIFY2(!op.isEmpty(), "operation missing from the model");
        const QJsonObject http = op.value(QStringLiteral("http")).toObject();
        QCOMPARE(kind.operation.method, http.value(QStringLiteral("method")).toString());
        QCOMPARE(kind.operation.requestUri, http.value(QStringLiteral("requestUri")).toString());
        QCOMPARE(kind.operation.hostPrefix,
            op.value(QStringLiteral("endpoint")).toObject().value(QStringLiteral("hostPrefix")).toString());
        QCOMPARE(kind.operation.inputShape,
            op.value(QStringLiteral("input")).toObject().value(QStringLiteral("shape")).toString());
        QCOMPARE(kind.operation.outputShape,
            op.value(QStringLiteral("output")).toObject().value(QStringLiteral("shape")).toString());

        const QJsonObject paginator
            = model.value(QStringLiteral("pagination")).toObject().value(kind.operation.name).toObject();
        QCOMPARE(kind.pagination.inputToken, paginator.value(QStringLiteral("input_token")).toString());
        QCOMPARE(kind.pagination.outputToken, paginator.value(QStringLiteral("output_token")).toString());
        QCOMPARE(kind.pagination.limitKey, paginator.value(QStringLiteral("limit_key")).toString());
        QCOMPARE(kind.pagination.resultKey, paginator.value(QStringLiteral("result_key")).toString());

        const QJsonObject shapes = model.value(QStringLiteral("shapes")).toObject();
        auto shape = [&](const QString &name) { return shapes.value(name).toObject(); };
        const QJsonObject input = shape(kind.operation.inputShape);
        const QJsonObject inputMembers = input.value(QStringLiteral("members")).toObject();
        const QJsonObject limitShape
            = shape(inputMembers.value(kind.pagination.limitKey).toObject().value(QStringLiteral("shape")).toString());
        QCOMPARE(kind.pagination.minPageSize, limitShape.value(QStringLiteral("min")).toInt());
        QCOMPARE(kind.pagination.maxPageSize, limitShape.value(QStringLiteral("max")).toInt());

        // The result list's member shape is the item shape the columns describe.
        const QJsonObject output = shape(kind.operation.outputShape);
        QCOMPARE(kind.pagination.resultRequired,
            output.value(QStringLiteral("required")).toArray().contains(kind.pagination.resultKey));
        const QString listShape = output.value(QStringLiteral("members"))
                                      .toObject()
                                      .value(kind.pagination.resultKey)
                                      .toObject()
                                      .value(QStringLiteral("shape"))
                                      .toString();
        QCOMPARE(shape(listShape).value(QStringLiteral("member")).toObject().value(QStringLiteral("shape")).toString(),
            kind.operation.itemShape);

        const QJsonObject itemMembers = shape(kind.operation.itemShape).value(QStringLiteral("members")).toObject();
        QVERIFY(itemMembers.contains(kind.keyMember));
        // The item's members in the model's order: botocore builds each item in it, and so the
        // AWS CLI prints it (the JSON export's member order). Every member is a string or a
        // timestamp (checked below): no nested structure has an order of its own to keep.
        QCOMPARE(kind.operation.itemMembers, modelMemberOrder(kind, kind.operation.itemShape));
        // Every response member is a column (the detail view and export show them all) ...
        QCOMPARE(kind.columns.size(), itemMembers.size());
        for (const ColumnSpec &column : kind.columns) {
            QVERIFY2(itemMembers.contains(column.member),
                qPrintable(column.member + QStringLiteral(" is not a member of ") + kind.operation.itemShape));
            const QJsonObject memberShape
                = shape(itemMembers.value(column.member).toObject().value(QStringLiteral("shape")).toString());
            const QString wireType = memberShape.value(QStringLiteral("type")).toString();
            if (column.type == ValueType::Timestamp) {
                QCOMPARE(wireType, QStringLiteral("timestamp"));
            } else {
                QVERIFY2(wireType == QStringLiteral("string"),
                    qPrintable(column.member + QStringLiteral(" is ") + wireType));
            }
            if (column.type == ValueType::Enum && memberShape.contains(QStringLiteral("enum"))) {
                QStringList modelValues;
                for (const QJsonValue &v : memberShape.value(QStringLiteral("enum")).toArray())
                    modelValues << v.toString();
                QCOMPARE(column.enumValues, modelValues);
            }
            if (column.type == ValueType::Id) {
                const QString pattern = memberShape.value(QStringLiteral("pattern")).toString();
                QCOMPARE(pattern, column.idPrefix + QStringLiteral("[0-9a-f]{32}"));
            }
        }
        // ... and every filter is a request member of that type, with the model's pattern and limits.
        for (const FilterSpec &filter : kind.filters) {
            QVERIFY2(inputMembers.contains(filter.parameter),
                qPrintable(filter.parameter + QStringLiteral(" is not a request member")));
            const QJsonObject member = inputMembers.value(filter.parameter).toObject();
            const QJsonObject memberShape = shape(member.value(QStringLiteral("shape")).toString());
            const QString wireType = memberShape.value(QStringLiteral("type")).toString();
            QCOMPARE(
                wireType, filter.type == ValueType::Timestamp ? QStringLiteral("timestamp") : QStringLiteral("string"));
            QCOMPARE(filter.pattern, memberShape.value(QStringLiteral("pattern")).toString());
            if (memberShape.contains(QStringLiteral("max")))
                QCOMPARE(filter.maxLength.value_or(-1), memberShape.value(QStringLiteral("max")).toInt());
            const bool required = input.value(QStringLiteral("required")).toArray().contains(filter.parameter);
            QCOMPARE(filter.required, required);
            const QString location = member.value(QStringLiteral("location")).toString();
            switch (filter.location) {
            case FilterSpec::Location::Body:
                QVERIFY(location.isEmpty());
                break;
            case FilterSpec::Location::Uri:
                QCOMPARE(location, QStringLiteral("uri"));
                QVERIFY(kind.operation.requestUri.contains(QLatin1Char('{') + filter.parameter + QLatin1Char('}')));
                break;
            case FilterSpec::Location::Query:
                QCOMPARE(location, QStringLiteral("querystring"));
                break;
            }
            if (!filter.column.isEmpty())
                QVERIFY(kind.columnIndex(filter.column) >= 0);
        }
        // Every required request member can be set by the user.
        for (const QJsonValue &required : input.value(QStringLiteral("required")).toArray())
            QVERIFY2(kind.filter(required.toString()), qPrintable(required.toString()));
        if (kind.serverSort) {
            const ServerSortSpec &sort = *kind.serverSort;
            QStringList sortBy, sortOrder;
            for (const QJsonValue &v :
                shape(inputMembers.value(sort.sortByParameter).toObject().value(QStringLiteral("shape")).toString())
                    .value(QStringLiteral("enum"))
                    .toArray())
                sortBy << v.toString();
            for (const QJsonValue &v :
                shape(inputMembers.value(sort.sortOrderParameter).toObject().value(QStringLiteral("shape")).toString())
                    .value(QStringLiteral("enum"))
                    .toArray())
                sortOrder << v.toString();
            QCOMPARE(sortOrder, (QStringList {sort.ascending, sort.descending}));
            QCOMPARE(sort.columns.size(), sortBy.size());
            for (const auto &c : sort.columns) {
                QVERIFY(sortBy.contains(c.value));
                QVERIFY(kind.columnIndex(c.column) >= 0);
            }
            QVERIFY(sort.forColumn(sort.defaultColumn));
        }
        for (const LocalFilterSpec &local : kind.localFilters)
            QVERIFY(kind.columnIndex(local.column) >= 0);
    }
};

QTEST_APPLESS_MAIN(tst_ResourceKind)
#include "tst_resourcekind.moc"
