#include "retrypolicy.h"

#include "aws/config/connection.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace pagewise
{

namespace
{

template<std::size_t N>
bool contains(const QLatin1String (&list)[N], const QString &code)
{
    return std::any_of(std::begin(list), std::end(list), [&code](QLatin1String item) { return code == item; });
}

// botocore/retries/standard.py: _TRANSIENT_ERROR_CODES, _THROTTLED_ERROR_CODES.
constexpr QLatin1String TransientCodes[] = {
    QLatin1String("RequestTimeout"),
    QLatin1String("RequestTimeoutException"),
    QLatin1String("PriorRequestNotComplete"),
};

constexpr QLatin1String ThrottlingCodes[] = {
    QLatin1String("Throttling"),
    QLatin1String("ThrottlingException"),
    QLatin1String("ThrottledException"),
    QLatin1String("RequestThrottledException"),
    QLatin1String("TooManyRequestsException"),
    QLatin1String("ProvisionedThroughputExceededException"),
    QLatin1String("TransactionInProgressException"),
    QLatin1String("RequestLimitExceeded"),
    QLatin1String("BandwidthLimitExceeded"),
    QLatin1String("LimitExceededException"),
    QLatin1String("RequestThrottled"),
    QLatin1String("SlowDown"),
    QLatin1String("PriorRequestNotComplete"),
    QLatin1String("EC2ThrottledException"),
};

// Error shapes with the `retryable` trait in the operations we call (Deadline ListSessions);
// ThrottlingException, the other one, is already a throttling code.
constexpr QLatin1String ModeledRetryableCodes[] = {
    QLatin1String("InternalServerErrorException"),
};

// botocore/data/_retry.json __default__: these codes retry only together with HTTP 400.
constexpr QLatin1String LegacyThrottlingCodes[] = {
    QLatin1String("Throttling"),
    QLatin1String("ThrottlingException"),
    QLatin1String("ThrottledException"),
    QLatin1String("RequestThrottledException"),
    QLatin1String("ProvisionedThroughputExceededException"),
};

} // namespace

RetryPolicy::RetryPolicy(Mode mode, int maxAttempts)
    : m_mode(mode)
    , m_maxAttempts(std::max(1, maxAttempts))
{
}

RetryPolicy RetryPolicy::fromSettings(const RetrySettings &settings)
{
    const Mode mode
        = settings.mode.compare(QLatin1String("legacy"), Qt::CaseInsensitive) == 0 ? Mode::Legacy : Mode::Standard;
    return RetryPolicy(mode, settings.maxAttempts);
}

bool RetryPolicy::isThrottlingCode(const QString &code)
{
    return contains(ThrottlingCodes, code);
}

bool RetryPolicy::isTransientCode(const QString &code)
{
    return contains(TransientCodes, code);
}

bool RetryPolicy::isTransientStatus(int httpStatus)
{
    return httpStatus == 500 || httpStatus == 502 || httpStatus == 503 || httpStatus == 504;
}

bool RetryPolicy::isRetryable(const AttemptFailure &failure) const
{
    if (failure.transport != AttemptFailure::Transport::None)
        return true;
    if (m_mode == Mode::Legacy) {
        const int status = failure.httpStatus;
        if (isTransientStatus(status) || status == 509 || status == 429)
            return true;
        return status == 400 && contains(LegacyThrottlingCodes, failure.code);
    }
    // 429 counts as throttling whatever the code, as the protocol notes recommend.
    return isTransientStatus(failure.httpStatus) || failure.httpStatus == 429 || isTransientCode(failure.code)
        || isThrottlingCode(failure.code) || contains(ModeledRetryableCodes, failure.code);
}

bool RetryPolicy::shouldRetry(const AttemptFailure &failure, int failedAttempt) const
{
    return failedAttempt < m_maxAttempts && isRetryable(failure);
}

double RetryPolicy::backoffSeconds(int failedAttempt, double random, std::optional<double> retryAfterSeconds) const
{
    const double growth = std::pow(2.0, std::max(0, failedAttempt - 1));
    double delay = random * (m_mode == Mode::Standard ? std::min(growth, MaxBackoffSeconds) : growth);
    if (retryAfterSeconds && *retryAfterSeconds > 0)
        delay = std::max(delay, std::min(*retryAfterSeconds, MaxBackoffSeconds));
    return delay;
}

int RetryQuota::acquire(AttemptFailure::Transport transport)
{
    const int cost = transport == AttemptFailure::Transport::Timeout ? TimeoutRetryCost : RetryCost;
    if (cost > m_available)
        return 0;
    m_available -= cost;
    return cost;
}

void RetryQuota::releaseAfterSuccess(int lastRetryCost)
{
    const int amount = lastRetryCost > 0 ? lastRetryCost : NoRetryIncrement;
    m_available = std::min(InitialCapacity, m_available + amount);
}

} // namespace pagewise
