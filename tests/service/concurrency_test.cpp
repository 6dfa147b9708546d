// The threads of a serving process that touch libtorch, exercised together: training jobs
// queued, run and interrupted on their own thread; a trained model started, borrowed by
// several request threads at once, stopped while they detect and started again. The
// assertions hold in any build; bench/tsan_service.sh runs this file under ThreadSanitizer,
// which is what looks for data races between those threads.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "core/error.h"
#include "data/demo_dataset.h"
#include "data/import.h"
#include "nn/pretrained.h"
#include "service/model_runtime.h"
#include "service/training_jobs.h"
#include "store/catalog.h"
#include "support/test_support.h"
#include "train/project_training.h"
#include "vision/decode.h"

namespace apiary::service {
namespace {
namespace fs = std::filesystem;

train::TrainConfig tiny_config() {
    train::TrainConfig c;
    c.epochs = 1;
    c.image_size = 128;
    c.batch = 4;
    c.augment = "light";
    c.threads = 1;  // libtorch's own pool is not instrumented: keep its work on our threads
    return c;
}

class ServingThreads : public ::testing::Test {
protected:
    void SetUp() override {
        try {
            nn::pretrained_model_json("centernet");
        } catch (const Error&) {
            GTEST_SKIP() << "pretrained weights missing (run scripts/setup.sh)";
        }
        demo = data::write_demo_dataset(tmp / "demo", 10, 7);
        data::ImportOptions options;
        options.maps.push_back(data::PathMapping::parse(demo.bucket_prefix + "=" + demo.images.string()));
        const auto report = data::import_dataset(demo.manifest, options);
        store::Catalog catalog(dir);
        catalog.import(catalog.create_project("bees"), report, std::nullopt, "");
    }

    store::VersionInfo pending(const std::string& name) {
        store::Catalog catalog(dir);
        return train::create_pending_version(catalog, "bees", name, tiny_config());
    }

    store::VersionInfo version(const std::string& name) {
        store::Catalog catalog(dir);
        return catalog.version(catalog.project("bees"), name);
    }

