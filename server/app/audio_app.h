/* audio_app: the app's side of audio (docs/protocol.md section 8), for the
 * files of server/app. One audio_mixer (server/audio) per room that has
 * audio, all driven by one 20 ms loop timer; binary frames in, one shared
 * reference-counted frame per distinct packet out, to a small drop-oldest
 * queue per connection. Audio belongs to a member (one connection at a
 * time); every member gets a stream id, unique in its session.
 *
 * Files: audio_room.c (sessions, rooms, mixers, the timer, the speakers
 * event), audio_conn.c (binary frames in, the audio send queue out),
 * handle_audio.c (the `audio` message), audio_record.c (the `recording`
 * message and the recorder, off the loop), audio_metrics.c (/metrics). */
#ifndef KOPA_APP_AUDIO_APP_H
#define KOPA_APP_AUDIO_APP_H

#include <stddef.h>
#include <stdint.h>

typedef struct app app;
typedef struct conn conn;
typedef struct sess sess;
typedef struct member member;
typedef struct proto_msg proto_msg;
typedef struct app_audio app_audio;
typedef struct audio_sess audio_sess;
typedef struct audio_conn audio_conn;

/* Lifecycle, called by app.c: creates the audio state of a (the timer
 * starts when the first room has audio); stops every recording (their
 * files are finished on worker threads while the loop runs on) and the
 * timer; frees what is left. */
void app__audio_init(app *a);
void app__audio_shutdown(app *a);
void app__audio_free(app *a);
/* Frees the audio of a session (app.c, when the session is freed). */
void app__audio_sess_free(sess *ss);

/* One binary frame from c (conn.c). Refusals are answered with an error
 * at most once a second per connection; nothing else changes. */
void app__audio_receive(conn *c, const uint8_t *buf, size_t len);
/* The next audio frame for c's transport (conn.c), taking turns with the
 * JSON queue when both have frames: returns 1 with a new buffer (*buf,
 * freed by the caller; the message at *buf + pre, *len bytes), or 0 when
 * it is JSON's turn or no audio waits. */
int app__audio_pop(conn *c, size_t pre, char **buf, size_t *len);
/* Whether audio waits to be written on c (conn.c). */
int app__audio_queued(const conn *c);
/* c stops being joined (closing or closed): its audio ends (app.c). */
void app__audio_detach(conn *c);
/* Frees c's audio state, at c's last reference (app.c). */
void app__audio_conn_free(conn *c);

/* The `audio` and `recording` messages (handle_audio.c, audio_record.c). */
void app__handle_audio(conn *c, proto_msg *msg);
void app__handle_recording(conn *c, proto_msg *msg);

/* The member m of ss now is in room to_room (m->room already says so):
 * its audio follows at once (a new sequence from the new room's mixer).
 * from_room is where it was. Called by whoever moves members between rooms
 * (breakout rounds); harmless for a member without audio. */
void app__audio_move(sess *ss, member *m, const char *from_room,
                     const char *to_room);
/* Who may be heard changed in ss (a workshop's stage or host): in a
 * workshop's main room only the host and the people on stage are heard
 * (audio_room.c reads live->stage and the programme entry); the others'
 * packets are refused with not_speaker. Called by the stage code; the
 * audio timer also looks again every second (programme changes). */
void app__audio_stage_changed(sess *ss);
/* A room of ss is gone (a breakout closed): members listening in to it go
 * back to their own room; a recording of it stops. */
void app__audio_room_closed(sess *ss, const char *room_id);

/* handle_join.c, sending joined to c: records c's member as present in a
 * recording of its room and, while one runs, returns the joined frame
 * (buf, taken) with a "recording" field added; otherwise returns buf. */
char *app__audio_joined(conn *c, char *buf, size_t *len);

/* The audio lines of GET /metrics: a new buffer of *len bytes the caller
 * frees with free(). */
char *app__audio_metrics(app *a, size_t *len);

#endif
