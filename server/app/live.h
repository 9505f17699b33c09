/* live: what runs a session inside the app (docs/protocol.md section 10):
 * each session's agenda, hand queue, topics, stage, questions and pulses,
 * and the network's programme with its notes. Internal to server/app.
 *
 * Every accepted change is applied to the domain state (rooms/), recorded
 * as an op (the server time, the member, the client frame) and sent as a
 * kept event in room:main carrying the feature's whole new state; the op
 * is stored with the event (server/store/session_state.h) and replayed
 * when the session is loaded again. The apply functions below are shared
 * by both paths, so they depend only on (state, message, member, time). */
#ifndef KOPA_APP_LIVE_H
#define KOPA_APP_LIVE_H

#include "rooms/agenda.h"
#include "rooms/hands.h"
#include "rooms/programme.h"
#include "rooms/pulse.h"
#include "rooms/stage.h"
#include "rooms/topics.h"
#include "server/app/app_internal.h"
#include "server/proto/session_proto.h"
#include "server/store/session_state.h"

/* The one programme of this deployment; keys are per programme id. */
#define LIVE_PROGRAMME_ID "main"
/* Largest client frame recorded as an op (section 10: too_long beyond). */
#define LIVE_FRAME_MAX 8192
#define LIVE_TICK_MS 250

/* The state of the features of one session (sess->live). */
struct live {
    struct agenda agenda;
    struct hands hands;
    struct topics topics;
    struct stage stage;
    struct pulse pulse;
    int64_t next_seq; /* the seq of the next op */
};

typedef enum live_feature {
    LIVE_NONE = 0, /* no kept event (pulses) */
    LIVE_AGENDA,
    LIVE_HANDS,
    LIVE_TOPICS,
    LIVE_STAGE,
    LIVE_QUESTIONS,
    LIVE_NOTES
} live_feature;

/* What an applied message changed, for its event (or why it failed). */
typedef struct live_change {
    live_feature feature;
    int changed;                   /* 0: nothing changed (no event, no op) */
    const char *op;                /* static wire name */
    char user[SESSION_ID_MAX + 1]; /* the member the op names, or "" */
    const char *id_key;            /* "item", "topic", ... or NULL */
    uint32_t id;
    char why[160]; /* the error message when the apply failed */
} live_change;

/* Applies m, sent by user at now, to ss's live state. Returns PROTO_OK
 * (with *ch filled) or the error (ch->why says why); on error nothing
 * changed. Used live and in replay. */
typedef proto_error (*live_apply_fn)(sess *ss, const proto_msg *m,
                                     const char *user, int64_t now,
                                     live_change *ch);
proto_error app__apply_agenda(sess *ss, const proto_msg *m, const char *user,
                              int64_t now, live_change *ch);
proto_error app__apply_hand(sess *ss, const proto_msg *m, const char *user,
                            int64_t now, live_change *ch);
proto_error app__apply_topic(sess *ss, const proto_msg *m, const char *user,
                             int64_t now, live_change *ch);
proto_error app__apply_stage(sess *ss, const proto_msg *m, const char *user,
                             int64_t now, live_change *ch);
proto_error app__apply_question(sess *ss, const proto_msg *m, const char *user,
                                int64_t now, live_change *ch);
proto_error app__apply_pulse(sess *ss, const proto_msg *m, const char *user,
                             int64_t now, live_change *ch);

/* ---- live.c ---- */

/* A new, empty live state for session sid; aborts when out of memory.
 * app__live_free(NULL) is a no-op (app_internal.h). app__live_load()
 * (app_internal.h) reads the programme, then the op log, and ends with
 * app__sess_loaded(ss, err). */
struct live *app__live_new(const char *sid);
/* Whether c's member may do action a in its session: by role, or as the
 * session's host for the actions a host runs. */
int app__live_may(const conn *c, action a);
/* Whether c's message (its frame) may be recorded now: the frame is at
 * most LIVE_FRAME_MAX bytes and storage has room. Returns 0, or -1 after
 * sending the error (too_long, store_unavailable). */
int app__live_admit(conn *c, const proto_msg *msg);
/* The common path of a session message once its permission is checked:
 * storage room, frame size, apply, record the op, send the event. */
void app__live_run(conn *c, proto_msg *msg, live_apply_fn apply);
/* Encodes the event of ch (by NULL: the server) with the feature's state
 * at now (the clock read the change was applied at, so the timer fields
 * and server_time agree), appends it to room:main, fans it out and stores
 * it with the ops. */
void app__live_emit(sess *ss, const live_change *ch, const member *by,
                    const char *event, int64_t now, const session_state_op *ops,
                    size_t nops);
/* Makes an op record "<ms> <user> <frame>"; the caller frees it. */
char *app__live_record(int64_t now, const char *user, const char *body,
                       size_t body_len, size_t *len);
/* Sends an error naming msg's ref. */
void app__live_refuse(conn *c, const proto_msg *msg, proto_error e,
                      const char *why);

/* ---- live_view.c: the features' state as JSON pieces ---- */

/* A new JSON value with feature f's whole state at now (the value an
 * event carries under its type); the caller frees it. */
char *app__live_piece(sess *ss, live_feature f, int64_t now, size_t *len);
/* The "state" object of joined for c (every feature, the host, the
 * programme entry, notes carried over, c's own pulses); caller frees. */
char *app__live_state(conn *c, size_t *len);
/* Records that member user attended session sid (once per entry). */
void app__prog_attend(app *a, const char *sid, const char *user);
/* The wire type ("agenda", ...) of feature f. */
const char *app__live_type(live_feature f);

/* ---- live_programme.c: the programme on this node ---- */

typedef struct app_prog app_prog;

/* Makes sure the programme is loaded, then calls app__live_prog_ready(ss,
 * err) (maybe at once). */
void app__prog_need(app *a, sess *ss);
void app__live_prog_ready(sess *ss, const char *err);
/* The programme, or NULL until it is loaded. */
struct programme *app__prog(app *a);
/* The entry linked to session sid (NULL when none); its host (NULL). */
const struct programme_session *app__prog_entry(app *a, const char *sid);
const char *app__prog_host(app *a, const char *sid);
/* The session an entry links to ("" when none); the entry linked to sid
 * (0 when none); links entry to sid ("" or NULL: unlinks). */
const char *app__prog_link(app *a, uint32_t entry);
uint32_t app__prog_linked(app *a, const char *sid);
void app__prog_set_link(app *a, uint32_t entry, const char *sid);
/* Stores the programme's sessions / note id (a tombstone when gone). */
void app__prog_save_doc(app *a);
void app__prog_save_note(app *a, uint32_t id);
/* Views for encoders; items must hold PROGRAMME_TEMPLATE_MAX. */
proto_entry_view app__prog_entry_view(app *a, const struct programme_session *s,
                                      proto_template_item_view *items);
proto_note_view app__prog_note_view(const struct programme_note *n);
/* The domain spec of a parsed entry (borrowing e); items must hold
 * PROGRAMME_TEMPLATE_MAX. Returns PROGRAMME_OK or KIND / TEMPLATE. */
programme_err app__prog_spec(const proto_prog_entry *e,
                             struct programme_session_spec *spec,
                             struct agenda_item_spec *items);
/* JSON pieces of session sid for joined and events (callers free): its
 * entry (NULL when none), its notes (an array), and the notes carried over
 * from the latest earlier session with the same people (NULL when none). */
char *app__prog_entry_piece(app *a, const char *sid, size_t *len);
char *app__prog_notes_piece(app *a, const char *sid, size_t *len);
char *app__prog_previous_piece(app *a, const char *sid, size_t *len);

#endif
