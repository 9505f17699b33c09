/* breakout_store: profiles, pair history and breakout rounds on Redis.
 * Called by the app's profile and breakout handlers (server/app). Writes
 * are single commands or one EVAL each, so a re-sent copy is harmless;
 * the round is versioned so that a stale copy never overwrites a newer
 * one. */
#include "server/store/breakout_store.h"

#include "server/store/store_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX STORE__KEY_MAX

static const char *const stage_names[BREAKOUT_STORE_STAGES] = {"start",
                                                               "middle", "end"};

/* KEYS: profile, profiles set. ARGV: user, then field, value pairs. */
static const char save_profile_script[] =
    "redis.call('HSET', KEYS[1], unpack(ARGV, 2))\n"
    "redis.call('SADD', KEYS[2], ARGV[1])\n"
    "return 1\n";

/* KEYS: profiles set, meetings. ARGV: profile key prefix, with meetings
 * ("1"/"0"), "all" or "list", users... Returns {{user, fields}..., meetings}.
 * The profile keys share the network's hash tag with KEYS. */
static const char read_profiles_script[] =
    "local users = {}\n"
    "if ARGV[3] == 'all' then users = redis.call('SMEMBERS', KEYS[1])\n"
    "else for i = 4, #ARGV do users[#users + 1] = ARGV[i] end end\n"
    "local out = {}\n"
    "for _, u in ipairs(users) do\n"
    "  local h = redis.call('HGETALL', ARGV[1] .. u)\n"
    "  if #h > 0 then out[#out + 1] = u; out[#out + 1] = h end\n"
    "end\n"
    "local m = {}\n"
    "if ARGV[2] == '1' then m = redis.call('HGETALL', KEYS[2]) end\n"
    "return {out, m}\n";

/* KEYS: round. ARGV: version, then field, value pairs. */
static const char save_round_script[] =
    "local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')\n"
    "if tonumber(ARGV[1]) <= v then return 0 end\n"
    "redis.call('DEL', KEYS[1])\n"
    "redis.call('HSET', KEYS[1], 'v', ARGV[1])\n"
    "for i = 2, #ARGV, 200 do\n"
    "  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 199, #ARGV)))\n"
    "end\n"
    "return 1\n";

/* ---- small helpers ---- */

static void *need(void *p)
{
    if (p == NULL)
        abort();
    return p;
}

/* Allocations that live for one callback. */
typedef struct arena {
    void **blocks;
    size_t n, cap;
} arena;

static void *arena_alloc(arena *a, size_t size)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->blocks = need(realloc(a->blocks, a->cap * sizeof(void *)));
    }
    return a->blocks[a->n++] = need(calloc(1, size ? size : 1));
}

static char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    memcpy(out, s, n);
    return out;
}

static void arena_free(arena *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->blocks[i]);
    free(a->blocks);
}

/* A command's arguments; formatted values are owned copies. */
typedef struct args {
    const char **v;
    size_t *len;
    size_t n, cap;
    arena owned;
} args;

static void add_n(args *a, const char *s, size_t len)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 32;
        a->v = need(realloc(a->v, a->cap * sizeof(*a->v)));
        a->len = need(realloc(a->len, a->cap * sizeof(*a->len)));
    }
    a->v[a->n] = s ? s : "";
    a->len[a->n++] = s ? len : 0;
}

static void add(args *a, const char *s)
{
    add_n(a, s, s ? strlen(s) : 0);
}

