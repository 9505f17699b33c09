// The browser side of audio (docs/protocol.md section 8): microphone ->
// capture worklet (48 kHz mono, 20 ms frames) -> WebCodecs AudioEncoder
// (Opus) -> binary frames; binary frames -> one AudioDecoder per (kind,
// stream) -> in order -> the player worklet's jitter buffer -> speakers.
// app.js creates one engine, forwards binary frames and `audio` events to it,
// and renders the state it reports (onState) through views/audio.js.
// A voice-activity gate (voice-gate.js) keeps silence off the wire: while
// it is closed nothing is encoded or sent, and seq and timestamp keep
// counting captured frames, so a pause is a gap of the right length.

import { packUp, parseDown, frameTimestamp, SAMPLE_RATE } from './audio-frame.js';
import { createResampler } from './resample.js';
import { createPacer } from './pace.js';
import { meterValue, dominant } from './tone.js';
import { createVoiceGate } from './voice-gate.js';
import { createMicCheck } from './mic-check.js';

const FRAME_US = 20000;
const MAX_ENCODE_QUEUE = 5;
const MAX_DECODE_WAIT_MS = 250;
// The server conceals at most this many missing frames of a speaker, then
// ends the stream and starts the next one afresh (server/audio/audio_jitter.h,
// AUDIO_JITTER_MAX_CONCEAL): after a longer pause a fresh encoder matches
// its fresh decoder.
const SERVER_CONCEAL_FRAMES = 5;
const ENCODER_CONFIG = {
  codec: 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: 1, bitrate: 32000,
  opus: { frameDuration: FRAME_US, usedtx: false },
};
const DECODER_CONFIG = { codec: 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: 1 };

/** What stops audio in this browser: null when everything needed is there, else a reason code. */
export function audioSupport(win) {
  if (!win.isSecureContext) return 'insecure';
  if (typeof win.AudioEncoder !== 'function' || typeof win.AudioDecoder !== 'function') return 'codecs';
  if (typeof win.AudioWorkletNode !== 'function' || typeof win.AudioContext !== 'function') return 'worklet';
  if (!win.navigator.mediaDevices || typeof win.navigator.mediaDevices.getUserMedia !== 'function') return 'media';
  return null;
}

/* The reason code for a getUserMedia failure. */
function micProblem(err) {
  const name = err && err.name;
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'missing';
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return 'busy';
  return 'failed';
}

/**
 * Creates the engine. opts: send(obj) -> bool (JSON), sendBinary(bytes) ->
 * bool, onState(state) with the local audio state after every change,
 * win (window), debug (keeps decoded audio for tones()).
 * State: {phase: off|starting|on|moved, mic: off|asking|on|blocked|denied|
 * missing|busy|failed, problem (a support or setup failure code, or null),
 * listenOnly, muted, ptt, talking, speaking, inputs [{id,label}], inputId,
 * outputs, outputId, canPickOutput, check: off|asking|on (the microphone
 * test, while phase is off), checkVerdict: waiting|heard|silent}.
 */
