// The SQLite queue with a key: messages rest sealed, open on receive and in dead letters, and a
// queue without the key dead-letters them clearly instead of failing.
#include <gtest/gtest.h>

#include <string>

#include "core/encryption.h"
#include "pipeline_fixture.h"

namespace apiary::pipeline {
namespace {
using namespace fixtures;

// Everything stored for the pipeline's messages, as one string to search.
std::string raw_rows(store::Database& db) {
    std::string all;
    auto st = db.prepare(
        "SELECT pipeline || '|' || bucket || '|' || key || '|' || etag || '|' || coalesce(sealed, 'NULL') "
        "FROM pipeline_messages");
    while (st.step()) all += st.column_text(0) + "\n";
    return all;
}

void enqueue(SqliteQueue& queue, store::Database& db, const std::string& key) {
    store::Transaction tx(db);
    queue.enqueue(db, Message{0, "p", "photos", key, "etag-1", 0, 0});
    tx.commit();
}

TEST(EncryptedQueue, RowsHoldNoPlaintextAndMessagesRoundTrip) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    const auto key = EncryptionKey::generate();
    SqliteQueue queue(f.dir, fast_settings(), key);
    enqueue(queue, f.db, "in/secret-name.jpg");
    const std::string rows = raw_rows(f.db);
    EXPECT_EQ(rows.find("secret-name"), std::string::npos) << rows;
    EXPECT_EQ(rows.find("photos"), std::string::npos) << rows;
    EXPECT_EQ(rows.find("etag-1"), std::string::npos) << rows;

    const auto m = queue.receive();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->bucket, "photos");
    EXPECT_EQ(m->key, "in/secret-name.jpg");
    EXPECT_EQ(m->etag, "etag-1");
    queue.ack(*m);
    EXPECT_EQ(queue.stats("p").done, 1);
}

TEST(EncryptedQueue, DeadLettersOpenWithTheKey) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    QueueSettings once = fast_settings();
    once.max_attempts = 1;
    SqliteQueue queue(f.dir, once, EncryptionKey::generate());
    enqueue(queue, f.db, "in/a.jpg");
    queue.fail(*queue.receive(), "model failed");
    const auto dead = queue.dead_letters("p");
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].message.key, "in/a.jpg");
    EXPECT_EQ(dead[0].error, "model failed");
}

TEST(EncryptedQueue, WithoutTheKeyMessagesAreDeadLetteredAndListedAsEncrypted) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    SqliteQueue keyed(f.dir, fast_settings(), EncryptionKey::generate());
    enqueue(keyed, f.db, "in/a.jpg");
    f.enqueue("p", "in/plain.jpg");  // a message from before the key: still served

    const auto m = f.queue.receive();  // the fixture's queue has no key
    ASSERT_TRUE(m);
    EXPECT_EQ(m->key, "in/plain.jpg");
    EXPECT_FALSE(f.queue.receive());
    const auto stats = f.queue.stats("p");
    EXPECT_EQ(stats.dead_lettered, 1);
    EXPECT_EQ(stats.last_error, "message is encrypted; start apiary serve with the key file");
    const auto dead = f.queue.dead_letters("p");
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].message.bucket, "(encrypted)");
    EXPECT_EQ(dead[0].message.key, "(encrypted)");

    // Redriven, the keyed queue can process it after all.
    EXPECT_EQ(f.queue.redrive("p"), 1u);
    const auto again = keyed.receive();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->key, "in/a.jpg");
}

TEST(EncryptedQueue, AnotherKeyDeadLettersWithTheReason) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    SqliteQueue keyed(f.dir, fast_settings(), EncryptionKey::generate());
    enqueue(keyed, f.db, "in/a.jpg");
    SqliteQueue other(f.dir, fast_settings(), EncryptionKey::generate());
    EXPECT_FALSE(other.receive());
    const auto dead = other.dead_letters("p");
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].message.key, "(encrypted)");
    EXPECT_NE(dead[0].error.find("cannot decrypt message"), std::string::npos) << dead[0].error;
}

}  // namespace
}  // namespace apiary::pipeline
