// RawExportRows writes cells from simdjson's values; its bytes must be exactly those of
// writeExportRows() over the same body decoded by Qt, whatever the members hold.
#include "export/csvwriter.h"
#include "export/exportrows.h"
#include "export/rawexportrows.h"
#include "kinds/resourcekind.h"
#include "paging/operationcodec.h"
#include "paging/rawpage.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace pagewise;
using namespace Qt::StringLiterals;

namespace
{

/// Member values as JSON text, the awkward ones included: CSV specials, formula leads, escapes,
/// non-BMP text, timestamps of every spelling, numbers at the edges, nesting, repeated keys.
const QList<QByteArray> &valueTexts()
{
    static const QList<QByteArray> texts {
        "null",
        R"("plain")",
        R"("")",
        R"("comma, inside")",
        R"("\"quoted\"")",
        R"("line\nbreak")",
        R"("cr\rreturn")",
        R"j("=SUM(A1:A2)")j",
        R"("+1")",
        R"("-1")",
        R"("@cmd")",
        R"("\tTab")",
        R"("\rCR first")",
        "\"\xc3\x91"
        "and\xc3\xba \xe2\x98\x83 \xf0\x9f\x9a\x80\"",
        R"("\ud83d\ude80 escaped, \u00e9")",
        R"("\u0000nul \\ \/ \b\f")",
        R"("2024-05-01T12:00:00Z")",
        R"("2024-05-01T12:34:56.789123+02:00")",
        R"(" 2024-05-01 ")",
        R"("1714564800")",
        R"("1.7145648E9")",
        R"("Wed, 01 May 2024 12:00:00 GMT")",
        R"("\u017Fat, 04 May 2024 12:00:00 GMT")",
        R"("2024-05-01T12:00:00\u00c9")",
        R"("not a time")",
        "1714564800",
        "1.714564800123E9",
        "1714564800.5",
        "1714564800.0005",
        "1714564800.1234567890123456789012345678901234567890",
        "17145648001234567890123e-13",
        "0.000000000000000000000000000000000000000000000000001714564800e60",
        "0",
        "-0",
        "-1.5",
        "1e300",
        "-1e300",
        "253402300800.0",
        "-62135596801.0",
        "0.1",
        "123456789012345678",
        "9007199254740993",
        "18446744073709551615",
        "9223372036854775807",
        "-9223372036854775808",
        "5e-324",
        "1E2",
        "true",
        "false",
        R"({"a":1})",
        R"([1,"x"])",
        R"({"b":[1,2.5,{"z":null}],"a":"x","a":"y"})",
        "[]",
        "{}",
    };
    return texts;
}

/// One item as JSON text: the given member values, then an unmodelled member.
QByteArray item(const QList<std::pair<QString, QByteArray>> &members)
{
    QByteArray text = "{";
    for (const auto &[name, value] : members)
        text += '"' + name.toUtf8() + "\":" + value + ',';
    return text + R"("Unmodelled":{"x":[1]}})";
}

QByteArray body(const ResourceKind &kind, const QList<QByteArray> &items)
{
    return "{\"" + kind.pagination.resultKey.toUtf8() + "\":[" + items.join(',') + "]}";
}

QByteArray referenceCsv(const QList<ColumnSpec> &columns, bool raw, const Page &page)
{
    QByteArray out;
    CsvWriter writer(&out);
    writer.setRawCells(raw);
    writeExportRows(writer, columns, page.items);
    return out;
}

QByteArray rawCsv(const QList<ColumnSpec> &columns, bool raw, const Page &page)
{
    QByteArray out;
    CsvWriter writer(&out);
    writer.setRawCells(raw);
    RawExportRows rows(columns);
    rows.writeRows(writer, page.raw);
    return out;
}

} // namespace

class tst_RawExportRows : public QObject
{
    Q_OBJECT
private slots:
    void sameBytesAsQtDecodedRows_data()
    {
        QTest::addColumn<QString>("kindId");
        QTest::addColumn<bool>("raw");
        for (const ResourceKind &kind : resourceKinds()) {
            QTest::addRow("%s", qPrintable(kind.id)) << kind.id << false;
            QTest::addRow("%s, raw cells", qPrintable(kind.id)) << kind.id << true;
        }
    }

