#include "mainwindow.h"

#include "aws/http/awsclient.h"
#include "connectionbar.h"
#include "demobackend.h"
#include "exportcontroller.h"
#include "filterpanel.h"
#include "kinds/resourcekind.h"
#include "paging/paginator.h"
#include "resourceview.h"
#include "unavailablefetcher.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QTabWidget>
#include <QVBoxLayout>

namespace pagewise
{

namespace
{

constexpr int messageTimeoutMs = 8000;

QString withMnemonic(const QString &title)
{
    return QLatin1Char('&') + title;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_demoBanner(new QLabel(this))
    , m_connectionBar(new ConnectionBar(this))
    , m_tabs(new QTabWidget(this))
    , m_connectionSummary(new QLabel(this))
    , m_exporter(new ExportController(this))
    , m_environment(Environment::system())
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Pagewise"));
    m_connectionError.kind = AwsError::Kind::Configuration;
    m_connectionError.code = QStringLiteral("NotConnected");
    m_connectionError.message = tr("No connection yet: choose a profile and region, then Connect.");

    m_demoBanner->setObjectName(QStringLiteral("demoBanner"));
    m_demoBanner->setWordWrap(true);
    m_demoBanner->setStyleSheet(
        QStringLiteral("QLabel { background: #dbeafe; color: #1e3a8a; border: 1px solid #93c5fd;"
                       " border-radius: 3px; padding: 4px 8px; }"));
    m_demoBanner->hide();

    m_tabs->setObjectName(QStringLiteral("kinds"));
    m_tabs->setDocumentMode(true);
    for (const ResourceKind &kind : resourceKinds()) {
        const ResourceKind *k = &kind;
        auto factory = [this, k](const ListQuery &query) -> std::unique_ptr<PageFetcher> {
            if (!m_client)
                return std::make_unique<UnavailableFetcher>(m_connectionError);
            return std::make_unique<Paginator>(m_client.get(), *k, query);
        };
        auto *view = new ResourceView(kind, factory, m_tabs);
        m_views << view;
        m_tabs->addTab(view, withMnemonic(kind.title));
        m_tabs->setTabToolTip(m_tabs->count() - 1, tr("%1 (%2)").arg(kind.title, kind.operation.cli));
        connect(view, &ResourceView::statusMessage, this, &MainWindow::showMessage);
        connect(view, &ResourceView::selectionChanged, this, &MainWindow::updateActions);
        connect(view->model(), &ResourceTableModel::stateChanged, this, &MainWindow::updateActions);
    }

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->setSpacing(4);
    layout->addWidget(m_demoBanner);
    layout->addWidget(m_connectionBar);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_connectionSummary->setObjectName(QStringLiteral("connectionSummary"));
    m_connectionSummary->setTextFormat(Qt::PlainText);
    statusBar()->addPermanentWidget(m_connectionSummary);

    buildActions();
    buildMenus();
    for (ResourceView *view : std::as_const(m_views))
        view->setContextActions({m_exportSelected, m_copyRows, nullptr, m_exportLoaded, m_exportAll});

    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::handleCurrentTabChanged);
    connect(m_connectionBar, &ConnectionBar::connectRequested, this,
        [this](const ConnectionOptions &options) { connectWith(options, m_environment); });
    connect(m_exporter, &ExportController::statusMessage, this, &MainWindow::showMessage);

