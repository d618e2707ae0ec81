#pragma once
// Reading and atomically replacing files. Every write kct makes goes through
// write_file_atomically so a crash never leaves a half-written tracker file.
#include <optional>
#include <string>
#include <string_view>

namespace kct::util {

// Reads the whole file into `out` (reusing its capacity). Returns the OS error text on failure.
std::optional<std::string> read_file(const std::string& path, std::string& out);
// The same, for `path` relative to the directory open as `dir_fd` (or AT_FDCWD).
std::optional<std::string> read_file_at(int dir_fd, const std::string& path, std::string& out);

// The file's bytes; throws kct::Error "cannot read <what> <path>: <reason>" on failure.
std::string read_file_or_throw(const std::string& path, std::string_view what);

// Writes to `<path>.kct-tmp-<pid>`, fsyncs, renames over `path`, keeping the old file's mode.
// Throws kct::Error on failure, after removing the temporary file.
void write_file_atomically(const std::string& path, std::string_view contents);

} // namespace kct::util
