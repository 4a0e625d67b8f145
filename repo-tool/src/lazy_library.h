// A shared library loaded on the first call of one of its functions.
//
// When libgit2 is linked from its static archive (CMakeLists.txt), the
// libraries it needs only for remotes, GSSAPI (gssapi_lazy.cc) and libssh2
// (ssh2_lazy.cc), are not linked in: functions of the same names stand in
// for theirs and look the real ones up here on first use.  Every run of
// evrepo is then spared loading them, and their constructors and
// relocations, though only a fetch or push uses them.
#ifndef EVREPO_LAZY_LIBRARY_H_
#define EVREPO_LAZY_LIBRARY_H_

#include <dlfcn.h>

namespace evrepo::lazy {

// The library `Soname`, loaded once; null when it cannot be.
template <const char* Soname>
void* Library() {
  static void* const handle = dlopen(Soname, RTLD_NOW | RTLD_LOCAL);
  return handle;
}

// The library's function `name`, of type F; null when the library or the
// function cannot be found.
template <const char* Soname, typename F>
F Find(const char* name) {
  void* lib = Library<Soname>();
  return lib ? reinterpret_cast<F>(dlsym(lib, name)) : nullptr;
}

}  // namespace evrepo::lazy

#endif  // EVREPO_LAZY_LIBRARY_H_
