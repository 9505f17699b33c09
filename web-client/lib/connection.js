// The WebSocket to one Kopa session: auth, join with `since`, a liveness ping,
// reconnects with backoff, binary audio frames both ways, and clock samples
// (ping/pong round trips) for lib/clock.js. app.js creates one and hands it
// callbacks; the socket class, timers, clock and random source are
// injectable for tests. The token goes only into the first message, never
// into a URL.

import { backoffDelay } from './backoff.js';

export const SUBPROTOCOL = 'kopa.v1';
const FATAL_CODES = new Set(['bad_token', 'token_expired', 'session_not_allowed', 'unsupported_version']);
const OPEN = 1;
// Audio is dropped rather than queued behind a slow uplink (about 1 s of audio).
const MAX_BUFFERED_AUDIO = 8192;
// Round trips measured right after each join, for the clock offset.
const CLOCK_PINGS_MS = [0, 1500, 4000];

/** ws(s)://host/ws/<session> for a page at `location`; null when the session id is invalid. */
export function sessionUrl(location, session) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(session || '')) return null;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/${session}`;
}

/**
 * Creates a connection; nothing happens until start().
 * opts: url, token, WebSocket (constructor), getSince() -> since object,
 * onMessage(obj) for every server object (in order), onJoined() after each
 * joined was handled, onStatus(status, retryAt) with status in
 * connecting | online | reconnecting | failed: connecting until the first
 * join; after that, reconnecting both while waiting (retryAt: when the next
 * attempt starts) and while trying (retryAt 0); failed after an
 * authentication error (final, no more attempts).
 * Optional: onBinary(ArrayBuffer) for each binary frame; onClock(sentMs,
 * recvMs, serverMs) for each clock sample (a pong answering one of our pings,
 * or welcome/joined with sentMs = recvMs); timers {setTimeout, clearTimeout},
 * now(), random(), pingEveryMs, pongTimeoutMs, welcomeTimeoutMs.
 * Returns {start, stop, send(obj) -> bool, sendBinary(bytes) -> bool,
 * retryNow, isJoined}.
 */
export function createConnection(opts) {
  const WS = opts.WebSocket;
  const timers = opts.timers || { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (t) => clearTimeout(t) };
  const now = opts.now || (() => Date.now());
  const random = opts.random || Math.random;
  const pingEveryMs = opts.pingEveryMs || 25000;
  const pongTimeoutMs = opts.pongTimeoutMs || 10000;
  const welcomeTimeoutMs = opts.welcomeTimeoutMs || 15000;
  const noop = () => {};
  const onMessage = opts.onMessage || noop;
  const onJoined = opts.onJoined || noop;
  const onStatus = opts.onStatus || noop;
  const onBinary = opts.onBinary || noop;
  const onClock = opts.onClock || noop;

  let ws = null;
  let attempt = 0;
  let joinAttempt = 0;
  let joined = false;
  let everJoined = false; // once joined, every later attempt is a reconnect
  let stopped = true;
  let fatal = false;
  let status = 'idle';
  let retryTimer = null;
  let joinTimer = null;
  let welcomeTimer = null;
  let pingTimer = null;
  let pongTimer = null;
  let pingSeq = 0;
  let clockTimers = [];
  const pingsSent = new Map(); // ref -> local send time

  function setStatus(s, retryAt = 0) {
    status = s;
    onStatus(s, retryAt);
  }

  function clear(t) {
    if (t !== null) timers.clearTimeout(t);
    return null;
  }

  function clearAll() {
    retryTimer = clear(retryTimer);
    joinTimer = clear(joinTimer);
    welcomeTimer = clear(welcomeTimer);
    pingTimer = clear(pingTimer);
    pongTimer = clear(pongTimer);
    for (const t of clockTimers) timers.clearTimeout(t);
    clockTimers = [];
    pingsSent.clear();
  }

  function connect() {
    clearAll();
    joined = false;
    // A retry after a lost connection stays "reconnecting" (retryAt 0: trying now), so the
    // page keeps saying what it is recovering, and a success counts as a recovery.
    if (everJoined) setStatus('reconnecting', 0);
    else setStatus('connecting');
    let sock;
    try {
      sock = new WS(opts.url, SUBPROTOCOL);
    } catch (e) {
      schedule();
      return;
    }
    ws = sock;
    sock.binaryType = 'arraybuffer';
    sock.onopen = () => {
      if (ws !== sock) return;
      sock.send(JSON.stringify({ type: 'auth', v: 1, token: opts.token }));
    };
    sock.onmessage = (ev) => { if (ws === sock) receive(ev.data); };
    sock.onclose = (ev) => { if (ws === sock) closed(ev && ev.code); };
    sock.onerror = noop;
    welcomeTimer = timers.setTimeout(() => abandon(), welcomeTimeoutMs);
  }

  function receive(data) {
    if (typeof data !== 'string') {
      if (data instanceof ArrayBuffer && joined) onBinary(data);
      return;
    }
    let parsed;
    try {
      parsed = JSON.parse(data);
    } catch (e) {
      return;
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    pongTimer = clear(pongTimer);
    for (const obj of list) {
      if (!obj || typeof obj !== 'object') continue;
      handle(obj);
      if (ws === null) return;
    }
  }

  function handle(obj) {
    if ((obj.type === 'welcome' || obj.type === 'joined') && Number.isFinite(obj.server_time)) {
      onClock(now(), now(), obj.server_time);
    }
    if (obj.type === 'pong' && typeof obj.ref === 'string' && pingsSent.has(obj.ref)) {
      onClock(pingsSent.get(obj.ref), now(), obj.server_time);
      pingsSent.delete(obj.ref);
    }
    if (obj.type === 'welcome') {
      welcomeTimer = clear(welcomeTimer);
      onMessage(obj);
      joinAttempt = 0;
      sendJoin();
      return;
    }
    if (obj.type === 'joined') {
      joined = true;
      everJoined = true;
      attempt = 0;
      joinAttempt = 0;
      onMessage(obj);
      setStatus('online');
      schedulePing();
      scheduleClockPings();
      onJoined();
      return;
    }
    if (obj.type === 'error') {
      if (FATAL_CODES.has(obj.code)) fatal = true;
      if (obj.code === 'store_unavailable' && obj.ref === 'join' && !joined) {
        const delay = backoffDelay(joinAttempt, random);
        joinAttempt += 1;
        joinTimer = timers.setTimeout(() => { joinTimer = null; sendJoin(); }, delay);
      }
    }
    onMessage(obj);
  }

  function sendJoin() {
    if (!ws || ws.readyState !== OPEN) return;
    const since = opts.getSince ? opts.getSince() : null;
    const msg = { type: 'join', ref: 'join' };
    if (since && Object.keys(since).length) msg.since = since;
    ws.send(JSON.stringify(msg));
  }

  function sendPing(ref) {
    if (pingsSent.size > 16) pingsSent.clear();
    pingsSent.set(ref, now());
    ws.send(JSON.stringify({ type: 'ping', ref }));
  }

  /* A few pings right after a join measure the clock offset; their answers are not awaited. */
  function scheduleClockPings() {
    let n = 0;
    for (const ms of CLOCK_PINGS_MS) {
      const t = timers.setTimeout(() => {
        clockTimers = clockTimers.filter((x) => x !== t);
        n += 1;
        if (joined && ws && ws.readyState === OPEN) sendPing(`clk${n}`);
      }, ms);
      clockTimers.push(t);
    }
  }

  function schedulePing() {
    pingTimer = clear(pingTimer);
    pingTimer = timers.setTimeout(() => {
      pingTimer = null;
      if (!joined || !ws) return;
      pingSeq += 1;
      sendPing(`hb${pingSeq}`);
      pongTimer = timers.setTimeout(() => { pongTimer = null; abandon(); }, pongTimeoutMs);
      schedulePing();
    }, pingEveryMs);
  }

  /* Drops a socket that stopped answering without waiting for its close handshake. */
  function abandon() {
    const sock = ws;
    if (!sock) return;
    ws = null;
    try {
      sock.close(4000, 'no answer');
    } catch (e) {
      // already closing
    }
    closed(4000);
  }

  function closed(code) {
    ws = null;
    joined = false;
    clearAll();
    if (stopped) return;
    if (fatal || code === 4003) {
      setStatus('failed');
      return;
    }
    schedule();
  }

  function schedule() {
    const delay = backoffDelay(attempt, random);
    attempt += 1;
    setStatus('reconnecting', now() + delay);
    retryTimer = timers.setTimeout(() => { retryTimer = null; connect(); }, delay);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      fatal = false;
      connect();
    },
    stop() {
      stopped = true;
      const sock = ws;
      ws = null;
      joined = false;
      clearAll();
      if (sock) {
        try { sock.close(1000, 'bye'); } catch (e) { /* already closing */ }
      }
    },
    /** Sends one object when joined; returns false (and sends nothing) otherwise. */
    send(obj) {
      if (!joined || !ws || ws.readyState !== OPEN) return false;
      ws.send(JSON.stringify(obj));
      return true;
    },
    /** Sends one binary frame when joined and the socket is not backed up; returns whether it was sent. */
    sendBinary(bytes) {
      if (!joined || !ws || ws.readyState !== OPEN) return false;
      if (ws.bufferedAmount > MAX_BUFFERED_AUDIO) return false;
      ws.send(bytes);
      return true;
    },
    /** Skips the remaining backoff wait (for example when the network comes back); nothing while an attempt is under way. */
    retryNow() {
      if (stopped || status !== 'reconnecting' || retryTimer === null) return;
      connect();
    },
    isJoined() {
      return joined;
    },
  };
}
