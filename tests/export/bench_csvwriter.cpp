// CSV export throughput: rows per second for typical rows of the three kinds, written to memory
// (the writer alone) and through exportItemCells() (JSON item to cells to CSV). Prints one JSON
// object per line so a benchmark runner can collect the numbers.

#include "export/csvwriter.h"
#include "export/exportrows.h"
#include "kinds/resourcekind.h"

#include <QElapsedTimer>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace pagewise;

namespace
{

// Counts what it is given and keeps nothing, so the benchmark measures the writer, not memory.
class CountingDevice : public QIODevice
{
public:
    qint64 bytes = 0;

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64 size) override
    {
        bytes += size;
        return size;
    }
};

void report(const char *name, qint64 rows, qint64 nanoseconds, qint64 bytes)
{
    const double seconds = double(nanoseconds) / 1e9;
    std::printf("{\"benchmark\": \"%s\", \"rows\": %lld, \"seconds\": %.4f, \"rows_per_second\": %.0f, "
                "\"mib_per_second\": %.1f}\n",
        name, static_cast<long long>(rows), seconds, double(rows) / seconds,
        double(bytes) / seconds / (1024.0 * 1024.0));
}

} // namespace

int main(int argc, char **argv)
{
    const qint64 rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 2'000'000;

    // Cells as a row of the images kind holds them once formatted: 8 columns.
    const QStringList imageRow = {
        QStringLiteral("base-py"),
        QStringLiteral("Base Py"),
        QStringLiteral("CREATED"),
        QStringLiteral("2024-05-01T12:00:00.123Z"),
        QStringLiteral("2024-05-01T13:00:00Z"),
        QStringLiteral("Team base image, with a comma"),
        QStringLiteral("arn:aws:sagemaker:us-east-1:123456789012:image/base-py"),
        QString(),
    };
    {
        CountingDevice sink;
        sink.open(QIODevice::WriteOnly);
        QElapsedTimer timer;
        timer.start();
        {
            CsvWriter writer(&sink);
            for (qint64 i = 0; i < rows; ++i)
                writer.writeRow(imageRow);
        }
        const qint64 bytes = sink.bytes;
        report("csvwriter_rows_8_columns", rows, timer.nsecsElapsed(), bytes);
    }

    // A session item as received (9 columns, ISO timestamps), through exportItemCells().
    const ResourceKind *sessions = findResourceKind(QStringLiteral("sessions"));
    if (!sessions)
        return 1;
    const QList<ColumnSpec> columns = *exportColumns(*sessions, {}, nullptr);
    const QJsonObject item = QJsonDocument::fromJson(R"({"endedAt":"2024-05-01T12:34:56.789Z",
        "fleetId":"fleet-0123456789abcdef0123456789abcdef","lifecycleStatus":"ENDED",
        "sessionId":"session-0123456789abcdef0123456789abcdef","startedAt":"2024-05-01T12:00:00Z",
        "targetLifecycleStatus":"ENDED","updatedAt":"2024-05-01T12:34:56.789Z",
        "updatedBy":"arn:aws:sts::123456789012:assumed-role/DeadlineWorker/worker",
        "workerId":"worker-0123456789abcdef0123456789abcdef"})")
                                 .object();
    const qint64 itemRows = rows / 4;
    QByteArray out;
    out.reserve(64 * 1024 * 1024);
    QElapsedTimer timer;
    timer.start();
    qint64 bytes = 0;
    {
        CsvWriter writer(&out);
        QStringList cells;
        for (qint64 i = 0; i < itemRows; ++i) {
            exportItemCells(columns, item, cells);
            writer.writeRow(cells);
            if (out.size() > 60 * 1024 * 1024) {
                bytes += out.size();
                out.resize(0);
            }
        }
    }
    bytes += out.size();
    report("export_session_items_9_columns", itemRows, timer.nsecsElapsed(), bytes);
    return 0;
}
