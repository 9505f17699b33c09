// The microphone test's verdict from a series of frame levels ("we hear
// you" / "no sound yet"), and the audio state's view of a running test.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createMicCheck, micCheckVerdict } from '../../web-client/lib/mic-check.js';
import { initialAudio, setAudioLocal, testing, heard } from '../../web-client/lib/audio-state.js';

const FRAME_MS = 20;
const dbToRms = (db) => 10 ** (db / 20);
/* Frames of `ms` at level `db` (-Infinity: digital silence), starting at `from` ms. */
function frames(db, ms, from = 0) {
  const out = [];
  for (let t = 0; t < ms; t += FRAME_MS) out.push([db === -Infinity ? 0 : dbToRms(db), from + t]);
  return out;
}
/* Syllables: `on` ms of sound at db, `off` ms of quiet at -70 dB, repeated for `ms`. */
function syllables(db, ms, { on = 350, off = 150, from = 0 } = {}) {
  const out = [];
  for (let t = 0; t < ms; t += FRAME_MS) out.push([dbToRms((t % (on + off)) < on ? db : -70), from + t]);
  return out;
}

test('waiting at first, then heard once sound lasts a moment', () => {
  const check = createMicCheck();
  assert.equal(check.verdict, 'waiting');
  assert.equal(check.update(0, 0), 'waiting');
  let v;
  for (const [rms, at] of frames(-20, 260, 20)) v = check.update(rms, at);
  assert.equal(v, 'waiting', 'a quarter of a second is not yet enough');
  for (const [rms, at] of frames(-20, 100, 280)) v = check.update(rms, at);
  assert.equal(v, 'heard');
  assert.equal(check.verdict, 'heard');
});

test('a click or a single loud frame is not "heard"', () => {
  const series = [...frames(-80, 1000), ...frames(-10, 40, 1000), ...frames(-80, 1000, 1040)];
  assert.equal(micCheckVerdict(series), 'waiting');
  // Two short bursts far apart do not add up.
  const bursts = [...frames(-10, 200), ...frames(-80, 500, 200), ...frames(-10, 200, 700), ...frames(-80, 500, 900)];
  assert.equal(micCheckVerdict(bursts), 'waiting');
});

test('speech with short pauses between syllables counts as sound', () => {
  assert.equal(micCheckVerdict(syllables(-25, 1000, { on: 200, off: 120 })), 'heard');
  // The browser tests' fake microphone: 350 ms tone, 150 ms pause.
  assert.equal(micCheckVerdict(syllables(-11, 800)), 'heard');
});

test('nothing but quiet: "no sound" after a few seconds, not before', () => {
  assert.equal(micCheckVerdict(frames(-70, 2900)), 'waiting');
  assert.equal(micCheckVerdict(frames(-70, 3100)), 'silent');
  assert.equal(micCheckVerdict(frames(-Infinity, 5000)), 'silent', 'a muted microphone sends digital silence');
  // Room noise just under the threshold is not a voice.
  assert.equal(micCheckVerdict(frames(-47, 4000)), 'silent');
  assert.equal(micCheckVerdict(frames(-44, 4000)), 'heard');
});

test('heard, then silent when the sound stops for a few seconds, then heard again', () => {
  const check = createMicCheck();
  const run = (series) => { let v; for (const [rms, at] of series) v = check.update(rms, at); return v; };
  assert.equal(run(frames(-20, 1000)), 'heard');
  assert.equal(run(frames(-70, 2900, 1000)), 'heard', 'a pause in speech keeps the verdict');
  assert.equal(run(frames(-70, 300, 3900)), 'silent');
  assert.equal(run(frames(-20, 200, 4200)), 'silent', 'a moment is needed again');
  assert.equal(run(frames(-20, 200, 4400)), 'heard');
});

test('reset starts over (a new test or another microphone)', () => {
  const check = createMicCheck();
  for (const [rms, at] of frames(-20, 1000)) check.update(rms, at);
  assert.equal(check.verdict, 'heard');
  check.reset();
  assert.equal(check.verdict, 'waiting');
  // The clock starts again at the first frame after the reset.
  assert.equal(check.update(0, 50000), 'waiting');
  assert.equal(check.update(0, 52000), 'waiting');
  assert.equal(check.update(0, 53000), 'silent');
});

test('the thresholds are options', () => {
  const series = frames(-50, 1000);
  assert.equal(micCheckVerdict(series), 'waiting');
  assert.equal(micCheckVerdict(series, { onDb: -55 }), 'heard');
  assert.equal(micCheckVerdict(frames(-70, 1200), { quietMs: 1000 }), 'silent');
  assert.equal(micCheckVerdict(frames(-20, 500), { needMs: 600 }), 'waiting');
});

test('the audio state: a test is neither "on" nor heard by the room', () => {
  let a = initialAudio();
  assert.equal(a.local.check, 'off');
  assert.equal(a.local.checkVerdict, 'waiting');
  assert.equal(testing(a), false);
  a = setAudioLocal(a, { check: 'asking', mic: 'asking' });
  assert.equal(testing(a), true);
  a = setAudioLocal(a, { check: 'on', mic: 'on', checkVerdict: 'heard' });
  assert.equal(testing(a), true);
  assert.equal(heard(a), false, 'the room does not hear a microphone test');
  a = setAudioLocal(a, { phase: 'on', check: 'off' });
  assert.equal(testing(a), false);
  assert.equal(heard(a), true);
});
