#pragma once

#include "kinds/resourcekind.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace pagewise
{

class CsvWriter;

/// The columns an export writes, in output order. `members` are response member names of `kind`
/// ("ImageName"); a name that differs only in case is accepted too. An empty list means every
/// column of the kind, in descriptor order. nullopt and *error (which lists the known names) when
/// a name is not a column of the kind or appears twice.
std::optional<QList<ColumnSpec>> exportColumns(const ResourceKind &kind, const QStringList &members, QString *error);

/// The header row: the response member names, as the service spells them (stable for scripts).
QStringList exportHeader(const QList<ColumnSpec> &columns);

/// The text of one cell for a member value as received:
/// - absent (undefined) or null: empty;
/// - a timestamp column: ISO 8601 UTC, "2024-05-01T12:00:00.123Z" or "2024-05-01T12:00:00Z" when the
///   milliseconds are zero, from epoch seconds or an ISO string; a value that is not a timestamp is
///   written as it came;
/// - strings as they are; numbers in their shortest exact form (integers without ".0");
///   true/false; objects and arrays as compact JSON.
QString exportCellText(const ColumnSpec &column, const QJsonValue &value);

/// The cells of one item in column order, into `cells` (cleared first, so a caller can reuse it).
void exportItemCells(const QList<ColumnSpec> &columns, const QJsonObject &item, QStringList &cells);

/// Writes the header row.
void writeExportHeader(CsvWriter &writer, const QList<ColumnSpec> &columns);

/// Writes one row per item (items are JSON objects as received; anything else is a row of empty cells).
void writeExportRows(CsvWriter &writer, const QList<ColumnSpec> &columns, const QJsonArray &items);

} // namespace pagewise
