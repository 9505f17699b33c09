// harness.mjs: what the integration tests share. It starts a real
// redis-server and the real kopa binary on free loopback ports, each in its
// own temporary folder, mints tokens with its own HS256 code (independent of
// the server's), and speaks the wire protocol of docs/protocol.md through
// real WebSocket clients (the `ws` package).
//
// Every child process is tracked by pid and killed when the test that made
// it ends (stop()) and again when this process exits for any reason.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

export const SUBPROTOCOL = 'kopa.v1';
export const DEFAULT_TIMEOUT = Number(process.env.KOPA_TEST_TIMEOUT_MS || 5000);

// ---------------------------------------------------------------------------
// Child processes, temporary folders and cleanup on exit.

const children = new Set(); // ChildProcess objects still running
const tempDirs = [];
const kopaLogs = [];

function killAllChildren() {
    for (const child of children) {
        try {
            process.kill(child.pid, 'SIGCONT'); // a paused Redis must die too
            process.kill(child.pid, 'SIGKILL');
        } catch {
            // already gone
        }
    }
    children.clear();
}

process.on('exit', (code) => {
    killAllChildren();
    const failed = code !== 0 || (process.exitCode ?? 0) !== 0;
    if (failed) {
        for (const log of kopaLogs) {
            process.stderr.write(`\n--- last lines of ${log} ---\n${tail(log, 40)}\n`);
        }
        if (tempDirs.length) {
            process.stderr.write(`temporary folders kept: ${tempDirs.join(' ')}\n`);
        }
    } else if (!process.env.KOPA_KEEP_TMP) {
        for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
    }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
        killAllChildren();
        process.exit(128 + os.constants.signals[sig]);
    });
}

function track(child) {
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
}

/** Makes a new temporary folder that is removed at exit if all went well. */
export function tempDir(prefix = 'kopa-test-') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    tempDirs.push(dir);
    return dir;
}

