#pragma once

// What a label or tooltip shows a person, decided the way Qt decides it: rich text is rendered
// (tags gone, links and images drawn), plain text is shown as written.

#include <QLabel>
#include <QTextDocument>

namespace pagewise::uitest
{

/// The characters a person reads in a widget whose text may be rendered as HTML.
inline QString shownText(const QString &text, Qt::TextFormat format)
{
    const bool rich = format == Qt::RichText || (format == Qt::AutoText && Qt::mightBeRichText(text));
    if (!rich)
        return text;
    QTextDocument document;
    document.setHtml(text);
    return document.toPlainText();
}

inline QString shownText(const QLabel *label)
{
    return shownText(label->text(), label->textFormat());
}

/// Tooltips have no format of their own: Qt guesses from the text.
inline QString shownToolTip(const QString &toolTip)
{
    return shownText(toolTip, Qt::AutoText);
}

} // namespace pagewise::uitest
