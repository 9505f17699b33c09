// Microphone samples to the wire format: down-mix to mono, resample to 48 kHz
// and cut into 20 ms frames. Pure and streaming (state is kept between calls),
// imported by the capture worklet (worklets/capture.js) and the unit tests.
// The AudioContext normally runs at 48 kHz already; the resampler is for
// browsers that refuse that rate and give the device's own (44.1 kHz, say).

/** The average of the channels (Float32Arrays of equal length); a new array, or the only channel itself. */
export function downmix(channels) {
  if (!channels || channels.length === 0) return new Float32Array(0);
  if (channels.length === 1) return channels[0];
  const n = channels[0].length;
  const out = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) out[i] += ch[i];
  const k = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i] *= k;
  return out;
}

/**
 * A streaming linear-interpolation resampler from `from` Hz to `to` Hz.
 * process(input) returns the output samples this input completes (a new
 * Float32Array; the same array back when the rates are equal). Downsampling
 * first averages each output's span of input, so high tones do not fold back.
 */
export function createResampler(from, to) {
  if (!(from > 0) || !(to > 0)) throw new RangeError('sample rates must be positive');
  if (from === to) return { ratio: 1, process: (input) => input };
  const step = from / to; // input samples per output sample
  let pos = 0; // position of the next output sample, in input samples, relative to `prev`
  let prev = 0; // the last input sample of the previous call (index -1)
  const smooth = step > 1 ? Math.floor(step) : 1;
  let tail = new Float32Array(0); // last inputs kept for the averaging window

  function sampleAt(input, i) {
    return i < 0 ? prev : input[i];
  }

  return {
    ratio: to / from,
    process(raw) {
      let input = raw;
      if (smooth > 1) {
        // A moving average over `smooth` inputs (a simple low-pass) before picking.
        const joined = new Float32Array(tail.length + raw.length);
        joined.set(tail);
        joined.set(raw, tail.length);
        input = new Float32Array(raw.length);
        let acc = 0;
        for (let i = 0; i < joined.length; i++) {
          acc += joined[i];
          if (i >= smooth) acc -= joined[i - smooth];
          if (i >= tail.length) input[i - tail.length] = acc / Math.min(smooth, i + 1);
        }
        tail = joined.slice(Math.max(0, joined.length - smooth));
      }
      const n = input.length;
      const out = [];
      // Output samples lie at pos, pos+step, ...; each needs inputs floor(p) and floor(p)+1 (index -1 is prev).
      for (;;) {
        const i = Math.floor(pos);
        if (i + 1 > n - 1) break;
        const f = pos - i;
        const a = sampleAt(input, i);
        const b = input[i + 1];
        out.push(a + (b - a) * f);
        pos += step;
      }
      // Re-base pos so that index n-1 of this input becomes index -1 next time.
      if (n > 0) {
        pos -= n;
        prev = input[n - 1];
      }
      return Float32Array.from(out);
    },
  };
}

/**
 * Cuts a stream of samples into frames of `size` (960 = 20 ms at 48 kHz).
 * push(samples) returns the frames it completed (new Float32Arrays, possibly none).
 */
export function createFramer(size) {
  let cur = new Float32Array(size);
  let fill = 0;
  return {
    push(samples) {
      const done = [];
      let i = 0;
      while (i < samples.length) {
        const take = Math.min(size - fill, samples.length - i);
        cur.set(samples.subarray(i, i + take), fill);
        fill += take;
        i += take;
        if (fill === size) {
          done.push(cur);
          cur = new Float32Array(size);
          fill = 0;
        }
      }
      return done;
    },
  };
}

/** Root-mean-square and peak of a frame. */
export function levels(frame) {
  let sum = 0;
  let peak = 0;
  for (let i = 0; i < frame.length; i++) {
    const v = frame[i];
    sum += v * v;
    const a = v < 0 ? -v : v;
    if (a > peak) peak = a;
  }
  return { rms: frame.length ? Math.sqrt(sum / frame.length) : 0, peak };
}
