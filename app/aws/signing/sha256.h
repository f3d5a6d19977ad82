#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <nettle/sha2.h>

#include <array>
#include <cstddef>

namespace pagewise
{

/// Zeroes `size` bytes at `data` with stores the compiler may not drop, for key material in a
/// buffer that dies right after.
void wipeBytes(void *data, std::size_t size);

/// SHA-256 (FIPS 180-4) on nettle, which runs on the CPU's SHA extensions where it has them:
/// several times faster than QCryptographicHash on the few hundred bytes a signature hashes. The
/// state may follow key material (HmacSha256): it is wiped on destruction.
class Sha256
{
public:
    static constexpr qsizetype DigestSize = SHA256_DIGEST_SIZE;
    static constexpr qsizetype BlockSize = SHA256_BLOCK_SIZE;
    using Digest = std::array<unsigned char, SHA256_DIGEST_SIZE>;

    Sha256();
    ~Sha256();
    Sha256(const Sha256 &other) = default;
    Sha256 &operator=(const Sha256 &other) = default;

    void addData(QByteArrayView data);
    /// The digest of everything added so far; the state then starts over, as if new.
    Digest result();

    static Digest hash(QByteArrayView data);
    /// Lower-case hexadecimal: 64 characters.
    static QByteArray toHex(const Digest &digest);
    /// Writes the 64 lower-case hexadecimal characters of `digest` at `out`; returns their end.
    static char *writeHex(const Digest &digest, char *out);

private:
    sha256_ctx m_context;
};

/// HMAC-SHA256 (RFC 2104) with its key taken in once: the states after the inner and outer padded
/// key blocks are kept, so each mac() hashes only the message's own blocks (SigV4 signs every
/// request of a day with one signing key). Those states are key material: wiped on destruction,
/// never copied; the padded key blocks do not outlive the constructor.
class HmacSha256
{
public:
    /// Keys longer than a block are hashed first, as RFC 2104 says.
    explicit HmacSha256(QByteArrayView key);
    HmacSha256(const HmacSha256 &) = delete;
    HmacSha256 &operator=(const HmacSha256 &) = delete;

    Sha256::Digest mac(QByteArrayView message) const;

    static Sha256::Digest mac(QByteArrayView key, QByteArrayView message);

private:
    Sha256 m_inner;
    Sha256 m_outer;
};

} // namespace pagewise
