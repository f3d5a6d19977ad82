#include "aws/http/errorparser.h"
#include "core/credentials.h"

#include <QJsonDocument>
#include <QTest>

using namespace pagewise;
using namespace Qt::StringLiterals;

namespace
{

// "Name: value" lines, as they would come off the wire.
HttpHeaders headersFrom(const QByteArray &lines)
{
    HttpHeaders headers;
    for (const QByteArray &line : lines.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return headers;
}

QJsonObject objectFrom(const QByteArray &json)
{
    return json.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(json).object();
}

Credentials sessionCredentials()
{
    Credentials credentials;
    credentials.accessKeyId = QStringLiteral("AKIDEXAMPLE12345");
    credentials.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    credentials.sessionToken = QStringLiteral("FQoGZXIvYXdzEXAMPLESESSIONTOKEN");
    credentials.source = QStringLiteral("profile dev (credentials file)");
    return credentials;
}

} // namespace

class tst_ErrorParser : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void cleanCode_data();
    void cleanCode();
    void retryAfter_data();
    void retryAfter();
    void explainsCredentialErrors_data();
    void explainsCredentialErrors();
    void leavesOtherErrorsAlone();
    void redactsSecrets();
};

void tst_ErrorParser::parse_data()
{
    QTest::addColumn<bool>("restJson");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("requestId");
    QTest::addColumn<QByteArray>("details");

    // §2.4 awsJson1_1 shape.
    QTest::addRow("awsJson __type and message")
        << false << 400 << QByteArray("x-amzn-RequestId: r-1\nContent-Type: application/x-amz-json-1.1")
        << QByteArray(R"({"__type":"InvalidNextTokenException","message":"Invalid next token."})")
        << u"InvalidNextTokenException"_s << u"Invalid next token."_s << u"r-1"_s << QByteArray();
    // §9.3 SageMaker, unmodeled ValidationException.
    QTest::addRow("sagemaker validation §9.3")
        << false << 400 << QByteArray("x-amzn-RequestId: b1a7c0de-0000-4000-8000-000000000003")
        << QByteArray(
               R"({"__type":"ValidationException","message":"1 validation error detected: Value '500' at )"
               R"('maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"})")
        << u"ValidationException"_s
        << u"1 validation error detected: Value '500' at 'maxResults' failed to satisfy constraint: Member must have "
           "value less than or equal to 100"_s
        << u"b1a7c0de-0000-4000-8000-000000000003"_s << QByteArray();
    // §9.5 Personalize, modeled error, bare and with the namespace.
    QTest::addRow("personalize bad token §9.5")
        << false << 400 << QByteArray("x-amzn-RequestId: c2b8d1ef-0000-4000-8000-000000000005")
        << QByteArray(R"({"__type":"InvalidNextTokenException","message":"Invalid next token."})")
        << u"InvalidNextTokenException"_s << u"Invalid next token."_s << u"c2b8d1ef-0000-4000-8000-000000000005"_s
        << QByteArray();
    QTest::addRow("namespaced __type")
        << false << 400 << QByteArray()
        << QByteArray(
               R"({"__type":"com.amazonaws.personalize#InvalidNextTokenException","message":"Invalid next token."})")
        << u"InvalidNextTokenException"_s << u"Invalid next token."_s << QString() << QByteArray();
    QTest::addRow("decorated __type") << false << 400 << QByteArray()
                                      << QByteArray(R"({"__type":"aws.protocoltests.restjson#FooError:)"
                                                    R"(http://internal.amazon.com/coral/com.amazon.coral.validate/"})")
                                      << u"FooError"_s << QString() << QString() << QByteArray();
    // Message vs message.
    QTest::addRow("Message upper case") << false << 400 << QByteArray()
                                        << QByteArray(R"({"__type":"AccessDeniedException","Message":"Not allowed"})")
                                        << u"AccessDeniedException"_s << u"Not allowed"_s << QString() << QByteArray();
    QTest::addRow("message wins over Message")
        << false << 400 << QByteArray() << QByteArray(R"({"__type":"X","Message":"upper","message":"lower"})") << u"X"_s
        << u"lower"_s << QString() << QByteArray();
    // botocore does not read X-Amzn-Errortype for awsJson.
    QTest::addRow("awsJson ignores error type header")
        << false << 400 << QByteArray("x-amzn-ErrorType: HeaderCode") << QByteArray(R"({"message":"x"})") << u"400"_s
        << u"x"_s << QString() << QByteArray();
    QTest::addRow("awsJson body without __type") << false << 403 << QByteArray() << QByteArray(R"({"message":"no"})")
                                                 << u"403"_s << u"no"_s << QString() << QByteArray();
    QTest::addRow("awsJson non-JSON body is the message") << false << 400 << QByteArray() << QByteArray("not json")
                                                          << u"400"_s << u"not json"_s << QString() << QByteArray();
    QTest::addRow("awsJson empty 400") << false << 400 << QByteArray() << QByteArray() << u"400"_s << QString()
                                       << QString() << QByteArray();
    QTest::addRow("unrecognized client")
        << false << 400 << QByteArray("X-AMZN-REQUESTID: upper-case-id")
        << QByteArray(R"({"__type":"UnrecognizedClientException","message":"The security token included in the )"
                      R"(request is invalid."})")
        << u"UnrecognizedClientException"_s << u"The security token included in the request is invalid."_s
        << u"upper-case-id"_s << QByteArray();
    QTest::addRow("awsJson throttling with quota members")
        << false << 400 << QByteArray()
        << QByteArray(R"({"__type":"ThrottlingException","message":"Rate exceeded","serviceCode":"sagemaker"})")
        << u"ThrottlingException"_s << u"Rate exceeded"_s << QString() << QByteArray(R"({"serviceCode":"sagemaker"})");

    // §9.7 Deadline restJson1.
    QTest::addRow("deadline 404 §9.7")
        << true << 404
        << QByteArray("x-amzn-RequestId: d3c9e2f0-0000-4000-8000-000000000007\n"
                      "x-amzn-ErrorType: ResourceNotFoundException\nContent-Type: application/json")
        << QByteArray(R"({"message":"Resource not found","resourceId":"job-0123456789abcdef0123456789abcdef",)"
                      R"("resourceType":"job"})")
        << u"ResourceNotFoundException"_s << u"Resource not found"_s << u"d3c9e2f0-0000-4000-8000-000000000007"_s
        << QByteArray(R"({"resourceId":"job-0123456789abcdef0123456789abcdef","resourceType":"job"})");
    QTest::addRow("deadline 429 §9.7")
        << true << 429
        << QByteArray("x-amzn-RequestId: d3c9e2f0-0000-4000-8000-000000000008\n"
                      "x-amzn-ErrorType: ThrottlingException\nRetry-After: 3")
        << QByteArray(R"({"message":"Rate exceeded","serviceCode":"deadline","quotaCode":"L-EXAMPLE1"})")
        << u"ThrottlingException"_s << u"Rate exceeded"_s << u"d3c9e2f0-0000-4000-8000-000000000008"_s
        << QByteArray(R"({"serviceCode":"deadline","quotaCode":"L-EXAMPLE1","retryAfterSeconds":3})");
    QTest::addRow("deadline decorated header §9.7")
        << true << 400
        << QByteArray(
               "x-amzn-RequestId: d3c9e2f0-0000-4000-8000-000000000009\n"
               "x-amzn-ErrorType: ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/")
        << QByteArray(R"({"message":"1 validation error detected","reason":"FIELD_VALIDATION_FAILED","fieldList":)"
                      R"([{"name":"maxResults","message":"Member must have value less than or equal to 100"}]})")
        << u"ValidationException"_s << u"1 validation error detected"_s << u"d3c9e2f0-0000-4000-8000-000000000009"_s
        << QByteArray(R"({"reason":"FIELD_VALIDATION_FAILED","fieldList":[{"name":"maxResults",)"
                      R"("message":"Member must have value less than or equal to 100"}]})");
    QTest::addRow("restJson header wins over __type")
        << true << 400 << QByteArray("x-amzn-errortype: HeaderCode") << QByteArray(R"({"__type":"BodyCode"})")
        << u"HeaderCode"_s << QString() << QString() << QByteArray();
    QTest::addRow("restJson code wins over __type")
        << true << 400 << QByteArray() << QByteArray(R"({"__type":"A","code":"B"})") << u"B"_s << QString() << QString()
        << QByteArray();
    QTest::addRow("restJson Code") << true << 400 << QByteArray() << QByteArray(R"({"Code":"B","Message":"m"})")
                                   << u"B"_s << u"m"_s << QString() << QByteArray();
    QTest::addRow("restJson __type only")
        << true << 400 << QByteArray() << QByteArray(R"({"__type":"ns#AccessDeniedException","message":"m"})")
        << u"AccessDeniedException"_s << u"m"_s << QString() << QByteArray();
    QTest::addRow("restJson decorated namespaced header")
        << true << 404
        << QByteArray("x-amzn-ErrorType: aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/"
                      "com.amazon.coral.validate/")
        << QByteArray() << u"FooError"_s << QString() << QString() << QByteArray();

    // Generic server errors, any protocol.
    QTest::addRow("503 empty body") << false << 503 << QByteArray("x-amzn-RequestId: gen-1") << QByteArray() << u"503"_s
                                    << u"Service Unavailable"_s << u"gen-1"_s << QByteArray();
    QTest::addRow("503 html body") << true << 503 << QByteArray("x-amzn-ErrorType: Ignored")
                                   << QByteArray("<html><body><b>Http/1.1 Service Unavailable</b></body></html>")
                                   << u"503"_s << u"Service Unavailable"_s << QString() << QByteArray();
    QTest::addRow("502 whitespace body") << false << 502 << QByteArray() << QByteArray("  \r\n") << u"502"_s
                                         << u"Bad Gateway"_s << QString() << QByteArray();
    QTest::addRow("504 html after spaces") << false << 504 << QByteArray() << QByteArray("  <html>gateway</html>")
                                           << u"504"_s << u"Gateway Timeout"_s << QString() << QByteArray();
    QTest::addRow("500 with JSON is parsed")
        << true << 500 << QByteArray("x-amzn-ErrorType: InternalServerErrorException")
        << QByteArray(R"({"message":"Internal error"})") << u"InternalServerErrorException"_s << u"Internal error"_s
        << QString() << QByteArray();
    QTest::addRow("400 html is not generic") << false << 400 << QByteArray() << QByteArray("<html>bad</html>")
                                             << u"400"_s << u"<html>bad</html>"_s << QString() << QByteArray();
}

