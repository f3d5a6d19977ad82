#include "screenshottour.h"

#include "exportcontroller.h"
#include "exportdialog.h"
#include "filterpanel.h"
#include "mainwindow.h"
#include "resourceview.h"

#include <QComboBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPixmap>
#include <QTableView>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>

namespace pagewise
{

namespace
{

constexpr int pollMs = 100;
constexpr int maxPolls = 300;
constexpr int settleMs = 400;

void selectRows(QTableView *table, int first, int last)
{
    QAbstractItemModel *model = table->model();
    if (model->rowCount() <= last)
        return;
    QItemSelection selection(model->index(first, 0), model->index(last, model->columnCount() - 1));
    table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table->selectionModel()->setCurrentIndex(model->index(first, 0), QItemSelectionModel::NoUpdate);
    table->setFocus();
}

} // namespace

ScreenshotTour::ScreenshotTour(MainWindow *window, const QString &directory, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_directory(directory)
{
    m_shots << Shot {QStringLiteral("images"), [](ResourceView *) {}, 1, 1};
    // Datasets: a local sort, to show how an order over part of the listing is labelled.
    m_shots << Shot {QStringLiteral("datasets"),
        [](ResourceView *view) { view->table()->sortByColumn(0, Qt::AscendingOrder); }, 2, 2};
    // Sessions: a local filter over the loaded rows, and a few rows selected for export.
    m_shots << Shot {QStringLiteral("sessions"),
        [](ResourceView *view) {
            if (auto *status = view->filterPanel()->findChild<QComboBox *>(QStringLiteral("local_lifecycleStatus")))
                status->setCurrentIndex(status->findData(QStringLiteral("ENDED")));
        },
        0, 3};
}

void ScreenshotTour::start()
{
    m_directory.mkpath(QStringLiteral("."));
    QTimer::singleShot(settleMs, this, &ScreenshotTour::next);
}

void ScreenshotTour::next()
{
    ++m_index;
    if (m_index >= m_shots.size()) {
        captureExportDialog();
        return;
    }
    ResourceView *view = m_window->view(m_shots[m_index].kindId);
    if (!view) {
        m_ok = false;
        next();
        return;
    }
    m_window->showKind(view->kind().id);
    view->activate();
    waitForRows(view, 0);
}

void ScreenshotTour::waitForRows(ResourceView *view, int attempt)
{
    const bool ready = view->model()->rowCount() > 0 && !view->model()->isFetching();
    if (!ready && attempt < maxPolls) {
        QTimer::singleShot(pollMs, this, [this, view, attempt] { waitForRows(view, attempt + 1); });
        return;
    }
    if (!ready) {
        QTextStream(stderr) << "screenshot: no rows for " << view->kind().id << '\n';
        m_ok = false;
    }
    m_shots[m_index].prepare(view);
    QTimer::singleShot(settleMs, this, [this, view] {
        selectRows(view->table(), m_shots[m_index].firstRow, m_shots[m_index].lastRow);
        QTimer::singleShot(settleMs, this, [this, view] { capture(view); });
    });
}

void ScreenshotTour::capture(ResourceView *view)
{
    // Wait out a page the preparation may have asked for.
    if (view->model()->isFetching()) {
        QTimer::singleShot(pollMs, this, [this, view] { capture(view); });
        return;
    }
    if (!save(m_window, view->kind().id))
        m_ok = false;
    next();
}

void ScreenshotTour::captureExportDialog()
{
    ResourceView *view = m_window->currentView();
    ExportDialog *dialog = m_window->exporter()->createDialog(view, ExportOptions::Scope::Selected);
    // Shown, never written: a home-relative path reads the same on every machine.
    dialog->setPath(QStringLiteral("~/Documents/%1-selected.csv").arg(view->kind().id));
    dialog->show();
    QTimer::singleShot(settleMs, this, [this, dialog] {
        if (!save(dialog, QStringLiteral("export-dialog")))
            m_ok = false;
        dialog->close();
        dialog->deleteLater();
        emit finished(m_ok);
    });
}

bool ScreenshotTour::save(QWidget *widget, const QString &name)
{
    const QString path = m_directory.filePath(name + QStringLiteral(".png"));
    const bool ok = widget->grab().save(path);
    QTextStream(stderr) << "screenshot: " << path << (ok ? " written" : " FAILED") << '\n';
    return ok;
}

} // namespace pagewise