/** Returns the last n lines of a text file ('' if it cannot be read). */
export function tail(file, n = 30) {
    try {
        return fs.readFileSync(file, 'utf8').split('\n').slice(-n - 1).join('\n');
    } catch {
        return '';
    }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn() until it returns a truthy value; returns that value. */
export async function waitFor(fn, { timeoutMs = DEFAULT_TIMEOUT, intervalMs = 50, what = 'condition' } = {}) {
    const deadline = Date.now() + timeoutMs;
    let lastErr;
    for (;;) {
        try {
            const v = await fn();
            if (v) return v;
        } catch (err) {
            lastErr = err;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` +
                (lastErr ? ` (last error: ${lastErr.message})` : ''));
        }
        await sleep(intervalMs);
    }
}

/** Waits until child exits or ms pass; returns {code, signal} or null. */
async function waitExit(child, ms) {
    if (child.exitCode !== null || child.signalCode !== null) {
        return { code: child.exitCode, signal: child.signalCode };
    }
    let timer;
    const timeout = new Promise((r) => { timer = setTimeout(() => r(null), ms); });
    const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
    const res = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    return res;
}

function isRunning(child) {
    return child && child.exitCode === null && child.signalCode === null;
}

// ---------------------------------------------------------------------------
// Ports.

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort() {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const { port } = srv.address();
    srv.close();
    await once(srv, 'close');
    return port;
}

// ---------------------------------------------------------------------------
// Redis.

/**
 * Sends one command to Redis on port and returns the raw reply text (the
 * first complete line, or the whole bulk reply). Rejects on connection errors
 * or after timeoutMs.
 */
export function redisCommand(port, args, { timeoutMs = 1000 } = {}) {
    return new Promise((resolve, reject) => {
        const sock = net.connect(port, '127.0.0.1');
        let buf = '';
        const timer = setTimeout(() => {
            sock.destroy();
            reject(new Error(`redis ${args[0]} timed out`));
        }, timeoutMs);
        sock.on('connect', () => {
            let req = `*${args.length}\r\n`;
            for (const a of args) req += `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`;
            sock.write(req);
        });
        sock.on('data', (d) => {
            buf += d.toString('utf8');
            const nl = buf.indexOf('\r\n');
            if (nl < 0) return;
            if (buf[0] === '$') {
                const len = Number(buf.slice(1, nl));
                if (len >= 0 && buf.length < nl + 2 + len + 2) return;
            }
            clearTimeout(timer);
            sock.destroy();
            resolve(buf);
        });
        sock.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
        });
    });
}

/**
 * Starts a private redis-server on a free port with its data in a new
 * temporary folder. Returns {port, dir, pid, stop(), kill(signal), pause(),
 * resume(), restart(), running}. restart() keeps the port and the folder, so
 * the AOF is replayed.
 */
export async function startRedis({ appendonly = true, appendfsync = 'everysec', dir } = {}) {
    dir ??= tempDir('kopa-redis-');
    const logFile = path.join(dir, 'redis.log');
    let child = null;
    let port = 0;

    const spawnOn = async (p) => {
        const out = fs.openSync(logFile, 'a');
        const c = track(spawn('redis-server', [
            '--port', String(p), '--bind', '127.0.0.1', '--dir', dir,
            '--appendonly', appendonly ? 'yes' : 'no', '--appendfsync', appendfsync,
            '--save', '', '--daemonize', 'no', '--protected-mode', 'no',
        ], { stdio: ['ignore', out, out] }));
        fs.closeSync(out);
        const deadline = Date.now() + 10000;
        while (Date.now() < deadline) {
            if (!isRunning(c)) return null;
            try {
                const r = await redisCommand(p, ['PING'], { timeoutMs: 300 });
                if (r.startsWith('+PONG')) return c;
            } catch {
                // not listening yet, or still loading the AOF
            }
            await sleep(30);
        }
        c.kill('SIGKILL');
        throw new Error(`redis-server on port ${p} did not answer PING:\n${tail(logFile)}`);
    };

    for (let attempt = 0; attempt < 5 && !child; attempt++) {
        port = await freePort();
        child = await spawnOn(port);
    }
    if (!child) throw new Error(`redis-server did not start:\n${tail(logFile)}`);

    const redis = {
        dir,
        logFile,
        get port() { return port; },
        get pid() { return child.pid; },
        get running() { return isRunning(child); },
        /** Sends signal; for SIGKILL/SIGTERM waits until the process is gone. */
        async kill(signal = 'SIGKILL') {
            if (!isRunning(child)) return;
            if (signal === 'SIGTERM') process.kill(child.pid, 'SIGCONT');
            process.kill(child.pid, signal);
            if (signal === 'SIGKILL' || signal === 'SIGTERM') {
                const r = await waitExit(child, 10000);
                if (!r) throw new Error('redis-server did not exit');
            }
        },
        pause() { process.kill(child.pid, 'SIGSTOP'); },
        resume() { process.kill(child.pid, 'SIGCONT'); },
        async stop() {
            if (!isRunning(child)) return;
            process.kill(child.pid, 'SIGCONT');
            process.kill(child.pid, 'SIGTERM');
            if (!(await waitExit(child, 5000))) {
                child.kill('SIGKILL');
                await waitExit(child, 5000);
            }
        },
        async restart() {
            await redis.stop();
            let c = null;
            for (let attempt = 0; attempt < 50 && !c; attempt++) {
                c = await spawnOn(port); // the port may linger briefly
                if (!c) await sleep(100);
            }
            if (!c) throw new Error(`redis-server did not restart on ${port}:\n${tail(logFile)}`);
            child = c;
        },
    };
    return redis;
}

// ---------------------------------------------------------------------------
// HTTP.

/** GET (or another method) on 127.0.0.1:port; resolves {status, headers, body}. */
export function httpRequest(port, urlPath, { method = 'GET', headers = {}, timeoutMs = 3000 } = {}) {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers,
            agent: false }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({
                status: res.statusCode, headers: res.headers,
                body: Buffer.concat(chunks).toString('utf8'),
            }));
            res.on('error', reject);
        });
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
        req.on('error', reject);
        req.end();
    });
}

/** GET /healthz parsed: {status, body: object|null}. */
export async function healthz(port) {
    const r = await httpRequest(port, '/healthz');
    let body = null;
    try {
        body = JSON.parse(r.body);
    } catch {
        body = null;
    }
    return { status: r.status, body, headers: r.headers };
}

// ---------------------------------------------------------------------------
// The kopa server.

/** Returns a random secret of 64 hex characters. */
export function randomSecret() {
    return crypto.randomBytes(32).toString('hex');
}

function kopaBin() {
    const bin = process.env.KOPA_BIN;
    if (!bin) throw new Error('KOPA_BIN is not set (ctest sets it to the built kopa binary)');
    if (!fs.existsSync(bin)) throw new Error(`KOPA_BIN ${bin} does not exist; build the kopa target`);
    return bin;
}

/** The environment for a kopa child: ours without any KOPA_* settings but
 * KOPA_WEB_ROOT, plus extra. */
function kopaEnv(extra) {
    const env = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (!k.startsWith('KOPA_') || k === 'KOPA_WEB_ROOT') env[k] = v;
    }
    return { ...env, ...extra };
}

/** Runs `kopa <args>` to completion; resolves {code, signal, stdout, stderr}. */
export async function runKopa(args, { env = {}, timeoutMs = 10000 } = {}) {
    const child = track(spawn(kopaBin(), args, { env: kopaEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const closed = once(child, 'close');
    const r = await waitExit(child, timeoutMs);
    if (!r) {
        child.kill('SIGKILL');
        throw new Error(`kopa ${args.join(' ')} did not finish in ${timeoutMs} ms`);
    }
    await closed;
    return { ...r, stdout, stderr };
}

/**
 * Starts `kopa serve` on a free port (or the given one) against Redis on
 * redisPort (or the host:port string in redis), with a random secret unless
 * one is given, and waits until /healthz answers 200 with redis "connected"
 * (ready: 'redis', the default), any HTTP answer (ready: 'http'), or not at
 * all (ready: false). Returns {port, url, httpUrl, secret, pid, logFile,
 * stop(), kill9(), restart(), running, exited}.
 */
export async function startKopa({ redisPort, redis, env = {}, args = [], port, secret,
    ready = 'redis', readyTimeoutMs = 20000 } = {}) {
    const bin = kopaBin();
    secret ??= randomSecret();
    const dir = tempDir('kopa-server-');
    const logFile = path.join(dir, 'kopa.log');
    kopaLogs.push(logFile);
    const redisAddr = redis ?? `127.0.0.1:${redisPort}`;
    let child = null;
    let exited = null; // promise of {code, signal} for the current child
    let myPort = port;
    let stopping = false; // set while the harness itself stops or kills it

    const spawnOn = async (p, readyMode) => {
        fs.appendFileSync(logFile, `=== harness: starting kopa on port ${p} at ${new Date().toISOString()}\n`);
        const out = fs.openSync(logFile, 'a');
        const c = track(spawn(bin, ['serve', '--host', '127.0.0.1', '--port', String(p),
            '--redis', redisAddr, ...args],
        { env: kopaEnv({ KOPA_SECRET: secret, ...env }), stdio: ['ignore', out, out] }));
        fs.closeSync(out);
        const ex = once(c, 'exit').then(([code, signal]) => ({ code, signal }));
        if (!readyMode) return { c, ex };
        const deadline = Date.now() + readyTimeoutMs;
        while (Date.now() < deadline) {
            if (!isRunning(c)) return { c: null, ex };
            try {
                const h = await healthz(p);
                if (readyMode === 'http' || (h.status === 200 && h.body && h.body.redis === 'connected')) {
                    return { c, ex };
                }
            } catch {
                // not listening yet
            }
            await sleep(50);
        }
        c.kill('SIGKILL');
        throw new Error(`kopa on port ${p} did not become ready in ${readyTimeoutMs} ms:\n${tail(logFile)}`);
    };

    const launch = async (fixedPort, readyMode) => {
        for (let attempt = 0; attempt < (fixedPort ? 40 : 5); attempt++) {
            const p = fixedPort ?? (await freePort());
            const r = await spawnOn(p, readyMode);
            if (r.c) {
                child = r.c;
                exited = r.ex;
                myPort = p;
                stopping = false;
                return;
            }
            await sleep(fixedPort ? 100 : 0); // the port may linger briefly
        }
        throw new Error(`kopa exited at start:\n${tail(logFile)}`);
    };
    await launch(port, ready);

    const kopa = {
        secret,
        logFile,
        get port() { return myPort; },
        get url() { return `ws://127.0.0.1:${myPort}`; },
        get httpUrl() { return `http://127.0.0.1:${myPort}`; },
        get pid() { return child.pid; },
        get running() { return isRunning(child); },
        get exited() { return exited; },
        /** {code, signal} if the server exited without being told to, else null. */
        get crashed() {
            if (stopping || isRunning(child)) return null;
            return { code: child.exitCode, signal: child.signalCode };
        },
        /** SIGTERM, then waits up to graceMs for the exit; returns {code,
         * signal, ms}. Throws if the server does not exit in time (it is then
         * SIGKILLed), exits with a non-zero code (a leak report of the
         * sanitizer build, say), or had already died by itself. */
        async stop({ graceMs = 5000 } = {}) {
            if (!isRunning(child)) {
                if (!stopping) {
                    stopping = true;
                    throw new Error(`kopa died by itself (code ${child.exitCode}, signal ${child.signalCode}):\n${tail(logFile, 30)}`);
                }
                return { code: child.exitCode, signal: child.signalCode };
            }
            const t0 = Date.now();
            stopping = true;
            child.kill('SIGTERM');
            const r = await waitExit(child, graceMs);
            if (!r) {
                child.kill('SIGKILL');
                await waitExit(child, 5000);
                throw new Error(`kopa did not exit within ${graceMs} ms of SIGTERM:\n${tail(logFile, 30)}`);
            }
            if (r.code !== 0) throw new Error(`kopa exited with ${r.code ?? r.signal} after SIGTERM:\n${tail(logFile, 30)}`);
            return { ...r, ms: Date.now() - t0 };
        },
        async kill9() {
            if (!isRunning(child)) return;
            stopping = true;
            child.kill('SIGKILL');
            await waitExit(child, 5000);
        },
        /** Starts the server again on the same port (after stop() or
         * kill9()); ready as for startKopa. */
        async restart({ ready: readyMode = ready } = {}) {
            if (isRunning(child)) await kopa.stop();
            await launch(myPort, readyMode);
        },
        tail: (n) => tail(logFile, n),
    };
    return kopa;
}

/**
 * Starts Redis and kopa for one test file or test and registers their
 * cleanup with t.after() (t may be a TestContext or null; with null the
 * caller calls stack.stop()). stop() SIGTERMs kopa (it must exit 0 within
 * 5 s) and then Redis. Returns {redis, kopa, secret, token(), client(), stop()}.
 */
export async function startStack(t, { redis: redisOpts = {}, kopa: kopaOpts = {} } = {}) {
    const redis = await startRedis(redisOpts);
    let kopa;
    try {
        kopa = await startKopa({ redisPort: redis.port, ...kopaOpts });
    } catch (err) {
        await redis.stop();
        throw err;
    }
    let stopped = false;
    const stack = {
        redis,
        kopa,
        secret: kopa.secret,
        token: (who, extra = {}) => mintToken(kopa.secret, { ...person(who), ...extra }),
        client: (session, who, opts = {}) => new Client({
            url: kopa.url, session, token: mintToken(kopa.secret, { ...person(who), ...(opts.claims || {}) }),
            label: typeof who === 'string' ? who : who?.sub, ...opts,
        }),
        /** A client that is connected, authenticated and joined. */
        async enter(session, who, opts = {}) {
            const c = stack.client(session, who, opts);
            await c.enter();
            clients.push(c);
            return c;
        },
        async stop() {
            if (stopped) return;
            stopped = true;
            for (const c of clients) c.terminate();
            try {
                await kopa.stop(); // throws if it crashed or did not stop cleanly
            } finally {
                await redis.stop();
            }
        },
    };
    const clients = [];
    if (t) t.after(() => stack.stop());
    return stack;
}

// ---------------------------------------------------------------------------
// Tokens: HS256 JWTs made here with node:crypto, independently of the server.

/** Test people (claims without sessions/exp). person('anna') or a claims object. */
export const PEOPLE = {
    ilze: { sub: 'u-ilze', name: 'Ilze Kalniņa', role: 'coordinator', country: 'LV', langs: ['lv', 'en'] },
    mikael: { sub: 'u-mikael', name: 'Mikael Åström', role: 'expert', country: 'SE', langs: ['sv', 'en'] },
    rasa: { sub: 'u-rasa', name: 'Rasa Žukauskienė', role: 'entrepreneur', country: 'LT', langs: ['lt', 'en'] },
    kadri: { sub: 'u-kadri', name: 'Kadri Tamm', role: 'entrepreneur', country: 'EE', langs: ['et', 'en'] },
    anna: { sub: 'u-anna', name: 'Anna Bērziņa', role: 'entrepreneur', country: 'LV', langs: ['lv', 'en'] },
    jonas: { sub: 'u-jonas', name: 'Jonas Petraitis', role: 'entrepreneur', country: 'LT', langs: ['lt'] },
};

export function person(who) {
    if (typeof who === 'string') {
        if (PEOPLE[who]) return { ...PEOPLE[who] };
        return { sub: `u-${who}`, name: who, role: 'entrepreneur' };
    }
    return { ...who };
}

const b64url = (s) => Buffer.from(s).toString('base64url');

/** Signs header and payload (objects or raw strings) with HMAC-SHA256. */
export function signJwt(header, payload, secret) {
    const h = b64url(typeof header === 'string' ? header : JSON.stringify(header));
    const p = b64url(typeof payload === 'string' ? payload : JSON.stringify(payload));
    const sig = crypto.createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url');
    return `${h}.${p}.${sig}`;
}

/**
 * The claims of docs/protocol.md section 3. opts: sub, name, role, country,
 * langs, sessions (default '*'), iss, aud (default 'kopa'), ttl (seconds,
 * default 3600) or exp, nbf, iat. A field set to undefined is left out.
 */
export function makeClaims(opts = {}) {
    const now = Math.floor(Date.now() / 1000);
    const c = {
        sub: 'u-test', name: 'Test', role: 'entrepreneur', sessions: '*',
        iss: 'kopa', aud: 'kopa', iat: now, ...opts,
    };
    if (!('exp' in opts)) c.exp = now + (opts.ttl ?? 3600);
    delete c.ttl;
    for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
    return c;
}

/** A valid HS256 token for the claims opts (see makeClaims). */
export function mintToken(secret, opts = {}) {
    return signJwt({ alg: 'HS256', typ: 'JWT' }, makeClaims(opts), secret);
}

/** Tokens that must be refused. */
export const badTokens = {
    expired: (secret, opts = {}) => mintToken(secret, { ...opts, exp: Math.floor(Date.now() / 1000) - 3600 }),
    notYetValid: (secret, opts = {}) => mintToken(secret, { ...opts, nbf: Math.floor(Date.now() / 1000) + 3600 }),
    forged: (opts = {}) => mintToken(randomSecret(), opts),
    algNone: (opts = {}) => `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(makeClaims(opts)))}.`,
    alg: (secret, alg, opts = {}) => signJwt({ alg, typ: 'JWT' }, makeClaims(opts), secret),
    /** Same signature, payload changed: a forged role, say. */
    tampered: (token, changes) => {
        const [h, p, s] = token.split('.');
        const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString('utf8')), ...changes };
        return `${h}.${b64url(JSON.stringify(payload))}.${s}`;
    },
};

