// The unpickler: a stack machine over the opcodes, building a small graph of nodes that is
// turned into JSON at STOP. Nodes rather than JSON on the stack because pickle memoizes
// containers while they are still empty; a later GET must see them filled, so memo entries
// and stack slots have to share one object.
#include "usn/pickle.h"
#include "usn/pickle_internal.h"
#include "util/error.h"
#include "util/strings.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace kct::usn {
namespace {

using json = nlohmann::ordered_json;

enum class Kind : uint8_t { none, boolean, integer, real, str, bytes, list, tuple, dict, set, global };

struct Node {
  Kind kind = Kind::none;
  size_t offset = 0;   // the opcode that made it, for errors found at STOP
  int64_t integer = 0; // integer and boolean
  double real = 0;
  std::string text;            // str and bytes contents; a global's "module.name"
  std::vector<uint32_t> items; // list, tuple and set items; a dict's keys and values alternate
};

const char* kind_name(Kind kind) {
  switch (kind) {
  case Kind::none: return "None";
  case Kind::boolean: return "bool";
  case Kind::integer: return "int";
  case Kind::real: return "float";
  case Kind::str: return "str";
  case Kind::bytes: return "bytes";
  case Kind::list: return "list";
  case Kind::tuple: return "tuple";
  case Kind::dict: return "dict";
  case Kind::set: return "set";
  case Kind::global: return "global";
  }
  return "?";
}

// Python 2's str held bytes, mostly UTF-8 in the USN tools; see pickle.h for the fallback.
std::string decode_8bit(std::string_view s) {
  if (util::invalid_utf8_offset(s) == std::string_view::npos) {
    return std::string(s);
  }
  return latin1_to_utf8(s);
}

bool is_latin1_name(const Node& n) {
  return n.kind == Kind::str && (n.text == "latin1" || n.text == "latin-1" || n.text == "iso-8859-1");
}

// The globals Python writes for plain data below protocol 3 or 4 (sets, bytes). Anything else
// would mean running code to load the file.
bool is_allowed_global(std::string_view name) {
  return name == "builtins.set" || name == "builtins.frozenset" || name == "builtins.bytes" ||
         name == "builtins.bytearray" || name == "_codecs.encode";
}

class Unpickler {
public:
  Unpickler(std::string_view bytes, const std::string& path) : m_bytes(bytes), m_path(path) {
    // About one node per 32 bytes in the USN database; a guess, not a limit.
    m_nodes.reserve(bytes.size() / 32 + 16);
  }
  json run();

private:
  [[noreturn]] void fail(size_t offset, const std::string& message) const {
    throw Error(fmt::format("{}: offset {}: {}", m_path, offset, message));
  }
  [[noreturn]] void fail(const std::string& message) const { fail(m_op, message); }

  std::string_view take(uint64_t n);
  uint64_t read_le(size_t n);
  std::string_view line();
  int64_t parse_int(std::string_view text);
  int64_t decode_long(std::string_view le);
  std::string decoded(std::string (*decode)(std::string_view, std::string&), std::string_view in);
  std::string checked_utf8(std::string_view s);

  uint32_t add(Node node);
  uint32_t add_scalar(Kind kind, int64_t integer);
  uint32_t add_text(Kind kind, std::string text);
  uint32_t add_container(Kind kind, std::vector<uint32_t> items);
  void push(uint32_t id) { m_stack.push_back(id); }
  size_t base() const { return m_marks.empty() ? 0 : m_marks.back(); }
  uint32_t pop();
  uint32_t top();
  std::vector<uint32_t> pop_mark();
  Node& top_of(Kind kind);
  void memo_put(uint64_t key);
  void memo_get(uint64_t key);
  void push_global(std::string module, std::string name);
  uint32_t apply(uint32_t callable, uint32_t args);
  void add_pairs(Node& dict, const std::vector<uint32_t>& items);

  json convert(uint32_t id, int depth);
  std::string key_text(uint32_t id);

