/* session_state: the Redis keys and scripts of a session's live features
 * (the op log replayed on load) and of a programme (document, notes,
 * attendance); see session_state.h. Called by server/app's session
 * handlers and by the session loader. The event log keys written here are
 * session_store's (kopa:{S}:log:<channel>, kopa:{S}:tops). */
#include "server/store/session_state.h"

#include "server/store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX STORE__KEY_MAX

/* KEYS: stream, tops, ops. ARGV: channel, offset, event, maxlen, then
 * (seq, record) pairs. The guard is session_store's (STORE__APPEND_LUA). */
static const char append_script[] =
    STORE__APPEND_LUA "for i = 5, #ARGV, 2 do\n"
                      "  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])\n"
                      "end\n"
                      "return 1\n";

/* KEYS: doc, notes, attend. Returns {doc or false, notes, attend}. */
static const char load_programme_script[] =
    "return {redis.call('GET', KEYS[1]), redis.call('HGETALL', KEYS[2]),"
    " redis.call('HGETALL', KEYS[3])}\n";

/* KEYS: a string key, or a hash key with ARGV[3] its field. ARGV:
 * version, value. Writes unless a version >= ARGV[1] is stored. */
static const char versioned_script[] =
    "local cur\n"
    "if ARGV[3] then cur = redis.call('HGET', KEYS[1], ARGV[3])\n"
    "else cur = redis.call('GET', KEYS[1]) end\n"
    "if cur then\n"
    "  local v = tonumber(string.match(cur, '^(%d+) '))\n"
    "  if v and v >= tonumber(ARGV[1]) then return 0 end\n"
    "end\n"
    "if ARGV[3] then redis.call('HSET', KEYS[1], ARGV[3], ARGV[2])\n"
    "else redis.call('SET', KEYS[1], ARGV[2]) end\n"
    "return 1\n";

/* Parses a decimal integer of len bytes; -1 when it is not one. */
static int64_t parse_i64(const char *s, size_t len)
{
    long long v;
    char stop;
    if (store__strtoll(s, len, &v, &stop) != 0)
        return -1;
    return stop == '\0' && v >= 0 ? (int64_t)v : -1;
}

/* Issues argv as a durable write answered through cb. */
static int write_cmd(redis_client *c, int argc, const char **argv,
                     const size_t *lens, session_store_done_cb cb, void *data)
{
    return store__write(c, store__done_reply_cb, (void *)cb, data, argc, argv,
                        lens);
}

/* ---- ops ---- */

int session_state_append(redis_client *c, const char *sid, const char *channel,
                         int64_t offset, const char *event, size_t len,
                         const session_state_op *ops, size_t nops, long maxlen,
                         session_store_done_cb cb, void *data)
{
    char stream[KEY_MAX], tops[KEY_MAX], okey[KEY_MAX], suffix[200];
    char off[24], max[24];
    int argc = 11 + 2 * (int)nops;
    const char **argv = calloc((size_t)argc, sizeof(*argv));
    size_t *lens = calloc((size_t)argc, sizeof(*lens));
    char(*seqs)[24] = calloc(nops + 1, sizeof(*seqs));
    if (argv == NULL || lens == NULL || seqs == NULL)
        abort();
    snprintf(suffix, sizeof(suffix), "log:%s", channel);
    store__key(stream, "", sid, suffix);
    store__key(tops, "", sid, "tops");
    store__key(okey, "", sid, "ops");
    snprintf(off, sizeof(off), "%lld", (long long)offset);
    snprintf(max, sizeof(max), "%ld", maxlen);
    const char *head[] = {"EVAL", append_script, "3", stream, tops,
                          okey,   channel,       off, event,  max};
    for (int i = 0; i < 10; i++) {
        argv[i] = head[i];
        lens[i] = i == 8 ? len : strlen(head[i]);
    }
    argc = 10;
    for (size_t i = 0; i < nops; i++) {
        snprintf(seqs[i], sizeof(seqs[i]), "%lld", (long long)ops[i].seq);
        argv[argc] = seqs[i];
        lens[argc++] = strlen(seqs[i]);
        argv[argc] = ops[i].rec;
        lens[argc++] = ops[i].len;
    }
    int rc = write_cmd(c, argc, argv, lens, cb, data);
    free(argv);
    free(lens);
    free(seqs);
    return rc;
}

