#include "resourcerowstore.h"

#include "export/wirevalues.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTimeZone>

#include <cmath>
#include <cstring>

namespace pagewise
{

namespace
{

// A pooled column whose values turn out to be mostly distinct is re-encoded (see StringColumn).
constexpr int kPoolLimit = 4096;

qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

void civilFromDays(qint64 z, qint64 *year, unsigned *month, unsigned *day)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = qint64(yoe) + era * 400 + (*month <= 2);
}

bool isLeap(qint64 y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int digits(QStringView text, int from, int count)
{
    int value = 0;
    for (int i = from; i < from + count; ++i) {
        const char16_t c = text[i].unicode();
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c - u'0');
    }
    return value;
}

bool isCivilDate(qint64 y, int m, int d)
{
    static constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    return d <= lengths[m - 1] + (m == 2 && isLeap(y) ? 1 : 0);
}

void putDigits(char16_t *out, int value, int count)
{
    for (int i = count - 1; i >= 0; --i) {
        out[i] = char16_t(u'0' + value % 10);
        value /= 10;
    }
}

QString formatIso(qint64 ms, bool alwaysMs)
{
    const qint64 days = (ms >= 0 ? ms : ms - 86399999) / 86400000;
    const qint64 msOfDay = ms - days * 86400000;
    qint64 year;
    unsigned month, day;
    civilFromDays(days, &year, &month, &day);
    if (year < 0 || year > 9999) {
        return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
            .toString(alwaysMs || ms % 1000 ? Qt::ISODateWithMs : Qt::ISODate);
    }
    const bool withMs = alwaysMs || msOfDay % 1000 != 0;
    char16_t buffer[24] = {};
    putDigits(buffer, int(year), 4);
    buffer[4] = u'-';
    putDigits(buffer + 5, int(month), 2);
    buffer[7] = u'-';
    putDigits(buffer + 8, int(day), 2);
    buffer[10] = u'T';
    putDigits(buffer + 11, int(msOfDay / 3600000), 2);
    buffer[13] = u':';
    putDigits(buffer + 14, int(msOfDay / 60000 % 60), 2);
    buffer[16] = u':';
    putDigits(buffer + 17, int(msOfDay / 1000 % 60), 2);
    int length = 19;
    if (withMs) {
        buffer[19] = u'.';
        putDigits(buffer + 20, int(msOfDay % 1000), 3);
        length = 23;
    }
    buffer[length++] = u'Z';
    return QString(reinterpret_cast<const QChar *>(buffer), length);
}

std::optional<qint64> secondsToMs(double seconds)
{
    return epochSecondsToMs(seconds); // the export's rule, so a cell and its CSV agree
}

QString readable(const QString &wire)
{
    QString out;
    out.reserve(wire.size());
    bool first = true;
    for (QChar c : wire) {
        if (c == u'_' || c == u' ') {
            out += u' ';
            continue;
        }
        out += first ? c.toUpper() : c.toLower();
        first = false;
    }
    return out;
}

quint64 mixBytes(const std::array<quint8, 16> &bytes)
{
    quint64 a, b;
    std::memcpy(&a, bytes.data(), 8);
    std::memcpy(&b, bytes.data() + 8, 8);
    quint64 h = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
}

quint64 mixString(QStringView text)
{
    return quint64(qHash(text, 0x5eedu)) * 0x9E3779B97F4A7C15ULL;
}

} // namespace

// ---------------------------------------------------------------------------------------------

