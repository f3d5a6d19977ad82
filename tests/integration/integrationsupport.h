#pragma once

// What the integration tests share beyond tests/support (the in-process emulator, its keys,
// loopback connections and clients, paginators, rowKeys): waiting in a real event loop, listings
// as keys, and running `pagewise`, `pagewise export` and `pagewise-emulator` as processes.

#include "aws/config/connection.h"
#include "loopbackemulator.h"
#include "paging/listquery.h"
#include "rowkeys.h"

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>

namespace pagewise
{
class AwsClient;
struct ResourceKind;
} // namespace pagewise

namespace pagewise::testing
{

/// Runs the event loop until done() holds; false after timeoutMs. Unlike QTRY_* and qWaitFor,
/// which sleep 10 ms between rounds of events, this blocks in a real event loop (checking done()
/// every millisecond), so a listing of hundreds of loopback requests is not slowed down by waiting.
bool waitFor(const std::function<bool()> &done, int timeoutMs);

/// Every item's key member through a fresh Paginator, fault-free: the order a listing must keep.
/// Fails the calling test (returns empty) when a page fails.
QStringList listKeys(AwsClient &client, const ResourceKind &kind, const ListQuery &query);

/// `pagewise` and `pagewise-emulator` as built next to the tests.
QString pagewiseProgram();
QString emulatorProgram();

/// An environment with no AWS_* variables and HOME (so ~/.aws) in `home`, plus QT_QPA_PLATFORM.
QProcessEnvironment isolatedEnvironment(const QString &home);
/// The same with `credentials` in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, when they have
/// one, AWS_SESSION_TOKEN.
QProcessEnvironment isolatedEnvironment(const QString &home, const Credentials &credentials);

struct ProcessResult {
    bool finished = false; ///< false: killed after the time limit
    int exitCode = -1;
    QByteArray standardOutput;
    QByteArray standardError;
};

/// Runs a program to the end with the event loop running (so servers in this process keep
/// answering); kills it after timeoutMs, or as soon as giveUp() holds.
ProcessResult runProgram(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
    int timeoutMs = 120'000, const std::function<bool()> &giveUp = {});

/// `pagewise export ...`
ProcessResult runExport(const QStringList &arguments, const QProcessEnvironment &environment, int timeoutMs = 120'000,
    const std::function<bool()> &giveUp = {});

/// The pagewise-emulator executable with the given flags, until destroyed.
class EmulatorProcess
{
public:
    ~EmulatorProcess();
    /// Starts it and waits for "listening on URL"; false (and *error) when it does not come up.
    bool start(const QStringList &arguments, QString *error);
    QUrl url() const { return m_url; }
    QByteArray standardError();

private:
    std::unique_ptr<QProcess> m_process;
    QUrl m_url;
};

/// The CSV body's first column values (after the header row), for simple single-column exports.
QStringList csvFirstColumn(const QByteArray &csv);

} // namespace pagewise::testing
