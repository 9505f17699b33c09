// The web client's wiring: reads the join link, owns the one current state,
// feeds it server messages, user actions and connection changes, keeps
// unacknowledged messages in sessionStorage, and renders the views.
import { createConnection, sessionUrl } from './lib/connection.js';
import { JOIN_KEY, parseJoinFragment, pendingKey } from './lib/join.js';
import { LANGUAGES, STORAGE_KEY, formatters, localeFor, pickLanguage, translator } from './lib/i18n.js';
import { DICTIONARIES } from './i18n/index.js';
import * as S from './lib/state.js';
import { setAudioLocal } from './lib/audio-state.js';
import { createAudioEngine } from './lib/audio-engine.js';
import { h, setText } from './lib/dom.js';
import { mount as mountHeader } from './views/header.js';
import { mount as mountStatus } from './views/status.js';
import { mount as mountMembers } from './views/members.js';
import { mount as mountChat } from './views/chat.js';
import { mount as mountAudio } from './views/audio.js';
import { mount as mountSession } from './views/session.js';
import { mount as mountAgenda } from './views/agenda.js';
import { mount as mountHands } from './views/hands.js';
import { mount as mountTopics } from './views/topics.js';
import { mount as mountStage } from './views/stage.js';
import { mount as mountPulse } from './views/pulse.js';
import { mount as mountBreakout } from './views/breakout.js';
import { mount as mountRound } from './views/round.js';
import { mount as mountProfile } from './views/profile.js';
import { mount as mountProgramme } from './views/programme.js';
import { mount as mountReports } from './views/reports.js';
import { canHost } from './lib/live-state.js';
import { roundOpen, myBreakout } from './lib/breakout-state.js';

const MAX_TEXT_BYTES = 4000;
const SEND_BUDGET_PER_SECOND = 15;

function storageGet(store, key) {
  try { return store.getItem(key); } catch (e) { return null; }
}
function storageSet(store, key, value) {
  try {
    if (value === null) store.removeItem(key);
    else store.setItem(key, value);
  } catch (e) { /* storage full or disabled: the app still works for this page */ }
}

/* ---------- join link ---------- */

function readJoin() {
  const fromHash = parseJoinFragment(location.hash);
  if (fromHash) history.replaceState(null, '', location.pathname + location.search);
  if (fromHash && fromHash.invalid) return fromHash;
  if (fromHash) {
    storageSet(sessionStorage, JOIN_KEY, JSON.stringify(fromHash));
    return fromHash;
  }
  try {
    const stored = JSON.parse(storageGet(sessionStorage, JOIN_KEY) || 'null');
    if (stored && typeof stored.session === 'string' && typeof stored.token === 'string') return stored;
  } catch (e) { /* fall through */ }
  return null;
}

window.addEventListener('hashchange', () => {
  // A new join link pasted into this tab: start over with it.
  if (parseJoinFragment(location.hash)) location.reload();
});

/* ---------- language ---------- */

let lang = pickLanguage(storageGet(localStorage, STORAGE_KEY), navigator.languages);
let ui = makeUi(lang);

function makeUi(code) {
  const locale = localeFor(code, navigator.languages);
  return { lang: code, locale, t: translator(DICTIONARIES[code], DICTIONARIES.en), fmt: formatters(locale) };
}

/* ---------- state ---------- */

const join = readJoin();
const session = join && !join.invalid ? join.session : null;
const pKey = session ? pendingKey(session, join.token) : null;
let state = S.initialState(session, loadPending());
let renderQueued = false;
let savedPending = state.pending;

function loadPending() {
  if (!pKey) return [];
  try {
    const list = JSON.parse(storageGet(sessionStorage, pKey) || '[]');
    return Array.isArray(list) ? list.filter((p) => p && typeof p.id === 'string' && typeof p.text === 'string') : [];
  } catch (e) {
    return [];
  }
}

function dispatch(next) {
  if (next === state) return;
  state = next;
  if (state.pending !== savedPending && pKey) {
    savedPending = state.pending;
    storageSet(sessionStorage, pKey, state.pending.length ? JSON.stringify(state.pending) : null);
  }
  scheduleRender();
}

/* ---------- sending, paced so a long resend queue does not trip the rate limit ---------- */

const idPrefix = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(36).padStart(2, '0')).join('');
let idCounter = 0;
let liveRef = 0;
let sentOnThisJoin = new Set();
let budget = SEND_BUDGET_PER_SECOND;
let budgetTimer = null;