namespace wiretime
{

std::optional<qint64> parseCanonicalIso(QStringView text)
{
    const qsizetype n = text.size();
    if (n != 20 && n != 24)
        return std::nullopt;
    if (text[4] != u'-' || text[7] != u'-' || text[10] != u'T' || text[13] != u':' || text[16] != u':'
        || text[n - 1] != u'Z')
        return std::nullopt;
    const int y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
    const int h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
        return std::nullopt;
    if (!isCivilDate(y, mo, d))
        return std::nullopt;
    int ms = 0;
    if (n == 24) {
        if (text[19] != u'.')
            return std::nullopt;
        ms = digits(text, 20, 3);
        if (ms <= 0) // ".000" is not the canonical spelling (nor is a non-digit)
            return std::nullopt;
    }
    return daysFromCivil(y, unsigned(mo), unsigned(d)) * 86400000 + h * 3600000LL + mi * 60000LL + s * 1000LL + ms;
}

QString formatCanonicalIso(qint64 ms)
{
    return formatIso(ms, false);
}

QString formatIsoWithMs(qint64 ms)
{
    return formatIso(ms, true);
}

std::optional<qint64> parseAny(const QJsonValue &value)
{
    return parseWireTimestampMs(value);
}

} // namespace wiretime

// ---------------------------------------------------------------------------------------------

void RowBits::set(size_t row, bool on)
{
    const size_t word = row / 64;
    if (word >= m_words.size()) {
        if (!on)
            return;
        m_words.resize(word + 1, 0);
    }
    const quint64 mask = quint64(1) << (row % 64);
    if (on)
        m_words[word] |= mask;
    else
        m_words[word] &= ~mask;
}

// ---------------------------------------------------------------------------------------------

StringColumn::StringColumn(ValueType type, const QString &idPrefix, bool unique)
    : m_type(type)
    , m_idPrefix(idPrefix)
{
    if (unique || type == ValueType::Arn)
        m_encoding = (type == ValueType::Id && !idPrefix.isEmpty()) ? Encoding::RawId : Encoding::Blob;
    clear();
}

void StringColumn::clear()
{
    m_rows = 0;
    m_codes = {};
    m_pool = {QString()};
    m_poolIndex = {};
    m_offsets = {0};
    m_chars = {};
    m_present.clear();
    m_ids = {};
    m_fallback.clear();
    m_fallbackText = {};
}

bool StringColumn::isPresent(size_t row) const
{
    if (m_encoding == Encoding::Pool)
        return m_codes[row] != 0;
    return m_present.test(row);
}

QStringView StringColumn::view(size_t row) const
{
    const quint32 begin = m_offsets[row];
    return QStringView(m_chars.data() + begin, qsizetype(m_offsets[row + 1] - begin));
}

QString StringColumn::text(size_t row) const
{
    switch (m_encoding) {
    case Encoding::Pool:
        return m_pool[m_codes[row]];
    case Encoding::Blob:
        return view(row).toString();
    case Encoding::RawId: {
        if (!m_present.test(row))
            return {};
        if (m_fallback.test(row))
            return m_fallbackText.value(quint32(row));
        static constexpr char16_t hex[] = u"0123456789abcdef";
        QString out(m_idPrefix.size() + 32, Qt::Uninitialized);
        QChar *p = out.data();
        std::memcpy(p, m_idPrefix.constData(), size_t(m_idPrefix.size()) * sizeof(QChar));
        p += m_idPrefix.size();
        for (quint8 byte : m_ids[row]) {
            *p++ = QChar(hex[byte >> 4]);
            *p++ = QChar(hex[byte & 15]);
        }
        return out;
    }
    }
    return {};
}

bool StringColumn::parseId(QStringView text, QStringView prefix, std::array<quint8, 16> *out)
{
    if (text.size() != prefix.size() + 32 || !text.startsWith(prefix))
        return false;
    const QChar *p = text.data() + prefix.size();
    for (int i = 0; i < 32; ++i) {
        const char16_t c = p[i].unicode();
        int nibble;
        if (c >= u'0' && c <= u'9')
            nibble = c - u'0';
        else if (c >= u'a' && c <= u'f')
            nibble = c - u'a' + 10;
        else
            return false; // upper-case hex would not round-trip: keep as text
        if (i % 2 == 0)
            (*out)[i / 2] = quint8(nibble << 4);
        else
            (*out)[i / 2] |= quint8(nibble);
    }
    return true;
}