/** Verifies an HS256 token with secret; returns its payload or throws. */
export function verifyJwt(token, secret) {
    const parts = token.split('.');
    if (parts.length !== 3) throw new Error('not three segments');
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header.alg !== 'HS256') throw new Error(`alg ${header.alg}`);
    const want = crypto.createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
    const got = Buffer.from(parts[2], 'base64url');
    if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) throw new Error('bad signature');
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
}

// ---------------------------------------------------------------------------
// The WebSocket client.

let idCounter = 0;
const idPrefix = crypto.randomBytes(3).toString('hex');

function describe(pred) {
    if (typeof pred === 'function') return pred.name || pred.toString().slice(0, 80);
    return JSON.stringify(pred);
}

/** Turns a predicate spec into a function: a type string, an object whose
 * fields must all be equal, or a function. */
export function matcher(pred) {
    if (typeof pred === 'function') return pred;
    if (typeof pred === 'string') return (m) => m.type === pred;
    return (m) => Object.entries(pred).every(([k, v]) => m[k] === v);
}

/** Error thrown by auth()/join() when the server answers with an error. */
export class ProtocolError extends Error {
    constructor(msg) {
        super(`server error ${msg.code}: ${msg.message ?? ''}`);
        this.code = msg.code;
        this.reply = msg;
    }
}

