/* round: the app's internals for profiles and breakout rounds, shared by
 * round.c (the round's state, persistence, timer and moves),
 * handle_round.c (the coordinator's lifecycle messages), handle_breakout.c
 * (what happens inside breakouts) and handle_profile.c (profiles and the
 * pair history). Not for other modules. */
#ifndef KOPA_APP_ROUND_H
#define KOPA_APP_ROUND_H

#include "server/app/app_internal.h"
#include "server/proto/encode_breakout.h"
#include "server/store/breakout_store.h"
#include "server/store/session_store.h"
#include "rooms/agenda.h"
#include "rooms/pairing.h"

#define ROUND_WARN_MS 60000 /* the warning comes a minute before the end */
#define ROUND_NOTES_MAX 20  /* breakout notes per person in a round */

typedef enum round_state {
    ROUND_NONE = 0,
    ROUND_PLANNED,
    ROUND_OPEN
} round_state;

typedef struct round_person {
    char id[SESSION_ID_MAX + 1];
    char name[MEMBER_NAME_MAX + 1];
    char country[3];
} round_person;

typedef struct round_group {
    char room[SESSION_ID_MAX + 1]; /* "" until the round opens */
    char (*members)[SESSION_ID_MAX + 1];
    size_t n, cap;
    char language[4];
    int language_ok;
    int64_t score;
    char *reasons; /* JSON array (proto_encode_reasons) */
    size_t reasons_len;
} round_group;

typedef struct round_pair {
    char a[SESSION_ID_MAX + 1]; /* unassigned: user; visit: user */
    char b[SESSION_ID_MAX + 1]; /* unassigned: cause; visit: room */
} round_pair;

typedef struct round_help {
    int64_t id;
    char user[SESSION_ID_MAX + 1];
    char room[SESSION_ID_MAX + 1];
    char *text;
    int64_t ts;
} round_help;

typedef struct round_note {
    char id[SESSION_ID_MAX + 1];
    char room[SESSION_ID_MAX + 1];
    char user[SESSION_ID_MAX + 1];
    char *text;
    size_t text_len;
    int64_t ts;
} round_note;

/* A session's breakout round (sess->round), allocated when the session
 * loads and kept while it lives; state ROUND_NONE between rounds. */
typedef struct breakout_round {
    sess *ss;
    round_state state;
    int64_t seq;     /* this round's number (the last one when NONE) */
    int64_t version; /* of the last save */
    pairing_mode mode;
    int group_size;
    int64_t duration_ms, seed, opened_ms, deadline_ms;
    int warned;
    round_person *people; /* everyone the round names */
    size_t npeople, people_cap;
    round_group *groups;
    size_t ngroups;
    round_pair *unassigned;
    size_t nunassigned;
    char *warnings; /* JSON array */
    size_t warnings_len;
    round_pair *visits;
    size_t nvisits;
    round_help *help;
    size_t nhelp;
    int64_t help_seq;
    round_note *notes;
    size_t nnotes;
    /* The plan behind a planned round; NULL after a restart until an edit
     * rebuilds it from storage. */
    profile *prof;
    size_t nprof;
    pairing_history *hist;
    pairing_plan *plan;
    uv_timer_t *timer;
    /* The agenda item this round belongs to (0: none); see round_agenda.c. */
    uint32_t item;
    uint32_t proposing; /* the item a server proposal is being made for */
    int paused;    /* members were last told the round waits for its item */
    int auto_plan; /* the plan is the server's, not edited since */
    /* Everyone's latest profile and the pair history, read when the round
     * opens, for placing late joiners (NULL until read). */
    profile *known;
    size_t nknown;
    pairing_history *known_hist;
    struct round_bcast *bcasts; /* recent broadcasts (handle_breakout.c) */
} breakout_round;

/* ---- round.c ---- */

/* The network profiles and history belong to (app_config.network). */
const char *app__network(const app *a);
/* The session's round, allocated on first use. */
breakout_round *app__round(sess *ss);
/* Returns the group whose room is room_id (of an open round), or NULL. */
round_group *app__round_group_by_room(breakout_round *r, const char *room_id);
/* Returns the group user is in and its index, or NULL. */
round_group *app__round_group_of(breakout_round *r, const char *user,
                                 size_t *index);
/* The visit entry of user, or NULL. */
round_pair *app__round_visit_of(breakout_round *r, const char *user);
/* Adds/removes user to/from group g (removal keeps the order). */
void app__round_group_add(round_group *g, const char *user);
void app__round_group_remove(round_group *g, const char *user);
/* Remembers a person's name and country for rendering. */
void app__round_person(breakout_round *r, const char *id, const char *name,
                       const char *country);
const round_person *app__round_person_find(const breakout_round *r,
                                           const char *id);
/* Forgets the plan, the lists and the timer's deadline (state NONE). */
void app__round_clear(breakout_round *r);
void app__round_drop_plan(breakout_round *r);