    test::TempDir tmp;
    store::DataDir dir{tmp / "data"};
    data::DemoDataset demo;
};

TEST_F(ServingThreads, TrainingJobsRunInTurnAndAnInterruptedOneStaysResumable) {
    pending("v1");
    pending("v2");
    std::atomic<int> finished{0};
    {
        TrainingJobs jobs(dir, tiny_config(), [&](const TrainingJob&) { ++finished; });
        jobs.enqueue({"bees", "v1"});
        // Polled from another thread while the job thread trains, as DescribeProjectVersions does.
        std::atomic<bool> polling{true};
        std::thread poller([&] {
            while (polling) {
                (void)jobs.queued();
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        });
        jobs.wait_idle();
        jobs.enqueue({"bees", "v2"});
        polling = false;
        poller.join();
        // Leaving the scope interrupts v2 wherever it is: queued, loading or training.
    }
    EXPECT_EQ(version("v1").status, store::VersionStatus::TrainingCompleted) << version("v1").status_message;
    const auto v2 = version("v2").status;
    EXPECT_TRUE(v2 == store::VersionStatus::TrainingInProgress || v2 == store::VersionStatus::TrainingCompleted)
        << "an interrupted job is never marked failed";
    EXPECT_GE(finished.load(), 1);

    TrainingJobs again(dir, tiny_config());
    again.resume_interrupted();
    again.wait_idle();
    EXPECT_EQ(version("v2").status, store::VersionStatus::TrainingCompleted) << version("v2").status_message;
}

TEST_F(ServingThreads, DetectionsRunWhileTheModelIsStoppedAndStartedAgain) {
    pending("v1");
    {
        TrainingJobs jobs(dir, tiny_config());
        jobs.enqueue({"bees", "v1"});
        jobs.wait_idle();
    }
    const auto v1 = version("v1");
    ASSERT_EQ(v1.status, store::VersionStatus::TrainingCompleted) << v1.status_message;
    const cv::Mat image = vision::decode_image_file(fs::directory_iterator(demo.images)->path());

    std::atomic<int> settled{0};
    ModelRuntime runtime(1, [&](const std::string&, RunState, const std::string&) { ++settled; });
    const std::string arn = v1.arn;
    runtime.start(arn, v1.dir);
    runtime.wait_idle();
    ASSERT_EQ(runtime.state(arn), RunState::Running) << runtime.message(arn);

    std::atomic<int> answered{0}, refused{0};
    std::atomic<bool> running{true};
    std::vector<std::thread> clients;
    for (int c = 0; c < 3; ++c)
        clients.emplace_back([&] {
            infer::DetectOptions options;
            options.min_confidence = 0;
            while (running) {
                if (auto worker = runtime.borrow(arn)) {
                    worker->detect(image, options);
                    ++answered;
                } else {
                    ++refused;  // STOPPING or STARTING: the API answers ResourceNotReady
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
            }
        });
    for (int cycle = 0; cycle < 3; ++cycle) {
        while (answered < 3 * (cycle + 1)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        runtime.stop(arn);  // while detections are in flight
        runtime.wait_idle();
        EXPECT_EQ(runtime.state(arn), RunState::Stopped);
        runtime.start(arn, v1.dir);
        runtime.wait_idle();
        ASSERT_EQ(runtime.state(arn), RunState::Running) << runtime.message(arn);
    }
    running = false;
    for (auto& t : clients) t.join();
    EXPECT_GE(answered.load(), 9);
    EXPECT_GT(refused.load(), 0) << "stopping must turn new requests away while it drains";
    EXPECT_EQ(settled.load(), 1 + 2 * 3);  // RUNNING, then STOPPED and RUNNING per cycle
}

TEST_F(ServingThreads, TrainingJobsReportProgressAndCancelQueuedOrRunning) {
    {
        store::Catalog catalog(dir);
        train::TrainConfig longer = tiny_config();
        longer.epochs = 20;  // still running when it is cancelled
        train::create_pending_version(catalog, "bees", "v1", longer);
    }
    pending("v2");
    pending("v3");
    TrainingJobs jobs(dir, tiny_config());
    jobs.enqueue({"bees", "v1"});
    jobs.enqueue({"bees", "v2"});
    jobs.enqueue({"bees", "v3"});
    // The running job reports its step; the others wait in order.
    std::vector<TrainingProgress> seen;
    for (int i = 0; i < 3000; ++i) {
        seen = jobs.progress();
        if (!seen.empty() && seen[0].running && seen[0].step > 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].job.version, "v1");
    EXPECT_GT(seen[0].step, 0u);
    EXPECT_EQ(seen[0].epochs, 20);
    EXPECT_FALSE(seen[1].running);
    EXPECT_EQ(seen[2].job.version, "v3");

    EXPECT_TRUE(jobs.cancel({"bees", "v2"}));  // queued: gone from the queue at once
    EXPECT_EQ(version("v2").status, store::VersionStatus::TrainingFailed);
    EXPECT_EQ(version("v2").status_message, "Training was cancelled.");
    EXPECT_TRUE(jobs.cancel({"bees", "v1"}));  // running: stops at its next step
    EXPECT_FALSE(jobs.cancel({"bees", "nope"}));
    jobs.wait_idle();
    EXPECT_EQ(version("v1").status, store::VersionStatus::TrainingFailed);
    EXPECT_EQ(version("v1").status_message, "Training was cancelled.");
    EXPECT_FALSE(fs::exists(dir.models() / "bees" / ".checkpoints" / "v1"));
    // A cancel stops one job, not the queue behind it.
    EXPECT_EQ(version("v3").status, store::VersionStatus::TrainingCompleted);
}

}  // namespace
}  // namespace apiary::service
