// Breakouts in the client state (docs/protocol.md section 11), as pure
// functions: the round's public state (everyone), the full plan with its
// reasons (coordinators), my moves between rooms, help requests, profiles
// (the self-assessment) and the coverage of who met whom. state.js calls
// applyBreakout for every server message; the room change itself (`moved`)
// is applied to the chat state by state.js.

export const TOPICS = ['financing', 'impact_investment', 'public_sector', 'corporate', 'visibility',
  'impact_measurement', 'team_capacity', 'legal_governance', 'digital_tools', 'new_markets'];
export const MARKS = ['none', 'need', 'offer', 'both'];
export const PROFILE_STAGES = ['start', 'middle', 'end'];

export function initialBreakout() {
  return {
    round: undefined, // the coordinator's plan: undefined until the server said, null for none
    public: null, // {round, state, deadline, warning, item, paused, leftMs, rooms: [{room, members: [ids]}]}
    visited: [], // breakout rooms I was in, for feedback: [{id, round}]
    move: null, // the latest move: {room, from, cause, seq}
    groupReasons: null, // why my breakout's group is together, from `moved`: {room, reasons: [...]}
    myHelp: null, // my open help request
    helpResolved: null, // {request, by} when mine was resolved
    helpQueue: [], // coordinators and experts: open requests
    profile: null, // my profile: {user, versions}
    profiles: null, // coordinators: everyone's
    coverage: null,
    broadcastAck: null,
    seq: 0,
  };
}

/** Applies one server message to the breakout slice; the same slice when nothing changed. */
export function applyBreakout(b, msg, now) {
  switch (msg.type) {
    case 'round':
      return 'round' in msg ? { ...b, round: msg.round && typeof msg.round === 'object' ? msg.round : null } : b;
    case 'breakout': {
      if (typeof msg.state !== 'string') return b;
      if (msg.state === 'closed') return { ...b, public: null, myHelp: null, helpQueue: [] };
      const rooms = Array.isArray(msg.rooms) ? msg.rooms.filter((r) => r && typeof r.room === 'string')
        .map((r) => ({ room: r.room, members: Array.isArray(r.members) ? r.members.filter((x) => typeof x === 'string') : [] })) : [];
      const item = Number.isInteger(msg.item) ? msg.item : null; // the agenda item it belongs to
      // While the round's agenda item is paused the round waits: its time left stands still.
      const paused = msg.paused === true;
      const leftMs = paused && Number.isFinite(msg.left_ms) ? msg.left_ms : null;
      return { ...b, public: { round: msg.round, state: msg.state, deadline: msg.deadline, warning: msg.warning === true, item, paused, leftMs, rooms, at: now } };
    }
    case 'moved': {
      if (typeof msg.room !== 'string') return b;
      const seq = b.seq + 1;
      let visited = b.visited;
      if (msg.room !== 'main' && !visited.some((v) => v.id === msg.room)) {
        visited = visited.concat([{ id: msg.room, round: b.public ? b.public.round : null }]);
      }
      const back = msg.room === 'main';
      const reasons = Array.isArray(msg.reasons) ? msg.reasons.filter((r) => r && typeof r.kind === 'string') : null;
      return {
        ...b, seq, visited, move: { room: msg.room, from: msg.from, cause: msg.cause, seq, at: now },
        groupReasons: !back && reasons && reasons.length ? { room: msg.room, reasons } : null,
        myHelp: back ? null : b.myHelp, helpResolved: back ? null : b.helpResolved,
      };
    }
    case 'help_asked':
      return msg.request && typeof msg.request === 'object' ? { ...b, myHelp: msg.request, helpResolved: null } : b;
    case 'help_queue':
      return Array.isArray(msg.requests) ? { ...b, helpQueue: msg.requests.filter((r) => r && Number.isInteger(r.id)) } : b;
    case 'help_resolved': {
      if (!Number.isInteger(msg.request)) return b;
      const mine = b.myHelp && b.myHelp.id === msg.request;
      return {
        ...b,
        myHelp: mine ? null : b.myHelp,
        helpResolved: mine ? { request: msg.request, by: msg.by || null, at: now } : b.helpResolved,
        helpQueue: b.helpQueue.filter((r) => r.id !== msg.request),
      };
    }
    case 'profile':
      if (!msg.user || !Array.isArray(msg.versions)) return b;
      // Only a reply about me is my profile (coordinators may look at others').
      return msg.ref === 'profile-mine' || msg.ref === 'profile-save' ? { ...b, profile: { user: msg.user, versions: msg.versions } } : b;
    case 'profiles':
      return Array.isArray(msg.profiles) ? { ...b, profiles: msg.profiles } : b;
    case 'coverage':
      return Array.isArray(msg.people) ? { ...b, coverage: { ...msg, at: now } } : b;
    case 'broadcast_ack':
      return { ...b, broadcastAck: { id: msg.id, rooms: Array.isArray(msg.channels) ? msg.channels.length : 0, at: now } };
    case 'joined':
      // After a reconnect the server sends the round again; what was open is unknown until then.
      return { ...b, public: null, helpQueue: [] };
    default:
      return b;
  }
}

