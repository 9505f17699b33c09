/* round_app: the hooks of breakout rounds and profiles (docs/protocol.md
 * section 11) that the rest of server/app calls. The round itself lives in
 * round.h / round.c / round_life.c; the handlers in handle_round.c,
 * handle_breakout.c and handle_profile.c. */
#ifndef KOPA_APP_ROUND_APP_H
#define KOPA_APP_ROUND_APP_H

typedef struct app app;
typedef struct conn conn;
typedef struct sess sess;
typedef struct breakout_round breakout_round;
typedef struct proto_msg proto_msg;

/* Loads the session's round after its channels were loaded (sessions.c);
 * ends by calling app__sess_loaded(ss, err). An open round gets its rooms,
 * its members' places and its timer back. */
void app__round_load(sess *ss);
/* A member joins (handle_join.c, before the joined answer): during an
 * open round it lands in its breakout (a late joiner is placed in one). */
void app__round_on_join(conn *c);
/* After the joined answer: the round's state for this connection. */
void app__round_joined(conn *c);
/* The round follows the agenda (round_agenda.c, docs/protocol.md 11.9):
 * after every live agenda change (handle_agenda.c, live.c's tick, a
 * round_close that moved the agenda on), and once
 * the agenda is loaded with its due time applied (live.c). A linked round
 * whose item is no longer current closes (or its plan is dropped), an
 * open one follows its item's time, and a breakout item that waits for
 * its round gets one proposed. Never changes the agenda. */
void app__round_agenda_changed(sess *ss);
void app__round_agenda_loaded(sess *ss);
/* Stops the round timers (app.c, at shutdown). */
void app__round_shutdown(app *a);
/* Frees the session's round (app.c, when the session is freed). */
void app__round_free(sess *ss);

/* The handlers (conn.c's table): handle_profile.c, handle_round.c,
 * handle_breakout.c. */
void app__handle_profile_save(conn *c, proto_msg *msg);
void app__handle_profile_get(conn *c, proto_msg *msg);
void app__handle_profile_list(conn *c, proto_msg *msg);
void app__handle_round_propose(conn *c, proto_msg *msg);
void app__handle_round_move(conn *c, proto_msg *msg);
void app__handle_round_swap(conn *c, proto_msg *msg);
void app__handle_round_open(conn *c, proto_msg *msg);
void app__handle_round_extend(conn *c, proto_msg *msg);
void app__handle_round_close(conn *c, proto_msg *msg);
void app__handle_round_place(conn *c, proto_msg *msg);
void app__handle_round_get(conn *c, proto_msg *msg);
void app__handle_coverage(conn *c, proto_msg *msg);
void app__handle_broadcast(conn *c, proto_msg *msg);
void app__handle_help_ask(conn *c, proto_msg *msg);
void app__handle_help_resolve(conn *c, proto_msg *msg);
void app__handle_visit(conn *c, proto_msg *msg);
void app__handle_visit_leave(conn *c, proto_msg *msg);
void app__handle_breakout_note(conn *c, proto_msg *msg);

#endif
