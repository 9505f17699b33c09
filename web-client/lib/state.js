// The chat client's state, as pure functions: (state, input, now) -> new state.
// app.js owns the one current state and feeds it server messages, connection
// changes and user actions; views only read it through the selectors below.
// Nothing here touches the DOM, the network, storage or the clock.
// Features keep their own slice in their own module (audio: audio-state.js,
// agenda, hands, topics, stage, pulses: live-state.js; breakouts: breakout-state.js);
// applyServer hands every message to each of them after the chat core.

import { initialAudio, applyAudio, isAudioError } from './audio-state.js';
import { initialClock, addClockSample } from './clock.js';
import { initialLive, applyLive as applyLiveFeatures } from './live-state.js';
import { initialBreakout, applyBreakout } from './breakout-state.js';

export const ROOM_CONV = 'room';
// Kept room events without text that the room's log shows as notices.
const SYSTEM_EVENTS = new Set(['recording', 'breakout_notes']);
const MAX_SINCE = 16;
const MAX_ERRORS = 3;
const FATAL_CODES = new Set(['bad_token', 'token_expired', 'session_not_allowed', 'unsupported_version']);

/** A fresh state for one session; pending is what a reload kept unacknowledged. */
export function initialState(session, pending = []) {
  return {
    session,
    me: null,
    room: null,
    epoch: null,
    conn: { status: 'idle', retryAt: 0 },
    fatal: null,
    members: [],
    names: {},
    channels: {},
    pending: pending.map((p) => ({ ...p })),
    active: ROOM_CONV,
    opened: [],
    read: {},
    errors: [],
    errorSeq: 0,
    announce: null,
    clock: initialClock(),
    audio: initialAudio(),
    live: initialLive(),
    breakout: initialBreakout(),
  };
}

const FEATURES = [['audio', applyAudio], ['live', applyLiveFeatures], ['breakout', applyBreakout]];

export function roomChannel(state) {
  return state.room ? `room:${state.room}` : null;
}

export function userChannel(state) {
  return state.me ? `user:${state.me.id}` : null;
}

export function convKeyForPeer(peerId) {
  return `dm:${peerId}`;
}

export function peerOfConv(conv) {
  return conv.startsWith('dm:') ? conv.slice(3) : null;
}

/* ---------- server messages ---------- */

/** Applies one server message (an object from a text frame) to the state. */
export function applyServer(state, msg, now) {
  if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return state;
  let next = applyCore(state, msg, now);
  for (const [key, apply] of FEATURES) {
    const slice = apply(next[key], msg, now, next);
    if (slice !== next[key]) next = { ...next, [key]: slice };
  }
  return next;
}

function applyCore(state, msg, now) {
  switch (msg.type) {
    case 'welcome': return applyWelcome(state, msg);
    case 'joined': return applyJoined(state, msg);
    case 'moved': return applyMoved(state, msg);
    case 'ack': return applyAck(state, msg);
    case 'presence': return applyPresence(state, msg);
    case 'history': return applyHistory(state, msg);
    case 'error': return applyError(state, msg, now);
    default:
      // Every kept event (chat, dm, recording, ...) counts on its channel, exactly once.
      return isEvent(msg) ? applyLive(state, msg) : state;
  }
}

function applyWelcome(state, msg) {
  const me = msg.me && typeof msg.me.id === 'string' ? msg.me : null;
  if (!me) return state;
  let channels = state.channels;
  let read = state.read;
  let opened = state.opened;
  // A different identity in the same tab: what we showed belongs to someone else.
  if (state.me && state.me.id !== me.id) {
    channels = {};
    read = {};
    opened = [];
  }
  return {
    ...state, me, channels, read, opened, fatal: null,
    names: addNames(state.names, [me]),
  };
}

