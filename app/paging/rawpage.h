#pragma once

#include "page.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <simdjson.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pagewise
{

/// One response body parsed by simdjson into a DOM document of its own, and the elements of its
/// result-key list: what the items of a raw Page are. Immutable once parsed and shared by every
/// copy of the Page, so reading it from several places needs no care. Strings in it are unescaped
/// and valid UTF-8; every item is a JSON object.
class RawPage
{
public:
    RawPage() = default;
    RawPage(const RawPage &) = delete;
    RawPage &operator=(const RawPage &) = delete;

    qsizetype size() const { return qsizetype(m_items.size()); }
    simdjson::dom::element item(qsizetype index) const { return m_items[size_t(index)]; }

private:
    friend class RawPageParser;
    simdjson::dom::document m_document;
    std::vector<simdjson::dom::element> m_items;
};

/// Item `index` (0-based) of a raw page's window.
inline simdjson::dom::element rawItem(const RawItems &items, qsizetype index)
{
    return items.page->item(items.first + index);
}

/// The value QJsonDocument::fromJson() makes of the text simdjson parsed into `value`: integers that
/// fit in qint64 stay integers, other numbers are doubles (integral ones become integers, as Qt's
/// parser makes them), a member repeated in an object keeps its last value.
QJsonValue rawToJson(simdjson::dom::element value);

/// The raw decoder behind OperationCodec::decodeRaw(): parses a list response with simdjson and
/// checks it as OperationCodec::decode() does. It vouches only for bodies that Qt's parser reads
/// alike; for any other body (malformed, or one the two parsers read differently) parse() returns
/// nullopt and the caller lets Qt's parser decide, so errors and edge cases stay exactly those of
/// the Qt path. Reuses its buffers from body to body: one per codec, one thread.
class RawPageParser
{
public:
    /// resultKey, outputToken: the pagination's member names. resultRequired: a body without the
    /// result key is malformed (PaginationSpec::resultRequired).
    RawPageParser(const QString &resultKey, const QString &outputToken, bool resultRequired);

    struct Parsed {
        std::shared_ptr<const RawPage> page;
        QString nextToken; ///< empty when absent, null or ""
    };
    std::optional<Parsed> parse(const QByteArray &body);

    /// Deeper bodies go to Qt's parser (whose own limit is 1024 levels).
    static constexpr size_t maxDepth() { return 512; }

private:
    std::string m_resultKey;
    std::string m_outputToken;
    bool m_resultRequired;
    bool m_ready = false;
    simdjson::dom::parser m_parser;
    std::vector<char> m_buffer; ///< the body followed by simdjson's padding
};

} // namespace pagewise
