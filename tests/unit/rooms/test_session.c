/* Unit tests for rooms/session: id validation, the main room, connect and
 * disconnect with several tabs and the online counters, identity updates,
 * restoring channel tops, channel lookups and who may read what. */
#include "rooms_tests.h"

#include <stdio.h>
#include <string.h>

#include "rooms/session.h"

static member_info info_of(const char *id, const char *name, role r)
{
    member_info info;
    memset(&info, 0, sizeof(info));
    snprintf(info.id, sizeof(info.id), "%s", id);
    snprintf(info.name, sizeof(info.name), "%s", name);
    info.role = r;
    return info;
}

/* Connects id and returns the member, asserting *first as want_first. */
static member *connect_as(session *s, const char *id, int want_first)
{
    member_info info = info_of(id, id, ROLE_ENTREPRENEUR);
    member *m = NULL;
    int first = -1;
    assert_int_equal(session_connect(s, &info, &m, &first), SESSION_OK);
    assert_non_null(m);
    assert_int_equal(first, want_first);
    return m;
}

static void test_new_validates_id(void **st)
{
    (void)st;
    char longest[SESSION_ID_MAX + 2];
    memset(longest, 'a', SESSION_ID_MAX);
    longest[SESSION_ID_MAX] = '\0';
    static const char *const good[] = {"s1", "A-z_0.9", "x"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        session *s = session_new(good[i], "ep1", 8);
        assert_non_null(s);
        assert_string_equal(s->id, good[i]);
        assert_string_equal(s->epoch, "ep1");
        assert_string_equal(s->prev_epoch, "");
        session_free(s);
    }
    session *s = session_new(longest, "ep1", 8);
    assert_non_null(s);
    assert_string_equal(s->id, longest);
    session_free(s);

    longest[SESSION_ID_MAX] = 'a';
    longest[SESSION_ID_MAX + 1] = '\0';
    assert_null(session_new(longest, "ep1", 8));
    static const char *const bad[] = {"",    "a b", "a/b", "room:x",
                                      "a\n", "é",   "a*",  "../x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_null(session_new(bad[i], "ep1", 8));
    assert_null(session_new("s1", "ep1", 0)); /* no ring */
    session_free(NULL);
}

static void test_main_room(void **st)
{
    (void)st;
    session *s = session_new("s1", "ep1", 8);
    assert_non_null(s);
    assert_int_equal(s->nrooms, 1);
    assert_int_equal(s->nmembers, 0);
    assert_int_equal(s->online, 0);
    room *r = session_room(s, SESSION_MAIN_ROOM);
    assert_non_null(r);
    assert_string_equal(r->id, "main");
    assert_int_equal(r->kind, ROOM_MAIN);
    assert_non_null(r->log);
    assert_string_equal(r->log->name, "room:main");
    assert_int_equal(r->log->top, 0);
    assert_int_equal(r->log->cap, 8);
    assert_ptr_equal(session_channel(s, "room:main"), r->log);
    assert_null(session_room(s, "mai"));
    assert_null(session_room(s, "b1"));
    assert_non_null(s->dedup);
    session_free(s);
}

static void test_connect_and_tabs(void **st)
{
    (void)st;
    session *s = session_new("s1", "ep1", 8);
    assert_non_null(s);
    member_info ann = info_of("ann", "Ann A.", ROLE_EXPERT);
    snprintf(ann.country, sizeof(ann.country), "KE");
    snprintf(ann.langs[0], sizeof(ann.langs[0]), "en");
    snprintf(ann.langs[1], sizeof(ann.langs[1]), "sw");
    ann.nlangs = 2;
    member *m = NULL;
    int first = -1;
    assert_int_equal(session_connect(s, &ann, &m, &first), SESSION_OK);
    assert_non_null(m);
    assert_int_equal(first, 1);
    assert_ptr_equal(session_member(s, "ann"), m);
    assert_string_equal(m->room, SESSION_MAIN_ROOM);
    assert_true(session_in_room(m, "main"));
    assert_int_equal(m->online, 1);
    assert_int_equal(m->known, 1);
    assert_string_equal(m->info.name, "Ann A.");
    assert_int_equal(m->info.role, ROLE_EXPERT);
    assert_string_equal(m->info.country, "KE");
    assert_int_equal(m->info.nlangs, 2);
    assert_string_equal(m->info.langs[1], "sw");
    assert_non_null(m->inbox);
    assert_string_equal(m->inbox->name, "user:ann");
    assert_int_equal(s->nmembers, 1);
    assert_int_equal(s->online, 1);

    /* A second and third tab: same member, not first, still one online. */
    assert_ptr_equal(connect_as(s, "ann", 0), m);
    assert_ptr_equal(connect_as(s, "ann", 0), m);
    assert_int_equal(m->online, 3);
    assert_int_equal(s->online, 1);
    assert_int_equal(s->nmembers, 1);

    member *ben = connect_as(s, "ben", 1);
    assert_ptr_not_equal(ben, m);
    assert_int_equal(s->online, 2);
    assert_int_equal(s->nmembers, 2);

    /* Only the last tab's close takes ann offline. */
    assert_int_equal(session_disconnect(s, m), 0);
    assert_int_equal(session_disconnect(s, m), 0);
    assert_int_equal(s->online, 2);
    assert_int_equal(session_disconnect(s, m), 1);
    assert_int_equal(m->online, 0);
    assert_int_equal(s->online, 1);
    /* A stray close of an offline member changes nothing. */
    assert_int_equal(session_disconnect(s, m), 0);
    assert_int_equal(m->online, 0);
    assert_int_equal(s->online, 1);
    /* She stays a member, and her return is a first connection again. */
    assert_ptr_equal(session_member(s, "ann"), m);
    assert_ptr_equal(connect_as(s, "ann", 1), m);
    assert_int_equal(s->online, 2);
    assert_int_equal(session_disconnect(s, ben), 1);
    assert_int_equal(session_disconnect(s, m), 1);
    assert_int_equal(s->online, 0);
    assert_int_equal(s->nmembers, 2);
    session_free(s);
}

static void test_identity_updated(void **st)
{
    (void)st;
    session *s = session_new("s1", "ep1", 8);
    assert_non_null(s);
    member_info v1 = info_of("ann", "Ann", ROLE_ENTREPRENEUR);
    member *m = NULL, *m2 = NULL;
    int first = -1;
    assert_int_equal(session_connect(s, &v1, &m, &first), SESSION_OK);
    snprintf(m->room, sizeof(m->room), "b1"); /* moved by a breakout */
    member_info v2 = info_of("ann", "Ann Mwangi", ROLE_COORDINATOR);
    v2.nlangs = 1;
    snprintf(v2.langs[0], sizeof(v2.langs[0]), "fr");
    assert_int_equal(session_connect(s, &v2, &m2, &first), SESSION_OK);
    assert_ptr_equal(m2, m);
    assert_int_equal(first, 0);
    assert_string_equal(m->info.name, "Ann Mwangi");
    assert_int_equal(m->info.role, ROLE_COORDINATOR);
    assert_int_equal(m->info.nlangs, 1);
    assert_string_equal(m->info.langs[0], "fr");
    assert_string_equal(m->room, "b1"); /* a new tab does not move her */
    assert_int_equal(m->online, 2);
    assert_int_equal(s->nmembers, 1);

    /* Changing the caller's info afterwards does not reach the member. */
    snprintf(v2.name, sizeof(v2.name), "someone else");
    assert_string_equal(m->info.name, "Ann Mwangi");

    /* An invalid id is refused and adds nobody. */
    member_info bad = info_of("a b", "x", ROLE_EXPERT);
    m2 = NULL;
    assert_int_equal(session_connect(s, &bad, &m2, &first), SESSION_ERR_BAD_ID);
    bad = info_of("", "x", ROLE_EXPERT);
    assert_int_equal(session_connect(s, &bad, &m2, &first), SESSION_ERR_BAD_ID);
    assert_null(m2);
    assert_int_equal(s->nmembers, 1);
    assert_int_equal(s->online, 1);
    session_free(s);
}

static void test_many_members(void **st)
{
    (void)st;
    char id[16];
    session *s = session_new("s1", "ep1", 2);
    assert_non_null(s);
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof(id), "m%d", i);
        connect_as(s, id, 1);
    }
    assert_int_equal(s->nmembers, 300);
    assert_int_equal(s->online, 300);
    for (int i = 0; i < 300; i += 2) {
        snprintf(id, sizeof(id), "m%d", i);
        member *m = session_member(s, id);
        assert_non_null(m);
        assert_string_equal(m->info.id, id);
        assert_int_equal(session_disconnect(s, m), 1);
    }
    assert_int_equal(s->online, 150);
    assert_null(session_member(s, "m300"));
    session_free(s);
}

