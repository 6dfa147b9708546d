#pragma once
// A thin RAII layer over the SQLite C API: a connection, prepared statements with typed binds,
// and transactions that roll back unless committed.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace apiary::store {

class Statement;

class Database {
public:
    // Opens (creating if needed) with WAL, foreign keys and a busy timeout for concurrent processes.
    explicit Database(const std::filesystem::path& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql);  // statements without results; throws Error on failure
    Statement prepare(const std::string& sql);
    int64_t last_insert_id() const;
    int changes() const;
    int user_version();
    sqlite3* handle() const { return db_; }
    const std::filesystem::path& path() const { return path_; }

private:
    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
};

class Statement {
public:
    Statement(Database& db, const std::string& sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    // Binds by 1-based position; returns *this so binds chain.
    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bind_null(int index);

    bool step();  // true while a row is available
    void run();   // steps to completion (INSERT/UPDATE/DELETE)
    void reset();

    int64_t column_int(int col) const;
    double column_double(int col) const;
    std::string column_text(int col) const;
    bool column_is_null(int col) const;

private:
    Database* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() was called, so an
// exception (or a kill) anywhere inside leaves the previous state intact.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace apiary::store
