// Opcode names and the text codecs of pickle_internal.h.
#include "usn/pickle_internal.h"
#include "util/strings.h"

#include <fmt/format.h>

namespace kct::usn {

const char* opcode_name(uint8_t op) {
  switch (static_cast<Op>(op)) {
  case Op::mark: return "MARK";
  case Op::stop: return "STOP";
  case Op::pop: return "POP";
  case Op::pop_mark: return "POP_MARK";
  case Op::dup: return "DUP";
  case Op::text_float: return "FLOAT";
  case Op::text_int: return "INT";
  case Op::binint: return "BININT";
  case Op::binint1: return "BININT1";
  case Op::text_long: return "LONG";
  case Op::binint2: return "BININT2";
  case Op::none: return "NONE";
  case Op::persid: return "PERSID";
  case Op::binpersid: return "BINPERSID";
  case Op::reduce: return "REDUCE";
  case Op::string: return "STRING";
  case Op::binstring: return "BINSTRING";
  case Op::short_binstring: return "SHORT_BINSTRING";
  case Op::unicode: return "UNICODE";
  case Op::binunicode: return "BINUNICODE";
  case Op::append: return "APPEND";
  case Op::build: return "BUILD";
  case Op::global: return "GLOBAL";
  case Op::dict: return "DICT";
  case Op::empty_dict: return "EMPTY_DICT";
  case Op::appends: return "APPENDS";
  case Op::get: return "GET";
  case Op::binget: return "BINGET";
  case Op::inst: return "INST";
  case Op::long_binget: return "LONG_BINGET";
  case Op::list: return "LIST";
  case Op::empty_list: return "EMPTY_LIST";
  case Op::obj: return "OBJ";
  case Op::put: return "PUT";
  case Op::binput: return "BINPUT";
  case Op::long_binput: return "LONG_BINPUT";
  case Op::setitem: return "SETITEM";
  case Op::tuple: return "TUPLE";
  case Op::empty_tuple: return "EMPTY_TUPLE";
  case Op::setitems: return "SETITEMS";
  case Op::binfloat: return "BINFLOAT";
  case Op::proto: return "PROTO";
  case Op::newobj: return "NEWOBJ";
  case Op::ext1: return "EXT1";
  case Op::ext2: return "EXT2";
  case Op::ext4: return "EXT4";
  case Op::tuple1: return "TUPLE1";
  case Op::tuple2: return "TUPLE2";
  case Op::tuple3: return "TUPLE3";
  case Op::newtrue: return "NEWTRUE";
  case Op::newfalse: return "NEWFALSE";
  case Op::long1: return "LONG1";
  case Op::long4: return "LONG4";
  case Op::binbytes: return "BINBYTES";
  case Op::short_binbytes: return "SHORT_BINBYTES";
  case Op::short_binunicode: return "SHORT_BINUNICODE";
  case Op::binunicode8: return "BINUNICODE8";
  case Op::binbytes8: return "BINBYTES8";
  case Op::empty_set: return "EMPTY_SET";
  case Op::additems: return "ADDITEMS";
  case Op::frozenset: return "FROZENSET";
  case Op::newobj_ex: return "NEWOBJ_EX";
  case Op::stack_global: return "STACK_GLOBAL";
  case Op::memoize: return "MEMOIZE";
  case Op::frame: return "FRAME";
  case Op::bytearray8: return "BYTEARRAY8";
  case Op::next_buffer: return "NEXT_BUFFER";
  case Op::readonly_buffer: return "READONLY_BUFFER";
  }
  return nullptr;
}

std::string latin1_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    util::append_utf8(out, static_cast<unsigned char>(c));
  }
  return out;
}

std::string escape_decode(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      if (s[i] == '\\') {
        return "STRING argument ends with a lone backslash";
      }
      out += s[i];
      continue;
    }
    char c = s[++i];
    switch (c) {
    case '\n': break;
    case '\\': out += '\\'; break;
    case '\'': out += '\''; break;
    case '"': out += '"'; break;
    case 'a': out += '\a'; break;
    case 'b': out += '\b'; break;
    case 'f': out += '\f'; break;
    case 'n': out += '\n'; break;
    case 'r': out += '\r'; break;
    case 't': out += '\t'; break;
    case 'v': out += '\v'; break;
    case 'x': {
      if (i + 2 >= s.size() || !util::is_hex(s.substr(i + 1, 2))) {
        return "STRING argument has an invalid \\x escape";
      }
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
      break;
    }
    default:
      if (c >= '0' && c <= '7') {
        int v = c - '0';
        for (int k = 0; k < 2 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7'; ++k) {
          v = v * 8 + (s[++i] - '0');
        }
        out += static_cast<char>(v & 0xFF);
      } else {
        // Python keeps unknown escapes as they are.
        out += '\\';
        out += c;
      }
    }
  }
  return "";
}

// Bytes are Latin-1, and \uXXXX or \UXXXXXXXX after an odd number of backslashes is a code
// point (CPython's rule).
std::string raw_unicode_escape_decode(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '\\') {
      util::append_utf8(out, static_cast<unsigned char>(s[i++]));
      continue;
    }
    size_t run = 0;
    while (i < s.size() && s[i] == '\\') {
      out += '\\';
      ++run;
      ++i;
    }
    if (run % 2 == 0 || i == s.size() || (s[i] != 'u' && s[i] != 'U')) {
      continue;
    }
    out.pop_back();
    size_t digits = s[i] == 'u' ? 4 : 8;
    std::string_view hex = s.substr(i + 1, digits);
    if (hex.size() != digits || !util::is_hex(hex)) {
      return "UNICODE argument has a truncated \\u escape";
    }
    uint32_t cp = static_cast<uint32_t>(std::stoul(std::string(hex), nullptr, 16));
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return fmt::format("UNICODE argument has an invalid code point U+{:04X}", cp);
    }
    util::append_utf8(out, cp);
    i += 1 + digits;
  }
  return "";
}

} // namespace kct::usn
