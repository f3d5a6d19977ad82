#include "models/resourcetablemodel.h"
#include "ui/csvexportjob.h"
#include "uitesthelpers.h"

#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace pagewise;

namespace
{

QJsonArray manyImages(int count)
{
    QJsonArray items;
    for (int i = 0; i < count; ++i) {
        const QString name = QStringLiteral("image-%1").arg(i, 5, 10, QLatin1Char('0'));
        items.append(QJsonObject {{QStringLiteral("ImageName"), name},
            {QStringLiteral("ImageArn"), QString(QStringLiteral("arn:aws:sagemaker:us-east-1:1:image/") + name)},
            {QStringLiteral("ImageStatus"), QStringLiteral("CREATED")},
            {QStringLiteral("CreationTime"), double(1700000000 + i)}});
    }
    return items;
}

/// A model holding `count` images, loaded through a one-page fetcher.
std::unique_ptr<ResourceTableModel> loadedModel(int count)
{
    const QJsonArray items = manyImages(count);
    auto model = std::make_unique<ResourceTableModel>(
        [items](const ListQuery &) { return std::make_unique<uitest::OnePageFetcher>(items); });
    ListQuery query;
    query.kindId = QStringLiteral("images");
    model->setQuery(query);
    if (!QTest::qWaitFor([&] { return model->rowCount() == count; }))
        return nullptr;
    return model;
}

QList<int> allRows(int count)
{
    QList<int> rows;
    for (int i = 0; i < count; ++i)
        rows << i;
    return rows;
}

} // namespace

class tst_CsvExportJob : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyRowIsWrittenAcrossChunks();
    void rowsFollowTheGivenOrder();
    void unwritablePathFailsWithoutAFile();
    void replacedListingWritesNothing();
    void cancelWritesNothing();

private:
    QList<ColumnSpec> columns(const QStringList &members) const;
    QTemporaryDir m_dir;
};

void tst_CsvExportJob::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

QList<ColumnSpec> tst_CsvExportJob::columns(const QStringList &members) const
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("images"));
    QList<ColumnSpec> out;
    for (const QString &member : members)
        out << kind.columns[kind.columnIndex(member)];
    return out;
}

void tst_CsvExportJob::everyRowIsWrittenAcrossChunks()
{
    const int count = CsvExportJob::rowsPerChunk * 2 + 17;
    auto model = loadedModel(count);
    QVERIFY(model);
    const QString path = m_dir.filePath(QStringLiteral("many.csv"));
    CsvExportJob job(model.get(), allRows(count),
        columns({QStringLiteral("ImageName"), QStringLiteral("CreationTime")}), path, false);
    QSignalSpy progress(&job, &CsvExportJob::progress);
    QSignalSpy finished(&job, &CsvExportJob::finished);
    job.start();
    // Written over several event-loop turns, not in one go.
    QVERIFY(!QFile::exists(path));
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().last().toString()));
    QVERIFY(progress.size() >= 4); // 0, then one per chunk
    QCOMPARE(progress.last().first().toLongLong(), qint64(count));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QStringList> rows = uitest::parseCsv(QString::fromUtf8(file.readAll()));
    QCOMPARE(rows.size(), count + 1);
    QCOMPARE(rows.first(), (QStringList {QStringLiteral("ImageName"), QStringLiteral("CreationTime")}));
    for (int i = 0; i < count; ++i) {
        QCOMPARE(rows[i + 1][0], QStringLiteral("image-%1").arg(i, 5, 10, QLatin1Char('0')));
        QCOMPARE(QDateTime::fromString(rows[i + 1][1], Qt::ISODate).toSecsSinceEpoch(), 1700000000 + i);
    }
}

void tst_CsvExportJob::rowsFollowTheGivenOrder()
{
    auto model = loadedModel(10);
    QVERIFY(model);
    const QString path = m_dir.filePath(QStringLiteral("order.csv"));
    CsvExportJob job(model.get(), {7, 2, 9}, columns({QStringLiteral("ImageName")}), path, false);
    QSignalSpy finished(&job, &CsvExportJob::finished);
    job.start();
    QTRY_COMPARE(finished.size(), 1);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("ImageName\r\nimage-00007\r\nimage-00002\r\nimage-00009\r\n"));
}

void tst_CsvExportJob::unwritablePathFailsWithoutAFile()
{
    auto model = loadedModel(3);
    QVERIFY(model);
    const QString path = m_dir.filePath(QStringLiteral("no/such/dir/x.csv"));
    CsvExportJob job(model.get(), allRows(3), columns({QStringLiteral("ImageName")}), path, false);
    QSignalSpy finished(&job, &CsvExportJob::finished);
    job.start();
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(!finished.first().first().toBool());
    QVERIFY(finished.first().last().toString().contains(path));
    QVERIFY(!QFile::exists(path));
}

void tst_CsvExportJob::replacedListingWritesNothing()
{
    const int count = CsvExportJob::rowsPerChunk * 3;
    auto model = loadedModel(count);
    QVERIFY(model);
    const QString path = m_dir.filePath(QStringLiteral("replaced.csv"));
    CsvExportJob job(model.get(), allRows(count), columns({QStringLiteral("ImageName")}), path, false);
    QSignalSpy finished(&job, &CsvExportJob::finished);
    QSignalSpy progress(&job, &CsvExportJob::progress);
    job.start();
    QTRY_VERIFY(progress.size() >= 2); // the first chunk is out
    ListQuery other;
    other.kindId = QStringLiteral("images");
    model->setQuery(other);
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(!finished.first().first().toBool());
    QVERIFY(!QFile::exists(path));
}

void tst_CsvExportJob::cancelWritesNothing()
{
    const int count = CsvExportJob::rowsPerChunk * 3;
    auto model = loadedModel(count);
    QVERIFY(model);
    const QString path = m_dir.filePath(QStringLiteral("cancelled.csv"));
    CsvExportJob job(model.get(), allRows(count), columns({QStringLiteral("ImageName")}), path, false);
    QSignalSpy finished(&job, &CsvExportJob::finished);
    job.start();
    job.cancel();
    QCOMPARE(finished.size(), 1);
    QVERIFY(!finished.first().first().toBool());
    QVERIFY(!job.isRunning());
    QCoreApplication::processEvents();
    QCOMPARE(finished.size(), 1);
    QVERIFY(!QFile::exists(path));
}

QTEST_MAIN(tst_CsvExportJob)
#include "tst_csvexportjob.moc"
