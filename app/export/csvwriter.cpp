#include "csvwriter.h"

#include "export/wirevalues.h"

#include <QIODevice>

#include <array>
#include <cstring>

namespace pagewise
{

namespace
{

constexpr qsizetype kChunkSize = 64 * 1024;

// Room reserved past a row's bytes whenever the row outgrows its room, so that most cells of a row
// need no resize of their own.
constexpr qsizetype kRowRoom = 256;

// Bytes that force a field into quotes (all ASCII; UTF-8 continuation bytes never do).
constexpr std::array<bool, 256> kNeedsQuotes = [] {
    std::array<bool, 256> table {};
    table[','] = table['"'] = table['\r'] = table['\n'] = true;
    return table;
}();

// First bytes that spreadsheets would read as the start of a formula.
constexpr std::array<bool, 256> kFormulaLead = [] {
    std::array<bool, 256> table {};
    table['='] = table['+'] = table['-'] = table['@'] = table['\t'] = table['\r'] = true;
    return table;
}();

bool isFormulaLead(char16_t c)
{
    return c < 0x80 && kFormulaLead[size_t(c)];
}

// UTF-16 to UTF-8 straight into the output, doubling quotes; a lone surrogate becomes U+FFFD
// (QString::toUtf8() would write '?'). Sets needsQuotes when a character requires the field to be quoted.
char *encodeField(const char16_t *s, qsizetype n, char *out, bool &needsQuotes)
{
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = s[i];
        if (c < 0x80) {
            if (Q_UNLIKELY(kNeedsQuotes[size_t(c)])) {
                needsQuotes = true;
                if (c == u'"')
                    *out++ = '"';
            }
            *out++ = char(c);
        } else if (c < 0x800) {
            *out++ = char(0xc0 | (c >> 6));
            *out++ = char(0x80 | (c & 0x3f));
        } else if (QChar::isSurrogate(c)) {
            if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(s[i + 1])) {
                const char32_t u = QChar::surrogateToUcs4(c, s[i + 1]);
                ++i;
                *out++ = char(0xf0 | (u >> 18));
                *out++ = char(0x80 | ((u >> 12) & 0x3f));
                *out++ = char(0x80 | ((u >> 6) & 0x3f));
                *out++ = char(0x80 | (u & 0x3f));
            } else {
                *out++ = char(0xef);
                *out++ = char(0xbf);
                *out++ = char(0xbd);
            }
        } else {
            *out++ = char(0xe0 | (c >> 12));
            *out++ = char(0x80 | ((c >> 6) & 0x3f));
            *out++ = char(0x80 | (c & 0x3f));
        }
    }
    return out;
}

// Sixteen bytes tested at once: GCC and Clang make vector instructions of this (SSE2 on x86-64).
using Block = unsigned char __attribute__((vector_size(16)));

bool hasQuotingByte(Block bytes)
{
    const auto hits = (bytes == ',') | (bytes == '"') | (bytes == '\r') | (bytes == '\n');
    quint64 halves[2];
    std::memcpy(halves, &hits, sizeof halves);
    return (halves[0] | halves[1]) != 0;
}

// Two words as one block; zero bytes fill what they leave, and zero never forces quotes.
Block blockOf(quint64 low, quint64 high)
{
    const quint64 halves[2] = {low, high};
    Block block;
    std::memcpy(&block, halves, sizeof block);
    return block;
}

template<typename T>
T load(const char *p)
{
    T value;
    std::memcpy(&value, p, sizeof value);
    return value;
}

template<typename T>
void store(char *p, T value)
{
    std::memcpy(p, &value, sizeof value);
}

// UTF-8 copied as it is, unless a byte forces quotes: then nullptr, with part of the text written.
// Sixteen bytes at a time, the last block overlapping; shorter text as two overlapping words.
char *copyUnlessQuoting(std::string_view text, char *out)
{
    const char *s = text.data();
    const size_t n = text.size();
    if (n >= 16) {
        for (size_t i = 0; i + 16 < n; i += 16) {
            const auto block = load<Block>(s + i);
            if (hasQuotingByte(block))
                return nullptr;
            store(out + i, block);
        }
        const auto last = load<Block>(s + n - 16);
        if (hasQuotingByte(last))
            return nullptr;
        store(out + n - 16, last);
    } else if (n >= 8) {
        const auto first = load<quint64>(s);
        const auto last = load<quint64>(s + n - 8);
        if (hasQuotingByte(blockOf(first, last)))
            return nullptr;
        store(out, first);
        store(out + n - 8, last);
    } else if (n >= 4) {
        const auto first = load<quint32>(s);
        const auto last = load<quint32>(s + n - 4);
        if (hasQuotingByte(blockOf(first, last)))
            return nullptr;
        store(out, first);
        store(out + n - 4, last);
    } else {
        for (size_t i = 0; i < n; ++i) {
            if (kNeedsQuotes[static_cast<unsigned char>(s[i])])
                return nullptr;
            out[i] = s[i];
        }
    }
    return out + n;
}

// UTF-8 copied as it is, doubling quotes.
char *copyDoublingQuotes(std::string_view text, char *out)
{
    for (const char c : text) {
        if (c == '"')
            *out++ = '"';
        *out++ = c;
    }
    return out;
}

} // namespace

