/* test_profile.c: the self-assessment profile: key tables, setters with
 * explicit lengths, validation of hand-filled values, version compare. */
#include "pairing_test.h"

#include <string.h>

void test_profile_keys(void **state)
{
    (void)state;
    static const char *const want[PROFILE_TOPIC_COUNT] = {
        "financing",     "impact_investment", "public_sector",
        "corporate",     "visibility",        "impact_measurement",
        "team_capacity", "legal_governance",  "digital_tools",
        "new_markets"};
    for (int t = 0; t < PROFILE_TOPIC_COUNT; t++) {
        profile_topic back;
        assert_string_equal(profile_topic_key(t), want[t]);
        assert_true(profile_topic_from_key(want[t], strlen(want[t]), &back));
        assert_int_equal(back, t);
    }
    profile_topic t;
    assert_null(profile_topic_key(PROFILE_TOPIC_COUNT));
    assert_false(profile_topic_from_key("financin", 8, &t));
    assert_false(profile_topic_from_key("financingx", 10, &t));
    assert_false(profile_topic_from_key(NULL, 0, &t));
    /* Explicit length: a longer buffer is fine. */
    assert_true(profile_topic_from_key("corporate!!", 9, &t));
    assert_int_equal(t, PROFILE_TOPIC_CORPORATE);

    profile_mark m;
    assert_true(profile_mark_from_key("both", 4, &m));
    assert_int_equal(m, PROFILE_MARK_BOTH);
    assert_int_equal(PROFILE_MARK_NEED | PROFILE_MARK_OFFER, PROFILE_MARK_BOTH);
    assert_string_equal(profile_mark_key(PROFILE_MARK_OFFER), "offer");
    assert_null(profile_mark_key((profile_mark)4));
    profile_stage s;
    assert_true(profile_stage_from_key("middle", 6, &s));
    assert_int_equal(s, PROFILE_STAGE_MIDDLE);
    assert_string_equal(profile_stage_key(PROFILE_STAGE_END), "end");
    assert_false(profile_stage_from_key("END", 3, &s));
    assert_string_not_equal(profile_strerror(PROFILE_ERR_ID),
                            profile_strerror(PROFILE_ERR_NAME));
    assert_string_equal(profile_strerror((profile_error)99), "unknown error");
}

void test_profile_setters(void **state)
{
    (void)state;
    profile p;
    profile_init(&p);
    char long_id[PROFILE_ID_MAX + 2];
    memset(long_id, 'a', sizeof(long_id));
    assert_int_equal(profile_set_user_id(&p, "", 0), PROFILE_ERR_ID);
    assert_int_equal(profile_set_user_id(&p, "a b", 3), PROFILE_ERR_ID);
    assert_int_equal(profile_set_user_id(&p, long_id, PROFILE_ID_MAX + 1),
                     PROFILE_ERR_ID);
    assert_int_equal(profile_set_user_id(&p, long_id, PROFILE_ID_MAX),
                     PROFILE_OK);
    assert_int_equal(strlen(p.user_id), PROFILE_ID_MAX);
    assert_int_equal(profile_set_user_id(&p, "u-1xyz", 3), PROFILE_OK);
    assert_string_equal(p.user_id, "u-1");

    const char *anna = "Anna B\xc4\x93rzi\xc5\x86\x61"; /* Anna Bērziņa */
    assert_int_equal(profile_set_name(&p, anna, strlen(anna)), PROFILE_OK);
    assert_string_equal(p.name, anna);
    assert_int_equal(profile_set_name(&p, "\xc0\xaf", 2), PROFILE_ERR_NAME);
    assert_int_equal(profile_set_name(&p, "\xed\xa0\x80", 3),
                     PROFILE_ERR_NAME); /* surrogate */
    assert_int_equal(profile_set_name(&p, "\xe2\x82", 2), PROFILE_ERR_NAME);
    assert_int_equal(profile_set_name(&p, "a\nb", 3), PROFILE_ERR_NAME);
    assert_int_equal(profile_set_name(&p, "a\0b", 3), PROFILE_ERR_NAME);
    assert_string_equal(p.name, anna); /* unchanged on error */

    assert_int_equal(profile_set_country(&p, "lv", 2), PROFILE_OK);
    assert_string_equal(p.country, "LV");
    assert_int_equal(profile_set_country(&p, "L1", 2), PROFILE_ERR_COUNTRY);
    assert_int_equal(profile_set_country(&p, "LVA", 3), PROFILE_ERR_COUNTRY);
    assert_string_equal(p.country, "LV");
}

