#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QVariantMap>

#include <utility>

namespace pagewise
{

/// One HTTP request as the emulator received it.
struct EmulatorRequest {
    QByteArray method;
    QByteArray path; ///< raw, still percent-encoded, without the query
    QByteArray query; ///< raw, without '?'
    QList<std::pair<QByteArray, QByteArray>> headers; ///< names as received
    QByteArray body;

    /// Case-insensitive; repeated headers joined with ','; empty when absent.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
};

enum class EmulatorOperation : quint8 { Unknown = 0, ListImages = 1, ListDatasets = 2, ListSessions = 3 };

/// The response to send. The connection adds Content-Length and Connection.
struct EmulatorResponse {
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // What happened, for the request log and the statistics.
    EmulatorOperation operation = EmulatorOperation::Unknown;
    QByteArray errorCode; ///< empty on success
    int items = 0; ///< items on the page (success only)
    bool hasNextToken = false;

    QByteArray header(QByteArrayView name) const;
};

/// What the request log keeps about one request: never a secret (no Authorization, no security
/// token, no secret key), only what a test needs to see what a client sent.
struct EmulatorRequestLogEntry {
    quint64 number = 0; ///< 1-based sequence number of the request on this emulator
    QByteArray method;
    QByteArray path;
    QByteArray target; ///< X-Amz-Target, empty for REST requests
    QString operation; ///< "ListImages", ... or empty when unrouted
    QVariantMap parameters; ///< request members as parsed (body members, URI labels, query parameters)
    QByteArray accessKeyId; ///< the key id the request was signed with (not a secret), if any
    int status = 0;
    QByteArray errorCode;
    QByteArray fault; ///< injected fault: "throttle", "error", "drop", "malformed" or empty
    int items = 0;
    qint64 serverNs = 0; ///< CPU time the handler spent on this request
};

} // namespace pagewise
