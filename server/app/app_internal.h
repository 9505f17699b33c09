/* Internals shared by the files of server/app: the app and connection
 * structs and the app__ functions one handler file offers the others. */
#ifndef KOPA_APP_INTERNAL_H
#define KOPA_APP_INTERNAL_H

#include "server/app/app.h"
#include "server/app/audio_app.h"
#include "server/app/round_app.h"
#include "server/app/frame.h"
#include "server/proto/encode.h"
#include "server/proto/proto.h"
#include "rooms/session.h"

typedef enum conn_state {
    CONN_NEW = 0, /* waiting for auth */
    CONN_AUTHED,  /* waiting for join */
    CONN_JOINING, /* join waits for storage */
    CONN_JOINED,
    CONN_CLOSING, /* a close code is set; drain and close */
    CONN_GONE     /* the transport closed; freed at the last reference */
} conn_state;

typedef struct sess sess;

struct conn {
    app *app;
    uint64_t id;
    unsigned refs; /* the transport holds one; pending async work others */
    const transport_ops *ops;
    void *handle;
    conn_state state;
    char sid[SESSION_ID_MAX + 1];
    member_info info;
    sess *sess;
    member *member;
    int resumed; /* joined with since: resent ids are checked in storage */
    uint64_t opened_ms;
    double tokens; /* rate-limit bucket */
    uint64_t refill_ms;
    unsigned violations;
    uint64_t violation_window_ms;
    int close_code;
    const char *close_reason;
    outq out;
    conn *prev, *next;   /* the app's list of connections */
    conn *mprev, *mnext; /* the member's joined connections */
    proto_since *since;  /* the join's resume positions (nsince), or NULL */
    int nsince;
    char join_ref[PROTO_MAX_ID + 1];
    const char *frame; /* the text frame being handled (borrowed), or NULL */
    size_t frame_len;
    audio_conn *audio;   /* audio state (audio_conn.c), or NULL */
    conn *flush_next;    /* the app's list of queues waiting to be flushed */
    int flush_queued;    /* on that list (it holds a reference) */
    uint64_t flushed_ms; /* when its queue was last flushed */
};

/* A session on this node: the domain session plus what the app needs. */
typedef enum sess_state { SESS_LOADING, SESS_READY } sess_state;

struct sess {
    app *app;
    sess_state state;
    session *s;
    char id[SESSION_ID_MAX + 1];
    conn **waiting; /* joins waiting for the load */
    size_t nwaiting, waiting_cap;
    struct live *live;     /* agenda, hands, topics, stage, pulses (live.h) */
    audio_sess *audio;     /* the session's audio (audio_room.c), or NULL */
    breakout_round *round; /* breakouts (round.c), or NULL */
    sess *next;
};

/* Per-member app data (member->user): the member's joined connections. */
typedef struct member_conns {
    conn *head;
} member_conns;

typedef struct app_metrics {
    uint64_t frames_in, frames_out, bytes_out;
    uint64_t errors[PROTO_ERROR_COUNT];
    uint64_t closes_1007, closes_1008, closes_1009, closes_4001, closes_4003,
        closes_4008;
    uint64_t origin_refused;
    uint64_t messages_stored, store_failures;
    uint64_t connections_total;
} app_metrics;

struct app {
    uv_loop_t *loop;
    app_config cfg;
    redis_client *store;
    uv_timer_t sweep;
    uv_timer_t heartbeat;
    conn *conns;
    size_t nconns;
    uint64_t next_conn_id;
    sess *sessions;
    size_t nsessions;
    app_metrics m;
    int shutting_down;
    uv_timer_t live_timer; /* the agenda clock (live.c) */
    struct app_prog *prog; /* the programme (live_programme.c) */
    app_audio *audio;      /* mixers, timer, recordings (audio_room.c) */
    /* Queues that became non-empty, asked for a write at the end of the
     * loop pass (soon, flush_check) or, when flushed a moment ago, after
     * cfg.flush_ms (later, flush_timer): app.c. */
    struct app_flush {
        conn *head, *tail;
    } soon, later;
    uv_check_t flush_check;
    uv_timer_t flush_timer;
};

