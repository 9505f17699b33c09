// The connection: token only in the first message, join with since,
// reconnect with backoff, no reconnect after an authentication failure,
// frames with arrays, liveness pings. A fake socket class and fake timers
// stand in for the browser.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, sessionUrl, SUBPROTOCOL } from '../../web-client/lib/connection.js';
import * as S from '../../web-client/lib/state.js';
import { connectionNotice } from '../../web-client/views/status.js';
import { translator } from '../../web-client/lib/i18n.js';
import { DICTIONARIES } from '../../web-client/i18n/index.js';

function harness({ since = () => ({}) } = {}) {
  const sockets = [];
  const timers = new Map();
  let clock = 1000;
  let nextTimer = 1;
  class FakeSocket {
    constructor(url, protocol) {
      this.url = url;
      this.protocol = protocol;
      this.readyState = 0;
      this.sent = [];
      this.closedWith = null;
      this.binary = [];
      this.bufferedAmount = 0;
      sockets.push(this);
    }
    send(data) {
      if (this.readyState !== 1) throw new Error('send on a socket that is not open');
      if (typeof data === 'string') this.sent.push(JSON.parse(data));
      else this.binary.push(data);
    }
    close(code) { this.closedWith = code ?? 1005; this.readyState = 3; }
    // Driven by the test:
    open() { this.readyState = 1; this.onopen({}); }
    receive(obj) { this.onmessage({ data: typeof obj === 'string' ? obj : JSON.stringify(obj) }); }
    drop(code = 1006) { this.readyState = 3; this.onclose({ code }); }
  }
  const log = { messages: [], statuses: [], joined: 0, binary: [], clock: [] };
  const conn = createConnection({
    url: 'ws://host/ws/s42',
    token: 'tok.en.sig',
    WebSocket: FakeSocket,
    getSince: since,
    onMessage: (m) => log.messages.push(m),
    onJoined: () => { log.joined += 1; },
    onStatus: (s, retryAt) => log.statuses.push([s, retryAt]),
    onBinary: (data) => log.binary.push(data),
    onClock: (sent, recv, server) => log.clock.push([sent, recv, server]),
    timers: {
      setTimeout: (fn, ms) => { const id = nextTimer++; timers.set(id, { fn, at: clock + ms }); return id; },
      clearTimeout: (id) => timers.delete(id),
    },
    now: () => clock,
    random: () => 0.5,
    pingEveryMs: 20000,
    pongTimeoutMs: 5000,
    welcomeTimeoutMs: 15000,
  });
  /* Advances the fake clock, running due timers in order. */
  function advance(ms) {
    const end = clock + ms;
    for (;;) {
      let due = null;
      for (const [id, t] of timers) if (t.at <= end && (!due || t.at < due[1].at)) due = [id, t];
      if (!due) break;
      timers.delete(due[0]);
      clock = due[1].at;
      due[1].fn();
    }
    clock = end;
  }
  const last = () => sockets[sockets.length - 1];
  function enter(sock = last(), joinedMsg = { type: 'joined', room: 'main', epoch: 'e1', members: [], channels: {} }) {
    sock.open();
    sock.receive({ type: 'welcome', v: 1, session: 's42', me: { id: 'u1' } });
    sock.receive(joinedMsg);
  }
  return { conn, sockets, log, advance, last, enter, get clock() { return clock; } };
}

test('sessionUrl builds ws or wss and refuses bad session ids', () => {
  assert.equal(sessionUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 's42'), 'ws://127.0.0.1:8080/ws/s42');
  assert.equal(sessionUrl({ protocol: 'https:', host: 'kopa.example' }, 'a_b-C'), 'wss://kopa.example/ws/a_b-C');
  assert.equal(sessionUrl({ protocol: 'http:', host: 'h' }, '../x'), null);
  assert.equal(sessionUrl({ protocol: 'http:', host: 'h' }, ''), null);
});

test('auth carries the token as the first message; join follows welcome', () => {
  const h = harness({ since: () => ({ 'room:main': { epoch: 'e1', offset: 4 } }) });
  h.conn.start();
  const sock = h.last();
  assert.equal(sock.url, 'ws://host/ws/s42');
  assert.ok(!sock.url.includes('tok'), 'the token is never in the URL');
  assert.equal(sock.protocol, SUBPROTOCOL);
  assert.equal(h.conn.send({ type: 'chat', id: 'x', text: 'early' }), false, 'nothing is sent before joined');
  sock.open();
  assert.deepEqual(sock.sent, [{ type: 'auth', v: 1, token: 'tok.en.sig' }]);
  sock.receive({ type: 'welcome', v: 1, session: 's42', me: { id: 'u1' } });
  assert.deepEqual(sock.sent[1], { type: 'join', ref: 'join', since: { 'room:main': { epoch: 'e1', offset: 4 } } });
  assert.equal(h.log.joined, 0);
  sock.receive({ type: 'joined', room: 'main', epoch: 'e1', members: [], channels: {} });
  assert.equal(h.log.joined, 1);
  assert.deepEqual(h.log.statuses.map((s) => s[0]), ['connecting', 'online']);
  assert.equal(h.conn.send({ type: 'chat', id: 'x', text: 'now' }), true);
  assert.deepEqual(sock.sent.at(-1), { type: 'chat', id: 'x', text: 'now' });
});

