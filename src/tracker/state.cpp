#include "tracker/state.h"

#include <algorithm>

namespace kct::tracker {

namespace {
constexpr std::string_view k_state_names[k_state_count] = {"needs-triage", "needed",       "active",   "pending",
                                                           "released",     "released-esm", "deferred", "DNE",
                                                           "ignored",      "not-affected"};
}

std::string_view state_name(State s) {
  return k_state_names[static_cast<int>(s)];
}

std::optional<State> parse_state(std::string_view text) {
  for (int i = 0; i < k_state_count; ++i) {
    if (k_state_names[i] == text) {
      return static_cast<State>(i);
    }
  }
  return std::nullopt;
}

std::string_view valid_state_list() {
  return "needs-triage needed active pending released released-esm deferred DNE ignored "
         "not-affected";
}

bool is_closed(State s) {
  return s == State::released || s == State::not_affected || s == State::ignored || s == State::dne;
}

bool is_open(State s) {
  return s == State::needed || s == State::deferred || s == State::pending || s == State::needs_triage ||
         s == State::active;
}

bool is_valid_priority(std::string_view p) {
  return std::find(std::begin(k_priorities), std::end(k_priorities), p) != std::end(k_priorities);
}

bool is_real_priority(std::string_view p) {
  return is_valid_priority(p) && p != "untriaged" && p != "not-for-us";
}

bool is_valid_tag(std::string_view t) {
  return std::find(std::begin(k_tags), std::end(k_tags), t) != std::end(k_tags);
}

} // namespace kct::tracker
