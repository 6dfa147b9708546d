#include "store/object_store.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "core/arn.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/utf8.h"
#include "store/migrations.h"

namespace apiary::store {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxKeyBytes = 1024;
constexpr int kMaxListKeys = 1000;
constexpr size_t kChunk = 1 << 20;
constexpr auto kOrphanRetention = std::chrono::hours(24 * 7);

const char* kObjectColumns =
    "SELECT bucket, key, size, etag, content_type, metadata, modified_ms, blob, encrypted FROM objects ";

// What an encrypted blob is bound to: a blob moved under another object's row does not open.
std::string associated_data(const std::string& bucket, const std::string& key) {
    return bucket + '\0' + key;
}

std::string read_all(std::istream& in, const fs::path& path) {
    std::string bytes(std::istreambuf_iterator<char>(in), {});
    if (in.bad()) throw Error(Location{path.string()}, "read error");
    return bytes;
}

[[noreturn]] void fail_io(const fs::path& path, const std::string& what) {
    throw IoError(Location{path.string()}, what + ": " + std::strerror(errno));
}

bool looks_like_ipv4(std::string_view name) {
    int groups = 0;
    for (size_t start = 0; start <= name.size(); ++groups) {
        const size_t end = std::min(name.find('.', start), name.size());
        const auto group = name.substr(start, end - start);
        if (group.empty() || group.size() > 3 ||
            !std::all_of(group.begin(), group.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        start = end + 1;
    }
    return groups == 4;
}

// The least string above every string that starts with `prefix`, in byte order; none for "".
std::optional<std::string> prefix_end(std::string prefix) {
    while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
    if (prefix.empty()) return std::nullopt;
    prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
    return prefix;
}

// The common prefix `key` rolls up into: up to and including the first delimiter after `prefix`.
std::optional<std::string> rolled_up(const std::string& key, const ListQuery& q) {
    if (q.delimiter.empty()) return std::nullopt;
    const size_t at = key.find(q.delimiter, q.prefix.size());
    if (at == std::string::npos) return std::nullopt;
    return key.substr(0, at + q.delimiter.size());
}

// Where a listing resumes: at `from` (inclusive) or just after it.
struct Cursor {
    std::string from;
    bool inclusive = true;
};

Cursor start_of(const ListQuery& q) {
    Cursor c{q.prefix, true};
    if (!q.continuation_token.empty()) {
        const auto last = from_hex(q.continuation_token);
        if (!last || last->empty() || last->find('\0') != std::string::npos)
            throw ObjectStoreError(S3Error::InvalidArgument, "The continuation token provided is incorrect");
        // A returned key never holds the delimiter past the prefix, so a token that does names a
        // common prefix: resume after everything under it, or the next page would repeat it.
        const auto end = rolled_up(*last, q) == *last ? prefix_end(*last) : std::nullopt;
        c = end ? Cursor{*end, true} : Cursor{*last, false};
    } else if (!q.start_after.empty()) {
        c = Cursor{q.start_after, false};
    }
    return c.from < q.prefix ? Cursor{q.prefix, true} : c;
}

ObjectStoreError no_such_bucket(const std::string& bucket) {
    return ObjectStoreError(S3Error::NoSuchBucket, "The specified bucket does not exist: " + bucket);
}

ObjectStoreError no_such_key(const std::string& key) {
    return ObjectStoreError(S3Error::NoSuchKey, "The specified key does not exist: " + key);
}

}  // namespace

bool is_valid_bucket_name(std::string_view name) {
    const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (name.size() < 3 || name.size() > 63 || !alnum(name.front()) || !alnum(name.back())) return false;
    if (!std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '.' || c == '-'; }))
        return false;
    return name.find("..") == std::string_view::npos && !looks_like_ipv4(name);
}

void check_object_key(std::string_view key) {
    if (key.size() > kMaxKeyBytes)
        throw ObjectStoreError(S3Error::KeyTooLongError, "Your key is too long (" + std::to_string(key.size()) +
                                                      " bytes; at most 1024)");
    if (key.empty()) throw ObjectStoreError(S3Error::InvalidArgument, "The object key must not be empty");
    if (key.find('\0') != std::string_view::npos)
        throw ObjectStoreError(S3Error::InvalidArgument, "The object key must not contain NUL characters");
    if (!is_valid_utf8(key)) throw ObjectStoreError(S3Error::InvalidArgument, "The object key is not valid UTF-8");
}

