#pragma once

#include "emulatorconfig.h"

#include <QObject>
#include <QThread>
#include <QUrl>

namespace pagewise
{

class Emulator;

/// Runs an Emulator on a thread of its own, so that serving never competes with the caller's
/// event loop (the demo's window, a benchmark's client).
///
///     EmulatorThread server(config);
///     if (!server.start(&error)) ...
///     connectTo(server.url());
///     server.emulator()->stats();   // thread-safe getters only
class EmulatorThread final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmulatorThread)

public:
    explicit EmulatorThread(EmulatorConfig config, QObject *parent = nullptr);
    ~EmulatorThread() override;

    /// Builds the data and listens on the worker thread; returns once it accepts connections
    /// (or failed, with *error set).
    bool start(QString *error = nullptr);
    /// Closes every connection and ends the thread. Also done by the destructor.
    void stop();

    QUrl url() const;
    /// The running emulator (nullptr when not started). It lives in the worker thread: call only
    /// its thread-safe members (url, port, catalog, stats, requestLog, clearRequestLog,
    /// setFaults, faults) and connect to requestHandled with a queued connection.
    Emulator *emulator() const { return m_emulator; }

private:
    EmulatorConfig m_config;
    QThread m_thread;
    QObject *m_anchor = nullptr; ///< lives in m_thread; invocations run in its context
    Emulator *m_emulator = nullptr;
};

} // namespace pagewise
