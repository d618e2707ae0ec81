// `kct usn set ID --title/--summary/--isummary/--description/--action VALUE`: the text
// fields, as usn.py's --title/--summary/--issue-summary/--description/--action; '-' reads the
// value from stdin.
#include "cli/usn_common.h"

#include <cstdio>

namespace kct::cli {
namespace {

std::string read_stdin() {
  std::string text;
  char buffer[65536];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
    text.append(buffer, n);
  }
  // A heredoc or `echo` ends with a newline that is not part of the field.
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

} // namespace

int cmd_usn_set(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Set text fields of a notice in one transaction. A value of '-' is read from stdin\n"
               "(trailing newlines dropped); only one field may read stdin.",
               usn_app_name("set"));
  WriteOptions write;
  add_write_options(app, ctx, write);
  std::string& location = write.location;
  AuthorOptions& author = write.author;
  std::string id;
  std::optional<int64_t> expected;
  struct Field {
    const char* flag;
    std::optional<std::string> usn::Notice::*member;
    std::optional<std::string> value;
  };
  std::vector<Field> fields = {{"--title", &usn::Notice::title, {}},
                               {"--summary", &usn::Notice::summary, {}},
                               {"--isummary", &usn::Notice::isummary, {}},
                               {"--description", &usn::Notice::description, {}},
                               {"--action", &usn::Notice::action, {}}};
  app.add_option("ID", id, "USN id")->required();
  for (Field& f : fields) {
    app.add_option(f.flag, f.value, std::string("New ") + (f.flag + 2) + " ('-' for stdin)");
  }
  add_expect_revision_option(app, expected);
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  int from_stdin = 0;
  int given = 0;
  for (Field& f : fields) {
    given += f.value ? 1 : 0;
    if (f.value && *f.value == "-") {
      if (++from_stdin > 1) {
        return usn_error("set", "only one field can be read from stdin");
      }
      f.value = read_stdin();
    }
  }
  if (given == 0) {
    return usn_error("set", "nothing to set (give --title, --summary, --isummary, --description or --action)");
  }
  std::unique_ptr<usn::Store> store = open_usn_store(location);
  return edit_notice(*store, "set", id, expected, author.author(), [&](usn::Notice& notice) {
    for (const Field& f : fields) {
      if (f.value) {
        notice.*(f.member) = *f.value;
      }
    }
  });
}

} // namespace kct::cli
