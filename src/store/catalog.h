#pragma once
// The metadata catalogue: projects, their train/test datasets and dataset entries, backed by
// SQLite. Every change is one transaction, so a crash mid-import leaves the previous state.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/arn.h"
#include "data/entry.h"
#include "data/import.h"
#include "store/data_dir.h"
#include "store/image_store.h"
#include "store/sqlite.h"
#include "store/version_status.h"

namespace apiary::store {

struct ProjectInfo {
    int64_t id = 0;
    std::string name;
    std::string arn;
    int64_t created_ms = 0;
    std::string feature = "CUSTOM_LABELS";  // CreateProject's Feature
    std::string auto_update;                // CreateProject's AutoUpdate ("" when not given)
};

struct DatasetInfo {
    int64_t id = 0;
    std::string project;
    std::string type;  // "train" or "test"
    std::string arn;
    data::TaskType task = data::TaskType::ObjectDetection;
    int64_t created_ms = 0;
    int64_t updated_ms = 0;
    int64_t entries = 0;
    int64_t last_import_errors = 0;
    std::string last_import_report;  // path of the JSON Lines issue report
    // The reference service's lifecycle: CREATE_COMPLETE, UPDATE_COMPLETE, UPDATE_FAILED, ...
    std::string status = "CREATE_COMPLETE";
    std::string status_message;
    std::string status_code = "SUCCESS";  // SUCCESS, CLIENT_ERROR, SERVICE_ERROR
};

struct LabelStat {
    std::string label;
    int64_t images = 0;
    int64_t boxes = 0;
};

// One trained (or training) model of a project. Status names are the reference service's.
struct VersionInfo {
    int64_t id = 0;
    std::string project;
    std::string name;
    std::string arn;
    VersionStatus status = VersionStatus::TrainingInProgress;
    std::string status_message;
    int64_t created_ms = 0;
    int64_t updated_ms = 0;
    int64_t training_end_ms = 0;  // when training ended (0 while it runs); never moves after
    std::string dir;  // model directory (absolute; stored relative to the data directory)
    Json config = Json::object();
    Json metrics = Json::object();
};

// A project policy (PutProjectPolicy): a named JSON document with the revision id it was
// last written under.
struct PolicyInfo {
    std::string name;
    std::string revision_id;
    std::string document;
    int64_t created_ms = 0;
    int64_t updated_ms = 0;
};

struct ImportSummary {
    int64_t added = 0;    // entries new to the project
    int64_t updated = 0;  // entries whose image was already there (annotations replaced)
    int64_t to_train = 0;
    int64_t to_test = 0;
};

class Catalog {
public:
    explicit Catalog(const DataDir& dir);

    const DataDir& dir() const { return dir_; }
    Database& db() { return db_; }
    const ArnScope& scope() const { return scope_; }

    // Projects, addressed by name or ARN. NotFound / Conflict errors name the project.
    ProjectInfo create_project(const std::string& name, const std::string& feature = "CUSTOM_LABELS",
                               const std::string& auto_update = "");
    std::vector<ProjectInfo> list_projects();
    ProjectInfo project(const std::string& name_or_arn);
    void delete_project(const std::string& name_or_arn);

    std::vector<DatasetInfo> datasets(const ProjectInfo& project);
    std::optional<DatasetInfo> find_dataset(const ProjectInfo& project, const std::string& type);
    DatasetInfo dataset(const ProjectInfo& project, const std::string& type);  // NotFound if absent
    void delete_dataset(const DatasetInfo& dataset);

    // Stores `report`'s entries: into `type` when given, else test-split entries into the test
    // dataset and the rest into train. Entries are identified by source-ref, as the reference
    // service's UpdateDatasetEntries does: one already in the project is replaced (and moves
    // datasets if it must), so train and test never share an entry.
    // `move` false keeps an entry that another dataset of the project holds there too (CreateDataset
    // copying the project's other dataset copies, as the reference service does).
    ImportSummary import(const ProjectInfo& project, const data::ImportReport& report,
                         const std::optional<std::string>& type, const std::string& report_path, bool move = true);

