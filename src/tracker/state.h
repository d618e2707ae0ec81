#pragma once
// The status vocabulary of the tracker (uct §3).
#include <cstdint>
#include <optional>
#include <string_view>

namespace kct::tracker {

enum class State : uint8_t {
  needs_triage,
  needed,
  active,
  pending,
  released,
  released_esm,
  deferred,
  dne,
  ignored,
  not_affected,
};
inline constexpr int k_state_count = 10;

std::string_view state_name(State s);
std::optional<State> parse_state(std::string_view text);
// "needs-triage needed active ..." for messages.
std::string_view valid_state_list();

// Closed: released, not-affected, ignored, DNE (cve_lib.status_closed).
bool is_closed(State s);
// Open for retirement: needed, deferred, pending, needs-triage, active.
bool is_open(State s);

inline constexpr std::string_view k_priorities[] = {"untriaged", "not-for-us", "negligible", "low",
                                                    "medium",    "high",       "critical"};
bool is_valid_priority(std::string_view p);
// negligible < low < medium < high < critical.
bool is_real_priority(std::string_view p);

inline constexpr std::string_view k_tags[] = {"universe-binary",      "not-ue",         "apparmor",
                                              "stack-protector",      "fortify-source", "symlink-restriction",
                                              "hardlink-restriction", "heap-protector", "pie"};
bool is_valid_tag(std::string_view t);

} // namespace kct::tracker
