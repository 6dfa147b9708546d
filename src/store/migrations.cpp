#include "store/migrations.h"

#include <string>
#include <vector>

#include "core/error.h"

namespace apiary::store {
namespace {

// Append new steps; never edit a released one.
std::vector<std::string> store_steps() {
    return {
        // 1: projects, datasets, entries, labels, model versions, jobs, tags.
        R"sql(
        CREATE TABLE projects (
            id          INTEGER PRIMARY KEY,
            name        TEXT NOT NULL UNIQUE,
            arn         TEXT NOT NULL UNIQUE,
            created_ms  INTEGER NOT NULL
        );
        CREATE TABLE datasets (
            id              INTEGER PRIMARY KEY,
            project_id      INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            type            TEXT NOT NULL CHECK (type IN ('train', 'test')),
            arn             TEXT NOT NULL UNIQUE,
            task            TEXT NOT NULL,
            created_ms      INTEGER NOT NULL,
            updated_ms      INTEGER NOT NULL,
            last_import_errors INTEGER NOT NULL DEFAULT 0,
            last_import_report TEXT NOT NULL DEFAULT '',
            UNIQUE (project_id, type)
        );
        CREATE TABLE entries (
            id          INTEGER PRIMARY KEY,
            dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
            sha256      TEXT NOT NULL,
            blob        TEXT NOT NULL,
            source_ref  TEXT NOT NULL,
            format      TEXT NOT NULL,
            width       INTEGER NOT NULL,
            height      INTEGER NOT NULL,
            bytes       INTEGER NOT NULL,
            annotations TEXT NOT NULL,
            UNIQUE (dataset_id, source_ref)
        );
        CREATE INDEX entries_by_sha256 ON entries(sha256);
        CREATE TABLE entry_labels (
            entry_id    INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            label       TEXT NOT NULL,
            boxes       INTEGER NOT NULL,
            PRIMARY KEY (entry_id, label)
        );
        CREATE INDEX entry_labels_by_label ON entry_labels(label);
        CREATE TABLE model_versions (
            id              INTEGER PRIMARY KEY,
            project_id      INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            name            TEXT NOT NULL,
            arn             TEXT NOT NULL UNIQUE,
            status          TEXT NOT NULL,
            status_message  TEXT NOT NULL DEFAULT '',
            created_ms      INTEGER NOT NULL,
            updated_ms      INTEGER NOT NULL,
            dir             TEXT NOT NULL DEFAULT '',
            config          TEXT NOT NULL DEFAULT '{}',
            metrics         TEXT NOT NULL DEFAULT '{}',
            UNIQUE (project_id, name)
        );
        CREATE TABLE jobs (
            id              INTEGER PRIMARY KEY,
            kind            TEXT NOT NULL,
            resource_arn    TEXT NOT NULL,
            status          TEXT NOT NULL,
            message         TEXT NOT NULL DEFAULT '',
            payload         TEXT NOT NULL DEFAULT '{}',
            created_ms      INTEGER NOT NULL,
            updated_ms      INTEGER NOT NULL
        );
        CREATE TABLE tags (
            resource_arn    TEXT NOT NULL,
            key             TEXT NOT NULL,
            value           TEXT NOT NULL,
            PRIMARY KEY (resource_arn, key)
        );
        )sql",
        // 2: S3 buckets, objects and multipart uploads (bytes live in blob files named by `blob`,
        // relative to the data directory); access keys for SigV4. Keys compare with the BINARY
        // collation, i.e. in UTF-8 byte order as S3 lists them, and the (bucket, key) primary key
        // serves prefix listings as range scans.
        R"sql(
        CREATE TABLE buckets (
            name        TEXT PRIMARY KEY,
            created_ms  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE objects (
            bucket       TEXT NOT NULL REFERENCES buckets(name),
            key          TEXT NOT NULL COLLATE BINARY,
            size         INTEGER NOT NULL,
            etag         TEXT NOT NULL,
            content_type TEXT NOT NULL,
            metadata     TEXT NOT NULL DEFAULT '{}',
            modified_ms  INTEGER NOT NULL,
            blob         TEXT NOT NULL,
            PRIMARY KEY (bucket, key)
        ) WITHOUT ROWID;
        CREATE TABLE multipart_uploads (
            upload_id    TEXT PRIMARY KEY,
            bucket       TEXT NOT NULL REFERENCES buckets(name),
            key          TEXT NOT NULL,
            content_type TEXT NOT NULL,
            metadata     TEXT NOT NULL DEFAULT '{}',
            created_ms   INTEGER NOT NULL
        );
        CREATE INDEX multipart_uploads_by_bucket ON multipart_uploads(bucket, key);
        CREATE TABLE multipart_parts (
            upload_id    TEXT NOT NULL REFERENCES multipart_uploads(upload_id) ON DELETE CASCADE,
            part_number  INTEGER NOT NULL CHECK (part_number BETWEEN 1 AND 10000),
            size         INTEGER NOT NULL,
            etag         TEXT NOT NULL,
            modified_ms  INTEGER NOT NULL,
            blob         TEXT NOT NULL,
            PRIMARY KEY (upload_id, part_number)
        ) WITHOUT ROWID;
        CREATE TABLE access_keys (
            id          TEXT PRIMARY KEY,
            secret      TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            created_ms  INTEGER NOT NULL
        ) WITHOUT ROWID;
        )sql",
        // 3: encryption at rest (core/encryption.h): an object's blob with encrypted = 1 holds the
        // sealed bytes, while size and etag stay those of the plaintext.
        R"sql(
        ALTER TABLE objects ADD COLUMN encrypted INTEGER NOT NULL DEFAULT 0;
        )sql",
        // 4: the jobs table of step 1 was never used (training jobs live in model_versions).
        R"sql(
        DROP TABLE jobs;
        )sql",
        // 5: a dataset's lifecycle as the reference service reports it (CREATE_COMPLETE,
        // UPDATE_COMPLETE, UPDATE_FAILED, ...) with its message and message code.
        R"sql(
        ALTER TABLE datasets ADD COLUMN status TEXT NOT NULL DEFAULT 'CREATE_COMPLETE';
        ALTER TABLE datasets ADD COLUMN status_message TEXT NOT NULL DEFAULT 'The dataset was successfully created.';
        ALTER TABLE datasets ADD COLUMN status_code TEXT NOT NULL DEFAULT 'SUCCESS';
        )sql",
        // 6: what the reference API reports beside them. A version's training end, fixed when
        // training ends (updated_ms moves with every start and stop); the entries each version
        // was trained and tested on (a copy: the user's datasets are never rewritten by training);
        // a project's Feature/AutoUpdate; project policies with their revision ids; the lines an
        // API import rejected, with their errors (ListDatasetEntries HasErrors).
        R"sql(
        ALTER TABLE model_versions ADD COLUMN training_end_ms INTEGER NOT NULL DEFAULT 0;
        UPDATE model_versions SET training_end_ms = updated_ms WHERE status != 'TRAINING_IN_PROGRESS';
        CREATE TABLE version_entries (
            id          INTEGER PRIMARY KEY,
            version_id  INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
            role        TEXT NOT NULL CHECK (role IN ('train', 'test')),
            sha256      TEXT NOT NULL,
            blob        TEXT NOT NULL,
            source_ref  TEXT NOT NULL,
            format      TEXT NOT NULL,
            width       INTEGER NOT NULL,
            height      INTEGER NOT NULL,
            bytes       INTEGER NOT NULL,
            annotations TEXT NOT NULL,
            UNIQUE (version_id, role, source_ref)
        );
        ALTER TABLE projects ADD COLUMN feature TEXT NOT NULL DEFAULT 'CUSTOM_LABELS';
        ALTER TABLE projects ADD COLUMN auto_update TEXT NOT NULL DEFAULT '';
        CREATE TABLE project_policies (
            project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            name         TEXT NOT NULL,
            revision_id  TEXT NOT NULL,
            document     TEXT NOT NULL,
            created_ms   INTEGER NOT NULL,
            updated_ms   INTEGER NOT NULL,
            PRIMARY KEY (project_id, name)
        );
        CREATE TABLE rejected_entries (
            id          INTEGER PRIMARY KEY,
            dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
            source_ref  TEXT NOT NULL,
            line        TEXT NOT NULL,
            UNIQUE (dataset_id, source_ref)
        );
        )sql",
    };
}