test('a first join has no since', () => {
  const h = harness();
  h.conn.start();
  h.last().open();
  h.last().receive({ type: 'welcome', v: 1, me: { id: 'u1' } });
  assert.deepEqual(h.last().sent[1], { type: 'join', ref: 'join' });
});

test('a frame with an array delivers its objects in order; binary and junk are skipped', () => {
  const h = harness();
  h.conn.start();
  h.enter();
  h.log.messages.length = 0;
  h.last().receive([{ type: 'chat', offset: 1 }, { type: 'chat', offset: 2 }, 7, null, { type: 'presence' }]);
  h.last().receive('not json');
  h.last().onmessage({ data: new ArrayBuffer(4) });
  h.last().receive({ type: 'ack', id: 'x' });
  assert.deepEqual(h.log.messages.map((m) => m.offset ?? m.type), [1, 2, 'presence', 'ack']);
});

test('a lost connection reconnects with growing delays and resumes with the current since', () => {
  let offset = 3;
  const h = harness({ since: () => ({ 'room:main': { epoch: 'e1', offset } }) });
  h.conn.start();
  h.enter();
  offset = 7;
  h.last().drop(1006);
  assert.equal(h.conn.isJoined(), false);
  assert.equal(h.conn.send({ type: 'ping' }), false);
  const [status, retryAt] = h.log.statuses.at(-1);
  assert.equal(status, 'reconnecting');
  assert.equal(retryAt - h.clock, 375, 'first retry after 0.5 s with jitter (random 0.5 -> 375 ms)');
  h.advance(374);
  assert.equal(h.sockets.length, 1);
  h.advance(1);
  assert.equal(h.sockets.length, 2);
  // The server is still down: each failure waits longer.
  const waits = [];
  for (let i = 0; i < 6; i++) {
    h.last().drop(1006);
    const at = h.log.statuses.at(-1)[1];
    waits.push(at - h.clock);
    h.advance(at - h.clock);
  }
  assert.deepEqual(waits, [750, 1500, 3000, 6000, 7500, 7500]);
  // Back up: the resumed join carries what was shown by then.
  h.enter();
  assert.deepEqual(h.last().sent[1].since, { 'room:main': { epoch: 'e1', offset: 7 } });
  assert.equal(h.log.joined, 2);
  // A successful join resets the backoff.
  h.last().drop(1001);
  assert.equal(h.log.statuses.at(-1)[1] - h.clock, 375);
});

test('retryNow skips the wait; stop ends everything', () => {
  const h = harness();
  h.conn.start();
  h.enter();
  h.last().drop(1006);
  h.conn.retryNow();
  assert.equal(h.sockets.length, 2);
  h.enter();
  h.conn.stop();
  assert.equal(h.sockets[1].closedWith, 1000);
  h.advance(120000);
  assert.equal(h.sockets.length, 2, 'no reconnect after stop');
});

test('an authentication failure is final: no reconnect loop', () => {
  const h = harness();
  h.conn.start();
  const sock = h.last();
  sock.open();
  sock.receive({ type: 'error', code: 'token_expired', message: 'expired' });
  sock.drop(4003);
  assert.equal(h.log.statuses.at(-1)[0], 'failed');
  h.advance(60000);
  assert.equal(h.sockets.length, 1);
  assert.equal(h.log.messages[0].code, 'token_expired', 'the error reaches the app');
});

test('store_unavailable on join retries the join on the same socket', () => {
  const h = harness();
  h.conn.start();
  const sock = h.last();
  sock.open();
  sock.receive({ type: 'welcome', v: 1, me: { id: 'u1' } });
  sock.receive({ type: 'error', code: 'store_unavailable', ref: 'join' });
  assert.equal(sock.sent.length, 2);
  h.advance(375);
  assert.deepEqual(sock.sent.map((m) => m.type), ['auth', 'join', 'join']);
  sock.receive({ type: 'joined', room: 'main', epoch: 'e1', members: [], channels: {} });
  assert.equal(h.log.joined, 1);
});