void StringColumn::appendUnique(const QString *value)
{
    const size_t row = m_rows;
    if (m_encoding == Encoding::Blob) {
        if (value) {
            m_chars.insert(m_chars.end(), reinterpret_cast<const char16_t *>(value->constData()),
                reinterpret_cast<const char16_t *>(value->constData()) + value->size());
            m_present.set(row, true);
        }
        m_offsets.push_back(quint32(m_chars.size()));
        return;
    }
    // RawId
    std::array<quint8, 16> bytes {};
    if (value) {
        m_present.set(row, true);
        if (!parseId(*value, m_idPrefix, &bytes)) {
            m_fallback.set(row, true);
            m_fallbackText.insert(quint32(row), *value);
        }
    }
    m_ids.push_back(bytes);
}

void StringColumn::append(const QString *value)
{
    if (m_encoding != Encoding::Pool) {
        appendUnique(value);
        ++m_rows;
        return;
    }
    quint32 code = 0;
    if (value) {
        auto it = m_poolIndex.constFind(*value);
        if (it != m_poolIndex.constEnd()) {
            code = *it;
        } else {
            code = quint32(m_pool.size());
            m_pool.append(*value);
            m_poolIndex.insert(*value, code);
        }
    }
    m_codes.push_back(code);
    ++m_rows;
    if (m_type != ValueType::Enum && poolSize() > kPoolLimit && size_t(poolSize()) * 2 > m_rows)
        convertFromPool();
}

void StringColumn::convertFromPool()
{
    const std::vector<quint32> codes = std::move(m_codes);
    const QList<QString> pool = std::move(m_pool);
    m_codes = {};
    m_pool = {QString()};
    m_poolIndex = {};
    m_encoding = (m_type == ValueType::Id && !m_idPrefix.isEmpty()) ? Encoding::RawId : Encoding::Blob;
    m_rows = 0;
    for (quint32 code : codes) {
        appendUnique(code ? &pool[code] : nullptr);
        ++m_rows;
    }
}

size_t StringColumn::bytes() const
{
    size_t total = m_codes.capacity() * sizeof(quint32) + m_offsets.capacity() * sizeof(quint32)
        + m_chars.capacity() * sizeof(char16_t) + m_ids.capacity() * 16 + m_present.bytes() + m_fallback.bytes();
    for (const QString &s : m_pool)
        total += 32 + size_t(s.size()) * 2 + 16; // string header + text + hash node, roughly
    for (const QString &s : m_fallbackText)
        total += 48 + size_t(s.size()) * 2;
    return total;
}

// ---------------------------------------------------------------------------------------------

struct ResourceRowStore::Column {
    ValueType type = ValueType::Text;
    QString member;
    std::unique_ptr<TimestampColumn> timestamps;
    std::unique_ptr<IntegerColumn> integers;
    std::unique_ptr<StringColumn> strings;
    QSet<QString> knownEnums;
};

ResourceRowStore::ResourceRowStore(const ResourceKind &kind)
    : m_kind(kind)
{
    m_columns.resize(size_t(kind.columns.size()));
    for (int i = 0; i < kind.columns.size(); ++i) {
        const ColumnSpec &spec = kind.columns[i];
        Column &column = m_columns[size_t(i)];
        column.type = spec.type;
        column.member = spec.member;
        m_columnOfMember.insert(spec.member, i);
        if (spec.member == kind.keyMember)
            m_keyColumn = i;
        switch (spec.type) {
        case ValueType::Timestamp:
            column.timestamps = std::make_unique<TimestampColumn>();
            column.timestamps->form = kind.service.protocol == ServiceSpec::Protocol::RestJson
                ? TimestampColumn::WireForm::Iso8601
                : TimestampColumn::WireForm::EpochSeconds;
            break;
        case ValueType::Integer:
            column.integers = std::make_unique<IntegerColumn>();
            break;
        case ValueType::Enum:
            column.knownEnums = QSet<QString>(spec.enumValues.cbegin(), spec.enumValues.cend());
            Q_FALLTHROUGH();
        case ValueType::Text:
        case ValueType::Arn:
        case ValueType::Id:
            column.strings = std::make_unique<StringColumn>(spec.type, spec.idPrefix, i == m_keyColumn);
            break;
        }
    }
}

