/* parse.c: proto_parse, the one entry from a client text frame to a typed
 * message (called by the app for every text frame). It checks the frame
 * size, runs the strict lexer (lex.c), builds the tree with cJSON, reads
 * the envelope (type, ref) and dispatches on the type through a table
 * generated from messages.def to the per-type functions of parse_msgs.c.
 * The field helpers shared by those functions live here too. */
#include "server/proto/proto_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef proto_error (*parse_fn)(proto__ctx *c, const cJSON *root, proto_msg *m);

static const parse_fn parsers[PROTO_TYPE_COUNT] = {
#define PROTO_MSG(name, wire, auth, join) [PROTO_##name] = proto__parse_##name,
#include "server/proto/messages.def"
#undef PROTO_MSG
};

void *proto__need(void *p)
{
    if (p == NULL) {
        fputs("kopa: out of memory in proto\n", stderr);
        abort();
    }
    return p;
}

proto_error proto__fail(proto__ctx *c, proto_error e, const char *fmt, ...)
{
    va_list ap;

    if (c->detail != NULL && c->size > 0) {
        va_start(ap, fmt);
        vsnprintf(c->detail, c->size, fmt, ap);
        va_end(ap);
    }
    return e;
}

int proto__clip(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return (int)len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--; /* s[max] continues a character: cut before it starts */
    return (int)max;
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* Whether the member it of its object has a later namesake. */
static int repeated(const cJSON *it)
{
    for (const cJSON *x = it->next; x != NULL; x = x->next)
        if (x->string != NULL && !strcmp(x->string, it->string))
            return 1;
    return 0;
}

/* The common start of every helper: find the field, or report it absent.
 * A field the parser reads may appear only once: which of two values a
 * message means should not depend on the JSON library. */
static proto_error lookup(proto__ctx *c, const cJSON *obj, const char *key,
                          const char *label, int required, const cJSON **it,
                          int *present)
{
    *it = member(obj, key);
    if (present != NULL)
        *present = *it != NULL;
    if (*it == NULL && required)
        return proto__fail(c, PROTO_ERR_MISSING_FIELD, "%s is required", label);
    if (*it != NULL && repeated(*it))
        return proto__fail(c, PROTO_ERR_BAD_VALUE, "%s appears more than once",
                           label);
    return PROTO_OK;
}

proto_error proto__str(proto__ctx *c, const cJSON *obj, const char *key,
                       const char *label, int required, size_t max,
                       const char **s, size_t *len, int *present)
{
    const char *name = label ? label : key;
    const cJSON *it;
    int here;
    proto_error e = lookup(c, obj, key, name, required, &it, &here);

    if (present != NULL)
        *present = here;
    if (e != PROTO_OK || it == NULL)
        return e;
    if (!cJSON_IsString(it) || it->valuestring == NULL)
        return proto__fail(c, PROTO_ERR_WRONG_TYPE, "%s must be a string",
                           name);
    size_t n = strlen(it->valuestring); /* the lexer refused \u0000 */
    if (n > max)
        return proto__fail(c, PROTO_ERR_TOO_LONG, "%s is longer than %zu bytes",
                           name, max);
    *s = it->valuestring;
    *len = n;
    return PROTO_OK;
}

proto_error proto__id(proto__ctx *c, const cJSON *obj, const char *key,
                      const char *label, int required,
                      char dst[PROTO_MAX_ID + 1])
{
    const char *name = label ? label : key;
    const char *s = NULL;
    size_t n = 0;
    int present = 0;
    proto_error e =
        proto__str(c, obj, key, name, required, PROTO_MAX_ID, &s, &n, &present);

    dst[0] = '\0';
    if (e != PROTO_OK || !present)
        return e;
    if (!proto_valid_id(s, n))
        return proto__fail(c, PROTO_ERR_BAD_VALUE,
                           "%s must be 1 to 64 of A-Z a-z 0-9 _ . -", name);
    memcpy(dst, s, n + 1);
    return PROTO_OK;
}

proto_error proto__channel_value(proto__ctx *c, const char *s, size_t len,
                                 const char *label)
{
    if (len > PROTO_MAX_CHANNEL)
        return proto__fail(c, PROTO_ERR_TOO_LONG, "%s is longer than %d bytes",
                           label, PROTO_MAX_CHANNEL);
    if (!proto_valid_channel(s, len))
        return proto__fail(c, PROTO_ERR_BAD_VALUE,
                           "%s must be room:<id> or user:<id>", label);
    return PROTO_OK;
}

proto_error proto__channel(proto__ctx *c, const cJSON *obj, const char *key,
                           const char *label, int required,
                           char dst[PROTO_MAX_CHANNEL + 1])
{
    const char *name = label ? label : key;
    const char *s = NULL;
    size_t n = 0;
    int present = 0;
    proto_error e = proto__str(c, obj, key, name, required, PROTO_MAX_CHANNEL,
                               &s, &n, &present);

    dst[0] = '\0';
    if (e == PROTO_OK && present)
        e = proto__channel_value(c, s, n, name);
    if (e == PROTO_OK && present)
        memcpy(dst, s, n + 1);
    return e;
}

proto_error proto__heap_str(proto__ctx *c, const cJSON *obj, const char *key,
                            const char *label, size_t max, char **dst,
                            size_t *len)
{
    const char *name = label ? label : key;
    const char *s = NULL;
    size_t n = 0;
    proto_error e = proto__str(c, obj, key, name, 1, max, &s, &n, NULL);

    if (e != PROTO_OK)
        return e;
    if (n == 0)
        return proto__fail(c, PROTO_ERR_BAD_VALUE, "%s must not be empty",
                           name);
    *dst = proto__need(malloc(n + 1));
    memcpy(*dst, s, n + 1);
    *len = n;
    return PROTO_OK;
}

proto_error proto__int(proto__ctx *c, const cJSON *obj, const char *key,
                       const char *label, int required, int64_t min,
                       int64_t max, int64_t *out, int *present)
{
    const char *name = label ? label : key;
    const cJSON *it;
    proto_error e = lookup(c, obj, key, name, required, &it, present);

    if (e != PROTO_OK || it == NULL)
        return e;
    if (!cJSON_IsNumber(it))
        return proto__fail(c, PROTO_ERR_WRONG_TYPE, "%s must be an integer",
                           name);
    double d = it->valuedouble;
    /* Written so that NaN and the infinities fail too. */
    if (!(d >= -(double)PROTO__INT_LIMIT && d <= (double)PROTO__INT_LIMIT))
        return proto__fail(c, PROTO_ERR_BAD_VALUE,
                           "%s is out of range (at most 2^53 in size)", name);
    int64_t v = (int64_t)d;
    if ((double)v != d)
        return proto__fail(c, PROTO_ERR_BAD_VALUE, "%s must be an integer",
                           name);
    if (v < min || v > max) {
        if (max == INT64_MAX)
            return proto__fail(c, PROTO_ERR_BAD_VALUE,
                               "%s must be at least %" PRId64, name, min);
        return proto__fail(c, PROTO_ERR_BAD_VALUE,
                           "%s must be between %" PRId64 " and %" PRId64, name,
                           min, max);
    }
    *out = v;
    return PROTO_OK;
}

/* The body of proto__object and proto__array. */
static proto_error container(proto__ctx *c, const cJSON *obj, const char *key,
                             const char *label, int required, int max,
                             int want_object, const cJSON **out, int *present)
{
    const char *name = label ? label : key;
    const cJSON *it;
    proto_error e = lookup(c, obj, key, name, required, &it, present);

    if (e != PROTO_OK || it == NULL)
        return e;
    if (want_object ? !cJSON_IsObject(it) : !cJSON_IsArray(it))
        return proto__fail(c, PROTO_ERR_WRONG_TYPE, "%s must be an %s", name,
                           want_object ? "object" : "array");
    int n = 0;
    for (const cJSON *x = it->child; x != NULL; x = x->next)
        if (++n > max)
            return proto__fail(c, PROTO_ERR_TOO_MANY,
                               "%s has more than %d entries", name, max);
    *out = it;
    return PROTO_OK;
}

proto_error proto__object(proto__ctx *c, const cJSON *obj, const char *key,
                          const char *label, int required, int max,
                          const cJSON **out, int *present)
{
    return container(c, obj, key, label, required, max, 1, out, present);
}

proto_error proto__array(proto__ctx *c, const cJSON *obj, const char *key,
                         const char *label, int required, int max,
                         const cJSON **out, int *present)
{
    return container(c, obj, key, label, required, max, 0, out, present);
}

/* Fills type, ref and the chat/dm id when they can be read, so that even a
 * failing message's error can echo them. Reports nothing. */
static void read_envelope(const cJSON *root, proto_msg *m)
{
    const cJSON *type = member(root, "type");
    const cJSON *ref = member(root, "ref");
    const cJSON *id = member(root, "id");

    if (cJSON_IsString(type))
        m->type =
            proto_type_from_name(type->valuestring, strlen(type->valuestring));
    if (cJSON_IsString(ref) && strlen(ref->valuestring) <= PROTO_MAX_ID)
        strcpy(m->ref, ref->valuestring);
    if ((m->type == PROTO_CHAT || m->type == PROTO_DM) && cJSON_IsString(id) &&
        proto_valid_id(id->valuestring, strlen(id->valuestring))) {
        strcpy(m->type == PROTO_CHAT ? m->u.chat.id : m->u.dm.id,
               id->valuestring);
    }
}

static proto_error nul_error(proto__ctx *c, const proto__lexinfo *lx)
{
    if (lx->nul_in_key)
        return proto__fail(c, PROTO_ERR_BAD_VALUE,
                           "an object key contains \\u0000 (at byte %zu)",
                           lx->nul_off);
    if (lx->nul_key != NULL)
        return proto__fail(c, PROTO_ERR_BAD_VALUE,
                           "\"%.*s\" contains \\u0000 (at byte %zu)",
                           proto__clip(lx->nul_key, lx->nul_key_len, 40),
                           lx->nul_key, lx->nul_off);
    return proto__fail(c, PROTO_ERR_BAD_VALUE,
                       "a string contains \\u0000 (at byte %zu)", lx->nul_off);
}

static proto_error parse_message(proto__ctx *c, const cJSON *root,
                                 const proto__lexinfo *lx, proto_msg *m)
{
    const cJSON *type;
    const char *ref;
    size_t n;

    if (!cJSON_IsObject(root))
        return proto__fail(c, PROTO_ERR_BAD_MESSAGE, "%s",
                           cJSON_IsArray(root)
                               ? "a message must be one JSON object, not an "
                                 "array"
                               : "a message must be a JSON object");
    read_envelope(root, m);
    type = member(root, "type");
    if (type == NULL)
        return proto__fail(c, PROTO_ERR_BAD_MESSAGE,
                           "the message has no \"type\" field");
    if (!cJSON_IsString(type))
        return proto__fail(c, PROTO_ERR_BAD_MESSAGE, "type must be a string");
    if (repeated(type))
        return proto__fail(c, PROTO_ERR_BAD_MESSAGE,
                           "type appears more than once");
    proto_error e =
        proto__str(c, root, "ref", NULL, 0, PROTO_MAX_ID, &ref, &n, NULL);
    if (e != PROTO_OK)
        return e;
    if (lx->nul)
        return nul_error(c, lx);
    if (m->type == PROTO_NONE) {
        const char *t = type->valuestring;
        return proto__fail(c, PROTO_ERR_UNKNOWN_TYPE,
                           "unknown message type \"%.*s\"",
                           proto__clip(t, strlen(t), 40), t);
    }
    return parsers[m->type](c, root, m);
}

/* Frees the heap copies of m and forgets them; keeps the rest. */
static void free_heap(proto_msg *m)
{
    switch (m->type) {
    case PROTO_AUTH:
        free(m->u.auth.token);
        m->u.auth.token = NULL;
        m->u.auth.token_len = 0;
        break;
    case PROTO_CHAT:
        free(m->u.chat.text);
        m->u.chat.text = NULL;
        m->u.chat.text_len = 0;
        break;
    case PROTO_DM:
        free(m->u.dm.text);
        m->u.dm.text = NULL;
        m->u.dm.text_len = 0;
        break;
    default:
        break;
    }
}

proto_error proto_parse(const char *buf, size_t len, proto_msg *out,
                        char *detail, size_t detail_size)
{
    proto__ctx c = {detail, detail_size};
    proto__lexinfo lx;
    const char *end = NULL;
    cJSON *root = NULL;
    proto_error e;

    memset(out, 0, sizeof(*out));
    if (detail != NULL && detail_size > 0)
        detail[0] = '\0';
    if (len > PROTO_MAX_FRAME)
        return proto__fail(&c, PROTO_ERR_TOO_LONG,
                           "the frame is %zu bytes, over the limit of %d", len,
                           PROTO_MAX_FRAME);
    if (buf == NULL)
        len = 0;
    if (proto__lex(buf, len, &lx) < 0)
        return proto__fail(&c, PROTO_ERR_BAD_JSON, "not JSON: %s at byte %zu",
                           lx.err, lx.err_off);
    root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (root == NULL) {
        e = proto__fail(&c, PROTO_ERR_BAD_JSON, "not JSON: %s at byte %zu",
                        len == 0 ? "empty frame" : "syntax error",
                        end && end >= buf ? (size_t)(end - buf) : (size_t)0);
        goto done;
    }
    for (size_t i = (size_t)(end - buf); i < len; i++) {
        if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' &&
            buf[i] != '\r') {
            e = proto__fail(&c, PROTO_ERR_BAD_JSON,
                            "not JSON: data after the value at byte %zu", i);
            goto done;
        }
    }
    e = parse_message(&c, root, &lx, out);
done:
    cJSON_Delete(root);
    if (e != PROTO_OK)
        free_heap(out);
    return e;
}

void proto_msg_free(proto_msg *m)
{
    if (m == NULL)
        return;
    free_heap(m);
    memset(m, 0, sizeof(*m));
}
