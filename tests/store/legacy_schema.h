#pragma once
// The schema as released up to 300f956: four steps in one list, recorded in PRAGMA user_version
// (1..4), the pipeline's tables among the store's. Kept verbatim so that the tests can build the
// databases that older installations have and check that they upgrade.
#include <string>
#include <vector>

namespace apiary::store::legacy {

inline const std::vector<std::string>& released_steps() {
    static const std::vector<std::string> all = {
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
        R"sql(
        CREATE TABLE pipelines (
            name            TEXT PRIMARY KEY,
            bucket          TEXT NOT NULL,
            prefix          TEXT NOT NULL,
            suffixes        TEXT NOT NULL DEFAULT '[]',
            model           TEXT NOT NULL,
            min_confidence  REAL,
            max_results     INTEGER NOT NULL DEFAULT 0,
            workers         INTEGER NOT NULL DEFAULT 1,
            paused          INTEGER NOT NULL DEFAULT 0,
            created_ms      INTEGER NOT NULL,
            updated_ms      INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX pipelines_by_bucket ON pipelines(bucket);
        CREATE TABLE pipeline_messages (
            id              INTEGER PRIMARY KEY,
            pipeline        TEXT NOT NULL,
            bucket          TEXT NOT NULL,
            key             TEXT NOT NULL,
            etag            TEXT NOT NULL,
            state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'done', 'dead')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            failures        INTEGER NOT NULL DEFAULT 0,
            visible_at_ms   INTEGER NOT NULL,
            created_ms      INTEGER NOT NULL,
            received_ms     INTEGER,
            failed_ms       INTEGER,
            finished_ms     INTEGER,
            last_error      TEXT
        );
        CREATE INDEX pipeline_messages_by_visibility ON pipeline_messages(state, visible_at_ms);
        CREATE INDEX pipeline_messages_by_pipeline ON pipeline_messages(pipeline, state, finished_ms);
        )sql",
        R"sql(
        ALTER TABLE pipeline_messages ADD COLUMN sealed TEXT;
        ALTER TABLE objects ADD COLUMN encrypted INTEGER NOT NULL DEFAULT 0;
        )sql",
    };
    return all;
}

}  // namespace apiary::store::legacy
