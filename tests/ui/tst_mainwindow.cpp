#include "ui/connectionbar.h"
#include "ui/errorbanner.h"
#include "ui/exportdialog.h"
#include "ui/filterpanel.h"
#include "ui/mainwindow.h"
#include "ui/resourceview.h"
#include "uitesthelpers.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QSpinBox>
#include <QTableView>
#include <QTabWidget>
#include <QTest>

using namespace pagewise;
using uitest::isIdle;

namespace
{

QByteArray settingsFileContents()
{
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void demoShowsRowsInEveryView();
    void demoSuggestsTheCatalogIds();
    void keyboardReachesTheMainActions();
    void escapeCancelsLoadingAndKeepsRows();
    void layoutAndFiltersAreRememberedPerKind();
    void settingsNeverHoldSecrets();
    void endpointIsSavedWithoutWhatCarriesSecrets_data();
    void endpointIsSavedWithoutWhatCarriesSecrets();
    void connectionErrorsAreShownInWords();
    void plainHttpEndpointElsewhereIsFlagged();
    void switchingConnectionListsAgain();
    void firstRequestAsksForFullPages();
    void sortIsRememberedPerKind_data();
    void sortIsRememberedPerKind();

private:
    std::unique_ptr<MainWindow> demoWindow();

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_homeDir;
    uitest::EmulatorFixture m_emulator;
};

void tst_MainWindow::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QVERIFY(m_homeDir.isValid());
    uitest::useTemporarySettings(m_settingsDir);
    QString error;
    QVERIFY2(m_emulator.start(&error), qPrintable(error));
}

void tst_MainWindow::init()
{
    QSettings().clear();
    m_emulator.reset();
}

std::unique_ptr<MainWindow> tst_MainWindow::demoWindow()
{
    auto window = std::make_unique<MainWindow>();
    window->enterDemo(m_emulator.backend());
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    return window;
}

void tst_MainWindow::demoShowsRowsInEveryView()
{
    auto window = demoWindow();
    QVERIFY(window);
    auto *banner = window->findChild<QLabel *>(QStringLiteral("demoBanner"));
    QVERIFY(banner && banner->isVisible());
    QVERIFY(banner->text().contains(QStringLiteral("Demo data")));
    QVERIFY(window->connectionBar()->credentialsText().contains(QStringLiteral("AKID…MPLE")));
    QVERIFY(window->connectionBar()->warningText().isEmpty()); // loopback

    for (const ResourceKind &kind : resourceKinds()) {
        window->showKind(kind.id);
        ResourceView *view = window->view(kind.id);
        QCOMPARE(window->currentView(), view);
        QTRY_VERIFY2(view->model()->rowCount() > 0, qPrintable(kind.id));
    }
    // The sessions view started from a real farm/queue/job of the catalog.
    const QString farm = window->view(QStringLiteral("sessions"))
                             ->filterPanel()
                             ->query()
                             .parameters.value(QStringLiteral("farmId"))
                             .toString();
    bool known = false;
    for (const auto &f : m_emulator.backend().catalog().farms)
        known = known || f.farmId == farm;
    QVERIFY2(known, qPrintable(farm));
    // Every request the window sent was signed with the emulator's example key.
    for (const EmulatorRequestLogEntry &entry : m_emulator.emulator()->requestLog())
        QCOMPARE(entry.accessKeyId, QByteArray("AKIDEXAMPLE"));
}

