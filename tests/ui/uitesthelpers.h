#pragma once

// Shared by the window tests: a temporary settings location, the in-process emulator with an
// AwsClient signed for it, and an RFC 4180 reader to check what an export wrote.

#include "aws/config/connection.h"
#include "aws/http/awsclient.h"
#include "emulator/emulator.h"
#include "kinds/resourcekind.h"
#include "loopbackemulator.h"
#include "ui/demobackend.h"
#include "ui/resourceview.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

namespace pagewise::uitest
{

/// Points QSettings (organisation "Pagewise", application "Pagewise") at a fresh directory.
inline void useTemporarySettings(const QTemporaryDir &dir)
{
    QCoreApplication::setOrganizationName(QStringLiteral("Pagewise"));
    QCoreApplication::setApplicationName(QStringLiteral("Pagewise"));
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    QSettings().clear();
}

/// Nothing in flight and no page on its way: what a listing looks like between user actions.
inline bool isIdle(const ResourceView *view)
{
    return !view->model()->isFetching() && view->model()->state() != ResourceTableModel::State::Loading;
}

/// The demo emulator (default demo data) and a client that talks to it without backoff delays.
class EmulatorFixture
{
public:
    bool start(QString *error)
    {
        if (!m_backend.start(error))
            return false;
        const Result<Connection> connection
            = resolveConnection(m_backend.connectionOptions(), DemoBackend::isolatedEnvironment());
        if (!connection.ok()) {
            *error = connection.error().toString();
            return false;
        }
        m_client = std::make_unique<AwsClient>(connection.value());
        m_client->setBackoffScale(0);
        return true;
    }

    DemoBackend &backend() { return m_backend; }
    Emulator *emulator() { return m_backend.emulator(); }
    AwsClient *client() { return m_client.get(); }

    PageFetcherFactory factory() { return testsupport::paginatorFactory(m_client.get()); }

    /// A view of one kind over this emulator, shown at a size that fits every column; nullptr
    /// when the window does not get exposed.
    std::unique_ptr<ResourceView> shownView(const QString &kindId)
    {
        auto view = std::make_unique<ResourceView>(*findResourceKind(kindId), factory());
        view->resize(1300, 800);
        view->show();
        if (!QTest::qWaitForWindowExposed(view.get()))
            return nullptr;
        return view;
    }

    /// Requests of one operation the emulator answered since the log was cleared.
    QList<EmulatorRequestLogEntry> requests(const QString &operation)
    {
        QList<EmulatorRequestLogEntry> out;
        for (const EmulatorRequestLogEntry &entry : emulator()->requestLog()) {
            if (entry.operation == operation)
                out << entry;
        }
        return out;
    }

    void reset()
    {
        emulator()->setFaults({});
        emulator()->clearRequestLog();
    }

private:
    DemoBackend m_backend;
    std::unique_ptr<AwsClient> m_client;
};

/// One page of hand-made items, then the end of the listing.
class OnePageFetcher final : public PageFetcher
{
public:
    explicit OnePageFetcher(QJsonArray items)
        : m_items(std::move(items))
    {
    }
    void fetchNext() override
    {
        if (m_done || m_pending)
            return;
        m_pending = true;
        QTimer::singleShot(0, this, [this] {
            m_pending = false;
            m_done = true;
            Page page;
            page.items = m_items;
            page.number = 1;
            emit pageReady(page);
        });
    }
    void cancel() override { m_pending = false; }
    bool isFetching() const override { return m_pending; }
    bool hasMore() const override { return !m_done; }
    qint64 itemCount() const override { return m_done ? m_items.size() : 0; }
    QString resumeToken() const override { return {}; }

private:
    QJsonArray m_items;
    bool m_pending = false;
    bool m_done = false;
};

/// RFC 4180: quoted fields, doubled quotes, CRLF (or LF) row ends. Empty text gives no rows.
inline QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    bool fieldStarted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == QLatin1Char('"') && field.isEmpty()) {
            quoted = true;
            fieldStarted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
            fieldStarted = true;
        } else if (c == QLatin1Char('\r') || c == QLatin1Char('\n')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
                ++i;
            row << field;
            rows << row;
            row.clear();
            field.clear();
            fieldStarted = false;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (fieldStarted || !field.isEmpty()) {
        row << field;
        rows << row;
    }
    return rows;
}

} // namespace pagewise::uitest
