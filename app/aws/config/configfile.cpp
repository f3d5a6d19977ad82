#include "configfile.h"

#include "secretredaction.h"

#include <QFile>
#include <QFileInfo>
#include <QStringDecoder>

#include <optional>

namespace pagewise
{

namespace
{

const QString defaultSectionName = QStringLiteral("DEFAULT");

// Python's str.splitlines() boundaries, used for subsection values (configloader._parse_nested).
bool isPythonLineBreak(QChar c)
{
    switch (c.unicode()) {
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x1c:
    case 0x1d:
    case 0x1e:
    case 0x85:
    case 0x2028:
    case 0x2029:
        return true;
    default:
        return false;
    }
}

QString pythonRightStrip(QStringView text)
{
    qsizetype end = text.size();
    while (end > 0 && isPythonSpace(text[end - 1]))
        --end;
    return text.left(end).toString();
}

// Names echoed in messages come from files that also hold keys: keep them short and masked.
QString shownName(const QString &name)
{
    QString shown = redactSecretLike(name);
    if (shown.size() > 64)
        shown = shown.left(64) + QStringLiteral("…");
    return shown;
}

QString quotedName(const QString &name)
{
    return QLatin1Char('\'') + shownName(name) + QLatin1Char('\'');
}

struct RawOption {
    QStringList parts; // the first line's value, then continuation lines ("" for kept blank lines)
    QList<int> partLines;
    int line = 0;
};

struct RawSection {
    QString name;
    int line = 0;
    QStringList order;
    QHash<QString, RawOption> options;
};

// Universal newlines, as Python's text files: "\n", "\r\n" and "\r" end a line.
QList<QStringView> splitFileLines(QStringView text)
{
    QList<QStringView> lines;
    qsizetype start = 0;
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
            lines.append(text.mid(start, i - start));
            if (c == QLatin1Char('\r') && i + 1 < size && text[i + 1] == QLatin1Char('\n'))
                ++i;
            start = i + 1;
        }
    }
    if (start < size)
        lines.append(text.mid(start));
    return lines;
}

// 1-based line of the first byte sequence that is not UTF-8, or 0 when all of it is. Line
// breaks are ASCII bytes, never part of a multi-byte sequence, so lines can be checked alone.
int firstInvalidUtf8Line(QByteArrayView bytes)
{
    int line = 1;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= bytes.size(); ++i) {
        if (i < bytes.size() && bytes[i] != '\n' && bytes[i] != '\r')
            continue;
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString ignored = decoder.decode(bytes.sliced(start, i - start));
        if (decoder.hasError())
            return line;
        ++line;
        if (i + 1 < bytes.size() && bytes[i] == '\r' && bytes[i + 1] == '\n')
            ++i;
        start = i + 1;
    }
    return 0;
}

// Joins a value's lines and, when it begins with a newline, parses it as a subsection the way
// configloader._parse_nested does (split at Python's line boundaries, each 'name = value').
bool finishEntry(const QString &key, const RawOption &raw, ConfigEntry *entry, std::pair<int, QString> *error)
{
    entry->line = raw.line;
    const QString joined = pythonRightStrip(raw.parts.join(QLatin1Char('\n')));
    if (!joined.startsWith(QLatin1Char('\n'))) {
        entry->value = joined;
        return true;
    }
    entry->isSubsection = true;
    for (int part = 1; part < raw.parts.size(); ++part) {
        const QString &text = raw.parts[part];
        qsizetype start = 0;
        for (qsizetype i = 0; i <= text.size(); ++i) {
            if (i < text.size() && !isPythonLineBreak(text[i]))
                continue;
            const QString subline = pythonStrip(QStringView(text).mid(start, i - start));
            start = i + 1;
            if (subline.isEmpty())
                continue;
            const qsizetype equals = subline.indexOf(QLatin1Char('='));
            if (equals < 0) {
                *error = {raw.partLines[part],
                    QStringLiteral("the indented lines under %1 must be 'name = value' "
                                   "lines (a key with an empty value followed by indented "
                                   "lines is a subsection)")
                        .arg(quotedName(key))};
                return false;
            }
            entry->subsection.insert(
                pythonStrip(QStringView(subline).left(equals)), pythonStrip(QStringView(subline).mid(equals + 1)));
        }
    }
    return true;
}

} // namespace

bool isPythonSpace(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 0x80)
        return u == 0x20 || (u >= 0x09 && u <= 0x0d) || (u >= 0x1c && u <= 0x1f);
    return u == 0x85 || u == 0xa0 || c.isSpace();
}

QString pythonStrip(QStringView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isPythonSpace(text[begin]))
        ++begin;
    while (end > begin && isPythonSpace(text[end - 1]))
        --end;
    return text.mid(begin, end - begin).toString();
}

