#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace pagewise
{

/// The status line under one table: rows loaded and whether more exist, what a local filter
/// matches, how the rows are sorted, a busy indicator, throughput during "Load all", and the
/// explicit Load more / Load all / Cancel buttons (scrolling alone stalls behind filters).
class ViewStatusBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ViewStatusBar)
public:
    explicit ViewStatusBar(QWidget *parent = nullptr);

    void setRows(qint64 loaded, bool more, bool complete);
    void setFilterNote(const QString &text); ///< empty hides it
    void setSortNote(const QString &text, bool offerLoadAll);
    void setLoading(bool loading, const QString &what = {});
    /// During "Load all" / "Export all matching": rows so far and rows per second.
    void setBulkProgress(bool active, qint64 rows = 0, double rowsPerSecond = 0);
    void setCanLoadMore(bool can);

    QString rowsText() const;
    QString filterNote() const;
    QString sortNote() const;
    QString loadingText() const;
    QPushButton *loadMoreButton() const { return m_loadMore; }
    QPushButton *loadAllButton() const { return m_loadAll; }
    QPushButton *cancelButton() const { return m_cancel; }

signals:
    void loadMoreRequested();
    void loadAllRequested();
    void cancelRequested();

private:
    void updateButtons();

    QLabel *m_rows = nullptr;
    QLabel *m_filter = nullptr;
    QLabel *m_sort = nullptr;
    QWidget *m_filterSeparator = nullptr;
    QWidget *m_sortSeparator = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_loading = nullptr;
    QPushButton *m_loadMore = nullptr;
    QPushButton *m_loadAll = nullptr;
    QPushButton *m_cancel = nullptr;
    bool m_more = false;
    bool m_isLoading = false;
    bool m_bulk = false;
    bool m_canLoadMore = false;
    bool m_offerLoadAll = false;
};

} // namespace pagewise