function applyJoined(state, msg) {
  const epoch = typeof msg.epoch === 'string' ? msg.epoch : state.epoch;
  const room = typeof msg.room === 'string' ? msg.room : state.room;
  let members = Array.isArray(msg.members) ? dedupeMembers(msg.members) : state.members;
  // This connection is present even if the list was taken a moment before it joined.
  if (state.me && !members.some((m) => m.id === state.me.id)) members = members.concat([{ ...state.me, online: true }]);
  let channels = { ...state.channels };
  let read = { ...state.read };
  let names = addNames(state.names, members);
  const incoming = msg.channels && typeof msg.channels === 'object' ? msg.channels : {};
  for (const [name, info] of Object.entries(incoming)) {
    if (!info || typeof info !== 'object') continue;
    const events = sortedEvents(info.events, name);
    names = addNames(names, events.map((e) => e.from).filter(Boolean));
    const prev = channels[name];
    if (info.recovered === true && prev) {
      channels[name] = appendEvents({ ...prev, epoch }, events);
    } else {
      channels[name] = replaceChannel(epoch, events, info.offset);
      read = markChannelRead(read, state, name, channels[name]);
    }
  }
  const next = { ...state, epoch, room, members, names, channels, read, fatal: null };
  return markActiveRead(next);
}

/* This member changed room on the same connection: the new room's channel replaces what was shown. */
function applyMoved(state, msg) {
  if (typeof msg.room !== 'string') return state;
  let channels = state.channels;
  let read = state.read;
  const incoming = msg.channels && typeof msg.channels === 'object' ? msg.channels : {};
  for (const [name, info] of Object.entries(incoming)) {
    if (!info || typeof info !== 'object') continue;
    const events = sortedEvents(info.events, name);
    const prev = channels[name];
    const ch = info.recovered === true && prev ? appendEvents(prev, events) : replaceChannel(state.epoch, events, info.offset);
    channels = { ...channels, [name]: ch };
    read = { ...read, [ROOM_CONV]: ch.offset };
  }
  const me = state.me ? { ...state.me, room: msg.room } : state.me;
  const members = state.me ? state.members.map((m) => (m.id === state.me.id ? { ...m, room: msg.room } : m)) : state.members;
  let names = state.names;
  for (const ch of Object.values(incoming)) if (ch && Array.isArray(ch.events)) names = addNames(names, ch.events.map((e) => e && e.from).filter(Boolean));
  return { ...state, room: msg.room, me, members, channels, read, names };
}

function replaceChannel(epoch, events, latest) {
  const last = events.length ? events[events.length - 1].offset : (Number.isInteger(latest) ? latest : 0);
  const first = events.length ? events[0].offset : last + 1;
  return { epoch, offset: last, events, more: first > 1, loading: false };
}

/** Appends events whose offset is larger than the last one shown (exactly-once rule). */
function appendEvents(channel, events) {
  let offset = channel.offset;
  const added = [];
  for (const e of events) {
    if (e.offset > offset) {
      added.push(e);
      offset = e.offset;
    }
  }
  if (!added.length) return channel;
  return { ...channel, offset, events: channel.events.concat(added) };
}

function applyLive(state, msg) {
  if (!isEvent(msg)) return state;
  const name = msg.channel;
  const prev = state.channels[name] || { epoch: state.epoch, offset: 0, events: [], more: false, loading: false };
  const channel = appendEvents(prev, [slim(msg)]);
  if (channel === prev) return state;
  const names = msg.from ? addNames(state.names, [msg.from]) : state.names;
  let next = { ...state, names, channels: { ...state.channels, [name]: channel } };
  const mine = state.me && msg.from && msg.from.id === state.me.id;
  if (!mine && msg.from && typeof msg.text === 'string') {
    next.announce = {
      seq: (state.announce ? state.announce.seq : 0) + 1,
      name: msg.from.name || msg.from.id,
      text: msg.text,
      private: msg.type === 'dm',
    };
  }
  return markActiveRead(next);
}

function applyAck(state, msg) {
  if (typeof msg.id !== 'string') return state;
  const pending = state.pending.filter((p) => p.id !== msg.id);
  if (pending.length === state.pending.length) return state;
  return { ...state, pending };
}

function applyPresence(state, msg) {
  const m = msg.member;
  if (!m || typeof m.id !== 'string') return state;
  if (msg.action !== 'join' && msg.action !== 'leave' && msg.action !== 'move') return state;
  const rest = state.members.filter((x) => x.id !== m.id);
  if (msg.action === 'move') {
    // Someone changed room (a breakout opened or closed): same place in the list, new room.
    const was = state.members.find((x) => x.id === m.id);
    const moved = { ...(was || {}), ...m, online: true };
    const members = was ? state.members.map((x) => (x.id === m.id ? moved : x)) : state.members.concat([moved]);
    return { ...state, members, names: addNames(state.names, [m]) };
  }
  const isMe = state.me && state.me.id === m.id;
  // "leave" means the member's last connection closed; a member object that
  // still says online (or ourselves, since this tab is connected) stays.
  const stays = msg.action === 'join' || m.online === true || isMe;
  const members = stays ? rest.concat([{ ...m, online: true }]) : rest;
  return { ...state, members, names: addNames(state.names, [m]) };
}

