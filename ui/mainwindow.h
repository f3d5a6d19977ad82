#pragma once

#include "aws/config/connection.h"
#include "core/awserror.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QLabel;
class QTabWidget;

namespace pagewise
{

class AwsClient;
class ConnectionBar;
class DemoBackend;
class ExportController;
class ResourceView;

/// The Pagewise window: a connection bar, one tab per resource kind (filters, table, detail
/// pane), export and copy, and the keyboard shortcuts that reach all of it.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Resolves the connection (profile, region, endpoint, credentials chain) and lists again
    /// in every view that has listed; errors are shown in the connection bar, in words.
    void connectWith(const ConnectionOptions &options, const Environment &environment = Environment::system());
    /// Demo mode: a banner, the connection fixed to the built-in emulator, the catalog's IDs
    /// offered in the ID fields and the first farm/queue/job filled in. Call before show().
    void enterDemo(const DemoBackend &demo);
    bool isDemo() const { return m_demo; }

    ResourceView *view(const QString &kindId) const;
    ResourceView *currentView() const;
    void showKind(const QString &kindId);
    QTabWidget *tabs() const { return m_tabs; }
    ConnectionBar *connectionBar() const { return m_connectionBar; }
    ExportController *exporter() const { return m_exporter; }
    bool hasConnection() const { return m_client != nullptr; }
    QAction *action(const QString &objectName) const;

    /// Window geometry, splitters, column layouts, filters, profile and region (never secrets).
    /// Demo mode keeps its own group, so demo IDs never replace the user's real filters.
    void restoreSettings();
    void saveSettings() const;
    /// The profile/region/endpoint remembered from the last session (empty when none).
    static ConnectionOptions savedConnectionOptions();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildMenus();
    void handleCurrentTabChanged();
    void updateActions();
    void showMessage(const QString &text);
    void showShortcuts();
    QString settingsPrefix() const;

    // Declaration order is creation order, and so the keyboard's tab order: banner, connection
    // bar, then the views.
    QLabel *m_demoBanner = nullptr;
    ConnectionBar *m_connectionBar = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_connectionSummary = nullptr;
    ExportController *m_exporter = nullptr;
    QList<ResourceView *> m_views;
    std::unique_ptr<AwsClient> m_client;
    AwsError m_connectionError;
    bool m_demo = false;
    Environment m_environment;

    QAction *m_exportSelected = nullptr;
    QAction *m_exportLoaded = nullptr;
    QAction *m_exportAll = nullptr;
    QAction *m_copyRows = nullptr;
    QAction *m_focusFilter = nullptr;
    QAction *m_reload = nullptr;
    QAction *m_loadMore = nullptr;
    QAction *m_loadAll = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_copyToken = nullptr;
    QAction *m_quit = nullptr;
};

} // namespace pagewise
