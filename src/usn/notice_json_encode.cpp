// The encoding half of notice_json.h: a Notice back to the published layout.
#include "usn/notice_json.h"

namespace kct::usn {
namespace {

void put_text(Json& out, const char* key, const std::optional<std::string>& value) {
  if (value) {
    out[key] = *value;
  }
}

// Extras first, so a known field always wins should someone have put its key among them.
Json with_extras(const Json& extras) {
  return extras.is_object() ? extras : Json::object();
}

template <class Entry, class Fn>
void put_map(Json& out, const char* key, const std::optional<std::map<std::string, Entry>>& entries, Fn encode) {
  if (!entries) {
    return;
  }
  Json object = Json::object();
  for (const auto& [name, entry] : *entries) {
    object[name] = encode(entry);
  }
  out[key] = std::move(object);
}

Json encode_source(const SourceEntry& entry) {
  Json out = with_extras(entry.extras);
  put_text(out, "version", entry.version);
  put_text(out, "description", entry.description);
  return out;
}

Json encode_binary(const BinaryEntry& entry) {
  Json out = with_extras(entry.extras);
  put_text(out, "version", entry.version);
  put_text(out, "pocket", entry.pocket);
  put_text(out, "source", entry.source);
  return out;
}

Json encode_url(const UrlEntry& entry) {
  Json out = with_extras(entry.extras);
  put_text(out, "md5", entry.md5);
  if (entry.size) {
    out["size"] = *entry.size;
  }
  return out;
}

Json encode_arch(const ArchEntry& entry) {
  Json out = with_extras(entry.extras);
  put_map(out, "urls", entry.urls, encode_url);
  return out;
}

Json encode_release(const Release& release) {
  Json out = with_extras(release.extras);
  put_map(out, "sources", release.sources, encode_source);
  put_map(out, "binaries", release.binaries, encode_binary);
  put_map(out, "allbinaries", release.allbinaries, encode_binary);
  put_map(out, "archs", release.archs, encode_arch);
  return out;
}

} // namespace

Json notice_to_json(const Notice& notice) {
  Json out = with_extras(notice.extras);
  if (notice.id_form != IdForm::absent) {
    out["id"] = notice.id_form == IdForm::prefixed ? "USN-" + notice.id : notice.id;
  }
  put_text(out, "title", notice.title);
  put_text(out, "summary", notice.summary);
  put_text(out, "isummary", notice.isummary);
  put_text(out, "description", notice.description);
  put_text(out, "action", notice.action);
  if (notice.cves) {
    out["cves"] = *notice.cves;
  }
  if (notice.timestamp) {
    out["timestamp"] = notice.timestamp->to_json();
  }
  Json releases = Json::object();
  for (const auto& [name, release] : notice.releases) {
    releases[name] = encode_release(release);
  }
  out["releases"] = std::move(releases);
  return out;
}

} // namespace kct::usn
