#pragma once

#include <QString>

namespace pagewise
{

/// `text` as a tooltip that shows it literally. Tooltips render anything that looks like HTML
/// as rich text, and a value from the service (a description, a failure reason) may well look
/// like HTML; text that does not is returned unchanged.
QString plainToolTip(const QString &text);

} // namespace pagewise
