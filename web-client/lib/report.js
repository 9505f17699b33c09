// The coordinator's reports as data (docs/protocol.md 10.7, 10.8, 11.7):
// feedback (pulse_results), who met whom (coverage) and who attended each
// planned session (the coordinators' programme answer), shaped into table
// rows, chart bars and CSV files. Pure: no DOM, no clock; the views
// (views/reports.js, pulse.js, coverage.js) draw what these return.
import { toCsv } from './csv.js';

const iso = (ms) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '');
const list = (v) => (Array.isArray(v) ? v : []);
const count = (v) => (Number.isFinite(v) && v > 0 ? v : 0);

/* ---------- feedback ---------- */

/** The CSV of every pulse in a results message, with people's names (names: id -> name). */
export function pulsesCsv(results, names = {}) {
  const rows = [['scope', 'user', 'name', 'usefulness', 'will_apply', 'comment', 'submitted_at']];
  for (const p of list(results && results.pulses)) {
    rows.push([p.scope, p.user, names[p.user] || '', p.usefulness, p.will_apply === true, p.text || '', iso(p.submitted_at)]);
  }
  return toCsv(rows);
}

/** Bars of the usefulness ratings 1..5: [{key: '1', label: '1', value}], always five. */
export function usefulnessBars(results) {
  const histo = results && results.total ? list(results.total.histogram) : [];
  return [1, 2, 3, 4, 5].map((k) => ({ key: String(k), label: String(k), value: count(histo[k - 1]) }));
}

/** One row per scope: {scope, count, mean (null when none), applyShare (0..1 or null)}. */
export function pulseScopeRows(results) {
  return list(results && results.scopes).filter((s) => s && typeof s.scope === 'string').map((s) => ({
    scope: s.scope,
    count: count(s.count),
    mean: Number.isFinite(s.mean_usefulness) && count(s.count) ? s.mean_usefulness : null,
    applyShare: Number.isFinite(s.will_apply_share) && count(s.count) ? s.will_apply_share : null,
  }));
}

/* ---------- coverage ---------- */

/** The coverage matrix as CSV with names (cells formula-safe). */
export function coverageCsv(cov) {
  const people = list(cov && cov.people);
  const rows = [['id', 'name', 'country'].concat(people.map((p) => p.id))];
  people.forEach((p, i) => rows.push([p.id, p.name || '', p.country || ''].concat(list(cov.matrix[i]).map(Number))));
  return toCsv(rows);
}

/**
 * One row per person: {id, name, country, met (distinct people), across
 * (of them from another country, both known), meetings (with repeats)}.
 */
export function coverageRows(cov) {
  const people = list(cov && cov.people);
  return people.map((p, i) => {
    const row = list(cov.matrix[i]);
    let met = 0;
    let across = 0;
    let meetings = 0;
    people.forEach((q, j) => {
      const n = i === j ? 0 : count(Number(row[j]));
      if (!n) return;
      met += 1;
      meetings += n;
      if (p.country && q.country && p.country !== q.country) across += 1;
    });
    return { id: p.id, name: p.name || '', country: p.country || '', met, across, meetings };
  });
}

/** The per-person coverage table as CSV. */
export function coverageRowsCsv(rows) {
  return toCsv([['id', 'name', 'country', 'people_met', 'across_countries', 'meetings']]
    .concat(rows.map((r) => [r.id, r.name, r.country, r.met, r.across, r.meetings])));
}

/**
 * The pairs that met by kind, for the cross-country chart: [{key: 'cross' |
 * 'same' | 'unknown', value}] (labels are the view's), and share = cross
 * pairs / pairs (0..1, null when no pair met).
 */
export function coverageShare(cov) {
  const pairs = count(cov && cov.pairs);
  const cross = Math.min(pairs, count(cov && cov.cross_pairs));
  const unknown = Math.min(pairs - cross, count(cov && cov.unknown_pairs));
  return {
    pairs,
    share: pairs ? cross / pairs : null,
    bars: [{ key: 'cross', value: cross }, { key: 'same', value: pairs - cross - unknown }, { key: 'unknown', value: unknown }],
  };
}

