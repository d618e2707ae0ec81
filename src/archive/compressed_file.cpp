#include "archive/compressed_file.h"

#include "util/error.h"
#include "util/files.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fmt/format.h>
#include <lzma.h>
#include <memory>
#include <zlib.h>

namespace kct::archive {

namespace {

std::string read_plain(const std::string& path) {
  std::string out;
  if (std::optional<std::string> err = util::read_file(path, out)) {
    throw Error(fmt::format("{}: cannot read: {}", path, *err));
  }
  return out;
}

// Like gunzip, follows concatenated gzip members (pigz and some mirrors write them). Bytes
// without the gzip magic are taken as plain text, as `zcat -f` and zlib's gzread do: a web
// server or proxy may hand out a `.gz` already unpacked.
std::string gunzip(std::string_view in, const std::string& origin) {
  if (!in.starts_with("\x1f\x8b")) {
    return std::string(in);
  }
  z_stream s{};
  // 15 + 16: a gzip wrapper, not a raw zlib stream.
  if (inflateInit2(&s, 15 + 16) != Z_OK) {
    throw Error(fmt::format("{}: gzip: cannot start the decoder", origin));
  }
  std::unique_ptr<z_stream, decltype(&inflateEnd)> owner(&s, &inflateEnd);
  // The last member's trailer holds its size mod 2^32: for the usual single member, the exact
  // size, which saves growing a 50 MB string step by step. Capped at deflate's best ratio.
  uint64_t trailer = 0;
  for (size_t i = 0; i < 4 && in.size() >= 18; ++i) {
    trailer |= uint64_t(static_cast<unsigned char>(in[in.size() - 4 + i])) << (8 * i);
  }
  std::string out;
  out.reserve(std::min<uint64_t>(std::max<uint64_t>(trailer, in.size() * 4), in.size() * 1032));
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  s.avail_in = static_cast<uInt>(in.size()); // index files are far below 4 GiB compressed
  Bytef buf[1 << 16];
  for (;;) {
    s.next_out = buf;
    s.avail_out = sizeof buf;
    int r = inflate(&s, Z_NO_FLUSH);
    out.append(reinterpret_cast<const char*>(buf), sizeof buf - s.avail_out);
    if (r == Z_STREAM_END) {
      if (s.avail_in == 0) {
        return out;
      }
      inflateReset(&s);
      continue;
    }
    if (r == Z_BUF_ERROR && s.avail_in == 0) {
      throw Error(fmt::format("{}: gzip: truncated data", origin));
    }
    if (r != Z_OK) {
      throw Error(fmt::format("{}: gzip: corrupt data ({})", origin, s.msg != nullptr ? s.msg : "zlib error"));
    }
  }
}

std::string unxz(std::string_view in, const std::string& origin) {
  lzma_stream s = LZMA_STREAM_INIT;
  // LZMA_CONCATENATED: like `xz -d`, accept several streams one after the other.
  if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
    throw Error(fmt::format("{}: xz: cannot start the decoder", origin));
  }
  std::unique_ptr<lzma_stream, decltype(&lzma_end)> owner(&s, &lzma_end);
  s.next_in = reinterpret_cast<const uint8_t*>(in.data());
  s.avail_in = in.size();
  std::string out;
  out.reserve(in.size() * 6);
  uint8_t buf[1 << 16];
  for (;;) {
    s.next_out = buf;
    s.avail_out = sizeof buf;
    lzma_ret r = lzma_code(&s, s.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
    out.append(reinterpret_cast<const char*>(buf), sizeof buf - s.avail_out);
    if (r == LZMA_STREAM_END) {
      return out;
    }
    if (r != LZMA_OK) {
      throw Error(fmt::format("{}: xz: corrupt or truncated data (lzma error {})", origin, static_cast<int>(r)));
    }
  }
}

} // namespace

std::string decompress_bytes(std::string_view bytes, const std::string& origin, std::string_view suffix) {
  if (suffix.ends_with(".gz")) {
    return gunzip(bytes, origin);
  }
  if (suffix.ends_with(".xz")) {
    return unxz(bytes, origin);
  }
  return std::string(bytes);
}

std::string read_compressed_file(const std::string& path) {
  std::string bytes = read_plain(path);
  if (path.ends_with(".gz") || path.ends_with(".xz")) {
    return decompress_bytes(bytes, path, path);
  }
  return bytes;
}

std::string find_index_file(const std::string& dir, const std::string& name) {
  for (const char* suffix : {"", ".xz", ".gz"}) {
    std::error_code ec;
    std::filesystem::path p = std::filesystem::path(dir) / (name + suffix);
    if (std::filesystem::is_regular_file(p, ec)) {
      return p.string();
    }
  }
  return {};
}

} // namespace kct::archive
