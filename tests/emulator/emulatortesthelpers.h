#pragma once

#include "aws/signing/sigv4signer.h"
#include "emulator/emulatorservice.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace pagewise::testing
{

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
