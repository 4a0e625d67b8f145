// libssh2 for libgit2, loaded when first called.
//
// libgit2 uses libssh2 only to fetch or push over SSH, yet linking libssh2
// brings in OpenSSL's libcrypto, which libssh2 is built on: 2.4 MB of code
// and 300 KB of tables to relocate, about 90 page faults and 0.2 ms at
// every start of evrepo, a twentieth of a search.  When libgit2 is linked
// from its static archive (CMakeLists.txt), these definitions of the 37
// functions it calls stand in for libssh2's and dlopen libssh2.so.1 on the
// first call, which is libssh2_init when the first SSH remote is used
// (git.cc).  Each is checked against libssh2.h's declaration.  Without the
// library, libssh2_init fails and libgit2 reports that it cannot
// initialise libssh2; the other functions are then never reached, and
// would answer as failures.
#include <libssh2.h>

#include "lazy_library.h"

namespace {

constexpr char kSoname[] = "libssh2.so.1";

}  // namespace

// Each function looks its namesake up once, then calls it; without it,
// it returns `fallback`.
#define EVREPO_SSH2_FORWARD(ret, name, params, args, fallback)   \
  ret name params {                                              \
    using Fn = ret(*) params;                                    \
    static const Fn fn = evrepo::lazy::Find<kSoname, Fn>(#name); \
    if (!fn) return fallback;                                    \
    return fn args;                                              \
  }

// What a function that fails returns, by its type.
#define EVREPO_SSH2_INT(name, params, args) \
  EVREPO_SSH2_FORWARD(int, name, params, args, LIBSSH2_ERROR_SOCKET_NONE)
#define EVREPO_SSH2_PTR(ret, name, params, args) \
  EVREPO_SSH2_FORWARD(ret, name, params, args, nullptr)
#define EVREPO_SSH2_VOID(name, params, args) \
  EVREPO_SSH2_FORWARD(void, name, params, args, void())

extern "C" {

EVREPO_SSH2_INT(libssh2_init, (int flags), (flags))
EVREPO_SSH2_VOID(libssh2_exit, (void), ())

EVREPO_SSH2_PTR(LIBSSH2_SESSION*, libssh2_session_init_ex,
                (void* (*my_alloc)(size_t count, void** abstract),
                 void (*my_free)(void* ptr, void** abstract),
                 void* (*my_realloc)(void* ptr, size_t count, void** abstract),
                 void* abstract),
                (my_alloc, my_free, my_realloc, abstract))
EVREPO_SSH2_PTR(void**, libssh2_session_abstract, (LIBSSH2_SESSION * session),
                (session))
EVREPO_SSH2_INT(libssh2_session_handshake,
                (LIBSSH2_SESSION * session, libssh2_socket_t sock),
                (session, sock))
EVREPO_SSH2_INT(libssh2_session_disconnect_ex,
                (LIBSSH2_SESSION * session, int reason, const char* description,
                 const char* lang),
                (session, reason, description, lang))
EVREPO_SSH2_INT(libssh2_session_free, (LIBSSH2_SESSION * session), (session))
EVREPO_SSH2_PTR(const char*, libssh2_session_hostkey,
                (LIBSSH2_SESSION * session, size_t* len, int* type),
                (session, len, type))
EVREPO_SSH2_INT(libssh2_session_last_error,
                (LIBSSH2_SESSION * session, char** errmsg, int* errmsg_len,
                 int want_buf),
                (session, errmsg, errmsg_len, want_buf))
EVREPO_SSH2_INT(libssh2_session_method_pref,
                (LIBSSH2_SESSION * session, int method_type, const char* prefs),
                (session, method_type, prefs))
EVREPO_SSH2_VOID(libssh2_session_set_blocking,
                 (LIBSSH2_SESSION * session, int blocking), (session, blocking))
EVREPO_SSH2_PTR(const char*, libssh2_hostkey_hash,
                (LIBSSH2_SESSION * session, int hash_type),
                (session, hash_type))

EVREPO_SSH2_PTR(LIBSSH2_KNOWNHOSTS*, libssh2_knownhost_init,
                (LIBSSH2_SESSION * session), (session))
EVREPO_SSH2_INT(libssh2_knownhost_readfile,
                (LIBSSH2_KNOWNHOSTS * hosts, const char* filename, int type),
                (hosts, filename, type))
EVREPO_SSH2_INT(libssh2_knownhost_checkp,
                (LIBSSH2_KNOWNHOSTS * hosts, const char* host, int port,
                 const char* key, size_t keylen, int typemask,
                 struct libssh2_knownhost** knownhost),
                (hosts, host, port, key, keylen, typemask, knownhost))
EVREPO_SSH2_VOID(libssh2_knownhost_free, (LIBSSH2_KNOWNHOSTS * hosts), (hosts))

EVREPO_SSH2_PTR(char*, libssh2_userauth_list,
                (LIBSSH2_SESSION * session, const char* username,
                 unsigned int username_len),
                (session, username, username_len))
// Not authenticated, rather than the error code, which would read as true.
EVREPO_SSH2_FORWARD(int, libssh2_userauth_authenticated,
                    (LIBSSH2_SESSION * session), (session), 0)
EVREPO_SSH2_INT(libssh2_userauth_password_ex,
                (LIBSSH2_SESSION * session, const char* username,
                 unsigned int username_len, const char* password,
                 unsigned int password_len,
                 LIBSSH2_PASSWD_CHANGEREQ_FUNC((*passwd_change_cb))),
                (session, username, username_len, password, password_len,
                 passwd_change_cb))
EVREPO_SSH2_INT(libssh2_userauth_publickey_fromfile_ex,
                (LIBSSH2_SESSION * session, const char* username,
                 unsigned int username_len, const char* publickey,
                 const char* privatekey, const char* passphrase),
                (session, username, username_len, publickey, privatekey,
                 passphrase))
EVREPO_SSH2_INT(libssh2_userauth_publickey_frommemory,
                (LIBSSH2_SESSION * session, const char* username,
                 size_t username_len, const char* publickeyfiledata,
                 size_t publickeyfiledata_len, const char* privatekeyfiledata,
                 size_t privatekeyfiledata_len, const char* passphrase),
                (session, username, username_len, publickeyfiledata,
                 publickeyfiledata_len, privatekeyfiledata,
                 privatekeyfiledata_len, passphrase))
EVREPO_SSH2_INT(libssh2_userauth_publickey,
                (LIBSSH2_SESSION * session, const char* username,
                 const unsigned char* pubkeydata, size_t pubkeydata_len,
                 LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC((*sign_callback)),
                 void** abstract),
                (session, username, pubkeydata, pubkeydata_len, sign_callback,
                 abstract))
EVREPO_SSH2_INT(libssh2_userauth_keyboard_interactive_ex,
                (LIBSSH2_SESSION * session, const char* username,
                 unsigned int username_len,
                 LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC((*response_callback))),
                (session, username, username_len, response_callback))

EVREPO_SSH2_PTR(LIBSSH2_AGENT*, libssh2_agent_init, (LIBSSH2_SESSION * session),
                (session))
EVREPO_SSH2_INT(libssh2_agent_connect, (LIBSSH2_AGENT * agent), (agent))
EVREPO_SSH2_INT(libssh2_agent_list_identities, (LIBSSH2_AGENT * agent), (agent))
EVREPO_SSH2_INT(libssh2_agent_get_identity,
                (LIBSSH2_AGENT * agent, struct libssh2_agent_publickey** store,
                 struct libssh2_agent_publickey* prev),
                (agent, store, prev))
EVREPO_SSH2_INT(libssh2_agent_userauth,
                (LIBSSH2_AGENT * agent, const char* username,
                 struct libssh2_agent_publickey* identity),
                (agent, username, identity))
EVREPO_SSH2_INT(libssh2_agent_disconnect, (LIBSSH2_AGENT * agent), (agent))
EVREPO_SSH2_VOID(libssh2_agent_free, (LIBSSH2_AGENT * agent), (agent))

EVREPO_SSH2_PTR(LIBSSH2_CHANNEL*, libssh2_channel_open_ex,
                (LIBSSH2_SESSION * session, const char* channel_type,
                 unsigned int channel_type_len, unsigned int window_size,
                 unsigned int packet_size, const char* message,
                 unsigned int message_len),
                (session, channel_type, channel_type_len, window_size,
                 packet_size, message, message_len))
EVREPO_SSH2_INT(libssh2_channel_process_startup,
                (LIBSSH2_CHANNEL * channel, const char* request,
                 unsigned int request_len, const char* message,
                 unsigned int message_len),
                (channel, request, request_len, message, message_len))
EVREPO_SSH2_FORWARD(ssize_t, libssh2_channel_read_ex,
                    (LIBSSH2_CHANNEL * channel, int stream_id, char* buf,
                     size_t buflen),
                    (channel, stream_id, buf, buflen),
                    LIBSSH2_ERROR_SOCKET_NONE)
EVREPO_SSH2_FORWARD(ssize_t, libssh2_channel_write_ex,
                    (LIBSSH2_CHANNEL * channel, int stream_id, const char* buf,
                     size_t buflen),
                    (channel, stream_id, buf, buflen),
                    LIBSSH2_ERROR_SOCKET_NONE)
EVREPO_SSH2_VOID(libssh2_channel_set_blocking,
                 (LIBSSH2_CHANNEL * channel, int blocking), (channel, blocking))
EVREPO_SSH2_INT(libssh2_channel_close, (LIBSSH2_CHANNEL * channel), (channel))
EVREPO_SSH2_INT(libssh2_channel_free, (LIBSSH2_CHANNEL * channel), (channel))

}  // extern "C"
