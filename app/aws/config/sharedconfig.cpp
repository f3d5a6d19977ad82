#include "sharedconfig.h"

#include "connection.h"

#include <QRegularExpression>

#include <algorithm>

namespace pagewise
{

namespace
{

// configloader._parse_section: "profile dev" / 'profile "my dev"' -> the second shell word.
std::optional<QString> sectionSubject(const QString &sectionName)
{
    QStringList words;
    QString ignored;
    if (!splitShellWords(sectionName, &words, &ignored) || words.size() != 2)
        return std::nullopt;
    return words[1];
}

} // namespace

QString SharedConfig::expandPath(const QString &path, const Environment &environment)
{
    // posixpath.expandvars: unknown variables stay as written.
    static const QRegularExpression variable(
        QStringLiteral(R"(\$(\w+|\{[^}]*\}))"), QRegularExpression::NoPatternOption);
    QString expanded;
    qsizetype last = 0;
    auto it = variable.globalMatch(path);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        QString name = match.captured(1);
        if (name.startsWith(QLatin1Char('{')))
            name = name.mid(1, name.size() - 2);
        expanded += QStringView(path).mid(last, match.capturedStart() - last);
        expanded += environment.has(name) ? environment.value(name) : match.captured(0);
        last = match.capturedEnd();
    }
    expanded += QStringView(path).mid(last);

    // posixpath.expanduser for "~" and "~/..." (not "~user").
    if (expanded.startsWith(QLatin1Char('~')) && !environment.homeDir.isEmpty()
        && (expanded.size() == 1 || expanded[1] == QLatin1Char('/'))) {
        QString home = environment.homeDir;
        while (home.size() > 1 && home.endsWith(QLatin1Char('/')))
            home.chop(1);
        expanded = home + expanded.mid(1);
    }
    return expanded;
}

SharedConfig SharedConfig::load(const Environment &environment)
{
    auto pathFrom = [&environment](const char *variable, const char *fallback) {
        const QString configured = environment.value(QLatin1String(variable));
        return expandPath(configured.isEmpty() ? QLatin1String(fallback) : configured, environment);
    };
    SharedConfig config;
    config.m_config = ConfigFile::read(pathFrom("AWS_CONFIG_FILE", "~/.aws/config"));
    config.m_credentials = ConfigFile::read(pathFrom("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"));

    // configloader.build_profile_map; a later section replaces an earlier one of the same profile.
    for (const QString &section : config.m_config.sectionNames()) {
        if (section.startsWith(QLatin1String("profile"))) {
            if (const auto name = sectionSubject(section))
                config.m_configProfileSections.insert(*name, section);
        } else if (section.startsWith(QLatin1String("sso-session"))) {
            continue;
        } else if (section.startsWith(QLatin1String("services"))) {
            if (const auto name = sectionSubject(section))
                config.m_servicesSections.insert(*name, section);
        } else if (section == QLatin1String("default")) {
            config.m_configProfileSections.insert(section, section);
        }
    }
    return config;
}

std::optional<AwsError> SharedConfig::error() const
{
    AwsError error;
    error.code = QStringLiteral("ConfigParseError");
    if (m_config.hasError()) {
        error.kind = AwsError::Kind::Configuration;
        error.message = QStringLiteral("Cannot use the AWS config file: %1").arg(m_config.errorString());
        return error;
    }
    if (m_credentials.hasError()) {
        error.kind = AwsError::Kind::Credentials;
        error.message = QStringLiteral("Cannot use the AWS credentials file: %1").arg(m_credentials.errorString());
        return error;
    }
    return std::nullopt;
}

QStringList SharedConfig::profileNames() const
{
    QStringList names = m_configProfileSections.keys();
    for (const QString &name : m_credentials.sectionNames()) {
        if (!m_configProfileSections.contains(name))
            names.append(name);
    }
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        const bool aDefault = a == QLatin1String("default");
        const bool bDefault = b == QLatin1String("default");
        if (aDefault != bDefault)
            return aDefault;
        return a < b;
    });
    return names;
}

bool SharedConfig::hasProfile(const QString &name) const
{
    return hasConfigProfile(name) || hasCredentialsProfile(name);
}

ConfigSection SharedConfig::profile(const QString &name) const
{
    ConfigSection merged = configProfile(name);
    const ConfigSection credentials = credentialsProfile(name);
    for (auto it = credentials.constBegin(); it != credentials.constEnd(); ++it)
        merged.insert(it.key(), it.value());
    return merged;
}

bool SharedConfig::hasConfigProfile(const QString &name) const
{
    return m_configProfileSections.contains(name);
}

ConfigSection SharedConfig::configProfile(const QString &name) const
{
    const auto section = m_configProfileSections.constFind(name);
    return section == m_configProfileSections.constEnd() ? ConfigSection() : m_config.section(*section);
}

bool SharedConfig::hasCredentialsProfile(const QString &name) const
{
    return m_credentials.hasSection(name);
}

ConfigSection SharedConfig::credentialsProfile(const QString &name) const
{
    return m_credentials.section(name);
}

QString SharedConfig::originOf(const QString &profile, const QString &key) const
{
    return credentialsProfile(profile).contains(key) ? credentialsPath() : configPath();
}

QString SharedConfig::keyLocation(const QString &profile, const QString &key) const
{
    const QString file = originOf(profile, key);
    const QString section = file == configPath() ? configSectionHeader(profile) : QStringLiteral("[%1]").arg(profile);
    return QStringLiteral("%1 in %2 of %3").arg(key, section, file);
}

QString SharedConfig::configSectionHeader(const QString &profile)
{
    return profile == QLatin1String("default") ? QStringLiteral("[default]")
                                               : QStringLiteral("[profile %1]").arg(profile);
}

bool SharedConfig::hasServices(const QString &name) const
{
    return m_servicesSections.contains(name);
}

ConfigSection SharedConfig::services(const QString &name) const
{
    const auto section = m_servicesSections.constFind(name);
    return section == m_servicesSections.constEnd() ? ConfigSection() : m_config.section(*section);
}

} // namespace pagewise