/**
 * A Kopa client: one WebSocket at a time, with logs per channel that outlive
 * reconnections. opts: url (ws://host:port), session, token, origin, label,
 * protocol (default 'kopa.v1'; null for none), headers.
 */
export class Client {
    /** wsOptions: more options of the ws library's WebSocket (autoPong: false, say). */
    constructor({ url, session, token, origin, label, protocol = SUBPROTOCOL, headers, wsOptions = {} } = {}) {
        Object.assign(this, { url, session, token, origin, protocol, headers, wsOptions });
        this.label = label ?? 'client';
        this.ws = null;
        this.queue = [];       // received and not yet taken by next()
        this.received = [];    // everything received on every connection
        this.waiters = [];
        this.closeInfo = null; // {code, reason} of the current connection
        this.closed = null;    // promise of closeInfo
        this.welcome = null;
        this.joinedMsg = null;
        this.epoch = null;
        this.logs = new Map(); // channel -> {epoch, last, events[], ignored, gaps[]}
        this.pending = new Map(); // id -> message sent and not acked yet
        this.acks = new Map();    // id -> ack message (plus .epoch)
        this.sent = [];           // ids in the order first sent
        this.arrays = 0;          // frames that carried a JSON array of events
    }

    /** Client.connect(url, session, token, {origin, label, ...}): a new
     * client with its WebSocket open (not yet authenticated). */
    static async connect(url, session, token, opts = {}) {
        const c = new Client({ url, session, token, ...opts });
        await c.connect();
        return c;
    }

