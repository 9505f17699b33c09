/* Unit tests for rooms/agenda: the live agenda state machine with injected
 * time, auto-advance and its one-minute warning, reordering and removal
 * while running, deterministic replay and snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rooms/agenda.h"

#define T0 1700000000000LL
#define SEC 1000LL
#define MIN (60 * SEC)

static uint32_t add(struct agenda *a, const char *title, int64_t timebox,
                    int64_t now)
{
    struct agenda_item_spec s = {title, "lead-1", AGENDA_KIND_PLENARY, timebox};
    uint32_t id = 0;
    assert_int_equal(agenda_add(a, &s, 0, now, &id), AGENDA_OK);
    return id;
}

/* An agenda of n items titled "i1".."in" with the given timebox each. */
static void make(struct agenda *a, int n, int64_t timebox, bool auto_adv)
{
    char t[8];
    agenda_init(a, auto_adv);
    for (int i = 1; i <= n; i++) {
        t[0] = 'i';
        t[1] = (char)('0' + i);
        t[2] = 0;
        assert_int_equal(add(a, t, timebox, T0), (uint32_t)i);
    }
}

static agenda_item_state state_of(const struct agenda *a, uint32_t id)
{
    const struct agenda_item *it = agenda_find(a, id);
    assert_non_null(it);
    return it->state;
}

static void test_add_validation(void **st)
{
    (void)st;
    struct agenda a;
    char long_title[AGENDA_TITLE_MAX + 2];
    memset(long_title, 'x', sizeof long_title - 1);
    long_title[sizeof long_title - 1] = 0;
    agenda_init(&a, false);
    struct agenda_item_spec s = {"Welcome", NULL, AGENDA_KIND_PLENARY, MIN};
    assert_int_equal(agenda_add(&a, &s, 0, T0, NULL), AGENDA_OK);
    s.title = "";
    assert_int_equal(agenda_add(&a, &s, 0, T0, NULL), AGENDA_ERR_TITLE);
    s.title = long_title;
    assert_int_equal(agenda_add(&a, &s, 0, T0, NULL), AGENDA_ERR_TITLE);
    long_title[AGENDA_TITLE_MAX] = 0; /* exactly the maximum */
    assert_int_equal(agenda_add(&a, &s, 0, T0, NULL), AGENDA_OK);
    s.title = "tab\there";
    assert_int_equal(agenda_add(&a, &s, 0, T0, NULL), AGENDA_ERR_TITLE);
    s.title = "Kopsavilkums \xc4\x81"; /* UTF-8 is fine */
    s.lead = "bad\nlead";
    assert_int_equal(agenda_add(&a, &s, 0, T0, NULL), AGENDA_ERR_LEAD);
    s.lead = "u-7";
    s.kind = AGENDA_KIND_COUNT;
    assert_int_equal(agenda_add(&a, &s, 0, T0, NULL), AGENDA_ERR_KIND);
    s.kind = AGENDA_KIND_FEEDBACK;
    s.timebox_ms = AGENDA_TIMEBOX_MIN_MS - 1;
    assert_int_equal(agenda_add(&a, &s, 0, T0, NULL), AGENDA_ERR_TIMEBOX);
    s.timebox_ms = AGENDA_TIMEBOX_MAX_MS + 1;
    assert_int_equal(agenda_add(&a, &s, 0, T0, NULL), AGENDA_ERR_TIMEBOX);
    s.timebox_ms = 5 * MIN;
    assert_int_equal(agenda_add(&a, &s, 99, T0, NULL), AGENDA_ERR_NO_SUCH_ITEM);
    uint32_t id = 0;
    assert_int_equal(agenda_add(&a, &s, 1, T0, &id), AGENDA_OK);
    assert_int_equal(id, 3);
    assert_int_equal(agenda_at(&a, 0)->id, 3); /* inserted before item 1 */
    assert_string_equal(agenda_at(&a, 0)->lead, "u-7");
    assert_int_equal(a.count, 3);
    while (a.count < AGENDA_MAX_ITEMS)
        assert_int_equal(agenda_add(&a, &s, 0, T0, NULL), AGENDA_OK);
    assert_int_equal(agenda_add(&a, &s, 0, T0, NULL), AGENDA_ERR_FULL);
    assert_int_equal(agenda_add(&a, NULL, 0, T0, NULL), AGENDA_ERR_INVALID);
}

