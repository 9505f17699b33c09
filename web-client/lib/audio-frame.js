// The binary audio frames of docs/protocol.md section 8, as pure functions.
// Client -> server: byte 0 = 1, byte 1 = flags (0), bytes 2-3 seq (uint16
// BE), 4-7 timestamp (uint32 BE, 48 kHz samples), then one Opus packet.
// Server -> client: byte 0 = 2, byte 1 = kind (0 mix, 1 everyone but you,
// 2 forwarded), 2-3 seq, 4-7 timestamp, 8-11 stream id (uint32 BE), then one
// Opus packet. Used by the audio engine (browser) and by the unit tests.

export const UPLINK = 1;
export const DOWNLINK = 2;
export const KIND_MIX = 0;
export const KIND_MIX_MINUS = 1;
export const KIND_FORWARD = 2;
export const UP_HEADER = 8;
export const DOWN_HEADER = 12;
export const SAMPLE_RATE = 48000;
export const FRAME_SAMPLES = 960;
export const FRAME_MS = 20;
export const MAX_PACKET = 1275;

function bytesOf(data) {
  if (data instanceof Uint8Array) return data;
  if (Array.isArray(data)) return Uint8Array.from(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

/** One uplink frame: a new Uint8Array of 8 + packet.length bytes. Throws on an empty or oversized packet. */
export function packUp(seq, ts, packet) {
  const p = bytesOf(packet);
  if (!p || p.length === 0 || p.length > MAX_PACKET) throw new RangeError('an Opus packet is 1-1275 bytes');
  const out = new Uint8Array(UP_HEADER + p.length);
  const dv = new DataView(out.buffer);
  dv.setUint8(0, UPLINK);
  dv.setUint8(1, 0);
  dv.setUint16(2, seq & 0xffff);
  dv.setUint32(4, ts >>> 0);
  out.set(p, UP_HEADER);
  return out;
}

/** Reads an uplink frame; {seq, ts, flags, packet} (packet is a view), or null when it is not one. */
export function parseUp(data) {
  const b = bytesOf(data);
  if (!b || b.length <= UP_HEADER || b[0] !== UPLINK) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { flags: b[1], seq: dv.getUint16(2), ts: dv.getUint32(4), packet: b.subarray(UP_HEADER) };
}

/** One downlink frame (the server's side; for tests and tools). */
export function packDown({ kind, seq, ts, stream, packet }) {
  const p = bytesOf(packet);
  if (!p || p.length === 0 || p.length > MAX_PACKET) throw new RangeError('an Opus packet is 1-1275 bytes');
  const out = new Uint8Array(DOWN_HEADER + p.length);
  const dv = new DataView(out.buffer);
  dv.setUint8(0, DOWNLINK);
  dv.setUint8(1, kind);
  dv.setUint16(2, seq & 0xffff);
  dv.setUint32(4, ts >>> 0);
  dv.setUint32(8, stream >>> 0);
  out.set(p, DOWN_HEADER);
  return out;
}

/**
 * Reads a downlink frame: {kind, seq, ts, stream, packet} with packet a view
 * into data, or null for anything else (too short, another type byte, an
 * unknown kind, an oversized packet): such frames are ignored.
 */
export function parseDown(data) {
  const b = bytesOf(data);
  if (!b || b.length <= DOWN_HEADER || b.length > DOWN_HEADER + MAX_PACKET || b[0] !== DOWNLINK) return null;
  const kind = b[1];
  if (kind !== KIND_MIX && kind !== KIND_MIX_MINUS && kind !== KIND_FORWARD) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { kind, seq: dv.getUint16(2), ts: dv.getUint32(4), stream: dv.getUint32(8), packet: b.subarray(DOWN_HEADER) };
}

/** a - b for 16-bit sequence numbers, in -32768..32767 (positive: a is newer). */
export function seqDelta(a, b) {
  const d = ((a - b) & 0xffff);
  return d >= 0x8000 ? d - 0x10000 : d;
}

/** The 48 kHz timestamp of capture frame number n (wraps at 2^32). */
export function frameTimestamp(n) {
  return (n * FRAME_SAMPLES) % 0x100000000;
}
