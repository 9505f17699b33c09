/* Tests of redis_client and redis_uv against a real redis-server: round
 * trips, pipelining, refused connections, a hung (SIGSTOP) and a killed
 * Redis, the queue limit, and redis_client_free with pending commands.
 * The loop is driven with uv_run and timers, each run bounded by a guard. */
#include "server/store/redis_client.h"
#include "server/store/redis_uv.h"
#include "tests/unit/store/redis_server.h"
#include "tests/unit/store/store_tests.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hiredis/async.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CMDS 10000

typedef struct fixture {
    uv_loop_t loop;
    uv_timer_t guard;  /* bounds every run_until */
    uv_timer_t ticker; /* drives the timed scenarios */
    int guard_fired;
    redis_server server;
    redis_client *client;

    int expect;           /* write callbacks wanted by writes_done */
    int answered, failed; /* write callbacks with a reply / an err */
    int next_expected;    /* write callbacks must come in issue order */
    int out_of_order;
    int error_replies;
    int calls[MAX_CMDS]; /* callbacks per write index */
    long long ints[MAX_CMDS];
    const char *errs[MAX_CMDS];
    int write_rc_in_cb; /* what a write from a "closed" callback returned */

    int reads_done;
    const char *read_err;
    int reply_type; /* the last reply, of a read or a write */
    char reply_str[64];
    size_t reply_len;

    int saw_connected, state_changes;
    int ticks, tick_limit, stop_tick, cont_tick;
    int adapter_calls, adapter_status;
} fixture;

static fixture *fx; /* the running test's fixture, for the callbacks */

static void record_reply(const redisReply *reply)
{
    fx->reply_type = reply->type;
    fx->reply_len = 0;
    if (reply->type == REDIS_REPLY_STRING ||
        reply->type == REDIS_REPLY_STATUS || reply->type == REDIS_REPLY_ERROR) {
        fx->reply_len = reply->len < sizeof(fx->reply_str)
                            ? reply->len
                            : sizeof(fx->reply_str);
        memcpy(fx->reply_str, reply->str, fx->reply_len);
    }
}

static void write_cb(redis_client *c, const redisReply *reply, const char *err,
                     void *data)
{
    int i = (int)(intptr_t)data;

    fx->calls[i]++;
    if (i != fx->next_expected)
        fx->out_of_order++;
    fx->next_expected = i + 1;
    if ((reply == NULL) == (err == NULL))
        fx->out_of_order += 1000; /* exactly one must be set */
    if (err != NULL) {
        fx->failed++;
        fx->errs[i] = err;
        if (i == 0 && err == redis_client_strerror(REDIS_CLIENT_ERR_CLOSED)) {
            const char *argv[] = {"PING"};
            fx->write_rc_in_cb =
                redis_client_write(c, write_cb, NULL, 1, argv, NULL);
        }
        return;
    }
    fx->answered++;
    if (reply->type == REDIS_REPLY_INTEGER)
        fx->ints[i] = reply->integer;
    if (reply->type == REDIS_REPLY_ERROR)
        fx->error_replies++;
    record_reply(reply);
}

static void read_cb(redis_client *c, const redisReply *reply, const char *err,
                    void *data)
{
    (void)c;
    (void)data;
    fx->reads_done++;
    fx->read_err = err;
    if (reply != NULL)
        record_reply(reply);
}

static void state_cb(redis_client *c, redis_client_state state, void *data)
{
    (void)c;
    (void)data;
    fx->state_changes++;
    if (state == REDIS_CLIENT_CONNECTED)
        fx->saw_connected = 1;
}

static int writes_done(void)
{
    return fx->answered + fx->failed >= fx->expect;
}

static int never(void)
{
    return 0;
}

static int is_connected(void)
{
    return redis_client_get_state(fx->client) == REDIS_CLIENT_CONNECTED;
}

static int read_finished(void)
{
    return fx->reads_done > 0;
}

static int adapter_finished(void)
{
    return fx->adapter_calls > 0;
}

static void guard_cb(uv_timer_t *t)
{
    (void)t;
    fx->guard_fired = 1;
}

/* Runs the loop until done() or ms have passed; returns done(). */
static int run_until(int (*done)(void), uint64_t ms)
{
    fx->guard_fired = 0;
    uv_timer_start(&fx->guard, guard_cb, ms, 0);
    while (!done() && !fx->guard_fired)
        uv_run(&fx->loop, UV_RUN_ONCE);
    uv_timer_stop(&fx->guard);
    return done();
}

