/* parse_breakout.c: the parse functions of the profile and breakout
 * messages of messages.def (profile_*, round_*, broadcast, help_*, visit*,
 * breakout_note, coverage), called by proto_parse through its dispatch
 * table once the envelope is good. Each reads its fields in the order of
 * docs/protocol.md section 11 and stops at the first error. */
#include "server/proto/proto_int.h"

#include <string.h>

typedef struct name_value {
    const char *name;
    int value;
} name_value;

static const name_value stages[] = {
    {"start", PROTO_PROFILE_START},
    {"middle", PROTO_PROFILE_MIDDLE},
    {"end", PROTO_PROFILE_END},
};

static const name_value marks[] = {
    {"none", PROTO_MARK_NONE},
    {"need", PROTO_MARK_NEED},
    {"offer", PROTO_MARK_OFFER},
    {"both", PROTO_MARK_BOTH},
};

static const name_value modes[] = {
    {"complementary", PROTO_MODE_COMPLEMENTARY},
    {"shared_interest", PROTO_MODE_SHARED_INTEREST},
    {"random", PROTO_MODE_RANDOM},
    {"manual", PROTO_MODE_MANUAL},
};

static const name_value formats[] = {{"json", 0}, {"csv", 1}};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Looks s up in names; returns 0 with *out set, or -1. */
static int lookup_name(const char *s, size_t len, const name_value *names,
                       size_t n, int *out)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i].name) == len && !memcmp(names[i].name, s, len)) {
            *out = names[i].value;
            return 0;
        }
    return -1;
}

/* A string field whose value is one of names; *out untouched when absent. */
static proto_error one_of(proto__ctx *c, const cJSON *obj, const char *key,
                          int required, const name_value *names, size_t n,
                          int *out)
{
    const char *s = NULL;
    size_t len = 0;
    int present = 0;
    proto_error e =
        proto__str(c, obj, key, NULL, required, 32, &s, &len, &present);
    if (e != PROTO_OK || !present)
        return e;
    if (lookup_name(s, len, names, n, out) == 0)
        return PROTO_OK;
    if (n == 2)
        return proto__fail(c, PROTO_ERR_BAD_VALUE,
                           "%s must be \"%s\" or \"%s\"", key, names[0].name,
                           names[1].name);
    return proto__fail(c, PROTO_ERR_BAD_VALUE,
                       "%s must be one of \"%s\", "
                       "\"%s\", \"%s\"%s",
                       key, names[0].name, names[1].name, names[2].name,
                       n > 3 ? ", ..." : "");
}

/* A text field of min..max bytes copied into dst (max + 1 bytes). */
static proto_error text(proto__ctx *c, const cJSON *obj, const char *key,
                        int required, size_t max, char *dst, size_t *len)
{
    const char *s = NULL;
    size_t n = 0;
    int present = 0;
    proto_error e =
        proto__str(c, obj, key, NULL, required, max, &s, &n, &present);
    dst[0] = '\0';
    *len = 0;
    if (e != PROTO_OK || !present)
        return e;
    if (required && n == 0)
        return proto__fail(c, PROTO_ERR_BAD_VALUE, "%s must not be empty", key);
    memcpy(dst, s, n + 1);
    *len = n;
    return PROTO_OK;
}

static int letters(const char *s, size_t n, char lo, char hi)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < lo || s[i] > hi)
            return 0;
    return 1;
}

static int topic_key(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
            return 0;
    return 1;
}

static proto_error profile_langs(proto__ctx *c, const cJSON *root,
                                 proto_profile_save *p)
{
    const cJSON *arr = NULL;
    proto_error e = proto__array(c, root, "langs", NULL, 0, PROTO_PROFILE_LANGS,
                                 &arr, &p->has_langs);
    if (e != PROTO_OK || !p->has_langs)
        return e;
    for (const cJSON *it = arr->child; it != NULL; it = it->next) {
        if (!cJSON_IsString(it))
            return proto__fail(c, PROTO_ERR_WRONG_TYPE,
                               "langs must hold strings");
        size_t n = strlen(it->valuestring);
        if (n < 2 || n > 3 || !letters(it->valuestring, n, 'a', 'z'))
            return proto__fail(c, PROTO_ERR_BAD_VALUE,
                               "langs entries must be 2 or 3 of a-z");
        for (int i = 0; i < p->nlangs; i++)
            if (!strcmp(p->langs[i], it->valuestring))
                return proto__fail(c, PROTO_ERR_BAD_VALUE,
                                   "langs names \"%s\" twice", p->langs[i]);
        memcpy(p->langs[p->nlangs++], it->valuestring, n + 1);
    }
    return PROTO_OK;
}

