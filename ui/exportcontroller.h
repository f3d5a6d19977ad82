#pragma once

#include "exportdialog.h"

#include <QObject>
#include <QPointer>

class QProgressDialog;
class QWidget;

namespace pagewise
{

class CsvExportJob;
class ResourceView;

/// Export and copy for the window: asks what to export, fetches the remaining pages first when
/// asked for every matching row (with progress and Cancel), and writes through CsvExportJob,
/// all through the shared CSV functions in app/export.
class ExportController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportController)
public:
    explicit ExportController(QWidget *window);
    ~ExportController() override;

    /// The dialog for a view, filled with its counts and a suggested file name (not shown).
    ExportDialog *createDialog(ResourceView *view, ExportOptions::Scope scope);
    /// Shows the dialog, then exports what it says.
    void exportFromView(ResourceView *view, ExportOptions::Scope scope);
    /// Exports without asking (tests, and after the dialog).
    void run(ResourceView *view, const ExportOptions &options);
    bool isRunning() const;
    /// Stops fetching or writing; nothing is written.
    void cancel();

    /// The selected rows (visible columns, view order, header row) as CSV text; "" when none.
    static QString selectionAsCsv(const ResourceView *view);
    /// The same rows as tab-separated text, which spreadsheets split into cells on paste: a cell
    /// holding a tab, a line break or a leading quote is quoted (quotes doubled), as spreadsheets
    /// write it; formula-like cells get the CSV export's ' in front.
    static QString selectionAsTsv(const ResourceView *view);
    /// Ctrl+C: selectionAsTsv() as text/plain and selectionAsCsv() as text/csv on the clipboard.
    void copySelection(ResourceView *view);

    /// Where exports go unless the user chooses otherwise (remembered per session in settings).
    QString suggestedPath(const QString &kindId) const;

    /// Tests: whether to show progress and result dialogs (default true).
    void setInteractive(bool interactive) { m_interactive = interactive; }

signals:
    void statusMessage(const QString &text);
    void finished(bool ok, const QString &message);

private:
    void writeRows(ResourceView *view, const ExportOptions &options);
    void fetchThenWrite(ResourceView *view, const ExportOptions &options);
    void finish(bool ok, const QString &message);

    QWidget *m_window;
    QPointer<CsvExportJob> m_job;
    QPointer<QProgressDialog> m_progress;
    QList<QMetaObject::Connection> m_fetchConnections;
    QPointer<ResourceView> m_fetchingView;
    bool m_interactive = true;
};

} // namespace pagewise