function applyHistory(state, msg) {
  const name = msg.channel;
  const prev = state.channels[name];
  if (typeof name !== 'string' || !prev) return state;
  const first = prev.events.length ? prev.events[0].offset : prev.offset + 1;
  const older = sortedEvents(msg.events, name).filter((e) => e.offset < first);
  const more = msg.more === true && (older.length ? older[0].offset > 1 : first > 1);
  const channel = { ...prev, events: older.concat(prev.events), more, loading: false };
  const names = addNames(state.names, older.map((e) => e.from).filter(Boolean));
  return { ...state, names, channels: { ...state.channels, [name]: channel } };
}

function applyError(state, msg, now) {
  const code = typeof msg.code === 'string' ? msg.code : 'internal';
  if (typeof msg.id === 'string' && state.pending.some((p) => p.id === msg.id)) {
    const pending = state.pending.map((p) => (p.id === msg.id ? { ...p, error: code } : p));
    return { ...state, pending };
  }
  let next = state;
  if (typeof msg.ref === 'string' && msg.ref.startsWith('history:')) {
    const name = msg.ref.slice('history:'.length);
    const ch = state.channels[name];
    if (ch) next = { ...next, channels: { ...next.channels, [name]: { ...ch, loading: false } } };
  }
  if (FATAL_CODES.has(code)) next = { ...next, fatal: code };
  if (isAudioError(code)) return next; // shown by the audio bar
  return pushError(next, code, now);
}

/* ---------- connection and user actions ---------- */

/** Adds a clock sample (see lib/clock.js). */
export function clockSample(state, sentMs, recvMs, serverMs) {
  const clock = addClockSample(state.clock, sentMs, recvMs, serverMs);
  return clock === state.clock ? state : { ...state, clock };
}

/** Records the connection's status: idle, connecting, online, reconnecting, offline, failed, left (the member left on purpose). */
export function setConnection(state, status, retryAt = 0, now = Date.now()) {
  if (state.conn.status === status && state.conn.retryAt === retryAt) return state;
  // Back online after losing the connection: "recovered" shows for a moment.
  const recoveredAt = status === 'online' && state.conn.status === 'reconnecting' ? now
    : status === 'online' ? state.conn.recoveredAt || 0 : 0;
  return { ...state, conn: { status, retryAt, recoveredAt } };
}

/** The header's connection label key and its values: what is being recovered, recovered, signed out, expired. */
export function connectionLabel(state, now) {
  const st = state.conn.status;
  if (st === 'reconnecting') {
    const unsent = state.pending.length;
    return unsent ? { key: 'conn.recoveringUnsent', values: { count: unsent } } : { key: 'conn.recovering', values: {} };
  }
  if (st === 'online' && state.conn.recoveredAt && now - state.conn.recoveredAt < RECOVERED_SHOW_MS) return { key: 'conn.recovered', values: {} };
  if (st === 'failed') return { key: state.fatal === 'token_expired' ? 'conn.expired' : 'conn.signedOut', values: {} };
  return { key: `conn.${st}`, values: {} };
}

export const RECOVERED_SHOW_MS = 5000;

/** Adds a message the user wrote; it is 'sending' until its ack. */
export function addPending(state, item, now) {
  const p = { id: item.id, kind: item.kind, text: item.text, createdAt: now };
  if (item.kind === 'dm') p.to = item.to;
  else if (item.kind === 'chat') p.room = item.room;
  return { ...state, pending: state.pending.concat([p]) };
}

/** Puts a failed message back into the send queue. */
export function retryPending(state, id) {
  const pending = state.pending.map((p) => {
    if (p.id !== id || !p.error) return p;
    const { error, ...rest } = p;
    return rest;
  });
  return { ...state, pending };
}

export function discardPending(state, id) {
  return { ...state, pending: state.pending.filter((p) => p.id !== id) };
}

/** Messages to (re)send after a join: every unacknowledged one that has not failed, oldest first. */
export function pendingToSend(state) {
  return state.pending.filter((p) => !p.error);
}

