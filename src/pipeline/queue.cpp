#include "pipeline/queue.h"

#include <algorithm>
#include <string_view>

#include "core/arn.h"
#include "core/base64.h"
#include "core/error.h"
#include "core/json.h"
#include "pipeline/pipeline_schema.h"

namespace apiary::pipeline {
namespace {

// `sealed` (column 7) is NULL for a message stored in plain text; sealed_binds_id (column 8) says
// whether the seal binds the row's id too (0: sealed by an older apiary, bound to the name only).
const char* kMessageColumns = "id, pipeline, bucket, key, etag, attempts, created_ms, sealed, sealed_binds_id";
constexpr const char* kNoKeyError = "message is encrypted; start apiary serve with the key file";
constexpr const char* kEncryptedPlaceholder = "(encrypted)";
constexpr int64_t kPruneEveryMs = 60'000;
constexpr int kPruneBatch = 10'000;  // rows per DELETE, so that a backlog never holds the lock long

// What a sealed value is bound to: its pipeline and its row, so that a sealed value moved to
// another pipeline's row, or another row of the same pipeline, does not open.
std::string associated_data(const Message& m, bool binds_id) {
    if (!binds_id) return m.pipeline;
    std::string aad = m.pipeline;
    aad += '\0';
    aad += std::to_string(m.id);
    return aad;
}

// The sealed form of a message's object reference, base64 in a TEXT column.
std::string seal_fields(const EncryptionKey& key, const Message& m) {
    const Json fields = {{"bucket", m.bucket}, {"key", m.key}, {"etag", m.etag}};
    return base64_encode(key.seal(fields.dump(), associated_data(m, true)));
}

void open_fields(const EncryptionKey& key, Message& m, const std::string& sealed, bool binds_id) {
    const auto bytes = base64_decode(sealed);
    if (!bytes) throw Error("sealed message column is not valid base64");
    const Json fields = Json::parse(key.open(*bytes, associated_data(m, binds_id)));
    m.bucket = fields.at("bucket").get<std::string>();
    m.key = fields.at("key").get<std::string>();
    m.etag = fields.at("etag").get<std::string>();
}

// `text` with every occurrence of `name` replaced by the placeholder.
void redact(std::string& text, const std::string& name) {
    if (name.empty()) return;
    for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at)) {
        text.replace(at, name.size(), kEncryptedPlaceholder);
        at += std::string_view(kEncryptedPlaceholder).size();
    }
}

// A failed attempt's error as stored for a sealed message: the object it names stays secret.
std::string without_object_name(std::string error, const Message& m) {
    redact(error, "s3://" + m.bucket + "/" + m.key);
    redact(error, m.key);
    redact(error, m.bucket);
    return error;
}

Message read_message(const store::Statement& st) {
    Message m;
    m.id = st.column_int(0);
    m.pipeline = st.column_text(1);
    m.bucket = st.column_text(2);
    m.key = st.column_text(3);
    m.etag = st.column_text(4);
    m.attempts = static_cast<int>(st.column_int(5));
    m.created_ms = st.column_int(6);
    return m;
}

