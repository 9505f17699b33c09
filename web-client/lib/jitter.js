// A small adaptive jitter buffer for one incoming audio stream, on decoded
// 48 kHz samples. Pure (the time comes in as an argument), used by the
// player worklet (worklets/player.js) and tested with node --test.
//
// Frames come over a WebSocket, so they are never reordered, but they arrive
// in bursts (TCP stalls, a busy main thread) and the server may drop some
// when this client reads too slowly. The buffer:
// - measures how late frames arrive against a steady 20 ms clock over the
//   last two seconds (the spread), plus the RFC 3550 interarrival jitter;
// - waits until it holds the target delay before playing (start, and after
//   every underrun, when it also raises the target for a while);
// - drops a frame when it holds too much, so the delay comes back down.

import { seqDelta } from './audio-frame.js';

const WINDOW = 100; // frames of arrival history (2 s)

export class JitterBuffer {
  /**
   * opts: rate (48000), frameSamples (960), minMs (40), maxMs (400),
   * boostMs (added after an underrun, 40), boostDecayMs (per second, 20).
   */
  constructor(opts = {}) {
    this.rate = opts.rate || 48000;
    this.frameSamples = opts.frameSamples || 960;
    this.frameMs = (this.frameSamples * 1000) / this.rate;
    this.minMs = opts.minMs ?? 40;
    this.maxMs = opts.maxMs ?? 400;
    this.boostStep = opts.boostMs ?? 40;
    this.boostDecay = opts.boostDecayMs ?? 20;
    this.queue = []; // {samples, pos}
    this.queued = 0; // samples not yet played
    this.playing = false;
    this.lastSeq = null;
    this.transits = []; // arrival - send clock, ms, last WINDOW frames
    this.sendClock = 0; // ms of audio the sender has produced, by sequence number
    this.lastArrival = null;
    this.jitter = 0; // RFC 3550 estimate, ms
    this.boost = 0;
    this.boostAt = 0;
    this.lastDropAt = -Infinity;
    this.lastPushAt = -Infinity;
    this.stats = { pushed: 0, played: 0, underruns: 0, dropped: 0, late: 0 };
  }

  /** The delay the buffer aims to hold now, in ms. */
  targetMs(nowMs) {
    this.decayBoost(nowMs);
    let spread = 0;
    if (this.transits.length > 1) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const t of this.transits) {
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
      spread = hi - lo;
    }
    const want = Math.max(spread, 3 * this.jitter) + this.frameMs / 2;
    return Math.min(this.maxMs, Math.max(this.minMs, want) + this.boost);
  }

  /** Milliseconds of audio waiting to be played. */
  queuedMs() {
    return (this.queued * 1000) / this.rate;
  }

  /**
   * Adds one decoded frame with its sequence number (null when unknown),
   * arrived at nowMs. Returns 'ok', or 'late' for a sequence number that is
   * not newer than the last one (a duplicate): that frame is not queued.
   */
  push(samples, seq, nowMs) {
    if (seq !== null && seq !== undefined && this.lastSeq !== null) {
      const d = seqDelta(seq, this.lastSeq);
      // A big step back is a new sender (a restarted stream), not a late frame.
      if (d <= 0 && d > -1000) {
        this.stats.late += 1;
        return 'late';
      }
      this.sendClock += (d > 0 && d < 50 ? d : 1) * this.frameMs;
    } else if (this.lastArrival !== null) {
      this.sendClock += this.frameMs;
    }
    if (seq !== null && seq !== undefined) this.lastSeq = seq;
    this.observe(nowMs);
    this.queue.push({ samples, pos: 0 });
    this.queued += samples.length;
    this.stats.pushed += 1;
    this.lastPushAt = nowMs;
    this.trim(nowMs);
    return 'ok';
  }

  observe(nowMs) {
    // After a pause (the speaker muted, a new talk spurt) the old arrival times say nothing.
    if (this.lastArrival !== null && nowMs - this.lastArrival > 500) this.transits = [];
    const transit = nowMs - this.sendClock;
    if (this.transits.length) {
      const prev = this.transits[this.transits.length - 1];
      const d = Math.abs(transit - prev);
      this.jitter += (d - this.jitter) / 16;
    }
    this.transits.push(transit);
    if (this.transits.length > WINDOW) this.transits.shift();
    this.lastArrival = nowMs;
  }

  /* Holding much more than the target: drop the oldest frame (at most every 100 ms). */
  trim(nowMs) {
    const target = this.targetMs(nowMs);
    const hard = this.queuedMs() > this.maxMs + 2 * this.frameMs;
    if (!hard && (!this.playing || this.queuedMs() <= target + 3 * this.frameMs || nowMs - this.lastDropAt < 100)) return;
    while (this.queue.length > 1 && this.queuedMs() > target + this.frameMs) {
      const f = this.queue.shift();
      this.queued -= f.samples.length - f.pos;
      this.stats.dropped += 1;
      if (!hard) break;
    }
    this.lastDropAt = nowMs;
  }

  decayBoost(nowMs) {
    if (this.boost > 0 && nowMs > this.boostAt) {
      this.boost = Math.max(0, this.boost - ((nowMs - this.boostAt) / 1000) * this.boostDecay);
    }
    this.boostAt = nowMs;
  }

  /**
   * Writes the next n samples into out (from index 0) and returns how many
   * were real audio; the rest of out[0..n) is set to zero. Silent while
   * buffering towards the target.
   */
  read(out, n, nowMs) {
    if (!this.playing) {
      if (this.queued > 0 && this.queuedMs() >= this.targetMs(nowMs)) this.playing = true;
      else {
        out.fill(0, 0, n);
        return 0;
      }
    }
    let w = 0;
    while (w < n && this.queue.length) {
      const f = this.queue[0];
      const take = Math.min(n - w, f.samples.length - f.pos);
      out.set(f.samples.subarray(f.pos, f.pos + take), w);
      f.pos += take;
      w += take;
      this.queued -= take;
      if (f.pos === f.samples.length) {
        this.queue.shift();
        this.stats.played += 1;
      }
    }
    if (w < n) {
      out.fill(0, w, n);
      // Ran dry: wait for the (now larger) target again.
      this.playing = false;
      this.stats.underruns += 1;
      this.decayBoost(nowMs);
      this.boost = Math.min(this.maxMs, this.boost + this.boostStep);
    }
    return w;
  }

  /** Whether nothing came for idleMs and nothing is left to play (the stream can be forgotten). */
  idle(nowMs, idleMs = 2000) {
    return this.queued === 0 && nowMs - this.lastPushAt > idleMs;
  }
}
