#pragma once
// What `kct usn fetch` needs below the command besides the download (net/http.h): SHA-256
// and bzip2 decompression with libbz2. Failures throw kct::Error starting with the origin
// they concern.
#include <string>
#include <string_view>

namespace kct::cli {

// Lower-case hex.
std::string sha256_hex(std::string_view bytes);

// The expected digest from a `.sha256` file: `<hex>  <name>` (sha256sum's format) or the hex
// alone. Throws "<origin>: …" when the first word is not 64 hex digits.
std::string parse_sha256_file(std::string_view text, const std::string& origin);

// Decompresses a .bz2 stream (concatenated streams too, as bzip2 -d does).
std::string bunzip2(std::string_view compressed, const std::string& origin);

} // namespace kct::cli
