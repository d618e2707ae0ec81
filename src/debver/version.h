#pragma once
// Debian version parsing and ordering, matching dpkg (lib/dpkg/parsehelp.c and
// lib/dpkg/version.c) so that our verdicts agree with `dpkg --compare-versions`.

#include <optional>
#include <string>
#include <string_view>

namespace kct::debver {

struct Parts {
  std::string_view epoch_text;
  long long epoch = 0;
  std::string_view upstream;
  std::string_view revision;
};

// Splits like dpkg: surrounding blanks are ignored, the epoch is the text before the
// first ':', the revision the text after the last '-'. No validation: an epoch that
// does not parse as a number yields epoch 0, and the views point into `version`.
Parts split(std::string_view version);

// Why `version` is not a valid Debian version (dpkg's parseversion rules), or
// nullopt when it is valid. dpkg merely warns about a non-digit start or bad
// characters; we treat those as invalid too.
std::optional<std::string> invalid_reason(std::string_view version);

// <0, 0 or >0 (normalised to -1, 0, 1), exactly as `dpkg --compare-versions`,
// including its treatment of an empty string as "no version" (before everything).
int compare(std::string_view a, std::string_view b);

enum class Op { lt, le, eq, ne, ge, gt };

// Accepts lt le eq ne ge gt and dpkg's relation symbols << <= = >= >>.
std::optional<Op> parse_op(std::string_view op);

bool satisfies(std::string_view a, Op op, std::string_view b);

} // namespace kct::debver
