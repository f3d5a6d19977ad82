#pragma once

#include "aws/config/connection.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace pagewise::testing
{

/// A home directory of its own (never the real ~/.aws) with config and credentials files the
/// test writes, and an Environment that points at them.
class ConfigFixture
{
public:
    ConfigFixture()
    {
        environment.homeDir = m_home.path();
        environment.variables.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
        environment.variables.insert(QStringLiteral("AWS_CONFIG_FILE"), configPath());
        environment.variables.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), credentialsPath());
    }

    QString configPath() const { return m_home.filePath(QStringLiteral("config")); }
    QString credentialsPath() const { return m_home.filePath(QStringLiteral("credentials")); }
    QString path(const QString &name) const { return m_home.filePath(name); }

    void writeConfig(const QByteArray &text) const { write(configPath(), text); }
    void writeCredentials(const QByteArray &text) const { write(credentialsPath(), text); }

    static void write(const QString &path, const QByteArray &text, bool executable = false)
    {
        QFile file(path);
        QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(file.errorString()));
        QCOMPARE(file.write(text), text.size());
        file.close();
        if (executable)
            QVERIFY(file.setPermissions(file.permissions() | QFile::ExeOwner | QFile::ReadOwner));
    }

    void set(const char *name, const QString &value) { environment.variables.insert(QLatin1String(name), value); }
    /// "NAME=value" entries, as the _data tables list them.
    void setVariables(const QStringList &variables)
    {
        for (const QString &variable : variables) {
            const qsizetype equals = variable.indexOf(QLatin1Char('='));
            environment.variables.insert(variable.left(equals), variable.mid(equals + 1));
        }
    }

    Environment environment;

private:
    QTemporaryDir m_home;
};

/// The error of a failed Result, for QVERIFY2 messages (empty when it succeeded).
template<typename T>
QByteArray errorText(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

} // namespace pagewise::testing
