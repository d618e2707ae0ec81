#include "cli/usn_fetch_io.h"

#include "util/error.h"

#include <array>
#include <bzlib.h>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>

namespace kct::cli {
namespace {

constexpr std::array<uint32_t, 64> k_round = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

uint32_t rotr(uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}

void compress(std::array<uint32_t, 8>& h, const unsigned char* block) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i) {
    w[i] = uint32_t(block[4 * i]) << 24 | uint32_t(block[4 * i + 1]) << 16 | uint32_t(block[4 * i + 2]) << 8 |
           uint32_t(block[4 * i + 3]);
  }
  for (int i = 16; i < 64; ++i) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; ++i) {
    uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k_round[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

} // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  size_t full = bytes.size() / 64 * 64;
  for (size_t i = 0; i < full; i += 64) {
    compress(h, reinterpret_cast<const unsigned char*>(bytes.data() + i));
  }
  // The tail, a 1 bit, zeros, and the length in bits, big-endian, filling one or two blocks.
  unsigned char tail[128] = {};
  size_t rest = bytes.size() - full;
  std::memcpy(tail, bytes.data() + full, rest);
  tail[rest] = 0x80;
  size_t blocks = rest + 9 <= 64 ? 1 : 2;
  uint64_t bits = uint64_t(bytes.size()) * 8;
  for (int i = 0; i < 8; ++i) {
    tail[blocks * 64 - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  }
  for (size_t b = 0; b < blocks; ++b) {
    compress(h, tail + 64 * b);
  }
  std::string out;
  for (uint32_t word : h) {
    out += fmt::format("{:08x}", word);
  }
  return out;
}

std::string parse_sha256_file(std::string_view text, const std::string& origin) {
  size_t start = text.find_first_not_of(" \t\r\n");
  size_t end = start == std::string_view::npos ? start : text.find_first_of(" \t\r\n", start);
  std::string word(start == std::string_view::npos ? std::string_view() : text.substr(start, end - start));
  if (word.size() != 64 || word.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    throw Error(origin + ": not a SHA-256 checksum file (expected 64 hex digits, optionally followed by the name)");
  }
  for (char& c : word) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return word;
}

std::string bunzip2(std::string_view compressed, const std::string& origin) {
  std::string out;
  size_t offset = 0;
  while (offset < compressed.size()) {
    bz_stream stream{};
    if (BZ2_bzDecompressInit(&stream, 0, 0) != BZ_OK) {
      throw Error(origin + ": bzip2: cannot initialise the decompressor");
    }
    stream.next_in = const_cast<char*>(compressed.data() + offset);
    stream.avail_in = static_cast<unsigned>(compressed.size() - offset);
    int rc = BZ_OK;
    char buffer[1 << 16];
    while (rc == BZ_OK) {
      stream.next_out = buffer;
      stream.avail_out = sizeof buffer;
      rc = BZ2_bzDecompress(&stream);
      out.append(buffer, sizeof buffer - stream.avail_out);
      if (rc == BZ_OK && stream.avail_in == 0 && stream.avail_out != 0) {
        rc = BZ_UNEXPECTED_EOF;
      }
    }
    size_t used = compressed.size() - offset - stream.avail_in;
    BZ2_bzDecompressEnd(&stream);
    if (rc != BZ_STREAM_END) {
      throw Error(fmt::format("{}: bzip2: {} at compressed byte {}", origin,
                              rc == BZ_UNEXPECTED_EOF ? "truncated data" : "corrupt data", offset + used));
    }
    offset += used;
  }
  return out;
}

} // namespace kct::cli
