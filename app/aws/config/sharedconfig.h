#pragma once

#include "configfile.h"
#include "core/awserror.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace pagewise
{

struct Environment;

/// The shared config file (AWS_CONFIG_FILE, ~/.aws/config) and credentials file
/// (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials) of one Environment, read into profiles the
/// way botocore's session does: `[default]` and `[profile NAME]` (and `[services NAME]`) in the
/// config file, bare `[NAME]` in the credentials file; where both hold a profile its keys are
/// merged and the credentials file wins.
class SharedConfig
{
public:
    static SharedConfig load(const Environment &environment);

    QString configPath() const { return m_config.fileName(); }
    QString credentialsPath() const { return m_credentials.fileName(); }
    const ConfigFile &configFile() const { return m_config; }
    const ConfigFile &credentialsFile() const { return m_credentials; }

    /// The first file that could not be read: the config file as a Configuration error, the
    /// credentials file as a Credentials error. Profiles of such a file are left out.
    std::optional<AwsError> error() const;

    /// Every profile of both files, sorted, "default" first.
    QStringList profileNames() const;
    bool hasProfile(const QString &name) const;
    /// The profile with both files merged (credentials file keys win).
    ConfigSection profile(const QString &name) const;
    /// Only the config file's [default] / [profile NAME] section.
    bool hasConfigProfile(const QString &name) const;
    ConfigSection configProfile(const QString &name) const;
    /// Only the credentials file's [NAME] section.
    bool hasCredentialsProfile(const QString &name) const;
    ConfigSection credentialsProfile(const QString &name) const;
    /// File of the merged profile's key (for messages); the config file when neither has it.
    QString originOf(const QString &profile, const QString &key) const;
    /// Where the merged profile's key is written, for messages: "role_arn in [profile dev] of
    /// /home/me/.aws/config" (the credentials file's "[dev]" when it comes from there).
    QString keyLocation(const QString &profile, const QString &key) const;
    /// How a profile's section is written in the config file: "[default]", "[profile dev]".
    static QString configSectionHeader(const QString &profile);

    bool hasServices(const QString &name) const;
    /// A [services NAME] section: service config key -> subsection (endpoint_url = ...).
    ConfigSection services(const QString &name) const;

    /// Expands $VAR / ${VAR} and a leading ~ as botocore does for AWS_CONFIG_FILE and friends.
    static QString expandPath(const QString &path, const Environment &environment);

private:
    ConfigFile m_config;
    ConfigFile m_credentials;
    QHash<QString, QString> m_configProfileSections; ///< profile name -> config file section name
    QHash<QString, QString> m_servicesSections; ///< services name -> config file section name
};

} // namespace pagewise
