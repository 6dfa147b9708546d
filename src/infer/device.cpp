#include "infer/device.h"

#include <cstdlib>

namespace apiary::infer {

torch::Device default_device() {
    if (const char* env = std::getenv("APIARY_DEVICE"); env && *env) return torch::Device(env);
    return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}

}  // namespace apiary::infer
