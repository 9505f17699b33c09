/* dialect_kopa: Kopa's wire protocol (docs/protocol.md) for the load
 * generator: auth with a minted token, join (with since when resuming),
 * chat, and counting acks and chat events; with audio on, audio enable
 * after the join and counting the audio frames that arrive. Frames
 * holding only chat, ack and presence events are scanned without a JSON
 * parser (the fast path, which relies on the server writing "type" first
 * and "channel" and "offset" next in a chat event); anything else is
 * parsed with cJSON. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dialect.h"

#define ROOM_CHANNEL "room:main"

static void kopa_path(const lg *g, const conn *c, char *buf, size_t cap)
{
    char room[96];
    lg_room_name(g, c->room, room, sizeof(room));
    snprintf(buf, cap, "/ws/%s", room);
}

static void kopa_opened(lg *g, conn *c)
{
    char token[1024], msg[1200];
    if (lg_token(g, c, token, sizeof(token)) < 0) {
        lg_fail(g, c, "cannot mint a token", NULL, 0);
        return;
    }
    int n = snprintf(msg, sizeof(msg),
                     "{\"type\":\"auth\",\"v\":1,\"token\":\"%s\"}", token);
    lg_send_text(g, c, msg, (size_t)n);
}

static void send_join(lg *g, conn *c)
{
    char msg[256];
    int n;
    const char *epoch = g->epochs[c->room];
    c->resuming = c->joins > 0 && epoch[0];
    if (c->resuming)
        n = snprintf(msg, sizeof(msg),
                     "{\"type\":\"join\",\"since\":{\"" ROOM_CHANNEL
                     "\":{\"epoch\":\"%s\",\"offset\":%lld}}}",
                     epoch, (long long)c->last_offset);
    else
        n = snprintf(msg, sizeof(msg), "{\"type\":\"join\"}");
    lg_send_text(g, c, msg, (size_t)n);
}

/* A chat event at offset on the room channel reached c. */
static void room_offset(lg *g, conn *c, long long offset)
{
    if (offset <= c->last_offset)
        return;
    if (c->last_offset > 0 && offset > c->last_offset + 1)
        g->n.offset_gaps += (uint64_t)(offset - c->last_offset - 1);
    c->last_offset = offset;
}

static const char *find(const char *p, const char *end, const char *s)
{
    return memmem(p, (size_t)(end - p), s, strlen(s));
}

#define TYPE_KEY "\"type\":\""

/* Whether every object in the frame is a chat, ack or presence event. */
static int only_events(const char *p, size_t len)
{
    const char *end = p + len;
    while ((p = find(p, end, TYPE_KEY)) != NULL) {
        p += sizeof(TYPE_KEY) - 1;
        size_t left = (size_t)(end - p);
        if (!(left >= 5 && memcmp(p, "chat\"", 5) == 0) &&
            !(left >= 4 && memcmp(p, "ack\"", 4) == 0) &&
            !(left >= 9 && memcmp(p, "presence\"", 9) == 0))
            return 0;
    }
    return 1;
}

/* The decimal number at p, reading no further than end (frames are not
 * NUL-terminated, so strtoll would run past them). */
static long long digits(const char *p, const char *end)
{
    long long v = 0;
    while (p < end && *p >= '0' && *p <= '9')
        v = v * 10 + (*p++ - '0');
    return v;
}

static void fast_path(lg *g, conn *c, const char *p, size_t len)
{
    static const char chat_head[] =
        "chat\",\"channel\":\"" ROOM_CHANNEL "\",\"offset\":";
    const char *end = p + len;
    p = find(p, end, TYPE_KEY);
    while (p != NULL) {
        p += sizeof(TYPE_KEY) - 1;
        const char *next = find(p, end, TYPE_KEY);
        const char *stop = next ? next : end;
        if ((size_t)(stop - p) > sizeof(chat_head) &&
            memcmp(p, chat_head, sizeof(chat_head) - 1) == 0) {
            room_offset(g, c, digits(p + sizeof(chat_head) - 1, stop));
            lg_scan(g, c, p, (size_t)(stop - p), 0);
        } else if (stop - p >= 4 && memcmp(p, "ack\"", 4) == 0) {
            g->n.acks++;
        }
        p = next;
    }
}

/* An event (a chat, live or replayed) as parsed JSON. */
static void json_chat(lg *g, conn *c, const cJSON *ev, int replay)
{
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(ev, "channel");
    const cJSON *off = cJSON_GetObjectItemCaseSensitive(ev, "offset");
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(ev, "text");
    if (cJSON_IsString(ch) && strcmp(ch->valuestring, ROOM_CHANNEL) == 0 &&
        cJSON_IsNumber(off))
        room_offset(g, c, (long long)off->valuedouble);
    if (cJSON_IsString(text))
        lg_scan(g, c, text->valuestring, strlen(text->valuestring), replay);
}