void tst_MainWindow::demoSuggestsTheCatalogIds()
{
    auto window = demoWindow();
    QVERIFY(window);
    FilterPanel *panel = window->view(QStringLiteral("sessions"))->filterPanel();
    auto *farm = qobject_cast<QComboBox *>(panel->editorFor(QStringLiteral("farmId")));
    auto *queue = qobject_cast<QComboBox *>(panel->editorFor(QStringLiteral("queueId")));
    const EmulatorCatalog &catalog = m_emulator.backend().catalog();
    QCOMPARE(farm->count(), catalog.farms.size());
    for (const auto &f : catalog.farms) {
        farm->setEditText(f.farmId);
        QStringList expected;
        for (const auto &q : f.queues)
            expected << q.queueId;
        QStringList offered;
        for (int i = 0; i < queue->count(); ++i)
            offered << queue->itemText(i);
        QCOMPARE(offered, expected);
    }
    auto *group = qobject_cast<QComboBox *>(
        window->view(QStringLiteral("datasets"))->filterPanel()->editorFor(QStringLiteral("datasetGroupArn")));
    QCOMPARE(group->count(), catalog.datasetGroups.size());
    QCOMPARE(group->itemText(0), catalog.datasetGroups.first().arn);
}

void tst_MainWindow::keyboardReachesTheMainActions()
{
    auto window = demoWindow();
    QVERIFY(window);
    window->showKind(QStringLiteral("datasets"));
    ResourceView *view = window->currentView();
    QTRY_VERIFY(view->model()->rowCount() > 3 && isIdle(view));

    // Ctrl+F: into the filter
    QTest::keyClick(window.get(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(view->filterPanel()->isAncestorOf(QApplication::focusWidget()));

    // F5: lists again
    m_emulator.emulator()->clearRequestLog();
    view->table()->setFocus();
    QTest::keyClick(view->table(), Qt::Key_F5);
    QTRY_VERIFY(!m_emulator.requests(QStringLiteral("ListDatasets")).isEmpty());
    QTRY_VERIFY(view->model()->rowCount() > 3 && isIdle(view));

    // Ctrl+C: the selected rows, tab-separated and as CSV
    view->table()->setFocus();
    view->table()->selectRow(1);
    QTest::keyClick(view->table(), Qt::Key_C, Qt::ControlModifier);
    const QList<QStringList> rows = uitest::parseCsv(
        QString::fromUtf8(QGuiApplication::clipboard()->mimeData()->data(QStringLiteral("text/csv"))));
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.first(), view->visibleMembers());
    QCOMPARE(QGuiApplication::clipboard()->text().section(QLatin1Char('\n'), 0, 0).split(QLatin1Char('\t')),
        view->visibleMembers());

    // Ctrl+E: the export dialog, on the selected rows
    QTest::keyClick(view->table(), Qt::Key_E, Qt::ControlModifier);
    ExportDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window->findChild<ExportDialog *>()) && dialog->isVisible());
    QCOMPARE(dialog->options().scope, ExportOptions::Scope::Selected);
    dialog->reject();

    // Tabs have mnemonics.
    for (int i = 0; i < window->tabs()->count(); ++i)
        QVERIFY(window->tabs()->tabText(i).startsWith(QLatin1Char('&')));
}

void tst_MainWindow::escapeCancelsLoadingAndKeepsRows()
{
    auto window = demoWindow();
    QVERIFY(window);
    ResourceView *view = window->view(QStringLiteral("images"));
    window->showKind(QStringLiteral("images"));
    QTRY_VERIFY(view->model()->rowCount() > 0 && isIdle(view));
    const int rows = view->model()->rowCount();

    EmulatorFaults slow;
    slow.latencyMs = 2000;
    m_emulator.emulator()->setFaults(slow);
    view->loadAll();
    QTRY_VERIFY(view->isBusy());
    QTest::keyClick(view->table(), Qt::Key_Escape);
    QTRY_VERIFY(!view->isBusy());
    QCOMPARE(view->model()->rowCount(), rows);
    QVERIFY(view->model()->hasMore());
    m_emulator.emulator()->setFaults({});
}

