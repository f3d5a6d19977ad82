#pragma once

#include "aws/http/awsclient.h"

#include <QObject>

namespace pagewise
{

struct ResourceKind;

/// One request in flight for the Paginator. Emits finished() exactly once unless cancelled, never
/// from inside PageTransport::send(), and deletes itself later (deleteLater) after finished() or
/// cancel().
class PageCall : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void cancel() = 0;

signals:
    void finished(const pagewise::AwsResponse &response);
};

/// What the Paginator sends requests through: AwsClient in the program (AwsClientTransport),
/// a scripted fake in unit tests.
class PageTransport
{
public:
    virtual ~PageTransport() = default;
    virtual PageCall *send(const ResourceKind &kind, const HttpRequestParts &request) = 0;
};

/// Sends over an AwsClient (signing, retries, endpoint); the client must outlive the transport.
class AwsClientTransport final : public PageTransport
{
public:
    explicit AwsClientTransport(AwsClient *client);
    PageCall *send(const ResourceKind &kind, const HttpRequestParts &request) override;

private:
    AwsClient *m_client;
};

} // namespace pagewise
