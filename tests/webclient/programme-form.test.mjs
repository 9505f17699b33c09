// Editing a programme entry (web-client/lib/programme-form.js): the start
// as a local date and time in the member's zone and back, the server's
// rules checked before sending (each broken rule named, with its field),
// the session link and breakout items' round settings kept, and knowing
// when the edit went through.
process.env.TZ = 'Europe/Riga'; // before any Date is made: the member's zone here
import test from 'node:test';
import assert from 'node:assert/strict';
import { BREAKOUT_MODES, editOutcome, entryMatches, entryToForm, formToEntry, fromLocalInput, toLocalInput } from '../../web-client/lib/programme-form.js';

const ENTRY = {
  id: 3, session: 's42', kind: 'workshop', title: 'Meeting impact investors', start: Date.UTC(2027, 0, 13, 12, 0),
  tz: 'Europe/Stockholm', duration_ms: 7200000, host: 'u-mikael',
  agenda: [{ title: 'What investors look for', kind: 'talk', timebox_ms: 1800000, lead: 'u-mikael' }, { title: 'Questions', kind: 'qa', timebox_ms: 900000 }],
  attendees: [{ id: 'u-anna' }],
};

test('the start in the member own zone, both ways, summer time included; bad dates refused', () => {
  assert.equal(toLocalInput(Date.UTC(2027, 0, 13, 12, 0)), '2027-01-13T14:00', 'Riga is UTC+2 in winter');
  assert.equal(toLocalInput(Date.UTC(2027, 6, 1, 12, 0)), '2027-07-01T15:00', 'and UTC+3 in summer');
  assert.equal(fromLocalInput('2027-01-13T14:00'), Date.UTC(2027, 0, 13, 12, 0));
  assert.equal(fromLocalInput('2027-07-01T15:00'), Date.UTC(2027, 6, 1, 12, 0));
  assert.equal(fromLocalInput(toLocalInput(Date.UTC(2030, 9, 27, 0, 30))), Date.UTC(2030, 9, 27, 0, 30));
  for (const bad of ['', '2027-02-30T10:00', '2027-13-01T10:00', '13.01.2027 14:00', 'tomorrow', null]) assert.ok(Number.isNaN(fromLocalInput(bad)), String(bad));
  assert.equal(toLocalInput(NaN), '');
});

test('an entry as form values and back: unchanged, with its session link and without its attendance', () => {
  const form = entryToForm(ENTRY);
  assert.deepEqual(form, {
    title: 'Meeting impact investors', kind: 'workshop', start: '2027-01-13T14:00', tz: 'Europe/Stockholm', minutes: '120', host: 'u-mikael',
    items: [{ title: 'What investors look for', kind: 'talk', minutes: '30', lead: 'u-mikael', mode: '', size: '' },
      { title: 'Questions', kind: 'qa', minutes: '15', lead: '', mode: '', size: '' }],
  });
  const { entry, error } = formToEntry(form, ENTRY);
  assert.equal(error, undefined);
  const { id, attendees, ...plan } = ENTRY;
  assert.deepEqual(entry, plan);
  assert.equal(entryMatches([ENTRY], 3, entry), true);
  assert.equal(entryMatches([{ ...ENTRY, title: 'Other' }], 3, entry), false);
  assert.equal(entryMatches([ENTRY], 4, entry), false);
  assert.equal(formToEntry(form, {}).entry.session, undefined, 'an entry without a link stays without one');
});

test('every rule the server checks is named, with the field to fix', () => {
  const ok = entryToForm(ENTRY);
  const cases = [
    [{ title: '  ' }, 'programme.check.title.empty', 'title'],
    [{ title: 'a\tb' }, 'programme.check.title.control', 'title'],
    [{ title: 'ā'.repeat(61) }, 'programme.check.title.long', 'title'],
    [{ kind: 'party' }, 'programme.check.kind', 'kind'],
    [{ start: '' }, 'programme.check.start', 'start'],
    [{ start: '1999-12-31T10:00' }, 'programme.check.startRange', 'start'],
    [{ start: '2100-01-02T10:00' }, 'programme.check.startRange', 'start'],
    [{ tz: '+02:00' }, 'programme.check.tz', 'tz'],
    [{ tz: 'Europe/' }, 'programme.check.tz', 'tz'],
    [{ minutes: '4' }, 'programme.check.minutes', 'minutes'],
    [{ minutes: '721' }, 'programme.check.minutes', 'minutes'],
    [{ minutes: '90.5' }, 'programme.check.minutes', 'minutes'],
    [{ host: 'not an id' }, 'programme.check.host', 'host'],
    [{ items: [{ title: '', kind: 'talk', minutes: '10' }] }, 'programme.check.itemTitle.empty', 'items[0].title'],
    [{ items: [ok.items[0], { title: 'x', kind: 'dance', minutes: '10' }] }, 'programme.check.itemKind', 'items[1].kind'],
    [{ items: [{ title: 'x', kind: 'talk', minutes: '0' }] }, 'programme.check.itemMinutes', 'items[0].minutes'],
    [{ items: [{ title: 'x', kind: 'talk', minutes: '481' }] }, 'programme.check.itemMinutes', 'items[0].minutes'],
    [{ items: Array.from({ length: 33 }, () => ({ title: 'x', kind: 'talk', minutes: '1' })) }, 'programme.check.items', 'items'],
    [{ minutes: '40' }, 'programme.check.agendaTooLong', 'items'],
  ];
  for (const [change, error, fieldName] of cases) {
    const r = formToEntry({ ...ok, ...change }, ENTRY);
    assert.equal(r.error, error, JSON.stringify(change));
    assert.equal(r.field, fieldName, JSON.stringify(change));
    assert.equal(r.entry, undefined);
  }
  assert.deepEqual(formToEntry({ ...ok, minutes: '40' }, ENTRY).vars, { total: 45, minutes: 40 });
  // At the limits: accepted.
  for (const change of [{ title: 'ā'.repeat(60) }, { tz: 'UTC' }, { tz: 'America/Argentina/Buenos_Aires' }, { minutes: '45' }, { items: [] }, { start: '2000-01-01T03:00' }]) {
    assert.ok(formToEntry({ ...ok, ...change }, ENTRY).entry, JSON.stringify(change));
  }
});

