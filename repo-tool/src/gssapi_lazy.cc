// GSSAPI for libgit2, loaded when first called.
//
// libgit2 uses GSSAPI only for HTTP "Negotiate" (Kerberos) authentication,
// yet linking it loads MIT Kerberos's seven shared libraries into every run
// of evrepo: about 0.4 ms, a tenth of a search.  When libgit2 is linked from
// its static archive (CMakeLists.txt), these definitions of the eight
// functions and the one OID it calls stand in for the library's, and
// dlopen libgssapi_krb5.so.2 on the first call.  Without it, each reports
// GSS_S_UNAVAILABLE, and libgit2 goes on without Negotiate, as a libgit2
// built without GSSAPI would.
#include "gssapi_abi.h"

#include "lazy_library.h"

namespace {

constexpr OM_uint32 kUnavailable = 16u << 16;  // GSS_S_UNAVAILABLE

// The service name type, 1.2.840.113554.1.2.1.4; GSSAPI compares OIDs by
// value, so this one serves as well as the library's own.
char kHostBasedOid[] = "\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04";
gss_OID_desc kHostBased = {10, kHostBasedOid};

constexpr char kSoname[] = "libgssapi_krb5.so.2";

}  // namespace

// Each function looks its namesake up once, then calls it.
#define EVREPO_GSS_FORWARD(name, params, args)                   \
  OM_uint32 name params {                                        \
    using Fn = OM_uint32(*) params;                              \
    static const Fn fn = evrepo::lazy::Find<kSoname, Fn>(#name); \
    if (!fn) {                                                   \
      if (minor) *minor = 0;                                     \
      return kUnavailable;                                       \
    }                                                            \
    return fn args;                                              \
  }

extern "C" {

gss_OID GSS_C_NT_HOSTBASED_SERVICE = &kHostBased;

EVREPO_GSS_FORWARD(gss_import_name,
                   (OM_uint32 * minor, gss_buffer_t name, gss_OID type,
                    gss_name_t* out),
                   (minor, name, type, out))
EVREPO_GSS_FORWARD(gss_release_name, (OM_uint32 * minor, gss_name_t* name),
                   (minor, name))
EVREPO_GSS_FORWARD(gss_indicate_mechs, (OM_uint32 * minor, gss_OID_set* set),
                   (minor, set))
EVREPO_GSS_FORWARD(gss_release_oid_set, (OM_uint32 * minor, gss_OID_set* set),
                   (minor, set))
EVREPO_GSS_FORWARD(gss_release_buffer, (OM_uint32 * minor, gss_buffer_t buffer),
                   (minor, buffer))
EVREPO_GSS_FORWARD(gss_delete_sec_context,
                   (OM_uint32 * minor, gss_ctx_id_t* context,
                    gss_buffer_t output),
                   (minor, context, output))
EVREPO_GSS_FORWARD(gss_display_status,
                   (OM_uint32 * minor, OM_uint32 status, int type, gss_OID mech,
                    OM_uint32* context, gss_buffer_t text),
                   (minor, status, type, mech, context, text))
EVREPO_GSS_FORWARD(gss_init_sec_context,
                   (OM_uint32 * minor, gss_cred_id_t credentials,
                    gss_ctx_id_t* context, gss_name_t target, gss_OID mech,
                    OM_uint32 flags, OM_uint32 time,
                    gss_channel_bindings_t bindings, gss_buffer_t input,
                    gss_OID* actual_mech, gss_buffer_t output,
                    OM_uint32* ret_flags, OM_uint32* time_rec),
                   (minor, credentials, context, target, mech, flags, time,
                    bindings, input, actual_mech, output, ret_flags, time_rec))

}  // extern "C"
