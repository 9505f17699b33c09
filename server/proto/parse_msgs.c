/* parse_msgs.c: one parse function per client message type of
 * messages.def, called by proto_parse through its dispatch table once the
 * envelope (type, ref) is known to be good. Each reads its fields with the
 * helpers of parse.c, in a fixed order, and stops at the first error. The
 * field rules are those of docs/protocol.md section 5. */
#include "server/proto/proto_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

proto_error proto__parse_AUTH(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    int64_t v = 0;
    proto_error e;

    /* The version comes first: a client of another version may send other
     * fields, and deserves the clearer answer. */
    e = proto__int(c, root, "v", NULL, 1, INT64_MIN, INT64_MAX, &v, NULL);
    if (e == PROTO_ERR_WRONG_TYPE || e == PROTO_ERR_BAD_VALUE)
        return proto__fail(c, PROTO_ERR_UNSUPPORTED_VERSION,
                           "v must be the integer %d", PROTO_VERSION);
    if (e != PROTO_OK)
        return e;
    if (v != PROTO_VERSION)
        return proto__fail(c, PROTO_ERR_UNSUPPORTED_VERSION,
                           "protocol version %" PRId64
                           " is not supported; this server speaks %d",
                           v, PROTO_VERSION);
    m->u.auth.v = (int)v;
    return proto__heap_str(c, root, "token", NULL, PROTO_MAX_TOKEN,
                           &m->u.auth.token, &m->u.auth.token_len);
}

/* One entry of join.since: key is the channel, e its {epoch, offset}. */
static proto_error since_entry(proto__ctx *c, const cJSON *e, proto_since *out)
{
    const char *key = e->string ? e->string : "";
    size_t klen = strlen(key);
    char label[PROTO_MAX_CHANNEL + 64];
    const char *epoch = NULL;
    size_t elen = 0;
    proto_error err;

    snprintf(label, sizeof(label), "since key \"%.*s\"",
             proto__clip(key, klen, 40), key);
    err = proto__channel_value(c, key, klen, label);
    if (err != PROTO_OK)
        return err;
    memcpy(out->channel, key, klen + 1);
    snprintf(label, sizeof(label), "since[\"%s\"]", key);
    if (!cJSON_IsObject(e))
        return proto__fail(c, PROTO_ERR_WRONG_TYPE,
                           "%s must be an object {epoch, offset}", label);
    snprintf(label, sizeof(label), "since[\"%s\"].epoch", key);
    err = proto__str(c, e, "epoch", label, 1, PROTO_MAX_EPOCH, &epoch, &elen,
                     NULL);
    if (err != PROTO_OK)
        return err;
    if (!proto_valid_epoch(epoch, elen))
        return proto__fail(c, PROTO_ERR_BAD_VALUE,
                           "%s must be 1 to 32 of A-Z a-z 0-9", label);
    memcpy(out->epoch, epoch, elen + 1);
    snprintf(label, sizeof(label), "since[\"%s\"].offset", key);
    return proto__int(c, e, "offset", label, 1, 0, INT64_MAX, &out->offset,
                      NULL);
}

proto_error proto__parse_JOIN(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    const cJSON *since = NULL;
    int present = 0;
    proto_error e = proto__object(c, root, "since", NULL, 0, PROTO_MAX_SINCE,
                                  &since, &present);

    if (e != PROTO_OK || !present)
        return e;
    for (const cJSON *it = since->child; it != NULL; it = it->next) {
        proto_since *s = &m->u.join.since[m->u.join.nsince];
        e = since_entry(c, it, s);
        if (e != PROTO_OK)
            return e;
        for (int i = 0; i < m->u.join.nsince; i++)
            if (!strcmp(m->u.join.since[i].channel, s->channel))
                return proto__fail(c, PROTO_ERR_BAD_VALUE,
                                   "since names \"%s\" twice", s->channel);
        m->u.join.nsince++;
    }
    return PROTO_OK;
}

proto_error proto__parse_CHAT(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    proto_error e = proto__id(c, root, "id", NULL, 1, m->u.chat.id);

    if (e == PROTO_OK)
        e = proto__id(c, root, "room", NULL, 0, m->u.chat.room);
    if (e == PROTO_OK)
        e = proto__heap_str(c, root, "text", NULL, PROTO_MAX_TEXT,
                            &m->u.chat.text, &m->u.chat.text_len);
    return e;
}

proto_error proto__parse_DM(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    proto_error e = proto__id(c, root, "id", NULL, 1, m->u.dm.id);

    if (e == PROTO_OK)
        e = proto__id(c, root, "to", NULL, 1, m->u.dm.to);
    if (e == PROTO_OK)
        e = proto__heap_str(c, root, "text", NULL, PROTO_MAX_TEXT,
                            &m->u.dm.text, &m->u.dm.text_len);
    return e;
}

proto_error proto__parse_HISTORY(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    int64_t before = INT64_MAX, limit = PROTO_HISTORY_DEFAULT;
    proto_error e;

    e = proto__channel(c, root, "channel", NULL, 1, m->u.history.channel);
    if (e == PROTO_OK)
        e = proto__int(c, root, "before", NULL, 0, 1, INT64_MAX, &before, NULL);
    if (e == PROTO_OK)
        e = proto__int(c, root, "limit", NULL, 0, 1, PROTO_HISTORY_MAX, &limit,
                       NULL);
    m->u.history.before = before;
    m->u.history.limit = (int)limit;
    return e;
}

proto_error proto__parse_PING(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    (void)c;
    (void)root;
    (void)m;
    return PROTO_OK; /* a ping carries nothing but its ref */
}
