#include "clijsonwriter.h"

#include "kinds/resourcekind.h"
#include "paging/rawpage.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QVariant>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace pagewise
{

namespace
{

using simdjson::dom::element;
using simdjson::dom::element_type;

void appendIndent(int level, QByteArray &out)
{
    out.append(qsizetype(level) * 4, ' ');
}

// Qt's parser makes every whole number an integer, however it was spelled: the member's type
// decides (see the class comment).
void appendNumber(const QJsonValue &value, bool asFloat, QByteArray &out)
{
    const QVariant variant = value.toVariant();
    if (!asFloat && variant.typeId() == QMetaType::LongLong) {
        out.append(QByteArray::number(variant.toLongLong()));
        return;
    }
    CliJsonWriter::appendPythonFloat(value.toDouble(), out);
}

// A list as json.dump(indent=4) lays it out: "[]" when empty, else one element a line.
template<typename Array, typename AppendElement>
void appendList(const Array &array, bool empty, int level, QByteArray &out, AppendElement appendElement)
{
    if (empty) {
        out.append("[]");
        return;
    }
    out.append('[');
    bool first = true;
    for (const auto &child : array) {
        out.append(first ? "\n" : ",\n");
        first = false;
        appendIndent(level + 1, out);
        appendElement(child, level + 1, out);
    }
    out.append('\n');
    appendIndent(level, out);
    out.append(']');
}

} // namespace

CliJsonWriter::CliJsonWriter(const ResourceKind &kind)
{
    appendString(kind.pagination.resultKey, m_resultKey);
    m_resultKey.append(": ");
    for (const QString &name : kind.operation.itemMembers) {
        Member member;
        member.name = name;
        member.utf8Name = name.toStdString();
        appendString(name, member.key);
        member.key.append(": ");
        const int column = kind.columnIndex(name);
        member.timestamp = column >= 0 && kind.columns[column].type == ValueType::Timestamp;
        m_members.push_back(std::move(member));
    }
    m_rawValues.resize(m_members.size());
    m_itemOfRawValue.assign(m_members.size(), 0);
}

void CliJsonWriter::begin()
{
    QByteArray &out = m_output;
    out.append("{\n    ");
    out.append(m_resultKey);
    out.append('[');
}

void CliJsonWriter::writePage(const Page &page)
{
    QByteArray &out = m_output;
    if (page.isRaw()) {
        for (qsizetype i = 0; i < page.raw.count; ++i) {
            out.append(m_anyItem ? ",\n        " : "\n        ");
            m_anyItem = true;
            appendRawItem(rawItem(page.raw, i), out);
        }
        return;
    }
    for (const QJsonValue &item : page.items) {
        out.append(m_anyItem ? ",\n        " : "\n        ");
        m_anyItem = true;
        appendItem(item.toObject(), out);
    }
}

void CliJsonWriter::finish(const QString &resumeToken)
{
    QByteArray &out = m_output;
    if (m_anyItem)
        out.append("\n    ");
    out.append(']');
    if (!resumeToken.isEmpty()) {
        out.append(",\n    \"NextToken\": ");
        appendString(resumeToken, out);
    }
    out.append("\n}\n");
}

void CliJsonWriter::appendItem(const QJsonObject &item, QByteArray &out) const
{
    bool first = true;
    for (const Member &member : m_members) {
        const auto it = item.constFind(member.name);
        // botocore drops members whose value is null as if they were absent.
        if (it == item.constEnd() || it->isNull() || it->isUndefined())
            continue;
        out.append(first ? "{\n" : ",\n");
        first = false;
        appendIndent(3, out);
        out.append(member.key);
        if (it->isDouble())
            appendNumber(*it, member.timestamp, out);
        else
            appendValue(*it, 3, out);
    }
    if (first) {
        out.append("{}");
        return;
    }
    out.append('\n');
    appendIndent(2, out);
    out.append('}');
}

void CliJsonWriter::appendRawItem(element item, QByteArray &out)
{
    ++m_rawItem;
    simdjson::dom::object object;
    if (!item.get_object().get(object)) {
        for (const simdjson::dom::key_value_pair field : object) {
            for (size_t m = 0; m < m_members.size(); ++m) {
                if (m_members[m].utf8Name == field.key) {
                    // A member repeated keeps its last value, as in the dict json.loads() makes.
                    m_rawValues[m] = field.value;
                    m_itemOfRawValue[m] = m_rawItem;
                    break;
                }
            }
        }
    }
    bool first = true;
    for (size_t m = 0; m < m_members.size(); ++m) {
        // botocore drops members whose value is null as if they were absent.
        if (m_itemOfRawValue[m] != m_rawItem || m_rawValues[m].is_null())
            continue;
        out.append(first ? "{\n" : ",\n");
        first = false;
        appendIndent(3, out);
        out.append(m_members[m].key);
        appendRawValue(m_rawValues[m], 3, out);
    }
    if (first) {
        out.append("{}");
        return;
    }
    out.append('\n');
    appendIndent(2, out);
    out.append('}');
}

void CliJsonWriter::appendRawValue(element value, int level, QByteArray &out)
{
    switch (value.type()) {
    case element_type::NULL_VALUE:
        out.append("null");
        return;
    case element_type::BOOL:
        out.append(value.get_bool().value_unsafe() ? "true" : "false");
        return;
    case element_type::INT64:
        out.append(QByteArray::number(qint64(value.get_int64().value_unsafe())));
        return;
    case element_type::UINT64:
        out.append(QByteArray::number(quint64(value.get_uint64().value_unsafe())));
        return;
    case element_type::DOUBLE:
        appendPythonFloat(value.get_double().value_unsafe(), out);
        return;
    case element_type::STRING:
        appendUtf8String(value.get_string().value_unsafe(), out);
        return;
    case element_type::ARRAY: {
        const simdjson::dom::array array = value.get_array().value_unsafe();
        appendList(array, array.size() == 0, level, out, &CliJsonWriter::appendRawValue);
        return;
    }
    case element_type::OBJECT: {
        // A dict: each key where it first appears, with its last value.
        std::vector<std::pair<std::string_view, element>> fields;
        // A named object: iterating value_unsafe()'s result directly would outlive its temporary.
        const simdjson::dom::object object = value.get_object().value_unsafe();
        for (const simdjson::dom::key_value_pair field : object) {
            auto it = std::find_if(
                fields.begin(), fields.end(), [&](const auto &known) { return known.first == field.key; });
            if (it != fields.end())
                it->second = field.value;
            else
                fields.emplace_back(field.key, field.value);
        }
        if (fields.empty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        bool first = true;
        for (const auto &[key, child] : fields) {
            out.append(first ? "\n" : ",\n");
            first = false;
            appendIndent(level + 1, out);
            appendUtf8String(key, out);
            out.append(": ");
            appendRawValue(child, level + 1, out);
        }
        out.append('\n');
        appendIndent(level, out);
        out.append('}');
        return;
    }
    }
}

void CliJsonWriter::appendValue(const QJsonValue &value, int level, QByteArray &out)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out.append("null");
        return;
    case QJsonValue::Bool:
        out.append(value.toBool() ? "true" : "false");
        return;
    case QJsonValue::Double:
        appendNumber(value, false, out);
        return;
    case QJsonValue::String:
        appendString(value.toString(), out);
        return;
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        appendList(array, array.isEmpty(), level, out, &CliJsonWriter::appendValue);
        return;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (object.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        bool first = true;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            out.append(first ? "\n" : ",\n");
            first = false;
            appendIndent(level + 1, out);
            appendString(it.key(), out);
            out.append(": ");
            appendValue(it.value(), level + 1, out);
        }
        out.append('\n');
        appendIndent(level, out);
        out.append('}');
        return;
    }
    }
}

