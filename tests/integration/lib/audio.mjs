// audio.mjs: what the audio integration tests share (docs/protocol.md
// section 8). Real Opus packets come from tools/opus_tone.c (libopus) and
// what a listener received is decoded and measured by tools/opus_analyse.c
// (Goertzel over candidate tones); ctest passes their paths in
// KOPA_OPUS_TONE and KOPA_OPUS_ANALYSE.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { Client, httpRequest, mintToken, person, sleep } from './harness.mjs';

function tool(name) {
    const bin = process.env[name];
    if (!bin) throw new Error(`${name} is not set (ctest sets it to the built tool)`);
    return bin;
}

/** Splits a stream of 2-byte big-endian lengths and packets. */
export function splitPackets(buf) {
    const out = [];
    for (let i = 0; i + 2 <= buf.length;) {
        const n = buf.readUInt16BE(i);
        out.push(buf.subarray(i + 2, i + 2 + n));
        i += 2 + n;
    }
    return out;
}

/** Joins packets (null: a lost one) into opus_analyse's input. */
export function joinPackets(packets) {
    const parts = [];
    for (const p of packets) {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(p ? p.length : 0);
        parts.push(len);
        if (p) parts.push(p);
    }
    return Buffer.concat(parts);
}

/** count 20 ms Opus packets of a sine tone of freq Hz (libopus). */
export function tonePackets(freq, count, { amplitude = 0.3 } = {}) {
    const out = execFileSync(tool('KOPA_OPUS_TONE'), [String(freq), String(count), String(amplitude)],
        { maxBuffer: 64 * 1024 * 1024 });
    const packets = splitPackets(out);
    if (packets.length !== count) throw new Error(`opus_tone made ${packets.length} packets, not ${count}`);
    return packets;
}

/** Decodes packets (in order; null for a gap) and measures the candidate
 * tones: {frames, rms_db, dominant, tones: {"440": dBFS, ...}}. */
export function analyse(packets, freqs, { skip = 5 } = {}) {
    const out = execFileSync(tool('KOPA_OPUS_ANALYSE'), ['--skip', String(skip), ...freqs.map(String)],
        { input: joinPackets(packets) });
    return JSON.parse(out.toString('utf8'));
}

/** A client audio frame: 1, 0, seq, timestamp, packet (section 8.2). */
export function audioFrame(seq, ts, packet, { type = 1, flags = 0 } = {}) {
    const h = Buffer.alloc(8);
    h[0] = type;
    h[1] = flags;
    h.writeUInt16BE(seq & 0xffff, 2);
    h.writeUInt32BE(ts >>> 0, 4);
    return Buffer.concat([h, packet]);
}

/** Parses a server audio frame (section 8.3). */
export function parseServerFrame(buf) {
    if (buf.length < 12 || buf[0] !== 2) return null;
    return {
        kind: buf[1],
        seq: buf.readUInt16BE(2),
        ts: buf.readUInt32BE(4),
        stream: buf.readUInt32BE(8),
        packet: buf.subarray(12),
    };
}

/** A Client that keeps binary frames apart (in .audio, with arrival time)
 * instead of queueing them with the JSON messages. */
export class AudioClient extends Client {
    constructor(opts) {
        super(opts);
        this.audio = [];
        this.badFrames = 0;
    }

    onFrame(data, isBinary) {
        if (!isBinary) return super.onFrame(data, isBinary);
        const f = parseServerFrame(Buffer.from(data));
        if (f) this.audio.push({ ...f, at: Date.now() });
        else this.badFrames++;
    }

    /** Sends an audio op and resolves with the audio event answering it
     * (or rejects with the error). */
    async audioOp(op, extra = {}) {
        const ref = `a-${crypto.randomBytes(4).toString('hex')}`;
        this.send({ type: 'audio', op, ref, ...extra });
        const m = await this.next((x) => (x.type === 'audio' || x.type === 'error') && x.ref === ref);
        if (m.type === 'error') {
            const err = new Error(`audio ${op}: ${m.code}`);
            err.code = m.code;
            throw err;
        }
        return m;
    }

    /** Frames received since time t (ms), optionally only of one stream. */
    since(t, key) {
        return this.audio.filter((f) => f.at >= t && (!key || (f.kind === key.kind && f.stream === key.stream)));
    }

    /** The (kind, stream) most frames since t came from. */
    mainStream(t) {
        const counts = new Map();
        for (const f of this.since(t)) {
            const k = `${f.kind}:${f.stream}`;
            counts.set(k, (counts.get(k) ?? 0) + 1);
        }
        let best = null;
        for (const [k, n] of counts) if (!best || n > best.n) best = { k, n };
        if (!best) return null;
        const [kind, stream] = best.k.split(':').map(Number);
        return { kind, stream, count: best.n };
    }

    /** Measures what arrived since t on its main stream (packets in seq
     * order, gaps concealed). Returns the analysis plus the stream. */
    hear(t, freqs) {
        const key = this.mainStream(t);
        if (!key) return { frames: 0, tones: {}, key: null };
        const frames = this.since(t, key);
        const packets = [];
        for (let i = 0; i < frames.length; i++) {
            if (i > 0) {
                const gap = (frames[i].seq - frames[i - 1].seq - 1) & 0xffff;
                for (let g = 0; g < Math.min(gap, 5); g++) packets.push(null);
            }
            packets.push(frames[i].packet);
        }
        return { ...analyse(packets, freqs), key };
    }
}

/** A joined AudioClient for person who in session, on stack's server. */
export async function enterAudio(stack, session, who, opts = {}) {
    const c = new AudioClient({
        url: stack.kopa.url, session, token: mintToken(stack.secret, { ...person(who), ...(opts.claims || {}) }),
        label: typeof who === 'string' ? who : who?.sub,
    });
    await c.enter();
    return c;
}

/**
 * Sends packets from client as a microphone would: one every intervalMs
 * (default 20), with seq and timestamp counting up from random starts,
 * looping over packets until stop(). Returns {stop(), sent, done}.
 */
export function startSending(client, packets, { intervalMs = 20, perTick = 1 } = {}) {
    let seq = crypto.randomInt(0, 65536);
    let ts = crypto.randomInt(0, 2 ** 31);
    let i = 0;
    let stopped = false;
    const state = { sent: 0 };
    const t0 = Date.now();
    let tick = 0;
    const done = (async () => {
        while (!stopped && client.isOpen) {
            for (let k = 0; k < perTick; k++) {
                client.sendRaw(audioFrame(seq, ts, packets[i % packets.length]), { binary: true });
                seq = (seq + 1) & 0xffff;
                ts = (ts + 960) >>> 0;
                i++;
                state.sent++;
            }
            tick++;
            const wait = t0 + tick * intervalMs - Date.now();
            if (wait > 0) await sleep(wait);
        }
    })();
    state.stop = async () => {
        stopped = true;
        await done;
    };
    state.done = done;
    return state;
}

/** GET /metrics of the server on port, parsed: a Map from each sample's
 * name with its labels (`kopa_audio_dropped_total{reason="rate"}`) to its
 * value. */
export async function metrics(port) {
    const r = await httpRequest(port, '/metrics');
    if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
    const out = new Map();
    for (const line of r.body.split('\n')) {
        if (!line || line.startsWith('#')) continue;
        const m = /^(\S+) (\S+)$/.exec(line);
        if (m) out.set(m[1], Number(m[2]));
    }
    return out;
}

/** The value of one sample in a metrics() map; throws when it is missing. */
export function sample(map, name) {
    if (!map.has(name)) throw new Error(`/metrics has no ${name}`);
    return map.get(name);
}
