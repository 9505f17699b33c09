/* Internals shared by the encoders of server/proto (encode.c,
 * encode_breakout.c, encode_session.c, encode_programme.c): small cJSON
 * builders, defined in encode_util.c. Not for other modules. Every builder
 * aborts when out of memory. */
#ifndef KOPA_PROTO_ENCODE_INT_H
#define KOPA_PROTO_ENCODE_INT_H

#include "server/proto/encode.h"
#include "server/proto/proto_int.h"

/* A string node holding s as well-formed UTF-8 (NULL gives ""). */
cJSON *proto__jstr(const char *s);
/* A string node for len bytes of s (NULL gives ""); each byte that is not
 * part of well-formed UTF-8, and each NUL, becomes U+FFFD. */
cJSON *proto__jstr_n(const char *s, size_t len);
/* An exact integer node. */
cJSON *proto__jint(int64_t v);
/* A true or false node. */
cJSON *proto__jbool(int v);
/* A raw node holding r verbatim. */
cJSON *proto__jraw(const proto_raw *r);
/* New empty object and array nodes. */
cJSON *proto__jobject(void);
cJSON *proto__jarray(void);
/* An array of string nodes for s[0..n) (s NULL: empty). */
cJSON *proto__jstrings(const char *const *s, size_t n);
/* The short sender object {id, name, role} of m ("" each when NULL). */
cJSON *proto__jfrom(const proto_member *m);
/* Adds item under key (a string literal, not copied). */
void proto__jput(cJSON *obj, const char *key, cJSON *item);
/* Adds item under key, which is not a literal: it is copied, made
 * well-formed UTF-8 first. */
void proto__jput_key(cJSON *obj, const char *key, cJSON *item);
/* Adds a string under key when s is neither NULL nor "". */
void proto__jput_str(cJSON *obj, const char *key, const char *s);
void proto__jpush(cJSON *arr, cJSON *item);
/* A new object whose first field is "type" (and then "ref" when ref is
 * neither NULL nor ""). */
cJSON *proto__jreply(const char *type, const char *ref);
/* A new event object with type, channel, offset, id and from (the sender
 * object of proto__jfrom): how chat, dm, broadcast and breakout_note
 * events start. The caller adds the rest. */
cJSON *proto__jmessage(const char *type, const char *channel, int64_t offset,
                       const char *id, const proto_member *from);
/* Prints obj (and deletes it) into a new buffer the caller frees; *len
 * (when len is not NULL) is its length. */
char *proto__jfinish(cJSON *obj, size_t *len);

#endif