std::string ObjectStore::metadata_to_json(const UserMetadata& metadata) {
    Json j = Json::object();
    for (const auto& [name, value] : metadata) j[name] = value;
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

UserMetadata ObjectStore::metadata_from_json(const std::string& text) {
    const Json j = Json::parse(text);  // named: items() of a temporary would dangle in the loop
    UserMetadata out;
    for (const auto& [name, value] : j.items()) out[name] = value.get<std::string>();
    return out;
}

ObjectStore::StagedFile::~StagedFile() {
    std::error_code ignored;
    fs::remove(path, ignored);
}

ObjectStore::ObjectStore(const DataDir& dir, std::optional<EncryptionKey> key)
    : dir_(dir), db_(dir.database()), key_(std::move(key)) {
    migrate(db_);
    // Folder entries must survive a crash as surely as the blobs that will live in them.
    create_directories_durably(dir_.objects() / "staging");
    create_directories_durably(dir_.objects() / "blobs");
}

// ---------------------------------------------------------------------------------------------
// Files

std::string ObjectStore::random_id() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error("OpenSSL RAND_bytes failed");
    return to_hex(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

fs::path ObjectStore::new_staging_path() { return dir_.objects() / "staging" / random_id(); }

ObjectStore::Sealed ObjectStore::seal(const fs::path& file) {
    FileDescriptor fd(file, O_RDONLY);
    auto md5 = StreamingDigest::md5();
    Sealed sealed;
    std::vector<char> buffer(kChunk);
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail_io(file, "read failed");
        if (n == 0) break;
        md5.update(std::string_view(buffer.data(), static_cast<size_t>(n)));
        sealed.size += n;
    }
    fd.sync();
    sealed.md5 = md5.hex();
    return sealed;
}

int64_t ObjectStore::append(FileDescriptor& out, std::istream& in, const fs::path& source) {
    std::vector<char> buffer(kChunk);
    int64_t total = 0;
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        out.write_all(std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
        total += in.gcount();
    }
    if (in.bad()) throw IoError(Location{source.string()}, "read error while copying a blob");
    return total;
}

FileDescriptor ObjectStore::create_staging_file(const fs::path& staged) {
    return FileDescriptor(staged, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
}

void ObjectStore::write_staging(const fs::path& staged, std::string_view bytes) {
    create_staging_file(staged).write_all(bytes);
}

std::string ObjectStore::decrypt(const ObjectInfo& info, std::istream& sealed) const {
    if (!key_)
        throw Error(Location{info.blob.string()}, "object s3://" + info.bucket + "/" + info.key +
                                                      " is encrypted; start apiary serve with --encryption-key-file");
    try {
        return key_->open(read_all(sealed, info.blob), associated_data(info.bucket, info.key));
    } catch (const Error& e) {
        throw Error(Location{info.blob.string()},
                    "cannot decrypt object s3://" + info.bucket + "/" + info.key + ": " + e.what());
    }
}

std::string ObjectStore::adopt_blob(const fs::path& staged) {
    const std::string id = random_id();
    const fs::path blob = dir_.objects() / "blobs" / id.substr(0, 2) / id;
    create_directories_durably(blob.parent_path());
    rename_durably(staged, blob);
    return blob.lexically_relative(dir_.root()).generic_string();
}

void ObjectStore::remove_blob(const fs::path& blob) noexcept {
    std::error_code ignored;  // a leftover is only an orphan, swept at the next startup
    fs::remove(blob, ignored);
}

size_t ObjectStore::remove_orphan_blobs(std::chrono::seconds min_age) {
    const auto now = fs::file_time_type::clock::now();
    const auto older_than = [&](const fs::path& file, auto age) {
        std::error_code ec;
        const auto written = fs::last_write_time(file, ec);
        return !ec && now - written >= age;
    };
    const fs::path orphaned = dir_.objects() / "orphaned";
    // Set aside long enough for an operator to notice a lost or restored database.
    if (fs::exists(orphaned))
        for (const auto& entry : fs::directory_iterator(orphaned))
            if (entry.is_regular_file() && older_than(entry.path(), kOrphanRetention)) remove_blob(entry.path());

    // Listed before the rows are read: a blob renamed into place after the listing is not judged,
    // and one listed before its row committed is younger than min_age.
    std::vector<fs::path> candidates;
    for (const auto& folder : {dir_.objects() / "blobs", dir_.objects() / "staging"})
        for (const auto& entry : fs::recursive_directory_iterator(folder))
            if (entry.is_regular_file() && older_than(entry.path(), min_age)) candidates.push_back(entry.path());
    if (candidates.empty()) return 0;

    std::set<std::string> referenced;
    {
        std::lock_guard lock(mutex_);
        Transaction snapshot(db_);  // both tables read at one moment; nothing is written
        for (const char* sql : {"SELECT blob FROM objects", "SELECT blob FROM multipart_parts"})
            for (auto st = db_.prepare(sql); st.step();) referenced.insert(st.column_text(0));
    }
    size_t swept = 0;
    for (const auto& file : candidates) {
        const std::string relative = file.lexically_relative(dir_.root()).generic_string();
        if (referenced.contains(relative)) continue;
        if (relative.starts_with("objects/staging/")) {
            remove_blob(file);
        } else {
            create_directories_durably(orphaned);
            const fs::path aside = orphaned / file.filename();
            rename_durably(file, aside);
            fs::last_write_time(aside, fs::file_time_type::clock::now());  // the week starts now
        }
        ++swept;
    }
    return swept;
}

// ---------------------------------------------------------------------------------------------
// Buckets

void ObjectStore::require_bucket(const std::string& bucket) {
    if (!db_.prepare("SELECT 1 FROM buckets WHERE name = ?").bind(1, bucket).step()) throw no_such_bucket(bucket);
}

void ObjectStore::create_bucket(const std::string& name) {
    if (!is_valid_bucket_name(name))
        throw ObjectStoreError(S3Error::InvalidBucketName, "The specified bucket is not valid: " + name);
    std::lock_guard lock(mutex_);
    try {
        db_.prepare("INSERT INTO buckets (name, created_ms) VALUES (?, ?)").bind(1, name).bind(2, now_ms()).run();
    } catch (const Conflict&) {
        throw ObjectStoreError(S3Error::BucketAlreadyOwnedByYou, "You already own bucket " + name);
    }
}

void ObjectStore::delete_bucket(const std::string& name) {
    std::vector<fs::path> garbage;
    {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);
        require_bucket(name);
        if (db_.prepare("SELECT 1 FROM objects WHERE bucket = ? LIMIT 1").bind(1, name).step())
            throw ObjectStoreError(S3Error::BucketNotEmpty, "The bucket you tried to delete is not empty: " + name);
        auto uploads = db_.prepare("SELECT upload_id FROM multipart_uploads WHERE bucket = ?");
        for (uploads.bind(1, name); uploads.step();)
            for (const auto& part : read_parts(uploads.column_text(0))) garbage.push_back(part.blob);
        db_.prepare("DELETE FROM multipart_uploads WHERE bucket = ?").bind(1, name).run();
        db_.prepare("DELETE FROM buckets WHERE name = ?").bind(1, name).run();
        tx.commit();
    }
    for (const auto& blob : garbage) remove_blob(blob);
}

std::vector<BucketInfo> ObjectStore::list_buckets() {
    std::lock_guard lock(mutex_);
    std::vector<BucketInfo> out;
    for (auto st = db_.prepare("SELECT name, created_ms FROM buckets ORDER BY name"); st.step();)
        out.push_back({st.column_text(0), st.column_int(1)});
    return out;
}

bool ObjectStore::bucket_exists(const std::string& name) {
    std::lock_guard lock(mutex_);
    return db_.prepare("SELECT 1 FROM buckets WHERE name = ?").bind(1, name).step();
}

// ---------------------------------------------------------------------------------------------
// Objects

ObjectInfo ObjectStore::object_from_row(const Statement& st) const {
    return ObjectInfo{st.column_text(0),
                      st.column_text(1),
                      st.column_int(2),
                      st.column_text(3),
                      st.column_text(4),
                      metadata_from_json(st.column_text(5)),
                      st.column_int(6),
                      blob_path(st.column_text(7)),
                      st.column_int(8) != 0};
}

std::optional<ObjectInfo> ObjectStore::read_object(const std::string& bucket, const std::string& key) {
    auto st = db_.prepare(std::string(kObjectColumns) + "WHERE bucket = ? AND key = ?");
    if (!st.bind(1, bucket).bind(2, key).step()) return std::nullopt;
    return object_from_row(st);
}

ObjectInfo ObjectStore::publish(ObjectInfo info, const fs::path& staged, const ObjectCreatedHook& on_created,
                                const TransactionStep& in_transaction) {
    const std::string relative = adopt_blob(staged);
    info.blob = blob_path(relative);
    std::vector<fs::path> garbage;
    try {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);
        require_bucket(info.bucket);
        if (in_transaction) garbage = in_transaction();
        if (const auto old = read_object(info.bucket, info.key)) garbage.push_back(old->blob);
        db_.prepare("INSERT OR REPLACE INTO objects (bucket, key, size, etag, content_type, metadata, modified_ms, "
                    "blob, encrypted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, info.bucket)
            .bind(2, info.key)
            .bind(3, info.size)
            .bind(4, info.etag)
            .bind(5, info.content_type)
            .bind(6, metadata_to_json(info.user_metadata))
            .bind(7, info.modified_ms)
            .bind(8, relative)
            .bind(9, info.encrypted ? 1 : 0)
            .run();
        if (on_created) on_created(db_, info);
        tx.commit();
    } catch (...) {
        remove_blob(info.blob);
        throw;
    }
    for (const auto& blob : garbage) remove_blob(blob);  // only now that no row names them
    return info;
}

ObjectInfo ObjectStore::put_object(const std::string& bucket, const std::string& key, const fs::path& staged,
                                   const std::string& content_type, const UserMetadata& user_metadata,
                                   const ObjectCreatedHook& on_created) {
    const StagedFile owned{staged};
    check_object_key(key);
    {
        std::lock_guard lock(mutex_);
        require_bucket(bucket);  // before hashing what would be refused anyway
    }
    const Sealed sealed = seal(staged);
    return publish({bucket, key, sealed.size, sealed.md5, content_type, user_metadata, now_ms(), {}, false}, staged,
                   on_created);
}

ObjectInfo ObjectStore::put_object_bytes(const std::string& bucket, const std::string& key, std::string_view bytes,
                                         const std::string& content_type, const UserMetadata& user_metadata,
                                         const ObjectCreatedHook& on_created, bool encrypt) {
    const StagedFile staged{new_staging_path()};
    if (!encrypt) {
        write_staging(staged.path, bytes);
        return put_object(bucket, key, staged.path, content_type, user_metadata, on_created);
    }
    if (!key_) throw Error("cannot encrypt s3://" + bucket + "/" + key + ": no encryption key is configured");
    check_object_key(key);
    {
        std::lock_guard lock(mutex_);
        require_bucket(bucket);
    }
    write_staging(staged.path, key_->seal(bytes, associated_data(bucket, key)));
    seal(staged.path);  // for the fsync; the ETag is the plaintext's
    return publish({bucket, key, static_cast<int64_t>(bytes.size()), md5_hex(bytes), content_type, user_metadata,
                    now_ms(), {}, true},
                   staged.path, on_created);
}

std::optional<ObjectInfo> ObjectStore::find_object(const std::string& bucket, const std::string& key) {
    check_object_key(key);
    std::lock_guard lock(mutex_);
    require_bucket(bucket);
    return read_object(bucket, key);
}

ObjectInfo ObjectStore::head_object(const std::string& bucket, const std::string& key) {
    auto found = find_object(bucket, key);
    if (!found) throw no_such_key(key);
    return std::move(*found);
}

OpenedObject ObjectStore::open_object(const std::string& bucket, const std::string& key) {
    check_object_key(key);
    OpenedObject opened;
    {
        std::lock_guard lock(mutex_);
        require_bucket(bucket);
        auto found = read_object(bucket, key);
        if (!found) throw no_such_key(key);
        opened.bytes = std::make_unique<std::ifstream>(found->blob, std::ios::binary);
        if (!*opened.bytes) fail_io(found->blob, "cannot open blob");
        opened.info = std::move(*found);
    }
    // Decrypted outside the lock: the open stream keeps this version's bytes readable.
    if (opened.info.encrypted)
        opened.bytes = std::make_unique<std::istringstream>(decrypt(opened.info, *opened.bytes));
    return opened;
}

std::string ObjectStore::read_object_bytes(const std::string& bucket, const std::string& key) {
    OpenedObject opened = open_object(bucket, key);
    return read_all(*opened.bytes, opened.info.blob);
}

ObjectInfo ObjectStore::copy_object(const std::string& src_bucket, const std::string& src_key,
                                    const std::string& dst_bucket, const std::string& dst_key,
                                    const std::optional<ObjectAttributes>& replace,
                                    const ObjectCreatedHook& on_created) {
    check_object_key(src_key);
    check_object_key(dst_key);
    if (src_bucket == dst_bucket && src_key == dst_key && !replace)
        throw ObjectStoreError(S3Error::InvalidRequest,
                               "This copy request is illegal because it is trying to copy an object to itself "
                               "without changing the object's metadata");
    ObjectInfo info;
    std::optional<std::ifstream> source;
    {
        std::lock_guard lock(mutex_);
        require_bucket(src_bucket);
        auto found = read_object(src_bucket, src_key);
        if (!found) throw no_such_key(src_key);
        require_bucket(dst_bucket);
        info = std::move(*found);
        // Opened while a row still names the blob: a concurrent overwrite may unlink it as soon as
        // the lock is released, but an open stream keeps the bytes readable.
        source.emplace(info.blob, std::ios::binary);
        if (!*source) fail_io(info.blob, "cannot open blob");
    }
    const StagedFile staged{new_staging_path()};
    if (info.encrypted) {
        const std::string plain = decrypt(info, *source);
        write_staging(staged.path, key_->seal(plain, associated_data(dst_bucket, dst_key)));
        seal(staged.path);  // for the fsync
    } else {
        auto out = create_staging_file(staged.path);
        append(out, *source, info.blob);
        out.sync();
    }
    info.bucket = dst_bucket;
    info.key = dst_key;
    info.modified_ms = now_ms();
    if (replace) {
        info.content_type = replace->content_type;
        info.user_metadata = replace->user_metadata;
    }
    return publish(std::move(info), staged.path, on_created);
}

bool ObjectStore::delete_object(const std::string& bucket, const std::string& key) {
    check_object_key(key);
    std::optional<ObjectInfo> old;
    {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);
        require_bucket(bucket);
        old = read_object(bucket, key);
        if (!old) return false;
        db_.prepare("DELETE FROM objects WHERE bucket = ? AND key = ?").bind(1, bucket).bind(2, key).run();
        tx.commit();
    }
    remove_blob(old->blob);
    return true;
}

