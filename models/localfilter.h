#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace pagewise
{

/// A filter over rows already loaded (what the API cannot filter), built by the window from
/// the kind's localFilters. Conditions are ANDed; an empty filter lets every row through.
/// Members are exact response member names; unknown members make a condition match nothing.
struct LocalFilter {
    /// Case-insensitive substring in any of `members` (as displayed for ids and text;
    /// the wire value for enums). Empty needle = no condition.
    struct Text {
        QStringList members;
        QString needle;
        bool operator==(const Text &) const = default;
    };
    /// The member's wire value is one of `values` (e.g. "CREATE_FAILED"). Empty = no condition.
    struct OneOf {
        QString member;
        QStringList values;
        bool operator==(const OneOf &) const = default;
    };
    /// The timestamp lies within [from, to] (both inclusive, either open). Rows without the
    /// member never match a bounded range.
    struct TimeRange {
        QString member;
        std::optional<QDateTime> from;
        std::optional<QDateTime> to;
        bool operator==(const TimeRange &) const = default;
    };

    QList<Text> texts;
    QList<OneOf> oneOfs;
    QList<TimeRange> timeRanges;

    /// True when no condition restricts anything.
    bool isEmpty() const;
    bool operator==(const LocalFilter &) const = default;
};

} // namespace pagewise
