#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <initializer_list>
#include <string_view>

class QIODevice;

namespace pagewise
{

/// Writes RFC 4180 CSV in UTF-8: rows end with CRLF; a field containing a comma, a double quote,
/// CR or LF is enclosed in double quotes with its quotes doubled; a row of one empty field is
/// written as "" so that it is not a blank line. No byte order mark unless asked for.
///
/// Formula injection: by default a cell that begins with '=', '+', '-', '@', TAB or CR gets a
/// single quote (') in front, so spreadsheet programs show it as text instead of evaluating it
/// (OWASP "CSV Injection"). setRawCells(true) writes cells exactly as given.
///
/// Output goes either to a QIODevice, buffered and written in chunks (flush() or the destructor
/// writes the rest), or appended straight to a caller's QByteArray. Cells are encoded from UTF-16
/// (or copied from UTF-8) into the output buffer directly, without a temporary per cell. While a
/// row is being written the buffer is sized past its bytes: the caller's QByteArray holds exactly
/// what was written after endRow(), flush() or the destructor, and may be changed (emptied, say)
/// between rows.
class CsvWriter
{
public:
    /// Writes to device, which must be open for writing and outlive the writer.
    explicit CsvWriter(QIODevice *device);
    /// Appends to *target, which must outlive the writer; nothing is ever flushed elsewhere.
    explicit CsvWriter(QByteArray *target);
    ~CsvWriter(); ///< flush()es; call flush() first to learn about a write error
    CsvWriter(const CsvWriter &) = delete;
    CsvWriter &operator=(const CsvWriter &) = delete;

    /// false (the default): cells starting with = + - @ TAB CR are prefixed with '.
    void setRawCells(bool raw) { m_rawCells = raw; }
    bool rawCells() const { return m_rawCells; }

    /// Writes the UTF-8 byte order mark (EF BB BF) before the first row; set it before writing.
    void setByteOrderMark(bool bom) { m_byteOrderMark = bom; }
    bool byteOrderMark() const { return m_byteOrderMark; }

    /// One whole row (the header row is a row like any other).
    void writeRow(const QStringList &cells);
    void writeRow(std::initializer_list<QStringView> cells);

    /// Streaming form of writeRow(): addCell() for each field, then endRow().
    void addCell(QStringView text);
    /// addCell() for text already in UTF-8, which must be valid (simdjson's strings are): the same
    /// quoting and formula rules, the bytes copied as they are.
    void addUtf8Cell(std::string_view text);
    /// addCell(formatIsoUtc(msSinceEpoch)) without the round trip: written in place, unquoted, as
    /// its characters (digits and "-:.TZ") never need quotes or a formula prefix.
    void addIsoUtcCell(qint64 msSinceEpoch);
    void endRow();

    /// Writes what is buffered to the device (a caller's QByteArray: sizes it to the bytes written
    /// so far). false when the device refused bytes (see errorString()); once that happens the
    /// writer drops everything after it.
    bool flush();

    qint64 rowsWritten() const { return m_rows; }
    bool hasError() const { return m_error; }
    QString errorString() const { return m_errorString; }

    /// Whether a cell would be prefixed with ' unless cells are raw.
    static bool isFormulaLike(QStringView text);

private:
    void start();
    void beginRow();
    /// Room for `size` more bytes at the end of the row; where they go.
    char *rowSpace(qsizetype size);
    /// Room for a cell of up to maxSize bytes after its separator (written); where the cell goes.
    char *beginCell(qsizetype maxSize);
    void endCell(const char *end);
    /// Sizes the buffer to the bytes written (mid-row it has room past them).
    void settleRow();
    void flushIfFull();

    QIODevice *m_device = nullptr;
    QByteArray m_ownBuffer;
    QByteArray *m_out = nullptr;
    qsizetype m_rowStart = 0;
    qsizetype m_end = 0; ///< end of the bytes written, while a row is being written
    int m_cellsInRow = 0;
    qint64 m_rows = 0;
    bool m_rawCells = false;
    bool m_byteOrderMark = false;
    bool m_started = false;
    bool m_error = false;
    QString m_errorString;
};

} // namespace pagewise
