#pragma once

#include "kinds/resourcekind.h"

#include <QObject>

#include <memory>

class QSaveFile;

namespace pagewise
{

class CsvWriter;
class ResourceTableModel;

/// Writes rows of a ResourceTableModel to a CSV file through the shared export functions
/// (app/export), a chunk of rows per event-loop turn so the window stays responsive. The file
/// appears only when every row was written (QSaveFile): a failure or cancel leaves no partial
/// file behind.
class CsvExportJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CsvExportJob)
public:
    /// rows are source rows of the model, in output order; the model must outlive the job.
    CsvExportJob(const ResourceTableModel *model, QList<int> rows, QList<ColumnSpec> columns, QString path,
        bool rawCells, QObject *parent = nullptr);
    ~CsvExportJob() override;

    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    QString path() const { return m_path; }
    qint64 total() const { return m_rows.size(); }

    static constexpr int rowsPerChunk = 2000;

signals:
    void progress(qint64 written, qint64 total);
    /// ok: the file is complete; otherwise message says why nothing was written.
    void finished(bool ok, const QString &message);

private:
    void writeChunk();
    void fail(const QString &message);

    const ResourceTableModel *m_model;
    QList<int> m_rows;
    QList<ColumnSpec> m_columns;
    QString m_path;
    bool m_rawCells;
    quint64 m_generation = 0;
    qsizetype m_next = 0;
    bool m_running = false;
    std::unique_ptr<QSaveFile> m_file;
    std::unique_ptr<CsvWriter> m_writer;
};

} // namespace pagewise
