#pragma once

#include "kinds/resourcekind.h"
#include "paging/pagetransport.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

namespace pagewise::test
{

/// Sends over an AwsClient, with page tokens that "expire": from the expireAt-th request that
/// carries a token on, the token is altered on its way out, so that the service (the emulator)
/// rejects it with its own error, as it would an expired one. Requests without a token pass.
class ExpiringTokenTransport final : public PageTransport
{
public:
    ExpiringTokenTransport(AwsClient *client, int expireAt)
        : m_client(client)
        , m_expireAt(expireAt)
    {
    }

    PageCall *send(const ResourceKind &kind, const HttpRequestParts &request) override
    {
        HttpRequestParts sent = request;
        if (carriesToken(kind, request)) {
            ++tokenRequests;
            if (tokenRequests >= m_expireAt) {
                alterToken(kind, sent);
                ++expiredRequests;
            }
        }
        return m_client.send(kind, sent);
    }

    int tokenRequests = 0; ///< requests sent with a token
    int expiredRequests = 0; ///< of those, the ones sent with an altered token

private:
    static QByteArray queryKey(const ResourceKind &kind) { return kind.pagination.inputToken.toLatin1() + '='; }

    static bool carriesToken(const ResourceKind &kind, const HttpRequestParts &request)
    {
        for (const QByteArray &item : request.query.split('&')) {
            if (item.startsWith(queryKey(kind)))
                return true;
        }
        return QJsonDocument::fromJson(request.body).object().contains(kind.pagination.inputToken);
    }

    static void alterToken(const ResourceKind &kind, HttpRequestParts &request)
    {
        QList<QByteArray> items = request.query.split('&');
        for (QByteArray &item : items) {
            if (item.startsWith(queryKey(kind)))
                item.insert(queryKey(kind).size(), "x");
        }
        request.query = items.join('&');
        QJsonObject body = QJsonDocument::fromJson(request.body).object();
        if (body.contains(kind.pagination.inputToken)) {
            const QString token = body.value(kind.pagination.inputToken).toString();
            body.insert(kind.pagination.inputToken, QString(QStringLiteral("x") + token));
            request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        }
    }

    AwsClientTransport m_client;
    int m_expireAt;
};

} // namespace pagewise::test
