/* parse_audio.c: the parse functions of the audio messages of
 * messages.def (audio, recording), called by proto_parse through its
 * dispatch table once the envelope is good. The field rules are those of
 * docs/protocol.md section 8. */
#include "server/proto/proto_int.h"

#include <string.h>

typedef struct op_name {
    const char *name;
    int op;
} op_name;

static const op_name audio_ops[] = {
    {"enable", PROTO_AUDIO_ENABLE},       {"disable", PROTO_AUDIO_DISABLE},
    {"mute", PROTO_AUDIO_MUTE},           {"unmute", PROTO_AUDIO_UNMUTE},
    {"broadcast", PROTO_AUDIO_BROADCAST}, {"listen", PROTO_AUDIO_LISTEN},
    {"unlisten", PROTO_AUDIO_UNLISTEN},
};

static const op_name recording_ops[] = {
    {"start", PROTO_RECORDING_START},
    {"stop", PROTO_RECORDING_STOP},
};

/* Reads the required string field "op" and looks it up in names. */
static proto_error op(proto__ctx *c, const cJSON *root, const op_name *names,
                      size_t n, int *out)
{
    const char *s = NULL;
    size_t len = 0;
    proto_error e = proto__str(c, root, "op", NULL, 1, 16, &s, &len, NULL);

    if (e == PROTO_ERR_TOO_LONG)
        return proto__fail(c, PROTO_ERR_BAD_VALUE, "op is not a known op");
    if (e != PROTO_OK)
        return e;
    for (size_t i = 0; i < n; i++) {
        if (strlen(names[i].name) == len && !memcmp(names[i].name, s, len)) {
            *out = names[i].op;
            return PROTO_OK;
        }
    }
    return proto__fail(c, PROTO_ERR_BAD_VALUE, "op \"%.*s\" is not known",
                       proto__clip(s, len, 16), s);
}

/* A required boolean field, present once. */
static proto_error boolean(proto__ctx *c, const cJSON *obj, const char *key,
                           int *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (it == NULL)
        return proto__fail(c, PROTO_ERR_MISSING_FIELD, "%s is required", key);
    for (const cJSON *x = it->next; x != NULL; x = x->next)
        if (x->string != NULL && !strcmp(x->string, key))
            return proto__fail(c, PROTO_ERR_BAD_VALUE,
                               "%s appears more than once", key);
    if (!cJSON_IsBool(it))
        return proto__fail(c, PROTO_ERR_WRONG_TYPE, "%s must be true or false",
                           key);
    *out = cJSON_IsTrue(it) ? 1 : 0;
    return PROTO_OK;
}

proto_error proto__parse_AUDIO(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    int o = 0;
    proto_error e =
        op(c, root, audio_ops, sizeof(audio_ops) / sizeof(audio_ops[0]), &o);

    if (e != PROTO_OK)
        return e;
    m->u.audio.op = (proto_audio_op)o;
    if (o == PROTO_AUDIO_BROADCAST)
        return boolean(c, root, "on", &m->u.audio.on);
    if (o == PROTO_AUDIO_LISTEN)
        return proto__id(c, root, "room", NULL, 1, m->u.audio.room);
    return PROTO_OK;
}

proto_error proto__parse_RECORDING(proto__ctx *c, const cJSON *root,
                                   proto_msg *m)
{
    int o = 0;
    proto_error e = op(c, root, recording_ops,
                       sizeof(recording_ops) / sizeof(recording_ops[0]), &o);

    if (e != PROTO_OK)
        return e;
    m->u.recording.op = (proto_recording_op)o;
    return proto__id(c, root, "room", NULL, 0, m->u.recording.room);
}
