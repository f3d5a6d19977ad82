#include "export/csvwriter.h"
#include "export/wirevalues.h"

#include <QBuffer>
#include <QRandomGenerator>
#include <QStringDecoder>
#include <QTest>

using namespace pagewise;
using namespace Qt::StringLiterals;

namespace
{

using Rows = QList<QStringList>;

// An independent, strict RFC 4180 reader: every record ends with CRLF, quoted fields may hold
// anything, a quote inside an unquoted field or a bare CR/LF outside quotes is an error.
std::optional<Rows> readCsv(const QByteArray &bytes)
{
    Rows rows;
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    QStringDecoder decoder(QStringDecoder::Utf8);
    while (i < n) {
        QStringList record;
        for (;;) {
            QByteArray field;
            if (i < n && bytes[i] == '"') {
                ++i;
                for (;;) {
                    if (i >= n)
                        return std::nullopt;
                    if (bytes[i] == '"') {
                        if (i + 1 < n && bytes[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    field += bytes[i++];
                }
            } else {
                while (i < n && bytes[i] != ',' && bytes[i] != '\r' && bytes[i] != '\n') {
                    if (bytes[i] == '"')
                        return std::nullopt;
                    field += bytes[i++];
                }
            }
            const QString text = decoder(field);
            if (decoder.hasError())
                return std::nullopt;
            record.append(text);
            if (i < n && bytes[i] == ',') {
                ++i;
                continue;
            }
            if (i + 1 < n && bytes[i] == '\r' && bytes[i + 1] == '\n') {
                i += 2;
                break;
            }
            return std::nullopt;
        }
        rows.append(record);
    }
    return rows;
}

QByteArray writeToBytes(const Rows &rows, bool raw = false)
{
    QByteArray out;
    CsvWriter writer(&out);
    writer.setRawCells(raw);
    for (const QStringList &row : rows)
        writer.writeRow(row);
    return out;
}

QByteArray writeToDevice(const Rows &rows, bool raw = false)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        CsvWriter writer(&buffer);
        writer.setRawCells(raw);
        for (const QStringList &row : rows)
            writer.writeRow(row);
        if (!writer.flush())
            qFatal("flush failed");
    }
    return buffer.data();
}

// The same rows through addUtf8Cell(), which must follow the same rules.
QByteArray writeUtf8ToBytes(const Rows &rows, bool raw = false)
{
    QByteArray out;
    CsvWriter writer(&out);
    writer.setRawCells(raw);
    for (const QStringList &row : rows) {
        for (const QString &cell : row) {
            const QByteArray utf8 = cell.toUtf8();
            writer.addUtf8Cell(std::string_view(utf8.constData(), size_t(utf8.size())));
        }
        writer.endRow();
    }
    return out;
}

} // namespace

class tst_CsvWriter : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void exactBytes_data();
    void exactBytes();
    void neutralisesFormulaPrefixes_data();
    void neutralisesFormulaPrefixes();
    void rawCellsAreWrittenAsGiven();
    void byteOrderMarkOnlyWhenAsked();
    void streamingCellsMatchWholeRows();
    void encodesUtf16LikeQt();
    void utf8CellsMatchUtf16Cells();
    void specialByteAtEveryPosition_data();
    void specialByteAtEveryPosition();
    void isoUtcCellsAsFormatted();
    void targetHoldsWhatWasWritten();
    void targetEmptiedBetweenRows();
    void deviceFlushedMidRow();
    void largeOutputIsFlushedInChunks();
    void deviceErrorIsReported();
    void appendsToExistingTarget();
};

