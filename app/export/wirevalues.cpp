#include "wirevalues.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace pagewise
{

namespace
{

constexpr qint64 kMsPerDay = 86'400'000;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr qint64 daysFromCivil(qint64 y, int m, int d)
{
    y -= m <= 2 ? 1 : 0;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yoe = y - era * 400;
    const qint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct CivilDate {
    int year;
    int month;
    int day;
};

// The date of a day since 1970-01-01, for any year from -32800 on (C. Neri and
// L. Schneider, "Euclidean affine functions and their application to calendar algorithms",
// 2022): 32-bit multiplications and shifts where days_from_civil's inverse divides 64-bit numbers.
constexpr CivilDate civilFromDays(qint32 days)
{
    // Counted from March 1 of year -32800 (82 cycles of 400 years before year 0), so that every
    // number below is unsigned and the leap day ends its year.
    constexpr quint32 cycles = 82;
    const quint32 n = quint32(days) + 719468 + 146097 * cycles;
    const quint32 centuryDays = 4 * n + 3;
    const quint32 century = centuryDays / 146097;
    const quint32 yearDays = centuryDays % 146097 / 4 * 4 + 3;
    const quint64 yearFraction = quint64(2939745) * yearDays; // 2939745 / 2^32 ~ 4 / 1461
    const quint32 yearOfCentury = quint32(yearFraction >> 32);
    const quint32 dayOfYear = quint32(yearFraction) / 2939745 / 4; // 0 is March 1
    const quint32 monthDays = 2141 * dayOfYear + 197913; // 2141 / 2^16 ~ 5 / 153
    const quint32 month = monthDays >> 16; // 3 (March) to 14 (February)
    const quint32 day = (monthDays & 0xffff) / 2141 + 1;
    const bool janOrFeb = dayOfYear >= 306;
    const int year = int(100 * century + yearOfCentury) - int(400 * cycles) + (janOrFeb ? 1 : 0);
    return {year, int(janOrFeb ? month - 12 : month), int(day)};
}

// datetime's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.
constexpr qint64 kMinMs = daysFromCivil(1, 1, 1) * kMsPerDay;
constexpr qint64 kMaxMs = (daysFromCivil(9999, 12, 31) + 1) * kMsPerDay - 1;

std::optional<qint64> inRange(qint64 ms)
{
    if (ms < kMinMs || ms > kMaxMs)
        return std::nullopt;
    return ms;
}

bool isLeapYear(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m)
{
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeapYear(y) ? 29 : days[m - 1];
}

// The parsers below read UTF-16 (char16_t) or ASCII (char): one implementation for QString
// values and for the UTF-8 bytes of a raw page, which take the UTF-16 path unless they are ASCII.
template<typename Char>
using Text = std::basic_string_view<Char>;

bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

bool isSpace(char16_t c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r' || c == u'\v' || c == u'\f';
}

template<typename Char>
Text<Char> trimmed(Text<Char> s)
{
    size_t begin = 0;
    size_t end = s.size();
    while (begin < end && isSpace(char16_t(s[begin])))
        ++begin;
    while (end > begin && isSpace(char16_t(s[end - 1])))
        --end;
    return s.substr(begin, end - begin);
}

// Qt's case-insensitive comparison (Unicode case folding: U+017F matches 's') for UTF-16; plain
// ASCII for ASCII text, which folds the same.
bool equalsIgnoringCase(Text<char16_t> text, QLatin1StringView word)
{
    return QStringView(text.data(), qsizetype(text.size())).compare(word, Qt::CaseInsensitive) == 0;
}

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

bool equalsIgnoringCase(Text<char> text, QLatin1StringView word)
{
    if (text.size() != size_t(word.size()))
        return false;
    for (size_t i = 0; i < text.size(); ++i) {
        if (asciiLower(text[i]) != asciiLower(word[qsizetype(i)].toLatin1()))
            return false;
    }
    return true;
}

// A small cursor over the text being parsed.
template<typename Char>
class Reader
{
public:
    explicit Reader(Text<Char> text)
        : m_text(text)
    {
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    char16_t peek() const { return atEnd() ? u'\0' : char16_t(m_text[m_pos]); }
    bool accept(char16_t c)
    {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    bool acceptAny(std::initializer_list<char16_t> chars)
    {
        for (char16_t c : chars) {
            if (accept(c))
                return true;
        }
        return false;
    }
    void skipSpaces()
    {
        while (!atEnd() && peek() == u' ')
            ++m_pos;
    }
    // Exactly `count` digits.
    bool digits(int count, int &value)
    {
        if (m_pos + count > m_text.size())
            return false;
        int v = 0;
        for (int i = 0; i < count; ++i) {
            const char16_t c = char16_t(m_text[m_pos + i]);
            if (!isDigit(c))
                return false;
            v = v * 10 + (c - u'0');
        }
        value = v;
        m_pos += count;
        return true;
    }
    // One up to `max` digits.
    bool digitsUpTo(int max, int &value)
    {
        int count = 0;
        int v = 0;
        while (count < max && isDigit(peek())) {
            v = v * 10 + (peek() - u'0');
            ++m_pos;
            ++count;
        }
        value = v;
        return count > 0;
    }
    // Fraction digits after the separator: the first three as milliseconds, the rest dropped.
    bool fraction(int &ms)
    {
        int count = 0;
        int v = 0;
        while (isDigit(peek())) {
            if (count < 3)
                v = v * 10 + (peek() - u'0');
            ++m_pos;
            ++count;
        }
        for (int i = count; i < 3; ++i)
            v *= 10;
        ms = v;
        return count > 0;
    }
    bool acceptWordCaseInsensitive(QLatin1StringView word)
    {
        if (m_pos + word.size() > m_text.size())
            return false;
        if (!equalsIgnoringCase(m_text.substr(m_pos, word.size()), word))
            return false;
        m_pos += word.size();
        return true;
    }

private:
    Text<Char> m_text;
    size_t m_pos = 0;
};

struct Fields {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0;
    int offsetMinutes = 0;
};

std::optional<qint64> toMs(const Fields &f)
{
    if (f.year < 1 || f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysInMonth(f.year, f.month) || f.hour > 23
        || f.minute > 59 || f.second > 59)
        return std::nullopt;
    const qint64 seconds = daysFromCivil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 + f.second;
    return inRange(seconds * 1000 + f.ms - qint64(f.offsetMinutes) * 60'000);
}

// Z, UTC, GMT, UT, +HH:MM, +HHMM, +HH (and '-'), optionally after spaces; false if malformed.
template<typename Char>
bool readZone(Reader<Char> &r, Fields &f)
{
    r.skipSpaces();
    if (r.acceptAny({u'Z', u'z'}) || r.acceptWordCaseInsensitive(QLatin1StringView("UTC"))
        || r.acceptWordCaseInsensitive(QLatin1StringView("GMT"))
        || r.acceptWordCaseInsensitive(QLatin1StringView("UT")))
        return true;
    const char16_t sign = r.peek();
    if (sign != u'+' && sign != u'-')
        return false;
    r.accept(sign);
    int hours = 0;
    int minutes = 0;
    if (!r.digits(2, hours))
        return false;
    if (r.accept(u':')) {
        if (!r.digits(2, minutes))
            return false;
    } else if (isDigit(r.peek()) && !r.digits(2, minutes)) {
        return false;
    }
    // Python's timezone requires |offset| < 24 h.
    if (hours > 23 || minutes > 59)
        return false;
    f.offsetMinutes = (sign == u'-' ? -1 : 1) * (hours * 60 + minutes);
    return true;
}

// The rest of a timestamp after its time of day: an optional zone, then nothing.
template<typename Char>
std::optional<qint64> zoneThenEnd(Reader<Char> &r, Fields &f)
{
    if (!r.atEnd() && !readZone(r, f))
        return std::nullopt;
    if (!r.atEnd())
        return std::nullopt;
    return toMs(f);
}

template<typename Char>
std::optional<qint64> parseIso8601(Text<Char> text)
{
    Reader<Char> r(text);
    Fields f;
    if (!r.digits(4, f.year))
        return std::nullopt;
    const bool extended = r.accept(u'-');
    if (!r.digits(2, f.month) || (extended && !r.accept(u'-')) || !r.digits(2, f.day))
        return std::nullopt;
    if (r.atEnd())
        return toMs(f);
    if (!r.acceptAny({u'T', u't', u' '}))
        return std::nullopt;
    if (!r.digits(2, f.hour))
        return std::nullopt;
    // Minutes and seconds follow colons in the extended form, directly in the basic one.
    bool haveSeconds = false;
    const bool colons = r.accept(u':');
    if (colons || isDigit(r.peek())) {
        if (!r.digits(2, f.minute))
            return std::nullopt;
        if (colons ? r.accept(u':') : isDigit(r.peek())) {
            if (!r.digits(2, f.second))
                return std::nullopt;
            haveSeconds = true;
        }
    }
    if (haveSeconds && r.acceptAny({u'.', u','}) && !r.fraction(f.ms))
        return std::nullopt;
    return zoneThenEnd(r, f);
}

// "Wed, 01 May 2024 12:00:00 GMT" (the weekday is optional and not checked against the date).
template<typename Char>
std::optional<qint64> parseRfc822(Text<Char> text)
{
    static constexpr const char *months[]
        = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static constexpr const char *days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    Reader<Char> r(text);
    Fields f;
    for (const char *day : days) {
        if (r.acceptWordCaseInsensitive(QLatin1StringView(day))) {
            if (!r.accept(u','))
                return std::nullopt;
            r.skipSpaces();
            break;
        }
    }
    if (!r.digitsUpTo(2, f.day) || !r.accept(u' '))
        return std::nullopt;
    r.skipSpaces();
    for (int i = 0; i < 12 && f.month == 0; ++i) {
        if (r.acceptWordCaseInsensitive(QLatin1StringView(months[i])))
            f.month = i + 1;
    }
    if (f.month == 0 || !r.accept(u' '))
        return std::nullopt;
    r.skipSpaces();
    if (!r.digits(4, f.year) || !r.accept(u' '))
        return std::nullopt;
    r.skipSpaces();
    if (!r.digits(2, f.hour) || !r.accept(u':') || !r.digits(2, f.minute))
        return std::nullopt;
    if (r.accept(u':') && !r.digits(2, f.second))
        return std::nullopt;
    return zoneThenEnd(r, f);
}

// Python's float(): optional sign, digits, fraction, exponent; "inf" and "nan" give non-finite
// values that epochSecondsToMs() refuses.
template<typename Char>
std::optional<double> parseNumber(Text<Char> text)
{
    if (text.empty() || text.size() > 64)
        return std::nullopt;
    char buffer[65];
    size_t n = 0;
    for (const Char ch : text) {
        const auto c = static_cast<std::make_unsigned_t<Char>>(ch);
        if (c > 0x7f)
            return std::nullopt;
        buffer[n++] = char(c);
    }
    const char *begin = buffer;
    const char *end = buffer + n;
    if (*begin == '+' && n > 1 && begin[1] != '-')
        ++begin;
    double value = 0;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

// "00" to "99".
constexpr std::array<char, 200> kTwoDigits = [] {
    std::array<char, 200> digits {};
    for (int i = 0; i < 100; ++i) {
        digits[size_t(2 * i)] = char('0' + i / 10);
        digits[size_t(2 * i + 1)] = char('0' + i % 10);
    }
    return digits;
}();

void putTwo(char *&out, int value)
{
    std::memcpy(out, &kTwoDigits[size_t(2 * value)], 2);
    out += 2;
}

template<typename Char>
std::optional<qint64> parseTimestamp(Text<Char> text)
{
    const Text<Char> s = trimmed(text);
    if (s.empty())
        return std::nullopt;
    // "2024-..." is never a number: skip the number parser for the common ISO form.
    const bool isoLike = s.size() >= 10 && s[4] == Char('-') && isDigit(char16_t(s[0]));
    if (!isoLike) {
        if (const auto number = parseNumber(s))
            return epochSecondsToMs(*number);
    }
    if (const auto iso = parseIso8601(s))
        return iso;
    return parseRfc822(s);
}

} // namespace

std::optional<qint64> epochSecondsToMs(double seconds)
{
    if (!std::isfinite(seconds) || seconds < double(kMinMs / 1000) - 1 || seconds > double(kMaxMs / 1000) + 1)
        return std::nullopt;
    // As datetime.fromtimestamp: whole seconds, then the fraction rounded half-even to microseconds.
    double whole = std::floor(seconds);
    qint64 micros = qint64(std::nearbyint((seconds - whole) * 1e6));
    if (micros >= 1'000'000) {
        whole += 1;
        micros -= 1'000'000;
    }
    return inRange(qint64(whole) * 1000 + micros / 1000);
}

std::optional<qint64> parseWireTimestampMs(QStringView text)
{
    return parseTimestamp(Text<char16_t>(text.utf16(), size_t(text.size())));
}

std::optional<qint64> parseWireTimestampMs(std::string_view utf8)
{
    for (const char c : utf8) {
        if (static_cast<unsigned char>(c) > 0x7f) // rare: leave case folding to Qt
            return parseWireTimestampMs(QStringView(QString::fromUtf8(utf8.data(), qsizetype(utf8.size()))));
    }
    return parseTimestamp(utf8);
}

std::optional<qint64> parseWireTimestampMs(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Double:
        return epochSecondsToMs(value.toDouble());
    case QJsonValue::String:
        return parseWireTimestampMs(QStringView(value.toString()));
    default:
        return std::nullopt;
    }
}

char *formatIsoUtc(qint64 msSinceEpoch, char *out)
{
    qint64 days = msSinceEpoch / kMsPerDay;
    qint64 msOfDay = msSinceEpoch % kMsPerDay;
    if (msOfDay < 0) {
        msOfDay += kMsPerDay;
        --days;
    }
    constexpr qint64 firstDay = daysFromCivil(0, 1, 1);
    constexpr qint64 lastDay = daysFromCivil(9999, 12, 31);
    if (days < firstDay || days > lastDay)
        return out;
    const CivilDate date = civilFromDays(qint32(days));

    const int ms = int(msOfDay);
    putTwo(out, date.year / 100);
    putTwo(out, date.year % 100);
    *out++ = '-';
    putTwo(out, date.month);
    *out++ = '-';
    putTwo(out, date.day);
    *out++ = 'T';
    putTwo(out, ms / 3'600'000);
    *out++ = ':';
    putTwo(out, ms / 60'000 % 60);
    *out++ = ':';
    putTwo(out, ms / 1000 % 60);
    if (const int millis = ms % 1000; millis != 0) {
        *out++ = '.';
        *out++ = char('0' + millis / 100);
        putTwo(out, millis % 100);
    }
    *out++ = 'Z';
    return out;
}

QString formatIsoUtc(qint64 msSinceEpoch)
{
    char buffer[kIsoUtcMaxSize];
    const char *end = formatIsoUtc(msSinceEpoch, buffer);
    return QString::fromLatin1(buffer, end - buffer);
}

} // namespace pagewise
