// The pure state reducer of the web client: exactly-once delivery, recovery,
// acks, presence and the selectors the views read.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../../web-client/lib/state.js';

const NOW = 1764410000000;
const anna = { id: 'u-anna', name: 'Anna Bērziņa', role: 'entrepreneur', country: 'LV', room: 'main', online: true };
const jonas = { id: 'u-jonas', name: 'Jonas Petraitis', role: 'entrepreneur', country: 'LT', room: 'main', online: true };
const ilze = { id: 'u-ilze', name: 'Ilze Kalniņa', role: 'coordinator', country: 'LV', room: 'main', online: true };

function chat(offset, from = jonas, text = `m${offset}`, id = `${from.id}-${offset}`) {
  return { type: 'chat', channel: 'room:main', offset, id, from: { id: from.id, name: from.name, role: from.role }, text, ts: NOW + offset };
}
function dm(offset, from, to, text = `d${offset}`, id = `dm-${offset}`, channel = 'user:u-anna') {
  return { type: 'dm', channel, offset, id, from: { id: from.id, name: from.name, role: from.role }, to: to.id, text, ts: NOW + offset };
}
function welcomed(pending = []) {
  return S.applyServer(S.initialState('s42', pending), { type: 'welcome', v: 1, session: 's42', me: anna, server_time: NOW }, NOW);
}
function joined(state, channels, { epoch = 'e1', members = [anna, jonas] } = {}) {
  return S.applyServer(state, { type: 'joined', session: 's42', room: 'main', epoch, server_time: NOW, members, channels }, NOW);
}
function offsets(state, name = 'room:main') {
  return state.channels[name].events.map((e) => e.offset);
}

test('a first join shows the latest page and remembers the last offset per channel', () => {
  const s = joined(welcomed(), {
    'room:main': { offset: 3, recovered: false, events: [chat(3), chat(1), chat(2)] },
    'user:u-anna': { offset: 0, recovered: false, events: [] },
  });
  assert.deepEqual(offsets(s), [1, 2, 3]);
  assert.deepEqual(S.sinceOf(s), { 'room:main': { epoch: 'e1', offset: 3 } });
  assert.equal(s.channels['room:main'].more, false);
});

test('live events whose offset is not larger than the last shown are ignored', () => {
  let s = joined(welcomed(), { 'room:main': { offset: 2, recovered: false, events: [chat(1), chat(2)] } });
  s = S.applyServer(s, chat(3), NOW);
  const before = s;
  s = S.applyServer(s, chat(3), NOW);
  assert.equal(s, before, 'a duplicate leaves the state untouched');
  s = S.applyServer(s, chat(2, jonas, 'old'), NOW);
  s = S.applyServer(s, chat(4), NOW);
  assert.deepEqual(offsets(s), [1, 2, 3, 4]);
  assert.equal(s.channels['room:main'].events[1].text, 'm2');
});

test('recovered:true appends only what was missed, exactly once', () => {
  let s = joined(welcomed(), { 'room:main': { offset: 2, recovered: false, events: [chat(1), chat(2)] } });
  s = S.applyServer(s, chat(3), NOW);
  s = S.setConnection(s, 'reconnecting', NOW + 500);
  assert.deepEqual(S.sinceOf(s), { 'room:main': { epoch: 'e1', offset: 3 } });
  // The server replays from our offset, possibly overlapping what we have.
  s = joined(s, { 'room:main': { offset: 5, recovered: true, events: [chat(3), chat(4), chat(5)] } });
  assert.deepEqual(offsets(s), [1, 2, 3, 4, 5]);
  s = S.applyServer(s, chat(5), NOW);
  s = S.applyServer(s, chat(6), NOW);
  assert.deepEqual(offsets(s), [1, 2, 3, 4, 5, 6]);
});

