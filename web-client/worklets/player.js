// The playback worklet ('kopa-player'): one jitter buffer per incoming
// stream (lib/jitter.js), mixed into one mono output. The audio engine posts
// decoded 48 kHz frames; this worklet posts back, a few times a second, each
// stream's level and buffer state (for speaking indicators and diagnostics).
import { JitterBuffer } from '../lib/jitter.js';

const STATS_EVERY = 0.25; // seconds

class PlayerProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.streams = new Map(); // key -> {jb, sum, n}
    this.tmp = new Float32Array(128);
    this.nextStats = 0;
    this.running = true;
    this.port.onmessage = (ev) => this.receive(ev.data);
  }

  nowMs() {
    return (currentFrame / sampleRate) * 1000;
  }

  receive(m) {
    if (!m) return;
    if (m.type === 'frame') {
      let s = this.streams.get(m.stream);
      if (!s) {
        s = { jb: new JitterBuffer({ rate: sampleRate, frameSamples: m.samples.length }), sum: 0, n: 0 };
        this.streams.set(m.stream, s);
      }
      s.jb.push(m.samples, m.seq, this.nowMs());
    } else if (m.type === 'stop') {
      this.running = false;
    }
  }

  process(inputs, outputs) {
    const out = outputs[0][0];
    const now = this.nowMs();
    out.fill(0);
    for (const [key, s] of this.streams) {
      const got = s.jb.read(this.tmp, out.length, now);
      for (let i = 0; i < got; i++) {
        const v = this.tmp[i];
        out[i] += v;
        s.sum += v * v;
      }
      s.n += out.length;
      if (s.jb.idle(now)) this.streams.delete(key);
    }
    // Several voices at once: a soft limit instead of hard clipping.
    for (let i = 0; i < out.length; i++) {
      const v = out[i];
      if (v > 0.9 || v < -0.9) out[i] = Math.tanh(v);
    }
    for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    if (currentTime >= this.nextStats) {
      this.nextStats = currentTime + STATS_EVERY;
      this.postStats(now);
    }
    return this.running;
  }

  postStats(now) {
    const streams = [];
    for (const [key, s] of this.streams) {
      streams.push({
        stream: key,
        rms: s.n ? Math.sqrt(s.sum / s.n) : 0,
        queuedMs: s.jb.queuedMs(),
        targetMs: s.jb.targetMs(now),
        playing: s.jb.playing,
        ...s.jb.stats,
      });
      s.sum = 0;
      s.n = 0;
    }
    this.port.postMessage({ type: 'stats', streams });
  }
}

registerProcessor('kopa-player', PlayerProcessor);
