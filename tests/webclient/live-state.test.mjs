// The live features in the client state (protocol.md section 10): joined.state
// fills every part, an event replaces its part and leaves a cue, pulses are
// mine only, and the selectors (host rights, the timer, hand position,
// topic and question order).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../../web-client/lib/state.js';
import { canHost, agendaTimer, handPosition, isCalled, topicList, questionList, onStage, myPulse } from '../../web-client/lib/live-state.js';
import { timeLeft } from '../../web-client/lib/timefmt.js';

const NOW = 1764410000000;
const anna = { id: 'u-anna', name: 'Anna', role: 'entrepreneur', room: 'main', online: true };
const mikael = { id: 'u-mikael', name: 'Mikael', role: 'expert', room: 'main', online: true };
const ilze = { id: 'u-ilze', name: 'Ilze', role: 'coordinator', room: 'main', online: true };

const agenda = {
  items: [
    { id: 1, title: 'Check-in', kind: 'plenary', state: 'done', timebox_ms: 600000, extended_ms: 0, elapsed_ms: 612000, started_at: NOW - 700000 },
    { id: 2, title: 'Financing', kind: 'talk', state: 'running', timebox_ms: 1200000, extended_ms: 120000, elapsed_ms: 30000, started_at: NOW - 30000 },
  ],
  current: 2, state: 'running', started_at: NOW - 30000, total_ms: 1320000, elapsed_ms: 30000, time_left_ms: 1290000,
  ends_at: NOW + 1290000, auto_advance: false, server_time: NOW,
};

function joinedAs(me, state) {
  let s = S.applyServer(S.initialState('s42'), { type: 'welcome', v: 1, me, server_time: NOW }, NOW);
  s = S.applyServer(s, { type: 'joined', room: 'main', epoch: 'e1', members: [anna, mikael, ilze], server_time: NOW,
    channels: { 'room:main': { offset: 10, recovered: false, events: [] } }, state }, NOW);
  return s;
}

test('without joined.state the server runs no live features', () => {
  const s = joinedAs(anna, undefined);
  assert.equal(s.live.available, false);
  assert.equal(s.live.agenda, null);
});

test('joined.state fills every feature; missing parts are null', () => {
  const s = joinedAs(anna, { host: 'u-mikael', agenda, hands: { queue: [], speaking: [] }, topics: [], pulses: [
    { scope: 'session', user: 'u-anna', usefulness: 4, will_apply: true, submitted_at: NOW },
  ] });
  assert.equal(s.live.available, true);
  assert.equal(s.live.host, 'u-mikael');
  assert.equal(s.live.agenda.current, 2);
  assert.equal(s.live.stage, null);
  assert.equal(s.live.entry, null);
  assert.equal(myPulse(s, 'session').usefulness, 4);
  assert.equal(myPulse(s, 'b1'), null);
});

test('an event replaces its feature, counts on the channel and leaves a cue', () => {
  let s = joinedAs(ilze, { agenda, hands: { queue: [{ user: 'u-anna', raised_at: NOW }], speaking: [] } });
  s = S.applyServer(s, { type: 'hands', channel: 'room:main', offset: 11, ts: NOW, op: 'call_next', by: { id: 'u-ilze', name: 'Ilze', role: 'coordinator' },
    user: 'u-anna', hands: { queue: [], speaking: [{ user: 'u-anna', since: NOW }] } }, NOW);
  assert.deepEqual(s.live.hands.queue, []);
  assert.equal(s.live.cue.feature, 'hands');
  assert.equal(s.live.cue.op, 'call_next');
  assert.equal(s.live.cue.user, 'u-anna');
  assert.equal(s.channels['room:main'].offset, 11);
  assert.deepEqual(Object.keys(s.channels['room:main'].events[0]).sort(), ['channel', 'offset', 'ts', 'type'], 'the log keeps only the offset of a feature event');
  const again = S.applyServer(s, { type: 'hands', channel: 'room:main', offset: 11, hands: { queue: [{ user: 'x' }], speaking: [] } }, NOW);
  assert.equal(again.live.hands.queue.length, 1, 'the latest state always wins (it is the whole state)');
  // A timer event has no op and no by, but an event name and an item.
  s = S.applyServer(s, { type: 'agenda', channel: 'room:main', offset: 12, ts: NOW, event: 'warning', item: 2, agenda }, NOW);
  assert.equal(s.live.cue.event, 'warning');
  assert.equal(s.live.cue.id, 2);
  assert.equal(s.live.cue.by, null);
});

