#pragma once

#include "kinds/resourcekind.h"
#include "listquery.h"
#include "operationcodec.h"
#include "pagefetcher.h"
#include "pagetoken.h"

#include <QPointer>
#include <QSet>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace pagewise
{

class AwsClient;
struct AwsResponse;
class PageCall;
class PageTransport;

/// botocore's PageIterator as a PageFetcher: PageSize is the limit key on every request, MaxItems
/// truncates (mid-page too), StartingToken resumes (botocore or raw token), the listing stops when
/// the output token is missing, null or "".
///
/// Beyond botocore:
/// - Pages that come back empty but carry a token are followed within one fetchNext(), up to
///   maxEmptyPagesFollowed() in a row; then that empty Page is delivered (hasMore() stays true) so
///   the caller can decide whether to go on. Never an endless loop.
/// - When the service returns the same token twice in a row, the page that carried it is
///   delivered (its items are real) and the next fetchNext() fails with AwsError::Kind::Pagination
///   instead of requesting it again; botocore raises PaginationError at the same point.
/// - Page::number counts the service's pages, followed empty ones included.
/// - A failure (service, network, malformed body) delivers nothing of that page and advances
///   nothing: the next fetchNext() sends the same token again (a rejected token excepted, below).
/// - A StartingToken the service rejects (refusesPageToken() on the first request) fails with
///   parameter "StartingToken" and a message saying so, the service's code and message kept. One
///   that cannot be read fails the first fetchNext() without sending.
/// - A token the listing followed that the service rejects (expired, see refusesPageToken())
///   fails with pageTokenRejected(): isPageTokenRejected() is true, the service's code and message
///   are quoted and its status and request id kept. Every later fetchNext() fails the same way
///   without sending: the listing cannot go on; a new Paginator starts it again.
/// - fetchNext() does nothing while fetching or once hasMore() is false.
/// - resumeToken() is the StartingToken until a page arrives, then the botocore token for the
///   position after the last delivered item; empty at the end of the listing.
/// - The query is sent as given: validate it first with QueryValidator.
/// - Read-ahead, when turned on (setReadAhead()), overlaps the service's work on the next page with
///   the caller's work on this one; what is delivered is exactly the same as without it.
class Paginator final : public PageFetcher
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Paginator)
public:
    /// Over HTTP. The client must outlive the paginator.
    Paginator(AwsClient *client, const ResourceKind &kind, ListQuery query, QObject *parent = nullptr);
    /// Over any transport (tests use a fake).
    Paginator(
        std::unique_ptr<PageTransport> transport, const ResourceKind &kind, ListQuery query, QObject *parent = nullptr);
    ~Paginator() override;

    void fetchNext() override;
    void cancel() override;
    bool isFetching() const override;
    bool hasMore() const override;
    qint64 itemCount() const override;
    QString resumeToken() const override;

    /// How delivered pages carry their items (Json by default, what the window's models read).
    /// Raw is for writers that read Page::raw; any page may still come with `items` (see
    /// OperationCodec::decodeRaw()). Truncation (MaxItems, StartingToken) and tokens are the same
    /// in both.
    void setItemDecoding(ItemDecoding decoding) { m_itemDecoding = decoding; }
    ItemDecoding itemDecoding() const { return m_itemDecoding; }

    /// Read-ahead (off by default; `pagewise export` turns it on): when a page's response arrives,
    /// the request for the page after it goes out at once, with the token read straight from the
    /// body (OperationCodec::peekNextToken()), before the page is decoded, checked and delivered, so
    /// the service works on the next page while this one is parsed and written. The next
    /// fetchNext() takes that request over (its outcome still comes from the event loop); it is
    /// cancelled when the decoded page disagrees (another token, a failure, the end of the
    /// listing, MaxItems reached, a repeated token). Not sent when MaxItems or the limit on empty
    /// pages in a row may end the listing with this page. For callers that fetch every page.
    void setReadAhead(bool on) { m_readAhead = on; }
    bool readAhead() const { return m_readAhead; }

    const ListQuery &query() const { return m_query; }
    const ResourceKind &kind() const { return m_kind; }
    /// Pages received from the service so far (followed empty ones included).
    int pagesReceived() const { return m_committed.pageNumber; }

    static constexpr int maxEmptyPagesFollowed() { return 50; }
    /// Empty pages in a row (across fetchNext() calls) after which the listing reports a
    /// Pagination error instead of scanning on; the next fetchNext() scans as far again.
    static constexpr int maxEmptyPagesInARow() { return 500; }

private:
    /// Where the listing stands; copied at the start of a fetch and committed only when a page
    /// is delivered, so a failure leaves it untouched.
    struct Position {
        std::optional<QString> token; ///< the token that fetches the next page (nullopt: none)
        std::optional<QString> previousNextToken; ///< the output token of the previous page
        QStringList followed; ///< tokens followed since the last delivered page (joined to m_seenTokens then)
        qint64 skip = 0; ///< StartingToken's boto_truncate_amount, for the first page only
        bool firstRequest = true;
        int pageNumber = 0;
    };

    /// The request read ahead, in flight or already answered, and the token it was sent with.
    struct ReadAhead {
        QPointer<PageCall> call;
        QString token;
        std::unique_ptr<AwsResponse> response; ///< it finished before fetchNext() took it over
    };

    PageCall *send(const QString &token);
    void sendCurrent();
    void handleCallFinished(PageCall *call, const AwsResponse &response);
    void handleFinished(const AwsResponse &response);
    /// A token this listing must not follow: botocore's repeat rule, and cycles.
    bool isRepeated(const QString &token) const;
    void sendAhead(const QByteArray &body);
    /// Continues the fetch with the read-ahead request when it was sent with m_working's token.
    bool takeAhead();
    /// Cancels the read-ahead request unless it was sent with `token`.
    void keepAheadOnlyFor(const std::optional<QString> &token);
    /// Runs an outcome from the event loop, as fetchNext() reports everything; cancel() stops it.
    void queueOutcome(std::function<void()> outcome);
    void fail(AwsError error);
    void commitWorking();
    AwsError startingTokenRejected(AwsError error) const;

    ResourceKind m_kind;
    ListQuery m_query;
    std::unique_ptr<PageTransport> m_transport;
    OperationCodec m_codec;
    ItemDecoding m_itemDecoding = ItemDecoding::Json;
    QPointer<PageCall> m_call;
    ReadAhead m_ahead;
    bool m_readAhead = false;

    Position m_committed;
    Position m_working;
    int m_emptyRun = 0; ///< empty pages followed within this fetchNext()
    int m_emptyPagesInARow = 0; ///< empty pages delivered or followed since the last item
    qint64 m_itemCount = 0;
    bool m_hasMore = true;
    bool m_startedFromToken = false;
    QString m_resumeToken;
    AwsError m_startError; ///< a StartingToken that could not be read, reported by fetchNext()
    AwsError m_rejectedToken; ///< the service refused a followed token: reported by every fetchNext()
    int m_repeatedTokenPage = 0; ///< page whose output token repeated one already followed
    QSet<QString> m_seenTokens; ///< every token this listing has followed: a cycle A -> B -> A would never end
    quint64 m_queuedOutcome = 0; ///< the outcome queueOutcome() queued last, until it runs or is cancelled (0: none)
    quint64 m_outcomeSerial = 0;
};

} // namespace pagewise
