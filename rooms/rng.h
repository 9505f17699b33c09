/* rng: a small seeded pseudo-random generator for the pure domain
 * (xoshiro256** seeded through splitmix64). rooms/ never calls rand() or
 * reads a clock: callers pass a seed, and the same seed always gives the
 * same sequence on every platform. Not for cryptographic use. */
#ifndef KOPA_ROOMS_RNG_H
#define KOPA_ROOMS_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
} rng;

/* Seeds r from a 64-bit seed; every seed (0 included) gives a valid,
 * distinct stream. */
void rng_seed(rng *r, uint64_t seed);

/* Returns the next 64 uniformly distributed bits. */
uint64_t rng_next(rng *r);

/* Returns a uniform integer in [0, bound) without modulo bias; returns 0
 * when bound is 0. */
uint64_t rng_below(rng *r, uint64_t bound);

/* Shuffles a[0..n) in place (Fisher-Yates). */
void rng_shuffle(rng *r, int32_t *a, size_t n);

/* A stateless 64-bit mixing function (the splitmix64 finaliser): a good
 * hash of x, for deriving per-item values from a seed without a stream. */
uint64_t rng_mix(uint64_t x);

#endif
