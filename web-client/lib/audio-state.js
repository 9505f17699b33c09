// The audio part of the client state, as pure functions (state.js calls
// applyAudio for every server message): the server's view of my audio (the
// `audio` event), who is speaking (`speakers`), the recording indicator
// (`joined.recording` and `recording` events), and the engine's local state
// (microphone, mute, push-to-talk), set by app.js.

export function initialAudio() {
  return {
    local: { phase: 'off', mic: 'off', problem: null, listenOnly: false, muted: false, ptt: false, talking: false,
      speaking: false, inputs: [], inputId: '', outputs: [], outputId: '', canPickOutput: false,
      check: 'off', checkVerdict: 'waiting' },
    server: null,
    speakers: {},
    recording: null,
    lastError: null,
  };
}

const AUDIO_ERRORS = new Set(['not_speaker', 'audio_rate', 'bad_audio', 'recording_failed']);

/** Whether an error code belongs to audio (shown in the audio bar, not the banner). */
export function isAudioError(code) {
  return AUDIO_ERRORS.has(code);
}

/** Applies one server message to the audio slice; returns the same slice when nothing changed. */
export function applyAudio(a, msg, now) {
  switch (msg.type) {
    case 'audio': {
      const server = {
        enabled: msg.enabled === true,
        room: typeof msg.room === 'string' ? msg.room : null,
        stream: Number.isInteger(msg.stream) ? msg.stream : null,
        muted: msg.muted === true,
        maySpeak: msg.may_speak !== false,
        broadcast: msg.broadcast === true,
        listen: typeof msg.listen === 'string' ? msg.listen : null,
        reason: typeof msg.reason === 'string' ? msg.reason : null,
      };
      return { ...a, server };
    }
    case 'speakers': {
      if (typeof msg.room !== 'string' || !Array.isArray(msg.speakers)) return a;
      const list = msg.speakers
        .filter((s) => s && typeof s.id === 'string')
        .map((s) => ({ id: s.id, stream: s.stream, levelDb: Number.isFinite(s.level_db) ? s.level_db : null }));
      return { ...a, speakers: { ...a.speakers, [msg.room]: { list, at: now } } };
    }
    case 'joined': {
      const r = msg.recording;
      const recording = r && typeof r === 'object' && typeof r.room === 'string'
        ? { room: r.room, id: String(r.id || ''), since: Number.isFinite(r.since) ? r.since : now, by: null }
        : null;
      return { ...a, recording, speakers: {} };
    }
    case 'recording': {
      if (typeof msg.room !== 'string' || typeof msg.state !== 'string') return a;
      if (msg.state === 'started') {
        return { ...a, recording: { room: msg.room, id: String(msg.id || ''), since: Number.isFinite(msg.ts) ? msg.ts : now, by: msg.by || null } };
      }
      if (msg.state === 'stopped' && a.recording && a.recording.room === msg.room) return { ...a, recording: null };
      return a;
    }
    case 'error':
      if (!isAudioError(msg.code)) return a;
      return { ...a, lastError: { code: msg.code, at: now } };
    default:
      return a;
  }
}

/** The engine's local state (see lib/audio-engine.js). */
export function setAudioLocal(a, local) {
  return { ...a, local: { ...a.local, ...local } };
}

/** Ids of members heard now in `room`, loudest first (the server sends a new list on every change). */
export function speakingIn(a, room) {
  const s = a.speakers[room];
  return s ? s.list.map((x) => x.id) : [];
}

/** Whether the microphone test is running or asking for the microphone (the room hears nothing then). */
export function testing(a) {
  return a.local.phase === 'off' && (a.local.check === 'on' || a.local.check === 'asking');
}

/** Whether the microphone is open to the room now (what the mute button shows). */
export function heard(a) {
  const l = a.local;
  if (l.phase !== 'on' || l.mic !== 'on' || l.muted || (l.ptt && !l.talking)) return false;
  return !a.server || (a.server.enabled && a.server.maySpeak);
}
