// ParallelFor: every item once, on the threads asked for, and an exception
// thrown by one item stops the rest and reaches the caller.
#include "evrepo/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace evrepo {
namespace {

TEST(ParallelFor, CallsEveryItemOnce) {
  for (unsigned workers : {1u, 2u, 4u}) {
    std::vector<std::atomic<int>> calls(1000);
    std::atomic<unsigned> highest{0};
    ParallelFor(calls.size(), workers, [&](std::size_t i, unsigned w) {
      ++calls[i];
      for (unsigned h = highest;
           w > h && !highest.compare_exchange_weak(h, w);) {
      }
    });
    for (std::size_t i = 0; i < calls.size(); ++i) {
      EXPECT_EQ(calls[i], 1) << "item " << i << ", " << workers << " workers";
    }
    EXPECT_LT(highest, workers) << "a worker number out of range";
  }
}

TEST(ParallelFor, NoItemsNoCalls) {
  int calls = 0;
  ParallelFor(0, 4, [&](std::size_t, unsigned) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(ParallelFor, AnExceptionStopsTheRestAndReachesTheCaller) {
  // On one thread, nothing after the item that threw is called.
  std::atomic<std::size_t> calls{0};
  EXPECT_THROW(ParallelFor(1000, 1,
                           [&](std::size_t i, unsigned) {
                             ++calls;
                             if (i == 10) throw std::runtime_error("item 10");
                           }),
               std::runtime_error);
  EXPECT_EQ(calls.load(), 11u);
}

TEST(ParallelFor, AnExceptionOnAnotherThreadReachesTheCaller) {
  // The calling thread (worker 0) waits until another worker has thrown,
  // so the exception surely comes from a thread of ParallelFor's own.
  std::atomic<bool> thrown{false};
  EXPECT_THROW(ParallelFor(1000, 2,
                           [&](std::size_t, unsigned worker) {
                             if (worker != 0) {
                               thrown = true;
                               throw std::runtime_error("worker");
                             }
                             auto until = std::chrono::steady_clock::now() +
                                          std::chrono::seconds(10);
                             while (!thrown &&
                                    std::chrono::steady_clock::now() < until) {
                               std::this_thread::yield();
                             }
                             // No other worker ran: fail, do not wait on.
                             if (!thrown) throw std::logic_error("alone");
                           }),
               std::runtime_error);
  EXPECT_TRUE(thrown);
}

}  // namespace
}  // namespace evrepo
