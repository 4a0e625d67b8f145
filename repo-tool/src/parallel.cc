// Where new threads start; see StartThread in evrepo/parallel.h.
#include "evrepo/parallel.h"

#include <pthread.h>

namespace evrepo::detail {

std::shared_ptr<Placement> CurrentPlacement() {
  auto p = std::make_shared<Placement>();
  int here = sched_getcpu();
  if (here < 0 || sched_getaffinity(0, sizeof p->allowed, &p->allowed) != 0) {
    return nullptr;
  }
  p->others = p->allowed;
  CPU_CLR(here, &p->others);
  if (CPU_COUNT(&p->others) == 0) return nullptr;
  return p;
}

void Place(std::thread& thread, Placement& p) {
  // Failing, the thread starts where the kernel puts it: only later.
  (void)pthread_setaffinity_np(thread.native_handle(), sizeof p.others,
                               &p.others);
  p.placed.store(true, std::memory_order_release);
  p.placed.notify_one();
}

void Unplace(Placement& p) {
  // Waiting first: taken back before Place, the cores would be lost.
  p.placed.wait(false, std::memory_order_acquire);
  (void)sched_setaffinity(0, sizeof p.allowed, &p.allowed);
}

}  // namespace evrepo::detail
