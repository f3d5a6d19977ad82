#include "timeargument.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace pagewise
{

namespace
{

// Epoch seconds up to the end of year 9999, the range ISO 8601 dates can express here.
constexpr qint64 maxEpochSeconds = 253402300799;

std::optional<QDateTime> parseEpochSeconds(const QString &text)
{
    static const QRegularExpression epoch(QStringLiteral("^(\\d{1,12})(?:\\.(\\d{1,9}))?$"));
    const QRegularExpressionMatch match = epoch.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 seconds = match.captured(1).toLongLong();
    if (seconds > maxEpochSeconds)
        return std::nullopt;
    const QString fraction = match.captured(2);
    const int millis = fraction.isEmpty() ? 0 : QString(fraction + QStringLiteral("00")).left(3).toInt();
    return QDateTime::fromMSecsSinceEpoch(seconds * 1000 + millis, QTimeZone::utc());
}

std::optional<QDateTime> parseIso8601(const QString &text)
{
    static const QRegularExpression iso(QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2})"
                                                       "(?:[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?"
                                                       "([Zz]|[+-]\\d{2}(?::?\\d{2})?)?)?$"));
    const QRegularExpressionMatch match = iso.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const QDate date(match.captured(1).toInt(), match.captured(2).toInt(), match.captured(3).toInt());
    if (!date.isValid())
        return std::nullopt;
    QTime time(0, 0);
    if (match.hasCaptured(4)) {
        const QString fraction = match.captured(7);
        const int millis = fraction.isEmpty() ? 0 : QString(fraction + QStringLiteral("00")).left(3).toInt();
        time = QTime(match.captured(4).toInt(), match.captured(5).toInt(), match.captured(6).toInt(), millis);
        if (!time.isValid())
            return std::nullopt;
    }
    int offsetSeconds = 0;
    const QString zone = match.captured(8);
    if (!zone.isEmpty() && zone.compare(QLatin1String("z"), Qt::CaseInsensitive) != 0) {
        const QString digits = zone.mid(1).remove(QLatin1Char(':'));
        const int hours = digits.left(2).toInt();
        const int minutes = digits.size() > 2 ? digits.mid(2).toInt() : 0;
        if (hours > 23 || minutes > 59)
            return std::nullopt;
        offsetSeconds = (hours * 3600 + minutes * 60) * (zone.startsWith(QLatin1Char('-')) ? -1 : 1);
    }
    // The wall-clock time is in the given zone (UTC when none); move it to UTC.
    return QDateTime(date, time, QTimeZone::utc()).addSecs(-offsetSeconds);
}

} // namespace

std::optional<QDateTime> parseTimeArgument(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (auto epoch = parseEpochSeconds(trimmed))
        return epoch;
    return parseIso8601(trimmed);
}

QString timeArgumentFormats()
{
    return QStringLiteral("an ISO 8601 date or date-time (2024-05-01, 2024-05-01T12:00:00, 2024-05-01T12:00:00Z, "
                          "2024-05-01T14:00:00+02:00; no zone means UTC) or epoch seconds (1714564800)");
}

} // namespace pagewise
