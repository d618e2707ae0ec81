// `kct usn new ID|--reserve` and `kct usn remove ID`: creating and deleting notices.
#include "cli/usn_common.h"

#include <chrono>
#include <fmt/format.h>

namespace kct::cli {

int cmd_usn_new(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Create an empty notice with its id and the current timestamp (as usn.py adds them).\n"
               "--reserve takes the next free id atomically, so two publishers never get the same\n"
               "one, and prints it. Fill it in with set, add-cve and add-source/binary/url.",
               usn_app_name("new"));
  WriteOptions write;
  add_write_options(app, ctx, write);
  std::string& location = write.location;
  AuthorOptions& author = write.author;
  std::string id;
  bool reserve = false;
  app.add_option("ID", id, "The new notice's id, e.g. 4300-1");
  app.add_flag("--reserve", reserve, "Use the next free id instead of ID");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  if (reserve == !id.empty()) {
    return usn_error("new", "give either ID or --reserve");
  }
  std::optional<usn::UsnId> parsed = usn::parse_usn_id(id);
  if (!reserve && !parsed) {
    return usn_error("new", fmt::format("'{}' is not a USN id (<number>-<n>)", id));
  }
  std::unique_ptr<usn::Store> store = open_usn_store(location);
  usn::Notice notice;
  notice.id = reserve ? store->reserve_id(author.author()) : parsed->text();
  notice.id_form = usn::IdForm::bare;
  double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  notice.timestamp = usn::Timestamp{now};
  try {
    int64_t revision = store->put(notice, usn::k_must_not_exist, author.author());
    std::printf("USN %s: revision %lld\n", notice.id.c_str(), static_cast<long long>(revision));
  } catch (const Error& e) {
    return usn_error("new", e.what());
  }
  return 0;
}

int cmd_usn_remove(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Delete a notice (its history stays).", usn_app_name("remove"));
  WriteOptions write;
  add_write_options(app, ctx, write);
  std::string& location = write.location;
  AuthorOptions& author = write.author;
  std::string id;
  std::optional<int64_t> expected;
  app.add_option("ID", id, "USN id")->required();
  add_expect_revision_option(app, expected);
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  std::optional<usn::UsnId> parsed = usn::parse_usn_id(id);
  std::string canonical = parsed ? parsed->text() : id;
  std::unique_ptr<usn::Store> store = open_usn_store(location);
  try {
    std::optional<usn::StoredNotice> stored = store->get(canonical);
    if (!stored) {
      return usn_error("remove", fmt::format("no USN {} in {}", canonical, store->location()));
    }
    store->remove(canonical, expected.value_or(stored->revision), author.author());
  } catch (const Error& e) {
    return usn_error("remove", e.what());
  }
  std::printf("USN %s: removed\n", canonical.c_str());
  return 0;
}

} // namespace kct::cli
