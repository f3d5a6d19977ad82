#include "kinds/resourcekind.h"
#include "ui/columnlayout.h"
#include "uitesthelpers.h"

#include <QHeaderView>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>

using namespace pagewise;

namespace
{

/// A table with the kind's columns, as the window's table has once the model has a query.
struct Table {
    explicit Table(const ResourceKind &kind)
        : model(0, int(kind.columns.size()))
    {
        view.setModel(&model);
    }
    QStandardItemModel model;
    QTableView view;
    QHeaderView *header() { return view.horizontalHeader(); }
};

} // namespace

class tst_ColumnLayout : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void defaultsComeFromTheDescriptor();
    void visibleMembersFollowViewOrder();
    void savedLayoutIsRestored();
    void unknownAndNewMembersAreHandled();

private:
    QTemporaryDir m_settingsDir;
};

void tst_ColumnLayout::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    uitest::useTemporarySettings(m_settingsDir);
}

void tst_ColumnLayout::defaultsComeFromTheDescriptor()
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("images"));
    Table table(kind);
    ColumnLayout::defaults(kind).apply(kind, table.header());
    for (int i = 0; i < kind.columns.size(); ++i) {
        QCOMPARE(table.header()->isSectionHidden(i), !kind.columns[i].visibleByDefault);
        if (kind.columns[i].visibleByDefault)
            QCOMPARE(table.header()->sectionSize(i), kind.columns[i].widthHint);
    }
}

void tst_ColumnLayout::visibleMembersFollowViewOrder()
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("sessions"));
    Table table(kind);
    ColumnLayout::defaults(kind).apply(kind, table.header());
    // Move "Status" first and hide "Fleet".
    table.header()->moveSection(table.header()->visualIndex(kind.columnIndex(QStringLiteral("lifecycleStatus"))), 0);
    table.header()->setSectionHidden(kind.columnIndex(QStringLiteral("fleetId")), true);
    QStringList expected = {QStringLiteral("lifecycleStatus"), QStringLiteral("sessionId"), QStringLiteral("startedAt"),
        QStringLiteral("endedAt"), QStringLiteral("workerId")};
    QCOMPARE(ColumnLayout::visibleMembers(kind, table.header()), expected);
}

void tst_ColumnLayout::savedLayoutIsRestored()
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("datasets"));
    {
        Table table(kind);
        ColumnLayout::defaults(kind).apply(kind, table.header());
        table.header()->moveSection(table.header()->visualIndex(kind.columnIndex(QStringLiteral("datasetArn"))), 0);
        table.header()->resizeSection(kind.columnIndex(QStringLiteral("name")), 333);
        table.header()->setSectionHidden(kind.columnIndex(QStringLiteral("status")), true);
        QSettings settings;
        settings.beginGroup(QStringLiteral("datasets"));
        ColumnLayout::capture(kind, table.header()).save(settings);
    }
    Table table(kind);
    QSettings settings;
    settings.beginGroup(QStringLiteral("datasets"));
    ColumnLayout::load(kind, settings).apply(kind, table.header());
    QCOMPARE(table.header()->logicalIndex(0), kind.columnIndex(QStringLiteral("datasetArn")));
    QCOMPARE(table.header()->sectionSize(kind.columnIndex(QStringLiteral("name"))), 333);
    QVERIFY(table.header()->isSectionHidden(kind.columnIndex(QStringLiteral("status"))));
    QVERIFY(!table.header()->isSectionHidden(kind.columnIndex(QStringLiteral("name"))));
}

void tst_ColumnLayout::unknownAndNewMembersAreHandled()
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("images"));
    QSettings settings;
    settings.beginGroup(QStringLiteral("oldImages"));
    // A layout saved by a version that knew "Gone" but not "FailureReason".
    settings.setValue(QStringLiteral("order"),
        QStringList {QStringLiteral("Gone"), QStringLiteral("ImageArn"), QStringLiteral("ImageName")});
    settings.setValue(QStringLiteral("known"),
        QStringList {QStringLiteral("Gone"), QStringLiteral("ImageArn"), QStringLiteral("ImageName")});
    settings.setValue(QStringLiteral("hidden"), QStringList {QStringLiteral("ImageName")});
    const ColumnLayout layout = ColumnLayout::load(kind, settings);
    QVERIFY(!layout.order.contains(QStringLiteral("Gone")));
    QCOMPARE(layout.order.size(), kind.columns.size());
    QCOMPARE(layout.order.first(), QStringLiteral("ImageArn"));
    QVERIFY(layout.hidden.contains(QStringLiteral("ImageName")));
    QVERIFY(!layout.hidden.contains(QStringLiteral("ImageArn"))); // shown in the saved layout
    QVERIFY(layout.hidden.contains(QStringLiteral("FailureReason"))); // new: its default
}

QTEST_MAIN(tst_ColumnLayout)
#include "tst_columnlayout.moc"
