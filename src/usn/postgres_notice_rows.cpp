#include "usn/postgres_notice_rows.h"

#include "util/error.h"

namespace kct::usn {
namespace {

using Params = std::vector<std::optional<std::string>>;

// NULL for no unknown keys, as in the SQLite store.
Json extras_cell(const Json& extras) {
  return extras.is_object() && extras.empty() ? Json() : Json(extras.dump());
}

Json optional_cell(const std::optional<std::string>& value) {
  return value ? Json(*value) : Json();
}

Json read_extras(const db::PgResult& rows, int row, int column) {
  return rows.is_null(row, column) ? Json::object() : Json::parse(rows.text(row, column));
}

std::optional<std::string> read_text(const db::PgResult& rows, int row, int column) {
  return rows.is_null(row, column) ? std::nullopt : std::optional<std::string>(rows.text(row, column));
}

bool read_flag(const db::PgResult& rows, int row, int column) {
  return rows.text(row, column) == "t";
}

const char* id_form_name(IdForm form) {
  switch (form) {
  case IdForm::prefixed: return "prefixed";
  case IdForm::absent: return "absent";
  default: return "bare";
  }
}

IdForm id_form_from(std::string_view name) {
  return name == "prefixed" ? IdForm::prefixed : name == "absent" ? IdForm::absent : IdForm::bare;
}

BinaryEntry read_binary(const db::PgResult& rows, int row) {
  return BinaryEntry{read_text(rows, row, 2), read_text(rows, row, 3), read_text(rows, row, 4),
                     read_extras(rows, row, 5)};
}

// The rows of every child table of one notice, as JSON arrays of records.
struct ChildRows {
  Json releases = Json::array();
  Json sources = Json::array();
  Json binaries = Json::array();
  Json allbinaries = Json::array();
  Json archs = Json::array();
  Json urls = Json::array();
};

void add_binaries(Json& rows, const std::string& release,
                  const std::optional<std::map<std::string, BinaryEntry>>& map) {
  if (!map) {
    return;
  }
  for (const auto& [name, entry] : *map) {
    rows.push_back({{"release", release},
                    {"name", name},
                    {"version", optional_cell(entry.version)},
                    {"pocket", optional_cell(entry.pocket)},
                    {"source", optional_cell(entry.source)},
                    {"extras", extras_cell(entry.extras)}});
  }
}

ChildRows child_rows(const Notice& notice) {
  ChildRows out;
  for (const auto& [name, release] : notice.releases) {
    out.releases.push_back({{"release", name},
                            {"has_sources", release.sources.has_value()},
                            {"has_binaries", release.binaries.has_value()},
                            {"has_allbinaries", release.allbinaries.has_value()},
                            {"has_archs", release.archs.has_value()},
                            {"extras", extras_cell(release.extras)}});
    if (release.sources) {
      for (const auto& [source, entry] : *release.sources) {
        out.sources.push_back({{"release", name},
                               {"name", source},
                               {"version", optional_cell(entry.version)},
                               {"description", optional_cell(entry.description)},
                               {"extras", extras_cell(entry.extras)}});
      }
    }
    add_binaries(out.binaries, name, release.binaries);
    add_binaries(out.allbinaries, name, release.allbinaries);
    if (!release.archs) {
      continue;
    }
    for (const auto& [arch, entry] : *release.archs) {
      out.archs.push_back({{"release", name},
                           {"arch", arch},
                           {"has_urls", entry.urls.has_value()},
                           {"extras", extras_cell(entry.extras)}});
      if (!entry.urls) {
        continue;
      }
      for (const auto& [url, file] : *entry.urls) {
        out.urls.push_back({{"release", name},
                            {"arch", arch},
                            {"url", url},
                            {"md5", optional_cell(file.md5)},
                            {"size", file.size ? Json(*file.size) : Json()},
                            {"extras", extras_cell(file.extras)}});
      }
    }
  }
  return out;
}

} // namespace

std::optional<int64_t> PgNoticeRows::revision(const std::string& id, bool lock) {
  db::PgResult row = m_db.exec(lock ? "SELECT revision FROM notices WHERE id = $1 FOR UPDATE"
                                    : "SELECT revision FROM notices WHERE id = $1",
                               {id});
  return row.rows() == 0 ? std::nullopt : std::optional<int64_t>(row.integer(0, 0));
}

void PgNoticeRows::write(const Notice& notice, int64_t revision) {
  std::optional<UsnId> parsed = parse_usn_id(notice.id);
  if (!parsed || notice.id.starts_with("USN-")) {
    throw Error(m_db.where() + ": `" + notice.id + "` is not a USN id such as 4313-1");
  }
  Params n = {notice.id,
              std::to_string(parsed->number),
              std::to_string(parsed->suffix),
              std::string(id_form_name(notice.id_form)),
              notice.title,
              notice.summary,
              notice.isummary,
              notice.description,
              notice.action,
              std::string(notice.cves ? "true" : "false"),
              notice.timestamp ? std::optional<std::string>(notice.timestamp->to_json().dump()) : std::nullopt,
              notice.extras.is_object() && notice.extras.empty() ? std::nullopt
                                                                 : std::optional<std::string>(notice.extras.dump()),
              std::to_string(revision)};
  m_db.exec("INSERT INTO notices(id, number, suffix, id_form, title, summary, isummary, description, action, "
            "has_cves, timestamp, extras, revision) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            n);
  if (notice.cves && !notice.cves->empty()) {
    m_db.exec("INSERT INTO notice_cves(notice_id, position, cve) SELECT $1, t.n - 1, t.cve "
              "FROM json_array_elements_text($2::json) WITH ORDINALITY AS t(cve, n)",
              {notice.id, Json(*notice.cves).dump()});
  }
  ChildRows rows = child_rows(notice);
  insert_rows("INSERT INTO releases(notice_id, release, has_sources, has_binaries, has_allbinaries, has_archs, extras) "
              "SELECT $1, r.release, r.has_sources, r.has_binaries, r.has_allbinaries, r.has_archs, r.extras "
              "FROM json_to_recordset($2::json) AS r(release TEXT, has_sources BOOLEAN, has_binaries BOOLEAN, "
              "has_allbinaries BOOLEAN, has_archs BOOLEAN, extras TEXT)",
              notice.id, rows.releases);
  insert_rows("INSERT INTO sources(notice_id, release, name, version, description, extras) "
              "SELECT $1, r.release, r.name, r.version, r.description, r.extras FROM json_to_recordset($2::json) "
              "AS r(release TEXT, name TEXT, version TEXT, description TEXT, extras TEXT)",
              notice.id, rows.sources);
  for (auto [table, table_rows] : {std::pair{"binaries", &rows.binaries}, {"allbinaries", &rows.allbinaries}}) {
    // The table name is one of two constants, never data.
    std::string sql = std::string("INSERT INTO ") + table +
                      "(notice_id, release, name, version, pocket, source, extras) "
                      "SELECT $1, r.release, r.name, r.version, r.pocket, r.source, r.extras "
                      "FROM json_to_recordset($2::json) "
                      "AS r(release TEXT, name TEXT, version TEXT, pocket TEXT, source TEXT, extras TEXT)";
    insert_rows(sql.c_str(), notice.id, *table_rows);
  }
  insert_rows("INSERT INTO archs(notice_id, release, arch, has_urls, extras) "
              "SELECT $1, r.release, r.arch, r.has_urls, r.extras FROM json_to_recordset($2::json) "
              "AS r(release TEXT, arch TEXT, has_urls BOOLEAN, extras TEXT)",
              notice.id, rows.archs);
  insert_rows("INSERT INTO urls(notice_id, release, arch, url, md5, size, extras) "
              "SELECT $1, r.release, r.arch, r.url, r.md5, r.size, r.extras FROM json_to_recordset($2::json) "
              "AS r(release TEXT, arch TEXT, url TEXT, md5 TEXT, size BIGINT, extras TEXT)",
              notice.id, rows.urls);
}

void PgNoticeRows::insert_rows(const char* sql, const std::string& id, const Json& rows) {
  if (!rows.empty()) {
    m_db.exec(sql, {id, rows.dump()});
  }
}

void PgNoticeRows::erase(const std::string& id) {
  // The foreign keys cascade to every child row.
  m_db.exec("DELETE FROM notices WHERE id = $1", {id});
}

std::optional<StoredNotice> PgNoticeRows::read(const std::string& id) {
  db::PgResult row = m_db.exec("SELECT id_form, title, summary, isummary, description, action, has_cves, "
                               "timestamp, extras, revision FROM notices WHERE id = $1",
                               {id});
  if (row.rows() == 0) {
    return std::nullopt;
  }
  StoredNotice out;
  Notice& notice = out.notice;
  notice.id = id;
  notice.id_form = id_form_from(row.text(0, 0));
  notice.title = read_text(row, 0, 1);
  notice.summary = read_text(row, 0, 2);
  notice.isummary = read_text(row, 0, 3);
  notice.description = read_text(row, 0, 4);
  notice.action = read_text(row, 0, 5);
  if (read_flag(row, 0, 6)) {
    notice.cves.emplace();
  }
  if (!row.is_null(0, 7)) {
    Json stamp = Json::parse(row.text(0, 7));
    notice.timestamp = stamp.is_number_float() ? Timestamp{stamp.get<double>()} : Timestamp{stamp.get<int64_t>()};
  }
  notice.extras = read_extras(row, 0, 8);
  out.revision = row.integer(0, 9);
  read_children(id, notice);
  return out;
}

void PgNoticeRows::read_children(const std::string& id, Notice& notice) {
  db::PgResult cves = m_db.exec("SELECT cve FROM notice_cves WHERE notice_id = $1 ORDER BY position", {id});
  for (int i = 0; i < cves.rows(); ++i) {
    notice.cves->push_back(cves.text(i, 0));
  }
  db::PgResult releases = m_db.exec("SELECT release, has_sources, has_binaries, has_allbinaries, has_archs, extras "
                                    "FROM releases WHERE notice_id = $1",
                                    {id});
  for (int i = 0; i < releases.rows(); ++i) {
    Release& release = notice.releases[releases.text(i, 0)];
    if (read_flag(releases, i, 1)) {
      release.sources.emplace();
    }
    if (read_flag(releases, i, 2)) {
      release.binaries.emplace();
    }
    if (read_flag(releases, i, 3)) {
      release.allbinaries.emplace();
    }
    if (read_flag(releases, i, 4)) {
      release.archs.emplace();
    }
    release.extras = read_extras(releases, i, 5);
  }
  // A child row always has its parent (foreign keys), whose flag created the map it goes in.
  db::PgResult sources =
      m_db.exec("SELECT release, name, version, description, extras FROM sources WHERE notice_id = $1", {id});
  for (int i = 0; i < sources.rows(); ++i) {
    (*notice.releases[sources.text(i, 0)].sources)[sources.text(i, 1)] =
        SourceEntry{read_text(sources, i, 2), read_text(sources, i, 3), read_extras(sources, i, 4)};
  }
  db::PgResult binaries =
      m_db.exec("SELECT release, name, version, pocket, source, extras FROM binaries WHERE notice_id = $1", {id});
  for (int i = 0; i < binaries.rows(); ++i) {
    (*notice.releases[binaries.text(i, 0)].binaries)[binaries.text(i, 1)] = read_binary(binaries, i);
  }
  db::PgResult allbinaries =
      m_db.exec("SELECT release, name, version, pocket, source, extras FROM allbinaries WHERE notice_id = $1", {id});
  for (int i = 0; i < allbinaries.rows(); ++i) {
    (*notice.releases[allbinaries.text(i, 0)].allbinaries)[allbinaries.text(i, 1)] = read_binary(allbinaries, i);
  }
  db::PgResult archs = m_db.exec("SELECT release, arch, has_urls, extras FROM archs WHERE notice_id = $1", {id});
  for (int i = 0; i < archs.rows(); ++i) {
    ArchEntry& arch = (*notice.releases[archs.text(i, 0)].archs)[archs.text(i, 1)];
    if (read_flag(archs, i, 2)) {
      arch.urls.emplace();
    }
    arch.extras = read_extras(archs, i, 3);
  }
  db::PgResult urls = m_db.exec("SELECT release, arch, url, md5, size, extras FROM urls WHERE notice_id = $1", {id});
  for (int i = 0; i < urls.rows(); ++i) {
    UrlEntry entry{read_text(urls, i, 3), std::nullopt, read_extras(urls, i, 5)};
    if (!urls.is_null(i, 4)) {
      entry.size = urls.integer(i, 4);
    }
    (*(*notice.releases[urls.text(i, 0)].archs)[urls.text(i, 1)].urls)[urls.text(i, 2)] = std::move(entry);
  }
}

} // namespace kct::usn
