#pragma once

#include "emulatordataset.h"
#include "emulatorrequest.h"
#include "emulatortokencodec.h"

#include <QDateTime>
#include <QRegularExpression>

#include <memory>

class QJsonObject;

namespace pagewise
{

/// The three list APIs as a pure function from a received request to the response to send:
/// routing (X-Amz-Target for awsJson, method and path for Deadline; never the Host header),
/// SigV4 verification, the models' validation rules, filters, sorting, pagination tokens and
/// each protocol's error shapes. No I/O and no state besides the immutable data, so it can be
/// called from tests directly and from any thread.
class EmulatorService
{
public:
    struct Options {
        QString accessKeyId = QStringLiteral("AKIDEXAMPLE");
        QString secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        bool requireAuth = true;
    };
    /// Server-side failures the fault injector sends as each service does.
    enum class Fault {
        Throttle, ///< awsJson: 400 ThrottlingException; Deadline: 429 ThrottlingException + Retry-After
        InternalError, ///< awsJson: 500 InternalFailure; Deadline: 500 InternalServerErrorException
        Unavailable, ///< awsJson: 503 ServiceUnavailable; Deadline: 500 InternalServerErrorException
    };

    EmulatorService(std::shared_ptr<const EmulatorDataset> data, Options options);

    /// log, when given, is filled with what the request asked for (never secrets).
    EmulatorResponse handle(const EmulatorRequest &request, const QDateTime &now, quint64 requestNumber,
        EmulatorRequestLogEntry *log = nullptr) const;

    /// Which operation a request addresses, without validating it.
    EmulatorOperation route(const EmulatorRequest &request) const;
    EmulatorResponse faultResponse(EmulatorOperation operation, Fault fault, quint64 requestNumber) const;

    /// A UUID-shaped x-amzn-RequestId, different for every request number.
    QByteArray requestId(quint64 requestNumber) const;
    const EmulatorDataset &data() const { return *m_data; }
    std::shared_ptr<const EmulatorDataset> sharedData() const { return m_data; }
    static QByteArray operationName(EmulatorOperation operation);

private:
    struct Context;
    class Violations;
    /// A string member's constraints from the model: its length and its pattern.
    struct StringRule {
        QByteArray member; ///< as AWS names it in messages (lower camel case)
        int maxLength = 0;
        QRegularExpression pattern; ///< anchored
        QString patternText; ///< as the model writes it, quoted in messages
    };

    EmulatorResponse listImages(const QJsonObject &input, Context &context) const;
    EmulatorResponse listDatasets(const QJsonObject &input, Context &context) const;
    EmulatorResponse listSessions(const EmulatorRequest &request, Context &context) const;

    EmulatorResponse awsJsonError(
        const Context &context, int status, QByteArrayView type, const QString &message) const;
    EmulatorResponse restJsonError(const Context &context, int status, QByteArrayView type, QByteArrayView headerType,
        const QByteArray &members, QByteArrayView retryAfter = {}) const;
    EmulatorResponse validationError(const Context &context, QByteArrayView type, const Violations &violations) const;
    EmulatorResponse success(const Context &context, QByteArray body, int items, bool hasNextToken) const;
    /// Where a listing resumes: its start without a token; nullopt for a token not issued for it.
    std::optional<EmulatorTokenCodec::Position> resumePosition(
        QByteArrayView token, quint8 operation, quint64 listing) const;

    std::shared_ptr<const EmulatorDataset> m_data;
    Options m_options;
    EmulatorTokenCodec m_tokens;
    StringRule m_nameContains, m_datasetGroupArn;
    QByteArray m_imagesTarget, m_datasetsTarget;
    QByteArray m_imagesSigningName, m_datasetsSigningName, m_sessionsSigningName;
    QList<QByteArray> m_sessionsPath; ///< requestUri segments; "{label}" segments are captured
    int m_imagesDefaultPageSize = 10, m_datasetsDefaultPageSize = 100, m_sessionsDefaultPageSize = 100;
    int m_maxPageSize = 100;
};

} // namespace pagewise
