// The uplink's voice-activity gate: decides, one captured 20 ms frame at a
// time, which frames are encoded and sent, so that silence costs nothing
// (docs/protocol.md 8.1). It opens when the speaking detector (tone.js)
// hears a voice, sends the last few frames held back while it was closed
// first (the pre-roll, so the first syllable is not cut), and closes only
// after the detector's hang-over, so word ends go out too. Used by
// lib/audio-engine.js, which also shows its state as the speaking mark;
// pure, so it is unit tested.

import { createSpeakingDetector } from './tone.js';

export const GATE_PRE_ROLL = 2; // frames held back while closed: 40 ms

/**
 * Creates a gate. opts: preRoll (frames kept while closed, default 2),
 * detector (an object with update(rms, nowMs) -> bool and reset(); default
 * a new createSpeakingDetector()). push(item, rms, nowMs) takes one
 * captured frame, an object whose `n` is its capture number (consecutive
 * frames have consecutive numbers), and returns the items to encode now, in
 * order: none while the gate is closed, the held items that directly
 * precede `item` and then `item` when it opens, `item` alone while it stays
 * open. `open` says whether the last push left it open; reset() closes it
 * and forgets what it held (after a mute, say).
 */
export function createVoiceGate({ preRoll = GATE_PRE_ROLL, detector = createSpeakingDetector() } = {}) {
  let held = [];
  let open = false;
  return {
    push(item, rms, nowMs) {
      const voice = detector.update(rms, nowMs);
      if (voice) {
        // Only frames right before this one: an older frame would jump back in time.
        const out = open ? [] : held.filter((h, i) => item.n - h.n === held.length - i);
        held = [];
        open = true;
        out.push(item);
        return out;
      }
      open = false;
      if (preRoll > 0) {
        held.push(item);
        if (held.length > preRoll) held.shift();
      }
      return [];
    },
    get open() {
      return open;
    },
    reset() {
      held = [];
      open = false;
      detector.reset();
    },
  };
}
