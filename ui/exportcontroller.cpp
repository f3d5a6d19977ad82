#include "exportcontroller.h"

#include "csvexportjob.h"
#include "export/csvwriter.h"
#include "export/exportrows.h"
#include "resourceview.h"

#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLocale>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>

namespace pagewise
{

namespace
{

const QLatin1String lastDirectoryKey("export/lastDirectory");

QString tsvCell(QString text)
{
    if (CsvWriter::isFormulaLike(text))
        text.prepend(QLatin1Char('\''));
    if (text.contains(QLatin1Char('\t')) || text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))
        || text.startsWith(QLatin1Char('"'))) {
        text.replace(QLatin1Char('"'), QLatin1String("\"\""));
        return QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}

void appendTsvRow(QString &out, const QStringList &cells)
{
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i > 0)
            out += QLatin1Char('\t');
        out += tsvCell(cells[i]);
    }
    out += QLatin1Char('\n');
}

QList<ColumnSpec> columnsFor(const ResourceView *view, bool allMembers)
{
    QString error;
    auto columns = exportColumns(view->kind(), allMembers ? QStringList() : view->visibleMembers(), &error);
    return columns ? *columns : view->kind().columns;
}

} // namespace

ExportController::ExportController(QWidget *window)
    : QObject(window)
    , m_window(window)
{
}

ExportController::~ExportController()
{
    if (m_job)
        m_job->cancel();
}

QString ExportController::suggestedPath(const QString &kindId) const
{
    QString directory = QSettings().value(lastDirectoryKey).toString();
    if (directory.isEmpty() || !QFileInfo(directory).isDir())
        directory = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (directory.isEmpty())
        directory = QDir::homePath();
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    return QDir(directory).filePath(QStringLiteral("%1-%2.csv").arg(kindId, stamp));
}

ExportDialog *ExportController::createDialog(ResourceView *view, ExportOptions::Scope scope)
{
    ExportDialog::Counts counts;
    counts.selected = int(view->selectedSourceRows().size());
    counts.shown = view->proxy()->rowCount();
    counts.loaded = view->model()->rowCount();
    counts.more = view->model()->hasMore();
    counts.visibleColumns = int(view->visibleMembers().size());
    counts.allColumns = int(view->kind().columns.size());
    ExportOptions initial;
    initial.scope = scope;
    initial.path = suggestedPath(view->kind().id);
    return new ExportDialog(view->kind().title, counts, initial, m_window);
}

void ExportController::exportFromView(ResourceView *view, ExportOptions::Scope scope)
{
    if (!view || isRunning())
        return;
    ExportDialog *dialog = createDialog(view, scope);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, view = QPointer<ResourceView>(view)] {
        if (view)
            run(view, dialog->options());
    });
    dialog->open();
}

void ExportController::run(ResourceView *view, const ExportOptions &options)
{
    if (isRunning())
        return;
    if (options.path.isEmpty()) {
        finish(false, tr("Choose a file to export to"));
        return;
    }
    QSettings().setValue(lastDirectoryKey, QFileInfo(options.path).absolutePath());
    if (options.scope == ExportOptions::Scope::AllMatching && view->model()->hasMore())
        fetchThenWrite(view, options);
    else
        writeRows(view, options);
}

bool ExportController::isRunning() const
{
    return m_job || m_fetchingView;
}

void ExportController::cancel()
{
    if (m_fetchingView) {
        m_fetchingView->model()->cancel();
        return;
    }
    if (m_job)
        m_job->cancel();
}

