/* session_store: Kopa's key layout and Lua scripts on Redis. Called by the
 * app layer (server/app) for session loading, event appends, replay reads,
 * message de-duplication and presence. */
#include "server/store/session_store.h"

#include "server/store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX STORE__KEY_MAX
#define SUFFIX_MAX 200

/* KEYS: meta, tops, roster. ARGV: new epoch.
 * Returns {old epoch, {channel, top, ...}, {user, ...}}. */
static const char load_script[] =
    "local old = redis.call('HGET', KEYS[1], 'epoch') or ''\n"
    "redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'prev_epoch', old)\n"
    "return {old, redis.call('HGETALL', KEYS[2]),"
    " redis.call('SMEMBERS', KEYS[3])}\n";

/* KEYS: stream, tops, dedup (or ""). ARGV: channel, offset, event, maxlen,
 * dedup value (or ""). */
static const char append_script[] =
    STORE__APPEND_LUA "if ARGV[5] ~= '' then\n"
                      "  redis.call('SET', KEYS[3], ARGV[5], 'EX', 604800)\n"
                      "end\n"
                      "return 1\n";

/* A stream id ("<offset>-0") or a decimal count; -1 when it is neither. */
static int64_t parse_i64(const char *s, size_t len)
{
    long long v;
    char stop;
    if (store__strtoll(s, len, &v, &stop) != 0)
        return -1;
    return stop == '\0' || stop == '-' ? (int64_t)v : -1;
}

/* ---- load ---- */

static void load_done_cb(redis_client *c, const redisReply *r, const char *err,
                         void *data)
{
    void *cb_data;
    session_store_load_cb cb =
        (session_store_load_cb)store__take(data, &cb_data);
    const char *e = store__reply_array(r, err, 3, 1);
    if (e) {
        cb(NULL, e, cb_data);
        return;
    }
    const redisReply *tops = r->element[1], *roster = r->element[2];
    size_t ntops = tops->elements / 2;
    session_store_top *t = calloc(ntops + 1, sizeof(*t));
    const char **u = calloc(roster->elements + 1, sizeof(*u));
    if (t == NULL || u == NULL)
        abort();
    for (size_t i = 0; i < ntops; i++) {
        t[i].channel = tops->element[2 * i]->str;
        t[i].top = parse_i64(tops->element[2 * i + 1]->str,
                             tops->element[2 * i + 1]->len);
    }
    for (size_t i = 0; i < roster->elements; i++)
        u[i] = roster->element[i]->str;
    session_store_loaded res = {
        .prev_epoch =
            r->element[0]->type == REDIS_REPLY_STRING ? r->element[0]->str : "",
        .tops = t,
        .ntops = ntops,
        .roster = u,
        .nroster = roster->elements};
    cb(&res, NULL, cb_data);
    free(t);
    free(u);
    (void)c;
}

int session_store_load(redis_client *c, const char *sid, const char *new_epoch,
                       session_store_load_cb cb, void *data)
{
    char meta[KEY_MAX], tops[KEY_MAX], roster[KEY_MAX];
    store__key(meta, "", sid, "meta");
    store__key(tops, "", sid, "tops");
    store__key(roster, "", sid, "roster");
    const char *argv[] = {"EVAL", load_script, "3",      meta,
                          tops,   roster,      new_epoch};
    return store__read(c, load_done_cb, (void *)cb, data, 7, argv, NULL);
}

/* ---- append ---- */

int session_store_append(redis_client *c, const char *sid, const char *channel,
                         int64_t offset, const char *event, size_t len,
                         const char *user, const char *id, long maxlen,
                         session_store_done_cb cb, void *data)
{
    char stream[KEY_MAX], tops[KEY_MAX], dkey[KEY_MAX], suffix[SUFFIX_MAX];
    char off[24], max[24], dval[128] = "";
    snprintf(suffix, sizeof(suffix), "log:%s", channel);
    store__key(stream, "", sid, suffix);
    store__key(tops, "", sid, "tops");
    dkey[0] = '\0';
    if (user && id) {
        snprintf(suffix, sizeof(suffix), "dedup:%s:%s", user, id);
        store__key(dkey, "", sid, suffix);
        snprintf(dval, sizeof(dval), "%s %lld", channel, (long long)offset);
    } else {
        store__key(dkey, "", sid, "nodedup");
    }
    snprintf(off, sizeof(off), "%lld", (long long)offset);
    snprintf(max, sizeof(max), "%ld", maxlen);
    const char *argv[] = {"EVAL",  append_script, "3",   stream, tops, dkey,
                          channel, off,           event, max,    dval};
    size_t lens[11];
    for (int i = 0; i < 11; i++)
        lens[i] = strlen(argv[i]);
    lens[8] = len;
    return store__write(c, store__done_reply_cb, (void *)cb, data, 11, argv,
                        lens);
}

/* ---- range ---- */

