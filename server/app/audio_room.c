/* audio_room: the audio of the sessions on this node. Owns each session's
 * audio members (stream ids), each room's mixer, the one 20 ms loop timer
 * that ticks every mixer, the frames the mixers emit (one shared frame per
 * distinct packet, queued on each listener's connection) and the speakers
 * event. app.c creates and frees it; handle_audio.c, audio_conn.c and
 * audio_record.c change members through app__audio_sync(); the breakout
 * and stage code call app__audio_move() and app__audio_stage_changed(). */
#include "server/app/audio_app_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/app/live.h"
#include "server/proto/encode_audio.h"

#define TICK_MS AUDIO_FRAME_MS
#define SPEAKER_DB_STEP 3.0f /* a level change that is worth an event */

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p == NULL)
        abort();
    return p;
}

/* ---------------------------------------------------------------------
 * Lifecycle. */

/* The mixers time their encodes with the loop's monotonic clock. */
static uint64_t hrtime_ns(void *data)
{
    (void)data;
    return uv_hrtime();
}

void app__audio_init(app *a)
{
    app_audio *aa = xcalloc(1, sizeof(*aa));
    aa->a = a;
    audio_mixer_config_init(&aa->mixer_cfg);
    if (a->cfg.audio_speakers > 0)
        aa->mixer_cfg.max_speakers = a->cfg.audio_speakers;
    aa->mixer_cfg.now_ns = hrtime_ns;
    if (audio_mixer_config_check(&aa->mixer_cfg) != AUDIO_OK)
        abort(); /* app_config.audio_speakers out of range: config.c checks */
    uv_timer_init(a->loop, &aa->timer);
    aa->timer.data = aa;
    a->audio = aa;
}

void app__audio_shutdown(app *a)
{
    app_audio *aa = a->audio;
    app__audio_rec_stop_all(aa);
    uv_timer_stop(&aa->timer);
    aa->timer_on = 0;
    uv_close((uv_handle_t *)&aa->timer, NULL);
}

void app__audio_free(app *a)
{
    app_audio *aa = a->audio;
    if (aa == NULL)
        return;
    /* Sessions were freed first (app_free); recordings finished while the
     * loop ran after app_shutdown(). */
    free(aa);
    a->audio = NULL;
}

static void retire_stats(app_audio *aa, const audio_mixer *m)
{
    audio_mixer_stats s;
    audio_mixer_get_stats(m, &s);
    aa->retired.ticks += s.ticks;
    aa->retired.packets_accepted += s.packets_accepted;
    for (int i = 0; i < AUDIO_ERR_COUNT; i++)
        aa->retired.dropped[i] += s.dropped[i];
    aa->retired.frames_decoded += s.frames_decoded;
    aa->retired.frames_concealed += s.frames_concealed;
    aa->retired.frames_encoded += s.frames_encoded;
    aa->retired.encode_ns += s.encode_ns;
    aa->retired.packets_forwarded += s.packets_forwarded;
    aa->retired.packets_emitted += s.packets_emitted;
}

static void room_free(audio_room *r)
{
    app_audio *aa = r->as->app->audio;
    retire_stats(aa, r->mixer);
    audio_mixer_free(r->mixer);
    aa->nrooms--;
    free(r);
}

void app__audio_sess_free(sess *ss)
{
    audio_sess *as = ss->audio;
    if (as == NULL)
        return;
    app_audio *aa = as->app->audio;
    while (as->rooms) {
        audio_room *next = as->rooms->next;
        if (as->rooms->rec)
            app__audio_rec_stop(as->rooms, NULL, NULL);
        room_free(as->rooms);
        as->rooms = next;
    }
    for (size_t i = 0; i < as->n; i++)
        free(as->by_id[i]);
    free(as->by_id);
    if (as->prev)
        as->prev->next = as->next;
    else
        aa->sessions = as->next;
    if (as->next)
        as->next->prev = as->prev;
    free(as);
    ss->audio = NULL;
}

audio_sess *app__audio_sess(sess *ss)
{
    if (ss->audio)
        return ss->audio;
    app_audio *aa = ss->app->audio;
    audio_sess *as = xcalloc(1, sizeof(*as));
    as->app = ss->app;
    as->ss = ss;
    as->next = aa->sessions;
    if (aa->sessions)
        aa->sessions->prev = as;
    aa->sessions = as;
    ss->audio = as;
    return as;
}

