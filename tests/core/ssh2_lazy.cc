// Tests of the libssh2 that libgit2 calls through repo-tool/src/ssh2_lazy.cc
// (static builds only): the library is loaded on the first call, not
// before, and its functions answer through the stand-ins as libssh2 does.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <libssh2.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace {

bool Loaded() {
  void* lib = dlopen("libssh2.so.1", RTLD_NOW | RTLD_NOLOAD);
  if (lib) dlclose(lib);
  return lib != nullptr;
}

TEST(Ssh2LazyTest, TheLibraryIsLoadedOnTheFirstCallAndAnswers) {
  ASSERT_FALSE(Loaded()) << "libssh2 is loaded before its first call";

  int init = libssh2_init(0);
  if (!Loaded()) {
    // Debian's libgit2 depends on the library; without it, libssh2_init
    // fails, which libgit2 reports as SSH being unavailable.
    EXPECT_LT(init, 0);
    EXPECT_EQ(libssh2_session_init_ex(nullptr, nullptr, nullptr, nullptr),
              nullptr);
    return;
  }
  ASSERT_EQ(init, 0);

  int abstract_value = 42;
  LIBSSH2_SESSION* session =
      libssh2_session_init_ex(nullptr, nullptr, nullptr, &abstract_value);
  ASSERT_NE(session, nullptr);
  void** abstract = libssh2_session_abstract(session);
  ASSERT_NE(abstract, nullptr);
  EXPECT_EQ(*abstract, &abstract_value);
  libssh2_session_set_blocking(session, 1);
  EXPECT_EQ(libssh2_session_method_pref(session, LIBSSH2_METHOD_CRYPT_CS,
                                        "aes128-ctr"),
            0);
  EXPECT_EQ(libssh2_userauth_authenticated(session), 0);
  EXPECT_EQ(libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA1), nullptr);

  LIBSSH2_KNOWNHOSTS* hosts = libssh2_knownhost_init(session);
  ASSERT_NE(hosts, nullptr);
  EXPECT_LT(libssh2_knownhost_readfile(hosts, "/nonexistent/known_hosts",
                                       LIBSSH2_KNOWNHOST_FILE_OPENSSH),
            0);
  libssh2_knownhost_free(hosts);

  // A server that hangs up: the handshake fails, in libssh2's own words.
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  close(fds[1]);
  EXPECT_LT(libssh2_session_handshake(session, fds[0]), 0);
  char* message = nullptr;
  int length = 0;
  EXPECT_LT(libssh2_session_last_error(session, &message, &length, 0), 0);
  ASSERT_NE(message, nullptr);
  EXPECT_GT(length, 0);
  EXPECT_FALSE(std::string(message, length).empty());
  close(fds[0]);

  EXPECT_EQ(libssh2_session_free(session), 0);
  libssh2_exit();
}

}  // namespace
