#include "pagetransport.h"

#include "paginator.h"

#include <QPointer>

namespace pagewise
{

namespace
{

/// An AwsCall seen as a PageCall.
class AwsClientPageCall final : public PageCall
{
public:
    explicit AwsClientPageCall(AwsCall *call)
        : m_call(call)
    {
        connect(call, &AwsCall::finished, this, &AwsClientPageCall::handleFinished);
    }

    void cancel() override
    {
        if (m_call)
            m_call->cancel();
        deleteLater();
    }

private:
    void handleFinished(const AwsResponse &response)
    {
        emit finished(response);
        deleteLater();
    }

    QPointer<AwsCall> m_call;
};

} // namespace

AwsClientTransport::AwsClientTransport(AwsClient *client)
    : m_client(client)
{
}

PageCall *AwsClientTransport::send(const ResourceKind &kind, const HttpRequestParts &request)
{
    return new AwsClientPageCall(m_client->send(kind, request));
}

// Defined here rather than in paginator.cpp so that code using the Paginator over a fake
// transport does not link against the HTTP client.
Paginator::Paginator(AwsClient *client, const ResourceKind &kind, ListQuery query, QObject *parent)
    : Paginator(std::make_unique<AwsClientTransport>(client), kind, std::move(query), parent)
{
}

} // namespace pagewise
