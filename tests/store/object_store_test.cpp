#include "store/object_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <thread>

#include "core/encryption.h"
#include "core/files.h"
#include "core/hash.h"
#include "support/test_support.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {

// The S3 error code `f` throws, or "" if it returns.
template <class F>
std::string s3_error(F&& f) {
    try {
        f();
    } catch (const store::ObjectStoreError& e) {
        return std::string(e.code_name());
    }
    return "";
}

std::vector<fs::path> files_under(const fs::path& dir) {
    std::vector<fs::path> out;
    if (fs::exists(dir))
        for (const auto& e : fs::recursive_directory_iterator(dir))
            if (e.is_regular_file()) out.push_back(e.path());
    return out;
}

size_t blob_count(const store::DataDir& dir) { return files_under(dir.objects() / "blobs").size(); }
size_t staging_count(const store::DataDir& dir) { return files_under(dir.objects() / "staging").size(); }

std::string hex_to_bytes(const std::string& hex) {
    std::string out;
    for (size_t i = 0; i < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

fs::path stage(store::ObjectStore& s, const std::string& bytes) {
    const auto path = s.new_staging_path();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

struct Fixture {
    test::TempDir tmp;
    store::DataDir dir{tmp / "data"};
    store::ObjectStore s{dir};
};

// A key or common prefix, as a listing returns them in order.
using Entry = std::pair<bool /*common prefix*/, std::string>;

// ListObjectsV2 over a sorted key set, straight from the definition.
std::vector<Entry> expected_listing(const std::set<std::string>& keys, const std::string& prefix,
                                    const std::string& delimiter) {
    std::vector<Entry> out;
    for (const auto& key : keys) {
        if (key.rfind(prefix, 0) != 0) continue;
        const size_t at = delimiter.empty() ? std::string::npos : key.find(delimiter, prefix.size());
        if (at == std::string::npos) {
            out.emplace_back(false, key);
        } else if (const auto cp = key.substr(0, at + delimiter.size()); out.empty() || out.back() != Entry{true, cp}) {
            out.emplace_back(true, cp);
        }
    }
    return out;
}

// Pages through a listing with `max_keys` per page, merging objects and prefixes back into order.
std::vector<Entry> list_all(store::ObjectStore& s, store::ListQuery q, int* pages = nullptr) {
    std::vector<Entry> out;
    for (int page = 1;; ++page) {
        const auto r = s.list_objects("bkt", q);
        std::vector<Entry> got;
        for (const auto& o : r.objects) got.emplace_back(false, o.key);
        for (const auto& p : r.common_prefixes) got.emplace_back(true, p);
        std::sort(got.begin(), got.end(), [](const Entry& a, const Entry& b) { return a.second < b.second; });
        EXPECT_EQ(r.key_count, static_cast<int>(got.size()));
        EXPECT_LE(r.key_count, q.max_keys);
        out.insert(out.end(), got.begin(), got.end());
        if (!r.truncated) {
            if (pages) *pages = page;
            return out;
        }
        EXPECT_FALSE(r.next_continuation_token.empty());
        q.continuation_token = r.next_continuation_token;
        if (page > 1000) {
            ADD_FAILURE() << "listing does not end";
            return out;
        }
    }
}

const std::set<std::string> kListingKeys = {
    "a",        "a/",          "a/b",      "a/b/c",       "a/b/d",      "a//x",      "a/c",     "a.b",
    "a0",       "a-b",         "a%b",      "a_b",         "A/b",        "Z",         "_under",  "b",
    "b/1",      "b/2",         "~tilde",   " space",      "é",          "é/1",       "日本/語.txt", "日本語",
    "z😀",      "z😀/x",       "photos/2023/x.jpg", "photos/2024/feb/2.jpg", "photos/2024/jan/1.jpg",
    "photos/readme"};

}  // namespace

TEST(ObjectStore, PutGetOverwriteDelete) {
    Fixture f;
    f.s.create_bucket("bkt");
    const auto first = f.s.put_object_bytes("bkt", "dir/file.txt", "hello", "text/plain", {{"color", "blue"}});
    EXPECT_EQ(first.size, 5);
    EXPECT_EQ(first.etag, md5_hex("hello"));
    EXPECT_EQ(read_file(first.blob), "hello");

    const auto found = f.s.head_object("bkt", "dir/file.txt");
    EXPECT_EQ(found.content_type, "text/plain");
    EXPECT_EQ(found.user_metadata, (store::UserMetadata{{"color", "blue"}}));
    EXPECT_EQ(found.blob, first.blob);

    const auto second = f.s.put_object_bytes("bkt", "dir/file.txt", "bye");
    EXPECT_EQ(read_file(f.s.head_object("bkt", "dir/file.txt").blob), "bye");
    EXPECT_TRUE(f.s.head_object("bkt", "dir/file.txt").user_metadata.empty());
    EXPECT_FALSE(fs::exists(first.blob)) << "the replaced blob is deleted";
    EXPECT_EQ(blob_count(f.dir), 1u);

    EXPECT_TRUE(f.s.delete_object("bkt", "dir/file.txt"));
    EXPECT_FALSE(f.s.delete_object("bkt", "dir/file.txt")) << "idempotent";
    EXPECT_FALSE(f.s.find_object("bkt", "dir/file.txt"));
    EXPECT_EQ(s3_error([&] { f.s.head_object("bkt", "dir/file.txt"); }), "NoSuchKey");
    EXPECT_FALSE(fs::exists(second.blob));
    EXPECT_EQ(staging_count(f.dir), 0u);
}

TEST(ObjectStore, AnOpenedObjectSurvivesOverwriteAndDelete) {
    Fixture f;
    f.s.create_bucket("bkt");
    f.s.put_object_bytes("bkt", "k", "version 1");
    auto opened = f.s.open_object("bkt", "k");
    f.s.put_object_bytes("bkt", "k", "version 2");
    EXPECT_FALSE(fs::exists(opened.info.blob));
    f.s.delete_object("bkt", "k");
    std::string text;
    std::getline(*opened.bytes, text);
    EXPECT_EQ(text, "version 1");
    EXPECT_EQ(s3_error([&] { f.s.open_object("bkt", "k"); }), "NoSuchKey");
}

TEST(ObjectStore, ObjectsSurviveReopening) {
    test::TempDir tmp;
    const store::DataDir dir(tmp / "data");
    {
        store::ObjectStore s(dir);
        s.create_bucket("bkt");
        s.put_object_bytes("bkt", "k", "kept", "text/plain", {{"a", "1"}});
    }
    store::ObjectStore s(dir);
    const auto o = s.head_object("bkt", "k");
    EXPECT_EQ(read_file(o.blob), "kept");
    EXPECT_EQ(o.user_metadata.at("a"), "1");
    EXPECT_EQ(s.remove_orphan_blobs(), 0u);
}

TEST(ObjectStore, ListsWithPrefixAndDelimiterInByteOrder) {
    Fixture f;
    f.s.create_bucket("bkt");
    for (const auto& key : kListingKeys) f.s.put_object_bytes("bkt", key, key);

    const auto top = f.s.list_objects("bkt", {.prefix = "a", .delimiter = "/"});
    std::vector<std::string> keys;
    for (const auto& o : top.objects) keys.push_back(o.key);
    EXPECT_EQ(keys, (std::vector<std::string>{"a", "a%b", "a-b", "a.b", "a0", "a_b"}));
    EXPECT_EQ(top.common_prefixes, (std::vector<std::string>{"a/"}));
    EXPECT_EQ(top.key_count, 7);
    EXPECT_FALSE(top.truncated);

    const auto inner = f.s.list_objects("bkt", {.prefix = "a/", .delimiter = "/"});
    keys.clear();
    for (const auto& o : inner.objects) keys.push_back(o.key);
    EXPECT_EQ(keys, (std::vector<std::string>{"a/", "a/b", "a/c"}));
    EXPECT_EQ(inner.common_prefixes, (std::vector<std::string>{"a//", "a/b/"}));

    // No LIKE semantics: '%' and '_' are literal, case matters.
    for (const auto& [prefix, only] : std::vector<std::pair<std::string, std::string>>{
             {"a%", "a%b"}, {"a_", "a_b"}, {"A", "A/b"}, {"日本/", "日本/語.txt"}}) {
        const auto r = f.s.list_objects("bkt", {.prefix = prefix});
        ASSERT_EQ(r.objects.size(), 1u) << prefix;
        EXPECT_EQ(r.objects[0].key, only);
    }

    const auto photos = f.s.list_objects("bkt", {.prefix = "photos/", .delimiter = "/"});
    EXPECT_EQ(photos.common_prefixes, (std::vector<std::string>{"photos/2023/", "photos/2024/"}));
    ASSERT_EQ(photos.objects.size(), 1u);
    EXPECT_EQ(photos.objects[0].key, "photos/readme");

    const auto after = f.s.list_objects("bkt", {.prefix = "b", .start_after = "b/1"});
    ASSERT_EQ(after.objects.size(), 1u);
    EXPECT_EQ(after.objects[0].key, "b/2");
    const auto before_prefix = f.s.list_objects("bkt", {.prefix = "b/", .start_after = "a"});
    ASSERT_EQ(before_prefix.objects.size(), 2u);
    EXPECT_EQ(before_prefix.objects[0].key, "b/1");

    // Everything, in UTF-8 byte order.
    const auto all = f.s.list_objects("bkt", {});
    keys.clear();
    for (const auto& o : all.objects) keys.push_back(o.key);
    EXPECT_EQ(keys, std::vector<std::string>(kListingKeys.begin(), kListingKeys.end()));
}

TEST(ObjectStore, PagingVisitsEveryEntryExactlyOnce) {
    Fixture f;
    f.s.create_bucket("bkt");
    for (const auto& key : kListingKeys) f.s.put_object_bytes("bkt", key, "x");
    for (const std::string prefix : {"", "a", "a/", "photos/", "z", "nothing"})
        for (const std::string delimiter : {"", "/", "b", "/2"})
            for (const int max_keys : {1, 2, 7, 1000}) {
                int pages = 0;
                const store::ListQuery query{.prefix = prefix, .delimiter = delimiter, .max_keys = max_keys};
                const auto got = list_all(f.s, query, &pages);
                const auto want = expected_listing(kListingKeys, prefix, delimiter);
                EXPECT_EQ(got, want) << "prefix '" << prefix << "' delimiter '" << delimiter << "' max " << max_keys;
                const int want_pages = std::max<int>(1, (static_cast<int>(want.size()) + max_keys - 1) / max_keys);
                EXPECT_EQ(pages, want_pages) << "prefix '" << prefix << "' delimiter '" << delimiter;
            }

    const auto none = f.s.list_objects("bkt", {.max_keys = 0});
    EXPECT_EQ(none.key_count, 0);
    EXPECT_EQ(s3_error([&] { f.s.list_objects("bkt", {.continuation_token = "zz"}); }), "InvalidArgument");
    EXPECT_EQ(s3_error([&] { f.s.list_objects("bkt", {.max_keys = -1}); }), "InvalidArgument");
    EXPECT_EQ(s3_error([&] { f.s.list_objects("nope", {}); }), "NoSuchBucket");
}

TEST(ObjectStore, TraversalKeysAreOnlyStrings) {
    test::TempDir tmp;
    const store::DataDir dir(tmp / "data");
    store::ObjectStore s(dir);
    s.create_bucket("bkt");
    const std::vector<std::string> keys = {"../../etc/passwd", "/abs", "a/../../x", "..\\..\\win.ini", "./.", "//x",
                                           "..", "~/.ssh/id_rsa"};
    for (const auto& key : keys) s.put_object_bytes("bkt", key, "data of " + key);
    for (const auto& key : keys) {
        const auto o = s.head_object("bkt", key);
        EXPECT_EQ(read_file(o.blob), "data of " + key);
        const auto rel = fs::weakly_canonical(o.blob).lexically_relative(fs::weakly_canonical(dir.objects() / "blobs"));
        EXPECT_FALSE(rel.empty() || *rel.begin() == "..") << o.blob;
    }
    for (const auto& file : files_under(tmp.path())) {
        const auto rel = file.lexically_relative(dir.root());
        EXPECT_FALSE(rel.empty() || *rel.begin() == "..") << "file outside the data dir: " << file;
    }
    EXPECT_EQ(blob_count(dir), keys.size());
    EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1) << "only data/";
}

TEST(ObjectStore, RejectsBadKeys) {
    Fixture f;
    f.s.create_bucket("bkt");
    EXPECT_EQ(s3_error([&] { f.s.put_object_bytes("bkt", "", "x"); }), "InvalidArgument");
    EXPECT_EQ(s3_error([&] { f.s.put_object_bytes("bkt", std::string("a\0b", 3), "x"); }), "InvalidArgument");
    EXPECT_EQ(s3_error([&] { f.s.put_object_bytes("bkt", "bad\xff", "x"); }), "InvalidArgument");
    EXPECT_EQ(s3_error([&] { f.s.put_object_bytes("bkt", "overlong\xc0\xaf", "x"); }), "InvalidArgument");
    EXPECT_EQ(s3_error([&] { f.s.put_object_bytes("bkt", "surrogate\xed\xa0\x80", "x"); }), "InvalidArgument");
    EXPECT_EQ(s3_error([&] { f.s.put_object_bytes("bkt", "cut short\xe6\x97", "x"); }), "InvalidArgument");
    EXPECT_EQ(s3_error([&] { f.s.put_object_bytes("bkt", std::string(1025, 'k'), "x"); }), "KeyTooLongError");
    EXPECT_EQ(s3_error([&] { f.s.find_object("bkt", std::string(1025, 'k')); }), "KeyTooLongError");
    EXPECT_EQ(s3_error([&] { f.s.put_object_bytes("bkt", std::string(1024, 'k'), "x"); }), "");
    EXPECT_EQ(s3_error([&] { f.s.put_object_bytes("bkt", "ok 😀 ü", "x"); }), "");
    EXPECT_EQ(blob_count(f.dir), 2u);
    EXPECT_EQ(staging_count(f.dir), 0u) << "refused uploads leave no staging file";
}

TEST(ObjectStore, BucketNamingRules) {
    const std::vector<std::string> good = {"abc", "my-bucket", "my.bucket.2", "0bucket", std::string(63, 'a'),
                                           "1.2.3.4.5"};
    for (const auto& name : good) EXPECT_TRUE(store::is_valid_bucket_name(name)) << name;
    const std::vector<std::string> bad = {"ab",   "My-Bucket", std::string(64, 'a'), "-abc", "abc-", ".abc", "abc.",
                                          "a..b", "a_b",       "192.168.5.4",        "a b",  "bücket", ""};
    for (const auto& name : bad) EXPECT_FALSE(store::is_valid_bucket_name(name)) << name;
    Fixture f;
    EXPECT_EQ(s3_error([&] { f.s.create_bucket("Bad_Name"); }), "InvalidBucketName");
    EXPECT_TRUE(f.s.list_buckets().empty());
}

TEST(ObjectStore, BucketLifecycle) {
    Fixture f;
    f.s.create_bucket("zeta");
    f.s.create_bucket("alpha");
    EXPECT_EQ(s3_error([&] { f.s.create_bucket("alpha"); }), "BucketAlreadyOwnedByYou");
    const auto buckets = f.s.list_buckets();
    ASSERT_EQ(buckets.size(), 2u);
    EXPECT_EQ(buckets[0].name, "alpha");
    EXPECT_GT(buckets[0].created_ms, 0);
    EXPECT_TRUE(f.s.bucket_exists("zeta"));

    f.s.put_object_bytes("alpha", "k", "v");
    EXPECT_EQ(s3_error([&] { f.s.delete_bucket("alpha"); }), "BucketNotEmpty");
    EXPECT_EQ(s3_error([&] { f.s.put_object_bytes("missing", "k", "v"); }), "NoSuchBucket");
    EXPECT_EQ(s3_error([&] { f.s.delete_object("missing", "k"); }), "NoSuchBucket");
    EXPECT_EQ(s3_error([&] { f.s.find_object("missing", "k"); }), "NoSuchBucket");
    EXPECT_EQ(s3_error([&] { f.s.delete_bucket("missing"); }), "NoSuchBucket");

    f.s.delete_object("alpha", "k");
    f.s.delete_bucket("alpha");
    EXPECT_FALSE(f.s.bucket_exists("alpha"));
    EXPECT_EQ(staging_count(f.dir) + blob_count(f.dir), 0u);
}

TEST(ObjectStore, DeletingABucketAbortsItsUploads) {
    Fixture f;
    f.s.create_bucket("bkt");
    const auto id = f.s.create_multipart_upload("bkt", "big", "", {});
    f.s.upload_part("bkt", "big", id, 1, stage(f.s, "part"));
    f.s.delete_bucket("bkt");
    EXPECT_EQ(blob_count(f.dir), 0u);
    f.s.create_bucket("bkt");
    EXPECT_EQ(s3_error([&] { f.s.list_parts("bkt", "big", id); }), "NoSuchUpload");
}

TEST(ObjectStore, CopyMakesAnIndependentObject) {
    Fixture f;
    f.s.create_bucket("src");
    f.s.create_bucket("dst");
    const auto original = f.s.put_object_bytes("src", "a", "payload", "text/plain", {{"k", "v"}});
    const auto copy = f.s.copy_object("src", "a", "dst", "b");
    EXPECT_NE(copy.blob, original.blob);
    EXPECT_EQ(copy.etag, original.etag);
    EXPECT_EQ(copy.content_type, "text/plain");
    EXPECT_EQ(copy.user_metadata, original.user_metadata);
    f.s.delete_object("src", "a");
    EXPECT_EQ(read_file(f.s.head_object("dst", "b").blob), "payload");

    EXPECT_EQ(s3_error([&] { f.s.copy_object("dst", "b", "dst", "b"); }), "InvalidRequest");
    const auto replaced = f.s.copy_object("dst", "b", "dst", "b", store::ObjectAttributes{"image/png", {{"n", "1"}}});
    EXPECT_EQ(f.s.head_object("dst", "b").content_type, "image/png");
    EXPECT_EQ(read_file(replaced.blob), "payload");
    EXPECT_EQ(blob_count(f.dir), 1u);
    EXPECT_EQ(s3_error([&] { f.s.copy_object("src", "a", "dst", "c"); }), "NoSuchKey");
    EXPECT_EQ(s3_error([&] { f.s.copy_object("dst", "b", "missing", "c"); }), "NoSuchBucket");
    EXPECT_EQ(staging_count(f.dir), 0u);
}

TEST(ObjectStore, MultipartUploadAssemblesPartsWithS3ETag) {
    Fixture f;
    f.s.create_bucket("bkt");
    f.s.set_min_part_size(1000);
    const std::vector<std::string> data = {std::string(1000, 'a'), std::string(1500, 'b'), "tail"};
    const auto id = f.s.create_multipart_upload("bkt", "big.bin", "application/x-tar", {{"origin", "cli"}});
    // Parts may arrive in any order; a re-uploaded number replaces its part.
    f.s.upload_part("bkt", "big.bin", id, 3, stage(f.s, "wrong tail"));
    std::vector<std::pair<int, std::string>> parts;
    for (int n : {3, 1, 2}) {
        const auto etag = f.s.upload_part("bkt", "big.bin", id, n, stage(f.s, data[n - 1]));
        EXPECT_EQ(etag, md5_hex(data[n - 1]));
        parts.emplace_back(n, "\"" + etag + "\"");
    }
    std::sort(parts.begin(), parts.end());
    const auto listed = f.s.list_parts("bkt", "big.bin", id);
    ASSERT_EQ(listed.size(), 3u);
    EXPECT_EQ(listed[2].size, 4);

    const auto o = f.s.complete_multipart_upload("bkt", "big.bin", id, parts);
    const std::string binary_md5s = hex_to_bytes(md5_hex(data[0])) + hex_to_bytes(md5_hex(data[1])) +
                                    hex_to_bytes(md5_hex(data[2]));
    EXPECT_EQ(o.etag, md5_hex(binary_md5s) + "-3");
    EXPECT_EQ(o.size, 2504);
    EXPECT_EQ(read_file(o.blob), data[0] + data[1] + data[2]);
    EXPECT_EQ(f.s.head_object("bkt", "big.bin").content_type, "application/x-tar");
    EXPECT_EQ(f.s.head_object("bkt", "big.bin").user_metadata.at("origin"), "cli");
    EXPECT_EQ(blob_count(f.dir), 1u) << "the parts are gone";
    EXPECT_EQ(s3_error([&] { f.s.complete_multipart_upload("bkt", "big.bin", id, parts); }), "NoSuchUpload");
    EXPECT_EQ(staging_count(f.dir), 0u);
}

TEST(ObjectStore, MultipartEnforcesS3Rules) {
    Fixture f;
    f.s.create_bucket("bkt");
    f.s.set_min_part_size(100);
    const auto id = f.s.create_multipart_upload("bkt", "k", "", {});
    const auto e1 = f.s.upload_part("bkt", "k", id, 1, stage(f.s, std::string(100, '1')));
    const auto e2 = f.s.upload_part("bkt", "k", id, 2, stage(f.s, std::string(99, '2')));
    const auto e3 = f.s.upload_part("bkt", "k", id, 3, stage(f.s, "3"));

    const auto complete = [&](std::vector<std::pair<int, std::string>> parts) {
        return s3_error([&] { f.s.complete_multipart_upload("bkt", "k", id, parts); });
    };
    EXPECT_EQ(complete({}), "MalformedXML");
    EXPECT_EQ(complete({{2, e2}, {1, e1}}), "InvalidPartOrder");
    EXPECT_EQ(complete({{1, e1}, {1, e1}}), "InvalidPartOrder");
    EXPECT_EQ(complete({{1, e1}, {2, e3}}), "InvalidPart");
    EXPECT_EQ(complete({{1, e1}, {4, e3}}), "InvalidPart");
    EXPECT_EQ(complete({{1, e1}, {2, e2}, {3, e3}}), "EntityTooSmall");
    EXPECT_EQ(s3_error([&] { f.s.upload_part("bkt", "k", id, 0, stage(f.s, "x")); }), "InvalidArgument");
    EXPECT_EQ(s3_error([&] { f.s.upload_part("bkt", "k", id, 10001, stage(f.s, "x")); }), "InvalidArgument");
    EXPECT_EQ(s3_error([&] { f.s.upload_part("bkt", "other", id, 1, stage(f.s, "x")); }), "NoSuchUpload");
    EXPECT_EQ(s3_error([&] { f.s.upload_part("bkt", "k", "nope", 1, stage(f.s, "x")); }), "NoSuchUpload");
    EXPECT_EQ(staging_count(f.dir), 0u);
    EXPECT_FALSE(f.s.find_object("bkt", "k"));

    // Skipping the short part 2 is allowed; the part left out is discarded.
    const auto o = f.s.complete_multipart_upload("bkt", "k", id, {{1, e1}, {3, e3}});
    EXPECT_EQ(read_file(o.blob), std::string(100, '1') + "3");
    EXPECT_EQ(blob_count(f.dir), 1u);
}

TEST(ObjectStore, AbortDiscardsParts) {
    Fixture f;
    f.s.create_bucket("bkt");
    const auto id = f.s.create_multipart_upload("bkt", "k", "", {});
    f.s.upload_part("bkt", "k", id, 1, stage(f.s, "one"));
    f.s.upload_part("bkt", "k", id, 2, stage(f.s, "two"));
    EXPECT_EQ(blob_count(f.dir), 2u);
    f.s.abort_multipart_upload("bkt", "k", id);
    EXPECT_EQ(blob_count(f.dir), 0u);
    EXPECT_EQ(s3_error([&] { f.s.abort_multipart_upload("bkt", "k", id); }), "NoSuchUpload");
    EXPECT_EQ(s3_error([&] { f.s.complete_multipart_upload("bkt", "k", id, {{1, md5_hex("one")}}); }),
              "NoSuchUpload");
}

TEST(ObjectStore, HookRunsInsideTheTransaction) {
    Fixture f;
    f.s.create_bucket("bkt");
    int calls = 0;
    const auto hook = [&](store::Database& db, const store::ObjectInfo& o) {
        ++calls;
        EXPECT_EQ(sqlite3_get_autocommit(db.handle()), 0) << "a transaction is open";
        auto own = db.prepare("SELECT COUNT(*) FROM objects WHERE bucket = ? AND key = ?");
        own.bind(1, o.bucket).bind(2, o.key).step();
        EXPECT_EQ(own.column_int(0), 1) << "the hook sees the new row";
        store::Database other(f.dir.database());
        auto theirs = other.prepare("SELECT COUNT(*) FROM objects WHERE key = ?");
        theirs.bind(1, o.key).step();
        EXPECT_EQ(theirs.column_int(0), 0) << "nobody else does yet";
        EXPECT_EQ(read_file(o.blob), "bytes") << "the blob is in place before the row commits";
        db.prepare("INSERT INTO tags (resource_arn, key, value) VALUES ('event', ?, 'created')").bind(1, o.key).run();
    };
    f.s.put_object_bytes("bkt", "k", "bytes", "text/plain", {}, hook);
    f.s.copy_object("bkt", "k", "bkt", "k2", std::nullopt, [&](store::Database& db, const store::ObjectInfo& o) {
        ++calls;
        db.prepare("INSERT INTO tags (resource_arn, key, value) VALUES ('event', ?, 'created')").bind(1, o.key).run();
    });
    EXPECT_EQ(calls, 2);
    store::Database other(f.dir.database());
    auto events = other.prepare("SELECT COUNT(*) FROM tags WHERE resource_arn = 'event'");
    events.step();
    EXPECT_EQ(events.column_int(0), 2);
}

TEST(ObjectStore, ThrowingHookLeavesNoObjectAndNoBlob) {
    Fixture f;
    f.s.create_bucket("bkt");
    f.s.set_min_part_size(1);
    const auto failing = [](store::Database& db, const store::ObjectInfo& o) {
        db.prepare("INSERT INTO tags (resource_arn, key, value) VALUES ('event', ?, 'created')").bind(1, o.key).run();
        throw std::runtime_error("event queue full");
    };
    EXPECT_THROW(f.s.put_object_bytes("bkt", "k", "bytes", "text/plain", {}, failing), std::runtime_error);
    EXPECT_FALSE(f.s.find_object("bkt", "k"));
    EXPECT_EQ(blob_count(f.dir) + staging_count(f.dir), 0u);

    // An overwrite that fails keeps the old object intact.
    const auto old = f.s.put_object_bytes("bkt", "k", "old");
    EXPECT_THROW(f.s.put_object_bytes("bkt", "k", "new", "text/plain", {}, failing), std::runtime_error);
    EXPECT_EQ(read_file(f.s.head_object("bkt", "k").blob), "old");
    EXPECT_EQ(blob_count(f.dir), 1u);

    const auto id = f.s.create_multipart_upload("bkt", "mp", "", {});
    const auto etag = f.s.upload_part("bkt", "mp", id, 1, stage(f.s, "part"));
    EXPECT_THROW(f.s.complete_multipart_upload("bkt", "mp", id, {{1, etag}}, failing), std::runtime_error);
    EXPECT_FALSE(f.s.find_object("bkt", "mp"));
    EXPECT_EQ(f.s.list_parts("bkt", "mp", id).size(), 1u) << "the upload can still be completed";
    EXPECT_EQ(blob_count(f.dir), 2u);
    EXPECT_EQ(staging_count(f.dir), 0u);

    store::Database other(f.dir.database());
    auto events = other.prepare("SELECT COUNT(*) FROM tags WHERE resource_arn = 'event'");
    events.step();
    EXPECT_EQ(events.column_int(0), 0) << "the hook's own writes rolled back";
}

TEST(ObjectStore, RemovesOrphanBlobs) {
    Fixture f;
    f.s.create_bucket("bkt");
    const auto kept = f.s.put_object_bytes("bkt", "k", "kept");
    const auto id = f.s.create_multipart_upload("bkt", "mp", "", {});
    const auto etag = f.s.upload_part("bkt", "mp", id, 1, stage(f.s, "part"));
    // What a crash leaves: a blob renamed into place whose row never committed, a half-written upload.
    write_file_atomic(f.dir.objects() / "blobs" / "ab" / "ab000000000000000000000000000000", "orphan");
    stage(f.s, "half an upload");
    EXPECT_EQ(f.s.remove_orphan_blobs(std::chrono::seconds(0)), 2u);  // judged however young
    EXPECT_EQ(f.s.remove_orphan_blobs(std::chrono::seconds(0)), 0u);
    EXPECT_EQ(read_file(f.s.head_object("bkt", "k").blob), "kept");
    EXPECT_EQ(read_file(f.s.complete_multipart_upload("bkt", "mp", id, {{1, etag}}).blob), "part");
    EXPECT_EQ(blob_count(f.dir), 2u);
    EXPECT_TRUE(fs::exists(kept.blob));
}

TEST(ObjectStore, ConcurrentPutsFromFourThreads) {
    Fixture f;
    f.s.create_bucket("bkt");
    constexpr int kThreads = 4, kPerThread = 25;
    const auto key = [](int t, int i) {
        std::string k = "t";  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on "t" + string&&
        k += std::to_string(t) + "/" + std::to_string(i);
        return k;
    };
    const auto body = [&](int t, int i) { return key(t, i).append(" body"); };
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                f.s.put_object_bytes("bkt", key(t, i), body(t, i));
                f.s.put_object_bytes("bkt", "shared", body(t, i));
                f.s.list_objects("bkt", {.prefix = "t", .delimiter = "/"});
            }
        });
    for (auto& t : threads) t.join();

    const auto listed = list_all(f.s, {.max_keys = 1000});
    EXPECT_EQ(listed.size(), static_cast<size_t>(kThreads * kPerThread + 1));
    for (int t = 0; t < kThreads; ++t)
        for (int i = 0; i < kPerThread; ++i) EXPECT_EQ(read_file(f.s.head_object("bkt", key(t, i)).blob), body(t, i));
    EXPECT_EQ(read_file(f.s.head_object("bkt", "shared").blob).rfind("t", 0), 0u);
    EXPECT_EQ(blob_count(f.dir), listed.size()) << "every replaced blob was deleted";
    EXPECT_EQ(f.s.remove_orphan_blobs(), 0u);
}

