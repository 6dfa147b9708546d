#pragma once
#include <torch/torch.h>

#include <string>

namespace apiary::infer {

// CUDA when libtorch was built with it and a GPU is present, else the CPU; APIARY_DEVICE
// ("cpu", "cuda", "cuda:1") overrides.
torch::Device default_device();

}  // namespace apiary::infer
