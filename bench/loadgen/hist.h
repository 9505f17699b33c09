/* hist: a log-linear histogram of latencies in microseconds (about 3 %
 * resolution), for percentiles without keeping every sample. */
#ifndef KOPA_BENCH_HIST_H
#define KOPA_BENCH_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 5
#define HIST_BUCKETS 1280

typedef struct hist {
    uint64_t count;
    uint64_t max;
    uint64_t buckets[HIST_BUCKETS];
} hist;

/* Empties h. */
void hist_reset(hist *h);
/* Records one value of us microseconds. */
void hist_add(hist *h, uint64_t us);
/* Returns the value at quantile q (0..1) in microseconds (the middle of its
 * bucket; the exact maximum for q >= 1), or 0 when h is empty. */
uint64_t hist_quantile(const hist *h, double q);

#endif