void tst_MainWindow::layoutAndFiltersAreRememberedPerKind()
{
    const ResourceKind &images = *findResourceKind(QStringLiteral("images"));
    const int description = images.columnIndex(QStringLiteral("Description"));
    const int name = images.columnIndex(QStringLiteral("ImageName"));
    {
        auto window = demoWindow();
        QVERIFY(window);
        ResourceView *view = window->view(QStringLiteral("images"));
        QTRY_VERIFY(view->table()->horizontalHeader()->count() > 0);
        QHeaderView *header = view->table()->horizontalHeader();
        header->setSectionHidden(description, true);
        header->resizeSection(name, 345);
        header->moveSection(header->visualIndex(name), 3);
        window->showKind(QStringLiteral("datasets"));
        QTest::keyClicks(window->view(QStringLiteral("datasets"))
                             ->filterPanel()
                             ->findChild<QLineEdit *>(QStringLiteral("local_name")),
            QStringLiteral("retail"));
        window->close(); // saves
    }
    auto window = demoWindow();
    QVERIFY(window);
    QCOMPARE(window->currentView()->kind().id, QStringLiteral("datasets"));
    ResourceView *view = window->view(QStringLiteral("images"));
    window->showKind(QStringLiteral("images"));
    QTRY_VERIFY(view->table()->horizontalHeader()->count() > 0);
    QHeaderView *header = view->table()->horizontalHeader();
    QVERIFY(header->isSectionHidden(description));
    QCOMPARE(header->sectionSize(name), 345);
    QCOMPARE(header->visualIndex(name), 3);
    const auto *local
        = window->view(QStringLiteral("datasets"))->filterPanel()->findChild<QLineEdit *>(QStringLiteral("local_name"));
    QCOMPARE(local->text(), QStringLiteral("retail"));
    // Each kind keeps its own layout.
    QVERIFY(!window->view(QStringLiteral("datasets"))->table()->horizontalHeader()->isSectionHidden(0));
}

void tst_MainWindow::settingsNeverHoldSecrets()
{
    ConnectionOptions options = m_emulator.backend().connectionOptions();
    {
        MainWindow window;
        window.connectionBar()->setOptions(options);
        window.connectWith(options, DemoBackend::isolatedEnvironment());
        window.show();
        QTRY_VERIFY(window.currentView()->model()->rowCount() > 0);
        window.close();
    }
    const QByteArray stored = settingsFileContents();
    QVERIFY(!stored.isEmpty());
    QVERIFY(!stored.contains(options.credentials->secretAccessKey.toUtf8()));
    QVERIFY(!stored.contains("secret"));
    const ConnectionOptions saved = MainWindow::savedConnectionOptions();
    QCOMPARE(saved.region, QStringLiteral("us-east-1"));
    QCOMPARE(saved.endpointUrl, options.endpointUrl);
    QVERIFY(!saved.credentials);
}

void tst_MainWindow::endpointIsSavedWithoutWhatCarriesSecrets_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("saved");
    QTest::addColumn<QStringList>("secrets");
    const QString token = QStringLiteral("FwoGZXIvYXdzEJr0EXAMPLETOKENxyz");
    QTest::addRow("user, password and a token in the query")
        << QStringLiteral("https://alice:s3cr3t-pass@sagemaker.example.com:8443/?X-Amz-Security-Token=") + token
        << QStringLiteral("https://sagemaker.example.com:8443")
        << QStringList {
               QStringLiteral("alice"), QStringLiteral("s3cr3t-pass"), token, QStringLiteral("X-Amz-Security-Token")};
    QTest::addRow("a fragment") << QStringLiteral("http://127.0.0.1:4566/#key=abc123")
                                << QStringLiteral("http://127.0.0.1:4566") << QStringList {QStringLiteral("abc123")};
    QTest::addRow("a path is part of the endpoint")
        << QStringLiteral("http://localhost:4566/emulator/") << QStringLiteral("http://localhost:4566/emulator")
        << QStringList();
    QTest::addRow("a secret key pasted into the field") << QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
                                                        << QString() << QStringList {QStringLiteral("wJalrXUtnFEMI")};
    QTest::addRow("a key in the path") << QStringLiteral(
        "https://proxy.example.com/wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY")
                                       << QString() << QStringList {QStringLiteral("wJalrXUtnFEMI")};
}

