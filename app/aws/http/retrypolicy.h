#pragma once

#include <QString>

#include <functional>
#include <optional>

namespace pagewise
{

struct RetrySettings;

/// What went wrong with one attempt, as far as the retry decision cares.
struct AttemptFailure {
    enum class Transport {
        None, ///< a response arrived (httpStatus/code say what it was)
        ConnectionError, ///< refused, reset, dropped mid-response, DNS, malformed response
        Timeout, ///< connect or read timeout (costs more retry quota)
    };
    Transport transport = Transport::None;
    int httpStatus = 0; ///< 0 when no response arrived
    QString code; ///< cleaned AWS error code, empty when none
    std::optional<double> retryAfterSeconds; ///< the response's Retry-After, when it sent one
};

/// botocore's retry rules for one mode (`standard`, or `legacy` with its own lists):
/// which failures are retried, how many attempts are made, how long to wait in between.
class RetryPolicy
{
public:
    enum class Mode { Standard, Legacy };
    /// Never wait longer than this, even when Retry-After asks for more (standard's cap).
    static constexpr double MaxBackoffSeconds = 20.0;

    /// Returns a random number in [0, 1): the jitter of every backoff delay.
    using RandomSource = std::function<double()>;

    RetryPolicy(Mode mode, int maxAttempts);
    /// From the connection's settings: "legacy" selects legacy, anything else (standard,
    /// adaptive) standard, whose rules adaptive shares.
    static RetryPolicy fromSettings(const RetrySettings &settings);

    Mode mode() const { return m_mode; }
    int maxAttempts() const { return m_maxAttempts; }

    /// Whether this kind of failure is worth another attempt (ignoring the attempt count).
    bool isRetryable(const AttemptFailure &failure) const;
    /// Whether the attempt numbered failedAttempt (1-based) may be followed by another one.
    bool shouldRetry(const AttemptFailure &failure, int failedAttempt) const;

    /// The wait in seconds before the retry that follows the failed attempt (1-based):
    /// random * min(2^(n-1), 20) in standard mode (no cap in legacy), but at least the
    /// Retry-After the service sent, which is itself capped at 20 s.
    double backoffSeconds(int failedAttempt, double random, std::optional<double> retryAfterSeconds = {}) const;

    static bool isThrottlingCode(const QString &code);
    static bool isTransientCode(const QString &code);
    static bool isTransientStatus(int httpStatus);

private:
    Mode m_mode;
    int m_maxAttempts;
};

/// botocore's RetryQuota (standard mode): a bucket shared by every call of one client, so a
/// struggling service is not hammered by retries. Not used in legacy mode.
class RetryQuota
{
public:
    static constexpr int InitialCapacity = 500;
    static constexpr int RetryCost = 5;
    static constexpr int TimeoutRetryCost = 10;
    static constexpr int NoRetryIncrement = 1;

    int available() const { return m_available; }
    /// Takes the cost of one retry; returns the cost taken, or 0 when the quota is too short
    /// (then the call must not retry).
    int acquire(AttemptFailure::Transport transport);
    /// After a 2xx: gives back the last retry's cost, or NoRetryIncrement when the call was
    /// not retried (lastRetryCost 0). Never above the initial capacity.
    void releaseAfterSuccess(int lastRetryCost);

private:
    int m_available = InitialCapacity;
};

} // namespace pagewise
