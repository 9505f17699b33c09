/* profile: the self-assessment value type, its key tables, setters and
 * validation. Called by the pairing engine and, through the app layer, by
 * the handlers that store and read profiles. */
#include "rooms/profile.h"

#include "rooms/rooms_int.h"

#include <string.h>

static const char *const topic_keys[PROFILE_TOPIC_COUNT] = {
    "financing",     "impact_investment",  "public_sector", "corporate",
    "visibility",    "impact_measurement", "team_capacity", "legal_governance",
    "digital_tools", "new_markets",
};

static const char *const mark_keys[] = {"none", "need", "offer", "both"};

static const char *const stage_keys[PROFILE_STAGE_COUNT] = {"start", "middle",
                                                            "end"};

static const char *const error_text[] = {
    [PROFILE_OK] = "ok",
    [PROFILE_ERR_ID] = "user id must be 1-64 printable ASCII bytes",
    [PROFILE_ERR_NAME] = "display name must be at most 128 bytes of UTF-8 "
                         "text",
    [PROFILE_ERR_COUNTRY] = "country must be two letters",
    [PROFILE_ERR_LANGUAGE] = "language code must be 2-3 letters",
    [PROFILE_ERR_LANG_DUP] = "language listed twice",
    [PROFILE_ERR_LANG_FULL] = "too many languages",
    [PROFILE_ERR_TOPIC] = "unknown topic",
    [PROFILE_ERR_MARK] = "mark must be none, need, offer or both",
    [PROFILE_ERR_TEXT] = "free text must be at most 1000 bytes of UTF-8 "
                         "text",
    [PROFILE_ERR_STAGE] = "stage must be start, middle or end",
    [PROFILE_ERR_TIME] = "update time must not be negative",
};

const char *profile_strerror(profile_error e)
{
    if ((unsigned)e >= sizeof(error_text) / sizeof(error_text[0]))
        return "unknown error";
    return error_text[e];
}

const char *profile_topic_key(profile_topic t)
{
    return (unsigned)t < PROFILE_TOPIC_COUNT ? topic_keys[t] : NULL;
}

bool profile_topic_from_key(const char *key, size_t len, profile_topic *out)
{
    int i = rooms__key_index(topic_keys, PROFILE_TOPIC_COUNT, key, len);
    if (i >= 0)
        *out = (profile_topic)i;
    return i >= 0;
}

const char *profile_mark_key(profile_mark m)
{
    return (unsigned)m <= PROFILE_MARK_BOTH ? mark_keys[m] : NULL;
}

bool profile_mark_from_key(const char *key, size_t len, profile_mark *out)
{
    int i = rooms__key_index(mark_keys, 4, key, len);
    if (i >= 0)
        *out = (profile_mark)i;
    return i >= 0;
}

const char *profile_stage_key(profile_stage s)
{
    return (unsigned)s < PROFILE_STAGE_COUNT ? stage_keys[s] : NULL;
}

bool profile_stage_from_key(const char *key, size_t len, profile_stage *out)
{
    int i = rooms__key_index(stage_keys, PROFILE_STAGE_COUNT, key, len);
    if (i >= 0)
        *out = (profile_stage)i;
    return i >= 0;
}

void profile_init(profile *p)
{
    memset(p, 0, sizeof(*p));
    p->stage = PROFILE_STAGE_START;
}

/* Returns true when s[0..len) is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF) without NUL or control characters
 * other than the ones allow_ws admits (tab, newline, carriage return). */
