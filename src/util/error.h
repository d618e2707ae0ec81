#pragma once
// The one exception type: failures that end a command (unreadable input tree, unwritable
// output, a broken data file). Bad data inside a file is a Diagnostic value, not an Error.
#include <stdexcept>
#include <string>

namespace kct {

class Error : public std::runtime_error {
public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

} // namespace kct
