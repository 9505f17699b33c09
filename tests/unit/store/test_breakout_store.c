/* Tests of breakout_store against a real redis-server: a round saved and
 * loaded field by field (text with separators and bytes kept exactly), a
 * stale save never overwriting a newer one, the empty case, profiles with
 * their stage versions, and the pair history's records. */
#include "server/store/breakout_store.h"
#include "server/store/redis_client.h"
#include "tests/unit/store/redis_server.h"
#include "tests/unit/store/store_tests.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    uv_loop_t loop;
    uv_timer_t guard;
    int guard_fired;
    redis_server server;
    redis_client *client;
    int done;
    const char *err;
    /* what the last load or read saw, copied out of the callback */
    int found;
    char summary[4096];
} fixture;

static fixture *fx;

static void guard_cb(uv_timer_t *t)
{
    fx->guard_fired = 1;
    uv_stop(t->loop);
}

/* Runs the loop until fx->done reaches n (or 5 s pass). */
static void run_until(int n)
{
    uv_timer_start(&fx->guard, guard_cb, 5000, 0);
    while (fx->done < n && !fx->guard_fired)
        uv_run(&fx->loop, UV_RUN_ONCE);
    uv_timer_stop(&fx->guard);
    assert_false(fx->guard_fired);
}

static int setup(void **state)
{
    fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    uv_loop_init(&fx->loop);
    uv_timer_init(&fx->loop, &fx->guard);
    assert_int_equal(redis_server_init(&fx->server), 0);
    assert_int_equal(redis_server_start(&fx->server, 0), 0);
    assert_int_equal(redis_server_wait_ready(&fx->server, 5000), 0);
    redis_client_config cfg = {.host = "127.0.0.1", .port = fx->server.port};
    fx->client = redis_client_new(&fx->loop, &cfg);
    assert_non_null(fx->client);
    uv_timer_start(&fx->guard, guard_cb, 5000, 0); /* reads need a link */
    while (redis_client_get_state(fx->client) != REDIS_CLIENT_CONNECTED &&
           !fx->guard_fired)
        uv_run(&fx->loop, UV_RUN_ONCE);
    uv_timer_stop(&fx->guard);
    assert_false(fx->guard_fired);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    redis_client_free(fx->client);
    uv_close((uv_handle_t *)&fx->guard, NULL);
    uv_run(&fx->loop, UV_RUN_DEFAULT);
    uv_loop_close(&fx->loop);
    redis_server_cleanup(&fx->server);
    free(fx);
    fx = NULL;
    (void)state;
    return 0;
}

static void done_cb(const char *err, void *data)
{
    fx->err = err;
    fx->done++;
    (void)data;
}

/* Appends to the summary (what the assertions compare). */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    size_t n = strlen(fx->summary);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fx->summary + n, sizeof(fx->summary) - n, fmt, ap);
    va_end(ap);
}

static void round_cb(const breakout_store_round *r, const char *err, void *data)
{
    fx->err = err;
    fx->found = r != NULL;
    fx->summary[0] = '\0';
    if (r) {
        say("v%lld s%lld %s %s %d %lld %lld %lld %lld w%d h%lld|",
            (long long)r->version, (long long)r->seq, r->state, r->mode,
            r->group_size, (long long)r->duration_ms, (long long)r->seed,
            (long long)r->opened_ms, (long long)r->deadline_ms, r->warned,
            (long long)r->help_seq);
        for (size_t i = 0; i < r->npeople; i++)
            say("p:%s/%s/%s|", r->people[i].id, r->people[i].name,
                r->people[i].country);
        for (size_t i = 0; i < r->ngroups; i++) {
            const breakout_store_rgroup *g = &r->groups[i];
            say("g:%s/%s/%d/%lld/%.*s/", g->room, g->language, g->language_ok,
                (long long)g->score, (int)g->reasons_len, g->reasons);
            for (size_t j = 0; j < g->nmembers; j++)
                say("%s,", g->members[j]);
            say("|");
        }
        for (size_t i = 0; i < r->nunassigned; i++)
            say("u:%s/%s|", r->unassigned[i].a, r->unassigned[i].b);
        for (size_t i = 0; i < r->nvisits; i++)
            say("v:%s/%s|", r->visits[i].a, r->visits[i].b);
        for (size_t i = 0; i < r->nhelp; i++)
            say("h:%lld/%s/%s/%s/%lld|", (long long)r->help[i].id,
                r->help[i].user, r->help[i].room, r->help[i].text,
                (long long)r->help[i].ts);
        for (size_t i = 0; i < r->nnotes; i++)
            say("n:%s/%s/%s/%zu:%.*s/%lld|", r->notes[i].id, r->notes[i].room,
                r->notes[i].user, r->notes[i].text_len,
                (int)r->notes[i].text_len, r->notes[i].text,
                (long long)r->notes[i].ts);
        say("W:%.*s", (int)r->warnings_len, r->warnings);
    }
    fx->done++;
    (void)data;
}

