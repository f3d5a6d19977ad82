#include "unavailablefetcher.h"

#include <QTimer>

namespace pagewise
{

UnavailableFetcher::UnavailableFetcher(AwsError reason, QObject *parent)
    : PageFetcher(parent)
    , m_reason(std::move(reason))
{
}

void UnavailableFetcher::fetchNext()
{
    if (m_pending)
        return;
    m_pending = true;
    // Asynchronous like a real request: the model expects the answer after fetchNext() returns.
    QTimer::singleShot(0, this, [this] {
        if (!m_pending)
            return;
        m_pending = false;
        AwsError error = m_reason;
        error.page = 1;
        emit pageFailed(error);
    });
}

void UnavailableFetcher::cancel()
{
    m_pending = false;
}

} // namespace pagewise