test('a silent connection is dropped after an unanswered ping and replaced', () => {
  const h = harness();
  h.conn.start();
  h.enter();
  const first = h.last();
  h.advance(20000);
  assert.deepEqual(first.sent.at(-1), { type: 'ping', ref: 'hb1' });
  first.receive({ type: 'pong', ref: 'hb1' });
  h.advance(20000);
  assert.equal(first.sent.at(-1).type, 'ping');
  h.advance(5000);
  assert.equal(first.closedWith, 4000, 'no answer within 5 s: give up on it');
  assert.equal(h.log.statuses.at(-1)[0], 'reconnecting');
  first.onclose({ code: 1006 });
  h.advance(375);
  assert.equal(h.sockets.length, 2, 'exactly one new socket, the late close event is ignored');
});

test('a socket that opens but never welcomes is replaced', () => {
  const h = harness();
  h.conn.start();
  h.last().open();
  h.advance(15000);
  assert.equal(h.log.statuses.at(-1)[0], 'reconnecting');
  h.advance(375);
  assert.equal(h.sockets.length, 2);
});

test('binary frames: audio in only after joined, audio out only when joined and the socket is not backed up', () => {
  const h = harness();
  h.conn.start();
  const sock = h.last();
  assert.equal(sock.binaryType, 'arraybuffer');
  sock.open();
  sock.onmessage({ data: new ArrayBuffer(3) });
  assert.equal(h.log.binary.length, 0, 'nothing before joined');
  assert.equal(h.conn.sendBinary(new Uint8Array([1, 0])), false);
  h.enter(sock);
  const buf = new ArrayBuffer(20);
  sock.onmessage({ data: buf });
  assert.deepEqual(h.log.binary, [buf]);
  assert.ok(!h.log.messages.some((m) => m instanceof ArrayBuffer));
  const frame = new Uint8Array([1, 0, 0, 1]);
  assert.equal(h.conn.sendBinary(frame), true);
  assert.deepEqual(sock.binary, [frame]);
  sock.bufferedAmount = 100000;
  assert.equal(h.conn.sendBinary(frame), false, 'dropped, not queued, behind a slow uplink');
  assert.equal(sock.binary.length, 1);
});

test('clock samples: welcome and joined give one-way samples, pongs to our own pings give round trips', () => {
  const h = harness();
  h.conn.start();
  const sock = h.last();
  sock.open();
  sock.receive({ type: 'welcome', v: 1, me: { id: 'u1' }, server_time: 5000 });
  sock.receive({ type: 'joined', room: 'main', epoch: 'e1', members: [], channels: {}, server_time: 5001 });
  assert.deepEqual(h.log.clock, [[h.clock, h.clock, 5000], [h.clock, h.clock, 5001]]);
  h.advance(0);
  const ping = sock.sent.at(-1);
  assert.equal(ping.type, 'ping', 'a ping right after joined measures the clock');
  const sentAt = h.clock;
  h.advance(30);
  sock.receive({ type: 'pong', ref: ping.ref, server_time: 9999 });
  assert.deepEqual(h.log.clock.at(-1), [sentAt, sentAt + 30, 9999]);
  sock.receive({ type: 'pong', ref: ping.ref, server_time: 1 });
  sock.receive({ type: 'pong', ref: 'someone-else', server_time: 1 });
  assert.equal(h.log.clock.length, 3, 'an answer counts once, and only for our own pings');
  h.advance(5000);
  assert.equal(sock.sent.filter((m) => m.type === 'ping').length, 3, 'three clock pings after a join');
  assert.notEqual(h.log.statuses.at(-1)[0], 'reconnecting', 'unanswered clock pings do not drop the connection');
});

test('after a join, every retry says "reconnecting" until it succeeds, so the page can tell a recovery', () => {
  const h = harness();
  h.conn.start();
  // Before the first join a failed attempt waits as "reconnecting" and tries as "connecting".
  h.last().drop(1006);
  h.advance(375);
  assert.deepEqual(h.log.statuses.map((s) => s[0]), ['connecting', 'reconnecting', 'connecting']);
  h.enter();
  h.log.statuses.length = 0;
  h.last().drop(1006);
  h.advance(375);
  assert.deepEqual(h.log.statuses, [['reconnecting', h.clock], ['reconnecting', 0]], 'waiting, then trying now (retryAt 0)');
  h.last().drop(1006);
  h.advance(750);
  h.enter();
  assert.equal(h.log.statuses.at(-1)[0], 'online');
  assert.ok(!h.log.statuses.some((s) => s[0] === 'connecting'), 'never a bare "connecting" after the first join');
  // Fed through the state as app.js does, the last step is a recovery.
  let st = S.initialState('s42');
  for (const [status, retryAt] of h.log.statuses) st = S.setConnection(st, status, retryAt, 5000);
  assert.equal(S.connectionLabel(st, 5000).key, 'conn.recovered');
});

