#include "qnamhttpengine.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace pagewise
{

namespace
{

int defaultPort(const QString &scheme)
{
    return scheme == QLatin1String("https") ? 443 : 80;
}

QString originOf(const QUrl &url)
{
    return url.scheme() + QLatin1String("://") + url.host() + QLatin1Char(':')
        + QString::number(url.port(defaultPort(url.scheme())));
}

bool isTransportError(QNetworkReply::NetworkError error)
{
    // 1-99: network layer, 101-199: proxy, 399: broken HTTP. Content (2xx) and server (4xx)
    // errors mirror an HTTP status and are parsed from the response instead.
    const int value = static_cast<int>(error);
    return (value > 0 && value < 200) || error == QNetworkReply::ProtocolFailure;
}

HttpOutcome outcomeOf(QNetworkReply::NetworkError error, bool responseStarted)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return HttpOutcome::ConnectionRefused;
    case QNetworkReply::RemoteHostClosedError:
        return responseStarted ? HttpOutcome::DroppedMidResponse : HttpOutcome::ClosedWithoutAnswer;
    case QNetworkReply::HostNotFoundError:
        return HttpOutcome::HostNotFound;
    case QNetworkReply::TimeoutError:
        return HttpOutcome::TimedOut;
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return HttpOutcome::NetworkUnavailable;
    case QNetworkReply::ProtocolFailure:
        return HttpOutcome::MalformedResponse;
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
    case QNetworkReply::UnknownProxyError:
        return HttpOutcome::ProxyFailure;
    case QNetworkReply::OperationCanceledError:
        return HttpOutcome::Aborted;
    default:
        return HttpOutcome::OtherError;
    }
}

} // namespace

/// Answers QNetworkAccessManager's proxy question for each origin with what the attempts
/// asked for: an origin's proxy never changes within one client, so no attempt can get
/// another attempt's proxy, however late the manager asks.
class QnamHttpEngine::ProxyFactory final : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        return {m_byOrigin.value(originOf(query.url()), QNetworkProxy(QNetworkProxy::NoProxy))};
    }
    void set(const QUrl &url, const std::optional<QNetworkProxy> &proxy)
    {
        if (proxy)
            m_byOrigin.insert(originOf(url), *proxy);
        else if (!m_byOrigin.isEmpty())
            m_byOrigin.remove(originOf(url));
    }

private:
    QHash<QString, QNetworkProxy> m_byOrigin;
};

/// One attempt over a QNetworkReply.
class QnamExchange final : public HttpExchange
{
public:
    QnamExchange(QnamHttpEngine *engine, QNetworkReply *reply, HttpExchangeListener *listener, qint64 maxBytes)
        : m_engine(engine)
        , m_reply(reply)
        , m_listener(listener)
        , m_maxBytes(maxBytes)
    {
        QObject::connect(reply, &QNetworkReply::requestSent, reply, [this] { markWritten(); });
        QObject::connect(reply, &QNetworkReply::uploadProgress, reply, [this](qint64 sent, qint64) {
            if (sent > 0)
                markWritten();
        });
        QObject::connect(reply, &QNetworkReply::metaDataChanged, reply, [this] { handleMetaData(); });
        QObject::connect(reply, &QNetworkReply::readyRead, reply, [this] { takeBody(); });
        QObject::connect(
            reply, &QNetworkReply::sslErrors, reply, [this](const QList<QSslError> &errors) { m_sslErrors = errors; });
        QObject::connect(reply, &QNetworkReply::finished, reply, [this] { handleFinished(); });
    }

    ~QnamExchange() override
    {
        m_engine->m_exchanges.removeOne(this);
        QObject::disconnect(m_reply, nullptr, m_reply, nullptr);
        m_reply->abort();
        QCoreApplication::removePostedEvents(m_reply, QEvent::MetaCall); // a finish boundReadAhead() deferred
        m_reply->deleteLater();
    }

    void abort() override { delete this; }

    /// Qt's HTTP thread reads a body as fast as it comes unless the reply has a read buffer
    /// size; with one it stops reading the socket while that much waits for this thread, so a
    /// body over the limit costs no more memory however long this thread is busy. Qt hands the
    /// size to its thread only once the request has started, and starts a request with a body
    /// from the event loop, after whatever this thread does next: start it now, as Qt does
    /// itself for a request without a body.
    void boundReadAhead()
    {
        m_starting = true;
        QCoreApplication::sendPostedEvents(m_reply, QEvent::MetaCall);
        m_starting = false;
        m_reply->setReadBufferSize(QnamHttpEngine::ReadAheadBytes);
        // A reply that failed at once (a scheme Qt cannot serve) finished just now: the listener
        // hears of it from the event loop, never from inside HttpEngine::start().
        if (m_finishedWhileStarting)
            QMetaObject::invokeMethod(
                m_reply, [this] { handleFinished(); }, Qt::QueuedConnection);
    }

private:
    void markWritten()
    {
        if (m_written)
            return;
        m_written = true;
        m_listener->requestWritten();
    }

