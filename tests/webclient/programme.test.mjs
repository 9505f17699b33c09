// The programme in the client state (protocol.md 10.8): the answer and the
// change events replace the list, ordered by start; bad entries are left out;
// the coordinators' notes stay when an event without notes comes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { initialLive, applyLive } from '../../web-client/lib/live-state.js';
import { plannedEntry } from '../../web-client/views/header.js';

const entry = (id, start, title = `S${id}`) => ({ id, session: `s${id}`, kind: 'peer-learning', title, start, tz: 'Europe/Riga', duration_ms: 7200000 });

test('the programme answer, then an event, replace the list in start order', () => {
  let l = applyLive(initialLive(), { type: 'programme', ref: 'programme', programme: 'main',
    sessions: [entry(2, 2000), entry(1, 1000), { id: 'x', title: 'bad', start: 5 }, null], notes: [{ id: 1 }] }, 7);
  assert.deepEqual(l.programme.sessions.map((e) => e.id), [1, 2]);
  assert.deepEqual(l.programme.notes, [{ id: 1 }]);
  assert.equal(l.programme.receivedAt, 7);
  l = applyLive(l, { type: 'programme', programme: 'main', sessions: [entry(3, 500)] }, 8);
  assert.deepEqual(l.programme.sessions.map((e) => e.id), [3]);
  assert.deepEqual(l.programme.notes, [{ id: 1 }], 'an event has no notes: the last ones stay');
  assert.equal(applyLive(l, { type: 'programme', op: 'get' }, 9), l, 'no sessions: nothing changes');
});

test('the header finds the entry that plans this session, and nothing otherwise', () => {
  const live = applyLive(initialLive(), { type: 'programme', sessions: [entry(1, 1000), entry(2, 2000, 'February')] }, 7);
  assert.equal(plannedEntry({ session: 's2', live }).title, 'February');
  assert.equal(plannedEntry({ session: 's9', live }), null, 'a session the programme does not plan');
  assert.equal(plannedEntry({ session: 's2', live: initialLive() }), null, 'no programme yet');
});
