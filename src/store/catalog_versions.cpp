// Catalog: model versions.
#include "core/error.h"
#include "core/hash.h"
#include "store/catalog.h"

namespace apiary::store {
namespace fs = std::filesystem;

namespace {
const char* kVersionColumns =
    "SELECT v.id, p.name, v.name, v.arn, v.status, v.status_message, v.created_ms, v.updated_ms, v.dir, v.config, "
    "v.metrics, v.training_end_ms FROM model_versions v JOIN projects p ON p.id = v.project_id ";
}  // namespace

fs::path Catalog::version_dir(const std::string& project, const std::string& name) const {
    return dir_.models() / project / name;
}

VersionInfo Catalog::read_version(Statement& st) {
    VersionInfo v;
    v.id = st.column_int(0);
    v.project = st.column_text(1);
    v.name = st.column_text(2);
    v.arn = st.column_text(3);
    v.status = parse_version_status(st.column_text(4));
    v.status_message = st.column_text(5);
    v.created_ms = st.column_int(6);
    v.updated_ms = st.column_int(7);
    // Stored relative to the data directory so that a moved or restored data directory keeps
    // its models; absolute paths written by earlier versions are used as they are.
    v.dir = (dir_.root() / st.column_text(8)).string();
    v.config = Json::parse(st.column_text(9));
    v.metrics = Json::parse(st.column_text(10));
    v.training_end_ms = st.column_int(11);
    return v;
}

VersionInfo Catalog::create_version(const ProjectInfo& project, const std::string& name, const Json& config) {
    if (!is_valid_resource_name(name))
        throw Error(Location{"", 0, "version name"},
                    "'" + name + "' is not a valid version name (1-255 letters, digits, '_', '.', '-')");
    const int64_t created = now_ms();
    try {
        db_.prepare(
               "INSERT INTO model_versions (project_id, name, arn, status, created_ms, updated_ms, dir, config) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, project.id)
            .bind(2, name)
            .bind(3, version_arn(scope_, project.name, name, created))
            .bind(4, to_string(VersionStatus::TrainingInProgress))
            .bind(5, created)
            .bind(6, created)
            .bind(7, version_dir(project.name, name).lexically_relative(dir_.root()).string())
            .bind(8, config.dump())
            .run();
    } catch (const Conflict&) {
        throw Conflict("project '" + project.name + "' already has a version named '" + name + "'");
    }
    return version(project, name);
}

std::vector<VersionInfo> Catalog::versions(const ProjectInfo& project) {
    std::vector<VersionInfo> out;
    auto st = db_.prepare(std::string(kVersionColumns) + "WHERE v.project_id = ? ORDER BY v.created_ms DESC, v.id DESC");
    st.bind(1, project.id);
    while (st.step()) out.push_back(read_version(st));
    return out;
}

VersionInfo Catalog::version(const ProjectInfo& project, const std::string& name_or_arn) {
    std::string name = name_or_arn;
    if (auto arn = parse_arn(name_or_arn); arn && arn->kind == "version") name = arn->name;
    auto st = db_.prepare(std::string(kVersionColumns) + "WHERE v.project_id = ? AND v.name = ?");
    st.bind(1, project.id).bind(2, name);
    if (!st.step()) throw NotFound("project '" + project.name + "' has no model version '" + name_or_arn + "'");
    return read_version(st);
}

VersionInfo Catalog::latest_completed_version(const ProjectInfo& project) {
    for (auto& v : versions(project))
        if (has_trained_model(v.status)) return v;
    throw NotFound("project '" + project.name + "' has no trained model version; run 'apiary train " + project.name + "'");
}

void Catalog::update_version(const VersionInfo& version, VersionStatus status, const std::string& message,
                             const Json& metrics) {
    // Training ends the first time the status leaves TRAINING_IN_PROGRESS; starts and stops later
    // leave the end (and so TrainingEndTimestamp and the billable time) where it was.
    db_.prepare(
           "UPDATE model_versions SET status = ?1, status_message = ?2, metrics = ?3, updated_ms = ?4, "
           "training_end_ms = CASE WHEN training_end_ms = 0 AND ?1 != 'TRAINING_IN_PROGRESS' THEN ?4 "
           "ELSE training_end_ms END WHERE id = ?5")
        .bind(1, to_string(status))
        .bind(2, message)
        .bind(3, metrics.dump())
        .bind(4, now_ms())
        .bind(5, version.id)
        .run();
}

void Catalog::set_version_config(const VersionInfo& version, const Json& config) {
    db_.prepare("UPDATE model_versions SET config = ?, updated_ms = ? WHERE id = ?")
        .bind(1, config.dump())
        .bind(2, now_ms())
        .bind(3, version.id)
        .run();
}

void Catalog::delete_version(const VersionInfo& version) {
    Transaction tx(db_);
    db_.prepare("DELETE FROM tags WHERE resource_arn = ?").bind(1, version.arn).run();
    db_.prepare("DELETE FROM model_versions WHERE id = ?").bind(1, version.id).run();
    tx.commit();
    std::error_code ec;
    fs::remove_all(version.dir, ec);
}

void Catalog::set_version_entries(const VersionInfo& version, const std::string& role,
                                  const std::vector<data::Entry>& entries) {
    // Images first (content addressed; already there for entries of the project's datasets),
    // then the rows in one transaction, as import does.
    std::vector<std::string> keys;
    for (const auto& e : entries)
        keys.push_back(images_.put(e.image_path, e.sha256, e.image.format == vision::ImageFormat::Png ? "png" : "jpg"));
    images_.flush();
    Transaction tx(db_);
    db_.prepare("DELETE FROM version_entries WHERE version_id = ? AND role = ?").bind(1, version.id).bind(2, role).run();
    auto st = db_.prepare(
        "INSERT INTO version_entries (version_id, role, sha256, blob, source_ref, format, width, height, bytes, "
        "annotations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        st.bind(1, version.id)
            .bind(2, role)
            .bind(3, e.sha256)
            .bind(4, keys[i])
            .bind(5, e.source_ref)
            .bind(6, vision::to_string(e.image.format))
            .bind(7, e.image.width)
            .bind(8, e.image.height)
            .bind(9, e.image.bytes)
            .bind(10, annotations_to_json(e))
            .run();
    }
    tx.commit();
}

std::vector<data::Entry> Catalog::version_entries(const VersionInfo& version, const std::string& role) {
    std::vector<data::Entry> out;
    auto st = db_.prepare(std::string("SELECT ") + kEntryColumns +
                          " FROM version_entries WHERE version_id = ? AND role = ? ORDER BY id");
    st.bind(1, version.id).bind(2, role);
    while (st.step()) out.push_back(read_entry(st, role == "test" ? data::Split::Test : data::Split::Train));
    return out;
}

VersionInfo Catalog::copy_version(const VersionInfo& source, const ProjectInfo& project, const std::string& name,
                                  const Json& config) {
    Transaction tx(db_);
    VersionInfo copy = create_version(project, name, config);
    db_.prepare(
           "UPDATE model_versions SET status = ?, status_message = ?, metrics = ?, training_end_ms = ? WHERE id = ?")
        .bind(1, to_string(VersionStatus::CopyingInProgress))
        .bind(2, "The model is being copied.")
        .bind(3, source.metrics.dump())
        .bind(4, source.training_end_ms)
        .bind(5, copy.id)
        .run();
    db_.prepare(
           "INSERT INTO version_entries (version_id, role, sha256, blob, source_ref, format, width, height, bytes, "
           "annotations) SELECT ?, role, sha256, blob, source_ref, format, width, height, bytes, annotations "
           "FROM version_entries WHERE version_id = ? ORDER BY id")
        .bind(1, copy.id)
        .bind(2, source.id)
        .run();
    tx.commit();
    return version(project, name);
}

std::vector<PolicyInfo> Catalog::policies(const ProjectInfo& project) {
    std::vector<PolicyInfo> out;
    auto st = db_.prepare(
        "SELECT name, revision_id, document, created_ms, updated_ms FROM project_policies WHERE project_id = ? "
        "ORDER BY name");
    st.bind(1, project.id);
    while (st.step())
        out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_int(3), st.column_int(4)});
    return out;
}