    resize(1400, 900);
    updateActions();
}

MainWindow::~MainWindow()
{
    // Views (and their paginators) go before the client they send through.
    for (ResourceView *view : std::as_const(m_views))
        delete view;
    m_views.clear();
}

void MainWindow::buildActions()
{
    auto make = [this](const QString &name, const QString &text, const QKeySequence &key, QStyle::StandardPixmap icon,
                    auto slot) {
        auto *action = new QAction(style()->standardIcon(icon), text, this);
        action->setObjectName(name);
        if (!key.isEmpty())
            action->setShortcut(key);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    m_exportSelected = make(QStringLiteral("exportSelected"), tr("&Export selected rows…"),
        QKeySequence(Qt::CTRL | Qt::Key_E), QStyle::SP_DialogSaveButton,
        [this] { m_exporter->exportFromView(currentView(), ExportOptions::Scope::Selected); });
    m_exportLoaded
        = make(QStringLiteral("exportLoaded"), tr("Export all &loaded rows…"), {}, QStyle::SP_DialogSaveButton,
            [this] { m_exporter->exportFromView(currentView(), ExportOptions::Scope::Shown); });
    m_exportAll = make(QStringLiteral("exportAll"), tr("Export all &matching…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), QStyle::SP_DialogSaveButton,
        [this] { m_exporter->exportFromView(currentView(), ExportOptions::Scope::AllMatching); });
    m_copyRows = make(QStringLiteral("copyRows"), tr("&Copy selected rows"), QKeySequence::Copy,
        QStyle::SP_FileDialogDetailedView, [this] { m_exporter->copySelection(currentView()); });
    m_copyToken
        = make(QStringLiteral("copyToken"), tr("Copy resume &token"), {}, QStyle::SP_FileDialogInfoView, [this] {
              ResourceView *view = currentView();
              const QString token = view ? view->model()->resumeToken() : QString();
              if (token.isEmpty()) {
                  showMessage(tr("No resume token: the listing is complete or has not started"));
                  return;
              }
              QGuiApplication::clipboard()->setText(token);
              showMessage(tr("Resume token copied (use with --starting-token)"));
          });
    m_focusFilter = make(QStringLiteral("focusFilter"), tr("&Find (focus the filter)"), QKeySequence::Find,
        QStyle::SP_FileDialogContentsView, [this] {
            if (ResourceView *view = currentView())
                view->focusFilter();
        });
    m_reload
        = make(QStringLiteral("reload"), tr("&Reload"), QKeySequence(Qt::Key_F5), QStyle::SP_BrowserReload, [this] {
              if (ResourceView *view = currentView())
                  view->apply();
          });
    m_loadMore = make(
        QStringLiteral("loadMore"), tr("Load &more"), QKeySequence(Qt::CTRL | Qt::Key_M), QStyle::SP_ArrowDown, [this] {
            if (ResourceView *view = currentView())
                view->loadMore();
        });
    m_loadAll = make(QStringLiteral("loadAll"), tr("Load &all"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M),
        QStyle::SP_MediaSeekForward, [this] {
            if (ResourceView *view = currentView())
                view->loadAll();
        });
    m_cancel = make(QStringLiteral("cancelLoading"), tr("&Cancel loading"), QKeySequence(Qt::Key_Escape),
        QStyle::SP_BrowserStop, [this] {
            if (ResourceView *view = currentView())
                view->cancelLoading();
        });
    m_quit = make(
        QStringLiteral("quit"), tr("&Quit"), QKeySequence::Quit, QStyle::SP_DialogCloseButton, [this] { close(); });
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_exportSelected);
    file->addAction(m_exportLoaded);
    file->addAction(m_exportAll);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_copyRows);
    edit->addAction(m_copyToken);
    edit->addSeparator();
    edit->addAction(m_focusFilter);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_reload);
    view->addAction(m_loadMore);
    view->addAction(m_loadAll);
    view->addAction(m_cancel);
    view->addSeparator();
    // The header's context menu, reachable from the keyboard too.
    QMenu *columns = view->addMenu(tr("C&olumns"));
    connect(columns, &QMenu::aboutToShow, this, [this, columns] {
        columns->clear();
        if (ResourceView *current = currentView())
            current->fillColumnsMenu(columns);
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    help->addAction(tr("&About Pagewise"), this, [this] {
        QMessageBox::about(this, tr("About Pagewise"),
            tr("<b>Pagewise</b> %1<p>Browse, filter, sort and export SageMaker images, Personalize "
               "datasets and Deadline Cloud sessions, page by page.</p>")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::connectWith(const ConnectionOptions &options, const Environment &environment)
{
    m_environment = environment;
    const Result<Connection> resolved = resolveConnection(options, environment);
    // Paginators of the old client are dropped by the relists below before the client goes.
    std::unique_ptr<AwsClient> old = std::move(m_client);
    if (!resolved.ok()) {
        m_connectionError = resolved.error();
        m_connectionBar->showError(resolved.error().message);
        m_connectionSummary->setText(tr("Not connected"));
    } else {
        const Connection &connection = resolved.value();
        m_client = std::make_unique<AwsClient>(connection);
        QList<QUrl> endpoints;
        for (const ResourceKind &kind : resourceKinds()) {
            const Result<QUrl> url = connection.endpointFor(kind);
            if (url.ok())
                endpoints << url.value();
        }
        m_connectionBar->showConnection(connection, endpoints);
        QString summary = tr("%1 · %2").arg(
            m_demo ? tr("demo emulator") : tr("profile %1").arg(connection.profile), connection.region);
        if (!options.endpointUrl.isEmpty()) {
            const QString endpoint = ConnectionBar::savableEndpoint(options.endpointUrl);
            summary += endpoint.isEmpty() ? tr(" · endpoint URL not valid") : tr(" · %1").arg(endpoint);
        }
        m_connectionSummary->setText(summary);
    }
    for (ResourceView *view : std::as_const(m_views)) {
        if (view->hasListed())
            view->relist();
    }
    old.reset();
    if (ResourceView *view = currentView())
        view->activate();
    updateActions();
}

void MainWindow::enterDemo(const DemoBackend &demo)
{
    m_demo = true;
    restoreSettings();
    const EmulatorCatalog &catalog = demo.catalog();
    m_demoBanner->setText(tr("<b>Demo data.</b> A built-in emulator at %1 serves %2 images, %3 datasets and %4 "
                             "sessions (generated, seed %5). Nothing here reaches AWS; run without --demo to use your "
                             "own account.")
                              .arg(demo.url().toString(), QLocale().toString(catalog.images),
                                  QLocale().toString(catalog.datasets), QLocale().toString(catalog.sessions))
                              .arg(catalog.seed));
    m_demoBanner->show();
    setWindowTitle(tr("Pagewise — demo data"));

    // Suggestions for the ID parameters, from what the emulator seeded.
    QStringList farms, queues, jobs, groups;
    const EmulatorCatalog::Job *busiest = nullptr;
    QString busiestFarm, busiestQueue;
    for (const EmulatorCatalog::Farm &farm : catalog.farms) {
        farms << farm.farmId;
        for (const EmulatorCatalog::Queue &queue : farm.queues) {
            queues << queue.queueId;
            for (const EmulatorCatalog::Job &job : queue.jobs) {
                jobs << job.jobId;
                if (!busiest || job.sessions > busiest->sessions) {
                    busiest = &job;
                    busiestFarm = farm.farmId;
                    busiestQueue = queue.queueId;
                }
            }
        }
    }
    for (const EmulatorCatalog::DatasetGroup &group : catalog.datasetGroups)
        groups << group.arn;
    // Children offered follow the parent entered: the queues of the chosen farm, the jobs of
    // the chosen queue.
    QHash<QString, QStringList> queuesOfFarm, jobsOfQueue;
    for (const EmulatorCatalog::Farm &farm : catalog.farms) {
        for (const EmulatorCatalog::Queue &queue : farm.queues) {
            queuesOfFarm[farm.farmId] << queue.queueId;
            for (const EmulatorCatalog::Job &job : queue.jobs)
                jobsOfQueue[queue.queueId] << job.jobId;
        }
    }
    const QHash<QString, QStringList> suggestions
        = {{QStringLiteral("farmId"), farms}, {QStringLiteral("queueId"), queues}, {QStringLiteral("jobId"), jobs},
            {QStringLiteral("datasetGroupArn"), groups}};
    for (ResourceView *view : std::as_const(m_views)) {
        for (const FilterSpec &filter : view->kind().filters) {
            if (suggestions.contains(filter.parameter))
                view->filterPanel()->setSuggestions(filter.parameter, suggestions.value(filter.parameter));
        }
        FilterPanel *panel = view->filterPanel();
        connect(panel, &FilterPanel::parameterEdited, this,
            [panel, queuesOfFarm, jobsOfQueue, queues, jobs](const QString &parameter, const QString &text) {
                if (parameter == QLatin1String("farmId"))
                    panel->setSuggestions(QStringLiteral("queueId"), queuesOfFarm.value(text, queues));
                else if (parameter == QLatin1String("queueId"))
                    panel->setSuggestions(QStringLiteral("jobId"), jobsOfQueue.value(text, jobs));
            });
        // Start every required parameter with a real parent from the catalog, so the first
        // view shows rows.
        if (busiest) {
            ListQuery query = view->filterPanel()->query();
            const QHash<QString, QString> start = {{QStringLiteral("farmId"), busiestFarm},
                {QStringLiteral("queueId"), busiestQueue}, {QStringLiteral("jobId"), busiest->jobId}};
            bool changed = false;
            for (const FilterSpec &filter : view->kind().filters) {
                if (filter.required && start.contains(filter.parameter)) {
                    query.parameters.insert(filter.parameter, start.value(filter.parameter));
                    changed = true;
                }
            }
            if (changed)
                view->filterPanel()->setQuery(query);
        }
    }

    ConnectionOptions options = demo.connectionOptions();
    m_connectionBar->setOptions(options);
    m_connectionBar->setLocked(true, tr("Demo mode: connected to the built-in emulator"));
    connectWith(options, DemoBackend::isolatedEnvironment());
}

ResourceView *MainWindow::view(const QString &kindId) const
{
    for (ResourceView *view : m_views) {
        if (view->kind().id == kindId)
            return view;
    }
    return nullptr;
}

ResourceView *MainWindow::currentView() const
{
    return qobject_cast<ResourceView *>(m_tabs->currentWidget());
}

void MainWindow::showKind(const QString &kindId)
{
    if (ResourceView *v = view(kindId))
        m_tabs->setCurrentWidget(v);
}

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

QString MainWindow::settingsPrefix() const
{
    return m_demo ? QStringLiteral("demo/") : QString();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(settingsPrefix() + QStringLiteral("window"));
    const QByteArray geometry = settings.value(QStringLiteral("geometry")).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry))
        resize(1400, 900);
    restoreState(settings.value(QStringLiteral("state")).toByteArray());
    const QString current = settings.value(QStringLiteral("currentKind")).toString();
    settings.endGroup();
    for (ResourceView *view : std::as_const(m_views)) {
        settings.beginGroup(settingsPrefix() + QStringLiteral("views/") + view->kind().id);
        view->restoreSettings(settings);
        settings.endGroup();
    }
    if (!current.isEmpty()) {
        const QSignalBlocker blocker(m_tabs);
        showKind(current);
    }
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(settingsPrefix() + QStringLiteral("window"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    if (ResourceView *view = currentView())
        settings.setValue(QStringLiteral("currentKind"), view->kind().id);
    settings.endGroup();
    for (ResourceView *view : m_views) {
        settings.beginGroup(settingsPrefix() + QStringLiteral("views/") + view->kind().id);
        view->saveSettings(settings);
        settings.endGroup();
    }
    if (!m_demo) {
        // Names only: credentials are never stored, nor whatever of the endpoint URL may carry one.
        const ConnectionOptions options = m_connectionBar->options();
        settings.beginGroup(QStringLiteral("connection"));
        settings.setValue(QStringLiteral("profile"), options.profile);
        settings.setValue(QStringLiteral("region"), options.region);
        settings.setValue(QStringLiteral("endpointUrl"), ConnectionBar::savableEndpoint(options.endpointUrl));
        settings.endGroup();
    }
}

ConnectionOptions MainWindow::savedConnectionOptions()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("connection"));
    ConnectionOptions options;
    options.profile = settings.value(QStringLiteral("profile")).toString();
    options.region = settings.value(QStringLiteral("region")).toString();
    // Settings written before endpoints were cleaned may still hold a typed URL whole.
    options.endpointUrl = ConnectionBar::savableEndpoint(settings.value(QStringLiteral("endpointUrl")).toString());
    return options;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_exporter->cancel();
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::handleCurrentTabChanged()
{
    if (ResourceView *view = currentView())
        view->activate();
    updateActions();
}

void MainWindow::updateActions()
{
    ResourceView *view = currentView();
    const bool selection = view && view->table()->selectionModel()->hasSelection();
    const bool rows = view && view->model()->rowCount() > 0;
    m_exportSelected->setEnabled(selection);
    m_copyRows->setEnabled(selection);
    m_exportLoaded->setEnabled(rows);
    m_exportAll->setEnabled(view && view->hasListed());
    m_loadMore->setEnabled(view && view->model()->hasMore());
    m_loadAll->setEnabled(view && view->model()->hasMore() && !view->model()->isLoadingAll());
    m_cancel->setEnabled(view && view->isBusy());
    m_copyToken->setEnabled(view && !view->model()->resumeToken().isEmpty());
}

void MainWindow::showMessage(const QString &text)
{
    statusBar()->showMessage(text, messageTimeoutMs);
}

void MainWindow::showShortcuts()
{
    const QList<QAction *> actions
        = {m_focusFilter, m_reload, m_loadMore, m_loadAll, m_cancel, m_copyRows, m_exportSelected, m_exportAll, m_quit};
    QString rows;
    for (QAction *action : actions) {
        rows += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                        QString(action->text()).remove(QLatin1Char('&')).toHtmlEscaped());
    }
    rows += tr("<tr><td><b>Enter</b></td><td>Apply the filters</td></tr>"
               "<tr><td><b>Alt+I / Alt+D / Alt+S</b></td><td>Images, Datasets, Sessions</td></tr>"
               "<tr><td><b>Ctrl+Tab</b></td><td>Next tab</td></tr>");
    QMessageBox::information(
        this, tr("Keyboard shortcuts"), QStringLiteral("<table cellspacing=6>%1</table>").arg(rows));
}

} // namespace pagewise