void tst_MainWindow::endpointIsSavedWithoutWhatCarriesSecrets()
{
    QFETCH(QString, typed);
    QFETCH(QString, saved);
    QFETCH(QStringList, secrets);
    {
        // Given an endpoint typed into the bar (the connection it makes does not matter)
        MainWindow window;
        ConnectionOptions options;
        options.profile = QStringLiteral("dev");
        options.region = QStringLiteral("eu-west-1");
        options.endpointUrl = typed;
        window.connectionBar()->setOptions(options);
        QCOMPARE(window.connectionBar()->options().endpointUrl, typed);
        // When the window saves its settings
        window.saveSettings();
    }
    // Then the settings file keeps the endpoint, and nothing that may be a secret
    const QByteArray stored = settingsFileContents();
    QVERIFY(stored.contains("eu-west-1"));
    for (const QString &secret : std::as_const(secrets))
        QVERIFY2(!stored.contains(secret.toUtf8()), qPrintable(secret));
    QCOMPARE(MainWindow::savedConnectionOptions().endpointUrl, saved);
}

void tst_MainWindow::connectionErrorsAreShownInWords()
{
    Environment environment;
    environment.homeDir = m_homeDir.path(); // no ~/.aws files at all
    MainWindow window;
    window.show();
    ConnectionOptions options;
    options.profile = QStringLiteral("no-such-profile");
    options.region = QStringLiteral("us-east-1");
    window.connectWith(options, environment);
    QVERIFY(!window.hasConnection());
    const QString error = window.connectionBar()->errorText();
    QVERIFY2(error.contains(QStringLiteral("no-such-profile")), qPrintable(error));
    // The view says so too, with Retry, instead of sending anything.
    ResourceView *view = window.currentView();
    QTRY_VERIFY(!view->errorBanner()->text().isEmpty());
    QVERIFY(m_emulator.emulator()->requestLog().isEmpty());
}

void tst_MainWindow::plainHttpEndpointElsewhereIsFlagged()
{
    MainWindow window;
    // The sessions view lists nothing until its IDs are entered, so nothing is sent anywhere.
    window.showKind(QStringLiteral("sessions"));
    window.show();
    ConnectionOptions options = m_emulator.backend().connectionOptions();
    options.endpointUrl = QStringLiteral("http://192.0.2.10:4566");
    window.connectWith(options, DemoBackend::isolatedEnvironment());
    QVERIFY(window.hasConnection());
    QVERIFY(window.connectionBar()->warningText().contains(QStringLiteral("192.0.2.10")));
    QVERIFY(!window.view(QStringLiteral("sessions"))->hasListed());
}

void tst_MainWindow::switchingConnectionListsAgain()
{
    MainWindow window;
    window.show();
    const ConnectionOptions options = m_emulator.backend().connectionOptions();
    window.connectWith(options, DemoBackend::isolatedEnvironment());
    ResourceView *view = window.currentView();
    QTRY_VERIFY(view->model()->rowCount() > 0 && isIdle(view));
    m_emulator.emulator()->clearRequestLog();
    const quint64 generation = view->model()->generation();

    window.connectWith(options, DemoBackend::isolatedEnvironment());
    QTRY_VERIFY(!m_emulator.emulator()->requestLog().isEmpty());
    QVERIFY(view->model()->generation() > generation);
    QTRY_VERIFY(view->model()->rowCount() > 0 && isIdle(view));
}

