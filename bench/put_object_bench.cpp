// What durability costs a PutObject: N put_object_bytes calls (1 KiB each) into a fresh data
// directory, timed. Each call fsyncs its blob, its directory entry and SQLite's commit.
//   build/bench/put_object_bench [--objects 1000] [--dir DIR]   (DIR on the disk under test, not tmpfs)
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "store/object_store.h"

namespace fs = std::filesystem;
using namespace apiary;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    int objects = 1000;
    fs::path dir = fs::current_path() / "put-object-bench";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--objects")) objects = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    }
    fs::remove_all(dir);
    {
        store::ObjectStore s{store::DataDir(dir)};
        s.create_bucket("bench");
        const std::string body(1024, 'x');
        const auto start = Clock::now();
        for (int i = 0; i < objects; ++i) s.put_object_bytes("bench", "k/" + std::to_string(i), body);
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        std::cout << objects << " put_object calls: " << seconds << " s, " << seconds * 1000 / objects
                  << " ms each\n";
    }
    fs::remove_all(dir);
}