ConfigFile ConfigFile::read(const QString &path)
{
    ConfigFile file;
    file.m_fileName = path;
    const QFileInfo info(path);
    if (!info.isFile())
        return file;
    file.m_exists = true;
    if (info.size() > maxFileSize) {
        file.m_error = QStringLiteral("%1: the file is %2 bytes; AWS config files larger than %3 bytes are not read")
                           .arg(path)
                           .arg(info.size())
                           .arg(maxFileSize);
        return file;
    }
    QFile device(path);
    if (!device.open(QIODevice::ReadOnly)) {
        file.m_error = QStringLiteral("%1: cannot be read (%2); check its permissions").arg(path, device.errorString());
        return file;
    }
    const QByteArray bytes = device.read(maxFileSize + 1);
    if (bytes.size() > maxFileSize) {
        file.m_error
            = QStringLiteral("%1: AWS config files larger than %2 bytes are not read").arg(path).arg(maxFileSize);
        return file;
    }
    ConfigFile parsed = parse(bytes, path);
    parsed.m_exists = true;
    return parsed;
}

ConfigFile ConfigFile::parse(const QByteArray &bytes, const QString &fileName)
{
    ConfigFile file;
    file.m_fileName = fileName;
    file.m_exists = true;

    auto fail = [&file, &fileName](int line, const QString &what) {
        file.m_errorLine = line;
        file.m_error = QStringLiteral("%1, line %2: %3").arg(fileName).arg(line).arg(what);
        file.m_sections.clear();
        file.m_index.clear();
        file.m_defaults.clear();
        return file;
    };

    QByteArrayView data(bytes);
    if (data.startsWith("\xEF\xBB\xBF"))
        data = data.sliced(3);
    QStringDecoder decoder(
        QStringDecoder::Utf8, QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    const QString text = decoder.decode(data);
    if (decoder.hasError()) {
        const int line = firstInvalidUtf8Line(data);
        return fail(line > 0 ? line : 1, QStringLiteral("the file is not valid UTF-8 text"));
    }

    // A transcription of configparser.RawConfigParser._read (strict, no inline comments, empty
    // lines kept inside values), so odd files are read exactly as the AWS CLI reads them.
    constexpr qsizetype noSection = -2;
    constexpr qsizetype defaultSection = -1;
    QList<RawSection> sections;
    QHash<QString, qsizetype> sectionIndex;
    RawSection defaults;
    defaults.name = defaultSectionName;
    qsizetype current = noSection;
    auto currentSection = [&]() -> RawSection & { return current == defaultSection ? defaults : sections[current]; };
    QString currentOption;
    qsizetype indentLevel = 0;
    std::optional<std::pair<int, QString>> deferredError; // configparser reports these at the end

    const QList<QStringView> lines = splitFileLines(text);
    for (int index = 0; index < lines.size(); ++index) {
        const int lineNumber = index + 1;
        const QStringView line = lines[index];
        const QString stripped = pythonStrip(line);
        const bool isComment = stripped.startsWith(QLatin1Char('#')) || stripped.startsWith(QLatin1Char(';'));
        if (isComment || stripped.isEmpty()) {
            if (!isComment && current != noSection && !currentOption.isEmpty()) {
                RawOption &option = currentSection().options[currentOption];
                option.parts.append(QString());
                option.partLines.append(lineNumber);
            }
            continue;
        }
        qsizetype indent = 0;
        while (indent < line.size() && isPythonSpace(line[indent]))
            ++indent;

        if (current != noSection && !currentOption.isEmpty() && indent > indentLevel) {
            RawOption &option = currentSection().options[currentOption];
            option.parts.append(stripped);
            option.partLines.append(lineNumber);
            continue;
        }
        indentLevel = indent;

        const qsizetype close = stripped.lastIndexOf(QLatin1Char(']'));
        if (stripped.startsWith(QLatin1Char('[')) && close >= 2) {
            const QString name = stripped.mid(1, close - 1);
            if (name == defaultSectionName) {
                current = defaultSection;
            } else if (sectionIndex.contains(name)) {
                return fail(lineNumber,
                    QStringLiteral("section [%1] appears a second time (first on line %2); each "
                                   "section may appear once, merge the two")
                        .arg(shownName(name))
                        .arg(sections[sectionIndex.value(name)].line));
            } else {
                current = sections.size();
                sectionIndex.insert(name, current);
                sections.append(RawSection {name, lineNumber, {}, {}});
            }
            currentOption.clear();
            continue;
        }
        if (current == noSection) {
            return fail(lineNumber,
                QStringLiteral("text before the first section header; the file must start with a "
                               "section such as [default] or [profile NAME]"));
        }

        qsizetype delimiter = -1;
        for (qsizetype i = 0; i < stripped.size(); ++i) {
            if (stripped[i] == QLatin1Char('=') || stripped[i] == QLatin1Char(':')) {
                delimiter = i;
                break;
            }
        }
        if (delimiter <= 0) {
            if (!deferredError) {
                deferredError = {lineNumber,
                    delimiter == 0 ? QStringLiteral("a key name is missing before the '=' or ':'; expected "
                                                    "'key = value'")
                                   : QStringLiteral("expected 'key = value', a [section] header or a comment "
                                                    "starting with # or ;")};
            }
            if (delimiter == 0)
                currentOption.clear();
            continue;
        }
        RawSection &section = currentSection();
        const QString key = pythonRightStrip(QStringView(stripped).left(delimiter)).toLower();
        if (section.options.contains(key)) {
            return fail(lineNumber,
                QStringLiteral("key %1 appears a second time in section [%2] (first on line %3); "
                               "keep one")
                    .arg(quotedName(key), shownName(section.name))
                    .arg(section.options.value(key).line));
        }
        RawOption option;
        option.parts.append(pythonStrip(QStringView(stripped).mid(delimiter + 1)));
        option.partLines.append(lineNumber);
        option.line = lineNumber;
        section.options.insert(key, option);
        section.order.append(key);
        currentOption = key;
    }
    if (deferredError)
        return fail(deferredError->first, deferredError->second);

    // configloader.raw_config_parse: values that begin with a newline are nested "key = value"
    // lines. DEFAULT's keys belong to every section; they are kept apart and merged on lookup so
    // that many sections times many defaults cannot blow up.
    std::pair<int, QString> error;
    auto finishSection = [&error](const RawSection &raw, ConfigSection *section) {
        for (const QString &key : raw.order) {
            ConfigEntry entry;
            if (!finishEntry(key, raw.options.value(key), &entry, &error))
                return false;
            section->insert(key, entry);
        }
        return true;
    };
    if (!sections.isEmpty() && !finishSection(defaults, &file.m_defaults))
        return fail(error.first, error.second);
    file.m_sections.reserve(sections.size());
    for (const RawSection &raw : std::as_const(sections)) {
        ConfigSection section;
        if (!finishSection(raw, &section))
            return fail(error.first, error.second);
        file.m_index.insert(raw.name, file.m_sections.size());
        file.m_sections.append({raw.name, section});
    }
    return file;
}

QStringList ConfigFile::sectionNames() const
{
    QStringList names;
    names.reserve(m_sections.size());
    for (const auto &section : m_sections)
        names.append(section.first);
    return names;
}

bool ConfigFile::hasSection(const QString &name) const
{
    return m_index.contains(name);
}

ConfigSection ConfigFile::section(const QString &name) const
{
    const auto found = m_index.constFind(name);
    if (found == m_index.constEnd())
        return {};
    ConfigSection merged = m_defaults;
    const ConfigSection &own = m_sections[*found].second;
    for (auto it = own.constBegin(); it != own.constEnd(); ++it)
        merged.insert(it.key(), it.value());
    return merged;
}

bool splitShellWords(const QString &text, QStringList *words, QString *error)
{
    // shlex.shlex(posix=True, whitespace_split=True, commenters='') state machine.
    enum class State { Whitespace, Word, SingleQuote, DoubleQuote, Escape };
    const auto isShlexSpace = [](QChar c) {
        return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\r') || c == QLatin1Char('\n');
    };
    words->clear();
    State state = State::Whitespace;
    State escapedFrom = State::Word;
    QString token;
    bool quoted = false;
    for (const QChar c : text) {
        switch (state) {
        case State::Whitespace:
        case State::Word:
            if (isShlexSpace(c)) {
                if (state == State::Word || quoted) {
                    words->append(token);
                    token.clear();
                    quoted = false;
                }
                state = State::Whitespace;
            } else if (c == QLatin1Char('\\')) {
                escapedFrom = State::Word;
                state = State::Escape;
            } else if (c == QLatin1Char('\'')) {
                state = State::SingleQuote;
            } else if (c == QLatin1Char('"')) {
                state = State::DoubleQuote;
            } else {
                token.append(c);
                state = State::Word;
            }
            break;
        case State::SingleQuote:
            quoted = true;
            if (c == QLatin1Char('\''))
                state = State::Word;
            else
                token.append(c);
            break;
        case State::DoubleQuote:
            quoted = true;
            if (c == QLatin1Char('"')) {
                state = State::Word;
            } else if (c == QLatin1Char('\\')) {
                escapedFrom = State::DoubleQuote;
                state = State::Escape;
            } else {
                token.append(c);
            }
            break;
        case State::Escape:
            // Inside double quotes only \" and \\ are escapes; elsewhere the backslash stays.
            if (escapedFrom == State::DoubleQuote && c != QLatin1Char('"') && c != QLatin1Char('\\'))
                token.append(QLatin1Char('\\'));
            token.append(c);
            state = escapedFrom;
            break;
        }
    }
    switch (state) {
    case State::SingleQuote:
    case State::DoubleQuote:
        *error = QStringLiteral("a quote is not closed");
        return false;
    case State::Escape:
        *error = QStringLiteral("it ends with a backslash that escapes nothing");
        return false;
    case State::Word:
        words->append(token);
        break;
    case State::Whitespace:
        if (quoted)
            words->append(token);
        break;
    }
    return true;
}

} // namespace pagewise
