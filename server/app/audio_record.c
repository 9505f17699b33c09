/* audio_record: recording a room's full mix to an Ogg Opus file (the
 * `recording` message, docs/protocol.md section 8.7). The mixer hands the
 * PCM of every tick to a bounded buffer on the loop; a libuv work request
 * (one at a time per recording, so writes stay in order) creates the file,
 * encodes and writes each batch, and closes it, so the loop never waits
 * for the disk. The `recording` events are kept in the room's channel;
 * the metadata goes to Redis (store/recording_store.c). Dispatched by
 * conn.c; audio_room.c stops recordings when rooms or the server go. */
#include "server/app/audio_app_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "server/audio/recorder.h"
#include "server/proto/encode_audio.h"
#include "server/store/recording_store.h"
#include "server/store/session_store.h"

#define REC_PENDING_MAX (2 * AUDIO_SAMPLE_RATE) /* 2 s of PCM may wait */
#define REC_PATH_MAX 1024
#define REC_DIR_MAX (REC_PATH_MAX - 256)

typedef enum rec_job { JOB_START, JOB_WRITE, JOB_STOP } rec_job;

typedef struct rec_who {
    char id[SESSION_ID_MAX + 1];
    char name[MEMBER_NAME_MAX + 1];
    char role[16];
} rec_who;

struct audio_rec {
    app_audio *aa;
    sess *ss;
    audio_room *room; /* while it records; NULL once stopped */
    audio_rec *next;  /* aa->recs */
    char id[3 * SESSION_ID_MAX + 32];
    char room_id[SESSION_ID_MAX + 1];
    char dir[REC_DIR_MAX];
    char path[REC_PATH_MAX];
    char date[32];
    rec_who started_by, stopped_by;
    int has_stopper;
    int64_t started_ms, ended_ms; /* wall clock */
    char (*present)[SESSION_ID_MAX + 1];
    size_t npresent, cap_present;
    /* Who asked, for a failure to start. */
    uint64_t conn_id;
    char ref[PROTO_MAX_ID + 1];
    /* Loop side. */
    int16_t *pending;
    size_t npending;
    int busy;     /* a work request is out: the fields below are its own */
    int started;  /* the file exists; the started event went out */
    int stopping; /* stop asked (or failed): no more PCM */
    int failed;
    char error[32];
    /* Worker side while busy. */
    uv_work_t work;
    rec_job job;
    recorder *r;
    int16_t *inflight;
    size_t ninflight;
    audio_error err;
};

static void who(rec_who *w, const member *m)
{
    snprintf(w->id, sizeof(w->id), "%s", m->info.id);
    snprintf(w->name, sizeof(w->name), "%s", m->info.name);
    snprintf(w->role, sizeof(w->role), "%s", perm_role_name(m->info.role));
}

void app__audio_rec_present(audio_room *r, const member *m)
{
    audio_rec *rec = r->rec;
    if (rec == NULL)
        return;
    for (size_t i = 0; i < rec->npresent; i++)
        if (strcmp(rec->present[i], m->info.id) == 0)
            return;
    if (rec->npresent == rec->cap_present) {
        rec->cap_present = rec->cap_present ? rec->cap_present * 2 : 16;
        rec->present =
            realloc(rec->present, rec->cap_present * sizeof(*rec->present));
        if (rec->present == NULL)
            abort();
    }
    snprintf(rec->present[rec->npresent++], SESSION_ID_MAX + 1, "%s",
             m->info.id);
}

/* ---------------------------------------------------------------------
 * The worker (a libuv thread-pool thread). */

/* mkdir -p for path; returns 0 or -1. */
static int make_dirs(const char *path)
{
    char buf[REC_PATH_MAX];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0750) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0750) != 0 && errno != EEXIST ? -1 : 0;
}

