#pragma once
// The announcement e-mail of a notice, the text send-usn-email mailed to
// ubuntu-security-announce: a boxed header (USN id, date, title), the releases affected,
// Summary, Software Description per source, Details, Update instructions with the package
// versions per release followed by the action text, References, and Package Information.
#include "catalog/catalog.h"
#include "usn/notice.h"

#include <string>

namespace kct::usn {

// Throws kct::Error for a release the catalog does not know.
std::string render_email(const Notice& notice, const catalog::Catalog& catalog);

} // namespace kct::usn
