#pragma once

#include "emulatorconfig.h"
#include "emulatorservice.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QUrl>

#include <atomic>
#include <memory>

namespace pagewise
{

class EmulatorConnection;
class EmulatorTcpServer;

/// Counters since the emulator started (or since resetStats()).
struct EmulatorStats {
    quint64 requests = 0; ///< requests answered (faults included)
    quint64 pages = 0; ///< successful list responses
    quint64 items = 0; ///< items in those pages
    quint64 errors = 0; ///< error responses (before faults)
    quint64 faults = 0; ///< injected faults
    quint64 connections = 0; ///< connections accepted
    qint64 handlerNs = 0; ///< CPU time (this thread's) spent in the request handler, all requests
    qint64 pageNs = 0; ///< CPU time spent in the request handler for successful pages

    /// Average server-side cost of one page in nanoseconds (0 before the first page).
    double nsPerPage() const { return pages ? double(pageNs) / double(pages) : 0.0; }
};

/// The local AWS-compatible emulator of ListImages, ListDatasets and ListSessions: an HTTP/1.1
/// (or HTTPS) keep-alive server on its own event loop thread's QTcpServer that hands each
/// request to EmulatorService and adds latency and injected faults on the way out.
///
/// Embed it in-process (the demo, tests, benchmarks):
///     Emulator emulator(config);
///     if (!emulator.listen(&error)) ...
///     client.setEndpoint(emulator.url());
/// It serves from the thread that calls listen(); EmulatorThread runs one on a thread of its
/// own (the demo, benchmarks). url(), port(), catalog(), stats(), requestLog() and setFaults()
/// may be called from any thread.
class Emulator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Emulator)

public:
    explicit Emulator(EmulatorConfig config = {}, QObject *parent = nullptr);
    /// Serves data that was already built (several emulators can share one data set).
    Emulator(EmulatorConfig config, std::shared_ptr<const EmulatorDataset> data, QObject *parent = nullptr);
    ~Emulator() override;

    /// Builds (or loads, with dataFile) the data if needed, writes catalogFile if set, and
    /// starts accepting connections on config().host:config().port.
    bool listen(QString *error = nullptr);
    void close();
    bool isListening() const;

    QUrl url() const; ///< "http://127.0.0.1:PORT" (https with TLS); empty before listen()
    quint16 port() const;
    const EmulatorConfig &config() const { return m_config; }
    EmulatorCatalog catalog() const;
    /// The request handler (valid after listen() or when constructed with data).
    const EmulatorService *service() const { return m_service.get(); }

    /// Changes the injected faults from now on; the fault sequence restarts at request 1.
    void setFaults(const EmulatorFaults &faults);
    EmulatorFaults faults() const;

    EmulatorStats stats() const;
    void resetStats();

    /// The last requests (oldest first), at most requestLogCapacity() of them. Never holds secrets.
    QList<EmulatorRequestLogEntry> requestLog() const;
    void clearRequestLog();
    void setRequestLogCapacity(int capacity);
    int requestLogCapacity() const;

signals:
    /// After every answered request (in the emulator's thread).
    void requestHandled(const pagewise::EmulatorRequestLogEntry &entry);

private:
    friend class EmulatorConnection;

    /// What a connection must send for one parsed request.
    struct Outcome {
        QByteArray bytes; ///< status line, headers and body
        qint64 sendBytes = -1; ///< when >= 0: send only this many bytes, then close (a dropped connection)
        int delayMs = 0;
        bool keepAlive = true;
    };
    Outcome process(const EmulatorRequest &request, bool keepAlive);
    void handleNewConnection(qintptr descriptor);
    bool prepareData(QString *error);

    EmulatorConfig m_config;
    std::shared_ptr<const EmulatorDataset> m_data;
    std::unique_ptr<EmulatorService> m_service;
    EmulatorTcpServer *m_server = nullptr;
    bool m_tls = false;
    QByteArray m_tlsCertificate, m_tlsKey;

    mutable QMutex m_mutex; ///< guards faults, stats and the request log for readers in other threads
    EmulatorFaults m_faults;
    QUrl m_url;
    quint16 m_port = 0;
    quint64 m_requestNumber = 0;
    quint64 m_faultNumber = 0;
    EmulatorStats m_stats;
    QList<EmulatorRequestLogEntry> m_log;
    int m_logCapacity = 1000;
};

/// The reason phrase of a status line ("Too Many Requests"), "Unknown" for a status the emulator never sends.
QByteArray emulatorReasonPhrase(int status);

/// Serialises a response for the wire (status line, headers, Content-Length, Connection).
QByteArray emulatorHttpResponseBytes(const EmulatorResponse &response, bool keepAlive, qsizetype *headerSize = nullptr);

} // namespace pagewise
