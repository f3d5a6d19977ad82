#include "csvlistingwriter.h"

#include "kinds/resourcekind.h"

#include <QJsonArray>
#include <QJsonObject>

namespace pagewise
{

CsvListingWriter::CsvListingWriter(const ResourceKind &kind, const QStringList &columns, bool rawCells)
    : m_columns(columns)
    , m_rawCells(rawCells)
{
    if (m_columns.isEmpty()) {
        for (const ColumnSpec &column : kind.columns) {
            if (column.visibleByDefault)
                m_columns << column.member;
        }
    }
}

void CsvListingWriter::begin(QByteArray &out)
{
    out.append(m_columns.join(QLatin1Char(',')).toUtf8());
    out.append("\r\n");
}

void CsvListingWriter::writePage(const Page &page, QByteArray &out)
{
    for (const QJsonValue &item : page.items) {
        const QJsonObject object = item.toObject();
        for (qsizetype i = 0; i < m_columns.size(); ++i) {
            if (i > 0)
                out.append(',');
            const QJsonValue value = object.value(m_columns.at(i));
            out.append('"');
            out.append(value.toVariant().toString().toUtf8().replace('"', "\"\""));
            out.append('"');
        }
        out.append("\r\n");
    }
}

void CsvListingWriter::finish(const QString &, QByteArray &) { }

} // namespace pagewise