void ExportController::fetchThenWrite(ResourceView *view, const ExportOptions &options)
{
    ResourceTableModel *model = view->model();
    m_fetchingView = view;
    if (m_interactive) {
        m_progress
            = new QProgressDialog(tr("Fetching the remaining pages before exporting…"), tr("Cancel"), 0, 0, m_window);
        m_progress->setWindowTitle(tr("Export all matching %1").arg(view->kind().title.toLower()));
        m_progress->setWindowModality(Qt::WindowModal);
        m_progress->setMinimumDuration(0);
        m_progress->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_progress, &QProgressDialog::canceled, this, &ExportController::cancel);
        m_progress->show();
    }
    auto done = [this, view = QPointer<ResourceView>(view), options] {
        for (const auto &c : std::as_const(m_fetchConnections))
            disconnect(c);
        m_fetchConnections.clear();
        m_fetchingView = nullptr;
        if (m_progress) {
            m_progress->reset();
            m_progress->close();
        }
        if (!view)
            return;
        ResourceTableModel *m = view->model();
        // Decided by what the model holds, not its state: "load all" ends before the state
        // says Complete.
        if (m->lastError().isError()) {
            // A rejected page token cannot be retried; exporting again reloads the listing.
            const QString next = m->failureNeedsReload()
                ? tr("The %n loaded row(s) stay; the page token expired, so export again (or Reload in the view): "
                     "the listing starts again from its first page.",
                    nullptr, m->rowCount())
                : tr("The %n loaded row(s) stay; Retry in the view, then export again.", nullptr, m->rowCount());
            finish(false, tr("Fetching stopped: %1\nNothing was exported. %2").arg(m->lastError().toString(), next));
        } else if (!m->hasMore()) {
            writeRows(view, options);
        } else {
            finish(false,
                tr("Export cancelled while fetching; nothing was written. %n row(s) loaded so far stay.", nullptr,
                    m->rowCount()));
        }
    };
    m_fetchConnections << connect(
        model, &ResourceTableModel::loadAllProgress, this, [this](int rows, int pages, double perSecond) {
            const QString text
                = tr("Fetching the remaining pages: %1 rows, %2 pages, %3 rows/s")
                      .arg(QLocale().toString(rows), QLocale().toString(pages), QLocale().toString(perSecond, 'f', 0));
            if (m_progress)
                m_progress->setLabelText(text);
            emit statusMessage(text);
        });
    m_fetchConnections << connect(model, &ResourceTableModel::loadingAllChanged, this, [done](bool on) {
        if (!on)
            done();
    });
    // A failed page leaves "load all" waiting for Retry (or Reload); the export stops there instead.
    m_fetchConnections << connect(model, &ResourceTableModel::pageFailed, this, done);
    m_fetchConnections << connect(model, &QAbstractItemModel::modelReset, this, done);
    view->loadAll();
    if (!model->isLoadingAll())
        done();
}

void ExportController::writeRows(ResourceView *view, const ExportOptions &options)
{
    const QList<int> rows
        = options.scope == ExportOptions::Scope::Selected ? view->selectedSourceRows() : view->shownSourceRows();
    const QList<ColumnSpec> columns = columnsFor(view, options.allMembers);
    m_job = new CsvExportJob(view->model(), rows, columns, options.path, options.rawCells, this);
    if (m_interactive && rows.size() > CsvExportJob::rowsPerChunk) {
        m_progress = new QProgressDialog(
            tr("Writing %1…").arg(QFileInfo(options.path).fileName()), tr("Cancel"), 0, int(rows.size()), m_window);
        m_progress->setWindowModality(Qt::WindowModal);
        m_progress->setMinimumDuration(300);
        m_progress->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_progress, &QProgressDialog::canceled, this, &ExportController::cancel);
    }
    connect(m_job, &CsvExportJob::progress, this, [this](qint64 written, qint64) {
        if (m_progress)
            m_progress->setValue(int(written));
    });
    connect(m_job, &CsvExportJob::finished, this, [this](bool ok, const QString &message) {
        if (m_progress) {
            m_progress->reset();
            m_progress->close();
        }
        m_job->deleteLater();
        m_job = nullptr;
        finish(ok, message);
    });
    m_job->start();
}

void ExportController::finish(bool ok, const QString &message)
{
    emit statusMessage(message);
    if (m_interactive && !ok) {
        // The message may carry a service's error text or a file name: shown as written.
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Export"), message, QMessageBox::Ok, m_window);
        box->setObjectName(QStringLiteral("exportWarning"));
        box->setTextFormat(Qt::PlainText);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    emit finished(ok, message);
}

QString ExportController::selectionAsCsv(const ResourceView *view)
{
    const QList<int> rows = view->selectedSourceRows();
    if (rows.isEmpty())
        return {};
    const QList<ColumnSpec> columns = columnsFor(view, false);
    QByteArray bytes;
    {
        CsvWriter writer(&bytes);
        writeExportHeader(writer, columns);
        QStringList cells;
        for (int row : rows) {
            exportItemCells(columns, view->model()->resource(row), cells);
            writer.writeRow(cells);
        }
    }
    return QString::fromUtf8(bytes);
}

QString ExportController::selectionAsTsv(const ResourceView *view)
{
    const QList<int> rows = view->selectedSourceRows();
    if (rows.isEmpty())
        return {};
    const QList<ColumnSpec> columns = columnsFor(view, false);
    QString text;
    appendTsvRow(text, exportHeader(columns));
    QStringList cells;
    for (int row : rows) {
        exportItemCells(columns, view->model()->resource(row), cells);
        appendTsvRow(text, cells);
    }
    return text;
}

void ExportController::copySelection(ResourceView *view)
{
    if (!view)
        return;
    const int count = int(view->selectedSourceRows().size());
    const QString csv = selectionAsCsv(view);
    if (csv.isEmpty()) {
        emit statusMessage(tr("Select rows to copy"));
        return;
    }
    auto *data = new QMimeData;
    data->setText(selectionAsTsv(view));
    data->setData(QStringLiteral("text/csv"), csv.toUtf8());
    QGuiApplication::clipboard()->setMimeData(data);
    emit statusMessage(tr("%n row(s) copied (tab-separated, and as CSV)", nullptr, count));
}

} // namespace pagewise
