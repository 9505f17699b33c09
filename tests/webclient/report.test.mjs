// The coordinator's reports as data (web-client/lib/report.js): feedback,
// coverage and attendance shaped into rows, chart bars and CSV files, and
// the geometry of the bar charts.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  attendanceBars, attendanceCsv, attendanceRows, attendeeTotals, barLayout, coverageCsv, coverageRows,
  coverageRowsCsv, coverageShare, describeBars, hasAttendance, pulseScopeRows, pulsesCsv, shorten, usefulnessBars,
} from '../../web-client/lib/report.js';

const lines = (csv) => {
  assert.ok(csv.startsWith('\ufeff'), 'a BOM for spreadsheets');
  assert.ok(csv.endsWith('\r\n'));
  return csv.slice(1, -2).split('\r\n');
};

const RESULTS = {
  type: 'pulse_results',
  total: { count: 4, histogram: [0, 1, 0, 2, 1], mean_usefulness: 3.75, will_apply: 3, will_apply_share: 0.75 },
  scopes: [{ scope: 'session', count: 3, mean_usefulness: 4, will_apply_share: 2 / 3 }, { scope: 'b1', count: 1, mean_usefulness: 3, will_apply_share: 1 },
    { scope: 'b2', count: 0 }, { nothing: true }],
  pulses: [
    { scope: 'session', user: 'u-anna', usefulness: 4, will_apply: true, text: '=SUM(A1), "quoted"', submitted_at: Date.UTC(2027, 0, 13, 15, 0) },
    { scope: 'b1', user: 'u-rasa', usefulness: 3, will_apply: false, submitted_at: Date.UTC(2027, 0, 13, 15, 1) },
  ],
};

test('feedback: five usefulness bars, one row per scope, the CSV with names and formula-safe comments', () => {
  assert.deepEqual(usefulnessBars(RESULTS).map((b) => [b.label, b.value]), [['1', 0], ['2', 1], ['3', 0], ['4', 2], ['5', 1]]);
  assert.deepEqual(usefulnessBars(null).map((b) => b.value), [0, 0, 0, 0, 0], 'no results: five empty bars');
  assert.deepEqual(usefulnessBars({ total: { histogram: [3, -1, 'x'] } }).map((b) => b.value), [3, 0, 0, 0, 0]);
  const rows = pulseScopeRows(RESULTS);
  assert.deepEqual(rows.map((r) => [r.scope, r.count, r.mean, r.applyShare && Math.round(r.applyShare * 100)]),
    [['session', 3, 4, 67], ['b1', 1, 3, 100], ['b2', 0, null, null]]);
  const csv = lines(pulsesCsv(RESULTS, { 'u-anna': 'Anna Bērziņa' }));
  assert.equal(csv[0], 'scope,user,name,usefulness,will_apply,comment,submitted_at');
  assert.equal(csv[1], `session,u-anna,Anna Bērziņa,4,true,"'=SUM(A1), ""quoted""",2027-01-13T15:00:00.000Z`);
  assert.equal(csv[2], 'b1,u-rasa,,3,false,,2027-01-13T15:01:00.000Z');
  assert.equal(lines(pulsesCsv({})).length, 1, 'no pulses: the header only');
});

const COV = {
  people: [{ id: 'u-anna', name: 'Anna', country: 'LV' }, { id: 'u-elsa', name: 'Elsa', country: 'SE' },
    { id: 'u-ilze', name: 'Ilze', country: 'LV' }, { id: 'u-x', name: '', country: '' }],
  matrix: [[0, 2, 1, 0], [2, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]],
  rounds: 3, pairs: 3, cross_pairs: 1, unknown_pairs: 1, meetings: 4, cross_meetings: 2, cross_share: 0.333,
};

test('coverage: people met per person, the cross-country bars and both CSV files', () => {
  assert.deepEqual(coverageRows(COV).map((r) => [r.id, r.met, r.across, r.meetings]),
    [['u-anna', 2, 1, 3], ['u-elsa', 2, 1, 3], ['u-ilze', 1, 0, 1], ['u-x', 1, 0, 1]]);
  const share = coverageShare(COV);
  assert.deepEqual(share.bars.map((b) => [b.key, b.value]), [['cross', 1], ['same', 1], ['unknown', 1]]);
  assert.equal(share.pairs, 3);
  assert.equal(share.share, 1 / 3);
  assert.equal(coverageShare({ pairs: 0 }).share, null, 'no pairs: no share');
  assert.deepEqual(coverageShare({ pairs: 2, cross_pairs: 5, unknown_pairs: 5 }).bars.map((b) => b.value), [2, 0, 0], 'never more than the pairs');
  const people = lines(coverageRowsCsv(coverageRows(COV)));
  assert.equal(people[0], 'id,name,country,people_met,across_countries,meetings');
  assert.equal(people[1], 'u-anna,Anna,LV,2,1,3');
  const matrix = lines(coverageCsv(COV));
  assert.equal(matrix[0], 'id,name,country,u-anna,u-elsa,u-ilze,u-x');
  assert.equal(matrix[2], 'u-elsa,Elsa,SE,2,0,0,1');
});

