#pragma once

#include "aws/signing/sigv4signer.h"
#include "emulator/emulatorservice.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace pagewise::testing
{

/// The clock handler tests pass to EmulatorService::handle().
inline const QDateTime kNow = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);

/// A service that takes unsigned requests.
inline EmulatorService::Options noAuth()
{
    EmulatorService::Options options;
    options.requireAuth = false;
    return options;
}

/// Small data for handler tests: enough to page through in every order, fast to build.
inline EmulatorDataSpec smallSpec(quint64 seed = 7)
{
    EmulatorDataSpec spec;
    spec.seed = seed;
    spec.images = 600;
    spec.datasetGroups = 3;
    spec.datasets = 230;
    spec.farms = 2;
    spec.queuesPerFarm = 1;
    spec.jobsPerQueue = 2;
    spec.sessions = 450;
    return spec;
}

inline EmulatorRequest awsJsonRequest(const QByteArray &target, const QByteArray &body)
{
    EmulatorRequest request;
    request.method = "POST";
    request.path = "/";
    request.headers
        = {{"Host", "127.0.0.1:4566"}, {"X-Amz-Target", target}, {"Content-Type", "application/x-amz-json-1.1"}};
    request.body = body;
    return request;
}

inline EmulatorRequest imagesRequest(const QJsonObject &input)
{
    return awsJsonRequest("SageMaker.ListImages", QJsonDocument(input).toJson(QJsonDocument::Compact));
}

inline EmulatorRequest datasetsRequest(const QJsonObject &input)
{
    return awsJsonRequest("AmazonPersonalize.ListDatasets", QJsonDocument(input).toJson(QJsonDocument::Compact));
}

inline EmulatorRequest sessionsRequest(
    const QString &farm, const QString &queue, const QString &job, const QByteArray &query = {})
{
    EmulatorRequest request;
    request.method = "GET";
    request.path = "/2023-10-12/farms/" + farm.toUtf8().toPercentEncoding() + "/queues/"
        + queue.toUtf8().toPercentEncoding() + "/jobs/" + job.toUtf8().toPercentEncoding() + "/sessions";
    request.query = query;
    request.headers = {{"Host", "management.127.0.0.1:4566"}};
    return request;
}

/// The member of a listing's response that holds the next page's token.
inline QString nextTokenMember(EmulatorOperation operation)
{
    return operation == EmulatorOperation::ListImages ? QStringLiteral("NextToken") : QStringLiteral("nextToken");
}

/// One page's request of a listing: `input` (awsJson members) or `parents` (farm, queue and job
/// IDs) with the page size, when given, and the token, when it is not the first page.
inline EmulatorRequest pageRequest(EmulatorOperation operation, QJsonObject input, const QString &token,
    std::optional<int> pageSize, const QStringList &parents = {})
{
    if (operation == EmulatorOperation::ListSessions) {
        QByteArrayList query;
        if (pageSize)
            query << "maxResults=" + QByteArray::number(*pageSize);
        if (!token.isEmpty())
            query << "nextToken=" + token.toUtf8().toPercentEncoding();
        return sessionsRequest(parents.value(0), parents.value(1), parents.value(2), query.join('&'));
    }
    const bool images = operation == EmulatorOperation::ListImages;
    if (pageSize)
        input.insert(images ? QStringLiteral("MaxResults") : QStringLiteral("maxResults"), *pageSize);
    if (token.isEmpty())
        input.remove(nextTokenMember(operation));
    else
        input.insert(nextTokenMember(operation), token);
    return images ? imagesRequest(input) : datasetsRequest(input);
}

/// The request as a client sends it signed: SigV4 over its method, path, query, headers and body.
inline EmulatorRequest signedRequest(
    EmulatorRequest request, const Credentials &credentials, const SigV4Signer::Scope &scope, const QDateTime &when)
{
    HttpRequestParts parts;
    parts.method = request.method;
    parts.path = request.path;
    parts.query = request.query;
    parts.headers = request.headers;
    parts.body = request.body;
    SigV4Signer::sign(parts, credentials, scope, when);
    request.headers = parts.headers;
    return request;
}

inline QJsonObject bodyOf(const EmulatorResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

} // namespace pagewise::testing
