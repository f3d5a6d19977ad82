// CsvWriter on arbitrary cells, read back by a small RFC 4180 reader: every row comes back with
// the same cells, formula-like cells prefixed with ' unless raw. The same cells given as UTF-8
// (addUtf8Cell) must give the same bytes, also when flushed after cells and with the target taken
// away after rows (as `pagewise export` does after each page). Input: one flags byte (bit 0: raw
// cells, bit 1: byte order mark, bit 2: flush() after every cell, bit 3: move the target's bytes
// out after every row), then UTF-8 text in which \x1e ends a row and \x1f a cell.
#include "export/csvwriter.h"
#include "fuzzcheck.h"

#include <QBuffer>

#include <cstdint>

using namespace pagewise;

namespace
{

/// RFC 4180 with CRLF row ends, strict: returns false on anything the writer must never produce
/// (a quote inside an unquoted field, text after a closing quote, a bare CR or LF outside quotes,
/// a missing final CRLF).
bool readCsv(const QByteArray &bytes, QList<QStringList> *rows)
{
    QList<QByteArray> cells;
    QByteArray cell;
    qsizetype i = 0;
    const qsizetype n = bytes.size();
    while (i < n) {
        cell.clear();
        if (bytes[i] == '"') {
            ++i;
            for (;;) {
                if (i >= n)
                    return false;
                if (bytes[i] == '"') {
                    if (i + 1 < n && bytes[i + 1] == '"') {
                        cell.append('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                cell.append(bytes[i++]);
            }
        } else {
            while (i < n && bytes[i] != ',' && bytes[i] != '\r' && bytes[i] != '\n') {
                if (bytes[i] == '"')
                    return false;
                cell.append(bytes[i++]);
            }
        }
        cells.append(cell);
        if (i < n && bytes[i] == ',') {
            ++i;
            continue;
        }
        if (i + 1 < n && bytes[i] == '\r' && bytes[i + 1] == '\n') {
            i += 2;
            QStringList row;
            for (const QByteArray &c : std::as_const(cells))
                row << QString::fromUtf8(c);
            rows->append(row);
            cells.clear();
            continue;
        }
        return false;
    }
    return cells.isEmpty();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const bool raw = data[0] & 1;
    const bool bom = data[0] & 2;
    const bool flushCells = data[0] & 4;
    const bool takeRows = data[0] & 8;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    QList<QStringList> rows;
    for (const QString &row : text.split(QChar(0x1e)))
        rows << row.split(QChar(0x1f));

    // Both outputs, row by row and cell by cell, must give the same bytes.
    QByteArray direct;
    QBuffer device;
    device.open(QIODevice::WriteOnly);
    {
        CsvWriter writer(&direct);
        CsvWriter streamed(&device);
        writer.setRawCells(raw);
        writer.setByteOrderMark(bom);
        streamed.setRawCells(raw);
        streamed.setByteOrderMark(bom);
        for (const QStringList &row : std::as_const(rows)) {
            writer.writeRow(row);
            for (const QString &cell : row)
                streamed.addCell(cell);
            streamed.endRow();
        }
        FUZZ_CHECK(writer.rowsWritten() == rows.size());
        FUZZ_CHECK(streamed.flush());
    }
    FUZZ_CHECK(device.data() == direct);

    QByteArray utf8;
    QByteArray target;
    {
        CsvWriter writer(&target);
        writer.setRawCells(raw);
        writer.setByteOrderMark(bom);
        for (const QStringList &row : std::as_const(rows)) {
            for (const QString &cell : row) {
                const QByteArray bytes = cell.toUtf8(); // valid UTF-8: fromUtf8 replaced anything else
                writer.addUtf8Cell(std::string_view(bytes.constData(), size_t(bytes.size())));
                if (flushCells)
                    FUZZ_CHECK(writer.flush());
            }
            writer.endRow();
            if (takeRows) {
                FUZZ_CHECK(target.endsWith("\r\n"));
                utf8 += target;
                target.truncate(0);
            }
        }
    }
    utf8 += target;
    FUZZ_CHECK(utf8 == direct);

    QByteArray csv = direct;
    if (bom && !rows.isEmpty()) {
        FUZZ_CHECK(csv.startsWith("\xef\xbb\xbf"));
        csv.remove(0, 3);
    }
    QList<QStringList> read;
    FUZZ_CHECK(readCsv(csv, &read));
    FUZZ_CHECK(read.size() == rows.size());
    for (qsizetype r = 0; r < rows.size(); ++r) {
        QStringList expected = rows[r];
        if (!raw) {
            for (QString &cell : expected) {
                if (CsvWriter::isFormulaLike(cell))
                    cell.prepend(QLatin1Char('\''));
            }
        }
        FUZZ_CHECK(read[r] == expected);
    }
    return 0;
}
