#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace pagewise
{

/// What to export, as chosen in the export dialog.
struct ExportOptions {
    enum class Scope {
        Selected, ///< the selected rows, in view order
        Shown, ///< every loaded row the view shows (local filter applied), in view order
        AllMatching, ///< fetch the remaining pages first, then every row shown
    };
    Scope scope = Scope::Selected;
    bool allMembers = false; ///< every column of the kind instead of the visible ones in view order
    bool rawCells = false; ///< no formula-injection neutralisation
    QString path;
};

/// Asks which rows and columns to export and where; says exactly which set will be written.
class ExportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportDialog)
public:
    struct Counts {
        int selected = 0;
        int shown = 0;
        int loaded = 0;
        bool more = false; ///< the listing has pages not loaded yet
        int visibleColumns = 0;
        int allColumns = 0;
    };

    ExportDialog(
        const QString &kindTitle, const Counts &counts, const ExportOptions &initial, QWidget *parent = nullptr);

    ExportOptions options() const;
    void setPath(const QString &path);

    QRadioButton *scopeButton(ExportOptions::Scope scope) const;
    QCheckBox *rawCheck() const { return m_raw; }
    QLineEdit *pathEdit() const { return m_path; }

private:
    void browse();
    void updateState();

    Counts m_counts;
    QRadioButton *m_selected = nullptr;
    QRadioButton *m_shown = nullptr;
    QRadioButton *m_all = nullptr;
    QRadioButton *m_visibleColumns = nullptr;
    QRadioButton *m_allColumns = nullptr;
    QCheckBox *m_raw = nullptr;
    QLabel *m_rawWarning = nullptr;
    QLineEdit *m_path = nullptr;
    QLabel *m_summary = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace pagewise
