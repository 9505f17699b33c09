/* encode.c: typed server events -> JSON text frames (docs/protocol.md
 * section 6), called by the app for every reply and event it sends. The
 * objects are built with cJSON in a fixed field order; integers are written
 * exactly (as raw numbers, not through a double); every string is emitted
 * as well-formed UTF-8, whatever the caller passes; already encoded pieces
 * (events, members) go in verbatim as cJSON raw nodes. Out of memory
 * aborts. */
#include "server/proto/encode.h"
#include "server/proto/encode_int.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *raw_array(const proto_raw *items, size_t n)
{
    cJSON *arr = proto__jarray();

    for (size_t i = 0; i < n; i++)
        proto__jpush(arr, proto__jraw(&items[i]));
    return arr;
}

static cJSON *member_node(const proto_member *m)
{
    cJSON *obj, *langs;

    if (m == NULL)
        return proto__need(cJSON_CreateNull());
    obj = proto__jobject();
    proto__jput(obj, "id", proto__jstr(m->id));
    proto__jput(obj, "name", proto__jstr(m->name));
    proto__jput(obj, "role", proto__jstr(m->role));
    proto__jput_str(obj, "country", m->country);
    langs = proto__jarray();
    for (int i = 0; m->langs != NULL && i < m->nlangs; i++)
        proto__jpush(langs, proto__jstr(m->langs[i]));
    proto__jput(obj, "langs", langs);
    proto__jput_str(obj, "room", m->room);
    proto__jput(obj, "online", proto__jbool(m->online));
    return obj;
}

char *proto_encode_member(const proto_member *m, size_t *len)
{
    return proto__jfinish(member_node(m), len);
}

char *proto_encode_welcome(const char *session, const proto_member *me,
                           int64_t server_time, const char *node,
                           const char *ref, size_t *len)
{
    cJSON *obj = proto__jreply("welcome", ref);

    proto__jput(obj, "v", proto__jint(PROTO_VERSION));
    proto__jput(obj, "session", proto__jstr(session));
    proto__jput(obj, "me", member_node(me));
    proto__jput(obj, "server_time", proto__jint(server_time));
    proto__jput(obj, "node", proto__jstr(node));
    return proto__jfinish(obj, len);
}

static cJSON *channels_node(const proto_channel_state *channels, size_t n)
{
    cJSON *obj = proto__jobject();

    for (size_t i = 0; i < n; i++) {
        const proto_channel_state *ch = &channels[i];
        cJSON *st = proto__jobject();
        proto__jput(st, "offset", proto__jint(ch->offset));
        proto__jput(st, "recovered", proto__jbool(ch->recovered));
        proto__jput(st, "events", raw_array(ch->events, ch->nevents));
        proto__jput_key(obj, ch->channel, st);
    }
    return obj;
}

char *proto_encode_joined(const char *session, const char *room,
                          const char *epoch, int64_t server_time,
                          const proto_member *members, size_t nmembers,
                          const proto_channel_state *channels, size_t nchannels,
                          const char *ref, size_t *len)
{
    cJSON *obj = proto__jreply("joined", ref);
    cJSON *list = proto__jarray();

    proto__jput(obj, "session", proto__jstr(session));
    proto__jput(obj, "room", proto__jstr(room));
    proto__jput(obj, "epoch", proto__jstr(epoch));
    proto__jput(obj, "server_time", proto__jint(server_time));
    for (size_t i = 0; i < nmembers; i++)
        proto__jpush(list, member_node(&members[i]));
    proto__jput(obj, "members", list);
    proto__jput(obj, "channels", channels_node(channels, nchannels));
    return proto__jfinish(obj, len);
}

char *proto_encode_chat(const char *channel, int64_t offset, const char *id,
                        const proto_member *from, const char *text,
                        size_t text_len, int64_t ts, size_t *len)
{
    cJSON *obj = proto__jmessage("chat", channel, offset, id, from);

    proto__jput(obj, "text", proto__jstr_n(text, text_len));
    proto__jput(obj, "ts", proto__jint(ts));
    return proto__jfinish(obj, len);
}

char *proto_encode_dm(const char *channel, int64_t offset, const char *id,
                      const proto_member *from, const char *to,
                      const char *text, size_t text_len, int64_t ts,
                      size_t *len)
{
    cJSON *obj = proto__jmessage("dm", channel, offset, id, from);

    proto__jput(obj, "to", proto__jstr(to));
    proto__jput(obj, "text", proto__jstr_n(text, text_len));
    proto__jput(obj, "ts", proto__jint(ts));
    return proto__jfinish(obj, len);
}

char *proto_encode_ack(const char *id, const char *channel, int64_t offset,
                       const char *ref, size_t *len)
{
    cJSON *obj = proto__jreply("ack", ref);

    proto__jput(obj, "id", proto__jstr(id));
    proto__jput(obj, "channel", proto__jstr(channel));
    proto__jput(obj, "offset", proto__jint(offset));
    return proto__jfinish(obj, len);
}

char *proto_encode_presence(const char *action, const proto_member *m,
                            size_t *len)
{
    cJSON *obj = proto__jreply("presence", NULL);

    proto__jput(obj, "action", proto__jstr(action));
    proto__jput(obj, "member", member_node(m));
    return proto__jfinish(obj, len);
}

char *proto_encode_history(const char *channel, const proto_raw *events,
                           size_t nevents, int more, const char *ref,
                           size_t *len)
{
    cJSON *obj = proto__jreply("history", ref);

    proto__jput(obj, "channel", proto__jstr(channel));
    proto__jput(obj, "events", raw_array(events, nevents));
    proto__jput(obj, "more", proto__jbool(more));
    return proto__jfinish(obj, len);
}

char *proto_encode_pong(const char *ref, int64_t server_time, size_t *len)
{
    cJSON *obj = proto__jreply("pong", ref);

    proto__jput(obj, "server_time", proto__jint(server_time));
    return proto__jfinish(obj, len);
}

char *proto_encode_error(proto_error e, const char *message, const char *ref,
                         const char *id, size_t *len)
{
    cJSON *obj = proto__jreply("error", NULL);

    proto__jput(obj, "code",
                proto__need(cJSON_CreateStringReference(proto_error_code(e))));
    proto__jput(obj, "message",
                proto__jstr(message != NULL && message[0] != '\0'
                                ? message
                                : proto_strerror(e)));
    proto__jput_str(obj, "ref", ref);
    proto__jput_str(obj, "id", id);
    return proto__jfinish(obj, len);
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
