// The pure parts of the web client's audio: frame headers (protocol.md
// section 8), down-mix, resampling and framing, the jitter buffer, the
// Goertzel tone measure, the meter scale and the speaking detector.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  packUp, parseUp, packDown, parseDown, seqDelta, frameTimestamp,
  KIND_MIX, KIND_MIX_MINUS, KIND_FORWARD,
} from '../../web-client/lib/audio-frame.js';
import { downmix, createResampler, createFramer, levels } from '../../web-client/lib/resample.js';
import { JitterBuffer } from '../../web-client/lib/jitter.js';
import { goertzel, dominant, meterValue, createSpeakingDetector } from '../../web-client/lib/tone.js';

const sine = (freq, rate, n, amp = 0.5, phase = 0) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin(phase + (2 * Math.PI * freq * i) / rate));

/* ---------- frame headers ---------- */

test('an uplink frame is 1, 0, seq (BE), timestamp (BE), then the packet', () => {
  const f = packUp(0x1234, 0xdeadbeef, new Uint8Array([0xfc, 0xff, 0xfe]));
  assert.deepEqual([...f], [1, 0, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0xfc, 0xff, 0xfe]);
  const back = parseUp(f.buffer);
  assert.equal(back.seq, 0x1234);
  assert.equal(back.ts, 0xdeadbeef);
  assert.equal(back.flags, 0);
  assert.deepEqual([...back.packet], [0xfc, 0xff, 0xfe]);
});

test('uplink seq and timestamp wrap instead of overflowing', () => {
  const f = packUp(65536 + 7, 2 ** 32 + 960, new Uint8Array([1]));
  const back = parseUp(f);
  assert.equal(back.seq, 7);
  assert.equal(back.ts, 960);
  assert.equal(frameTimestamp(0), 0);
  assert.equal(frameTimestamp(3), 2880);
  assert.equal(frameTimestamp(2 ** 32 / 960 * 2 + 1), 960, 'frame timestamps wrap at 2^32');
});

test('packets must be 1..1275 bytes', () => {
  assert.throws(() => packUp(1, 1, new Uint8Array(0)), RangeError);
  assert.throws(() => packUp(1, 1, new Uint8Array(1276)), RangeError);
  assert.equal(packUp(1, 1, new Uint8Array(1275)).length, 1283);
});

test('a downlink frame is 2, kind, seq, timestamp, stream id, then the packet', () => {
  const bytes = new Uint8Array([2, 1, 0xff, 0xfe, 0, 0, 0x03, 0xc0, 0x80, 0, 0, 0x2a, 0xf8, 0x01]);
  const d = parseDown(bytes.buffer);
  assert.deepEqual({ ...d, packet: [...d.packet] },
    { kind: KIND_MIX_MINUS, seq: 0xfffe, ts: 960, stream: 0x8000002a, packet: [0xf8, 0x01] });
  const again = packDown({ kind: KIND_FORWARD, seq: 9, ts: 1920, stream: 7, packet: [5, 6] });
  assert.deepEqual([...again], [2, 2, 0, 9, 0, 0, 7, 128, 0, 0, 0, 7, 5, 6]);
});

test('a downlink frame that is short, of another type or of an unknown kind is ignored', () => {
  const ok = packDown({ kind: KIND_MIX, seq: 1, ts: 0, stream: 1, packet: [1] });
  assert.ok(parseDown(ok));
  assert.equal(parseDown(ok.subarray(0, 12)), null, 'header only');
  assert.equal(parseDown(new Uint8Array(0)), null);
  const up = ok.slice(); up[0] = 1;
  assert.equal(parseDown(up), null, 'an uplink frame');
  const odd = ok.slice(); odd[1] = 3;
  assert.equal(parseDown(odd), null, 'kind 3');
  assert.equal(parseDown(new Uint8Array(12 + 1276).fill(2)), null, 'oversized packet');
  assert.equal(parseDown('text'), null);
  // A view into a larger buffer is read at its own offset.
  const big = new Uint8Array(100);
  big.set(ok, 50);
  assert.equal(parseDown(big.subarray(50, 50 + ok.length)).stream, 1);
});