/** The frame that sends a pending message; the same id every time. */
export function frameForPending(p) {
  if (p.kind === 'dm') return { type: 'dm', id: p.id, to: p.to, text: p.text };
  if (p.kind === 'note') return { type: 'breakout_note', id: p.id, text: p.text };
  const f = { type: 'chat', id: p.id, text: p.text };
  if (p.room) f.room = p.room;
  return f;
}

export function selectConversation(state, conv) {
  const peer = peerOfConv(conv);
  const opened = peer && !state.opened.includes(peer) ? state.opened.concat([peer]) : state.opened;
  return markActiveRead({ ...state, active: conv, opened });
}

export function setLoadingOlder(state, name) {
  const ch = state.channels[name];
  if (!ch || ch.loading) return state;
  return { ...state, channels: { ...state.channels, [name]: { ...ch, loading: true } } };
}

export function dismissError(state, seq) {
  return { ...state, errors: state.errors.filter((e) => e.seq !== seq) };
}

/** A local problem (for example a message that is too long), shown like a server error. */
export function localError(state, code, now) {
  return pushError(state, code, now);
}

/* ---------- selectors ---------- */

/** The `since` object for join: every channel we have shown something of. */
export function sinceOf(state) {
  const since = {};
  const names = Object.keys(state.channels);
  const first = [roomChannel(state), userChannel(state)].filter((n) => n && state.channels[n]);
  const ordered = first.concat(names.filter((n) => !first.includes(n)));
  for (const name of ordered) {
    const ch = state.channels[name];
    if (!ch.epoch || !(ch.offset > 0)) continue;
    if (Object.keys(since).length >= MAX_SINCE) break;
    since[name] = { epoch: ch.epoch, offset: ch.offset };
  }
  return since;
}

/** Members sorted for display: me first, then by name. */
export function sortedMembers(state) {
  const meId = state.me ? state.me.id : null;
  return state.members.slice().sort((a, b) => {
    if (a.id === meId) return -1;
    if (b.id === meId) return 1;
    return String(a.name).localeCompare(String(b.name)) || a.id.localeCompare(b.id);
  });
}

/** Private conversation peers: opened ones and everyone we exchanged a message with. */
export function conversations(state) {
  const peers = [];
  const add = (id) => { if (id && !peers.includes(id) && (!state.me || id !== state.me.id)) peers.push(id); };
  const uc = userChannel(state);
  for (const e of (uc && state.channels[uc] ? state.channels[uc].events : [])) add(peerOfEvent(state, e));
  for (const p of state.pending) if (p.kind === 'dm') add(p.to);
  for (const id of state.opened) add(id);
  return [ROOM_CONV].concat(peers.map(convKeyForPeer)).map((key) => ({
    key,
    peer: peerOfConv(key),
    name: peerOfConv(key) ? (state.names[peerOfConv(key)] || peerOfConv(key)) : null,
    unread: unreadCount(state, key),
  }));
}

/** What the chat pane shows for a conversation: stored events, then unsent messages. */
export function conversationView(state, conv) {
  const peer = peerOfConv(conv);
  const name = peer ? userChannel(state) : roomChannel(state);
  const ch = name ? state.channels[name] : null;
  const meId = state.me ? state.me.id : null;
  const events = ch ? ch.events.filter((e) => (typeof e.text === 'string' && (!peer || peerOfEvent(state, e) === peer))
    || (!peer && SYSTEM_EVENTS.has(e.type))) : [];
  const waiting = new Map(state.pending.map((p) => [p.id, p]));
  const shownIds = new Set();
  const items = events.map((e) => {
    if (typeof e.text !== 'string') {
      // A notice in the room's log (a recording started or stopped, ...): the event itself.
      return { key: `s:${name}:${ch.epoch}:${e.offset}`, system: e.type, event: e, ts: e.ts, mine: false, from: {}, status: 'sent' };
    }
    const mine = e.from && e.from.id === meId;
    if (mine) shownIds.add(e.id);
    const p = mine ? waiting.get(e.id) : null;
    return {
      key: mine ? `m:${e.id}` : `e:${name}:${ch.epoch}:${e.offset}`,
      kind: e.type, mine, from: e.from || {}, text: e.text, ts: e.ts,
      status: p ? (p.error ? 'failed' : 'sending') : 'sent',
      error: p && p.error ? p.error : null, id: e.id,
    };
  });
  for (const p of state.pending) {
    if (shownIds.has(p.id) || !pendingInConv(state, p, conv)) continue;
    items.push({
      key: `m:${p.id}`, kind: p.kind === 'note' ? 'breakout_note' : p.kind, mine: true, from: state.me || {}, text: p.text, ts: p.createdAt,
      status: p.error ? 'failed' : 'sending', error: p.error || null, id: p.id,
    });
  }
  return { channel: name, peer, items, more: !!(ch && ch.more), loading: !!(ch && ch.loading) };
}