/* ---------------------------------------------------------------------
 * Members. */

audio_member *app__audio_member(audio_sess *as, member *m, int create)
{
    for (size_t i = 0; i < as->n; i++)
        if (as->by_id[i]->m == m)
            return as->by_id[i];
    if (!create)
        return NULL;
    if (as->n == as->cap) {
        as->cap = as->cap ? as->cap * 2 : 8;
        as->by_id = realloc(as->by_id, as->cap * sizeof(*as->by_id));
        if (as->by_id == NULL)
            abort();
    }
    audio_member *am = xcalloc(1, sizeof(*am));
    am->as = as;
    am->m = m;
    am->id = (uint32_t)as->n + 1;
    am->may_speak = 1;
    as->by_id[as->n++] = am;
    return am;
}

static audio_member *member_by_id(const audio_sess *as, uint32_t id)
{
    return id >= 1 && id <= as->n ? as->by_id[id - 1] : NULL;
}

int app__audio_speaks(const audio_member *am)
{
    return am->c != NULL && !am->muted && am->may_speak;
}

int app__audio_is_breakout(audio_sess *as, const char *room_id)
{
    room *r = session_room(as->ss->s, room_id);
    return r != NULL && r->kind == ROOM_BREAKOUT;
}

/* ---------------------------------------------------------------------
 * Rooms. */

static void timer_cb(uv_timer_t *t);

/* The timer is one-shot, aimed each time at the next 20 ms boundary from
 * t0_ms: a repeating libuv timer re-arms from when its callback ran, so it
 * drifts late until it has to run two ticks at once. */
static void timer_start(app_audio *aa)
{
    if (aa->timer_on || aa->a->shutting_down)
        return;
    aa->timer_on = 1;
    aa->t0_ms = uv_now(aa->a->loop);
    aa->ticks = 0;
    uv_timer_start(&aa->timer, timer_cb, TICK_MS, 0);
}

/* Arms the timer for the boundary of the tick after aa->ticks (at once if
 * that has passed). */
static void timer_rearm(app_audio *aa)
{
    uint64_t next = aa->t0_ms + (aa->ticks + 1) * TICK_MS;
    uint64_t now = uv_now(aa->a->loop);
    uv_timer_start(&aa->timer, timer_cb, next > now ? next - now : 0, 0);
}

/* The flags am should have in r's mixer, or -1 when it should not be in
 * it. Its own room: hears and (when it speaks) is heard, unless it
 * listens in elsewhere: then it is only heard. The listened room: hears
 * only. Every other breakout while broadcasting: heard only. */
static int wanted_flags(const audio_member *am, const audio_room *r)
{
    unsigned speak = app__audio_speaks(am) ? AUDIO_MAY_SPEAK : 0;
    if (am->c == NULL)
        return -1;
    if (r == am->room)
        return (int)(am->listen ? (speak | AUDIO_SEND_ONLY) : speak);
    if (r == am->listen)
        return am->broadcast && speak ? (int)speak : AUDIO_LISTEN_ONLY;
    if (am->broadcast && speak && app__audio_is_breakout(am->as, r->id))
        return (int)(speak | AUDIO_SEND_ONLY);
    return -1;
}

static void place(audio_member *am, audio_room *r)
{
    int want = wanted_flags(am, r);
    if (want < 0) {
        audio_mixer_remove(r->mixer, am->id);
        return;
    }
    if (audio_mixer_set_flags(r->mixer, am->id, (unsigned)want) ==
        AUDIO_ERR_UNKNOWN_PARTICIPANT)
        audio_mixer_add(r->mixer, am->id, (unsigned)want);
}

audio_room *app__audio_room(audio_sess *as, const char *room_id, int create)
{
    for (audio_room *r = as->rooms; r; r = r->next)
        if (strcmp(r->id, room_id) == 0)
            return r;
    if (!create)
        return NULL;
    app_audio *aa = as->app->audio;
    audio_room *r = xcalloc(1, sizeof(*r));
    snprintf(r->id, sizeof(r->id), "%s", room_id);
    r->as = as;
    r->mixer = audio_mixer_new(&aa->mixer_cfg);
    if (r->mixer == NULL)
        abort(); /* the config was checked by app__audio_init() */
    r->next = as->rooms;
    as->rooms = r;
    aa->nrooms++;
    timer_start(aa);
    /* Broadcasting coordinators speak into a new breakout at once. */
    for (size_t i = 0; i < as->n; i++)
        if (as->by_id[i]->broadcast)
            place(as->by_id[i], r);
    return r;
}

