#include "aws/http/errorparser.h"
#include "core/awserror.h"

#include <QJsonArray>
#include <QTest>

using namespace pagewise;

namespace
{

// An error as the client reports it: the response parsed as botocore would, plus the attempts.
AwsError parsed(
    ServiceSpec::Protocol protocol, int status, const HttpHeaders &headers, const QByteArray &body, int attempts = 1)
{
    AwsError error = ErrorParser::parse(protocol, status, headers, body);
    error.attempts = attempts;
    return error;
}

const auto restJson = ServiceSpec::Protocol::RestJson;
const auto awsJson = ServiceSpec::Protocol::AwsJson;

} // namespace

class tst_AwsError : public QObject
{
    Q_OBJECT

private slots:
    void showsModeledDetails_data();
    void showsModeledDetails();
    void keepsLongOrOddDetailsOnOneShortLine();
};

void tst_AwsError::showsModeledDetails_data()
{
    QTest::addColumn<AwsError>("error");
    QTest::addColumn<QString>("expected");

    // The responses of the protocol reference's raw HTTP examples (Deadline errors, SageMaker error).
    QTest::addRow("Deadline ValidationException with reason and fieldList")
        << parsed(restJson, 400,
               {{"x-amzn-RequestId", "d3c9e2f0-0000-4000-8000-000000000009"},
                   {"x-amzn-ErrorType",
                       "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/"}},
               R"({"message":"1 validation error detected","reason":"FIELD_VALIDATION_FAILED","fieldList":)"
               R"([{"name":"maxResults","message":"Member must have value less than or equal to 100"}]})")
        << QStringLiteral("ValidationException: 1 validation error detected (reason: FIELD_VALIDATION_FAILED; "
                          "maxResults: Member must have value less than or equal to 100) (HTTP 400, request id "
                          "d3c9e2f0-0000-4000-8000-000000000009)");
    QTest::addRow("Deadline ResourceNotFoundException")
        << parsed(restJson, 404,
               {{"x-amzn-RequestId", "d3c9e2f0-0000-4000-8000-000000000007"},
                   {"x-amzn-ErrorType", "ResourceNotFoundException"}},
               R"({"message":"Resource not found","resourceId":"job-0123456789abcdef0123456789abcdef",)"
               R"("resourceType":"job"})")
        << QStringLiteral("ResourceNotFoundException: Resource not found (resource: job "
                          "job-0123456789abcdef0123456789abcdef) (HTTP 404, request id "
                          "d3c9e2f0-0000-4000-8000-000000000007)");
    QTest::addRow("Deadline ThrottlingException; Retry-After is not shown")
        << parsed(restJson, 429,
               {{"x-amzn-RequestId", "d3c9e2f0-0000-4000-8000-000000000008"},
                   {"x-amzn-ErrorType", "ThrottlingException"}, {"Retry-After", "3"}},
               R"({"message":"Rate exceeded","serviceCode":"deadline","quotaCode":"L-EXAMPLE1"})", 3)
        << QStringLiteral("ThrottlingException: Rate exceeded (service code: deadline, quota code: L-EXAMPLE1) "
                          "(HTTP 429, request id d3c9e2f0-0000-4000-8000-000000000008, 3 attempts)");
    QTest::addRow("Deadline AccessDeniedException with context")
        << parsed(restJson, 403, {{"x-amzn-ErrorType", "AccessDeniedException"}},
               R"({"message":"Not authorized","context":{"farmId":"farm-1","action":"ListSessions"}})")
        << QStringLiteral("AccessDeniedException: Not authorized (context: action=ListSessions, farmId=farm-1) "
                          "(HTTP 403)");
    QTest::addRow("only details, no message") << parsed(restJson, 400, {{"x-amzn-ErrorType", "ValidationException"}},
        R"({"reason":"CANNOT_PARSE"})") << QStringLiteral("ValidationException (reason: CANNOT_PARSE) (HTTP 400)");
    QTest::addRow("a field the message already spells out is not repeated")
        << parsed(restJson, 400, {{"x-amzn-ErrorType", "ValidationException"}},
               R"({"message":"1 validation error detected: Value '500' at 'maxResults' failed to satisfy )"
               R"(constraint: Member must have value less than or equal to 100","reason":"FIELD_VALIDATION_FAILED",)"
               R"("fieldList":[{"name":"maxResults","message":"Member must have value less than or equal to 100"}]})")
        << QStringLiteral("ValidationException: 1 validation error detected: Value '500' at 'maxResults' failed "
                          "to satisfy constraint: Member must have value less than or equal to 100 (reason: "
                          "FIELD_VALIDATION_FAILED) (HTTP 400)");

    // Without details the text is what it always was.
    QTest::addRow("SageMaker ValidationException (no details)")
        << parsed(awsJson, 400, {{"x-amzn-RequestId", "b1a7c0de-0000-4000-8000-000000000003"}},
               R"({"__type":"ValidationException","message":"1 validation error detected: Value '500' at )"
               R"('maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"})")
        << QStringLiteral("ValidationException: 1 validation error detected: Value '500' at 'maxResults' failed "
                          "to satisfy constraint: Member must have value less than or equal to 100 (HTTP 400, "
                          "request id b1a7c0de-0000-4000-8000-000000000003)");
    QTest::addRow("Personalize InvalidNextTokenException (no details)")
        << parsed(awsJson, 400, {{"x-amzn-RequestId", "c2b8d1ef-0000-4000-8000-000000000005"}},
               R"({"__type":"InvalidNextTokenException","message":"Invalid next token."})", 2)
        << QStringLiteral("InvalidNextTokenException: Invalid next token. (HTTP 400, request id "
                          "c2b8d1ef-0000-4000-8000-000000000005, 2 attempts)");
    QTest::addRow("only Retry-After (no details shown)")
        << parsed(awsJson, 503, {{"Retry-After", "2"}}, {}) << QStringLiteral("503: Service Unavailable (HTTP 503)");
}

void tst_AwsError::showsModeledDetails()
{
    QFETCH(AwsError, error);
    QFETCH(QString, expected);
    QCOMPARE(error.toString(), expected);
}

void tst_AwsError::keepsLongOrOddDetailsOnOneShortLine()
{
    AwsError error;
    error.kind = AwsError::Kind::Service;
    error.code = QStringLiteral("ValidationException");
    error.message = QStringLiteral("7 validation errors detected");
    QJsonArray fields;
    for (int i = 1; i <= 7; ++i) {
        fields.append(QJsonObject {{QStringLiteral("name"), QStringLiteral("field%1").arg(i)},
            {QStringLiteral("message"), QStringLiteral("bad")}});
    }
    error.details.insert(QStringLiteral("fieldList"), fields);
    error.details.insert(QStringLiteral("reason"), QStringLiteral("OTHER\nsecond line"));
    error.details.insert(QStringLiteral("resourceId"), QString(500, QLatin1Char('x')));

    QCOMPARE(error.detailsText(),
        QStringLiteral("reason: OTHER second line; field1: bad; field2: bad; field3: bad; field4: bad; field5: bad; "
                       "2 more; resource: ")
            + QString(200, QLatin1Char('x')) + QStringLiteral("…"));
    QVERIFY(!error.toString().contains(QLatin1Char('\n')));
}

QTEST_APPLESS_MAIN(tst_AwsError)
#include "tst_awserror.moc"
