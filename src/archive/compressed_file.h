#pragma once
// Reads an apt index file whole, decompressing it by its suffix: mirrors publish `Sources` as
// plain text, `.gz` or `.xz`, often only the compressed forms.
#include <string>
#include <string_view>

namespace kct::archive {

// The contents of `path`, gunzipped for `.gz` and unxz'd for `.xz`. Throws kct::Error naming
// the path when it cannot be read or does not decompress.
std::string read_compressed_file(const std::string& path);

// `bytes` decompressed as `suffix` says (".gz", ".xz"; anything else is returned as is), for
// indices downloaded rather than read. Throws kct::Error naming `origin` (a path or URL) when
// they do not decompress.
std::string decompress_bytes(std::string_view bytes, const std::string& origin, std::string_view suffix);

// The first of `dir/name`, `name.xz`, `name.gz` that exists (a mirror carries the same contents
// in each form it has), or "" when none does.
std::string find_index_file(const std::string& dir, const std::string& name);

} // namespace kct::archive