static bool text_ok(const char *s, size_t len, bool allow_ws)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = u[i];
        if (c < 0x80) {
            bool ws = c == '\t' || c == '\n' || c == '\r';
            if ((c < 0x20 && !(allow_ws && ws)) || c == 0x7f)
                return false;
            i++;
            continue;
        }
        size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
        if (n == 0 || c > 0xf4 || c == 0xc0 || c == 0xc1 || i + n > len)
            return false;
        uint32_t cp = c & (0x3f >> (n - 1));
        for (size_t k = 1; k < n; k++) {
            if ((u[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (u[i + k] & 0x3f);
        }
        uint32_t min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        if (cp >= 0x80 && cp < 0xa0) /* C1 controls */
            return false;
        i += n;
    }
    return true;
}

static bool id_ok(const char *s, size_t len)
{
    if (len == 0 || len > PROFILE_ID_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < 0x21 || s[i] > 0x7e)
            return false;
    return true;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

profile_error profile_set_user_id(profile *p, const char *s, size_t len)
{
    if (s == NULL || !id_ok(s, len))
        return PROFILE_ERR_ID;
    memcpy(p->user_id, s, len);
    p->user_id[len] = '\0';
    return PROFILE_OK;
}

profile_error profile_set_name(profile *p, const char *s, size_t len)
{
    if (len > PROFILE_NAME_MAX || (len > 0 && s == NULL) ||
        !text_ok(s, len, false))
        return PROFILE_ERR_NAME;
    if (len > 0)
        memcpy(p->name, s, len);
    p->name[len] = '\0';
    return PROFILE_OK;
}

profile_error profile_set_country(profile *p, const char *s, size_t len)
{
    if (len == 0) {
        p->country[0] = '\0';
        return PROFILE_OK;
    }
    if (s == NULL || len != 2 || !is_alpha(s[0]) || !is_alpha(s[1]))
        return PROFILE_ERR_COUNTRY;
    p->country[0] = upper(s[0]);
    p->country[1] = upper(s[1]);
    p->country[2] = '\0';
    return PROFILE_OK;
}

profile_error profile_add_language(profile *p, const char *s, size_t len)
{
    char code[4] = {0};
    if (s == NULL || len < 2 || len > 3)
        return PROFILE_ERR_LANGUAGE;
    for (size_t i = 0; i < len; i++) {
        if (!is_alpha(s[i]))
            return PROFILE_ERR_LANGUAGE;
        code[i] = lower(s[i]);
    }
    for (unsigned i = 0; i < p->n_languages; i++)
        if (strcmp(p->languages[i], code) == 0)
            return PROFILE_ERR_LANG_DUP;
    if (p->n_languages >= PROFILE_LANGS_MAX)
        return PROFILE_ERR_LANG_FULL;
    memcpy(p->languages[p->n_languages++], code, sizeof(code));
    return PROFILE_OK;
}

profile_error profile_set_mark(profile *p, profile_topic t, profile_mark m)
{
    if ((unsigned)t >= PROFILE_TOPIC_COUNT)
        return PROFILE_ERR_TOPIC;
    if ((unsigned)m > PROFILE_MARK_BOTH)
        return PROFILE_ERR_MARK;
    p->marks[t] = (uint8_t)m;
    return PROFILE_OK;
}

profile_error profile_set_text(profile *p, const char *s, size_t len)
{
    if (len > PROFILE_TEXT_MAX || (len > 0 && s == NULL) ||
        !text_ok(s, len, true))
        return PROFILE_ERR_TEXT;
    if (len > 0)
        memcpy(p->text, s, len);
    p->text[len] = '\0';
    return PROFILE_OK;
}

/* Length of the NUL-terminated string in a[0..cap), or cap when unended. */
static size_t bounded_len(const char *a, size_t cap)
{
    const char *z = memchr(a, '\0', cap);
    return z ? (size_t)(z - a) : cap;
}

static profile_error check_languages(const profile *p)
{
    if (p->n_languages > PROFILE_LANGS_MAX)
        return PROFILE_ERR_LANG_FULL;
    for (unsigned i = 0; i < p->n_languages; i++) {
        const char *c = p->languages[i];
        size_t n = bounded_len(c, sizeof(p->languages[i]));
        if (n < 2 || n > 3)
            return PROFILE_ERR_LANGUAGE;
        for (size_t k = 0; k < n; k++)
            if (c[k] < 'a' || c[k] > 'z')
                return PROFILE_ERR_LANGUAGE;
        for (unsigned j = 0; j < i; j++)
            if (strcmp(p->languages[j], c) == 0)
                return PROFILE_ERR_LANG_DUP;
    }
    return PROFILE_OK;
}

profile_error profile_validate(const profile *p)
{
    size_t n = bounded_len(p->user_id, sizeof(p->user_id));
    if (n == sizeof(p->user_id) || !id_ok(p->user_id, n))
        return PROFILE_ERR_ID;
    n = bounded_len(p->name, sizeof(p->name));
    if (n == sizeof(p->name) || !text_ok(p->name, n, false))
        return PROFILE_ERR_NAME;
    n = bounded_len(p->country, sizeof(p->country));
    if (n != 0 && (n != 2 || p->country[0] < 'A' || p->country[0] > 'Z' ||
                   p->country[1] < 'A' || p->country[1] > 'Z'))
        return PROFILE_ERR_COUNTRY;
    profile_error e = check_languages(p);
    if (e != PROFILE_OK)
        return e;
    for (int t = 0; t < PROFILE_TOPIC_COUNT; t++)
        if (p->marks[t] > PROFILE_MARK_BOTH)
            return PROFILE_ERR_MARK;
    n = bounded_len(p->text, sizeof(p->text));
    if (n == sizeof(p->text) || !text_ok(p->text, n, true))
        return PROFILE_ERR_TEXT;
    if ((unsigned)p->stage >= PROFILE_STAGE_COUNT)
        return PROFILE_ERR_STAGE;
    if (p->updated_at_ms < 0)
        return PROFILE_ERR_TIME;
    return PROFILE_OK;
}

bool profile_needs(const profile *p, profile_topic t)
{
    return (unsigned)t < PROFILE_TOPIC_COUNT &&
           (p->marks[t] & PROFILE_MARK_NEED) != 0;
}

bool profile_offers(const profile *p, profile_topic t)
{
    return (unsigned)t < PROFILE_TOPIC_COUNT &&
           (p->marks[t] & PROFILE_MARK_OFFER) != 0;
}

int profile_shared_language(const profile *a, const profile *b)
{
    for (unsigned i = 0; i < a->n_languages && i < PROFILE_LANGS_MAX; i++)
        for (unsigned j = 0; j < b->n_languages && j < PROFILE_LANGS_MAX; j++)
            if (strcmp(a->languages[i], b->languages[j]) == 0)
                return (int)i;
    return -1;
}

void profile_compare(const profile *before, const profile *after,
                     profile_change *out)
{
    memset(out, 0, sizeof(*out));
    for (int t = 0; t < PROFILE_TOPIC_COUNT; t++) {
        unsigned b = before->marks[t] & 3u, a = after->marks[t] & 3u;
        out->before[t] = (uint8_t)b;
        out->after[t] = (uint8_t)a;
        if ((b & PROFILE_MARK_NEED) && !(a & PROFILE_MARK_NEED))
            out->needs_met++;
        if (!(b & PROFILE_MARK_NEED) && (a & PROFILE_MARK_NEED))
            out->needs_new++;
        if (!(b & PROFILE_MARK_OFFER) && (a & PROFILE_MARK_OFFER))
            out->offers_new++;
    }
}
