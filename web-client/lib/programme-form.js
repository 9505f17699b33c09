// Editing a programme entry (docs/protocol.md 10.8) as form values and
// back: the start shown as a local date and time in the member's own zone
// (what <input type="datetime-local"> holds), durations in minutes, and the
// server's rules checked before sending, each broken rule named by an i18n
// key and the field it is about. Pure; the time zone is the runtime's.

export const ENTRY_KINDS = ['peer-learning', 'workshop'];
export const ITEM_KINDS = ['plenary', 'breakout', 'talk', 'qa', 'feedback'];
export const TITLE_MAX_BYTES = 120;
export const MINUTES_MIN = 5;
export const MINUTES_MAX = 720;
export const ITEM_MINUTES_MAX = 480; // an agenda item's timebox: 8 h
// A breakout item's round settings (protocol.md 10.2): '' in a form is the server's default.
export const BREAKOUT_MODES = ['complementary', 'shared_interest', 'random', 'manual'];
export const BREAKOUT_SIZES = [2, 3, 4];
export const ITEMS_MAX = 32;
const START_MIN = Date.UTC(2000, 0, 1);
const START_MAX = Date.UTC(2100, 0, 1);
// As rooms/tz.c checks it: 1-4 parts of 1-30 bytes, each starting with a letter.
const TZ_PART = '[A-Za-z][A-Za-z0-9_+.-]{0,29}';
const TZ_SHAPE = new RegExp(`^${TZ_PART}(/${TZ_PART}){0,3}$`);
const TZ_MAX = 64;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const ID_SHAPE = /^[A-Za-z0-9_.-]{1,64}$/; // a user id (protocol.md section 5)

const pad = (n, w = 2) => String(n).padStart(w, '0');
const bytes = (s) => new TextEncoder().encode(s).length;

/** UTC ms as 'YYYY-MM-DDTHH:MM' in the runtime's (the member's) time zone; '' for a bad time. */
export function toLocalInput(ms) {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) return '';
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** 'YYYY-MM-DDTHH:MM' in the member's zone as UTC ms; NaN when it is not one. */
export function fromLocalInput(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(String(s || '').trim());
  if (!m) return NaN;
  const [y, mo, d, h, mi, sec] = m.slice(1).map((x) => Number(x || 0));
  const t = new Date(y, mo - 1, d, h, mi, sec).getTime();
  // Reject dates that roll over (2027-02-30) instead of guessing.
  const back = new Date(t);
  return back.getFullYear() === y && back.getMonth() === mo - 1 && back.getDate() === d ? t : NaN;
}

/** The form values of an entry: {title, kind, start, tz, minutes, host, items: [{title, kind, minutes, lead, mode, size}]}. */
export function entryToForm(e) {
  return {
    title: String(e.title || ''),
    kind: ENTRY_KINDS.includes(e.kind) ? e.kind : ENTRY_KINDS[0],
    start: toLocalInput(e.start),
    tz: String(e.tz || ''),
    minutes: Number.isFinite(e.duration_ms) ? String(Math.round(e.duration_ms / 60000)) : '',
    host: String(e.host || ''),
    items: (Array.isArray(e.agenda) ? e.agenda : []).map((it) => ({
      title: String(it.title || ''),
      kind: ITEM_KINDS.includes(it.kind) ? it.kind : ITEM_KINDS[0],
      minutes: Number.isFinite(it.timebox_ms) ? String(Math.round(it.timebox_ms / 60000)) : '',
      lead: String(it.lead || ''),
      mode: it.breakout && BREAKOUT_MODES.includes(it.breakout.mode) ? it.breakout.mode : '',
      size: it.breakout && BREAKOUT_SIZES.includes(it.breakout.size) ? String(it.breakout.size) : '',
    })),
  };
}

function titleProblem(t) {
  if (!t) return 'empty';
  if (CONTROL.test(t)) return 'control';
  if (bytes(t) > TITLE_MAX_BYTES) return 'long';
  return null;
}

function wholeMinutes(v, min, max) {
  const s = String(v).trim();
  if (!/^\d+$/.test(s)) return NaN;
  const n = Number(s);
  return n >= min && n <= max ? n : NaN;
}

/**
 * The settings of a breakout item's form row ({mode, size}, each only when
 * chosen), or null: other kinds have none, and values the selects cannot
 * hold count as the default.
 */
function breakoutOf(it) {
  if (it.kind !== 'breakout') return null;
  const out = {};
  if (BREAKOUT_MODES.includes(it.mode)) out.mode = it.mode;
  const size = Number(it.size);
  if (it.size !== '' && BREAKOUT_SIZES.includes(size)) out.size = size;
  return Object.keys(out).length ? out : null;
}

