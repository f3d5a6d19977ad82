#pragma once

// Deadline parent IDs in the form the model's patterns accept, as ListSessions parameters.

#include <QString>
#include <QVariantMap>

namespace pagewise::testing
{

inline const QString farm = QStringLiteral("farm-0123456789abcdef0123456789abcdef");
inline const QString queue = QStringLiteral("queue-0123456789abcdef0123456789abcdef");
inline const QString job = QStringLiteral("job-0123456789abcdef0123456789abcdef");

/// farmId, queueId and jobId of a ListQuery; another farmId to test what is done with it.
inline QVariantMap sessionIds(const QString &farmId = farm)
{
    return {{QStringLiteral("farmId"), farmId}, {QStringLiteral("queueId"), queue}, {QStringLiteral("jobId"), job}};
}

} // namespace pagewise::testing
