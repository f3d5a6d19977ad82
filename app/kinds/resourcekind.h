#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace pagewise
{

/// How a service is reached and signed (from the model's metadata).
struct ServiceSpec {
    enum class Protocol { AwsJson, RestJson };
    QString serviceId; ///< "SageMaker"; AWS_ENDPOINT_URL_<SERVICE> and [services] keys derive from it
    QString signingName; ///< SigV4 scope service: "sagemaker"
    QString endpointPrefix; ///< "api.sagemaker"
    Protocol protocol = Protocol::AwsJson;
    QString jsonVersion; ///< "1.1" -> Content-Type application/x-amz-json-1.1
    QString targetPrefix; ///< "SageMaker" -> X-Amz-Target: SageMaker.ListImages
    QString apiVersion;
    QString modelFile; ///< file name under shared/aws-models (for the conformance test)

    /// "SAGEMAKER": serviceId, spaces to '_', upper case (AWS_ENDPOINT_URL_<SERVICE>).
    QString envName() const;
    /// "sagemaker": serviceId, spaces to '_', lower case (key in a [services] section).
    QString configKey() const;
};

/// The list operation itself.
struct OperationSpec {
    QString name; ///< "ListImages"
    QString method; ///< "POST" / "GET"
    QString requestUri; ///< "/" or "/2023-10-12/farms/{farmId}/..."
    QString hostPrefix; ///< "management." or empty
    QString inputShape, outputShape, itemShape;
    /// The item shape's members in the service model's order, which is the order botocore (and so
    /// the AWS CLI) builds each item in. Names each column's member exactly once.
    QStringList itemMembers;
    QString cli; ///< "aws sagemaker list-images" (for messages and docs)
};

/// botocore's paginator entry plus the page-size limits of the model.
struct PaginationSpec {
    QString inputToken, outputToken, limitKey, resultKey;
    int minPageSize = 1;
    int maxPageSize = 100;
    int defaultPageSize = 100; ///< what the service uses when no limit is sent
    bool resultRequired = false; ///< the output shape lists the result key as required
};

enum class ValueType { Text, Enum, Timestamp, Arn, Id, Integer };
QString valueTypeName(ValueType type);

/// One response member shown as a table column.
struct ColumnSpec {
    QString member; ///< exact response member name ("ImageName", "sessionId")
    QString header; ///< header text for people
    ValueType type = ValueType::Text;
    bool visibleByDefault = true;
    int widthHint = 120;
    QStringList enumValues; ///< known values (enum columns); unknown ones are still shown as they came
    QString idPrefix; ///< "session-" for id columns whose values are prefix + 32 hex digits
};

/// One request parameter the user can set (a filter or a required resource ID).
struct FilterSpec {
    enum class Location { Body, Uri, Query };
    QString parameter; ///< exact request member name ("NameContains", "farmId")
    QString label;
    ValueType type = ValueType::Text;
    QString cliFlag; ///< "name-contains" -> --name-contains
    Location location = Location::Body;
    bool required = false;
    QString pattern; ///< the model's pattern, matched against the whole value
    std::optional<int> minLength, maxLength;
    QString column; ///< the column this parameter filters, if any
    QString bound; ///< "after" / "before" for date ranges
};

/// A filter the API does not have, applied by the window over loaded rows.
struct LocalFilterSpec {
    QString column;
    QString label;
    ValueType type = ValueType::Text;
    QStringList alsoColumns; ///< further columns matched by the same text
};

/// Server-side sorting (ListImages' SortBy / SortOrder).
struct ServerSortSpec {
    struct Column {
        QString column; ///< column member ("CreationTime")
        QString value; ///< SortBy value ("CREATION_TIME")
        QString cli; ///< --sort-by value ("creation-time")
    };
    QString sortByParameter, sortOrderParameter;
    QString ascending, descending; ///< SortOrder values
    QString defaultColumn; ///< the service's order when no SortBy is sent
    Qt::SortOrder defaultOrder = Qt::DescendingOrder;
    QList<Column> columns;

    const Column *forColumn(const QString &member) const;
    const Column *forCli(const QString &cli) const;
};

/// Everything Pagewise knows about one kind of resource: read from resources/kinds/<id>.json.
/// Models, filter panels, the CLI, the codec and CSV export all read this one descriptor.
struct ResourceKind {
    QString id; ///< "images", "datasets", "sessions" (also the CLI noun)
    QString title;
    ServiceSpec service;
    OperationSpec operation;
    PaginationSpec pagination;
    QString keyMember; ///< unique per resource (dedupe)
    QList<ColumnSpec> columns;
    QList<FilterSpec> filters;
    std::optional<ServerSortSpec> serverSort;
    QList<LocalFilterSpec> localFilters;

    int columnIndex(const QString &member) const; ///< -1 when absent
    const FilterSpec *filter(const QString &parameter) const;
    const FilterSpec *filterByCliFlag(const QString &flag) const;
};

/// The compiled-in descriptors, in display order (images, datasets, sessions).
const QList<ResourceKind> &resourceKinds();
/// nullptr when there is no such kind.
const ResourceKind *findResourceKind(const QString &id);
/// Parses one descriptor document; on failure returns nullopt and sets *error.
std::optional<ResourceKind> parseResourceKind(const QByteArray &json, QString *error);

} // namespace pagewise
