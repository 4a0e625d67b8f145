// Independent work spread over the machine's cores.
#ifndef EVREPO_PARALLEL_H_
#define EVREPO_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace evrepo {

// How many threads ParallelFor uses: one per core, at most 8.
inline unsigned Workers() {
  return std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
}

// Calls f(i, worker) for every i in [0, n), on `workers` threads (the
// calling thread is worker 0; no more threads than items); items are handed
// out one at a time, so uneven items balance.  When f throws, no more items
// are handed out and the first exception is thrown again here, once every
// thread has stopped.
template <class F>
void ParallelFor(std::size_t n, unsigned workers, F&& f) {
  workers = static_cast<unsigned>(
      std::clamp<std::size_t>(n, 1, std::max(workers, 1u)));
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto work = [&](unsigned worker) {
    try {
      for (std::size_t i; (i = next.fetch_add(1)) < n;) f(i, worker);
    } catch (...) {
      next = n;
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  try {
    for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work, w);
  } catch (...) {
    // No thread to be had: the calling thread does the rest alone.
  }
  work(0);
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

// The same on Workers() threads.
template <class F>
void ParallelFor(std::size_t n, F&& f) {
  ParallelFor(n, Workers(), std::forward<F>(f));
}

}  // namespace evrepo

#endif  // EVREPO_PARALLEL_H_