static void test_names(void **st)
{
    (void)st;
    agenda_item_kind k;
    for (int i = 0; i < AGENDA_KIND_COUNT; i++) {
        const char *n = agenda_kind_name((agenda_item_kind)i);
        assert_int_equal(agenda_kind_parse(n, strlen(n), &k), AGENDA_OK);
        assert_int_equal(k, i);
    }
    assert_int_equal(agenda_kind_parse("qa", 2, &k), AGENDA_OK);
    assert_int_equal(k, AGENDA_KIND_QA);
    assert_int_equal(agenda_kind_parse("qax", 2, &k), AGENDA_OK);
    assert_int_equal(agenda_kind_parse("q", 1, &k), AGENDA_ERR_KIND);
    assert_string_equal(agenda_kind_name(AGENDA_KIND_COUNT), "unknown");
    assert_string_equal(agenda_state_name(AGENDA_ITEM_SKIPPED), "skipped");
    for (int e = AGENDA_OK; e <= AGENDA_ERR_NOSPACE; e++)
        assert_string_not_equal(agenda_strerror((agenda_err)e),
                                "unknown error");
}

static void test_start_pause_resume(void **st)
{
    (void)st;
    struct agenda a;
    make(&a, 2, 10 * MIN, false);
    assert_int_equal(agenda_pause(&a, T0), AGENDA_ERR_NOT_STARTED);
    assert_int_equal(agenda_resume(&a, T0), AGENDA_ERR_NOT_STARTED);
    assert_int_equal(agenda_time_left_ms(&a, T0), 0);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    assert_int_equal(agenda_start(&a, T0), AGENDA_ERR_ALREADY_STARTED);
    assert_int_equal(agenda_current(&a)->id, 1);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 30 * SEC),
                     10 * MIN - 30 * SEC);
    assert_int_equal(agenda_resume(&a, T0 + MIN), AGENDA_ERR_NOT_PAUSED);
    assert_int_equal(agenda_pause(&a, T0 + MIN), AGENDA_OK);
    assert_int_equal(agenda_pause(&a, T0 + MIN), AGENDA_ERR_NOT_RUNNING);
    assert_int_equal(state_of(&a, 1), AGENDA_ITEM_PAUSED);
    /* Time stands still while paused. */
    assert_int_equal(agenda_time_left_ms(&a, T0 + 20 * MIN), 9 * MIN);
    struct agenda_live v;
    agenda_live_view(&a, T0 + 20 * MIN, &v);
    assert_int_equal(v.item_id, 1);
    assert_int_equal(v.state, AGENDA_ITEM_PAUSED);
    assert_int_equal(v.ends_at_ms, 0);
    assert_int_equal(v.started_at_ms, T0);
    assert_int_equal(agenda_resume(&a, T0 + 5 * MIN), AGENDA_OK);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 6 * MIN), 8 * MIN);
    agenda_live_view(&a, T0 + 6 * MIN, &v);
    assert_int_equal(v.elapsed_ms, 2 * MIN);
    assert_int_equal(v.total_ms, 10 * MIN);
    assert_int_equal(v.ends_at_ms, T0 + 14 * MIN);
    assert_int_equal(v.started_at_ms, T0);
    assert_false(v.finished);
}

static void test_extend(void **st)
{
    (void)st;
    struct agenda a;
    make(&a, 1, 10 * MIN, false);
    assert_int_equal(agenda_extend(&a, MIN, T0), AGENDA_ERR_NOT_STARTED);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    assert_int_equal(agenda_extend(&a, 999, T0), AGENDA_ERR_TIMEBOX);
    assert_int_equal(agenda_extend(&a, AGENDA_EXTEND_MAX_MS + 1, T0),
                     AGENDA_ERR_TIMEBOX);
    assert_int_equal(agenda_extend(&a, 5 * MIN, T0 + 2 * MIN), AGENDA_OK);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 3 * MIN), 12 * MIN);
    assert_int_equal(agenda_find(&a, 1)->extended_ms, 5 * MIN);
    /* Extensions stop at the total limit. */
    int64_t total = 15 * MIN;
    while (total + AGENDA_EXTEND_MAX_MS <= AGENDA_TOTAL_MAX_MS) {
        assert_int_equal(agenda_extend(&a, AGENDA_EXTEND_MAX_MS, T0 + 3 * MIN),
                         AGENDA_OK);
        total += AGENDA_EXTEND_MAX_MS;
    }
    assert_int_equal(agenda_extend(&a, AGENDA_EXTEND_MAX_MS, T0 + 3 * MIN),
                     AGENDA_ERR_TIMEBOX);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 3 * MIN), total - 3 * MIN);
}

