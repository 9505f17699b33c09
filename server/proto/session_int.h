/* Internals shared by the proto files of section 10 (parse_session.c,
 * parse_programme.c): field helpers in the style of proto_int.h. Not for
 * other modules. */
#ifndef KOPA_PROTO_SESSION_INT_H
#define KOPA_PROTO_SESSION_INT_H

#include "server/proto/encode_int.h"
#include "server/proto/proto_int.h"
#include "server/proto/session_proto.h"

/* A string that must be one of names[0..n); *out is its index. */
proto_error proto__name(proto__ctx *c, const cJSON *obj, const char *key,
                        const char *label, int required,
                        const char *const *names, size_t n, int *out);
/* A string of min..max bytes copied into dst (max + 1 bytes); dst is ""
 * when absent. */
proto_error proto__text(proto__ctx *c, const cJSON *obj, const char *key,
                        const char *label, int required, size_t min, size_t max,
                        char *dst);
/* true or false; *out untouched when absent. */
proto_error proto__bool(proto__ctx *c, const cJSON *obj, const char *key,
                        const char *label, int required, int *out);
/* An integer id 1..2^32-1; *out untouched when absent. */
proto_error proto__uid(proto__ctx *c, const cJSON *obj, const char *key,
                       const char *label, int required, uint32_t *out);

/* The wire names of agenda item kinds and programme entry kinds. */
extern const char *const proto__agenda_kinds[];
extern const size_t proto__agenda_nkinds;

/* The programme entry and note objects (encode_programme.c and
 * encode_session.c). */
cJSON *proto__jentry(const proto_entry_view *e, int with_id);
cJSON *proto__jnote(const proto_note_view *n);

#endif
