// Independent work spread over the machine's cores.
#ifndef EVREPO_PARALLEL_H_
#define EVREPO_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace evrepo {

// How many threads ParallelFor uses: one per core, at most 8.
inline unsigned Workers() {
  return std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
}

// Calls f(i, worker) for every i in [0, n), on Workers() threads (the
// calling thread is worker 0); items are handed out one at a time, so
// uneven items balance.  f must not throw.
template <class F>
void ParallelFor(std::size_t n, F&& f) {
  unsigned workers =
      static_cast<unsigned>(std::min<std::size_t>(Workers(), n));
  std::atomic<std::size_t> next{0};
  auto work = [&](unsigned worker) {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) f(i, worker);
  };
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (std::thread& t : threads) t.join();
}

}  // namespace evrepo

#endif  // EVREPO_PARALLEL_H_
