// ObjectStore's multipart uploads: parts are blobs of their own until completion concatenates
// the chosen ones into the object's blob and discards them all.
#include <algorithm>
#include <fstream>

#include "core/arn.h"
#include "core/hash.h"
#include "core/text.h"
#include "store/object_store.h"

namespace apiary::store {
namespace fs = std::filesystem;

namespace {

constexpr int kMaxPartNumber = 10000;

ObjectStoreError no_such_upload(const std::string& upload_id) {
    return ObjectStoreError(S3Error::NoSuchUpload, "The specified multipart upload does not exist: " + upload_id);
}

// Clients echo the ETag header, quotes included.
std::string normalized_etag(std::string etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
    return ascii_lowercase(etag);
}

void check_part_list(const std::vector<std::pair<int, std::string>>& parts) {
    if (parts.empty()) throw ObjectStoreError(S3Error::MalformedXML, "You must specify at least one part");
    for (size_t i = 1; i < parts.size(); ++i)
        if (parts[i].first <= parts[i - 1].first)
            throw ObjectStoreError(S3Error::InvalidPartOrder, "The list of parts was not in ascending order");
}

// A part's md5 as the 16 bytes that S3's multipart ETag hashes.
std::string md5_bytes(const std::string& hex) {
    std::string bytes;
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return bytes;
}

}  // namespace

std::vector<ObjectStore::StoredPart> ObjectStore::read_parts(const std::string& upload_id) {
    std::vector<StoredPart> out;
    auto st = db_.prepare(
        "SELECT part_number, size, etag, modified_ms, blob FROM multipart_parts WHERE upload_id = ? "
        "ORDER BY part_number");
    for (st.bind(1, upload_id); st.step();)
        out.push_back({PartInfo{static_cast<int>(st.column_int(0)), st.column_int(1), st.column_text(2),
                                st.column_int(3)},
                       blob_path(st.column_text(4))});
    return out;
}

ObjectAttributes ObjectStore::require_upload(const std::string& bucket, const std::string& key,
                                             const std::string& upload_id) {
    auto st = db_.prepare("SELECT content_type, metadata FROM multipart_uploads "
                          "WHERE upload_id = ? AND bucket = ? AND key = ?");
    if (!st.bind(1, upload_id).bind(2, bucket).bind(3, key).step()) throw no_such_upload(upload_id);
    return {st.column_text(0), metadata_from_json(st.column_text(1))};
}

void ObjectStore::delete_upload(const std::string& upload_id) {
    db_.prepare("DELETE FROM multipart_uploads WHERE upload_id = ?").bind(1, upload_id).run();  // parts cascade
}

std::string ObjectStore::create_multipart_upload(const std::string& bucket, const std::string& key,
                                                 const std::string& content_type,
                                                 const UserMetadata& user_metadata) {
    check_object_key(key);
    const std::string upload_id = random_id();
    std::lock_guard lock(mutex_);
    require_bucket(bucket);
    db_.prepare("INSERT INTO multipart_uploads (upload_id, bucket, key, content_type, metadata, created_ms) "
                "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, upload_id)
        .bind(2, bucket)
        .bind(3, key)
        .bind(4, content_type)
        .bind(5, metadata_to_json(user_metadata))
        .bind(6, now_ms())
        .run();
    return upload_id;
}

std::string ObjectStore::upload_part(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                     int part_number, const fs::path& staged) {
    const StagedFile owned{staged};
    check_object_key(key);
    if (part_number < 1 || part_number > kMaxPartNumber)
        throw ObjectStoreError(S3Error::InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive");
    {
        std::lock_guard lock(mutex_);
        require_bucket(bucket);
        require_upload(bucket, key, upload_id);  // before hashing what would be refused anyway
    }
    const Sealed sealed = seal(staged);
    const std::string relative = adopt_blob(staged);
    std::optional<fs::path> replaced;
    try {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);
        require_bucket(bucket);
        require_upload(bucket, key, upload_id);  // an abort may have won the race
        auto old = db_.prepare("SELECT blob FROM multipart_parts WHERE upload_id = ? AND part_number = ?");
        if (old.bind(1, upload_id).bind(2, part_number).step()) replaced = blob_path(old.column_text(0));
        db_.prepare("INSERT OR REPLACE INTO multipart_parts (upload_id, part_number, size, etag, modified_ms, blob) "
                    "VALUES (?, ?, ?, ?, ?, ?)")
            .bind(1, upload_id)
            .bind(2, part_number)
            .bind(3, sealed.size)
            .bind(4, sealed.md5)
            .bind(5, now_ms())
            .bind(6, relative)
            .run();
        tx.commit();
    } catch (...) {
        remove_blob(blob_path(relative));
        throw;
    }
    if (replaced) remove_blob(*replaced);
    return sealed.md5;
}

ObjectInfo ObjectStore::complete_multipart_upload(const std::string& bucket, const std::string& key,
                                                  const std::string& upload_id,
                                                  const std::vector<std::pair<int, std::string>>& parts,
                                                  const ObjectCreatedHook& on_created) {
    check_object_key(key);
    check_part_list(parts);
    ObjectInfo info{bucket, key, 0, {}, {}, {}, 0, {}, false};
    std::vector<StoredPart> chosen;
    std::string part_digests;  // S3's multipart ETag is their md5, then the number of parts
    {
        std::lock_guard lock(mutex_);
        require_bucket(bucket);
        auto attributes = require_upload(bucket, key, upload_id);
        info.content_type = std::move(attributes.content_type);
        info.user_metadata = std::move(attributes.user_metadata);
        const auto uploaded = read_parts(upload_id);
        for (const auto& [number, etag] : parts) {
            const auto it = std::find_if(uploaded.begin(), uploaded.end(),
                                         [&](const StoredPart& p) { return p.info.number == number; });
            if (it == uploaded.end() || it->info.etag != normalized_etag(etag))
                throw ObjectStoreError(S3Error::InvalidPart, "One or more of the specified parts could not be found "
                                                      "or its ETag did not match (part " + std::to_string(number) +
                                                      ")");
            if (!chosen.empty() && chosen.back().info.size < min_part_size_)
                throw ObjectStoreError(S3Error::EntityTooSmall, "Your proposed upload is smaller than the minimum allowed "
                                                         "size (part " + std::to_string(chosen.back().info.number) +
                                                         ")");
            chosen.push_back(*it);
            part_digests += md5_bytes(it->info.etag);
        }
    }
    // Read one at a time, outside the lock: holding every part open at once fails past the
    // open-file limit (10,000 parts). Blobs are immutable, so a part opened here has the bytes its
    // ETag names; one that is gone was replaced or aborted meanwhile, and publish() below would
    // refuse the completion anyway.
    const StagedFile staged{new_staging_path()};
    {
        auto out = create_staging_file(staged.path);
        for (const auto& part : chosen) {
            std::ifstream in(part.blob, std::ios::binary);
            if (!in)
                throw ObjectStoreError(S3Error::InvalidPart, "Part " + std::to_string(part.info.number) +
                                                          " was replaced while the upload was being completed");
            info.size += append(out, in, part.blob);
        }
        out.sync();
    }
    info.etag = md5_hex(part_digests) + "-" + std::to_string(chosen.size());
    info.modified_ms = now_ms();
    return publish(std::move(info), staged.path, on_created, [&] {
        require_upload(bucket, key, upload_id);  // a concurrent complete or abort may have won
        const auto now = read_parts(upload_id);
        for (const auto& part : chosen)
            if (std::none_of(now.begin(), now.end(), [&](const StoredPart& p) { return p.blob == part.blob; }))
                throw ObjectStoreError(S3Error::InvalidPart, "Part " + std::to_string(part.info.number) +
                                                          " was replaced while the upload was being completed");
        delete_upload(upload_id);
        std::vector<fs::path> garbage;
        for (const auto& part : now) garbage.push_back(part.blob);
        return garbage;
    });
}

void ObjectStore::abort_multipart_upload(const std::string& bucket, const std::string& key,
                                         const std::string& upload_id) {
    std::vector<StoredPart> parts;
    {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);
        require_bucket(bucket);
        require_upload(bucket, key, upload_id);
        parts = read_parts(upload_id);
        delete_upload(upload_id);
        tx.commit();
    }
    for (const auto& part : parts) remove_blob(part.blob);
}

std::vector<PartInfo> ObjectStore::list_parts(const std::string& bucket, const std::string& key,
                                              const std::string& upload_id) {
    std::lock_guard lock(mutex_);
    require_bucket(bucket);
    require_upload(bucket, key, upload_id);
    std::vector<PartInfo> out;
    for (auto& part : read_parts(upload_id)) out.push_back(std::move(part.info));
    return out;
}

}  // namespace apiary::store