test('recovered:false replaces the list, also with a new epoch and lower offsets', () => {
  let s = joined(welcomed(), { 'room:main': { offset: 9, recovered: false, events: [chat(8), chat(9)] } });
  s = joined(s, { 'room:main': { offset: 2, recovered: false, events: [chat(1, ilze, 'new'), chat(2, ilze, 'epoch')] } }, { epoch: 'e2' });
  assert.deepEqual(offsets(s), [1, 2]);
  assert.deepEqual(s.channels['room:main'].events.map((e) => e.text), ['new', 'epoch']);
  assert.deepEqual(S.sinceOf(s), { 'room:main': { epoch: 'e2', offset: 2 } });
  // After the replacement, offset 3 of the new epoch is news.
  s = S.applyServer(s, chat(3, ilze), NOW);
  assert.deepEqual(offsets(s), [1, 2, 3]);
});

test('events inside joined and history may omit their channel', () => {
  const bare = (o) => { const e = chat(o); delete e.channel; return e; };
  let s = joined(welcomed(), { 'room:main': { offset: 12, recovered: false, events: [bare(11), bare(12)] } });
  assert.deepEqual(offsets(s), [11, 12]);
  assert.equal(s.channels['room:main'].more, true);
  const req = S.historyRequest(s, 'room:main', 50);
  assert.deepEqual(req, { type: 'history', channel: 'room:main', before: 11, limit: 50, ref: 'history:room:main' });
  s = S.setLoadingOlder(s, 'room:main');
  assert.equal(S.historyRequest(s, 'room:main'), null, 'no second request while one is out');
  s = S.applyServer(s, { type: 'history', channel: 'room:main', events: [bare(9), bare(10), bare(11)], more: true }, NOW);
  assert.deepEqual(offsets(s), [9, 10, 11, 12], 'older events are put in front, overlaps dropped');
  assert.equal(s.channels['room:main'].loading, false);
  assert.equal(s.channels['room:main'].more, true);
  s = S.applyServer(s, { type: 'history', channel: 'room:main', events: [bare(1)], more: false }, NOW);
  assert.equal(s.channels['room:main'].more, false);
  assert.equal(S.historyRequest(s, 'room:main'), null);
});

test('a failed history request can be asked again', () => {
  let s = joined(welcomed(), { 'room:main': { offset: 12, recovered: false, events: [chat(12)] } });
  s = S.setLoadingOlder(s, 'room:main');
  s = S.applyServer(s, { type: 'error', code: 'rate_limited', ref: 'history:room:main' }, NOW);
  assert.equal(s.channels['room:main'].loading, false);
  assert.ok(S.historyRequest(s, 'room:main'));
  assert.equal(s.errors.at(-1).code, 'rate_limited');
});

test('pending messages are "sending" until their ack, even after the echo arrives', () => {
  let s = joined(welcomed(), { 'room:main': { offset: 1, recovered: false, events: [chat(1)] } });
  s = S.addPending(s, { id: 'c-x-1', kind: 'chat', room: 'main', text: 'Sveiki' }, NOW);
  let view = S.conversationView(s, S.ROOM_CONV);
  assert.deepEqual(view.items.map((i) => [i.key, i.status]), [['e:room:main:e1:1', 'sent'], ['m:c-x-1', 'sending']]);
  assert.deepEqual(S.pendingToSend(s).map((p) => p.id), ['c-x-1']);
  assert.deepEqual(S.frameForPending(s.pending[0]), { type: 'chat', id: 'c-x-1', text: 'Sveiki', room: 'main' });
  // The server echoes the chat to everyone, the sender included, before it is stored.
  s = S.applyServer(s, chat(2, anna, 'Sveiki', 'c-x-1'), NOW);
  view = S.conversationView(s, S.ROOM_CONV);
  assert.deepEqual(view.items.map((i) => [i.key, i.status]), [['e:room:main:e1:1', 'sent'], ['m:c-x-1', 'sending']], 'one item, same key');
  s = S.applyServer(s, { type: 'ack', id: 'c-x-1', channel: 'room:main', offset: 2 }, NOW);
  assert.equal(s.pending.length, 0);
  view = S.conversationView(s, S.ROOM_CONV);
  assert.deepEqual(view.items.map((i) => [i.key, i.status]), [['e:room:main:e1:1', 'sent'], ['m:c-x-1', 'sent']]);
});

