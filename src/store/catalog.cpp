#include "store/catalog.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/error.h"
#include "core/json.h"
#include "store/migrations.h"

namespace apiary::store {
namespace fs = std::filesystem;

namespace {

const char* kDatasetColumns =
    "SELECT d.id, p.name, d.type, d.arn, d.task, d.created_ms, d.updated_ms, d.last_import_errors, "
    "d.last_import_report, (SELECT COUNT(*) FROM entries e WHERE e.dataset_id = d.id), d.status, d.status_message, "
    "d.status_code "
    "FROM datasets d JOIN projects p ON p.id = d.project_id ";

constexpr const char* kProjectColumns = "SELECT id, name, arn, created_ms, feature, auto_update FROM projects ";

ProjectInfo read_project(Statement& st) {
    return ProjectInfo{st.column_int(0), st.column_text(1), st.column_text(2), st.column_int(3), st.column_text(4),
                       st.column_text(5)};
}

std::string extension_for(const vision::ImageInfo& info) {
    return info.format == vision::ImageFormat::Png ? "png" : "jpg";
}

}  // namespace

data::TaskType parse_task(const std::string& name) {
    for (auto t : {data::TaskType::ObjectDetection, data::TaskType::Classification,
                   data::TaskType::MultiLabelClassification})
        if (data::to_string(t) == name) return t;
    throw Error("unknown task type in database: " + name);
}

std::string annotations_to_json(const data::Entry& entry) {
    Json objects = Json::array();
    for (const auto& o : entry.objects)
        objects.push_back({{"label", o.label},
                           {"left", o.box.left},
                           {"top", o.box.top},
                           {"width", o.box.width},
                           {"height", o.box.height}});
    Json out{{"objects", objects}, {"labels", entry.labels}};
    if (!entry.label_attribute.empty()) out["attribute"] = entry.label_attribute;
    if (!entry.label_metadata.is_null()) out["metadata"] = entry.label_metadata;
    return out.dump();
}

void annotations_from_json(const std::string& text, data::Entry& entry) {
    const auto j = Json::parse(text);
    entry.objects.clear();
    for (const auto& o : j.at("objects"))
        entry.objects.push_back({o.at("label").get<std::string>(),
                                 Box{o.at("left").get<double>(), o.at("top").get<double>(),
                                     o.at("width").get<double>(), o.at("height").get<double>()}});
    entry.labels = j.at("labels").get<std::vector<std::string>>();
    entry.label_attribute = j.value("attribute", "");
    entry.label_metadata = j.value("metadata", Json());
}

Catalog::Catalog(const DataDir& dir)
    : dir_(dir), db_(dir.database()), images_(dir.images()), scope_(ArnScope::from_environment()) {
    migrate(db_);
}

ProjectInfo Catalog::create_project(const std::string& name, const std::string& feature,
                                    const std::string& auto_update) {
    if (!is_valid_resource_name(name))
        throw Error(Location{"", 0, "project name"},
                    "'" + name + "' is not a valid project name (1-255 letters, digits, '_', '.', '-')");
    const int64_t created = now_ms();
    ProjectInfo p{0, name, project_arn(scope_, name, created), created, feature, auto_update};
    auto st = db_.prepare("INSERT INTO projects (name, arn, created_ms, feature, auto_update) VALUES (?, ?, ?, ?, ?)");
    try {
        st.bind(1, p.name).bind(2, p.arn).bind(3, p.created_ms).bind(4, p.feature).bind(5, p.auto_update).run();
    } catch (const Conflict&) {
        throw Conflict("project '" + name + "' already exists");
    }
    p.id = db_.last_insert_id();
    return p;
}

std::vector<ProjectInfo> Catalog::list_projects() {
    std::vector<ProjectInfo> out;
    auto st = db_.prepare(std::string(kProjectColumns) + "ORDER BY created_ms, id");
    while (st.step()) out.push_back(read_project(st));
    return out;
}

ProjectInfo Catalog::project(const std::string& name_or_arn) {
    std::string name = name_or_arn;
    if (auto arn = parse_arn(name_or_arn)) name = arn->project;
    auto st = db_.prepare(std::string(kProjectColumns) + "WHERE name = ?");
    st.bind(1, name);
    if (!st.step()) throw NotFound("project '" + name_or_arn + "' does not exist");
    return read_project(st);
}

void Catalog::delete_project(const std::string& name_or_arn) {
    const ProjectInfo p = project(name_or_arn);
    Transaction tx(db_);
    // Exact ARNs, read before the cascade removes the rows naming them: an ARN prefix would also
    // match project "bee-detection" when deleting "bee" (and LIKE treats _ and % as wildcards).
    db_.prepare("DELETE FROM tags WHERE resource_arn = ?1 "
                "OR resource_arn IN (SELECT arn FROM datasets WHERE project_id = ?2) "
                "OR resource_arn IN (SELECT arn FROM model_versions WHERE project_id = ?2)")
        .bind(1, p.arn)
        .bind(2, p.id)
        .run();
    db_.prepare("DELETE FROM projects WHERE id = ?").bind(1, p.id).run();
    tx.commit();
    // Images are content addressed and may be shared with other projects; model files are not.
    std::error_code ec;
    fs::remove_all(dir_.models() / p.name, ec);
}

DatasetInfo Catalog::read_dataset(Statement& st) {
    DatasetInfo d;
    d.id = st.column_int(0);
    d.project = st.column_text(1);
    d.type = st.column_text(2);
    d.arn = st.column_text(3);
    d.task = parse_task(st.column_text(4));
    d.created_ms = st.column_int(5);
    d.updated_ms = st.column_int(6);
    d.last_import_errors = st.column_int(7);
    d.last_import_report = st.column_text(8);
    d.entries = st.column_int(9);
    d.status = st.column_text(10);
    d.status_message = st.column_text(11);
    d.status_code = st.column_text(12);
    return d;
}

void Catalog::set_dataset_status(const DatasetInfo& dataset, const std::string& status, const std::string& message,
                                 const std::string& code) {
    db_.prepare("UPDATE datasets SET status = ?, status_message = ?, status_code = ? WHERE id = ?")
        .bind(1, status)
        .bind(2, message)
        .bind(3, code)
        .bind(4, dataset.id)
        .run();
}

std::vector<DatasetInfo> Catalog::datasets(const ProjectInfo& project) {
    std::vector<DatasetInfo> out;
    auto st = db_.prepare(std::string(kDatasetColumns) + "WHERE d.project_id = ? ORDER BY d.type DESC");
    st.bind(1, project.id);
    while (st.step()) out.push_back(read_dataset(st));
    return out;
}

std::optional<DatasetInfo> Catalog::find_dataset(const ProjectInfo& project, const std::string& type) {
    auto st = db_.prepare(std::string(kDatasetColumns) + "WHERE d.project_id = ? AND d.type = ?");
    st.bind(1, project.id).bind(2, type);
    if (!st.step()) return std::nullopt;
    return read_dataset(st);
}

DatasetInfo Catalog::dataset(const ProjectInfo& project, const std::string& type) {
    if (type != "train" && type != "test")
        throw Error(Location{"", 0, "dataset type"}, "'" + type + "' is not a dataset type (train or test)");
    auto d = find_dataset(project, type);
    if (!d) throw NotFound("project '" + project.name + "' has no " + type + " dataset");
    return *d;
}

void Catalog::delete_dataset(const DatasetInfo& dataset) {
    Transaction tx(db_);
    db_.prepare("DELETE FROM tags WHERE resource_arn = ?").bind(1, dataset.arn).run();
    db_.prepare("DELETE FROM datasets WHERE id = ?").bind(1, dataset.id).run();
    tx.commit();
}

DatasetInfo Catalog::ensure_dataset(const ProjectInfo& project, const std::string& type, data::TaskType task) {
    if (auto d = find_dataset(project, type)) return *d;
    const int64_t created = now_ms();
    db_.prepare("INSERT INTO datasets (project_id, type, arn, task, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, project.id)
        .bind(2, type)
        .bind(3, dataset_arn(scope_, project.name, type, created))
        .bind(4, data::to_string(task))
        .bind(5, created)
        .bind(6, created)
        .run();
    return dataset(project, type);
}

ImportSummary Catalog::import(const ProjectInfo& project, const data::ImportReport& report,
                              const std::optional<std::string>& type, const std::string& report_path, bool move) {
    if (type && *type != "train" && *type != "test")
        throw Error(Location{"", 0, "dataset type"}, "'" + *type + "' is not a dataset type (train or test)");
    // Labelled entries decide a dataset's task; unlabelled ones (a source-ref only) fit any. A
    // dataset created empty (CreateDataset without a source) takes the task of the first labels
    // it receives: it was made an object-detection dataset only because it had to be something.
    const bool labelled = std::any_of(report.entries.begin(), report.entries.end(),
                                      [](const data::Entry& e) { return !e.all_labels().empty(); });
    auto has_labels = db_.prepare(
        "SELECT 1 FROM entries e JOIN entry_labels l ON l.entry_id = e.id WHERE e.dataset_id = ? LIMIT 1");
    data::TaskType task = report.task;
    for (const auto& d : datasets(project)) {
        has_labels.bind(1, d.id);
        const bool has = has_labels.step();
        has_labels.reset();
        if (labelled && d.task != report.task && has)
            throw Conflict("project '" + project.name + "' holds " + data::to_string(d.task) +
                           " data; cannot import " + data::to_string(report.task) + " entries into it");
        if (!labelled) task = d.task;
    }

    // Copy images first: content addressed and atomic, so a crash here leaves only unreferenced
    // files behind, never a row pointing at a missing image.
    std::vector<std::string> keys;
    keys.reserve(report.entries.size());
    for (const auto& e : report.entries) keys.push_back(images_.put(e.image_path, e.sha256, extension_for(e.image)));
    images_.flush();

    ImportSummary summary;
    Transaction tx(db_);
    if (labelled)
        db_.prepare("UPDATE datasets SET task = ?1 WHERE project_id = ?2 AND NOT EXISTS (SELECT 1 FROM entries e "
                    "JOIN entry_labels l ON l.entry_id = e.id WHERE e.dataset_id = datasets.id)")
            .bind(1, data::to_string(report.task))
            .bind(2, project.id)
            .run();
    std::map<std::string, DatasetInfo> targets;
    auto target_for = [&](const data::Entry& e) -> const DatasetInfo& {
        const std::string t = type ? *type : (e.split == data::Split::Test ? "test" : "train");
        auto it = targets.find(t);
        if (it == targets.end()) it = targets.emplace(t, ensure_dataset(project, t, task)).first;
        return it->second;
    };
    auto remove_elsewhere = db_.prepare(
        "DELETE FROM entries WHERE source_ref = ? AND dataset_id != ? AND dataset_id IN "
        "(SELECT id FROM datasets WHERE project_id = ?)");
    auto upsert = db_.prepare(
        "INSERT INTO entries (dataset_id, sha256, blob, source_ref, format, width, height, bytes, annotations) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (dataset_id, source_ref) DO UPDATE SET sha256 = excluded.sha256, blob = excluded.blob, "
        "format = excluded.format, width = excluded.width, height = excluded.height, bytes = excluded.bytes, "
        "annotations = excluded.annotations RETURNING id");
    auto exists = db_.prepare("SELECT 1 FROM entries WHERE dataset_id = ? AND source_ref = ?");
    auto no_longer_rejected = db_.prepare("DELETE FROM rejected_entries WHERE dataset_id = ? AND source_ref = ?");
    auto clear_labels = db_.prepare("DELETE FROM entry_labels WHERE entry_id = ?");
    auto add_label = db_.prepare("INSERT INTO entry_labels (entry_id, label, boxes) VALUES (?, ?, ?)");

    for (size_t i = 0; i < report.entries.size(); ++i) {
        const auto& e = report.entries[i];
        const DatasetInfo& target = target_for(e);
        bool moved = false;
        if (move) {
            remove_elsewhere.bind(1, e.source_ref).bind(2, target.id).bind(3, project.id).run();
            moved = db_.changes() > 0;
        }
        no_longer_rejected.bind(1, target.id).bind(2, e.source_ref).run();
        exists.bind(1, target.id).bind(2, e.source_ref);
        const bool updated = moved || exists.step();
        exists.reset();
        upsert.bind(1, target.id)
            .bind(2, e.sha256)
            .bind(3, keys[i])
            .bind(4, e.source_ref)
            .bind(5, vision::to_string(e.image.format))
            .bind(6, e.image.width)
            .bind(7, e.image.height)
            .bind(8, e.image.bytes)
            .bind(9, annotations_to_json(e));
        upsert.step();
        const int64_t entry_id = upsert.column_int(0);
        upsert.reset();
        std::map<std::string, int64_t> boxes;
        for (const auto& l : e.all_labels()) boxes[l] = 0;
        for (const auto& o : e.objects) ++boxes[o.label];
        clear_labels.bind(1, entry_id).run();
        for (const auto& [label, n] : boxes) add_label.bind(1, entry_id).bind(2, label).bind(3, n).run();
        (updated ? summary.updated : summary.added)++;
        (target.type == "test" ? summary.to_test : summary.to_train)++;
    }
    const int64_t now = now_ms();
    auto touch = db_.prepare(
        "UPDATE datasets SET updated_ms = ?, last_import_errors = ?, last_import_report = ? WHERE id = ?");
    for (const auto& [t, d] : targets)
        touch.bind(1, now).bind(2, static_cast<int64_t>(report.rejected())).bind(3, report_path).bind(4, d.id).run();
    if (targets.empty()) {  // nothing valid: still record the attempt on the train dataset
        const auto& d = ensure_dataset(project, type.value_or("train"), task);
        touch.bind(1, now).bind(2, static_cast<int64_t>(report.rejected())).bind(3, report_path).bind(4, d.id).run();
    }
    tx.commit();
    return summary;
}

data::Entry Catalog::read_entry(Statement& st, data::Split split) {
    data::Entry e;
    e.sha256 = st.column_text(0);
    e.image_path = images_.path(st.column_text(1));
    e.source_ref = st.column_text(2);
    e.image.format = st.column_text(3) == "png" ? vision::ImageFormat::Png : vision::ImageFormat::Jpeg;
    e.image.width = static_cast<int>(st.column_int(4));
    e.image.height = static_cast<int>(st.column_int(5));
    e.image.bytes = st.column_int(6);
    e.image.complete = true;
    e.split = split;
    annotations_from_json(st.column_text(7), e);
    return e;
}

namespace {
data::Split split_of(const DatasetInfo& dataset) { return dataset.type == "test" ? data::Split::Test : data::Split::Train; }
}  // namespace

std::vector<data::Entry> Catalog::entries(const DatasetInfo& dataset) {
    std::vector<data::Entry> out;
    auto st = db_.prepare(std::string("SELECT ") + kEntryColumns + " FROM entries WHERE dataset_id = ? ORDER BY id");
    st.bind(1, dataset.id);
    while (st.step()) out.push_back(read_entry(st, split_of(dataset)));
    return out;
}

std::optional<data::Entry> Catalog::entry(const DatasetInfo& dataset, const std::string& source_ref) {
    auto st = db_.prepare(std::string("SELECT ") + kEntryColumns + " FROM entries WHERE dataset_id = ? AND source_ref = ?");
    st.bind(1, dataset.id);
    st.bind(2, source_ref);
    if (!st.step()) return std::nullopt;
    return read_entry(st, split_of(dataset));
}

void Catalog::set_rejected(const DatasetInfo& dataset, const std::vector<std::pair<std::string, std::string>>& lines) {
    Transaction tx(db_);
    auto st = db_.prepare(
        "INSERT INTO rejected_entries (dataset_id, source_ref, line) VALUES (?, ?, ?) "
        "ON CONFLICT (dataset_id, source_ref) DO UPDATE SET line = excluded.line");
    for (const auto& [ref, line] : lines) st.bind(1, dataset.id).bind(2, ref).bind(3, line).run();
    tx.commit();
}

std::vector<std::string> Catalog::rejected(const DatasetInfo& dataset) {
    std::vector<std::string> out;
    auto st = db_.prepare("SELECT line FROM rejected_entries WHERE dataset_id = ? ORDER BY id");
    st.bind(1, dataset.id);
    while (st.step()) out.push_back(st.column_text(0));
    return out;
}

std::vector<LabelStat> Catalog::labels(const DatasetInfo& dataset) {
    std::vector<LabelStat> out;
    auto st = db_.prepare(
        "SELECT l.label, COUNT(*), SUM(l.boxes) FROM entry_labels l JOIN entries e ON e.id = l.entry_id "
        "WHERE e.dataset_id = ? GROUP BY l.label ORDER BY l.label");
    st.bind(1, dataset.id);
    while (st.step()) out.push_back({st.column_text(0), st.column_int(1), st.column_int(2)});
    return out;
}

void Catalog::redistribute(const ProjectInfo& project, const std::vector<data::Entry>& entries) {
    data::TaskType task = data::TaskType::ObjectDetection;
    for (const auto& d : datasets(project))
        if (d.entries > 0) task = d.task;
    Transaction tx(db_);
    const DatasetInfo train = ensure_dataset(project, "train", task);
    const DatasetInfo test = ensure_dataset(project, "test", task);
    auto move = db_.prepare(
        "UPDATE entries SET dataset_id = ? WHERE source_ref = ? AND dataset_id IN (?, ?)");
    for (const auto& e : entries) {
        if (e.split == data::Split::Unassigned) continue;
        move.bind(1, e.split == data::Split::Test ? test.id : train.id)
            .bind(2, e.source_ref)
            .bind(3, train.id)
            .bind(4, test.id)
            .run();
    }
    db_.prepare("UPDATE datasets SET updated_ms = ? WHERE id IN (?, ?)")
        .bind(1, now_ms())
        .bind(2, train.id)
        .bind(3, test.id)
        .run();
    tx.commit();
}

}  // namespace apiary::store
