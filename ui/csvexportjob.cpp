#include "csvexportjob.h"

#include "export/csvwriter.h"
#include "export/exportrows.h"
#include "models/resourcetablemodel.h"

#include <QSaveFile>
#include <QTimer>

namespace pagewise
{

CsvExportJob::CsvExportJob(const ResourceTableModel *model, QList<int> rows, QList<ColumnSpec> columns, QString path,
    bool rawCells, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_rows(std::move(rows))
    , m_columns(std::move(columns))
    , m_path(std::move(path))
    , m_rawCells(rawCells)
{
}

CsvExportJob::~CsvExportJob()
{
    m_writer.reset();
    if (m_file)
        m_file->cancelWriting();
}

void CsvExportJob::start()
{
    if (m_running)
        return;
    m_file = std::make_unique<QSaveFile>(m_path);
    if (!m_file->open(QIODevice::WriteOnly)) {
        m_running = true;
        fail(tr("Cannot write %1: %2").arg(m_path, m_file->errorString()));
        return;
    }
    m_generation = m_model->generation();
    m_writer = std::make_unique<CsvWriter>(m_file.get());
    m_writer->setRawCells(m_rawCells);
    writeExportHeader(*m_writer, m_columns);
    m_next = 0;
    m_running = true;
    emit progress(0, total());
    QTimer::singleShot(0, this, &CsvExportJob::writeChunk);
}

void CsvExportJob::cancel()
{
    if (!m_running)
        return;
    fail(tr("Export cancelled; no file was written"));
}

void CsvExportJob::writeChunk()
{
    if (!m_running)
        return;
    if (m_model->generation() != m_generation) {
        fail(tr("The listing was replaced while exporting; no file was written"));
        return;
    }
    QStringList cells;
    const qsizetype end = qMin<qsizetype>(m_next + rowsPerChunk, m_rows.size());
    for (; m_next < end; ++m_next) {
        const int row = m_rows[m_next];
        if (row < 0 || row >= m_model->rowCount()) {
            fail(tr("Row %1 is no longer loaded; no file was written").arg(row + 1));
            return;
        }
        exportItemCells(m_columns, m_model->resource(row), cells);
        m_writer->writeRow(cells);
    }
    if (!m_writer->flush()) {
        fail(tr("Writing %1 failed: %2").arg(m_path, m_writer->errorString()));
        return;
    }
    emit progress(m_next, total());
    if (m_next < m_rows.size()) {
        QTimer::singleShot(0, this, &CsvExportJob::writeChunk);
        return;
    }
    const qint64 written = m_writer->rowsWritten() - 1; // header row
    m_writer.reset();
    if (!m_file->commit()) {
        const QString error = m_file->errorString();
        m_file.reset();
        m_running = false;
        emit finished(false, tr("Saving %1 failed: %2").arg(m_path, error));
        return;
    }
    m_file.reset();
    m_running = false;
    emit finished(true, tr("%n row(s) written to %1", nullptr, int(written)).arg(m_path));
}

void CsvExportJob::fail(const QString &message)
{
    m_writer.reset();
    if (m_file) {
        m_file->cancelWriting();
        m_file.reset();
    }
    m_running = false;
    emit finished(false, message);
}

} // namespace pagewise
