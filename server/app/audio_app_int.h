/* audio_app_int.h: the structs and app__audio_ helpers shared by the audio
 * files of server/app (see audio_app.h); nothing else includes it. */
#ifndef KOPA_APP_AUDIO_APP_INT_H
#define KOPA_APP_AUDIO_APP_INT_H

#include "server/app/app_internal.h"
#include "server/audio/audio_mixer.h"

#define AUDIO_QUEUE_MAX 10      /* frames waiting per connection: 200 ms */
#define AUDIO_SPEAKERS_TICKS 12 /* speakers checked every 240 ms */
#define AUDIO_POLICY_TICKS 50   /* who may speak checked every second */
#define AUDIO_MAX_CATCHUP 5     /* ticks run at once after a stall */
#define AUDIO_CONN_RATE 75      /* packets per second per connection */
#define AUDIO_CONN_BURST 25
#define AUDIO_ERROR_GAP_MS 1000 /* at most one audio error a second */
#define AUDIO_HEADER_IN 8       /* client frame header */
#define AUDIO_HEADER_OUT 12     /* server frame header */

typedef struct audio_room audio_room;
typedef struct audio_rec audio_rec;

/* A member of a session that has used audio (or been given a stage
 * role); kept for the session's life so its stream id stays the same. */
typedef struct audio_member {
    uint32_t id; /* stream id, 1.. in its session */
    audio_sess *as;
    member *m;
    conn *c;            /* the connection with audio, or NULL */
    audio_room *room;   /* the room it hears (its own), or NULL */
    audio_room *listen; /* the room it listens in to, or NULL */
    char listen_id[SESSION_ID_MAX + 1]; /* "" when not listening in */
    int muted;
    int may_speak; /* the room lets it be heard (workshop stage) */
    int broadcast; /* speaks into every breakout too */
} audio_member;

/* The audio of one room: its mixer and who hears it. */
struct audio_room {
    char id[SESSION_ID_MAX + 1];
    audio_sess *as;
    audio_mixer *mixer;
    int users;      /* members hearing it (own room or listening in) */
    audio_rec *rec; /* the recording running, or NULL */
    audio_room *next;
    int gc; /* to be looked at once the tick is over */
    /* The last speakers event sent. */
    uint32_t spk[AUDIO_MAX_ACTIVE];
    float spk_db[AUDIO_MAX_ACTIVE];
    int spk_known[AUDIO_MAX_ACTIVE];
    size_t nspk;
};

struct audio_sess {
    app *app;
    sess *ss;
    audio_member **by_id; /* by_id[id - 1] */
    size_t n, cap;
    audio_room *rooms;
    audio_sess *prev, *next; /* the app's list */
};

/* A connection's audio: its send queue (drop-oldest) and its limits. */
struct audio_conn {
    audio_member *am; /* set while this connection has the member's audio */
    frame *q[AUDIO_QUEUE_MAX];
    size_t head, count;
    int audio_last; /* the last frame written was audio: JSON's turn */
    double tokens;  /* packets allowed now */
    uint64_t refill_ms;
    uint64_t last_error_ms;
    int errored; /* an audio error was ever sent */
};

struct app_audio {
    app *a;
    uv_timer_t timer;
    int timer_on;
    uint64_t t0_ms; /* when the timer started */
    uint64_t ticks; /* ticks run (or skipped) since t0_ms */
    audio_sess *sessions;
    size_t nrooms;
    int ticking;     /* rooms are not freed while set */
    size_t nrecs;    /* recordings not yet finished */
    audio_rec *recs; /* every recording until its file is closed */
    audio_mixer_config mixer_cfg;
    /* Metrics. */
    audio_mixer_stats retired;         /* counters of mixers already freed */
    uint64_t refused[AUDIO_ERR_COUNT]; /* refused before a mixer */
    uint64_t bad_header, slow_listener, frames_out, ticks_skipped;
    uint64_t ticks_total;                         /* 20 ms ticks run */
    uint64_t tick_ns_sum, tick_ns_max, tick_runs; /* per timer callback */
    uint64_t rec_dropped_samples, recordings_total, recordings_failed;
    uint64_t speakers_events;
};

/* Sessions, members and rooms (audio_room.c). */
audio_sess *app__audio_sess(sess *ss);
/* The member's audio record; created when create is set (else NULL when
 * it has none). */
audio_member *app__audio_member(audio_sess *as, member *m, int create);
/* The room's audio; created (with its mixer) when create is set. */
audio_room *app__audio_room(audio_sess *as, const char *room_id, int create);
/* Puts am into the mixers its state asks for (own room, listened room,
 * every breakout while broadcasting) with the right flags, and out of the
 * others; sends the audio event when its room changed. */
void app__audio_sync(audio_member *am);
/* Frees r if nobody hears it and nothing records it. */
void app__audio_room_gc(audio_room *r);
/* Whether am's packets are mixed: enabled, not muted, may speak. */
int app__audio_speaks(const audio_member *am);
/* Offers one packet of am to every mixer that should hear it (its room,
 * and every breakout while it broadcasts). Returns its own room's answer
 * (AUDIO_ERR_NOT_PERMITTED when it may not speak). */
audio_error app__audio_push(audio_member *am, uint16_t seq, uint32_t ts,
                            const uint8_t *pkt, size_t len, int64_t now_ms);
/* Whether c's member hosts its session (may record its own room). */
int app__audio_is_host(const conn *c);
/* Whether room_id is a breakout of as's session. */
int app__audio_is_breakout(audio_sess *as, const char *room_id);

/* Connections (audio_conn.c). */
audio_conn *app__audio_conn(conn *c);
/* Queues f (a reference is taken) on c's audio queue, dropping the oldest
 * frame when it is full. */
void app__audio_queue(conn *c, frame *f);
/* Takes c's audio away: empties its queue and, when c has its member's
 * audio, disables it (broadcast and listening end too). */
void app__audio_release(conn *c);
/* Sends an audio error on c unless one went out in the last second. */
void app__audio_error(conn *c, proto_error e, const char *message);

/* The audio event of am to its connection (handle_audio.c). ref and
 * reason may be NULL. */
void app__audio_send_state(audio_member *am, conn *c, const char *ref,
                           const char *reason);

/* Recordings (audio_record.c). */
/* Stops r's recording (the server stops it: by nobody); r stays until its
 * file is closed. */
void app__audio_rec_stop(audio_room *r, const member *by, const char *error);
/* Adds m to the people present in r's recording. */
void app__audio_rec_present(audio_room *r, const member *m);
/* Stops every recording (shutdown). */
void app__audio_rec_stop_all(app_audio *aa);

#endif
