#pragma once

#include "core/awserror.h"
#include "listquery.h"
#include "page.h"

#include <QObject>

#include <functional>
#include <memory>

namespace pagewise
{

/// Delivers the pages of one listing, one request at a time. The real one is the Paginator
/// (botocore semantics over HTTP); unit tests of models use a fake.
///
/// Contract:
/// - fetchNext() starts the request for the page after the last one delivered (the first
///   page on the first call), or takes over one already started for it (Paginator's read-ahead),
///   and returns at once; it does nothing while a request is in flight.
/// - Exactly one of pageReady / pageFailed follows each fetchNext() unless cancel() is called.
/// - After pageFailed nothing advanced: the next fetchNext() retries the same page (same token),
///   except after a failure isPageTokenRejected() is true for: the service no longer accepts the
///   listing's token, so every later fetchNext() fails the same way; a new fetcher starts over.
/// - cancel() aborts a request in flight; no signal follows for it.
class PageFetcher : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~PageFetcher() override = default;

    virtual void fetchNext() = 0;
    virtual void cancel() = 0;
    virtual bool isFetching() const = 0;
    /// True until the service said there is no further page or MaxItems was reached.
    virtual bool hasMore() const = 0;
    /// Items delivered so far.
    virtual qint64 itemCount() const = 0;
    /// A botocore-compatible token that resumes the listing right after the last delivered item
    /// (what `aws ... --starting-token` accepts); empty when the listing is complete.
    virtual QString resumeToken() const = 0;

signals:
    void pageReady(const pagewise::Page &page);
    void pageFailed(const pagewise::AwsError &error);
};

/// Makes the fetcher for one listing (a Paginator in the program, a fake in model tests).
using PageFetcherFactory = std::function<std::unique_ptr<PageFetcher>(const ListQuery &)>;

} // namespace pagewise