void tst_MainWindow::firstRequestAsksForFullPages()
{
    const ResourceKind &images = *findResourceKind(QStringLiteral("images"));
    QVERIFY(images.pagination.maxPageSize > images.pagination.defaultPageSize);
    const QString limitKey = images.pagination.limitKey;
    {
        // A fresh window lists with the largest page the API allows
        auto window = demoWindow();
        QVERIFY(window);
        QTRY_VERIFY(!m_emulator.requests(images.operation.name).isEmpty());
        const QVariantMap first = m_emulator.requests(images.operation.name).first().parameters;
        QCOMPARE(first.value(limitKey).toInt(), images.pagination.maxPageSize);
        QTRY_VERIFY(isIdle(window->view(images.id)));
        QCOMPARE(window->view(images.id)->model()->rowCount(), images.pagination.maxPageSize);
        // unless the user chooses the service's default
        auto *pageSize
            = qobject_cast<QSpinBox *>(window->view(images.id)->filterPanel()->editorFor(QStringLiteral("PageSize")));
        pageSize->setValue(0);
        window->close();
    }
    m_emulator.emulator()->clearRequestLog();
    auto window = demoWindow();
    QVERIFY(window);
    QTRY_VERIFY(!m_emulator.requests(images.operation.name).isEmpty());
    QVERIFY(!m_emulator.requests(images.operation.name).first().parameters.contains(limitKey));
}

void tst_MainWindow::sortIsRememberedPerKind_data()
{
    QTest::addColumn<QString>("member");
    QTest::addColumn<Qt::SortOrder>("order");
    QTest::addColumn<ResourceSortFilterProxyModel::SortScope>("scope");
    QTest::addRow("by name, on the server")
        << QStringLiteral("ImageName") << Qt::DescendingOrder << ResourceSortFilterProxyModel::SortScope::Server;
    QTest::addRow("by status, over the loaded rows")
        << QStringLiteral("ImageStatus") << Qt::DescendingOrder << ResourceSortFilterProxyModel::SortScope::Local;
}

void tst_MainWindow::sortIsRememberedPerKind()
{
    QFETCH(QString, member);
    QFETCH(Qt::SortOrder, order);
    QFETCH(ResourceSortFilterProxyModel::SortScope, scope);
    const ResourceKind &images = *findResourceKind(QStringLiteral("images"));
    const int column = images.columnIndex(member);
    {
        // Given a sort chosen in the images view
        auto window = demoWindow();
        QVERIFY(window);
        ResourceView *view = window->view(images.id);
        QTRY_VERIFY(view->model()->rowCount() > 0 && isIdle(view));
        view->table()->sortByColumn(column, order);
        QTRY_VERIFY(view->proxy()->sortScope() == scope && isIdle(view));
        QCOMPARE(view->proxy()->sortColumn(), column);
        // When the window closes (and saves)
        window->close();
    }
    m_emulator.emulator()->clearRequestLog();
    // Then a new window sorts the same way from its first request on
    auto window = demoWindow();
    QVERIFY(window);
    ResourceView *view = window->view(images.id);
    QTRY_VERIFY(!m_emulator.requests(images.operation.name).isEmpty());
    const QVariantMap first = m_emulator.requests(images.operation.name).first().parameters;
    const ServerSortSpec &spec = *images.serverSort;
    if (scope == ResourceSortFilterProxyModel::SortScope::Server) {
        QCOMPARE(first.value(spec.sortByParameter).toString(), spec.forColumn(member)->value);
        QCOMPARE(first.value(spec.sortOrderParameter).toString(), spec.descending);
    } else {
        QVERIFY(!first.contains(spec.sortByParameter));
    }
    QTRY_VERIFY(view->model()->rowCount() > 0 && isIdle(view));
    QCOMPARE(view->proxy()->sortScope(), scope);
    QCOMPARE(view->proxy()->sortColumn(), column);
    QCOMPARE(view->proxy()->sortOrder(), order);
    QCOMPARE(view->table()->horizontalHeader()->sortIndicatorSection(), column);
    QCOMPARE(view->table()->horizontalHeader()->sortIndicatorOrder(), order);
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
