/* Unit tests for rooms/programme: session validation, add/edit/remove and
 * order, the agenda template (with breakout settings) becoming a live
 * agenda, attendance (set and one by one), notes and commitments, and carrying
 * notes over to the next session with the same people. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rooms/programme.h"

#define MIN (60 * 1000LL)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)
#define JAN15 1736935200000LL /* 2025-01-15T10:00:00Z */

static const struct agenda_item_spec tmpl[] = {
    {"Welcome", "coord-lv", AGENDA_KIND_PLENARY, 15 * MIN},
    {"Pairs", NULL, AGENDA_KIND_BREAKOUT, 40 * MIN},
    {"Pulse", "", AGENDA_KIND_FEEDBACK, 5 * MIN},
};

static struct programme_session_spec spec(int64_t start)
{
    struct programme_session_spec s = {.kind = PROGRAMME_PEER_LEARNING,
                                       .title = "Monthly peer learning",
                                       .start_ms = start,
                                       .tz = "Europe/Riga",
                                       .duration_ms = 2 * HOUR,
                                       .host = "coord-lv",
                                       .items = tmpl,
                                       .n_items = 3};
    return s;
}

static void test_kinds(void **st)
{
    (void)st;
    programme_kind k;
    assert_string_equal(programme_kind_name(PROGRAMME_WORKSHOP), "workshop");
    assert_string_equal(programme_kind_name(PROGRAMME_KIND_COUNT), "unknown");
    assert_int_equal(programme_kind_parse("peer-learning", 13, &k),
                     PROGRAMME_OK);
    assert_int_equal(k, PROGRAMME_PEER_LEARNING);
    assert_int_equal(programme_kind_parse("work", 4, &k), PROGRAMME_ERR_KIND);
    for (int e = PROGRAMME_OK; e <= PROGRAMME_ERR_BREAKOUT; e++)
        assert_string_not_equal(programme_strerror((programme_err)e),
                                "unknown error");
}

static void test_validation(void **st)
{
    (void)st;
    struct programme_session_spec s = spec(JAN15);
    struct agenda_item_spec many[PROGRAMME_TEMPLATE_MAX + 1];
    assert_int_equal(programme_check(&s), PROGRAMME_OK);
    assert_int_equal(programme_check(NULL), PROGRAMME_ERR_INVALID);
    s.kind = PROGRAMME_KIND_COUNT;
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_KIND);
    s = spec(JAN15);
    s.title = "";
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_TITLE);
    s.title = "line\nbreak";
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_TITLE);
    s = spec(PROGRAMME_START_MIN_MS - 1);
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_START);
    s = spec(PROGRAMME_START_MAX_MS);
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_START);
    s = spec(JAN15);
    s.tz = "+02:00";
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_TZ);
    s.tz = NULL;
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_TZ);
    s.tz = "Europe/Stockholm";
    s.duration_ms = PROGRAMME_DURATION_MIN_MS - 1;
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_DURATION);
    s.duration_ms = PROGRAMME_DURATION_MAX_MS + 1;
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_DURATION);
    s.duration_ms = 59 * MIN; /* the template needs 60 minutes */
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_TEMPLATE_TOO_LONG);
    s.duration_ms = 60 * MIN;
    assert_int_equal(programme_check(&s), PROGRAMME_OK);
    s.host = "";
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_USER);
    s.host = "expert-1";
    s.items = NULL;
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_TEMPLATE);
    s.n_items = 0;
    assert_int_equal(programme_check(&s), PROGRAMME_OK);
    for (size_t i = 0; i < PROGRAMME_TEMPLATE_MAX + 1; i++)
        many[i] = (struct agenda_item_spec){"x", NULL, AGENDA_KIND_TALK, MIN};
    s.items = many;
    s.n_items = PROGRAMME_TEMPLATE_MAX + 1;
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_TEMPLATE);
    s.n_items = PROGRAMME_TEMPLATE_MAX;
    assert_int_equal(programme_check(&s), PROGRAMME_OK);
    many[3].timebox_ms = 0;
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_TEMPLATE);
}

