/* audio_mix.h: the arithmetic of mixing 16-bit PCM frames: a 32-bit
 * accumulator that cannot overflow for any realistic number of speakers,
 * saturation back to 16 bits, and a level meter. Used by the mixer's tick;
 * public so it can be tested sample by sample. */
#ifndef KOPA_AUDIO_MIX_H
#define KOPA_AUDIO_MIX_H

#include <stddef.h>
#include <stdint.h>

/* The level reported for digital silence, in dBFS. */
#define AUDIO_MIX_SILENCE_DB (-96.0f)

/* acc[i] += pcm[i] for i < n. Borrows both arrays for the call. */
void audio_mix_add(int32_t *acc, const int16_t *pcm, size_t n);

/* out[i] = acc[i] - minus[i], saturated to [-32768, 32767] (never wrapped).
 * minus may be NULL (nothing subtracted): that gives the plain mix, and
 * minus = one speaker's frame gives "everyone but that speaker". */
void audio_mix_clamp(int16_t *out, const int32_t *acc, const int16_t *minus,
                     size_t n);

/* Returns the RMS level of pcm[0..n) in dBFS (0 for a full-scale square
 * wave, about -3 for a full-scale sine), never below AUDIO_MIX_SILENCE_DB. */
float audio_mix_level_db(const int16_t *pcm, size_t n);

#endif
