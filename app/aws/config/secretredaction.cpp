#include "secretredaction.h"

namespace pagewise
{

namespace
{

bool isTokenCharacter(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
        || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('+') || c == QLatin1Char('/')
        || c == QLatin1Char('=');
}

} // namespace

QString redactSecretLike(const QString &text, const QStringList &knownSecrets)
{
    static const QString mask = QStringLiteral("[redacted]");
    QString masked = text;
    for (const QString &secret : knownSecrets) {
        if (secret.size() >= 4)
            masked.replace(secret, mask);
    }
    constexpr qsizetype minimumSecretLength = 32;
    QString out;
    out.reserve(masked.size());
    qsizetype runStart = 0;
    for (qsizetype i = 0; i <= masked.size(); ++i) {
        if (i < masked.size() && isTokenCharacter(masked[i]))
            continue;
        const qsizetype runLength = i - runStart;
        out += runLength >= minimumSecretLength ? mask : QStringView(masked).mid(runStart, runLength).toString();
        if (i < masked.size())
            out += masked[i];
        runStart = i + 1;
    }
    return out;
}

} // namespace pagewise
