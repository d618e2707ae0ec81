#pragma once
// Opening a file in the user's editor ($VISUAL, else $EDITOR, else vi), as git does, without a
// shell: the variable is split on blanks into the program and its arguments.
#include <string>

namespace kct::cli {

// Runs the editor on `path` and waits; returns its exit status. Throws kct::Error when it
// cannot be started.
int run_editor(const std::string& path);

} // namespace kct::cli
