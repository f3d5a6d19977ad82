#include "columnlayout.h"

#include "kinds/resourcekind.h"

#include <QHeaderView>
#include <QSettings>

namespace pagewise
{

namespace
{

constexpr int minimumWidth = 30;

} // namespace

ColumnLayout ColumnLayout::defaults(const ResourceKind &kind)
{
    ColumnLayout layout;
    for (const ColumnSpec &column : kind.columns) {
        layout.order << column.member;
        layout.widths.insert(column.member, column.widthHint);
        if (!column.visibleByDefault)
            layout.hidden.insert(column.member);
    }
    return layout;
}

ColumnLayout ColumnLayout::capture(const ResourceKind &kind, const QHeaderView *header)
{
    ColumnLayout layout;
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (logical < 0 || logical >= kind.columns.size())
            continue;
        const QString &member = kind.columns[logical].member;
        layout.order << member;
        if (header->isSectionHidden(logical)) {
            layout.hidden.insert(member);
            layout.widths.insert(member, kind.columns[logical].widthHint);
        } else {
            layout.widths.insert(member, header->sectionSize(logical));
        }
    }
    return layout;
}

ColumnLayout ColumnLayout::load(const ResourceKind &kind, QSettings &settings)
{
    ColumnLayout layout = defaults(kind);
    const QStringList order = settings.value(QStringLiteral("order")).toStringList();
    if (order.isEmpty())
        return layout;
    // Saved members first, in their saved order; columns the save did not know keep their
    // default place relative to the end.
    QStringList merged;
    for (const QString &member : order) {
        if (kind.columnIndex(member) >= 0 && !merged.contains(member))
            merged << member;
    }
    for (const QString &member : std::as_const(layout.order)) {
        if (!merged.contains(member))
            merged << member;
    }
    layout.order = merged;
    const QStringList hidden = settings.value(QStringLiteral("hidden")).toStringList();
    const QStringList known = settings.value(QStringLiteral("known")).toStringList();
    for (const ColumnSpec &column : kind.columns) {
        if (!known.contains(column.member))
            continue; // new since the save: default visibility
        if (hidden.contains(column.member))
            layout.hidden.insert(column.member);
        else
            layout.hidden.remove(column.member);
    }
    settings.beginGroup(QStringLiteral("widths"));
    for (const QString &member : settings.childKeys()) {
        bool ok = false;
        const int width = settings.value(member).toInt(&ok);
        if (ok && width >= minimumWidth && kind.columnIndex(member) >= 0)
            layout.widths.insert(member, width);
    }
    settings.endGroup();
    return layout;
}

void ColumnLayout::save(QSettings &settings) const
{
    settings.setValue(QStringLiteral("order"), order);
    settings.setValue(QStringLiteral("known"), order);
    QStringList hiddenList(hidden.cbegin(), hidden.cend());
    hiddenList.sort();
    settings.setValue(QStringLiteral("hidden"), hiddenList);
    settings.remove(QStringLiteral("widths"));
    settings.beginGroup(QStringLiteral("widths"));
    for (auto it = widths.cbegin(); it != widths.cend(); ++it)
        settings.setValue(it.key(), it.value());
    settings.endGroup();
}

void ColumnLayout::apply(const ResourceKind &kind, QHeaderView *header) const
{
    int target = 0;
    for (const QString &member : order) {
        const int logical = kind.columnIndex(member);
        if (logical < 0 || logical >= header->count())
            continue;
        const int from = header->visualIndex(logical);
        if (from != target)
            header->moveSection(from, target);
        ++target;
    }
    for (int logical = 0; logical < header->count() && logical < kind.columns.size(); ++logical) {
        const QString &member = kind.columns[logical].member;
        header->resizeSection(logical, qMax(minimumWidth, widths.value(member, kind.columns[logical].widthHint)));
        header->setSectionHidden(logical, hidden.contains(member));
    }
}

QStringList ColumnLayout::visibleMembers(const ResourceKind &kind, const QHeaderView *header)
{
    QStringList members;
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (logical >= 0 && logical < kind.columns.size() && !header->isSectionHidden(logical))
            members << kind.columns[logical].member;
    }
    return members;
}

} // namespace pagewise
