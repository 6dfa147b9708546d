#pragma once
#include "store/sqlite.h"

namespace apiary::store {

// Brings the schema up to the newest version, one transaction per step, recorded in
// PRAGMA user_version. A database newer than this binary is refused rather than damaged.
void migrate(Database& db);

int schema_version();  // the newest version this binary knows

}  // namespace apiary::store
