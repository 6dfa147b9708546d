// The SQLite queue: transactional enqueue, claims that no two receivers share, visibility
// timeouts, back-off, dead letters, and the numbers `apiary pipeline status` shows.
#include <gtest/gtest.h>

#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "core/arn.h"
#include "core/error.h"
#include "pipeline_fixture.h"

namespace apiary::pipeline {
namespace {
using namespace fixtures;

TEST(SqliteQueue, EnqueueCommitsOrRollsBackWithItsTransaction) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    Message m{0, "p", "photos", "in/a.jpg", "e", 0, 0};
    {
        store::Transaction tx(f.db);
        f.queue.enqueue(f.db, m);
    }  // rolled back, as when the object write fails
    EXPECT_EQ(f.queue.stats("p").queued, 0);
    EXPECT_FALSE(f.queue.receive());
    {
        store::Transaction tx(f.db);
        f.queue.enqueue(f.db, m);
        // Readers only: receive() would wait for this transaction's write lock.
        EXPECT_EQ(f.queue.stats("p").queued, 0) << "invisible until the object's transaction commits";
        tx.commit();
    }
    EXPECT_EQ(f.queue.stats("p").queued, 1);
}

TEST(SqliteQueue, ReceivesOldestFirstEachMessageOnce) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    for (const char* key : {"in/1.jpg", "in/2.jpg", "in/3.jpg"}) f.enqueue("p", key, 1000);
    std::vector<std::string> keys;
    while (const auto m = f.queue.receive()) {
        EXPECT_EQ(m->attempts, 1);
        EXPECT_EQ(m->created_ms, 1000);
        EXPECT_EQ(m->etag, "etag-" + m->key);
        keys.push_back(m->key);
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"in/1.jpg", "in/2.jpg", "in/3.jpg"}));
    const auto s = f.queue.stats("p");
    EXPECT_EQ(s.queued, 0);
    EXPECT_EQ(s.in_flight, 3);
}

TEST(SqliteQueue, ReceiveTakesOnlyTheNamedUnpausedPipelines) {
    Fixture f;
    f.pipelines.create(make_spec("a"));
    f.pipelines.create(make_spec("b"));
    f.enqueue("a", "in/a.jpg");
    f.enqueue("b", "in/b.jpg");
    f.enqueue("deleted", "in/c.jpg");  // no such pipeline: never delivered
    EXPECT_FALSE(f.queue.receive({"nobody"}));
    f.pipelines.set_paused("b", true);
    EXPECT_FALSE(f.queue.receive({"b"})) << "paused";
    const auto a = f.queue.receive({"a", "b"});
    ASSERT_TRUE(a);
    EXPECT_EQ(a->pipeline, "a");
    EXPECT_FALSE(f.queue.receive());

    f.pipelines.set_paused("b", false);
    const auto b = f.queue.receive({"b"});
    ASSERT_TRUE(b);
    EXPECT_EQ(b->key, "in/b.jpg");
    EXPECT_FALSE(f.queue.receive());
}

TEST(SqliteQueue, UnackedMessageReappearsAfterTheVisibilityTimeout) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    f.enqueue("p", "in/a.jpg");
    const auto first = f.queue.receive();
    ASSERT_TRUE(first);
    EXPECT_FALSE(f.queue.receive()) << "hidden while in flight";
    ASSERT_TRUE(eventually([&] { return f.queue.stats("p").in_flight == 0; }));
    EXPECT_EQ(f.queue.stats("p").queued, 1) << "an expired delivery counts as queued again";
    const auto second = f.queue.receive();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->id, first->id);
    EXPECT_EQ(second->attempts, 2);
    f.queue.ack(*second);
    f.queue.ack(*first);  // a late ack of the older delivery changes nothing
    const auto s = f.queue.stats("p");
    EXPECT_EQ(s.done, 1);
    EXPECT_EQ(s.queued + s.in_flight, 0);
    EXPECT_FALSE(f.queue.receive());
}

