#pragma once

#include "core/awserror.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace pagewise
{

/// A failed request in words (code, message, HTTP status, request id) with Retry, which
/// continues from the failed page, or Reload, which starts the listing again when the failed
/// page cannot be asked for again (its token was rejected). Hidden while there is no error.
class ErrorBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ErrorBanner)
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    /// What the banner offers besides dismissing.
    enum class Offer { Nothing, Retry, Reload };

    void showError(const AwsError &error, Offer offer);
    void showError(const AwsError &error, bool canRetry) { showError(error, canRetry ? Offer::Retry : Offer::Nothing); }
    void clearError();
    QString text() const;
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *reloadButton() const { return m_reload; }

    /// "ThrottlingException: Rate exceeded" + a second line with status, request id, attempts, page.
    static QString describe(const AwsError &error);

signals:
    void retryRequested();
    void reloadRequested();

private:
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_reload = nullptr;
    QPushButton *m_dismiss = nullptr;
};

} // namespace pagewise
