#include "shownlabeltext.h"
#include "ui/errorbanner.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>

#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace pagewise;

class tst_ErrorBanner : public QObject
{
    Q_OBJECT

private slots:
    void describe_data();
    void describe();
    void retryIsOfferedAndSignalled();
    void reloadIsOfferedInsteadOfRetry();
    void htmlErrorBodyShowsLiterally();
};

void tst_ErrorBanner::describe_data()
{
    QTest::addColumn<AwsError>("error");
    QTest::addColumn<QString>("expected");

    AwsError throttled;
    throttled.kind = AwsError::Kind::Service;
    throttled.code = QStringLiteral("ThrottlingException");
    throttled.message = QStringLiteral("Rate exceeded");
    throttled.httpStatus = 429;
    throttled.requestId = QStringLiteral("5f1c-77");
    throttled.attempts = 3;
    throttled.page = 7;
    QTest::addRow("service error with every fact")
        << throttled
        << QStringLiteral("ThrottlingException: Rate exceeded\nHTTP 429 · request id 5f1c-77 · 3 attempts · page 7");

    // Deadline's validation error, as the service sends its details.
    AwsError invalid;
    invalid.kind = AwsError::Kind::Service;
    invalid.code = QStringLiteral("ValidationException");
    invalid.message = QStringLiteral("1 validation error detected");
    invalid.httpStatus = 400;
    invalid.details = QJsonObject {{QStringLiteral("reason"), QStringLiteral("FIELD_VALIDATION_FAILED")},
        {QStringLiteral("fieldList"),
            QJsonArray {QJsonObject {{QStringLiteral("name"), QStringLiteral("maxResults")},
                {QStringLiteral("message"), QStringLiteral("Member must have value less than or equal to 100")}}}}};
    QTest::addRow("the service's details")
        << invalid
        << QStringLiteral("ValidationException: 1 validation error detected (reason: FIELD_VALIDATION_FAILED; "
                          "maxResults: Member must have value less than or equal to 100)\nHTTP 400");

    AwsError network;
    network.kind = AwsError::Kind::Network;
    network.message = QStringLiteral("connection refused by 127.0.0.1:9");
    network.attempts = 1;
    QTest::addRow("no code, one attempt")
        << network
        << AwsError::kindName(AwsError::Kind::Network) + QStringLiteral(": connection refused by 127.0.0.1:9");
}

void tst_ErrorBanner::describe()
{
    QFETCH(AwsError, error);
    QFETCH(QString, expected);
    QCOMPARE(ErrorBanner::describe(error), expected);
}

void tst_ErrorBanner::retryIsOfferedAndSignalled()
{
    ErrorBanner banner;
    QVERIFY(banner.isHidden());
    QVERIFY(banner.text().isEmpty());
    AwsError error;
    error.kind = AwsError::Kind::Service;
    error.code = QStringLiteral("InternalFailure");
    banner.showError(error, true);
    QVERIFY(!banner.isHidden());
    QVERIFY(banner.text().startsWith(QStringLiteral("InternalFailure")));
    QSignalSpy retry(&banner, &ErrorBanner::retryRequested);
    QTest::mouseClick(banner.retryButton(), Qt::LeftButton);
    QCOMPARE(retry.size(), 1);

    banner.showError(error, false);
    QVERIFY(banner.retryButton()->isHidden());
    banner.clearError();
    QVERIFY(banner.isHidden());
    QVERIFY(banner.text().isEmpty());
}

void tst_ErrorBanner::reloadIsOfferedInsteadOfRetry()
{
    ErrorBanner banner;
    banner.show();
    AwsError error;
    error.kind = AwsError::Kind::Pagination;
    error.code = QStringLiteral("PageTokenRejected");
    banner.showError(error, ErrorBanner::Offer::Reload);
    QVERIFY(banner.reloadButton()->isVisible());
    QVERIFY(!banner.retryButton()->isVisible());
    QVERIFY(banner.reloadButton()->toolTip().contains(QStringLiteral("first page")));
    QSignalSpy reload(&banner, &ErrorBanner::reloadRequested);
    QSignalSpy retry(&banner, &ErrorBanner::retryRequested);
    QTest::mouseClick(banner.reloadButton(), Qt::LeftButton);
    QCOMPARE(reload.size(), 1);
    QCOMPARE(retry.size(), 0);

    // The next failure that can be retried offers Retry again, and only it
    banner.showError(error, ErrorBanner::Offer::Retry);
    QVERIFY(banner.retryButton()->isVisible());
    QVERIFY(!banner.reloadButton()->isVisible());
    banner.showError(error, ErrorBanner::Offer::Nothing);
    QVERIFY(!banner.retryButton()->isVisible());
    QVERIFY(!banner.reloadButton()->isVisible());
}

void tst_ErrorBanner::htmlErrorBodyShowsLiterally()
{
    // Given the page a proxy or WAF answers with instead of the service
    AwsError error;
    error.kind = AwsError::Kind::Service;
    error.httpStatus = 403;
    error.message = QStringLiteral("<h1>x</h1><a href=\"https://login.example.invalid/\">sign in</a>"
                                   "<img src=\"https://example.invalid/t.png\">");
    ErrorBanner banner;
    // When it is shown
    banner.showError(error, true);
    // Then every character of it is there to read, nothing rendered
    const auto *label = banner.findChild<QLabel *>(QStringLiteral("errorText"));
    QVERIFY(label);
    QCOMPARE(uitest::shownText(label), ErrorBanner::describe(error));
    QVERIFY(uitest::shownText(label).contains(error.message));
    QVERIFY(!label->openExternalLinks());
}

QTEST_MAIN(tst_ErrorBanner)
#include "tst_errorbanner.moc"