  std::string_view m_bytes;
  const std::string& m_path;
  size_t m_pos = 0;
  size_t m_op = 0; // offset of the opcode being run
  uint8_t m_opcode = 0;
  std::vector<Node> m_nodes;
  std::vector<uint32_t> m_stack;
  std::vector<size_t> m_marks; // stack heights at each MARK
  std::unordered_map<uint64_t, uint32_t> m_memo;
  std::vector<uint8_t> m_converting;
  uint64_t m_budget = 0;
};

std::string_view Unpickler::take(uint64_t n) {
  size_t left = m_bytes.size() - m_pos;
  if (n > left) {
    fail(fmt::format("truncated: {} needs {} bytes, {} left", opcode_name(m_opcode), n, left));
  }
  std::string_view s = m_bytes.substr(m_pos, n);
  m_pos += n;
  return s;
}

uint64_t Unpickler::read_le(size_t n) {
  std::string_view s = take(n);
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    v |= uint64_t(static_cast<unsigned char>(s[i])) << (8 * i);
  }
  return v;
}

// The argument of a protocol 0 opcode, without its '\n'.
std::string_view Unpickler::line() {
  size_t nl = m_bytes.find('\n', m_pos);
  if (nl == std::string_view::npos) {
    fail(fmt::format("truncated: {} argument has no end of line", opcode_name(m_opcode)));
  }
  std::string_view s = m_bytes.substr(m_pos, nl - m_pos);
  m_pos = nl + 1;
  return s;
}

int64_t Unpickler::parse_int(std::string_view text) {
  std::string_view s = util::strip(text);
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
  }
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) {
    fail(fmt::format("integer {} does not fit in 64 bits", s));
  }
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    fail(fmt::format("{} argument '{}' is not an integer", opcode_name(m_opcode), text));
  }
  return v;
}