static void addf(args *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void addf(args *a, const char *fmt, ...)
{
    char buf[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(buf))
        n = sizeof(buf) - 1;
    add_n(a, arena_strndup(&a->owned, buf, (size_t)n), (size_t)n);
}

static void args_free(args *a)
{
    free(a->v);
    free(a->len);
    arena_free(&a->owned);
}

/* The decimal number at the start of s (len bytes), 0 when none. */
static int64_t to_i64(const char *s, size_t len)
{
    long long v;
    char stop;
    if (s == NULL || store__strtoll(s, len, &v, &stop) != 0)
        return 0;
    return (int64_t)v;
}

/* Sends a durable write; frees a. Returns 0 or -1. */
static int write_args(redis_client *c, args *a, breakout_store_done_cb cb,
                      void *data)
{
    int rc = store__write(c, store__done_reply_cb, (void *)cb, data, (int)a->n,
                          a->v, a->len);
    args_free(a);
    return rc;
}

/* ---- profiles ---- */

int breakout_store_profile_save(redis_client *c, const char *net,
                                const char *user,
                                const breakout_store_version *v,
                                breakout_store_done_cb cb, void *data)
{
    char pkey[KEY_MAX], skey[KEY_MAX], suffix[200];
    snprintf(suffix, sizeof(suffix), "profile:%s", user);
    store__key(pkey, "net:", net, suffix);
    store__key(skey, "net:", net, "profiles");
    args a = {0};
    add(&a, "EVAL");
    add(&a, save_profile_script);
    add(&a, "2");
    add(&a, pkey);
    add(&a, skey);
    add(&a, user);
    const char *fields[] = {"name", "country", "langs", "marks"};
    const char *values[] = {v->name, v->country, v->langs, v->marks};
    for (size_t i = 0; i < 4; i++) {
        addf(&a, "%s.%s", v->stage, fields[i]);
        add(&a, values[i]);
    }
    addf(&a, "%s.text", v->stage);
    add_n(&a, v->text, v->text_len);
    addf(&a, "%s.at", v->stage);
    addf(&a, "%" PRId64, v->at_ms);
    return write_args(c, &a, cb, data);
}

/* The field value of key in a flat HGETALL reply, or NULL. */
static const redisReply *hfield(const redisReply *h, const char *key)
{
    size_t klen = strlen(key);
    for (size_t i = 0; i + 1 < h->elements; i += 2)
        if (h->element[i]->len == klen &&
            !memcmp(h->element[i]->str, key, klen))
            return h->element[i + 1];
    return NULL;
}

static const char *hstr(const redisReply *h, const char *key, size_t *len)
{
    const redisReply *r = hfield(h, key);
    if (len)
        *len = r && r->type == REDIS_REPLY_STRING ? r->len : 0;
    return r && r->type == REDIS_REPLY_STRING ? r->str : "";
}

static void read_profile(const redisReply *user, const redisReply *h,
                         breakout_store_profile *p)
{
    char key[32];
    p->user = user->str;
    p->nversions = 0;
    for (int s = 0; s < BREAKOUT_STORE_STAGES; s++) {
        snprintf(key, sizeof(key), "%s.at", stage_names[s]);
        if (hfield(h, key) == NULL)
            continue;
        breakout_store_version *v = &p->versions[p->nversions++];
        size_t at_len;
        const char *at = hstr(h, key, &at_len);
        v->stage = stage_names[s];
        v->at_ms = to_i64(at, at_len);
        snprintf(key, sizeof(key), "%s.name", stage_names[s]);
        v->name = hstr(h, key, NULL);
        snprintf(key, sizeof(key), "%s.country", stage_names[s]);
        v->country = hstr(h, key, NULL);
        snprintf(key, sizeof(key), "%s.langs", stage_names[s]);
        v->langs = hstr(h, key, NULL);
        snprintf(key, sizeof(key), "%s.marks", stage_names[s]);
        v->marks = hstr(h, key, NULL);
        snprintf(key, sizeof(key), "%s.text", stage_names[s]);
        v->text = hstr(h, key, &v->text_len);
    }
}

/* Splits s (n bytes) at sep into at most max pieces; returns the count.
 * Pieces are copies in the arena. */
static size_t split(arena *ar, const char *s, size_t n, char sep, char **out,
                    size_t max)
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n && k < max; i++) {
        if (i == n || s[i] == sep) {
            out[k++] = arena_strndup(ar, s + start, i - start);
            start = i + 1;
        }
    }
    return k;
}