/* After every change: a new version is saved and announced. */
void app__round_changed(sess *ss, conn *by, const char *ref, int breakout);
/* Sends the round to by (with ref; by may be NULL) and to every other
 * coordinator, and when breakout is set the breakout event to everyone. */
void app__round_announce(sess *ss, conn *by, const char *ref, int breakout);
/* Sends the round (to one connection with ref, or to every coordinator
 * when c is NULL), the breakout event (to c or everyone), the help queue
 * (to c or to every coordinator and expert). */
void app__round_send(sess *ss, conn *c, const char *ref);
void app__round_send_breakout(sess *ss, conn *c, int warning);
void app__round_send_help(sess *ss, conn *c, const char *ref);
/* Sends f to the joined connections of members whose role may do act
 * (everyone for ACTION_COUNT), except the connection except. */
void app__fanout_role(sess *ss, action act, frame *f, const conn *except);

/* Moves member m into room_id: presence to everyone, then a moved event
 * with the room's channel state to each of m's connections. */
void app__round_move(sess *ss, member *m, const char *room_id,
                     const char *cause);
/* Opens / closes the round (everyone moves); cause is "coordinator" or
 * "timer"; by and ref name the coordinator's message (may be NULL). */
void app__round_open(sess *ss, conn *by, const char *ref);
void app__round_close(sess *ss, const char *cause, conn *by, const char *ref);
/* (Re)starts the timer from the deadline. */
void app__round_arm(sess *ss);
/* Records the open round's groups in the network's pair history (again
 * after a late placement: the record is replaced). */
void app__round_record(sess *ss);
/* Keeps an encoded event (ownership of buf taken) that carries the
 * channel's next offset: appends it to ch, fans it out to the room's
 * members and stores it (with the client id user/id when not NULL); cb
 * (may be NULL) runs once stored, or with an error. */
void app__round_keep(sess *ss, channel *ch, char *buf, size_t len,
                     const char *user, const char *id, session_store_done_cb cb,
                     void *data);

/* ---- round_agenda.c: the round and the live agenda ---- */

/* The linked item when it is current (NULL otherwise). */
const struct agenda_item *app__round_item(sess *ss);
/* The linked item's time left at now (0 when it is not current). */
int64_t app__round_item_left(sess *ss, int64_t now);
/* Whether the linked item is current and paused (the round waits). */
int app__round_item_paused(sess *ss);
/* An open linked round's deadline becomes its item's end (while the item
 * is paused: now plus its time left; the timer then waits). When it
 * changed, the round is saved and announced (to by with ref, and to the
 * others); returns whether it changed. */
int app__round_follow(sess *ss, conn *by, const char *ref);
/* Records the link of round number `round` to item (an agenda op of the
 * server, stored before the round itself) and applies it. */
void app__round_link(sess *ss, uint32_t item, int64_t round);
/* Applies an agenda message (a client frame body of len bytes) on behalf of
 * by, records it and sends its agenda event, as if by had sent it.
 * Returns PROTO_OK, or the error with why filled. */
proto_error app__round_agenda_op(sess *ss, conn *by, const char *body,
                                 size_t len, char *why, size_t why_size);
/* After member m joined: proposes a round when the current item is a
 * breakout item waiting for one and no round is planned or open (a
 * proposal lost in a restart is made once someone is present), and makes
 * the server's unedited plan again when m is an entrepreneur it lacks. */
void app__round_agenda_due(sess *ss, const member *m);
/* Reads everyone's profiles for late joiners (the round is open). */
void app__round_know(sess *ss);
/* A profile was saved: late joiners are placed with the new one. */
void app__round_profile_saved(sess *ss, const profile *p);
/* Frees the broadcasts kept for retries (handle_breakout.c). */
void app__round_bcasts_free(breakout_round *r);

/* ---- handle_round.c ---- */

/* Proposes a round for agenda item `item` as round_propose would, on the
 * server's behalf: its settings, the item's time left; the plan goes to
 * the coordinators. With again set, the server's unedited plan for the
 * item is made again (same round, same seed) with everyone present. */
void app__round_propose_for(sess *ss, uint32_t item, int again);

/* ---- handle_profile.c ---- */

/* Everyone a plan or coverage needs: profiles (the latest version, or the
 * token's country and languages when there is none) in the order of ids
 * (every stored profile when ids is NULL) and the network's pair history
 * (round numbers in time order). Ownership of people and hist passes to
 * cb (free(), pairing_history_free()); on error both are NULL. */
typedef void (*app_people_cb)(sess *ss, profile *people, size_t n,
                              pairing_history *hist, int64_t rounds,
                              const char *err, void *data);
void app__people_fetch(sess *ss, const char *const *ids, size_t n,
                       app_people_cb cb, void *data);
/* English label of a topic ("financing", ...). */
const char *app__topic_label(int topic);

#endif