// --- Encryption at rest (put_object_bytes with encrypt = true).

namespace {

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(ObjectStoreEncryption, BlobHoldsOnlyCiphertextReadsReturnThePlaintext) {
    Fixture f;
    f.s.set_encryption_key(EncryptionKey::generate());
    f.s.create_bucket("bkt");
    const std::string plain = R"({"CustomLabels":[{"Name":"bee","Confidence":97.5}]})";
    const auto info = f.s.put_object_bytes("bkt", "in/a.jpg.json", plain, "application/json", {}, {}, true);
    EXPECT_TRUE(info.encrypted);
    EXPECT_EQ(info.size, static_cast<int64_t>(plain.size()));
    EXPECT_EQ(info.etag, md5_hex(plain)) << "S3 clients compare the plaintext's MD5";
    EXPECT_EQ(read_file(info.blob).find("CustomLabels"), std::string::npos);
    EXPECT_EQ(f.s.read_object_bytes("bkt", "in/a.jpg.json"), plain);
    auto opened = f.s.open_object("bkt", "in/a.jpg.json");
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(*opened.bytes), {}), plain);
    EXPECT_TRUE(f.s.head_object("bkt", "in/a.jpg.json").encrypted);
    f.s.put_object_bytes("bkt", "plain", "text");
    EXPECT_EQ(f.s.read_object_bytes("bkt", "plain"), "text");
    EXPECT_EQ(s3_error([&] { f.s.read_object_bytes("bkt", "absent"); }), "NoSuchKey");
}

