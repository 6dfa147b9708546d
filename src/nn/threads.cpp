#include "nn/threads.h"

#include <torch/torch.h>

#include <thread>

namespace apiary::nn {

int configure_threads(int threads) {
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    return at::get_num_threads();
}

}  // namespace apiary::nn
