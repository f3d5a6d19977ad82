#pragma once

#include "kinds/resourcekind.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class QAbstractItemModel;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace pagewise
{

/// Every field of the current row, described by the kind's columns (hidden ones too) plus any
/// member the descriptor does not know, with copy buttons for ARNs and IDs.
class DetailPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DetailPane)
public:
    explicit DetailPane(const ResourceKind &kind, QWidget *parent = nullptr);

    /// Shows row `row` of a ResourceTableModel (source rows, not proxy rows); -1 clears.
    void showRow(const QAbstractItemModel *model, int row);
    void clear();

    /// The text shown for a member ("" when absent or nothing is shown).
    QString valueText(const QString &member) const;
    QPushButton *copyButton(const QString &member) const { return m_copyButtons.value(member); }

signals:
    /// Something was put on the clipboard ("ARN copied").
    void copied(const QString &what);

private:
    void copyValue(const QString &member);

    const ResourceKind &m_kind;
    QLabel *m_title = nullptr;
    QHash<QString, QLineEdit *> m_values;
    QHash<QString, QPushButton *> m_copyButtons;
    QHash<QString, QString> m_rawValues; ///< member -> full value for copying
    QPlainTextEdit *m_extras = nullptr;
    QLabel *m_extrasLabel = nullptr;
    QPushButton *m_copyJson = nullptr;
    QJsonObject m_resource;
};

} // namespace pagewise
