// The pickler: follows Python's own pickler (batches of 1000, memoized strings, 64 KiB frames)
// so the file has the size and shape the USN tools expect. It skips the memo entries Python
// makes for each dict and list, which nothing refers to in a tree that came from JSON.
#include "usn/pickle.h"
#include "usn/pickle_internal.h"
#include "util/error.h"
#include "util/strings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <unordered_map>

namespace kct::usn {
namespace {

using json = nlohmann::ordered_json;

constexpr size_t k_batch_size = 1000;             // pickle._BATCHSIZE
constexpr size_t k_frame_size_target = 64 * 1024; // pickle._FRAME_SIZE_TARGET
constexpr size_t k_frame_size_min = 4;            // smaller frames are not worth their header

class Pickler {
public:
  explicit Pickler(int protocol) : m_protocol(protocol) {}
  std::string dump(const json& value);

private:
  void op(Op code);
  void le(uint64_t v, int n);
  void commit_frame();
  void save(const json& v);
  void save_int(int64_t v);
  void save_uint(uint64_t v);
  void save_float(double v);
  void save_str(const std::string& s);
  void save_bytes(const json::binary_t& b);
  void memoize(const std::string& s);
  void save_global(std::string_view module, std::string_view name);

  int m_protocol;
  std::string m_out;
  std::string m_frame; // the current frame; opcodes are whole within it
  // Equal strings share one memo entry: Python would only share the same object, but a str is
  // immutable so the loaded value is the same, and the file is much smaller.
  std::unordered_map<std::string, uint32_t> m_memo;
  uint32_t m_memo_size = 0;
};

void Pickler::op(Op code) {
  // Frames may only end between opcodes, since Python's pure unpickler reads each opcode within
  // one frame; starting a new frame here keeps that true.
  if (m_frame.size() >= k_frame_size_target) {
    commit_frame();
  }
  m_frame += static_cast<char>(code);
}

void Pickler::le(uint64_t v, int n) {
  for (int i = 0; i < n; ++i) {
    m_frame += static_cast<char>((v >> (8 * i)) & 0xFF);
  }
}

void Pickler::commit_frame() {
  if (m_protocol >= 4 && m_frame.size() >= k_frame_size_min) {
    m_out += static_cast<char>(Op::frame);
    for (int i = 0; i < 8; ++i) {
      m_out += static_cast<char>((uint64_t(m_frame.size()) >> (8 * i)) & 0xFF);
    }
  }
  m_out += m_frame;
  m_frame.clear();
}

void Pickler::save_int(int64_t v) {
  if (v >= 0 && v <= 0xFF) {
    op(Op::binint1);
    le(static_cast<uint64_t>(v), 1);
  } else if (v >= 0 && v <= 0xFFFF) {
    op(Op::binint2);
    le(static_cast<uint64_t>(v), 2);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    op(Op::binint);
    le(static_cast<uint64_t>(v), 4);
  } else {
    // LONG1: the shortest little-endian two's complement.
    std::string bytes;
    auto u = static_cast<uint64_t>(v);
    for (int i = 0; i < 8; ++i) {
      bytes += static_cast<char>((u >> (8 * i)) & 0xFF);
    }
    while (bytes.size() > 1) {
      auto last = static_cast<unsigned char>(bytes.back());
      bool prev_negative = (static_cast<unsigned char>(bytes[bytes.size() - 2]) & 0x80) != 0;
      if (!((last == 0x00 && !prev_negative) || (last == 0xFF && prev_negative))) {
        break;
      }
      bytes.pop_back();
    }
    op(Op::long1);
    le(bytes.size(), 1);
    m_frame += bytes;
  }
}

void Pickler::save_uint(uint64_t v) {
  if (v <= uint64_t(INT64_MAX)) {
    save_int(static_cast<int64_t>(v));
    return;
  }
  // Above int64: nine bytes, the last a zero sign byte.
  op(Op::long1);
  le(9, 1);
  le(v, 8);
  le(0, 1);
}

void Pickler::save_float(double v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  op(Op::binfloat);
  for (int i = 7; i >= 0; --i) {
    m_frame += static_cast<char>((bits >> (8 * i)) & 0xFF);
  }
}

void Pickler::memoize(const std::string& s) {
  uint32_t index = m_memo_size++;
  m_memo.emplace(s, index);
  if (m_protocol >= 4) {
    op(Op::memoize);
  } else if (index < 256) {
    op(Op::binput);
    le(index, 1);
  } else {
    op(Op::long_binput);
    le(index, 4);
  }
}

void Pickler::save_str(const std::string& s) {
  if (auto it = m_memo.find(s); it != m_memo.end()) {
    if (it->second < 256) {
      op(Op::binget);
      le(it->second, 1);
    } else {
      op(Op::long_binget);
      le(it->second, 4);
    }
    return;
  }
  // Python's loader would raise UnicodeDecodeError; better to fail while writing.
  if (size_t bad = util::invalid_utf8_offset(s); bad != std::string::npos) {
    throw Error(fmt::format("write_pickle: string is not valid UTF-8 at byte {}: {}", bad,
                            json(s).dump(-1, ' ', true, json::error_handler_t::replace)));
  }
  if (m_protocol >= 4 && s.size() < 256) {
    op(Op::short_binunicode);
    le(s.size(), 1);
  } else if (s.size() <= UINT32_MAX) {
    op(Op::binunicode);
    le(s.size(), 4);
  } else if (m_protocol >= 4) {
    op(Op::binunicode8);
    le(s.size(), 8);
  } else {
    throw Error(fmt::format("write_pickle: a string of {} bytes needs protocol 4", s.size()));
  }
  m_frame += s;
  memoize(s);
}

void Pickler::save_global(std::string_view module, std::string_view name) {
  op(Op::global);
  m_frame += module;
  m_frame += '\n';
  m_frame += name;
  m_frame += '\n';
}

void Pickler::save_bytes(const json::binary_t& b) {
  std::string_view data(reinterpret_cast<const char*>(b.data()), b.size());
  if (m_protocol < 3) {
    // Protocol 2 has no bytes opcode; Python 3 writes _codecs.encode(latin-1 text, 'latin1'),
    // with Python 2's module name for the builtins.
    if (data.empty()) {
      save_global("__builtin__", "bytes");
      op(Op::empty_tuple);
    } else {
      save_global("_codecs", "encode");
      std::string text;
      for (char c : data) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x80) {
          text += c;
        } else {
          text += static_cast<char>(0xC0 | (u >> 6));
          text += static_cast<char>(0x80 | (u & 0x3F));
        }
      }
      save_str(text);
      save_str("latin1");
      op(Op::tuple2);
    }
    op(Op::reduce);
    return;
  }
  if (data.size() < 256) {
    op(Op::short_binbytes);
    le(data.size(), 1);
  } else if (data.size() <= UINT32_MAX) {
    op(Op::binbytes);
    le(data.size(), 4);
  } else if (m_protocol >= 4) {
    op(Op::binbytes8);
    le(data.size(), 8);
  } else {
    throw Error(fmt::format("write_pickle: bytes of {} bytes need protocol 4", data.size()));
  }
  m_frame += data;
}