test('unacked messages survive a reconnect and are sent again with the same id', () => {
  let s = joined(welcomed(), { 'room:main': { offset: 0, recovered: false, events: [] } });
  s = S.addPending(s, { id: 'c-x-1', kind: 'chat', room: 'main', text: 'one' }, NOW);
  s = S.addPending(s, { id: 'c-x-2', kind: 'dm', to: 'u-jonas', text: 'two' }, NOW + 1);
  s = S.setConnection(s, 'reconnecting', NOW + 700);
  // A reload keeps pending in sessionStorage and starts from it.
  const reloaded = welcomed(JSON.parse(JSON.stringify(s.pending)));
  for (const st of [s, reloaded]) {
    const frames = S.pendingToSend(st).map(S.frameForPending);
    assert.deepEqual(frames, [
      { type: 'chat', id: 'c-x-1', text: 'one', room: 'main' },
      { type: 'dm', id: 'c-x-2', to: 'u-jonas', text: 'two' },
    ]);
  }
  // An ack for the original (the server de-duplicates) clears it.
  s = S.applyServer(s, { type: 'ack', id: 'c-x-1', channel: 'room:main', offset: 1 }, NOW);
  assert.deepEqual(s.pending.map((p) => p.id), ['c-x-2']);
});

test('an error for a message marks it failed; retry and discard', () => {
  let s = joined(welcomed(), { 'room:main': { offset: 0, recovered: false, events: [] } });
  s = S.addPending(s, { id: 'c-x-1', kind: 'chat', room: 'main', text: 'x' }, NOW);
  s = S.applyServer(s, { type: 'error', code: 'rate_limited', message: 'slow down', id: 'c-x-1' }, NOW);
  assert.equal(s.pending[0].error, 'rate_limited');
  assert.deepEqual(S.pendingToSend(s), [], 'failed messages are not resent by themselves');
  assert.equal(s.errors.length, 0, 'shown next to the message, not as a banner');
  const item = S.conversationView(s, S.ROOM_CONV).items[0];
  assert.equal(item.status, 'failed');
  assert.equal(item.error, 'rate_limited');
  s = S.retryPending(s, 'c-x-1');
  assert.deepEqual(S.pendingToSend(s).map((p) => p.id), ['c-x-1']);
  s = S.discardPending(s, 'c-x-1');
  assert.equal(s.pending.length, 0);
});

test('authentication errors are fatal; others are shown and dismissable', () => {
  let s = S.initialState('s42');
  s = S.applyServer(s, { type: 'error', code: 'token_expired', message: 'expired' }, NOW);
  assert.equal(s.fatal, 'token_expired');
  s = S.applyServer(s, { type: 'error', code: 'internal' }, NOW);
  s = S.applyServer(s, { type: 'error' }, NOW);
  assert.deepEqual(s.errors.map((e) => e.code), ['token_expired', 'internal', 'internal']);
  s = S.dismissError(s, s.errors[1].seq);
  assert.equal(s.errors.length, 2);
  for (let i = 0; i < 5; i++) s = S.localError(s, 'too_long', NOW);
  assert.equal(s.errors.length, 3, 'only the latest few stay');
});

