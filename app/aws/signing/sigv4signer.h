#pragma once

#include "core/credentials.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>

#include <memory>
#include <optional>
#include <utility>

namespace pagewise
{

/// An HTTP request as it goes on the wire: what the signer reads and the transport sends.
struct HttpRequestParts {
    QByteArray method; ///< "GET", "POST"
    QByteArray path; ///< as sent, already percent-encoded; "/" at least
    QByteArray query; ///< as sent, already percent-encoded, without '?'; may be empty
    QList<std::pair<QByteArray, QByteArray>> headers; ///< as sent; must include Host
    QByteArray body;

    QByteArray header(const QByteArray &name) const; ///< case-insensitive; joined with ',' when repeated
    void setHeader(const QByteArray &name, const QByteArray &value); ///< replaces any of that name
    bool hasHeader(const QByteArray &name) const; ///< case-insensitive
    void removeHeader(const QByteArray &name); ///< removes every header of that name, case-insensitive
};

class SigV4SigningKeyCache;
class HmacSha256;

/// AWS Signature Version 4 for non-S3 services, exactly as botocore's SigV4Auth does it.
/// Pure: the clock is an argument, so every stage can be tested on its own
/// (canonical request -> string to sign -> signature -> Authorization).
class SigV4Signer
{
public:
    struct Scope {
        QString region; ///< "us-east-1"
        QString service; ///< the model's signingName: "sagemaker", "personalize", "deadline"
    };

    /// Lower-cased, sorted names of the headers botocore would sign in this request
    /// (all present except connection, expect, keep-alive, proxy-*, te, trailer,
    /// transfer-encoding, upgrade, user-agent, x-amzn-trace-id).
    static QList<QByteArray> headersToSign(const HttpRequestParts &request);

    /// METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED\nPAYLOADHASH with the path normalised and encoded again.
    static QByteArray canonicalRequest(const HttpRequestParts &request, const QList<QByteArray> &signedHeaders);

    /// AWS4-HMAC-SHA256\n<amzdate>\n<scope>\n<hex sha256(canonical request)>
    static QByteArray stringToSign(const QByteArray &canonicalRequest, const QDateTime &time, const Scope &scope);

    /// Lower-case hex HMAC chain over the string to sign.
    static QByteArray signature(
        const QByteArray &stringToSign, const QString &secretAccessKey, const QDateTime &time, const Scope &scope);

    /// Sets X-Amz-Date (and X-Amz-Security-Token for session credentials) and then the
    /// Authorization header on request. Returns the Authorization value.
    static QByteArray sign(
        HttpRequestParts &request, const Credentials &credentials, const Scope &scope, const QDateTime &now);
    /// sign() taking the signing key from `keys` (derived there only when the secret, date,
    /// region or service changed); the same bytes as sign() without it. nullptr: derive it here.
    static QByteArray sign(HttpRequestParts &request, const Credentials &credentials, const Scope &scope,
        const QDateTime &now, SigV4SigningKeyCache *keys);

    /// "20150830T123600Z"
    static QByteArray amzDate(const QDateTime &time);

    /// A parsed "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,
    /// SignedHeaders=a;b, Signature=hex" header (what a server needs to verify a request).
    struct Authorization {
        QString accessKeyId;
        QString date; ///< yyyyMMdd of the scope
        Scope scope;
        QList<QByteArray> signedHeaders;
        QByteArray signature;
    };
    static std::optional<Authorization> parseAuthorization(const QByteArray &value);
    /// As above; on failure *whyNot (if given) says what was wrong, without echoing the signature.
    static std::optional<Authorization> parseAuthorization(const QByteArray &value, QString *whyNot);

    /// The path stage of the canonical request: dot segments and empty segments removed, then
    /// percent-encoded again with '/' and '~' kept, so "%" becomes "%25" (botocore, non-S3).
    static QByteArray canonicalUri(const QByteArray &path);

    /// The query stage as a client computes it: split on '&', cut at the first '=', sorted by
    /// (key, value) on the strings as sent, not encoded again.
    static QByteArray canonicalQuery(const QByteArray &query);

    /// The query stage as a server computes it for a received query: every key and value is
    /// percent-decoded and encoded again with the strict rule (only A-Za-z0-9-_.~ kept, upper-case
    /// %XX, space as %20; '+' is a literal plus), then sorted by (key, value). For a client that
    /// encodes strictly this equals canonicalQuery().
    static QByteArray canonicalQueryFromReceived(const QByteArray &rawQuery);

    /// Lower-case hex SHA-256 of the body, or the X-Amz-Content-SHA256 header when the request has
    /// one (botocore uses that header as is).
    static QByteArray payloadHash(const HttpRequestParts &request);

    /// "20150830T123600Z" -> that instant in UTC; invalid QDateTime for anything else.
    static QDateTime parseAmzDate(const QByteArray &value);

    /// What the sender must have put in Signature= if it holds `secretAccessKey`: the canonical
    /// request is rebuilt from the received method, raw path, canonicalQueryFromReceived(), the
    /// values of auth.signedHeaders as received (repeated ones joined with ',') and the SHA-256 of
    /// the received body; the scope is auth's. Policy (which headers must be signed, clock skew,
    /// whether auth.date matches amzDate) is left to the caller. Compare with auth.signature using
    /// a constant-time comparison such as signaturesEqual().
    static QByteArray expectedSignature(const HttpRequestParts &received, const Authorization &auth,
        const QString &secretAccessKey, const QDateTime &amzDate);

    /// Compares two signatures in time independent of where they first differ.
    static bool signaturesEqual(const QByteArray &a, const QByteArray &b);
};

/// The SigV4 signing key (kSigning, the end of the HMAC chain) of the last secret, date, region
/// and service asked for, so that a client signing many requests a day derives it once rather
/// than with four HMACs per request (SigV4Signer::sign() with a cache). It is kept as the HMAC
/// states after kSigning's padded blocks, which saves two SHA-256 blocks per request more.
///
/// It holds key material, valid for that day, region and service only: wiped when replaced and on
/// destruction. To recognise the secret without hashing it on every request it keeps a copy of it
/// in a buffer of its own, never shared, wiped as soon as another secret replaces it and on
/// destruction, so a rotated-out secret does not linger here. One per client; not thread-safe.
class SigV4SigningKeyCache
{
public:
    SigV4SigningKeyCache();
    ~SigV4SigningKeyCache();
    SigV4SigningKeyCache(const SigV4SigningKeyCache &) = delete;
    SigV4SigningKeyCache &operator=(const SigV4SigningKeyCache &) = delete;

    /// How many times a key was derived (tests use it to see the cache work).
    int derivations() const { return m_derivations; }

private:
    friend class SigV4Signer;
    /// kSigning for these, derived only when one of them differs from the last call's. Valid until
    /// the next call or the cache's end.
    const HmacSha256 &signingKey(const QString &secretAccessKey, QByteArrayView date, const SigV4Signer::Scope &scope);
    /// "yyyyMMdd/region/service/aws4_request" of the last signingKey() call.
    QByteArrayView credentialScope() const { return m_credentialScope; }

    QByteArray m_secret; ///< UTF-16 bytes of the secret, this object's own copy
    QByteArray m_date;
    QString m_region;
    QString m_service;
    QByteArray m_credentialScope;
    std::unique_ptr<HmacSha256> m_key;
    int m_derivations = 0;
};

} // namespace pagewise
