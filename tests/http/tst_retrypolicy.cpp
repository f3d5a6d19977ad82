#include "aws/config/connection.h"
#include "aws/http/retrypolicy.h"

#include <QTest>

using namespace pagewise;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(pagewise::RetryPolicy::Mode)
Q_DECLARE_METATYPE(pagewise::AttemptFailure::Transport)

class tst_RetryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void isRetryable_data();
    void isRetryable();
    void attemptLimit_data();
    void attemptLimit();
    void modeFromSettings_data();
    void modeFromSettings();
    void backoff_data();
    void backoff();
    void backoffStaysWithinBounds();
    void quotaDrains();
    void quotaTimeoutsCostMore();
    void quotaRefundsOnSuccess();
};

void tst_RetryPolicy::isRetryable_data()
{
    using Mode = RetryPolicy::Mode;
    using Transport = AttemptFailure::Transport;
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<Transport>("transport");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("retryable");

    const QStringList throttling = {u"Throttling"_s, u"ThrottlingException"_s, u"ThrottledException"_s,
        u"RequestThrottledException"_s, u"TooManyRequestsException"_s, u"ProvisionedThroughputExceededException"_s,
        u"TransactionInProgressException"_s, u"RequestLimitExceeded"_s, u"BandwidthLimitExceeded"_s,
        u"LimitExceededException"_s, u"RequestThrottled"_s, u"SlowDown"_s, u"PriorRequestNotComplete"_s,
        u"EC2ThrottledException"_s};
    for (const QString &code : throttling)
        QTest::addRow("standard throttling %s", qPrintable(code))
            << Mode::Standard << Transport::None << 400 << code << true;
    for (const QString &code : {u"RequestTimeout"_s, u"RequestTimeoutException"_s, u"PriorRequestNotComplete"_s})
        QTest::addRow("standard transient %s", qPrintable(code))
            << Mode::Standard << Transport::None << 408 << code << true;
    for (int status : {500, 502, 503, 504})
        QTest::addRow("standard status %d", status)
            << Mode::Standard << Transport::None << status << QString::number(status) << true;
    QTest::addRow("standard 501") << Mode::Standard << Transport::None << 501 << u"501"_s << false;
    QTest::addRow("standard 509") << Mode::Standard << Transport::None << 509 << u"509"_s << false;
    QTest::addRow("standard 429 any code") << Mode::Standard << Transport::None << 429 << u"SomethingElse"_s << true;
    QTest::addRow("standard deadline 429")
        << Mode::Standard << Transport::None << 429 << u"ThrottlingException"_s << true;
    QTest::addRow("standard modeled retryable")
        << Mode::Standard << Transport::None << 500 << u"InternalServerErrorException"_s << true;
    QTest::addRow("standard validation") << Mode::Standard << Transport::None << 400 << u"ValidationException"_s
                                         << false;
    QTest::addRow("standard access denied")
        << Mode::Standard << Transport::None << 403 << u"AccessDeniedException"_s << false;
    QTest::addRow("standard not found") << Mode::Standard << Transport::None << 404 << u"ResourceNotFoundException"_s
                                        << false;
    QTest::addRow("standard bad token") << Mode::Standard << Transport::None << 400 << u"InvalidNextTokenException"_s
                                        << false;
    QTest::addRow("standard signature") << Mode::Standard << Transport::None << 403 << u"InvalidSignatureException"_s
                                        << false;
    QTest::addRow("standard connection error")
        << Mode::Standard << Transport::ConnectionError << 0 << QString() << true;
    QTest::addRow("standard timeout") << Mode::Standard << Transport::Timeout << 0 << QString() << true;

    QTest::addRow("legacy connection error") << Mode::Legacy << Transport::ConnectionError << 0 << QString() << true;
    for (int status : {500, 502, 503, 504, 509, 429})
        QTest::addRow("legacy status %d", status) << Mode::Legacy << Transport::None << status << QString() << true;
    for (const QString &code : {u"Throttling"_s, u"ThrottlingException"_s, u"ThrottledException"_s,
             u"RequestThrottledException"_s, u"ProvisionedThroughputExceededException"_s})
        QTest::addRow("legacy 400 %s", qPrintable(code)) << Mode::Legacy << Transport::None << 400 << code << true;
    QTest::addRow("legacy throttling code needs 400")
        << Mode::Legacy << Transport::None << 403 << u"ThrottlingException"_s << false;
    QTest::addRow("legacy TooManyRequestsException")
        << Mode::Legacy << Transport::None << 400 << u"TooManyRequestsException"_s << false;
    QTest::addRow("legacy RequestTimeout") << Mode::Legacy << Transport::None << 400 << u"RequestTimeout"_s << false;
    QTest::addRow("legacy validation") << Mode::Legacy << Transport::None << 400 << u"ValidationException"_s << false;
}

