#pragma once

#include "core/credentials.h"
#include "core/result.h"

#include <QObject>

#include <functional>

namespace pagewise
{

/// One wait for credentials that are not at hand yet (CredentialsProvider::fetchCredentials()).
/// Emits finished() once, from the event loop of the thread that asked, never before
/// fetchCredentials() has returned; then deletes itself (deleteLater), so connect and forget.
/// cancel() or deleting it withdraws the wait: no finished() follows, and a fetch nobody waits
/// for any more is stopped (a credential_process is killed).
class CredentialsRequest final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialsRequest)
public:
    explicit CredentialsRequest(QObject *parent = nullptr);
    ~CredentialsRequest() override;

    void cancel();
    bool isFinished() const { return m_done; }

    // For providers.
    /// Delivers the answer, unless the request was cancelled or has already finished.
    void finish(const Result<Credentials> &result);
    /// Called once if the request is cancelled or deleted before it finished.
    void setWithdrawHandler(std::function<void()> handler);

signals:
    void finished(const pagewise::Result<pagewise::Credentials> &result);

private:
    void withdraw();

    std::function<void()> m_withdraw;
    bool m_done = false;
};

} // namespace pagewise
