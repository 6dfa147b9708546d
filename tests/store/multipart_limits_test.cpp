// Multipart completion under a small open-file limit: the parts are read one at a time, so an
// upload of more parts than the process may hold open descriptors still completes.
#include <sys/resource.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/files.h"
#include "store/object_store.h"
#include "support/test_support.h"

namespace apiary::store {
namespace {
namespace fs = std::filesystem;

size_t open_descriptors() { return test::entries_in("/proc/self/fd"); }

// Lowers the soft RLIMIT_NOFILE for its lifetime; the hard limit stays, so it can be restored.
class OpenFileLimit {
public:
    explicit OpenFileLimit(rlim_t soft) {
        getrlimit(RLIMIT_NOFILE, &saved_);
        rlimit lowered = saved_;
        lowered.rlim_cur = soft;
        EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
    }
    ~OpenFileLimit() { setrlimit(RLIMIT_NOFILE, &saved_); }

private:
    rlimit saved_{};
};

TEST(Multipart, CompletesWithMorePartsThanTheOpenFileLimit) {
    test::TempDir tmp;
    ObjectStore s{DataDir(tmp / "data")};
    s.set_min_part_size(1);
    s.create_bucket("bkt");
    const auto id = s.create_multipart_upload("bkt", "many", "", {});
    constexpr int kParts = 200;
    std::vector<std::pair<int, std::string>> parts;
    std::string expected;
    for (int n = 1; n <= kParts; ++n) {
        const std::string body = "part " + std::to_string(n) + "\n";
        const auto staged = s.new_staging_path();
        std::ofstream(staged, std::ios::binary) << body;
        parts.emplace_back(n, s.upload_part("bkt", "many", id, n, staged));
        expected += body;
    }
    ObjectInfo o;
    {
        const OpenFileLimit limit(open_descriptors() + 32);  // far fewer than the parts
        o = s.complete_multipart_upload("bkt", "many", id, parts);
    }
    EXPECT_EQ(o.size, static_cast<int64_t>(expected.size()));
    EXPECT_EQ(read_file(o.blob), expected);
}

TEST(Multipart, APartReplacedDuringCompletionFailsTheCompletion) {
    test::TempDir tmp;
    ObjectStore s{DataDir(tmp / "data")};
    s.set_min_part_size(1);
    s.create_bucket("bkt");
    const auto id = s.create_multipart_upload("bkt", "k", "", {});
    const auto stage = [&](const std::string& body) {
        const auto staged = s.new_staging_path();
        std::ofstream(staged, std::ios::binary) << body;
        return staged;
    };
    const auto e1 = s.upload_part("bkt", "k", id, 1, stage("one"));
    s.upload_part("bkt", "k", id, 1, stage("uno"));  // the ETag the client holds is stale now
    try {
        s.complete_multipart_upload("bkt", "k", id, {{1, e1}});
        FAIL() << "completed with a replaced part";
    } catch (const ObjectStoreError& e) {
        EXPECT_EQ(e.code(), S3Error::InvalidPart);
    }
}

}  // namespace
}  // namespace apiary::store
