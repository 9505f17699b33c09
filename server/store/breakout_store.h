/* breakout_store: the Redis keys of self-assessment profiles, the pair
 * history and a session's breakout round, on top of redis_client. The
 * only place that knows their layout; the app sees plain C values.
 *
 * Long-lived data of a network (programme) N, one hash tag per network:
 *   kopa:{net:N}:profile:<user>  hash: <stage>.<field> for each version
 *                                (stage start|middle|end; fields name,
 *                                country, langs, marks, text, at)
 *   kopa:{net:N}:profiles        set of users with a profile
 *   kopa:{net:N}:meetings        hash: "<session>/<round>" -> the groups
 *                                of one opened round (at and countries)
 * A session's round (the session id as hash tag):
 *   kopa:{S}:round               hash: the whole round, rewritten on every
 *                                change under a growing version "v"
 * langs ("lv,en") and marks ("financing=need,...") are opaque strings to
 * this module. Every write is idempotent (a re-sent write is harmless). */
#ifndef KOPA_STORE_BREAKOUT_STORE_H
#define KOPA_STORE_BREAKOUT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "server/store/redis_client.h"

#define BREAKOUT_STORE_STAGES 3

/* One version of a profile. */
typedef struct breakout_store_version {
    const char *stage; /* "start", "middle" or "end" */
    const char *name, *country, *langs, *marks;
    const char *text;
    size_t text_len;
    int64_t at_ms;
} breakout_store_version;

typedef struct breakout_store_profile {
    const char *user;
    breakout_store_version versions[BREAKOUT_STORE_STAGES]; /* stage order */
    size_t nversions;
} breakout_store_profile;

/* One recorded round of the pair history. */
typedef struct breakout_store_member {
    const char *id;
    const char *country; /* "" when unknown */
} breakout_store_member;

typedef struct breakout_store_group {
    const breakout_store_member *members;
    size_t n;
} breakout_store_group;

typedef struct breakout_store_meetings {
    const char *session;
    int64_t round;
    int64_t at_ms;
    const breakout_store_group *groups;
    size_t ngroups;
} breakout_store_meetings;

/* Callbacks run once, from the loop; on failure the results are NULL/0
 * and err says why (a static string). Everything is borrowed for the
 * call. */
typedef void (*breakout_store_done_cb)(const char *err, void *data);
typedef void (*breakout_store_profiles_cb)(const breakout_store_profile *p,
                                           size_t n,
                                           const breakout_store_meetings *m,
                                           size_t nm, const char *err,
                                           void *data);

/* Durably saves one version of user's profile in network net (replacing
 * that stage's previous save) and lists user in the network's profiles.
 * cb (may be NULL) runs once stored. Returns -1 when the write queue is
 * full (cb not called). */
int breakout_store_profile_save(redis_client *c, const char *net,
                                const char *user,
                                const breakout_store_version *v,
                                breakout_store_done_cb cb, void *data);

/* Reads the profiles of the nusers users (every profile of the network
 * when users is NULL; users without one are left out) and, when
 * with_meetings, every recorded round of the network. A read. Returns -1
 * when the command could not be issued (cb not called). */
int breakout_store_profiles(redis_client *c, const char *net,
                            const char *const *users, size_t nusers,
                            int with_meetings, breakout_store_profiles_cb cb,
                            void *data);

/* Durably records the groups of round m->round of session m->session. */
int breakout_store_meetings_add(redis_client *c, const char *net,
                                const breakout_store_meetings *m);

/* A session's round, as saved. Strings may be ""; reasons and warnings
 * are opaque text (the app keeps JSON there). */
typedef struct breakout_store_person {
    const char *id, *name, *country;
} breakout_store_person;

typedef struct breakout_store_rgroup {
    const char *room;
    const char *const *members;
    size_t nmembers;
    const char *language;
    int language_ok;
    int64_t score;
    const char *reasons;
    size_t reasons_len;
} breakout_store_rgroup;

typedef struct breakout_store_pair {
    const char *a, *b; /* unassigned: id, cause; visit: user, room */
} breakout_store_pair;

typedef struct breakout_store_help {
    int64_t id;
    const char *user, *room, *text;
    int64_t ts;
} breakout_store_help;

typedef struct breakout_store_note {
    const char *id, *room, *user;
    const char *text;
    size_t text_len;
    int64_t ts;
} breakout_store_note;

typedef struct breakout_store_round {
    int64_t version;   /* grows with every save; older saves are ignored */
    int64_t seq;       /* the session's round number */
    const char *state; /* "none", "planned" or "open" */
    const char *mode;
    int group_size;
    int64_t duration_ms, seed, opened_ms, deadline_ms;
    int warned;
    int64_t help_seq;
    const breakout_store_person *people;
    size_t npeople;
    const breakout_store_rgroup *groups;
    size_t ngroups;
    const breakout_store_pair *unassigned;
    size_t nunassigned;
    const char *warnings;
    size_t warnings_len;
    const breakout_store_pair *visits;
    size_t nvisits;
    const breakout_store_help *help;
    size_t nhelp;
    const breakout_store_note *notes;
    size_t nnotes;
} breakout_store_round;

/* r is NULL when the session has no round stored. */
typedef void (*breakout_store_round_cb)(const breakout_store_round *r,
                                        const char *err, void *data);

/* Durably replaces session sid's round with r, unless a save with the
 * same or a higher version is stored. Returns -1 when the write queue is
 * full. */
int breakout_store_round_save(redis_client *c, const char *sid,
                              const breakout_store_round *r);

/* Reads session sid's round. A read. Returns -1 when the command could
 * not be issued (cb not called). */
int breakout_store_round_load(redis_client *c, const char *sid,
                              breakout_store_round_cb cb, void *data);

#endif