static void test_add_edit_remove_order(void **st)
{
    (void)st;
    struct programme p;
    const struct programme_session *out[4];
    uint32_t a, b, c;
    programme_init(&p);
    struct programme_session_spec s = spec(JAN15 + 30 * DAY);
    assert_int_equal(programme_add(&p, &s, &a), PROGRAMME_OK);
    s = spec(JAN15);
    s.kind = PROGRAMME_WORKSHOP;
    s.title = "Impact investors";
    s.host = "expert-7";
    s.tz = "Europe/Stockholm";
    assert_int_equal(programme_add(&p, &s, &b), PROGRAMME_OK);
    s = spec(JAN15 + 30 * DAY); /* same start as a, added later */
    assert_int_equal(programme_add(&p, &s, &c), PROGRAMME_OK);
    s.title = "";
    assert_int_equal(programme_add(&p, &s, NULL), PROGRAMME_ERR_TITLE);
    assert_int_equal(p.n_sessions, 3);
    const struct programme_session *w = programme_find(&p, b);
    assert_string_equal(w->title, "Impact investors");
    assert_string_equal(w->tz, "Europe/Stockholm");
    assert_string_equal(w->host, "expert-7");
    assert_int_equal(w->kind, PROGRAMME_WORKSHOP);
    assert_int_equal(w->n_items, 3);
    assert_string_equal(w->items[1].title, "Pairs");
    assert_string_equal(w->items[1].lead, "");
    assert_int_equal(w->items[1].timebox_ms, 40 * MIN);
    assert_int_equal(programme_sorted(&p, out, 4), 3);
    assert_int_equal(out[0]->id, b);
    assert_int_equal(out[1]->id, a);
    assert_int_equal(out[2]->id, c);
    assert_int_equal(programme_sorted(&p, out, 2), 3);
    assert_int_equal(out[0]->id, b);
    assert_int_equal(out[1]->id, a);
    /* Edit moves a before b; a bad edit changes nothing. */
    s = spec(JAN15 - DAY);
    s.n_items = 1;
    assert_int_equal(programme_edit(&p, a, &s), PROGRAMME_OK);
    assert_int_equal(programme_find(&p, a)->n_items, 1);
    s.tz = "nowhere/";
    assert_int_equal(programme_edit(&p, a, &s), PROGRAMME_ERR_TZ);
    assert_int_equal(programme_edit(&p, 99, &s), PROGRAMME_ERR_NO_SUCH_SESSION);
    assert_string_equal(programme_find(&p, a)->tz, "Europe/Riga");
    programme_sorted(&p, out, 4);
    assert_int_equal(out[0]->id, a);
    assert_int_equal(programme_remove(&p, b), PROGRAMME_OK);
    assert_int_equal(programme_remove(&p, b), PROGRAMME_ERR_NO_SUCH_SESSION);
    assert_null(programme_find(&p, b));
    s = spec(JAN15);
    uint32_t d;
    assert_int_equal(programme_add(&p, &s, &d), PROGRAMME_OK);
    assert_int_equal(d, 4); /* ids are not reused */
    programme_free(&p);
    programme_free(NULL);
}

static void test_template_to_agenda(void **st)
{
    (void)st;
    struct programme p;
    struct agenda a;
    uint32_t id;
    programme_init(&p);
    struct programme_session_spec s = spec(JAN15);
    assert_int_equal(programme_add(&p, &s, &id), PROGRAMME_OK);
    assert_int_equal(
        programme_to_agenda(programme_find(&p, id), true, JAN15, &a),
        PROGRAMME_OK);
    assert_int_equal(a.count, 3);
    assert_true(a.auto_advance);
    for (uint32_t i = 0; i < 3; i++) {
        const struct agenda_item *it = agenda_at(&a, i);
        assert_int_equal(it->id, i + 1);
        assert_string_equal(it->title, tmpl[i].title);
        assert_int_equal(it->kind, tmpl[i].kind);
        assert_int_equal(it->timebox_ms, tmpl[i].timebox_ms);
        assert_int_equal(it->state, AGENDA_ITEM_PENDING);
    }
    assert_string_equal(agenda_at(&a, 0)->lead, "coord-lv");
    assert_int_equal(agenda_start(&a, JAN15), AGENDA_OK);
    assert_int_equal(agenda_time_left_ms(&a, JAN15 + MIN), 14 * MIN);
    assert_int_equal(programme_to_agenda(NULL, false, 0, &a),
                     PROGRAMME_ERR_INVALID);
    programme_free(&p);
}

