#pragma once
// The durable event queue between "object created" and the workers: messages with a
// visibility timeout, bounded retries with exponential back-off and a dead-letter list.
// MessageQueue is the interface (a networked backend — PostgreSQL, a broker — can replace the
// SQLite one for several hosts); SqliteQueue keeps messages in apiary.db.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/encryption.h"
#include "store/data_dir.h"
#include "store/sqlite.h"

namespace apiary::pipeline {

struct Message {
    int64_t id = 0;
    std::string pipeline;
    std::string bucket;
    std::string key;
    std::string etag;        // of the object version that triggered it
    int attempts = 0;        // receives so far, this one included
    int64_t created_ms = 0;  // when the object was created (upload-to-result latency starts here)
};

struct QueueSettings {
    int64_t visibility_timeout_ms = 60'000;  // a received message reappears after this unless acked
    int max_attempts = 3;                    // then it is dead-lettered with its last error
    int64_t backoff_base_ms = 500;           // retry n waits base * 2^(n-1), capped at backoff_max_ms
    int64_t backoff_max_ms = 30'000;
    // Done messages are kept this long (for status and latency figures), then pruned; dead
    // letters are kept until redriven or their pipeline is deleted.
    int64_t done_retention_ms = 7LL * 24 * 3600 * 1000;
};

struct DeadLetter {
    Message message;
    std::string error;
    int64_t failed_ms = 0;
};

// Counts over the pipeline's messages, from one snapshot. A queued message is in flight from
// receive() until it is acked, failed, or its visibility timeout expires (its worker died: it is
// then visible, hence queued, again); so queued + in_flight is the work left.
struct QueueStats {
    int64_t queued = 0;        // waiting (including retries waiting out their back-off)
    int64_t in_flight = 0;     // received, visibility timeout not yet expired
    int64_t done = 0;          // within the retention period
    int64_t failed_attempts = 0;  // attempts that ended in an error (retried or dead-lettered)
    int64_t dead_lettered = 0;
    double done_per_s_last_minute = 0;
    std::optional<std::string> last_error;  // of the most recent failed attempt, even if later retried fine
    std::vector<double> latency_ms;  // created → done, for the most recent (up to 1000) messages
};

class MessageQueue {
public:
    virtual ~MessageQueue() = default;

    // Enqueues on `same_transaction`, the connection whose open transaction creates the object,
    // so that the object and its event commit together (SQLite backends); a networked backend
    // would write an outbox row there instead.
    virtual void enqueue(store::Database& same_transaction, const Message& message) = 0;
    // The oldest visible message of an unpaused pipeline among `pipelines` (all if empty),
    // now invisible for the visibility timeout; nullopt when none.
    virtual std::optional<Message> receive(const std::vector<std::string>& pipelines = {}) = 0;
    // ack and fail take the message as receive() returned it; neither throws for a message that
    // is gone (its pipeline was deleted meanwhile).
    virtual void ack(const Message& message) = 0;  // done
    // Retried after the back-off, or dead-lettered with `error` after max_attempts. Ignored when
    // the delivery was superseded (its visibility timeout expired and another receive() took it):
    // the newer delivery decides.
    virtual void fail(const Message& message, const std::string& error) = 0;
    virtual QueueStats stats(const std::string& pipeline) = 0;
    virtual std::vector<DeadLetter> dead_letters(const std::string& pipeline) = 0;
    // Moves dead letters back to the queue with fresh attempts; returns how many.
    virtual size_t redrive(const std::string& pipeline) = 0;
};

// Thread-safe: the member functions share one connection under a mutex. enqueue() uses only the
// caller's connection and takes no lock, so the object store's hook never waits for a worker.
// Several processes may use the same database (WAL): receive() claims a message in one UPDATE, so
// no two receivers get it.
//
// With a key, enqueue() keeps bucket, key and etag only sealed (AES-256-GCM, bound to the pipeline
// name and the row's id, so a sealed value moved to another row does not open) in the `sealed`
// column, the plain columns empty; receive() and dead_letters() open them. The error a failed
// attempt stores for a sealed message has the object's bucket and key replaced by "(encrypted)".
// Without the key, receive() dead-letters a sealed message (its object cannot be named) and
// dead_letters() shows "(encrypted)" for its bucket and key; stats() and redrive() never need it.
class SqliteQueue : public MessageQueue {
public:
    // Own connection; runs migrations. Error for a non-positive visibility timeout, retention or
    // max_attempts.
    SqliteQueue(const store::DataDir& dir, QueueSettings settings = {},
                std::optional<EncryptionKey> key = std::nullopt);

    void enqueue(store::Database& same_transaction, const Message& message) override;
    std::optional<Message> receive(const std::vector<std::string>& pipelines = {}) override;
    void ack(const Message& message) override;
    void fail(const Message& message, const std::string& error) override;
    QueueStats stats(const std::string& pipeline) override;
    std::vector<DeadLetter> dead_letters(const std::string& pipeline) override;
    size_t redrive(const std::string& pipeline) override;

    // Deletes done messages older than the retention period; returns how many. ack() calls it at
    // most once a minute (or once per retention period, if shorter).
    size_t prune_done();

    // The SQL stats() runs, for tests that check each one searches an index.
    static std::vector<std::string> stats_queries();

private:
    // Opens a received message's sealed fields into `m`; returns the error to dead-letter it with
    // when that is impossible (no key, another key, altered row).
    std::optional<std::string> unseal(Message& m, const std::string& sealed, bool binds_id) const;
    void dead_letter(int64_t id, const std::string& error);  // a delivery that can never succeed
    size_t prune_done_locked(int64_t now);

    store::Database db_;
    QueueSettings settings_;
    std::optional<EncryptionKey> key_;
    std::mutex mutex_;  // guards db_ and last_prune_ms_: the worker threads share this queue
    int64_t last_prune_ms_ = 0;
};

}  // namespace apiary::pipeline
