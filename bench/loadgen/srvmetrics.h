/* srvmetrics: reads a server's Prometheus text (GET /metrics) for the
 * scenarios that report the server's own counters next to what the load
 * generator saw. Loopback only; blocking, with a short timeout. */
#ifndef KOPA_BENCH_SRVMETRICS_H
#define KOPA_BENCH_SRVMETRICS_H

#include <stddef.h>

/* Fetches http://host:port/metrics (host a 127.x.y.z address), waiting at
 * most timeout_ms. Returns the body (NUL-terminated, the caller frees it;
 * its length in *len), or NULL when the server did not answer 200. */
char *srvmetrics_fetch(const char *host, int port, int timeout_ms, size_t *len);

/* The sum of the samples of metric name in body (len bytes) whose labels
 * contain label (NULL: every sample). Returns -1 when there is none. */
double srvmetrics_sum(const char *body, size_t len, const char *name,
                      const char *label);

#endif