void tst_ErrorParser::parse()
{
    QFETCH(bool, restJson);
    QFETCH(int, status);
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(QString, requestId);
    QFETCH(QByteArray, details);

    const AwsError error
        = ErrorParser::parse(restJson ? ServiceSpec::Protocol::RestJson : ServiceSpec::Protocol::AwsJson, status,
            headersFrom(headers), body);
    QCOMPARE(error.kind, AwsError::Kind::Service);
    QCOMPARE(error.code, code);
    QCOMPARE(error.message, message);
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.requestId, requestId);
    QCOMPARE(error.details, objectFrom(details));
}

void tst_ErrorParser::cleanCode_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("clean");
    QTest::addRow("bare") << u"ValidationException"_s << u"ValidationException"_s;
    QTest::addRow("namespace") << u"com.amazonaws.personalize#InvalidNextTokenException"_s
                               << u"InvalidNextTokenException"_s;
    QTest::addRow("decoration") << u"ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/"_s
                                << u"ValidationException"_s;
    QTest::addRow("both") << u"aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/x#y"_s
                          << u"FooError"_s;
    QTest::addRow("empty") << QString() << QString();
}

void tst_ErrorParser::cleanCode()
{
    QFETCH(QString, raw);
    QFETCH(QString, clean);
    QCOMPARE(ErrorParser::cleanCode(raw), clean);
}

