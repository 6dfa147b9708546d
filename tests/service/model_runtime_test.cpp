// ModelRuntime joins its loading and stopping threads: start/stop cycles leave no thread behind.
// An exited thread that was never joined leaves /proc/self/task at once but keeps its stack
// mapped, so both the task count and the mapped size are checked.
#include "service/model_runtime.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/test_support.h"

namespace apiary::service {
namespace {
namespace fs = std::filesystem;

size_t thread_count() { return test::entries_in("/proc/self/task"); }

long mapped_kib() {  // VmSize
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("VmSize:")) return std::stol(line.substr(7));
    return -1;
}

TEST(ModelRuntime, TwoHundredStartsLeaveNoThreadBehind) {
    test::TempDir tmp;
    ModelRuntime runtime;
    // A model that fails to load: each start() runs a loading thread that ends FAILED, and the
    // next start() may begin again, as StartProjectVersion after a failure does.
    const auto cycle = [&] {
        runtime.start("arn:model", tmp / "no-such-model");
        runtime.wait_idle();
        ASSERT_EQ(runtime.state("arn:model"), RunState::Failed) << runtime.message("arn:model");
        runtime.stop("arn:model");
    };
    cycle();  // the first load may start a library's own pool threads, which stay by design
    const size_t threads = thread_count();
    const long mapped = mapped_kib();
    for (int i = 0; i < 200; ++i) cycle();
    EXPECT_EQ(thread_count(), threads);
    EXPECT_LT(mapped_kib() - mapped, 64 * 1024) << "200 unjoined threads keep 200 stacks mapped";
}

}  // namespace
}  // namespace apiary::service
