#pragma once
// Parallel-for over an index range with a bounded number of threads. Work is handed out in
// small chunks through one atomic counter, so uneven item costs (a 50 KB CVE file next to a
// 2 KB one) still balance; each worker writes only its own slots, so no locks are needed.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace kct::util {

inline unsigned default_jobs() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

// Calls fn(worker, i) for every i in [0, count). `worker` is in [0, jobs).
inline void parallel_for(size_t count, unsigned jobs, const std::function<void(unsigned, size_t)>& fn) {
  jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::max<size_t>(count, 1))));
  constexpr size_t k_chunk = 64;
  std::atomic<size_t> next{0};
  auto run = [&](unsigned worker) {
    for (;;) {
      size_t begin = next.fetch_add(k_chunk);
      if (begin >= count) {
        return;
      }
      size_t end = std::min(count, begin + k_chunk);
      for (size_t i = begin; i < end; ++i) {
        fn(worker, i);
      }
    }
  };
  if (jobs == 1) {
    run(0);
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(jobs - 1);
  for (unsigned w = 1; w < jobs; ++w) {
    threads.emplace_back(run, w);
  }
  run(0);
  for (std::thread& t : threads) {
    t.join();
  }
}

} // namespace kct::util
