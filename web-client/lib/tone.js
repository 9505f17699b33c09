// Audio measurements that need no browser: the power of one frequency in a
// block of samples (Goertzel), a dBFS level for the input meter, and the
// "is speaking" decision with a hang-over. Used by the audio engine, its
// debug hook and the unit tests.

/** Power of `freq` Hz in samples at `rate` Hz, normalised so a full-scale sine gives about 0.25. */
export function goertzel(samples, freq, rate) {
  const n = samples.length;
  if (n === 0) return 0;
  const w = (2 * Math.PI * freq) / rate;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = samples[i] + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - c * s1 * s2;
  return power / (n * n);
}

/** Of the candidate frequencies, the one with the most power, and every power: {freq, powers}. */
export function dominant(samples, rate, candidates) {
  let best = null;
  const powers = {};
  for (const f of candidates) {
    const p = goertzel(samples, f, rate);
    powers[f] = p;
    if (best === null || p > powers[best]) best = f;
  }
  return { freq: best, powers };
}

/** An RMS level (0..1) on the meter's scale 0..1: -60 dBFS and below is 0, 0 dBFS is 1. */
export function meterValue(rms) {
  if (!(rms > 0)) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

/**
 * Decides "speaking" from frame levels: on when the RMS is above onDb,
 * off after holdMs below offDb. update(rms, nowMs) returns the decision.
 */
export function createSpeakingDetector({ onDb = -42, offDb = -48, holdMs = 400 } = {}) {
  let speaking = false;
  let lastLoud = -Infinity;
  return {
    update(rms, nowMs) {
      const db = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
      if (db >= onDb) {
        speaking = true;
        lastLoud = nowMs;
      } else if (db >= offDb && speaking) {
        lastLoud = nowMs;
      } else if (speaking && nowMs - lastLoud > holdMs) {
        speaking = false;
      }
      return speaking;
    },
    reset() {
      speaking = false;
      lastLoud = -Infinity;
    },
  };
}