/* "<at>;<id>:<CC>,...;..." -> one recorded round. */
static int read_meetings(arena *ar, const redisReply *key,
                         const redisReply *val, breakout_store_meetings *m)
{
    const char *slash = memchr(key->str, '/', key->len);
    if (slash == NULL || val->type != REDIS_REPLY_STRING)
        return -1;
    m->session = arena_strndup(ar, key->str, (size_t)(slash - key->str));
    m->round = to_i64(slash + 1, key->len - (size_t)(slash + 1 - key->str));
    size_t max = 1;
    for (size_t i = 0; i < val->len; i++)
        max += val->str[i] == ';';
    char **parts = arena_alloc(ar, max * sizeof(char *));
    size_t np = split(ar, val->str, val->len, ';', parts, max);
    if (np < 1)
        return -1;
    m->at_ms = to_i64(parts[0], strlen(parts[0]));
    breakout_store_group *groups = arena_alloc(ar, (np + 1) * sizeof(*groups));
    m->groups = groups;
    m->ngroups = 0;
    for (size_t g = 1; g < np; g++) {
        size_t plen = strlen(parts[g]), cap = 1;
        for (size_t i = 0; i < plen; i++)
            cap += parts[g][i] == ',';
        char **ids = arena_alloc(ar, cap * sizeof(char *));
        size_t nids = split(ar, parts[g], plen, ',', ids, cap);
        breakout_store_member *mem = arena_alloc(ar, cap * sizeof(*mem));
        for (size_t i = 0; i < nids; i++) {
            char *colon = strchr(ids[i], ':');
            if (colon)
                *colon = '\0';
            mem[i] = (breakout_store_member){ids[i], colon ? colon + 1 : ""};
        }
        groups[m->ngroups++] = (breakout_store_group){mem, nids};
    }
    return 0;
}

static void profiles_done_cb(redis_client *c, const redisReply *r,
                             const char *err, void *data)
{
    void *cb_data;
    breakout_store_profiles_cb cb =
        (breakout_store_profiles_cb)store__take(data, &cb_data);
    const char *e = store__reply_array(r, err, 2, 0);
    if (e) {
        cb(NULL, 0, NULL, 0, e, cb_data);
        return;
    }
    arena ar = {0};
    const redisReply *ps = r->element[0], *ms = r->element[1];
    breakout_store_profile *p =
        arena_alloc(&ar, (ps->elements / 2 + 1) * sizeof(*p));
    breakout_store_meetings *m =
        arena_alloc(&ar, (ms->elements / 2 + 1) * sizeof(*m));
    size_t np = 0, nm = 0;
    for (size_t i = 0; i + 1 < ps->elements; i += 2)
        if (ps->element[i]->type == REDIS_REPLY_STRING &&
            ps->element[i + 1]->type == REDIS_REPLY_ARRAY)
            read_profile(ps->element[i], ps->element[i + 1], &p[np++]);
    for (size_t i = 0; i + 1 < ms->elements; i += 2)
        if (read_meetings(&ar, ms->element[i], ms->element[i + 1], &m[nm]) == 0)
            nm++;
    cb(p, np, m, nm, NULL, cb_data);
    arena_free(&ar);
    (void)c;
}

int breakout_store_profiles(redis_client *c, const char *net,
                            const char *const *users, size_t nusers,
                            int with_meetings, breakout_store_profiles_cb cb,
                            void *data)
{
    char skey[KEY_MAX], mkey[KEY_MAX], prefix[KEY_MAX];
    store__key(skey, "net:", net, "profiles");
    store__key(mkey, "net:", net, "meetings");
    store__key(prefix, "net:", net, "profile:");
    args a = {0};
    add(&a, "EVAL");
    add(&a, read_profiles_script);
    add(&a, "2");
    add(&a, skey);
    add(&a, mkey);
    add(&a, prefix);
    add(&a, with_meetings ? "1" : "0");
    add(&a, users ? "list" : "all");
    for (size_t i = 0; users && i < nusers; i++)
        add(&a, users[i]);
    int rc = store__read(c, profiles_done_cb, (void *)cb, data, (int)a.n, a.v,
                         a.len);
    args_free(&a);
    return rc;
}

