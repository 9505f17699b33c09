// The session's live features in the client state, as pure functions: the
// agenda, the hand queue, topic proposals, the workshop stage and its
// questions, notes, and my feedback pulses (docs/protocol.md section 10).
// `joined.state` brings all of them; each kept event (type agenda, hands,
// topics, stage, questions or notes) carries its feature's whole new state,
// so an event simply replaces that part. Events also leave a cue (what
// happened, to whom) that the views turn into screen-reader announcements.

export const LIVE_KEYS = ['agenda', 'hands', 'topics', 'stage', 'questions', 'notes'];

export function initialLive() {
  return {
    available: false, // the server sent joined.state: it runs these features
    host: null,
    entry: null,
    previous: null,
    agenda: null,
    hands: null,
    topics: null,
    stage: null,
    questions: null,
    notes: null,
    pulses: [],
    results: null,
    programme: null, // the network's programme (section 10.8): {sessions, notes, receivedAt}
    cue: null,
    cueSeq: 0,
  };
}

/** Applies one server message to the live slice; the same slice when nothing changed. */
export function applyLive(l, msg, now) {
  if (msg.type === 'joined') {
    const st = msg.state && typeof msg.state === 'object' ? msg.state : null;
    if (!st) return l;
    const next = { ...l, available: true };
    for (const k of LIVE_KEYS) next[k] = k in st ? st[k] : null;
    next.host = typeof st.host === 'string' ? st.host : null;
    next.entry = st.entry && typeof st.entry === 'object' ? st.entry : null;
    next.previous = st.previous !== undefined ? st.previous : null;
    next.pulses = Array.isArray(st.pulses) ? st.pulses.filter(isPulse) : [];
    if (next.agenda) next.agenda = { ...next.agenda, receivedAt: now };
    return next;
  }
  if (LIVE_KEYS.includes(msg.type) && msg[msg.type] !== undefined && Number.isInteger(msg.offset)) {
    let value = msg[msg.type];
    if (msg.type === 'agenda' && value && typeof value === 'object') value = { ...value, receivedAt: now };
    const cueSeq = l.cueSeq + 1;
    const cue = {
      seq: cueSeq, feature: msg.type, op: msg.op || null, event: msg.event || null,
      user: msg.user || null, by: msg.by || null, id: idOf(msg), at: now,
    };
    return { ...l, [msg.type]: value, cue, cueSeq };
  }
  if (msg.type === 'pulse' && isPulse(msg)) {
    const rest = l.pulses.filter((p) => p.scope !== msg.scope);
    const p = { scope: msg.scope, user: msg.user, usefulness: msg.usefulness, will_apply: msg.will_apply === true,
      text: typeof msg.text === 'string' ? msg.text : null, submitted_at: msg.submitted_at };
    return { ...l, pulses: rest.concat([p]) };
  }
  if (msg.type === 'programme' && Array.isArray(msg.sessions)) {
    const sessions = msg.sessions.filter(isEntry).sort((a, b) => a.start - b.start);
    const notes = Array.isArray(msg.notes) ? msg.notes : (l.programme ? l.programme.notes : null);
    return { ...l, programme: { sessions, notes, receivedAt: now } };
  }
  if (msg.type === 'pulse_results' && msg.total && typeof msg.total === 'object') {
    return { ...l, results: { ...msg, receivedAt: now } };
  }
  return l;
}

function isEntry(e) {
  return e && typeof e === 'object' && Number.isInteger(e.id) && typeof e.title === 'string' && Number.isFinite(e.start);
}

function isPulse(p) {
  return p && typeof p.scope === 'string' && Number.isInteger(p.usefulness);
}

function idOf(msg) {
  for (const k of ['item', 'topic', 'question', 'note']) if (Number.isInteger(msg[k])) return msg[k];
  return null;
}

/* ---------- selectors ---------- */

/** Whether I may run the session: a coordinator, or the session's host. */
export function canHost(state) {
  const me = state.me;
  if (!me) return false;
  return me.role === 'coordinator' || (state.live.host !== null && state.live.host === me.id);
}

/** The running or paused agenda item and its timer as lib/timefmt.js timeLeft() reads it; null when none. */
export function agendaTimer(agenda) {
  if (!agenda || !agenda.current) return null;
  const item = Array.isArray(agenda.items) ? agenda.items.find((i) => i.id === agenda.current) : null;
  return {
    item,
    state: agenda.state,
    endsAt: Number.isFinite(agenda.ends_at) ? agenda.ends_at : null,
    leftMs: agenda.time_left_ms,
    serverTime: agenda.server_time,
    totalMs: agenda.total_ms,
  };
}

/** My place in the hand queue (1-based), or 0 when my hand is down. */
export function handPosition(state) {
  const h = state.live.hands;
  if (!h || !Array.isArray(h.queue) || !state.me) return 0;
  const i = h.queue.findIndex((e) => e.user === state.me.id);
  return i + 1;
}

/** Whether I am among the people called to speak. */
export function isCalled(state) {
  const h = state.live.hands;
  return !!(h && Array.isArray(h.speaking) && state.me && h.speaking.some((e) => e.user === state.me.id));
}

/** Topics, most votes first (the server's order kept for ties), with whether I voted. */
export function topicList(state) {
  const t = Array.isArray(state.live.topics) ? state.live.topics : [];
  const me = state.me ? state.me.id : null;
  return t.map((x, i) => ({ ...x, mine: x.author === me, voted: Array.isArray(x.voters) && x.voters.includes(me), order: i }))
    .sort((a, b) => (b.votes - a.votes) || (a.order - b.order));
}

/** Questions: pinned first, then by votes, then by time asked (as the server orders them), with whether I voted. */
export function questionList(state) {
  const q = Array.isArray(state.live.questions) ? state.live.questions : [];
  const me = state.me ? state.me.id : null;
  return q.map((x, i) => ({ ...x, mine: x.author === me, voted: Array.isArray(x.voters) && x.voters.includes(me), order: i }))
    .sort((a, b) => (b.pinned - a.pinned) || (b.votes - a.votes) || (a.asked_at - b.asked_at) || (a.order - b.order));
}

/** Whether I am on the workshop stage. */
export function onStage(state) {
  const s = state.live.stage;
  return !!(s && Array.isArray(s.speakers) && state.me && s.speakers.some((e) => e.user === state.me.id));
}

/** My pulse for a scope ('session' or a breakout room id), or null. */
export function myPulse(state, scope) {
  return state.live.pulses.find((p) => p.scope === scope) || null;
}
