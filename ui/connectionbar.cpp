#include "connectionbar.h"

#include "aws/config/credentialsrequest.h"
#include "aws/config/endpoints.h"
#include "aws/config/secretredaction.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>

namespace pagewise
{

namespace
{

const QStringList &commonRegions()
{
    static const QStringList regions = {
        QStringLiteral("us-east-1"),
        QStringLiteral("us-east-2"),
        QStringLiteral("us-west-1"),
        QStringLiteral("us-west-2"),
        QStringLiteral("ca-central-1"),
        QStringLiteral("eu-west-1"),
        QStringLiteral("eu-west-2"),
        QStringLiteral("eu-west-3"),
        QStringLiteral("eu-central-1"),
        QStringLiteral("eu-north-1"),
        QStringLiteral("ap-northeast-1"),
        QStringLiteral("ap-northeast-2"),
        QStringLiteral("ap-southeast-1"),
        QStringLiteral("ap-southeast-2"),
        QStringLiteral("ap-south-1"),
        QStringLiteral("sa-east-1"),
    };
    return regions;
}

QLabel *messageLabel(const QString &objectName, const QString &style, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(style);
    label->hide();
    return label;
}

} // namespace

ConnectionBar::ConnectionBar(QWidget *parent)
    : QWidget(parent)
    , m_profile(new QComboBox(this))
    , m_region(new QComboBox(this))
    , m_endpoint(new QLineEdit(this))
    , m_connect(new QPushButton(tr("C&onnect"), this))
    , m_credentials(new QLabel(this))
{
    m_profile->setObjectName(QStringLiteral("profile"));
    m_profile->setMinimumContentsLength(14);
    m_profile->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_profile->setToolTip(tr("Named profile from ~/.aws/config and ~/.aws/credentials; "
                             "\"default chain\" uses AWS_PROFILE and the standard credential chain"));
    m_region->setObjectName(QStringLiteral("region"));
    m_region->setEditable(true);
    m_region->addItems(commonRegions());
    m_region->setMinimumContentsLength(14);
    m_region->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_region->lineEdit()->setPlaceholderText(tr("from profile"));
    m_region->setCurrentIndex(-1);
    m_endpoint->setObjectName(QStringLiteral("endpointUrl"));
    m_endpoint->setPlaceholderText(tr("AWS default (optional: e.g. http://127.0.0.1:4566)"));
    m_endpoint->setClearButtonEnabled(true);
    m_endpoint->setMinimumWidth(260);
    m_connect->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_connect->setToolTip(tr("Resolve the connection and list again"));
    m_credentials->setObjectName(QStringLiteral("credentials"));
    m_credentials->setTextFormat(Qt::PlainText);
    m_credentials->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_warning = messageLabel(QStringLiteral("warning"),
        QStringLiteral("QLabel { background: #fff3cd; color: #664d03; border: 1px solid #e0c36a;"
                       " border-radius: 3px; padding: 3px 6px; }"),
        this);
    m_error = messageLabel(QStringLiteral("error"),
        QStringLiteral("QLabel { background: #f8d7da; color: #58151c; border: 1px solid #e5a3aa;"
                       " border-radius: 3px; padding: 3px 6px; }"),
        this);

    auto *profileLabel = new QLabel(tr("&Profile:"), this);
    profileLabel->setBuddy(m_profile);
    auto *regionLabel = new QLabel(tr("Re&gion:"), this);
    regionLabel->setBuddy(m_region);
    auto *endpointLabel = new QLabel(tr("E&ndpoint URL:"), this);
    endpointLabel->setBuddy(m_endpoint);

    auto *row = new QHBoxLayout;
    row->addWidget(profileLabel);
    row->addWidget(m_profile);
    row->addSpacing(8);
    row->addWidget(regionLabel);
    row->addWidget(m_region);
    row->addSpacing(8);
    row->addWidget(endpointLabel);
    row->addWidget(m_endpoint, 1);
    row->addWidget(m_connect);
    row->addSpacing(12);
    row->addWidget(m_credentials);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);
    layout->addLayout(row);
    layout->addWidget(m_warning);
    layout->addWidget(m_error);

    setProfiles({});

    connect(m_connect, &QPushButton::clicked, this, &ConnectionBar::requestConnect);
    connect(m_profile, &QComboBox::activated, this, &ConnectionBar::requestConnect);
    connect(m_region->lineEdit(), &QLineEdit::returnPressed, this, &ConnectionBar::requestConnect);
    connect(m_region, &QComboBox::activated, this, &ConnectionBar::requestConnect);
    connect(m_endpoint, &QLineEdit::returnPressed, this, &ConnectionBar::requestConnect);
}

ConnectionOptions ConnectionBar::options() const
{
    ConnectionOptions options;
    options.profile = m_profile->currentData().toString();
    options.region = m_region->currentText().trimmed();
    options.endpointUrl = m_endpoint->text().trimmed();
    return options;
}

