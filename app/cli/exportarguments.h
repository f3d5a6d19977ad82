#pragma once

#include "aws/config/connection.h"
#include "paging/listquery.h"

#include <QString>
#include <QStringList>

namespace pagewise
{

struct ResourceKind;

/// Everything `pagewise export <kind> [options]` was asked to do, parsed and checked for form.
/// The request parameters still go through the QueryValidator before anything is sent.
struct ExportArguments {
    enum class Format { Csv, Json };

    const ResourceKind *kind = nullptr;
    ListQuery query;
    ConnectionOptions connection;
    Format format = Format::Csv;
    QStringList columns; ///< response members in output order; empty: the kind's visible-by-default columns
    bool rawCells = false; ///< CSV without formula neutralisation
    QString outputPath = QStringLiteral("-"); ///< "-" is standard output
    bool help = false; ///< --help: print usage and exit 0
};

/// A command-line mistake: the argument at fault and a message that names it and says what it accepts.
struct ArgumentError {
    QString argument; ///< "--page-size", "<kind>", "--columns"
    QString message;
};

/// Either the parsed arguments or the first mistake found.
class ExportArgumentsResult
{
public:
    ExportArgumentsResult(ExportArguments arguments)
        : m_arguments(std::move(arguments))
    {
    }
    ExportArgumentsResult(ArgumentError error)
        : m_error(std::move(error))
        , m_failed(true)
    {
    }
    bool ok() const { return !m_failed; }
    const ExportArguments &arguments() const { return m_arguments; }
    const ArgumentError &error() const { return m_error; }

private:
    ExportArguments m_arguments;
    ArgumentError m_error;
    bool m_failed = false;
};

/// Parses the arguments that follow "export" (the kind first, then options as "--flag value" or
/// "--flag=value"). The kind-specific flags and their values come from the kind's descriptor:
/// FilterSpec::cliFlag for request parameters, ServerSortSpec::Column::cli for --sort-by.
ExportArgumentsResult parseExportArguments(const QStringList &arguments);

/// The usage text: every kind with its own flags, then the common options.
QString exportUsage();

/// The command-line flag ("--created-after", "--page-size") that sets a request member of the
/// kind's ListQuery, or "" when no flag sets it. Used to turn validator errors into CLI messages.
QString cliFlagForParameter(const ResourceKind &kind, const QString &parameter);

/// "--name-contains" etc.: what a filter flag accepts, from its descriptor.
QString acceptedValuesText(const ResourceKind &kind, const QString &parameter);

} // namespace pagewise
