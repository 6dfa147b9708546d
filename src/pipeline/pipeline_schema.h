#pragma once
// The pipeline component's tables (pipelines, pipeline_messages) and their migrations, applied by
// the store's runner (store/migrations.h) under the component name "pipeline".
#include "store/sqlite.h"

namespace apiary::pipeline {

// Brings the pipeline tables up to date; every pipeline class runs it on its own connection.
void migrate_pipeline_schema(store::Database& db);

}  // namespace apiary::pipeline
