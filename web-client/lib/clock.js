// The offset between this computer's clock and the server's, so countdowns
// look the same on every screen. Pure: samples come from ping/pong round
// trips (lib/connection.js) and from welcome/joined; the sample with the
// shortest round trip among the recent ones wins (its error is at most half
// that round trip).

const KEEP = 8;

/** A clock that knows nothing yet: offset 0. */
export function initialClock() {
  return { offset: 0, rtt: null, samples: [] };
}

/**
 * Adds a sample: a request sent at sentMs (local), answered at recvMs
 * (local) with serverMs. For a message without a request (welcome, joined)
 * pass sentMs = recvMs: an upper bound of unknown quality, used only until
 * a real round trip exists. Returns a new clock (or the same one when the
 * sample is unusable).
 */
export function addClockSample(clock, sentMs, recvMs, serverMs) {
  if (![sentMs, recvMs, serverMs].every(Number.isFinite) || recvMs < sentMs) return clock;
  const rtt = recvMs - sentMs;
  const oneWay = sentMs === recvMs; // no round trip measured
  const sample = { offset: serverMs - (sentMs + recvMs) / 2, rtt: oneWay ? Infinity : rtt };
  const samples = clock.samples.concat([sample]).slice(-KEEP);
  let best = samples[0];
  for (const s of samples) if (s.rtt <= best.rtt) best = s;
  return { offset: Math.round(best.offset), rtt: Number.isFinite(best.rtt) ? best.rtt : null, samples };
}

/** The server's time now, from a local time. */
export function serverNow(clock, localMs) {
  return localMs + (clock ? clock.offset : 0);
}

/** The local time of a server time (for timers). */
export function localTime(clock, serverMs) {
  return serverMs - (clock ? clock.offset : 0);
}