// LONG1 / LONG4 payload: little-endian two's complement of any length.
int64_t Unpickler::decode_long(std::string_view le) {
  if (le.empty()) {
    return 0;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(le.data());
  size_t n = le.size();
  bool negative = (p[n - 1] & 0x80) != 0;
  // Bytes past the eighth may only repeat the sign, and the eighth must carry it.
  for (size_t i = 8; i < n; ++i) {
    if (p[i] != (negative ? 0xFF : 0x00)) {
      fail("integer does not fit in 64 bits");
    }
  }
  if (n > 8 && ((p[7] & 0x80) != 0) != negative) {
    fail("integer does not fit in 64 bits");
  }
  uint64_t v = negative ? ~uint64_t(0) : 0;
  for (size_t i = 0; i < n && i < 8; ++i) {
    v &= ~(uint64_t(0xFF) << (8 * i));
    v |= uint64_t(p[i]) << (8 * i);
  }
  return static_cast<int64_t>(v);
}

std::string Unpickler::decoded(std::string (*decode)(std::string_view, std::string&), std::string_view in) {
  std::string out;
  if (std::string error = decode(in, out); !error.empty()) {
    fail(error);
  }
  return out;
}

std::string Unpickler::checked_utf8(std::string_view s) {
  size_t bad = util::invalid_utf8_offset(s);
  if (bad != std::string_view::npos) {
    fail(fmt::format("{} is not valid UTF-8 at byte {} of the string", opcode_name(m_opcode), bad));
  }
  return std::string(s);
}

uint32_t Unpickler::add(Node node) {
  node.offset = m_op;
  m_nodes.push_back(std::move(node));
  return static_cast<uint32_t>(m_nodes.size() - 1);
}

uint32_t Unpickler::add_scalar(Kind kind, int64_t integer) {
  Node n;
  n.kind = kind;
  n.integer = integer;
  return add(std::move(n));
}

uint32_t Unpickler::add_text(Kind kind, std::string text) {
  Node n;
  n.kind = kind;
  n.text = std::move(text);
  return add(std::move(n));
}

uint32_t Unpickler::add_container(Kind kind, std::vector<uint32_t> items) {
  Node n;
  n.kind = kind;
  n.items = std::move(items);
  return add(std::move(n));
}

uint32_t Unpickler::pop() {
  if (m_stack.size() <= base()) {
    fail(fmt::format("{} on an empty stack", opcode_name(m_opcode)));
  }
  uint32_t id = m_stack.back();
  m_stack.pop_back();
  return id;
}

uint32_t Unpickler::top() {
  if (m_stack.size() <= base()) {
    fail(fmt::format("{} on an empty stack", opcode_name(m_opcode)));
  }
  return m_stack.back();
}

std::vector<uint32_t> Unpickler::pop_mark() {
  if (m_marks.empty()) {
    fail(fmt::format("{} without a MARK", opcode_name(m_opcode)));
  }
  size_t from = m_marks.back();
  m_marks.pop_back();
  std::vector<uint32_t> items(m_stack.begin() + static_cast<std::ptrdiff_t>(from), m_stack.end());
  m_stack.resize(from);
  return items;
}

Node& Unpickler::top_of(Kind kind) {
  Node& n = m_nodes[top()];
  if (n.kind != kind) {
    fail(fmt::format("{} expects a {} below, found {}", opcode_name(m_opcode), kind_name(kind), kind_name(n.kind)));
  }
  return n;
}

void Unpickler::memo_put(uint64_t key) {
  m_memo[key] = top();
}

void Unpickler::memo_get(uint64_t key) {
  auto it = m_memo.find(key);
  if (it == m_memo.end()) {
    fail(fmt::format("memo key {} is not defined", key));
  }
  push(it->second);
}

void Unpickler::push_global(std::string module, std::string name) {
  // What Python's fix_imports does for protocol 2 and older, written by Python 2.
  if (module == "__builtin__") {
    module = "builtins";
  }
  std::string full = module + "." + name;
  if (!is_allowed_global(full)) {
    fail(fmt::format("refusing to load global {} (only builtins.set, builtins.frozenset, builtins.bytes, "
                     "builtins.bytearray and _codecs.encode are allowed; nothing is run)",
                     full));
  }
  push(add_text(Kind::global, std::move(full)));
}

// REDUCE and NEWOBJ over an allowed global, for the calls Python writes for sets and bytes:
// set(list), frozenset(list), bytes(), bytearray(bytes) and _codecs.encode(str, 'latin1').
uint32_t Unpickler::apply(uint32_t callable, uint32_t args) {
  if (m_nodes[callable].kind != Kind::global) {
    fail(fmt::format("{} calls a {}, not an allowed global", opcode_name(m_opcode), kind_name(m_nodes[callable].kind)));
  }
  if (m_nodes[args].kind != Kind::tuple) {
    fail(fmt::format("{} arguments are a {}, not a tuple", opcode_name(m_opcode), kind_name(m_nodes[args].kind)));
  }
  std::string name = m_nodes[callable].text;
  std::vector<uint32_t> a = m_nodes[args].items;
  Kind first = a.empty() ? Kind::none : m_nodes[a[0]].kind;
  bool is_set = name == "builtins.set" || name == "builtins.frozenset";
  bool is_bytes = name == "builtins.bytes" || name == "builtins.bytearray";
  if ((is_set || is_bytes) && a.empty()) {
    return is_set ? add_container(Kind::set, {}) : add_text(Kind::bytes, "");
  }
  if (is_set && a.size() == 1 && (first == Kind::list || first == Kind::tuple || first == Kind::set)) {
    return add_container(Kind::set, m_nodes[a[0]].items);
  }
  if (is_bytes && a.size() == 1 && first == Kind::bytes) {
    return add_text(Kind::bytes, m_nodes[a[0]].text);
  }
  if (is_set || a.size() != 2 || first != Kind::str || !is_latin1_name(m_nodes[a[1]])) {
    fail(fmt::format("unsupported arguments to {}", name));
  }
  // str.encode('latin1'): each code point, all below U+0100, is one byte.
  const std::string& s = m_nodes[a[0]].text;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      i += 1;
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < s.size()) {
      out += static_cast<char>(((c & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F));
      i += 2;
    } else {
      fail(fmt::format("{} of a string with a code point above U+00FF", name));
    }
  }
  return add_text(Kind::bytes, std::move(out));
}

