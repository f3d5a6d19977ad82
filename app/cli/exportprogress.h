#pragma once

#include <QElapsedTimer>

#include <cstdio>

namespace pagewise
{

/// The one-line progress report on a terminal: pages, items, items per second. Silent when
/// disabled (stderr is not a terminal), so scripts and logs get only results and errors.
class ExportProgress
{
public:
    ExportProgress(std::FILE *stream, bool enabled);

    /// True when stderr is a terminal.
    static bool streamIsTerminal(std::FILE *stream);

    void start();
    void pageWritten(int pages, qint64 items);
    /// Ends the progress line so further messages start on a fresh line.
    void finish();

private:
    void print(int pages, qint64 items);

    std::FILE *m_stream;
    bool m_enabled;
    QElapsedTimer m_clock;
    qint64 m_lastPrintMs = -1;
    int m_pages = 0;
    qint64 m_items = 0;
};

} // namespace pagewise