static void test_next_previous(void **st)
{
    (void)st;
    struct agenda a;
    struct agenda_live v;
    make(&a, 3, 10 * MIN, false);
    assert_int_equal(agenda_next(&a, T0), AGENDA_ERR_NOT_STARTED);
    assert_int_equal(agenda_previous(&a, T0), AGENDA_ERR_NO_PREVIOUS);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    assert_int_equal(agenda_previous(&a, T0), AGENDA_ERR_NO_PREVIOUS);
    assert_int_equal(agenda_next(&a, T0 + 4 * MIN), AGENDA_OK);
    assert_int_equal(state_of(&a, 1), AGENDA_ITEM_DONE);
    assert_int_equal(agenda_find(&a, 1)->elapsed_ms, 4 * MIN);
    assert_int_equal(agenda_current(&a)->id, 2);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 5 * MIN), 9 * MIN);
    /* Back to item 1: it continues from 4 minutes; item 2 is pending again
     * with its time reset. */
    assert_int_equal(agenda_previous(&a, T0 + 6 * MIN), AGENDA_OK);
    assert_int_equal(agenda_current(&a)->id, 1);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 6 * MIN), 6 * MIN);
    assert_int_equal(state_of(&a, 2), AGENDA_ITEM_PENDING);
    assert_int_equal(agenda_find(&a, 2)->elapsed_ms, 0);
    assert_int_equal(agenda_find(&a, 2)->first_started_ms, AGENDA_NEVER);
    assert_int_equal(agenda_next(&a, T0 + 7 * MIN), AGENDA_OK);
    assert_int_equal(agenda_next(&a, T0 + 8 * MIN), AGENDA_OK);
    assert_int_equal(agenda_current(&a)->id, 3);
    /* The last next finishes the agenda. */
    assert_int_equal(agenda_next(&a, T0 + 9 * MIN), AGENDA_OK);
    assert_null(agenda_current(&a));
    agenda_live_view(&a, T0 + 9 * MIN, &v);
    assert_true(v.finished);
    assert_int_equal(v.item_id, 0);
    assert_int_equal(agenda_start(&a, T0 + 9 * MIN), AGENDA_ERR_NO_PENDING);
    /* Previous after the end brings the last item back. */
    assert_int_equal(agenda_previous(&a, T0 + 10 * MIN), AGENDA_OK);
    assert_int_equal(agenda_current(&a)->id, 3);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 10 * MIN), 9 * MIN);
}

static void test_skip_jump_reset(void **st)
{
    (void)st;
    struct agenda a;
    make(&a, 4, 10 * MIN, false);
    assert_int_equal(agenda_skip(&a, 2, T0), AGENDA_OK);
    assert_int_equal(agenda_skip(&a, 2, T0), AGENDA_ERR_BAD_STATE);
    assert_int_equal(agenda_skip(&a, 9, T0), AGENDA_ERR_NO_SUCH_ITEM);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    /* Next passes over the skipped item. */
    assert_int_equal(agenda_next(&a, T0 + MIN), AGENDA_OK);
    assert_int_equal(agenda_current(&a)->id, 3);
    /* Skipping the current item advances. */
    assert_int_equal(agenda_skip(&a, 3, T0 + 2 * MIN), AGENDA_OK);
    assert_int_equal(state_of(&a, 3), AGENDA_ITEM_SKIPPED);
    assert_int_equal(agenda_find(&a, 3)->elapsed_ms, MIN);
    assert_int_equal(agenda_current(&a)->id, 4);
    assert_int_equal(agenda_reset_item(&a, 4, T0), AGENDA_ERR_BAD_STATE);
    /* Bring the skipped item back, then jump to it. */
    assert_int_equal(agenda_reset_item(&a, 2, T0 + 3 * MIN), AGENDA_OK);
    assert_int_equal(state_of(&a, 2), AGENDA_ITEM_PENDING);
    assert_int_equal(agenda_jump(&a, 4, T0 + 3 * MIN), AGENDA_ERR_BAD_STATE);
    assert_int_equal(agenda_jump(&a, 2, T0 + 3 * MIN), AGENDA_OK);
    assert_int_equal(state_of(&a, 4), AGENDA_ITEM_DONE);
    assert_int_equal(agenda_current(&a)->id, 2);
    /* Jumping to a done item continues its elapsed time. */
    assert_int_equal(agenda_jump(&a, 1, T0 + 4 * MIN), AGENDA_OK);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 4 * MIN), 9 * MIN);
    assert_int_equal(agenda_find(&a, 1)->first_started_ms, T0);
}