void ConnectionBar::setOptions(const ConnectionOptions &options)
{
    int index = m_profile->findData(options.profile);
    if (index < 0) {
        m_profile->addItem(options.profile, options.profile);
        index = m_profile->count() - 1;
    }
    m_profile->setCurrentIndex(index);
    m_region->setEditText(options.region);
    m_endpoint->setText(options.endpointUrl);
}

void ConnectionBar::setProfiles(const QStringList &profiles)
{
    const QString current = m_profile->currentData().toString();
    m_profile->clear();
    m_profile->addItem(tr("(default chain)"), QString());
    for (const QString &profile : profiles)
        m_profile->addItem(profile, profile);
    const int index = m_profile->findData(current);
    m_profile->setCurrentIndex(index < 0 ? 0 : index);
}

void ConnectionBar::showConnection(const Connection &connection, const QList<QUrl> &endpoints)
{
    stopResolving();
    m_error->hide();
    m_error->clear();
    m_credentials->clear();
    if (connection.credentials) {
        if (std::optional<Result<Credentials>> ready = connection.credentials->credentialsIfReady()) {
            showCredentials(*ready);
        } else {
            m_credentials->setText(tr("Resolving credentials…"));
            m_credentialsProvider = connection.credentials;
            m_credentialsRequest = m_credentialsProvider->fetchCredentials(this);
            connect(m_credentialsRequest, &CredentialsRequest::finished, this,
                [this](const Result<Credentials> &credentials) {
                    m_credentialsRequest.clear();
                    m_credentialsProvider.reset();
                    showCredentials(credentials);
                });
        }
    }
    m_credentials->setToolTip(tr("Profile %1, region %2").arg(connection.profile, connection.region));

    QStringList open;
    for (const QUrl &url : endpoints) {
        if (isPlainHttpOffLoopback(url) && !open.contains(url.host()))
            open << url.host();
    }
    if (open.isEmpty()) {
        m_warning->hide();
        m_warning->clear();
    } else {
        m_warning->setText(tr("⚠ Plain http:// to %1, which is not this machine: requests and listed data travel "
                              "unencrypted and can be read or changed on the way. Use https:// for anything but a "
                              "local emulator.")
                               .arg(open.join(QStringLiteral(", "))));
        m_warning->show();
    }
}

void ConnectionBar::showCredentials(const Result<Credentials> &credentials)
{
    if (credentials.ok()) {
        m_credentials->setText(
            tr("Credentials: %1 (%2)").arg(credentials.value().maskedAccessKeyId(), credentials.value().source));
    } else {
        m_credentials->setText(tr("No credentials"));
        showErrorMessage(credentials.error().message);
    }
}

void ConnectionBar::showError(const QString &message)
{
    if (isResolvingCredentials()) {
        stopResolving();
        m_credentials->clear();
    }
    showErrorMessage(message);
}

void ConnectionBar::showErrorMessage(const QString &message)
{
    m_error->setText(tr("Cannot connect: %1").arg(message));
    m_error->show();
}

void ConnectionBar::stopResolving()
{
    if (m_credentialsRequest)
        m_credentialsRequest->cancel();
    m_credentialsRequest.clear();
    m_credentialsProvider.reset();
}

void ConnectionBar::setLocked(bool locked, const QString &reason)
{
    for (QWidget *w : {static_cast<QWidget *>(m_profile), static_cast<QWidget *>(m_region),
             static_cast<QWidget *>(m_endpoint), static_cast<QWidget *>(m_connect)}) {
        w->setEnabled(!locked);
    }
    setToolTip(locked ? reason : QString());
}

QString ConnectionBar::credentialsText() const
{
    return m_credentials->text();
}

QString ConnectionBar::warningText() const
{
    return m_warning->isVisibleTo(this) ? m_warning->text() : QString();
}

QString ConnectionBar::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

bool ConnectionBar::isPlainHttpOffLoopback(const QUrl &url)
{
    if (url.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) != 0)
        return false;
    const QString host = url.host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
        || host.endsWith(QLatin1String(".localhost"), Qt::CaseInsensitive))
        return false;
    const QHostAddress address(host);
    return address.isNull() || !address.isLoopback();
}

QString ConnectionBar::savableEndpoint(const QString &text)
{
    QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid())
        return {};
    // Where secrets ride in a URL (user:password@, ?X-Amz-Security-Token=...): never kept.
    url.setUserInfo(QString());
    url.setQuery(QString());
    url.setFragment(QString());
    const Result<QUrl> endpoint = parseEndpointUrl(url.toString(), QString());
    if (!endpoint.ok())
        return {};
    const QString saved = endpoint.value().toString();
    return redactSecretLike(saved) == saved ? saved : QString();
}

void ConnectionBar::requestConnect()
{
    emit connectRequested(options());
}

} // namespace pagewise