    void handleMetaData()
    {
        m_responseStarted = true;
        bool ok = false;
        const qint64 length = m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
        if (ok && length > m_maxBytes) {
            m_bodyTooLarge = true;
            m_reply->abort(); // finished() follows, synchronously
            return;
        }
        const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        m_listener->responseStarted(status.toInt(), m_reply->rawHeaderPairs());
    }

    void takeBody()
    {
        m_responseStarted = true;
        if (m_bodyTooLarge)
            return;
        if (m_body.size() + m_reply->bytesAvailable() > m_maxBytes) {
            m_bodyTooLarge = true;
            m_reply->abort();
            return;
        }
        m_body += m_reply->readAll();
        m_listener->bodyReceived(m_body.size());
    }

    void handleFinished()
    {
        if (m_starting) {
            m_finishedWhileStarting = true;
            return;
        }
        if (!m_bodyTooLarge) {
            if (m_body.size() + m_reply->bytesAvailable() > m_maxBytes)
                m_bodyTooLarge = true;
            else
                m_body += m_reply->readAll();
        }

        HttpExchangeResult result;
        const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (status.isValid()) {
            result.status = status.toInt();
            result.headers = m_reply->rawHeaderPairs();
        }
        const QNetworkReply::NetworkError error = m_reply->error();
        if (m_bodyTooLarge) {
            result.outcome = HttpOutcome::TooLarge;
        } else if (error == QNetworkReply::SslHandshakeFailedError || !m_sslErrors.isEmpty()) {
            result.outcome = HttpOutcome::TlsFailure;
            result.tlsErrors = m_sslErrors;
            result.errorText = m_reply->errorString();
        } else if (isTransportError(error) || !status.isValid()) {
            result.outcome = outcomeOf(error, m_responseStarted);
            result.errorText = m_reply->errorString();
        } else {
            result.body = std::move(m_body);
        }
        HttpExchangeListener *listener = m_listener;
        delete this;
        listener->exchangeFinished(result);
    }

    QnamHttpEngine *m_engine;
    QNetworkReply *m_reply;
    HttpExchangeListener *m_listener;
    qint64 m_maxBytes;
    QByteArray m_body;
    QList<QSslError> m_sslErrors;
    bool m_written = false;
    bool m_responseStarted = false;
    bool m_bodyTooLarge = false;
    bool m_starting = false;
    bool m_finishedWhileStarting = false;
};

QnamHttpEngine::QnamHttpEngine(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_proxies(new ProxyFactory)
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network->setStrictTransportSecurityEnabled(false);
    m_network->setAutoDeleteReplies(false);
    // Proxies are the caller's choice (botocore's rules), never the desktop's settings.
    m_network->setProxyFactory(m_proxies);
}

QnamHttpEngine::~QnamHttpEngine()
{
    while (!m_exchanges.isEmpty())
        delete m_exchanges.constLast();
}

HttpExchange *QnamHttpEngine::start(HttpAttempt attempt, HttpExchangeListener *listener)
{
    QNetworkRequest request(attempt.url);
    for (const auto &[name, value] : std::as_const(attempt.headers))
        request.setRawHeader(name, value);
    // HTTP/1.1 only: Qt's HTTP/2 handler also widens the flow-control window as data arrives,
    // not as this thread takes it, which no read buffer size holds back (see boundReadAhead()).
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    if (attempt.tls && attempt.url.scheme() == QLatin1String("https"))
        request.setSslConfiguration(*attempt.tls);
    m_proxies->set(attempt.url, attempt.proxy);

    const bool hasBody = !attempt.body.isEmpty() || (attempt.method != "GET" && attempt.method != "HEAD");
    QNetworkReply *reply = hasBody ? m_network->sendCustomRequest(request, attempt.method, attempt.body)
                                   : m_network->sendCustomRequest(request, attempt.method);
    auto *exchange = new QnamExchange(this, reply, listener, attempt.maxResponseBytes);
    m_exchanges.append(exchange);
    exchange->boundReadAhead();
    return exchange;
}

} // namespace pagewise