void Pickler::save(const json& v) {
  switch (v.type()) {
  case json::value_t::null: op(Op::none); break;
  case json::value_t::boolean: op(v.get<bool>() ? Op::newtrue : Op::newfalse); break;
  case json::value_t::number_integer: save_int(v.get<int64_t>()); break;
  case json::value_t::number_unsigned: save_uint(v.get<uint64_t>()); break;
  case json::value_t::number_float: save_float(v.get<double>()); break;
  case json::value_t::string: save_str(v.get_ref<const std::string&>()); break;
  case json::value_t::binary: save_bytes(v.get_binary()); break;
  case json::value_t::array: {
    op(Op::empty_list);
    const auto& items = v.get_ref<const json::array_t&>();
    for (size_t from = 0; from < items.size(); from += k_batch_size) {
      size_t to = std::min(items.size(), from + k_batch_size);
      if (to - from == 1) {
        save(items[from]);
        op(Op::append);
        continue;
      }
      op(Op::mark);
      for (size_t i = from; i < to; ++i) {
        save(items[i]);
      }
      op(Op::appends);
    }
    break;
  }
  case json::value_t::object: {
    op(Op::empty_dict);
    const auto& object = v.get_ref<const json::object_t&>();
    auto it = object.begin();
    for (size_t from = 0; from < object.size(); from += k_batch_size) {
      size_t n = std::min(object.size() - from, k_batch_size);
      if (n > 1) {
        op(Op::mark);
      }
      for (size_t i = 0; i < n; ++i, ++it) {
        save_str(it->first);
        save(it->second);
      }
      op(n > 1 ? Op::setitems : Op::setitem);
    }
    break;
  }
  case json::value_t::discarded: throw Error("write_pickle: cannot write a discarded JSON value");
  }
}

std::string Pickler::dump(const json& value) {
  m_out += static_cast<char>(Op::proto);
  m_out += static_cast<char>(m_protocol);
  save(value);
  op(Op::stop);
  commit_frame();
  return std::move(m_out);
}

} // namespace

std::string write_pickle(const nlohmann::ordered_json& value, int protocol) {
  if (protocol < 2 || protocol > 5) {
    throw Error(fmt::format("write_pickle: protocol {} is not written (2 to 5 are)", protocol));
  }
  return Pickler(protocol).dump(value);
}

} // namespace kct::usn
