#pragma once

#include "listingwriter.h"

#include <QJsonValue>
#include <QStringList>

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace pagewise
{

struct ResourceKind;

/// Writes, byte for byte, the JSON document the AWS CLI v1 prints for
/// `aws <service> <list-operation> --output json`: `{"<result key>": [items...], "NextToken": "<resume
/// token>"}` formatted as Python's json.dump(indent=4, ensure_ascii=False) does, with values as the
/// service sent them (the CLI's default cli_timestamp_format "wire").
///
/// Each item is built as botocore builds it: the members of OperationSpec::itemMembers (the
/// service model's order), those present and not null; members the model lacks are left out.
///
/// Numbers are written as Python reads and writes them: a number sent without a fraction or
/// exponent is an int (`1714564800`), any other a float written as repr() writes it
/// (`1.7145648E9` -> `1714564800.0`). Only raw pages (ItemDecoding::Raw) tell the two apart: Qt's
/// parser keeps no trace of the spelling. For pages of Qt values (and bodies the raw decoder leaves
/// to Qt's parser), timestamps are written as floats, as AWS services send them, and other whole
/// numbers as ints.
class CliJsonWriter final : public ListingWriter
{
public:
    explicit CliJsonWriter(const ResourceKind &kind);

    void begin() override;
    void writePage(const Page &page) override;
    void finish(const QString &resumeToken) override;

    /// Python's repr() of a float (json.dumps writes floats with it): "1714564800.0",
    /// "1714564800.123", "1e+16", "1e-05".
    static void appendPythonFloat(double value, QByteArray &out);
    /// A JSON string literal as json.dumps(ensure_ascii=False) writes it.
    static void appendString(QStringView text, QByteArray &out);
    /// The same from valid UTF-8.
    static void appendUtf8String(std::string_view utf8, QByteArray &out);
    /// Any JSON value, pretty-printed at the given indent level (4 spaces per level).
    static void appendValue(const QJsonValue &value, int level, QByteArray &out);
    /// Any value of a parsed body, pretty-printed as Python prints what json.loads() made of it.
    static void appendRawValue(simdjson::dom::element value, int level, QByteArray &out);

private:
    void appendItem(const QJsonObject &item, QByteArray &out) const;
    void appendRawItem(simdjson::dom::element item, QByteArray &out);

    struct Member {
        QString name;
        std::string utf8Name;
        QByteArray key; ///< `"Name": ` ready to append
        bool timestamp = false;
    };
    std::vector<Member> m_members; ///< in the service model's order
    QByteArray m_resultKey; ///< `"Images": ` ready to append
    bool m_anyItem = false;

    // One raw item's values by member, reused from item to item.
    std::vector<simdjson::dom::element> m_rawValues;
    std::vector<quint64> m_itemOfRawValue;
    quint64 m_rawItem = 0;
};

} // namespace pagewise
