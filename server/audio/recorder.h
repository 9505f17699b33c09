/* recorder.h: records a room's mix to an Ogg Opus file (libopusenc).
 *
 * The app starts a recorder when a coordinator starts recording a
 * workshop, feeds it the mixer's full-mix PCM every tick (see
 * audio_mixer_set_pcm_cb()), and stops it at the end. Writing goes through
 * stdio to the file: on a slow disk, run the recorder on a worker thread
 * (one recorder must only be used from one thread at a time). */
#ifndef KOPA_RECORDER_H
#define KOPA_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include "server/audio/audio.h"

typedef struct recorder recorder;

typedef struct recorder_config {
    const char *path;       /* file to create (replaced if it exists) */
    const char *title;      /* TITLE comment, or NULL */
    const char *session_id; /* KOPA_SESSION comment, or NULL */
    const char *date;       /* DATE comment (ISO 8601, from the caller's
                             * clock), or NULL */
    int bitrate;            /* bits/s, 6000..256000; 0 for 32000 */
    int complexity;         /* 0..10; -1 for 5 */
} recorder_config;

/* Creates the file and writes the Ogg Opus headers (48 kHz mono) with the
 * comments given. Borrows cfg and its strings for the call. On success
 * stores a new recorder in *out (the caller ends it with recorder_stop())
 * and returns AUDIO_OK; otherwise leaves *out NULL and returns
 * AUDIO_ERR_CONFIG (no path, or a value out of range) or AUDIO_ERR_IO (the
 * file cannot be created). Aborts when out of memory. */
audio_error recorder_start(const recorder_config *cfg, recorder **out);

/* Appends samples of 48 kHz mono PCM (any count; the mixer gives 960 a
 * tick). Borrows pcm for the call. Returns AUDIO_OK, AUDIO_ERR_STATE after
 * a failed write, or AUDIO_ERR_IO if libopusenc could not encode or write
 * (the recorder then refuses further writes; stop it to close the file). */
audio_error recorder_write(recorder *r, const int16_t *pcm, size_t samples);

/* Returns the number of samples written so far. */
uint64_t recorder_samples(const recorder *r);

/* Flushes the last pages, closes the file and frees r (NULL is a no-op and
 * returns AUDIO_OK). Returns AUDIO_OK, or AUDIO_ERR_IO if the final write
 * failed or an earlier write had failed (the file is then incomplete). */
audio_error recorder_stop(recorder *r);

#endif
