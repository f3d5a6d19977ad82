#pragma once

#include "core/awserror.h"
#include "listquery.h"

#include <QList>
#include <QString>

namespace pagewise
{

struct ResourceKind;

/// One problem with one request parameter (or PaginationConfig key: "PageSize", "MaxItems",
/// "StartingToken").
struct FieldError {
    QString parameter;
    QString message; ///< what was wrong and what is accepted, ready to show

    bool operator==(const FieldError &other) const = default;
};

/// Checks a ListQuery against its kind before anything is sent: required parameters, patterns
/// (the model's Java-style regex, matched against the whole value), lengths, value types, sort
/// enums, page size limits, MaxItems, date ranges, unknown parameters and the StartingToken.
class QueryValidator
{
public:
    static QList<FieldError> validate(const ResourceKind &kind, const ListQuery &query);
    /// The first error as AwsError::Kind::InvalidInput with parameter set; Kind::None when empty.
    static AwsError toError(const QList<FieldError> &errors);

    /// A Java-style model pattern as an anchored PCRE pattern for QRegularExpression
    /// (\p{ASCII} and the other POSIX property classes become [[:ascii:]] ...).
    static QString toAnchoredPattern(const QString &javaPattern);
    /// Whether the whole value matches the model's pattern; true when the pattern is unusable
    /// (the service then decides).
    static bool matchesPattern(const QString &javaPattern, const QString &value);
};

} // namespace pagewise