test('an edit is saved when the programme shows it, refused by the first error after it, or gone', () => {
  const { entry } = formToEntry({ ...entryToForm(ENTRY), title: 'New title' }, ENTRY);
  const pending = { id: 3, entry, errorSeq: 7 };
  const st = (sessions, errorSeq = 7, errors = []) => ({ errorSeq, errors, live: { programme: sessions ? { sessions } : null } });
  assert.equal(editOutcome(pending, st(null)), null, 'no programme yet: waiting');
  assert.equal(editOutcome(pending, st([ENTRY])), null, 'an older programme (another change): waiting');
  assert.equal(editOutcome(pending, st([{ ...ENTRY, title: 'New title' }])), 'saved');
  assert.equal(editOutcome(pending, st([{ ...ENTRY, id: 4 }])), 'gone');
  assert.deepEqual(editOutcome(pending, st([ENTRY], 9, [{ seq: 6, code: 'too_long' }, { seq: 8, code: 'not_found' }, { seq: 9, code: 'forbidden' }])),
    { error: 'not_found' }, 'the first error after sending');
  assert.deepEqual(editOutcome(pending, st([ENTRY], 8, [])), { error: 'internal' }, 'an error already dismissed');
});

test('a breakout item keeps its round settings through the form; other kinds have none', () => {
  const entry = {
    ...ENTRY,
    agenda: [{ title: 'Trios', kind: 'breakout', timebox_ms: 1800000, breakout: { mode: 'random', size: 3 } },
      { title: 'Pairs', kind: 'breakout', timebox_ms: 900000, breakout: { size: 2 } },
      { title: 'Open pairs', kind: 'breakout', timebox_ms: 600000 }],
  };
  const form = entryToForm(entry);
  assert.deepEqual(form.items.map((it) => [it.mode, it.size]), [['random', '3'], ['', '2'], ['', '']]);
  const back = formToEntry(form, entry).entry;
  assert.deepEqual(back.agenda, entry.agenda, 'unchanged, settings only where given');
  assert.equal(entryMatches([entry], 3, back), true);
  assert.equal(entryMatches([{ ...entry, agenda: [{ ...entry.agenda[0], breakout: { mode: 'random', size: 4 } }, ...entry.agenda.slice(1)] }], 3, back), false,
    'a different size is not what was sent');
  assert.equal(entryMatches([{ ...entry, agenda: [{ ...entry.agenda[0], breakout: undefined }, ...entry.agenda.slice(1)] }], 3, back), false,
    'nor are lost settings');

  // Chosen in the form: every mode, sizes 2 to 4; '' is the default.
  for (const mode of BREAKOUT_MODES) {
    const f = { ...form, items: [{ ...form.items[0], mode, size: '4' }] };
    assert.deepEqual(formToEntry(f, entry).entry.agenda[0].breakout, { mode, size: 4 });
  }
  const plain = { ...form, items: [{ ...form.items[0], mode: '', size: '' }] };
  assert.equal(formToEntry(plain, entry).entry.agenda[0].breakout, undefined);
  // A kind other than breakout drops them; values no select offers are the default.
  const talk = { ...form, items: [{ ...form.items[0], kind: 'talk' }] };
  assert.equal(formToEntry(talk, entry).entry.agenda[0].breakout, undefined);
  const odd = { ...form, items: [{ ...form.items[0], mode: 'pairs', size: '7' }] };
  assert.equal(formToEntry(odd, entry).entry.agenda[0].breakout, undefined);
  assert.deepEqual(entryToForm({ ...entry, agenda: [{ ...entry.agenda[0], breakout: { mode: 'x', size: 9 } }] }).items[0].mode, '');
});
