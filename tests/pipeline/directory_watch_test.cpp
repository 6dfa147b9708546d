// The directory watch answers every image that appears (written, or moved in) and the ones
// already there, never a result file, and reports errors per file.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "core/files.h"
#include "pipeline/directory_watch.h"
#include "support/test_support.h"

namespace apiary::pipeline {
namespace {
namespace fs = std::filesystem;

bool wait_for(const std::function<bool()>& done) {
    for (int i = 0; i < 200 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return done();
}

TEST(DirectoryWatch, AnswersExistingAndNewImagesOnly) {
    test::TempDir tmp;
    const fs::path dir = tmp.path() / "in";
    fs::create_directories(dir);
    write_file_atomic(dir / "old.jpg", "old");
    write_file_atomic(dir / "done.jpg", "done");
    write_file_atomic(dir / "done.jpg.json", "{\"kept\":true}");  // already answered: left alone

    std::mutex mutex;
    std::vector<std::string> seen, errors;
    WatchCallbacks cb;
    cb.detect = [&](const fs::path& image) {
        if (read_file(image) == "broken") throw Error("cannot decode");
        std::lock_guard lock(mutex);
        seen.push_back(image.filename().string());
        return "{\"CustomLabels\":[],\"bytes\":" + std::to_string(fs::file_size(image)) + "}";
    };
    cb.on_error = [&](const fs::path& image, const std::string& e) {
        std::lock_guard lock(mutex);
        errors.push_back(image.filename().string() + ": " + e);
    };
    std::atomic<bool> stop{false};
    std::thread watcher([&] { watch_directory(dir, cb, stop); });

    ASSERT_TRUE(wait_for([&] { return fs::exists(dir / "old.jpg.json"); }));
    write_file_atomic(dir / "new.PNG", "12345");                   // temp + rename: a move
    { std::ofstream(dir / "direct.jpeg") << "direct"; }             // written in place, then closed
    write_file_atomic(dir / "notes.txt", "not an image");
    write_file_atomic(dir / "bad.jpg", "broken");
    ASSERT_TRUE(wait_for([&] { return fs::exists(dir / "new.PNG.json") && fs::exists(dir / "direct.jpeg.json"); }));
    ASSERT_TRUE(wait_for([&] { std::lock_guard lock(mutex); return !errors.empty(); }));
    stop = true;
    watcher.join();

    EXPECT_EQ(read_file(dir / "new.PNG.json"), "{\"CustomLabels\":[],\"bytes\":5}");
    EXPECT_EQ(read_file(dir / "done.jpg.json"), "{\"kept\":true}");
    EXPECT_FALSE(fs::exists(dir / "notes.txt.json"));
    EXPECT_FALSE(fs::exists(dir / "bad.jpg.json"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], "bad.jpg: cannot decode");
    for (const auto& s : seen) EXPECT_FALSE(s.ends_with(".json")) << s;
}

TEST(DirectoryWatch, SuffixRules) {
    const WatchOptions o;
    EXPECT_TRUE(is_watched_image("a/b.JPG", o));
    EXPECT_FALSE(is_watched_image("a/b.jpg.json", o));
    EXPECT_FALSE(is_watched_image("a/.b.jpg.tmp", o));
    EXPECT_FALSE(is_watched_image("a/b.gif", o));
}

TEST(DirectoryWatch, RefusesAMissingFolder) {
    std::atomic<bool> stop{true};
    EXPECT_THROW(watch_directory("/nonexistent/folder", {}, stop), Error);
}

}  // namespace
}  // namespace apiary::pipeline