/**
 * Checks form values and builds the entry to send with op `edit`,
 * keeping the original's session link. Returns {entry} or {error: i18n
 * key, field: which input ('title', 'start', 'tz', 'minutes', 'host',
 * 'items[2].title', ...), vars: values for the message}.
 */
export function formToEntry(form, original = {}) {
  const fail = (error, field, vars = {}) => ({ error, field, vars });
  const title = String(form.title || '').trim();
  const tp = titleProblem(title);
  if (tp) return fail(`programme.check.title.${tp}`, 'title', { max: TITLE_MAX_BYTES });
  if (!ENTRY_KINDS.includes(form.kind)) return fail('programme.check.kind', 'kind');
  const start = fromLocalInput(form.start);
  if (!Number.isFinite(start)) return fail('programme.check.start', 'start');
  if (start < START_MIN || start >= START_MAX) return fail('programme.check.startRange', 'start');
  const tz = String(form.tz || '').trim();
  if (tz.length > TZ_MAX || !TZ_SHAPE.test(tz)) return fail('programme.check.tz', 'tz');
  const minutes = wholeMinutes(form.minutes, MINUTES_MIN, MINUTES_MAX);
  if (!Number.isFinite(minutes)) return fail('programme.check.minutes', 'minutes', { min: MINUTES_MIN, max: MINUTES_MAX });
  const host = String(form.host || '').trim();
  if (!ID_SHAPE.test(host)) return fail('programme.check.host', 'host');
  const items = Array.isArray(form.items) ? form.items : [];
  if (items.length > ITEMS_MAX) return fail('programme.check.items', 'items', { max: ITEMS_MAX });
  const agenda = [];
  let total = 0;
  for (const [i, it] of items.entries()) {
    const t = String(it.title || '').trim();
    const p = titleProblem(t);
    if (p) return fail(`programme.check.itemTitle.${p}`, `items[${i}].title`, { n: i + 1, max: TITLE_MAX_BYTES });
    if (!ITEM_KINDS.includes(it.kind)) return fail('programme.check.itemKind', `items[${i}].kind`, { n: i + 1 });
    const m = wholeMinutes(it.minutes, 1, ITEM_MINUTES_MAX);
    if (!Number.isFinite(m)) return fail('programme.check.itemMinutes', `items[${i}].minutes`, { n: i + 1, max: ITEM_MINUTES_MAX });
    total += m;
    const item = { title: t, kind: it.kind, timebox_ms: m * 60000 };
    const lead = String(it.lead || '').trim();
    if (lead) item.lead = lead;
    const breakout = breakoutOf(it);
    if (breakout) item.breakout = breakout;
    agenda.push(item);
  }
  if (total > minutes) return fail('programme.check.agendaTooLong', 'items', { total, minutes });
  const entry = { kind: form.kind, title, start, tz, duration_ms: minutes * 60000, host, agenda };
  if (typeof original.session === 'string' && original.session) entry.session = original.session;
  return { entry };
}

/** Whether the programme now holds what was sent as entry id (the edit went through). */
export function entryMatches(sessions, id, entry) {
  const e = (Array.isArray(sessions) ? sessions : []).find((x) => x && x.id === id);
  if (!e) return false;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const settings = (b) => (b ? { mode: b.mode || '', size: b.size || 0 } : null);
  const items = (list) => (Array.isArray(list) ? list : []).map((it) => ({
    title: it.title, kind: it.kind, timebox_ms: it.timebox_ms, lead: it.lead || '', breakout: settings(it.breakout),
  }));
  return e.title === entry.title && e.kind === entry.kind && e.start === entry.start && e.tz === entry.tz
    && e.duration_ms === entry.duration_ms && e.host === entry.host && (e.session || '') === (entry.session || '')
    && same(items(e.agenda), items(entry.agenda));
}

/**
 * What became of an edit sent when the state's errorSeq was
 * pending.errorSeq: {error: code} when an error came after it (the answer
 * to an edit is the programme or an error, in order, so the first new
 * error is its refusal), 'saved' when the programme shows the entry as
 * sent, 'gone' when the entry is no longer there, else null (waiting).
 */
export function editOutcome(pending, state) {
  if (state.errorSeq > pending.errorSeq) {
    const err = (Array.isArray(state.errors) ? state.errors : []).find((x) => x.seq > pending.errorSeq);
    return { error: err && typeof err.code === 'string' ? err.code : 'internal' };
  }
  const sessions = state.live && state.live.programme ? state.live.programme.sessions : null;
  if (!sessions) return null;
  if (!sessions.some((e) => e && e.id === pending.id)) return 'gone';
  return entryMatches(sessions, pending.id, pending.entry) ? 'saved' : null;
}
