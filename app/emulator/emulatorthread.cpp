#include "emulatorthread.h"

#include "emulator.h"

namespace pagewise
{

EmulatorThread::EmulatorThread(EmulatorConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_thread.setObjectName(QStringLiteral("pagewise-emulator"));
}

EmulatorThread::~EmulatorThread()
{
    stop();
}

bool EmulatorThread::start(QString *error)
{
    if (m_emulator)
        return true;
    m_thread.start();
    m_anchor = new QObject;
    m_anchor->moveToThread(&m_thread);
    bool ok = false;
    QString problem;
    QMetaObject::invokeMethod(
        m_anchor,
        [this, &ok, &problem] {
            auto *emulator = new Emulator(m_config);
            ok = emulator->listen(&problem);
            if (ok)
                m_emulator = emulator;
            else
                delete emulator;
        },
        Qt::BlockingQueuedConnection);
    if (!ok) {
        if (error)
            *error = problem;
        stop();
    }
    return ok;
}

void EmulatorThread::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        m_anchor,
        [this] {
            delete m_emulator;
            m_emulator = nullptr;
            m_anchor->deleteLater(); // deleted as the thread finishes
        },
        Qt::BlockingQueuedConnection);
    m_anchor = nullptr;
    m_thread.quit();
    m_thread.wait();
}

QUrl EmulatorThread::url() const
{
    return m_emulator ? m_emulator->url() : QUrl();
}

} // namespace pagewise
