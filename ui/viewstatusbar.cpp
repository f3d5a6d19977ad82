#include "viewstatusbar.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>

namespace pagewise
{

namespace
{

QFrame *separator(QWidget *parent)
{
    auto *line = new QFrame(parent);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    return line;
}

} // namespace

ViewStatusBar::ViewStatusBar(QWidget *parent)
    : QWidget(parent)
    , m_rows(new QLabel(this))
    , m_filter(new QLabel(this))
    , m_sort(new QLabel(this))
    , m_busy(new QProgressBar(this))
    , m_loading(new QLabel(this))
    , m_loadMore(new QPushButton(tr("Load &more"), this))
    , m_loadAll(new QPushButton(tr("Load &all"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    for (QLabel *label : {m_rows, m_filter, m_sort, m_loading})
        label->setTextFormat(Qt::PlainText);
    m_rows->setObjectName(QStringLiteral("rows"));
    m_filter->setObjectName(QStringLiteral("filterNote"));
    m_sort->setObjectName(QStringLiteral("sortNote"));
    m_loading->setObjectName(QStringLiteral("loading"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setFixedWidth(90);
    m_busy->setMaximumHeight(m_rows->sizeHint().height());
    m_loadMore->setIcon(style()->standardIcon(QStyle::SP_ArrowDown));
    m_loadMore->setToolTip(tr("Fetch the next page"));
    m_loadAll->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    m_loadAll->setToolTip(tr("Fetch every remaining page (Esc cancels)"));
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_BrowserStop));
    m_cancel->setToolTip(tr("Stop loading (Esc); rows loaded so far stay"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    m_filterSeparator = separator(this);
    m_sortSeparator = separator(this);
    layout->addWidget(m_rows);
    layout->addWidget(m_filterSeparator);
    layout->addWidget(m_filter);
    layout->addWidget(m_sortSeparator);
    layout->addWidget(m_sort);
    layout->addStretch(1);
    layout->addWidget(m_busy);
    layout->addWidget(m_loading);
    layout->addWidget(m_loadMore);
    layout->addWidget(m_loadAll);
    layout->addWidget(m_cancel);

    m_filter->hide();
    m_sort->hide();
    m_filterSeparator->hide();
    m_sortSeparator->hide();
    setLoading(false);
    setRows(0, false, false);

    connect(m_loadMore, &QPushButton::clicked, this, &ViewStatusBar::loadMoreRequested);
    connect(m_loadAll, &QPushButton::clicked, this, &ViewStatusBar::loadAllRequested);
    connect(m_cancel, &QPushButton::clicked, this, &ViewStatusBar::cancelRequested);
}

void ViewStatusBar::setRows(qint64 loaded, bool more, bool complete)
{
    m_more = more;
    const QString count = QLocale().toString(loaded);
    if (more)
        m_rows->setText(tr("%1 rows loaded · more available").arg(count));
    else if (complete)
        m_rows->setText(tr("%1 rows · complete listing").arg(count));
    else
        m_rows->setText(tr("%1 rows loaded").arg(count));
    updateButtons();
}

void ViewStatusBar::setFilterNote(const QString &text)
{
    m_filter->setText(text);
    m_filter->setVisible(!text.isEmpty());
    m_filterSeparator->setVisible(!text.isEmpty());
}

void ViewStatusBar::setSortNote(const QString &text, bool offerLoadAll)
{
    m_sort->setText(text);
    m_sort->setVisible(!text.isEmpty());
    m_sortSeparator->setVisible(!text.isEmpty());
    m_offerLoadAll = offerLoadAll;
    updateButtons();
}

void ViewStatusBar::setLoading(bool loading, const QString &what)
{
    m_isLoading = loading;
    m_busy->setVisible(loading);
    m_loading->setText(loading ? what : QString());
    m_loading->setVisible(loading && !what.isEmpty());
    updateButtons();
}

void ViewStatusBar::setBulkProgress(bool active, qint64 rows, double rowsPerSecond)
{
    m_bulk = active;
    if (active) {
        m_loading->setText(tr("Loading all: %1 rows · %2 rows/s")
                               .arg(QLocale().toString(rows), QLocale().toString(rowsPerSecond, 'f', 0)));
        m_loading->show();
        m_busy->show();
    } else if (!m_isLoading) {
        m_loading->clear();
        m_loading->hide();
        m_busy->hide();
    }
    updateButtons();
}

void ViewStatusBar::setCanLoadMore(bool can)
{
    m_canLoadMore = can;
    updateButtons();
}

QString ViewStatusBar::rowsText() const
{
    return m_rows->text();
}

QString ViewStatusBar::filterNote() const
{
    return m_filter->isHidden() ? QString() : m_filter->text();
}

QString ViewStatusBar::sortNote() const
{
    return m_sort->isHidden() ? QString() : m_sort->text();
}

QString ViewStatusBar::loadingText() const
{
    return m_loading->isHidden() ? QString() : m_loading->text();
}

void ViewStatusBar::updateButtons()
{
    const bool busy = m_isLoading || m_bulk;
    m_loadMore->setEnabled(m_more && m_canLoadMore && !busy);
    m_loadMore->setVisible(m_more);
    m_loadAll->setVisible(m_more);
    m_loadAll->setEnabled(m_more && !m_bulk);
    m_loadAll->setDefault(false);
    m_loadAll->setText(m_offerLoadAll ? tr("Load &all to sort") : tr("Load &all"));
    m_cancel->setVisible(busy);
}

} // namespace pagewise
