#include "archive/compressed_file.h"

#include "util/error.h"
#include "util/files.h"
#include "util/strings.h"

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

// gzread rather than inflate by hand: it follows concatenated gzip members, as gunzip does.
std::string read_gzip(const std::string& path) {
  using GzFile = std::unique_ptr<gzFile_s, decltype(&gzclose)>;
  GzFile f(gzopen(path.c_str(), "rb"), &gzclose);
  if (!f) {
    throw Error(fmt::format("{}: cannot open", path));
  }
  std::string out;
  char buf[1 << 16];
  for (;;) {
    int n = gzread(f.get(), buf, sizeof buf);
    if (n < 0) {
      int code = 0;
      throw Error(fmt::format("{}: gzip: {}", path, gzerror(f.get(), &code)));
    }
    if (n == 0) {
      return out;
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

std::string read_xz(const std::string& path) {
  std::string in = read_plain(path);
  lzma_stream s = LZMA_STREAM_INIT;
  // LZMA_CONCATENATED: like `xz -d`, accept several streams one after the other.
  if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
    throw Error(fmt::format("{}: xz: cannot start the decoder", path));
  }
  std::unique_ptr<lzma_stream, decltype(&lzma_end)> owner(&s, &lzma_end);
  s.next_in = reinterpret_cast<const uint8_t*>(in.data());
  s.avail_in = in.size();
  std::string out;
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
      throw Error(fmt::format("{}: xz: corrupt or truncated data (lzma error {})", path, static_cast<int>(r)));
    }
  }
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

} // namespace

std::string read_compressed_file(const std::string& path) {
  if (ends_with(path, ".gz")) {
    return read_gzip(path);
  }
  if (ends_with(path, ".xz")) {
    return read_xz(path);
  }
  return read_plain(path);
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