static void work_cb(uv_work_t *w)
{
    audio_rec *rec = w->data;
    switch (rec->job) {
    case JOB_START: {
        recorder_config cfg = {.path = rec->path,
                               .title = rec->id,
                               .session_id = rec->ss->id,
                               .date = rec->date,
                               .complexity = -1};
        rec->err = make_dirs(rec->dir) != 0 ? AUDIO_ERR_IO
                                            : recorder_start(&cfg, &rec->r);
        break;
    }
    case JOB_WRITE:
        rec->err = recorder_write(rec->r, rec->inflight, rec->ninflight);
        break;
    case JOB_STOP:
        rec->err = recorder_stop(rec->r);
        rec->r = NULL;
        break;
    }
}

static void after_cb(uv_work_t *w, int status);

static void run(audio_rec *rec, rec_job job)
{
    rec->job = job;
    rec->busy = 1;
    rec->work.data = rec;
    if (uv_queue_work(rec->aa->a->loop, &rec->work, work_cb, after_cb) != 0)
        abort(); /* only fails for a NULL work callback */
}

/* Starts the next piece of work, if any and none is out. */
static void kick(audio_rec *rec)
{
    if (rec->busy)
        return;
    if (rec->npending > 0 && rec->r != NULL && !rec->failed) {
        int16_t *t = rec->inflight;
        rec->inflight = rec->pending;
        rec->ninflight = rec->npending;
        rec->pending = t;
        rec->npending = 0;
        run(rec, JOB_WRITE);
    } else if (rec->stopping) {
        run(rec, JOB_STOP);
    }
}

static void pcm_cb(void *data, const int16_t *pcm, size_t samples)
{
    audio_rec *rec = data;
    if (rec->npending + samples > REC_PENDING_MAX) {
        rec->aa->rec_dropped_samples += samples; /* the disk is too slow */
        return;
    }
    memcpy(rec->pending + rec->npending, pcm, samples * sizeof(*pcm));
    rec->npending += samples;
    kick(rec);
}

/* ---------------------------------------------------------------------
 * Events and metadata. */

static void keep_event(audio_rec *rec, int started)
{
    sess *ss = rec->ss;
    app *a = ss->app;
    room *rm = session_room(ss->s, rec->room_id);
    if (rm == NULL)
        return;
    channel *ch = rm->log;
    const rec_who *by = started ? &rec->started_by : &rec->stopped_by;
    int has_by = started || rec->has_stopper;
    proto_recording_event ev = {
        .channel = ch->name,
        .offset = channel_next_offset(ch),
        .room = rec->room_id,
        .started = started,
        .id = rec->id,
        .by_id = has_by ? by->id : NULL,
        .by_name = by->name,
        .by_role = by->role,
        .ts = started ? rec->started_ms : rec->ended_ms,
        .duration_ms = rec->ended_ms - rec->started_ms,
        .error = rec->error[0] ? rec->error : NULL,
    };
    size_t len;
    char *buf = proto_encode_recording(&ev, &len);
    channel_append(ch, ev.offset, buf, len);
    frame *f = frame_take(buf, len, 0);
    app__fanout_room(ss, rec->room_id, f);
    session_store_append(a->store, ss->id, ch->name, ch->top, f->data, f->len,
                         NULL, NULL, a->cfg.stream_maxlen, NULL, NULL);
    frame_unref(f);
}

static void store_stop(audio_rec *rec)
{
    const char **ids = calloc(rec->npresent + 1, sizeof(*ids));
    if (ids == NULL)
        abort();
    for (size_t i = 0; i < rec->npresent; i++)
        ids[i] = rec->present[i];
    recording_store_stop(rec->aa->a->store, rec->ss->id, rec->id, rec->ended_ms,
                         rec->has_stopper ? rec->stopped_by.id : "",
                         rec->failed ? "failed" : "stopped",
                         (const char *const *)ids, rec->npresent);
    free(ids);
}

/* The file exists: tell everyone and Redis. */
static void announce_start(audio_rec *rec)
{
    const char *file = strrchr(rec->path, '/');
    rec->started = 1;
    keep_event(rec, 1);
    recording_store_start(rec->aa->a->store, rec->ss->id, rec->id, rec->room_id,
                          file ? file + 1 : rec->path, rec->started_ms,
                          rec->started_by.id);
    if (rec->stopping) { /* stopped while the file was being made */
        keep_event(rec, 0);
        store_stop(rec);
    }
}