static void test_template_breakout(void **st)
{
    (void)st;
    struct programme p;
    struct agenda a;
    uint32_t id;
    programme_init(&p);
    struct programme_session_spec s = spec(JAN15);
    s.breakouts[1] = (struct programme_breakout){3, 4};
    assert_int_equal(programme_check(&s), PROGRAMME_OK);
    s.breakouts[1].size = 5;
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_BREAKOUT);
    s.breakouts[1].size = 1;
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_BREAKOUT);
    s.breakouts[1] = (struct programme_breakout){AGENDA_BREAKOUT_MODES + 1, 0};
    assert_int_equal(programme_check(&s), PROGRAMME_ERR_BREAKOUT);
    s.breakouts[1] = (struct programme_breakout){-1, 2};
    assert_int_equal(programme_add(&p, &s, NULL), PROGRAMME_ERR_BREAKOUT);
    assert_int_equal(p.n_sessions, 0);
    s.breakouts[1] = (struct programme_breakout){3, 4};
    s.breakouts[2] = (struct programme_breakout){0, 2}; /* size only */
    assert_int_equal(programme_add(&p, &s, &id), PROGRAMME_OK);
    const struct programme_session *e = programme_find(&p, id);
    assert_int_equal(e->items[0].breakout.mode, 0);
    assert_int_equal(e->items[0].breakout.size, 0);
    assert_int_equal(e->items[1].breakout.mode, 3);
    assert_int_equal(e->items[1].breakout.size, 4);
    assert_int_equal(e->items[2].breakout.size, 2);

    assert_int_equal(programme_to_agenda(e, false, JAN15, &a), PROGRAMME_OK);
    assert_int_equal(agenda_at(&a, 0)->breakout_mode, 0);
    assert_int_equal(agenda_at(&a, 1)->breakout_mode, 3);
    assert_int_equal(agenda_at(&a, 1)->breakout_size, 4);
    assert_int_equal(agenda_at(&a, 2)->breakout_mode, 0);
    assert_int_equal(agenda_at(&a, 2)->breakout_size, 2);

    /* An edit replaces the settings; a refused edit keeps them. */
    s.breakouts[1].size = 9;
    assert_int_equal(programme_edit(&p, id, &s), PROGRAMME_ERR_BREAKOUT);
    assert_int_equal(programme_find(&p, id)->items[1].breakout.size, 4);
    memset(s.breakouts, 0, sizeof s.breakouts);
    s.breakouts[1] = (struct programme_breakout){1, 0};
    assert_int_equal(programme_edit(&p, id, &s), PROGRAMME_OK);
    e = programme_find(&p, id);
    assert_int_equal(e->items[1].breakout.mode, 1);
    assert_int_equal(e->items[1].breakout.size, 0);
    assert_int_equal(e->items[2].breakout.size, 0);
    /* Settings past n_items are not looked at. */
    s.n_items = 1;
    s.breakouts[2] = (struct programme_breakout){99, 99};
    assert_int_equal(programme_check(&s), PROGRAMME_OK);
    programme_free(&p);
}

/* programme_attend() that must succeed; returns whether it changed the
 * list. */
static bool attend(struct programme *p, uint32_t id, const char *user,
                   const char *name)
{
    bool changed = false;
    assert_int_equal(programme_attend(p, id, user, name, &changed),
                     PROGRAMME_OK);
    return changed;
}

