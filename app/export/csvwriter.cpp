#include "csvwriter.h"

#include <QIODevice>

#include <array>
#include <cstring>
#include <optional>

namespace pagewise
{

namespace
{

constexpr qsizetype kChunkSize = 64 * 1024;

// ASCII characters that force a field into quotes.
constexpr std::array<bool, 128> kNeedsQuotes = [] {
    std::array<bool, 128> table {};
    table[','] = table['"'] = table['\r'] = table['\n'] = true;
    return table;
}();

bool isFormulaLead(char16_t c)
{
    return c == u'=' || c == u'+' || c == u'-' || c == u'@' || c == u'\t' || c == u'\r';
}

// UTF-16 to UTF-8 straight into the output, doubling quotes; a lone surrogate becomes U+FFFD
// (QString::toUtf8() would write '?'). Sets needsQuotes when a character requires the field to be quoted.
char *encodeField(const char16_t *s, qsizetype n, char *out, bool &needsQuotes)
{
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = s[i];
        if (c < 0x80) {
            if (Q_UNLIKELY(kNeedsQuotes[c])) {
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

// Whether any of the 8 bytes is ',', '"', CR or LF (the classic SWAR "has zero byte" test on
// the word XORed with each of them).
bool hasQuotingByte(quint64 word)
{
    constexpr quint64 ones = 0x0101010101010101ULL;
    constexpr quint64 highs = 0x8080808080808080ULL;
    auto zeroBytes = [](quint64 v) { return (v - ones) & ~v & highs; };
    return (zeroBytes(word ^ (ones * ',')) | zeroBytes(word ^ (ones * '"')) | zeroBytes(word ^ (ones * '\r'))
               | zeroBytes(word ^ (ones * '\n')))
        != 0;
}

// Whether a UTF-8 field must be quoted: eight bytes at a time, the last word overlapping.
bool needsQuoting(std::string_view text)
{
    const char *s = text.data();
    const size_t n = text.size();
    if (n < 8) {
        for (size_t i = 0; i < n; ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (c < 0x80 && kNeedsQuotes[c])
                return true;
        }
        return false;
    }
    quint64 word;
    for (size_t i = 0; i + 8 < n; i += 8) {
        std::memcpy(&word, s + i, 8);
        if (hasQuotingByte(word))
            return true;
    }
    std::memcpy(&word, s + n - 8, 8);
    return hasQuotingByte(word);
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
    if (m_device)
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

// The one place where a cell is framed: separator, quotes, formula prefix. knownQuotes: whether
// the field needs quotes, when the caller knows before encoding; otherwise encode() says.
template<typename Encode>
void CsvWriter::appendCell(qsizetype maxEncodedSize, bool formulaLead, std::optional<bool> knownQuotes, Encode encode)
{
    if (m_error)
        return;
    if (!m_started)
        start();
    const qsizetype oldSize = m_out->size();
    if (m_cellsInRow == 0)
        m_rowStart = oldSize;

    // Worst case: separator, opening quote, apostrophe, the encoded text, closing quote.
    m_out->resize(oldSize + 4 + maxEncodedSize);
    char *const begin = m_out->data();
    char *p = begin + oldSize;
    if (m_cellsInRow++ > 0)
        *p++ = ',';
    // Unless known, kept free for an opening quote, which only the encoding tells to be needed.
    char *const quoteSlot = p;
    if (knownQuotes.value_or(true))
        ++p;
    bool needsQuotes = knownQuotes.value_or(false);
    if (!m_rawCells && formulaLead)
        *p++ = '\'';
    p = encode(p, needsQuotes);
    if (needsQuotes) {
        *quoteSlot = '"';
        *p++ = '"';
    } else if (!knownQuotes) {
        std::memmove(quoteSlot, quoteSlot + 1, size_t(p - quoteSlot - 1));
        --p;
    }
    m_out->resize(p - begin);
}

void CsvWriter::addCell(QStringView text)
{
    const qsizetype n = text.size();
    // Up to 3 bytes per UTF-16 unit (a doubled quote takes 2).
    appendCell(3 * n, n > 0 && isFormulaLead(text.front().unicode()), std::nullopt,
        [&](char *out, bool &needsQuotes) { return encodeField(text.utf16(), n, out, needsQuotes); });
}

void CsvWriter::addUtf8Cell(std::string_view text)
{
    // Most cells need no quotes: then the bytes are copied whole.
    const bool quotes = needsQuoting(text);
    const auto n = qsizetype(text.size());
    // Every formula lead is ASCII, and no byte of a multi-byte UTF-8 sequence is.
    appendCell(quotes ? 2 * n : n, n > 0 && isFormulaLead(static_cast<unsigned char>(text.front())), quotes,
        [&](char *out, bool &) {
            if (quotes)
                return copyDoublingQuotes(text, out);
            if (n > 0) // an empty view may have no data() at all, which memcpy must not get
                std::memcpy(out, text.data(), text.size());
            return out + n;
        });
}

void CsvWriter::endRow()
{
    if (m_error)
        return;
    if (!m_started)
        start();
    if (m_cellsInRow == 1 && m_out->size() == m_rowStart)
        m_out->append("\"\"");
    m_out->append("\r\n");
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
    return !m_error;
}

} // namespace pagewise