std::optional<PolicyInfo> Catalog::policy(const ProjectInfo& project, const std::string& name) {
    for (auto& p : policies(project))
        if (p.name == name) return p;
    return std::nullopt;
}

PolicyInfo Catalog::put_policy(const ProjectInfo& project, const std::string& name, const std::string& document) {
    // A fresh revision id on every write, as the reference service gives: a writer holding the
    // old one is refused (the caller compares) instead of overwriting a change it has not seen.
    const std::string revision = random_hex(16);
    const int64_t now = now_ms();
    db_.prepare(
           "INSERT INTO project_policies (project_id, name, revision_id, document, created_ms, updated_ms) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (project_id, name) DO UPDATE SET "
           "revision_id = excluded.revision_id, document = excluded.document, updated_ms = excluded.updated_ms")
        .bind(1, project.id)
        .bind(2, name)
        .bind(3, revision)
        .bind(4, document)
        .bind(5, now)
        .run();
    return *policy(project, name);
}

void Catalog::delete_policy(const ProjectInfo& project, const std::string& name) {
    db_.prepare("DELETE FROM project_policies WHERE project_id = ? AND name = ?").bind(1, project.id).bind(2, name).run();
}

std::map<std::string, std::string> Catalog::tags(const std::string& arn) {
    std::map<std::string, std::string> out;
    auto st = db_.prepare("SELECT key, value FROM tags WHERE resource_arn = ?");
    st.bind(1, arn);
    while (st.step()) out[st.column_text(0)] = st.column_text(1);
    return out;
}

void Catalog::set_tags(const std::string& arn, const std::map<std::string, std::string>& tags) {
    Transaction tx(db_);
    auto st = db_.prepare("INSERT INTO tags (resource_arn, key, value) VALUES (?, ?, ?) "
                          "ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value");
    for (const auto& [key, value] : tags) {
        st.bind(1, arn).bind(2, key).bind(3, value).run();
        st.reset();
    }
    tx.commit();
}

void Catalog::remove_tags(const std::string& arn, const std::vector<std::string>& keys) {
    Transaction tx(db_);
    auto st = db_.prepare("DELETE FROM tags WHERE resource_arn = ? AND key = ?");
    for (const auto& key : keys) {
        st.bind(1, arn).bind(2, key).run();
        st.reset();
    }
    tx.commit();
}

}  // namespace apiary::store
