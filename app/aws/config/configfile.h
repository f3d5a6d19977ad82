#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace pagewise
{

/// One `key = value` of a section. A value that begins with a newline (`sagemaker =` followed
/// by indented `endpoint_url = ...` lines) is a subsection, as botocore's configloader reads it.
struct ConfigEntry {
    QString value; ///< the text, continuation lines joined with '\n' (empty for subsections)
    QHash<QString, QString> subsection; ///< nested keys (case kept), when isSubsection
    bool isSubsection = false;
    int line = 0; ///< 1-based line of the key
};

/// Keys are lower-cased, as RawConfigParser's optionxform does; nested keys keep their case.
using ConfigSection = QHash<QString, ConfigEntry>;

/// An INI file read the way botocore reads ~/.aws/config and ~/.aws/credentials
/// (configparser.RawConfigParser plus configloader's subsections):
/// - `[name]` headers (the text between the first '[' and the last ']'), `[DEFAULT]` keys are
///   inherited by every section;
/// - `key = value` or `key: value`, split at the first '=' or ':', keys lower-cased;
/// - whole-line comments starting with '#' or ';' (even indented); nothing is stripped inline,
///   so `region = us-east-1 ; note` has the value "us-east-1 ; note";
/// - lines indented deeper than their key continue its value; a value starting with a newline
///   is parsed as nested `key = value` lines;
/// - duplicate sections or keys, lines outside any section, lines without a delimiter and bad
///   subsection lines are errors that name the file and line (never the line's text, which may
///   hold a secret).
/// Decodes UTF-8 (a leading byte-order mark is skipped); never crashes or hangs on any input.
class ConfigFile
{
public:
    /// Largest file read; bigger ones are rejected rather than loaded.
    static constexpr qint64 maxFileSize = 8 * 1024 * 1024;

    /// Parses text; fileName only labels error messages.
    static ConfigFile parse(const QByteArray &bytes, const QString &fileName);
    /// Reads and parses a file. A path that is not a regular file counts as absent (no error),
    /// as botocore ignores it; an unreadable or oversized file is an error.
    static ConfigFile read(const QString &path);

    QString fileName() const { return m_fileName; }
    bool exists() const { return m_exists; }
    bool hasError() const { return !m_error.isEmpty(); }
    /// "<file>, line 7: ..." — what is wrong and what is accepted.
    QString errorString() const { return m_error; }
    int errorLine() const { return m_errorLine; }

    /// Section names in file order, without DEFAULT.
    QStringList sectionNames() const;
    bool hasSection(const QString &name) const;
    /// The section's entries, DEFAULT's included; empty when there is no such section.
    ConfigSection section(const QString &name) const;

private:
    QString m_fileName;
    bool m_exists = false;
    QString m_error;
    int m_errorLine = 0;
    QList<std::pair<QString, ConfigSection>> m_sections; // file order, without DEFAULT's keys
    QHash<QString, qsizetype> m_index;
    ConfigSection m_defaults;
};

/// Splits a command line as Python's shlex.split (POSIX mode, no comments) does for
/// credential_process: whitespace separates words, '...' is literal, "..." allows \" and \\,
/// a backslash outside quotes escapes the next character. Returns false and sets *error on an
/// unclosed quote or a trailing backslash.
bool splitShellWords(const QString &text, QStringList *words, QString *error);

/// Whitespace as Python's str.isspace() sees it (what configparser strips).
bool isPythonSpace(QChar c);
QString pythonStrip(QStringView text);

} // namespace pagewise