/* Runs ticks every second from `from` to `to` and counts events. */
static void tick_range(struct agenda *a, int64_t from, int64_t to,
                       int counts[4], struct agenda_event *log, size_t *nlog)
{
    struct agenda_event ev[8];
    for (int64_t t = from; t <= to; t += SEC) {
        size_t n = agenda_tick(a, t, ev, 8);
        assert_true(n <= 8);
        for (size_t i = 0; i < n; i++) {
            counts[ev[i].kind]++;
            if (log)
                log[(*nlog)++] = ev[i];
        }
    }
}

static void test_auto_advance_warns_once(void **st)
{
    (void)st;
    struct agenda a;
    struct agenda_event log[16];
    size_t nlog = 0;
    int counts[4] = {0};
    make(&a, 2, 5 * MIN, true);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    tick_range(&a, T0, T0 + 4 * MIN - SEC, counts, log, &nlog);
    assert_int_equal(nlog, 0);
    tick_range(&a, T0 + 4 * MIN, T0 + 5 * MIN - SEC, counts, log, &nlog);
    assert_int_equal(nlog, 1);
    assert_int_equal(log[0].kind, AGENDA_EV_WARNING);
    assert_int_equal(log[0].item_id, 1);
    assert_int_equal(log[0].at_ms, T0 + 4 * MIN);
    tick_range(&a, T0 + 5 * MIN, T0 + 11 * MIN, counts, log, &nlog);
    assert_int_equal(counts[AGENDA_EV_WARNING], 2);
    assert_int_equal(counts[AGENDA_EV_ENDED], 2);
    assert_int_equal(counts[AGENDA_EV_ADVANCED], 1);
    assert_int_equal(counts[AGENDA_EV_FINISHED], 1);
    assert_int_equal(log[1].kind, AGENDA_EV_ENDED);
    assert_int_equal(log[1].at_ms, T0 + 5 * MIN);
    assert_int_equal(log[2].kind, AGENDA_EV_ADVANCED);
    assert_int_equal(log[2].item_id, 2);
    assert_int_equal(agenda_find(&a, 2)->first_started_ms, T0 + 5 * MIN);
    assert_int_equal(log[3].kind, AGENDA_EV_WARNING);
    assert_int_equal(log[3].at_ms, T0 + 9 * MIN);
    assert_int_equal(log[5].kind, AGENDA_EV_FINISHED);
    assert_int_equal(log[5].item_id, 2);
    assert_null(agenda_current(&a));
    assert_int_equal(state_of(&a, 1), AGENDA_ITEM_DONE);
    assert_int_equal(agenda_find(&a, 1)->elapsed_ms, 5 * MIN);
}

static void test_no_auto_advance_overtime(void **st)
{
    (void)st;
    struct agenda a;
    int counts[4] = {0};
    make(&a, 2, 2 * MIN, false);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    tick_range(&a, T0, T0 + 5 * MIN, counts, NULL, NULL);
    assert_int_equal(counts[AGENDA_EV_WARNING], 1);
    assert_int_equal(counts[AGENDA_EV_ENDED], 1);
    assert_int_equal(counts[AGENDA_EV_ADVANCED], 0);
    assert_int_equal(agenda_current(&a)->id, 1);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 5 * MIN), -3 * MIN);
    /* A short item gets no one-minute warning, only its end. */
    make(&a, 1, 45 * SEC, false);
    memset(counts, 0, sizeof counts);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    tick_range(&a, T0, T0 + MIN, counts, NULL, NULL);
    assert_int_equal(counts[AGENDA_EV_WARNING], 0);
    assert_int_equal(counts[AGENDA_EV_ENDED], 1);
}

