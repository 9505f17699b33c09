/* hist: the load generator's latency histogram. Values below 64 us have a
 * bucket each; above, every power of two is split into 32 buckets. Called
 * by lg.c for every delivery and by scenario.c for the report. */
#include "hist.h"

#include <string.h>

#define SUB (1u << HIST_SUB_BITS)

static unsigned bucket_of(uint64_t v)
{
    if (v < 2 * SUB)
        return (unsigned)v;
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);
    unsigned e = msb - HIST_SUB_BITS;
    unsigned idx = 2 * SUB + (e - 1) * SUB + (unsigned)((v >> e) - SUB);
    return idx < HIST_BUCKETS ? idx : HIST_BUCKETS - 1;
}

/* The middle of bucket idx. */
static uint64_t value_of(unsigned idx)
{
    if (idx < 2 * SUB)
        return idx;
    unsigned e = (idx - 2 * SUB) / SUB + 1;
    uint64_t low = (uint64_t)((idx - 2 * SUB) % SUB + SUB) << e;
    return low + ((uint64_t)1 << e) / 2;
}

void hist_reset(hist *h)
{
    memset(h, 0, sizeof(*h));
}

void hist_add(hist *h, uint64_t us)
{
    h->buckets[bucket_of(us)]++;
    h->count++;
    if (us > h->max)
        h->max = us;
}

uint64_t hist_quantile(const hist *h, double q)
{
    if (h->count == 0)
        return 0;
    if (q >= 1.0)
        return h->max;
    uint64_t want = (uint64_t)(q * (double)h->count);
    uint64_t seen = 0;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        seen += h->buckets[i];
        if (seen > want) {
            uint64_t v = value_of(i);
            return v > h->max ? h->max : v;
        }
    }
    return h->max;
}
