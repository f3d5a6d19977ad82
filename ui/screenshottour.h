#pragma once

#include <QDir>
#include <QObject>

#include <functional>

namespace pagewise
{

class MainWindow;
class ResourceView;

/// For README screenshots (`pagewise --demo --screenshot DIR`): shows each tab, waits for its
/// first rows, prepares a typical state (a selection, a local sort or filter), grabs the window
/// into DIR/<kind>.png, then the export dialog into DIR/export-dialog.png, and quits.
class ScreenshotTour final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScreenshotTour)
public:
    ScreenshotTour(MainWindow *window, const QString &directory, QObject *parent = nullptr);

    void start();

signals:
    void finished(bool ok);

private:
    struct Shot {
        QString kindId;
        std::function<void(ResourceView *)> prepare; ///< sort or filter
        int firstRow = 0, lastRow = 0; ///< then selected (after the local filter applied)
    };

    void next();
    void waitForRows(ResourceView *view, int attempt);
    void capture(ResourceView *view);
    void captureExportDialog();
    bool save(QWidget *widget, const QString &name);

    MainWindow *m_window;
    QDir m_directory;
    QList<Shot> m_shots;
    int m_index = -1;
    bool m_ok = true;
};

} // namespace pagewise
