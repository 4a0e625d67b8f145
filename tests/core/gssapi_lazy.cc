// Tests of the GSSAPI that libgit2 calls through repo-tool/src/gssapi_lazy.cc
// (static builds only): each of its eight functions reaches MIT's library,
// loaded on the first call, and answers as that library does.
#include "gssapi_abi.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

bool Same(const gss_OID_desc& oid, const std::string& bytes) {
  return oid.length == bytes.size() &&
         std::memcmp(oid.elements, bytes.data(), bytes.size()) == 0;
}

class GssapiLazyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    void* lib = dlopen("libgssapi_krb5.so.2", RTLD_NOW | RTLD_NOLOAD);
    if (lib) {
      dlclose(lib);
      GTEST_FAIL() << "GSSAPI is loaded before its first call";
    }
    lib = dlopen("libgssapi_krb5.so.2", RTLD_LAZY | RTLD_LOCAL);
    installed_ = lib != nullptr;
    if (lib) dlclose(lib);
  }
  bool installed_ = false;
};

TEST_F(GssapiLazyTest, EveryFunctionReachesTheLibrary) {
  EXPECT_TRUE(Same(*GSS_C_NT_HOSTBASED_SERVICE,
                   "\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04"));
  if (!installed_) {
    // Debian's libgit2 depends on the library, but without it every
    // function must report GSS_S_UNAVAILABLE, which libgit2 takes as
    // Negotiate not being offered.
    constexpr OM_uint32 kUnavailable = 16u << 16;
    OM_uint32 minor = 7;
    gss_OID_set mechs = nullptr;
    EXPECT_EQ(gss_indicate_mechs(&minor, &mechs), kUnavailable);
    EXPECT_EQ(minor, 0u);
    gss_buffer_desc text{0, nullptr};
    OM_uint32 context = 0;
    EXPECT_EQ(gss_display_status(&minor, 1, 1, nullptr, &context, &text),
              kUnavailable);
    return;
  }

  OM_uint32 minor = 0;
  gss_OID_set mechs = nullptr;
  ASSERT_EQ(gss_indicate_mechs(&minor, &mechs), 0u);
  ASSERT_NE(mechs, nullptr);
  bool krb5 = false;
  for (std::size_t i = 0; i < mechs->count; ++i) {
    krb5 = krb5 ||
           Same(mechs->elements[i], "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02");
  }
  EXPECT_TRUE(krb5) << "Kerberos 5 is among the mechanisms";
  EXPECT_EQ(gss_release_oid_set(&minor, &mechs), 0u);

  std::string service = "HTTP@localhost";
  gss_buffer_desc name_buf{service.size(), service.data()};
  gss_name_t name = nullptr;
  ASSERT_EQ(
      gss_import_name(&minor, &name_buf, GSS_C_NT_HOSTBASED_SERVICE, &name),
      0u);

  // No credentials (an empty cache): the library's own error, in words.
  setenv("KRB5CCNAME", "FILE:/nonexistent/evrepo-test-ccache", 1);
  gss_ctx_id_t context = nullptr;
  gss_buffer_desc token{0, nullptr};
  OM_uint32 major =
      gss_init_sec_context(&minor, nullptr, &context, name, nullptr, 0, 0,
                           nullptr, nullptr, nullptr, &token, nullptr, nullptr);
  EXPECT_NE(major, 0u);
  OM_uint32 message_context = 0;
  gss_buffer_desc text{0, nullptr};
  OM_uint32 display_minor = 0;
  ASSERT_EQ(gss_display_status(&display_minor, major, 1, nullptr,
                               &message_context, &text),
            0u);
  EXPECT_GT(text.length, 0u);
  EXPECT_EQ(gss_release_buffer(&display_minor, &text), 0u);
  gss_delete_sec_context(&minor, &context, nullptr);
  EXPECT_EQ(gss_release_name(&minor, &name), 0u);
}

}  // namespace
