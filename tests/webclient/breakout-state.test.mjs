// Breakouts in the client state (protocol.md section 11): `moved` switches
// the room and its channel on the same connection, presence `move` updates
// the member list, the round's public state and the coordinator's plan,
// help requests, profiles, notes as pending messages, what members can
// see of why they are together, and a round that waits while its agenda
// item is paused.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../../web-client/lib/state.js';
import { myBreakout, partners, visibleReasons, roundOpen, latestVersion, groupReasons, roundTimer } from '../../web-client/lib/breakout-state.js';

const NOW = 1764410000000;
const anna = { id: 'u-anna', name: 'Anna', role: 'entrepreneur', country: 'LV', langs: ['lv', 'en'], room: 'main', online: true };
const rasa = { id: 'u-rasa', name: 'Rasa', role: 'entrepreneur', country: 'LT', langs: ['lt', 'en'], room: 'main', online: true };
const ilze = { id: 'u-ilze', name: 'Ilze', role: 'coordinator', country: 'LV', langs: ['lv'], room: 'main', online: true };
const chat = (channel, offset, from, text) => ({ type: 'chat', channel, offset, id: `${from.id}-${offset}`, from: { id: from.id, name: from.name, role: from.role }, text, ts: NOW + offset });

function ready(me = anna) {
  let s = S.applyServer(S.initialState('s42'), { type: 'welcome', v: 1, me, server_time: NOW }, NOW);
  s = S.applyServer(s, { type: 'joined', room: 'main', epoch: 'e1', members: [anna, rasa, ilze],
    channels: { 'room:main': { offset: 2, recovered: false, events: [chat('room:main', 1, ilze, 'Welcome'), chat('room:main', 2, rasa, 'Hi')] } } }, NOW);
  return s;
}

const opened = { type: 'breakout', round: 'r1', state: 'open', deadline: NOW + 600000, warning: false,
  rooms: [{ room: 'b1-1', members: ['u-anna', 'u-rasa'] }] };

test('moved: the breakout replaces the room and its chat; back in main the main chat returns; keys never collide', () => {
  let s = S.applyServer(ready(), opened, NOW);
  assert.equal(roundOpen(s), true);
  s = S.applyServer(s, { type: 'moved', room: 'b1-1', from: 'main', cause: 'open',
    channels: { 'room:b1-1': { offset: 1, recovered: false, events: [chat('room:b1-1', 1, rasa, 'In the breakout')] } } }, NOW);
  assert.equal(s.room, 'b1-1');
  const inside = S.conversationView(s, S.ROOM_CONV);
  assert.equal(inside.channel, 'room:b1-1');
  assert.deepEqual(inside.items.map((i) => i.text), ['In the breakout']);
  assert.deepEqual(myBreakout(s), { room: 'b1-1', members: ['u-anna', 'u-rasa'], deadline: NOW + 600000, warning: false, round: 'r1', paused: false, leftMs: null });
  assert.deepEqual(partners(s).map((m) => m.id), ['u-rasa']);
  assert.deepEqual(s.breakout.visited, [{ id: 'b1-1', round: 'r1' }]);
  assert.equal(S.conversations(s)[0].unread, 0, 'what the move showed counts as read');
  s = S.applyServer(s, { type: 'moved', room: 'main', from: 'b1-1', cause: 'close',
    channels: { 'room:main': { offset: 3, recovered: false, events: [chat('room:main', 1, ilze, 'Welcome'), chat('room:main', 2, rasa, 'Hi'),
      { type: 'breakout_notes', channel: 'room:main', offset: 3, round: 'r1', ts: NOW, rooms: [{ room: 'b1-1', members: [], notes: [] }] }] } } }, NOW);
  s = S.applyServer(s, { type: 'breakout', round: 'r1', state: 'closed' }, NOW);
  assert.equal(s.room, 'main');
  assert.equal(myBreakout(s), null);
  assert.equal(roundOpen(s), false);
  const back = S.conversationView(s, S.ROOM_CONV);
  assert.deepEqual(back.items.map((i) => i.text || i.system), ['Welcome', 'Hi', 'breakout_notes']);
  // Offset 1 exists in both rooms: their items must not share a key.
  assert.notEqual(inside.items[0].key, back.items[0].key);
  assert.equal(s.breakout.move.cause, 'close');
});

