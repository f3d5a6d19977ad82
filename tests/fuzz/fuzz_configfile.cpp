// ~/.aws/config and ~/.aws/credentials as a user (or an attacker with write access to $HOME)
// could leave them: ConfigFile::parse, the parsed sections read back, and credential_process
// command lines split as shlex does. Errors name the file and line but never echo a value,
// since values are secret keys and session tokens.
#include "aws/config/configfile.h"
#include "fuzzcheck.h"

#include <cstdint>

using namespace pagewise;

namespace
{

const QString fileName = QStringLiteral("fuzz-config");

/// The lines as ConfigFile numbers them: split at \n, \r and \r\n.
QStringList fileLines(const QString &text)
{
    QStringList lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == QLatin1Char('\n') || text[i] == QLatin1Char('\r')) {
            lines << text.mid(start, i - start);
            if (text[i] == QLatin1Char('\r') && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
                ++i;
            start = i + 1;
        }
    }
    if (start < text.size())
        lines << text.mid(start);
    return lines;
}

/// Splits a line into what messages may name (a [section] header, a key) and its value, the way
/// ConfigFile reads it; comments and lines without a delimiter have no value.
std::pair<QString, QString> nameAndValue(const QString &line)
{
    const QString stripped = line.trimmed();
    if (stripped.startsWith(QLatin1Char('[')) || stripped.startsWith(QLatin1Char('#'))
        || stripped.startsWith(QLatin1Char(';')))
        return {stripped, {}};
    for (qsizetype i = 0; i < stripped.size(); ++i) {
        if (stripped[i] == QLatin1Char('=') || stripped[i] == QLatin1Char(':'))
            return {stripped.left(i), stripped.mid(i + 1).trimmed()};
    }
    return {stripped, {}};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const ConfigFile file = ConfigFile::parse(bytes, fileName);
    FUZZ_CHECK(file.exists());
    FUZZ_CHECK(file.fileName() == fileName);

    if (file.hasError()) {
        FUZZ_CHECK(file.errorString().startsWith(fileName + QStringLiteral(", line ")));
        FUZZ_CHECK(file.errorLine() >= 1);
        FUZZ_CHECK(file.sectionNames().isEmpty());
        // The value on the line at fault is never echoed, unless the same text is also a name
        // (a section or key) somewhere in the file, which messages may quote.
        const QStringList lines = fileLines(QString::fromUtf8(bytes));
        if (file.errorLine() <= lines.size()) {
            const QString value = nameAndValue(lines.at(file.errorLine() - 1)).second;
            bool alsoAName = false;
            for (const QString &line : lines)
                alsoAName = alsoAName || nameAndValue(line).first.contains(value);
            if (value.size() >= 12 && !alsoAName)
                FUZZ_CHECK(!file.errorString().contains(value));
        }
        return 0;
    }

    const QStringList names = file.sectionNames();
    FUZZ_CHECK(!names.contains(QStringLiteral("DEFAULT")));
    for (const QString &name : names) {
        FUZZ_CHECK(file.hasSection(name));
        const ConfigSection section = file.section(name);
        for (auto it = section.cbegin(); it != section.cend(); ++it) {
            FUZZ_CHECK(it.key() == it.key().toLower());
            FUZZ_CHECK(it->line >= 1);
            FUZZ_CHECK(it->isSubsection || it->subsection.isEmpty());
            QStringList words;
            QString error;
            if (!splitShellWords(it->value, &words, &error))
                FUZZ_CHECK(!error.isEmpty());
        }
    }
    FUZZ_CHECK(!file.hasSection(QStringLiteral("no such section \x01"))
        || names.contains(QStringLiteral("no such section \x01")));
    return 0;
}