static const char *const g1[] = {"u-a", "u-b"};
static const char *const g2[] = {"u-c", "u-d", "u-e"};

static breakout_store_round sample(int64_t version, const char *state)
{
    static const breakout_store_person people[] = {
        {"u-a", "Anna, \"A\"; x", "LV"}, {"u-b", "B", ""}};
    static const breakout_store_rgroup groups[] = {
        {"b2-1", g1, 2, "en", 1, 350, "[{\"kind\":\"random\"}]", 19},
        {"b2-2", g2, 3, "", 0, -5, "[]", 2}};
    static const breakout_store_pair un[] = {{"u-f", "manual"}};
    static const breakout_store_pair vis[] = {{"u-m", "b2-2"}};
    static const breakout_store_help help[] = {{3, "u-a", "b2-1", "stuck", 77}};
    static const breakout_store_note notes[] = {
        {"n1", "b2-1", "u-b", "line one\nline,two;\0three", 24, 88}};
    return (breakout_store_round){.version = version,
                                  .seq = 2,
                                  .state = state,
                                  .mode = "complementary",
                                  .group_size = 2,
                                  .duration_ms = 900000,
                                  .seed = 42,
                                  .opened_ms = 1000,
                                  .deadline_ms = 901000,
                                  .warned = 1,
                                  .help_seq = 3,
                                  .people = people,
                                  .npeople = 2,
                                  .groups = groups,
                                  .ngroups = 2,
                                  .unassigned = un,
                                  .nunassigned = 1,
                                  .warnings = "[{\"kind\":\"x\"}]",
                                  .warnings_len = 14,
                                  .visits = vis,
                                  .nvisits = 1,
                                  .help = help,
                                  .nhelp = 1,
                                  .notes = notes,
                                  .nnotes = 1};
}

#define SAMPLE_SUMMARY(v, state)                                               \
    "v" v " s2 " state " complementary 2 900000 42 1000 901000 w1 h3|"         \
    "p:u-a/Anna, \"A\"; x/LV|p:u-b/B/|"                                        \
    "g:b2-1/en/1/350/[{\"kind\":\"random\"}]/u-a,u-b,|"                        \
    "g:b2-2//0/-5/[]/u-c,u-d,u-e,|u:u-f/manual|v:u-m/b2-2|"                    \
    "h:3/u-a/b2-1/stuck/77|n:n1/b2-1/u-b/24:line one\nline,two;/88|"           \
    "W:[{\"kind\":\"x\"}]"

static void load(void)
{
    int before = fx->done;
    assert_int_equal(
        breakout_store_round_load(fx->client, "s1", round_cb, NULL), 0);
    run_until(before + 1);
    assert_null(fx->err);
}

static void round_roundtrip(void **state)
{
    load();
    assert_false(fx->found); /* nothing stored yet */
    breakout_store_round r = sample(5, "open");
    assert_int_equal(breakout_store_round_save(fx->client, "s1", &r), 0);
    load();
    assert_true(fx->found);
    /* The note's text holds a NUL byte: shown up to it, with its length. */
    assert_string_equal(fx->summary, SAMPLE_SUMMARY("5", "open"));
    (void)state;
}