/* One entry of profile_save.marks. */
static proto_error mark_entry(proto__ctx *c, const cJSON *it,
                              proto_topic_mark *out)
{
    const char *key = it->string ? it->string : "";
    size_t n = strlen(key);
    int v;
    if (n < 1 || n > PROTO_TOPIC_KEY || !topic_key(key, n))
        return proto__fail(c, PROTO_ERR_BAD_VALUE,
                           "marks keys must be 1 to 32 of a-z and _");
    if (!cJSON_IsString(it))
        return proto__fail(c, PROTO_ERR_WRONG_TYPE,
                           "marks[\"%s\"] must be a string", key);
    if (lookup_name(it->valuestring, strlen(it->valuestring), marks,
                    COUNT(marks), &v) != 0)
        return proto__fail(c, PROTO_ERR_BAD_VALUE,
                           "marks[\"%s\"] must be \"none\", \"need\", "
                           "\"offer\" or \"both\"",
                           key);
    memcpy(out->topic, key, n + 1);
    out->mark = (proto_mark)v;
    return PROTO_OK;
}

static proto_error profile_marks(proto__ctx *c, const cJSON *root,
                                 proto_profile_save *p)
{
    const cJSON *obj = NULL;
    proto_error e = proto__object(c, root, "marks", NULL, 1,
                                  PROTO_PROFILE_MARKS, &obj, NULL);
    if (e != PROTO_OK)
        return e;
    for (const cJSON *it = obj->child; it != NULL; it = it->next) {
        proto_topic_mark *m = &p->marks[p->nmarks];
        e = mark_entry(c, it, m);
        if (e != PROTO_OK)
            return e;
        for (int i = 0; i < p->nmarks; i++)
            if (!strcmp(p->marks[i].topic, m->topic))
                return proto__fail(c, PROTO_ERR_BAD_VALUE,
                                   "marks names \"%s\" twice", m->topic);
        p->nmarks++;
    }
    return PROTO_OK;
}

proto_error proto__parse_PROFILE_SAVE(proto__ctx *c, const cJSON *root,
                                      proto_msg *m)
{
    proto_profile_save *p = &m->u.profile_save;
    const char *s = NULL;
    size_t n = 0;
    int present = 0, stage = 0;
    proto_error e = one_of(c, root, "stage", 1, stages, COUNT(stages), &stage);
    p->stage = (proto_profile_stage)stage;
    if (e == PROTO_OK)
        e = proto__str(c, root, "country", NULL, 0, 2, &s, &n, &present);
    if (e == PROTO_OK && present) {
        if (n != 2 || !letters(s, 2, 'A', 'Z'))
            return proto__fail(c, PROTO_ERR_BAD_VALUE,
                               "country must be 2 of A-Z");
        memcpy(p->country, s, 3);
    }
    if (e == PROTO_OK)
        e = profile_langs(c, root, p);
    if (e == PROTO_OK)
        e = profile_marks(c, root, p);
    if (e == PROTO_OK)
        e = text(c, root, "text", 0, PROTO_PROFILE_TEXT, p->text, &p->text_len);
    return e;
}

proto_error proto__parse_PROFILE_GET(proto__ctx *c, const cJSON *root,
                                     proto_msg *m)
{
    return proto__id(c, root, "user", NULL, 0, m->u.profile_get.user);
}

/* The messages that carry nothing but their type and ref. */
static proto_error bare(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    (void)c;
    (void)root;
    (void)m;
    return PROTO_OK;
}

proto_error proto__parse_PROFILE_LIST(proto__ctx *c, const cJSON *root,
                                      proto_msg *m)
{
    return bare(c, root, m);
}

proto_error proto__parse_ROUND_PROPOSE(proto__ctx *c, const cJSON *root,
                                       proto_msg *m)
{
    proto_round_propose *p = &m->u.round_propose;
    int mode = 0;
    int64_t size = 0;
    proto_error e = one_of(c, root, "mode", 1, modes, COUNT(modes), &mode);
    p->mode = (proto_round_mode)mode;
    if (e == PROTO_OK)
        e = proto__int(c, root, "group_size", NULL, 1, 2, 4, &size, NULL);
    p->group_size = (int)size;
    if (e == PROTO_OK)
        e = proto__int(c, root, "duration_ms", NULL, 1, PROTO_ROUND_MIN_MS,
                       PROTO_ROUND_MAX_MS, &p->duration_ms, NULL);
    if (e == PROTO_OK)
        e = proto__int(c, root, "seed", NULL, 0, 0, PROTO__INT_LIMIT, &p->seed,
                       &p->has_seed);
    return e;
}

