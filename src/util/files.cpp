#include "util/files.h"

#include "util/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kct::util {

namespace {
// Closes the descriptor on every path out of a function.
class Fd {
public:
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }
  int release() {
    int fd = m_fd;
    m_fd = -1;
    return fd;
  }

private:
  int m_fd;
};
} // namespace

std::optional<std::string> read_file(const std::string& path, std::string& out) {
  return read_file_at(AT_FDCWD, path, out);
}

std::optional<std::string> read_file_at(int dir_fd, const std::string& path, std::string& out) {
  out.clear();
  Fd fd(::openat(dir_fd, path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return std::string(std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return std::string(std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    return std::string("is a directory");
  }
  // One read() into a buffer sized from fstat: thousands of small files make mmap a loss.
  // One spare byte lets the read that sees EOF happen without growing (and so doubling the
  // capacity of) the buffer.
  out.resize(static_cast<size_t>(st.st_size) + 1);
  size_t done = 0;
  for (;;) {
    if (done == out.size()) {
      out.resize(out.size() + 4096); // the file grew since fstat
    }
    ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return std::string(std::strerror(errno));
    }
    if (n == 0) {
      break;
    }
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return std::nullopt;
}

void write_file_atomically(const std::string& path, std::string_view contents) {
  std::string tmp = fmt::format("{}.kct-tmp-{}", path, ::getpid());
  mode_t mode = 0644;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
  }
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (fd.get() < 0) {
    throw Error(fmt::format("cannot create {}: {}", tmp, std::strerror(errno)));
  }
  auto fail = [&](const char* what) {
    std::string reason = std::strerror(errno);
    ::close(fd.release());
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot {} {}: {}", what, tmp, reason));
  };
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd.get(), contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("write");
    }
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd.get(), mode) != 0 || ::fsync(fd.get()) != 0) {
    fail("sync");
  }
  if (::close(fd.release()) != 0) {
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot close {}: {}", tmp, std::strerror(errno)));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string reason = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot replace {}: {}", path, reason));
  }
}

std::string read_file_or_throw(const std::string& path, std::string_view what) {
  std::string text;
  if (std::optional<std::string> err = read_file(path, text)) {
    throw Error("cannot read " + std::string(what) + " " + path + ": " + *err);
  }
  return text;
}

} // namespace kct::util
