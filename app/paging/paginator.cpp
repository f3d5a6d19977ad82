#include "paginator.h"

#include "pagetokenrejection.h"
#include "pagetransport.h"

namespace pagewise
{

Paginator::Paginator(
    std::unique_ptr<PageTransport> transport, const ResourceKind &kind, ListQuery query, QObject *parent)
    : PageFetcher(parent)
    , m_kind(kind)
    , m_query(std::move(query))
    , m_transport(std::move(transport))
    , m_codec(m_kind)
{
    if (m_query.startingToken.isEmpty())
        return;
    const Result<PageToken> start = PageToken::decode(m_kind.pagination.inputToken, m_query.startingToken);
    if (!start) {
        m_startError = start.error();
        return;
    }
    m_startedFromToken = true;
    m_resumeToken = m_query.startingToken;
    const std::optional<QString> &token = start.value().serviceToken;
    // botocore injects neither None nor the string 'None'; we never send an empty token either.
    if (token && !token->isEmpty() && *token != QLatin1String("None"))
        m_committed.token = token;
    m_committed.skip = start.value().truncateAmount.value_or(0);
}

Paginator::~Paginator()
{
    cancel();
}

void Paginator::fetchNext()
{
    if (isFetching() || !m_hasMore)
        return;
    AwsError error = m_startError;
    if (!error.isError() && m_rejectedToken.isError())
        error = m_rejectedToken; // sending the dead token again cannot work
    if (!error.isError() && m_repeatedTokenPage > 0) {
        error.kind = AwsError::Kind::Pagination;
        error.code = QStringLiteral("RepeatedNextToken");
        error.page = m_repeatedTokenPage;
        error.message = QStringLiteral("the service returned the same %1 twice (page %2); stopping instead of looping")
                            .arg(m_kind.pagination.outputToken)
                            .arg(m_repeatedTokenPage);
    }
    if (!error.isError() && m_emptyPagesInARow >= maxEmptyPagesInARow()) {
        error.kind = AwsError::Kind::Pagination;
        error.code = QStringLiteral("EmptyPages");
        error.page = m_committed.pageNumber;
        error.message = QStringLiteral("the service returned %1 empty pages in a row, each with a %2 (up to page %3); "
                                       "stopped scanning: retry to scan further")
                            .arg(m_emptyPagesInARow)
                            .arg(m_kind.pagination.outputToken)
                            .arg(m_committed.pageNumber);
        m_emptyPagesInARow = 0; // a retry scans as far again
    }
    if (error.isError()) {
        keepAheadOnlyFor(std::nullopt);
        queueOutcome([this, error] { emit pageFailed(error); });
        return;
    }
    m_working = m_committed;
    m_emptyRun = 0;
    if (!takeAhead())
        sendCurrent();
}

void Paginator::cancel()
{
    m_queuedOutcome = 0;
    keepAheadOnlyFor(std::nullopt);
    if (!m_call)
        return;
    PageCall *call = m_call;
    m_call = nullptr;
    disconnect(call, nullptr, this, nullptr);
    call->cancel();
}

bool Paginator::isFetching() const
{
    return m_call || m_queuedOutcome != 0;
}

bool Paginator::hasMore() const
{
    return m_hasMore;
}

qint64 Paginator::itemCount() const
{
    return m_itemCount;
}

QString Paginator::resumeToken() const
{
    return m_resumeToken;
}

PageCall *Paginator::send(const QString &token)
{
    PageCall *call = m_transport->send(m_kind, m_codec.encode(m_query.parameters, token, m_query.pageSize));
    connect(call, &PageCall::finished, this,
        [this, call](const AwsResponse &response) { handleCallFinished(call, response); });
    return call;
}

void Paginator::sendCurrent()
{
    m_call = send(m_working.token.value_or(QString()));
}

void Paginator::handleCallFinished(PageCall *call, const AwsResponse &response)
{
    if (call == m_call) {
        handleFinished(response);
    } else if (call == m_ahead.call) {
        m_ahead.call = nullptr;
        m_ahead.response = std::make_unique<AwsResponse>(response);
    }
}

void Paginator::handleFinished(const AwsResponse &response)
{
    m_call = nullptr;
    const int number = ++m_working.pageNumber;
    const bool firstRequest = m_working.firstRequest;

    if (response.ok()) {
        sendAhead(response.body);
    } else {
        AwsError error = response.error;
        if (error.page == 0)
            error.page = number;
        if (m_working.token && refusesPageToken(error, m_kind.pagination.inputToken)) {
            if (firstRequest && m_startedFromToken) {
                error = startingTokenRejected(std::move(error));
            } else {
                error = pageTokenRejected(std::move(error));
                m_rejectedToken = error;
            }
        }
        fail(std::move(error));
        return;
    }

    Result<Page> decoded = m_codec.decode(response.body, number, m_itemDecoding);
    if (!decoded) {
        AwsError error = decoded.error();
        error.httpStatus = response.httpStatus;
        error.requestId = response.requestId;
        error.attempts = response.attempts;
        fail(std::move(error));
        return;
    }
    Page page = std::move(decoded).value();
    page.requestId = response.requestId;
    page.attempts = response.attempts;

    // botocore left-truncates the first page of a resumed listing and counts that skip into a
    // truncation of the same page.
    qint64 startingTruncation = 0;
    if (firstRequest) {
        m_working.firstRequest = false;
        startingTruncation = m_working.skip;
        page.dropFirstItems(startingTruncation);
    }

    const qint64 count = page.itemCount();
    const std::optional<qint64> maxItems = m_query.maxItems;
    const QString &inputToken = m_kind.pagination.inputToken;

    if (maxItems && m_itemCount + count > *maxItems) {
        const qint64 keep = *maxItems - m_itemCount;
        page.keepFirstItems(keep);
        // The resume token names the token that FETCHED this page, plus how much of it was used.
        m_resumeToken = PageToken {m_working.token, keep + startingTruncation}.encode(inputToken);
        m_hasMore = false;
        m_itemCount += keep;
        commitWorking();
        keepAheadOnlyFor(std::nullopt);
        emit pageReady(page);
        return;
    }

    const std::optional<QString> next
        = page.nextToken.isEmpty() ? std::nullopt : std::optional<QString>(page.nextToken);
    if (!next) {
        m_resumeToken.clear();
        m_hasMore = false;
    } else if (maxItems && m_itemCount + count == *maxItems) {
        m_resumeToken = PageToken {next, std::nullopt}.encode(inputToken);
        m_hasMore = false;
    } else {
        const bool repeated = isRepeated(*next);
        m_working.previousNextToken = next;
        m_working.token = next;
        m_working.followed.append(*next);
        m_emptyPagesInARow = count == 0 ? m_emptyPagesInARow + 1 : 0;
        if (!repeated && count == 0 && ++m_emptyRun < maxEmptyPagesFollowed()
            && m_emptyPagesInARow < maxEmptyPagesInARow()) {
            if (!takeAhead())
                sendCurrent();
            return;
        }
        if (repeated)
            m_repeatedTokenPage = number;
        m_resumeToken = PageToken {next, std::nullopt}.encode(inputToken);
    }
    m_itemCount += count;
    commitWorking();
    keepAheadOnlyFor(m_hasMore && m_repeatedTokenPage == 0 ? m_committed.token : std::nullopt);
    emit pageReady(page);
}

bool Paginator::isRepeated(const QString &token) const
{
    // botocore only catches a token repeated twice in a row; a cycle (A -> B -> A) is caught too.
    return m_working.previousNextToken == token || m_seenTokens.contains(token) || m_working.followed.contains(token);
}

void Paginator::sendAhead(const QByteArray &body)
{
    if (!m_readAhead)
        return;
    // Not when this page may end the listing by MaxItems (pageSize caps its items) or stop the
    // scan of empty pages: there would be no next request to make.
    const std::optional<qint64> maxItems = m_query.maxItems;
    if (maxItems && !(m_query.pageSize && m_itemCount + *m_query.pageSize < *maxItems))
        return;
    if (m_emptyPagesInARow + 1 >= maxEmptyPagesInARow())
        return;
    std::optional<QString> token = m_codec.peekNextToken(body);
    if (!token || isRepeated(*token))
        return;
    m_ahead.call = send(*token);
    m_ahead.token = *std::move(token);
}

bool Paginator::takeAhead()
{
    if (!m_ahead.call && !m_ahead.response)
        return false;
    if (!m_working.token || m_ahead.token != *m_working.token) {
        keepAheadOnlyFor(std::nullopt);
        return false;
    }
    if (m_ahead.response) {
        std::shared_ptr<const AwsResponse> response = std::move(m_ahead.response);
        queueOutcome([this, response] { handleFinished(*response); });
    } else {
        m_call = m_ahead.call;
    }
    m_ahead = {};
    return true;
}

void Paginator::keepAheadOnlyFor(const std::optional<QString> &token)
{
    if (token && m_ahead.token == *token)
        return;
    if (PageCall *call = m_ahead.call) {
        disconnect(call, nullptr, this, nullptr);
        call->cancel();
    }
    m_ahead = {};
}

void Paginator::queueOutcome(std::function<void()> outcome)
{
    const quint64 id = ++m_outcomeSerial;
    m_queuedOutcome = id;
    QMetaObject::invokeMethod(
        this,
        [this, id, outcome = std::move(outcome)] {
            if (m_queuedOutcome != id)
                return;
            m_queuedOutcome = 0;
            outcome();
        },
        Qt::QueuedConnection);
}

void Paginator::commitWorking()
{
    for (const QString &token : std::as_const(m_working.followed))
        m_seenTokens.insert(token);
    m_working.followed.clear();
    m_committed = m_working;
}

void Paginator::fail(AwsError error)
{
    keepAheadOnlyFor(std::nullopt);
    if (error.page == 0)
        error.page = m_working.pageNumber;
    emit pageFailed(error);
}

AwsError Paginator::startingTokenRejected(AwsError error) const
{
    const QString service = error.message.isEmpty() ? error.code : error.code + QStringLiteral(": ") + error.message;
    error.parameter = QStringLiteral("StartingToken");
    error.message = QStringLiteral("the service did not accept the starting token (%1). Service tokens expire and "
                                   "belong to one query: start the listing again without a starting token.")
                        .arg(service);
    return error;
}

} // namespace pagewise
