#pragma once
// report-pending-fixes (uct doc §10.6): the CVEs a kernel upload fixes, read from the tracker.
// A CVE counts for (package, release) when its status there is pending, released or
// released-esm with a version in (previous, current] by Debian order; CVEs the user forces in
// (`--add`) count whatever their version. Active and embargoed files only, as the original's
// load_all: a retired CVE was dealt with long ago.
#include "tracker/tracker.h"

#include <string>
#include <vector>

namespace kct::workflow {

struct PendingQuery {
  std::string package;            // linux-aws
  std::string release_key;        // as in status lines: `xenial`, `trusty/esm`
  std::string previous;           // the last notice's version; "" or "0" for none
  std::string current;            // the upload's version
  std::vector<std::string> added; // forced in, bypassing the version window
};

struct PendingFix {
  std::string cve;
  std::string path; // the tracker file
  tracker::State state = tracker::State::pending;
  std::string version;     // from the status line's details
  std::string priority;    // effective priority for the package and release
  std::string description; // Ubuntu-Description with whitespace collapsed; "" when missing
  bool forced = false;     // from `added`
  // Fixed before `current` although the window says it is new in it: an embargoed fix
  // published on its own, usually (the original warns).
  bool older_than_current = false;
};

struct PendingReport {
  std::vector<PendingFix> fixes; // sorted by CVE id
  // Status lines whose version does not parse, and forced CVEs the tracker does not have.
  std::vector<std::string> warnings;
};

PendingReport pending_fixes(const tracker::Tracker& tracker, const PendingQuery& query);

// The Ubuntu-Description of a CVE file with newlines and runs of spaces collapsed (as
// pull-usn-desc reads it); "" when the field is missing or empty.
std::string collapsed_description(const tracker::CveFile& file);

} // namespace kct::workflow