// `sealed`: a placeholder to be replaced once the id is known, or nullopt for plain text.
int64_t insert_row(store::Database& db, const Message& message, const std::optional<std::string>& sealed) {
    const int64_t now = now_ms();
    auto st = db.prepare(
        "INSERT INTO pipeline_messages (pipeline, bucket, key, etag, visible_at_ms, created_ms, sealed) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, message.pipeline)
        .bind(2, message.bucket)
        .bind(3, message.key)
        .bind(4, message.etag)
        .bind(5, now)
        .bind(6, message.created_ms != 0 ? message.created_ms : now);
    if (sealed) st.bind(7, *sealed);
    else st.bind_null(7);
    st.run();
    return db.last_insert_id();
}

// A savepoint: nested in the caller's transaction if there is one, a transaction of its own if
// not. Rolled back unless released.
class Savepoint {
public:
    explicit Savepoint(store::Database& db) : db_(db) { db_.exec("SAVEPOINT enqueue"); }
    ~Savepoint() {
        if (released_) return;
        try {
            db_.exec("ROLLBACK TO enqueue");
            db_.exec("RELEASE enqueue");
        } catch (...) {  // a destructor must not throw; the caller's transaction rolls back anyway
        }
    }
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;
    void release() {
        db_.exec("RELEASE enqueue");
        released_ = true;
    }

private:
    store::Database& db_;
    bool released_ = false;
};

// A deferred transaction that only reads: the SELECTs inside see one snapshot, and unlike
// store::Transaction (BEGIN IMMEDIATE) it never holds the write lock against the workers.
class ReadSnapshot {
public:
    explicit ReadSnapshot(store::Database& db) : db_(db) { db_.exec("BEGIN"); }
    ~ReadSnapshot() {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {  // a destructor must not throw; nothing was written
        }
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    store::Database& db_;
};

// The status's queries, each served by an index (the status stays fast at a million rows):
// ?1 pipeline, ?2 now (or now - 1 minute for the throughput).
const char* kCountByState =
    "SELECT state, count(*) FROM pipeline_messages WHERE pipeline = ?1 GROUP BY state";
const char* kCountInFlight =
    "SELECT count(*) FROM pipeline_messages WHERE pipeline = ?1 AND state = 'queued' "
    "AND received_ms IS NOT NULL AND visible_at_ms > ?2";
const char* kCountFailures =
    "SELECT total(failures) FROM pipeline_messages INDEXED BY pipeline_messages_by_failure "
    "WHERE pipeline = ?1 AND failed_ms IS NOT NULL";
const char* kCountDoneSince =
    "SELECT count(*) FROM pipeline_messages WHERE pipeline = ?1 AND state = 'done' AND finished_ms > ?2";
const char* kLastError =
    "SELECT last_error FROM pipeline_messages INDEXED BY pipeline_messages_by_failure "
    "WHERE pipeline = ?1 AND failed_ms IS NOT NULL ORDER BY failed_ms DESC, id DESC LIMIT 1";
const char* kRecentLatencies =
    "SELECT finished_ms - created_ms FROM pipeline_messages WHERE pipeline = ?1 AND state = 'done' "
    "ORDER BY finished_ms DESC LIMIT 1000";

// The claim: the oldest visible message (by when it became visible, then by id, the order of the
// (state, visible_at_ms) index) of an unpaused pipeline, hidden for the visibility timeout. One
// UPDATE takes SQLite's write lock before it reads, so concurrent receivers, in this process or
// another, never claim the same message. ?1 now, ?2 visibility timeout, ?3... pipeline names.
std::string receive_sql(size_t names) {
    std::string sql =
        "UPDATE pipeline_messages SET visible_at_ms = ?1 + ?2, attempts = attempts + 1, received_ms = ?1 "
        "WHERE id = (SELECT m.id FROM pipeline_messages m JOIN pipelines p ON p.name = m.pipeline "
        "WHERE m.state = 'queued' AND m.visible_at_ms <= ?1 AND p.paused = 0";
    if (names > 0) {
        sql += " AND m.pipeline IN (";
        for (size_t i = 0; i < names; ++i) {
            if (i > 0) sql += ", ";
            sql += "?";
            sql += std::to_string(i + 3);
        }
        sql += ")";
    }
    sql += " ORDER BY m.visible_at_ms, m.id LIMIT 1) RETURNING ";
    sql += kMessageColumns;
    return sql;
}

}  // namespace

SqliteQueue::SqliteQueue(const store::DataDir& dir, QueueSettings settings, std::optional<EncryptionKey> key)
    : db_(dir.database()), settings_(settings), key_(std::move(key)) {
    if (settings_.visibility_timeout_ms <= 0) throw Error("queue visibility timeout must be positive");
    if (settings_.max_attempts < 1) throw Error("queue max_attempts must be at least 1");
    if (settings_.done_retention_ms <= 0) throw Error("queue done_retention_ms must be positive");
    migrate_pipeline_schema(db_);
}

void SqliteQueue::enqueue(store::Database& same_transaction, const Message& message) {
    if (!key_) {
        insert_row(same_transaction, message, std::nullopt);
        return;
    }
    // The seal binds the row's id, which SQLite picks on insert: the row goes in with a value that
    // never opens, then is sealed, both in one savepoint, so that no reader sees it half done.
    Savepoint savepoint(same_transaction);
    Message sealed = message;
    sealed.id = insert_row(same_transaction, {0, message.pipeline, "", "", "", 0, message.created_ms}, "");
    same_transaction.prepare("UPDATE pipeline_messages SET sealed = ?, sealed_binds_id = 1 WHERE id = ?")
        .bind(1, seal_fields(*key_, sealed))
        .bind(2, sealed.id)
        .run();
    savepoint.release();
}

std::optional<Message> SqliteQueue::receive(const std::vector<std::string>& pipelines) {
    std::lock_guard lock(mutex_);
    // A sealed message that cannot be opened is dead-lettered on the spot, and the next one tried.
    for (;;) {
        auto st = db_.prepare(receive_sql(pipelines.size()));
        st.bind(1, now_ms()).bind(2, settings_.visibility_timeout_ms);
        for (size_t i = 0; i < pipelines.size(); ++i) st.bind(static_cast<int>(i + 3), pipelines[i]);
        if (!st.step()) return std::nullopt;
        Message m = read_message(st);
        const std::optional<std::string> sealed =
            st.column_is_null(7) ? std::nullopt : std::optional(st.column_text(7));
        const bool binds_id = st.column_int(8) != 0;
        st.step();  // finishes the statement, committing the claim
        if (!sealed) return m;
        const auto error = unseal(m, *sealed, binds_id);
        if (!error) return m;
        dead_letter(m.id, *error);
    }
}

std::optional<std::string> SqliteQueue::unseal(Message& m, const std::string& sealed, bool binds_id) const {
    if (!key_) return kNoKeyError;
    try {
        open_fields(*key_, m, sealed, binds_id);
        return std::nullopt;
    } catch (const std::exception& e) {  // apiary::Error or a JSON error from an altered row
        return std::string("cannot decrypt message: ") + e.what();
    }
}

void SqliteQueue::dead_letter(int64_t id, const std::string& error) {
    const int64_t now = now_ms();
    db_.prepare(
           "UPDATE pipeline_messages SET state = 'dead', failures = failures + 1, failed_ms = ?1, finished_ms = ?1, "
           "last_error = ?2, received_ms = NULL WHERE id = ?3")
        .bind(1, now)
        .bind(2, error)
        .bind(3, id)
        .run();
}

void SqliteQueue::ack(const Message& message) {
    std::lock_guard lock(mutex_);
    const int64_t now = now_ms();
    // Also after the visibility timeout expired: the work is done either way (at-least-once).
    db_.prepare("UPDATE pipeline_messages SET state = 'done', finished_ms = ? WHERE id = ? AND state = 'queued'")
        .bind(1, now)
        .bind(2, message.id)
        .run();
    if (now - last_prune_ms_ >= std::min(kPruneEveryMs, settings_.done_retention_ms)) prune_done_locked(now);
}

size_t SqliteQueue::prune_done() {
    std::lock_guard lock(mutex_);
    return prune_done_locked(now_ms());
}

size_t SqliteQueue::prune_done_locked(int64_t now) {
    last_prune_ms_ = now;
    size_t pruned = 0;
    for (;;) {
        db_.prepare(
               "DELETE FROM pipeline_messages WHERE id IN (SELECT id FROM pipeline_messages "
               "WHERE state = 'done' AND finished_ms < ? LIMIT ?)")
            .bind(1, now - settings_.done_retention_ms)
            .bind(2, kPruneBatch)
            .run();
        pruned += static_cast<size_t>(db_.changes());
        if (db_.changes() < kPruneBatch) return pruned;
    }
}

void SqliteQueue::fail(const Message& message, const std::string& error) {
    std::lock_guard lock(mutex_);
    // SET expressions all see the row as it was, so `attempts` is this delivery's count. The shift
    // is capped so that the back-off cannot overflow before min() caps it.
    db_.prepare(
           "UPDATE pipeline_messages SET failures = failures + 1, failed_ms = ?1, "
           "last_error = CASE WHEN sealed IS NULL THEN ?2 ELSE ?8 END, received_ms = NULL, "
           "state = CASE WHEN attempts >= ?3 THEN 'dead' ELSE 'queued' END, "
           "finished_ms = CASE WHEN attempts >= ?3 THEN ?1 END, "
           "visible_at_ms = CASE WHEN attempts >= ?3 THEN visible_at_ms "
           "  ELSE ?1 + min(?5, ?4 * (1 << min(max(attempts - 1, 0), 30))) END "
           "WHERE id = ?6 AND state = 'queued' AND attempts = ?7")
        .bind(1, now_ms())
        .bind(2, error)
        .bind(3, settings_.max_attempts)
        .bind(4, settings_.backoff_base_ms)
        .bind(5, settings_.backoff_max_ms)
        .bind(6, message.id)
        .bind(7, message.attempts)
        .bind(8, without_object_name(error, message))
        .run();
}

std::vector<std::string> SqliteQueue::stats_queries() {
    return {kCountByState, kCountInFlight, kCountFailures, kCountDoneSince, kLastError, kRecentLatencies};
}

QueueStats SqliteQueue::stats(const std::string& pipeline) {
    std::lock_guard lock(mutex_);
    const int64_t now = now_ms();
    QueueStats s;
    ReadSnapshot snapshot(db_);

    int64_t queued_or_in_flight = 0;
    auto states = db_.prepare(kCountByState);
    for (states.bind(1, pipeline); states.step();) {
        const std::string state = states.column_text(0);
        if (state == "queued") queued_or_in_flight = states.column_int(1);
        else if (state == "done") s.done = states.column_int(1);
        else if (state == "dead") s.dead_lettered = states.column_int(1);
    }
    const auto count = [&](const char* sql, int64_t at) {
        auto st = db_.prepare(sql);
        st.bind(1, pipeline).bind(2, at);
        st.step();
        return st.column_int(0);
    };
    s.in_flight = count(kCountInFlight, now);
    s.queued = queued_or_in_flight - s.in_flight;
    s.done_per_s_last_minute = static_cast<double>(count(kCountDoneSince, now - 60'000)) / 60.0;

    auto failures = db_.prepare(kCountFailures);
    failures.bind(1, pipeline).step();
    s.failed_attempts = failures.column_int(0);

    auto error = db_.prepare(kLastError);
    if (error.bind(1, pipeline).step()) s.last_error = error.column_text(0);

    auto latency = db_.prepare(kRecentLatencies);
    latency.bind(1, pipeline);
    while (latency.step()) s.latency_ms.push_back(latency.column_double(0));
    return s;
}

std::vector<DeadLetter> SqliteQueue::dead_letters(const std::string& pipeline) {
    std::lock_guard lock(mutex_);
    std::vector<DeadLetter> out;
    auto st = db_.prepare(std::string("SELECT ") + kMessageColumns +
                          ", last_error, finished_ms FROM pipeline_messages WHERE pipeline = ? AND state = 'dead' "
                          "ORDER BY finished_ms, id");
    st.bind(1, pipeline);
    while (st.step()) {
        DeadLetter dead{read_message(st), st.column_text(9), st.column_int(10)};
        // Listing must work without the key (apiary pipeline status), so unopenable fields show
        // as a placeholder instead of failing the whole list.
        if (!st.column_is_null(7) && unseal(dead.message, st.column_text(7), st.column_int(8) != 0))
            dead.message.bucket = dead.message.key = dead.message.etag = kEncryptedPlaceholder;
        out.push_back(std::move(dead));
    }
    return out;
}

size_t SqliteQueue::redrive(const std::string& pipeline) {
    std::lock_guard lock(mutex_);
    // The failure history (failures, last_error) stays: stats count every failed attempt.
    db_.prepare(
           "UPDATE pipeline_messages SET state = 'queued', attempts = 0, visible_at_ms = ?, received_ms = NULL, "
           "finished_ms = NULL WHERE pipeline = ? AND state = 'dead'")
        .bind(1, now_ms())
        .bind(2, pipeline)
        .run();
    return static_cast<size_t>(db_.changes());
}

}  // namespace apiary::pipeline