static void test_extend_rearms_warning(void **st)
{
    (void)st;
    struct agenda a;
    int counts[4] = {0};
    make(&a, 2, 3 * MIN, true);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    tick_range(&a, T0, T0 + 150 * SEC, counts, NULL, NULL);
    assert_int_equal(counts[AGENDA_EV_WARNING], 1);
    /* 30 s left; +20 s keeps it under a minute: no second warning. */
    assert_int_equal(agenda_extend(&a, 20 * SEC, T0 + 150 * SEC), AGENDA_OK);
    tick_range(&a, T0 + 151 * SEC, T0 + 160 * SEC, counts, NULL, NULL);
    assert_int_equal(counts[AGENDA_EV_WARNING], 1);
    /* +5 min: a fresh warning a minute before the new end. */
    assert_int_equal(agenda_extend(&a, 5 * MIN, T0 + 160 * SEC), AGENDA_OK);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 160 * SEC), 340 * SEC);
    tick_range(&a, T0 + 161 * SEC, T0 + 439 * SEC, counts, NULL, NULL);
    assert_int_equal(counts[AGENDA_EV_WARNING], 1);
    tick_range(&a, T0 + 440 * SEC, T0 + 499 * SEC, counts, NULL, NULL);
    assert_int_equal(counts[AGENDA_EV_WARNING], 2);
    assert_int_equal(counts[AGENDA_EV_ENDED], 0);
    tick_range(&a, T0 + 500 * SEC, T0 + 500 * SEC, counts, NULL, NULL);
    assert_int_equal(counts[AGENDA_EV_ENDED], 1);
    assert_int_equal(agenda_current(&a)->id, 2);
    /* Extending after the end (no auto-advance) re-arms the end. */
    agenda_set_auto_advance(&a, false, T0 + 500 * SEC);
    tick_range(&a, T0 + 501 * SEC, T0 + 700 * SEC, counts, NULL, NULL);
    assert_int_equal(counts[AGENDA_EV_ENDED], 2);
    assert_int_equal(agenda_extend(&a, 2 * MIN, T0 + 700 * SEC), AGENDA_OK);
    assert_true(agenda_time_left_ms(&a, T0 + 700 * SEC) > 0);
    tick_range(&a, T0 + 701 * SEC, T0 + 900 * SEC, counts, NULL, NULL);
    assert_int_equal(counts[AGENDA_EV_ENDED], 3);
}

static void test_late_tick_keeps_schedule(void **st)
{
    (void)st;
    struct agenda a;
    struct agenda_event ev[8];
    make(&a, 3, 5 * MIN, true);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    size_t n = agenda_tick(&a, T0 + 12 * MIN, ev, 8);
    assert_int_equal(n, 4);
    assert_int_equal(ev[0].kind, AGENDA_EV_ENDED);
    assert_int_equal(ev[0].at_ms, T0 + 5 * MIN);
    assert_int_equal(ev[1].kind, AGENDA_EV_ADVANCED);
    assert_int_equal(ev[1].item_id, 2);
    assert_int_equal(ev[2].kind, AGENDA_EV_ENDED);
    assert_int_equal(ev[2].at_ms, T0 + 10 * MIN);
    assert_int_equal(ev[3].item_id, 3);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 12 * MIN), 3 * MIN);
    /* Fewer slots than events: the count is still complete. */
    make(&a, 3, 5 * MIN, true);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    assert_int_equal(agenda_tick(&a, T0 + 16 * MIN, ev, 2), 6);
    assert_int_equal(ev[1].kind, AGENDA_EV_ADVANCED);
    assert_null(agenda_current(&a));
}

static void test_reorder_while_running(void **st)
{
    (void)st;
    struct agenda a;
    make(&a, 4, 10 * MIN, false);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    assert_int_equal(agenda_next(&a, T0 + MIN), AGENDA_OK); /* 2 runs */
    assert_int_equal(agenda_move(&a, 2, 3, T0 + 2 * MIN), AGENDA_OK);
    assert_int_equal(agenda_at(&a, 3)->id, 2);
    assert_int_equal(agenda_at(&a, 1)->id, 3);
    assert_int_equal(agenda_current(&a)->id, 2);
    assert_int_equal(state_of(&a, 2), AGENDA_ITEM_RUNNING);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 3 * MIN), 8 * MIN);
    assert_int_equal(agenda_move(&a, 2, 4, T0), AGENDA_ERR_INVALID);
    assert_int_equal(agenda_move(&a, 7, 0, T0), AGENDA_ERR_NO_SUCH_ITEM);
    uint32_t bad1[] = {1, 2, 3};
    uint32_t bad2[] = {1, 2, 3, 3};
    uint32_t bad3[] = {1, 2, 3, 9};
    uint32_t good[] = {4, 2, 1, 3};
    assert_int_equal(agenda_reorder(&a, bad1, 3, T0), AGENDA_ERR_BAD_ORDER);
    assert_int_equal(agenda_reorder(&a, bad2, 4, T0), AGENDA_ERR_BAD_ORDER);
    assert_int_equal(agenda_reorder(&a, bad3, 4, T0), AGENDA_ERR_BAD_ORDER);
    assert_int_equal(agenda_at(&a, 0)->id, 1); /* unchanged on error */
    assert_int_equal(agenda_reorder(&a, good, 4, T0 + 3 * MIN), AGENDA_OK);
    for (uint32_t i = 0; i < 4; i++)
        assert_int_equal(agenda_at(&a, i)->id, good[i]);
    assert_int_equal(agenda_current(&a)->id, 2);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 4 * MIN), 7 * MIN);
    /* Next takes the pending item after the current one (3), then wraps to
     * the pending one above it (4). */
    assert_int_equal(agenda_next(&a, T0 + 5 * MIN), AGENDA_OK);
    assert_int_equal(agenda_current(&a)->id, 3);
    assert_int_equal(agenda_next(&a, T0 + 6 * MIN), AGENDA_OK);
    assert_int_equal(agenda_current(&a)->id, 4);
}

