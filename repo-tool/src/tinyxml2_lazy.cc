// libtinyxml2, loaded when first called.
//
// evrepo reads XML only to parse schema files, and most commands find the
// schemas parsed in their cache (schema_cache.cc); a search with
// --no-update, or an update of the index, reads none.  Yet linking
// libtinyxml2 had every start load and relocate it: 0.1 ms of a 4 ms
// search.  These definitions of the nine functions schema.cc calls stand
// in for the library's and dlopen it (EVREPO_TINYXML2_SONAME, the soname
// of the library CMake found) on the first call.
//
// They are the library's C++ functions under their mangled names, as the
// C ABI sees them: `this` first, enums as int.  tinyxml2.h is not included
// here, so that its declarations of the same symbols do not meet these.
// The objects are laid out by the header that schema.cc compiled against,
// which is the installed library's; their virtual functions are reached
// through the vtables the real constructor sets.  Without the library,
// evrepo says so and stops: reading a schema cannot go on without it.
#include <dlfcn.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include "lazy_library.h"

namespace {

constexpr char kSoname[] = EVREPO_TINYXML2_SONAME;

template <typename F>
F Real(const char* symbol) {
  F fn = evrepo::lazy::Find<kSoname, F>(symbol);
  if (!fn) {
    const char* why = dlerror();
    std::fprintf(stderr,
                 "evrepo: error: cannot load %s, needed to read schemas: %s\n",
                 kSoname, why ? why : "no such function");
    std::exit(3);
  }
  return fn;
}

}  // namespace

// Defines `symbol` to look itself up once in the library, then call it.
#define EVREPO_TINYXML2(ret, symbol, params, args) \
  extern "C" ret symbol params {                   \
    using Fn = ret(*) params;                      \
    static const Fn fn = Real<Fn>(#symbol);        \
    return fn args;                                \
  }

// XMLDocument::XMLDocument(bool processEntities, Whitespace)
EVREPO_TINYXML2(void, _ZN8tinyxml211XMLDocumentC1EbNS_10WhitespaceE,
                (void* self, bool entities, int whitespace),
                (self, entities, whitespace))
// XMLDocument::~XMLDocument()
EVREPO_TINYXML2(void, _ZN8tinyxml211XMLDocumentD1Ev, (void* self), (self))
// XMLError XMLDocument::Parse(const char* xml, size_t length)
EVREPO_TINYXML2(int, _ZN8tinyxml211XMLDocument5ParseEPKcm,
                (void* self, const char* xml, std::size_t length),
                (self, xml, length))
// const char* XMLDocument::ErrorStr() const
EVREPO_TINYXML2(const char*, _ZNK8tinyxml211XMLDocument8ErrorStrEv,
                (const void* self), (self))
// const char* XMLElement::Attribute(const char* name,
//                                   const char* value) const
EVREPO_TINYXML2(const char*, _ZNK8tinyxml210XMLElement9AttributeEPKcS2_,
                (const void* self, const char* name, const char* value),
                (self, name, value))
// const char* XMLAttribute::Name() const
EVREPO_TINYXML2(const char*, _ZNK8tinyxml212XMLAttribute4NameEv,
                (const void* self), (self))
// const XMLElement* XMLNode::FirstChildElement(const char* name) const
EVREPO_TINYXML2(const void*, _ZNK8tinyxml27XMLNode17FirstChildElementEPKc,
                (const void* self, const char* name), (self, name))
// const XMLElement* XMLNode::NextSiblingElement(const char* name) const
EVREPO_TINYXML2(const void*, _ZNK8tinyxml27XMLNode18NextSiblingElementEPKc,
                (const void* self, const char* name), (self, name))
// const char* XMLNode::Value() const
EVREPO_TINYXML2(const char*, _ZNK8tinyxml27XMLNode5ValueEv, (const void* self),
                (self))
