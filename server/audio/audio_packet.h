/* audio_packet.h: validation of untrusted Opus packets from a browser.
 *
 * The mixer calls this on every push; the app may call it too (for example to
 * count bad frames before a participant has joined a mixer). */
#ifndef KOPA_AUDIO_PACKET_H
#define KOPA_AUDIO_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "server/audio/audio.h"

/* Checks that pkt[0..len) is one Opus packet the mixer accepts: 2 to max_len
 * bytes (max_len is clamped to AUDIO_MAX_PACKET), a frame layout libopus can
 * parse, mono, and exactly 20 ms of audio at 48 kHz (one 20 ms frame, or
 * shorter frames adding up to 20 ms). Borrows pkt for the call; pkt may be
 * NULL only when len is 0.
 * Returns AUDIO_OK, or the first failed check: AUDIO_ERR_EMPTY,
 * AUDIO_ERR_TOO_SHORT, AUDIO_ERR_TOO_LONG, AUDIO_ERR_MALFORMED,
 * AUDIO_ERR_CHANNELS or AUDIO_ERR_DURATION.
 * A one-byte packet is refused even when libopus would read it as a DTX
 * frame: clients must send DTX off (the WebCodecs default). */
audio_error audio_packet_check(const uint8_t *pkt, size_t len, size_t max_len);

#endif