test('sequence numbers compare across the wrap', () => {
  assert.equal(seqDelta(5, 3), 2);
  assert.equal(seqDelta(3, 5), -2);
  assert.equal(seqDelta(1, 65535), 2);
  assert.equal(seqDelta(65535, 1), -2);
  assert.equal(seqDelta(7, 7), 0);
});

/* ---------- capture: down-mix, resample, frames ---------- */

test('down-mix averages the channels; one channel passes through', () => {
  const l = Float32Array.from([1, 0.5, -1]);
  const r = Float32Array.from([0, 0.5, 1]);
  assert.deepEqual([...downmix([l, r])], [0.5, 0.5, 0]);
  assert.equal(downmix([l]), l);
  assert.equal(downmix([]).length, 0);
});

test('the resampler turns 44.1 kHz into 48 kHz at the right rate, keeping the tone', () => {
  const rs = createResampler(44100, 48000);
  const input = sine(440, 44100, 44100);
  let total = 0;
  const out = [];
  // Fed in 128-sample render quanta, as a worklet gets them.
  for (let i = 0; i < input.length; i += 128) {
    const part = rs.process(input.subarray(i, i + 128));
    total += part.length;
    out.push(...part);
  }
  assert.ok(Math.abs(total - 48000) <= 2, `one second in gives one second out (${total})`);
  const y = Float32Array.from(out);
  assert.equal(dominant(y.subarray(0, 9600), 48000, [300, 440, 660, 880]).freq, 440);
  // Continuity across calls: the output is a smooth sine, no jumps at quantum edges.
  let maxStep = 0;
  for (let i = 1; i < y.length; i++) maxStep = Math.max(maxStep, Math.abs(y[i] - y[i - 1]));
  const ideal = 0.5 * 2 * Math.PI * 440 / 48000;
  assert.ok(maxStep < ideal * 1.1, `no discontinuity (${maxStep} vs ${ideal})`);
});

test('the resampler also goes down (96 kHz to 48 kHz) and equal rates pass through', () => {
  const rs = createResampler(96000, 48000);
  const y = rs.process(sine(1000, 96000, 9600));
  assert.ok(Math.abs(y.length - 4800) <= 1, String(y.length));
  assert.equal(dominant(y, 48000, [500, 1000, 2000]).freq, 1000);
  const same = createResampler(48000, 48000);
  const x = new Float32Array(5);
  assert.equal(same.process(x), x);
  assert.throws(() => createResampler(0, 48000), RangeError);
});

test('the framer cuts any stream of pieces into whole 960-sample frames, in order', () => {
  const fr = createFramer(960);
  const all = Float32Array.from({ length: 3000 }, (_, i) => i);
  const frames = [];
  for (let i = 0; i < all.length; i += 128) frames.push(...fr.push(all.subarray(i, i + 128)));
  assert.equal(frames.length, 3);
  assert.deepEqual([frames[0][0], frames[0][959], frames[1][0], frames[2][959]], [0, 959, 960, 2879]);
  assert.deepEqual(fr.push(new Float32Array(0)), []);
  assert.equal(fr.push(new Float32Array(1800)).length, 2, 'the 120 left over count towards the next frame');
});

test('levels: RMS and peak', () => {
  const { rms, peak } = levels(sine(1000, 48000, 4800, 0.5));
  assert.ok(Math.abs(rms - 0.5 / Math.SQRT2) < 1e-3);
  assert.ok(Math.abs(peak - 0.5) < 1e-3);
  assert.deepEqual(levels(new Float32Array(0)), { rms: 0, peak: 0 });
});

/* ---------- jitter buffer ---------- */

const FRAME = 960;
const frameOf = (v) => new Float32Array(FRAME).fill(v);

