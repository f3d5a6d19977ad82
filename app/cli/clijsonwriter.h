#pragma once

#include "listingwriter.h"

#include <QJsonValue>
#include <QStringList>

namespace pagewise
{

struct ResourceKind;

/// Writes the JSON document the AWS CLI v1 prints for `aws <service> <list-operation> --output json`:
/// `{"<result key>": [items...], "NextToken": "<resume token>"}` formatted as Python's
/// json.dump(indent=4, ensure_ascii=False) does, with values as the service sent them (the CLI's
/// default cli_timestamp_format "none"), numbers written the way Python writes them.
///
/// Known difference: members of an item follow the descriptor's column order, where botocore
/// follows the service model's shape order; the members and values are the same.
/// Members the descriptor does not know are left out, as botocore leaves out unmodeled members.
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
    /// Any JSON value, pretty-printed at the given indent level (4 spaces per level).
    static void appendValue(const QJsonValue &value, int level, QByteArray &out);

private:
    void appendItem(const QJsonObject &item, QByteArray &out) const;

    struct Member {
        QString name;
        QByteArray key; ///< `"Name": ` ready to append
        bool timestamp = false;
    };
    QList<Member> m_members;
    QByteArray m_resultKey;
    bool m_anyItem = false;
};

} // namespace pagewise