static void round_versions(void **state)
{
    breakout_store_round r = sample(7, "planned");
    assert_int_equal(breakout_store_round_save(fx->client, "s1", &r), 0);
    breakout_store_round stale = sample(6, "open");
    stale.seq = 99;
    assert_int_equal(breakout_store_round_save(fx->client, "s1", &stale), 0);
    load();
    assert_string_equal(fx->summary, SAMPLE_SUMMARY("7", "planned"));
    breakout_store_round none = {
        .version = 8, .seq = 2, .state = "none", .mode = "random"};
    assert_int_equal(breakout_store_round_save(fx->client, "s1", &none), 0);
    load();
    assert_string_equal(fx->summary, "v8 s2 none random 0 0 0 0 0 w0 h0|W:");
    (void)state;
}

static void profiles_cb(const breakout_store_profile *p, size_t n,
                        const breakout_store_meetings *m, size_t nm,
                        const char *err, void *data)
{
    fx->err = err;
    fx->summary[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        say("%s:", p[i].user);
        for (size_t j = 0; j < p[i].nversions; j++) {
            const breakout_store_version *v = &p[i].versions[j];
            say("[%s %s %s %s %s %.*s %lld]", v->stage, v->name, v->country,
                v->langs, v->marks, (int)v->text_len, v->text,
                (long long)v->at_ms);
        }
        say("|");
    }
    for (size_t i = 0; i < nm; i++) {
        say("M %s/%lld@%lld", m[i].session, (long long)m[i].round,
            (long long)m[i].at_ms);
        for (size_t g = 0; g < m[i].ngroups; g++) {
            say(" (");
            for (size_t k = 0; k < m[i].groups[g].n; k++)
                say("%s=%s ", m[i].groups[g].members[k].id,
                    m[i].groups[g].members[k].country);
            say(")");
        }
        say("|");
    }
    fx->done++;
    (void)data;
}

static void read_profiles(const char *const *users, size_t n, int meetings)
{
    int before = fx->done;
    assert_int_equal(breakout_store_profiles(fx->client, "net1", users, n,
                                             meetings, profiles_cb, NULL),
                     0);
    run_until(before + 1);
    assert_null(fx->err);
}

static void profiles_and_history(void **state)
{
    breakout_store_version a1 = {"start",          "Anna",   "LV", "lv,en",
                                 "financing=need", "bakery", 6,    100};
    breakout_store_version a2 = {"end", "Anna", "LV", "lv", "", "", 0, 300};
    breakout_store_version b1 = {"middle",           "B", "", "",
                                 "visibility=offer", "x", 1,  200};
    assert_int_equal(breakout_store_profile_save(fx->client, "net1", "u-a", &a1,
                                                 done_cb, NULL),
                     0);
    assert_int_equal(breakout_store_profile_save(fx->client, "net1", "u-a", &a2,
                                                 done_cb, NULL),
                     0);
    assert_int_equal(breakout_store_profile_save(fx->client, "net1", "u-b", &b1,
                                                 done_cb, NULL),
                     0);
    run_until(3);
    assert_null(fx->err);
    const char *users[] = {"u-a", "u-nobody"};
    read_profiles(users, 2, 0);
    assert_string_equal(fx->summary,
                        "u-a:[start Anna LV lv,en financing=need bakery 100]"
                        "[end Anna LV lv   300]|");
    breakout_store_member m1[] = {{"u-a", "LV"}, {"u-b", ""}};
    breakout_store_member m2[] = {{"u-c", "SE"}, {"u-d", "EE"}, {"u-e", "LT"}};
    breakout_store_group groups[] = {{m1, 2}, {m2, 3}};
    breakout_store_meetings rec = {"s1", 4, 5000, groups, 2};
    assert_int_equal(breakout_store_meetings_add(fx->client, "net1", &rec), 0);
    read_profiles(NULL, 0, 1);
    /* SMEMBERS has no order: check each piece. */
    assert_non_null(strstr(fx->summary, "u-b:[middle B   visibility=offer x "
                                        "200]|"));
    assert_non_null(strstr(fx->summary, "u-a:[start Anna"));
    assert_non_null(strstr(fx->summary, "M s1/4@5000 (u-a=LV u-b= ) "
                                        "(u-c=SE u-d=EE u-e=LT )|"));
    read_profiles(NULL, 0, 0);
    assert_null(strstr(fx->summary, "M s1"));
    (void)state;
}

int breakout_store_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(round_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(round_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(profiles_and_history, setup, teardown),
    };
    return cmocka_run_group_tests_name("breakout_store", tests, NULL, NULL);
}
