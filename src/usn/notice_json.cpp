#include "usn/notice_json.h"

#include "util/error.h"

#include <limits>

namespace kct::usn {
namespace {

const char* type_name(const Json& value) {
  switch (value.type()) {
  case Json::value_t::object: return "an object";
  case Json::value_t::array: return "an array";
  case Json::value_t::string: return "a string";
  case Json::value_t::boolean: return "a boolean";
  case Json::value_t::null: return "null";
  case Json::value_t::number_float: return "a float";
  default: return "an integer";
  }
}

// The file being decoded, so every message names it.
struct Decoder {
  std::string_view origin;
  std::string root; // the dict key in database.json, "" for a lone notice

  std::string top(std::string_view key) const { return json_path_key(root, key); }

  [[noreturn]] void fail(std::string_view path, const std::string& message) const {
    throw Error(std::string(origin) + ": " + (path.empty() ? std::string("top level") : std::string(path)) + ": " +
                message);
  }

  void expect(const Json& value, Json::value_t type, const char* wanted, std::string_view path) const {
    if (value.type() != type) {
      fail(path, std::string("expected ") + wanted + ", got " + type_name(value));
    }
  }

  std::string text(const Json& value, std::string_view path) const {
    expect(value, Json::value_t::string, "a string", path);
    return value.get<std::string>();
  }

  int64_t integer(const Json& value, std::string_view path) const {
    if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
      fail(path, "integer out of range");
    }
    if (!value.is_number_integer()) {
      fail(path, std::string("expected an integer, got ") + type_name(value));
    }
    return value.get<int64_t>();
  }

  // Decodes every member of the object at `path` with `entry(value, member_path)`.
  template <class Entry, class Fn>
  std::map<std::string, Entry> map(const Json& value, std::string_view path, Fn entry) const {
    expect(value, Json::value_t::object, "an object", path);
    std::map<std::string, Entry> out;
    for (const auto& [key, member] : value.items()) {
      std::string member_path = json_path_key(path, key);
      expect(member, Json::value_t::object, "an object", member_path);
      out.emplace(key, entry(member, member_path));
    }
    return out;
  }

  SourceEntry source(const Json& value, const std::string& path) const {
    SourceEntry out;
    for (const auto& [key, member] : value.items()) {
      if (key == "version") {
        out.version = text(member, json_path_key(path, key));
      } else if (key == "description") {
        out.description = text(member, json_path_key(path, key));
      } else {
        out.extras[key] = member;
      }
    }
    return out;
  }

  BinaryEntry binary(const Json& value, const std::string& path) const {
    BinaryEntry out;
    for (const auto& [key, member] : value.items()) {
      if (key == "version") {
        out.version = text(member, json_path_key(path, key));
      } else if (key == "pocket") {
        out.pocket = text(member, json_path_key(path, key));
      } else if (key == "source") {
        out.source = text(member, json_path_key(path, key));
      } else {
        out.extras[key] = member;
      }
    }
    return out;
  }

  UrlEntry url(const Json& value, const std::string& path) const {
    UrlEntry out;
    for (const auto& [key, member] : value.items()) {
      if (key == "md5") {
        out.md5 = text(member, json_path_key(path, key));
      } else if (key == "size") {
        out.size = integer(member, json_path_key(path, key));
      } else {
        out.extras[key] = member;
      }
    }
    return out;
  }

  ArchEntry arch(const Json& value, const std::string& path) const {
    ArchEntry out;
    for (const auto& [key, member] : value.items()) {
      if (key == "urls") {
        out.urls = map<UrlEntry>(member, json_path_key(path, key),
                                 [this](const Json& v, const std::string& p) { return url(v, p); });
      } else {
        out.extras[key] = member;
      }
    }
    return out;
  }

