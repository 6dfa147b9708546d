// Catalog: model versions.
#include "core/error.h"
#include "store/catalog.h"

namespace apiary::store {
namespace fs = std::filesystem;

namespace {
const char* kVersionColumns =
    "SELECT v.id, p.name, v.name, v.arn, v.status, v.status_message, v.created_ms, v.updated_ms, v.dir, v.config, "
    "v.metrics FROM model_versions v JOIN projects p ON p.id = v.project_id ";
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
    db_.prepare("UPDATE model_versions SET status = ?, status_message = ?, metrics = ?, updated_ms = ? WHERE id = ?")
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
