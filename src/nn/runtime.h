#pragma once
// Process-wide settings for running networks on the CPU, applied once before the first
// forward pass by everything that trains or predicts.
namespace apiary::nn {

// 1. libtorch's intra-op thread pool: at::set_num_threads(threads), or
//    std::thread::hardware_concurrency() when `threads` <= 0. Debian's libtorch (OpenMP)
//    otherwise uses the physical cores it detects, which can be wrong in containers.
// 2. glibc malloc: keep freed blocks of up to 32 MB for reuse instead of returning them to
//    the kernel. A forward pass allocates and frees tens of MB of activations; with glibc's
//    defaults each pass maps them afresh and page-faults on every page, which made a 512 px
//    inference 20 ms → 31 ms (measured, BENCHMARKS.md). Peak memory is unchanged.
// Returns the number of threads now in use.
int configure_runtime(int threads = 0);

}  // namespace apiary::nn