int breakout_store_meetings_add(redis_client *c, const char *net,
                                const breakout_store_meetings *m)
{
    char mkey[KEY_MAX];
    store__key(mkey, "net:", net, "meetings");
    size_t cap = 32;
    for (size_t g = 0; g < m->ngroups; g++)
        for (size_t i = 0; i < m->groups[g].n; i++)
            cap += strlen(m->groups[g].members[i].id) + 6;
    char *val = need(malloc(cap)), *o = val;
    o += snprintf(o, 24, "%" PRId64, m->at_ms);
    for (size_t g = 0; g < m->ngroups; g++) {
        *o++ = ';';
        for (size_t i = 0; i < m->groups[g].n; i++) {
            const breakout_store_member *mm = &m->groups[g].members[i];
            const char *cc = mm->country ? mm->country : "";
            o += sprintf(o, "%s%s:%.2s", i ? "," : "", mm->id, cc);
        }
    }
    args a = {0};
    add(&a, "HSET");
    add(&a, mkey);
    addf(&a, "%s/%" PRId64, m->session, m->round);
    add_n(&a, val, (size_t)(o - val));
    int rc = write_args(c, &a, NULL, NULL);
    free(val);
    return rc;
}

/* ---- rounds ---- */

/* Field names: scalar fields by name, list entries as <letter><i>.<f>
 * with a count n<letter>: p people, g groups, u unassigned, v visits,
 * h help requests, n notes. */

static void add_i64(args *a, const char *field, int64_t v)
{
    add(a, field);
    addf(a, "%" PRId64, v);
}

static void add_item(args *a, char list, size_t i, const char *f, const char *v,
                     size_t len)
{
    addf(a, "%c%zu.%s", list, i, f);
    add_n(a, v ? v : "", v ? len : 0);
}

static void add_item_s(args *a, char list, size_t i, const char *f,
                       const char *v)
{
    add_item(a, list, i, f, v, v ? strlen(v) : 0);
}

static void add_item_i(args *a, char list, size_t i, const char *f, int64_t v)
{
    addf(a, "%c%zu.%s", list, i, f);
    addf(a, "%" PRId64, v);
}

/* "a,b,c" from n ids, in the arena. */
static const char *join_ids(arena *ar, const char *const *ids, size_t n)
{
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        cap += strlen(ids[i]) + 1;
    char *out = arena_alloc(ar, cap), *o = out;
    for (size_t i = 0; i < n; i++)
        o += sprintf(o, "%s%s", i ? "," : "", ids[i]);
    return out;
}

static void round_lists(args *a, const breakout_store_round *r)
{
    add_i64(a, "np", (int64_t)r->npeople);
    for (size_t i = 0; i < r->npeople; i++) {
        add_item_s(a, 'p', i, "id", r->people[i].id);
        add_item_s(a, 'p', i, "name", r->people[i].name);
        add_item_s(a, 'p', i, "cc", r->people[i].country);
    }
    add_i64(a, "ng", (int64_t)r->ngroups);
    for (size_t i = 0; i < r->ngroups; i++) {
        const breakout_store_rgroup *g = &r->groups[i];
        add_item_s(a, 'g', i, "room", g->room);
        add_item_s(a, 'g', i, "members",
                   join_ids(&a->owned, g->members, g->nmembers));
        add_item_s(a, 'g', i, "lang", g->language);
        add_item_i(a, 'g', i, "ok", g->language_ok);
        add_item_i(a, 'g', i, "score", g->score);
        add_item(a, 'g', i, "why", g->reasons, g->reasons_len);
    }
    add_i64(a, "nu", (int64_t)r->nunassigned);
    for (size_t i = 0; i < r->nunassigned; i++) {
        add_item_s(a, 'u', i, "id", r->unassigned[i].a);
        add_item_s(a, 'u', i, "cause", r->unassigned[i].b);
    }
    add_i64(a, "nv", (int64_t)r->nvisits);
    for (size_t i = 0; i < r->nvisits; i++) {
        add_item_s(a, 'v', i, "user", r->visits[i].a);
        add_item_s(a, 'v', i, "room", r->visits[i].b);
    }
    add_i64(a, "nh", (int64_t)r->nhelp);
    for (size_t i = 0; i < r->nhelp; i++) {
        const breakout_store_help *h = &r->help[i];
        add_item_i(a, 'h', i, "id", h->id);
        add_item_s(a, 'h', i, "user", h->user);
        add_item_s(a, 'h', i, "room", h->room);
        add_item_s(a, 'h', i, "text", h->text);
        add_item_i(a, 'h', i, "ts", h->ts);
    }
    add_i64(a, "nn", (int64_t)r->nnotes);
    for (size_t i = 0; i < r->nnotes; i++) {
        const breakout_store_note *n = &r->notes[i];
        add_item_s(a, 'n', i, "id", n->id);
        add_item_s(a, 'n', i, "room", n->room);
        add_item_s(a, 'n', i, "user", n->user);
        add_item(a, 'n', i, "text", n->text, n->text_len);
        add_item_i(a, 'n', i, "ts", n->ts);
    }
}