void app__audio_room_gc(audio_room *r)
{
    if (r->users > 0 || r->rec != NULL)
        return;
    audio_sess *as = r->as;
    if (as->app->audio->ticking) {
        r->gc = 1; /* a connection closed while the rooms were ticked */
        return;
    }
    for (audio_room **p = &as->rooms; *p; p = &(*p)->next) {
        if (*p == r) {
            *p = r->next;
            break;
        }
    }
    room_free(r);
}

/* Whether m may be heard where it is: in a workshop's main room only the
 * host (the programme entry's) and the people on the stage; everywhere
 * else everyone. */
static int may_speak(const audio_sess *as, const member *m)
{
    const struct programme_session *e = app__prog_entry(as->app, as->ss->id);
    if (e == NULL || e->kind != PROGRAMME_WORKSHOP ||
        strcmp(m->room, SESSION_MAIN_ROOM) != 0)
        return 1;
    if (strcmp(e->host, m->info.id) == 0)
        return 1;
    return as->ss->live != NULL &&
           stage_is_on(&as->ss->live->stage, m->info.id);
}

/* Moves am's hold on a room from *slot to r (either may be NULL). */
static void hold(audio_room **slot, audio_room *r)
{
    if (*slot == r)
        return;
    if (r)
        r->users++;
    if (*slot)
        (*slot)->users--;
    *slot = r;
}

void app__audio_sync(audio_member *am)
{
    audio_sess *as = am->as;
    audio_room *old_room = am->room, *old_listen = am->listen;
    audio_room *own = NULL, *listen = NULL;
    am->may_speak = may_speak(as, am->m);
    if (am->c) {
        own = app__audio_room(as, am->m->room, 1);
        if (am->listen_id[0] && strcmp(am->listen_id, am->m->room) != 0)
            listen = app__audio_room(as, am->listen_id, 1);
    }
    hold(&am->room, own);
    hold(&am->listen, listen);
    for (audio_room *r = as->rooms; r; r = r->next)
        place(am, r);
    if (old_room && old_room != own)
        app__audio_room_gc(old_room);
    if (old_listen && old_listen != listen && old_listen != own)
        app__audio_room_gc(old_listen);
    if (own && own != old_room && old_room != NULL && am->c)
        app__audio_send_state(am, am->c, NULL, NULL);
}

audio_error app__audio_push(audio_member *am, uint16_t seq, uint32_t ts,
                            const uint8_t *pkt, size_t len, int64_t now_ms)
{
    if (!app__audio_speaks(am) || am->room == NULL)
        return AUDIO_ERR_NOT_PERMITTED;
    if (!am->broadcast)
        return audio_mixer_push(am->room->mixer, am->id, seq, ts, pkt, len,
                                now_ms);
    audio_error own = AUDIO_ERR_NOT_PERMITTED;
    for (audio_room *r = am->as->rooms; r; r = r->next) {
        int want = wanted_flags(am, r);
        if (want < 0 || !(want & AUDIO_MAY_SPEAK))
            continue;
        audio_error e =
            audio_mixer_push(r->mixer, am->id, seq, ts, pkt, len, now_ms);
        if (r == am->room)
            own = e;
    }
    return own;
}

/* ---------------------------------------------------------------------
 * Hooks for the breakout and stage code. */

void app__audio_move(sess *ss, member *m, const char *from_room,
                     const char *to_room)
{
    (void)from_room;
    if (ss->audio == NULL)
        return;
    audio_member *am = app__audio_member(ss->audio, m, 0);
    audio_room *r = app__audio_room(ss->audio, to_room, 0);
    if (r && r->rec)
        app__audio_rec_present(r, m);
    if (am == NULL || am->c == NULL)
        return;
    app__audio_sync(am);
}

void app__audio_stage_changed(sess *ss)
{
    audio_sess *as = ss->audio;
    if (as == NULL)
        return;
    for (size_t i = 0; i < as->n; i++) {
        audio_member *am = as->by_id[i];
        if (am->c == NULL || am->may_speak == may_speak(as, am->m))
            continue;
        app__audio_sync(am); /* takes the new may_speak */
        app__audio_send_state(am, am->c, NULL, NULL);
    }
}

