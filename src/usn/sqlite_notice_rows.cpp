#include "usn/sqlite_notice_rows.h"

#include "util/error.h"

namespace kct::usn {
namespace {

void bind_extras(db::Statement& statement, int index, const Json& extras) {
  if (extras.is_object() && extras.empty()) {
    statement.bind_null(index);
  } else {
    statement.bind(index, extras.dump());
  }
}

Json read_extras(const db::Statement& row, int column) {
  return row.is_null(column) ? Json::object() : Json::parse(row.view_at(column));
}

std::optional<std::string> read_text(const db::Statement& row, int column) {
  return row.is_null(column) ? std::nullopt : std::optional<std::string>(row.text_at(column));
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

// Every text a row insert binds lives in the notice being written, which outlives the
// statement's run(), so none is copied.
void bind_kept(db::Statement& statement, int index, const std::optional<std::string>& text) {
  text ? statement.bind_static(index, *text) : statement.bind_null(index);
}

void add_extras(db::BatchInsert& insert, const Json& extras) {
  if (extras.is_object() && extras.empty()) {
    insert.add_null();
  } else {
    insert.add_copy(extras.dump());
  }
}

// Rows of `table` for one notice, with their release and name first: (release, name, …).
template <class Fn>
void each_row(db::Sqlite& db, const char* sql, const std::string& id, Fn fn) {
  db::Statement query = db.prepare(sql);
  query.bind(1, id);
  while (query.step()) {
    fn(query);
  }
}

BinaryEntry read_binary(const db::Statement& row) {
  return BinaryEntry{read_text(row, 2), read_text(row, 3), read_text(row, 4), read_extras(row, 5)};
}

} // namespace

NoticeRows::NoticeRows(db::Sqlite& db)
    : m_db(db), m_revision(db.prepare("SELECT revision FROM notices WHERE id = ?")),
      m_insert_notice(db.prepare("INSERT INTO notices(id, number, suffix, id_form, title, summary, isummary, "
                                 "description, action, has_cves, timestamp, extras, revision) "
                                 "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")),
      m_insert_cve(db.prepare("INSERT INTO notice_cves(notice_id, position, cve) VALUES(?, ?, ?)")),
      m_insert_release(db.prepare("INSERT INTO releases(notice_id, release, has_sources, has_binaries, "
                                  "has_allbinaries, has_archs, extras) VALUES(?, ?, ?, ?, ?, ?, ?)")),
      m_insert_source(db, "INSERT INTO sources(notice_id, release, name, version, description, extras)", 6),
      m_insert_binary(db, "INSERT INTO binaries(notice_id, release, name, version, pocket, source, extras)", 7),
      m_insert_allbinary(db, "INSERT INTO allbinaries(notice_id, release, name, version, pocket, source, extras)", 7),
      m_insert_arch(db.prepare("INSERT INTO archs(notice_id, release, arch, has_urls, extras) VALUES(?, ?, ?, ?, ?)")),
      m_insert_url(db.prepare("INSERT INTO urls(notice_id, release, arch, url, md5, size, extras) "
                              "VALUES(?, ?, ?, ?, ?, ?, ?)")) {}

std::optional<int64_t> NoticeRows::revision(const std::string& id) {
  m_revision.reset();
  m_revision.bind(1, id);
  std::optional<int64_t> out;
  if (m_revision.step()) {
    out = m_revision.int_at(0);
  }
  m_revision.reset();
  return out;
}

void NoticeRows::write(const Notice& notice, int64_t revision) {
  try {
    write_rows(notice, revision);
    for (db::BatchInsert* batch : {&m_insert_source, &m_insert_binary, &m_insert_allbinary}) {
      batch->flush();
    }
  } catch (...) {
    for (db::BatchInsert* batch : {&m_insert_source, &m_insert_binary, &m_insert_allbinary}) {
      batch->discard();
    }
    throw;
  }
}

void NoticeRows::write_rows(const Notice& notice, int64_t revision) {
  std::optional<UsnId> parsed = parse_usn_id(notice.id);
  if (!parsed || notice.id.starts_with("USN-")) {
    throw Error(m_db.path() + ": `" + notice.id + "` is not a USN id such as 4313-1");
  }
  db::Statement& n = m_insert_notice;
  n.bind_static(1, notice.id).bind(2, parsed->number).bind(3, parsed->suffix).bind(4, id_form_name(notice.id_form));
  bind_kept(n, 5, notice.title);
  bind_kept(n, 6, notice.summary);
  bind_kept(n, 7, notice.isummary);
  bind_kept(n, 8, notice.description);
  bind_kept(n, 9, notice.action);
  n.bind(10, int64_t{notice.cves.has_value()});
  n.bind(11, notice.timestamp ? std::optional<std::string>(notice.timestamp->to_json().dump()) : std::nullopt);
  bind_extras(n, 12, notice.extras);
  n.bind(13, revision).run();
  if (notice.cves) {
    for (size_t i = 0; i < notice.cves->size(); ++i) {
      m_insert_cve.bind_static(1, notice.id).bind(2, static_cast<int64_t>(i)).bind_static(3, (*notice.cves)[i]).run();
    }
  }
  for (const auto& [name, release] : notice.releases) {
    write_release(notice.id, name, release);
  }
}

void NoticeRows::write_release(const std::string& id, const std::string& name, const Release& release) {
  db::Statement& r = m_insert_release;
  r.bind_static(1, id).bind_static(2, name).bind(3, int64_t{release.sources.has_value()});
  r.bind(4, int64_t{release.binaries.has_value()}).bind(5, int64_t{release.allbinaries.has_value()});
  r.bind(6, int64_t{release.archs.has_value()});
  bind_extras(r, 7, release.extras);
  r.run();
  if (release.sources) {
    for (const auto& [source, entry] : *release.sources) {
      m_insert_source.add_kept(id).add_kept(name).add_kept(source).add_kept(entry.version).add_kept(entry.description);
      add_extras(m_insert_source, entry.extras);
    }
  }
  for (auto [map, insert] :
       {std::pair{&release.binaries, &m_insert_binary}, {&release.allbinaries, &m_insert_allbinary}}) {
    if (*map) {
      for (const auto& [binary, entry] : **map) {
        insert->add_kept(id).add_kept(name).add_kept(binary).add_kept(entry.version).add_kept(entry.pocket);
        insert->add_kept(entry.source);
        add_extras(*insert, entry.extras);
      }
    }
  }
  if (!release.archs) {
    return;
  }
  for (const auto& [arch, entry] : *release.archs) {
    m_insert_arch.bind_static(1, id).bind_static(2, name).bind_static(3, arch).bind(4, int64_t{entry.urls.has_value()});
    bind_extras(m_insert_arch, 5, entry.extras);
    m_insert_arch.run();
    if (!entry.urls) {
      continue;
    }
    for (const auto& [url, file] : *entry.urls) {
      m_insert_url.bind_static(1, id).bind_static(2, name).bind_static(3, arch).bind_static(4, url);
      bind_kept(m_insert_url, 5, file.md5);
      file.size ? m_insert_url.bind(6, *file.size) : m_insert_url.bind_null(6);
      bind_extras(m_insert_url, 7, file.extras);
      m_insert_url.run();
    }
  }
}

void NoticeRows::erase(const std::string& id) {
  // Children first and explicitly: cheaper than cascading row by row through the foreign keys.
  for (const char* sql : {"DELETE FROM urls WHERE notice_id = ?", "DELETE FROM archs WHERE notice_id = ?",
                          "DELETE FROM allbinaries WHERE notice_id = ?", "DELETE FROM binaries WHERE notice_id = ?",
                          "DELETE FROM sources WHERE notice_id = ?", "DELETE FROM releases WHERE notice_id = ?",
                          "DELETE FROM notice_cves WHERE notice_id = ?", "DELETE FROM notices WHERE id = ?"}) {
    m_db.prepare(sql).bind(1, id).run();
  }
}

std::optional<StoredNotice> NoticeRows::read(const std::string& id) {
  db::Statement row = m_db.prepare("SELECT id_form, title, summary, isummary, description, action, has_cves, "
                                   "timestamp, extras, revision FROM notices WHERE id = ?");
  row.bind(1, id);
  if (!row.step()) {
    return std::nullopt;
  }
  StoredNotice out;
  Notice& notice = out.notice;
  notice.id = id;
  notice.id_form = id_form_from(row.view_at(0));
  notice.title = read_text(row, 1);
  notice.summary = read_text(row, 2);
  notice.isummary = read_text(row, 3);
  notice.description = read_text(row, 4);
  notice.action = read_text(row, 5);
  if (row.int_at(6) != 0) {
    notice.cves.emplace();
  }
  if (!row.is_null(7)) {
    Json stamp = Json::parse(row.view_at(7));
    notice.timestamp = stamp.is_number_float() ? Timestamp{stamp.get<double>()} : Timestamp{stamp.get<int64_t>()};
  }
  notice.extras = read_extras(row, 8);
  out.revision = row.int_at(9);
  read_children(id, notice);
  return out;
}

void NoticeRows::read_children(const std::string& id, Notice& notice) {
  each_row(m_db, "SELECT cve FROM notice_cves WHERE notice_id = ? ORDER BY position", id,
           [&](const db::Statement& row) { notice.cves->push_back(row.text_at(0)); });
  each_row(m_db,
           "SELECT release, has_sources, has_binaries, has_allbinaries, has_archs, extras FROM releases "
           "WHERE notice_id = ?",
           id, [&](const db::Statement& row) {
             Release& release = notice.releases[row.text_at(0)];
             if (row.int_at(1) != 0) {
               release.sources.emplace();
             }
             if (row.int_at(2) != 0) {
               release.binaries.emplace();
             }
             if (row.int_at(3) != 0) {
               release.allbinaries.emplace();
             }
             if (row.int_at(4) != 0) {
               release.archs.emplace();
             }
             release.extras = read_extras(row, 5);
           });
  // A child row always has its parent (foreign keys), whose flag created the map it goes in.
  each_row(m_db, "SELECT release, name, version, description, extras FROM sources WHERE notice_id = ?", id,
           [&](const db::Statement& row) {
             (*notice.releases[row.text_at(0)].sources)[row.text_at(1)] =
                 SourceEntry{read_text(row, 2), read_text(row, 3), read_extras(row, 4)};
           });
  each_row(m_db, "SELECT release, name, version, pocket, source, extras FROM binaries WHERE notice_id = ?", id,
           [&](const db::Statement& row) {
             (*notice.releases[row.text_at(0)].binaries)[row.text_at(1)] = read_binary(row);
           });
  each_row(m_db, "SELECT release, name, version, pocket, source, extras FROM allbinaries WHERE notice_id = ?", id,
           [&](const db::Statement& row) {
             (*notice.releases[row.text_at(0)].allbinaries)[row.text_at(1)] = read_binary(row);
           });
  each_row(m_db, "SELECT release, arch, has_urls, extras FROM archs WHERE notice_id = ?", id,
           [&](const db::Statement& row) {
             ArchEntry& arch = (*notice.releases[row.text_at(0)].archs)[row.text_at(1)];
             if (row.int_at(2) != 0) {
               arch.urls.emplace();
             }
             arch.extras = read_extras(row, 3);
           });
  each_row(m_db, "SELECT release, arch, url, md5, size, extras FROM urls WHERE notice_id = ?", id,
           [&](const db::Statement& row) {
             UrlEntry entry{read_text(row, 3), std::nullopt, read_extras(row, 5)};
             if (!row.is_null(4)) {
               entry.size = row.int_at(4);
             }
             (*(*notice.releases[row.text_at(0)].archs)[row.text_at(1)].urls)[row.text_at(2)] = std::move(entry);
           });
}

} // namespace kct::usn
