#include "credentialsrequest.h"

#include <QPointer>

namespace pagewise
{

CredentialsRequest::CredentialsRequest(QObject *parent)
    : QObject(parent)
{
}

CredentialsRequest::~CredentialsRequest()
{
    if (!m_done)
        withdraw();
}

void CredentialsRequest::cancel()
{
    if (m_done)
        return;
    m_done = true;
    withdraw();
    deleteLater();
}

void CredentialsRequest::finish(const Result<Credentials> &result)
{
    if (m_done)
        return;
    m_done = true;
    m_withdraw = {};
    // A receiver may delete the request (or its parent) while it hears the answer.
    const QPointer<CredentialsRequest> self(this);
    emit finished(result);
    if (self)
        deleteLater();
}

void CredentialsRequest::setWithdrawHandler(std::function<void()> handler)
{
    m_withdraw = std::move(handler);
}

void CredentialsRequest::withdraw()
{
    if (const std::function<void()> handler = std::exchange(m_withdraw, {}))
        handler();
}

} // namespace pagewise
