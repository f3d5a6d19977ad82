#pragma once

#include "core/result.h"

#include <QString>

#include <optional>

namespace pagewise
{

/// A botocore pagination token (`botocore.paginate.TokenEncoder` / `TokenDecoder`): base64 of
/// json.dumps({"<inputToken>": "<service token>" | null, "boto_truncate_amount": N}).
/// This is what `aws ... --starting-token` accepts and what `build_full_result()` returns as NextToken.
struct PageToken {
    /// The service's own token; nullopt is JSON null (the first page of the listing).
    std::optional<QString> serviceToken;
    /// Items of the page fetched with serviceToken to skip on resume; nullopt when the key is absent.
    std::optional<qint64> truncateAmount;
    /// True when decode() fell back to treating the text as a raw service token, as botocore does.
    bool raw = false;

    bool operator==(const PageToken &other) const = default;

    /// The botocore-encoded token, byte for byte what TokenEncoder produces for
    /// {inputToken: serviceToken, "boto_truncate_amount": truncateAmount} (input token key first).
    QString encode(const QString &inputToken) const;

    /// Reads a StartingToken. Base64 JSON tokens must hold exactly the input token key (plus an
    /// optional non-negative integer boto_truncate_amount), else InvalidInput "Bad starting token".
    /// Anything that is not base64 JSON is a raw service token (botocore's fallback, including its
    /// deprecated "token___N" form and "None" meaning no token).
    static Result<PageToken> decode(const QString &inputToken, const QString &text);

    /// json.dumps(value) of a string with Python's defaults (ensure_ascii=True): the quoted form.
    static QByteArray pythonJsonString(const QString &value);
};

} // namespace pagewise
