#pragma once

#include "aws/config/connection.h"
#include "emulator/emulatordataset.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace pagewise
{

class Emulator;
class EmulatorThread;

/// The built-in emulator behind `pagewise --demo`: realistic seeded data served on a free
/// loopback port from a thread of its own, so paging through it never stalls the window.
class DemoBackend final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoBackend)
public:
    explicit DemoBackend(QObject *parent = nullptr);
    ~DemoBackend() override;

    /// Generates the data and starts listening; false and *error when it cannot.
    bool start(QString *error, const EmulatorDataSpec &spec = {});
    void stop();

    QUrl url() const { return m_url; }
    const EmulatorCatalog &catalog() const { return m_catalog; }
    /// The emulator's example credentials, region us-east-1 and its URL, all explicit: nothing
    /// comes from the user's environment or files.
    ConnectionOptions connectionOptions() const;
    /// Resolution inputs for the demo: an empty environment, so no AWS_* variable or ~/.aws file
    /// of the user takes part.
    static Environment isolatedEnvironment();

    /// The running emulator (request log, stats, faults); lives in the backend's thread, but
    /// those calls are thread-safe.
    Emulator *emulator() const;

private:
    std::unique_ptr<EmulatorThread> m_server;
    QUrl m_url;
    EmulatorCatalog m_catalog;
    QString m_accessKeyId, m_secretAccessKey;
};

} // namespace pagewise
