// Pipeline definitions: validation that names the field, which objects a pipeline takes, and
// the stored definitions as the CLI and the server share them.
#include <gtest/gtest.h>

#include "core/error.h"
#include "pipeline_fixture.h"
#include "store/object_store.h"

namespace apiary::pipeline {
namespace {
using namespace fixtures;

// The field a validation error names, or "" if `spec` is accepted.
std::string rejected_field(PipelineStore& store, const PipelineSpec& spec) {
    try {
        store.create(spec);
    } catch (const Error& e) {
        return e.where().field;
    }
    return "";
}

TEST(PipelineSpec, MatchesItsBucketPrefixAndSuffixesCaseInsensitively) {
    PipelineSpec s = make_spec("p", "photos", "in/");
    EXPECT_TRUE(s.matches("photos", "in/a.jpg"));
    EXPECT_TRUE(s.matches("photos", "in/deep/b.JPEG"));
    EXPECT_TRUE(s.matches("photos", "in/c.Png"));
    EXPECT_FALSE(s.matches("other", "in/a.jpg"));
    EXPECT_FALSE(s.matches("photos", "out/a.jpg"));
    EXPECT_FALSE(s.matches("photos", "IN/a.jpg")) << "prefixes are case-sensitive, as S3 keys are";
    EXPECT_FALSE(s.matches("photos", "in/a.gif"));
    EXPECT_FALSE(s.matches("photos", "in/jpg"));

    s.suffixes = {".tif"};
    EXPECT_TRUE(s.matches("photos", "in/scan.TIF"));
    EXPECT_FALSE(s.matches("photos", "in/a.jpg")) << "explicit suffixes replace the defaults";
}

TEST(PipelineSpec, NeverMatchesResultFiles) {
    PipelineSpec s = make_spec("p");
    EXPECT_FALSE(s.matches("photos", "in/a.jpg.json"));
    EXPECT_FALSE(s.matches("photos", "in/a.JSON"));
    s.suffixes = {".json"};  // only reachable by bypassing the store's validation
    EXPECT_FALSE(s.matches("photos", "in/a.json"));
}

TEST(PipelineSpec, EmptyPrefixTakesTheWholeBucket) {
    const PipelineSpec s = make_spec("p", "photos", "");
    EXPECT_TRUE(s.matches("photos", "a.jpg"));
    EXPECT_TRUE(s.matches("photos", "any/depth/b.png"));
    EXPECT_FALSE(s.matches("photos", "a.jpg.json"));
}

TEST(PipelineStore, ValidationNamesTheField) {
    Fixture f;
    auto with = [](auto change) {
        PipelineSpec s = make_spec("ok");
        change(s);
        return s;
    };
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) { s.name = "no/slash"; })), "name");
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) { s.name = ""; })), "name");
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) { s.bucket = ""; })), "bucket");
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) { s.model = "bees/v1"; })), "model");
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) {
                  s.model = "arn:aws:rekognition:us-east-1:000000000000:project/bees/1700000000000";
              })),
              "model")
        << "a project ARN is not a model";
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) { s.min_confidence = 100.5; })), "min_confidence");
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) { s.min_confidence = -1; })), "min_confidence");
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) { s.workers = 0; })), "workers");
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) { s.workers = 17; })), "workers");
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) { s.max_results = -1; })), "max_results");
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) { s.suffixes = {""}; })), "suffixes");
    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) { s.suffixes = {".JSON"}; })), "suffixes");
    EXPECT_TRUE(f.pipelines.list().empty());

    EXPECT_EQ(rejected_field(f.pipelines, with([](PipelineSpec& s) {
                  s.min_confidence = 0;
                  s.workers = 16;
              })),
              "");
    EXPECT_THROW(f.pipelines.create(make_spec("ok")), Conflict);
}

TEST(PipelineStore, NormalisesSuffixes) {
    Fixture f;
    PipelineSpec s = make_spec("p");
    s.suffixes = {"JPG", ".Tif", ".jpg"};
    EXPECT_EQ(f.pipelines.create(s).suffixes, (std::vector<std::string>{".jpg", ".tif"}));
    EXPECT_EQ(f.pipelines.get("p").suffixes, (std::vector<std::string>{".jpg", ".tif"}));
}