int app__audio_is_host(const conn *c)
{
    const char *host = app__prog_host(c->app, c->sess->id);
    return perm_allows(c->info.role, ACTION_HOST_RUNS_SESSION) &&
           host != NULL && strcmp(host, c->info.id) == 0;
}

void app__audio_room_closed(sess *ss, const char *room_id)
{
    audio_sess *as = ss->audio;
    if (as == NULL)
        return;
    audio_room *r = app__audio_room(as, room_id, 0);
    if (r && r->rec)
        app__audio_rec_stop(r, NULL, NULL);
    for (size_t i = 0; i < as->n; i++) {
        audio_member *am = as->by_id[i];
        if (strcmp(am->listen_id, room_id) != 0)
            continue;
        am->listen_id[0] = '\0';
        app__audio_sync(am); /* may free the room */
        if (am->c)
            app__audio_send_state(am, am->c, NULL, "room_closed");
    }
    r = app__audio_room(as, room_id, 0);
    if (r)
        app__audio_room_gc(r);
}

/* ---------------------------------------------------------------------
 * The tick: mixers -> frames -> listeners. */

/* The frames made in one mixer tick, one per distinct packet. */
typedef struct emit_ctx {
    audio_sess *as;
    struct {
        const uint8_t *data;
        audio_stream_kind kind;
        uint32_t stream;
        frame *f;
    } made[2 * AUDIO_MAX_ACTIVE + 4];
    size_t n;
} emit_ctx;

static frame *make_frame(const audio_out *o)
{
    static const uint8_t kinds[] = {[AUDIO_STREAM_MIX] = 0,
                                    [AUDIO_STREAM_MIX_MINUS] = 1,
                                    [AUDIO_STREAM_FORWARD] = 2,
                                    [AUDIO_STREAM_OWN] = 1};
    frame *f = malloc(sizeof(*f) + AUDIO_HEADER_OUT + o->len + 1);
    if (f == NULL)
        abort();
    uint8_t *p = (uint8_t *)f->data;
    f->refs = 1;
    f->binary = 1;
    f->len = AUDIO_HEADER_OUT + o->len;
    p[0] = 2;
    p[1] = kinds[o->kind];
    p[2] = (uint8_t)(o->seq >> 8);
    p[3] = (uint8_t)o->seq;
    for (int i = 0; i < 4; i++) {
        p[4 + i] = (uint8_t)(o->ts >> (24 - 8 * i));
        p[8 + i] = (uint8_t)(o->stream_id >> (24 - 8 * i));
    }
    memcpy(p + AUDIO_HEADER_OUT, o->data, o->len);
    p[f->len] = 0;
    return f;
}

static void emit_cb(void *data, const audio_out *o)
{
    emit_ctx *e = data;
    audio_member *am = member_by_id(e->as, o->listener_id);
    if (am == NULL || am->c == NULL)
        return;
    frame *f = NULL;
    for (size_t i = 0; i < e->n && f == NULL; i++)
        if (e->made[i].data == o->data && e->made[i].kind == o->kind &&
            e->made[i].stream == o->stream_id)
            f = e->made[i].f;
    if (f == NULL) {
        f = make_frame(o);
        if (e->n < sizeof(e->made) / sizeof(e->made[0])) {
            e->made[e->n].data = o->data;
            e->made[e->n].kind = o->kind;
            e->made[e->n].stream = o->stream_id;
            e->made[e->n].f = f;
            e->n++;
        } else {
            app__audio_queue(am->c, f);
            frame_unref(f);
            return;
        }
    }
    app__audio_queue(am->c, f);
}

static int speakers_changed(const audio_room *r, const audio_speaker *sp,
                            size_t n)
{
    if (n != r->nspk)
        return 1;
    for (size_t i = 0; i < n; i++) {
        if (sp[i].participant_id != r->spk[i] ||
            sp[i].level_known != r->spk_known[i])
            return 1;
        if (sp[i].level_known &&
            fabsf(sp[i].level_db - r->spk_db[i]) >= SPEAKER_DB_STEP)
            return 1;
    }
    return 0;
}