test('presence move changes a member\'s room in place', () => {
  let s = ready(ilze);
  s = S.applyServer(s, { type: 'presence', action: 'move', member: { ...anna, room: 'b1-1' } }, NOW);
  assert.deepEqual(s.members.map((m) => [m.id, m.room]), [['u-anna', 'b1-1'], ['u-rasa', 'main'], ['u-ilze', 'main']]);
});

test('the coordinator\'s round, help requests and their resolution', () => {
  let s = ready(ilze);
  assert.equal(s.breakout.round, undefined, 'unknown until the server says');
  s = S.applyServer(s, { type: 'round', ref: 'round', round: { id: 'r1', state: 'planned', groups: [], unassigned: [] } }, NOW);
  assert.equal(s.breakout.round.state, 'planned');
  s = S.applyServer(s, { type: 'round', round: null }, NOW);
  assert.equal(s.breakout.round, null);
  s = S.applyServer(s, { type: 'help_queue', requests: [{ id: 4, user: { id: 'u-rasa', name: 'Rasa' }, room: 'b1-1', text: 'x', ts: NOW }] }, NOW);
  assert.equal(s.breakout.helpQueue.length, 1);
  s = S.applyServer(s, { type: 'help_resolved', request: 4, by: { id: 'u-ilze', name: 'Ilze' } }, NOW);
  assert.deepEqual(s.breakout.helpQueue, []);
  // The asker's side.
  let a = S.applyServer(ready(), { type: 'help_asked', ref: 'help', request: { id: 4, room: 'b1-1', user: { id: 'u-anna' } } }, NOW);
  assert.equal(a.breakout.myHelp.id, 4);
  a = S.applyServer(a, { type: 'help_resolved', request: 4, by: { id: 'u-ilze', name: 'Ilze' } }, NOW);
  assert.equal(a.breakout.myHelp, null);
  assert.equal(a.breakout.helpResolved.by.name, 'Ilze');
});

test('my profile comes from my own requests only; the latest stage is shown', () => {
  let s = ready();
  const versions = [{ stage: 'start', marks: { financing: 'need' }, updated_at: NOW }, { stage: 'middle', marks: {}, updated_at: NOW + 1 }];
  s = S.applyServer(s, { type: 'profile', ref: 'someone-else', user: { id: 'u-rasa' }, versions }, NOW);
  assert.equal(s.breakout.profile, null);
  s = S.applyServer(s, { type: 'profile', ref: 'profile-mine', user: { id: 'u-anna' }, versions }, NOW);
  assert.equal(latestVersion(s.breakout.profile).stage, 'middle');
  assert.equal(latestVersion({ versions: [] }), null);
});

test('a breakout note is a pending message until its ack, sent as breakout_note with the same id', () => {
  let s = ready();
  s = S.addPending(s, { id: 'n-1', kind: 'note', text: 'We share a template' }, NOW);
  assert.deepEqual(S.frameForPending(s.pending[0]), { type: 'breakout_note', id: 'n-1', text: 'We share a template' });
  const view = S.conversationView(s, S.ROOM_CONV);
  assert.equal(view.items.at(-1).kind, 'breakout_note');
  assert.equal(view.items.at(-1).status, 'sending');
  s = S.applyServer(s, { type: 'ack', id: 'n-1', channel: 'room:b1-1', offset: 2 }, NOW);
  assert.deepEqual(s.pending, []);
});

test('what members can see of why they are together', () => {
  assert.deepEqual(visibleReasons(anna, [rasa]), [{ kind: 'cross_country', countries: ['LV', 'LT'] }, { kind: 'shared_language', language: 'en' }]);
  assert.deepEqual(visibleReasons(anna, [ilze]), [{ kind: 'same_country', country: 'LV' }, { kind: 'shared_language', language: 'lv' }]);
  assert.deepEqual(visibleReasons(anna, [{ id: 'x' }]), [], 'nothing known, nothing claimed');
  assert.deepEqual(visibleReasons(anna, []), []);
});