const SESSIONS = [
  { id: 2, session: 'p-feb', title: 'February', start: Date.UTC(2027, 1, 10, 13), attendees: [{ id: 'u-kadri', name: 'Kadri Tamm' }, { id: 'u-anna', name: 'Anna Bērziņa' }] },
  { id: 1, session: 'p-jan', title: 'January, "financing"', start: Date.UTC(2027, 0, 13, 14), attendees: [{ id: 'u-anna', name: 'Anna B.' }, { id: 'u-old' }, { bad: 1 }] },
  { id: 3, title: 'Workshop', start: Date.UTC(2027, 2, 3, 12), attendees: [] },
];

test('attendance: rows in start order, names from the entry or the names seen, totals per person, bars and CSV', () => {
  const rows = attendanceRows(SESSIONS, { 'u-old': 'Olga' });
  assert.deepEqual(rows.map((r) => r.id), [1, 2, 3]);
  assert.deepEqual(rows[0].attendees, [{ id: 'u-anna', name: 'Anna B.' }, { id: 'u-old', name: 'Olga' }], 'sorted by name; bad ones left out');
  assert.deepEqual(rows[1].attendees.map((a) => a.id), ['u-anna', 'u-kadri']);
  assert.equal(rows[2].session, '');
  assert.deepEqual(attendanceBars(rows, (r) => r.title).map((b) => [b.key, b.label, b.value]),
    [['1', 'January, "financing"', 2], ['2', 'February', 2], ['3', 'Workshop', 0]]);
  assert.deepEqual(attendeeTotals(rows).map((t) => [t.id, t.name, t.sessions]),
    [['u-anna', 'Anna Bērziņa', 2], ['u-kadri', 'Kadri Tamm', 1], ['u-old', 'Olga', 1]]);
  const csv = lines(attendanceCsv(rows));
  assert.deepEqual(csv, [
    'entry,session,title,start,attendees,user,name',
    '1,p-jan,"January, ""financing""",2027-01-13T14:00:00.000Z,2,u-anna,Anna B.',
    '1,p-jan,"January, ""financing""",2027-01-13T14:00:00.000Z,2,u-old,Olga',
    '2,p-feb,February,2027-02-10T13:00:00.000Z,2,u-anna,Anna Bērziņa',
    '2,p-feb,February,2027-02-10T13:00:00.000Z,2,u-kadri,Kadri Tamm',
    '3,,Workshop,2027-03-03T12:00:00.000Z,0,,',
  ]);
  assert.equal(hasAttendance(SESSIONS), true);
  assert.equal(hasAttendance(SESSIONS.map(({ attendees, ...e }) => e)), false, "a member's programme has no attendance");
  assert.deepEqual(attendanceRows(undefined), []);
});

test('charts: labels shortened by characters, a text summary, bars scaled to the longest', () => {
  assert.equal(shorten('Ilze Kalniņa', 20), 'Ilze Kalniņa');
  assert.equal(shorten('Žukauskienė Rasa ir kiti', 8), 'Žukausk…');
  assert.equal(describeBars([{ label: '1', value: 0 }, { label: '2', value: 3 }]), '1: 0, 2: 3');
  const g = barLayout([{ key: 'a', label: 'A', value: 2 }, { key: 'b', label: 'B', value: 4 }, { key: 'c', label: 'C', value: 0 }],
    { width: 320, row: 20, gap: 4, labelWidth: 100, valueWidth: 40, pad: 4 });
  assert.equal(g.max, 4);
  assert.equal(g.height, 4 * 2 + 3 * 20 + 2 * 4);
  const span = 320 - 100 - 40 - 4;
  assert.deepEqual(g.bars.map((b) => [b.key, b.x, b.y, b.w]), [['a', 100, 4, span / 2], ['b', 100, 28, span], ['c', 100, 52, 0]]);
  assert.ok(g.bars.every((b) => b.x + b.w <= g.width && b.vx <= g.width - 40 + 4), 'bars and values stay inside');
  assert.deepEqual(barLayout([{ key: 'z', label: 'Z', value: 0 }]).bars.map((b) => b.w), [0], 'all zero: no bars, no division by zero');
  assert.equal(barLayout([]).height, 8);
});