static void new_client(unsigned command_timeout_ms, size_t max_queue)
{
    redis_client_config cfg;

    memset(&cfg, 0, sizeof(cfg));
    cfg.host = "127.0.0.1";
    cfg.port = fx->server.port;
    cfg.connect_timeout_ms = 500;
    cfg.command_timeout_ms = command_timeout_ms;
    cfg.backoff_min_ms = 20;
    cfg.backoff_max_ms = 200;
    cfg.max_queue = max_queue;
    cfg.seed = 42;
    cfg.state_cb = state_cb;
    fx->client = redis_client_new(&fx->loop, &cfg);
    assert_non_null(fx->client);
}

static int write_args(int i, const char *a0, const char *a1, const char *a2,
                      const char *a3)
{
    const char *argv[] = {a0, a1, a2, a3};
    int argc = a3 != NULL ? 4 : a2 != NULL ? 3 : 2;
    return redis_client_write(fx->client, write_cb, (void *)(intptr_t)i, argc,
                              argv, NULL);
}

static int read_args(const char *a0, const char *a1)
{
    const char *argv[] = {a0, a1};
    return redis_client_read(fx->client, read_cb, NULL, a1 != NULL ? 2 : 1,
                             argv, NULL);
}

/* RPUSH key i, for i in [from, to), each as write number i. */
static void rpush_range(const char *key, int from, int to)
{
    for (int i = from; i < to; i++) {
        char v[16];
        snprintf(v, sizeof(v), "%d", i);
        assert_int_equal(write_args(i, "RPUSH", key, v, NULL), 0);
    }
}