// The single list released before components owned their migrations, mapped onto the
// components: user_version v had applied every step below whose `from` is at most v.
struct LegacyStep {
    int from;  // the old user_version that included it
    const char* component;
    int version;
};
constexpr LegacyStep kLegacyLayout[] = {
    {1, "store", 1},     // catalog tables (and the unused jobs table)
    {2, "store", 2},     // buckets, objects, multipart, access keys
    {3, "pipeline", 1},  // pipelines, pipeline_messages
    {4, "store", 3},     // objects.encrypted
    {4, "pipeline", 2},  // pipeline_messages.sealed
};

void refuse_newer(Database& db, const std::string& what, int have, int known) {
    throw Error(Location{db.path().string()}, what + " " + std::to_string(have) + " is newer than this apiary (" +
                                                  std::to_string(known) + "); upgrade apiary");
}

// Creates schema_versions, converting an older layout, once; later calls only check the layout.
void ensure_component_layout(Database& db) {
    if (db.user_version() == kComponentLayout) return;
    Transaction tx(db);
    const int have = db.user_version();  // again, under the write lock: another process may have won
    if (have == kComponentLayout) return;
    if (have > kComponentLayout) refuse_newer(db, "database layout version", have, kComponentLayout);
    db.exec("CREATE TABLE schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID");
    auto record = db.prepare(
        "INSERT INTO schema_versions (component, version) VALUES (?1, ?2) "
        "ON CONFLICT (component) DO UPDATE SET version = max(version, ?2)");
    for (const auto& step : kLegacyLayout)
        if (step.from <= have) record.bind(1, step.component).bind(2, step.version).run();
    db.exec("PRAGMA user_version = " + std::to_string(kComponentLayout));
    tx.commit();
}

}  // namespace

const SchemaComponent& store_schema() {
    static const SchemaComponent store{"store", store_steps()};
    return store;
}

int component_version(Database& db, const std::string& component) {
    if (db.user_version() != kComponentLayout) return 0;
    auto st = db.prepare("SELECT version FROM schema_versions WHERE component = ?");
    return st.bind(1, component).step() ? static_cast<int>(st.column_int(0)) : 0;
}

void migrate(Database& db, const SchemaComponent& component) {
    ensure_component_layout(db);
    const int newest = static_cast<int>(component.steps.size());
    if (const int have = component_version(db, component.name); have > newest)
        refuse_newer(db, "schema version of component '" + component.name + "'", have, newest);
    for (int v = component_version(db, component.name); v < newest; ++v) {
        Transaction tx(db);
        if (component_version(db, component.name) != v) continue;  // another process migrated meanwhile
        db.exec(component.steps[static_cast<size_t>(v)]);
        db.prepare("INSERT OR REPLACE INTO schema_versions (component, version) VALUES (?, ?)")
            .bind(1, component.name)
            .bind(2, v + 1)
            .run();
        tx.commit();
    }
}

void migrate(Database& db) { migrate(db, store_schema()); }

}  // namespace apiary::store
