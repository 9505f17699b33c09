/* config: the server's settings from flags and KOPA_* environment
 * variables (flags win), with defaults. See README.md for the table. */
#ifndef KOPA_CONFIG_H
#define KOPA_CONFIG_H

#include <stddef.h>

typedef struct config {
    const char *host;
    int port;
    char redis_host[256];
    int redis_port;
    char *secret; /* heap; wiped and freed by config_free */
    size_t secret_len;
    const char *web_root;
    const char *origins;
    char node_id[65];
    const char *issuer, *audience;
    double rate, burst;
    unsigned auth_timeout_ms, redis_timeout_ms;
    size_t store_queue_max;
    long stream_maxlen;
    unsigned flush_ms;     /* write coalescing delay (app_config.flush_ms) */
    unsigned keepalive_ms; /* net_config.keepalive_ms */
    const char *recordings_dir; /* where audio recordings go */
    const char *network;        /* profiles' and pair history's network id */
    int audio_speakers;         /* K: loudest speakers mixed per room */
    int log_level;              /* 0 error .. 3 debug */
} config;

/* Fills cfg from argv (after the optional "serve" word) and the
 * environment. Returns 0; 1 when --help was printed; -1 after printing an
 * error to stderr. */
int config_load(config *cfg, int argc, char **argv);
void config_free(config *cfg);

#endif
