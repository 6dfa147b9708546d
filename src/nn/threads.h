#pragma once
// libtorch's intra-op thread pool size. Debian's libtorch (OpenMP) defaults to the number of
// physical cores it detects, which can be wrong in containers; set it explicitly.
namespace apiary::nn {

// Sets at::set_num_threads to `threads`, or to std::thread::hardware_concurrency() when
// `threads` <= 0. Returns the number now in use.
int configure_threads(int threads = 0);

}  // namespace apiary::nn