/* Plays a schedule of arrivals through a buffer read in 128-sample quanta; returns what came out per frame slot. */
function simulate(jb, arrivals, untilMs) {
  const out = new Float32Array(128);
  const played = [];
  let next = 0;
  const quantumMs = 128 / 48;
  for (let t = 0; t < untilMs; t += quantumMs) {
    while (next < arrivals.length && arrivals[next].at <= t) {
      const a = arrivals[next++];
      jb.push(frameOf(a.seq + 1), a.seq, a.at);
    }
    const got = jb.read(out, 128, t);
    played.push(got === 0 ? 0 : out[0]);
  }
  return played;
}

test('steady arrivals: it waits for the minimum delay, then plays every frame once, in order, without gaps', () => {
  const jb = new JitterBuffer({ minMs: 40 });
  const arrivals = Array.from({ length: 100 }, (_, i) => ({ seq: i, at: i * 20 }));
  const played = simulate(jb, arrivals, 2000);
  // It starts once 40 ms are held: when the second 20 ms frame arrives.
  const startMs = played.findIndex((v) => v !== 0) * 128 / 48;
  assert.ok(startMs >= 20 && startMs < 25, `starts with 40 ms held (${startMs} ms)`);
  const values = played.filter((v, i) => v !== 0 && v !== played[i - 1]);
  assert.deepEqual(values.slice(0, 10), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'in order, no repeats');
  assert.equal(jb.stats.underruns, 0);
  assert.equal(jb.stats.dropped, 0);
  assert.ok(jb.targetMs(2000) <= 40 + 1e-9, `target stays at the minimum (${jb.targetMs(2000)})`);
});

test('bursty arrivals raise the target; after an underrun it waits longer before playing again', () => {
  const jb = new JitterBuffer({ minMs: 40, maxMs: 400 });
  // Frames arrive in bursts of 5 every 100 ms (a stalling connection).
  const arrivals = [];
  for (let i = 0; i < 100; i++) arrivals.push({ seq: i, at: Math.floor(i / 5) * 100 + 100 });
  simulate(jb, arrivals, 2200);
  const target = jb.targetMs(2200);
  assert.ok(target >= 80, `the target grew with the 80 ms spread (${target})`);
  assert.ok(jb.stats.underruns <= 2, `few underruns once adapted (${jb.stats.underruns})`);
});

test('an underrun pauses playback, counts, and raises the target by the boost', () => {
  const jb = new JitterBuffer({ minMs: 40, boostMs: 40 });
  const out = new Float32Array(960);
  jb.push(frameOf(1), 0, 0);
  jb.push(frameOf(2), 1, 20);
  jb.push(frameOf(3), 2, 40);
  assert.equal(jb.read(out, 960, 40), 960, 'plays once 60 ms >= 40 ms target is held');
  assert.equal(out[0], 1);
  assert.equal(jb.read(out, 960, 60), 960);
  assert.equal(jb.read(out, 960, 80), 960);
  const before = jb.targetMs(100);
  assert.equal(jb.read(out, 960, 100), 0, 'nothing left');
  assert.equal(out[5], 0, 'silence is written');
  assert.equal(jb.stats.underruns, 1);
  assert.ok(jb.targetMs(100) >= before + 39, 'boosted');
  jb.push(frameOf(4), 3, 110);
  assert.equal(jb.read(out, 960, 110), 0, 'buffering again, not playing one frame and starving');
  // The boost wears off with time; what is left is the measured spread (frame 4 came 50 ms late) plus half a frame.
  assert.ok(Math.abs(jb.targetMs(100000) - 60) < 1e-9, String(jb.targetMs(100000)));
});

test('a frame whose sequence number was already seen is not played twice', () => {
  const jb = new JitterBuffer();
  assert.equal(jb.push(frameOf(1), 10, 0), 'ok');
  assert.equal(jb.push(frameOf(1), 10, 1), 'late');
  assert.equal(jb.push(frameOf(1), 9, 2), 'late');
  assert.equal(jb.push(frameOf(2), 11, 20), 'ok');
  assert.equal(jb.push(frameOf(3), 60000, 40), 'ok', 'a big step back is a restarted sender');
  assert.equal(jb.stats.late, 2);
  assert.equal(jb.queuedMs(), 60);
});

