#pragma once
// Internals shared by pickle_reader.cpp and pickle_writer.cpp: the opcodes (Python's
// Lib/pickle.py names them) and the text codecs that protocol 0 and Python 2 strings need.
#include <cstdint>
#include <string>
#include <string_view>

namespace kct::usn {

// Python's names, lower-cased; the protocol 0 FLOAT, INT and LONG become text_* since those are
// C++ keywords.
enum class Op : uint8_t {
  mark = '(',
  stop = '.',
  pop = '0',
  pop_mark = '1',
  dup = '2',
  text_float = 'F',
  text_int = 'I',
  binint = 'J',
  binint1 = 'K',
  text_long = 'L',
  binint2 = 'M',
  none = 'N',
  persid = 'P',
  binpersid = 'Q',
  reduce = 'R',
  string = 'S',
  binstring = 'T',
  short_binstring = 'U',
  unicode = 'V',
  binunicode = 'X',
  append = 'a',
  build = 'b',
  global = 'c',
  dict = 'd',
  empty_dict = '}',
  appends = 'e',
  get = 'g',
  binget = 'h',
  inst = 'i',
  long_binget = 'j',
  list = 'l',
  empty_list = ']',
  obj = 'o',
  put = 'p',
  binput = 'q',
  long_binput = 'r',
  setitem = 's',
  tuple = 't',
  empty_tuple = ')',
  setitems = 'u',
  binfloat = 'G',
  proto = 0x80,
  newobj = 0x81,
  ext1 = 0x82,
  ext2 = 0x83,
  ext4 = 0x84,
  tuple1 = 0x85,
  tuple2 = 0x86,
  tuple3 = 0x87,
  newtrue = 0x88,
  newfalse = 0x89,
  long1 = 0x8a,
  long4 = 0x8b,
  binbytes = 'B',
  short_binbytes = 'C',
  short_binunicode = 0x8c,
  binunicode8 = 0x8d,
  binbytes8 = 0x8e,
  empty_set = 0x8f,
  additems = 0x90,
  frozenset = 0x91,
  newobj_ex = 0x92,
  stack_global = 0x93,
  memoize = 0x94,
  frame = 0x95,
  bytearray8 = 0x96,
  next_buffer = 0x97,
  readonly_buffer = 0x98,
};

// Python's name of the opcode ("BINUNICODE"), or nullptr for a byte that is no opcode.
const char* opcode_name(uint8_t op);

std::string latin1_to_utf8(std::string_view s);

// codecs.escape_decode (the STRING argument) and raw-unicode-escape decoding (UNICODE) into
// `out`. Each returns what is wrong with `in`, or "" when it decoded.
std::string escape_decode(std::string_view in, std::string& out);
std::string raw_unicode_escape_decode(std::string_view in, std::string& out);

} // namespace kct::usn
