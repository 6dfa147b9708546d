#pragma once
// The storage behind the S3 API: buckets and objects, metadata in SQLite (apiary.db) and bytes in
// opaque blob files under <data-dir>/objects/blobs/ab/<random hex>.
//
// A blob's name is random, never derived from the key, so a key such as "../../etc/passwd" or
// "/abs" is only a string and cannot address a file outside the data directory. Blobs are
// immutable: replacing an object writes a new blob, commits the row, then deletes the old blob.
// Every blob is fsynced (file and directory entry) before the row naming it commits, and every
// commit is fsynced (synchronous=FULL), so a crash can leave a blob without a row (set aside by
// remove_orphan_blobs()) but never a row without bytes.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/encryption.h"
#include "core/error.h"
#include "core/files.h"
#include "store/data_dir.h"
#include "store/s3_error_code.h"
#include "store/sqlite.h"

namespace apiary::store {

// A refusal in S3's terms: a code of the closed list (the HTTP layer gives it its status, see
// service/s3_errors.h) and S3's message.
class ObjectStoreError : public Error {
public:
    ObjectStoreError(S3Error code, const std::string& message) : Error(message), code_(code) {}
    S3Error code() const { return code_; }
    std::string_view code_name() const { return store::code_name(code_); }

private:
    S3Error code_;
};

using UserMetadata = std::map<std::string, std::string>;  // x-amz-meta-* without the prefix

struct ObjectInfo {
    std::string bucket;
    std::string key;
    int64_t size = 0;
    std::string etag;  // hex md5, or "<hex>-<parts>" for a multipart upload; unquoted
    std::string content_type;
    UserMetadata user_metadata;
    int64_t modified_ms = 0;
    std::filesystem::path blob;  // absolute path of the bytes; never written to after creation
    bool encrypted = false;      // the blob holds the bytes sealed (see set_encryption_key)
};

struct BucketInfo {
    std::string name;
    int64_t created_ms = 0;
};

// ListObjectsV2's parameters. An empty delimiter means none. The explicit {} initializers let
// callers use designated initializers ({.prefix = "a/", .delimiter = "/"}) without -Wextra warnings.
struct ListQuery {
    std::string prefix{};
    std::string delimiter{};
    std::string start_after{};         // ignored when continuation_token is set, as in S3
    std::string continuation_token{};  // next_continuation_token of the previous page
    int max_keys = 1000;               // 0..1000; larger values are capped at 1000
};

struct ListResult {
    std::vector<ObjectInfo> objects;
    std::vector<std::string> common_prefixes;
    bool truncated = false;
    std::string next_continuation_token;  // set when truncated
    int key_count = 0;                    // objects + common prefixes
};

// An object with its bytes open for reading. The stream was opened under the store's lock, so it
// reads this version even if the object is overwritten or deleted meanwhile. For an encrypted
// object it reads the plaintext, decrypted into memory.
struct OpenedObject {
    ObjectInfo info;
    std::unique_ptr<std::istream> bytes;
};

// Content type and user metadata, for a copy that replaces them (x-amz-metadata-directive: REPLACE).
struct ObjectAttributes {
    std::string content_type;
    UserMetadata user_metadata;
};

struct PartInfo {
    int number = 0;
    int64_t size = 0;
    std::string etag;  // hex md5, unquoted
    int64_t modified_ms = 0;
};

// Runs inside the transaction that makes a new object visible, before it commits, on the store's
// own connection. The event pipeline enqueues "object created" here, so an object never exists
// without its event; a hook that throws cancels the write. It runs under the store's lock: it must
// not call back into the ObjectStore.
using ObjectCreatedHook = std::function<void(Database&, const ObjectInfo&)>;

// S3's bucket naming rules: 3-63 characters of [a-z0-9.-], starting and ending with a letter or
// digit, no "..", not shaped like an IPv4 address.
bool is_valid_bucket_name(std::string_view name);

// Throws ObjectStoreError unless `key` is usable as an object key: KeyTooLongError beyond 1024
// bytes, InvalidArgument if empty, containing NUL or not valid UTF-8.
void check_object_key(std::string_view key);

// Thread-safe: the HTTP server calls it from many threads. Metadata work is serialised on one
// connection; hashing and copying bytes happen outside the lock.
class ObjectStore {
public:
    // Opens its own connection to dir.database() and brings the schema up to date. `key`: as
    // set_encryption_key.
    explicit ObjectStore(const DataDir& dir, std::optional<EncryptionKey> key = std::nullopt);

