#include "emulator/emulator.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace
{

int g_signalPipe[2] = {-1, -1};

void handleSignal(int)
{
    const char byte = 1;
    // Only async-signal-safe work here; the Qt loop reads the pipe.
    [[maybe_unused]] const ssize_t written = ::write(g_signalPipe[0], &byte, 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pagewise-emulator"));

    QString error;
    bool help = false;
    const auto config = pagewise::parseEmulatorArguments(app.arguments().mid(1), &error, &help);
    if (help) {
        std::fputs(qPrintable(pagewise::emulatorUsage()), stdout);
        return 0;
    }
    if (!config) {
        std::fprintf(stderr, "pagewise-emulator: %s\n", qPrintable(error));
        return 2;
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0) {
        std::perror("pagewise-emulator: socketpair");
        return 1;
    }
    QSocketNotifier notifier(g_signalPipe[1], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [] {
        char byte = 0;
        [[maybe_unused]] const ssize_t got = ::read(g_signalPipe[1], &byte, 1);
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = handleSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    pagewise::Emulator emulator(*config);
    if (!emulator.listen(&error)) {
        std::fprintf(stderr, "pagewise-emulator: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("listening on %s\n", qPrintable(emulator.url().toString()));
    std::fflush(stdout);
    const int code = app.exec();
    emulator.close();
    return code;
}