CsvWriter::CsvWriter(QIODevice *device)
    : m_device(device)
    , m_out(&m_ownBuffer)
{
    m_ownBuffer.reserve(kChunkSize + 4096);
}

CsvWriter::CsvWriter(QByteArray *target)
    : m_out(target)
{
}

CsvWriter::~CsvWriter()
{
    flush();
}

bool CsvWriter::isFormulaLike(QStringView text)
{
    return !text.isEmpty() && isFormulaLead(text.front().unicode());
}

void CsvWriter::start()
{
    m_started = true;
    if (m_byteOrderMark)
        m_out->append("\xef\xbb\xbf");
}

void CsvWriter::writeRow(const QStringList &cells)
{
    for (const QString &cell : cells)
        addCell(cell);
    endRow();
}

void CsvWriter::writeRow(std::initializer_list<QStringView> cells)
{
    for (QStringView cell : cells)
        addCell(cell);
    endRow();
}

void CsvWriter::beginRow()
{
    if (!m_started)
        start();
    m_rowStart = m_end = m_out->size();
}

// The output is sized past the row's bytes (m_end) while a row is written: one resize per row
// instead of two per cell. endRow(), flush() and the destructor size it to the bytes again.
inline char *CsvWriter::rowSpace(qsizetype size)
{
    if (m_out->size() - m_end < size)
        m_out->resize(m_end + size + kRowRoom);
    return m_out->data() + m_end;
}

inline char *CsvWriter::beginCell(qsizetype maxSize)
{
    if (m_cellsInRow == 0)
        beginRow();
    char *p = rowSpace(maxSize + 1);
    if (m_cellsInRow++ > 0)
        *p++ = ',';
    return p;
}

inline void CsvWriter::endCell(const char *end)
{
    m_end = end - m_out->constData();
}

void CsvWriter::settleRow()
{
    if (m_cellsInRow > 0)
        m_out->resize(m_end);
}

void CsvWriter::addCell(QStringView text)
{
    if (m_error)
        return;
    const qsizetype n = text.size();
    // Up to 3 bytes per UTF-16 unit (a doubled quote takes 2), two quotes and an apostrophe.
    char *const cell = beginCell(3 * n + 3);
    // The first byte is kept for an opening quote, which only the encoding tells to be needed.
    char *p = cell + 1;
    if (!m_rawCells && n > 0 && isFormulaLead(text.front().unicode()))
        *p++ = '\'';
    bool needsQuotes = false;
    p = encodeField(text.utf16(), n, p, needsQuotes);
    if (needsQuotes) {
        *cell = '"';
        *p++ = '"';
    } else {
        std::memmove(cell, cell + 1, size_t(p - cell - 1));
        --p;
    }
    endCell(p);
}

void CsvWriter::addUtf8Cell(std::string_view text)
{
    if (m_error)
        return;
    const size_t n = text.size();
    // Worst case: every byte a doubled quote, two quotes and an apostrophe.
    char *const cell = beginCell(qsizetype(2 * n + 3));
    // Every formula lead is ASCII, and no byte of a multi-byte UTF-8 sequence is.
    const bool formulaLead = !m_rawCells && n > 0 && kFormulaLead[static_cast<unsigned char>(text.front())];
    char *p = cell;
    if (formulaLead)
        *p++ = '\'';
    // Most cells need no quotes: copied whole, and only the rare other ones written again.
    if (char *end = copyUnlessQuoting(text, p)) {
        p = end;
    } else {
        p = cell;
        *p++ = '"';
        if (formulaLead)
            *p++ = '\'';
        p = copyDoublingQuotes(text, p);
        *p++ = '"';
    }
    endCell(p);
}

void CsvWriter::addIsoUtcCell(qint64 msSinceEpoch)
{
    if (m_error)
        return;
    char *const cell = beginCell(kIsoUtcMaxSize);
    endCell(formatIsoUtc(msSinceEpoch, cell));
}

void CsvWriter::endRow()
{
    if (m_error)
        return;
    if (m_cellsInRow == 0)
        beginRow();
    char *p = rowSpace(4);
    if (m_cellsInRow == 1 && m_end == m_rowStart) {
        *p++ = '"';
        *p++ = '"';
    }
    *p++ = '\r';
    *p++ = '\n';
    m_out->resize(p - m_out->constData());
    m_cellsInRow = 0;
    ++m_rows;
    flushIfFull();
}

void CsvWriter::flushIfFull()
{
    if (m_device && m_out->size() >= kChunkSize)
        flush();
}

bool CsvWriter::flush()
{
    if (m_error)
        return false;
    settleRow();
    if (!m_device || m_out->isEmpty())
        return true;
    const qint64 written = m_device->write(m_out->constData(), m_out->size());
    if (written != m_out->size()) {
        m_error = true;
        m_errorString = m_device->errorString();
        if (m_errorString.isEmpty())
            m_errorString = QStringLiteral("the output accepted only %1 of %2 bytes").arg(written).arg(m_out->size());
    }
    m_out->resize(0);
    // A row being written goes on from the start of the buffer.
    m_rowStart -= m_end;
    m_end = 0;
    return !m_error;
}

} // namespace pagewise
