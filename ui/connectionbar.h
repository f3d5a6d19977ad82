#pragma once

#include "aws/config/connection.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace pagewise
{

/// Profile, region and optional endpoint URL, plus what the connection in use really is:
/// which credentials (masked key id and their source) and whether traffic leaves in the open.
class ConnectionBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionBar)
public:
    explicit ConnectionBar(QWidget *parent = nullptr);

    /// The choices as entered (empty fields mean "not given": the standard chain decides).
    ConnectionOptions options() const;
    void setOptions(const ConnectionOptions &options);
    void setProfiles(const QStringList &profiles);

    /// Shows the resolved connection: credentials in use and a warning for a plain-HTTP,
    /// non-loopback endpoint. `endpoints` are the URLs the kinds will be sent to. Credentials
    /// that have to be fetched (credential_process) show "Resolving credentials…" until they
    /// arrive; the window stays responsive meanwhile.
    void showConnection(const Connection &connection, const QList<QUrl> &endpoints);
    /// Shows why the connection could not be resolved (in words, from resolveConnection), and
    /// stops waiting for the credentials of the connection shown before.
    void showError(const QString &message);
    /// Demo mode: the fields are fixed to the built-in emulator.
    void setLocked(bool locked, const QString &reason = {});

    QString credentialsText() const;
    QString warningText() const;
    QString errorText() const;
    /// True while the credentials of the connection shown are being fetched.
    bool isResolvingCredentials() const { return !m_credentialsRequest.isNull(); }

    /// True for a http:// URL whose host is not a loopback address or "localhost".
    static bool isPlainHttpOffLoopback(const QUrl &url);
    /// What of an endpoint URL as typed may be written to settings or shown: the endpoint it
    /// names, without user name, password, query or fragment; "" when that is no endpoint or
    /// still holds something that looks like a secret.
    static QString savableEndpoint(const QString &text);

signals:
    /// The user asked to (re)connect with these options.
    void connectRequested(const pagewise::ConnectionOptions &options);

private:
    void requestConnect();
    void showCredentials(const Result<Credentials> &credentials);
    void showErrorMessage(const QString &message);
    void stopResolving();

    QComboBox *m_profile = nullptr;
    QComboBox *m_region = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QPushButton *m_connect = nullptr;
    QLabel *m_credentials = nullptr;
    QLabel *m_warning = nullptr;
    QLabel *m_error = nullptr;
    QPointer<CredentialsRequest> m_credentialsRequest;
    /// Kept while m_credentialsRequest waits: the fetch ends with its provider.
    std::shared_ptr<CredentialsProvider> m_credentialsProvider;
};

} // namespace pagewise
