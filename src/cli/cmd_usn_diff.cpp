// `kct usn diff A B`: what usndb-tool --diff shows, as a summary: notices only in A
// (removed), only in B (added), and in both but different (changed), with the keys that
// changed down to `releases.<release>.<key>`. Each side is a store (an SQLite file or a
// postgresql:// URI) or a file (notice JSON, database.json, pickle). Nothing is printed when
// they are equal.
#include "cli/usn_common.h"

#include "usn/notice_json.h"
#include "util/error.h"

#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>
#include <sys/stat.h>

namespace kct::cli {
namespace {

bool is_sqlite_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char header[16] = {};
  in.read(header, sizeof header);
  return in.gcount() == 16 && std::string_view(header, 16) == std::string_view("SQLite format 3\0", 16);
}

std::map<std::string, nlohmann::json> load(const std::string& location) {
  std::vector<usn::Notice> notices;
  struct stat st {};
  if (is_postgres_location(location) || (::stat(location.c_str(), &st) == 0 && is_sqlite_file(location))) {
    std::unique_ptr<usn::Store> store = open_usn_store(location);
    notices = all_notices(*store);
  } else if (::stat(location.c_str(), &st) != 0) {
    throw Error(location + ": no such store or file");
  } else {
    notices = read_notices(location);
  }
  std::map<std::string, nlohmann::json> out;
  for (const usn::Notice& n : notices) {
    out[n.id] = usn::notice_to_json(n);
  }
  return out;
}

std::vector<std::string> changed_keys(const nlohmann::json& a, const nlohmann::json& b) {
  std::set<std::string> keys;
  for (const auto& [k, v] : a.items()) {
    keys.insert(k);
  }
  for (const auto& [k, v] : b.items()) {
    keys.insert(k);
  }
  std::vector<std::string> out;
  for (const std::string& k : keys) {
    const nlohmann::json& va = a.contains(k) ? a[k] : nlohmann::json();
    const nlohmann::json& vb = b.contains(k) ? b[k] : nlohmann::json();
    if (va == vb) {
      continue;
    }
    if (k != "releases" || !va.is_object() || !vb.is_object()) {
      out.push_back(k);
      continue;
    }
    std::set<std::string> releases;
    for (const auto& [r, v] : va.items()) {
      releases.insert(r);
    }
    for (const auto& [r, v] : vb.items()) {
      releases.insert(r);
    }
    for (const std::string& r : releases) {
      std::string path = usn::json_path_key("releases", r);
      if (!va.contains(r) || !vb.contains(r) || !va[r].is_object() || !vb[r].is_object()) {
        if (va.value(r, nlohmann::json()) != vb.value(r, nlohmann::json())) {
          out.push_back(path);
        }
        continue;
      }
      for (const std::string& sub : changed_keys(va[r], vb[r])) {
        out.push_back(usn::json_path_key(path, sub));
      }
    }
  }
  return out;
}

} // namespace

int cmd_usn_diff(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Compare two USN databases: each of A and B is an SQLite store, a postgresql:// URI, or a\n"
               "file (notice JSON, database.json, pickle). Prints `removed <id>` (only in A), `added <id>`\n"
               "(only in B) and `changed <id>: <keys>`; nothing when they are equal.",
               usn_app_name("diff"));
  add_global_options(app, ctx.options());
  std::string a;
  std::string b;
  bool json = false;
  bool exit_code = false;
  app.add_option("A", a, "The old database")->required();
  app.add_option("B", b, "The new database")->required();
  app.add_flag("--json", json, "Print {added: [...], removed: [...], changed: {id: [keys]}}");
  app.add_flag("--exit-code", exit_code, "Exit 1 when they differ");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  std::map<std::string, nlohmann::json> left;
  std::map<std::string, nlohmann::json> right;
  try {
    left = load(a);
    right = load(b);
  } catch (const Error& e) {
    return usn_error("diff", e.what());
  }
  std::vector<std::string> ids;
  for (const auto& [id, v] : left) {
    ids.push_back(id);
  }
  for (const auto& [id, v] : right) {
    if (!left.count(id)) {
      ids.push_back(id);
    }
  }
  std::sort(ids.begin(), ids.end(), usn::usn_id_less);
  nlohmann::json report = {
      {"added", nlohmann::json::array()}, {"removed", nlohmann::json::array()}, {"changed", nlohmann::json::object()}};
  std::string out;
  for (const std::string& id : ids) {
    auto l = left.find(id);
    auto r = right.find(id);
    if (r == right.end()) {
      report["removed"].push_back(id);
      out += fmt::format("removed {}\n", id);
    } else if (l == left.end()) {
      report["added"].push_back(id);
      out += fmt::format("added {}\n", id);
    } else if (l->second != r->second) {
      std::vector<std::string> keys = changed_keys(l->second, r->second);
      report["changed"][id] = keys;
      out += fmt::format("changed {}: {}\n", id, fmt::join(keys, ", "));
    }
  }
  if (json) {
    print_json(report);
  } else {
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return exit_code && !out.empty() ? 1 : 0;
}

} // namespace kct::cli