ResourceRowStore::~ResourceRowStore() = default;

void ResourceRowStore::clear()
{
    for (Column &column : m_columns) {
        if (column.timestamps)
            column.timestamps->ms = {};
        if (column.integers)
            *column.integers = IntegerColumn();
        if (column.strings)
            column.strings->clear();
    }
    m_rows = 0;
    m_extras = {};
    m_keySlots = {};
}

const TimestampColumn *ResourceRowStore::timestampColumn(int column) const
{
    return m_columns[size_t(column)].timestamps.get();
}

const IntegerColumn *ResourceRowStore::integerColumn(int column) const
{
    return m_columns[size_t(column)].integers.get();
}

const StringColumn *ResourceRowStore::stringColumn(int column) const
{
    return m_columns[size_t(column)].strings.get();
}

// --- appending -------------------------------------------------------------------------------

void ResourceRowStore::appendTimestamp(Column &column, const QJsonValue &value, QJsonObject *extras)
{
    TimestampColumn &ts = *column.timestamps;
    if (value.isUndefined()) {
        ts.ms.push_back(kNullValue);
        return;
    }
    if (value.isDouble()) {
        if (ts.form == TimestampColumn::WireForm::Unknown)
            ts.form = TimestampColumn::WireForm::EpochSeconds;
        const auto ms = secondsToMs(value.toDouble());
        ts.ms.push_back(ms.value_or(kNullValue));
        if (!ms || ts.form != TimestampColumn::WireForm::EpochSeconds || double(*ms) / 1000.0 != value.toDouble())
            extras->insert(column.member, value); // sub-millisecond precision or a mixed column
        return;
    }
    if (value.isString()) {
        if (ts.form == TimestampColumn::WireForm::Unknown)
            ts.form = TimestampColumn::WireForm::Iso8601;
        const QString text = value.toString();
        if (ts.form == TimestampColumn::WireForm::Iso8601) {
            if (auto ms = wiretime::parseCanonicalIso(text)) {
                ts.ms.push_back(*ms);
                return;
            }
        }
        ts.ms.push_back(wiretime::parseAny(value).value_or(kNullValue));
        extras->insert(column.member, value);
        return;
    }
    ts.ms.push_back(kNullValue);
    extras->insert(column.member, value);
}

void ResourceRowStore::appendInteger(Column &column, const QJsonValue &value, QJsonObject *extras)
{
    IntegerColumn &ints = *column.integers;
    if (value.isUndefined()) {
        ints.values.push_back(kNullValue);
        return;
    }
    const double d = value.toDouble();
    if (value.isDouble() && std::isfinite(d) && std::fabs(d) <= 9007199254740992.0 && d == std::trunc(d)) {
        ints.values.push_back(qint64(d));
        return;
    }
    ints.values.push_back(kNullValue);
    extras->insert(column.member, value);
}

void ResourceRowStore::appendString(Column &column, const QJsonValue &value, QJsonObject *extras)
{
    if (value.isString()) {
        const QString text = value.toString();
        column.strings->append(&text);
        return;
    }
    column.strings->append(nullptr);
    if (!value.isUndefined())
        extras->insert(column.member, value);
}

void ResourceRowStore::append(const QJsonObject &item)
{
    QJsonObject extras;
    int matched = 0;
    for (Column &column : m_columns) {
        const QJsonValue value = item.value(column.member);
        if (!value.isUndefined())
            ++matched;
        if (column.timestamps)
            appendTimestamp(column, value, &extras);
        else if (column.integers)
            appendInteger(column, value, &extras);
        else
            appendString(column, value, &extras);
    }
    if (matched < item.size()) {
        for (auto it = item.constBegin(); it != item.constEnd(); ++it) {
            if (!m_columnOfMember.contains(it.key()))
                extras.insert(it.key(), it.value());
        }
    }
    const size_t row = m_rows++;
    if (!extras.isEmpty())
        m_extras.insert(quint32(row), extras);
    if (m_keyColumn >= 0 && !isNull(int(row), m_keyColumn)) {
        if ((row + 1) * 2 > m_keySlots.size())
            growKeyTable();
        insertKey(row, rowKeyHash(row));
    }
}

