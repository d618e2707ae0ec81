#include "usn/description.h"

#include "util/strings.h"

#include <regex>
#include <sstream>

namespace kct::usn {
namespace {

std::vector<std::string> paragraphs(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
    if (blank) {
      if (!current.empty()) {
        out.push_back(current);
        current.clear();
      }
    } else {
      if (!current.empty()) {
        current += ' ';
      }
      current += line;
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  if (!current.empty()) {
    out.push_back(current);
  }
  // Normalise whitespace as Python's ' '.join(p.split()) does.
  for (std::string& p : out) {
    p = util::collapse_whitespace(p);
  }
  return out;
}

// "Ubuntu 18.04 LTS was not affected." / "This issue only affected Ubuntu 19.10." style
// sentences name releases, not the flaw, so they stay out of the per-CVE text.
std::string drop_release_sentences(const std::string& paragraph) {
  static const std::string k_release = R"(Ubuntu [0-9]+\.[0-9]+( LTS| ESM)?)";
  static const std::string k_releases = k_release + "((,| and|, and) " + k_release + ")*";
  static const std::regex k_sentences("\\s*(This|These) issues? (only )?affected " + k_releases + "\\.|\\s*" +
                                      k_releases + " (was|were) (not )?affected\\.");
  return std::regex_replace(paragraph, k_sentences, "");
}

} // namespace

std::vector<std::string> wrap_text(std::string_view text, size_t width) {
  std::vector<std::string> lines;
  std::istringstream words{std::string(text)};
  std::string word;
  std::string line;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    if (!line.empty()) {
      line += ' ';
    }
    line += word;
  }
  if (!line.empty()) {
    lines.push_back(line);
  }
  return lines;
}

DescriptionSplit split_description(std::string_view description) {
  DescriptionSplit split;
  std::vector<std::string> paras = paragraphs(description);
  if (paras.size() == 1) {
    split.shared = paras[0];
    return split;
  }
  for (const std::string& raw : paras) {
    std::string p = drop_release_sentences(raw);
    size_t at = p.rfind(" (CVE-");
    if (at == std::string::npos) {
      continue;
    }
    std::string list = p.substr(at + 2);
    if (list.size() >= 2 && list.compare(list.size() - 2, 2, ").") == 0) {
      list.pop_back();
    }
    if (list.empty() || list.back() != ')') {
      split.errors.push_back(raw);
      continue;
    }
    list.pop_back();
    std::string text = p.substr(0, at);
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(", ", start);
      std::string cve = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!cve.empty()) {
        split.by_cve[cve] = text;
      }
      if (comma == std::string::npos) {
        break;
      }
      start = comma + 2;
    }
  }
  return split;
}

} // namespace kct::usn
