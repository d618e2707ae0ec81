#include "util/deflate.h"

#include "util/error.h"

#include <cstdint>
#include <limits>
#include <zlib.h>

namespace kct::util {

namespace {
constexpr size_t k_header = 4;
} // namespace

std::string deflate_text(std::string_view text) {
  if (text.size() > std::numeric_limits<uint32_t>::max()) {
    throw Error("cannot compress a text of " + std::to_string(text.size()) + " bytes (limit 4 GiB)");
  }
  uLongf packed_size = compressBound(static_cast<uLong>(text.size()));
  std::string out(k_header + packed_size, '\0');
  auto length = static_cast<uint32_t>(text.size());
  for (size_t i = 0; i < k_header; ++i) {
    out[i] = static_cast<char>((length >> (8 * i)) & 0xff);
  }
  int rc = compress2(reinterpret_cast<Bytef*>(out.data() + k_header), &packed_size,
                     reinterpret_cast<const Bytef*>(text.data()), static_cast<uLong>(text.size()), 1);
  if (rc != Z_OK) {
    throw Error(std::string("zlib: cannot compress: ") + zError(rc));
  }
  out.resize(k_header + packed_size);
  return out;
}

std::string inflate_text(std::string_view packed, const std::string& where) {
  if (packed.size() < k_header) {
    throw Error(where + ": compressed text of " + std::to_string(packed.size()) + " bytes, expected at least 4");
  }
  uint32_t length = 0;
  for (size_t i = 0; i < k_header; ++i) {
    length |= static_cast<uint32_t>(static_cast<unsigned char>(packed[i])) << (8 * i);
  }
  std::string out(length, '\0');
  uLongf out_size = length;
  int rc = uncompress(reinterpret_cast<Bytef*>(out.data()), &out_size,
                      reinterpret_cast<const Bytef*>(packed.data() + k_header),
                      static_cast<uLong>(packed.size() - k_header));
  if (rc != Z_OK || out_size != length) {
    throw Error(where + ": corrupt compressed text: " + (rc != Z_OK ? zError(rc) : "length differs from its header"));
  }
  return out;
}

} // namespace kct::util
