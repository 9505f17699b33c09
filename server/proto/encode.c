/* encode.c: typed server events -> JSON text frames (docs/protocol.md
 * section 6), called by the app for every reply and event it sends. The
 * objects are built with cJSON in a fixed field order; integers are written
 * exactly (as raw numbers, not through a double); every string is emitted
 * as well-formed UTF-8, whatever the caller passes; already encoded pieces
 * (events, members) go in verbatim as cJSON raw nodes. Out of memory
 * aborts. */
#include "server/proto/encode.h"
#include "server/proto/proto_int.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *need(cJSON *x)
{
    return proto__need(x);
}

/* Adds item under key, which must be a string literal (not copied). */
static void put(cJSON *obj, const char *key, cJSON *item)
{
    if (!cJSON_AddItemToObjectCS(obj, key, item))
        proto__need(NULL);
}

static void push(cJSON *arr, cJSON *item)
{
    if (!cJSON_AddItemToArray(arr, item))
        proto__need(NULL);
}

/* A copy of s (len bytes) where each byte that does not belong to a
 * well-formed UTF-8 sequence, and each NUL, becomes U+FFFD. */
static char *sanitize(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    char *out, *o;

    if (len > (SIZE_MAX - 1) / 3)
        proto__need(NULL);
    out = o = proto__need(malloc(3 * len + 1));
    for (size_t i = 0; i < len;) {
        size_t n = p[i] ? proto__utf8_seq(p + i, len - i) : 0;
        if (n == 0) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(o, p + i, n);
            o += n;
            i += n;
        }
    }
    *o = '\0';
    return out;
}

/* A string node for s (len bytes; NULL means ""). terminated says that
 * s[len] may be read and is NUL. */
static cJSON *string_n(const char *s, size_t len, int terminated)
{
    if (s == NULL)
        return need(cJSON_CreateString(""));
    if (terminated && memchr(s, '\0', len) == NULL && proto_valid_utf8(s, len))
        return need(cJSON_CreateString(s));
    char *copy = sanitize(s, len);
    cJSON *node = need(cJSON_CreateString(copy));
    free(copy);
    return node;
}

static cJSON *string(const char *s)
{
    return string_n(s, s ? strlen(s) : 0, 1);
}

static cJSON *integer(int64_t v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "%" PRId64, v);
    return need(cJSON_CreateRaw(buf));
}

static cJSON *raw(const proto_raw *r)
{
    char *copy = proto__need(malloc(r->len + 1));
    cJSON *node;

    if (r->len > 0)
        memcpy(copy, r->json, r->len);
    copy[r->len] = '\0';
    node = need(cJSON_CreateRaw(copy));
    free(copy);
    return node;
}

static cJSON *raw_array(const proto_raw *items, size_t n)
{
    cJSON *arr = need(cJSON_CreateArray());

    for (size_t i = 0; i < n; i++)
        push(arr, raw(&items[i]));
    return arr;
}

