// pagewise-bench-models: the model layer at a million rows, no network (synthetic pages through
// a scripted PageFetcher). Prints one JSON object to stdout; progress goes to stderr.
//   append_page_at_1m_ms_median  a 100-row page into 1,000,000 sessions seen through the proxy
//                                sorted locally on startedAt (model insert + proxy merge)
//   sort_1m_timestamp_s          proxy.sort() on startedAt over 1,000,000 sessions
//   sort_1m_text_s               proxy.sort() on ImageArn over 1,000,000 images (unique text
//                                with a 47-character shared prefix; ImageName itself sorts on
//                                the server)
//   bytes_per_row_at_1m          resident-set growth per session row after loading 1,000,000
// Build in Release to measure. Each time figure also comes as thread CPU time (*_cpu_*), which
// stays meaningful when other processes compete for the cores.
#include "../../models/fakepagefetcher.h"
#include "../../models/sampleresources.h"
#include "models/resourcesortfilterproxymodel.h"
#include "models/resourcetablemodel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <malloc.h>
#include <unistd.h>

using namespace pagewise;
using namespace pagewise::test;

namespace
{

constexpr int kRows = 1000000;
constexpr int kPage = 100;

qint64 residentBytes()
{
    malloc_trim(0); // give freed pages back, so only live data counts
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.value(1).toLongLong() * sysconf(_SC_PAGESIZE);
}

/// Wall and thread-CPU clocks started together.
struct Stopwatch {
    QElapsedTimer wall;
    timespec cpu {};
    void start()
    {
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
        wall.start();
    }
    double wallSeconds() const { return double(wall.nsecsElapsed()) / 1e9; }
    double cpuSeconds() const
    {
        timespec now {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
        return double(now.tv_sec - cpu.tv_sec) + double(now.tv_nsec - cpu.tv_nsec) / 1e9;
    }
};

double median(std::vector<double> samples)
{
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

void progress(const char *what)
{
    std::fprintf(stderr, "[bench-models] %s\n", what);
}

/// A page of `count` items starting at `first` (built on the fly, dropped after the append).
Page makePage(const std::function<QJsonObject(int)> &make, int first, int count, int number)
{
    Page page;
    page.items = itemRange(make, first, count);
    page.number = number;
    page.nextToken = QStringLiteral("t");
    return page;
}

/// Loads `rows` items into the model page by page, as the paginator would deliver them.
void load(FakeFetcherFactory &fakes, const std::function<QJsonObject(int)> &make, int rows)
{
    for (int first = 0, number = 1; first < rows; first += kPage, ++number)
        emit fakes.last()->pageReady(makePage(make, first, std::min(kPage, rows - first), number));
}

ListQuery query(const char *kind)
{
    ListQuery q;
    q.kindId = QLatin1String(kind);
    return q;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // --- sessions: memory, timestamp sort, page append ---------------------------------------
    double bytesPerRow = 0, sortTimestampS = 0, sortTimestampCpuS = 0, appendMedianMs = 0, appendCpuMedianMs = 0;
    double filterMs = 0;
    {
        FakeFetcherFactory fakes;
        fakes.pages = QList<QJsonArray>(2, QJsonArray()); // never exhausted: the model stays "more to load"
        ResourceTableModel model(fakes.factory());
        ResourceSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        model.setQuery(query("sessions"));
        const qint64 before = residentBytes();
        progress("loading 1,000,000 sessions");
        load(fakes, session, kRows);
        const qint64 after = residentBytes();
        bytesPerRow = double(after - before) / double(model.rowCount());

        progress("sorting on startedAt");
        const int started = model.columnForMember(QStringLiteral("startedAt"));
        Stopwatch clock;
        clock.start();
        proxy.sort(started, Qt::AscendingOrder);
        sortTimestampS = clock.wallSeconds();
        sortTimestampCpuS = clock.cpuSeconds();

        progress("appending pages through the sorted proxy");
        std::vector<double> wall, cpu;
        for (int i = 0; i < 51; ++i) {
            // Built before the clock starts: the service's JSON is not the model's cost.
            const Page page = makePage(session, kRows + i * kPage, kPage, 10001 + i);
            clock.start();
            emit fakes.last()->pageReady(page);
            wall.push_back(clock.wallSeconds() * 1e3);
            cpu.push_back(clock.cpuSeconds() * 1e3);
        }
        appendMedianMs = median(wall);
        appendCpuMedianMs = median(cpu);

        progress("filtering");
        LocalFilter filter;
        filter.oneOfs.append({QStringLiteral("lifecycleStatus"), {QStringLiteral("ENDED")}});
        filter.texts.append({{QStringLiteral("sessionId"), QStringLiteral("fleetId"), QStringLiteral("workerId")},
            QStringLiteral("abc")});
        clock.start();
        proxy.setFilter(filter);
        filterMs = clock.wallSeconds() * 1e3;
    }

    // --- images: text sort --------------------------------------------------------------------
    double sortTextS = 0, sortTextCpuS = 0;
    {
        FakeFetcherFactory fakes;
        fakes.pages = QList<QJsonArray>(2, QJsonArray()); // never exhausted: the model stays "more to load"
        ResourceTableModel model(fakes.factory());
        ResourceSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        model.setQuery(query("images"));
        progress("loading 1,000,000 images");
        load(fakes, image, kRows);
        progress("sorting on ImageArn");
        const int text = model.columnForMember(QStringLiteral("ImageArn"));
        Stopwatch clock;
        clock.start();
        proxy.sort(text, Qt::AscendingOrder);
        sortTextS = clock.wallSeconds();
        sortTextCpuS = clock.cpuSeconds();
    }

    const QJsonObject result {
        {QStringLiteral("append_page_at_1m_ms_median"), appendMedianMs},
        {QStringLiteral("sort_1m_timestamp_s"), sortTimestampS},
        {QStringLiteral("sort_1m_text_s"), sortTextS},
        {QStringLiteral("bytes_per_row_at_1m"), bytesPerRow},
        {QStringLiteral("filter_1m_ms"), filterMs},
        {QStringLiteral("append_page_at_1m_cpu_ms_median"), appendCpuMedianMs},
        {QStringLiteral("sort_1m_timestamp_cpu_s"), sortTimestampCpuS},
        {QStringLiteral("sort_1m_text_cpu_s"), sortTextCpuS},
    };
    std::fputs(QJsonDocument(result).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputs("\n", stdout);
    return 0;
}
