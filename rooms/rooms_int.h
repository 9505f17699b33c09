/* rooms_int.h: small helpers shared by the rooms/ modules. Internal: no
 * file outside rooms/ includes it, and no public header exposes it.
 *
 * Text checks: user ids, titles and comments in rooms/ are byte strings
 * without control characters (C0 and DEL; tab, CR and LF are allowed only
 * where a module says multiline). The copies zero-fill the rest of the
 * destination, so that equal states are equal bytes.
 *
 * Arrays: growable arrays are a pointer, a count and a capacity in the
 * module's own struct. The functions that may move an array take the
 * address of its pointer (a `T **` passed as `void *`, the way qsort takes
 * elements) and the element size. */
#ifndef KOPA_ROOMS_ROOMS_INT_H
#define KOPA_ROOMS_ROOMS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why an array could not take one more element. */
typedef enum rooms__err {
    ROOMS__OK = 0,
    ROOMS__FULL, /* the module's limit is reached */
    ROOMS__NOMEM
} rooms__err;

/* ---- text --------------------------------------------------------------- */

/* True when s[0..len) holds no control character (NUL included); tab, CR
 * and LF pass when multiline. */
bool rooms__chars_ok(const char *s, size_t len, bool multiline);

/* True when the string s (NULL counts as "") is min..max bytes long and
 * passes rooms__chars_ok(). Reads at most max + 1 bytes of s. */
bool rooms__text_ok(const char *s, size_t min, size_t max, bool multiline);

/* Copies len bytes of src into dst (cap bytes, len < cap) and zero-fills
 * the rest. */
void rooms__set_bytes(char *dst, size_t cap, const char *src, size_t len);

/* Copies the string src (NULL counts as "", strlen(src) < cap) into dst
 * and zero-fills the rest. */
void rooms__set_text(char *dst, size_t cap, const char *src);

/* The index of key[0..len) in keys[0..n), or -1 (also when key is NULL). */
int rooms__key_index(const char *const *keys, int n, const char *key,
                     size_t len);

/* ---- arrays ------------------------------------------------------------- */

/* Makes room for element n (one more) in the array *arrp of elements of
 * size bytes with capacity *cap: the capacity doubles, starting at first,
 * and never exceeds max. Returns ROOMS__OK, ROOMS__FULL (n >= max) or
 * ROOMS__NOMEM; on failure the array is unchanged. */
rooms__err rooms__reserve(void *arrp, size_t size, size_t n, size_t *cap,
                          size_t max, size_t first);

/* Sets *dstp to a new copy of the n elements of size bytes at src, NULL
 * when n is 0. Returns ROOMS__OK or ROOMS__NOMEM (*dstp then NULL). */
rooms__err rooms__dup(void *dstp, const void *src, size_t n, size_t size);

/* ---- vote sets ------------------------------------------------------------
 * The voters of one stage question or one topic: an array of n records of
 * size bytes (struct stage_voter, struct topics_voter), each a NUL-padded
 * user id. One vote per user; the order of votes is not kept. */

/* The index of user's vote, or -1. */
long rooms__vote_index(const void *voters, uint32_t n, size_t size,
                       const char *user);

/* Appends user's vote (user must pass the module's checks, be shorter than
 * size and not have voted). *votersp is the array, *n its count, *cap its
 * capacity (doubling from 4). Returns ROOMS__OK or ROOMS__NOMEM (nothing
 * changed). */
rooms__err rooms__vote_add(void *votersp, uint32_t *n, uint32_t *cap,
                           size_t size, const char *user);

/* Removes vote i by moving the last vote into its place. */
void rooms__vote_drop(void *voters, uint32_t *n, size_t size, uint32_t i);

/* ---- ranking ---------------------------------------------------------------
 * Lists shown in rank order (questions, topics, sessions) are written to a
 * caller's array of at most max pointers. When everything fits, the module
 * sorts the pointers with qsort; otherwise it takes the first max by
 * repeated selection with rooms__next_ranked(), without allocating. */

/* Compares two items (not pointers to them): a strict total order. */
typedef int (*rooms__rank_cb)(const void *a, const void *b);
/* Tells whether item takes part; data is the caller's. */
typedef bool (*rooms__keep_cb)(const void *item, const void *data);

/* Among the n items of size bytes at items that keep accepts (keep NULL:
 * all), returns the one ranked first after prev (prev NULL: the first of
 * all), or NULL when none is left. */
const void *rooms__next_ranked(const void *items, size_t n, size_t size,
                               const void *prev, rooms__rank_cb rank,
                               rooms__keep_cb keep, const void *data);

#endif
