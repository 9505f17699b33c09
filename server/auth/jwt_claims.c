/* jwt_claims.c: the rules for Kopa's token claims and their JSON form.
 * jwt.c calls it to read a verified payload and to write a minted one; the
 * token command and the app call jwt_claims_check and
 * jwt_claims_allows_session. One set of rules serves minting and
 * verifying, so a token Kopa mints is always one Kopa accepts. */
#include "server/auth/jwt_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const roles[] = {"coordinator", "expert", "entrepreneur"};

void *jwt__need(void *x)
{
    if (x == NULL)
        abort();
    return x;
}

int jwt__member(const cJSON *obj, const char *key, const cJSON **item)
{
    const cJSON *it;

    *item = NULL;
    cJSON_ArrayForEach(it, obj)
    {
        if (it->string == NULL || strcmp(it->string, key) != 0)
            continue;
        if (*item != NULL)
            return -1;
        *item = it;
    }
    return 0;
}

/* Returns 1 if s (n bytes) is 1..max bytes from [A-Za-z0-9] plus the
 * characters in extra. */
static int is_id(const char *s, size_t n, size_t max, const char *extra)
{
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        int ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                 (ch >= '0' && ch <= '9') ||
                 (ch != '\0' && strchr(extra, ch) != NULL);
        if (!ok)
            return 0;
    }
    return 1;
}

/* Returns 1 if the C string s is min..max bytes, all in [lo, hi]. */
static int is_letters(const char *s, size_t min, size_t max, char lo, char hi)
{
    size_t n = strlen(s);

    if (n < min || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < lo || s[i] > hi)
            return 0;
    return 1;
}

/* Returns 1 if s (n bytes) is well-formed UTF-8 (no overlongs, surrogates
 * or code points past U+10FFFF) free of C0, DEL and C1 control characters. */
static int is_text(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint32_t cp = s[i];
        size_t k = cp < 0x80                  ? 0
                   : cp >= 0xC2 && cp <= 0xDF ? 1
                   : cp >= 0xE0 && cp <= 0xEF ? 2
                   : cp >= 0xF0 && cp <= 0xF4 ? 3
                                              : 9;
        if (k == 9 || i + k >= n)
            return 0;
        if (k > 0)
            cp &= 0x3Fu >> k;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + j] & 0x3Fu);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return 0;
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
            return 0;
        i += k + 1;
    }
    return 1;
}

/* True if the fixed-size array field f holds a NUL. */
#define TERMINATED(f) (memchr((f), '\0', sizeof(f)) != NULL)

static int check_sessions(const jwt_claims *c)
{
    if (c->nsessions < 1 || c->nsessions > JWT_MAX_SESSIONS)
        return 0;
    for (int i = 0; i < c->nsessions; i++) {
        const char *s = c->sessions[i];
        if (!TERMINATED(c->sessions[i]))
            return 0;
        if (c->nsessions == 1 && strcmp(s, "*") == 0)
            return 1;
        if (!is_id(s, strlen(s), 64, "_-"))
            return 0;
    }
    return 1;
}

jwt_error jwt_claims_check(const jwt_claims *c)
{
    int role_ok = 0;

    if (!TERMINATED(c->sub) || !TERMINATED(c->name) || !TERMINATED(c->role) ||
        !TERMINATED(c->country))
        return JWT_BAD_CLAIMS;
    if (!is_id(c->sub, strlen(c->sub), 64, "_.-") || c->name[0] == '\0' ||
        !is_text((const unsigned char *)c->name, strlen(c->name)))
        return JWT_BAD_CLAIMS;
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        role_ok |= strcmp(c->role, roles[i]) == 0;
    if (!role_ok)
        return JWT_BAD_CLAIMS;
    if (c->country[0] != '\0' && !is_letters(c->country, 2, 2, 'A', 'Z'))
        return JWT_BAD_CLAIMS;
    if (c->nlangs < 0 || c->nlangs > JWT_MAX_LANGS)
        return JWT_BAD_CLAIMS;
    for (int i = 0; i < c->nlangs; i++)
        if (!TERMINATED(c->langs[i]) ||
            !is_letters(c->langs[i], 2, 8, 'a', 'z'))
            return JWT_BAD_CLAIMS;
    if (!check_sessions(c))
        return JWT_BAD_CLAIMS;
    if (c->exp < 1 || c->exp > JWT_MAX_TIME || c->iat < 0 ||
        c->iat > JWT_MAX_TIME || c->nbf < 0 || c->nbf > JWT_MAX_TIME)
        return JWT_BAD_CLAIMS;
    return JWT_OK;
}

int jwt_claims_allows_session(const jwt_claims *c, const char *session_id,
                              size_t len)
{
    if (session_id == NULL || !is_id(session_id, len, 64, "_-"))
        return 0;
    if (c->nsessions == 1 && strcmp(c->sessions[0], "*") == 0)
        return 1;
    for (int i = 0; i < c->nsessions && i < JWT_MAX_SESSIONS; i++)
        if (strlen(c->sessions[i]) == len &&
            memcmp(c->sessions[i], session_id, len) == 0)
            return 1;
    return 0;
}

