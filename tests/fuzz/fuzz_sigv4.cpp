// SigV4 on arbitrary request parts: the client's canonical request, the server's view of a
// received query, and Authorization parsing. Every request the client signs must verify on the
// server side (expectedSignature), whatever its path, headers and body hold.
// Input: "METHOD\nPATH\nQUERY\nname:value\n...\n\nBODY".
#include "aws/signing/sigv4signer.h"
#include "fuzzcheck.h"

#include <cstdint>

using namespace pagewise;

namespace
{

/// Header names as a real client sends them; anything else in the input is dropped rather than
/// tested, since a name with ';' or ' ' cannot appear in SignedHeaders at all.
QByteArray headerName(const QByteArray &raw)
{
    QByteArray name;
    for (const char c : raw) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')
            name.append(c);
    }
    return name;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype bodyStart = input.indexOf("\n\n");
    const QList<QByteArray> lines = input.left(bodyStart < 0 ? input.size() : bodyStart).split('\n');

    HttpRequestParts request;
    request.method = lines.value(0);
    request.path = lines.value(1);
    const QByteArray rawQuery = lines.value(2);
    for (qsizetype i = 3; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        const QByteArray name = headerName(lines[i].left(colon));
        const QString lower = QString::fromLatin1(name.toLower());
        // Headers whose meaning sign() or the server changes: their own tests cover them.
        if (name.isEmpty() || lower == QLatin1String("x-amz-content-sha256") || lower == QLatin1String("authorization"))
            continue;
        request.headers.append({name, colon < 0 ? QByteArray() : lines[i].mid(colon + 1)});
    }
    if (bodyStart >= 0)
        request.body = input.mid(bodyStart + 2);

    // Stages on their own: never crash, and the server's query canonicalisation is a fixed point.
    const QList<QByteArray> signedHeaders = SigV4Signer::headersToSign(request);
    for (qsizetype i = 1; i < signedHeaders.size(); ++i)
        FUZZ_CHECK(signedHeaders[i - 1] < signedHeaders[i]);
    request.query = rawQuery;
    const QByteArray canonical = SigV4Signer::canonicalRequest(request, signedHeaders);
    FUZZ_CHECK(canonical.endsWith(SigV4Signer::payloadHash(request)));
    const QByteArray received = SigV4Signer::canonicalQueryFromReceived(rawQuery);
    FUZZ_CHECK(SigV4Signer::canonicalQueryFromReceived(received) == received);
    FUZZ_CHECK(SigV4Signer::canonicalQuery(received) == received);
    const QByteArray clientQuery = SigV4Signer::canonicalQuery(rawQuery);
    FUZZ_CHECK(SigV4Signer::canonicalQuery(clientQuery) == clientQuery);
    SigV4Signer::canonicalUri(request.path);
    SigV4Signer::parseAmzDate(input.left(16));
    QString whyNot;
    if (!SigV4Signer::parseAuthorization(input, &whyNot))
        FUZZ_CHECK(!whyNot.isEmpty());

    // Sign as the client, verify as the emulator does. The client sends a strictly encoded query,
    // which is what canonicalQueryFromReceived() yields.
    request.query = received;
    Credentials credentials;
    credentials.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    credentials.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    credentials.sessionToken = QStringLiteral("session-token");
    const SigV4Signer::Scope scope {QStringLiteral("us-east-1"), QStringLiteral("sagemaker")};
    const QDateTime now(QDate(2015, 8, 30), QTime(12, 36), Qt::UTC);
    const QByteArray authorization = SigV4Signer::sign(request, credentials, scope, now);
    FUZZ_CHECK(request.header("Authorization") == authorization);
    const auto auth = SigV4Signer::parseAuthorization(authorization, &whyNot);
    FUZZ_CHECK(auth.has_value());
    FUZZ_CHECK(auth->accessKeyId == credentials.accessKeyId);
    HttpRequestParts withoutAuthorization = request;
    withoutAuthorization.removeHeader("Authorization");
    FUZZ_CHECK(auth->signedHeaders == SigV4Signer::headersToSign(withoutAuthorization));
    const QByteArray expected = SigV4Signer::expectedSignature(request, *auth, credentials.secretAccessKey, now);
    FUZZ_CHECK(SigV4Signer::signaturesEqual(expected, auth->signature));
    FUZZ_CHECK(!authorization.contains(credentials.secretAccessKey.toUtf8()));

    // A key cache that lives across inputs signs the same bytes, whether the secret (taken from
    // the body now and then) is the one it holds or not.
    static SigV4SigningKeyCache keys;
    if (!request.body.isEmpty() && (request.body.front() & 1))
        credentials.secretAccessKey = QString::fromLatin1(request.body.left(4));
    HttpRequestParts cached = request;
    const QByteArray expectedAuthorization = SigV4Signer::sign(request, credentials, scope, now);
    FUZZ_CHECK(SigV4Signer::sign(cached, credentials, scope, now, &keys) == expectedAuthorization);
    return 0;
}
