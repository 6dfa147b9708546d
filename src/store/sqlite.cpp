#include "store/sqlite.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/error.h"

namespace apiary::store {
namespace {

// The machine's failures (disk full, I/O, a damaged or unwritable file) are IoError; anything
// else SQLite refuses is a statement Apiary got wrong, an InternalError. Constraint violations
// are Conflict (see Statement::step).
bool is_io_failure(int code) {
    switch (code & 0xFF) {  // the primary code of an extended one
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_NOLFS:
        case SQLITE_BUSY:  // another process held the lock past the busy timeout
        case SQLITE_LOCKED:
            return true;
        default:
            return false;
    }
}

[[noreturn]] void fail_with(int code, const std::string& message) {
    if (is_io_failure(code)) throw IoError(message);
    throw InternalError(message);
}

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    const std::string message = "database error (" + what + "): " + (db ? sqlite3_errmsg(db) : "out of memory");
    fail_with(db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM, message);
}

}  // namespace

Database::Database(const std::filesystem::path& path) : path_(path) {
    // Created owner-only before SQLite creates it 0644 under the umask: it holds access keys, and
    // SQLite gives the -wal and -shm files the database's own mode.
    if (const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600); fd >= 0)
        ::close(fd);  // EEXIST: it is there already (its mode is DataDir's to check)
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw IoError(Location{path.string()}, "cannot open database: " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    exec("PRAGMA journal_mode=WAL");
    // FULL, not NORMAL: in WAL mode NORMAL does not fsync the log at each commit, so a power loss
    // can roll back a transaction already acknowledged (a PutObject and its queued event) and the
    // next start would sweep its fsynced blob as an orphan. FULL syncs the WAL on every commit.
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA foreign_keys=ON");
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::exec(const std::string& sql) {
    char* err = nullptr;
    if (const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        if (rc == SQLITE_CONSTRAINT) throw Conflict("constraint violated: " + msg);
        fail_with(sqlite3_extended_errcode(db_), "database error: " + msg + " [" + sql.substr(0, 80) + "]");
    }
}

Statement Database::prepare(const std::string& sql) { return Statement(*this, sql); }
int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

int Database::user_version() {
    auto st = prepare("PRAGMA user_version");
    st.step();
    return static_cast<int>(st.column_int(0));
}

Statement::Statement(Database& db, const std::string& sql) : db_(&db) {
    if (sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
        fail(db.handle(), "prepare " + sql.substr(0, 60));
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_->handle(), "bind");
    return *this;
}
Statement& Statement::bind(int index, double value) {
    if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) fail(db_->handle(), "bind");
    return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
    if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        fail(db_->handle(), "bind");
    return *this;
}
Statement& Statement::bind_null(int index) {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_->handle(), "bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    if (rc == SQLITE_CONSTRAINT) throw Conflict(std::string("constraint violated: ") + sqlite3_errmsg(db_->handle()));
    fail(db_->handle(), "step");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int64_t Statement::column_int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::column_double(int col) const { return sqlite3_column_double(stmt_, col); }
bool Statement::column_is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::string Statement::column_text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {  // a destructor must not throw; SQLite rolls back on close anyway
        }
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace apiary::store
