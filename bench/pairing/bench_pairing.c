/* bench_pairing: times pairing_plan_make() for cohorts of 30, 200 and
 * 1,000 people (four countries, English plus their own language, random
 * needs and offers, three earlier rounds in the history), for optimal
 * pairs and for groups of 4. Prints one CSV line per size with the
 * median over several runs. The clock is read here, never in rooms/.
 *
 *   bench_pairing [--sizes 30,200,1000] [--runs N]
 *
 * Target (docs/DESIGN): 200 people, optimal pairs, under 50 ms. */
#include "rooms/pairing.h"
#include "rooms/rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int make_people(profile *pp, size_t n, uint64_t seed)
{
    static const char *const cc[] = {"SE", "EE", "LV", "LT"};
    static const char *const own[] = {"sv", "et", "lv", "lt"};
    rng r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++) {
        char id[32];
        int c = (int)(i % 4);
        int len = snprintf(id, sizeof(id), "%s-%zu", cc[c], i);
        profile_init(&pp[i]);
        if (profile_set_user_id(&pp[i], id, (size_t)len) ||
            profile_set_country(&pp[i], cc[c], 2) ||
            profile_add_language(&pp[i], own[c], 2) ||
            profile_add_language(&pp[i], "en", 2) ||
            (c > 0 && rng_below(&r, 3) == 0 &&
             profile_add_language(&pp[i], "ru", 2)))
            return -1;
        for (int t = 0; t < PROFILE_TOPIC_COUNT; t++)
            pp[i].marks[t] = (uint8_t)(rng_below(&r, 5) < 3 ? 0
                                       : rng_below(&r, 2)   ? PROFILE_MARK_NEED
                                                          : PROFILE_MARK_OFFER);
    }
    return 0;
}

/* Runs `runs` plans; writes the median and maximum time in ms. */
static int time_plans(const pairing_request *req, int runs, double *median,
                      double *max, pairing_share *share)
{
    double *t = malloc((size_t)runs * sizeof(*t));
    if (t == NULL)
        return -1;
    for (int k = 0; k < runs; k++) {
        pairing_plan *pl = NULL;
        double t0 = now_ms();
        pairing_error e = pairing_plan_make(req, &pl);
        t[k] = now_ms() - t0;
        if (e != PAIRING_OK) {
            fprintf(stderr, "bench_pairing: %s\n", pairing_strerror(e));
            free(t);
            return -1;
        }
        *share = pairing_plan_share(pl, req->people);
        pairing_plan_free(pl);
    }
    qsort(t, (size_t)runs, sizeof(*t), cmp_double);
    *median = t[runs / 2];
    *max = t[runs - 1];
    free(t);
    return 0;
}

/* Builds a history of three earlier rounds of optimal pairs. */
static int warm_history(pairing_request *req, pairing_history *h)
{
    for (int round = 1; round <= 3; round++) {
        pairing_plan *pl = NULL;
        req->seed = (uint64_t)round;
        if (pairing_plan_make(req, &pl) != PAIRING_OK ||
            pairing_history_add_plan(h, pl, req->people, round, round) !=
                PAIRING_OK) {
            pairing_plan_free(pl);
            return -1;
        }
        pairing_plan_free(pl);
    }
    req->history = h;
    req->seed = 42;
    return 0;
}

static int bench_size(size_t n, int runs)
{
    profile *pp = calloc(n, sizeof(*pp));
    pairing_history *h = pairing_history_new();
    double pm, px, gm, gx;
    pairing_share ps, gs;
    int rc = -1;
    if (pp == NULL || h == NULL || make_people(pp, n, n) < 0)
        goto done;
    pairing_request req = {.people = pp,
                           .n_people = n,
                           .mode = PAIRING_MODE_COMPLEMENTARY,
                           .group_size = 2,
                           .weights = pairing_weights_default(),
                           .unplaced = PAIRING_UNPLACED_LEAST_BAD};
    if (warm_history(&req, h) < 0 || time_plans(&req, runs, &pm, &px, &ps))
        goto done;
    req.group_size = 4;
    if (time_plans(&req, runs, &gm, &gx, &gs))
        goto done;
    printf("%zu,%d,%.3f,%.3f,%.1f,%.3f,%.3f,%.1f\n", n, runs, pm, px,
           ps.pairs ? 100.0 * (double)ps.cross_pairs / (double)ps.pairs : 0, gm,
           gx,
           gs.pairs ? 100.0 * (double)gs.cross_pairs / (double)gs.pairs : 0);
    fflush(stdout);
    rc = 0;
done:
    free(pp);
    pairing_history_free(h);
    return rc;
}

int main(int argc, char **argv)
{
    const char *sizes = "30,200,1000";
    int runs = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc)
            sizes = argv[++i];
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--sizes 30,200,1000] [--runs N]\n",
                    argv[0]);
            return 2;
        }
    }
    printf("people,runs,pairs_median_ms,pairs_max_ms,pairs_cross_pct,"
           "groups4_median_ms,groups4_max_ms,groups4_cross_pct\n");
    for (const char *s = sizes; *s;) {
        char *end;
        long n = strtol(s, &end, 10);
        if (end == s || n < 2 || n > PAIRING_MAX_PEOPLE) {
            fprintf(stderr, "bench_pairing: bad size list '%s'\n", sizes);
            return 2;
        }
        int r = runs > 0 ? runs : n >= 1000 ? 3 : 9;
        if (bench_size((size_t)n, r) < 0)
            return 1;
        s = *end == ',' ? end + 1 : end;
    }
    return 0;
}