static void test_attend(void **st)
{
    (void)st;
    struct programme p;
    uint32_t id;
    bool changed = true;
    char name[PROGRAMME_NAME_MAX + 2], user[PROGRAMME_USER_MAX + 2];
    programme_init(&p);
    struct programme_session_spec s = spec(JAN15);
    assert_int_equal(programme_add(&p, &s, &id), PROGRAMME_OK);

    /* First attendance changes the list; a repeat does not. */
    assert_true(attend(&p, id, "ben", "Ben"));
    assert_false(attend(&p, id, "ben", "Ben"));
    assert_true(attend(&p, id, "ann", NULL));
    assert_int_equal(programme_attend(&p, id, "cia", "", NULL), PROGRAMME_OK);
    const struct programme_session *e = programme_find(&p, id);
    assert_int_equal(e->n_attendees, 3); /* sorted by id */
    assert_string_equal(e->attendees[0].id, "ann");
    assert_string_equal(e->attendees[0].name, "");
    assert_string_equal(e->attendees[1].id, "ben");
    assert_string_equal(e->attendees[1].name, "Ben");
    assert_string_equal(e->attendees[2].id, "cia");

    /* A new name replaces the one known; no name keeps it. */
    assert_true(attend(&p, id, "ben", "Ben Berg"));
    assert_false(attend(&p, id, "ben", ""));
    assert_false(attend(&p, id, "ben", NULL));
    e = programme_find(&p, id);
    assert_string_equal(e->attendees[1].name, "Ben Berg");
    assert_true(attend(&p, id, "ann", "Ann"));
    assert_string_equal(programme_find(&p, id)->attendees[0].name, "Ann");

    /* Errors change nothing. */
    changed = true;
    assert_int_equal(programme_attend(&p, id + 1, "dan", "Dan", &changed),
                     PROGRAMME_ERR_NO_SUCH_SESSION);
    assert_false(changed);
    assert_int_equal(programme_attend(&p, id, "", "x", NULL),
                     PROGRAMME_ERR_USER);
    assert_int_equal(programme_attend(&p, id, NULL, "x", NULL),
                     PROGRAMME_ERR_USER);
    assert_int_equal(programme_attend(&p, id, "d\nan", NULL, NULL),
                     PROGRAMME_ERR_USER);
    memset(user, 'u', sizeof user);
    user[PROGRAMME_USER_MAX + 1] = '\0'; /* one byte too long */
    assert_int_equal(programme_attend(&p, id, user, NULL, NULL),
                     PROGRAMME_ERR_USER);
    user[PROGRAMME_USER_MAX] = '\0'; /* as long as allowed */
    assert_int_equal(programme_attend(&p, id, user, NULL, NULL), PROGRAMME_OK);
    memset(name, 'n', sizeof name);
    name[PROGRAMME_NAME_MAX + 1] = '\0';
    assert_int_equal(programme_attend(&p, id, "ben", name, &changed),
                     PROGRAMME_ERR_USER);
    assert_false(changed);
    assert_int_equal(programme_attend(&p, id, "ben", "tab\there", NULL),
                     PROGRAMME_ERR_USER);
    assert_string_equal(programme_find(&p, id)->attendees[1].name, "Ben Berg");
    name[PROGRAMME_NAME_MAX] = '\0';
    assert_int_equal(programme_attend(&p, id, "ben", name, NULL), PROGRAMME_OK);
    assert_int_equal(programme_find(&p, id)->n_attendees, 4);

    /* set_attendance forgets names; attend adds names back. */
    const char *who[] = {"ben"};
    assert_int_equal(programme_set_attendance(&p, id, who, 1), PROGRAMME_OK);
    assert_string_equal(programme_find(&p, id)->attendees[0].name, "");
    assert_int_equal(programme_attend(&p, id, "ben", "Ben", &changed),
                     PROGRAMME_OK);
    assert_true(changed);

    /* The limit: a full list refuses newcomers but still takes names. */
    static char ids[PROGRAMME_ATTENDANCE_MAX][16];
    static const char *full[PROGRAMME_ATTENDANCE_MAX];
    for (size_t i = 0; i < PROGRAMME_ATTENDANCE_MAX; i++) {
        snprintf(ids[i], sizeof ids[i], "p%04zu", i);
        full[i] = ids[i];
    }
    assert_int_equal(
        programme_set_attendance(&p, id, full, PROGRAMME_ATTENDANCE_MAX),
        PROGRAMME_OK);
    assert_int_equal(programme_attend(&p, id, "zed", "Zed", &changed),
                     PROGRAMME_ERR_FULL);
    assert_false(changed);
    assert_int_equal(programme_attend(&p, id, "p0007", "Seven", &changed),
                     PROGRAMME_OK);
    assert_true(changed);
    e = programme_find(&p, id);
    assert_int_equal(e->n_attendees, PROGRAMME_ATTENDANCE_MAX);
    assert_string_equal(e->attendees[7].name, "Seven");
    programme_free(&p);
}

