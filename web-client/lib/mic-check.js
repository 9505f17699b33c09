// The microphone test's verdict, as a pure function of frame levels over
// time: "we hear you" once the input stays above a threshold for a moment,
// "no sound" when nothing came in for a few seconds. The audio engine feeds
// it every captured frame while a member tests the microphone (nothing is
// sent to the server then); views/audio.js shows the verdict in words.

/**
 * Creates a checker. update(rms, nowMs) takes one frame's RMS (0..1) and
 * returns the verdict: 'waiting' (too early to tell), 'heard' or 'silent'.
 * Options: onDb, the level that counts as sound (dBFS); needMs, how long
 * sound must last (short gaps below gapMs, such as between syllables, do
 * not break it); quietMs, how long without sound before 'silent' (from the
 * start, or after sound stopped).
 */
export function createMicCheck({ onDb = -45, needMs = 300, gapMs = 200, quietMs = 3000 } = {}) {
  let started = null;
  let runStart = null;
  let lastLoud = null;
  let verdict = 'waiting';
  return {
    update(rms, nowMs) {
      if (started === null) started = nowMs;
      const db = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
      if (db >= onDb) {
        if (runStart === null || lastLoud === null || nowMs - lastLoud > gapMs) runStart = nowMs;
        lastLoud = nowMs;
        if (nowMs - runStart >= needMs) verdict = 'heard';
      }
      const quietSince = lastLoud === null ? started : lastLoud;
      if (verdict !== 'silent' && nowMs - quietSince >= quietMs) verdict = 'silent';
      return verdict;
    },
    /** The verdict so far. */
    get verdict() {
      return verdict;
    },
    /** Starts over (a new test, or another microphone). */
    reset() {
      started = null;
      runStart = null;
      lastLoud = null;
      verdict = 'waiting';
    },
  };
}

/** The verdict after a series of [rms, nowMs] frames (for tests and one-off checks). */
export function micCheckVerdict(frames, opts) {
  const check = createMicCheck(opts);
  let v = 'waiting';
  for (const [rms, at] of frames) v = check.update(rms, at);
  return v;
}