void tst_RetryPolicy::isRetryable()
{
    QFETCH(RetryPolicy::Mode, mode);
    QFETCH(AttemptFailure::Transport, transport);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(bool, retryable);

    AttemptFailure failure;
    failure.transport = transport;
    failure.httpStatus = status;
    failure.code = code;
    const RetryPolicy policy(mode, 3);
    QCOMPARE(policy.isRetryable(failure), retryable);
    QCOMPARE(policy.shouldRetry(failure, 1), retryable);
}

void tst_RetryPolicy::attemptLimit_data()
{
    QTest::addColumn<int>("maxAttempts");
    QTest::addColumn<int>("failedAttempt");
    QTest::addColumn<bool>("retry");
    QTest::addRow("3: after 1st") << 3 << 1 << true;
    QTest::addRow("3: after 2nd") << 3 << 2 << true;
    QTest::addRow("3: after 3rd") << 3 << 3 << false;
    QTest::addRow("1: never") << 1 << 1 << false;
    QTest::addRow("5: after 4th") << 5 << 4 << true;
    QTest::addRow("5: after 5th") << 5 << 5 << false;
    QTest::addRow("0 means 1") << 0 << 1 << false;
}

void tst_RetryPolicy::attemptLimit()
{
    QFETCH(int, maxAttempts);
    QFETCH(int, failedAttempt);
    QFETCH(bool, retry);
    AttemptFailure throttled;
    throttled.httpStatus = 400;
    throttled.code = u"ThrottlingException"_s;
    QCOMPARE(RetryPolicy(RetryPolicy::Mode::Standard, maxAttempts).shouldRetry(throttled, failedAttempt), retry);
}

void tst_RetryPolicy::modeFromSettings_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("maxAttempts");
    QTest::addColumn<RetryPolicy::Mode>("expectedMode");
    QTest::addRow("standard") << u"standard"_s << 3 << RetryPolicy::Mode::Standard;
    QTest::addRow("adaptive shares standard's rules") << u"adaptive"_s << 4 << RetryPolicy::Mode::Standard;
    QTest::addRow("legacy") << u"legacy"_s << 5 << RetryPolicy::Mode::Legacy;
    QTest::addRow("legacy any case") << u"Legacy"_s << 2 << RetryPolicy::Mode::Legacy;
}

void tst_RetryPolicy::modeFromSettings()
{
    QFETCH(QString, mode);
    QFETCH(int, maxAttempts);
    QFETCH(RetryPolicy::Mode, expectedMode);
    RetrySettings settings;
    settings.mode = mode;
    settings.maxAttempts = maxAttempts;
    const RetryPolicy policy = RetryPolicy::fromSettings(settings);
    QCOMPARE(policy.mode(), expectedMode);
    QCOMPARE(policy.maxAttempts(), maxAttempts);
}

void tst_RetryPolicy::backoff_data()
{
    QTest::addColumn<RetryPolicy::Mode>("mode");
    QTest::addColumn<int>("failedAttempt");
    QTest::addColumn<double>("random");
    QTest::addColumn<double>("retryAfter"); // < 0: no Retry-After
    QTest::addColumn<double>("seconds");
    const auto standard = RetryPolicy::Mode::Standard;
    const auto legacy = RetryPolicy::Mode::Legacy;
    QTest::addRow("1st retry, half") << standard << 1 << 0.5 << -1.0 << 0.5;
    QTest::addRow("2nd retry, half") << standard << 2 << 0.5 << -1.0 << 1.0;
    QTest::addRow("3rd retry, 3/4") << standard << 3 << 0.75 << -1.0 << 3.0;
    QTest::addRow("5th retry, whole") << standard << 5 << 1.0 << -1.0 << 16.0;
    QTest::addRow("6th retry is capped") << standard << 6 << 1.0 << -1.0 << 20.0;
    QTest::addRow("10th retry is capped") << standard << 10 << 0.5 << -1.0 << 10.0;
    QTest::addRow("zero random") << standard << 4 << 0.0 << -1.0 << 0.0;
    QTest::addRow("Retry-After is a floor") << standard << 1 << 0.1 << 3.0 << 3.0;
    QTest::addRow("backoff above Retry-After") << standard << 3 << 0.9 << 1.0 << 3.6;
    QTest::addRow("Retry-After capped at 20 s") << standard << 1 << 0.1 << 100.0 << 20.0;
    QTest::addRow("Retry-After zero") << standard << 2 << 0.25 << 0.0 << 0.5;
    QTest::addRow("legacy has no cap") << legacy << 7 << 0.5 << -1.0 << 32.0;
    QTest::addRow("legacy 1st") << legacy << 1 << 0.5 << -1.0 << 0.5;
    QTest::addRow("legacy Retry-After floor") << legacy << 1 << 0.5 << 4.0 << 4.0;
}