proto_error proto__parse_ROUND_MOVE(proto__ctx *c, const cJSON *root,
                                    proto_msg *m)
{
    int64_t group = 0;
    proto_error e = proto__id(c, root, "user", NULL, 1, m->u.round_move.user);
    if (e == PROTO_OK)
        e = proto__int(c, root, "group", NULL, 1, -1, PROTO_ROUND_GROUPS - 1,
                       &group, NULL);
    m->u.round_move.group = (int32_t)group;
    return e;
}

proto_error proto__parse_ROUND_SWAP(proto__ctx *c, const cJSON *root,
                                    proto_msg *m)
{
    proto_error e = proto__id(c, root, "a", NULL, 1, m->u.round_swap.a);
    if (e == PROTO_OK)
        e = proto__id(c, root, "b", NULL, 1, m->u.round_swap.b);
    if (e == PROTO_OK && !strcmp(m->u.round_swap.a, m->u.round_swap.b))
        return proto__fail(c, PROTO_ERR_BAD_VALUE,
                           "a and b must be two different people");
    return e;
}

proto_error proto__parse_ROUND_OPEN(proto__ctx *c, const cJSON *root,
                                    proto_msg *m)
{
    return bare(c, root, m);
}

proto_error proto__parse_ROUND_EXTEND(proto__ctx *c, const cJSON *root,
                                      proto_msg *m)
{
    return proto__int(c, root, "ms", NULL, 1, PROTO_ROUND_MIN_MS,
                      PROTO_ROUND_EXTEND_MAX, &m->u.round_extend.ms, NULL);
}

proto_error proto__parse_ROUND_CLOSE(proto__ctx *c, const cJSON *root,
                                     proto_msg *m)
{
    return bare(c, root, m);
}

proto_error proto__parse_ROUND_PLACE(proto__ctx *c, const cJSON *root,
                                     proto_msg *m)
{
    proto_error e = proto__id(c, root, "user", NULL, 1, m->u.round_place.user);
    if (e == PROTO_OK)
        e = proto__id(c, root, "room", NULL, 1, m->u.round_place.room);
    return e;
}

proto_error proto__parse_ROUND_GET(proto__ctx *c, const cJSON *root,
                                   proto_msg *m)
{
    return bare(c, root, m);
}

proto_error proto__parse_BROADCAST(proto__ctx *c, const cJSON *root,
                                   proto_msg *m)
{
    proto_broadcast *b = &m->u.broadcast;
    proto_error e = proto__id(c, root, "id", NULL, 1, b->id);
    if (e == PROTO_OK)
        e = text(c, root, "text", 1, PROTO_BROADCAST_TEXT, b->text,
                 &b->text_len);
    return e;
}

proto_error proto__parse_HELP_ASK(proto__ctx *c, const cJSON *root,
                                  proto_msg *m)
{
    return text(c, root, "text", 0, PROTO_HELP_TEXT, m->u.help_ask.text,
                &m->u.help_ask.text_len);
}

proto_error proto__parse_HELP_RESOLVE(proto__ctx *c, const cJSON *root,
                                      proto_msg *m)
{
    return proto__int(c, root, "request", NULL, 1, 1, PROTO__INT_LIMIT,
                      &m->u.help_resolve.request, NULL);
}

proto_error proto__parse_VISIT(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    return proto__id(c, root, "room", NULL, 1, m->u.visit.room);
}

proto_error proto__parse_VISIT_LEAVE(proto__ctx *c, const cJSON *root,
                                     proto_msg *m)
{
    return bare(c, root, m);
}

proto_error proto__parse_BREAKOUT_NOTE(proto__ctx *c, const cJSON *root,
                                       proto_msg *m)
{
    proto_breakout_note *n = &m->u.breakout_note;
    proto_error e = proto__id(c, root, "id", NULL, 1, n->id);
    if (e == PROTO_OK)
        e = text(c, root, "text", 1, PROTO_MAX_BREAKOUT_NOTE, n->text,
                 &n->text_len);
    return e;
}

proto_error proto__parse_COVERAGE(proto__ctx *c, const cJSON *root,
                                  proto_msg *m)
{
    return one_of(c, root, "format", 0, formats, COUNT(formats),
                  &m->u.coverage.csv);
}
