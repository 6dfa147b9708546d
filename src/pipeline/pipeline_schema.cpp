#include "pipeline/pipeline_schema.h"

#include "store/migrations.h"

namespace apiary::pipeline {
namespace {

// Append new steps; never edit a released one. Steps 1 and 2 were steps 3 and 4 of the store's
// list before each component owned its migrations (store/migrations.cpp maps old databases).
store::SchemaComponent pipeline_schema() {
    return {"pipeline",
            {
        // 1: pipelines and their message queue. A message is 'queued' until
        // acked ('done') or out of attempts ('dead'); while queued, visible_at_ms hides it during
        // a delivery (visibility timeout) or a retry's back-off. received_ms is set while a
        // delivery is outstanding and cleared when it fails. Messages carry the pipeline's name
        // without a foreign key: deleting a pipeline deletes them explicitly.
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
        // 2: encryption at rest (core/encryption.h). A message stored under a key keeps bucket, key
        // and etag only in `sealed` (base64 of the AES-256-GCM value; NULL when stored in plain
        // text).
        R"sql(
        ALTER TABLE pipeline_messages ADD COLUMN sealed TEXT;
        )sql",
        // 3: a sealed value bound to its row's id (sealed_binds_id = 1), so that it cannot be moved
        // to another row; 0 for values sealed before, bound to the pipeline name only. Indexes for
        // pruning done messages past their retention and for the status's last error.
        R"sql(
        ALTER TABLE pipeline_messages ADD COLUMN sealed_binds_id INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX pipeline_messages_by_finish ON pipeline_messages(state, finished_ms);
        CREATE INDEX pipeline_messages_by_failure ON pipeline_messages(pipeline, failed_ms)
            WHERE failed_ms IS NOT NULL;
        )sql",
        // 4: a review band per pipeline (percent; NULL: no review), and the images whose best
        // confidence fell in it, waiting for a person ('pending') until accepted into the model's
        // training dataset or rejected, with who did it and when.
        R"sql(
        ALTER TABLE pipelines ADD COLUMN review_min REAL;
        ALTER TABLE pipelines ADD COLUMN review_max REAL;
        CREATE TABLE pipeline_reviews (
            id              INTEGER PRIMARY KEY,
            pipeline        TEXT NOT NULL,
            bucket          TEXT NOT NULL,
            key             TEXT NOT NULL,
            model           TEXT NOT NULL,
            best_confidence REAL NOT NULL,
            state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'rejected')),
            created_ms      INTEGER NOT NULL,
            reviewer        TEXT,
            reviewed_ms     INTEGER,
            UNIQUE (pipeline, bucket, key)
        );
        CREATE INDEX pipeline_reviews_by_state ON pipeline_reviews(state, id);
        )sql",
            }};
}

}  // namespace

void migrate_pipeline_schema(store::Database& db) {
    static const store::SchemaComponent schema = pipeline_schema();
    store::migrate(db, schema);
}

}  // namespace apiary::pipeline
