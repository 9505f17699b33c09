// Countdowns that read the same on every screen: the time left of the
// running agenda item (or any server-timed deadline), computed from the
// server's numbers and this computer's clock offset (lib/clock.js), and a
// compact m:ss text. Pure.

/**
 * The time left of a timed thing at serverNowMs. t: {state: 'running' |
 * 'paused', endsAt (server ms, running), leftMs (as of serverTime),
 * serverTime, totalMs}. Returns {leftMs, overtime, paused, fraction
 * (elapsed share 0..1)} or null when nothing is timed.
 */
export function timeLeft(t, serverNowMs) {
  if (!t || (t.state !== 'running' && t.state !== 'paused')) return null;
  let left;
  if (t.state === 'running' && Number.isFinite(t.endsAt)) left = t.endsAt - serverNowMs;
  else if (t.state === 'running' && Number.isFinite(t.leftMs) && Number.isFinite(t.serverTime)) left = t.leftMs - (serverNowMs - t.serverTime);
  else if (Number.isFinite(t.leftMs)) left = t.leftMs;
  else return null;
  const total = Number.isFinite(t.totalMs) && t.totalMs > 0 ? t.totalMs : null;
  const fraction = total ? Math.min(1, Math.max(0, 1 - left / total)) : null;
  return { leftMs: left, overtime: left < 0, paused: t.state === 'paused', fraction };
}

/** "12:05", "1:02:03"; negative times (overtime) get a leading "+" ("+0:42"). Whole seconds, rounded up while counting down. */
export function formatClock(ms) {
  if (!Number.isFinite(ms)) return '';
  const over = ms < 0;
  const secs = over ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  const body = `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
  return over && secs > 0 ? `+${body}` : body;
}

/** Minutes for a spoken or written duration, at least 1 when ms > 0. */
export function minutesOf(ms) {
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return Math.max(1, Math.round(ms / 60000));
}

/**
 * Which announcement a countdown deserves now, if any: 'oneMinute' when it
 * crosses 60 s left, 'ended' when it crosses zero. prevLeftMs is the value
 * at the previous render (null at first), so nothing repeats.
 */
export function countdownCue(prevLeftMs, leftMs) {
  if (!Number.isFinite(prevLeftMs) || !Number.isFinite(leftMs)) return null;
  if (prevLeftMs > 0 && leftMs <= 0) return 'ended';
  if (prevLeftMs > 60000 && leftMs <= 60000) return 'oneMinute';
  return null;
}