function nextId() {
  idCounter += 1;
  return `c-${idPrefix}-${Date.now().toString(36)}-${idCounter}`;
}

function flushPending() {
  if (!conn || !conn.isJoined()) return;
  for (const p of S.pendingToSend(state)) {
    if (sentOnThisJoin.has(p.id)) continue;
    if (budget <= 0) break;
    if (!conn.send(S.frameForPending(p))) return;
    sentOnThisJoin.add(p.id);
    budget -= 1;
  }
  if (budget < SEND_BUDGET_PER_SECOND && budgetTimer === null) {
    budgetTimer = setTimeout(() => {
      budgetTimer = null;
      budget = SEND_BUDGET_PER_SECOND;
      flushPending();
    }, 1000);
  }
}

/* ---------- actions from the views ---------- */

const actions = {
  setLanguage(code) {
    if (!LANGUAGES.includes(code)) return;
    lang = code;
    ui = makeUi(code);
    storageSet(localStorage, STORAGE_KEY, code);
    scheduleRender();
  },
  send(text) {
    if (typeof text !== 'string' || text.trim() === '') return false;
    if (new TextEncoder().encode(text).length > MAX_TEXT_BYTES) {
      dispatch(S.localError(state, 'too_long', Date.now()));
      return false;
    }
    const peer = S.peerOfConv(state.active);
    const item = peer ? { id: nextId(), kind: 'dm', to: peer, text } : { id: nextId(), kind: 'chat', room: state.room || undefined, text };
    dispatch(S.addPending(state, item, Date.now()));
    flushPending();
    return true;
  },
  retry(id) {
    dispatch(S.retryPending(state, id));
    sentOnThisJoin.delete(id);
    flushPending();
  },
  discard(id) {
    dispatch(S.discardPending(state, id));
  },
  select(conv) {
    dispatch(S.selectConversation(state, conv));
  },
  openPrivate(peerId) {
    dispatch(S.selectConversation(state, S.convKeyForPeer(peerId)));
    const box = document.getElementById('composer-text');
    if (box) box.focus();
  },
  loadOlder() {
    const view = S.conversationView(state, state.active);
    const req = view.channel ? S.historyRequest(state, view.channel) : null;
    if (!req || !conn || !conn.send(req)) return;
    dispatch(S.setLoadingOlder(state, view.channel));
  },
  retryNow() {
    if (conn) conn.retryNow();
  },
  /** Leaves the session on purpose: audio off, the socket closed, no reconnecting. Unsent messages stay queued in this tab. */
  leave() {
    if (!conn || state.conn.status === 'left' || state.conn.status === 'failed') return;
    if (engine) engine.stop();
    conn.stop();
    dispatch(S.setConnection(state, 'left', 0, Date.now()));
  },
  /** Joins again after leaving, with the same link; what was missed meanwhile is recovered like after a reconnect. */
  rejoin() {
    if (!conn || state.conn.status !== 'left') return;
    dispatch(S.setConnection(state, 'connecting', 0, Date.now()));
    conn.start();
  },
  dismissError(seq) {
    dispatch(S.dismissError(state, seq));
  },

  /* audio */
  audioStart(listenOnly) {
    if (engine) engine.start({ listenOnly });
  },
  audioStop() {
    if (engine) engine.stop();
  },
  /** Starts (true) or stops (false) the microphone test: level and verdict here, nothing sent. */
  audioTest(on) {
    if (engine) { if (on) engine.startTest(); else engine.stopTest(); }
  },
  audioMute() {
    if (engine) engine.setMuted(!state.audio.local.muted);
  },
  audioPtt(on) {
    if (engine) engine.setPushToTalk(on);
  },
  audioTalk(down) {
    if (engine) engine.talk(down);
  },
  audioInput(id) {
    if (engine) engine.selectInput(id);
  },
  audioOutput(id) {
    if (engine) engine.selectOutput(id);
  },
  audioLevel() {
    return engine ? engine.level() : 0;
  },
  /** Sends a live-feature message ({type: feature, op, ...fields}); returns whether it went out. */
  live(feature, op, fields = {}) {
    if (!conn) return false;
    liveRef += 1;
    return conn.send({ type: feature, op, ...fields, ref: `${feature}:${op}:${liveRef}` });
  },
  /** Sends any other request (pulse, pulse_results, ...). */
  request(msg) {
    return !!conn && conn.send(msg);
  },
  /** A note kept in the breakout for the main room; sent like a chat message (acknowledged, resent). */
  breakoutNote(text) {
    if (typeof text !== 'string' || text.trim() === '') return false;
    dispatch(S.addPending(state, { id: nextId(), kind: 'note', text: text.trim() }, Date.now()));
    flushPending();
    return true;
  },
  /** A text message into every breakout of the open round (coordinators). */
  broadcast(text) {
    return !!conn && conn.send({ type: 'broadcast', id: nextId(), text, ref: 'broadcast' });
  },
  recordToggle() {
    const rec = state.audio.recording;
    const on = rec && rec.room === state.room;
    if (conn) conn.send({ type: 'recording', op: on ? 'stop' : 'start', ref: 'recording' });
  },
};