/* Detaches rec from its room: no more PCM. */
static void detach(audio_rec *rec)
{
    audio_room *r = rec->room;
    if (r == NULL)
        return;
    audio_mixer_set_pcm_cb(r->mixer, NULL, NULL);
    r->rec = NULL;
    rec->room = NULL;
}

void app__audio_rec_stop(audio_room *r, const member *by, const char *error)
{
    audio_rec *rec = r->rec;
    if (rec == NULL || rec->stopping)
        return;
    detach(rec);
    rec->stopping = 1;
    rec->ended_ms = app__wall_ms();
    if (by) {
        who(&rec->stopped_by, by);
        rec->has_stopper = 1;
    }
    if (error) {
        snprintf(rec->error, sizeof(rec->error), "%s", error);
        rec->failed = 1;
    }
    if (rec->started) {
        keep_event(rec, 0);
        store_stop(rec);
    }
    kick(rec);
}

static void rec_free(audio_rec *rec)
{
    app_audio *aa = rec->aa;
    for (audio_rec **p = &aa->recs; *p; p = &(*p)->next) {
        if (*p == rec) {
            *p = rec->next;
            break;
        }
    }
    aa->nrecs--;
    free(rec->pending);
    free(rec->inflight);
    free(rec->present);
    free(rec);
}

/* The file could not be made or written: stop with an error. */
static void fail(audio_rec *rec)
{
    app_audio *aa = rec->aa;
    aa->recordings_failed++;
    fprintf(stderr, "kopa: recording %s: %s\n", rec->path,
            audio_strerror(rec->err));
    if (!rec->started) {
        member *m = session_member(rec->ss->s, rec->started_by.id);
        conn *c = m ? app__member_conn(m, rec->conn_id) : NULL;
        if (c)
            app__send_error(c, PROTO_ERR_RECORDING_FAILED,
                            "the recording file cannot be created", rec->ref,
                            NULL);
        rec->failed = 1;
    }
    audio_room *r = rec->room;
    if (r) {
        app__audio_rec_stop(r, NULL, "recording_failed");
        app__audio_room_gc(r);
    }
    rec->failed = 1;
    rec->stopping = 1;
}

static void after_cb(uv_work_t *w, int status)
{
    audio_rec *rec = w->data;
    rec->busy = 0;
    (void)status; /* work is never cancelled */
    switch (rec->job) {
    case JOB_START:
        if (rec->err != AUDIO_OK)
            fail(rec);
        else if (!rec->aa->a->shutting_down) /* Redis may be gone */
            announce_start(rec);
        else
            rec->started = 1;
        break;
    case JOB_WRITE:
        if (rec->err != AUDIO_OK && !rec->failed)
            fail(rec);
        break;
    case JOB_STOP:
        if (rec->err != AUDIO_OK && rec->started && !rec->failed) {
            fprintf(stderr, "kopa: recording %s: closing: %s\n", rec->path,
                    audio_strerror(rec->err));
            rec->failed = 1;
            if (!rec->aa->a->shutting_down)
                store_stop(rec);
        }
        rec_free(rec);
        return;
    }
    kick(rec);
}

/* ---------------------------------------------------------------------
 * Starting and the message. */

