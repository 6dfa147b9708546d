#pragma once
// Schema migrations. Each component owns its tables and their steps (the store's here, the
// pipeline's in pipeline/pipeline_schema.cpp); this runner applies any component's, one
// transaction per step, and records each component's version in the schema_versions table.
//
// PRAGMA user_version tells layouts apart: 1..4 is the single list released before components
// owned their migrations (converted on first open: see kLegacyLayout in migrations.cpp), 5 means
// "versions are in schema_versions". A layout or component version newer than this binary is
// refused rather than damaged; an older apiary refuses user_version 5 the same way.
#include <string>
#include <vector>

#include "store/sqlite.h"

namespace apiary::store {

struct SchemaComponent {
    std::string name;                // "store", "pipeline"
    std::vector<std::string> steps;  // SQL; append new steps, never edit a released one
};

// Brings `component`'s tables up to its newest step.
void migrate(Database& db, const SchemaComponent& component);
// The store's own tables: catalog, objects, access keys.
void migrate(Database& db);
const SchemaComponent& store_schema();

// How many of `component`'s steps `db` has applied (0: none, or no such component yet).
int component_version(Database& db, const std::string& component);

constexpr int kComponentLayout = 5;  // the PRAGMA user_version of a database with schema_versions

}  // namespace apiary::store