/** Where a "load older" for this channel starts. */
export function historyRequest(state, name, limit = 50) {
  const ch = state.channels[name];
  if (!ch || !ch.more || ch.loading) return null;
  const before = ch.events.length ? ch.events[0].offset : ch.offset + 1;
  return { type: 'history', channel: name, before, limit, ref: `history:${name}` };
}

/* ---------- helpers ---------- */

function pendingInConv(state, p, conv) {
  if (p.kind === 'dm') return conv === convKeyForPeer(p.to);
  if (p.kind === 'note') return conv === ROOM_CONV;
  return conv === ROOM_CONV && (!p.room || !state.room || p.room === state.room);
}

function peerOfEvent(state, e) {
  const meId = state.me ? state.me.id : null;
  if (!e.from) return null;
  return e.from.id === meId ? e.to : e.from.id;
}

function unreadCount(state, conv) {
  const peer = peerOfConv(conv);
  const name = peer ? userChannel(state) : roomChannel(state);
  const ch = name ? state.channels[name] : null;
  if (!ch) return 0;
  const seen = state.read[conv] || 0;
  const meId = state.me ? state.me.id : null;
  let n = 0;
  for (const e of ch.events) {
    if (e.offset <= seen || typeof e.text !== 'string' || !e.from || e.from.id === meId) continue;
    if (peer && e.from.id !== peer) continue;
    n += 1;
  }
  return n;
}

function markActiveRead(state) {
  const peer = peerOfConv(state.active);
  const name = peer ? userChannel(state) : roomChannel(state);
  const ch = name ? state.channels[name] : null;
  if (!ch || state.read[state.active] === ch.offset) return state;
  return { ...state, read: { ...state.read, [state.active]: ch.offset } };
}

/* After a replaced channel, its old read marks mean nothing: everything shown counts as read. */
function markChannelRead(read, state, name, channel) {
  const next = { ...read };
  if (name === roomChannel(state) || name.startsWith('room:')) next[ROOM_CONV] = channel.offset;
  if (name.startsWith('user:')) {
    for (const key of Object.keys(next)) if (key.startsWith('dm:')) next[key] = channel.offset;
    for (const e of channel.events) {
      const peer = peerOfEvent(state, e);
      if (peer) next[convKeyForPeer(peer)] = channel.offset;
    }
  }
  return next;
}

function pushError(state, code, now) {
  const seq = state.errorSeq + 1;
  const errors = state.errors.concat([{ seq, code, at: now }]).slice(-MAX_ERRORS);
  return { ...state, errors, errorSeq: seq };
}

/* What the log keeps of an event: all of a message or notice; of the rest (agenda and other
   feature events, which carry their feature's whole state) only what counts offsets. */
function slim(e) {
  if (typeof e.text === 'string' || SYSTEM_EVENTS.has(e.type)) return e;
  return { type: e.type, channel: e.channel, offset: e.offset, ts: e.ts };
}

function isEvent(msg) {
  return typeof msg.channel === 'string' && Number.isInteger(msg.offset) && msg.offset > 0;
}

/* Events of one channel in offset order; an event inside joined or history may omit its channel. */
function sortedEvents(list, name) {
  if (!Array.isArray(list)) return [];
  return list
    .filter((e) => e && typeof e === 'object')
    .map((e) => (typeof e.channel === 'string' ? e : { ...e, channel: name }))
    .filter((e) => e.channel === name && isEvent(e))
    .map(slim)
    .sort((a, b) => a.offset - b.offset);
}

function dedupeMembers(list) {
  const byId = new Map();
  for (const m of list) if (m && typeof m.id === 'string') byId.set(m.id, m);
  return Array.from(byId.values());
}

function addNames(names, members) {
  let out = names;
  for (const m of members) {
    if (!m || typeof m.id !== 'string' || typeof m.name !== 'string') continue;
    if (out[m.id] === m.name) continue;
    if (out === names) out = { ...names };
    out[m.id] = m.name;
  }
  return out;
}
