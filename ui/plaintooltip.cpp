#include "plaintooltip.h"

#include <QTextDocument>

namespace pagewise
{

QString plainToolTip(const QString &text)
{
    if (!Qt::mightBeRichText(text))
        return text;
    // Escaped, line breaks kept; a long value wraps as rich tooltips do.
    return Qt::convertFromPlainText(text, Qt::WhiteSpaceNormal);
}

} // namespace pagewise
