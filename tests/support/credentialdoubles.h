#pragma once

#include "aws/config/connection.h"
#include "aws/config/credentialsrequest.h"

#include <QList>
#include <QPointer>

#include <optional>

namespace pagewise::testsupport
{

/// Always the same answer, at once; counts how often it was asked.
class FixedCredentials : public CredentialsProvider
{
public:
    explicit FixedCredentials(Result<Credentials> result)
        : m_result(std::move(result))
    {
    }
    Result<Credentials> credentials() override
    {
        ++calls;
        return m_result;
    }
    int calls = 0;

private:
    Result<Credentials> m_result;
};

/// Credentials that have to be fetched (as from a credential_process): never at hand, every
/// fetch waits in `pending` until the test answers it. `blocking` is what a blocking
/// credentials() call gets.
class DeferredCredentials final : public CredentialsProvider
{
public:
    explicit DeferredCredentials(Result<Credentials> blocking)
        : m_blocking(std::move(blocking))
    {
    }
    Result<Credentials> credentials() override { return m_blocking; }
    std::optional<Result<Credentials>> credentialsIfReady() override { return std::nullopt; }
    CredentialsRequest *fetchCredentials(QObject *parent) override
    {
        auto *request = new CredentialsRequest(parent);
        request->setWithdrawHandler([this] { ++withdrawn; });
        pending << request;
        return request;
    }
    QList<QPointer<CredentialsRequest>> pending;
    int withdrawn = 0;

private:
    Result<Credentials> m_blocking;
};

} // namespace pagewise::testsupport
