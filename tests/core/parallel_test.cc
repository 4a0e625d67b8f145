// ParallelFor: every item once, on the threads asked for, and an exception
// thrown by one item stops the rest and reaches the caller.  StartThread
// and Async: where a thread starts, what it may run on after, and results.
#include "evrepo/parallel.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
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

// The calling thread's cores, as a set that compares.
std::vector<int> Cores() {
  cpu_set_t set;
  EXPECT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  std::vector<int> out;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &set)) out.push_back(c);
  }
  return out;
}

TEST(StartThread, PlacesTheThreadOffTheCallersCore) {
  std::shared_ptr<detail::Placement> p = detail::CurrentPlacement();
  if (Cores().size() < 2) {
    // One core: nowhere else to start, so no placement.
    EXPECT_EQ(p, nullptr);
    return;
  }
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(CPU_COUNT(&p->others) + 1, CPU_COUNT(&p->allowed));
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &p->others)) {
      EXPECT_TRUE(CPU_ISSET(c, &p->allowed)) << c;
    }
  }
}

TEST(StartThread, TheThreadRunsAndGetsEveryCoreBack) {
  std::vector<int> mine = Cores();
  std::vector<int> theirs;
  std::thread t = StartThread([&] { theirs = Cores(); });
  t.join();
  EXPECT_EQ(theirs, mine);
}

TEST(StartThread, OnOneCoreTheThreadStillRuns) {
  // A caller held to one core has no other to start a thread on.
  std::vector<int> ran;
  std::thread outer([&] {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
    EXPECT_EQ(detail::CurrentPlacement(), nullptr);
    std::thread inner = StartThread([&] { ran = Cores(); });
    inner.join();
  });
  outer.join();
  EXPECT_EQ(ran.size(), 1u);
}

TEST(Async, GivesWhatTheTaskReturnedOrThrew) {
  Pending<std::string> text = Async([] { return std::string("made"); });
  EXPECT_TRUE(text.valid());
  EXPECT_EQ(text.get(), "made");
  Pending<int> failing = Async([]() -> int { throw std::runtime_error("no"); });
  EXPECT_THROW(failing.get(), std::runtime_error);
  Pending<void> none;
  EXPECT_FALSE(none.valid());
}

TEST(Async, DestroyingTheResultWaitsForTheThread) {
  std::atomic<bool> finished{false};
  {
    Pending<void> p = Async([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      finished = true;
    });
  }
  EXPECT_TRUE(finished);
  // Assigning over a result waits for the thread it had, too.
  std::atomic<bool> first{false};
  Pending<void> p = Async([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    first = true;
  });
  p = Async([] {});
  EXPECT_TRUE(first);
}

}  // namespace
}  // namespace evrepo