/* ---------- connection ---------- */

const url = session ? sessionUrl(location, session) : null;
const conn = url ? createConnection({
  url,
  token: join.token,
  WebSocket: window.WebSocket,
  getSince: () => S.sinceOf(state),
  onMessage: (msg) => {
    // A connection that failed to join must not keep a stale "already sent" mark.
    if (msg.type === 'welcome') sentOnThisJoin = new Set();
    if (msg.type === 'audio' && engine) engine.serverAudio(msg);
    dispatch(S.applyServer(state, msg, Date.now()));
  },
  onBinary: (data) => {
    if (engine) engine.receive(data);
  },
  onClock: (sent, recv, server) => dispatch(S.clockSample(state, sent, recv, server)),
  onJoined: () => {
    sentOnThisJoin = new Set();
    // The programme is not kept in the session: ask for it after every join (section 10.8).
    conn.send({ type: 'programme', op: 'get', ref: 'programme' });
    flushPending();
    if (engine) engine.rejoined();
  },
  onStatus: (status, retryAt) => {
    dispatch(S.setConnection(state, status, retryAt, Date.now()));
    // "Recovered" shows for a moment, then the plain "connected" again.
    if (state.conn.recoveredAt) setTimeout(scheduleRender, S.RECOVERED_SHOW_MS + 50);
    updateTicker();
  },
}) : null;

window.addEventListener('online', () => actions.retryNow());

const debug = storageGet(localStorage, 'kopa.debug') === '1';
const engine = conn ? createAudioEngine({
  send: (obj) => conn.send(obj),
  sendBinary: (bytes) => conn.sendBinary(bytes),
  onState: (local) => dispatch({ ...state, audio: setAudioLocal(state.audio, local) }),
  debug,
}) : null;
if (engine) engine.watchPermission();
if (debug) {
  // Diagnostics for tests and support: what the page hears and its current state.
  window.kopaDebug = { audio: (freqs) => (engine ? engine.debug(freqs) : null), state: () => state };
}

/* ---------- rendering ---------- */

const views = [];
// The session panel's tabs, in order (see views/session.js).
const PANELS = [
  { id: 'agenda', label: (u) => u.t('tab.agenda'), visible: (s) => s.live.available, mount: mountAgenda },
  {
    id: 'hands', label: (u) => u.t('tab.hands'), visible: (s) => s.live.available, mount: mountHands,
    badge: (s) => (canHost(s) && s.live.hands && s.live.hands.queue && s.live.hands.queue.length ? String(s.live.hands.queue.length) : null),
  },
  { id: 'topics', label: (u) => u.t('tab.topics'), visible: (s) => s.live.available, mount: mountTopics },
  {
    id: 'stage', label: (u) => u.t('tab.stage'), mount: mountStage,
    visible: (s) => s.live.available && (isWorkshop(s) || (s.live.stage && s.live.stage.speakers && s.live.stage.speakers.length > 0)
      || (Array.isArray(s.live.questions) && s.live.questions.length > 0)),
    badge: (s) => {
      const open = Array.isArray(s.live.questions) ? s.live.questions.filter((q) => !q.answered && !q.hidden).length : 0;
      return open ? String(open) : null;
    },
  },
  { id: 'pulse', label: (u) => u.t('tab.pulse'), visible: pulseVisible, mount: mountPulse },
  { id: 'breakout', label: (u) => u.t('tab.breakout'), visible: (s) => !!myBreakout(s), mount: mountBreakout },
  {
    id: 'round', label: (u) => u.t('tab.round'), mount: mountRound,
    visible: (s) => !!s.me && (s.me.role === 'coordinator' || (s.me.role === 'expert' && (roundOpen(s) || s.breakout.helpQueue.length > 0))),
    badge: (s) => (s.breakout.helpQueue.length ? String(s.breakout.helpQueue.length) : null),
  },
  { id: 'profile', label: (u) => u.t('tab.profile'), visible: (s) => !!s.me && s.me.role === 'entrepreneur' && s.live.available, mount: mountProfile },
  {
    id: 'programme', label: (u) => u.t('tab.programme'), mount: mountProgramme,
    visible: (s) => s.live.available && (!!(s.me && s.me.role === 'coordinator') || !!(s.live.programme && s.live.programme.sessions.length)),
  },
  // The coordinator's reports: feedback, coverage and attendance (views/reports.js).
  { id: 'reports', label: (u) => u.t('tab.reports'), visible: (s) => s.live.available && !!s.me && s.me.role === 'coordinator', mount: mountReports },
];