export function createAudioEngine(opts) {
  const win = opts.win || window;
  const base = new URL('../worklets/', import.meta.url);
  const st = {
    phase: 'off', mic: 'off', problem: null, listenOnly: false, muted: false, ptt: false, talking: false,
    speaking: false, inputs: [], inputId: '', outputs: [], outputId: '', canPickOutput: false,
    check: 'off', checkVerdict: 'waiting',
  };
  let server = { enabled: false, may_speak: true, room: null };
  let ctx = null;
  let stream = null;
  let source = null;
  let captureNode = null;
  let playerNode = null;
  let analyser = null;
  let encoder = null; // {enc, pending: capture numbers of the frames given to enc, in order}
  let lastEncoded = null; // capture number of the last frame encoded
  let toldMuted = false; // what the server was last told (audio starts unmuted)
  let level = 0;
  const gate = createVoiceGate(); // its detector also drives the speaking mark
  const micCheck = createMicCheck();
  let checkTurn = 0; // a test stopped while the browser asks leaves its late microphone unused
  let modules = null; // worklet modules loaded into ctx
  const decoders = new Map(); // "kind:stream" -> AudioDecoder
  const inflight = []; // decode slots in arrival order: {seq, samples, done, at}
  const byTimestamp = new Map();
  let decodeClock = 0;
  let generation = 0;
  let upsampler = null;
  const counters = { captured: 0, gated: 0, encoded: 0, sent: 0, dropped: 0, received: 0, decoded: 0, decodeErrors: 0, played: 0, micOpens: 0 };
  let opened = []; // the tracks of the last microphone opened (the debug hook shows whether they were released)
  const ring = opts.debug ? new Float32Array(SAMPLE_RATE) : null;
  let ringAt = 0;
  let stats = null;
  const captureInfo = { rate: null, channels: null };

  function report(patch) {
    Object.assign(st, patch);
    opts.onState({ ...st });
  }

  function wantHeard() {
    return st.phase === 'on' && st.mic === 'on' && !st.muted && (!st.ptt || st.talking);
  }

  /* Tells the server about mute changes; the server starts every enable unmuted. */
  function syncMute() {
    if (st.phase !== 'on' || !server.enabled) return;
    const mute = !wantHeard();
    if (mute === toldMuted) return;
    if (opts.send({ type: 'audio', op: mute ? 'mute' : 'unmute' })) toldMuted = mute;
  }

  /* ---------- devices ---------- */

  async function refreshDevices() {
    try {
      const list = await win.navigator.mediaDevices.enumerateDevices();
      const pick = (kind) => list.filter((d) => d.kind === kind && d.deviceId)
        .map((d, i) => ({ id: d.deviceId, label: d.label || `${kind} ${i + 1}` }));
      report({ inputs: pick('audioinput'), outputs: pick('audiooutput') });
    } catch (e) {
      // Device names are a convenience; audio works without them.
    }
  }

  async function openMic(deviceId) {
    const audio = { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true };
    if (deviceId) audio.deviceId = { exact: deviceId };
    const s = await win.navigator.mediaDevices.getUserMedia({ audio });
    counters.micOpens += 1;
    opened = s.getTracks();
    const track = s.getAudioTracks()[0];
    const settings = track && track.getSettings ? track.getSettings() : {};
    track.addEventListener('ended', () => {
      if (stream !== s) return;
      if (st.check !== 'off') {
        teardown();
        report({ check: 'off', mic: 'failed' });
      } else report({ mic: 'failed' });
    });
    return { s, id: settings.deviceId || deviceId || '' };
  }

  function attachMic(s) {
    if (source) source.disconnect();
    stream = s;
    source = ctx.createMediaStreamSource(s);
    source.connect(captureNode);
  }

  function closeMic() {
    if (source) source.disconnect();
    source = null;
    if (stream) for (const t of stream.getTracks()) t.stop();
    stream = null;
  }

  /* ---------- sending ---------- */

  const pacer = createPacer(); // under the server's audio limit after a stall

  /*
   * An encoder and the capture numbers of the frames it was given. Chromium
   * numbers its output by frames encoded, not by the input's timestamps, so
   * each packet takes its seq from the frame it was made of: one packet per
   * 20 ms frame, in order.
   */
  function makeEncoder() {
    const pending = [];
    const enc = new win.AudioEncoder({
      output: (chunk) => {
        if (!pending.length) return;
        const n = pending.shift();
        const bytes = new Uint8Array(chunk.byteLength);
        chunk.copyTo(bytes);
        counters.encoded += 1;
        if (!wantHeard() || !server.enabled || server.may_speak === false) return;
        if (!pacer.take(win.performance.now())) {
          counters.dropped += 1;
          return;
        }
        if (opts.sendBinary(packUp(n & 0xffff, frameTimestamp(n), bytes))) counters.sent += 1;
        else counters.dropped += 1;
      },
      error: () => {
        if (encoder && encoder.enc === enc) encoder = null; // made again for the next frame
      },
    });
    enc.configure(ENCODER_CONFIG);
    return { enc, pending };
  }

  function closeEncoder() {
    if (encoder && encoder.enc.state !== 'closed') encoder.enc.close();
    encoder = null;
  }

  /* Encodes one captured frame {n, frame}; its packet is sent from the encoder's output. */
  function encodeFrame(f) {
    // After a pause the server has ended this stream: start a new one.
    if (encoder && lastEncoded !== null && f.n - lastEncoded - 1 > SERVER_CONCEAL_FRAMES) closeEncoder();
    if (!encoder) encoder = makeEncoder();
    if (encoder.enc.encodeQueueSize > MAX_ENCODE_QUEUE) {
      counters.dropped += 1;
      return;
    }
    const data = new win.AudioData({
      format: 'f32-planar', sampleRate: SAMPLE_RATE, numberOfFrames: f.frame.length, numberOfChannels: 1,
      timestamp: f.n * FRAME_US, data: f.frame,
    });
    const { pending } = encoder;
    pending.push(f.n);
    try {
      encoder.enc.encode(data);
      lastEncoded = f.n;
    } catch (e) {
      pending.pop();
      counters.dropped += 1;
    } finally {
      data.close();
    }
  }

  function onCapture(m) {
    // The worklet says what it gets (the fake microphone of Debian's Chromium is stereo, say); it always sends 48 kHz mono.
    if (m.type === 'format') captureInfo.rate = m.rate;
    if (m.type === 'channels') captureInfo.channels = m.channels;
    if (m.type !== 'frame') return;
    counters.captured += 1;
    const now = win.performance.now();
    level = Math.max(meterValue(m.rms), level * 0.85);
    if (st.check === 'on') {
      // The test: a verdict for the member, never anything for the server.
      const verdict = micCheck.update(m.rms, now);
      if (verdict !== st.checkVerdict) report({ checkVerdict: verdict });
      return;
    }
    if (!wantHeard()) {
      gate.reset(); // unmuted again, the gate opens on the next voice, with nothing from before
      if (st.speaking) report({ speaking: false });
      return;
    }
    const frames = gate.push({ n: m.n, frame: m.frame }, m.rms, now);
    if (gate.open !== st.speaking) report({ speaking: gate.open });
    if (!server.enabled || server.may_speak === false) return;
    if (!frames.length) counters.gated += 1; // silence: nothing encoded, nothing sent
    for (const f of frames) encodeFrame(f);
  }

  /* ---------- receiving ---------- */

  function decoderFor(key) {
    let dec = decoders.get(key);
    if (dec && dec.state !== 'closed') return dec;
    dec = new win.AudioDecoder({
      output: (ad) => decoded(ad),
      error: () => {
        counters.decodeErrors += 1;
        if (decoders.get(key) === dec) decoders.delete(key);
        for (const slot of inflight) if (slot.key === key && !slot.done) slot.done = true;
        flush();
      },
    });
    dec.configure(DECODER_CONFIG);
    decoders.set(key, dec);
    return dec;
  }

  function decoded(ad) {
    const slot = byTimestamp.get(ad.timestamp);
    try {
      if (!slot) return;
      byTimestamp.delete(ad.timestamp);
      const samples = new Float32Array(ad.numberOfFrames);
      ad.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
      slot.samples = samples;
      slot.done = true;
      counters.decoded += 1;
    } finally {
      ad.close();
    }
    flush();
  }

  /* Hands decoded frames to the player in arrival order; a frame whose decoder stalls is skipped. */
  function flush() {
    const now = win.performance.now();
    while (inflight.length && (inflight[0].done || now - inflight[0].at > MAX_DECODE_WAIT_MS)) {
      const slot = inflight.shift();
      byTimestamp.delete(slot.ts);
      if (!slot.samples || !playerNode) continue;
      let samples = slot.samples;
      if (upsampler) samples = upsampler.process(samples);
      keep(slot.samples);
      playerNode.port.postMessage({ type: 'frame', stream: `seq${generation}`, seq: slot.seq, samples }, [samples.buffer]);
      counters.played += 1;
    }
  }

  function keep(samples) {
    if (!ring) return;
    for (let i = 0; i < samples.length; i++) {
      ring[ringAt] = samples[i];
      ringAt = (ringAt + 1) % ring.length;
    }
  }

  function receive(buf) {
    if (st.phase !== 'on' || !playerNode) return;
    const p = parseDown(buf);
    if (!p) return;
    counters.received += 1;
    const key = `${p.kind}:${p.stream}`;
    decodeClock += FRAME_US;
    const slot = { key, seq: p.seq, ts: decodeClock, samples: null, done: false, at: win.performance.now() };
    inflight.push(slot);
    byTimestamp.set(decodeClock, slot);
    try {
      decoderFor(key).decode(new win.EncodedAudioChunk({ type: 'key', timestamp: decodeClock, data: p.packet }));
    } catch (e) {
      slot.done = true;
      counters.decodeErrors += 1;
    }
    flush();
  }

  /* ---------- start and stop ---------- */

  async function loadModule(name) {
    if (!modules) modules = new Set();
    if (modules.has(name)) return;
    await ctx.audioWorklet.addModule(new URL(name, base).href);
    modules.add(name);
  }

  async function setupCapture() {
    if (captureNode) return;
    await loadModule('capture.js');
    captureNode = new win.AudioWorkletNode(ctx, 'kopa-capture', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
    captureNode.port.onmessage = (ev) => onCapture(ev.data);
    captureNode.connect(ctx.destination); // silent; keeps the worklet pulled
  }

  /* An AudioContext at 48 kHz if the browser allows it; call it inside a click so it may play. */
  function makeContext() {
    try {
      return new win.AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
    } catch (e) {
      return new win.AudioContext({ latencyHint: 'interactive' });
    }
  }

  async function setup(listenOnly) {
    await loadModule('player.js');
    playerNode = new win.AudioWorkletNode(ctx, 'kopa-player', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
    playerNode.port.onmessage = (ev) => { if (ev.data && ev.data.type === 'stats') stats = ev.data.streams; };
    if (opts.debug) {
      analyser = ctx.createAnalyser();
      analyser.fftSize = 32768;
      playerNode.connect(analyser);
    }
    playerNode.connect(ctx.destination);
    upsampler = ctx.sampleRate === SAMPLE_RATE ? null : createResampler(SAMPLE_RATE, ctx.sampleRate);
    if (!listenOnly) await setupCapture();
  }

  function teardown() {
    closeMic();
    for (const node of [captureNode, playerNode]) {
      if (!node) continue;
      node.port.postMessage({ type: 'stop' });
      node.disconnect();
    }
    captureNode = null;
    playerNode = null;
    analyser = null;
    closeEncoder();
    lastEncoded = null;
    for (const dec of decoders.values()) if (dec.state !== 'closed') dec.close();
    decoders.clear();
    inflight.length = 0;
    byTimestamp.clear();
    if (ctx) ctx.close().catch(() => {});
    ctx = null;
    modules = null;
    level = 0;
    gate.reset();
    micCheck.reset();
  }

  const engine = {
    /** Starts audio; call it from a click (browsers only let audio play after one). */
    async start({ listenOnly = false } = {}) {
      if (st.phase === 'starting' || st.phase === 'on') return;
      // From a running microphone test, Join audio keeps its context and microphone.
      const tested = st.check === 'on' && !listenOnly && stream ? { s: stream, id: st.inputId } : null;
      if (st.check !== 'off' && !tested) engine.stopTest();
      const unsupported = audioSupport(win);
      if (unsupported) {
        report({ problem: unsupported });
        return;
      }
      // Created at once, inside the click, so it is allowed to play.
      if (!tested) ctx = makeContext();
      micCheck.reset();
      report({ phase: 'starting', mic: listenOnly ? 'off' : tested ? 'on' : 'asking', problem: null, listenOnly, talking: false,
        speaking: false, check: 'off', checkVerdict: 'waiting', canPickOutput: typeof ctx.setSinkId === 'function' });
      try {
        let mic = tested;
        if (!listenOnly && !tested) {
          try {
            mic = await openMic(st.inputId);
          } catch (err) {
            teardown();
            report({ phase: 'off', mic: micProblem(err) });
            refreshDevices();
            return;
          }
        }
        await setup(listenOnly);
        if (mic && !tested) attachMic(mic.s);
        if (ctx.state !== 'running') await ctx.resume();
        if (st.outputId && ctx.setSinkId) await ctx.setSinkId(st.outputId).catch(() => {});
        toldMuted = false;
        server = { enabled: false, may_speak: true, room: null };
        report({ phase: 'on', mic: mic ? 'on' : 'off', inputId: mic ? mic.id : st.inputId });
        opts.send({ type: 'audio', op: 'enable', ref: 'audio' });
        refreshDevices();
      } catch (err) {
        teardown();
        report({ phase: 'off', mic: 'off', problem: 'setup' });
      }
    },

    /** Leaves audio: tells the server, releases the microphone. */
    stop() {
      if (st.phase === 'on') opts.send({ type: 'audio', op: 'disable' });
      teardown();
      checkTurn += 1;
      server = { enabled: false, may_speak: true, room: null };
      report({ phase: 'off', mic: 'off', talking: false, speaking: false, check: 'off', checkVerdict: 'waiting' });
    },

    /**
     * Tests the microphone without joining audio: asks for it (same help as
     * start when it fails), runs the level meter and the heard/silent
     * verdict, and sends nothing to the server. Call it from a click.
     */
    async startTest() {
      if (st.phase !== 'off' || st.check !== 'off') return;
      const unsupported = audioSupport(win);
      if (unsupported) {
        report({ problem: unsupported });
        return;
      }
      checkTurn += 1;
      const turn = checkTurn;
      ctx = makeContext();
      micCheck.reset();
      report({ check: 'asking', mic: 'asking', problem: null, checkVerdict: 'waiting', canPickOutput: typeof ctx.setSinkId === 'function' });
      let mic;
      try {
        mic = await openMic(st.inputId);
      } catch (err) {
        if (turn !== checkTurn) return;
        teardown();
        report({ check: 'off', mic: micProblem(err) });
        refreshDevices();
        return;
      }
      if (turn !== checkTurn) { // stopped (or joined) while the browser asked
        for (const t of mic.s.getTracks()) t.stop();
        return;
      }
      try {
        await setupCapture();
        if (turn !== checkTurn) throw new Error('stopped');
        attachMic(mic.s);
        if (ctx.state !== 'running') await ctx.resume();
        report({ check: 'on', mic: 'on', inputId: mic.id });
        refreshDevices();
      } catch (err) {
        for (const t of mic.s.getTracks()) t.stop();
        if (turn !== checkTurn) return;
        teardown();
        report({ check: 'off', mic: 'off', problem: 'setup' });
      }
    },

    /** Ends the microphone test and releases the microphone. */
    stopTest() {
      if (st.check === 'off') return;
      checkTurn += 1;
      teardown();
      report({ check: 'off', mic: 'off', checkVerdict: 'waiting' });
    },

    setMuted(muted) {
      report({ muted: !!muted });
      syncMute();
    },

    setPushToTalk(on) {
      report({ ptt: !!on, talking: false });
      syncMute();
    },

    /** Push-to-talk key down (true) or up (false). */
    talk(down) {
      if (!st.ptt || st.talking === !!down) return;
      report({ talking: !!down });
      syncMute();
    },

    async selectInput(id) {
      const testing = st.check === 'on';
      if (testing) micCheck.reset();
      report(testing ? { inputId: id, checkVerdict: 'waiting' } : { inputId: id });
      if ((st.phase !== 'on' && !testing) || st.mic !== 'on' || !captureNode) return;
      try {
        const mic = await openMic(id);
        closeMic();
        attachMic(mic.s);
        if (testing) micCheck.reset(); // a new verdict for the new microphone
        report({ mic: 'on', inputId: mic.id, checkVerdict: testing ? 'waiting' : st.checkVerdict });
      } catch (err) {
        report({ mic: micProblem(err) });
      }
    },

    async selectOutput(id) {
      report({ outputId: id });
      if (ctx && typeof ctx.setSinkId === 'function') await ctx.setSinkId(id).catch(() => {});
    },

    /** A binary frame from the server. */
    receive,

    /** The server's `audio` event. */
    serverAudio(msg) {
      if (msg.enabled === false && msg.reason === 'elsewhere' && st.phase !== 'off') {
        teardown();
        report({ phase: 'moved', mic: 'off', talking: false, speaking: false });
      }
      const roomChanged = server.room !== null && msg.room !== server.room;
      server = { enabled: msg.enabled === true, may_speak: msg.may_speak !== false, room: msg.room || null };
      if (roomChanged) generation += 1; // a new packet sequence starts
      if (msg.enabled === true) {
        toldMuted = msg.muted === true;
        syncMute();
      }
    },

    /** After a reconnect the server has forgotten this connection's audio: enable it again. */
    rejoined() {
      if (st.phase !== 'on') return;
      server = { ...server, enabled: false };
      opts.send({ type: 'audio', op: 'enable', ref: 'audio' });
    },

    /** The input meter, 0..1 (decays between frames). */
    level() {
      level *= 0.97;
      return (st.phase === 'on' || st.check === 'on') && st.mic === 'on' ? level : 0;
    },

    refreshDevices,

    /** Shows the permission help before any click when the site is already blocked, and clears it once allowed. */
    async watchPermission() {
      const perms = win.navigator.permissions;
      if (!perms || typeof perms.query !== 'function') return;
      try {
        const status = await perms.query({ name: 'microphone' });
        const apply = () => {
          if (st.phase !== 'off' || st.check !== 'off') return;
          // 'blocked': known before any click (a short note); 'denied': the answer to a click (full help).
          if (status.state === 'denied') { if (st.mic !== 'denied') report({ mic: 'blocked' }); }
          else if (st.mic === 'denied' || st.mic === 'blocked') report({ mic: 'off' });
        };
        apply();
        status.addEventListener('change', apply);
      } catch (e) {
        // Not every browser can query the microphone permission; the click will tell.
      }
    },

    /** Diagnostics for the debug hook: counters, player state, and the dominant tones heard. */
    debug(freqs = []) {
      const out = { counters: { ...counters }, player: stats, contextRate: ctx ? ctx.sampleRate : null, capture: { ...captureInfo }, server: { ...server },
        mic: opened.map((t) => t.readyState), check: st.check };
      if (ring && freqs.length) {
        const last = new Float32Array(SAMPLE_RATE / 2);
        for (let i = 0; i < last.length; i++) last[i] = ring[(ringAt - last.length + i + ring.length) % ring.length];
        out.decoded = dominant(last, SAMPLE_RATE, freqs);
      }
      if (analyser && freqs.length) {
        const buf = new Float32Array(analyser.fftSize);
        analyser.getFloatTimeDomainData(buf);
        out.output = dominant(buf, ctx.sampleRate, freqs);
      }
      return out;
    },
  };
  return engine;
}
