// The sort/filter proxy over the lazy model: server sort re-queries, local sort on typed keys
// (merged page by page), filters with match counts, all under QAbstractItemModelTester.
#include "models/resourcesortfilterproxymodel.h"
#include "modeltesthelpers.h"
#include "scriptedmodel.h"

#include <QSignalSpy>
#include <QtTest>

#include <algorithm>

using namespace pagewise;
using namespace pagewise::test;

namespace
{

ListQuery query(const QString &kind)
{
    if (kind == QLatin1String("sessions"))
        return sessionsQuery();
    ListQuery q;
    q.kindId = kind;
    return q;
}

std::function<QJsonObject(int)> maker(const QString &kind)
{
    return kind == QLatin1String("sessions") ? std::function<QJsonObject(int)>(session)
                                             : std::function<QJsonObject(int)>(image);
}

/// A proxy over a scripted listing, the model and the proxy both watched by QAbstractItemModelTester.
struct Fixture : ScriptedModel {
    ResourceSortFilterProxyModel proxy;
    QAbstractItemModelTester proxyTester;

    Fixture(const QString &kind, int total, int pageSize)
        : ScriptedModel(pagesOf(maker(kind), total, pageSize))
        , proxyTester(&proxy)
    {
        proxyTester.setUseFetchMore(false);
        proxy.setSourceModel(&model);
        model.setQuery(query(kind));
    }
    int column(const char *member) const { return model.columnForMember(QLatin1String(member)); }
    bool isEnded(int row) const
    {
        return model.index(row, column("lifecycleStatus")).data(ResourceTableModel::RawValueRole).toString()
            == QLatin1String("ENDED");
    }
};

/// Only sessions whose lifecycleStatus is ENDED.
LocalFilter endedSessions()
{
    LocalFilter filter;
    filter.oneOfs.append({QStringLiteral("lifecycleStatus"), {QStringLiteral("ENDED")}});
    return filter;
}

/// The expected order, computed independently from RawValueRole: typed comparison, text by
/// case-folded then exact text, rows without a value last, ties in load order.
QStringList referenceOrder(
    const ResourceTableModel &model, int column, Qt::SortOrder order, const std::function<bool(int)> &keep = {})
{
    std::vector<int> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (!keep || keep(row))
            rows.push_back(row);
    }
    auto compare = [](const QVariant &a, const QVariant &b) {
        if (a.metaType().id() == QMetaType::QDateTime)
            return a.toDateTime() < b.toDateTime() ? -1 : (b.toDateTime() < a.toDateTime() ? 1 : 0);
        if (a.metaType().id() == QMetaType::LongLong)
            return a.toLongLong() < b.toLongLong() ? -1 : (a.toLongLong() > b.toLongLong() ? 1 : 0);
        const int folded = a.toString().toCaseFolded().compare(b.toString().toCaseFolded());
        return folded != 0 ? folded : a.toString().compare(b.toString());
    };
    std::stable_sort(rows.begin(), rows.end(), [&](int x, int y) {
        const QVariant a = model.index(x, column).data(ResourceTableModel::RawValueRole);
        const QVariant b = model.index(y, column).data(ResourceTableModel::RawValueRole);
        if (!a.isValid() || !b.isValid())
            return a.isValid() && !b.isValid();
        const int c = compare(a, b);
        return order == Qt::AscendingOrder ? c < 0 : c > 0;
    });
    QStringList keys;
    for (int row : rows)
        keys << model.index(row, 0).data(ResourceTableModel::KeyRole).toString();
    return keys;
}

} // namespace

class tst_ResourceSortFilterProxyModel : public QObject
{
    Q_OBJECT
private slots:
    void unsortedProxyFollowsTheSource()
    {
        Fixture f(QStringLiteral("sessions"), 30, 10);
        QSignalSpy inserted(&f.proxy, &QAbstractItemModel::rowsInserted);
        f.nextPage();
        f.nextPage();
        QCOMPARE(f.proxy.rowCount(), 20);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(inserted.last().at(1).toInt(), 10);
        QCOMPARE(f.proxy.sourceRow(13), 13);
        QCOMPARE(f.proxy.mapFromSource(f.model.index(7, 2)), f.proxy.index(7, 2));
        QCOMPARE(f.proxy.sortScope(), ResourceSortFilterProxyModel::SortScope::None);
        QCOMPARE(f.proxy.sortColumn(), -1);
        QVERIFY(f.proxy.canFetchMore({}));
    }

