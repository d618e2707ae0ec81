#pragma once
// zlib in memory, for large texts a database keeps but rarely reads (the USN history's
// creation patches). The packed form is self-describing: four bytes of original length,
// little-endian, then one zlib stream.
#include <string>
#include <string_view>

namespace kct::util {

// Fast rather than small (level 1): JSON still shrinks about tenfold.
std::string deflate_text(std::string_view text);
// Throws kct::Error naming `where` when `packed` is not what deflate_text wrote.
std::string inflate_text(std::string_view packed, const std::string& where);

} // namespace kct::util
