#include "exportrun.h"

#include "exportprogress.h"
#include "listingwriter.h"
#include "paging/pagefetcher.h"
#include "paging/pagetokenrejection.h"

#include <cerrno>
#include <cstring>

namespace pagewise
{

ExportRun::ExportRun(PageFetcher &fetcher, ListingWriter &writer, std::FILE *output, std::FILE *messages,
    ExportProgress &progress, QObject *parent)
    : QObject(parent)
    , m_fetcher(fetcher)
    , m_writer(writer)
    , m_output(output)
    , m_messages(messages)
    , m_progress(progress)
{
    connect(&m_fetcher, &PageFetcher::pageReady, this, &ExportRun::handlePageReady);
    connect(&m_fetcher, &PageFetcher::pageFailed, this, &ExportRun::handlePageFailed);
}

void ExportRun::start()
{
    m_progress.start();
    m_fetcher.fetchNext();
}

void ExportRun::handlePageReady(const Page &delivered)
{
    if (isFinished())
        return;
    ++m_pages;
    // Ask for the next page first: its request travels and the service works on it while this
    // page is written, instead of after. (A cheap copy: the items are implicitly shared.)
    const Page page = delivered;
    const bool more = m_fetcher.hasMore();
    if (more)
        m_fetcher.fetchNext();
    if (m_pages == 1)
        m_writer.begin();
    m_writer.writePage(page);
    if (!flush())
        return;
    m_progress.pageWritten(m_pages, m_fetcher.itemCount());
    if (more)
        return;
    const QString resumeToken = m_fetcher.resumeToken();
    m_writer.finish(resumeToken);
    if (!flush())
        return;
    m_progress.finish();
    if (!resumeToken.isEmpty()) {
        std::fprintf(m_messages, "NextToken: %s\n", resumeToken.toUtf8().constData());
        std::fflush(m_messages);
    }
    complete(Success);
}

void ExportRun::handlePageFailed(const AwsError &error)
{
    if (isFinished())
        return;
    m_progress.finish();
    std::fprintf(m_messages, "pagewise export: %s\n", error.toString().toUtf8().constData());
    const qint64 written = m_fetcher.itemCount();
    const QString resumeToken = m_fetcher.resumeToken();
    if (isPageTokenRejected(error)) {
        // The token is dead (expired or invalid): suggesting it again could only fail again.
        if (written > 0)
            std::fprintf(m_messages, "pagewise export: the %lld items before the failure were written. ",
                static_cast<long long>(written));
        else
            std::fprintf(m_messages, "pagewise export: ");
        std::fprintf(m_messages,
            "The service rejected the page token (expired or invalid), so the listing cannot go on from it; run "
            "the command again without --starting-token to list from the first page (or with a token from a "
            "new listing)\n");
    } else if (written > 0 && !resumeToken.isEmpty()) {
        std::fprintf(m_messages,
            "pagewise export: the %lld items before the failure were written; to continue after them, "
            "run the same command with --starting-token %s\n",
            static_cast<long long>(written), resumeToken.toUtf8().constData());
    }
    std::fflush(m_messages);
    complete(Failure);
}

bool ExportRun::flush()
{
    QByteArray &bytes = m_writer.output();
    if (!bytes.isEmpty()) {
        if (!m_outputStarted) {
            m_outputStarted = true;
            emit outputStarting();
        }
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), m_output);
        bytes.truncate(0); // keeps the allocation for the next page
    }
    if (std::fflush(m_output) != 0 || std::ferror(m_output)) {
        const int code = errno;
        m_fetcher.cancel();
        m_progress.finish();
        std::fprintf(m_messages, "pagewise export: cannot write the output: %s\n", std::strerror(code));
        std::fflush(m_messages);
        complete(Failure);
        return false;
    }
    return true;
}

void ExportRun::complete(int exitCode)
{
    m_exitCode = exitCode;
    emit finished(exitCode);
}

} // namespace pagewise
