/* encode_audio.c: the audio events of docs/protocol.md section 8 as JSON,
 * called by the app's audio files (server/app/audio_*.c, handle_audio.c).
 * Fields in a fixed order; integers written exactly; strings that are not
 * well-formed UTF-8 are written as "" (ids and names reach here already
 * validated). */
#include "server/proto/encode_audio.h"
#include "server/proto/encode.h"
#include "server/proto/proto_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static void put(cJSON *obj, const char *key, cJSON *item)
{
    if (!cJSON_AddItemToObjectCS(obj, key, item))
        proto__need(NULL);
}

static cJSON *str(const char *s)
{
    if (s == NULL || !proto_valid_utf8(s, strlen(s)))
        s = "";
    return proto__need(cJSON_CreateString(s));
}

static cJSON *integer(int64_t v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "%" PRId64, v);
    return proto__need(cJSON_CreateRaw(buf));
}

static cJSON *boolean(int v)
{
    return proto__need(cJSON_CreateBool(v != 0));
}

static cJSON *event(const char *type)
{
    cJSON *obj = proto__need(cJSON_CreateObject());

    put(obj, "type", proto__need(cJSON_CreateStringReference(type)));
    return obj;
}

static char *finish(cJSON *obj, size_t *len)
{
    char *out = proto__need(cJSON_PrintUnformatted(obj));

    cJSON_Delete(obj);
    *len = strlen(out);
    return out;
}

char *proto_encode_audio_state(const proto_audio_state *st, const char *ref,
                               size_t *len)
{
    cJSON *obj = event("audio");

    if (set(ref))
        put(obj, "ref", str(ref));
    put(obj, "enabled", boolean(st->enabled));
    if (set(st->room))
        put(obj, "room", str(st->room));
    if (st->stream)
        put(obj, "stream", integer(st->stream));
    put(obj, "muted", boolean(st->muted));
    put(obj, "may_speak", boolean(st->may_speak));
    put(obj, "broadcast", boolean(st->broadcast));
    if (set(st->listen))
        put(obj, "listen", str(st->listen));
    if (set(st->reason))
        put(obj, "reason", str(st->reason));
    return finish(obj, len);
}

char *proto_encode_speakers(const char *room, const proto_speaker *sp, size_t n,
                            size_t *len)
{
    cJSON *obj = event("speakers");
    cJSON *list = proto__need(cJSON_CreateArray());

    put(obj, "room", str(room));
    for (size_t i = 0; i < n; i++) {
        cJSON *s = proto__need(cJSON_CreateObject());
        put(s, "id", str(sp[i].id));
        put(s, "stream", integer(sp[i].stream));
        if (sp[i].level_known) {
            char buf[32];
            double v = sp[i].level_db < -999.0 ? -999.0 : sp[i].level_db;
            snprintf(buf, sizeof(buf), "%.1f", v);
            put(s, "level_db", proto__need(cJSON_CreateRaw(buf)));
        }
        if (!cJSON_AddItemToArray(list, s))
            proto__need(NULL);
    }
    put(obj, "speakers", list);
    return finish(obj, len);
}

char *proto_encode_recording(const proto_recording_event *ev, size_t *len)
{
    cJSON *obj = event("recording");

    put(obj, "channel", str(ev->channel));
    put(obj, "offset", integer(ev->offset));
    put(obj, "room", str(ev->room));
    put(obj, "state", str(ev->started ? "started" : "stopped"));
    put(obj, "id", str(ev->id));
    if (ev->by_id) {
        cJSON *by = proto__need(cJSON_CreateObject());
        put(by, "id", str(ev->by_id));
        put(by, "name", str(ev->by_name));
        put(by, "role", str(ev->by_role));
        put(obj, "by", by);
    }
    put(obj, "ts", integer(ev->ts));
    if (!ev->started)
        put(obj, "duration_ms", integer(ev->duration_ms));
    if (set(ev->error))
        put(obj, "error", str(ev->error));
    return finish(obj, len);
}

char *proto_encode_recording_brief(const char *room, const char *id,
                                   int64_t since, size_t *len)
{
    cJSON *obj = proto__need(cJSON_CreateObject());

    put(obj, "room", str(room));
    put(obj, "id", str(id));
    put(obj, "since", integer(since));
    return finish(obj, len);
}

char *proto_encode_add_field(char *obj, size_t len, const char *key,
                             const proto_raw *value, size_t *out_len)
{
    size_t klen = strlen(key);
    size_t end = len;

    while (end > 0 && (obj[end - 1] == ' ' || obj[end - 1] == '\n'))
        end--;
    if (end < 2 || obj[end - 1] != '}') {
        *out_len = len;
        return obj;
    }
    int empty = obj[end - 2] == '{';
    size_t n = end - 1 + (empty ? 0 : 1) + klen + 3 + value->len + 1;
    char *out = proto__need(malloc(n + 1));
    size_t pos = end - 1;
    memcpy(out, obj, pos);
    if (!empty)
        out[pos++] = ',';
    out[pos++] = '"';
    memcpy(out + pos, key, klen);
    pos += klen;
    out[pos++] = '"';
    out[pos++] = ':';
    memcpy(out + pos, value->json, value->len);
    pos += value->len;
    out[pos++] = '}';
    out[pos] = '\0';
    free(obj);
    *out_len = pos;
    return out;
}