/* Copies the string item into dst (cap bytes with the NUL). An absent item
 * leaves dst empty. Returns 0, or -1 if item is not a string or too long. */
static int read_str(const cJSON *item, char *dst, size_t cap)
{
    size_t n;

    if (item == NULL)
        return 0;
    if (!cJSON_IsString(item) || item->valuestring == NULL)
        return -1;
    n = strlen(item->valuestring);
    if (n >= cap)
        return -1;
    memcpy(dst, item->valuestring, n + 1);
    return 0;
}

/* Reads a NumericDate that must be an integer in 0..JWT_MAX_TIME. An
 * absent item reads as 0. Returns 0 or -1. */
static int read_time(const cJSON *item, int64_t *out)
{
    double v;

    if (item == NULL)
        return 0;
    if (!cJSON_IsNumber(item))
        return -1;
    v = item->valuedouble;
    if (!(v >= 0 && v <= (double)JWT_MAX_TIME) || (double)(int64_t)v != v)
        return -1;
    *out = (int64_t)v;
    return 0;
}

/* Reads an array of at most max strings, each under cap bytes, into rows. */
static int read_list(const cJSON *arr, char *rows, size_t cap, int max,
                     int *count)
{
    const cJSON *it;

    if (!cJSON_IsArray(arr))
        return -1;
    *count = 0;
    cJSON_ArrayForEach(it, arr)
    {
        if (*count == max || read_str(it, rows + cap * (size_t)*count, cap))
            return -1;
        (*count)++;
    }
    return 0;
}

jwt_error jwt__claims_from_json(const cJSON *p, jwt_claims *c)
{
    const cJSON *sub, *name, *role, *country, *langs, *sess, *iat, *exp, *nbf;

    memset(c, 0, sizeof(*c));
    if (jwt__member(p, "sub", &sub) || jwt__member(p, "name", &name) ||
        jwt__member(p, "role", &role) || jwt__member(p, "country", &country) ||
        jwt__member(p, "langs", &langs) || jwt__member(p, "sessions", &sess) ||
        jwt__member(p, "iat", &iat) || jwt__member(p, "exp", &exp) ||
        jwt__member(p, "nbf", &nbf))
        return JWT_BAD_CLAIMS;
    if (sub == NULL || name == NULL || role == NULL || sess == NULL ||
        exp == NULL)
        return JWT_BAD_CLAIMS;
    if (read_str(sub, c->sub, sizeof(c->sub)) ||
        read_str(name, c->name, sizeof(c->name)) ||
        read_str(role, c->role, sizeof(c->role)) ||
        read_str(country, c->country, sizeof(c->country)))
        return JWT_BAD_CLAIMS;
    if (langs != NULL && read_list(langs, c->langs[0], sizeof(c->langs[0]),
                                   JWT_MAX_LANGS, &c->nlangs))
        return JWT_BAD_CLAIMS;
    if (cJSON_IsString(sess)) {
        if (strcmp(sess->valuestring, "*") != 0)
            return JWT_BAD_CLAIMS;
        memcpy(c->sessions[0], "*", 2);
        c->nsessions = 1;
    } else if (read_list(sess, c->sessions[0], sizeof(c->sessions[0]),
                         JWT_MAX_SESSIONS, &c->nsessions) ||
               (c->nsessions == 1 && strcmp(c->sessions[0], "*") == 0)) {
        return JWT_BAD_CLAIMS; /* "*" travels only as a plain string */
    }
    if (read_time(iat, &c->iat) || read_time(exp, &c->exp) ||
        read_time(nbf, &c->nbf))
        return JWT_BAD_CLAIMS;
    return jwt_claims_check(c);
}

void jwt__claims_to_json(const jwt_claims *c, cJSON *o)
{
    cJSON *arr;

    jwt__need(cJSON_AddStringToObject(o, "sub", c->sub));
    jwt__need(cJSON_AddStringToObject(o, "name", c->name));
    jwt__need(cJSON_AddStringToObject(o, "role", c->role));
    if (c->country[0] != '\0')
        jwt__need(cJSON_AddStringToObject(o, "country", c->country));
    if (c->nlangs > 0) {
        arr = jwt__need(cJSON_AddArrayToObject(o, "langs"));
        for (int i = 0; i < c->nlangs; i++)
            cJSON_AddItemToArray(arr,
                                 jwt__need(cJSON_CreateString(c->langs[i])));
    }
    if (c->nsessions == 1 && strcmp(c->sessions[0], "*") == 0) {
        jwt__need(cJSON_AddStringToObject(o, "sessions", "*"));
    } else {
        arr = jwt__need(cJSON_AddArrayToObject(o, "sessions"));
        for (int i = 0; i < c->nsessions; i++)
            cJSON_AddItemToArray(arr,
                                 jwt__need(cJSON_CreateString(c->sessions[i])));
    }
    if (c->iat != 0)
        jwt__need(cJSON_AddNumberToObject(o, "iat", (double)c->iat));
    if (c->nbf != 0)
        jwt__need(cJSON_AddNumberToObject(o, "nbf", (double)c->nbf));
    jwt__need(cJSON_AddNumberToObject(o, "exp", (double)c->exp));
}
