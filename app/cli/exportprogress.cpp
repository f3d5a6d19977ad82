#include "exportprogress.h"

#include <unistd.h>

namespace pagewise
{

namespace
{
constexpr qint64 printIntervalMs = 100;
}

ExportProgress::ExportProgress(std::FILE *stream, bool enabled)
    : m_stream(stream)
    , m_enabled(enabled)
{
}

bool ExportProgress::streamIsTerminal(std::FILE *stream)
{
    return isatty(fileno(stream)) == 1;
}

void ExportProgress::start()
{
    m_clock.start();
}

void ExportProgress::pageWritten(int pages, qint64 items)
{
    m_pages = pages;
    m_items = items;
    if (!m_enabled)
        return;
    const qint64 now = m_clock.elapsed();
    if (m_lastPrintMs >= 0 && now - m_lastPrintMs < printIntervalMs)
        return;
    m_lastPrintMs = now;
    print(pages, items);
}

void ExportProgress::finish()
{
    if (!m_enabled)
        return;
    print(m_pages, m_items);
    std::fputc('\n', m_stream);
    std::fflush(m_stream);
}

void ExportProgress::print(int pages, qint64 items)
{
    const double seconds = double(m_clock.elapsed()) / 1000.0;
    const double rate = seconds > 0 ? double(items) / seconds : 0.0;
    // \r and clear-to-end-of-line: the line is rewritten in place.
    std::fprintf(m_stream, "\r%d page%s, %lld item%s, %.0f items/s\033[K", pages, pages == 1 ? "" : "s",
        static_cast<long long>(items), items == 1 ? "" : "s", rate);
    std::fflush(m_stream);
}

} // namespace pagewise
