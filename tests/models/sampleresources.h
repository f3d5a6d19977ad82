#pragma once

// Synthetic items of the three listings, shaped as the services send them (wire member names,
// epoch-second numbers for SageMaker/Personalize, ISO-8601 strings for Deadline).

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <functional>

namespace pagewise::test
{

/// A fixed pseudo-random sequence (splitmix64), so data and orders are reproducible.
inline quint64 mix(quint64 x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

inline QString hex32(quint64 seed)
{
    return QStringLiteral("%1%2").arg(mix(seed), 16, 16, QLatin1Char('0')).arg(mix(seed + 1), 16, 16, QLatin1Char('0'));
}

/// "2024-05-01T12:00:00.123Z"-style text for ms since the epoch (UTC), independent of the code under test.
inline QString isoUtc(qint64 ms, bool withMs)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
    return t.toString(withMs ? QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz") : QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
        + QLatin1Char('Z');
}

inline constexpr qint64 kBaseMs = 1714564800000LL; // 2024-05-01T12:00:00Z

inline QJsonObject session(int i)
{
    static const char *statuses[] = {"STARTED", "UPDATE_IN_PROGRESS", "UPDATE_SUCCEEDED", "UPDATE_FAILED", "ENDED"};
    const quint64 r = mix(quint64(i) * 7 + 3);
    const QString status = QLatin1String(statuses[r % 5]);
    const qint64 started = kBaseMs + qint64(r % 100000000) * 7; // shuffled, with milliseconds
    QJsonObject o {
        {QStringLiteral("sessionId"), QStringLiteral("session-%1").arg(hex32(quint64(i) * 2))},
        {QStringLiteral("fleetId"), QStringLiteral("fleet-%1").arg(hex32(1000000 + (r >> 8) % 3))},
        {QStringLiteral("workerId"), QStringLiteral("worker-%1").arg(hex32(2000000 + (r >> 16) % 40))},
        {QStringLiteral("lifecycleStatus"), status},
        {QStringLiteral("startedAt"), isoUtc(started, started % 1000 != 0)},
    };
    if (status == QLatin1String("ENDED")) {
        const qint64 ended = started + qint64((r >> 20) % 3600000);
        o.insert(QStringLiteral("endedAt"), isoUtc(ended, ended % 1000 != 0));
        o.insert(QStringLiteral("targetLifecycleStatus"), QStringLiteral("ENDED"));
    }
    if (r % 3 == 0) {
        o.insert(QStringLiteral("updatedAt"), isoUtc(started + 5000, false));
        o.insert(QStringLiteral("updatedBy"),
            QStringLiteral("arn:aws:sts::123456789012:assumed-role/DeadlineWorker/w%1").arg((r >> 24) % 7));
    }
    return o;
}

inline QJsonObject image(int i)
{
    static const char *statuses[]
        = {"CREATING", "CREATED", "CREATE_FAILED", "UPDATING", "UPDATE_FAILED", "DELETING", "DELETE_FAILED"};
    const quint64 r = mix(quint64(i) * 13 + 5);
    // Mixed case and shared prefixes, so text order is more than the first characters.
    static const char *stems[] = {"image", "Image", "model", "train-job", "IMAGE", "base"};
    const QString name = QStringLiteral("%1-%2")
                             .arg(QLatin1String(stems[r % 6]))
                             .arg(quint64(r >> 8) % 1000000, 6, 10, QLatin1Char('0'));
    const qint64 created = kBaseMs + qint64((r >> 3) % 10000000) * 1000 + qint64(r % 1000);
    QJsonObject o {
        {QStringLiteral("ImageName"), QStringLiteral("%1-%2").arg(name).arg(i)},
        {QStringLiteral("ImageArn"),
            QStringLiteral("arn:aws:sagemaker:us-west-2:123456789012:image/%1-%2").arg(name).arg(i)},
        {QStringLiteral("ImageStatus"), QLatin1String(statuses[(r >> 5) % 7])},
        {QStringLiteral("CreationTime"), double(created) / 1000.0},
        {QStringLiteral("LastModifiedTime"), double(created + qint64((r >> 12) % 86400) * 1000) / 1000.0},
    };
    if (r % 4 != 0)
        o.insert(QStringLiteral("Description"),
            QStringLiteral("Image number %1 for %2").arg(i).arg(QLatin1String(stems[(r >> 7) % 6])));
    if (r % 5 == 0)
        o.insert(QStringLiteral("DisplayName"), QStringLiteral("Display %1").arg(r % 97));
    return o;
}

inline QJsonArray itemRange(const std::function<QJsonObject(int)> &make, int first, int count)
{
    QJsonArray out;
    for (int i = first; i < first + count; ++i)
        out.append(make(i));
    return out;
}

inline QList<QJsonArray> pagesOf(const std::function<QJsonObject(int)> &make, int total, int pageSize)
{
    QList<QJsonArray> pages;
    for (int first = 0; first < total; first += pageSize)
        pages.append(itemRange(make, first, std::min(pageSize, total - first)));
    return pages;
}

} // namespace pagewise::test
