// Uplink pacing for audio packets: a token bucket that stays under the
// server's audio limit (docs/protocol.md 8.2: 75 packets a second, bursts of
// 25). After a stall (a busy page, a throttled tab) the encoder hands over
// its backlog at once; what is over the burst is dropped here, since late
// audio is useless and the server would drop it anyway and answer with
// `audio_rate`. Used by lib/audio-engine.js; pure, so it is unit tested.

export const UPLINK_RATE = 60; // packets a second, sustained (the normal rate is 50)
export const UPLINK_BURST = 20; // packets at once

/** A pacer: take(nowMs) is true when a packet may go now (and uses up its token). */
export function createPacer({ rate = UPLINK_RATE, burst = UPLINK_BURST } = {}) {
  let tokens = burst;
  let at = null;
  return {
    take(nowMs) {
      if (at !== null && nowMs > at) tokens = Math.min(burst, tokens + ((nowMs - at) * rate) / 1000);
      if (at === null || nowMs > at) at = nowMs;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
