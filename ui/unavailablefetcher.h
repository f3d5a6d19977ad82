#pragma once

#include "paging/pagefetcher.h"

namespace pagewise
{

/// Stands in for a Paginator while there is no usable connection: every fetchNext() fails with
/// the reason (unresolvable profile, no region, ...), so the view shows it with Retry like any
/// other failed page.
class UnavailableFetcher final : public PageFetcher
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnavailableFetcher)
public:
    explicit UnavailableFetcher(AwsError reason, QObject *parent = nullptr);

    void fetchNext() override;
    void cancel() override;
    bool isFetching() const override { return m_pending; }
    bool hasMore() const override { return true; }
    qint64 itemCount() const override { return 0; }
    QString resumeToken() const override { return {}; }

private:
    AwsError m_reason;
    bool m_pending = false;
};

} // namespace pagewise
