#pragma once

#include <QDateTime>
#include <QString>

namespace pagewise
{

/// An AWS key pair, optionally temporary. Never logged, never written to settings, CSV or
/// error messages: use maskedAccessKeyId() and source for anything shown to people.
struct Credentials {
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken; ///< empty for long-term keys
    QDateTime expiration; ///< invalid when the credentials do not expire
    QString source; ///< where they came from: "explicit", "environment", "profile dev (credentials file)", ...

    bool isValid() const { return !accessKeyId.isEmpty() && !secretAccessKey.isEmpty(); }
    /// "AKID…MPLE": enough to recognise a key, too little to use it.
    QString maskedAccessKeyId() const
    {
        if (accessKeyId.size() <= 8)
            return QStringLiteral("****");
        return accessKeyId.left(4) + QStringLiteral("…") + accessKeyId.right(4);
    }
};

} // namespace pagewise
