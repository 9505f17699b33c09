// live.mjs: helpers of the tests that run a session (13-agenda ... 18-
// programme; protocol.md section 10): send a session message and wait for
// the event it causes (or its error), and read Redis with a small RESP
// client of our own, so a test can compare everything stored before and
// after an action.

import net from 'node:net';
import { ProtocolError, DEFAULT_TIMEOUT } from './harness.mjs';

// The kept event each client message causes.
export const EVENT_OF = {
    agenda: 'agenda', hand: 'hands', topic: 'topics', stage: 'stage',
    question: 'questions', note: 'notes',
};

let counter = 0;

/**
 * Sends msg from client c and resolves with the event it causes (the first
 * one of its type sent by c with the same op), or rejects with a
 * ProtocolError when the server answers with an error for it.
 */
export async function act(c, msg, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
    const ref = `live-${++counter}`;
    const type = EVENT_OF[msg.type];
    c.send({ ...msg, ref });
    const m = await c.next((x) => (x.type === 'error' && x.ref === ref) ||
        (x.type === type && x.op === msg.op && x.by?.id === c.me.id), timeoutMs);
    if (m.type === 'error') throw new ProtocolError(m);
    return m;
}

/** Sends msg and resolves with the reply of type `type` carrying its ref
 * (or rejects with the error). */
export async function request(c, msg, type, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
    const ref = `req-${++counter}`;
    c.send({ ...msg, ref });
    const m = await c.next((x) => (x.type === type || x.type === 'error') && x.ref === ref, timeoutMs);
    if (m.type === 'error') throw new ProtocolError(m);
    return m;
}

/** Sends msg and resolves with the error it causes (matched by ref). */
export async function refused(c, msg, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
    const ref = `ref-${++counter}`;
    c.send({ ...msg, ref });
    const m = await c.next((x) => x.ref === ref, timeoutMs);
    if (m.type !== 'error') throw new Error(`expected an error for ${JSON.stringify(msg)}, got ${JSON.stringify(m).slice(0, 300)}`);
    return m;
}

// ---------------------------------------------------------------------------
// A RESP client: one connection, commands answered in order.

/** Parses one RESP value from buf at i; returns [value, next] or null when
 * the buffer does not hold all of it yet. Errors become {error}. */
function parse(buf, i) {
    if (i >= buf.length) return null;
    const nl = buf.indexOf('\r\n', i);
    if (nl < 0) return null;
    const head = buf.toString('utf8', i + 1, nl);
    const kind = String.fromCharCode(buf[i]);
    const next = nl + 2;
    if (kind === '+') return [head, next];
    if (kind === '-') return [{ error: head }, next];
    if (kind === ':') return [Number(head), next];
    if (kind === '$') {
        const n = Number(head);
        if (n < 0) return [null, next];
        if (buf.length < next + n + 2) return null;
        return [buf.toString('utf8', next, next + n), next + n + 2];
    }
    if (kind === '*') {
        const n = Number(head);
        if (n < 0) return [null, next];
        const out = [];
        let at = next;
        for (let k = 0; k < n; k++) {
            const r = parse(buf, at);
            if (!r) return null;
            out.push(r[0]);
            at = r[1];
        }
        return [out, at];
    }
    throw new Error(`unexpected RESP type ${kind}`);
}

export class Redis {
    constructor(port) {
        this.port = port;
        this.buf = Buffer.alloc(0);
        this.waiting = [];
    }

    async connect() {
        this.sock = net.connect(this.port, '127.0.0.1');
        await new Promise((resolve, reject) => {
            this.sock.once('connect', resolve);
            this.sock.once('error', reject);
        });
        this.sock.on('data', (d) => {
            this.buf = Buffer.concat([this.buf, d]);
            for (;;) {
                const r = parse(this.buf, 0);
                if (!r) break;
                this.buf = this.buf.subarray(r[1]);
                this.waiting.shift()?.(r[0]);
            }
        });
        return this;
    }

    /** Sends one command; resolves with its reply. */
    command(...args) {
        let req = `*${args.length}\r\n`;
        for (const a of args) req += `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`;
        return new Promise((resolve) => {
            this.waiting.push(resolve);
            this.sock.write(req);
        });
    }

    close() { this.sock?.destroy(); }
}

/** Every key of the Redis on port with its type and contents (TTLs left
 * out), as one canonical object: what "changes nothing in Redis" means. */
export async function redisDump(port) {
    const r = await new Redis(port).connect();
    try {
        const keys = (await r.command('KEYS', '*')).sort();
        const out = {};
        for (const k of keys) {
            const type = await r.command('TYPE', k);
            let v;
            if (type === 'string') v = await r.command('GET', k);
            else if (type === 'hash') {
                const flat = await r.command('HGETALL', k);
                const pairs = [];
                for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
                v = pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0]));
            } else if (type === 'set') v = (await r.command('SMEMBERS', k)).sort();
            else if (type === 'list') v = await r.command('LRANGE', k, 0, -1);
            else if (type === 'zset') v = await r.command('ZRANGE', k, 0, -1, 'WITHSCORES');
            else if (type === 'stream') v = await r.command('XRANGE', k, '-', '+');
            else v = `<${type}>`;
            out[k] = { type, v };
        }
        return out;
    } finally {
        r.close();
    }
}

/** The ops stored for session sid (kopa:{sid}:ops), as {seq: record}. */
export async function storedOps(port, sid) {
    const r = await new Redis(port).connect();
    try {
        const flat = await r.command('HGETALL', `kopa:{${sid}}:ops`);
        const ops = {};
        for (let i = 0; i < flat.length; i += 2) ops[flat[i]] = flat[i + 1];
        return ops;
    } finally {
        r.close();
    }
}

/** The top of channel room:main of session sid as stored. */
export async function storedTop(port, sid, channel = 'room:main') {
    const r = await new Redis(port).connect();
    try {
        return Number(await r.command('HGET', `kopa:{${sid}}:tops`, channel) ?? 0);
    } finally {
        r.close();
    }
}