void tst_CsvWriter::roundTrip_data()
{
    QTest::addColumn<Rows>("rows");
    QTest::addRow("plain") << Rows {
        {u"name"_s, u"status"_s, u"created"_s}, {u"base-py"_s, u"CREATED"_s, u"2024-05-01T12:00:00Z"_s}};
    QTest::addRow("embedded commas") << Rows {{u"a,b"_s, u","_s, u"c,"_s}, {u",,"_s, u"x"_s, u""_s}};
    QTest::addRow("quotes") << Rows {{u"say \"hi\""_s, u"\""_s, u"\"\""_s}, {u"\"quoted\""_s, u"x\""_s, u"end"_s}};
    QTest::addRow("newlines") << Rows {{u"line1\nline2"_s, u"cr\rhere"_s, u"crlf\r\nthere"_s, u"trailing\n"_s}};
    QTest::addRow("non-ascii") << Rows {{u"café"_s, u"日本語"_s, u"emoji 😀 here"_s, u"Grüße, \"Welt\""_s}};
    QTest::addRow("empty fields") << Rows {{u""_s, u""_s, u""_s}, {u"a"_s, u""_s, u"b"_s}, {u""_s, u"x"_s, u""_s}};
    QTest::addRow("one empty field") << Rows {{u""_s}, {u"a"_s}, {u""_s}};
    QTest::addRow("ragged rows") << Rows {{u"a"_s}, {u"a"_s, u"b"_s, u"c"_s}, {u"a"_s, u"b"_s}};
    QTest::addRow("spaces kept") << Rows {{u" a "_s, u"  "_s, u"b  c"_s}};
    QTest::addRow("long cell") << Rows {{QString(100'000, u'x') + u',', u"short"_s}};
}

void tst_CsvWriter::roundTrip()
{
    QFETCH(Rows, rows);
    const QByteArray bytes = writeToBytes(rows);
    QCOMPARE(writeToDevice(rows), bytes);
    const auto read = readCsv(bytes);
    QVERIFY2(read, bytes.left(200).constData());
    QCOMPARE(*read, rows);
}

void tst_CsvWriter::exactBytes_data()
{
    QTest::addColumn<Rows>("rows");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("CRLF after every row") << Rows {{u"a"_s, u"b"_s}, {u"c"_s, u"d"_s}} << QByteArray("a,b\r\nc,d\r\n");
    QTest::addRow("comma quoted") << Rows {{u"a,b"_s, u"c"_s}} << QByteArray("\"a,b\",c\r\n");
    QTest::addRow("quote doubled") << Rows {{u"x\"y"_s}} << QByteArray("\"x\"\"y\"\r\n");
    QTest::addRow("LF quoted") << Rows {{u"a\nb"_s}} << QByteArray("\"a\nb\"\r\n");
    QTest::addRow("CR quoted") << Rows {{u"a\rb"_s}} << QByteArray("\"a\rb\"\r\n");
    QTest::addRow("space not quoted") << Rows {{u"a b"_s, u" c"_s}} << QByteArray("a b, c\r\n");
    QTest::addRow("empty fields") << Rows {{u""_s, u""_s}} << QByteArray(",\r\n");
    QTest::addRow("single empty field") << Rows {{u""_s}} << QByteArray("\"\"\r\n");
    QTest::addRow("utf-8") << Rows {{u"é€😀"_s}} << QByteArray("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\r\n");
    QTest::addRow("utf-8 next to quotes")
        << Rows {{u"\"é\",😀"_s, u"€"_s}} << QByteArray("\"\"\"\xc3\xa9\"\",\xf0\x9f\x98\x80\",\xe2\x82\xac\r\n");
}

void tst_CsvWriter::exactBytes()
{
    QFETCH(Rows, rows);
    QFETCH(QByteArray, expected);
    QCOMPARE(writeToBytes(rows), expected);
    QCOMPARE(writeToDevice(rows), expected);
    QCOMPARE(writeUtf8ToBytes(rows), expected);
}

void tst_CsvWriter::neutralisesFormulaPrefixes_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("equals") << QStringLiteral("=1+2") << QByteArray("'=1+2\r\n");
    QTest::addRow("plus") << QStringLiteral("+1") << QByteArray("'+1\r\n");
    QTest::addRow("minus") << QStringLiteral("-1") << QByteArray("'-1\r\n");
    QTest::addRow("at") << QStringLiteral("@SUM(A1)") << QByteArray("'@SUM(A1)\r\n");
    QTest::addRow("tab") << QStringLiteral("\tx") << QByteArray("'\tx\r\n");
    QTest::addRow("carriage return") << QStringLiteral("\rx") << QByteArray("\"'\rx\"\r\n");
    QTest::addRow("formula with comma and quotes") << QStringLiteral("=HYPERLINK(\"http://x\",\"y\")")
                                                   << QByteArray("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
    QTest::addRow("inside is harmless") << QStringLiteral("a=b") << QByteArray("a=b\r\n");
    QTest::addRow("after a space") << QStringLiteral(" =1") << QByteArray(" =1\r\n");
    QTest::addRow("arn") << QStringLiteral("arn:aws:sagemaker:us-east-1:1:image/x-y")
                         << QByteArray("arn:aws:sagemaker:us-east-1:1:image/x-y\r\n");
    QTest::addRow("quote first") << QStringLiteral("'=1") << QByteArray("'=1\r\n");
}

void tst_CsvWriter::neutralisesFormulaPrefixes()
{
    QFETCH(QString, cell);
    QFETCH(QByteArray, expected);
    QCOMPARE(writeToBytes({{cell}}), expected);
    QCOMPARE(writeUtf8ToBytes({{cell}}), expected);
    const bool dangerous = expected.startsWith('\'') || expected.startsWith("\"'");
    QCOMPARE(CsvWriter::isFormulaLike(cell), dangerous && !cell.startsWith(u'\''));
}

void tst_CsvWriter::rawCellsAreWrittenAsGiven()
{
    const Rows rows {{u"=1+2"_s, u"+1"_s, u"-1"_s, u"@SUM(A1)"_s, u"\tx"_s, u"\rx"_s}, {u"-"_s, u"="_s, u"a"_s}};
    const QByteArray bytes = writeToBytes(rows, true);
    QCOMPARE(bytes, QByteArray("=1+2,+1,-1,@SUM(A1),\tx,\"\rx\"\r\n-,=,a\r\n"));
    QCOMPARE(writeToDevice(rows, true), bytes);
    QCOMPARE(writeUtf8ToBytes(rows, true), bytes);
    QCOMPARE(*readCsv(bytes), rows);

    QByteArray out;
    CsvWriter writer(&out);
    QVERIFY(!writer.rawCells());
    writer.setRawCells(true);
    QVERIFY(writer.rawCells());
}

void tst_CsvWriter::byteOrderMarkOnlyWhenAsked()
{
    QByteArray plain;
    {
        CsvWriter writer(&plain);
        QVERIFY(!writer.byteOrderMark());
        writer.writeRow({u"a"});
    }
    QCOMPARE(plain, QByteArray("a\r\n"));

    QByteArray withBom;
    CsvWriter writer(&withBom);
    writer.setByteOrderMark(true);
    writer.writeRow({u"a"});
    writer.writeRow({u"b"});
    QCOMPARE(withBom,
        QByteArray("\xef\xbb\xbf"
                   "a\r\nb\r\n"));
}

void tst_CsvWriter::streamingCellsMatchWholeRows()
{
    QByteArray streamed;
    CsvWriter writer(&streamed);
    writer.addCell(u"a,b");
    writer.addCell(QString());
    writer.addCell(u"-x");
    writer.endRow();
    writer.writeRow({u"1", u"2"});
    QCOMPARE(writer.rowsWritten(), 2);
    QCOMPARE(streamed, writeToBytes({{u"a,b"_s, u""_s, u"-x"_s}, {u"1"_s, u"2"_s}}));
}

void tst_CsvWriter::encodesUtf16LikeQt()
{
    // Random UTF-16, lone surrogates included, against Qt's UTF-8 encoder.
    QRandomGenerator random(20240501);
    for (int round = 0; round < 500; ++round) {
        QString cell;
        const int length = random.bounded(1, 40);
        for (int i = 0; i < length; ++i) {
            char16_t c;
            switch (random.bounded(5)) {
            case 0:
                c = char16_t(random.bounded(0x20, 0x7f));
                break;
            case 1:
                c = char16_t(random.bounded(0x80, 0x800));
                break;
            case 2:
                c = char16_t(random.bounded(0x800, 0xd800));
                break;
            case 3:
                c = char16_t(random.bounded(0xd800, 0xe000));
                break;
            default:
                c = char16_t(random.bounded(0xe000, 0x10000));
                break;
            }
            if (c == u',' || c == u'"')
                c = u'x';
            cell.append(QChar(c));
        }
        // The reference: lone surrogates replaced by U+FFFD, then Qt's encoder.
        QString wellFormed;
        for (qsizetype i = 0; i < cell.size(); ++i) {
            if (cell[i].isHighSurrogate() && i + 1 < cell.size() && cell[i + 1].isLowSurrogate()) {
                wellFormed.append(cell[i]).append(cell[i + 1]);
                ++i;
            } else {
                wellFormed.append(cell[i].isSurrogate() ? QChar(QChar::ReplacementCharacter) : cell[i]);
            }
        }
        const QByteArray bytes = writeToBytes({{cell}}, true);
        QCOMPARE(bytes, wellFormed.toUtf8() + "\r\n");
    }
    // A surrogate pair split over two cells is two lone surrogates.
    const QString pair = QStringLiteral("😀");
    QCOMPARE(writeToBytes({{pair.left(1), pair.mid(1)}}), QByteArray("\xef\xbf\xbd,\xef\xbf\xbd\r\n"));
}

void tst_CsvWriter::utf8CellsMatchUtf16Cells()
{
    // Random cells with the bytes that matter at every position, long enough for the
    // eight-bytes-at-a-time copy, both ways.
    const QList<QChar> alphabet {u'a', u'Z', u'0', u' ', u',', u'"', u'\r', u'\n', u'=', u'+', u'-', u'@', u'\t', u'\'',
        QChar(0xe9), QChar(0x20ac), QChar(0x2028)};
    QRandomGenerator random(7);
    for (const bool raw : {false, true}) {
        Rows rows;
        for (int r = 0; r < 300; ++r) {
            QStringList row;
            for (int c = random.bounded(1, 5); c > 0; --c) {
                QString cell;
                for (int i = random.bounded(0, 40); i > 0; --i) {
                    if (random.bounded(12) == 0)
                        cell += u"\U0001F680"_s;
                    else
                        cell += alphabet.at(random.bounded(int(alphabet.size())));
                }
                row << cell;
            }
            rows << row;
        }
        QCOMPARE(writeUtf8ToBytes(rows, raw), writeToBytes(rows, raw));
    }
}

void tst_CsvWriter::specialByteAtEveryPosition_data()
{
    QTest::addColumn<QByteArray>("special");
    QTest::addRow("comma") << QByteArray(",");
    QTest::addRow("quote") << QByteArray("\"");
    QTest::addRow("CR") << QByteArray("\r");
    QTest::addRow("LF") << QByteArray("\n");
    QTest::addRow("equals") << QByteArray("=");
    QTest::addRow("tab") << QByteArray("\t");
    QTest::addRow("two-byte UTF-8") << QByteArray("\xc3\xa9");
    QTest::addRow("four-byte UTF-8") << QByteArray("\xf0\x9f\x9a\x80");
}

void tst_CsvWriter::specialByteAtEveryPosition()
{
    // Cells of every length up to three 16-byte blocks, with the byte at each position: the
    // short forms, word and block boundaries and the overlapping last block all see it.
    QFETCH(QByteArray, special);
    for (const bool raw : {false, true}) {
        for (int length = 1; length <= 48; ++length) {
            for (int at = 0; at + special.size() <= length; ++at) {
                QByteArray cell(length, 'x');
                cell.replace(at, special.size(), special);
                // RFC 4180 by hand: the apostrophe for a formula lead, then quotes around the
                // whole field when it holds a comma, quote, CR or LF, with its quotes doubled.
                const bool formula = !raw && QByteArrayView("=+-@\t\r").contains(cell.front());
                const QByteArray field = (formula ? "'" : "") + cell;
                const bool quoted
                    = cell.contains(',') || cell.contains('"') || cell.contains('\r') || cell.contains('\n');
                const QByteArray expected = quoted ? '"' + QByteArray(field).replace("\"", "\"\"") + '"' : field;

                QByteArray out;
                CsvWriter writer(&out);
                writer.setRawCells(raw);
                writer.addUtf8Cell("a");
                writer.addUtf8Cell(std::string_view(cell.constData(), size_t(cell.size())));
                writer.addUtf8Cell("b");
                writer.endRow();
                QCOMPARE(out, "a," + expected + ",b\r\n");
                QCOMPARE(writeToBytes({{u"a"_s, QString::fromUtf8(cell), u"b"_s}}, raw), out);
            }
        }
    }
}

void tst_CsvWriter::isoUtcCellsAsFormatted()
{
    // The same bytes as the formatted text through addCell(), alone in a row or not, and an
    // instant outside years 0 to 9999 as an empty cell.
    const QList<qint64> instants {
        0, -1, 1714564800123, 1714564800000, -62167219200000, -62167219200001, 253402300799999, 253402300800000};
    for (const bool raw : {false, true}) {
        for (const qint64 ms : instants) {
            QByteArray direct;
            CsvWriter writer(&direct);
            writer.setRawCells(raw);
            writer.addIsoUtcCell(ms);
            writer.endRow();
            writer.addUtf8Cell("a");
            writer.addIsoUtcCell(ms);
            writer.endRow();
            const QString text = formatIsoUtc(ms);
            QCOMPARE(direct, writeToBytes({{text}, {u"a"_s, text}}, raw));
        }
    }
}

void tst_CsvWriter::targetHoldsWhatWasWritten()
{
    // Mid-row the target may have room past the row; endRow(), flush() and the destructor leave
    // exactly the bytes written.
    QByteArray out("x\n");
    {
        CsvWriter writer(&out);
        writer.addUtf8Cell("a");
        writer.addCell(u"b,c");
        QVERIFY(writer.flush());
        QCOMPARE(out, QByteArray("x\na,\"b,c\""));
        writer.addUtf8Cell(std::string_view("d"));
        writer.endRow();
        QCOMPARE(out, QByteArray("x\na,\"b,c\",d\r\n"));
        writer.addUtf8Cell(std::string_view(QByteArray(1000, 'y').constData(), 1000));
    }
    QCOMPARE(out, QByteArray("x\na,\"b,c\",d\r\n") + QByteArray(1000, 'y'));
}

void tst_CsvWriter::targetEmptiedBetweenRows()
{
    // As `pagewise export` does after each page: the rows go on from the emptied target.
    QByteArray out;
    CsvWriter writer(&out);
    writer.writeRow({u"a", u"b"});
    out.truncate(0);
    writer.addUtf8Cell({});
    writer.endRow();
    QCOMPARE(out, QByteArray("\"\"\r\n"));
    out.clear();
    writer.addUtf8Cell("c");
    writer.addUtf8Cell({});
    writer.endRow();
    QCOMPARE(out, QByteArray("c,\r\n"));
    QCOMPARE(writer.rowsWritten(), 3);
}

void tst_CsvWriter::deviceFlushedMidRow()
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        CsvWriter writer(&buffer);
        writer.addUtf8Cell("a");
        QVERIFY(writer.flush());
        QCOMPARE(buffer.data(), QByteArray("a"));
        writer.addUtf8Cell("b");
        writer.endRow();
        // One empty cell flushed before its row ends is still written as "".
        writer.addUtf8Cell({});
        QVERIFY(writer.flush());
        writer.endRow();
        writer.addCell(u"c");
    }
    QCOMPARE(buffer.data(), QByteArray("a,b\r\n\"\"\r\nc"));
}

void tst_CsvWriter::largeOutputIsFlushedInChunks()
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QByteArray direct;
    {
        CsvWriter toDevice(&buffer);
        CsvWriter toBytes(&direct);
        for (int i = 0; i < 20'000; ++i) {
            const QString n = QString::number(i);
            toDevice.writeRow({n, u"image-name", u"CREATED", u"2024-05-01T12:00:00.123Z", u"a,b"});
            toBytes.writeRow({n, u"image-name", u"CREATED", u"2024-05-01T12:00:00.123Z", u"a,b"});
        }
        // Past the 64 KiB chunk, most of it is already on the device before the end.
        QVERIFY(buffer.size() > 64 * 1024);
        QVERIFY(buffer.size() < direct.size());
        QCOMPARE(toDevice.rowsWritten(), 20'000);
    }
    QCOMPARE(buffer.data(), direct);
    const auto rows = readCsv(direct);
    QVERIFY(rows);
    QCOMPARE(rows->size(), 20'000);
    QCOMPARE(rows->at(12'345),
        (QStringList {u"12345"_s, u"image-name"_s, u"CREATED"_s, u"2024-05-01T12:00:00.123Z"_s, u"a,b"_s}));
}

void tst_CsvWriter::deviceErrorIsReported()
{
    QByteArray storage;
    QBuffer readOnly(&storage);
    readOnly.open(QIODevice::ReadOnly);
    CsvWriter writer(&readOnly);
    writer.writeRow({u"a", u"b"});
    QVERIFY(!writer.hasError());
    QVERIFY(!writer.flush());
    QVERIFY(writer.hasError());
    QVERIFY(!writer.errorString().isEmpty());
    writer.writeRow({u"c"});
    QVERIFY(!writer.flush());
    QVERIFY(storage.isEmpty());
}

void tst_CsvWriter::appendsToExistingTarget()
{
    QByteArray out("prefix\n");
    CsvWriter writer(&out);
    writer.writeRow({u"a"});
    QCOMPARE(out, QByteArray("prefix\na\r\n"));
    QVERIFY(writer.flush());
}

QTEST_APPLESS_MAIN(tst_CsvWriter)
#include "tst_csvwriter.moc"
