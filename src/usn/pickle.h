#pragma once
// Python's pickle format, read and written without Python. The USN database
// (database.pickle, database-all.pickle; uct-tracker-and-usn-workflow.md §10.2) is one pickled
// dict, and kct must read it and write it back in a form `pickle.load` accepts.
//
// Mapping between pickle and JSON:
//   dict -> object (key order kept); list, tuple, set, frozenset -> array;
//   str -> string; int -> integer (int64 only); float -> number; bool; None -> null;
//   bytes, bytearray -> binary (nlohmann's binary type, subtype unset).
// Bytes become the binary type rather than base64 or a tagged object because it cannot be
// mistaken for a real string or dict, and write_pickle turns it back into bytes. Dumped as JSON
// text it reads {"bytes":[...],"subtype":null}.
// Python 2's 8-bit strings (STRING, BINSTRING, SHORT_BINSTRING) become strings: kept when they
// are valid UTF-8, as `pickle.load(f, encoding='utf-8')` (what the USN tools use) decodes them,
// and read as Latin-1 otherwise, where Python would fail, since every byte is valid Latin-1.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace kct::usn {

// Decodes one pickle of protocol 0 to 5. Never runs anything: the only globals accepted are
// the few that Python itself writes for plain data (builtins set, frozenset, bytes, bytearray
// and _codecs.encode, called through REDUCE or NEWOBJ); any other global, persistent id,
// extension code or BUILD is refused. A big int beyond int64, a cycle, a dict key JSON cannot
// hold, bytes after STOP and a truncated file are errors too. Throws kct::Error with
// "`path`: offset N: message", N being the offset of the opcode at fault.
nlohmann::ordered_json read_pickle(std::string_view bytes, const std::string& path);

// Encodes `value` as Python's own pickler would for protocol 2, 3, 4 or 5: arrays become lists,
// binary values bytes, and equal strings are written once and then fetched from the memo.
// Protocols 4 and 5 are framed. Throws kct::Error for another protocol, a string that is not
// valid UTF-8 or a discarded value.
std::string write_pickle(const nlohmann::ordered_json& value, int protocol);

} // namespace kct::usn