    void sameBytesAsQtDecodedRows()
    {
        QFETCH(QString, kindId);
        QFETCH(bool, raw);
        const ResourceKind &kind = *findResourceKind(kindId);
        const OperationCodec codec(kind);

        // Every value in every column (and the column missing), then random mixtures with
        // members repeated.
        QList<QByteArray> items;
        for (const ColumnSpec &column : kind.columns) {
            items << item({});
            for (const QByteArray &value : valueTexts())
                items << item({{column.member, value}});
        }
        QRandomGenerator random(42);
        for (int i = 0; i < 300; ++i) {
            QList<std::pair<QString, QByteArray>> members;
            for (const ColumnSpec &column : kind.columns) {
                const int copies = random.bounded(3); // absent, once, or repeated (the last wins)
                for (int c = 0; c < copies; ++c)
                    members.append({column.member, valueTexts().at(random.bounded(int(valueTexts().size())))});
            }
            items << item(members);
        }

        const QByteArray text = body(kind, items);
        const Result<Page> json = codec.decode(text, 1);
        const Result<Page> decoded = codec.decodeRaw(text, 1);
        QVERIFY2(json.ok(), json.ok() ? "" : qPrintable(json.error().message));
        QVERIFY(decoded.ok());
        QVERIFY2(decoded.value().isRaw(), "simdjson should read this body as Qt does");
        QCOMPARE(decoded.value().itemCount(), items.size());

        QList<ColumnSpec> reversed(kind.columns.rbegin(), kind.columns.rend());
        for (const QList<ColumnSpec> &columns : {kind.columns, reversed}) {
            const QByteArray expected = referenceCsv(columns, raw, json.value());
            QCOMPARE(expected.count("\r\n") >= items.size(), true);
            const QByteArray actual = rawCsv(columns, raw, decoded.value());
            if (actual != expected) {
                // Name the first differing row rather than dumping megabytes.
                const QList<QByteArray> a = actual.split('\n');
                const QList<QByteArray> e = expected.split('\n');
                for (qsizetype i = 0; i < qMin(a.size(), e.size()); ++i)
                    QCOMPARE(a.at(i), e.at(i));
                QCOMPARE(a.size(), e.size());
            }
        }
    }

    void memberOrderAndNamesThatNearlyMatch_data()
    {
        QTest::addColumn<QString>("kindId");
        for (const ResourceKind &kind : resourceKinds())
            QTest::addRow("%s", qPrintable(kind.id)) << kind.id;
    }

    void memberOrderAndNamesThatNearlyMatch()
    {
        // Members in a different order in each item, repeated apart, missing, and names one byte
        // away from a column's (same length and last byte, the byte changed at every other
        // position): each must find its column, or none, as a QJsonObject lookup does.
        QFETCH(QString, kindId);
        const ResourceKind &kind = *findResourceKind(kindId);
        const OperationCodec codec(kind);

        QList<std::pair<QString, QByteArray>> candidates;
        int n = 0;
        for (const ColumnSpec &column : kind.columns) {
            candidates.append({column.member, '"' + QByteArray::number(n++) + '"'});
            for (qsizetype at = 0; at + 1 < column.member.size(); ++at) {
                QString nearly = column.member;
                nearly[at] = nearly[at] == u'x' ? u'y' : u'x';
                candidates.append({nearly, '"' + QByteArray::number(n++) + '"'});
            }
        }
        QRandomGenerator random(5);
        QList<QByteArray> items;
        for (int i = 0; i < 200; ++i) {
            QList<std::pair<QString, QByteArray>> members;
            for (const auto &candidate : std::as_const(candidates)) {
                for (int copies = random.bounded(3); copies > 0; --copies)
                    members.append({candidate.first, '"' + QByteArray::number(random.bounded(1000)) + '"'});
            }
            std::shuffle(members.begin(), members.end(), random);
            items << item(members);
        }

        const QByteArray text = body(kind, items);
        const Result<Page> json = codec.decode(text, 1);
        const Result<Page> decoded = codec.decodeRaw(text, 1);
        QVERIFY(json.ok());
        QVERIFY(decoded.ok() && decoded.value().isRaw());
        const QByteArray expected = referenceCsv(kind.columns, false, json.value());
        QCOMPARE(rawCsv(kind.columns, false, decoded.value()), expected);
        QCOMPARE(expected.count("\r\n"), items.size());
        // The columns were found in most items, not only left empty.
        const QByteArray emptyRow(kind.columns.size() - 1, ',');
        QVERIFY(expected.split('\n').count(emptyRow + '\r') < items.size() / 2);
    }

    void writesTheWindowOfATruncatedPage()
    {
        const ResourceKind &images = *findResourceKind(u"images"_s);
        const OperationCodec codec(images);
        const Result<Page> decoded = codec.decodeRaw(body(images,
            {item({{u"ImageName"_s, R"("a")"}}), item({{u"ImageName"_s, R"("b")"}}),
                item({{u"ImageName"_s, R"("c")"}})}));
        QVERIFY(decoded.ok());
        Page page = decoded.value();
        page.dropFirstItems(1);
        page.keepFirstItems(1);
        const QList<ColumnSpec> name {images.columns.first()};
        QCOMPARE(rawCsv(name, false, page), QByteArray("b\r\n"));
    }

    void nonObjectItemIsARowOfEmptyCells()
    {
        const ResourceKind &images = *findResourceKind(u"images"_s);
        simdjson::dom::parser parser;
        const simdjson::padded_string text(std::string_view(R"([42])"));
        const simdjson::dom::element array = parser.parse(text).value();
        QByteArray out;
        CsvWriter writer(&out);
        RawExportRows rows(images.columns.mid(0, 3));
        rows.writeRow(writer, array.at(0).value());
        QCOMPARE(out, QByteArray(",,\r\n"));
    }
};

QTEST_APPLESS_MAIN(tst_RawExportRows)
#include "tst_rawexportrows.moc"