  Release release(const Json& value, const std::string& path) const {
    auto binary_fn = [this](const Json& v, const std::string& p) { return binary(v, p); };
    Release out;
    for (const auto& [key, member] : value.items()) {
      std::string member_path = json_path_key(path, key);
      if (key == "sources") {
        out.sources =
            map<SourceEntry>(member, member_path, [this](const Json& v, const std::string& p) { return source(v, p); });
      } else if (key == "binaries") {
        out.binaries = map<BinaryEntry>(member, member_path, binary_fn);
      } else if (key == "allbinaries") {
        out.allbinaries = map<BinaryEntry>(member, member_path, binary_fn);
      } else if (key == "archs") {
        out.archs =
            map<ArchEntry>(member, member_path, [this](const Json& v, const std::string& p) { return arch(v, p); });
      } else {
        out.extras[key] = member;
      }
    }
    return out;
  }

  std::vector<std::string> cves(const Json& value) const {
    expect(value, Json::value_t::array, "an array", top("cves"));
    std::vector<std::string> out;
    out.reserve(value.size());
    for (size_t i = 0; i < value.size(); ++i) {
      out.push_back(text(value[i], top("cves") + "[" + std::to_string(i) + "]"));
    }
    return out;
  }

  Timestamp timestamp(const Json& value) const {
    if (value.is_number_float()) {
      return Timestamp{value.get<double>()};
    }
    if (!value.is_number_integer()) {
      fail(top("timestamp"), std::string("expected a number, got ") + type_name(value));
    }
    return Timestamp{integer(value, top("timestamp"))};
  }

  void id(Notice& out, const Json& value, std::string_view dict_key) const {
    std::string written = text(value, top("id"));
    if (!parse_usn_id(written)) {
      fail(top("id"), "expected a USN id such as 4313-1 or USN-4313-1, got `" + written + "`");
    }
    out.id_form = written.starts_with("USN-") ? IdForm::prefixed : IdForm::bare;
    out.id = out.id_form == IdForm::prefixed ? written.substr(4) : written;
    if (!dict_key.empty() && dict_key != out.id) {
      fail(top("id"), "`" + written + "` does not match the key `" + std::string(dict_key) + "` it is filed under");
    }
  }
};

} // namespace

std::string json_path_key(std::string_view path, std::string_view key) {
  bool plain = !key.empty();
  for (char c : key) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    plain = plain && word;
  }
  std::string out(path);
  if (plain) {
    return out.append(path.empty() ? "" : ".").append(key);
  }
  return out.append("[").append(Json(std::string(key)).dump()).append("]");
}

Notice notice_from_json(const Json& value, std::string_view origin, std::string_view dict_key) {
  Decoder decoder{origin, dict_key.empty() ? "" : json_path_key("", dict_key)};
  decoder.expect(value, Json::value_t::object, "an object", decoder.root);
  Notice out;
  bool has_releases = false;
  out.id_form = IdForm::absent;
  for (const auto& [key, member] : value.items()) {
    if (key == "id") {
      decoder.id(out, member, dict_key);
    } else if (key == "title" || key == "summary" || key == "isummary" || key == "description" || key == "action") {
      std::optional<std::string>& field = key == "title"         ? out.title
                                          : key == "summary"     ? out.summary
                                          : key == "isummary"    ? out.isummary
                                          : key == "description" ? out.description
                                                                 : out.action;
      field = decoder.text(member, decoder.top(key));
    } else if (key == "cves") {
      out.cves = decoder.cves(member);
    } else if (key == "timestamp") {
      out.timestamp = decoder.timestamp(member);
    } else if (key == "releases") {
      has_releases = true;
      out.releases =
          decoder.map<Release>(member, decoder.top("releases"),
                               [&decoder](const Json& v, const std::string& p) { return decoder.release(v, p); });
    } else {
      out.extras[key] = member;
    }
  }
  if (out.id_form == IdForm::absent) {
    if (dict_key.empty() || !parse_usn_id(dict_key)) {
      decoder.fail(decoder.root,
                   dict_key.empty() ? "missing key `id`" : "`" + std::string(dict_key) + "` is not a USN id");
    }
    out.id = std::string(dict_key);
  }
  if (!has_releases) {
    decoder.fail(decoder.root, "missing key `releases`");
  }
  return out;
}

} // namespace kct::usn