ListResult ObjectStore::list_objects(const std::string& bucket, const ListQuery& query) {
    if (query.max_keys < 0) throw ObjectStoreError(S3Error::InvalidArgument, "max-keys must not be negative");
    const int max_keys = std::min(query.max_keys, kMaxListKeys);
    const auto end = prefix_end(query.prefix);
    Cursor cursor = start_of(query);
    ListResult result;
    std::string last;  // the last key or common prefix returned, for the continuation token
    std::lock_guard lock(mutex_);
    require_bucket(bucket);
    // Each pass reads keys from the cursor on; rolling keys up into a common prefix moves the
    // cursor past everything under it, so a prefix costs one query however many keys it holds.
    for (bool more = max_keys > 0; more;) {
        more = false;
        auto st = db_.prepare(std::string(kObjectColumns) + "WHERE bucket = ? AND key " +
                              (cursor.inclusive ? ">=" : ">") + " ?" + (end ? " AND key < ?" : "") +
                              " ORDER BY key LIMIT ?");
        st.bind(1, bucket).bind(2, cursor.from);
        if (end) st.bind(3, *end);
        st.bind(end ? 4 : 3, max_keys - result.key_count + 1);
        while (st.step()) {
            if (result.key_count == max_keys) {
                result.truncated = true;
                result.next_continuation_token = to_hex(last);
                return result;
            }
            ++result.key_count;
            ObjectInfo object = object_from_row(st);
            if (auto prefix = rolled_up(object.key, query)) {
                last = *prefix;
                result.common_prefixes.push_back(std::move(*prefix));
                const auto next = prefix_end(last);
                more = next.has_value();
                if (more) cursor = Cursor{*next, true};
                break;
            }
            last = object.key;
            cursor = Cursor{object.key, false};
            result.objects.push_back(std::move(object));
        }
    }
    return result;
}

}  // namespace apiary::store