    get isOpen() { return this.ws?.readyState === WebSocket.OPEN; }
    get me() { return this.welcome?.me; }

    /** Opens the WebSocket; rejects with err.status set on a refused handshake. */
    async connect({ timeoutMs = DEFAULT_TIMEOUT } = {}) {
        const opts = { handshakeTimeout: timeoutMs, maxPayload: 16 * 1024 * 1024, headers: this.headers, ...this.wsOptions };
        if (this.origin) opts.origin = this.origin;
        const target = `${this.url}/ws/${this.session}`;
        const ws = this.protocol ? new WebSocket(target, this.protocol, opts) : new WebSocket(target, opts);
        this.ws = ws;
        this.closeInfo = null;
        this.welcome = null;
        this.joinedMsg = null;
        this.closed = new Promise((resolve) => {
            ws.on('close', (code, reason) => {
                if (this.ws === ws) this.closeInfo = { code, reason: reason.toString() };
                resolve({ code, reason: reason.toString() });
                if (this.ws === ws) this.failWaiters(`connection closed with ${code}`);
            });
        });
        ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
        await new Promise((resolve, reject) => {
            ws.once('open', resolve);
            ws.once('unexpected-response', (req, res) => {
                const err = new Error(`handshake refused with HTTP ${res.statusCode}`);
                err.status = res.statusCode;
                res.resume();
                ws.terminate();
                reject(err);
            });
            ws.once('error', reject);
        });
        ws.on('error', () => {}); // later errors end in 'close'
        return this;
    }

