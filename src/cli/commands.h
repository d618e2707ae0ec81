#pragma once
#include "cli/context.h"

#include <string_view>
#include <vector>

namespace kct::cli {

using Handler = int (*)(Context&, const std::vector<std::string>&);

struct Command {
  std::string_view name;
  std::string_view summary;
  Needs needs;
  Handler handler;
};

const std::vector<Command>& commands();
const Command* find_command(std::string_view name);
// The closest command name within a small edit distance, for "did you mean".
std::string_view suggest_command(std::string_view name);

// The whole command line: global options, the subcommand, its arguments. Returns the exit code.
int run(int argc, char** argv);

int cmd_help(Context& ctx, const std::vector<std::string>& args);
int cmd_version(Context& ctx, const std::vector<std::string>& args);
int cmd_check(Context& ctx, const std::vector<std::string>& args);
int cmd_show(Context& ctx, const std::vector<std::string>& args);
int cmd_query(Context& ctx, const std::vector<std::string>& args);
int cmd_report(Context& ctx, const std::vector<std::string>& args);
int cmd_compare_versions(Context& ctx, const std::vector<std::string>& args);
int cmd_autotriage(Context& ctx, const std::vector<std::string>& args);
int cmd_why(Context& ctx, const std::vector<std::string>& args);
int cmd_usn(Context& ctx, const std::vector<std::string>& args);
int cmd_sync_from_usns(Context& ctx, const std::vector<std::string>& args);
int cmd_kernel_abi_check(Context& ctx, const std::vector<std::string>& args);
int cmd_signoff(Context& ctx, const std::vector<std::string>& args);

} // namespace kct::cli