/* Milliseconds of the loop's monotonic clock / of the wall clock. */
uint64_t app__now(const app *a);
int64_t app__wall_ms(void);

/* Queues f (borrowed; a reference is taken) on c when it can receive, and
 * asks for a write; a full queue closes c with 4008. */
void app__send(conn *c, frame *f);
/* Queues a new frame taking ownership of buf. */
void app__send_buf(conn *c, char *buf, size_t len);
/* Sends an error reply naming the failing message's ref and id. */
void app__send_error(conn *c, proto_error e, const char *message,
                     const char *ref, const char *id);
/* Marks c closing with code; queued frames are still written first. */
void app__close(conn *c, int code, const char *reason);
conn *app__conn_ref(conn *c);
void app__conn_unref(conn *c);

/* The member object of m, for encoders. langs must hold MEMBER_LANGS_MAX
 * pointers; it is filled from m. */
proto_member app__member(const member *m, const char **langs);

/* Sessions (sessions.c). */
sess *app__sess_find(app *a, const char *sid);
/* Finds or starts loading the session; c waits until it is ready. */
void app__sess_join(app *a, conn *c);
/* Sends f to every joined connection of the members in room room_id
 * (every room when room_id is NULL). */
void app__fanout_room(sess *ss, const char *room_id, frame *f);
/* Sends f to every joined connection of member m. */
void app__fanout_member(member *m, frame *f);
/* p, or abort() when it is NULL: out of memory ends the server. */
void *app__need(void *p);
/* Returns the joined connection of member m with this id, or NULL. */
conn *app__member_conn(member *m, uint64_t conn_id);

/* Handlers (handle_*.c), one per message family. */
void app__handle_auth(conn *c, proto_msg *msg);
void app__handle_join(conn *c, proto_msg *msg);
void app__join_ready(conn *c); /* the session is loaded: continue join */
void app__handle_chat(conn *c, proto_msg *msg);
void app__handle_dm(conn *c, proto_msg *msg);
void app__handle_history(conn *c, proto_msg *msg);
void app__handle_ping(conn *c, proto_msg *msg);
/* Running a session (live.h, docs/protocol.md section 10). */
void app__handle_agenda(conn *c, proto_msg *msg);
void app__handle_hand(conn *c, proto_msg *msg);
void app__handle_topic(conn *c, proto_msg *msg);
void app__handle_stage(conn *c, proto_msg *msg);
void app__handle_question(conn *c, proto_msg *msg);
void app__handle_pulse(conn *c, proto_msg *msg);
void app__handle_pulse_results(conn *c, proto_msg *msg);
void app__handle_programme(conn *c, proto_msg *msg);
void app__handle_note(conn *c, proto_msg *msg);
/* Session features (live.c, live_view.c, live_programme.c): loaded once
 * the session store is read (app__sess_loaded calls app__live_load, which
 * calls it back), freed with the session and the app, and added to the
 * joined answer: app__live_joined records c's attendance and returns the
 * joined frame (of *len bytes, taking ownership) with "state" added. */
void app__live_load(sess *ss);
void app__sess_loaded(sess *ss, const char *err);
void app__live_free(struct live *lv);
void app__prog_free(app *a);
char *app__live_joined(conn *c, char *joined, size_t *len);
void app__live_timer_start(app *a);
void app__live_timer_stop(app *a);

/* Presence (handle_join.c): a member's first connection joined / last
 * connection left. */
void app__presence(sess *ss, member *m, const char *what);
/* Removes c from its member's joined connections. */
void app__leave(conn *c);
/* Undoes a join (done or in progress) before c closes. */
void app__detach(conn *c);

/* Replay (replay.c): the events of a channel with offsets from..to, from
 * the ring and, for older ones, from storage. cb runs once (maybe inside
 * the call) with the events in order, possibly with gaps when storage lost
 * some, or err when storage was needed and unreachable. */
typedef struct app_event {
    int64_t offset;
    proto_raw raw;
} app_event;
typedef void (*app_events_cb)(const app_event *events, size_t n,
                              const char *err, void *data);
void app__events(sess *ss, channel *ch, int64_t from, int64_t to,
                 app_events_cb cb, void *data);

#endif