void CliJsonWriter::appendString(QStringView text, QByteArray &out)
{
    const QByteArray utf8 = text.toUtf8();
    appendUtf8String(std::string_view(utf8.constData(), size_t(utf8.size())), out);
}

void CliJsonWriter::appendUtf8String(std::string_view utf8, QByteArray &out)
{
    static const char hex[] = "0123456789abcdef";
    out.reserve(out.size() + qsizetype(utf8.size()) + 2);
    out.append('"');
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        case '\b':
            out.append("\\b");
            break;
        case '\f':
            out.append("\\f");
            break;
        default:
            if (u < 0x20) {
                const char escape[] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 0xf]};
                out.append(escape, sizeof escape);
            } else {
                out.append(c);
            }
        }
    }
    out.append('"');
}

void CliJsonWriter::appendPythonFloat(double value, QByteArray &out)
{
    if (std::isnan(value)) {
        out.append("NaN");
        return;
    }
    if (std::isinf(value)) {
        out.append(value > 0 ? "Infinity" : "-Infinity");
        return;
    }
    // Shortest round-trip digits, then Python's layout: positional when -4 < decpt <= 16.
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    const std::string_view text(buffer, result.ptr - buffer);
    const size_t e = text.find('e');
    std::string_view mantissa = text.substr(0, e);
    int exponent = 0;
    const char *exponentStart = text.data() + e + 1;
    if (*exponentStart == '+')
        ++exponentStart;
    std::from_chars(exponentStart, result.ptr, exponent);
    const bool negative = mantissa.front() == '-';
    if (negative)
        mantissa.remove_prefix(1);
    std::string digits;
    for (const char c : mantissa) {
        if (c != '.')
            digits.push_back(c);
    }
    const int decpt = exponent + 1;
    if (negative)
        out.append('-');
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            out.append("0.");
            out.append(qsizetype(-decpt), '0');
            out.append(digits.data(), qsizetype(digits.size()));
        } else if (size_t(decpt) >= digits.size()) {
            out.append(digits.data(), qsizetype(digits.size()));
            out.append(qsizetype(decpt - int(digits.size())), '0');
            out.append(".0");
        } else {
            out.append(digits.data(), decpt);
            out.append('.');
            out.append(digits.data() + decpt, qsizetype(digits.size()) - decpt);
        }
        return;
    }
    out.append(digits.front());
    if (digits.size() > 1) {
        out.append('.');
        out.append(digits.data() + 1, qsizetype(digits.size()) - 1);
    }
    char exponentText[16];
    std::snprintf(exponentText, sizeof exponentText, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out.append(exponentText);
}

} // namespace pagewise
