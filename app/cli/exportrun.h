#pragma once

#include <QByteArray>
#include <QObject>

#include <cstdio>

namespace pagewise
{

class ExportProgress;
class ListingWriter;
class PageFetcher;
struct AwsError;
struct Page;

/// Drives one headless listing: on each page, asks the fetcher for the next one, then writes the
/// page through the listing writer and flushes it, so the next request overlaps the writing, at
/// most two pages are held, and everything written before a failure is complete lines. Nothing is
/// written before the first page has arrived: a listing that fails on its first request (no
/// credentials, an unreachable endpoint, access denied) leaves the output empty rather than holding
/// a lone CSV header or the opening of a JSON document. Reports the resume token on the message
/// stream when --max-items stopped early, and errors with their code and request id; after a
/// failure, the token to continue with, unless the service rejected the page token (expired).
class ExportRun final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportRun)
public:
    /// Exit statuses of `pagewise export`.
    enum ExitCode { Success = 0, Failure = 1, BadArguments = 2 };

    /// Nothing is owned; all must outlive the run. messages is where errors, the resume token
    /// and progress go (stderr in the program).
    ExportRun(PageFetcher &fetcher, ListingWriter &writer, std::FILE *output, std::FILE *messages,
        ExportProgress &progress, QObject *parent = nullptr);

    void start();
    bool isFinished() const { return m_exitCode >= 0; }
    int exitCode() const { return m_exitCode; }

signals:
    /// Once, just before the first bytes go to the output (when the first page has arrived).
    void outputStarting();
    void finished(int exitCode);

private:
    void handlePageReady(const pagewise::Page &page);
    void handlePageFailed(const pagewise::AwsError &error);
    bool flush();
    void complete(int exitCode);

    PageFetcher &m_fetcher;
    ListingWriter &m_writer;
    std::FILE *m_output;
    std::FILE *m_messages;
    ExportProgress &m_progress;
    int m_pages = 0;
    bool m_outputStarted = false;
    int m_exitCode = -1;
};

} // namespace pagewise