static void test_remove_running(void **st)
{
    (void)st;
    struct agenda a;
    make(&a, 3, 10 * MIN, false);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    assert_int_equal(agenda_remove(&a, 3, T0 + MIN), AGENDA_OK);
    assert_int_equal(a.count, 2);
    assert_int_equal(agenda_current(&a)->id, 1);
    assert_int_equal(agenda_remove(&a, 1, T0 + 2 * MIN), AGENDA_OK);
    assert_null(agenda_find(&a, 1));
    assert_int_equal(agenda_current(&a)->id, 2);
    assert_int_equal(agenda_current(&a)->first_started_ms, T0 + 2 * MIN);
    assert_int_equal(agenda_time_left_ms(&a, T0 + 3 * MIN), 9 * MIN);
    assert_int_equal(agenda_pause(&a, T0 + 3 * MIN), AGENDA_OK);
    assert_int_equal(agenda_remove(&a, 2, T0 + 4 * MIN), AGENDA_OK);
    assert_null(agenda_current(&a));
    assert_int_equal(a.count, 0);
    assert_int_equal(agenda_remove(&a, 2, T0), AGENDA_ERR_NO_SUCH_ITEM);
    /* Ids are never reused. */
    assert_int_equal(add(&a, "again", MIN, T0 + 5 * MIN), 4);
}

static void test_edit(void **st)
{
    (void)st;
    struct agenda a;
    struct agenda_event ev[4];
    make(&a, 2, 10 * MIN, true);
    struct agenda_item_spec s = {"Renamed", "", AGENDA_KIND_BREAKOUT, 10 * MIN};
    assert_int_equal(agenda_edit(&a, 5, &s, T0), AGENDA_ERR_NO_SUCH_ITEM);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    assert_int_equal(agenda_edit(&a, 1, &s, T0 + MIN), AGENDA_OK);
    assert_string_equal(agenda_find(&a, 1)->title, "Renamed");
    assert_string_equal(agenda_find(&a, 1)->lead, "");
    assert_int_equal(agenda_time_left_ms(&a, T0 + MIN), 9 * MIN);
    /* Shrinking below the elapsed time ends the item at once. */
    s.timebox_ms = 2 * MIN;
    assert_int_equal(agenda_edit(&a, 1, &s, T0 + 3 * MIN), AGENDA_OK);
    size_t n = agenda_tick(&a, T0 + 3 * MIN, ev, 4);
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].kind, AGENDA_EV_ENDED);
    assert_int_equal(ev[0].at_ms, T0 + 3 * MIN);
    assert_int_equal(ev[1].kind, AGENDA_EV_ADVANCED);
    assert_int_equal(agenda_current(&a)->first_started_ms, T0 + 3 * MIN);
    s.title = "";
    assert_int_equal(agenda_edit(&a, 2, &s, T0), AGENDA_ERR_TITLE);
}

static void test_clock_backwards(void **st)
{
    (void)st;
    struct agenda a;
    make(&a, 1, 10 * MIN, false);
    assert_int_equal(agenda_start(&a, T0 + MIN), AGENDA_OK);
    /* An earlier time counts as the latest seen: no negative elapsed. */
    assert_int_equal(agenda_pause(&a, T0), AGENDA_OK);
    assert_int_equal(agenda_find(&a, 1)->elapsed_ms, 0);
    assert_int_equal(agenda_time_left_ms(&a, T0), 10 * MIN);
}

/* ---- replay ---------------------------------------------------------- */

enum op_kind {
    OP_ADD,
    OP_EDIT,
    OP_REMOVE,
    OP_MOVE,
    OP_START,
    OP_JUMP,
    OP_PAUSE,
    OP_RESUME,
    OP_EXTEND,
    OP_NEXT,
    OP_PREV,
    OP_SKIP,
    OP_RESET,
    OP_AUTO,
    OP_KINDS
};

