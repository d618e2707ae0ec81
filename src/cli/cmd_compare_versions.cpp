// `kct compare-versions A OP B`: exit 0 when true, 1 when false, like dpkg --compare-versions.
#include "cli/commands.h"
#include "debver/version.h"

namespace kct::cli {

int cmd_compare_versions(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Compare two Debian versions with dpkg's ordering. Exit status 0 when the relation holds, "
               "1 when it does not, 2 on bad arguments.\nOP is one of lt le eq ne ge gt (or << <= = >= >>).",
               "compare-versions");
  add_global_options(app, ctx.options());
  std::vector<std::string> operands;
  app.add_option("A OP B", operands, "Version, operator, version")->expected(3)->required();
  if (auto code = parse_arguments(app, args)) {
    return *code == 0 ? 0 : 2;
  }
  std::optional<debver::Op> op = debver::parse_op(operands[1]);
  if (!op) {
    std::fprintf(stderr, "kct compare-versions: error: unknown operator '%s' (expected lt le eq ne ge gt)\n",
                 operands[1].c_str());
    return 2;
  }
  for (int i : {0, 2}) {
    if (operands[i].empty()) {
      continue; // dpkg reads an empty argument as "no version", lower than any
    }
    if (auto why = debver::invalid_reason(operands[i])) {
      // As dpkg: bad characters or a non-digit start are warned about and compared anyway;
      // a broken epoch, an empty part or embedded spaces are errors.
      bool warning_only = *why == "version number does not start with digit" ||
                          *why == "invalid character in version number" ||
                          *why == "invalid character in revision number";
      std::fprintf(stderr, "kct compare-versions: %s: version '%s' has bad syntax: %s\n",
                   warning_only ? "warning" : "error", operands[i].c_str(), why->c_str());
      if (!warning_only) {
        return 2;
      }
    }
  }
  return debver::satisfies(operands[0], *op, operands[2]) ? 0 : 1;
}

} // namespace kct::cli
