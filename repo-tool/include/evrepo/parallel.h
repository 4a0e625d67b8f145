// Independent work spread over the machine's cores.
#ifndef EVREPO_PARALLEL_H_
#define EVREPO_PARALLEL_H_

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace evrepo {

namespace detail {

// Where a new thread starts: see StartThread.
struct Placement {
  cpu_set_t allowed;  // the creator's cores, which the thread gets back
  cpu_set_t others;   // those less the one the creator is on now
  std::atomic<bool> placed{false};
};

// The creator's placement; nullptr when there is no other core to start on.
std::shared_ptr<Placement> CurrentPlacement();
// Moves the not yet running `thread` to `p.others`, and lets it go on.
void Place(std::thread& thread, Placement& p);
// In the new thread: waits for Place, then takes all of `p.allowed` back.
void Unplace(Placement& p);

}  // namespace detail

// std::thread(f), but the thread starts on a core other than the caller's,
// then may run on any the caller may.
//
// Created the plain way, a thread waited on its creator's core while the
// creator kept it busy, until the scheduler's next balancing tick: 2.6 ms
// median on this 2-core machine, longer than some of the tasks handed to
// threads here (the index's database opened ahead of need, the Git
// repository opened while the corpus is read).  Started elsewhere, it runs
// within a tenth of a millisecond.
template <class F>
std::thread StartThread(F&& f) {
  std::shared_ptr<detail::Placement> p = detail::CurrentPlacement();
  if (!p) return std::thread(std::forward<F>(f));
  std::thread t([p, f = std::forward<F>(f)]() mutable {
    detail::Unplace(*p);
    f();
  });
  detail::Place(t, *p);
  return t;
}

// The result of Async: as std::async's future, get() waits for the value
// or rethrows what f threw, and destroying it waits for its thread.
template <class R>
class Pending {
 public:
  Pending() = default;
  Pending(std::future<R> result, std::thread thread)
      : result_(std::move(result)), thread_(std::move(thread)) {}
  Pending(Pending&&) noexcept = default;
  Pending& operator=(Pending&& other) noexcept {
    Join();
    result_ = std::move(other.result_);
    thread_ = std::move(other.thread_);
    return *this;
  }
  ~Pending() { Join(); }

  bool valid() const { return result_.valid(); }
  void wait() const { result_.wait(); }
  R get() { return result_.get(); }

 private:
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  std::future<R> result_;
  std::thread thread_;
};

// std::async(std::launch::async, f) on a thread from StartThread.  Throws
// std::system_error when no thread can be made, as std::async does.
template <class F>
auto Async(F&& f) -> Pending<std::invoke_result_t<std::decay_t<F>>> {
  using R = std::invoke_result_t<std::decay_t<F>>;
  std::packaged_task<R()> task(std::forward<F>(f));
  std::future<R> result = task.get_future();
  std::thread thread = StartThread(std::move(task));
  return Pending<R>(std::move(result), std::move(thread));
}

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
    for (unsigned w = 1; w < workers; ++w) {
      threads.push_back(StartThread([&work, w] { work(w); }));
    }
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