static void test_restore_top(void **st)
{
    (void)st;
    session *s = session_new("s1", "ep1", 8);
    assert_non_null(s);
    /* The main room continues after storage's top; a lower top later does
     * not take it back. */
    assert_int_equal(session_restore_top(s, "room:main", 42), SESSION_OK);
    channel *mainlog = session_channel(s, "room:main");
    assert_non_null(mainlog);
    assert_int_equal(mainlog->top, 42);
    assert_int_equal(mainlog->base, 42);
    assert_int_equal(channel_next_offset(mainlog), 43);
    assert_int_equal(channel_first_held(mainlog), 43);
    assert_false(channel_covers_after(mainlog, 41));
    assert_int_equal(session_restore_top(s, "room:main", 7), SESSION_OK);
    assert_int_equal(mainlog->top, 42);
    assert_int_equal(s->nrooms, 1);
    assert_int_equal(session_room(s, "main")->kind, ROOM_MAIN);

    /* A new breakout room. */
    assert_int_equal(session_restore_top(s, "room:b1", 7), SESSION_OK);
    room *b1 = session_room(s, "b1");
    assert_non_null(b1);
    assert_int_equal(b1->kind, ROOM_BREAKOUT);
    assert_string_equal(b1->log->name, "room:b1");
    assert_int_equal(b1->log->top, 7);
    assert_int_equal(b1->log->base, 7);
    assert_int_equal(b1->log->cap, 8);
    assert_int_equal(s->nrooms, 2);
    assert_ptr_equal(session_channel(s, "room:b1"), b1->log);
    assert_int_equal(session_restore_top(s, "room:b1", 9), SESSION_OK);
    assert_int_equal(b1->log->top, 9);
    assert_int_equal(b1->log->base, 9);
    assert_int_equal(s->nrooms, 2);

    /* user:X makes a member the session knows of, offline, in the main
     * room, whose private channel continues after storage's top. */
    assert_int_equal(session_restore_top(s, "user:cy", 3), SESSION_OK);
    member *cy = session_member(s, "cy");
    assert_non_null(cy);
    assert_string_equal(cy->info.id, "cy");
    assert_int_equal(cy->online, 0);
    assert_int_equal(cy->known, 0); /* no token seen yet */
    assert_string_equal(cy->room, SESSION_MAIN_ROOM);
    assert_int_equal(cy->inbox->top, 3);
    assert_int_equal(cy->inbox->base, 3);
    assert_string_equal(cy->inbox->name, "user:cy");
    assert_int_equal(s->nmembers, 1);
    assert_int_equal(s->online, 0);
    assert_int_equal(session_restore_top(s, "user:cy", 1), SESSION_OK);
    assert_int_equal(cy->inbox->top, 3);
    assert_int_equal(session_restore_top(s, "user:cy", 5), SESSION_OK);
    assert_int_equal(cy->inbox->top, 5);
    assert_int_equal(channel_next_offset(cy->inbox), 6);
    /* Their first connection is the restored member, now first online. */
    assert_ptr_equal(connect_as(s, "cy", 1), cy);
    assert_int_equal(cy->known, 1);
    assert_int_equal(cy->inbox->top, 5);
    assert_int_equal(s->nmembers, 1);
    assert_int_equal(s->online, 1);

    char toolong[SESSION_ID_MAX + 16];
    memset(toolong, 'x', sizeof(toolong) - 1);
    toolong[sizeof(toolong) - 1] = '\0';
    memcpy(toolong, "room:", 5);
    static const char *const bad[] = {
        "",       "main",      "room",     "room:",
        "user:",  "room:a b",  "user:a/b", "Room:main",
        "chan:x", "room main", "user;cy",  "room:main\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(session_restore_top(s, bad[i], 1), SESSION_ERR_BAD_ID);
    assert_int_equal(session_restore_top(s, toolong, 1), SESSION_ERR_BAD_ID);
    memcpy(toolong, "user:", 5);
    assert_int_equal(session_restore_top(s, toolong, 1), SESSION_ERR_BAD_ID);
    assert_int_equal(s->nrooms, 2);
    assert_int_equal(s->nmembers, 1);
    session_free(s);
}

static void test_channel_lookup(void **st)
{
    (void)st;
    session *s = session_new("s1", "ep1", 8);
    assert_non_null(s);
    member *ann = connect_as(s, "ann", 1);
    assert_int_equal(session_restore_top(s, "room:b1", 0), SESSION_OK);
    assert_ptr_equal(session_channel(s, "room:main"),
                     session_room(s, "main")->log);
    assert_ptr_equal(session_channel(s, "room:b1"), session_room(s, "b1")->log);
    assert_ptr_equal(session_channel(s, "user:ann"), ann->inbox);
    static const char *const none[] = {
        "room:nope", "user:nope", "user:an", "user:anne", "room:mai", "main",
        "ann",       "",          "room:",   "user:",     "dm:ann",
    };
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
        assert_null(session_channel(s, none[i]));
    /* A lookup does not create anything. */
    assert_int_equal(s->nrooms, 2);
    assert_int_equal(s->nmembers, 1);
    session_free(s);
}

static void test_may_read_and_in_room(void **st)
{
    (void)st;
    session *s = session_new("s1", "ep1", 8);
    assert_non_null(s);
    member *ann = connect_as(s, "ann", 1);
    member *ben = connect_as(s, "ben", 1);
    assert_int_equal(session_restore_top(s, "room:b1", 0), SESSION_OK);

    assert_true(session_may_read(s, ann, "room:main"));
    assert_false(session_may_read(s, ann, "room:b1"));
    assert_true(session_may_read(s, ann, "user:ann"));
    assert_false(session_may_read(s, ann, "user:ben"));
    assert_false(session_may_read(s, ann, "user:an"));
    assert_false(session_may_read(s, ann, "user:anna"));
    assert_false(session_may_read(s, ann, "user:"));
    assert_false(session_may_read(s, ann, "ann"));
    assert_false(session_may_read(s, ann, "main"));
    assert_false(session_may_read(s, ann, ""));
    assert_false(session_may_read(s, ann, "room:"));
    assert_false(session_may_read(s, ann, "room:mainx"));

    /* Only the current room: after a move to b1 the main log is closed. */
    snprintf(ann->room, sizeof(ann->room), "b1");
    assert_true(session_in_room(ann, "b1"));
    assert_false(session_in_room(ann, "main"));
    assert_false(session_in_room(ann, "b"));
    assert_false(session_in_room(ann, "b10"));
    assert_false(session_in_room(ann, ""));
    assert_true(session_may_read(s, ann, "room:b1"));
    assert_false(session_may_read(s, ann, "room:main"));
    assert_true(session_may_read(s, ann, "user:ann"));
    assert_true(session_may_read(s, ben, "room:main"));
    assert_false(session_may_read(s, ben, "room:b1"));
    assert_true(session_may_read(s, ben, "user:ben"));
    assert_false(session_may_read(s, ben, "user:ann"));
    assert_true(session_in_room(ben, SESSION_MAIN_ROOM));
    session_free(s);
}

static void test_strerror(void **st)
{
    (void)st;
    assert_string_equal(session_strerror(SESSION_OK), "ok");
    static const session_error errs[] = {
        SESSION_ERR_NOMEM, SESSION_ERR_BAD_ID, SESSION_ERR_NO_ROOM,
        SESSION_ERR_NO_MEMBER, SESSION_ERR_FULL};
    size_t n = sizeof(errs) / sizeof(errs[0]);
    for (size_t i = 0; i < n; i++) {
        assert_string_not_equal(session_strerror(errs[i]), "ok");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(session_strerror(errs[i]),
                                    session_strerror(errs[j]));
    }
    assert_non_null(session_strerror((session_error)99));
}

int run_session_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_validates_id),
        cmocka_unit_test(test_main_room),
        cmocka_unit_test(test_connect_and_tabs),
        cmocka_unit_test(test_identity_updated),
        cmocka_unit_test(test_many_members),
        cmocka_unit_test(test_restore_top),
        cmocka_unit_test(test_channel_lookup),
        cmocka_unit_test(test_may_read_and_in_room),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