void tst_ErrorParser::retryAfter_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<double>("seconds"); // -1: none
    QTest::addRow("seconds") << QByteArray("Retry-After: 3") << 3.0;
    QTest::addRow("lower case") << QByteArray("retry-after: 7") << 7.0;
    QTest::addRow("fraction") << QByteArray("Retry-After: 0.5") << 0.5;
    QTest::addRow("absent") << QByteArray("Content-Type: application/json") << -1.0;
    QTest::addRow("http date") << QByteArray("Retry-After: Wed, 21 Oct 2015 07:28:00 GMT") << -1.0;
    QTest::addRow("negative") << QByteArray("Retry-After: -2") << -1.0;
}

void tst_ErrorParser::retryAfter()
{
    QFETCH(QByteArray, headers);
    QFETCH(double, seconds);
    const std::optional<double> parsed = ErrorParser::retryAfterSeconds(headersFrom(headers));
    if (seconds < 0) {
        QVERIFY(!parsed);
    } else {
        QVERIFY(parsed);
        QCOMPARE(*parsed, seconds);
    }
}

void tst_ErrorParser::explainsCredentialErrors_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("serviceMessage");
    QTest::addColumn<QString>("expectedStart");
    QTest::addRow("InvalidSignatureException")
        << u"InvalidSignatureException"_s
        << u"The request signature we calculated does not match the signature you provided."_s
        << u"the secret access key does not match the access key ID AKID…2345 (source: profile dev (credentials "
           u"file)); "
           "check the credentials of profile dev"_s;
    QTest::addRow("SignatureDoesNotMatch") << u"SignatureDoesNotMatch"_s << u"Signature mismatch"_s
                                           << u"the secret access key does not match the access key ID AKID…2345"_s;
    QTest::addRow("signature expired is a clock problem")
        << u"InvalidSignatureException"_s << u"Signature expired: 20240501T120000Z is now earlier than ..."_s
        << u"the request's time is too far from the service's clock"_s;
    QTest::addRow("UnrecognizedClientException")
        << u"UnrecognizedClientException"_s << u"The security token included in the request is invalid."_s
        << u"the access key ID AKID…2345 is not known to the service (source: profile dev (credentials file))"_s;
    QTest::addRow("InvalidClientTokenId")
        << u"InvalidClientTokenId"_s << u"invalid"_s << u"the access key ID AKID…2345 is not known to the service"_s;
    QTest::addRow("ExpiredTokenException")
        << u"ExpiredTokenException"_s << u"The security token included in the request is expired"_s
        << u"session token expired (source: profile dev (credentials file)): refresh the credentials of profile dev, "
           "e.g. aws sso login / rerun credential_process"_s;
    QTest::addRow("ExpiredToken") << u"ExpiredToken"_s << u"expired"_s << u"session token expired"_s;
    QTest::addRow("RequestExpired") << u"RequestExpired"_s << u"Request has expired."_s << u"request expired"_s;
}