static void test_attendance_and_notes(void **st)
{
    (void)st;
    struct programme p;
    const struct programme_note *out[4];
    uint32_t s1, n1, n2;
    programme_init(&p);
    struct programme_session_spec s = spec(JAN15);
    programme_add(&p, &s, &s1);
    const char *who[] = {"ann", "ben", "ann", "cia"};
    const char *bad[] = {"ann", ""};
    assert_int_equal(programme_set_attendance(&p, s1, who, 4), PROGRAMME_OK);
    assert_int_equal(programme_find(&p, s1)->n_attendees, 3);
    assert_int_equal(programme_set_attendance(&p, s1, bad, 2),
                     PROGRAMME_ERR_USER);
    assert_int_equal(programme_find(&p, s1)->n_attendees, 3); /* kept */
    assert_int_equal(programme_set_attendance(&p, 77, who, 4),
                     PROGRAMME_ERR_NO_SUCH_SESSION);
    assert_int_equal(programme_set_attendance(&p, s1, who, 1), PROGRAMME_OK);
    assert_int_equal(programme_find(&p, s1)->n_attendees, 1);

    struct programme_note_spec ns = {s1,
                                     2,
                                     "Pairs",
                                     PROGRAMME_NOTE,
                                     "ann",
                                     NULL,
                                     "Grant deadlines\ndiffer by country"};
    assert_int_equal(programme_note_add(&p, &ns, JAN15 + HOUR, &n1),
                     PROGRAMME_OK);
    ns.kind = PROGRAMME_COMMITMENT;
    ns.owner = "ben";
    ns.text = "Send Ann the Vinnova contact";
    assert_int_equal(programme_note_add(&p, &ns, JAN15 + HOUR, &n2),
                     PROGRAMME_OK);
    ns.text = "";
    assert_int_equal(programme_note_add(&p, &ns, 0, NULL), PROGRAMME_ERR_TEXT);
    ns.text = "ok";
    ns.author = NULL;
    assert_int_equal(programme_note_add(&p, &ns, 0, NULL), PROGRAMME_ERR_USER);
    ns.author = "ann";
    ns.owner = "a\tb";
    assert_int_equal(programme_note_add(&p, &ns, 0, NULL), PROGRAMME_ERR_USER);
    ns.owner = NULL;
    ns.item_title = "bad\ntitle";
    assert_int_equal(programme_note_add(&p, &ns, 0, NULL), PROGRAMME_ERR_TITLE);
    ns.item_title = NULL;
    ns.kind = PROGRAMME_NOTE_KIND_COUNT;
    assert_int_equal(programme_note_add(&p, &ns, 0, NULL), PROGRAMME_ERR_KIND);
    ns.kind = PROGRAMME_NOTE;
    ns.session_id = 9;
    assert_int_equal(programme_note_add(&p, &ns, 0, NULL),
                     PROGRAMME_ERR_NO_SUCH_SESSION);
    assert_int_equal(programme_commitment_done(&p, n1, true),
                     PROGRAMME_ERR_NOT_COMMITMENT);
    assert_int_equal(programme_commitment_done(&p, n2, true), PROGRAMME_OK);
    assert_int_equal(programme_commitment_done(&p, 99, true),
                     PROGRAMME_ERR_NO_SUCH_NOTE);
    assert_int_equal(programme_notes_of(&p, s1, out, 4), 2);
    assert_int_equal(out[0]->id, n1);
    assert_string_equal(out[0]->text, "Grant deadlines\ndiffer by country");
    assert_string_equal(out[0]->item_title, "Pairs");
    assert_int_equal(out[0]->item_id, 2);
    assert_string_equal(out[1]->owner, "ben");
    assert_true(out[1]->done);
    assert_int_equal(programme_note_remove(&p, n1), PROGRAMME_OK);
    assert_int_equal(programme_note_remove(&p, n1), PROGRAMME_ERR_NO_SUCH_NOTE);
    assert_int_equal(programme_notes_of(&p, s1, NULL, 0), 1);
    programme_free(&p);
}

static uint32_t add_session(struct programme *p, int64_t start,
                            const char *const *who, size_t n, const char *note)
{
    struct programme_session_spec s = spec(start);
    uint32_t id, nid;
    assert_int_equal(programme_add(p, &s, &id), PROGRAMME_OK);
    assert_int_equal(programme_set_attendance(p, id, who, n), PROGRAMME_OK);
    if (note) {
        struct programme_note_spec ns = {
            id, 1, "Welcome", PROGRAMME_COMMITMENT, who[0], who[0], note};
        assert_int_equal(programme_note_add(p, &ns, start + HOUR, &nid),
                         PROGRAMME_OK);
    }
    return id;
}

