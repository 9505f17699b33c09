// The microphone worklet ('kopa-capture'): down-mixes the input to mono,
// resamples it to 48 kHz when the context runs at another rate, cuts it into
// 20 ms frames and posts each frame with its level to the audio engine
// (lib/audio-engine.js), which encodes and sends it. Outputs silence.
import { downmix, createResampler, createFramer, levels } from '../lib/resample.js';

const WIRE_RATE = 48000;
const FRAME = 960;

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    // `sampleRate` is the context's rate, a global of the worklet scope.
    this.resampler = createResampler(sampleRate, WIRE_RATE);
    this.framer = createFramer(FRAME);
    this.count = 0;
    this.running = true;
    this.port.onmessage = (ev) => {
      if (ev.data && ev.data.type === 'stop') this.running = false;
    };
    this.port.postMessage({ type: 'format', rate: sampleRate });
  }

  process(inputs) {
    const input = inputs[0];
    if (input && input.length && input[0].length) {
      if (this.count === 0) this.port.postMessage({ type: 'channels', channels: input.length });
      const mono = this.resampler.process(downmix(input));
      for (const frame of this.framer.push(mono)) {
        const { rms, peak } = levels(frame);
        this.count += 1;
        this.port.postMessage({ type: 'frame', n: this.count, frame, rms, peak }, [frame.buffer]);
      }
    }
    return this.running;
  }
}

registerProcessor('kopa-capture', CaptureProcessor);
