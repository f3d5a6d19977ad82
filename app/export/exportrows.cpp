#include "exportrows.h"

#include "export/csvwriter.h"
#include "export/wirevalues.h"

#include <QJsonDocument>
#include <QLocale>

#include <cmath>

namespace pagewise
{

namespace
{

QString numberText(double value)
{
    // Integral values up to 2^53 print without exponent or ".0"; others in the shortest form that
    // reads back to the same double.
    if (std::trunc(value) == value && std::fabs(value) < 9007199254740992.0)
        return QString::number(qint64(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace

std::optional<QList<ColumnSpec>> exportColumns(const ResourceKind &kind, const QStringList &members, QString *error)
{
    if (members.isEmpty())
        return kind.columns;

    auto fail = [&](const QString &why) -> std::optional<QList<ColumnSpec>> {
        if (error) {
            QStringList known;
            for (const ColumnSpec &column : kind.columns)
                known.append(column.member);
            *error = why + QStringLiteral(" Columns of %1: %2.").arg(kind.id, known.join(QStringLiteral(", ")));
        }
        return std::nullopt;
    };

    QList<ColumnSpec> chosen;
    chosen.reserve(members.size());
    for (const QString &member : members) {
        const ColumnSpec *match = nullptr;
        for (const ColumnSpec &column : kind.columns) {
            if (column.member == member) {
                match = &column;
                break;
            }
        }
        if (!match) {
            for (const ColumnSpec &column : kind.columns) {
                if (column.member.compare(member, Qt::CaseInsensitive) == 0) {
                    match = &column;
                    break;
                }
            }
        }
        if (!match)
            return fail(QStringLiteral("Unknown column \"%1\" for %2.").arg(member, kind.id));
        for (const ColumnSpec &already : std::as_const(chosen)) {
            if (already.member == match->member)
                return fail(QStringLiteral("Column \"%1\" is listed more than once.").arg(match->member));
        }
        chosen.append(*match);
    }
    return chosen;
}

QStringList exportHeader(const QList<ColumnSpec> &columns)
{
    QStringList header;
    header.reserve(columns.size());
    for (const ColumnSpec &column : columns)
        header.append(column.member);
    return header;
}

QString exportCellText(const ColumnSpec &column, const QJsonValue &value)
{
    if (column.type == ValueType::Timestamp) {
        if (const auto ms = parseWireTimestampMs(value))
            return formatIsoUtc(*ms);
    }
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return numberText(value.toDouble());
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}

void exportItemCells(const QList<ColumnSpec> &columns, const QJsonObject &item, QStringList &cells)
{
    cells.clear();
    cells.reserve(columns.size());
    for (const ColumnSpec &column : columns)
        cells.append(exportCellText(column, item.value(column.member)));
}

void writeExportHeader(CsvWriter &writer, const QList<ColumnSpec> &columns)
{
    writer.writeRow(exportHeader(columns));
}

void writeExportRows(CsvWriter &writer, const QList<ColumnSpec> &columns, const QJsonArray &items)
{
    QStringList cells;
    for (const QJsonValue &item : items) {
        exportItemCells(columns, item.toObject(), cells);
        writer.writeRow(cells);
    }
}

} // namespace pagewise