test('who may host: coordinators and the session host (not other experts or entrepreneurs)', () => {
  assert.equal(canHost(joinedAs(ilze, { agenda })), true);
  assert.equal(canHost(joinedAs(mikael, { agenda, host: 'u-mikael' })), true);
  assert.equal(canHost(joinedAs(mikael, { agenda })), false);
  assert.equal(canHost(joinedAs(anna, { agenda, host: 'u-mikael' })), false);
});

test('the agenda timer reads the server numbers and counts down in server time', () => {
  const s = joinedAs(anna, { agenda });
  const timer = agendaTimer(s.live.agenda);
  assert.equal(timer.item.title, 'Financing');
  assert.equal(timeLeft(timer, NOW + 90000).leftMs, 1200000);
  const paused = { ...agenda, state: 'paused', ends_at: undefined };
  assert.equal(timeLeft(agendaTimer(paused), NOW + 90000).leftMs, 1290000);
  assert.equal(agendaTimer({ ...agenda, current: null }), null);
  assert.equal(agendaTimer(null), null);
});

test('hand position, being called, being on stage', () => {
  const hands = { queue: [{ user: 'u-ilze', raised_at: NOW }, { user: 'u-anna', raised_at: NOW + 1 }], speaking: [{ user: 'u-mikael', since: NOW }] };
  assert.equal(handPosition(joinedAs(anna, { hands })), 2);
  assert.equal(handPosition(joinedAs(mikael, { hands })), 0);
  assert.equal(isCalled(joinedAs(mikael, { hands })), true);
  assert.equal(isCalled(joinedAs(anna, { hands })), false);
  assert.equal(onStage(joinedAs(anna, { stage: { max: 8, speakers: [{ user: 'u-anna', since: NOW }] } })), true);
  assert.equal(onStage(joinedAs(anna, { stage: { max: 8, speakers: [] } })), false);
});

test('topics by votes and questions pinned first, each with my vote', () => {
  const topics = [
    { id: 1, title: 'A', author: 'u-anna', votes: 1, voters: ['u-anna'], created_at: NOW },
    { id: 2, title: 'B', author: 'u-ilze', votes: 2, voters: ['u-ilze', 'u-mikael'], created_at: NOW + 1 },
    { id: 3, title: 'C', author: 'u-ilze', votes: 1, voters: ['u-ilze'], created_at: NOW + 2 },
  ];
  const questions = [
    { id: 5, text: 'x', author: 'u-ilze', votes: 3, voters: [], asked_at: NOW, answered: false, hidden: false, pinned: false },
    { id: 6, votes: 0, asked_at: NOW + 1, answered: false, hidden: true, pinned: false },
    { id: 7, text: 'y', author: 'u-anna', votes: 1, voters: ['u-anna'], asked_at: NOW + 2, answered: true, hidden: false, pinned: true },
  ];
  const s = joinedAs(anna, { topics, questions });
  assert.deepEqual(topicList(s).map((t) => [t.id, t.mine, t.voted]), [[2, false, false], [1, true, true], [3, false, false]]);
  assert.deepEqual(questionList(s).map((q) => [q.id, q.mine, q.voted]), [[7, true, true], [5, false, false], [6, false, false]]);
});

test('my pulse reply replaces my earlier answer for that scope; results are kept for the coordinator', () => {
  let s = joinedAs(anna, { pulses: [{ scope: 'session', user: 'u-anna', usefulness: 2, will_apply: false, submitted_at: NOW }] });
  s = S.applyServer(s, { type: 'pulse', ref: 'pulse', scope: 'session', user: 'u-anna', usefulness: 5, will_apply: true, text: 'Good', submitted_at: NOW + 5 }, NOW);
  s = S.applyServer(s, { type: 'pulse', scope: 'b1', user: 'u-anna', usefulness: 3, will_apply: false, submitted_at: NOW + 6 }, NOW);
  assert.equal(s.live.pulses.length, 2);
  assert.equal(myPulse(s, 'session').usefulness, 5);
  assert.equal(myPulse(s, 'session').text, 'Good');
  s = S.applyServer(s, { type: 'pulse_results', ref: 'r', session: 's42', total: { count: 1 }, scopes: [], pulses: [] }, NOW);
  assert.equal(s.live.results.total.count, 1);
});
