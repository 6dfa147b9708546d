#include "nn/runtime.h"

#include <torch/torch.h>

#include <algorithm>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace apiary::nn {

namespace {

void keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
    // Fixed values also switch off glibc's dynamic threshold, which the mix of small and
    // large allocations around image decoding kept resetting.
    constexpr int kLargestPooledBlock = 32 << 20;  // glibc's maximum mmap threshold on 64-bit
    mallopt(M_MMAP_THRESHOLD, kLargestPooledBlock);
    mallopt(M_TRIM_THRESHOLD, 8 * kLargestPooledBlock);
    mallopt(M_TOP_PAD, 2 * kLargestPooledBlock);
#endif
}

}  // namespace

int configure_runtime(int threads) {
    static const bool allocator_tuned = (keep_freed_memory_for_reuse(), true);
    (void)allocator_tuned;
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    return at::get_num_threads();
}

}  // namespace apiary::nn