/* Sends the speakers event of r when it changed since the last one. */
static void speakers(audio_room *r)
{
    audio_speaker sp[AUDIO_MAX_ACTIVE];
    proto_speaker ps[AUDIO_MAX_ACTIVE];
    size_t n = audio_mixer_active_speakers(r->mixer, sp, AUDIO_MAX_ACTIVE);
    if (n > AUDIO_MAX_ACTIVE)
        n = AUDIO_MAX_ACTIVE;
    if (!speakers_changed(r, sp, n))
        return;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        audio_member *am = member_by_id(r->as, sp[i].participant_id);
        r->spk[i] = sp[i].participant_id;
        r->spk_db[i] = sp[i].level_db;
        r->spk_known[i] = sp[i].level_known;
        if (am)
            ps[k++] = (proto_speaker){am->m->info.id, am->id, sp[i].level_known,
                                      sp[i].level_db};
    }
    r->nspk = n;
    size_t len;
    char *buf = proto_encode_speakers(r->id, ps, k, &len);
    frame *f = frame_take(buf, len, 0);
    app__fanout_room(r->as->ss, r->id, f);
    /* Coordinators outside a breakout see who speaks in it (their console
     * of live rooms); anyone else listening in gets it on that connection. */
    int breakout = strcmp(r->id, SESSION_MAIN_ROOM) != 0;
    session *s = r->as->ss->s;
    for (size_t i = 0; breakout && i < s->nmembers; i++) {
        member *m = s->members[i];
        if (m->online > 0 && !session_in_room(m, r->id) &&
            perm_allows(m->info.role, ACTION_ROUND_MANAGE))
            app__fanout_member(m, f);
    }
    for (size_t i = 0; i < r->as->n; i++) {
        audio_member *am = r->as->by_id[i];
        if (am->listen == r && am->c &&
            !(breakout && perm_allows(am->m->info.role, ACTION_ROUND_MANAGE)))
            app__send(am->c, f);
    }
    frame_unref(f);
    r->as->app->audio->speakers_events++;
}

static void tick_room(audio_room *r, int64_t now_ms, uint64_t tick)
{
    emit_ctx e = {.as = r->as};
    audio_mixer_tick(r->mixer, now_ms, emit_cb, &e);
    for (size_t i = 0; i < e.n; i++)
        frame_unref(e.made[i].f);
    if (tick % AUDIO_SPEAKERS_TICKS == 0)
        speakers(r);
}

/* Frees the rooms that emptied during a tick. */
static void sweep(app_audio *aa)
{
    for (audio_sess *as = aa->sessions; as; as = as->next) {
        audio_room *r = as->rooms;
        while (r) {
            audio_room *next = r->next;
            if (r->gc) {
                r->gc = 0;
                app__audio_room_gc(r);
            }
            r = next;
        }
    }
}

static void timer_cb(uv_timer_t *t)
{
    app_audio *aa = t->data;
    uint64_t start_ns = uv_hrtime();
    uint64_t due = (uv_now(aa->a->loop) - aa->t0_ms) / TICK_MS;
    if (due <= aa->ticks) {
        timer_rearm(aa); /* early: the boundary has not come yet */
        return;
    }
    if (due - aa->ticks > AUDIO_MAX_CATCHUP) {
        aa->ticks_skipped += due - aa->ticks - AUDIO_MAX_CATCHUP;
        aa->ticks = due - AUDIO_MAX_CATCHUP;
    }
    uint64_t first = aa->ticks;
    aa->ticking = 1;
    while (aa->ticks < due) {
        aa->ticks++;
        aa->ticks_total++;
        int64_t now_ms = (int64_t)(aa->t0_ms + aa->ticks * TICK_MS);
        for (audio_sess *as = aa->sessions; as; as = as->next)
            for (audio_room *r = as->rooms; r; r = r->next)
                tick_room(r, now_ms, aa->ticks);
    }
    aa->ticking = 0;
    sweep(aa);
    if (aa->ticks / AUDIO_POLICY_TICKS != first / AUDIO_POLICY_TICKS)
        for (audio_sess *as = aa->sessions; as; as = as->next)
            app__audio_stage_changed(as->ss);
    if (aa->nrooms == 0)
        aa->timer_on = 0; /* not re-armed: the next room starts it again */
    else
        timer_rearm(aa);
    uint64_t ns = uv_hrtime() - start_ns;
    aa->tick_ns_sum += ns;
    aa->tick_runs++;
    if (ns > aa->tick_ns_max)
        aa->tick_ns_max = ns;
}