void tst_ErrorParser::explainsCredentialErrors()
{
    QFETCH(QString, code);
    QFETCH(QString, serviceMessage);
    QFETCH(QString, expectedStart);

    AwsError error;
    error.kind = AwsError::Kind::Service;
    error.code = code;
    error.message = serviceMessage;
    ErrorParser::explainCredentialErrors(error, sessionCredentials(), QStringLiteral("dev"));

    QCOMPARE(error.code, code);
    QVERIFY2(error.message.startsWith(expectedStart), qPrintable(error.message));
    QVERIFY2(error.message.endsWith(serviceMessage), qPrintable(error.message)); // the service's own words stay
    QVERIFY(!error.message.contains(sessionCredentials().secretAccessKey));
    QVERIFY(!error.message.contains(sessionCredentials().accessKeyId));
}

void tst_ErrorParser::leavesOtherErrorsAlone()
{
    AwsError error;
    error.kind = AwsError::Kind::Service;
    error.code = QStringLiteral("ValidationException");
    error.message = QStringLiteral("bad value");
    ErrorParser::explainCredentialErrors(error, sessionCredentials(), QStringLiteral("dev"));
    QCOMPARE(error.message, u"bad value"_s);
}

void tst_ErrorParser::redactsSecrets()
{
    const Credentials credentials = sessionCredentials();
    AwsError error;
    error.kind = AwsError::Kind::Service;
    error.code = QStringLiteral("InvalidSignatureException");
    error.message = QStringLiteral("The canonical string should have been 'x-amz-security-token:%1'")
                        .arg(credentials.sessionToken);
    error.details.insert(QStringLiteral("canonical"), QStringLiteral("key %1").arg(credentials.secretAccessKey));

    ErrorParser::redactSecrets(error, credentials);

    QCOMPARE(error.message, u"The canonical string should have been 'x-amz-security-token:****'"_s);
    QCOMPARE(error.details.value(QStringLiteral("canonical")).toString(), u"key ****"_s);
}

QTEST_APPLESS_MAIN(tst_ErrorParser)
#include "tst_errorparser.moc"
