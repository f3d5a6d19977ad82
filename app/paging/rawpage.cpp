#include "rawpage.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>
#include <cstring>

namespace pagewise
{

namespace
{

using simdjson::dom::element;
using simdjson::dom::element_type;

QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

/// Whether Qt's parser reads every number of the document as simdjson did. The one known
/// difference: Qt refuses a number that underflows ("1e-400") where simdjson reads 0.0. A zero
/// written as a double ("0.0") cannot be told apart from that here; it is rare enough to leave to
/// Qt too.
///
/// On simdjson's tape (its doc/tape.md) a number is a word of its type ('d' for a double) followed
/// by a word of its value. Every other word carries its type in the top byte, which is never 0x00
/// or 0x80, so a word whose bits are all zero but maybe the sign is the value of a number, and a
/// zero double when the word before it says 'd'.
bool numbersReadAlike(const simdjson::dom::document &document)
{
    const uint64_t *const tape = document.tape.get();
    const size_t end = size_t(tape[0] & ((uint64_t(1) << 56) - 1)); // the closing root word
    for (size_t i = 1; i < end; ++i) {
        if ((tape[i] << 1) == 0 && (tape[i - 1] >> 56) == 'd')
            return false;
    }
    return true;
}

// memchr finds the rare 0xEF with SIMD; QByteArray::contains() took ~13 instructions a byte.
bool containsByteOrderMark(const QByteArray &body)
{
    const char *p = body.constData();
    const char *const end = p + body.size();
    while (end - p >= 3) {
        p = static_cast<const char *>(std::memchr(p, '\xef', size_t(end - p - 2)));
        if (!p)
            return false;
        if (p[1] == '\xbb' && p[2] == '\xbf')
            return true;
        ++p;
    }
    return false;
}

} // namespace

QJsonValue rawToJson(element value)
{
    switch (value.type()) {
    case element_type::ARRAY: {
        const simdjson::dom::array children = value.get_array().value_unsafe();
        QJsonArray array;
        for (element child : children)
            array.append(rawToJson(child));
        return array;
    }
    case element_type::OBJECT: {
        const simdjson::dom::object fields = value.get_object().value_unsafe();
        QJsonObject object;
        for (const simdjson::dom::key_value_pair field : fields)
            object.insert(toQString(field.key), rawToJson(field.value)); // a repeated key: the last one wins
        return object;
    }
    case element_type::INT64:
        return QJsonValue(qint64(value.get_int64().value_unsafe()));
    case element_type::UINT64: // above qint64: Qt keeps it as a double
        return QJsonValue(double(value.get_uint64().value_unsafe()));
    case element_type::DOUBLE: {
        // Qt's parser makes a whole number within qint64 an integer (17145648E9, -0.0), whatever
        // its spelling; QJsonValue(double) alone does that only below 2^53.
        const double number = value.get_double().value_unsafe();
        if (number >= -9223372036854775808.0 && number < 9223372036854775808.0 && std::trunc(number) == number)
            return QJsonValue(qint64(number));
        return QJsonValue(number);
    }
    case element_type::STRING:
        return toQString(value.get_string().value_unsafe());
    case element_type::BOOL:
        return QJsonValue(value.get_bool().value_unsafe());
    case element_type::NULL_VALUE:
        break;
    }
    return QJsonValue(QJsonValue::Null);
}

RawPageParser::RawPageParser(const QString &resultKey, const QString &outputToken, bool resultRequired)
    : m_resultKey(resultKey.toStdString())
    , m_outputToken(outputToken.toStdString())
    , m_resultRequired(resultRequired)
{
    // Sets the depth limit; capacity grows with the bodies. Without it every body goes to Qt.
    m_ready = m_parser.allocate(simdjson::dom::MINIMAL_DOCUMENT_CAPACITY, maxDepth()) == simdjson::SUCCESS;
}

std::optional<RawPageParser::Parsed> RawPageParser::parse(const QByteArray &body)
{
    if (!m_ready)
        return std::nullopt;
    // Qt's parser drops a byte order mark (EF BB BF) that begins a string, where simdjson keeps
    // it. Such bodies are rare: Qt reads them.
    if (containsByteOrderMark(body))
        return std::nullopt;
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse a padded copy.
    const size_t length = size_t(body.size());
    if (m_buffer.size() < length + simdjson::SIMDJSON_PADDING)
        m_buffer.resize(length + simdjson::SIMDJSON_PADDING);
    if (length > 0)
        std::memcpy(m_buffer.data(), body.constData(), length);

    auto page = std::make_shared<RawPage>();
    element root;
    if (m_parser.parse_into_document(page->m_document, m_buffer.data(), length, false).get(root))
        return std::nullopt;
    simdjson::dom::object object;
    if (root.get_object().get(object))
        return std::nullopt;

    // A number Qt's parser would refuse anywhere makes the whole body Qt's, whichever member it is in.
    if (!numbersReadAlike(page->m_document))
        return std::nullopt;
    // As QJsonObject: a member repeated keeps its last value.
    std::optional<element> items;
    std::optional<element> token;
    for (const simdjson::dom::key_value_pair field : object) {
        if (field.key == m_resultKey)
            items = field.value;
        else if (field.key == m_outputToken)
            token = field.value;
    }

    if (!items || items->is_null()) {
        if (m_resultRequired)
            return std::nullopt;
    } else {
        simdjson::dom::array array;
        if (items->get_array().get(array))
            return std::nullopt;
        page->m_items.reserve(array.size());
        for (element item : array) {
            if (!item.is_object())
                return std::nullopt;
            page->m_items.push_back(item);
        }
    }

    Parsed parsed;
    if (token && !token->is_null()) {
        std::string_view text;
        if (token->get_string().get(text))
            return std::nullopt;
        parsed.nextToken = toQString(text);
    }
    parsed.page = std::move(page);
    return parsed;
}

} // namespace pagewise