TEST(SqliteQueue, CrashedWorkersMessageIsRedeliveredToANewInstance) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    f.enqueue("p", "in/a.jpg");
    int64_t id = 0;
    {
        SqliteQueue crashed(f.dir, fast_settings());
        const auto m = crashed.receive();
        ASSERT_TRUE(m);
        id = m->id;
    }  // gone without ack or fail
    SqliteQueue restarted(f.dir, fast_settings());
    EXPECT_FALSE(restarted.receive());
    std::optional<Message> again;
    ASSERT_TRUE(eventually([&] { return (again = restarted.receive()).has_value(); }));
    EXPECT_EQ(again->id, id);
    EXPECT_EQ(again->attempts, 2);
}

TEST(SqliteQueue, FailuresBackOffThenDeadLetterWithTheLastError) {
    Fixture f;
    QueueSettings settings = fast_settings();
    settings.backoff_base_ms = 30;
    settings.backoff_max_ms = 40;
    SqliteQueue queue(f.dir, settings);
    f.pipelines.create(make_spec("p"));
    f.enqueue("p", "in/a.jpg");

    // How long the last failure hides the message, from the row itself: waiting and timing it
    // would make the test depend on the machine's load.
    auto backoff_ms = [&] {
        auto st = f.db.prepare("SELECT visible_at_ms - failed_ms FROM pipeline_messages");
        st.step();
        return st.column_int(0);
    };

    auto m = queue.receive();
    ASSERT_TRUE(m);
    queue.fail(*m, "model not running");
    EXPECT_EQ(backoff_ms(), 30);
    auto s = queue.stats("p");
    EXPECT_EQ(s.queued, 1) << "waiting out its back-off counts as queued";
    EXPECT_EQ(s.in_flight, 0);
    EXPECT_EQ(s.failed_attempts, 1);
    EXPECT_EQ(s.last_error, "model not running");
    ASSERT_TRUE(eventually([&] { return (m = queue.receive()).has_value(); }));
    EXPECT_EQ(m->attempts, 2);
    queue.fail(*m, "still not running");
    EXPECT_EQ(backoff_ms(), 40) << "60, capped";
    ASSERT_TRUE(eventually([&] { return (m = queue.receive()).has_value(); }));
    EXPECT_EQ(m->attempts, 3);
    queue.fail(*m, "cannot decode");

    s = queue.stats("p");
    EXPECT_EQ(s.queued + s.in_flight, 0);
    EXPECT_EQ(s.dead_lettered, 1);
    EXPECT_EQ(s.failed_attempts, 3);
    EXPECT_EQ(s.last_error, "cannot decode");
    const auto dead = queue.dead_letters("p");
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].message.key, "in/a.jpg");
    EXPECT_EQ(dead[0].message.attempts, 3);
    EXPECT_EQ(dead[0].error, "cannot decode");
    EXPECT_GT(dead[0].failed_ms, 0);
    EXPECT_TRUE(queue.dead_letters("other").empty());
    EXPECT_FALSE(queue.receive()) << "dead letters are not delivered";
}

TEST(SqliteQueue, RedriveQueuesDeadLettersWithFreshAttempts) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    f.enqueue("p", "in/a.jpg");
    for (int i = 0; i < fast_settings().max_attempts; ++i) {
        std::optional<Message> m;
        ASSERT_TRUE(eventually([&] { return (m = f.queue.receive()).has_value(); }));
        f.queue.fail(*m, "boom");
    }
    EXPECT_EQ(f.queue.redrive("other"), 0u);
    EXPECT_EQ(f.queue.redrive("p"), 1u);
    EXPECT_TRUE(f.queue.dead_letters("p").empty());
    const auto m = f.queue.receive();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->attempts, 1);
    f.queue.ack(*m);
    const auto s = f.queue.stats("p");
    EXPECT_EQ(s.done, 1);
    EXPECT_EQ(s.dead_lettered, 0);
    EXPECT_EQ(s.failed_attempts, 3) << "the history stays";
}

