// Entry point of `pagewise-gui`: the window and `pagewise --demo` (which `pagewise` hands over to
// it; see main.cpp).
#include "models/resourcetablemodel.h"
#include "ui/connectionbar.h"
#include "ui/demobackend.h"
#include "ui/mainwindow.h"
#include "ui/resourceview.h"
#include "ui/screenshottour.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>

#include <cstring>

namespace
{

struct Arguments {
    bool demo = false;
    pagewise::ConnectionOptions connection;
    bool connectionGiven = false;
    QString screenshotDirectory;
};

Arguments parseArguments(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Browse, filter, sort and export SageMaker images, Personalize datasets and Deadline Cloud "
                       "sessions.\n\nHeadless export: pagewise export <images|datasets|sessions> [options] "
                       "(see pagewise export --help)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
        QStringLiteral("Start the built-in emulator with generated data and connect to it "
                       "(nothing reaches AWS)."));
    const QCommandLineOption profile(QStringLiteral("profile"),
        QStringLiteral("Use this named profile from ~/.aws/config and ~/.aws/credentials."), QStringLiteral("name"));
    const QCommandLineOption region(
        QStringLiteral("region"), QStringLiteral("AWS region, e.g. us-east-1."), QStringLiteral("region"));
    const QCommandLineOption endpoint(QStringLiteral("endpoint-url"),
        QStringLiteral("Send every request to this URL instead of the AWS endpoints."), QStringLiteral("url"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Grab the window per tab into DIR, then quit."), QStringLiteral("dir"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({demo, profile, region, endpoint, screenshot});
    parser.process(app);

    Arguments arguments;
    arguments.demo = parser.isSet(demo);
    arguments.connection.profile = parser.value(profile);
    arguments.connection.region = parser.value(region);
    arguments.connection.endpointUrl = parser.value(endpoint);
    arguments.connectionGiven = parser.isSet(profile) || parser.isSet(region) || parser.isSet(endpoint);
    arguments.screenshotDirectory = parser.value(screenshot);
    return arguments;
}

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Pagewise"));
    QCoreApplication::setApplicationName(QStringLiteral("Pagewise"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PAGEWISE_VERSION));
}

/// --help and --version print and exit: they must work in a shell without a display too, where
/// creating a QApplication aborts.
bool onlyPrints(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        for (const char *option : {"-h", "--help", "-?", "--help-all", "-v", "--version"}) {
            if (std::strcmp(argv[i], option) == 0)
                return true;
        }
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    if (onlyPrints(argc, argv)) {
        QCoreApplication app(argc, argv);
        setApplicationNames();
        parseArguments(app); // exits
        return 0;
    }
    QApplication app(argc, argv);
    setApplicationNames();
    const Arguments arguments = parseArguments(app);

    pagewise::DemoBackend demo;
    if (arguments.demo) {
        QString error;
        if (!demo.start(&error)) {
            QTextStream(stderr) << "pagewise: cannot start the demo emulator: " << error << '\n';
            return 1;
        }
    }

    pagewise::MainWindow window;
    if (arguments.demo) {
        window.enterDemo(demo);
    } else {
        window.restoreSettings();
        window.connectionBar()->setProfiles(pagewise::availableProfiles());
        const pagewise::ConnectionOptions options
            = arguments.connectionGiven ? arguments.connection : pagewise::MainWindow::savedConnectionOptions();
        window.connectionBar()->setOptions(options);
        window.connectWith(options);
    }
    window.show();

    std::unique_ptr<pagewise::ScreenshotTour> tour;
    if (!arguments.screenshotDirectory.isEmpty()) {
        tour = std::make_unique<pagewise::ScreenshotTour>(&window, arguments.screenshotDirectory);
        QObject::connect(
            tour.get(), &pagewise::ScreenshotTour::finished, &app, [](bool ok) { QCoreApplication::exit(ok ? 0 : 1); });
        tour->start();
    }
    // For the benchmark: report when the Images view first shows rows, then quit.
    if (qEnvironmentVariableIntValue("PAGEWISE_EXIT_AFTER_FIRST_ROWS") == 1) {
        const pagewise::ResourceTableModel *images = window.view(QStringLiteral("images"))->model();
        QObject::connect(images, &QAbstractItemModel::rowsInserted, &app, [&sinceStart] {
            QTextStream(stdout) << "first rows after " << sinceStart.elapsed() << " ms" << Qt::endl;
            QCoreApplication::exit(0);
        });
    }
    const int status = app.exec();
    // The window (and its requests) go before the emulator they talk to.
    return status;
}
