#include "paginator.h"

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
        // Reported from the event loop, like every other outcome of fetchNext().
        m_failurePending = true;
        QMetaObject::invokeMethod(
            this,
            [this, error] {
                if (!m_failurePending)
                    return;
                m_failurePending = false;
                emit pageFailed(error);
            },
            Qt::QueuedConnection);
        return;
    }
    m_working = m_committed;
    m_emptyRun = 0;
    sendCurrent();
}

void Paginator::cancel()
{
    m_failurePending = false;
    if (!m_call)
        return;
    PageCall *call = m_call;
    m_call = nullptr;
    disconnect(call, nullptr, this, nullptr);
    call->cancel();
}

bool Paginator::isFetching() const
{
    return m_call || m_failurePending;
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

void Paginator::sendCurrent()
{
    const HttpRequestParts request
        = m_codec.encode(m_query.parameters, m_working.token.value_or(QString()), m_query.pageSize);
    PageCall *call = m_transport->send(m_kind, request);
    m_call = call;
    connect(call, &PageCall::finished, this, &Paginator::handleFinished);
}

void Paginator::handleFinished(const AwsResponse &response)
{
    m_call = nullptr;
    const int number = ++m_working.pageNumber;
    const bool firstRequest = m_working.firstRequest;

    if (!response.ok()) {
        AwsError error = response.error;
        if (error.page == 0)
            error.page = number;
        if (firstRequest && m_startedFromToken && m_working.token)
            error = startingTokenRejected(std::move(error));
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
        // botocore only catches a token repeated twice in a row; a cycle (A -> B -> A) is caught too.
        const bool repeated
            = m_working.previousNextToken == next || m_seenTokens.contains(*next) || m_working.followed.contains(*next);
        m_working.previousNextToken = next;
        m_working.token = next;
        m_working.followed.append(*next);
        m_emptyPagesInARow = count == 0 ? m_emptyPagesInARow + 1 : 0;
        if (!repeated && count == 0 && ++m_emptyRun < maxEmptyPagesFollowed()
            && m_emptyPagesInARow < maxEmptyPagesInARow()) {
            sendCurrent();
            return;
        }
        if (repeated)
            m_repeatedTokenPage = number;
        m_resumeToken = PageToken {next, std::nullopt}.encode(inputToken);
    }
    m_itemCount += count;
    commitWorking();
    emit pageReady(page);
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
    if (error.page == 0)
        error.page = m_working.pageNumber;
    emit pageFailed(error);
}

AwsError Paginator::startingTokenRejected(AwsError error) const
{
    static const QStringList tokenErrors {
        QStringLiteral("InvalidNextTokenException"), QStringLiteral("ValidationException")};
    if (error.kind != AwsError::Kind::Service || !tokenErrors.contains(error.code))
        return error;
    const QString service = error.message.isEmpty() ? error.code : error.code + QStringLiteral(": ") + error.message;
    error.parameter = QStringLiteral("StartingToken");
    error.message = QStringLiteral("the service did not accept the starting token (%1). Service tokens expire and "
                                   "belong to one query: start the listing again without a starting token.")
                        .arg(service);
    return error;
}

} // namespace pagewise