    // --- Buckets. Invalid names throw InvalidBucketName; missing buckets NoSuchBucket.
    void create_bucket(const std::string& name);  // BucketAlreadyOwnedByYou if it exists
    // BucketNotEmpty while it holds objects; unfinished multipart uploads are aborted with it.
    void delete_bucket(const std::string& name);
    std::vector<BucketInfo> list_buckets();  // by name
    bool bucket_exists(const std::string& name);

    // --- Objects. Every call on a missing bucket throws NoSuchBucket; bad keys as check_object_key.

    // A fresh path for a writer to stream a request body into. It lies on the blobs' filesystem,
    // so adopting it is a rename. The file is not created.
    std::filesystem::path new_staging_path();

    // Stores the file at `staged` (from new_staging_path()) as bucket/key, replacing any object
    // there. Takes ownership of the file: it is moved into the store or deleted, even on error.
    ObjectInfo put_object(const std::string& bucket, const std::string& key, const std::filesystem::path& staged,
                          const std::string& content_type, const UserMetadata& user_metadata,
                          const ObjectCreatedHook& on_created = {});
    // With `encrypt`, the blob holds the bytes sealed under the store's key (Error without one);
    // size and ETag stay those of the plaintext, since S3 clients compare MD5s.
    ObjectInfo put_object_bytes(const std::string& bucket, const std::string& key, std::string_view bytes,
                                const std::string& content_type = "application/octet-stream",
                                const UserMetadata& user_metadata = {}, const ObjectCreatedHook& on_created = {},
                                bool encrypt = false);

    std::optional<ObjectInfo> find_object(const std::string& bucket, const std::string& key);
    ObjectInfo head_object(const std::string& bucket, const std::string& key);  // NoSuchKey if absent
    // For GET: opening ObjectInfo::blob after head_object() races with an overwrite, which deletes
    // the old blob once the new row commits. NoSuchKey if absent.
    OpenedObject open_object(const std::string& bucket, const std::string& key);
    // The whole object's bytes, decrypted if it is encrypted. NoSuchKey if absent.
    std::string read_object_bytes(const std::string& bucket, const std::string& key);

    // The key that encrypts blobs stored with encrypt = true and decrypts them when read; reading an
    // encrypted object without it is an Error. Not synchronised: set it before serving requests.
    void set_encryption_key(std::optional<EncryptionKey> key) { key_ = std::move(key); }

    // Copies into a new blob; the copy keeps the source's ETag. An encrypted source is re-sealed
    // for its new bucket and key (the sealed bytes are bound to them), so the copy stays encrypted. Without `replace` it also keeps the
    // content type and user metadata; copying an object onto itself requires `replace`
    // (InvalidRequest otherwise), as S3 does.
    ObjectInfo copy_object(const std::string& src_bucket, const std::string& src_key, const std::string& dst_bucket,
                           const std::string& dst_key, const std::optional<ObjectAttributes>& replace = std::nullopt,
                           const ObjectCreatedHook& on_created = {});

    // Idempotent like S3's DeleteObject; returns whether the object existed.
    bool delete_object(const std::string& bucket, const std::string& key);

    // ListObjectsV2: keys in UTF-8 byte order; with a delimiter, keys holding it after the prefix
    // roll up into common prefixes, each counting once toward max_keys. The continuation token is
    // opaque (hex of the last key or common prefix returned); a malformed one is InvalidArgument.
    ListResult list_objects(const std::string& bucket, const ListQuery& query);