void tst_RetryPolicy::backoff()
{
    QFETCH(RetryPolicy::Mode, mode);
    QFETCH(int, failedAttempt);
    QFETCH(double, random);
    QFETCH(double, retryAfter);
    QFETCH(double, seconds);
    const RetryPolicy policy(mode, 10);
    const std::optional<double> header = retryAfter < 0 ? std::nullopt : std::optional<double>(retryAfter);
    QCOMPARE(policy.backoffSeconds(failedAttempt, random, header), seconds);
}

void tst_RetryPolicy::backoffStaysWithinBounds()
{
    // Whatever the random source yields in [0, 1), the delay is in [0, min(2^(n-1), 20)).
    const RetryPolicy policy(RetryPolicy::Mode::Standard, 10);
    const double upper[] = {1, 2, 4, 8, 16, 20, 20, 20};
    for (int attempt = 1; attempt <= 8; ++attempt) {
        for (double random : {0.0, 0.001, 0.37, 0.5, 0.999999}) {
            const double delay = policy.backoffSeconds(attempt, random);
            QVERIFY(delay >= 0.0);
            QVERIFY2(delay < upper[attempt - 1],
                qPrintable(u"attempt %1 random %2 delay %3"_s.arg(attempt).arg(random).arg(delay)));
        }
    }
}

void tst_RetryPolicy::quotaDrains()
{
    RetryQuota quota;
    QCOMPARE(quota.available(), 500);
    int retries = 0;
    while (quota.acquire(AttemptFailure::Transport::None) > 0)
        ++retries;
    QCOMPARE(retries, 100); // 500 / 5
    QCOMPARE(quota.available(), 0);
    QCOMPARE(quota.acquire(AttemptFailure::Transport::ConnectionError), 0);
}

void tst_RetryPolicy::quotaTimeoutsCostMore()
{
    RetryQuota quota;
    QCOMPARE(quota.acquire(AttemptFailure::Transport::Timeout), 10);
    QCOMPARE(quota.acquire(AttemptFailure::Transport::ConnectionError), 5);
    QCOMPARE(quota.available(), 485);
    for (int i = 0; i < 48; ++i)
        QCOMPARE(quota.acquire(AttemptFailure::Transport::Timeout), 10);
    QCOMPARE(quota.available(), 5);
    QCOMPARE(quota.acquire(AttemptFailure::Transport::Timeout), 0); // short: no retry, nothing taken
    QCOMPARE(quota.available(), 5);
    QCOMPARE(quota.acquire(AttemptFailure::Transport::None), 5);
}

void tst_RetryPolicy::quotaRefundsOnSuccess()
{
    RetryQuota quota;
    const int cost = quota.acquire(AttemptFailure::Transport::Timeout);
    quota.acquire(AttemptFailure::Transport::None);
    QCOMPARE(quota.available(), 485);
    quota.releaseAfterSuccess(cost); // the last retry's cost comes back
    QCOMPARE(quota.available(), 495);
    quota.releaseAfterSuccess(0); // success without retry: 1
    QCOMPARE(quota.available(), 496);
    for (int i = 0; i < 10; ++i)
        quota.releaseAfterSuccess(0);
    QCOMPARE(quota.available(), 500); // never above the initial capacity
}

QTEST_APPLESS_MAIN(tst_RetryPolicy)
#include "tst_retrypolicy.moc"
