/* audio_packet.c: the checks every incoming Opus packet passes before it
 * reaches a jitter buffer or a decoder. Called by audio_mixer_push() and by
 * anyone who wants the same verdict. Only libopus's packet parsers are used:
 * nothing here decodes audio. */
#include "server/audio/audio_packet.h"

#include <opus.h>

audio_error audio_packet_check(const uint8_t *pkt, size_t len, size_t max_len)
{
    const unsigned char *frames[48];
    opus_int16 sizes[48];

    if (max_len > AUDIO_MAX_PACKET)
        max_len = AUDIO_MAX_PACKET;
    if (len == 0 || !pkt)
        return AUDIO_ERR_EMPTY;
    if (len < 2)
        return AUDIO_ERR_TOO_SHORT;
    if (len > max_len)
        return AUDIO_ERR_TOO_LONG;
    /* opus_packet_parse() checks the frame count byte and every frame
     * length against the packet size; it never reads past len. */
    if (opus_packet_parse(pkt, (opus_int32)len, NULL, frames, sizes, NULL) <= 0)
        return AUDIO_ERR_MALFORMED;
    if (opus_packet_get_nb_channels(pkt) != 1)
        return AUDIO_ERR_CHANNELS;
    if (opus_packet_get_nb_samples(pkt, (opus_int32)len, AUDIO_SAMPLE_RATE) !=
        AUDIO_FRAME_SAMPLES)
        return AUDIO_ERR_DURATION;
    return AUDIO_OK;
}
