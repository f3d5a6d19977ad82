#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace pagewise
{

/// Pagination tokens: opaque, HMAC-protected, bound to the listing they came from.
///
/// A token carries the operation, the position of the next item in the listing's order, the
/// page number (so that consecutive tokens always differ, even when a page was empty) and a hash
/// of the listing's parameters; a MAC keyed by a secret derived from the seed covers all of it.
/// The same position and page give the same token, so a re-sent token returns the same page.
class EmulatorTokenCodec
{
public:
    struct Position {
        quint8 operation = 0;
        quint64 offset = 0; ///< index of the next item in listing order
        quint32 page = 0; ///< number of the page this token fetches (2 for the first token)
    };
    enum class Problem { None, Malformed, Forged, OtherListing };

    explicit EmulatorTokenCodec(quint64 seed);

    /// URL-safe base64 without padding (safe in bodies and query strings alike).
    QByteArray encode(const Position &position, quint64 listingHash) const;
    std::optional<Position> decode(
        QByteArrayView token, quint8 operation, quint64 listingHash, Problem *problem = nullptr) const;

    /// Hash of a listing's identity: operation, filters, sort and parent resource.
    static quint64 listingHash(quint8 operation, QByteArrayView canonicalParameters);

private:
    QByteArray mac(QByteArrayView payload) const;

    QByteArray m_secret;
};

} // namespace pagewise
