#include "pipeline/queue.h"

#include "core/arn.h"
#include "core/base64.h"
#include "core/error.h"
#include "core/json.h"
#include "pipeline/pipeline_schema.h"

namespace apiary::pipeline {
namespace {

// `sealed` (column 7) is NULL for a message stored in plain text.
const char* kMessageColumns = "id, pipeline, bucket, key, etag, attempts, created_ms, sealed";
constexpr const char* kNoKeyError = "message is encrypted; start apiary serve with the key file";
constexpr const char* kEncryptedPlaceholder = "(encrypted)";

// The sealed form of a message's object reference, base64 in a TEXT column. Bound to the
// pipeline's name, so a sealed value moved to another pipeline's row does not open.
std::string seal_fields(const EncryptionKey& key, const Message& m) {
    const Json fields = {{"bucket", m.bucket}, {"key", m.key}, {"etag", m.etag}};
    return base64_encode(key.seal(fields.dump(), m.pipeline));
}

void open_fields(const EncryptionKey& key, Message& m, const std::string& sealed) {
    const auto bytes = base64_decode(sealed);
    if (!bytes) throw Error("sealed message column is not valid base64");
    const Json fields = Json::parse(key.open(*bytes, m.pipeline));
    m.bucket = fields.at("bucket").get<std::string>();
    m.key = fields.at("key").get<std::string>();
    m.etag = fields.at("etag").get<std::string>();
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

// `sealed`: the sealed fields (seal_fields), or nullopt for a message stored in plain text.
void insert_row(store::Database& db, const Message& message, const std::optional<std::string>& sealed) {
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
}

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
    migrate_pipeline_schema(db_);
}

void SqliteQueue::insert(store::Database& db, const Message& message) { insert_row(db, message, std::nullopt); }

void SqliteQueue::enqueue(store::Database& same_transaction, const Message& message) {
    if (!key_) return insert(same_transaction, message);
    const Message hidden{0, message.pipeline, "", "", "", 0, message.created_ms};
    insert_row(same_transaction, hidden, seal_fields(*key_, message));
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
        st.step();  // finishes the statement, committing the claim
        if (!sealed) return m;
        const auto error = unseal(m, *sealed);
        if (!error) return m;
        dead_letter(m.id, *error);
    }
}

std::optional<std::string> SqliteQueue::unseal(Message& m, const std::string& sealed) const {
    if (!key_) return kNoKeyError;
    try {
        open_fields(*key_, m, sealed);
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
    // Also after the visibility timeout expired: the work is done either way (at-least-once).
    db_.prepare("UPDATE pipeline_messages SET state = 'done', finished_ms = ? WHERE id = ? AND state = 'queued'")
        .bind(1, now_ms())
        .bind(2, message.id)
        .run();
}

void SqliteQueue::fail(const Message& message, const std::string& error) {
    std::lock_guard lock(mutex_);
    // SET expressions all see the row as it was, so `attempts` is this delivery's count. The shift
    // is capped so that the back-off cannot overflow before min() caps it.
    db_.prepare(
           "UPDATE pipeline_messages SET failures = failures + 1, failed_ms = ?1, last_error = ?2, "
           "received_ms = NULL, "
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
        .run();
}

QueueStats SqliteQueue::stats(const std::string& pipeline) {
    std::lock_guard lock(mutex_);
    const int64_t now = now_ms();
    QueueStats s;
    ReadSnapshot snapshot(db_);

    auto counts = db_.prepare(
        "SELECT "
        "  total(state = 'queued' AND NOT (received_ms IS NOT NULL AND visible_at_ms > ?1)), "
        "  total(state = 'queued' AND received_ms IS NOT NULL AND visible_at_ms > ?1), "
        "  total(state = 'done'), total(failures), total(state = 'dead'), "
        "  total(state = 'done' AND finished_ms > ?1 - 60000) "
        "FROM pipeline_messages WHERE pipeline = ?2");
    counts.bind(1, now).bind(2, pipeline);
    counts.step();
    s.queued = counts.column_int(0);
    s.in_flight = counts.column_int(1);
    s.done = counts.column_int(2);
    s.failed_attempts = counts.column_int(3);
    s.dead_lettered = counts.column_int(4);
    s.done_per_s_last_minute = counts.column_double(5) / 60.0;

    auto error = db_.prepare(
        "SELECT last_error FROM pipeline_messages WHERE pipeline = ? AND failed_ms IS NOT NULL "
        "ORDER BY failed_ms DESC, id DESC LIMIT 1");
    if (error.bind(1, pipeline).step()) s.last_error = error.column_text(0);

    auto latency = db_.prepare(
        "SELECT finished_ms - created_ms FROM pipeline_messages WHERE pipeline = ? AND state = 'done' "
        "ORDER BY finished_ms DESC LIMIT 1000");
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
        DeadLetter dead{read_message(st), st.column_text(8), st.column_int(9)};
        // Listing must work without the key (apiary pipeline status), so unopenable fields show
        // as a placeholder instead of failing the whole list.
        if (!st.column_is_null(7) && unseal(dead.message, st.column_text(7)))
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