void Unpickler::add_pairs(Node& dict, const std::vector<uint32_t>& items) {
  if (items.size() % 2 != 0) {
    fail(fmt::format("{} with an odd number of items", opcode_name(m_opcode)));
  }
  dict.items.insert(dict.items.end(), items.begin(), items.end());
}

json Unpickler::run() {
  while (true) {
    if (m_pos >= m_bytes.size()) {
      fail(m_bytes.size(), "truncated: no STOP opcode at the end");
    }
    m_op = m_pos;
    m_opcode = static_cast<uint8_t>(m_bytes[m_pos++]);
    switch (static_cast<Op>(m_opcode)) {
    case Op::proto: { // PROTO
      uint64_t v = read_le(1);
      if (v > 5) {
        fail(fmt::format("unsupported protocol {}", v));
      }
      break;
    }
    case Op::frame: // FRAME: only a read-ahead hint, but the frame must be there.
      if (uint64_t n = read_le(8); n > m_bytes.size() - m_pos) {
        fail(fmt::format("truncated: FRAME of {} bytes, {} left", n, m_bytes.size() - m_pos));
      }
      break;
    case Op::stop: { // STOP
      if (!m_marks.empty() || m_stack.size() != 1) {
        fail(fmt::format("STOP with {} values and {} marks on the stack, expected one value", m_stack.size(),
                         m_marks.size()));
      }
      if (m_pos != m_bytes.size()) {
        fail(fmt::format("{} trailing bytes after STOP", m_bytes.size() - m_pos));
      }
      m_converting.assign(m_nodes.size(), 0);
      // Every value costs at least one byte unless containers are shared; this bounds what a
      // crafted file of nested shared references could expand to.
      m_budget = 4 * uint64_t(m_bytes.size()) + 1024;
      return convert(m_stack.back(), 0);
    }
    case Op::mark: m_marks.push_back(m_stack.size()); break;
    case Op::pop: pop(); break;
    case Op::pop_mark: pop_mark(); break;
    case Op::dup: push(top()); break;
    case Op::none: push(add_scalar(Kind::none, 0)); break;
    case Op::newtrue: push(add_scalar(Kind::boolean, 1)); break;
    case Op::newfalse: push(add_scalar(Kind::boolean, 0)); break;
    case Op::text_int: {
      std::string_view s = line();
      // Python 2 wrote booleans as INT 01 / 00.
      if (s == "01" || s == "00") {
        push(add_scalar(Kind::boolean, s == "01" ? 1 : 0));
      } else {
        push(add_scalar(Kind::integer, parse_int(s)));
      }
      break;
    }
    case Op::binint: push(add_scalar(Kind::integer, static_cast<int32_t>(read_le(4)))); break;
    case Op::binint1: push(add_scalar(Kind::integer, static_cast<int64_t>(read_le(1)))); break;
    case Op::binint2: push(add_scalar(Kind::integer, static_cast<int64_t>(read_le(2)))); break;
    case Op::text_long: {
      std::string_view s = line();
      if (!s.empty() && s.back() == 'L') {
        s.remove_suffix(1);
      }
      push(add_scalar(Kind::integer, parse_int(s)));
      break;
    }
    case Op::long1: push(add_scalar(Kind::integer, decode_long(take(read_le(1))))); break;
    case Op::long4: {
      auto n = static_cast<int32_t>(read_le(4));
      if (n < 0) {
        fail("LONG4 with a negative length");
      }
      push(add_scalar(Kind::integer, decode_long(take(static_cast<uint64_t>(n)))));
      break;
    }
    case Op::text_float: {
      std::string_view s = util::strip(line());
      Node n;
      n.kind = Kind::real;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n.real);
      if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
        fail(fmt::format("FLOAT argument '{}' is not a number", s));
      }
      push(add(std::move(n)));
      break;
    }
    case Op::binfloat: {
      uint64_t be = 0;
      for (char c : take(8)) {
        be = (be << 8) | static_cast<unsigned char>(c);
      }
      Node n;
      n.kind = Kind::real;
      std::memcpy(&n.real, &be, sizeof be);
      push(add(std::move(n)));
      break;
    }
    case Op::string: {
      std::string_view s = line();
      if (s.size() < 2 || s.front() != s.back() || (s.front() != '\'' && s.front() != '"')) {
        fail("the STRING opcode argument must be quoted");
      }
      push(add_text(Kind::str, decode_8bit(decoded(escape_decode, s.substr(1, s.size() - 2)))));
      break;
    }
    case Op::binstring: {
      auto n = static_cast<int32_t>(read_le(4));
      if (n < 0) {
        fail("BINSTRING with a negative length");
      }
      push(add_text(Kind::str, decode_8bit(take(static_cast<uint64_t>(n)))));
      break;
    }
    case Op::short_binstring: push(add_text(Kind::str, decode_8bit(take(read_le(1))))); break;
    case Op::unicode: push(add_text(Kind::str, decoded(raw_unicode_escape_decode, line()))); break;
    case Op::binunicode: push(add_text(Kind::str, checked_utf8(take(read_le(4))))); break;
    case Op::short_binunicode: push(add_text(Kind::str, checked_utf8(take(read_le(1))))); break;
    case Op::binunicode8: push(add_text(Kind::str, checked_utf8(take(read_le(8))))); break;
    case Op::short_binbytes: push(add_text(Kind::bytes, std::string(take(read_le(1))))); break;
    case Op::binbytes: push(add_text(Kind::bytes, std::string(take(read_le(4))))); break;
    case Op::binbytes8:
    case Op::bytearray8: push(add_text(Kind::bytes, std::string(take(read_le(8))))); break;
    case Op::empty_tuple: push(add_container(Kind::tuple, {})); break;
    case Op::tuple1:
    case Op::tuple2:
    case Op::tuple3: {
      std::vector<uint32_t> items(m_opcode - static_cast<uint8_t>(Op::tuple1) + 1);
      for (size_t i = items.size(); i-- > 0;) {
        items[i] = pop();
      }
      push(add_container(Kind::tuple, std::move(items)));
      break;
    }
    case Op::tuple: push(add_container(Kind::tuple, pop_mark())); break;
    case Op::empty_list: push(add_container(Kind::list, {})); break;
    case Op::list: push(add_container(Kind::list, pop_mark())); break;
    case Op::append: {
      uint32_t v = pop();
      top_of(Kind::list).items.push_back(v);
      break;
    }
    case Op::appends: {
      std::vector<uint32_t> items = pop_mark();
      Node& list = top_of(Kind::list);
      list.items.insert(list.items.end(), items.begin(), items.end());
      break;
    }
    case Op::empty_dict: push(add_container(Kind::dict, {})); break;
    case Op::dict: {
      std::vector<uint32_t> items = pop_mark();
      Node dict;
      dict.kind = Kind::dict;
      add_pairs(dict, items);
      push(add(std::move(dict)));
      break;
    }
    case Op::setitem: {
      uint32_t v = pop();
      uint32_t k = pop();
      add_pairs(top_of(Kind::dict), {k, v});
      break;
    }
    case Op::setitems: {
      std::vector<uint32_t> items = pop_mark();
      add_pairs(top_of(Kind::dict), items);
      break;
    }
    case Op::empty_set: push(add_container(Kind::set, {})); break;
    case Op::additems: {
      std::vector<uint32_t> items = pop_mark();
      Node& set = top_of(Kind::set);
      set.items.insert(set.items.end(), items.begin(), items.end());
      break;
    }
    case Op::frozenset: push(add_container(Kind::set, pop_mark())); break;
    case Op::put: {
      int64_t key = parse_int(line());
      if (key < 0) {
        fail("negative PUT argument");
      }
      memo_put(static_cast<uint64_t>(key));
      break;
    }
    case Op::binput: memo_put(read_le(1)); break;
    case Op::long_binput: memo_put(read_le(4)); break;
    case Op::memoize: memo_put(m_memo.size()); break;
    case Op::get: {
      int64_t key = parse_int(line());
      memo_get(key < 0 ? ~uint64_t(0) : static_cast<uint64_t>(key));
      break;
    }
    case Op::binget: memo_get(read_le(1)); break;
    case Op::long_binget: memo_get(read_le(4)); break;
    case Op::global: {
      std::string module(line());
      std::string name(line());
      push_global(std::move(module), std::move(name));
      break;
    }
    case Op::stack_global: {
      uint32_t name = pop();
      uint32_t module = pop();
      if (m_nodes[name].kind != Kind::str || m_nodes[module].kind != Kind::str) {
        fail("STACK_GLOBAL expects two strings");
      }
      push_global(m_nodes[module].text, m_nodes[name].text);
      break;
    }
    case Op::inst: {
      std::string module(line());
      std::string name(line());
      fail(fmt::format("refusing to instantiate class {}.{} (INST; nothing is run)", module, name));
    }
    case Op::reduce:
    case Op::newobj: {
      uint32_t args = pop();
      uint32_t callable = pop();
      push(apply(callable, args));
      break;
    }
    default: {
      const char* name = opcode_name(m_opcode);
      fail(name ? fmt::format("unsupported opcode 0x{:02x} ({})", m_opcode, name)
                : fmt::format("unsupported opcode 0x{:02x}", m_opcode));
    }
    }
  }
}