static void name_file(audio_rec *rec, const char *base)
{
    time_t t = (time_t)(rec->started_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(rec->date, sizeof(rec->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(rec->id, sizeof(rec->id), "rec-%s-%s-%lld", rec->ss->id,
             rec->room_id, (long long)rec->started_ms);
    /* Ids are [A-Za-z0-9_.-]; a dot never starts a file name here. A
     * folder name too long for the buffer leaves the path empty, which
     * fails to open (recording_failed). */
    if (snprintf(rec->dir, sizeof(rec->dir), "%s/%s", base, rec->ss->id) >=
        (int)sizeof(rec->dir))
        rec->dir[0] = '\0';
    if (rec->dir[0])
        snprintf(rec->path, sizeof(rec->path), "%s/%s.opus", rec->dir, rec->id);
}

static void start(conn *c, audio_room *r, const char *ref)
{
    app_audio *aa = c->app->audio;
    audio_rec *rec = calloc(1, sizeof(*rec));
    if (rec == NULL)
        abort();
    rec->aa = aa;
    rec->ss = c->sess;
    rec->room = r;
    snprintf(rec->room_id, sizeof(rec->room_id), "%s", r->id);
    rec->started_ms = app__wall_ms();
    who(&rec->started_by, c->member);
    rec->conn_id = c->id;
    snprintf(rec->ref, sizeof(rec->ref), "%s", ref);
    const char *base = c->app->cfg.recordings_dir;
    name_file(rec, base && *base ? base : "var/recordings");
    rec->pending = malloc(REC_PENDING_MAX * sizeof(int16_t));
    rec->inflight = malloc(REC_PENDING_MAX * sizeof(int16_t));
    if (rec->pending == NULL || rec->inflight == NULL)
        abort();
    rec->next = aa->recs;
    aa->recs = rec;
    aa->nrecs++;
    aa->recordings_total++;
    r->rec = rec;
    session *s = c->sess->s;
    for (size_t i = 0; i < s->nmembers; i++)
        if (s->members[i]->online > 0 && session_in_room(s->members[i], r->id))
            app__audio_rec_present(r, s->members[i]);
    audio_mixer_set_pcm_cb(r->mixer, pcm_cb, rec);
    run(rec, JOB_START);
}

/* Coordinators record any room; the session's host its own room. */
static int may_record(conn *c, const char *room_id, const char *ref)
{
    if (perm_allows(c->info.role, ACTION_RECORD))
        return 1;
    if (!app__audio_is_host(c)) {
        app__send_error(c, PROTO_ERR_FORBIDDEN,
                        "only coordinators and the host record", ref, NULL);
        return 0;
    }
    if (strcmp(room_id, c->member->room) != 0) {
        app__send_error(c, PROTO_ERR_NOT_IN_ROOM,
                        "the host records the room they are in", ref, NULL);
        return 0;
    }
    return 1;
}

void app__handle_recording(conn *c, proto_msg *msg)
{
    const char *room_id =
        msg->u.recording.room[0] ? msg->u.recording.room : c->member->room;
    if (!may_record(c, room_id, msg->ref))
        return;
    if (session_room(c->sess->s, room_id) == NULL) {
        app__send_error(c, PROTO_ERR_BAD_VALUE, "no such room", msg->ref, NULL);
        return;
    }
    audio_sess *as = app__audio_sess(c->sess);
    audio_room *r = app__audio_room(as, room_id, 0);
    int on = r && r->rec && !r->rec->stopping;
    if (msg->u.recording.op == PROTO_RECORDING_START) {
        if (on) {
            app__send_error(c, PROTO_ERR_BAD_VALUE,
                            "this room is already being recorded", msg->ref,
                            NULL);
            return;
        }
        start(c, r ? r : app__audio_room(as, room_id, 1), msg->ref);
        return;
    }
    if (!on) {
        app__send_error(c, PROTO_ERR_BAD_VALUE,
                        "this room is not being recorded", msg->ref, NULL);
        return;
    }
    app__audio_rec_stop(r, c->member, NULL);
    app__audio_room_gc(r);
}

void app__audio_rec_stop_all(app_audio *aa)
{
    for (audio_sess *as = aa->sessions; as; as = as->next) {
        audio_room *r = as->rooms;
        while (r) {
            audio_room *next = r->next;
            if (r->rec) {
                app__audio_rec_stop(r, NULL, NULL);
                app__audio_room_gc(r);
            }
            r = next;
        }
    }
}

char *app__audio_joined(conn *c, char *buf, size_t *len)
{
    audio_sess *as = c->sess->audio;
    audio_room *r = as ? app__audio_room(as, c->member->room, 0) : NULL;
    if (r == NULL || r->rec == NULL || r->rec->stopping)
        return buf;
    app__audio_rec_present(r, c->member);
    size_t blen;
    char *brief = proto_encode_recording_brief(r->id, r->rec->id,
                                               r->rec->started_ms, &blen);
    proto_raw value = {brief, blen};
    char *out = proto_encode_add_field(buf, *len, "recording", &value, len);
    free(brief);
    return out;
}