TEST(PipelineStore, DefinitionsRoundTripAcrossReopening) {
    test::TempDir tmp;
    const store::DataDir dir(tmp / "data");
    {
        PipelineStore store(dir);
        PipelineSpec b = make_spec("b", "photos", "");
        b.min_confidence = 42.5;
        b.max_results = 3;
        b.workers = 4;
        const auto created = store.create(b);
        EXPECT_GT(created.created_ms, 0);
        store.create(make_spec("a", "scans", "x/"));

        PipelineSpec changed = created;
        changed.model = "arn:aws:rekognition:us-east-1:000000000000:project/bees/version/v2/1700000000003";
        changed.min_confidence.reset();
        changed.workers = 2;
        changed.suffixes = {".png"};
        changed.bucket = "ignored";  // not an updatable field
        const auto updated = store.update(changed);
        EXPECT_EQ(updated.bucket, "photos");
        EXPECT_GE(updated.updated_ms, created.updated_ms);
        store.set_paused("a", true);
        EXPECT_THROW(store.update(make_spec("missing")), NotFound);
        EXPECT_THROW(store.set_paused("missing", true), NotFound);
    }
    PipelineStore store(dir);
    const auto all = store.list();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].name, "a");
    EXPECT_TRUE(all[0].paused);
    EXPECT_EQ(all[0].prefix, "x/");
    const auto& b = all[1];
    EXPECT_EQ(b.model, "arn:aws:rekognition:us-east-1:000000000000:project/bees/version/v2/1700000000003");
    EXPECT_FALSE(b.min_confidence);
    EXPECT_EQ(b.max_results, 3);
    EXPECT_EQ(b.workers, 2);
    EXPECT_EQ(b.suffixes, std::vector<std::string>{".png"});
    EXPECT_FALSE(b.paused);

    store.set_paused("a", false);
    EXPECT_FALSE(store.get("a").paused);
    store.remove("a");
    EXPECT_THROW(store.get("a"), NotFound);
    EXPECT_THROW(store.remove("a"), NotFound);
    EXPECT_EQ(store.list().size(), 1u);
}

TEST(PipelineStore, RemoveDeletesItsMessagesOnly) {
    Fixture f;
    f.pipelines.create(make_spec("gone"));
    f.pipelines.create(make_spec("kept"));
    f.enqueue("gone", "in/1.jpg");
    f.enqueue("gone", "in/2.jpg");
    f.enqueue("kept", "in/1.jpg");
    f.pipelines.remove("gone");
    EXPECT_EQ(f.queue.stats("gone").queued, 0);
    EXPECT_EQ(f.queue.stats("kept").queued, 1);
}

TEST(PipelineStore, ObjectStoreHookQueuesEachMatchingPipelineInItsTransaction) {
    Fixture f;
    f.pipelines.create(make_spec("all", "photos", ""));
    f.pipelines.create(make_spec("in", "photos", "in/"));
    f.pipelines.create(make_spec("scans", "scans", ""));
    f.pipelines.set_paused("in", true);  // paused pipelines still queue their events
    store::ObjectStore objects(f.dir);
    objects.create_bucket("photos");
    const store::ObjectCreatedHook hook = [&f](store::Database& db, const store::ObjectInfo& o) {
        for (const auto& spec : PipelineStore::matching(db, o.bucket, o.key))
            f.queue.enqueue(db, Message{0, spec.name, o.bucket, o.key, o.etag, 0, o.modified_ms});
    };
    objects.put_object_bytes("photos", "in/a.jpg", "bytes", "image/jpeg", {}, hook);
    objects.put_object_bytes("photos", "top.png", "bytes", "image/png", {}, hook);
    objects.put_object_bytes("photos", "in/a.jpg.json", "{}", "application/json", {}, hook);
    EXPECT_EQ(f.queue.stats("all").queued, 2);
    EXPECT_EQ(f.queue.stats("in").queued, 1);
    EXPECT_EQ(f.queue.stats("scans").queued, 0);

    // A write that fails after the hook leaves no event behind.
    const store::ObjectCreatedHook failing = [&](store::Database& db, const store::ObjectInfo& o) {
        hook(db, o);
        throw std::runtime_error("disk full");
    };
    EXPECT_THROW(objects.put_object_bytes("photos", "in/b.jpg", "bytes", "image/jpeg", {}, failing),
                 std::runtime_error);
    EXPECT_EQ(f.queue.stats("all").queued, 2);

    const auto m = f.queue.receive({"all"});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->key, "in/a.jpg");
    EXPECT_EQ(m->etag, objects.head_object("photos", "in/a.jpg").etag);
}

}  // namespace
}  // namespace apiary::pipeline
