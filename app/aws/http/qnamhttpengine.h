#pragma once

#include "aws/http/httpengine.h"

#include <QHash>
#include <QObject>

class QNetworkAccessManager;

namespace pagewise
{

class QnamExchange;

/// Attempts through QNetworkAccessManager (its own HTTP thread, connection reuse, HTTP and
/// CONNECT proxies). No redirects, cache, cookies, HTTP/2 or HSTS. Destroying the engine
/// aborts its exchanges silently.
class QnamHttpEngine final : public QObject, public HttpEngine
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QnamHttpEngine)
public:
    /// How much of a body Qt's HTTP thread may read ahead of the thread that owns the engine.
    static constexpr qint64 ReadAheadBytes = 1024 * 1024;

    explicit QnamHttpEngine(QObject *parent = nullptr);
    ~QnamHttpEngine() override;

    HttpExchange *start(HttpAttempt attempt, HttpExchangeListener *listener) override;

private:
    friend class QnamExchange;
    class ProxyFactory;

    QNetworkAccessManager *m_network = nullptr;
    ProxyFactory *m_proxies = nullptr; ///< owned by m_network
    QList<QnamExchange *> m_exchanges;
};

} // namespace pagewise
