#include "sha256.h"

#include <cstring>

namespace pagewise
{

void wipeBytes(void *data, std::size_t size)
{
    // glibc's explicit_bzero: a memset behind a compiler barrier.
    explicit_bzero(data, size);
}

Sha256::Sha256()
{
    sha256_init(&m_context);
}

Sha256::~Sha256()
{
    wipeBytes(&m_context, sizeof m_context);
}

void Sha256::addData(QByteArrayView data)
{
    sha256_update(&m_context, std::size_t(data.size()), reinterpret_cast<const uint8_t *>(data.data()));
}

Sha256::Digest Sha256::result()
{
    Digest digest;
    sha256_digest(&m_context, digest.size(), digest.data());
    return digest;
}

Sha256::Digest Sha256::hash(QByteArrayView data)
{
    Sha256 hash;
    hash.addData(data);
    return hash.result();
}

QByteArray Sha256::toHex(const Digest &digest)
{
    QByteArray hex(2 * DigestSize, Qt::Uninitialized);
    writeHex(digest, hex.data());
    return hex;
}

namespace
{

// The two hexadecimal digits of each byte value: one copy per byte rather than two look-ups.
constexpr std::array<char, 512> kHexPairs = [] {
    constexpr char digits[] = "0123456789abcdef";
    std::array<char, 512> pairs {};
    for (int byte = 0; byte < 256; ++byte) {
        pairs[2 * byte] = digits[byte >> 4];
        pairs[2 * byte + 1] = digits[byte & 0xf];
    }
    return pairs;
}();

} // namespace

char *Sha256::writeHex(const Digest &digest, char *out)
{
    for (const unsigned char byte : digest) {
        std::memcpy(out, &kHexPairs[2 * byte], 2);
        out += 2;
    }
    return out;
}

HmacSha256::HmacSha256(QByteArrayView key)
{
    std::array<unsigned char, Sha256::BlockSize> block {};
    if (key.size() > Sha256::BlockSize) {
        Sha256::Digest digest = Sha256::hash(key);
        std::memcpy(block.data(), digest.data(), digest.size());
        wipeBytes(digest.data(), digest.size());
    } else if (!key.isEmpty()) {
        std::memcpy(block.data(), key.data(), std::size_t(key.size()));
    }
    std::array<unsigned char, Sha256::BlockSize> pad;
    for (std::size_t i = 0; i < pad.size(); ++i)
        pad[i] = block[i] ^ 0x36;
    m_inner.addData(QByteArrayView(pad.data(), pad.size()));
    for (std::size_t i = 0; i < pad.size(); ++i)
        pad[i] = block[i] ^ 0x5c;
    m_outer.addData(QByteArrayView(pad.data(), pad.size()));
    wipeBytes(block.data(), block.size());
    wipeBytes(pad.data(), pad.size());
}

Sha256::Digest HmacSha256::mac(QByteArrayView message) const
{
    Sha256 inner = m_inner;
    inner.addData(message);
    Sha256::Digest innerDigest = inner.result();
    Sha256 outer = m_outer;
    outer.addData(QByteArrayView(innerDigest.data(), innerDigest.size()));
    wipeBytes(innerDigest.data(), innerDigest.size());
    return outer.result();
}

Sha256::Digest HmacSha256::mac(QByteArrayView key, QByteArrayView message)
{
    return HmacSha256(key).mac(message);
}

} // namespace pagewise
