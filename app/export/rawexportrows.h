#pragma once

#include "kinds/resourcekind.h"
#include "paging/page.h"

#include <QList>

#include <array>
#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace pagewise
{

class CsvWriter;

/// Writes the items of raw pages (paging/rawpage.h) as CSV rows, byte for byte what
/// writeExportRows() writes for the same items decoded by Qt (cells as exportCellText() makes
/// them), without building Qt JSON values: strings go from simdjson's UTF-8 straight into the
/// CsvWriter, epoch-second timestamps are formatted in place. Rare shapes (objects, arrays,
/// numbers in other columns, timestamps that are not epoch seconds) take exportCellText() over
/// the converted value, so they come out the same too.
class RawExportRows
{
public:
    /// columns: in output order (see exportColumns()).
    explicit RawExportRows(const QList<ColumnSpec> &columns);

    /// One row per item of the window.
    void writeRows(CsvWriter &writer, const RawItems &items);
    /// One row for one item: an object, or anything else as a row of empty cells.
    void writeRow(CsvWriter &writer, simdjson::dom::element item);

private:
    struct Column {
        ColumnSpec spec;
        std::string member; ///< UTF-8, as simdjson's keys are
        bool timestamp = false;
        int nextInSlot = -1; ///< the next column whose member has the same slot
    };
    static constexpr size_t kSlots = 64;
    /// The column of a member name (the first, should two columns name it), -1 for none.
    int columnOf(std::string_view member) const;
    void writeCell(CsvWriter &writer, const Column &column, simdjson::dom::element value);
    void writeFallback(CsvWriter &writer, const Column &column, simdjson::dom::element value);

    std::vector<Column> m_columns;
    std::array<int, kSlots> m_firstInSlot; ///< the first column whose member has that slot, or -1
    std::vector<simdjson::dom::element> m_values; ///< this row's value per column
    std::vector<quint64> m_rowOfValue; ///< m_values[c] is this row's when m_rowOfValue[c] == m_row
    quint64 m_row = 0;
};

} // namespace pagewise
