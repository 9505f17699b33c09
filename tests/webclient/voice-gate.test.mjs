// The uplink's voice-activity gate (web-client/lib/voice-gate.js): nothing
// goes out while it is closed, it opens on a voice with the frames just
// before it (the pre-roll), holds through the detector's hang-over, closes
// on silence, and never sends a frame twice or out of order.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createVoiceGate, GATE_PRE_ROLL } from '../../web-client/lib/voice-gate.js';
import { createSpeakingDetector } from '../../web-client/lib/tone.js';

const VOICE = 0.1; // -20 dBFS
const QUIET = 0.001; // -60 dBFS
const MS = 20;

/* Feeds frames n = from.. with the given levels (one per 20 ms); returns what the gate let through, per frame. */
function feed(gate, levels, from = 1) {
  return levels.map((rms, i) => {
    const n = from + i;
    return gate.push({ n }, rms, n * MS).map((f) => f.n);
  });
}

test('a closed gate lets nothing through: silence costs nothing', () => {
  const gate = createVoiceGate();
  const out = feed(gate, new Array(500).fill(QUIET));
  assert.equal(out.flat().length, 0);
  assert.equal(gate.open, false);
  const zero = feed(gate, new Array(50).fill(0), 501);
  assert.equal(zero.flat().length, 0, 'digital silence too');
});

test('a voice opens the gate with the pre-roll first, in order, then one frame at a time', () => {
  const gate = createVoiceGate();
  const out = feed(gate, [QUIET, QUIET, QUIET, QUIET, VOICE, VOICE, VOICE]);
  assert.deepEqual(out.slice(0, 4), [[], [], [], []]);
  assert.equal(GATE_PRE_ROLL, 2);
  assert.deepEqual(out[4], [3, 4, 5], 'the two frames before the first loud one go out with it');
  assert.deepEqual(out[5], [6]);
  assert.deepEqual(out[6], [7]);
  assert.equal(gate.open, true);
});

test('the gate holds through the hang-over, so a word end and a short pause are sent', () => {
  const gate = createVoiceGate();
  const levels = [...new Array(10).fill(VOICE), ...new Array(15).fill(QUIET), ...new Array(5).fill(VOICE)];
  const out = feed(gate, levels);
  // 15 quiet frames are 300 ms, inside the 400 ms hang-over: every frame from the first goes out exactly once.
  assert.deepEqual(out.flat(), levels.map((_, i) => i + 1));
  assert.equal(gate.open, true);
});

test('the gate closes after the hang-over of silence and opens again with a fresh pre-roll', () => {
  const gate = createVoiceGate({ detector: createSpeakingDetector({ holdMs: 400 }) });
  const levels = [...new Array(5).fill(VOICE), ...new Array(60).fill(QUIET), VOICE, VOICE];
  const out = feed(gate, levels);
  const sent = out.flat();
  const firstClosed = out.findIndex((o, i) => i >= 5 && o.length === 0);
  // The last loud frame is 5 (100 ms); the hang-over keeps frames up to 400 ms after it.
  assert.equal(firstClosed + 1, 5 + 21, `closes once 400 ms passed (frame ${firstClosed + 1})`);
  assert.ok(out.slice(firstClosed, 65).every((o) => o.length === 0), 'nothing while closed');
  assert.deepEqual(out[65], [64, 65, 66], 'reopens with the two quiet frames before the voice');
  assert.deepEqual(out[66], [67]);
  assert.equal(new Set(sent).size, sent.length, 'no frame twice');
  assert.deepEqual(sent, [...sent].sort((x, y) => x - y), 'in order');
});

test('the pre-roll only holds frames right before the voice', () => {
  const gate = createVoiceGate();
  feed(gate, [QUIET, QUIET], 1); // frames 1 and 2 held
  // Capture paused (say the microphone was switched): frame 3 is missing.
  assert.deepEqual(gate.push({ n: 4 }, QUIET, 80).map((f) => f.n), []);
  assert.deepEqual(gate.push({ n: 5 }, VOICE, 100).map((f) => f.n), [4, 5], 'frame 2 is not next to 5');
  gate.reset();
  assert.equal(gate.open, false);
  assert.deepEqual(gate.push({ n: 6 }, QUIET, 120).map((f) => f.n), [], 'reset closes the gate and its detector');
});

test('reset forgets the held frames, so a frame from before a mute never goes out', () => {
  const gate = createVoiceGate();
  feed(gate, [QUIET, QUIET], 1);
  gate.reset();
  assert.deepEqual(gate.push({ n: 3 }, VOICE, 60).map((f) => f.n), [3]);
});

test('with no pre-roll, the loud frame alone opens the gate', () => {
  const gate = createVoiceGate({ preRoll: 0 });
  const out = feed(gate, [QUIET, QUIET, VOICE]);
  assert.deepEqual(out, [[], [], [3]]);
});
