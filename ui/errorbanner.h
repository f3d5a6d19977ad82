#pragma once

#include "core/awserror.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace pagewise
{

/// A failed request in words (code, message, HTTP status, request id) with Retry, which
/// continues from the failed page. Hidden while there is no error.
class ErrorBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ErrorBanner)
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    void showError(const AwsError &error, bool canRetry);
    void clearError();
    QString text() const;
    QPushButton *retryButton() const { return m_retry; }

    /// "ThrottlingException: Rate exceeded" + a second line with status, request id, attempts, page.
    static QString describe(const AwsError &error);

signals:
    void retryRequested();

private:
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_dismiss = nullptr;
};

} // namespace pagewise
