#pragma once

#include "paging/pagefetcher.h"

#include <QJsonArray>
#include <QList>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

namespace pagewise::test
{

/// A scripted listing for model tests: the pages are given up front, and the test decides when
/// the request in flight answers (deliver / fail), so every ordering can be reproduced.
class FakePageFetcher final : public PageFetcher
{
    Q_OBJECT
public:
    explicit FakePageFetcher(QList<QJsonArray> pages, QObject *parent = nullptr)
        : PageFetcher(parent)
        , m_pages(std::move(pages))
    {
    }

    void fetchNext() override
    {
        if (m_inFlight)
            return;
        m_inFlight = true;
        requestedPages.append(m_next);
        if (autoDeliver)
            QMetaObject::invokeMethod(this, &FakePageFetcher::deliver, Qt::QueuedConnection);
    }
    void cancel() override
    {
        m_inFlight = false;
        ++cancels;
    }
    bool isFetching() const override { return m_inFlight; }
    bool hasMore() const override { return m_next < m_pages.size(); }
    qint64 itemCount() const override { return m_items; }
    QString resumeToken() const override { return hasMore() ? QStringLiteral("resume-%1").arg(m_next) : QString(); }

    /// Answers the request in flight with the next page (or the queued failure).
    void deliver()
    {
        if (!m_inFlight)
            return;
        m_inFlight = false;
        if (!failures.isEmpty()) {
            AwsError error = failures.takeFirst();
            error.page = m_next + 1;
            emit pageFailed(error);
            return;
        }
        Page page;
        page.items = m_pages.value(m_next);
        page.number = ++m_next;
        page.nextToken = hasMore() ? QStringLiteral("token-%1").arg(m_next) : QString();
        m_items += page.items.size();
        emit pageReady(page);
    }

    /// Failures the next deliveries report instead of a page (the page does not advance).
    QList<AwsError> failures;
    /// Answer every request on the next event-loop turn.
    bool autoDeliver = false;
    /// Index of the page each fetchNext() asked for (0-based), in order.
    QList<int> requestedPages;
    int cancels = 0;

private:
    QList<QJsonArray> m_pages;
    int m_next = 0;
    qint64 m_items = 0;
    bool m_inFlight = false;
};

/// A factory that hands out FakePageFetchers over `pages` and remembers what it made and for
/// which query (the model owns the fetchers; the QPointers go null when it drops one).
struct FakeFetcherFactory {
    QList<QJsonArray> pages;
    bool autoDeliver = false;
    QList<ListQuery> queries;
    QList<QPointer<FakePageFetcher>> fetchers;
    std::function<QList<QJsonArray>(const ListQuery &)> pagesFor;

    PageFetcherFactory factory()
    {
        return [this](const ListQuery &query) -> std::unique_ptr<PageFetcher> {
            queries.append(query);
            auto fetcher = std::make_unique<FakePageFetcher>(pagesFor ? pagesFor(query) : pages);
            fetcher->autoDeliver = autoDeliver;
            fetchers.append(fetcher.get());
            return fetcher;
        };
    }
    FakePageFetcher *last() const { return fetchers.isEmpty() ? nullptr : fetchers.last().data(); }
};

inline AwsError makeError(AwsError::Kind kind, const QString &code, const QString &message = QString())
{
    AwsError error;
    error.kind = kind;
    error.code = code;
    error.message = message.isEmpty() ? code : message;
    return error;
}

} // namespace pagewise::test