static int parse_entry(const redisReply *e, session_store_event *out)
{
    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
        e->element[0]->type != REDIS_REPLY_STRING ||
        e->element[1]->type != REDIS_REPLY_ARRAY)
        return -1;
    const redisReply *fields = e->element[1];
    out->offset = parse_i64(e->element[0]->str, e->element[0]->len);
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
        if (fields->element[i]->len == 1 && fields->element[i]->str[0] == 'e') {
            out->data = fields->element[i + 1]->str;
            out->len = fields->element[i + 1]->len;
            return out->offset > 0 ? 0 : -1;
        }
    }
    return -1;
}

static void range_done_cb(redis_client *c, const redisReply *r, const char *err,
                          void *data)
{
    void *cb_data;
    session_store_range_cb cb =
        (session_store_range_cb)store__take(data, &cb_data);
    const char *e = store__reply_array(r, err, 0, 0);
    if (e) {
        cb(NULL, 0, e, cb_data);
        return;
    }
    session_store_event *ev = calloc(r->elements + 1, sizeof(*ev));
    if (ev == NULL)
        abort();
    size_t n = 0;
    for (size_t i = 0; i < r->elements; i++)
        if (parse_entry(r->element[i], &ev[n]) == 0)
            n++;
    cb(ev, n, NULL, cb_data);
    free(ev);
    (void)c;
}

int session_store_range(redis_client *c, const char *sid, const char *channel,
                        int64_t from, int64_t to, session_store_range_cb cb,
                        void *data)
{
    char stream[KEY_MAX], suffix[SUFFIX_MAX], a[24], b[24];
    snprintf(suffix, sizeof(suffix), "log:%s", channel);
    store__key(stream, "", sid, suffix);
    snprintf(a, sizeof(a), "%lld-0", (long long)from);
    snprintf(b, sizeof(b), "%lld-0", (long long)to);
    const char *argv[] = {"XRANGE", stream, a, b};
    return store__read(c, range_done_cb, (void *)cb, data, 4, argv, NULL);
}

/* ---- dedup ---- */

static void dedup_done_cb(redis_client *c, const redisReply *r, const char *err,
                          void *data)
{
    void *cb_data;
    session_store_dedup_cb cb =
        (session_store_dedup_cb)store__take(data, &cb_data);
    const char *e = store__reply_error(r, err);
    if (e) {
        cb(0, NULL, 0, e, cb_data);
        return;
    }
    if (r->type != REDIS_REPLY_STRING) {
        cb(0, NULL, 0, NULL, cb_data);
        return;
    }
    char val[160];
    snprintf(val, sizeof(val), "%.*s", (int)r->len, r->str);
    char *sp = strchr(val, ' ');
    if (sp == NULL) {
        cb(0, NULL, 0, "unexpected reply", cb_data);
        return;
    }
    *sp = '\0';
    cb(1, val, parse_i64(sp + 1, strlen(sp + 1)), NULL, cb_data);
    (void)c;
}

int session_store_dedup_get(redis_client *c, const char *sid, const char *user,
                            const char *id, session_store_dedup_cb cb,
                            void *data)
{
    char dkey[KEY_MAX], suffix[SUFFIX_MAX];
    snprintf(suffix, sizeof(suffix), "dedup:%s:%s", user, id);
    store__key(dkey, "", sid, suffix);
    const char *argv[] = {"GET", dkey};
    return store__read(c, dedup_done_cb, (void *)cb, data, 2, argv, NULL);
}

/* ---- roster and presence ---- */

int session_store_roster_add(redis_client *c, const char *sid, const char *user)
{
    char k[KEY_MAX];
    store__key(k, "", sid, "roster");
    const char *argv[] = {"SADD", k, user};
    return redis_client_write(c, NULL, NULL, 3, argv, NULL);
}

int session_store_presence(redis_client *c, const char *sid, const char *node,
                           const char *user, int online, int ttl_s)
{
    char k[KEY_MAX], suffix[SUFFIX_MAX], ttl[16];
    snprintf(suffix, sizeof(suffix), "presence:%s", node);
    store__key(k, "", sid, suffix);
    snprintf(ttl, sizeof(ttl), "%d", ttl_s);
    const char *argv[] = {online ? "SADD" : "SREM", k, user};
    if (redis_client_write(c, NULL, NULL, 3, argv, NULL) != 0)
        return -1;
    const char *exp[] = {"EXPIRE", k, ttl};
    return redis_client_write(c, NULL, NULL, 3, exp, NULL);
}

int session_store_heartbeat(redis_client *c, const char *node,
                            const char *const *sids, size_t nsids, int ttl_s)
{
    char k[KEY_MAX], suffix[SUFFIX_MAX], ttl[16];
    snprintf(k, sizeof(k), "kopa:node:%s", node);
    snprintf(ttl, sizeof(ttl), "%d", ttl_s);
    const char *argv[] = {"SET", k, "alive", "EX", ttl};
    if (redis_client_write(c, NULL, NULL, 5, argv, NULL) != 0)
        return -1;
    for (size_t i = 0; i < nsids; i++) {
        snprintf(suffix, sizeof(suffix), "presence:%s", node);
        store__key(k, "", sids[i], suffix);
        const char *exp[] = {"EXPIRE", k, ttl};
        if (redis_client_write(c, NULL, NULL, 3, exp, NULL) != 0)
            return -1;
    }
    return 0;
}