test('presence: join adds once, a second tab changes nothing, leave removes', () => {
  let s = joined(welcomed(), {}, { members: [anna, jonas] });
  s = S.applyServer(s, { type: 'presence', action: 'join', member: ilze }, NOW);
  s = S.applyServer(s, { type: 'presence', action: 'join', member: ilze }, NOW);
  assert.deepEqual(S.sortedMembers(s).map((m) => m.id), ['u-anna', 'u-ilze', 'u-jonas'], 'me first, then by name');
  // One of Ilze's tabs closes but she still has one open: the member stays.
  s = S.applyServer(s, { type: 'presence', action: 'leave', member: { ...ilze, online: true } }, NOW);
  assert.ok(s.members.some((m) => m.id === 'u-ilze'));
  s = S.applyServer(s, { type: 'presence', action: 'leave', member: { ...ilze, online: false } }, NOW);
  assert.ok(!s.members.some((m) => m.id === 'u-ilze'));
  // Another tab of mine closing does not remove me: this tab is still here.
  s = S.applyServer(s, { type: 'presence', action: 'leave', member: { ...anna, online: false } }, NOW);
  assert.ok(s.members.some((m) => m.id === 'u-anna'));
  // joined.members replaces the list after a reconnect, duplicates folded.
  s = joined(s, {}, { members: [anna, anna, ilze] });
  assert.deepEqual(S.sortedMembers(s).map((m) => m.id), ['u-anna', 'u-ilze']);
  assert.equal(s.names['u-jonas'], 'Jonas Petraitis', 'names are remembered for old messages');
  // A list taken just before this connection joined still shows me.
  s = joined(s, {}, { members: [ilze] });
  assert.deepEqual(S.sortedMembers(s).map((m) => m.id), ['u-anna', 'u-ilze']);
});

test('private conversations show only the two people\'s messages', () => {
  let s = joined(welcomed(), {
    'room:main': { offset: 1, recovered: false, events: [chat(1, jonas, 'public')] },
    'user:u-anna': { offset: 3, recovered: false, events: [
      dm(1, jonas, anna, 'hi anna'), dm(2, anna, jonas, 'hi jonas'), dm(3, ilze, anna, 'from ilze')] },
  });
  const toJonas = S.conversationView(s, S.convKeyForPeer('u-jonas'));
  assert.deepEqual(toJonas.items.map((i) => i.text), ['hi anna', 'hi jonas']);
  assert.equal(toJonas.peer, 'u-jonas');
  const toIlze = S.conversationView(s, 'dm:u-ilze');
  assert.deepEqual(toIlze.items.map((i) => i.text), ['from ilze']);
  const room = S.conversationView(s, S.ROOM_CONV);
  assert.deepEqual(room.items.map((i) => i.text), ['public']);
  s = S.addPending(s, { id: 'c-9', kind: 'dm', to: 'u-ilze', text: 'reply' }, NOW);
  assert.deepEqual(S.conversationView(s, 'dm:u-ilze').items.map((i) => i.text), ['from ilze', 'reply']);
  assert.deepEqual(S.conversationView(s, 'dm:u-jonas').items.map((i) => i.text), ['hi anna', 'hi jonas']);
  assert.deepEqual(S.conversationView(s, S.ROOM_CONV).items.map((i) => i.text), ['public']);
  assert.deepEqual(S.conversations(s).map((c) => c.key), ['room', 'dm:u-jonas', 'dm:u-ilze']);
});

test('unread counts: new messages elsewhere count, the open conversation is read', () => {
  let s = joined(welcomed(), {
    'room:main': { offset: 1, recovered: false, events: [chat(1)] },
    'user:u-anna': { offset: 0, recovered: false, events: [] },
  });
  assert.deepEqual(S.conversations(s).map((c) => c.unread), [0], 'history on arrival is not unread');
  s = S.applyServer(s, dm(1, jonas, anna, 'psst'), NOW);
  s = S.applyServer(s, dm(2, jonas, anna, 'psst 2'), NOW);
  assert.equal(s.announce.private, true);
  assert.equal(s.announce.text, 'psst 2');
  s = S.applyServer(s, chat(2), NOW);
  assert.deepEqual(S.conversations(s).map((c) => [c.key, c.unread]), [['room', 0], ['dm:u-jonas', 2]]);
  s = S.selectConversation(s, 'dm:u-jonas');
  s = S.applyServer(s, chat(3), NOW);
  assert.deepEqual(S.conversations(s).map((c) => [c.key, c.unread]), [['room', 1], ['dm:u-jonas', 0]]);
  assert.equal(s.announce.private, false);
  // My own messages never count as unread and are not announced.
  const seq = s.announce.seq;
  s = S.applyServer(s, chat(4, anna), NOW);
  assert.equal(s.announce.seq, seq);
  assert.equal(S.conversations(s)[0].unread, 1);
});