/* ---------- selectors ---------- */

/** My breakout now: {room, members (ids, me included), deadline, warning} or null when in the main room. */
export function myBreakout(state) {
  const room = state.room;
  if (!room || room === 'main') return null;
  const pub = state.breakout.public;
  const r = pub ? pub.rooms.find((x) => x.room === room) : null;
  return {
    room, members: r ? r.members : [], deadline: pub ? pub.deadline : null, warning: pub ? pub.warning : false, round: pub ? pub.round : null,
    paused: pub ? pub.paused === true : false, leftMs: pub ? pub.leftMs : null,
  };
}

/**
 * A round's countdown at serverNowMs: {leftMs, paused} or null when it has
 * no time. t is the public round (myBreakout, breakout.public: deadline,
 * paused, leftMs) or the coordinator's round object (deadline, paused,
 * left_ms). A paused round shows the time it had left when its agenda item
 * paused, standing still; a running one counts down to its deadline.
 */
export function roundTimer(t, serverNowMs) {
  if (!t) return null;
  if (t.paused === true) {
    const left = Number.isFinite(t.leftMs) ? t.leftMs : t.left_ms;
    if (Number.isFinite(left)) return { leftMs: left, paused: true };
    return Number.isFinite(t.deadline) ? { leftMs: t.deadline - serverNowMs, paused: true } : null;
  }
  return Number.isFinite(t.deadline) ? { leftMs: t.deadline - serverNowMs, paused: false } : null;
}

/** Whether I am visiting a breakout (a coordinator or expert), not placed in it. */
export function visiting(state) {
  const r = state.breakout.round;
  if (r && Array.isArray(r.visitors) && state.me) return r.visitors.some((v) => v.user === state.me.id);
  return !!(state.me && state.me.role !== 'entrepreneur' && state.room && state.room !== 'main');
}

/** The partners in my breakout as member objects (what the session knows of each). */
export function partners(state) {
  const mine = myBreakout(state);
  if (!mine) return [];
  const meId = state.me ? state.me.id : null;
  const byId = new Map(state.members.map((m) => [m.id, m]));
  const ids = mine.members.length ? mine.members : state.members.filter((m) => m.room === mine.room).map((m) => m.id);
  return ids.filter((id) => id !== meId).map((id) => byId.get(id) || { id, name: state.names[id] || id });
}

/**
 * Why we are together, from what every member can see (countries and
 * languages from the tokens): [{kind: 'cross_country', countries} |
 * {kind: 'shared_language', language} | {kind: 'same_country', country}].
 * The full reasons (needs and offers) come with `moved` into a breakout
 * (groupReasons); these are for when they did not (a reload, a visit).
 */
export function visibleReasons(me, others) {
  const out = [];
  if (!me || !others.length) return out;
  const people = [me].concat(others);
  const countries = [...new Set(people.map((p) => p.country).filter(Boolean))];
  if (countries.length > 1) out.push({ kind: 'cross_country', countries });
  else if (countries.length === 1 && people.every((p) => p.country)) out.push({ kind: 'same_country', country: countries[0] });
  const langSets = people.map((p) => (Array.isArray(p.langs) ? p.langs : []));
  if (langSets.every((l) => l.length)) {
    const shared = langSets[0].filter((l) => langSets.every((s) => s.includes(l)));
    if (shared.length) out.push({ kind: 'shared_language', language: shared[0] });
  }
  return out;
}

/** The server's reasons for my breakout's group (from `moved`), or null. */
export function groupReasons(state) {
  const g = state.breakout.groupReasons;
  const mine = myBreakout(state);
  return g && mine && g.room === mine.room ? g.reasons : null;
}

/** Whether a breakout round is open (for timers). */
export function roundOpen(state) {
  const p = state.breakout.public;
  return !!(p && p.state === 'open');
}

/**
 * The breakout round an agenda item has (docs/protocol.md 11.9):
 * {item, state: 'planned' | 'open'} or null. Coordinators know a planned
 * round (the plan); everyone knows an open one (the breakout event).
 */
export function agendaRound(state) {
  const r = state.breakout.round;
  if (r && Number.isInteger(r.item) && (r.state === 'planned' || r.state === 'open')) return { item: r.item, state: r.state };
  const p = state.breakout.public;
  if (p && p.state === 'open' && Number.isInteger(p.item)) return { item: p.item, state: 'open' };
  return null;
}

/** My latest profile version (the last stage saved), or null. */
export function latestVersion(profile) {
  if (!profile || !Array.isArray(profile.versions) || !profile.versions.length) return null;
  return profile.versions[profile.versions.length - 1];
}
