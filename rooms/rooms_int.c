/* rooms_int.c: the helpers of rooms_int.h that several rooms/ modules
 * share: text checks and copies, array growth and copies, vote sets, and
 * ranked selection. Called only by the files in rooms/. */
#include "rooms/rooms_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- text --------------------------------------------------------------- */

bool rooms__chars_ok(const char *s, size_t len, bool multiline)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ws = c == '\n' || c == '\r' || c == '\t';
        if ((c < 0x20 && !(multiline && ws)) || c == 0x7f)
            return false;
    }
    return true;
}

bool rooms__text_ok(const char *s, size_t min, size_t max, bool multiline)
{
    size_t n = s ? strnlen(s, max + 1) : 0;
    return n >= min && n <= max && rooms__chars_ok(s, n, multiline);
}

void rooms__set_bytes(char *dst, size_t cap, const char *src, size_t len)
{
    memset(dst, 0, cap);
    if (len)
        memcpy(dst, src, len);
}

void rooms__set_text(char *dst, size_t cap, const char *src)
{
    rooms__set_bytes(dst, cap, src, src ? strlen(src) : 0);
}

int rooms__key_index(const char *const *keys, int n, const char *key,
                     size_t len)
{
    if (!key)
        return -1;
    for (int i = 0; i < n; i++)
        if (strlen(keys[i]) == len && memcmp(keys[i], key, len) == 0)
            return i;
    return -1;
}

/* ---- arrays ------------------------------------------------------------- */

rooms__err rooms__reserve(void *arrp, size_t size, size_t n, size_t *cap,
                          size_t max, size_t first)
{
    void *old, *p;
    if (n >= max)
        return ROOMS__FULL;
    if (n < *cap)
        return ROOMS__OK;
    size_t c = *cap ? *cap * 2 : first;
    if (c > max)
        c = max;
    memcpy(&old, arrp, sizeof old);
    p = realloc(old, c * size);
    if (!p)
        return ROOMS__NOMEM;
    memcpy(arrp, &p, sizeof p);
    *cap = c;
    return ROOMS__OK;
}

rooms__err rooms__dup(void *dstp, const void *src, size_t n, size_t size)
{
    void *p = NULL;
    if (n) {
        p = malloc(n * size);
        if (p)
            memcpy(p, src, n * size);
    }
    memcpy(dstp, &p, sizeof p);
    return n && !p ? ROOMS__NOMEM : ROOMS__OK;
}

/* ---- vote sets ---------------------------------------------------------- */

long rooms__vote_index(const void *voters, uint32_t n, size_t size,
                       const char *user)
{
    const char *v = voters;
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(v + (size_t)i * size, user) == 0)
            return (long)i;
    return -1;
}

rooms__err rooms__vote_add(void *votersp, uint32_t *n, uint32_t *cap,
                           size_t size, const char *user)
{
    size_t c = *cap;
    char *v;
    if (rooms__reserve(votersp, size, *n, &c, UINT32_MAX, 4) != ROOMS__OK)
        return ROOMS__NOMEM;
    *cap = (uint32_t)c;
    memcpy(&v, votersp, sizeof v);
    rooms__set_text(v + (size_t)*n * size, size, user);
    (*n)++;
    return ROOMS__OK;
}

void rooms__vote_drop(void *voters, uint32_t *n, size_t size, uint32_t i)
{
    char *v = voters;
    if (i + 1 < *n)
        memcpy(v + (size_t)i * size, v + (size_t)(*n - 1) * size, size);
    (*n)--;
}

/* ---- ranking ------------------------------------------------------------ */

const void *rooms__next_ranked(const void *items, size_t n, size_t size,
                               const void *prev, rooms__rank_cb rank,
                               rooms__keep_cb keep, const void *data)
{
    const char *base = items;
    const void *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const void *c = base + i * size;
        if (keep && !keep(c, data))
            continue;
        if (prev && rank(c, prev) <= 0)
            continue; /* already taken */
        if (!best || rank(c, best) < 0)
            best = c;
    }
    return best;
}