// json.dumps's rules for non-string keys.
std::string Unpickler::key_text(uint32_t id) {
  const Node& n = m_nodes[id];
  switch (n.kind) {
  case Kind::str: return n.text;
  case Kind::integer: return std::to_string(n.integer);
  case Kind::boolean: return n.integer ? "true" : "false";
  case Kind::none: return "null";
  default: fail(n.offset, fmt::format("a dict key of type {} cannot be a JSON key", kind_name(n.kind)));
  }
}

json Unpickler::convert(uint32_t id, int depth) {
  const Node& n = m_nodes[id];
  if (m_budget-- == 0) {
    fail(n.offset, "shared references expand beyond 4 values per byte of the file");
  }
  switch (n.kind) {
  case Kind::none: return nullptr;
  case Kind::boolean: return n.integer != 0;
  case Kind::integer: return n.integer;
  case Kind::real: return n.real;
  case Kind::str: return n.text;
  case Kind::bytes: return json::binary(std::vector<uint8_t>(n.text.begin(), n.text.end()));
  case Kind::global: fail(n.offset, fmt::format("global {} is not a value", n.text));
  default: break;
  }
  if (depth > 5000) {
    fail(n.offset, "values nested more than 5000 deep");
  }
  if (m_converting[id]) {
    fail(n.offset, fmt::format("this {} contains itself, which JSON cannot hold", kind_name(n.kind)));
  }
  m_converting[id] = 1;
  json out;
  if (n.kind == Kind::dict) {
    out = json::object();
    auto& object = out.get_ref<json::object_t&>();
    // ordered_map finds keys by linear search; the database's top level has ~10k keys.
    std::unordered_map<std::string, size_t> index;
    index.reserve(n.items.size() / 2);
    for (size_t i = 0; i < n.items.size(); i += 2) {
      std::string key = key_text(n.items[i]);
      json value = convert(n.items[i + 1], depth + 1);
      auto [it, inserted] = index.try_emplace(key, object.size());
      if (inserted) {
        object.json::object_t::Container::emplace_back(std::move(key), std::move(value));
      } else {
        // As in a Python dict, a repeated key keeps its first place and takes the last value.
        (object.begin() + static_cast<std::ptrdiff_t>(it->second))->second = std::move(value);
      }
    }
  } else {
    out = json::array();
    out.get_ref<json::array_t&>().reserve(n.items.size());
    for (uint32_t item : n.items) {
      out.push_back(convert(item, depth + 1));
    }
  }
  m_converting[id] = 0;
  return out;
}

} // namespace

nlohmann::ordered_json read_pickle(std::string_view bytes, const std::string& path) {
  return Unpickler(bytes, path).run();
}

} // namespace kct::usn
