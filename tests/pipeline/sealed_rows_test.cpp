// Sealed messages are bound to their row: a sealed value moved to another row does not open, and
// the error a failed attempt stores never names the object the seal hides.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/base64.h"
#include "core/encryption.h"
#include "core/json.h"
#include "pipeline_fixture.h"

namespace apiary::pipeline {
namespace {
using namespace fixtures;

void enqueue(SqliteQueue& queue, store::Database& db, const std::string& key) {
    store::Transaction tx(db);
    queue.enqueue(db, Message{0, "p", "photos", key, "etag-1", 0, 0});
    tx.commit();
}

// Every column of every message row, as one string to search.
std::string everything_stored(store::Database& db) {
    std::string all;
    auto st = db.prepare(
        "SELECT pipeline || '|' || bucket || '|' || key || '|' || etag || '|' || coalesce(sealed, '') || '|' || "
        "coalesce(last_error, '') FROM pipeline_messages");
    while (st.step()) all += st.column_text(0) + "\n";
    return all;
}

TEST(SealedRows, ASealedValueMovedToAnotherRowDoesNotOpen) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    SqliteQueue queue(f.dir, fast_settings(), EncryptionKey::generate());
    enqueue(queue, f.db, "in/first.jpg");
    enqueue(queue, f.db, "in/second.jpg");
    // Someone with write access to apiary.db swaps the two sealed values.
    std::vector<std::pair<int64_t, std::string>> rows;
    for (auto st = f.db.prepare("SELECT id, sealed FROM pipeline_messages ORDER BY id"); st.step();)
        rows.emplace_back(st.column_int(0), st.column_text(1));
    ASSERT_EQ(rows.size(), 2u);
    for (size_t i = 0; i < 2; ++i)
        f.db.prepare("UPDATE pipeline_messages SET sealed = ? WHERE id = ?")
            .bind(1, rows[1 - i].second)
            .bind(2, rows[i].first)
            .run();
    EXPECT_FALSE(queue.receive()) << "a swapped value opened as the other message";
    const auto dead = queue.dead_letters("p");
    ASSERT_EQ(dead.size(), 2u);
    for (const auto& d : dead) {
        EXPECT_EQ(d.message.key, "(encrypted)");
        EXPECT_NE(d.error.find("cannot decrypt message"), std::string::npos) << d.error;
    }
}

TEST(SealedRows, TheStoredErrorNeverNamesTheSealedObject) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    QueueSettings once = fast_settings();
    once.max_attempts = 1;
    SqliteQueue queue(f.dir, once, EncryptionKey::generate());
    enqueue(queue, f.db, "in/secret-name.jpg");
    const auto m = queue.receive();
    ASSERT_TRUE(m);
    queue.fail(*m, "InvalidS3ObjectException: cannot read s3://photos/in/secret-name.jpg (key in/secret-name.jpg)");
    const std::string stored = everything_stored(f.db);
    EXPECT_EQ(stored.find("secret-name"), std::string::npos) << stored;
    EXPECT_EQ(stored.find("photos"), std::string::npos) << stored;
    const auto stats = queue.stats("p");
    EXPECT_EQ(stats.last_error,
              "InvalidS3ObjectException: cannot read (encrypted) (key (encrypted))");
    ASSERT_EQ(queue.dead_letters("p").size(), 1u);
    EXPECT_EQ(queue.dead_letters("p")[0].message.key, "in/secret-name.jpg") << "the key still opens the row";
}

TEST(SealedRows, APlainMessagesErrorIsKeptAsItWas) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    f.enqueue("p", "in/plain.jpg");
    f.queue.fail(*f.queue.receive(), "cannot read s3://photos/in/plain.jpg");
    EXPECT_EQ(f.queue.stats("p").last_error, "cannot read s3://photos/in/plain.jpg");
}

TEST(SealedRows, ValuesSealedBeforeTheUpgradeStillOpen) {
    // Sealed by an older apiary: bound to the pipeline name only, sealed_binds_id left 0.
    Fixture f;
    f.pipelines.create(make_spec("p"));
    const auto key = EncryptionKey::generate();
    const Json fields = {{"bucket", "photos"}, {"key", "in/old.jpg"}, {"etag", "e"}};
    f.db.prepare(
           "INSERT INTO pipeline_messages (pipeline, bucket, key, etag, visible_at_ms, created_ms, sealed) "
           "VALUES ('p', '', '', '', 0, 1, ?)")
        .bind(1, base64_encode(key.seal(fields.dump(), "p")))
        .run();
    SqliteQueue queue(f.dir, fast_settings(), key);
    const auto m = queue.receive();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->key, "in/old.jpg");
}

}  // namespace
}  // namespace apiary::pipeline