    onFrame(data, isBinary) {
        if (isBinary) {
            this.push({ type: '<binary>', data });
            return;
        }
        let v;
        try {
            v = JSON.parse(data.toString('utf8'));
        } catch {
            this.push({ type: '<unparsable>', text: data.toString('utf8') });
            return;
        }
        if (Array.isArray(v)) this.arrays++;
        for (const m of Array.isArray(v) ? v : [v]) this.push(m);
    }

    push(m) {
        this.received.push(m);
        this.apply(m);
        const i = this.waiters.findIndex((w) => w.match(m));
        if (i >= 0) {
            const [w] = this.waiters.splice(i, 1);
            clearTimeout(w.timer);
            w.resolve(m);
        } else {
            this.queue.push(m);
        }
    }

    failWaiters(why) {
        for (const w of this.waiters.splice(0)) {
            clearTimeout(w.timer);
            w.reject(new Error(`${this.label}: ${why} while waiting for ${w.what}`));
        }
    }

    /** Keeps the logs: the client-side recovery rule of protocol.md section 4. */
    apply(m) {
        if (m.type === 'ack' && typeof m.id === 'string') {
            this.pending.delete(m.id);
            this.acks.set(m.id, { ...m, epoch: this.epoch });
            return;
        }
        if (m.type === 'joined' && m.channels && typeof m.channels === 'object') {
            this.epoch = m.epoch;
            for (const [ch, info] of Object.entries(m.channels)) {
                const events = Array.isArray(info.events) ? info.events : [];
                let log = this.logs.get(ch);
                if (!info.recovered || !log) {
                    log = { epoch: m.epoch, last: 0, events: [], ignored: 0, gaps: [], replaced: (log?.replaced ?? -1) + 1 };
                    this.logs.set(ch, log);
                    for (const e of events) this.addEvent(log, e, true);
                    if (typeof info.offset === 'number' && info.offset > log.last) log.last = info.offset;
                } else {
                    log.epoch = m.epoch;
                    for (const e of events) this.addEvent(log, e, false);
                }
            }
            return;
        }
        if (typeof m.channel === 'string' && typeof m.offset === 'number' && m.type !== 'history' && m.type !== 'ack') {
            let log = this.logs.get(m.channel);
            if (!log) {
                log = { epoch: this.epoch, last: 0, events: [], ignored: 0, gaps: [], replaced: 0, unexpected: true };
                this.logs.set(m.channel, log);
            }
            this.addEvent(log, m, false);
        }
    }

    addEvent(log, e, firstPage) {
        if (e.offset <= log.last) {
            log.ignored++;
            return;
        }
        const startOfPage = firstPage && log.events.length === 0;
        if (!startOfPage && e.offset !== log.last + 1) log.gaps.push({ after: log.last, got: e.offset });
        log.events.push(e);
        log.last = e.offset;
    }

    /** The `since` object for a resuming join, from the logs. */
    since() {
        const s = {};
        for (const [ch, log] of this.logs) s[ch] = { epoch: log.epoch, offset: log.last };
        return s;
    }