int breakout_store_round_save(redis_client *c, const char *sid,
                              const breakout_store_round *r)
{
    char rkey[KEY_MAX];
    store__key(rkey, "", sid, "round");
    args a = {0};
    add(&a, "EVAL");
    add(&a, save_round_script);
    add(&a, "1");
    add(&a, rkey);
    addf(&a, "%" PRId64, r->version);
    add_i64(&a, "seq", r->seq);
    add(&a, "state");
    add(&a, r->state);
    add(&a, "mode");
    add(&a, r->mode);
    add_i64(&a, "size", r->group_size);
    add_i64(&a, "duration", r->duration_ms);
    add_i64(&a, "seed", r->seed);
    add_i64(&a, "opened", r->opened_ms);
    add_i64(&a, "deadline", r->deadline_ms);
    add_i64(&a, "warned", r->warned);
    add_i64(&a, "help_seq", r->help_seq);
    add(&a, "warnings");
    add_n(&a, r->warnings, r->warnings ? r->warnings_len : 0);
    round_lists(&a, r);
    return write_args(c, &a, NULL, NULL);
}

/* A HGETALL reply indexed by field name. */
typedef struct fields {
    const redisReply **kv; /* pairs: key, value */
    size_t n;
} fields;

static int cmp_field(const void *x, const void *y)
{
    const redisReply *a = *(const redisReply *const *)x;
    const redisReply *b = *(const redisReply *const *)y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->str, b->str, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

static const char *fget(const fields *f, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The value of the field named by fmt, or "" (with *len 0). */
static const char *fget(const fields *f, size_t *len, const char *fmt, ...)
{
    char name[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    redisReply probe = {
        .type = REDIS_REPLY_STRING, .str = name, .len = strlen(name)};
    const redisReply *pp = &probe;
    const redisReply **hit =
        bsearch(&pp, f->kv, f->n, 2 * sizeof(*f->kv), cmp_field);
    if (len)
        *len = hit ? hit[1]->len : 0;
    return hit && hit[1]->type == REDIS_REPLY_STRING ? hit[1]->str : "";
}

static int64_t fint(const fields *f, const char *name)
{
    size_t len;
    const char *s = fget(f, &len, "%s", name);
    return to_i64(s, len);
}

static int64_t fitem_i(const fields *f, char list, size_t i, const char *k)
{
    size_t len;
    const char *s = fget(f, &len, "%c%zu.%s", list, i, k);
    return to_i64(s, len);
}

/* A count field, kept within what the reply can hold. */
static size_t fcount(const fields *f, const char *name)
{
    int64_t v = fint(f, name);
    return v < 0 || (uint64_t)v > f->n ? 0 : (size_t)v;
}

static void load_lists(arena *ar, const fields *f, breakout_store_round *r)
{
    size_t n = r->npeople = fcount(f, "np");
    breakout_store_person *p = arena_alloc(ar, (n + 1) * sizeof(*p));
    for (size_t i = 0; i < n; i++)
        p[i] = (breakout_store_person){fget(f, NULL, "p%zu.id", i),
                                       fget(f, NULL, "p%zu.name", i),
                                       fget(f, NULL, "p%zu.cc", i)};
    r->people = p;
    n = r->ngroups = fcount(f, "ng");
    breakout_store_rgroup *g = arena_alloc(ar, (n + 1) * sizeof(*g));
    for (size_t i = 0; i < n; i++) {
        size_t mlen, cap = 1;
        const char *ms = fget(f, &mlen, "g%zu.members", i);
        for (size_t k = 0; k < mlen; k++)
            cap += ms[k] == ',';
        char **ids = arena_alloc(ar, cap * sizeof(char *));
        g[i].nmembers = mlen ? split(ar, ms, mlen, ',', ids, cap) : 0;
        g[i].members = (const char *const *)ids;
        g[i].room = fget(f, NULL, "g%zu.room", i);
        g[i].language = fget(f, NULL, "g%zu.lang", i);
        g[i].language_ok = (int)fitem_i(f, 'g', i, "ok");
        g[i].score = fitem_i(f, 'g', i, "score");
        g[i].reasons = fget(f, &g[i].reasons_len, "g%zu.why", i);
    }
    r->groups = g;
    n = r->nunassigned = fcount(f, "nu");
    breakout_store_pair *u = arena_alloc(ar, (n + 1) * sizeof(*u));
    for (size_t i = 0; i < n; i++)
        u[i] = (breakout_store_pair){fget(f, NULL, "u%zu.id", i),
                                     fget(f, NULL, "u%zu.cause", i)};
    r->unassigned = u;
    n = r->nvisits = fcount(f, "nv");
    breakout_store_pair *v = arena_alloc(ar, (n + 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = (breakout_store_pair){fget(f, NULL, "v%zu.user", i),
                                     fget(f, NULL, "v%zu.room", i)};
    r->visits = v;
    n = r->nhelp = fcount(f, "nh");
    breakout_store_help *h = arena_alloc(ar, (n + 1) * sizeof(*h));
    for (size_t i = 0; i < n; i++)
        h[i] = (breakout_store_help){
            fitem_i(f, 'h', i, "id"), fget(f, NULL, "h%zu.user", i),
            fget(f, NULL, "h%zu.room", i), fget(f, NULL, "h%zu.text", i),
            fitem_i(f, 'h', i, "ts")};
    r->help = h;
    n = r->nnotes = fcount(f, "nn");
    breakout_store_note *no = arena_alloc(ar, (n + 1) * sizeof(*no));
    for (size_t i = 0; i < n; i++) {
        no[i].id = fget(f, NULL, "n%zu.id", i);
        no[i].room = fget(f, NULL, "n%zu.room", i);
        no[i].user = fget(f, NULL, "n%zu.user", i);
        no[i].text = fget(f, &no[i].text_len, "n%zu.text", i);
        no[i].ts = fitem_i(f, 'n', i, "ts");
    }
    r->notes = no;
}

static void round_done_cb(redis_client *c, const redisReply *r, const char *err,
                          void *data)
{
    void *cb_data;
    breakout_store_round_cb cb =
        (breakout_store_round_cb)store__take(data, &cb_data);
    const char *e = store__reply_array(r, err, 0, 0);
    if (e || r->elements == 0) {
        cb(NULL, e, cb_data);
        return;
    }
    arena ar = {0};
    fields f = {arena_alloc(&ar, r->elements * sizeof(redisReply *)),
                r->elements / 2};
    size_t k = 0;
    for (size_t i = 0; i + 1 < r->elements; i += 2)
        if (r->element[i]->type == REDIS_REPLY_STRING) {
            f.kv[k++] = r->element[i];
            f.kv[k++] = r->element[i + 1];
        }
    f.n = k / 2;
    qsort(f.kv, f.n, 2 * sizeof(*f.kv), cmp_field);
    breakout_store_round out = {
        .version = fint(&f, "v"),
        .seq = fint(&f, "seq"),
        .state = fget(&f, NULL, "state"),
        .mode = fget(&f, NULL, "mode"),
        .group_size = (int)fint(&f, "size"),
        .duration_ms = fint(&f, "duration"),
        .seed = fint(&f, "seed"),
        .opened_ms = fint(&f, "opened"),
        .deadline_ms = fint(&f, "deadline"),
        .warned = (int)fint(&f, "warned"),
        .help_seq = fint(&f, "help_seq"),
    };
    out.warnings = fget(&f, &out.warnings_len, "warnings");
    load_lists(&ar, &f, &out);
    cb(&out, NULL, cb_data);
    arena_free(&ar);
    (void)c;
}

int breakout_store_round_load(redis_client *c, const char *sid,
                              breakout_store_round_cb cb, void *data)
{
    char rkey[KEY_MAX];
    store__key(rkey, "", sid, "round");
    const char *argv[] = {"HGETALL", rkey};
    return store__read(c, round_done_cb, (void *)cb, data, 2, argv, NULL);
}
