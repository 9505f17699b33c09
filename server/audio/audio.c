/* audio.c: the strings of kopa_audio's error enum. Everything in the library
 * and its callers (app/, metrics) use audio_strerror() to name a reason. */
#include "server/audio/audio.h"

static const char *const error_names[AUDIO_ERR_COUNT] = {
    [AUDIO_OK] = "ok",
    [AUDIO_ERR_EMPTY] = "empty audio packet",
    [AUDIO_ERR_TOO_SHORT] = "audio packet too short",
    [AUDIO_ERR_TOO_LONG] = "audio packet too long",
    [AUDIO_ERR_MALFORMED] = "malformed opus packet",
    [AUDIO_ERR_DURATION] = "audio packet is not 20 ms",
    [AUDIO_ERR_CHANNELS] = "audio packet is not mono",
    [AUDIO_ERR_RATE] = "audio packet rate too high",
    [AUDIO_ERR_NOT_PERMITTED] = "participant may not speak",
    [AUDIO_ERR_UNKNOWN_PARTICIPANT] = "unknown participant",
    [AUDIO_ERR_LATE] = "audio packet arrived too late",
    [AUDIO_ERR_DUPLICATE] = "duplicate audio packet",
    [AUDIO_ERR_OVERFLOW] = "jitter buffer overflow",
    [AUDIO_ERR_DECODE] = "opus decode failed",
    [AUDIO_ERR_ENCODE] = "opus encode failed",
    [AUDIO_ERR_EXISTS] = "participant already present",
    [AUDIO_ERR_BAD_ID] = "participant id 0 is reserved",
    [AUDIO_ERR_FLAGS] = "invalid participant flags",
    [AUDIO_ERR_CONFIG] = "invalid audio configuration",
    [AUDIO_ERR_IO] = "cannot write recording",
    [AUDIO_ERR_STATE] = "recorder already stopped",
};

const char *audio_strerror(audio_error err)
{
    if ((int)err < 0 || err >= AUDIO_ERR_COUNT || !error_names[err])
        return "unknown audio error";
    return error_names[err];
}