/* ---------- attendance ---------- */

/**
 * One row per planned session, in start order: {id, session, title, start,
 * attendees: [{id, name}] by name}, names from the entry or else from
 * names (id -> name). Entries without attendance (not a coordinator's
 * answer) count as nobody.
 */
export function attendanceRows(sessions, names = {}) {
  return list(sessions).filter((e) => e && Number.isInteger(e.id))
    .slice().sort((a, b) => a.start - b.start || a.id - b.id)
    .map((e) => ({
      id: e.id,
      session: typeof e.session === 'string' ? e.session : '',
      title: String(e.title || ''),
      start: e.start,
      attendees: list(e.attendees).filter((a) => a && typeof a.id === 'string')
        .map((a) => ({ id: a.id, name: (typeof a.name === 'string' && a.name) || names[a.id] || '' }))
        .sort((a, b) => (a.name || a.id).localeCompare(b.name || b.id) || a.id.localeCompare(b.id)),
    }));
}

/** Whether the programme carries attendance at all (a coordinator's answer). */
export function hasAttendance(sessions) {
  return list(sessions).some((e) => e && Array.isArray(e.attendees));
}

/** The attendance as CSV: one line per attendee of each session (a session nobody attended: one line without a user). */
export function attendanceCsv(rows) {
  const out = [['entry', 'session', 'title', 'start', 'attendees', 'user', 'name']];
  for (const r of rows) {
    if (!r.attendees.length) out.push([r.id, r.session, r.title, iso(r.start), 0, '', '']);
    for (const a of r.attendees) out.push([r.id, r.session, r.title, iso(r.start), r.attendees.length, a.id, a.name]);
  }
  return toCsv(out);
}

/** Bars of attendance per session: [{key, label, value}]; label(row) names the session. */
export function attendanceBars(rows, label) {
  return rows.map((r) => ({ key: String(r.id), label: label(r), value: r.attendees.length }));
}

/** People who attended at least one session, and their count of sessions: [{id, name, sessions}], most first. */
export function attendeeTotals(rows) {
  const by = new Map();
  for (const r of rows) {
    for (const a of r.attendees) {
      const t = by.get(a.id) || { id: a.id, name: a.name, sessions: 0 };
      t.sessions += 1;
      if (a.name) t.name = a.name;
      by.set(a.id, t);
    }
  }
  return [...by.values()].sort((a, b) => b.sessions - a.sessions || (a.name || a.id).localeCompare(b.name || b.id));
}

/* ---------- charts ---------- */

/** A label cut to max characters (code points) with an ellipsis. */
export function shorten(s, max) {
  const chars = Array.from(String(s));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** "label: value, label: value" — the text of a chart for screen readers. */
export function describeBars(bars) {
  return bars.map((b) => `${b.label}: ${b.value}`).join(', ');
}

/**
 * The geometry of a horizontal bar chart in a viewBox `width` units wide:
 * a label column, a bar, the value after it. Returns {width, height, bars:
 * [{key, label (shortened), full, value, x, y, w, h, tx, vx}], axisX, max}.
 * A zero value has no bar (w 0); the longest bar fills the bar column.
 */
export function barLayout(bars, { width = 320, row = 24, gap = 6, labelWidth = 112, valueWidth = 36, labelChars = 16, pad = 4 } = {}) {
  const max = bars.reduce((m, b) => Math.max(m, count(b.value)), 0);
  const axisX = labelWidth;
  const span = Math.max(10, width - labelWidth - valueWidth - pad);
  const out = bars.map((b, i) => {
    const value = count(b.value);
    const w = max ? Math.round((value / max) * span * 10) / 10 : 0;
    const y = pad + i * (row + gap);
    return {
      key: b.key, label: shorten(b.label, labelChars), full: String(b.label), value,
      x: axisX, y, w, h: row, tx: axisX - 6, vx: axisX + w + 4,
    };
  });
  return { width, height: pad * 2 + bars.length * row + Math.max(0, bars.length - 1) * gap, bars: out, axisX, max };
}