// --- keys ------------------------------------------------------------------------------------

QString ResourceRowStore::keyOf(const QJsonObject &item) const
{
    return item.value(m_kind.keyMember).toString();
}

quint64 ResourceRowStore::rowKeyHash(size_t row) const
{
    const StringColumn *strings = stringColumn(m_keyColumn);
    if (strings && strings->encoding() == StringColumn::Encoding::RawId && !strings->isFallback(row))
        return mixBytes(strings->rawId(row));
    if (strings && strings->encoding() == StringColumn::Encoding::Blob)
        return mixString(strings->view(row));
    return mixString(text(int(row), m_keyColumn));
}

void ResourceRowStore::insertKey(size_t row, quint64 hash)
{
    const size_t mask = m_keySlots.size() - 1;
    size_t slot = size_t(hash) & mask;
    while (m_keySlots[slot] != 0)
        slot = (slot + 1) & mask;
    m_keySlots[slot] = quint32(row + 1);
}

void ResourceRowStore::growKeyTable()
{
    size_t capacity = m_keySlots.empty() ? 256 : m_keySlots.size() * 2;
    while (capacity < (m_rows + 1) * 2)
        capacity *= 2;
    m_keySlots.assign(capacity, 0);
    for (size_t row = 0; row + 1 < m_rows; ++row) {
        if (!isNull(int(row), m_keyColumn))
            insertKey(row, rowKeyHash(row));
    }
}

bool ResourceRowStore::containsKey(const QString &key) const
{
    if (m_keyColumn < 0 || m_keySlots.empty() || key.isEmpty())
        return false;
    const StringColumn *strings = stringColumn(m_keyColumn);
    std::array<quint8, 16> bytes;
    const bool rawKey = strings && strings->encoding() == StringColumn::Encoding::RawId
        && StringColumn::parseId(key, strings->idPrefix(), &bytes);
    const size_t mask = m_keySlots.size() - 1;
    const quint64 hash = rawKey ? mixBytes(bytes) : mixString(key);
    for (size_t slot = size_t(hash) & mask; m_keySlots[slot] != 0; slot = (slot + 1) & mask) {
        const size_t row = m_keySlots[slot] - 1;
        bool same;
        if (rawKey)
            same = !strings->isFallback(row) && strings->rawId(row) == bytes;
        else if (strings && strings->encoding() == StringColumn::Encoding::Blob)
            same = strings->view(row) == key;
        else
            same = text(int(row), m_keyColumn) == key;
        if (same)
            return true;
    }
    return false;
}

// --- reading ---------------------------------------------------------------------------------

const QJsonObject *ResourceRowStore::extras(int row) const
{
    if (m_extras.isEmpty())
        return nullptr;
    auto it = m_extras.constFind(quint32(row));
    return it == m_extras.constEnd() ? nullptr : &*it;
}

bool ResourceRowStore::isNull(int row, int column) const
{
    const Column &c = m_columns[size_t(column)];
    if (c.timestamps)
        return c.timestamps->ms[size_t(row)] == kNullValue;
    if (c.integers)
        return c.integers->values[size_t(row)] == kNullValue;
    return !c.strings->isPresent(size_t(row));
}

qint64 ResourceRowStore::timestampMs(int row, int column) const
{
    const Column &c = m_columns[size_t(column)];
    return c.timestamps ? c.timestamps->ms[size_t(row)] : kNullValue;
}

qint64 ResourceRowStore::integer(int row, int column) const
{
    const Column &c = m_columns[size_t(column)];
    return c.integers ? c.integers->values[size_t(row)] : kNullValue;
}

