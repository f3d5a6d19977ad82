#include "emulatorjson.h"

#include <cstdio>

namespace pagewise
{

namespace
{

const char kHex[] = "0123456789abcdef";

// Decimal digits of a non-negative value into buf (no terminator); returns the count.
int decimalDigits(quint64 value, char *buf)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = char('0' + value % 10);
        value /= 10;
    } while (value);
    for (int i = 0; i < n; ++i)
        buf[i] = tmp[n - 1 - i];
    return n;
}

// Howard Hinnant's days-to-civil: exact for the proleptic Gregorian calendar.
void civilFromDays(qint64 days, int *year, int *month, int *day)
{
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 doe = days - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    *day = int(doy - (153 * mp + 2) / 5 + 1);
    *month = int(mp < 10 ? mp + 3 : mp - 9);
    *year = int(yoe + era * 400 + (*month <= 2 ? 1 : 0));
}

void appendTwo(QByteArray &out, int value)
{
    out.append(char('0' + value / 10));
    out.append(char('0' + value % 10));
}

void appendIso(QByteArray &out, qint64 milliseconds)
{
    qint64 seconds = milliseconds / 1000;
    int millis = int(milliseconds % 1000);
    if (millis < 0) {
        millis += 1000;
        seconds -= 1;
    }
    qint64 days = seconds / 86400;
    qint64 rest = seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        days -= 1;
    }
    int year = 0, month = 0, day = 0;
    civilFromDays(days, &year, &month, &day);
    char buf[8];
    const int n = std::snprintf(buf, sizeof buf, "%04d", year);
    out.append(buf, n);
    out.append('-');
    appendTwo(out, month);
    out.append('-');
    appendTwo(out, day);
    out.append('T');
    appendTwo(out, int(rest / 3600));
    out.append(':');
    appendTwo(out, int(rest / 60 % 60));
    out.append(':');
    appendTwo(out, int(rest % 60));
    if (millis) {
        out.append('.');
        out.append(char('0' + millis / 100));
        out.append(char('0' + millis / 10 % 10));
        out.append(char('0' + millis % 10));
    }
    out.append('Z');
}

} // namespace

void EmulatorJsonWriter::string(QByteArrayView utf8)
{
    m_out.append('"');
    const char *begin = utf8.data();
    const char *end = begin + utf8.size();
    const char *run = begin;
    for (const char *p = begin; p != end; ++p) {
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        m_out.append(run, p - run);
        run = p + 1;
        switch (c) {
        case '"':
            m_out.append("\\\"", 2);
            break;
        case '\\':
            m_out.append("\\\\", 2);
            break;
        case '\n':
            m_out.append("\\n", 2);
            break;
        case '\r':
            m_out.append("\\r", 2);
            break;
        case '\t':
            m_out.append("\\t", 2);
            break;
        default: {
            const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
            m_out.append(escaped, 6);
        }
        }
    }
    m_out.append(run, end - run);
    m_out.append('"');
}

void EmulatorJsonWriter::integer(qint64 value)
{
    char buf[24];
    int n = 0;
    if (value < 0) {
        m_out.append('-');
        n = decimalDigits(quint64(-(value + 1)) + 1, buf);
    } else {
        n = decimalDigits(quint64(value), buf);
    }
    m_out.append(buf, n);
}

void EmulatorJsonWriter::epochSeconds(qint64 milliseconds, bool exponentForm)
{
    if (milliseconds < 1000) { // not produced by the generator; keep it simple and exact
        char buf[32];
        const int n = std::snprintf(buf, sizeof buf, "%.3f", double(milliseconds) / 1000.0);
        m_out.append(buf, n);
        return;
    }
    const quint64 seconds = quint64(milliseconds / 1000);
    const int millis = int(milliseconds % 1000);
    char digits[32];
    const int secondDigits = decimalDigits(seconds, digits);
    if (!exponentForm) {
        m_out.append(digits, secondDigits);
        if (millis) {
            char frac[4] = {'.', char('0' + millis / 100), char('0' + millis / 10 % 10), char('0' + millis % 10)};
            int len = 4;
            while (frac[len - 1] == '0')
                --len;
            m_out.append(frac, len);
        }
        return;
    }
    // Java's Double.toString: d.dddE<n>, trailing zeros dropped but at least one fraction digit.
    int total = secondDigits;
    digits[total++] = char('0' + millis / 100);
    digits[total++] = char('0' + millis / 10 % 10);
    digits[total++] = char('0' + millis % 10);
    while (total > 2 && digits[total - 1] == '0')
        --total;
    m_out.append(digits[0]);
    m_out.append('.');
    m_out.append(digits + 1, total - 1);
    m_out.append('E');
    char exp[8];
    m_out.append(exp, decimalDigits(quint64(secondDigits - 1), exp));
}

void EmulatorJsonWriter::isoTimestamp(qint64 milliseconds)
{
    m_out.append('"');
    appendIso(m_out, milliseconds);
    m_out.append('"');
}

void EmulatorJsonWriter::prefixedId(QByteArrayView prefix, const EmulatorId &id)
{
    m_out.append('"');
    m_out.append(prefix.data(), prefix.size());
    appendHexId(m_out, id);
    m_out.append('"');
}

void appendHexId(QByteArray &out, const EmulatorId &id)
{
    char buf[32];
    for (int i = 0; i < 16; ++i) {
        buf[2 * i] = kHex[id[i] >> 4];
        buf[2 * i + 1] = kHex[id[i] & 15];
    }
    out.append(buf, 32);
}

bool parsePrefixedId(QByteArrayView value, QByteArrayView prefix, EmulatorId *id)
{
    if (value.size() != prefix.size() + 32 || !value.startsWith(prefix))
        return false;
    for (int i = 0; i < 32; ++i) {
        const char c = value[prefix.size() + i];
        int nibble = 0;
        if (c >= '0' && c <= '9')
            nibble = c - '0';
        else if (c >= 'a' && c <= 'f')
            nibble = c - 'a' + 10;
        else
            return false;
        if (i % 2 == 0)
            (*id)[i / 2] = quint8(nibble << 4);
        else
            (*id)[i / 2] |= quint8(nibble);
    }
    return true;
}

QByteArray isoTimestampText(qint64 milliseconds)
{
    QByteArray out;
    appendIso(out, milliseconds);
    return out;
}

} // namespace pagewise
