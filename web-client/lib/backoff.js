// Reconnect delays: exponential backoff with jitter, as a pure function.
// connection.js asks it how long to wait before the attempt-th retry.

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 10000;

/**
 * The delay before reconnect attempt `attempt` (0 for the first retry).
 * The ceiling doubles from base up to cap; the delay is drawn uniformly from
 * the upper half of it ("equal jitter"), so clients that lost the same server
 * spread out but never retry faster than half the ceiling.
 * `random` returns a number in [0, 1).
 */
export function backoffDelay(attempt, random, base = BACKOFF_BASE_MS, cap = BACKOFF_CAP_MS) {
  const n = Math.max(0, Math.min(30, Math.floor(attempt)));
  const ceiling = Math.min(cap, base * 2 ** n);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + r * (ceiling / 2));
}
