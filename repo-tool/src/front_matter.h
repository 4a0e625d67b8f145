// For tests only: whether ParseDocument may read front matter without
// yaml-cpp, on its fast path for the common forms (document.cc), and how
// often it did.  Always on in the product; tests/core/front_matter_test.cc
// turns it off to compare the two.
#ifndef EVREPO_FRONT_MATTER_H_
#define EVREPO_FRONT_MATTER_H_

#include <atomic>

namespace evrepo {

extern bool g_fast_front_matter;
// How many front matter blocks the fast path has read.
extern std::atomic<long> g_fast_front_matter_reads;

// The same for evrepo.yml: whether ParseConfig may read it without
// yaml-cpp, when it has only the plain forms (corpus.cc).
extern bool g_fast_config;
extern std::atomic<long> g_fast_config_reads;

}  // namespace evrepo

#endif  // EVREPO_FRONT_MATTER_H_
