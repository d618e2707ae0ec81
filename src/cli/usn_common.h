#pragma once
// What the `kct usn <sub>` commands share: the --usn-db option and opening the store, the
// author of a change, reading notices from a file whatever its form, and the edit helper
// that makes every change one optimistic-concurrency transaction.
#include "cli/context.h"
#include "usn/notice.h"
#include "usn/store.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kct::cli {

using UsnHandler = int (*)(Context&, const std::vector<std::string>&);

struct UsnCommand {
  std::string_view name;
  std::string_view summary;
  UsnHandler handler;
};

// The `kct usn` subcommands, in the order `kct usn --help` lists them.
const std::vector<UsnCommand>& usn_commands();

// `kct usn <name>` as the CLI11 app name, so errors read "kct usn import: error: …".
std::string usn_app_name(std::string_view sub);

// --usn-db LOCATION: $KCT_USN_DB, else usn.db in the current directory.
std::string default_usn_db();
void add_usn_db_option(CLI::App& app, std::string& location);

// A postgresql:// (or postgres://) URI, as opposed to an SQLite path.
bool is_postgres_location(const std::string& location);
// Opens the store at `location` (creating an SQLite file when absent). Throws kct::Error.
std::unique_ptr<usn::Store> open_usn_store(const std::string& location);
// The same for commands that read the last notices (prepare, signoff, kernel-abi-check): an
// absent SQLite file is an error naming it, since an empty store would make every kernel look
// as if it never had a notice. `hint` ends the message (what else the user may do).
std::unique_ptr<usn::Store> open_existing_usn_store(const std::string& location, std::string_view hint = "");

// --author NAME: $USER, else "unknown". --comment TEXT goes into the history too.
struct AuthorOptions {
  std::string name;
  std::string comment;
  usn::Author author() const { return usn::Author{name, comment}; }
};
void add_author_options(CLI::App& app, AuthorOptions& options);

// What every command that writes the store takes: the global options, --usn-db and the author.
struct WriteOptions {
  std::string location;
  AuthorOptions author;
};
void add_write_options(CLI::App& app, Context& ctx, WriteOptions& options);

// Notices from a file by its content: '{' starts JSON (a single notice, or the
// database.json dict when every key is a USN id), anything else is tried as a pickle of the
// database dict. `origin` names the file in errors. Throws kct::Error.
std::vector<usn::Notice> parse_notices(std::string_view bytes, const std::string& origin);
std::vector<usn::Notice> read_notices(const std::string& path);
// Every notice in the store, in USN order.
std::vector<usn::Notice> all_notices(usn::Store& store);

// Each release key must be a plain codename of the catalog; throws kct::Error naming the
// origin, the notice and the release otherwise.
void check_releases(const catalog::Catalog& catalog, const usn::Notice& notice, const std::string& origin);

// One edit: reads the notice (refusing a missing one), checks `expected` against its
// revision when given, applies `change`, and writes it back expecting the revision it read.
// Prints ConflictError and other kct::Errors as `kct usn <sub>: error: …` and returns 1;
// prints "USN <id>: revision N" on success.
int edit_notice(usn::Store& store, const std::string& sub, const std::string& id, std::optional<int64_t> expected,
                const usn::Author& author, const std::function<void(usn::Notice&)>& change);
// --expect-revision N, for edits based on an earlier `show`.
void add_expect_revision_option(CLI::App& app, std::optional<int64_t>& expected);

// Prints `value` indented, with a final newline.
void print_json(const nlohmann::json& value);
int usn_error(std::string_view sub, const std::string& message);

} // namespace kct::cli