QString ResourceRowStore::text(int row, int column) const
{
    const Column &c = m_columns[size_t(column)];
    if (c.strings)
        return c.strings->text(size_t(row));
    return {};
}

QString ResourceRowStore::key(int row) const
{
    return m_keyColumn >= 0 ? text(row, m_keyColumn) : QString();
}

QString ResourceRowStore::readableEnum(int column, const QString &value) const
{
    const Column &c = m_columns[size_t(column)];
    return c.knownEnums.contains(value) ? readable(value) : value;
}

QJsonValue ResourceRowStore::wireValue(int row, int column) const
{
    const Column &c = m_columns[size_t(column)];
    if (const QJsonObject *side = extras(row)) {
        auto it = side->constFind(c.member);
        if (it != side->constEnd())
            return *it;
    }
    if (isNull(row, column))
        return QJsonValue(QJsonValue::Undefined);
    if (c.timestamps) {
        const qint64 ms = c.timestamps->ms[size_t(row)];
        if (c.timestamps->form == TimestampColumn::WireForm::Iso8601)
            return wiretime::formatCanonicalIso(ms);
        if (ms % 1000 == 0)
            return QJsonValue(ms / 1000);
        return QJsonValue(double(ms) / 1000.0);
    }
    if (c.integers)
        return QJsonValue(c.integers->values[size_t(row)]);
    return c.strings->text(size_t(row));
}

QJsonObject ResourceRowStore::resource(int row) const
{
    QJsonObject out;
    const QJsonObject *side = extras(row);
    for (int column = 0; column < columnCount(); ++column) {
        if (side && side->contains(m_columns[size_t(column)].member))
            continue;
        const QJsonValue value = wireValue(row, column);
        if (!value.isUndefined())
            out.insert(m_columns[size_t(column)].member, value);
    }
    if (side) {
        for (auto it = side->constBegin(); it != side->constEnd(); ++it)
            out.insert(it.key(), it.value());
    }
    return out;
}

namespace
{

QString jsonText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 17);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
    case QJsonValue::Object:
        return QString::fromUtf8(value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                                 : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

} // namespace

QString ResourceRowStore::displayText(int row, int column) const
{
    const Column &c = m_columns[size_t(column)];
    if (isNull(row, column))
        return jsonText(wireValue(row, column)); // whatever arrived that has no typed form
    if (c.timestamps) {
        return QDateTime::fromMSecsSinceEpoch(c.timestamps->ms[size_t(row)])
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    if (c.integers)
        return QString::number(c.integers->values[size_t(row)]);
    const QString value = c.strings->text(size_t(row));
    return c.type == ValueType::Enum ? readableEnum(column, value) : value;
}

QString ResourceRowStore::toolTip(int row, int column) const
{
    const Column &c = m_columns[size_t(column)];
    if (isNull(row, column))
        return jsonText(wireValue(row, column));
    if (c.timestamps)
        return wiretime::formatIsoWithMs(c.timestamps->ms[size_t(row)]);
    if (c.integers)
        return QString::number(c.integers->values[size_t(row)]);
    return c.strings->text(size_t(row));
}

QVariant ResourceRowStore::rawValue(int row, int column) const
{
    const Column &c = m_columns[size_t(column)];
    if (isNull(row, column))
        return {};
    if (c.timestamps)
        return QDateTime::fromMSecsSinceEpoch(c.timestamps->ms[size_t(row)], Qt::UTC);
    if (c.integers)
        return c.integers->values[size_t(row)];
    return c.strings->text(size_t(row));
}

size_t ResourceRowStore::bytes() const
{
    size_t total = m_keySlots.capacity() * sizeof(quint32);
    for (const Column &c : m_columns) {
        if (c.timestamps)
            total += c.timestamps->ms.capacity() * sizeof(qint64);
        if (c.integers)
            total += c.integers->values.capacity() * sizeof(qint64);
        if (c.strings)
            total += c.strings->bytes();
    }
    return total + size_t(m_extras.size()) * 64;
}

} // namespace pagewise