    // --- Multipart uploads (multipart.cpp). Unknown upload ids, or ids of another bucket/key,
    // throw NoSuchUpload.
    std::string create_multipart_upload(const std::string& bucket, const std::string& key,
                                        const std::string& content_type, const UserMetadata& user_metadata);
    // Stores part `part_number` (1..10000, else InvalidArgument) from a staged file, owned as by
    // put_object, and returns its md5 hex. Uploading a number again replaces that part.
    std::string upload_part(const std::string& bucket, const std::string& key, const std::string& upload_id,
                            int part_number, const std::filesystem::path& staged);
    // Assembles the listed parts, given as (number, ETag as the client sent it; quotes allowed), into
    // the object. S3's rules: at least one part (MalformedXML), numbers strictly ascending
    // (InvalidPartOrder), each part uploaded with that ETag (InvalidPart), all but the last at
    // least min_part_size bytes (EntityTooSmall). Parts left out are discarded. The ETag is the md5
    // of the concatenated binary part md5s, then "-<number of parts>".
    ObjectInfo complete_multipart_upload(const std::string& bucket, const std::string& key,
                                         const std::string& upload_id,
                                         const std::vector<std::pair<int, std::string>>& parts,
                                         const ObjectCreatedHook& on_created = {});
    void abort_multipart_upload(const std::string& bucket, const std::string& key, const std::string& upload_id);
    std::vector<PartInfo> list_parts(const std::string& bucket, const std::string& key, const std::string& upload_id);

    // Parts other than the last must be at least this large; 5 MiB as in S3 unless set (tests).
    void set_min_part_size(int64_t bytes) { min_part_size_ = bytes; }

    // Sweeps what a crash leaves between writing a blob and committing its row, and returns how
    // many files it swept. Only files older than `min_age` are judged: a younger one may belong to
    // a write still in flight in another process. Staging files (never acknowledged) are deleted;
    // unreferenced blobs are moved to objects/orphaned/ and deleted from there a week later, so a
    // database restored from an older backup, or lost, costs no bytes. The server runs it at
    // startup, before it accepts requests.
    size_t remove_orphan_blobs(std::chrono::seconds min_age = std::chrono::hours(1));

private:
    // A staged file owned by the running call: deleted when the call ends, unless it was adopted.
    struct StagedFile {
        std::filesystem::path path;
        ~StagedFile();
    };
    struct Sealed {
        int64_t size = 0;
        std::string md5;
    };
    struct StoredPart {
        PartInfo info;
        std::filesystem::path blob;
    };

    static std::string random_id();  // 32 hex digits from OpenSSL's CSPRNG
    static std::string metadata_to_json(const UserMetadata& metadata);
    static UserMetadata metadata_from_json(const std::string& text);
    // Hashes the file and fsyncs it, so it is durable before any row names it.
    static Sealed seal(const std::filesystem::path& file);
    // Copies the rest of `in` (the bytes of `source`) to `out`; returns the bytes copied.
    static int64_t append(FileDescriptor& out, std::istream& in, const std::filesystem::path& source);
    // A new staging file (mode 0600, never through a symlink) for the store's own writes.
    static FileDescriptor create_staging_file(const std::filesystem::path& staged);
    // Writes `bytes` to a new staging file; seal() then makes it durable.
    static void write_staging(const std::filesystem::path& staged, std::string_view bytes);
    // The plaintext of an encrypted object whose blob `sealed` was opened under the lock.
    std::string decrypt(const ObjectInfo& info, std::istream& sealed) const;

    // Renames a sealed staging file to a new blob, durably, and returns the blob's path relative to
    // the data directory (as rows store it).
    std::string adopt_blob(const std::filesystem::path& staged);
    std::filesystem::path blob_path(const std::string& relative) const { return dir_.root() / relative; }
    static void remove_blob(const std::filesystem::path& blob) noexcept;

    // Adopts `staged` as the blob of `info` and commits its row in one transaction, which also runs
    // `in_transaction` (returning blobs that become garbage once it commits) and then the hook.
    using TransactionStep = std::function<std::vector<std::filesystem::path>()>;
    ObjectInfo publish(ObjectInfo info, const std::filesystem::path& staged, const ObjectCreatedHook& on_created,
                       const TransactionStep& in_transaction = {});

    // These run with mutex_ held.
    void require_bucket(const std::string& bucket);
    ObjectAttributes require_upload(const std::string& bucket, const std::string& key, const std::string& upload_id);
    std::optional<ObjectInfo> read_object(const std::string& bucket, const std::string& key);
    ObjectInfo object_from_row(const Statement& st) const;  // columns as in kObjectColumns
    std::vector<StoredPart> read_parts(const std::string& upload_id);
    void delete_upload(const std::string& upload_id);  // with its parts' rows, not their blobs

    DataDir dir_;
    Database db_;
    std::mutex mutex_;  // guards db_: transactions span several statements on one connection
    std::atomic<int64_t> min_part_size_{5 * 1024 * 1024};
    std::optional<EncryptionKey> key_;
};

}  // namespace apiary::store