static void on_joined(lg *g, conn *c, const cJSON *obj)
{
    const cJSON *epoch = cJSON_GetObjectItemCaseSensitive(obj, "epoch");
    const cJSON *chans = cJSON_GetObjectItemCaseSensitive(obj, "channels");
    const cJSON *room = cJSON_GetObjectItemCaseSensitive(chans, ROOM_CHANNEL);
    const cJSON *rec = cJSON_GetObjectItemCaseSensitive(room, "recovered");
    const cJSON *off = cJSON_GetObjectItemCaseSensitive(room, "offset");
    const cJSON *evs = cJSON_GetObjectItemCaseSensitive(room, "events");
    const cJSON *ev;
    if (!cJSON_IsString(epoch) || !cJSON_IsNumber(off)) {
        lg_fail(g, c, "joined without epoch or room channel", NULL, 0);
        return;
    }
    snprintf(g->epochs[c->room], sizeof(g->epochs[0]), "%s",
             epoch->valuestring);
    if (c->resuming) {
        if (cJSON_IsTrue(rec))
            g->n.recovered++;
        else
            g->n.not_recovered++;
    }
    cJSON_ArrayForEach(ev, evs) json_chat(g, c, ev, 1);
    if (!cJSON_IsTrue(rec) && off->valuedouble > (double)c->last_offset)
        c->last_offset = (long long)off->valuedouble;
    if (g->o.audio && c->state == CONN_JOINING) {
        static const char enable[] = "{\"type\":\"audio\",\"op\":\"enable\"}";
        lg_send_text(g, c, enable, sizeof(enable) - 1);
        return; /* joined once the audio event says enabled */
    }
    lg_joined(g, c);
}

/* The member's audio state (docs/protocol.md section 8.5). */
static void on_audio(lg *g, conn *c, const cJSON *obj)
{
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(obj, "enabled");
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(obj, "may_speak");
    if (!cJSON_IsTrue(en)) {
        lg_fail(g, c, "audio not enabled", NULL, 0);
        return;
    }
    c->may_speak = cJSON_IsTrue(ms);
    if (c->state == CONN_JOINING)
        lg_joined(g, c);
}

/* An audio frame from the server (section 8.3): counted, never decoded;
 * its seq must follow the last one (a skip is a lost or silent 20 ms). */
static void kopa_binary(lg *g, conn *c, const uint8_t *p, size_t len)
{
    if (len < 13 || p[0] != 2 || p[1] > 2) {
        lg_fail(g, c, "a malformed audio frame", NULL, 0);
        return;
    }
    uint16_t seq = (uint16_t)(p[2] << 8 | p[3]);
    c->audio_frames++;
    g->n.audio_in++;
    if (c->audio_have) {
        uint16_t step = (uint16_t)(seq - c->audio_last);
        if (step == 0 || step >= 0x8000) {
            g->n.audio_dup++;
            return;
        }
        g->n.audio_gaps += step - 1u;
    }
    c->audio_have = 1;
    c->audio_last = seq;
}

static void json_object(lg *g, conn *c, const cJSON *obj)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(obj, "type");
    const char *t = cJSON_IsString(type) ? type->valuestring : "";
    if (strcmp(t, "chat") == 0) {
        json_chat(g, c, obj, 0);
    } else if (strcmp(t, "ack") == 0) {
        g->n.acks++;
    } else if (strcmp(t, "welcome") == 0) {
        send_join(g, c);
    } else if (strcmp(t, "joined") == 0) {
        on_joined(g, c, obj);
    } else if (strcmp(t, "audio") == 0) {
        on_audio(g, c, obj);
    } else if (strcmp(t, "programme") == 0) {
        if (cJSON_GetObjectItemCaseSensitive(obj, "ref") != NULL)
            g->n.answers++; /* the answer (events have no ref) */
    } else if (strcmp(t, "error") == 0) {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(obj, "code");
        if (c->state == CONN_JOINING && cJSON_IsString(code) &&
            strcmp(code->valuestring, "store_unavailable") == 0) {
            lg_retry_join(g, c, 500000); /* as a client would */
            return;
        }
        char *s = cJSON_PrintUnformatted(obj);
        lg_fail(g, c, "error", s, s ? strlen(s) : 0);
        free(s);
        if (c->state == CONN_JOINING)
            lg_drop(g, c); /* refused: it will not join */
    }
}

static void kopa_text(lg *g, conn *c, const char *p, size_t len)
{
    if (only_events(p, len)) {
        fast_path(g, c, p, len);
        return;
    }
    cJSON *root = cJSON_ParseWithLength(p, len);
    if (root == NULL) {
        lg_fail(g, c, "bad JSON from the server", p, len);
        return;
    }
    if (cJSON_IsArray(root)) {
        const cJSON *obj;
        cJSON_ArrayForEach(obj, root) json_object(g, c, obj);
    } else {
        json_object(g, c, root);
    }
    cJSON_Delete(root);
}

static void kopa_chat(lg *g, conn *c, const char *id, const char *text,
                      size_t len)
{
    char msg[4400];
    int n = snprintf(msg, sizeof(msg),
                     "{\"type\":\"chat\",\"id\":\"%s\",\"text\":\"%.*s\"}", id,
                     (int)len, text);
    lg_send_text(g, c, msg, (size_t)n);
}

const dialect dialect_kopa = {
    .name = "kopa",
    .subprotocol = "kopa.v1",
    .path = kopa_path,
    .opened = kopa_opened,
    .text = kopa_text,
    .chat = kopa_chat,
    .rejoin = send_join,
    .binary = kopa_binary,
};