int session_state_put_ops(redis_client *c, const char *sid,
                          const session_state_op *ops, size_t nops,
                          session_store_done_cb cb, void *data)
{
    char okey[KEY_MAX];
    int argc = 2 + 2 * (int)nops;
    const char **argv = calloc((size_t)argc, sizeof(*argv));
    size_t *lens = calloc((size_t)argc, sizeof(*lens));
    char(*seqs)[24] = calloc(nops + 1, sizeof(*seqs));
    if (argv == NULL || lens == NULL || seqs == NULL)
        abort();
    store__key(okey, "", sid, "ops");
    argv[0] = "HSET";
    lens[0] = 4;
    argv[1] = okey;
    lens[1] = strlen(okey);
    for (size_t i = 0; i < nops; i++) {
        snprintf(seqs[i], sizeof(seqs[i]), "%lld", (long long)ops[i].seq);
        argv[2 + 2 * i] = seqs[i];
        lens[2 + 2 * i] = strlen(seqs[i]);
        argv[3 + 2 * i] = ops[i].rec;
        lens[3 + 2 * i] = ops[i].len;
    }
    int rc = write_cmd(c, argc, argv, lens, cb, data);
    free(argv);
    free(lens);
    free(seqs);
    return rc;
}

static int by_seq(const void *a, const void *b)
{
    const session_state_op *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void ops_done_cb(redis_client *c, const redisReply *r, const char *err,
                        void *data)
{
    void *cb_data;
    session_state_ops_cb cb = (session_state_ops_cb)store__take(data, &cb_data);
    const char *e = store__reply_array(r, err, 0, 0);
    if (e) {
        cb(NULL, 0, e, cb_data);
        return;
    }
    size_t n = r->elements / 2, k = 0;
    session_state_op *ops = calloc(n + 1, sizeof(*ops));
    if (ops == NULL)
        abort();
    for (size_t i = 0; i < n; i++) {
        const redisReply *f = r->element[2 * i], *v = r->element[2 * i + 1];
        int64_t seq = parse_i64(f->str, f->len);
        if (seq <= 0 || v->type != REDIS_REPLY_STRING)
            continue; /* not ours: ignored */
        ops[k++] = (session_state_op){seq, v->str, v->len};
    }
    qsort(ops, k, sizeof(*ops), by_seq);
    cb(ops, k, NULL, cb_data);
    free(ops);
    (void)c;
}

int session_state_load_ops(redis_client *c, const char *sid,
                           session_state_ops_cb cb, void *data)
{
    char okey[KEY_MAX];
    store__key(okey, "", sid, "ops");
    const char *argv[] = {"HGETALL", okey};
    return store__read(c, ops_done_cb, (void *)cb, data, 2, argv, NULL);
}

/* ---- programme ---- */

/* Splits "<version> <rest>"; returns the version or -1. */
static int64_t split_version(const char *s, size_t len, const char **rest,
                             size_t *rest_len)
{
    const char *sp = memchr(s, ' ', len);
    if (sp == NULL)
        return -1;
    *rest = sp + 1;
    *rest_len = len - (size_t)(sp + 1 - s);
    return parse_i64(s, (size_t)(sp - s));
}

static void parse_notes(const redisReply *h, session_state_note *out, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i + 1 < h->elements; i += 2) {
        const redisReply *f = h->element[i], *v = h->element[i + 1];
        int64_t id = parse_i64(f->str, f->len);
        session_state_note *note = &out[*n];
        if (id <= 0 || id > UINT32_MAX || v->type != REDIS_REPLY_STRING)
            continue;
        note->id = (uint32_t)id;
        note->version = split_version(v->str, v->len, &note->json, &note->len);
        if (note->version < 0)
            continue;
        if (note->len == 1 && note->json[0] == '-')
            note->json = NULL, note->len = 0;
        (*n)++;
    }
}

static void parse_attend(const redisReply *h, session_state_attend *out,
                         size_t *n)
{
    *n = 0;
    for (size_t i = 0; i + 1 < h->elements; i += 2) {
        const redisReply *f = h->element[i];
        const char *sp = memchr(f->str, ' ', f->len);
        if (sp == NULL || sp + 1 >= f->str + f->len)
            continue;
        int64_t entry = parse_i64(f->str, (size_t)(sp - f->str));
        if (entry <= 0 || entry > UINT32_MAX)
            continue;
        /* The value is "1 <name>", or "1" (no name known). */
        const redisReply *v = h->element[i + 1];
        int named = v->type == REDIS_REPLY_STRING && v->len > 2 &&
                    v->str[0] == '1' && v->str[1] == ' ';
        out[*n].entry = (uint32_t)entry;
        out[*n].name = named ? v->str + 2 : ""; /* NUL-terminated */
        out[(*n)++].user = sp + 1; /* the field is NUL-terminated */
    }
}

