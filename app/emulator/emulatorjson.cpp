#include "emulatorjson.h"

#include <algorithm>
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

// Writes "YYYY-MM-DDTHH:MM:SS[.mmm]Z" into out (at most 32 bytes); returns the length.
int formatIso(char *out, qint64 milliseconds)
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
    int n = 0;
    if (year >= 0 && year <= 9999) {
        out[n++] = char('0' + year / 1000);
        out[n++] = char('0' + year / 100 % 10);
        out[n++] = char('0' + year / 10 % 10);
        out[n++] = char('0' + year % 10);
    } else {
        n += std::snprintf(out, 12, "%d", year);
    }
    const auto two = [&](int value, char after) {
        out[n++] = char('0' + value / 10);
        out[n++] = char('0' + value % 10);
        if (after)
            out[n++] = after;
    };
    out[n++] = '-';
    two(month, '-');
    two(day, 'T');
    two(int(rest / 3600), ':');
    two(int(rest / 60 % 60), ':');
    two(int(rest % 60), 0);
    if (millis) {
        out[n++] = '.';
        out[n++] = char('0' + millis / 100);
        out[n++] = char('0' + millis / 10 % 10);
        out[n++] = char('0' + millis % 10);
    }
    out[n++] = 'Z';
    return n;
}

void formatHex(char *out, const EmulatorId &id)
{
    for (int i = 0; i < 16; ++i) {
        out[2 * i] = kHex[id[size_t(i)] >> 4];
        out[2 * i + 1] = kHex[id[size_t(i)] & 15];
    }
}

} // namespace

void EmulatorJsonWriter::grow(qsizetype extra)
{
    const qsizetype needed = m_size + extra;
    if (m_out.size() < needed)
        m_out.resize(std::max<qsizetype>(needed + 256, m_out.size() * 2));
    m_data = m_out.data();
}

void EmulatorJsonWriter::string(QByteArrayView utf8)
{
    raw('"');
    const char *begin = utf8.data();
    const char *end = begin + utf8.size();
    const char *run = begin;
    for (const char *p = begin; p != end; ++p) {
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(run, p - run);
        run = p + 1;
        switch (c) {
        case '"':
            put("\\\"", 2);
            break;
        case '\\':
            put("\\\\", 2);
            break;
        case '\n':
            put("\\n", 2);
            break;
        case '\r':
            put("\\r", 2);
            break;
        case '\t':
            put("\\t", 2);
            break;
        default: {
            const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
            put(escaped, 6);
        }
        }
    }
    put(run, end - run);
    raw('"');
}

void EmulatorJsonWriter::integer(qint64 value)
{
    char buf[24];
    int n = 0;
    if (value < 0) {
        raw('-');
        n = decimalDigits(quint64(-(value + 1)) + 1, buf);
    } else {
        n = decimalDigits(quint64(value), buf);
    }
    put(buf, n);
}

void EmulatorJsonWriter::epochSeconds(qint64 milliseconds, bool exponentForm)
{
    if (milliseconds < 1000) { // not produced by the generator; keep it simple and exact
        char buf[32];
        const int n = std::snprintf(buf, sizeof buf, "%.3f", double(milliseconds) / 1000.0);
        put(buf, n);
        return;
    }
    const quint64 seconds = quint64(milliseconds / 1000);
    const int millis = int(milliseconds % 1000);
    char digits[32];
    const int secondDigits = decimalDigits(seconds, digits);
    if (!exponentForm) {
        put(digits, secondDigits);
        if (millis) {
            char frac[4] = {'.', char('0' + millis / 100), char('0' + millis / 10 % 10), char('0' + millis % 10)};
            int len = 4;
            while (frac[len - 1] == '0')
                --len;
            put(frac, len);
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
    raw(digits[0]);
    raw('.');
    put(digits + 1, total - 1);
    raw('E');
    char exp[8];
    put(exp, decimalDigits(quint64(secondDigits - 1), exp));
}

void EmulatorJsonWriter::isoTimestamp(qint64 milliseconds)
{
    char buf[40];
    buf[0] = '"';
    int n = 1 + formatIso(buf + 1, milliseconds);
    buf[n++] = '"';
    put(buf, n);
}

void EmulatorJsonWriter::prefixedId(QByteArrayView prefix, const EmulatorId &id)
{
    ensure(prefix.size() + 34);
    m_data[m_size++] = '"';
    std::memcpy(m_data + m_size, prefix.data(), size_t(prefix.size()));
    m_size += prefix.size();
    formatHex(m_data + m_size, id);
    m_size += 32;
    m_data[m_size++] = '"';
}

void appendHexId(QByteArray &out, const EmulatorId &id)
{
    char buf[32];
    formatHex(buf, id);
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
    char buf[40];
    return QByteArray(buf, formatIso(buf, milliseconds));
}

} // namespace pagewise
