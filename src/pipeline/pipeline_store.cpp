#include "pipeline/pipeline_store.h"

#include <algorithm>
#include <cmath>

#include "core/arn.h"
#include "core/error.h"
#include "core/json.h"
#include "core/text.h"
#include "pipeline/pipeline_schema.h"

namespace apiary::pipeline {
namespace {

const char* kColumns =
    "SELECT name, bucket, prefix, suffixes, model, min_confidence, max_results, workers, paused, created_ms, "
    "updated_ms, review_min, review_max FROM pipelines ";

const std::vector<std::string>& default_suffixes() {
    static const std::vector<std::string> all = {".jpg", ".jpeg", ".png"};
    return all;
}

[[noreturn]] void invalid(const std::string& field, const std::string& reason) {
    throw Error(Location{"", 0, field}, reason);
}

std::string normalised_suffix(const std::string& suffix) {
    std::string s = ascii_lowercase(suffix);
    if (s.empty() || s == ".") invalid("suffixes", "a suffix must not be empty");
    if (s.front() != '.') s.insert(s.begin(), '.');
    // A result would trigger its own pipeline again.
    if (s.ends_with(".json")) invalid("suffixes", "'" + suffix + "' would match result files (.json)");
    return s;
}

// The spec as stored: checked, suffixes normalised (lower case, leading dot, no duplicates).
PipelineSpec validated(PipelineSpec spec) {
    if (!is_valid_resource_name(spec.name))
        invalid("name", "'" + spec.name + "' is not a valid pipeline name (1-255 letters, digits, '_', '.', '-')");
    if (spec.bucket.empty()) invalid("bucket", "a pipeline needs a bucket");
    const auto arn = parse_arn(spec.model);
    if (!arn || arn->kind != "version") invalid("model", "'" + spec.model + "' is not a model version ARN");
    if (spec.min_confidence && !(*spec.min_confidence >= 0 && *spec.min_confidence <= 100))
        invalid("min_confidence", "must be between 0 and 100");
    if (spec.workers < 1 || spec.workers > 16) invalid("workers", "must be between 1 and 16");
    if (spec.max_results < 0) invalid("max_results", "must be 0 (no limit) or more");
    if (spec.review_min.has_value() != spec.review_max.has_value())
        invalid("review_band", "give both ends of the review band, or neither");
    if (spec.review_min && !(*spec.review_min >= 0 && *spec.review_min <= *spec.review_max && *spec.review_max <= 100))
        invalid("review_band", "must be LOW-HIGH with 0 <= LOW <= HIGH <= 100 (percent)");
    std::vector<std::string> suffixes;
    for (const auto& s : spec.suffixes)
        if (auto n = normalised_suffix(s); std::find(suffixes.begin(), suffixes.end(), n) == suffixes.end())
            suffixes.push_back(std::move(n));
    spec.suffixes = std::move(suffixes);
    return spec;
}

PipelineSpec read_spec(const store::Statement& st) {
    PipelineSpec s;
    s.name = st.column_text(0);
    s.bucket = st.column_text(1);
    s.prefix = st.column_text(2);
    s.suffixes = Json::parse(st.column_text(3)).get<std::vector<std::string>>();
    s.model = st.column_text(4);
    if (!st.column_is_null(5)) s.min_confidence = st.column_double(5);
    s.max_results = static_cast<int>(st.column_int(6));
    s.workers = static_cast<int>(st.column_int(7));
    s.paused = st.column_int(8) != 0;
    s.created_ms = st.column_int(9);
    s.updated_ms = st.column_int(10);
    if (!st.column_is_null(11)) s.review_min = st.column_double(11);
    if (!st.column_is_null(12)) s.review_max = st.column_double(12);
    return s;
}

// Binds the fields update() may change, from position `first`: suffixes, model, min_confidence,
// max_results, workers, review_min, review_max.
void bind_settings(store::Statement& st, int first, const PipelineSpec& s) {
    st.bind(first, Json(s.suffixes).dump()).bind(first + 1, s.model);
    if (s.min_confidence)
        st.bind(first + 2, *s.min_confidence);
    else
        st.bind_null(first + 2);
    st.bind(first + 3, s.max_results).bind(first + 4, s.workers);
    for (const auto& [offset, value] : {std::pair{5, s.review_min}, std::pair{6, s.review_max}})
        value ? (void)st.bind(first + offset, *value) : (void)st.bind_null(first + offset);
}

NotFound no_such_pipeline(const std::string& name) { return NotFound("pipeline '" + name + "' does not exist"); }

}  // namespace

bool PipelineSpec::matches(const std::string& object_bucket, const std::string& key) const {
    if (object_bucket != bucket || !key.starts_with(prefix)) return false;
    const std::string lower = ascii_lowercase(key);  // byte-wise: UTF-8 keys pass untouched
    if (lower.ends_with(".json")) return false;
    const auto& wanted = suffixes.empty() ? default_suffixes() : suffixes;
    return std::any_of(wanted.begin(), wanted.end(),
                       [&](const std::string& s) { return lower.ends_with(ascii_lowercase(s)); });
}

PipelineStore::PipelineStore(const store::DataDir& dir) : db_(dir.database()) { migrate_pipeline_schema(db_); }

PipelineSpec PipelineStore::create(PipelineSpec spec) {
    spec = validated(std::move(spec));
    spec.created_ms = spec.updated_ms = now_ms();
    auto st = db_.prepare(
        "INSERT INTO pipelines (suffixes, model, min_confidence, max_results, workers, review_min, review_max, name, "
        "bucket, prefix, paused, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_settings(st, 1, spec);
    st.bind(8, spec.name).bind(9, spec.bucket).bind(10, spec.prefix).bind(11, spec.paused ? 1 : 0);
    st.bind(12, spec.created_ms).bind(13, spec.updated_ms);
    try {
        st.run();
    } catch (const Conflict&) {
        throw Conflict("pipeline '" + spec.name + "' already exists");
    }
    return spec;
}

std::vector<PipelineSpec> PipelineStore::list() {
    std::vector<PipelineSpec> out;
    auto st = db_.prepare(std::string(kColumns) + "ORDER BY name");
    while (st.step()) out.push_back(read_spec(st));
    return out;
}

PipelineSpec PipelineStore::get(const std::string& name) {
    auto st = db_.prepare(std::string(kColumns) + "WHERE name = ?");
    st.bind(1, name);
    if (!st.step()) throw no_such_pipeline(name);
    return read_spec(st);
}

PipelineSpec PipelineStore::update(const PipelineSpec& spec) {
    const PipelineSpec s = validated(spec);
    auto st = db_.prepare(
        "UPDATE pipelines SET suffixes = ?, model = ?, min_confidence = ?, max_results = ?, workers = ?, "
        "review_min = ?, review_max = ?, updated_ms = ? WHERE name = ?");
    bind_settings(st, 1, s);
    st.bind(8, now_ms()).bind(9, s.name).run();
    if (db_.changes() == 0) throw no_such_pipeline(s.name);
    return get(s.name);
}

void PipelineStore::set_paused(const std::string& name, bool paused) {
    db_.prepare("UPDATE pipelines SET paused = ?, updated_ms = ? WHERE name = ?")
        .bind(1, paused ? 1 : 0)
        .bind(2, now_ms())
        .bind(3, name)
        .run();
    if (db_.changes() == 0) throw no_such_pipeline(name);
}

void PipelineStore::remove(const std::string& name) {
    store::Transaction tx(db_);
    db_.prepare("DELETE FROM pipelines WHERE name = ?").bind(1, name).run();
    if (db_.changes() == 0) throw no_such_pipeline(name);  // rolls back
    db_.prepare("DELETE FROM pipeline_messages WHERE pipeline = ?").bind(1, name).run();
    db_.prepare("DELETE FROM pipeline_reviews WHERE pipeline = ?").bind(1, name).run();
    tx.commit();
}

std::vector<PipelineSpec> PipelineStore::matching(store::Database& db, const std::string& bucket,
                                                  const std::string& key) {
    std::vector<PipelineSpec> out;
    auto st = db.prepare(std::string(kColumns) + "WHERE bucket = ? ORDER BY name");
    st.bind(1, bucket);
    while (st.step())
        if (auto spec = read_spec(st); spec.matches(bucket, key)) out.push_back(std::move(spec));
    return out;
}

}  // namespace apiary::pipeline