struct op {
    enum op_kind kind;
    uint32_t id, arg;
    int64_t at;
};

static agenda_err apply(struct agenda *a, const struct op *o)
{
    struct agenda_item_spec s = {"item", "u1", AGENDA_KIND_TALK,
                                 (int64_t)(o->arg % 600 + 30) * SEC};
    switch (o->kind) {
    case OP_ADD:
        return agenda_add(a, &s, o->arg % 3 ? 0 : o->id, o->at, NULL);
    case OP_EDIT:
        return agenda_edit(a, o->id, &s, o->at);
    case OP_REMOVE:
        return agenda_remove(a, o->id, o->at);
    case OP_MOVE:
        return agenda_move(a, o->id, o->arg % 8, o->at);
    case OP_START:
        return agenda_start(a, o->at);
    case OP_JUMP:
        return agenda_jump(a, o->id, o->at);
    case OP_PAUSE:
        return agenda_pause(a, o->at);
    case OP_RESUME:
        return agenda_resume(a, o->at);
    case OP_EXTEND:
        return agenda_extend(a, (o->arg % 120 + 1) * SEC, o->at);
    case OP_NEXT:
        return agenda_next(a, o->at);
    case OP_PREV:
        return agenda_previous(a, o->at);
    case OP_SKIP:
        return agenda_skip(a, o->id, o->at);
    case OP_RESET:
        return agenda_reset_item(a, o->id, o->at);
    case OP_AUTO:
        agenda_set_auto_advance(a, o->arg % 2, o->at);
        return 0;
    case OP_KINDS:
        break;
    }
    return AGENDA_ERR_INVALID;
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* Live: ops with ticks every 5 s between them. Replay: the same ops with
 * the same timestamps and no ticks. Both end identical, and so does a copy
 * restored from a snapshot taken midway and replayed from there. */
static void test_replay_determinism(void **st)
{
    (void)st;
    static struct op ops[3000];
    static struct agenda live, replay, snap_copy;
    static unsigned char buf[AGENDA_SNAPSHOT_MAX];
    uint32_t seed = 42;
    int64_t t = T0;
    size_t nops = sizeof ops / sizeof ops[0], mid = nops / 2, len = 0;
    for (size_t i = 0; i < nops; i++) {
        t += (int64_t)(lcg(&seed) % 90) * SEC;
        ops[i] = (struct op){(enum op_kind)(lcg(&seed) % OP_KINDS),
                             lcg(&seed) % 12, lcg(&seed), t};
    }
    make(&live, 4, 5 * MIN, true);
    make(&replay, 4, 5 * MIN, true);
    int ok = 0, events = 0;
    for (size_t i = 0; i < nops; i++) {
        int64_t from = i ? ops[i - 1].at : T0;
        for (int64_t tt = from; tt < ops[i].at; tt += 5 * SEC)
            events += (int)agenda_tick(&live, tt, NULL, 0);
        ok += apply(&live, &ops[i]) == AGENDA_OK;
        if (i + 1 == mid) {
            assert_int_equal(agenda_save(&live, buf, sizeof buf, &len),
                             AGENDA_OK);
            assert_true(len <= AGENDA_SNAPSHOT_MAX);
        }
    }
    assert_true(ok > 1000); /* the script really drives the agenda */
    assert_true(events > 50);
    for (size_t i = 0; i < nops; i++)
        apply(&replay, &ops[i]);
    agenda_tick(&live, t + MIN, NULL, 0);
    agenda_tick(&replay, t + MIN, NULL, 0);
    assert_true(agenda_equal(&live, &replay));
    assert_int_equal(agenda_load(&snap_copy, buf, len), AGENDA_OK);
    for (size_t i = mid; i < nops; i++)
        apply(&snap_copy, &ops[i]);
    agenda_tick(&snap_copy, t + MIN, NULL, 0);
    assert_true(agenda_equal(&live, &snap_copy));
}

static void test_restart_keeps_time_left(void **st)
{
    (void)st;
    struct agenda a, b;
    unsigned char buf[AGENDA_SNAPSHOT_MAX];
    size_t len = 0;
    const int64_t tb = 10 * MIN;
    /* Replay of the logged "start at t0" on a fresh server at t0 + 90 s. */
    make(&a, 2, tb, true);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    make(&b, 2, tb, true);
    assert_int_equal(agenda_start(&b, T0), AGENDA_OK);
    assert_int_equal(agenda_tick(&b, T0 + 90 * SEC, NULL, 0), 0);
    assert_int_equal(agenda_time_left_ms(&b, T0 + 90 * SEC), tb - 90 * SEC);
    /* A snapshot saved at t0 + 10 s and loaded later gives the same. */
    assert_int_equal(agenda_pause(&a, T0 + 5 * SEC), AGENDA_OK);
    assert_int_equal(agenda_resume(&a, T0 + 10 * SEC), AGENDA_OK);
    assert_int_equal(agenda_save(&a, buf, sizeof buf, &len), AGENDA_OK);
    assert_int_equal(agenda_load(&b, buf, len), AGENDA_OK);
    assert_true(agenda_equal(&a, &b));
    assert_int_equal(agenda_time_left_ms(&b, T0 + 90 * SEC), tb - 85 * SEC);
    struct agenda_live v;
    agenda_live_view(&b, T0 + 90 * SEC, &v);
    assert_int_equal(v.ends_at_ms, T0 + 90 * SEC + tb - 85 * SEC);
}

static void test_snapshot_rejects_garbage(void **st)
{
    (void)st;
    struct agenda a, b, orig;
    unsigned char buf[AGENDA_SNAPSHOT_MAX], bad[AGENDA_SNAPSHOT_MAX];
    size_t len = 0, need = 0;
    make(&a, 3, 5 * MIN, false);
    assert_int_equal(agenda_start(&a, T0), AGENDA_OK);
    assert_int_equal(agenda_save(&a, buf, sizeof buf, &len), AGENDA_OK);
    assert_int_equal(agenda_save(&a, NULL, 0, &need), AGENDA_ERR_NOSPACE);
    assert_int_equal(need, len);
    assert_int_equal(agenda_save(&a, buf, len - 1, &need), AGENDA_ERR_NOSPACE);
    make(&b, 1, MIN, false);
    orig = b;
    for (size_t cut = 0; cut < len; cut++)
        assert_int_equal(agenda_load(&b, buf, cut), AGENDA_ERR_SNAPSHOT);
    assert_true(agenda_equal(&b, &orig));
    /* Flip each byte: either rejected or a consistent agenda. */
    for (size_t i = 0; i < len; i++) {
        memcpy(bad, buf, len);
        bad[i] ^= 0xff;
        if (agenda_load(&b, bad, len) == AGENDA_OK) {
            assert_true(b.count <= AGENDA_MAX_ITEMS);
            assert_true(!b.current_id || agenda_current(&b));
            /* and it runs (the sanitizer build checks the arithmetic) */
            agenda_tick(&b, T0 + 10 * MIN, NULL, 0);
            agenda_time_left_ms(&b, T0 + 10 * MIN);
            agenda_next(&b, T0 + 11 * MIN);
        }
    }
    /* A run start beyond the time bound is refused. Offsets: header 25,
     * then id 4, kind/state/flags 3, four i64 fields before run_since. */
    memcpy(bad, buf, len);
    bad[25 + 7 + 24 + 7] = 0x7f;
    assert_int_equal(agenda_load(&b, bad, len), AGENDA_ERR_SNAPSHOT);
    memcpy(bad, buf, len);
    bad[12] = 2; /* current_id -> item 2, which is pending */
    assert_int_equal(agenda_load(&b, bad, len), AGENDA_ERR_SNAPSHOT);
    memcpy(bad, buf, len);
    bad[len] = 0;
    assert_int_equal(agenda_load(&b, bad, len + 1), AGENDA_ERR_SNAPSHOT);
    assert_int_equal(agenda_load(&b, buf, len), AGENDA_OK);
    assert_true(agenda_equal(&a, &b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_validation),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_start_pause_resume),
        cmocka_unit_test(test_extend),
        cmocka_unit_test(test_next_previous),
        cmocka_unit_test(test_skip_jump_reset),
        cmocka_unit_test(test_auto_advance_warns_once),
        cmocka_unit_test(test_no_auto_advance_overtime),
        cmocka_unit_test(test_extend_rearms_warning),
        cmocka_unit_test(test_late_tick_keeps_schedule),
        cmocka_unit_test(test_reorder_while_running),
        cmocka_unit_test(test_remove_running),
        cmocka_unit_test(test_edit),
        cmocka_unit_test(test_clock_backwards),
        cmocka_unit_test(test_replay_determinism),
        cmocka_unit_test(test_restart_keeps_time_left),
        cmocka_unit_test(test_snapshot_rejects_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
