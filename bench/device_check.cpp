// Accelerator check, for a machine with CUDA: the pretrained CenterNet gives the CPU's outputs
// on the GPU, and fine-tuning steps learn there as they do on the CPU. Prints JSON; exits 1 on a
// mismatch. On a machine without CUDA it says so and exits 0.
//   build/bench/device_check [--size 512] [--train-size 256] [--steps 20]
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <iostream>

#include "core/json.h"
#include "nn/centernet_import.h"
#include "nn/centernet_loss.h"
#include "nn/centernet_targets.h"

using namespace apiary;
using Clock = std::chrono::steady_clock;

namespace {

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.to(torch::kCPU) - b.to(torch::kCPU)).abs().max().item<double>();
}

// Mean milliseconds per forward pass of `net` on `x`, after warm-up, synchronised.
double forward_ms(nn::CenterNet& net, const torch::Tensor& x, int passes) {
    torch::NoGradGuard no_grad;
    for (int i = 0; i < 3; ++i) net->forward(x);
    if (x.is_cuda()) torch::cuda::synchronize();
    const auto t = Clock::now();
    for (int i = 0; i < passes; ++i) net->forward(x);
    if (x.is_cuda()) torch::cuda::synchronize();
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count() / passes;
}

}  // namespace

int main(int argc, char** argv) {
    int64_t size = 512, train_size = 256;
    int steps = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--size")) size = std::stoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--steps")) steps = std::stoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--train-size")) train_size = std::stoll(argv[i + 1]);
    }
    if (!torch::cuda::is_available()) {
        std::cout << Json{{"cuda", false}}.dump() << "\n";
        return 0;
    }
    const torch::Device cpu(torch::kCPU), gpu(torch::kCUDA);
    auto on_cpu = nn::load_pretrained_centernet(cpu);
    auto on_gpu = nn::load_pretrained_centernet(gpu);
    on_cpu->eval();
    on_gpu->eval();
    torch::manual_seed(1);
    const torch::Tensor x = torch::rand({2, 3, size, size}) * 255;
    Json out = {{"cuda", true}, {"device_count", torch::cuda::device_count()}, {"input_size", size}};
    {
        torch::NoGradGuard no_grad;
        const auto a = on_cpu->forward(x);
        const auto b = on_gpu->forward(x.to(gpu));
        out["heatmap_prob_max_abs_diff"] = max_abs_diff(torch::sigmoid(a.heatmap), torch::sigmoid(b.heatmap));
        out["boxes_max_abs_diff_px"] = max_abs_diff(a.boxes, b.boxes);
        out["boxes_max_px"] = a.boxes.abs().max().item<double>();
    }
    out["forward_ms_gpu_batch1"] = forward_ms(on_gpu, x.narrow(0, 0, 1).to(gpu), 20);
    out["forward_ms_gpu_batch16"] = forward_ms(on_gpu, x.narrow(0, 0, 1).repeat({16, 1, 1, 1}).to(gpu), 10);

    // Fine-tuning: the same steps from the same new head on the CPU and on the GPU (the
    // trainer's learning rate) must learn alike.
    auto train = [&](nn::CenterNet& net, torch::Device device) {
        torch::manual_seed(2);
        net->replace_heatmap_head(1);
        net->train();
        torch::optim::AdamW optimizer(net->parameters(), torch::optim::AdamWOptions(1e-4));
        const int64_t s = train_size;
        const Box box = Box::from_corners(s * 0.3, s * 0.3, s * 0.6, s * 0.7);
        const auto t = nn::encode_targets({{box}, {box}}, {{0}, {0}}, 1, s, s);
        const nn::TargetBatch targets{t.heatmap.to(device), t.boxes.to(device), t.box_weight.to(device)};
        const torch::Tensor images = x.narrow(2, 0, s).narrow(3, 0, s).to(device);
        Json losses = Json::array();
        for (int i = 0; i < steps; ++i) {
            optimizer.zero_grad();
            const auto loss = nn::centernet_loss(net->forward(images), targets);
            loss.total.backward();
            optimizer.step();
            losses.push_back(loss.total.item<double>());
        }
        return losses;
    };
    const Json cpu_losses = train(on_cpu, cpu), gpu_losses = train(on_gpu, gpu);
    out["train_loss_cpu_first_last"] = {cpu_losses.front(), cpu_losses.back()};
    out["train_loss_gpu_first_last"] = {gpu_losses.front(), gpu_losses.back()};
    // TF32 convolutions on recent GPUs differ from float32 by ~1e-3 relative: compare relatively.
    const double box_rel = out["boxes_max_abs_diff_px"].get<double>() / out["boxes_max_px"].get<double>();
    out["boxes_max_rel_diff"] = box_rel;
    const double first_gap = std::abs(cpu_losses.front().get<double>() - gpu_losses.front().get<double>());
    const bool ok = out["heatmap_prob_max_abs_diff"].get<double>() < 1e-2 && box_rel < 1e-2 &&
                    first_gap < 1e-2 * cpu_losses.front().get<double>() &&
                    gpu_losses.back().get<double>() < 0.7 * gpu_losses.front().get<double>() &&
                    std::abs(gpu_losses.back().get<double>() - cpu_losses.back().get<double>()) <
                        0.2 * cpu_losses.back().get<double>();
    out["ok"] = ok;
    std::cout << out.dump(2) << "\n";
    return ok ? 0 : 1;
}
