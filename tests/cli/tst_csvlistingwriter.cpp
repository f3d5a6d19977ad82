// The CLI's CSV writer takes a shortcut from JSON values to cells; its bytes must stay exactly
// those of the window's export (writeExportHeader + writeExportRows over the shared CsvWriter).
#include "cli/csvlistingwriter.h"
#include "export/csvwriter.h"
#include "export/exportrows.h"
#include "kinds/resourcekind.h"
#include "paging/operationcodec.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

using namespace pagewise;

namespace
{

/// Values of every shape a member can take on the wire, the awkward ones included.
QList<QJsonValue> sampleValues()
{
    return {QJsonValue(QJsonValue::Undefined), QJsonValue(QJsonValue::Null), QStringLiteral("plain"), QString(),
        QStringLiteral("comma, inside"), QStringLiteral("\"quoted\""), QStringLiteral("line\nbreak"),
        QStringLiteral("cr\rreturn"), QStringLiteral("=SUM(A1:A2)"), QStringLiteral("+1"), QStringLiteral("-1"),
        QStringLiteral("@cmd"), QStringLiteral("\tTab"), QStringLiteral("Ñandú ☃ 🚀"), QString(QChar(0xD800)),
        QStringLiteral("2024-05-01T12:00:00Z"), QStringLiteral("2024-05-01T12:34:56.789123+02:00"),
        QStringLiteral("1714564800"), QStringLiteral("1.7145648E9"), QStringLiteral("Wed, 01 May 2024 12:00:00 GMT"),
        QStringLiteral("not a time"), 1714564800, 1.714564800123E9, 1714564800.5, 1714564800.0005, 0, -1.5, 1e300,
        -1e300, 253402300800.0, -62135596801.0, 0.1, 123456789012345678.0, true, false,
        QJsonObject {{QStringLiteral("a"), 1}}, QJsonArray {1, QStringLiteral("x")}};
}

QByteArray referenceCsv(const QList<ColumnSpec> &columns, bool raw, const QList<Page> &pages)
{
    QByteArray out;
    CsvWriter writer(&out);
    writer.setRawCells(raw);
    writeExportHeader(writer, columns);
    for (const Page &page : pages)
        writeExportRows(writer, columns, page.items);
    return out;
}

QByteArray cliCsv(const QList<ColumnSpec> &columns, bool raw, const QList<Page> &pages)
{
    CsvListingWriter writer(columns, raw);
    QByteArray out;
    writer.begin();
    for (const Page &page : pages) {
        writer.writePage(page);
        out += writer.output();
        writer.output().truncate(0);
    }
    writer.finish(QString());
    return out + writer.output();
}

} // namespace

class tst_CsvListingWriter : public QObject
{
    Q_OBJECT
private slots:
    void sameBytesAsTheWindowExport_data()
    {
        QTest::addColumn<QString>("kindId");
        QTest::addColumn<bool>("raw");
        for (const ResourceKind &kind : resourceKinds()) {
            QTest::addRow("%s", qPrintable(kind.id)) << kind.id << false;
            QTest::addRow("%s, raw cells", qPrintable(kind.id)) << kind.id << true;
        }
    }

    void sameBytesAsTheWindowExport()
    {
        QFETCH(QString, kindId);
        QFETCH(bool, raw);
        const ResourceKind &kind = *findResourceKind(kindId);
        const QList<QJsonValue> values = sampleValues();
        // Every value in every column, plus random mixtures, plus items that are not objects.
        QList<Page> pages;
        for (const ColumnSpec &column : kind.columns) {
            Page page;
            for (const QJsonValue &value : values) {
                QJsonObject item;
                if (!value.isUndefined())
                    item.insert(column.member, value);
                page.items.append(item);
            }
            pages << page;
        }
        QRandomGenerator random(42);
        Page mixed;
        for (int i = 0; i < 300; ++i) {
            QJsonObject item;
            for (const ColumnSpec &column : kind.columns) {
                const QJsonValue value = values.at(random.bounded(int(values.size())));
                if (!value.isUndefined())
                    item.insert(column.member, value);
            }
            item.insert(QStringLiteral("Unmodeled"), i);
            mixed.items.append(item);
        }
        mixed.items.append(QStringLiteral("not an object"));
        mixed.items.append(QJsonValue(QJsonValue::Null));
        pages << mixed << Page();

        const QByteArray expected = referenceCsv(kind.columns, raw, pages);
        QCOMPARE(cliCsv(kind.columns, raw, pages), expected);
        // A chosen order of a few columns too.
        QList<ColumnSpec> reversed(kind.columns.rbegin(), kind.columns.rbegin() + 3);
        QCOMPARE(cliCsv(reversed, raw, pages), referenceCsv(reversed, raw, pages));
    }

    void rawPagesGiveTheSameBytes_data()
    {
        QTest::addColumn<bool>("raw");
        QTest::addRow("formula-like cells neutralised") << false;
        QTest::addRow("--raw-cells") << true;
    }

    void rawPagesGiveTheSameBytes()
    {
        QFETCH(bool, raw);
        // `pagewise export` decodes raw; a page simdjson leaves to Qt (here the one with 0.0)
        // comes as Qt values in between. The bytes must not show which was which.
        const ResourceKind &images = *findResourceKind(QStringLiteral("images"));
        const OperationCodec codec(images);
        // Plain literals: moc 6.4 loses its way in raw strings holding \".
        const QList<QByteArray> bodies {
            "{\"Images\":[{\"ImageName\":\"=cmd\",\"CreationTime\":1.714564800123E9,\"DisplayName\":\"a,\\\"b\\\"\\n\","
            "\"Description\":\"\\ud83d\\ude80 \\u00e9\",\"LastModifiedTime\":\"2024-05-01T12:00:00+02:00\"}],"
            "\"NextToken\":\"t\"}",
            "{\"Images\":[{\"ImageName\":\"x\",\"CreationTime\":0.0,\"ImageStatus\":{\"n\":[1]}}],\"NextToken\":\"u\"}",
            "{\"Images\":[{\"ImageName\":\"-1\",\"ImageStatus\":\"NEW_VALUE\",\"Description\":null},{}]}",
        };
        QList<Page> jsonPages;
        QList<Page> rawPages;
        for (const QByteArray &body : bodies) {
            jsonPages << codec.decode(body, 1).value();
            rawPages << codec.decodeRaw(body, 1).value();
        }
        QCOMPARE(rawPages.at(0).isRaw(), true);
        QCOMPARE(rawPages.at(1).isRaw(), false);
        QCOMPARE(rawPages.at(2).isRaw(), true);

        QList<ColumnSpec> columns = images.columns;
        const QByteArray expected = referenceCsv(columns, raw, jsonPages);
        QVERIFY(expected.contains("2024-05-01T12:00:00.123Z"));
        QCOMPARE(cliCsv(columns, raw, rawPages), expected);
        QCOMPARE(cliCsv(columns, raw, jsonPages), expected);
    }

    void defaultColumnsAreTheVisibleOnes()
    {
        const ResourceKind &images = *findResourceKind(QStringLiteral("images"));
        const QStringList columns = CsvListingWriter::defaultColumns(images);
        QVERIFY(!columns.contains(QStringLiteral("ImageArn"))); // hidden by default in the descriptor
        QCOMPARE(columns.first(), images.columns.first().member);
        for (const ColumnSpec &column : images.columns)
            QCOMPARE(columns.contains(column.member), column.visibleByDefault);
    }
};

QTEST_APPLESS_MAIN(tst_CsvListingWriter)
#include "tst_csvlistingwriter.moc"
