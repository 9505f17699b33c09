/* rng: xoshiro256** with splitmix64 seeding, written from the published
 * descriptions of both generators. Called by the pairing engine (random
 * mode, tie-breaks, local-search order) and by tests. */
#include "rooms/rng.h"

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

void rng_seed(rng *r, uint64_t seed)
{
    /* splitmix64: add the golden-ratio increment, then mix. It never
     * yields four zero words, which xoshiro must avoid. */
    for (int i = 0; i < 4; i++) {
        seed += 0x9e3779b97f4a7c15ULL;
        r->s[i] = rng_mix(seed);
    }
}

uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

uint64_t rng_below(rng *r, uint64_t bound)
{
    if (bound == 0)
        return 0;
    /* Reject the top partial block so every residue is equally likely. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t x;
    do {
        x = rng_next(r);
    } while (x >= limit);
    return x % bound;
}

void rng_shuffle(rng *r, int32_t *a, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(r, i);
        int32_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}