TEST(ObjectStoreEncryption, TamperedBlobFailsToRead) {
    Fixture f;
    f.s.set_encryption_key(EncryptionKey::generate());
    f.s.create_bucket("bkt");
    const auto info = f.s.put_object_bytes("bkt", "k", "payload bytes", "text/plain", {}, {}, true);
    std::string blob = read_file(info.blob);
    blob[blob.size() / 2] ^= 0x20;
    fs::permissions(info.blob, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(info.blob, std::ios::binary | std::ios::trunc) << blob;
    const std::string error = error_of([&] { f.s.read_object_bytes("bkt", "k"); });
    EXPECT_NE(error.find("cannot decrypt object s3://bkt/k"), std::string::npos) << error;
    EXPECT_THROW(f.s.open_object("bkt", "k"), Error);
}

TEST(ObjectStoreEncryption, AStoreWithoutTheKeyRefusesClearly) {
    Fixture f;
    f.s.set_encryption_key(EncryptionKey::generate());
    f.s.create_bucket("bkt");
    f.s.put_object_bytes("bkt", "k", "secret", "text/plain", {}, {}, true);
    store::ObjectStore keyless(f.dir);
    const std::string error = error_of([&] { keyless.read_object_bytes("bkt", "k"); });
    EXPECT_NE(error.find("is encrypted; start apiary serve with --encryption-key-file"), std::string::npos) << error;
    EXPECT_NE(error_of([&] { keyless.put_object_bytes("bkt", "k2", "x", "text/plain", {}, {}, true); })
                  .find("no encryption key"),
              std::string::npos);
    store::ObjectStore other_key(f.dir, EncryptionKey::generate());
    EXPECT_THROW(other_key.read_object_bytes("bkt", "k"), Error);
}

TEST(ObjectStoreEncryption, CopyReSealsForTheNewKey) {
    Fixture f;
    f.s.set_encryption_key(EncryptionKey::generate());
    f.s.create_bucket("bkt");
    f.s.create_bucket("other");
    const auto source = f.s.put_object_bytes("bkt", "k", "copied secret", "text/plain", {}, {}, true);
    const auto copy = f.s.copy_object("bkt", "k", "other", "k2");
    EXPECT_TRUE(copy.encrypted);
    EXPECT_EQ(copy.etag, source.etag);
    EXPECT_EQ(read_file(copy.blob).find("copied secret"), std::string::npos);
    EXPECT_EQ(f.s.read_object_bytes("other", "k2"), "copied secret");
}
