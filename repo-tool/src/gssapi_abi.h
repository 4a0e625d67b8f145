// The part of the GSSAPI C bindings that libgit2 calls, declared as
// RFC 2744 and MIT's gssapi.h define them: Debian has no GSSAPI headers
// without libkrb5-dev.  gssapi_lazy.cc defines these; its test calls them.
#ifndef EVREPO_GSSAPI_ABI_H_
#define EVREPO_GSSAPI_ABI_H_

#include <cstddef>
#include <cstdint>

extern "C" {

using OM_uint32 = std::uint32_t;
struct gss_OID_desc {
  OM_uint32 length;
  void* elements;
};
using gss_OID = gss_OID_desc*;
struct gss_OID_set_desc {
  std::size_t count;
  gss_OID elements;
};
using gss_OID_set = gss_OID_set_desc*;
struct gss_buffer_desc {
  std::size_t length;
  void* value;
};
using gss_buffer_t = gss_buffer_desc*;
using gss_name_t = struct gss_name_struct*;
using gss_ctx_id_t = struct gss_ctx_id_struct*;
using gss_cred_id_t = struct gss_cred_id_struct*;
using gss_channel_bindings_t = struct gss_channel_bindings_struct*;

extern gss_OID GSS_C_NT_HOSTBASED_SERVICE;
OM_uint32 gss_import_name(OM_uint32* minor, gss_buffer_t name, gss_OID type,
                          gss_name_t* out);
OM_uint32 gss_release_name(OM_uint32* minor, gss_name_t* name);
OM_uint32 gss_indicate_mechs(OM_uint32* minor, gss_OID_set* set);
OM_uint32 gss_release_oid_set(OM_uint32* minor, gss_OID_set* set);
OM_uint32 gss_release_buffer(OM_uint32* minor, gss_buffer_t buffer);
OM_uint32 gss_delete_sec_context(OM_uint32* minor, gss_ctx_id_t* context,
                                 gss_buffer_t output);
OM_uint32 gss_display_status(OM_uint32* minor, OM_uint32 status, int type,
                             gss_OID mech, OM_uint32* context,
                             gss_buffer_t text);
OM_uint32 gss_init_sec_context(OM_uint32* minor, gss_cred_id_t credentials,
                               gss_ctx_id_t* context, gss_name_t target,
                               gss_OID mech, OM_uint32 flags, OM_uint32 time,
                               gss_channel_bindings_t bindings,
                               gss_buffer_t input, gss_OID* actual_mech,
                               gss_buffer_t output, OM_uint32* ret_flags,
                               OM_uint32* time_rec);

}  // extern "C"

#endif  // EVREPO_GSSAPI_ABI_H_
