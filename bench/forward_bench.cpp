// Network-only benchmark: one forward pass of a model version at batch 1, no decode, no
// pre/post-processing — the part of inference latency that nn/ owns. Prints the median and
// minimum of --repeat passes after warm-up; --trace FILE also writes a libtorch profiler trace
// (Chrome JSON) of five passes for per-operator breakdowns.
//   build/bench/forward_bench --model DIR [--size N] [--batch 1] [--threads 2] [--repeat 30] [--trace FILE]
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "core/json.h"
#include "infer/model_artifact.h"
#include "nn/runtime.h"

using namespace apiary;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    std::string model, trace;
    int64_t size = 0;
    int threads = 2, repeat = 30;
    int64_t batch = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--model")) model = argv[i + 1];
        if (!std::strcmp(argv[i], "--size")) size = std::stoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--threads")) threads = std::stoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--repeat")) repeat = std::stoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--trace")) trace = argv[i + 1];
        if (!std::strcmp(argv[i], "--batch")) batch = std::stoll(argv[i + 1]);
    }
    if (model.empty() || repeat < 1) {
        std::cerr << "usage: forward_bench --model DIR [--size N] [--batch N] [--threads N] [--repeat N] [--trace FILE]\n";
        return 2;
    }
    nn::configure_runtime(threads);
    auto loaded = infer::load_model(model, torch::kCPU);
    if (size == 0) size = loaded.manifest.input_size;
    torch::NoGradGuard no_grad;
    loaded.net->eval();
    const torch::Tensor x = (torch::rand({batch, 3, size, size}) * 255).contiguous(torch::MemoryFormat::ChannelsLast);
    for (int i = 0; i < 3; ++i) loaded.net->forward(x);
    std::vector<double> ms;
    for (int i = 0; i < repeat; ++i) {
        const auto t = Clock::now();
        loaded.net->forward(x);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    }
    std::sort(ms.begin(), ms.end());
    if (!trace.empty()) {
        torch::autograd::profiler::RecordProfile guard(trace);
        for (int i = 0; i < 5; ++i) loaded.net->forward(x);
    }
    std::cout << Json{{"input_size", size}, {"batch", batch}, {"threads", at::get_num_threads()}, {"passes", repeat},
                      {"ms_median", ms[ms.size() / 2]}, {"ms_min", ms.front()}}
                     .dump(2)
              << "\n";
}
