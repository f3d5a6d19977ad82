#pragma once

#include <QHash>
#include <QSet>
#include <QStringList>

class QHeaderView;
class QSettings;

namespace pagewise
{

struct ResourceKind;

/// Column order, widths and visibility of one kind's table, keyed by response member name so a
/// saved layout survives descriptor changes (new columns appear at their default place, gone
/// ones are ignored). The header's logical index is the column's index in the descriptor.
struct ColumnLayout {
    QStringList order; ///< members in visual order
    QHash<QString, int> widths;
    QSet<QString> hidden;

    /// The descriptor's order, width hints and default visibility.
    static ColumnLayout defaults(const ResourceKind &kind);
    /// What the header shows now.
    static ColumnLayout capture(const ResourceKind &kind, const QHeaderView *header);
    /// From settings (the current group); the defaults where nothing was saved.
    static ColumnLayout load(const ResourceKind &kind, QSettings &settings);

    void save(QSettings &settings) const;
    /// Moves, resizes and hides sections; needs the header to have the kind's sections.
    void apply(const ResourceKind &kind, QHeaderView *header) const;

    /// Visible members in view order.
    static QStringList visibleMembers(const ResourceKind &kind, const QHeaderView *header);
};

} // namespace pagewise