test('moved into a breakout brings the group\'s own reasons; back in main they go; none without them', () => {
  const why = [{ kind: 'complement', topic: 'financing', a: 'u-anna', b: 'u-rasa', text: 'Anna needs financing; Rasa offers it.' },
    { kind: 'cross_country', a: 'u-anna', b: 'u-rasa', text: '' }, 'junk', { text: 'no kind' }];
  let s = S.applyServer(ready(), opened, NOW);
  s = S.applyServer(s, { type: 'moved', room: 'b1-1', from: 'main', cause: 'open', reasons: why,
    channels: { 'room:b1-1': { offset: 0, recovered: false, events: [] } } }, NOW);
  assert.deepEqual(groupReasons(s).map((r) => r.kind), ['complement', 'cross_country']);
  s = S.applyServer(s, { type: 'moved', room: 'main', from: 'b1-1', cause: 'close', channels: {} }, NOW);
  assert.equal(groupReasons(s), null);
  s = S.applyServer(s, { type: 'moved', room: 'b1-1', from: 'main', cause: 'placed', channels: {} }, NOW);
  assert.equal(groupReasons(s), null, 'a move without reasons leaves only what everyone can see');
});

test('a paused round: the time left stands still and shows paused; resumed, it counts to the new deadline', () => {
  let s = S.applyServer(ready(), { ...opened, item: 2 }, NOW);
  s = S.applyServer(s, { type: 'moved', room: 'b1-1', from: 'main', cause: 'open', channel: { offset: 0, recovered: false, events: [] } }, NOW);
  let mine = myBreakout(s);
  assert.equal(mine.paused, false);
  assert.deepEqual(roundTimer(mine, NOW + 1000), { leftMs: 599000, paused: false });

  // The item pauses 100 s in: the server says so with the time left.
  s = S.applyServer(s, { ...opened, item: 2, paused: true, left_ms: 500000 }, NOW + 100000);
  mine = myBreakout(s);
  assert.equal(mine.paused, true);
  assert.equal(mine.leftMs, 500000);
  assert.equal(mine.room, 'b1-1', 'still in the breakout');
  for (const later of [NOW + 100000, NOW + 400000, NOW + 900000]) {
    assert.deepEqual(roundTimer(mine, later), { leftMs: 500000, paused: true }, 'it stands still, even past the old deadline');
  }
  assert.equal(roundOpen(s), true);

  // Resumed 60 s later: a new deadline and no pause.
  s = S.applyServer(s, { ...opened, item: 2, deadline: NOW + 660000 }, NOW + 160000);
  mine = myBreakout(s);
  assert.equal(mine.paused, false);
  assert.equal(mine.leftMs, null);
  assert.deepEqual(roundTimer(mine, NOW + 160000), { leftMs: 500000, paused: false });

  // A malformed pause (no time left) falls back to the deadline, still marked paused.
  s = S.applyServer(s, { ...opened, paused: true, left_ms: 'soon' }, NOW);
  assert.deepEqual(roundTimer(myBreakout(s), NOW + 1000), { leftMs: 599000, paused: true });
  // "paused" only counts when it is true.
  s = S.applyServer(s, { ...opened, paused: 'yes', left_ms: 5 }, NOW);
  assert.equal(myBreakout(s).paused, false);
  assert.equal(myBreakout(s).leftMs, null);
});

test('roundTimer reads the coordinator\'s round object too', () => {
  const round = { id: 'r1', state: 'open', deadline: NOW + 600000, paused: true, left_ms: 42000 };
  assert.deepEqual(roundTimer(round, NOW + 999999), { leftMs: 42000, paused: true });
  assert.deepEqual(roundTimer({ ...round, paused: undefined, left_ms: undefined }, NOW), { leftMs: 600000, paused: false });
  assert.equal(roundTimer({ id: 'r1', state: 'planned' }, NOW), null, 'a plan has no time yet');
  assert.equal(roundTimer(null, NOW), null);
});
