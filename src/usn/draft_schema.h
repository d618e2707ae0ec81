#pragma once
// What the draft's writer and reader share (draft.h): where each key of a notice sits, the
// type its value must have, the order a reviewer reads the keys in, and how a plain YAML
// scalar is typed (the YAML 1.2 core schema), so the writer quotes exactly what the reader
// would not read back as a string.
#include <string_view>
#include <vector>

namespace kct::usn::draft {

// The object a key belongs to. Dicts are keyed by names (release codenames, packages,
// architectures, URLs); records have fixed keys.
enum class Slot { top, releases, release, sources, source, binaries, binary, archs, arch, urls, url, other };

enum class Want { record, dict, string, integer, number, string_list, id, any };

struct Field {
  Want want = Want::any;
  Slot slot = Slot::other; // for record and dict: the object's own slot
};

// True for the slots keyed by names; their members are records of one slot.
bool is_dict(Slot slot);
// The field of `key` inside an object of `parent`.
Field child(Slot parent, std::string_view key);
// A record's known keys in reviewer order; the other keys follow alphabetically.
const std::vector<std::string_view>& key_order(Slot record);
// "a string", "an integer", …, for messages.
const char* want_name(Want want);

enum class Plain { null, boolean, integer, floating, string };
// How the YAML 1.2 core schema types an untagged plain scalar.
Plain classify_plain(std::string_view text);

} // namespace kct::usn::draft