static void programme_done_cb(redis_client *c, const redisReply *r,
                              const char *err, void *data)
{
    void *cb_data;
    session_state_programme_cb cb =
        (session_state_programme_cb)store__take(data, &cb_data);
    const char *e = store__reply_array(r, err, 3, 1);
    if (e) {
        cb(NULL, e, cb_data);
        return;
    }
    session_state_programme p = {0};
    const redisReply *doc = r->element[0];
    if (doc->type == REDIS_REPLY_STRING) {
        p.doc_version = split_version(doc->str, doc->len, &p.doc, &p.doc_len);
        if (p.doc_version < 0) {
            cb(NULL, "malformed programme document", cb_data);
            return;
        }
    }
    session_state_note *notes =
        calloc(r->element[1]->elements / 2 + 1, sizeof(*notes));
    session_state_attend *attend =
        calloc(r->element[2]->elements / 2 + 1, sizeof(*attend));
    if (notes == NULL || attend == NULL)
        abort();
    parse_notes(r->element[1], notes, &p.nnotes);
    parse_attend(r->element[2], attend, &p.nattend);
    p.notes = notes;
    p.attend = attend;
    cb(&p, NULL, cb_data);
    free(notes);
    free(attend);
    (void)c;
}

int session_state_load_programme(redis_client *c, const char *pid,
                                 session_state_programme_cb cb, void *data)
{
    char doc[KEY_MAX], notes[KEY_MAX], attend[KEY_MAX];
    store__key(doc, "prog:", pid, "doc");
    store__key(notes, "prog:", pid, "notes");
    store__key(attend, "prog:", pid, "attend");
    const char *argv[] = {"EVAL", load_programme_script, "3", doc, notes,
                          attend};
    return store__read(c, programme_done_cb, (void *)cb, data, 6, argv, NULL);
}

/* Writes "<version> <value>" to key (field when not NULL) under the
 * version guard. value NULL stores the removal mark "-". */
static int save_versioned(redis_client *c, const char *k, const char *field,
                          int64_t version, const char *value, size_t len,
                          session_store_done_cb cb, void *data)
{
    char ver[24];
    int vlen = snprintf(ver, sizeof(ver), "%lld", (long long)version);
    if (value == NULL)
        value = "-", len = 1;
    char *rec = malloc((size_t)vlen + 1 + len);
    if (rec == NULL)
        abort();
    memcpy(rec, ver, (size_t)vlen);
    rec[vlen] = ' ';
    memcpy(rec + vlen + 1, value, len);
    const char *argv[] = {"EVAL", versioned_script, "1", k, ver, rec, field};
    size_t lens[7];
    for (int i = 0; i < 7; i++)
        lens[i] = i == 5    ? (size_t)vlen + 1 + len
                  : argv[i] ? strlen(argv[i])
                            : 0;
    int rc = write_cmd(c, field ? 7 : 6, argv, lens, cb, data);
    free(rec);
    return rc;
}

int session_state_save_doc(redis_client *c, const char *pid, int64_t version,
                           const char *doc, size_t len,
                           session_store_done_cb cb, void *data)
{
    char k[KEY_MAX];
    store__key(k, "prog:", pid, "doc");
    return save_versioned(c, k, NULL, version, doc, len, cb, data);
}

int session_state_save_note(redis_client *c, const char *pid, uint32_t id,
                            int64_t version, const char *json, size_t len,
                            session_store_done_cb cb, void *data)
{
    char k[KEY_MAX], field[16];
    store__key(k, "prog:", pid, "notes");
    snprintf(field, sizeof(field), "%u", (unsigned)id);
    return save_versioned(c, k, field, version, json, len, cb, data);
}

int session_state_save_attend(redis_client *c, const char *pid, uint32_t entry,
                              const char *user, const char *name)
{
    char k[KEY_MAX], field[100], value[300];
    store__key(k, "prog:", pid, "attend");
    snprintf(field, sizeof(field), "%u %s", (unsigned)entry, user);
    snprintf(value, sizeof(value), "1%s%s", name && name[0] ? " " : "",
             name ? name : "");
    const char *argv[] = {"HSET", k, field, value};
    return redis_client_write(c, NULL, NULL, 4, argv, NULL);
}
