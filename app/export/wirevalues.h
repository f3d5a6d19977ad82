#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringView>

#include <optional>
#include <string_view>

namespace pagewise
{

/// A timestamp member as a service sends it, in milliseconds since 1970-01-01T00:00:00Z, accepting
/// what botocore's parse_timestamp accepts for the formats AWS uses:
/// - a JSON number of epoch seconds, integer or with a fraction, also in exponent form
///   (1.714564800123E9);
/// - a string holding such a number ("1714564800", "1.7145648E9");
/// - ISO 8601 / RFC 3339: "2024-05-01T12:34:56.789Z", with any number of fraction digits, 'T', 't'
///   or a space between date and time, 'Z' or an offset (+02:00, +0200, +02), or no zone (taken as
///   UTC); a date alone ("2024-05-01"); the basic form "20240501T123456Z";
/// - RFC 822 / HTTP dates: "Wed, 01 May 2024 12:00:00 GMT" (or UT, UTC, Z, +0000).
/// Sub-millisecond digits are dropped (not rounded), as a display of botocore's microseconds would.
/// nullopt for anything else: other JSON types, text that is none of these, impossible dates
/// (2024-02-30, 25:00), non-finite numbers, or instants outside years 1 to 9999.
std::optional<qint64> parseWireTimestampMs(const QJsonValue &value);
std::optional<qint64> parseWireTimestampMs(QStringView text);
/// The same for text in UTF-8 (a raw page's string, which is valid UTF-8).
std::optional<qint64> parseWireTimestampMs(std::string_view utf8);

/// Epoch seconds (as the JSON protocols send them) to milliseconds, rounded to the microsecond
/// first as Python's datetime.fromtimestamp does; nullopt when not finite or outside years 1-9999.
std::optional<qint64> epochSecondsToMs(double seconds);

/// ISO 8601 in UTC: "2024-05-01T12:00:00.123Z", or "2024-05-01T12:00:00Z" when the milliseconds
/// are zero. Empty for instants outside years 0 to 9999, which parseWireTimestampMs() never returns.
QString formatIsoUtc(qint64 msSinceEpoch);

/// The longest text formatIsoUtc() writes ("2024-05-01T12:00:00.123Z").
constexpr int kIsoUtcMaxSize = 24;
/// formatIsoUtc() into out (room for kIsoUtcMaxSize bytes), in ASCII; returns the end of what it
/// wrote, out itself when it wrote nothing.
char *formatIsoUtc(qint64 msSinceEpoch, char *out);

} // namespace pagewise