test('opening a private chat with someone adds it to the conversations', () => {
  let s = joined(welcomed(), {});
  s = S.selectConversation(s, 'dm:u-jonas');
  assert.equal(s.active, 'dm:u-jonas');
  assert.deepEqual(S.conversations(s).map((c) => [c.key, c.name]), [['room', null], ['dm:u-jonas', 'Jonas Petraitis']]);
  s = S.selectConversation(s, 'dm:u-jonas');
  assert.equal(s.opened.length, 1);
});

test('since lists at most 16 channels, room and own channel first', () => {
  let s = joined(welcomed(), {
    'room:main': { offset: 4, recovered: false, events: [chat(4)] },
    'user:u-anna': { offset: 2, recovered: false, events: [dm(2, jonas, anna)] },
  });
  for (let i = 0; i < 20; i++) {
    s = S.applyServer(s, { ...chat(1), channel: `room:b${i}` }, NOW);
  }
  const since = S.sinceOf(s);
  assert.equal(Object.keys(since).length, 16);
  assert.deepEqual(Object.keys(since).slice(0, 2), ['room:main', 'user:u-anna']);
});

test('malformed server messages change nothing', () => {
  const s = joined(welcomed(), { 'room:main': { offset: 1, recovered: false, events: [chat(1)] } });
  for (const bad of [null, 42, {}, { type: 7 }, { type: 'chat' }, { type: 'chat', channel: 'room:main', offset: '2' },
    { type: 'chat', channel: 'room:main', offset: 0 }, { type: 'ack' }, { type: 'presence', action: 'join' },
    { type: 'presence', action: 'wave', member: ilze }, { type: 'history', channel: 'room:nope', events: [] }, { type: 'future' }]) {
    assert.equal(S.applyServer(s, bad, NOW), s, JSON.stringify(bad));
  }
});

test('a different identity in the same tab drops what the previous one saw', () => {
  let s = joined(welcomed(), { 'room:main': { offset: 1, recovered: false, events: [chat(1)] } });
  s = S.applyServer(s, { type: 'welcome', v: 1, session: 's42', me: jonas, server_time: NOW }, NOW);
  assert.deepEqual(s.channels, {});
  assert.deepEqual(S.sinceOf(s), {});
});

test('the header says what is being recovered, then that it was, and why a failed join ended', () => {
  let s = S.initialState('s42');
  s = S.setConnection(s, 'connecting', 0, 1000);
  assert.equal(S.connectionLabel(s, 1000).key, 'conn.connecting');
  s = S.setConnection(s, 'online', 0, 1100);
  assert.equal(S.connectionLabel(s, 1100).key, 'conn.online', 'a first connection is not a recovery');
  s = S.setConnection(s, 'reconnecting', 5000, 2000);
  assert.deepEqual(S.connectionLabel(s, 2000), { key: 'conn.recovering', values: {} });
  s = S.addPending(s, { id: 'm1', kind: 'chat', text: 'hi' }, 2100);
  assert.deepEqual(S.connectionLabel(s, 2100), { key: 'conn.recoveringUnsent', values: { count: 1 } });
  s = S.setConnection(s, 'online', 0, 6000);
  assert.equal(S.connectionLabel(s, 6000).key, 'conn.recovered');
  assert.equal(S.connectionLabel(s, 6000 + S.RECOVERED_SHOW_MS).key, 'conn.online');
  const failed = (fatal) => S.connectionLabel({ ...S.setConnection(s, 'failed', 0, 7000), fatal }, 7000).key;
  assert.equal(failed('token_expired'), 'conn.expired');
  assert.equal(failed('bad_token'), 'conn.signedOut');
});