/* The feedback form shows when the agenda asks for it (a feedback item, or the end), once
   given, after a breakout, and always for coordinators (results). */
function pulseVisible(s) {
  if (!s.live.available) return false;
  if (s.me && s.me.role === 'coordinator') return true;
  return feedbackTime(s) || s.live.pulses.length > 0 || !!(s.breakout && s.breakout.visited && s.breakout.visited.length);
}

function feedbackTime(s) {
  const a = s.live.agenda;
  if (!a) return false;
  if (a.state === 'finished') return true;
  const cur = a.current && Array.isArray(a.items) ? a.items.find((i) => i.id === a.current) : null;
  return !!(cur && cur.kind === 'feedback');
}

function isWorkshop(s) {
  return !!(s.live.entry && s.live.entry.kind === 'workshop') || (s.me && s.me.role === 'expert');
}
let ticker = null;

function updateTicker() {
  const want = state.conn.status === 'reconnecting' ? 1000 : 60000;
  if (ticker && ticker.every === want) return;
  if (ticker) clearInterval(ticker.id);
  ticker = { every: want, id: setInterval(scheduleRender, want) };
}

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    render();
  });
}

let wasFeedbackTime = false;

function render() {
  document.documentElement.lang = ui.lang;
  document.title = ui.t('app.title');
  const vm = { state, ui, now: Date.now() };
  for (const v of views) v.update(vm);
  updateTimerLoop();
  // When the agenda reaches its feedback item, the form comes to the front once.
  const fb = feedbackTime(state);
  if (fb && !wasFeedbackTime && actions.openTab) actions.openTab('pulse');
  wasFeedbackTime = fb;
  // Arriving in a breakout shows the breakout; coming back from one asks how it was.
  const move = state.breakout.move;
  if (move && move.seq !== lastMoveSeq && actions.openTab) {
    if (move.room !== 'main') actions.openTab('breakout');
    else if (move.cause === 'close' && state.me && state.me.role === 'entrepreneur') actions.openTab('pulse');
  }
  lastMoveSeq = move ? move.seq : lastMoveSeq;
}
let lastMoveSeq = 0;

/* Countdowns move several times a second, without re-rendering everything. */
let timerLoop = null;
function updateTimerLoop() {
  const a = state.live.agenda;
  const want = !!(a && (a.state === 'running' || a.state === 'paused')) || roundOpen(state);
  if (want && !timerLoop) {
    timerLoop = setInterval(() => {
      const vm = { state, ui, now: Date.now() };
      for (const v of views) if (v.tick) v.tick(vm);
    }, 250);
  } else if (!want && timerLoop) {
    clearInterval(timerLoop);
    timerLoop = null;
  }
}

function mountNoJoin(main, invalid) {
  const title = h('h2', { className: 'nojoin-title' });
  const body = h('p', { className: 'nojoin-body' });
  main.replaceChildren(h('section', { className: 'nojoin' }, [title, body]));
  views.push({
    update() {
      setText(title, ui.t('join.missing.title'));
      setText(body, invalid ? ui.t('join.invalid') : ui.t('join.missing.body'));
    },
  });
}

function start() {
  views.push(mountHeader(document.getElementById('header'), actions));
  views.push(mountStatus(document.getElementById('status'), actions));
  const main = document.getElementById('main');
  if (!conn) {
    mountNoJoin(main, !!(join && join.invalid) || (session !== null && url === null));
  } else {
    views.push(mountAudio(document.getElementById('audio'), actions));
    views.push(mountMembers(document.getElementById('members'), actions));
    views.push(mountChat(document.getElementById('chat'), actions));
    const panel = document.getElementById('session');
    views.push(mountSession(panel, actions, PANELS));
    // The layout makes room for the session panel only while it shows something.
    views.push({ update() { main.dataset.session = panel.hidden ? 'off' : 'on'; } });
    conn.start();
  }
  updateTicker();
  render();
}

start();
