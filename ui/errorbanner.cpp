#include "errorbanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace pagewise
{

ErrorBanner::ErrorBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_retry(new QPushButton(tr("&Retry"), this))
    , m_reload(new QPushButton(tr("Re&load"), this))
    , m_dismiss(new QPushButton(this))
{
    setObjectName(QStringLiteral("errorBanner"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral("#errorBanner { background: #f8d7da; border: 1px solid #e5a3aa; border-radius: 3px; }"
                                 " #errorBanner QLabel { color: #58151c; }"));
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(iconSize, iconSize));
    m_icon->setAlignment(Qt::AlignTop);
    // Error bodies come from the service or whatever answered in its place (a proxy, a WAF page):
    // shown as sent, never rendered.
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setObjectName(QStringLiteral("errorText"));
    m_retry->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_retry->setToolTip(tr("Request the failed page again; rows already loaded stay"));
    m_reload->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_reload->setToolTip(
        tr("Start the listing again from its first page; loaded rows stay and nothing is listed twice"));
    m_reload->hide();
    m_dismiss->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
    m_dismiss->setFlat(true);
    m_dismiss->setToolTip(tr("Hide this message"));
    m_dismiss->setAccessibleName(tr("Dismiss error"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retry, 0, Qt::AlignTop);
    layout->addWidget(m_reload, 0, Qt::AlignTop);
    layout->addWidget(m_dismiss, 0, Qt::AlignTop);
    hide();

    connect(m_retry, &QPushButton::clicked, this, &ErrorBanner::retryRequested);
    connect(m_reload, &QPushButton::clicked, this, &ErrorBanner::reloadRequested);
    connect(m_dismiss, &QPushButton::clicked, this, &ErrorBanner::hide);
}

void ErrorBanner::showError(const AwsError &error, Offer offer)
{
    m_text->setText(describe(error));
    m_retry->setVisible(offer == Offer::Retry);
    m_reload->setVisible(offer == Offer::Reload);
    show();
}

void ErrorBanner::clearError()
{
    m_text->clear();
    hide();
}

QString ErrorBanner::text() const
{
    return isHidden() ? QString() : m_text->text();
}

QString ErrorBanner::describe(const AwsError &error)
{
    QString head = error.code.isEmpty() ? AwsError::kindName(error.kind) : error.code;
    if (!error.message.isEmpty())
        head += QStringLiteral(": ") + error.message;
    // What the service adds to the message: Deadline's reason and invalid fields, the resource,
    // the quota.
    const QString details = error.detailsText();
    if (!details.isEmpty())
        head += QStringLiteral(" (") + details + QLatin1Char(')');
    QStringList facts;
    if (error.httpStatus > 0)
        facts << tr("HTTP %1").arg(error.httpStatus);
    if (!error.requestId.isEmpty())
        facts << tr("request id %1").arg(error.requestId);
    if (error.attempts > 1)
        facts << tr("%1 attempts").arg(error.attempts);
    if (error.page > 0)
        facts << tr("page %1").arg(error.page);
    if (facts.isEmpty())
        return head;
    return head + QLatin1Char('\n') + facts.join(QStringLiteral(" · "));
}

} // namespace pagewise
