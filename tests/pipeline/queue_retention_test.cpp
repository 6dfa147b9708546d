// Done messages are kept for a retention period (QueueSettings::done_retention_ms, default 7 days)
// and then pruned, so the queue table stays bounded; dead letters stay until redriven or deleted.
// The status's queries use indexes: none reads every row of a pipeline (the million-row timing
// is bench/queue_status_bench.cpp).
#include <gtest/gtest.h>

#include <string>

#include "core/arn.h"
#include "core/error.h"
#include "pipeline_fixture.h"

namespace apiary::pipeline {
namespace {
using namespace fixtures;

int64_t rows(store::Database& db) {
    auto st = db.prepare("SELECT count(*) FROM pipeline_messages");
    st.step();
    return st.column_int(0);
}

TEST(QueueRetention, TheDefaultIsAWeek) { EXPECT_EQ(QueueSettings{}.done_retention_ms, 7LL * 24 * 3600 * 1000); }

TEST(QueueRetention, DoneMessagesArePrunedAfterTheRetentionPeriod) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    QueueSettings s = fast_settings();
    s.max_attempts = 1;
    s.done_retention_ms = 100;
    SqliteQueue queue(f.dir, s);
    f.enqueue("p", "in/old.jpg");
    f.enqueue("p", "in/dead.jpg");
    queue.ack(*queue.receive());
    queue.fail(*queue.receive(), "broken");
    sleep_ms(150);
    f.enqueue("p", "in/new.jpg");
    queue.ack(*queue.receive());  // acking prunes what is past the retention
    EXPECT_EQ(rows(f.db), 2) << "the old done message is gone; the new one and the dead letter stay";
    const auto stats = queue.stats("p");
    EXPECT_EQ(stats.done, 1);
    EXPECT_EQ(stats.dead_lettered, 1);
    EXPECT_EQ(queue.prune_done(), 0u);
    sleep_ms(150);
    EXPECT_EQ(queue.prune_done(), 1u);
    EXPECT_EQ(queue.dead_letters("p").size(), 1u);
}

TEST(QueueRetention, RefusesANonPositiveRetention) {
    Fixture f;
    QueueSettings s = fast_settings();
    s.done_retention_ms = 0;
    EXPECT_THROW(SqliteQueue(f.dir, s), Error);
}

TEST(QueueRetention, StatusQueriesNeverScanTheWholeTable) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    for (const auto& sql : SqliteQueue::stats_queries()) {
        auto plan = f.db.prepare("EXPLAIN QUERY PLAN " + sql);
        std::string steps;
        while (plan.step()) steps += plan.column_text(3) + "\n";
        EXPECT_EQ(steps.find("SCAN pipeline_messages"), std::string::npos) << sql << "\n" << steps;
        EXPECT_EQ(steps.find("TEMP B-TREE"), std::string::npos) << "sorts every row: " << sql << "\n" << steps;
    }
}

TEST(QueueRetention, StatusCountsStayRightOverManyRows) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    f.pipelines.create(make_spec("other"));
    // Bulk rows as a busy week leaves them: done, failed once then done, dead, queued.
    store::Transaction tx(f.db);
    auto insert = f.db.prepare(
        "INSERT INTO pipeline_messages (pipeline, bucket, key, etag, state, attempts, failures, visible_at_ms, "
        "created_ms, failed_ms, finished_ms, last_error) VALUES (?1, 'b', 'k', 'e', ?2, 1, ?3, 0, ?4, ?5, ?6, ?7)");
    const int64_t now = now_ms();
    for (int i = 0; i < 20000; ++i) {
        const bool failed = i % 100 == 0, dead = i % 1000 == 0, queued = i % 5000 == 1;
        insert.bind(1, i % 2 ? "p" : "other")
            .bind(2, dead ? "dead" : queued ? "queued" : "done")
            .bind(3, failed ? 1 : 0)
            .bind(4, now - 1000 - i);
        if (failed) insert.bind(5, now - i).bind(7, "error " + std::to_string(i));
        if (!queued) insert.bind(6, now - i);
        insert.run();
    }
    tx.commit();
    const auto s = f.queue.stats("other");
    EXPECT_EQ(s.dead_lettered, 20);
    EXPECT_EQ(s.queued, 0);
    EXPECT_EQ(s.done, 10000 - 20);
    EXPECT_EQ(s.failed_attempts, 200);
    EXPECT_EQ(s.last_error, "error 0");
    EXPECT_EQ(s.latency_ms.size(), 1000u);
    const auto p = f.queue.stats("p");
    EXPECT_EQ(p.queued, 4);
    EXPECT_EQ(p.done, 10000 - 4);
}

}  // namespace
}  // namespace apiary::pipeline
