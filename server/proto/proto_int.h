/* Internals shared by the files of server/proto; not for other modules.
 * lex.c checks the raw frame, parse.c owns the envelope and the field
 * helpers, parse_msgs.c holds one small parse function per message type. */
#ifndef KOPA_PROTO_INT_H
#define KOPA_PROTO_INT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "server/proto/proto.h"

/* Largest magnitude an integer field may have: 2^53, the last integer a
 * JSON number (an IEEE double) holds exactly. */
#define PROTO__INT_LIMIT 9007199254740992LL

/* Returns p, or aborts when it is NULL (out of memory). */
void *proto__need(void *p);

/* Returns the length (1-4) of the well-formed UTF-8 sequence at s (n bytes
 * available), or 0 when s does not start one (overlong forms, surrogates
 * and code points above U+10FFFF are not well formed). n must be >= 1. */
size_t proto__utf8_seq(const unsigned char *s, size_t n);

/* What proto__lex found. */
typedef struct proto__lexinfo {
    const char *err;     /* static reason when the frame is not JSON text */
    size_t err_off;      /* byte offset of the problem */
    int nul;             /* a string holds \u0000 */
    size_t nul_off;      /* offset of the first \u0000 */
    int nul_in_key;      /* ... and that string is an object key */
    const char *nul_key; /* raw bytes of the key its value belongs to */
    size_t nul_key_len;
} proto__lexinfo;

/* Checks that buf (len bytes) is made only of well-formed JSON tokens
 * (RFC 8259), nested at most PROTO_MAX_DEPTH deep: JSON whitespace,
 * structural characters, literals, numbers of the JSON grammar (at most 63
 * characters), and strings of well-formed UTF-8 without raw control
 * characters, with valid escapes and no lone surrogates. The structure is
 * left to cJSON. Returns 0 when the frame passes (info->nul tells about
 * \u0000), -1 with info->err set otherwise. */
int proto__lex(const char *buf, size_t len, proto__lexinfo *info);

/* Where a parse writes its error detail. */
typedef struct proto__ctx {
    char *detail;
    size_t size;
} proto__ctx;

/* Writes the printf-style reason into the context and returns e. */
proto_error proto__fail(proto__ctx *c, proto_error e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The field helpers below look up key in obj (case-sensitively, first one
 * wins) and name the field as label in error details (label NULL: key).
 * They return PROTO_OK or the error they wrote into c. An absent optional
 * field leaves the output untouched and sets *present (when given) to 0. */

/* A string of at most max bytes; *s borrows obj. */
proto_error proto__str(proto__ctx *c, const cJSON *obj, const char *key,
                       const char *label, int required, size_t max,
                       const char **s, size_t *len, int *present);
/* An id ([A-Za-z0-9_.-]{1,64}) copied into dst; dst is "" when absent. */
proto_error proto__id(proto__ctx *c, const cJSON *obj, const char *key,
                      const char *label, int required,
                      char dst[PROTO_MAX_ID + 1]);
/* A channel name (room:<id> or user:<id>) copied into dst. */
proto_error proto__channel(proto__ctx *c, const cJSON *obj, const char *key,
                           const char *label, int required,
                           char dst[PROTO_MAX_CHANNEL + 1]);
/* Checks a channel name already read (e.g. an object key). */
proto_error proto__channel_value(proto__ctx *c, const char *s, size_t len,
                                 const char *label);
/* A required string of 1 to max bytes, copied to the heap (*dst, NUL
 * terminated, owned by the caller). */
proto_error proto__heap_str(proto__ctx *c, const cJSON *obj, const char *key,
                            const char *label, size_t max, char **dst,
                            size_t *len);
/* An integral JSON number with |x| <= 2^53, within [min, max]. */
proto_error proto__int(proto__ctx *c, const cJSON *obj, const char *key,
                       const char *label, int required, int64_t min,
                       int64_t max, int64_t *out, int *present);
/* An object with at most max members; *out borrows obj. */
proto_error proto__object(proto__ctx *c, const cJSON *obj, const char *key,
                          const char *label, int required, int max,
                          const cJSON **out, int *present);
/* An array with at most max elements; *out borrows obj. */
proto_error proto__array(proto__ctx *c, const cJSON *obj, const char *key,
                         const char *label, int required, int max,
                         const cJSON **out, int *present);

/* Number of bytes of s (len bytes of well-formed UTF-8) to print so that at
 * most max bytes are shown and no character is cut. */
int proto__clip(const char *s, size_t len, size_t max);

/* One parse function per message type of messages.def (parse_msgs.c). The
 * root object is borrowed; m->type and m->ref are already set. */
#define PROTO_MSG(name, wire, auth, join)                                      \
    proto_error proto__parse_##name(proto__ctx *c, const cJSON *root,          \
                                    proto_msg *m);
#include "server/proto/messages.def"
#undef PROTO_MSG

#endif
