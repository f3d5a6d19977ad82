// The local sort order on typed keys: full sorts (radix and multi-key text paths) agree with the
// row comparator, also across a change of a column's encoding, and with an independent reference.
#include "models/resourcerowstore.h"
#include "models/rowsort.h"
#include "sampleresources.h"

#include <QtTest>

#include <algorithm>
#include <numeric>

using namespace pagewise;
using namespace pagewise::test;

namespace
{

std::vector<quint32> rowsUpTo(int n)
{
    std::vector<quint32> rows(static_cast<size_t>(n));
    std::iota(rows.begin(), rows.end(), 0u);
    return rows;
}

/// Independent reference: text by QString case folding then exact text; timestamps by value;
/// absent last; ties by row.
std::vector<quint32> reference(const ResourceRowStore &store, int column, Qt::SortOrder order, int n)
{
    std::vector<quint32> rows = rowsUpTo(n);
    std::stable_sort(rows.begin(), rows.end(), [&](quint32 a, quint32 b) {
        const QVariant va = store.rawValue(int(a), column), vb = store.rawValue(int(b), column);
        if (!va.isValid() || !vb.isValid())
            return va.isValid() && !vb.isValid();
        int c;
        if (va.metaType().id() == QMetaType::QDateTime) {
            c = va.toDateTime() < vb.toDateTime() ? -1 : (vb.toDateTime() < va.toDateTime() ? 1 : 0);
        } else {
            c = va.toString().toCaseFolded().compare(vb.toString().toCaseFolded());
            if (c == 0)
                c = va.toString().compare(vb.toString());
        }
        return order == Qt::AscendingOrder ? c < 0 : c > 0;
    });
    return rows;
}

QJsonObject named(int i, const QString &name)
{
    QJsonObject o = image(i);
    o.insert(QStringLiteral("Description"), name);
    return o;
}

} // namespace

class tst_RowComparator : public QObject
{
    Q_OBJECT
private slots:
    void fullSortMatchesReference_data()
    {
        QTest::addColumn<QString>("kindId");
        QTest::addColumn<QString>("member");
        QTest::addColumn<int>("rows");
        QTest::addColumn<Qt::SortOrder>("order");
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            const char *dir = order == Qt::AscendingOrder ? "asc" : "desc";
            for (const char *m : {"ImageName", "ImageArn", "Description", "CreationTime", "ImageStatus", "DisplayName"})
                QTest::addRow("images %s %s", m, dir)
                    << QStringLiteral("images") << QString::fromLatin1(m) << 7000 << order;
            for (const char *m : {"sessionId", "workerId", "startedAt", "endedAt", "updatedBy"})
                QTest::addRow("sessions %s %s", m, dir)
                    << QStringLiteral("sessions") << QString::fromLatin1(m) << 3000 << order;
        }
    }

    void fullSortMatchesReference()
    {
        QFETCH(QString, kindId);
        QFETCH(QString, member);
        QFETCH(int, rows);
        QFETCH(Qt::SortOrder, order);
        ResourceRowStore store(*findResourceKind(kindId));
        for (int i = 0; i < rows; ++i)
            store.append(kindId == QLatin1String("images") ? image(i) : session(i));
        const int column = store.kind().columnIndex(member);

        RowComparator comparator(store, column, order);
        const std::vector<quint32> sorted = comparator.sorted(rowsUpTo(rows));

        QCOMPARE(sorted, reference(store, column, order, rows));
        for (size_t i = 1; i < sorted.size(); ++i)
            QVERIFY(comparator.less(sorted[i - 1], sorted[i]));
    }

    void textWithLongSharedPrefixesAndCase()
    {
        // Deep multi-key recursion: 40 shared characters, case-only differences, prefixes of each other.
        ResourceRowStore store(*findResourceKind(QStringLiteral("images")));
        const QString stem = QStringLiteral("arn:aws:sagemaker:us-west-2:123456789012:");
        QStringList names;
        for (int i = 0; i < 3000; ++i) {
            QString tail = QString::number(mix(quint64(i)) % 50, 36);
            if (i % 3 == 0)
                tail = tail.toUpper();
            if (i % 7 == 0)
                tail.chop(1);
            names << stem + tail;
        }
        names << QString() << QStringLiteral("Ä") << QStringLiteral("ä") << QStringLiteral("a") << QStringLiteral("z");
        for (int i = 0; i < names.size(); ++i)
            store.append(named(i, names[i]));
        const int column = store.kind().columnIndex(QStringLiteral("Description"));
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            RowComparator comparator(store, column, order);
            QCOMPARE(
                comparator.sorted(rowsUpTo(int(names.size()))), reference(store, column, order, int(names.size())));
        }
    }

    void orderHoldsAcrossAnEncodingChange()
    {
        // Description starts pooled and becomes a blob once most values are distinct: an order
        // built before must still be the order afterwards, so merges by binary search stay right.
        ResourceRowStore store(*findResourceKind(QStringLiteral("images")));
        const int column = store.kind().columnIndex(QStringLiteral("Description"));
        for (int i = 0; i < 3000; ++i)
            store.append(image(i));
        QCOMPARE(store.stringColumn(column)->encoding(), StringColumn::Encoding::Pool);
        RowComparator comparator(store, column, Qt::AscendingOrder);
        std::vector<quint32> order = comparator.sorted(rowsUpTo(3000));

        for (int i = 3000; i < 9000; ++i)
            store.append(image(i));
        QCOMPARE(store.stringColumn(column)->encoding(), StringColumn::Encoding::Blob);
        comparator.refresh();
        std::vector<quint32> added(6000);
        std::iota(added.begin(), added.end(), 3000u);
        const auto less = [&](quint32 a, quint32 b) { return comparator.less(a, b); };
        std::sort(added.begin(), added.end(), less);
        std::vector<quint32> merged;
        std::merge(order.begin(), order.end(), added.begin(), added.end(), std::back_inserter(merged), less);

        QCOMPARE(merged, reference(store, column, Qt::AscendingOrder, 9000));
    }

    void idsOffThePatternSortAfterTheOthers()
    {
        ResourceRowStore store(*findResourceKind(QStringLiteral("sessions")));
        QJsonObject odd = session(0);
        odd.insert(QStringLiteral("sessionId"), QStringLiteral("session-00"));
        store.append(session(1));
        store.append(odd);
        store.append(session(2));
        QJsonObject none = session(3);
        none.remove(QStringLiteral("sessionId"));
        store.append(none);
        const int column = store.kind().columnIndex(QStringLiteral("sessionId"));
        const bool oneBeforeTwo = session(1).value(QStringLiteral("sessionId")).toString()
            < session(2).value(QStringLiteral("sessionId")).toString();
        RowComparator ascending(store, column, Qt::AscendingOrder);
        QCOMPARE(ascending.sorted(rowsUpTo(4)),
            (oneBeforeTwo ? std::vector<quint32> {0, 2, 1, 3} : std::vector<quint32> {2, 0, 1, 3}));
        RowComparator descending(store, column, Qt::DescendingOrder);
        QCOMPARE(descending.sorted(rowsUpTo(4)),
            (oneBeforeTwo ? std::vector<quint32> {2, 0, 1, 3} : std::vector<quint32> {0, 2, 1, 3}));
    }
};

QTEST_GUILESS_MAIN(tst_RowComparator)
#include "tst_rowcomparator.moc"