static void test_carry_over(void **st)
{
    (void)st;
    struct programme p;
    const struct programme_note *out[4];
    uint32_t prev = 99;
    size_t n = 99;
    programme_init(&p);
    const char *jan[] = {"ann", "ben", "cia"};
    const char *feb[] = {"dan", "eve"};
    const char *may[] = {"ben"};
    uint32_t s_jan = add_session(&p, JAN15, jan, 3, "jan note");
    uint32_t s_feb = add_session(&p, JAN15 + 31 * DAY, feb, 2, "feb note");
    uint32_t s_apr = add_session(&p, JAN15 + 90 * DAY, NULL, 0, NULL);
    add_session(&p, JAN15 + 120 * DAY, may, 1, "may note"); /* later */
    add_session(&p, JAN15 + 90 * DAY, may, 1, "same time"); /* not before */

    /* Ben comes to April: January (not February, not later ones). */
    const char *apr[] = {"ben", "xavier", "ben"};
    assert_int_equal(
        programme_carry_over(&p, s_apr, apr, 3, 1, &prev, out, 4, &n),
        PROGRAMME_OK);
    assert_int_equal(prev, s_jan);
    assert_int_equal(n, 1);
    assert_string_equal(out[0]->text, "jan note");
    /* Dan and Eve: February is the latest with them. */
    const char *apr2[] = {"eve", "dan", "ann"};
    assert_int_equal(
        programme_carry_over(&p, s_apr, apr2, 3, 1, &prev, out, 4, &n),
        PROGRAMME_OK);
    assert_int_equal(prev, s_feb);
    assert_string_equal(out[0]->text, "feb note");
    /* Needing two shared people: only January has ann and ben. */
    const char *apr3[] = {"ann", "ben", "dan"};
    assert_int_equal(
        programme_carry_over(&p, s_apr, apr3, 3, 2, &prev, out, 4, &n),
        PROGRAMME_OK);
    assert_int_equal(prev, s_jan);
    /* A duplicated name does not count twice. */
    const char *dup[] = {"dan", "dan", "zed"};
    assert_int_equal(
        programme_carry_over(&p, s_apr, dup, 3, 2, &prev, out, 4, &n),
        PROGRAMME_OK);
    assert_int_equal(prev, 0);
    assert_int_equal(n, 0);
    /* Without a list: April's recorded attendance. */
    const char *rec[] = {"cia"};
    programme_set_attendance(&p, s_apr, rec, 1);
    assert_int_equal(
        programme_carry_over(&p, s_apr, NULL, 0, 0, &prev, out, 4, &n),
        PROGRAMME_OK);
    assert_int_equal(prev, s_jan);
    /* Nobody new in common: nothing to carry. */
    const char *strangers[] = {"zed"};
    assert_int_equal(
        programme_carry_over(&p, s_apr, strangers, 1, 1, &prev, out, 4, &n),
        PROGRAMME_OK);
    assert_int_equal(prev, 0);
    const char *badlist[] = {"ok", "bad\n"};
    assert_int_equal(
        programme_carry_over(&p, s_apr, badlist, 2, 1, &prev, out, 4, &n),
        PROGRAMME_ERR_USER);
    assert_int_equal(
        programme_carry_over(&p, 999, NULL, 0, 1, &prev, out, 4, &n),
        PROGRAMME_ERR_NO_SUCH_SESSION);
    /* Removing January removes its notes; the next best is nothing. */
    assert_int_equal(programme_remove(&p, s_jan), PROGRAMME_OK);
    assert_int_equal(
        programme_carry_over(&p, s_apr, apr, 3, 1, &prev, out, 4, &n),
        PROGRAMME_OK);
    assert_int_equal(prev, 0);
    assert_int_equal(p.n_notes, 3);
    programme_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_add_edit_remove_order),
        cmocka_unit_test(test_template_to_agenda),
        cmocka_unit_test(test_template_breakout),
        cmocka_unit_test(test_attend),
        cmocka_unit_test(test_attendance_and_notes),
        cmocka_unit_test(test_carry_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
