// Loading the tree: list the directories, then read and parse every file in parallel. Each
// worker writes only its own slots of a vector sized up front, so no locks are needed.
#include "tracker/tracker.h"
#include "util/files.h"
#include "util/strings.h"
#include "util/thread_pool.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kct::tracker {

namespace {

struct PendingFile {
  Directory directory;
  std::string name;
  std::string path;
  int dir_fd = AT_FDCWD; // opened relative to this, to spare the kernel resolving the full path
};

FileKind kind_for(Directory d, std::string_view name) {
  if (util::starts_with(name, "CVE-") || (d == Directory::embargoed && util::starts_with(name, "EMB-"))) {
    return FileKind::cve;
  }
  if (d == Directory::active && util::starts_with(name, "00boilerplate")) {
    return FileKind::boilerplate;
  }
  return FileKind::other; // 10autotriage.linux, Makefile, not-for-us.txt: kept as they are
}

// Lists a directory's regular files (and symlinks, which are followed on read), sorted.
bool list_directory(const std::string& path, Directory d, std::vector<PendingFile>& out, std::string& error,
                    int dir_fd) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) {
    error = std::strerror(errno);
    return false;
  }
  std::vector<std::string> names;
  while (dirent* ent = ::readdir(dir)) {
    std::string_view n = ent->d_name;
    if (n == "." || n == ".." || n.empty() || n[0] == '.') {
      continue; // dot files are editor and VCS droppings, not tracker data
    }
    if (ent->d_type == DT_DIR) {
      continue;
    }
    names.emplace_back(n);
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  for (std::string& n : names) {
    std::string full = path + "/" + n;
    out.push_back(PendingFile{d, std::move(n), std::move(full), dir_fd});
  }
  return true;
}

// not-for-us.txt: CVE (or old CAN) ids, several a line; text after '#' is a comment.
void read_not_for_us(const std::string& text, std::unordered_set<std::string_view>& out) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = std::string_view(text).substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    line = line.substr(0, line.find('#'));
    size_t i = 0;
    while (i < line.size()) {
      size_t start = line.find_first_not_of(" \t\r", i);
      if (start == std::string_view::npos) {
        break;
      }
      size_t end = line.find_first_of(" \t\r", start);
      std::string_view token = line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      if (util::starts_with(token, "CVE-") || util::starts_with(token, "CAN-")) {
        out.emplace(token);
      }
      i = end == std::string_view::npos ? line.size() : end;
    }
  }
}

} // namespace

std::unique_ptr<Tracker> Tracker::load(const std::string& root, const catalog::Catalog& catalog,
                                       const LoadOptions& options) {
  auto t = std::make_unique<Tracker>();
  t->m_root = root;
  t->m_catalog = &catalog;

  // 1. Decide which files to read.
  std::vector<PendingFile> pending;
  std::vector<int> dir_fds;
  if (options.only.empty()) {
    const std::pair<const char*, Directory> dirs[] = {{"active", Directory::active},
                                                      {"retired", Directory::retired},
                                                      {"ignored", Directory::ignored},
                                                      {"embargoed", Directory::embargoed}};
    for (const auto& [name, d] : dirs) {
      std::string path = root + "/" + name;
      struct stat st {};
      if (d == Directory::embargoed && ::stat(path.c_str(), &st) != 0) {
        continue; // embargoed/ exists only on machines with the private tree
      }
      std::string error;
      int dir_fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dir_fd >= 0) {
        dir_fds.push_back(dir_fd);
      }
      if (!list_directory(path, d, pending, error, dir_fd >= 0 ? dir_fd : AT_FDCWD)) {
        t->m_diagnostics.push_back(util::Diagnostic{path, 0, 0, util::Severity::error,
                                                    fmt::format("cannot read tracker directory: {}", error)});
      }
    }
  } else {
    t->m_partial = true;
    for (const std::string& p : options.only) {
      std::string path = p;
      std::string name = p.substr(p.rfind('/') == std::string::npos ? 0 : p.rfind('/') + 1);
      // The class is the directory the file is in, not any `retired/` higher up the path.
      std::string parent = p.rfind('/') == std::string::npos ? std::string(".") : p.substr(0, p.rfind('/'));
      std::string parent_name = parent.substr(parent.rfind('/') == std::string::npos ? 0 : parent.rfind('/') + 1);
      Directory d = Directory::active;
      for (Directory c : {Directory::retired, Directory::ignored, Directory::embargoed}) {
        if (parent_name == directory_name(c)) {
          d = c;
        }
      }
      pending.push_back(PendingFile{d, std::move(name), std::move(path)});
    }
  }

  // 2. Read and parse in parallel.
  t->m_files.resize(pending.size());
  std::vector<std::string> read_errors(pending.size());
  unsigned jobs = options.jobs == 0 ? util::default_jobs() : options.jobs;
  util::parallel_for(pending.size(), jobs, [&](unsigned, size_t i) {
    PendingFile& p = pending[i];
    TrackedFile& tf = t->m_files[i];
    tf.directory = p.directory;
    tf.name = p.name;
    std::string text;
    std::string_view relative = p.dir_fd == AT_FDCWD ? std::string_view(p.path) : std::string_view(p.name);
    if (auto err = util::read_file_at(p.dir_fd, std::string(relative), text)) {
      read_errors[i] = *err;
      tf.file = CveFile(p.path, std::string(), FileKind::other, catalog);
      return;
    }
    tf.file = CveFile(p.path, std::move(text), kind_for(p.directory, p.name), catalog);
    // Read the 98k-id list here, on whichever worker meets it, while the others parse.
    if (p.directory == Directory::ignored && p.name == "not-for-us.txt") {
      read_not_for_us(tf.file.text(), t->m_not_for_us);
    }
  });
  for (int fd : dir_fds) {
    ::close(fd);
  }
  for (size_t i = 0; i < pending.size(); ++i) {
    if (!read_errors[i].empty()) {
      t->m_diagnostics.push_back(util::Diagnostic{pending[i].path, 0, 0, util::Severity::error,
                                                  fmt::format("cannot read file: {}", read_errors[i])});
    }
  }

  // 3. Indexes, and the not-for-us list from the root when only some files were asked for.
  if (t->m_partial && !util::read_file(root + "/ignored/not-for-us.txt", t->m_not_for_us_text)) {
    read_not_for_us(t->m_not_for_us_text, t->m_not_for_us);
  }
  t->build_indexes();
  return t;
}

} // namespace kct::tracker
