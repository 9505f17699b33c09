// The audio slice of the client state: the server's `audio` event, who is
// speaking, the recording indicator and its notices in the room log, audio
// errors kept out of the banner, and what "heard" means.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../../web-client/lib/state.js';
import { setAudioLocal, speakingIn, heard } from '../../web-client/lib/audio-state.js';

const NOW = 1764410000000;
const anna = { id: 'u-anna', name: 'Anna Bērziņa', role: 'entrepreneur', room: 'main', online: true };
const ilze = { id: 'u-ilze', name: 'Ilze Kalniņa', role: 'coordinator', room: 'main', online: true };

function ready(extra = {}) {
  let s = S.applyServer(S.initialState('s42'), { type: 'welcome', v: 1, me: anna, server_time: NOW }, NOW);
  s = S.applyServer(s, { type: 'joined', room: 'main', epoch: 'e1', members: [anna, ilze],
    channels: { 'room:main': { offset: 4, recovered: false, events: [] } }, ...extra }, NOW);
  return s;
}

test('the audio event becomes the server view of my audio', () => {
  let s = ready();
  assert.equal(s.audio.server, null);
  s = S.applyServer(s, { type: 'audio', ref: 'audio', enabled: true, room: 'main', stream: 7, muted: false, may_speak: false, broadcast: false }, NOW);
  assert.deepEqual(s.audio.server, { enabled: true, room: 'main', stream: 7, muted: false, maySpeak: false, broadcast: false, listen: null, reason: null });
  s = S.applyServer(s, { type: 'audio', enabled: false, reason: 'elsewhere' }, NOW);
  assert.equal(s.audio.server.enabled, false);
  assert.equal(s.audio.server.reason, 'elsewhere');
});

test('speakers are kept per room, loudest first, and an empty list clears them', () => {
  let s = ready();
  s = S.applyServer(s, { type: 'speakers', room: 'main', speakers: [{ id: 'u-ilze', stream: 3, level_db: -18.5 }, { id: 'u-anna', stream: 7 }, { bogus: 1 }] }, NOW);
  assert.deepEqual(speakingIn(s.audio, 'main'), ['u-ilze', 'u-anna']);
  assert.equal(s.audio.speakers.main.list[0].levelDb, -18.5);
  assert.equal(s.audio.speakers.main.list[1].levelDb, null);
  assert.deepEqual(speakingIn(s.audio, 'b1'), []);
  s = S.applyServer(s, { type: 'speakers', room: 'main', speakers: [] }, NOW);
  assert.deepEqual(speakingIn(s.audio, 'main'), []);
  const same = S.applyServer(s, { type: 'speakers', room: 'main' }, NOW);
  assert.equal(same.audio, s.audio, 'a malformed event changes nothing');
});

test('recording: joined tells a late arrival, kept events start and stop it and show in the room log once', () => {
  let s = ready({ recording: { room: 'main', id: 'rec-1', since: NOW - 60000 } });
  assert.deepEqual(s.audio.recording, { room: 'main', id: 'rec-1', since: NOW - 60000, by: null });
  s = S.applyServer(s, { type: 'recording', channel: 'room:main', offset: 5, room: 'main', state: 'stopped', id: 'rec-1',
    by: { id: 'u-ilze', name: 'Ilze Kalniņa', role: 'coordinator' }, ts: NOW, duration_ms: 60000 }, NOW);
  assert.equal(s.audio.recording, null);
  const started = { type: 'recording', channel: 'room:main', offset: 6, room: 'main', state: 'started', id: 'rec-2',
    by: { id: 'u-ilze', name: 'Ilze Kalniņa', role: 'coordinator' }, ts: NOW + 1 };
  s = S.applyServer(s, started, NOW);
  assert.equal(s.audio.recording.id, 'rec-2');
  assert.equal(s.audio.recording.by.name, 'Ilze Kalniņa');
  s = S.applyServer(s, started, NOW); // a duplicate delivery
  const view = S.conversationView(s, S.ROOM_CONV);
  assert.deepEqual(view.items.map((i) => [i.system, i.event.state]), [['recording', 'stopped'], ['recording', 'started']]);
  assert.equal(s.channels['room:main'].offset, 6, 'kept events count on their channel');
  assert.equal(S.conversations(s)[0].unread, 0, 'notices are not unread messages');
  assert.equal(s.announce, null, 'nor announced as messages');
  // Another room's recording stopping does not clear ours.
  s = S.applyServer(s, { type: 'recording', channel: 'room:b1', offset: 1, room: 'b1', state: 'stopped', id: 'x', ts: NOW }, NOW);
  assert.equal(s.audio.recording.id, 'rec-2');
});

test('audio errors go to the audio bar, not the banner', () => {
  let s = ready();
  s = S.applyServer(s, { type: 'error', code: 'not_speaker', message: 'm' }, NOW);
  assert.deepEqual(s.errors, []);
  assert.deepEqual(s.audio.lastError, { code: 'not_speaker', at: NOW });
  s = S.applyServer(s, { type: 'error', code: 'forbidden' }, NOW);
  assert.equal(s.errors.length, 1);
});

test('heard: audio on, microphone on, not muted, key held in push-to-talk, and the server lets me speak', () => {
  let s = ready();
  const on = { phase: 'on', mic: 'on' };
  let a = setAudioLocal(s.audio, on);
  assert.equal(heard(a), true, 'before the server answers, the local switch decides');
  s = S.applyServer({ ...s, audio: a }, { type: 'audio', enabled: true, room: 'main', stream: 7, muted: false, may_speak: true }, NOW);
  assert.equal(heard(s.audio), true);
  assert.equal(heard(setAudioLocal(s.audio, { muted: true })), false);
  assert.equal(heard(setAudioLocal(s.audio, { ptt: true, talking: false })), false);
  assert.equal(heard(setAudioLocal(s.audio, { ptt: true, talking: true })), true);
  assert.equal(heard(setAudioLocal(s.audio, { mic: 'off' })), false, 'listening only');
  const offStage = S.applyServer(s, { type: 'audio', enabled: true, room: 'main', stream: 7, muted: false, may_speak: false }, NOW);
  assert.equal(heard(offStage.audio), false);
});

test('clock samples from the connection set the offset', () => {
  let s = ready();
  s = S.clockSample(s, 1000, 1100, 5050);
  assert.equal(s.clock.offset, 4000);
  assert.equal(S.clockSample(s, 10, 5, 0), s, 'an unusable sample changes nothing');
});