test('retryNow does nothing while an attempt is under way', () => {
  const h = harness();
  h.conn.start();
  h.enter();
  h.last().drop(1006);
  h.advance(375);
  assert.equal(h.sockets.length, 2);
  h.conn.retryNow();
  assert.equal(h.sockets.length, 2, 'no second socket beside the one connecting');
  h.last().drop(1006);
  h.conn.retryNow();
  assert.equal(h.sockets.length, 3, 'but it skips a wait');
});

test('the banner and its live region: what is recovered, recovered, expired, signed out', () => {
  const ui = { t: translator(DICTIONARIES.en, DICTIONARIES.en) };
  const en = DICTIONARIES.en;
  let s = S.initialState('s42');
  s = S.setConnection(s, 'connecting', 0, 1000);
  assert.deepEqual(connectionNotice(s, ui, 1000), { banner: null, live: en['conn.connecting'] });
  s = S.setConnection(s, 'online', 0, 1100);
  assert.deepEqual(connectionNotice(s, ui, 1100), { banner: null, live: en['conn.online'] });
  s = S.setConnection(s, 'reconnecting', 4000, 2000);
  let n = connectionNotice(s, ui, 2000);
  assert.equal(n.banner.text, 'Connection lost. Reconnecting in 2 s…');
  assert.equal(n.banner.hint, en['conn.reconnectingHint']);
  assert.equal(n.banner.retry, true);
  assert.equal(n.live, en['conn.recovering']);
  assert.equal(connectionNotice(s, ui, 3500).live, n.live, 'the countdown is not announced');
  s = S.addPending(s, { id: 'c1', kind: 'chat', text: 'hi' }, 2100);
  s = S.setConnection(s, 'reconnecting', 0, 4000);
  n = connectionNotice(s, ui, 4000);
  assert.equal(n.banner.text, en['conn.reconnectingSoon']);
  assert.equal(n.banner.retry, false, 'no "reconnect now" while trying');
  assert.equal(n.live, 'Reconnecting: recovering the chat and unsent messages (1)…');
  s = S.setConnection(s, 'online', 0, 4100);
  assert.equal(connectionNotice(s, ui, 4100).live, en['conn.recovered']);
  assert.equal(connectionNotice(s, ui, 4100 + 60000).live, en['conn.recovered'], 'said once, not taken back');
  const failed = (fatal) => connectionNotice({ ...S.setConnection(s, 'failed', 0, 9000), fatal }, ui, 9000);
  n = failed('token_expired');
  assert.deepEqual(n.banner, { text: en['conn.expiredBanner'], hint: en['conn.failedHint'], retry: false });
  assert.equal(n.live, `${en['conn.expiredBanner']} ${en['conn.failedHint']}`);
  assert.equal(failed('bad_token').banner.text, `${en['conn.signedOutBanner']} ${en['error.bad_token']}`);
  assert.equal(failed('session_not_allowed').banner.text, `${en['conn.signedOutBanner']} ${en['error.session_not_allowed']}`);
  assert.equal(failed(null).banner.text, en['conn.signedOutBanner'], 'closed with 4003 and no reason');
});

test('leaving on purpose: a banner with "join again", unsent messages counted, no "reconnect now"', () => {
  const ui = { t: translator(DICTIONARIES.en, DICTIONARIES.en) };
  const en = DICTIONARIES.en;
  let s = S.setConnection(S.initialState('s42'), 'online', 0, 1000);
  s = S.setConnection(s, 'left', 0, 2000);
  let n = connectionNotice(s, ui, 2000);
  assert.deepEqual(n.banner, { text: en['conn.leftBanner'], hint: en['conn.leftHint'], retry: false, rejoin: true });
  assert.equal(n.live, en['conn.leftBanner']);
  assert.equal(ui.t(S.connectionLabel(s, 2000).key), en['conn.left']);
  s = S.addPending(s, { id: 'c1', kind: 'chat', text: 'later' }, 2100);
  n = connectionNotice(s, ui, 2200);
  assert.equal(n.banner.hint, 'Unsent messages (1) stay here and are sent when you join again.');
  // Joining again is a fresh connection, not a recovery from trouble.
  s = S.setConnection(S.setConnection(s, 'connecting', 0, 3000), 'online', 0, 3100);
  assert.equal(s.conn.recoveredAt, 0);
});