    /** The log of channel (default 'room:main'), or an empty one. */
    log(channel = 'room:main') {
        return this.logs.get(channel) ?? { epoch: null, last: 0, events: [], ignored: 0, gaps: [] };
    }

    /** Resolves with the first received message (queued or future) matching
     * pred and removes it from the queue; rejects after timeoutMs or when the
     * connection closes first. */
    next(pred = () => true, timeoutMs = DEFAULT_TIMEOUT) {
        const match = matcher(pred);
        const i = this.queue.findIndex(match);
        if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0]);
        const what = describe(pred);
        if (this.closeInfo) {
            return Promise.reject(new Error(`${this.label}: connection closed with ${this.closeInfo.code} before ${what}`));
        }
        return new Promise((resolve, reject) => {
            const w = { match, resolve, reject, what };
            w.timer = setTimeout(() => {
                this.waiters.splice(this.waiters.indexOf(w), 1);
                const recent = this.received.slice(-5).map((m) => JSON.stringify(m).slice(0, 200));
                reject(new Error(`${this.label}: no message matching ${what} within ${timeoutMs} ms; ` +
                    `last received: ${recent.join(' | ') || 'nothing'}`));
            }, timeoutMs);
            this.waiters.push(w);
        });
    }

    /** Waits ms, then returns and removes every queued message matching pred. */
    async collect(ms, pred = () => true) {
        await sleep(ms);
        const match = matcher(pred);
        const out = this.queue.filter(match);
        this.queue = this.queue.filter((m) => !match(m));
        return out;
    }

    /** Drops everything queued so far. */
    drain() { this.queue = []; }

    /** Sends obj as one JSON text frame. */
    send(obj) { this.sendRaw(JSON.stringify(obj)); }

    /** Sends a string or Buffer as it is (a text frame unless binary). */
    sendRaw(data, { binary = false, fin = true } = {}) {
        if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
        this.ws.send(data, { binary, fin, compress: false });
        return true;
    }

    /** Sends auth; resolves with welcome or rejects with a ProtocolError. */
    async auth(token = this.token, { v = 1 } = {}) {
        this.send({ type: 'auth', v, token });
        const m = await this.next((x) => x.type === 'welcome' || x.type === 'error');
        if (m.type === 'error') throw new ProtocolError(m);
        this.welcome = m;
        return m;
    }

    /** Sends join (with since = this.since() when resume is true and there
     * are logs); resolves with joined or rejects with a ProtocolError. */
    async join({ resume = true, since } = {}) {
        const msg = { type: 'join' };
        if (since) msg.since = since;
        else if (resume && this.logs.size) msg.since = this.since();
        this.send(msg);
        const m = await this.next((x) => x.type === 'joined' || x.type === 'error', 2 * DEFAULT_TIMEOUT);
        if (m.type === 'error') throw new ProtocolError(m);
        this.joinedMsg = m;
        return m;
    }

    /** connect + auth + join. Returns joined. */
    async enter(opts = {}) {
        await this.connect();
        await this.auth();
        return this.join(opts);
    }

    /**
     * Reconnects and resumes (join with since), retrying for up to
     * retryForMs while the server is away, then resends every unacked
     * message. Returns joined.
     */
    async reconnect({ retryForMs = 20000, resend = true } = {}) {
        const deadline = Date.now() + retryForMs;
        let delay = 50;
        for (;;) {
            try {
                this.terminate();
                this.queue = [];
                const joined = await this.enter();
                if (resend) this.resendPending();
                return joined;
            } catch (err) {
                if (Date.now() > deadline) throw err;
                await sleep(delay);
                delay = Math.min(delay * 2, 500);
            }
        }
    }

    /** A new client-chosen message id. */
    newId() { return `${this.label}-${idPrefix}-${++idCounter}`; }

    /** Sends a chat; records it as pending until its ack. Returns the id. */
    chat(text, { id = this.newId(), room, ref } = {}) {
        const msg = { type: 'chat', id, text };
        if (room !== undefined) msg.room = room;
        if (ref !== undefined) msg.ref = ref;
        if (!this.pending.has(id) && !this.acks.has(id)) this.sent.push(id);
        this.pending.set(id, msg);
        this.send(msg);
        return id;
    }

    /** Sends a private message; pending until acked. Returns the id. */
    dm(to, text, { id = this.newId(), ref } = {}) {
        const msg = { type: 'dm', id, to, text };
        if (ref !== undefined) msg.ref = ref;
        if (!this.pending.has(id) && !this.acks.has(id)) this.sent.push(id);
        this.pending.set(id, msg);
        this.send(msg);
        return id;
    }

    /** Resends every unacked chat/dm in the order first sent. */
    resendPending() {
        for (const id of this.sent) {
            const m = this.pending.get(id);
            if (m) this.send(m);
        }
    }

    /** Waits for the ack of id (or an error naming it); returns the ack. */
    async acked(id, timeoutMs = DEFAULT_TIMEOUT) {
        if (this.acks.has(id)) return this.acks.get(id);
        const m = await this.next((x) => (x.type === 'ack' || x.type === 'error') && x.id === id, timeoutMs);
        if (m.type === 'error') throw new ProtocolError(m);
        return this.acks.get(id) ?? m;
    }

    /** Waits until nothing is pending (all sent messages acked). */
    async allAcked(timeoutMs = DEFAULT_TIMEOUT) {
        await waitFor(() => this.pending.size === 0, {
            timeoutMs, what: `${this.label}: acks for ${[...this.pending.keys()].slice(0, 5).join(', ')}`,
        });
    }

    /** Sends a history request and resolves with the reply (or rejects with
     * a ProtocolError). */
    async history(channel, { before, limit } = {}) {
        const ref = `h${++idCounter}`;
        const msg = { type: 'history', channel, ref };
        if (before !== undefined) msg.before = before;
        if (limit !== undefined) msg.limit = limit;
        this.send(msg);
        // Matched by ref; a reply without ref is matched by channel so that a
        // server that forgets ref fails only the test that checks ref.
        const m = await this.next((x) => (x.type === 'history' || x.type === 'error') &&
            (x.ref === ref || (x.ref === undefined && (x.type === 'error' || x.channel === channel))));
        if (m.type === 'error') throw new ProtocolError(m);
        return m;
    }

    /** Every stored event of channel, oldest first, paging with history. */
    async fetchAll(channel = 'room:main', { before } = {}) {
        let all = [];
        for (let pages = 0; pages < 1000; pages++) {
            const h = await this.history(channel, { before, limit: 100 });
            all = [...h.events, ...all];
            if (!h.more || h.events.length === 0) return all;
            before = h.events[0].offset;
        }
        throw new Error('history did not end');
    }

    /** Prepends to the log of channel everything older than what it holds,
     * so it covers the whole channel. */
    async fillLog(channel = 'room:main') {
        const log = this.logs.get(channel);
        if (!log) throw new Error(`no log for ${channel}`);
        const before = log.events.length ? log.events[0].offset : log.last + 1;
        if (before <= 1) return log;
        const older = await this.fetchAll(channel, { before });
        log.events = [...older, ...log.events];
        return log;
    }

    /** Sends ping and resolves with pong. */
    async ping(timeoutMs = DEFAULT_TIMEOUT) {
        const ref = `p${++idCounter}`;
        this.send({ type: 'ping', ref });
        return this.next((x) => x.type === 'pong' && x.ref === ref, timeoutMs);
    }

    /** Sends obj and resolves with the error it causes (matched by ref when
     * obj has one, else the next error). */
    async expectError(obj, timeoutMs = DEFAULT_TIMEOUT) {
        if (typeof obj === 'string' || Buffer.isBuffer(obj)) this.sendRaw(obj);
        else this.send(obj);
        const ref = typeof obj === 'object' && !Buffer.isBuffer(obj) ? obj?.ref : undefined;
        return this.next((x) => x.type === 'error' && (ref === undefined || x.ref === ref), timeoutMs);
    }

    /** Closes with a close frame and waits for the close. */
    async close(code = 1000) {
        if (!this.ws) return;
        if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
            this.ws.close(code);
        }
        const timer = setTimeout(() => this.ws?.terminate(), 3000);
        await this.closed;
        clearTimeout(timer);
    }

    /** Drops the TCP connection without a close frame. */
    terminate() {
        if (this.ws && this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
    }
}

// ---------------------------------------------------------------------------
// Assertions about logs.

/** Checks that events have strictly consecutive offsets; returns a message
 * describing the first problem, or null. */
export function checkContiguous(events) {
    for (let i = 1; i < events.length; i++) {
        if (events[i].offset !== events[i - 1].offset + 1) {
            return `offset ${events[i].offset} follows ${events[i - 1].offset} at index ${i}`;
        }
    }
    return null;
}

/** Counts how often each id occurs in events; returns a Map id -> count. */
export function idCounts(events) {
    const m = new Map();
    for (const e of events) m.set(e.id, (m.get(e.id) ?? 0) + 1);
    return m;
}
