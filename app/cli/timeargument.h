#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace pagewise
{

/// Parses a time given on the command line into a UTC QDateTime.
/// Accepts ISO 8601 dates and date-times, with or without a zone (no zone means UTC):
/// "2024-05-01", "2024-05-01T12:00", "2024-05-01 12:00:00", "2024-05-01T12:00:00.5Z",
/// "2024-05-01T14:00:00+02:00", and epoch seconds ("1714564800", "1714564800.25").
/// Returns nullopt for anything else, including impossible dates like 2024-02-30.
std::optional<QDateTime> parseTimeArgument(const QString &text);

/// What parseTimeArgument() accepts, for error messages.
QString timeArgumentFormats();

} // namespace pagewise