test('too much audio queued after a stall is trimmed back towards the target', () => {
  const jb = new JitterBuffer({ minMs: 40, maxMs: 400 });
  const out = new Float32Array(960);
  let seq = 0;
  let t = 0;
  for (; seq < 5; seq++, t += 20) jb.push(frameOf(seq + 1), seq, t);
  jb.read(out, 960, t);
  // A one-second stall, then everything at once.
  t += 1000;
  for (let i = 0; i < 50; i++, seq++) jb.push(frameOf(seq + 1), seq, t);
  assert.ok(jb.queuedMs() <= 400 + 40, `the hard cap holds (${jb.queuedMs()} ms)`);
  assert.ok(jb.stats.dropped > 0);
  // Steady again: it works its way down close to the target.
  for (let i = 0; i < 200; i++, seq++) {
    t += 20;
    jb.push(frameOf(seq + 1), seq, t);
    jb.read(out, 960, t);
  }
  assert.ok(jb.queuedMs() <= jb.targetMs(t) + 80, `queued ${jb.queuedMs()} vs target ${jb.targetMs(t)}`);
});

test('a pause of the sender does not count as jitter', () => {
  const jb = new JitterBuffer({ minMs: 40 });
  const out = new Float32Array(960);
  let t = 0;
  for (let s = 0; s < 50; s++, t += 20) { jb.push(frameOf(1), s, t); jb.read(out, 960, t); }
  t += 5000; // muted for five seconds, sequence numbers continue
  for (let s = 50; s < 60; s++, t += 20) { jb.push(frameOf(1), s, t); jb.read(out, 960, t); }
  assert.ok(jb.targetMs(t) < 100, `target ${jb.targetMs(t)}`);
});

test('a stream is idle when it is empty and nothing came for a while', () => {
  const jb = new JitterBuffer();
  const out = new Float32Array(960 * 4);
  jb.push(frameOf(1), 1, 0);
  assert.equal(jb.idle(100), false);
  jb.push(frameOf(1), 2, 20);
  jb.push(frameOf(1), 3, 40);
  jb.read(out, 960 * 3, 50);
  assert.equal(jb.idle(3000), true);
});

/* ---------- tones, meter, speaking ---------- */

test('Goertzel finds the tone and not its neighbours', () => {
  const x = sine(660, 48000, 4800, 0.4);
  const r = dominant(x, 48000, [440, 660, 880]);
  assert.equal(r.freq, 660);
  assert.ok(r.powers[660] > 100 * r.powers[440]);
  assert.ok(Math.abs(goertzel(sine(1000, 48000, 4800, 1), 1000, 48000) - 0.25) < 0.01);
  assert.equal(goertzel(new Float32Array(0), 440, 48000), 0);
});

test('the meter maps -60..0 dBFS onto 0..1', () => {
  assert.equal(meterValue(0), 0);
  assert.equal(meterValue(1), 1);
  assert.ok(Math.abs(meterValue(0.001) - 0) < 1e-9);
  assert.ok(Math.abs(meterValue(Math.pow(10, -30 / 20)) - 0.5) < 1e-9);
  assert.equal(meterValue(2), 1);
});

test('speaking turns on above the threshold and off only after the hold time', () => {
  const d = createSpeakingDetector({ onDb: -40, offDb: -46, holdMs: 300 });
  const loud = 0.1; // -20 dBFS
  const soft = Math.pow(10, -44 / 20);
  const quiet = 0.0001;
  assert.equal(d.update(quiet, 0), false);
  assert.equal(d.update(soft, 20), false, 'between the thresholds does not start');
  assert.equal(d.update(loud, 40), true);
  assert.equal(d.update(soft, 60), true, 'between the thresholds keeps going');
  assert.equal(d.update(quiet, 200), true, 'within the hold time');
  assert.equal(d.update(quiet, 361), false, 'off after 300 ms below');
});