static int nonempty(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* A new object whose first field is "type". */
static cJSON *event(const char *type)
{
    cJSON *obj = need(cJSON_CreateObject());

    put(obj, "type", need(cJSON_CreateStringReference(type)));
    return obj;
}

/* A new object with "type" and then, when ref is neither NULL nor "",
 * "ref": the start of every direct reply to a client message. */
static cJSON *reply(const char *type, const char *ref)
{
    cJSON *obj = event(type);

    if (nonempty(ref))
        put(obj, "ref", string(ref));
    return obj;
}

/* Prints obj (and deletes it) into a new buffer the caller frees. */
static char *finish(cJSON *obj, size_t *len)
{
    char *out = proto__need(cJSON_PrintUnformatted(obj));

    cJSON_Delete(obj);
    if (len != NULL)
        *len = strlen(out);
    return out;
}

static cJSON *member_node(const proto_member *m)
{
    cJSON *obj, *langs;

    if (m == NULL)
        return need(cJSON_CreateNull());
    obj = need(cJSON_CreateObject());
    put(obj, "id", string(m->id));
    put(obj, "name", string(m->name));
    put(obj, "role", string(m->role));
    if (nonempty(m->country))
        put(obj, "country", string(m->country));
    langs = need(cJSON_CreateArray());
    for (int i = 0; m->langs != NULL && i < m->nlangs; i++)
        push(langs, string(m->langs[i]));
    put(obj, "langs", langs);
    if (nonempty(m->room))
        put(obj, "room", string(m->room));
    put(obj, "online", need(cJSON_CreateBool(m->online != 0)));
    return obj;
}

/* The short sender object of chat and dm events. */
static cJSON *from_node(const proto_member *m)
{
    cJSON *obj = need(cJSON_CreateObject());

    put(obj, "id", string(m ? m->id : NULL));
    put(obj, "name", string(m ? m->name : NULL));
    put(obj, "role", string(m ? m->role : NULL));
    return obj;
}

char *proto_encode_member(const proto_member *m, size_t *len)
{
    return finish(member_node(m), len);
}

char *proto_encode_welcome(const char *session, const proto_member *me,
                           int64_t server_time, const char *node,
                           const char *ref, size_t *len)
{
    cJSON *obj = reply("welcome", ref);

    put(obj, "v", integer(PROTO_VERSION));
    put(obj, "session", string(session));
    put(obj, "me", member_node(me));
    put(obj, "server_time", integer(server_time));
    put(obj, "node", string(node));
    return finish(obj, len);
}

static cJSON *channels_node(const proto_channel_state *channels, size_t n)
{
    cJSON *obj = need(cJSON_CreateObject());

    for (size_t i = 0; i < n; i++) {
        const proto_channel_state *ch = &channels[i];
        cJSON *st = need(cJSON_CreateObject());
        put(st, "offset", integer(ch->offset));
        put(st, "recovered", need(cJSON_CreateBool(ch->recovered != 0)));
        put(st, "events", raw_array(ch->events, ch->nevents));
        /* The channel name is a dynamic key: make it well-formed first. */
        cJSON *key = string(ch->channel);
        if (!cJSON_AddItemToObject(obj, key->valuestring, st))
            proto__need(NULL);
        cJSON_Delete(key);
    }
    return obj;
}

char *proto_encode_joined(const char *session, const char *room,
                          const char *epoch, int64_t server_time,
                          const proto_member *members, size_t nmembers,
                          const proto_channel_state *channels, size_t nchannels,
                          const char *ref, size_t *len)
{
    cJSON *obj = reply("joined", ref);
    cJSON *list = need(cJSON_CreateArray());

    put(obj, "session", string(session));
    put(obj, "room", string(room));
    put(obj, "epoch", string(epoch));
    put(obj, "server_time", integer(server_time));
    for (size_t i = 0; i < nmembers; i++)
        push(list, member_node(&members[i]));
    put(obj, "members", list);
    put(obj, "channels", channels_node(channels, nchannels));
    return finish(obj, len);
}

char *proto_encode_chat(const char *channel, int64_t offset, const char *id,
                        const proto_member *from, const char *text,
                        size_t text_len, int64_t ts, size_t *len)
{
    cJSON *obj = event("chat");

    put(obj, "channel", string(channel));
    put(obj, "offset", integer(offset));
    put(obj, "id", string(id));
    put(obj, "from", from_node(from));
    put(obj, "text", string_n(text, text_len, 0));
    put(obj, "ts", integer(ts));
    return finish(obj, len);
}

char *proto_encode_dm(const char *channel, int64_t offset, const char *id,
                      const proto_member *from, const char *to,
                      const char *text, size_t text_len, int64_t ts,
                      size_t *len)
{
    cJSON *obj = event("dm");

    put(obj, "channel", string(channel));
    put(obj, "offset", integer(offset));
    put(obj, "id", string(id));
    put(obj, "from", from_node(from));
    put(obj, "to", string(to));
    put(obj, "text", string_n(text, text_len, 0));
    put(obj, "ts", integer(ts));
    return finish(obj, len);
}

char *proto_encode_ack(const char *id, const char *channel, int64_t offset,
                       const char *ref, size_t *len)
{
    cJSON *obj = reply("ack", ref);

    put(obj, "id", string(id));
    put(obj, "channel", string(channel));
    put(obj, "offset", integer(offset));
    return finish(obj, len);
}

char *proto_encode_presence(const char *action, const proto_member *m,
                            size_t *len)
{
    cJSON *obj = event("presence");

    put(obj, "action", string(action));
    put(obj, "member", member_node(m));
    return finish(obj, len);
}

char *proto_encode_history(const char *channel, const proto_raw *events,
                           size_t nevents, int more, const char *ref,
                           size_t *len)
{
    cJSON *obj = reply("history", ref);

    put(obj, "channel", string(channel));
    put(obj, "events", raw_array(events, nevents));
    put(obj, "more", need(cJSON_CreateBool(more != 0)));
    return finish(obj, len);
}

char *proto_encode_pong(const char *ref, int64_t server_time, size_t *len)
{
    cJSON *obj = reply("pong", ref);

    put(obj, "server_time", integer(server_time));
    return finish(obj, len);
}

char *proto_encode_error(proto_error e, const char *message, const char *ref,
                         const char *id, size_t *len)
{
    cJSON *obj = event("error");

    put(obj, "code", need(cJSON_CreateStringReference(proto_error_code(e))));
    put(obj, "message",
        string(nonempty(message) ? message : proto_strerror(e)));
    if (nonempty(ref))
        put(obj, "ref", string(ref));
    if (nonempty(id))
        put(obj, "id", string(id));
    return finish(obj, len);
}

char *proto_encode_batch(const proto_raw *items, size_t n, size_t *len)
{
    size_t total = 2 + (n > 0 ? n - 1 : 0), at = 0;
    char *out;

    for (size_t i = 0; i < n; i++)
        total += items[i].len;
    out = proto__need(malloc(total + 1));
    out[at++] = '[';
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            out[at++] = ',';
        if (items[i].len > 0)
            memcpy(out + at, items[i].json, items[i].len);
        at += items[i].len;
    }
    out[at++] = ']';
    out[at] = '\0';
    if (len != NULL)
        *len = at;
    return out;
}
