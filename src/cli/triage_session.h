#pragma once
// What `kct autotriage` and `kct why` share: the kernel team's inputs (scan configuration,
// kernel trees, state directory, overlay), the provenance store, and one scan bringing it up
// to date.
#include "cli/context.h"
#include "kgit/provenance_store.h"
#include "triage/overlay.h"
#include "triage/scan_config.h"
#include "triage/scan_run.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kct::cli {

struct TriageArgs {
  std::string config;
  std::string repos;
  std::string state;
  std::string overlay; // default: <tracker>/active/10autotriage.linux when it exists
};

void add_triage_options(CLI::App& app, TriageArgs& args);

struct TriageSession {
  triage::ScanConfig config;
  std::optional<triage::Overlay> overlay;
  std::unique_ptr<kgit::ProvenanceStore> store;
  triage::ScanRunResult run;
  std::vector<util::Diagnostic> diagnostics; // inputs and scans; printed by the caller
  bool has_errors() const;
};

// Reads the inputs and runs the scans. Throws kct::Error when an input cannot be read at all
// (no configuration file, no state directory); bad lines become diagnostics.
TriageSession open_triage_session(Context& ctx, const TriageArgs& args, const char* command);

// Prints diagnostics to stderr, sorted, one per line.
void print_diagnostics(std::vector<util::Diagnostic> diagnostics);

} // namespace kct::cli