TEST(SqliteQueue, FailureOfASupersededDeliveryIsIgnored) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    f.enqueue("p", "in/a.jpg");
    const auto slow = f.queue.receive();
    ASSERT_TRUE(slow);
    std::optional<Message> current;
    ASSERT_TRUE(eventually([&] { return (current = f.queue.receive()).has_value(); }));
    f.queue.fail(*slow, "timed out long ago");
    const auto s = f.queue.stats("p");
    EXPECT_EQ(s.in_flight, 1) << "the newer delivery still holds it";
    EXPECT_EQ(s.failed_attempts, 0);
}

TEST(SqliteQueue, AckOrFailAfterThePipelineIsDeletedIsHarmless) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    f.enqueue("p", "in/a.jpg");
    f.enqueue("p", "in/b.jpg");
    const auto a = f.queue.receive();
    const auto b = f.queue.receive();
    ASSERT_TRUE(a && b);
    f.pipelines.remove("p");
    EXPECT_NO_THROW(f.queue.ack(*a));
    EXPECT_NO_THROW(f.queue.fail(*b, "boom"));
    EXPECT_EQ(f.queue.stats("p").done, 0);
}

TEST(SqliteQueue, StatsCountThroughputAndLatency) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    f.pipelines.create(make_spec("other"));
    const int64_t uploaded = now_ms() - 1500;
    for (int i = 0; i < 4; ++i) f.enqueue("p", "in/" + std::to_string(i) + ".jpg", uploaded);
    f.enqueue("other", "in/x.jpg");
    f.queue.ack(*f.queue.receive({"p"}));
    f.queue.ack(*f.queue.receive({"p"}));
    const auto failed = f.queue.receive({"p"});
    f.queue.fail(*failed, "boom");
    f.queue.receive({"p"});  // the fourth, in flight (the failed one is backing off)

    const auto s = f.queue.stats("p");
    EXPECT_EQ(s.queued, 1);
    EXPECT_EQ(s.in_flight, 1);
    EXPECT_EQ(s.done, 2);
    EXPECT_EQ(s.failed_attempts, 1);
    EXPECT_EQ(s.dead_lettered, 0);
    EXPECT_DOUBLE_EQ(s.done_per_s_last_minute, 2 / 60.0);
    EXPECT_EQ(s.last_error, "boom");
    ASSERT_EQ(s.latency_ms.size(), 2u);
    for (double ms : s.latency_ms) {
        EXPECT_GE(ms, 1500);
        EXPECT_LT(ms, 60'000);
    }
    const auto empty = f.queue.stats("nobody");
    EXPECT_EQ(empty.queued + empty.in_flight + empty.done + empty.dead_lettered, 0);
    EXPECT_FALSE(empty.last_error);
    EXPECT_TRUE(empty.latency_ms.empty());
}

TEST(SqliteQueue, ConcurrentReceiversOnSeparateConnectionsNeverShareAMessage) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    {
        store::Transaction tx(f.db);
        for (int i = 0; i < 100; ++i)
            f.queue.enqueue(f.db, Message{0, "p", "photos", "in/" + std::to_string(i) + ".jpg", "e", 0, 0});
        tx.commit();
    }
    QueueSettings slow = fast_settings();
    slow.visibility_timeout_ms = 60'000;  // no redelivery during the test
    std::mutex mutex;
    std::vector<int64_t> ids;
    std::vector<std::thread> receivers;
    for (int r = 0; r < 3; ++r)
        receivers.emplace_back([&] {
            SqliteQueue own(f.dir, slow);  // as another process would
            while (const auto m = own.receive()) {
                std::lock_guard lock(mutex);
                ids.push_back(m->id);
            }
        });
    for (auto& t : receivers) t.join();
    EXPECT_EQ(ids.size(), 100u);
    EXPECT_EQ(std::set<int64_t>(ids.begin(), ids.end()).size(), 100u);
}

TEST(SqliteQueue, RefusesUnusableSettings) {
    test::TempDir tmp;
    const store::DataDir dir(tmp / "data");
    QueueSettings s;
    s.visibility_timeout_ms = 0;
    EXPECT_THROW(SqliteQueue(dir, s), Error);
    s = QueueSettings{};
    s.max_attempts = 0;
    EXPECT_THROW(SqliteQueue(dir, s), Error);
}

}  // namespace
}  // namespace apiary::pipeline
