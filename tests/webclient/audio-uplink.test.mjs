// The audio engine's uplink (web-client/lib/audio-engine.js) in a stand-in
// browser: the capture worklet's frames go through the voice gate, so a
// silent microphone encodes and sends nothing, a voice goes out with its
// pre-roll, each packet's seq and timestamp are the capture number of the
// frame it was made of (even when the encoder numbers its output its own
// way, as Chromium's does), a pause moves seq on by its length and starts a
// fresh encoder, and the microphone test sends nothing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createAudioEngine } from '../../web-client/lib/audio-engine.js';
import { parseUp } from '../../web-client/lib/audio-frame.js';

const VOICE = 0.1; // -20 dBFS
const QUIET = 0.0005; // about -66 dBFS

/* A window with just enough of the Web Audio, media and WebCodecs surface for the engine. */
function fakeWindow() {
  const w = { clock: 0, nodes: {}, encoders: [], encoded: [] };
  const track = { readyState: 'live', stop() { this.readyState = 'ended'; }, getSettings: () => ({ deviceId: 'mic1' }), addEventListener() {} };
  class Node {
    constructor(ctx, name) {
      this.port = { postMessage() {}, onmessage: null };
      w.nodes[name] = this;
    }
    connect() {}
    disconnect() {}
  }
  class Encoder {
    constructor({ output }) {
      this.output = output;
      this.state = 'unconfigured';
      this.encodeQueueSize = 0;
      this.made = 0;
      w.encoders.push(this);
    }
    configure() { this.state = 'configured'; }
    encode(data) {
      w.encoded.push(data.init.timestamp);
      // Like Chromium: output timestamps count packets from the first input, whatever the inputs said.
      const ts = this.made++ * 20000;
      queueMicrotask(() => {
        if (this.state === 'closed') return;
        this.output({ byteLength: 3, timestamp: ts, copyTo: (b) => b.set([0xfc, 0xff, 0xfe]) });
      });
    }
    close() { this.state = 'closed'; }
  }
  Object.assign(w, {
    isSecureContext: true,
    performance: { now: () => w.clock },
    AudioEncoder: Encoder,
    AudioDecoder: class { configure() {} close() {} },
    AudioData: class { constructor(init) { this.init = init; } close() {} },
    AudioWorkletNode: Node,
    AudioContext: class {
      constructor() { this.sampleRate = 48000; this.state = 'running'; this.destination = {}; this.audioWorklet = { addModule: async () => {} }; }
      createMediaStreamSource() { return { connect() {}, disconnect() {} }; }
      async resume() {}
      async close() {}
    },
    navigator: { mediaDevices: {
      getUserMedia: async () => ({ getTracks: () => [track], getAudioTracks: () => [track] }),
      enumerateDevices: async () => [],
    } },
  });
  return w;
}

async function engineInCall() {
  const win = fakeWindow();
  const sent = [];
  const json = [];
  const engine = createAudioEngine({ win, send: (m) => { json.push(m); return true; }, sendBinary: (b) => { sent.push(parseUp(b)); return true; }, onState: () => {} });
  await engine.start();
  assert.deepEqual(json.map((m) => m.op), ['enable']);
  engine.serverAudio({ enabled: true, room: 'main', muted: false, may_speak: true });
  let n = 0;
  /* Captures frames at the given levels, 20 ms apart; returns the seqs sent meanwhile. */
  async function capture(levels) {
    const from = sent.length;
    for (const rms of levels) {
      n += 1;
      win.clock = n * 20;
      win.nodes['kopa-capture'].port.onmessage({ data: { type: 'frame', n, frame: new Float32Array(960), rms, peak: rms } });
      await Promise.resolve(); // the encoder's output
    }
    await new Promise((r) => setTimeout(r, 0));
    return sent.slice(from).map((p) => p.seq);
  }
  return { win, engine, sent, capture };
}

const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('a silent microphone encodes and sends nothing', async () => {
  const { win, engine, capture } = await engineInCall();
  assert.deepEqual(await capture(new Array(200).fill(QUIET)), []);
  assert.deepEqual(await capture(new Array(50).fill(0)), []);
  assert.equal(win.encoded.length, 0, 'not even encoded');
  const d = engine.debug();
  assert.equal(d.counters.captured, 250);
  assert.equal(d.counters.gated, 250);
  assert.equal(d.counters.sent, 0);
});

test('a voice goes out with its pre-roll; seq and timestamp are the capture numbers', async () => {
  const { sent, capture } = await engineInCall();
  assert.deepEqual(await capture(new Array(10).fill(QUIET)), []);
  assert.deepEqual(await capture(new Array(5).fill(VOICE)), range(9, 15), 'frames 9 and 10 lead in');
  for (const p of sent) assert.equal(p.ts, p.seq * 960);
  assert.deepEqual([...sent[0].packet], [0xfc, 0xff, 0xfe]);
});

test('a pause moves seq on by its length, and a long one starts a fresh encoder', async () => {
  const { win, sent, capture } = await engineInCall();
  await capture(new Array(10).fill(VOICE)); // frames 1..10
  // 1 s of quiet: 20 frames of hang-over still go out, then nothing.
  const pause = await capture(new Array(50).fill(QUIET)); // frames 11..60
  assert.deepEqual(pause, range(11, 30));
  assert.equal(win.encoders.length, 1);
  const again = await capture(new Array(3).fill(VOICE)); // frames 61..63
  assert.deepEqual(again, range(59, 63), 'seq jumps over the pause; the pre-roll leads in');
  assert.equal(win.encoders.length, 2, 'after a pause the server has ended the stream, so a new encoder starts');
  assert.equal(win.encoders[0].state, 'closed');
  for (const p of sent) assert.equal(p.ts, (p.seq * 960) >>> 0);
});

test('muted: nothing encoded or sent; unmuted: the gate opens on the next voice, not on frames from before', async () => {
  const { win, engine, capture } = await engineInCall();
  engine.setMuted(true);
  assert.deepEqual(await capture(new Array(20).fill(VOICE)), []);
  assert.equal(win.encoded.length, 0);
  engine.setMuted(false);
  assert.deepEqual(await capture([QUIET, VOICE, VOICE]), [21, 22, 23], 'only the one quiet frame since the unmute leads in');
});

test('the microphone test sends nothing, loud or quiet', async () => {
  const win = fakeWindow();
  const sent = [];
  const engine = createAudioEngine({ win, send: () => { throw new Error('nothing for the server'); }, sendBinary: (b) => sent.push(b), onState: () => {} });
  await engine.startTest();
  for (let n = 1; n <= 100; n++) {
    win.clock = n * 20;
    win.nodes['kopa-capture'].port.onmessage({ data: { type: 'frame', n, frame: new Float32Array(960), rms: n % 2 ? VOICE : QUIET } });
  }
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(sent.length, 0);
  assert.equal(win.encoded.length, 0);
  assert.ok(engine.level() > 0, 'the meter moves');
  engine.stopTest();
});
