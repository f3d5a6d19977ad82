#pragma once

#include <QString>
#include <QStringList>

namespace pagewise
{

/// Masks what looks like a key or token in text that came from outside (a credential_process'
/// stderr, names read from credential files) before it goes into a message: every run of 32 or
/// more characters from the base64 alphabet (AWS secret keys are 40, session tokens hundreds),
/// and every exact occurrence of the known secrets given.
QString redactSecretLike(const QString &text, const QStringList &knownSecrets = {});

} // namespace pagewise