/* Every write in [0, n) was answered once, in order, and key holds 0..n-1. */
static void check_list(const char *key, int n)
{
    redisContext *ctx = redis_server_connect(&fx->server);
    redisReply *r;

    assert_int_equal(fx->out_of_order, 0);
    assert_int_equal(fx->failed, 0);
    for (int i = 0; i < n; i++) {
        assert_int_equal(fx->calls[i], 1);
        assert_int_equal(fx->ints[i],
                         i + 1); /* RPUSH answered the new length */
    }
    assert_non_null(ctx);
    r = redisCommand(ctx, "LRANGE %s 0 -1", key);
    assert_non_null(r);
    assert_int_equal(r->type, REDIS_REPLY_ARRAY);
    assert_int_equal(r->elements, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(atoi(r->element[i]->str), i);
    freeReplyObject(r);
    redisFree(ctx);
}

static int fixture_setup(void **state, int start_redis)
{
    fixture *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    fx = f;
    *state = f;
    uv_loop_init(&f->loop);
    uv_timer_init(&f->loop, &f->guard);
    uv_timer_init(&f->loop, &f->ticker);
    if (redis_server_init(&f->server) != 0)
        goto fail;
    if (start_redis && (redis_server_start(&f->server, 0) != 0 ||
                        redis_server_wait_ready(&f->server, 10000) != 0))
        goto fail;
    return 0;

fail:
    fprintf(stderr, "could not start redis-server on port %d\n",
            f->server.port);
    redis_server_cleanup(&f->server);
    return -1;
}

static int setup_redis(void **state)
{
    return fixture_setup(state, 1);
}

static int setup_no_redis(void **state)
{
    return fixture_setup(state, 0);
}

/* Frees the client, lets every handle close, stops Redis; fails if the
 * loop still has handles (the client must release all of its own). */
static int teardown(void **state)
{
    fixture *f = *state;
    int rc = 0;

    redis_client_free(f->client);
    f->client = NULL;
    uv_close((uv_handle_t *)&f->guard, NULL);
    uv_close((uv_handle_t *)&f->ticker, NULL);
    for (int i = 0; i < 100 && uv_loop_alive(&f->loop); i++)
        uv_run(&f->loop, UV_RUN_NOWAIT);
    redis_server_cleanup(&f->server);
    if (uv_loop_close(&f->loop) != 0) {
        fprintf(stderr, "teardown: libuv handles left open\n");
        return -1; /* f stays allocated: live handles point into it */
    }
    free(f);
    fx = NULL;
    return rc;
}

static void test_set_get_roundtrip(void **state)
{
    const char *bin_argv[] = {"SET", "bin", "a\0b"};
    const size_t bin_len[] = {3, 3, 3};
    const char *get_argv[] = {"GET", "bin"};
    redis_client_stats st;

    (void)state;
    new_client(2000, 0);
    assert_true(run_until(is_connected, 5000));
    assert_true(fx->saw_connected);

    fx->expect = 1;
    assert_int_equal(write_args(0, "SET", "foo", "bar", NULL), 0);
    assert_int_equal(redis_client_queue_depth(fx->client), 1);
    assert_true(run_until(writes_done, 5000));
    assert_int_equal(fx->reply_type, REDIS_REPLY_STATUS);
    assert_memory_equal(fx->reply_str, "OK", 2);

    assert_int_equal(read_args("GET", "foo"), 0);
    assert_int_equal(fx->reads_done, 0); /* never inside the call */
    assert_true(run_until(read_finished, 5000));
    assert_null(fx->read_err);
    assert_int_equal(fx->reply_type, REDIS_REPLY_STRING);
    assert_int_equal(fx->reply_len, 3);
    assert_memory_equal(fx->reply_str, "bar", 3);

    /* Arguments are binary-safe. */
    fx->expect = 2;
    assert_int_equal(redis_client_write(fx->client, write_cb, (void *)1, 3,
                                        bin_argv, bin_len),
                     0);
    assert_true(run_until(writes_done, 5000));
    fx->reads_done = 0;
    assert_int_equal(
        redis_client_read(fx->client, read_cb, NULL, 2, get_argv, NULL), 0);
    assert_true(run_until(read_finished, 5000));
    assert_int_equal(fx->reply_len, 3);
    assert_memory_equal(fx->reply_str, "a\0b", 3);

    /* An error reply is an answer: passed through, not retried. */
    fx->expect = 3;
    assert_int_equal(write_args(2, "INCR", "foo", NULL, NULL), 0);
    assert_true(run_until(writes_done, 5000));
    assert_int_equal(fx->error_replies, 1);
    assert_int_equal(fx->reply_type, REDIS_REPLY_ERROR);
    assert_int_equal(fx->out_of_order, 0);
    assert_int_equal(redis_client_queue_depth(fx->client), 0);

    st = redis_client_get_stats(fx->client);
    assert_int_equal(st.commands_sent, 5);
    assert_int_equal(st.replies, 5);
    assert_int_equal(st.timeouts, 0);
    assert_int_equal(st.connects, 1);
}

static void test_pipeline_10000_in_order(void **state)
{
    (void)state;
    new_client(2000, 0);
    /* Issued at once, while still connecting: queued, then pipelined. */
    fx->expect = MAX_CMDS;
    rpush_range("list", 0, MAX_CMDS);
    assert_int_equal(redis_client_queue_depth(fx->client), MAX_CMDS);
    assert_true(run_until(writes_done, 20000));
    assert_int_equal(redis_client_queue_depth(fx->client), 0);
    check_list("list", MAX_CMDS);
    assert_int_equal(redis_client_get_stats(fx->client).resends, 0);
}

static void test_refused_then_server_starts(void **state)
{
    redis_client_stats st;

    (void)state;
    new_client(2000, 0);
    /* Nothing listens: the loop keeps turning, the client keeps trying. */
    run_until(never, 600);
    assert_false(fx->saw_connected);
    assert_int_not_equal(redis_client_get_state(fx->client),
                         REDIS_CLIENT_CONNECTED);
    st = redis_client_get_stats(fx->client);
    assert_true(st.reconnects >= 2);
    assert_int_equal(st.connects, 0);

    /* Reads fail fast, from the loop. */
    assert_int_equal(read_args("GET", "x"), 0);
    assert_int_equal(fx->reads_done, 0);
    assert_true(run_until(read_finished, 1000));
    assert_ptr_equal(fx->read_err,
                     redis_client_strerror(REDIS_CLIENT_ERR_DISCONNECTED));
    assert_string_equal(fx->read_err, "disconnected");

    /* Writes queue, and land in order once Redis is there. */
    fx->expect = 100;
    rpush_range("q", 0, 100);
    assert_int_equal(redis_client_queue_depth(fx->client), 100);
    run_until(never, 100);
    assert_int_equal(fx->answered + fx->failed, 0);
    assert_int_equal(redis_server_start(&fx->server, 0), 0);
    assert_true(run_until(writes_done, 10000));
    assert_true(fx->saw_connected);
    check_list("q", 100);
    assert_int_equal(redis_client_queue_depth(fx->client), 0);
}

/* Scenario clock for the SIGSTOP test: one ZADD per 50 ms tick. */
static void zadd_tick_cb(uv_timer_t *t)
{
    char score[16], member[16];
    int i = fx->ticks++;

    if (i == fx->stop_tick)
        redis_server_signal(&fx->server, SIGSTOP);
    if (i == fx->cont_tick)
        redis_server_signal(&fx->server, SIGCONT);
    snprintf(score, sizeof(score), "%d", i);
    snprintf(member, sizeof(member), "m%d", i);
    if (write_args(i, "ZADD", "z", score, member) != 0)
        fx->out_of_order += 1000000;
    if (fx->ticks == fx->tick_limit)
        uv_timer_stop(t);
}

static void check_zset(const char *key, int n)
{
    redisContext *ctx = redis_server_connect(&fx->server);
    redisReply *r;

    assert_non_null(ctx);
    r = redisCommand(ctx, "ZRANGE %s 0 -1 WITHSCORES", key);
    assert_non_null(r);
    assert_int_equal(r->type, REDIS_REPLY_ARRAY);
    assert_int_equal(r->elements, 2 * (size_t)n);
    for (int i = 0; i < n; i++) {
        char member[16];
        snprintf(member, sizeof(member), "m%d", i);
        assert_string_equal(r->element[2 * i]->str, member);
        assert_int_equal(atoi(r->element[2 * i + 1]->str), i);
    }
    freeReplyObject(r);
    redisFree(ctx);
}

static void test_sigstop_hung_redis(void **state)
{
    const int n = 80; /* 4 s of writes; Redis stopped from 0 s to about 3 s */
    redis_client_stats st;

    (void)state;
    new_client(1000, 0);
    assert_true(run_until(is_connected, 5000));

    /* A read sent to the hung Redis times out. */
    assert_int_equal(redis_server_signal(&fx->server, SIGSTOP), 0);
    assert_int_equal(read_args("GET", "x"), 0);
    fx->expect = n;
    fx->tick_limit = n;
    fx->stop_tick = -1;
    fx->cont_tick = 60;
    uv_timer_start(&fx->ticker, zadd_tick_cb, 0, 50);
    assert_true(run_until(read_finished, 5000));
    assert_ptr_equal(fx->read_err,
                     redis_client_strerror(REDIS_CLIENT_ERR_TIMEOUT));

    assert_true(run_until(writes_done, 20000));
    assert_int_equal(fx->ticks, n);
    st = redis_client_get_stats(fx->client);
    assert_true(st.timeouts >= 2); /* the read, then re-sent writes */
    assert_true(st.reconnects >= 2);
    assert_true(st.resends >= 1);
    assert_int_equal(fx->failed, 0);
    assert_int_equal(fx->out_of_order, 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(fx->calls[i], 1);
    assert_int_equal(redis_client_queue_depth(fx->client), 0);
    check_zset("z", n);
}

static void test_sigkill_and_restart(void **state)
{
    char key[16], val[16];

    (void)state;
    new_client(2000, 0);
    assert_true(run_until(is_connected, 5000));
    fx->expect = 1;
    assert_int_equal(write_args(0, "SET", "before", "1", NULL), 0);
    assert_true(run_until(writes_done, 5000));

    redis_server_kill(&fx->server);
    /* Writes issued now are lost in flight or queued; the read fails. */
    fx->expect = 21;
    for (int i = 1; i <= 20; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        snprintf(val, sizeof(val), "v%d", i);
        assert_int_equal(write_args(i, "SET", key, val, NULL), 0);
    }
    assert_int_equal(read_args("GET", "before"), 0);
    assert_true(run_until(read_finished, 5000));
    assert_string_equal(fx->read_err, "disconnected");
    run_until(never, 300);
    assert_int_not_equal(redis_client_get_state(fx->client),
                         REDIS_CLIENT_CONNECTED);
    assert_int_equal(fx->answered, 1);

    assert_int_equal(redis_server_start(&fx->server, 0), 0);
    assert_true(run_until(writes_done, 10000));
    assert_int_equal(fx->failed, 0);
    assert_int_equal(fx->out_of_order, 0);
    assert_true(redis_client_get_stats(fx->client).connects >= 2);
    {
        redisContext *ctx = redis_server_connect(&fx->server);
        assert_non_null(ctx);
        for (int i = 1; i <= 20; i++) {
            redisReply *r = redisCommand(ctx, "GET k%d", i);
            snprintf(val, sizeof(val), "v%d", i);
            assert_non_null(r);
            assert_int_equal(r->type, REDIS_REPLY_STRING);
            assert_string_equal(r->str, val);
            freeReplyObject(r);
        }
        redisFree(ctx);
    }
}

static void test_queue_full_and_free_while_disconnected(void **state)
{
    (void)state;
    new_client(2000, 10);
    for (int i = 0; i < 10; i++)
        assert_int_equal(write_args(i, "SET", "a", "b", NULL), 0);
    assert_int_equal(write_args(10, "SET", "a", "b", NULL), -1);
    assert_int_equal(redis_client_queue_depth(fx->client), 10);
    assert_int_equal(read_args("GET", "a"), 0); /* failing, not yet told */
    assert_int_equal(fx->reads_done, 0);

    fx->write_rc_in_cb = 99;
    redis_client_free(fx->client);
    fx->client = NULL;
    assert_int_equal(fx->failed, 10);
    assert_int_equal(fx->answered, 0);
    assert_int_equal(fx->out_of_order, 0);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(fx->calls[i], 1);
        assert_string_equal(fx->errs[i], "closed");
    }
    assert_int_equal(fx->calls[10], 0); /* refused: never called */
    assert_int_equal(fx->write_rc_in_cb, -1);
    assert_int_equal(fx->reads_done, 1);
    assert_string_equal(fx->read_err, "closed");
    /* teardown checks that the loop closes with no handle left. */
}

static void test_free_with_commands_in_flight(void **state)
{
    (void)state;
    new_client(5000, 0);
    assert_true(run_until(is_connected, 5000));
    assert_int_equal(redis_server_signal(&fx->server, SIGSTOP), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(write_args(i, "SET", "a", "b", NULL), 0);
    assert_int_equal(read_args("GET", "a"), 0);
    assert_int_equal(read_args("GET", "a"), 0);
    run_until(never, 100); /* sent, unanswered */
    assert_int_equal(redis_client_get_stats(fx->client).commands_sent, 7);

    redis_client_free(fx->client);
    fx->client = NULL;
    assert_int_equal(fx->failed, 5);
    assert_int_equal(fx->reads_done, 2);
    assert_string_equal(fx->read_err, "closed");
    assert_int_equal(fx->out_of_order, 0);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(fx->calls[i], 1);
        assert_string_equal(fx->errs[i], "closed");
    }
    /* Nothing more arrives, even when Redis resumes. */
    redis_server_signal(&fx->server, SIGCONT);
    run_until(never, 100);
    assert_int_equal(fx->failed + fx->answered, 5);
    assert_int_equal(fx->reads_done, 2);
}

static void adapter_connect_cb(const redisAsyncContext *ac, int status)
{
    (void)ac;
    fx->adapter_calls++;
    fx->adapter_status = status;
}

/* Progress is not a hang: five 0.3 s commands in a row take longer than
 * the 1 s timeout together, but each reply comes well within it. Each
 * command is padded past Redis's 16 KB read size (the sleep time is written
 * with 20,000 trailing zeros) so Redis answers them one by one, as it does
 * a long pipeline of small commands. */
static void test_slow_pipeline_is_not_a_timeout(void **state)
{
    enum { PAD = 20000 };
    char *slow = malloc(PAD + 1);
    const char *sleep_argv[] = {"DEBUG", "SLEEP", slow};
    const char *long_argv[] = {"DEBUG", "SLEEP", "2.5"};
    redis_client_stats st;

    (void)state;
    assert_non_null(slow);
    memset(slow, '0', PAD);
    memcpy(slow, "0.2", 3);
    slow[PAD] = '\0';
    /* 5 x 0.2 s in one pipeline, 1.5 s timeout: a generous margin, since
     * the suite runs in parallel with sanitizer builds. */
    new_client(1500, 0);
    assert_true(run_until(is_connected, 5000));
    fx->expect = 5;
    for (int i = 0; i < 5; i++)
        assert_int_equal(redis_client_write(fx->client, write_cb,
                                            (void *)(intptr_t)i, 3, sleep_argv,
                                            NULL),
                         0);
    free(slow); /* arguments are copied */
    assert_true(run_until(writes_done, 10000));
    st = redis_client_get_stats(fx->client);
    assert_int_equal(st.timeouts, 0);
    assert_int_equal(st.resends, 0);
    assert_int_equal(fx->failed, 0);
    assert_int_equal(fx->error_replies, 0);
    assert_int_equal(fx->out_of_order, 0);

    /* One command slower than the timeout is a timeout. */
    assert_int_equal(
        redis_client_read(fx->client, read_cb, NULL, 3, long_argv, NULL), 0);
    assert_true(run_until(read_finished, 5000));
    assert_string_equal(fx->read_err, "timeout");
    assert_int_equal(redis_client_get_stats(fx->client).timeouts, 1);
    assert_true(run_until(is_connected, 5000));
    fx->reads_done = 0;
    assert_int_equal(read_args("PING", NULL), 0);
    assert_true(run_until(read_finished, 5000));
    assert_null(fx->read_err);
    assert_memory_equal(fx->reply_str, "PONG", 4);
}

/* Pub/sub and MONITOR replies break the reply FIFO: refused. */
static void test_unsupported_commands_refused(void **state)
{
    const char *sub[] = {"SUBSCRIBE", "chan"};
    const char *mon[] = {"monitor"};
    const size_t sub_len[] = {9, 4};

    (void)state;
    new_client(1000, 0);
    assert_int_equal(
        redis_client_write(fx->client, write_cb, NULL, 2, sub, NULL), -1);
    assert_int_equal(
        redis_client_write(fx->client, write_cb, NULL, 2, sub, sub_len), -1);
    assert_int_equal(redis_client_read(fx->client, read_cb, NULL, 1, mon, NULL),
                     -1);
    assert_int_equal(redis_client_read(fx->client, read_cb, NULL, 0, mon, NULL),
                     -1);
    assert_int_equal(redis_client_read(fx->client, NULL, NULL, 1,
                                       (const char *[]){"PING"}, NULL),
                     -1);
    assert_int_equal(redis_client_queue_depth(fx->client), 0);
    run_until(never, 50);
    assert_int_equal(fx->reads_done, 0);
}

/* hiredis's own libuv adapter hangs here: the poll error must reach it. */
static void test_adapter_reports_refused_connect(void **state)
{
    redisAsyncContext *ac;

    (void)state;
    ac = redisAsyncConnect("127.0.0.1", fx->server.port);
    assert_non_null(ac);
    assert_int_equal(ac->err, 0); /* loopback connects are in progress first */
    assert_int_equal(redis_uv_attach(ac, &fx->loop), 0);
    assert_int_equal(redis_uv_attach(ac, &fx->loop), -1);
    redisAsyncSetConnectCallback(ac, adapter_connect_cb);
    /* hiredis frees ac after the failed connect; teardown checks the poll
     * handle was closed. */
    assert_true(run_until(adapter_finished, 3000));
    assert_int_equal(fx->adapter_calls, 1);
    assert_int_equal(fx->adapter_status, REDIS_ERR);
}

static void test_config_and_strerror(void **state)
{
    redis_client_config cfg;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.port = 70000;
    assert_null(redis_client_new(&fx->loop, &cfg));
    cfg.port = fx->server.port;
    cfg.backoff_min_ms = 500;
    cfg.backoff_max_ms = 100;
    assert_null(redis_client_new(&fx->loop, &cfg));
    cfg.backoff_max_ms = 0;
    cfg.backoff_min_ms = 0;
    cfg.host = "localhost"; /* resolved once, here */
    fx->client = redis_client_new(&fx->loop, &cfg);
    assert_non_null(fx->client);
    assert_string_equal(redis_client_strerror(REDIS_CLIENT_ERR_TIMEOUT),
                        "timeout");
    assert_string_equal(redis_client_strerror(REDIS_CLIENT_ERR_CLOSED),
                        "closed");
    assert_string_equal(redis_client_strerror((redis_client_error)99),
                        "unknown error");
}

int redis_client_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_set_get_roundtrip, setup_redis,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pipeline_10000_in_order,
                                        setup_redis, teardown),
        cmocka_unit_test_setup_teardown(test_adapter_reports_refused_connect,
                                        setup_no_redis, teardown),
        cmocka_unit_test_setup_teardown(test_refused_then_server_starts,
                                        setup_no_redis, teardown),
        cmocka_unit_test_setup_teardown(test_sigstop_hung_redis, setup_redis,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sigkill_and_restart, setup_redis,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_queue_full_and_free_while_disconnected, setup_no_redis,
            teardown),
        cmocka_unit_test_setup_teardown(test_free_with_commands_in_flight,
                                        setup_redis, teardown),
        cmocka_unit_test_setup_teardown(test_slow_pipeline_is_not_a_timeout,
                                        setup_redis, teardown),
        cmocka_unit_test_setup_teardown(test_unsupported_commands_refused,
                                        setup_no_redis, teardown),
        cmocka_unit_test_setup_teardown(test_config_and_strerror,
                                        setup_no_redis, teardown),
    };
    return cmocka_run_group_tests_name("redis_client", tests, NULL, NULL);
}