void test_profile_setters_lists(void **state)
{
    (void)state;
    profile p;
    profile_init(&p);
    assert_int_equal(profile_set_user_id(&p, "u-2", 3), PROFILE_OK);
    assert_int_equal(profile_add_language(&p, "EN", 2), PROFILE_OK);
    assert_string_equal(p.languages[0], "en");
    assert_int_equal(profile_add_language(&p, "en", 2), PROFILE_ERR_LANG_DUP);
    assert_int_equal(profile_add_language(&p, "e", 1), PROFILE_ERR_LANGUAGE);
    assert_int_equal(profile_add_language(&p, "e1", 2), PROFILE_ERR_LANGUAGE);
    const char *more[] = {"lv", "ru", "sv", "et", "lt", "de", "fin"};
    for (int i = 0; i < 7; i++)
        assert_int_equal(profile_add_language(&p, more[i], strlen(more[i])),
                         PROFILE_OK);
    assert_int_equal(profile_add_language(&p, "fr", 2), PROFILE_ERR_LANG_FULL);
    assert_int_equal(p.n_languages, PROFILE_LANGS_MAX);

    assert_int_equal(
        profile_set_mark(&p, PROFILE_TOPIC_COUNT, PROFILE_MARK_NEED),
        PROFILE_ERR_TOPIC);
    assert_int_equal(profile_set_mark(&p, 0, (profile_mark)4),
                     PROFILE_ERR_MARK);
    assert_int_equal(
        profile_set_mark(&p, PROFILE_TOPIC_VISIBILITY, PROFILE_MARK_BOTH),
        PROFILE_OK);
    assert_true(profile_needs(&p, PROFILE_TOPIC_VISIBILITY));
    assert_true(profile_offers(&p, PROFILE_TOPIC_VISIBILITY));
    assert_false(profile_needs(&p, PROFILE_TOPIC_FINANCING));

    char text[PROFILE_TEXT_MAX + 1];
    memset(text, 'x', sizeof(text));
    text[10] = '\n';
    assert_int_equal(profile_set_text(&p, text, PROFILE_TEXT_MAX + 1),
                     PROFILE_ERR_TEXT);
    assert_int_equal(profile_set_text(&p, text, PROFILE_TEXT_MAX), PROFILE_OK);
    assert_int_equal(strlen(p.text), PROFILE_TEXT_MAX);
    assert_int_equal(profile_set_text(&p, "\x01", 1), PROFILE_ERR_TEXT);
    assert_int_equal(profile_validate(&p), PROFILE_OK);
}

void test_profile_validate(void **state)
{
    (void)state;
    profile p, q;
    tp_person(&p, "anna", "LV", "lv,en,ru", TP_BIT(1), TP_BIT(4));
    assert_int_equal(profile_validate(&p), PROFILE_OK);

    q = p;
    q.user_id[0] = '\0';
    assert_int_equal(profile_validate(&q), PROFILE_ERR_ID);
    q = p;
    memset(q.user_id, 'a', sizeof(q.user_id)); /* unterminated */
    assert_int_equal(profile_validate(&q), PROFILE_ERR_ID);
    q = p;
    memset(q.text, 'a', sizeof(q.text));
    assert_int_equal(profile_validate(&q), PROFILE_ERR_TEXT);
    q = p;
    strcpy(q.country, "lv");
    assert_int_equal(profile_validate(&q), PROFILE_ERR_COUNTRY);
    q = p;
    strcpy(q.languages[2], "lv");
    assert_int_equal(profile_validate(&q), PROFILE_ERR_LANG_DUP);
    q = p;
    strcpy(q.languages[1], "E");
    assert_int_equal(profile_validate(&q), PROFILE_ERR_LANGUAGE);
    q = p;
    q.n_languages = PROFILE_LANGS_MAX + 1;
    assert_int_equal(profile_validate(&q), PROFILE_ERR_LANG_FULL);
    q = p;
    q.marks[3] = 7;
    assert_int_equal(profile_validate(&q), PROFILE_ERR_MARK);
    q = p;
    q.stage = PROFILE_STAGE_COUNT;
    assert_int_equal(profile_validate(&q), PROFILE_ERR_STAGE);
    q = p;
    q.updated_at_ms = -1;
    assert_int_equal(profile_validate(&q), PROFILE_ERR_TIME);

    /* An empty profile (only an id) is valid: no country, no language. */
    tp_person(&q, "empty", "", "", 0, 0);
    assert_int_equal(profile_validate(&q), PROFILE_OK);

    profile a, b;
    tp_person(&a, "a", "SE", "sv,en", 0, 0);
    tp_person(&b, "b", "LV", "lv,ru,en", 0, 0);
    assert_int_equal(profile_shared_language(&a, &b), 1); /* en */
    tp_person(&b, "b", "LV", "lv,ru", 0, 0);
    assert_int_equal(profile_shared_language(&a, &b), -1);
}

void test_profile_compare(void **state)
{
    (void)state;
    profile start, end;
    unsigned fin = TP_BIT(PROFILE_TOPIC_FINANCING),
             inv = TP_BIT(PROFILE_TOPIC_IMPACT_INVESTMENT),
             vis = TP_BIT(PROFILE_TOPIC_VISIBILITY);
    tp_person(&start, "jonas", "LT", "lt,en", fin | inv, 0);
    start.stage = PROFILE_STAGE_START;
    tp_person(&end, "jonas", "LT", "lt,en", inv | vis, fin);
    end.stage = PROFILE_STAGE_END;
    profile_change ch;
    profile_compare(&start, &end, &ch);
    assert_int_equal(ch.needs_met, 1);  /* financing */
    assert_int_equal(ch.needs_new, 1);  /* visibility */
    assert_int_equal(ch.offers_new, 1); /* financing */
    assert_int_equal(ch.before[PROFILE_TOPIC_FINANCING], PROFILE_MARK_NEED);
    assert_int_equal(ch.after[PROFILE_TOPIC_FINANCING], PROFILE_MARK_OFFER);
}