    void localSortOrdersLoadedRowsOnTypedKeys_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("member");
        QTest::addColumn<Qt::SortOrder>("order");
        const char *sessionMembers[] = {"sessionId", "lifecycleStatus", "startedAt", "endedAt", "fleetId", "workerId",
            "targetLifecycleStatus", "updatedAt", "updatedBy"};
        const char *imageMembers[] = {"ImageStatus", "Description", "DisplayName", "ImageArn", "FailureReason"};
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            const char *direction = order == Qt::AscendingOrder ? "asc" : "desc";
            for (const char *m : sessionMembers)
                QTest::addRow("sessions %s %s", m, direction)
                    << QStringLiteral("sessions") << QString::fromLatin1(m) << order;
            for (const char *m : imageMembers)
                QTest::addRow("images %s %s", m, direction)
                    << QStringLiteral("images") << QString::fromLatin1(m) << order;
        }
    }

    void localSortOrdersLoadedRowsOnTypedKeys()
    {
        QFETCH(QString, kind);
        QFETCH(QString, member);
        QFETCH(Qt::SortOrder, order);
        Fixture f(kind, 600, 200);
        f.nextPage();
        f.nextPage();
        const int column = f.model.columnForMember(member);
        QSignalSpy sorted(&f.proxy, &ResourceSortFilterProxyModel::sortChanged);

        f.proxy.sort(column, order);

        QCOMPARE(f.fakes.queries.size(), 1); // never a request
        QCOMPARE(rowKeys(f.proxy), referenceOrder(f.model, column, order));
        QCOMPARE(f.proxy.sortScope(), ResourceSortFilterProxyModel::SortScope::Local);
        QCOMPARE(f.proxy.sortColumn(), column);
        QCOMPARE(f.proxy.sortOrder(), order);
        QCOMPARE(f.proxy.sortedRowCount(), 400);
        QVERIFY(f.proxy.isSortPartial());
        QCOMPARE(sorted.size(), 1);
        QCOMPARE(sorted.first().at(2).value<ResourceSortFilterProxyModel::SortScope>(),
            ResourceSortFilterProxyModel::SortScope::Local);
        for (int row = 0; row < 400; row += 37)
            QCOMPARE(f.proxy.mapFromSource(f.proxy.mapToSource(f.proxy.index(row, 1))), f.proxy.index(row, 1));
    }

    void pagesMergedIntoASortedOrderEqualAFullResort_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("member");
        QTest::addColumn<int>("pageSize");
        // Small pages land in few places (one rowsInserted per run), large ones in many (one layout change).
        for (int pageSize : {3, 50}) {
            QTest::addRow("sessions startedAt %d", pageSize)
                << QStringLiteral("sessions") << QStringLiteral("startedAt") << pageSize;
            QTest::addRow("sessions lifecycleStatus %d", pageSize)
                << QStringLiteral("sessions") << QStringLiteral("lifecycleStatus") << pageSize;
            QTest::addRow("sessions endedAt %d", pageSize)
                << QStringLiteral("sessions") << QStringLiteral("endedAt") << pageSize;
            QTest::addRow("sessions sessionId %d", pageSize)
                << QStringLiteral("sessions") << QStringLiteral("sessionId") << pageSize;
            QTest::addRow("images Description %d", pageSize)
                << QStringLiteral("images") << QStringLiteral("Description") << pageSize;
            QTest::addRow("images ImageArn %d", pageSize)
                << QStringLiteral("images") << QStringLiteral("ImageArn") << pageSize;
        }
    }

    void pagesMergedIntoASortedOrderEqualAFullResort()
    {
        QFETCH(QString, kind);
        QFETCH(QString, member);
        QFETCH(int, pageSize);
        Fixture f(kind, pageSize * 12, pageSize);
        f.nextPage();
        const int column = f.model.columnForMember(member);
        f.proxy.sort(column, Qt::DescendingOrder);
        QSignalSpy inserted(&f.proxy, &QAbstractItemModel::rowsInserted);
        QSignalSpy layouts(&f.proxy, &QAbstractItemModel::layoutChanged);
        QPersistentModelIndex watched = f.proxy.index(0, 0);
        const QString watchedKey = watched.data(ResourceTableModel::KeyRole).toString();

        for (int page = 1; page < 12; ++page)
            f.nextPage();

        QCOMPARE(f.model.rowCount(), pageSize * 12);
        QCOMPARE(rowKeys(f.proxy), referenceOrder(f.model, column, Qt::DescendingOrder));
        QVERIFY(inserted.size() + layouts.size() >= 11);
        QVERIFY(watched.isValid());
        QCOMPARE(watched.data(ResourceTableModel::KeyRole).toString(), watchedKey);
        QVERIFY(!f.proxy.isSortPartial());
    }

    void serverSortableColumnReQueriesTheService()
    {
        Fixture f(QStringLiteral("images"), 40, 10);
        f.nextPage();
        const int created = f.column("CreationTime");
        const int name = f.column("ImageName");
        // No SortBy sent: the API's default order, which the header should show
        QCOMPARE(f.proxy.sortScope(), ResourceSortFilterProxyModel::SortScope::Server);
        QCOMPARE(f.proxy.sortColumn(), created);
        QCOMPARE(f.proxy.sortOrder(), Qt::DescendingOrder);
        QVERIFY(f.proxy.isServerSortable(name));
        QVERIFY(!f.proxy.isServerSortable(f.column("ImageStatus")));

        // The header's initial indicator (the server's order) costs no request
        f.proxy.sort(created, Qt::DescendingOrder);
        QCOMPARE(f.fakes.queries.size(), 1);

        QSignalSpy resets(&f.proxy, &QAbstractItemModel::modelReset);
        f.proxy.sort(name, Qt::AscendingOrder);

        QCOMPARE(f.fakes.queries.size(), 2);
        const ListQuery &q = f.fakes.queries.last();
        QCOMPARE(q.parameters.value(QStringLiteral("SortBy")).toString(), QStringLiteral("IMAGE_NAME"));
        QCOMPARE(q.parameters.value(QStringLiteral("SortOrder")).toString(), QStringLiteral("ASCENDING"));
        QCOMPARE(q.kindId, QStringLiteral("images"));
        QCOMPARE(resets.size(), 1);
        QCOMPARE(f.proxy.sortScope(), ResourceSortFilterProxyModel::SortScope::Server);
        QCOMPARE(f.proxy.sortColumn(), name);
        QCOMPARE(f.proxy.sortOrder(), Qt::AscendingOrder);

        // Rows stay in the order the service sent them, page after page
        f.nextPage();
        f.nextPage();
        QCOMPARE(f.proxy.rowCount(), 20);
        for (int row = 0; row < 20; ++row)
            QCOMPARE(f.proxy.sourceRow(row), row);
        QCOMPARE(f.proxy.sortedRowCount(), 0);
        QVERIFY(!f.proxy.isSortPartial());
    }

    void localThenServerSortDropsTheLocalOrder()
    {
        Fixture f(QStringLiteral("images"), 40, 10);
        f.nextPage();
        f.proxy.sort(f.column("ImageStatus"), Qt::AscendingOrder);
        QCOMPARE(f.proxy.sortScope(), ResourceSortFilterProxyModel::SortScope::Local);

        f.proxy.sort(f.column("LastModifiedTime"), Qt::AscendingOrder);

        QCOMPARE(f.fakes.queries.size(), 2);
        QCOMPARE(f.fakes.queries.last().parameters.value(QStringLiteral("SortBy")).toString(),
            QStringLiteral("LAST_MODIFIED_TIME"));
        QCOMPARE(f.proxy.sortScope(), ResourceSortFilterProxyModel::SortScope::Server);
        f.nextPage();
        QCOMPARE(f.proxy.sourceRow(3), 3);

        // Going back to the default order is a query again (an explicit one)
        f.proxy.sort(f.column("CreationTime"), Qt::DescendingOrder);
        QCOMPARE(f.fakes.queries.size(), 3);
        QCOMPARE(f.fakes.queries.last().parameters.value(QStringLiteral("SortBy")).toString(),
            QStringLiteral("CREATION_TIME"));
    }

    void sortMinusOneReturnsToSourceOrder()
    {
        Fixture f(QStringLiteral("sessions"), 40, 20);
        f.nextPage();
        f.proxy.sort(f.column("startedAt"), Qt::AscendingOrder);
        QVERIFY(f.proxy.sourceRow(0) != 0 || f.proxy.sourceRow(1) != 1);
        f.proxy.sort(-1);
        QCOMPARE(f.proxy.sortScope(), ResourceSortFilterProxyModel::SortScope::None);
        for (int row = 0; row < 20; ++row)
            QCOMPARE(f.proxy.sourceRow(row), row);
    }

    void persistentIndexFollowsItsRowThroughSortAndFilter()
    {
        Fixture f(QStringLiteral("sessions"), 100, 100);
        f.nextPage();
        QPersistentModelIndex watched = f.proxy.index(42, 3);
        const QString key = watched.data(ResourceTableModel::KeyRole).toString();
        const QString status
            = f.proxy.index(42, f.column("lifecycleStatus")).data(ResourceTableModel::RawValueRole).toString();

        f.proxy.sort(f.column("startedAt"), Qt::DescendingOrder);
        QCOMPARE(watched.data(ResourceTableModel::KeyRole).toString(), key);
        QCOMPARE(watched.column(), 3);

        LocalFilter filter;
        filter.oneOfs.append({QStringLiteral("lifecycleStatus"), {status}});
        f.proxy.setFilter(filter);
        QVERIFY(watched.isValid());
        QCOMPARE(watched.data(ResourceTableModel::KeyRole).toString(), key);

        filter.oneOfs.first().values = {QStringLiteral("NO_SUCH_STATUS")};
        f.proxy.setFilter(filter);
        QVERIFY(!watched.isValid());
    }

    void filterThatHidesAllRowsKeepsFetchingBounded()
    {
        Fixture f(QStringLiteral("sessions"), 500, 10);
        f.fakes.last()->autoDeliver = true;
        f.model.setAutoContinuePages(4);
        f.fakes.last()->deliver();
        LocalFilter filter;
        filter.texts.append(
            {{QStringLiteral("sessionId"), QStringLiteral("workerId")}, QStringLiteral("no-such-text")});
        QSignalSpy counts(&f.proxy, &ResourceSortFilterProxyModel::matchCountChanged);

        f.proxy.setFilter(filter);
        QCOMPARE(f.proxy.rowCount(), 0);
        QVERIFY(f.proxy.isFiltering());
        QCOMPARE(counts.last().at(0).toInt(), 0);
        QCOMPARE(counts.last().at(1).toInt(), 10);
        QVERIFY(f.model.hasVisibleRowCounter());

        // The view sees an empty proxy and asks: pages that add nothing visible continue, boundedly
        f.proxy.fetchMore({});
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(f.model.rowCount(), 60); // one fetch and four automatic continuations
        QCOMPARE(counts.last().at(1).toInt(), 60);

        // Load more, with a budget, reports what it scanned
        QSignalSpy progress(&f.model, &ResourceTableModel::fetchPagesProgress);
        f.model.fetchPages(5);
        QTRY_COMPARE(f.model.state(), ResourceTableModel::State::Idle);
        QCOMPARE(f.model.rowCount(), 110);
        QCOMPARE(progress.last().at(0).toInt(), 5);
        QCOMPARE(progress.last().at(1).toInt(), 0);

        f.proxy.setFilter({});
        QCOMPARE(f.proxy.rowCount(), 110);
        QVERIFY(!f.model.hasVisibleRowCounter());
    }

    void filtersMatchTypedColumns_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<LocalFilter>("filter");
        QTest::addColumn<QString>("member"); // the predicate, re-stated over RawValueRole/DisplayRole
        QTest::addColumn<QVariant>("argument");

        LocalFilter text;
        text.texts.append({{QStringLiteral("sessionId"), QStringLiteral("fleetId"), QStringLiteral("workerId")},
            QStringLiteral("A3")});
        QTest::addRow("id text, case-insensitive")
            << QStringLiteral("sessions") << text << QStringLiteral("*ids") << QVariant(QStringLiteral("a3"));

        LocalFilter status;
        status.oneOfs.append(
            {QStringLiteral("lifecycleStatus"), {QStringLiteral("ENDED"), QStringLiteral("UPDATE_FAILED")}});
        QTest::addRow("enum one of") << QStringLiteral("sessions") << status << QStringLiteral("lifecycleStatus")
                                     << QVariant(
                                            QStringList {QStringLiteral("ENDED"), QStringLiteral("UPDATE_FAILED")});

        LocalFilter readable;
        readable.texts.append({{QStringLiteral("ImageStatus")}, QStringLiteral("create failed")});
        QTest::addRow("enum readable text") << QStringLiteral("images") << readable << QStringLiteral("ImageStatus")
                                            << QVariant(QStringList {QStringLiteral("CREATE_FAILED")});

        LocalFilter range;
        const QDateTime from = QDateTime::fromMSecsSinceEpoch(kBaseMs + 100000000LL, Qt::UTC);
        const QDateTime to = QDateTime::fromMSecsSinceEpoch(kBaseMs + 400000000LL, Qt::UTC);
        range.timeRanges.append({QStringLiteral("startedAt"), from, to});
        QTest::addRow("time range") << QStringLiteral("sessions") << range << QStringLiteral("startedAt")
                                    << QVariant(QVariantList {from, to});

        LocalFilter ended;
        ended.timeRanges.append({QStringLiteral("endedAt"), from, std::nullopt});
        QTest::addRow("open range skips rows without the member") << QStringLiteral(
            "sessions") << ended << QStringLiteral("endedAt") << QVariant(QVariantList {from, QDateTime()});

        LocalFilter description;
        description.texts.append({{QStringLiteral("Description")}, QStringLiteral("FOR model")});
        QTest::addRow("blob text") << QStringLiteral("images") << description << QStringLiteral("Description")
                                   << QVariant(QStringLiteral("for model"));
    }

    void filtersMatchTypedColumns()
    {
        QFETCH(QString, kind);
        QFETCH(LocalFilter, filter);
        QFETCH(QString, member);
        QFETCH(QVariant, argument);
        Fixture f(kind, 300, 100);
        f.nextPage();
        f.nextPage();

        auto expected = [&](int row) {
            auto raw
                = [&](const char *m) { return f.model.index(row, f.column(m)).data(ResourceTableModel::RawValueRole); };
            if (member == QLatin1String("*ids")) {
                for (const char *m : {"sessionId", "fleetId", "workerId"}) {
                    if (raw(m).toString().contains(argument.toString()))
                        return true;
                }
                return false;
            }
            const QVariant value
                = f.model.index(row, f.model.columnForMember(member)).data(ResourceTableModel::RawValueRole);
            if (argument.metaType().id() == QMetaType::QStringList)
                return argument.toStringList().contains(value.toString());
            if (argument.metaType().id() == QMetaType::QVariantList) {
                const QVariantList bounds = argument.toList();
                const QDateTime t = value.toDateTime();
                return value.isValid() && t >= bounds[0].toDateTime()
                    && (!bounds[1].toDateTime().isValid() || t <= bounds[1].toDateTime());
            }
            return value.toString().contains(argument.toString(), Qt::CaseInsensitive);
        };
        const QStringList wanted = [&] {
            QStringList keys;
            for (int row = 0; row < f.model.rowCount(); ++row) {
                if (expected(row))
                    keys << f.model.index(row, 0).data(ResourceTableModel::KeyRole).toString();
            }
            return keys;
        }();
        QVERIFY2(!wanted.isEmpty() && wanted.size() < 200, "the sample data should make this filter selective");
        QSignalSpy counts(&f.proxy, &ResourceSortFilterProxyModel::matchCountChanged);

        f.proxy.setFilter(filter);
        QCOMPARE(rowKeys(f.proxy), wanted);
        QCOMPARE(f.proxy.matchCount(), int(wanted.size()));
        QCOMPARE(f.proxy.loadedRowCount(), 200);
        QCOMPARE(counts.last().at(0).toInt(), int(wanted.size()));

        // A page arriving under the filter is filtered too, and counted
        f.nextPage();
        int expectedMatches = 0;
        for (int row = 0; row < f.model.rowCount(); ++row)
            expectedMatches += expected(row);
        QCOMPARE(f.proxy.rowCount(), expectedMatches);
        QCOMPARE(counts.last().at(1).toInt(), 300);
    }

    void filterAndLocalSortCombine()
    {
        Fixture f(QStringLiteral("sessions"), 300, 100);
        f.nextPage();
        const int started = f.column("startedAt");
        f.proxy.sort(started, Qt::AscendingOrder);
        const LocalFilter filter = endedSessions();
        f.proxy.setFilter(filter);
        const auto isEnded = [&f](int row) { return f.isEnded(row); };
        QCOMPARE(rowKeys(f.proxy), referenceOrder(f.model, started, Qt::AscendingOrder, isEnded));

        f.nextPage();
        f.nextPage();
        QCOMPARE(rowKeys(f.proxy), referenceOrder(f.model, started, Qt::AscendingOrder, isEnded));

        // Lifting the filter restores every row, still in order, without re-sorting wrongly
        f.proxy.setFilter({});
        QCOMPARE(rowKeys(f.proxy), referenceOrder(f.model, started, Qt::AscendingOrder));
        f.proxy.setFilter(filter);
        f.proxy.sort(started, Qt::DescendingOrder);
        QCOMPARE(rowKeys(f.proxy), referenceOrder(f.model, started, Qt::DescendingOrder, isEnded));
    }

    void theSourceMayBeDestroyedFirst()
    {
        FakeFetcherFactory fakes;
        fakes.pages = pagesOf(session, 20, 20);
        auto *model = new ResourceTableModel(fakes.factory());
        ResourceSortFilterProxyModel proxy;
        QAbstractItemModelTester tester(&proxy);
        proxy.setSourceModel(model);
        model->setQuery(query(QStringLiteral("sessions")));
        fakes.last()->deliver();
        proxy.setFilter(endedSessions()); // installs a counter in the model
        proxy.sort(1, Qt::AscendingOrder);
        QSignalSpy resets(&proxy, &QAbstractItemModel::modelReset);

        delete model;

        QCOMPARE(resets.size(), 1);
        QCOMPARE(proxy.rowCount(), 0);
        QCOMPARE(proxy.resourceModel(), nullptr);
        QVERIFY(!proxy.index(0, 0).isValid());
    } // and the proxy's destructor must not touch the model

    void aNewListingKeepsSortAndFilterOfTheSameKind()
    {
        Fixture f(QStringLiteral("sessions"), 100, 50);
        f.nextPage();
        const int started = f.column("startedAt");
        f.proxy.sort(started, Qt::AscendingOrder);
        f.proxy.setFilter(endedSessions());

        f.model.setQuery(query(QStringLiteral("sessions")));
        QCOMPARE(f.proxy.rowCount(), 0);
        f.nextPage();
        QCOMPARE(f.proxy.sortScope(), ResourceSortFilterProxyModel::SortScope::Local);
        QVERIFY(f.proxy.isFiltering());
        const auto isEnded = [&f](int row) { return f.isEnded(row); };
        QCOMPARE(rowKeys(f.proxy), referenceOrder(f.model, started, Qt::AscendingOrder, isEnded));

        // Another kind: the old kind's sort and filter mean nothing there
        QSignalSpy filterChanges(&f.proxy, &ResourceSortFilterProxyModel::filterChanged);
        f.model.setQuery(query(QStringLiteral("images")));
        QCOMPARE(f.proxy.sortScope(), ResourceSortFilterProxyModel::SortScope::Server);
        QVERIFY(!f.proxy.isFiltering());
        QCOMPARE(filterChanges.size(), 1);
        QCOMPARE(f.proxy.columnCount(), 8);
        QCOMPARE(f.proxy.headerData(0, Qt::Horizontal, ResourceTableModel::MemberRole).toString(),
            QStringLiteral("ImageName"));
    }
};

QTEST_GUILESS_MAIN(tst_ResourceSortFilterProxyModel)
#include "tst_resourcesortfilterproxymodel.moc"