    // Lines an API import rejected (each a manifest line with its "errors"), by source-ref; a
    // later successful import of the same source-ref removes it.
    void set_rejected(const DatasetInfo& dataset, const std::vector<std::pair<std::string, std::string>>& lines);
    std::vector<std::string> rejected(const DatasetInfo& dataset);

    std::vector<data::Entry> entries(const DatasetInfo& dataset);
    void set_dataset_status(const DatasetInfo& dataset, const std::string& status, const std::string& message,
                            const std::string& code);
    // The entry with this source-ref (as the user gave it), if the dataset holds one.
    std::optional<data::Entry> entry(const DatasetInfo& dataset, const std::string& source_ref);
    std::vector<LabelStat> labels(const DatasetInfo& dataset);

    // Moves the project's entries between train and test as each entry's `split` says
    // (entries are matched by source-ref; Unassigned ones stay where they are).
    void redistribute(const ProjectInfo& project, const std::vector<data::Entry>& entries);

    // Model versions, addressed by name or version ARN. Newest first in lists.
    VersionInfo create_version(const ProjectInfo& project, const std::string& name, const Json& config);
    std::vector<VersionInfo> versions(const ProjectInfo& project);
    VersionInfo version(const ProjectInfo& project, const std::string& name_or_arn);  // NotFound
    VersionInfo latest_completed_version(const ProjectInfo& project);                   // NotFound
    void update_version(const VersionInfo& version, VersionStatus status, const std::string& message,
                        const Json& metrics);
    void set_version_config(const VersionInfo& version, const Json& config);
    void delete_version(const VersionInfo& version);
    // The entries a version trains (`role` "train") and is tested on ("test"): a copy taken when
    // it is created, so later dataset edits and the automatic test split change no dataset and
    // no other version. Empty for versions made before Apiary kept copies.
    void set_version_entries(const VersionInfo& version, const std::string& role, const std::vector<data::Entry>& entries);
    std::vector<data::Entry> version_entries(const VersionInfo& version, const std::string& role);
    // A new version of `project` named `name` holding a copy of `source`'s model directory, its
    // entries, config and metrics (CopyProjectVersion); COPYING_IN_PROGRESS until the caller has
    // copied the model directory and sets COPYING_COMPLETED.
    VersionInfo copy_version(const VersionInfo& source, const ProjectInfo& project, const std::string& name,
                             const Json& config);

    // Project policies, in name order.
    std::vector<PolicyInfo> policies(const ProjectInfo& project);
    std::optional<PolicyInfo> policy(const ProjectInfo& project, const std::string& name);
    // Writes the policy under a new revision id and returns it.
    PolicyInfo put_policy(const ProjectInfo& project, const std::string& name, const std::string& document);
    void delete_policy(const ProjectInfo& project, const std::string& name);
    // Tags of a project, dataset or version ARN (TagResource and friends). Up to the caller to
    // check the resource exists.
    std::map<std::string, std::string> tags(const std::string& arn);
    void set_tags(const std::string& arn, const std::map<std::string, std::string>& tags);
    void remove_tags(const std::string& arn, const std::vector<std::string>& keys);

    // The model directory a version of `project` named `name` lives in.
    std::filesystem::path version_dir(const std::string& project, const std::string& name) const;

private:
    VersionInfo read_version(Statement& st);
    // An entry row of `entries` or `version_entries`, selected as kEntryColumns.
    static constexpr const char* kEntryColumns = "sha256, blob, source_ref, format, width, height, bytes, annotations";
    data::Entry read_entry(Statement& st, data::Split split);
    DatasetInfo ensure_dataset(const ProjectInfo& project, const std::string& type, data::TaskType task);
    DatasetInfo read_dataset(Statement& st);

    DataDir dir_;
    Database db_;
    ImageStore images_;
    ArnScope scope_;
};

// The JSON stored in entries.annotations, and back.
std::string annotations_to_json(const data::Entry& entry);
void annotations_from_json(const std::string& json, data::Entry& entry);

data::TaskType parse_task(const std::string& name);

}  // namespace apiary::store
