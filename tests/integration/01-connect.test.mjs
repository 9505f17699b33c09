// 01-connect: the connection lifecycle of protocol.md section 2: the
// handshake and its subprotocol, auth then welcome, join then joined, ping,
// the auth timeout, messages in the wrong order, and a clean shutdown that
// closes every socket with 1001.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { startStack, startRedis, startKopa, runKopa, mintToken, PEOPLE, Client, sleep } from './lib/harness.mjs';

test('auth is answered with welcome and join with joined', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--node-id', 'n-test-1'] } });
    const c = stack.client('s42', 'anna');
    await c.connect();
    const before = Date.now();
    const welcome = await c.auth();
    assert.equal(welcome.type, 'welcome');
    assert.equal(welcome.v, 1);
    assert.equal(welcome.session, 's42');
    assert.equal(welcome.node, 'n-test-1');
    assert.equal(typeof welcome.server_time, 'number');
    assert.ok(Math.abs(welcome.server_time - before) < 60000, 'server_time is close to now');
    assert.deepEqual(
        { id: welcome.me.id, name: welcome.me.name, role: welcome.me.role, country: welcome.me.country },
        { id: PEOPLE.anna.sub, name: PEOPLE.anna.name, role: 'entrepreneur', country: 'LV' });
    assert.deepEqual(welcome.me.langs, ['lv', 'en']);

    const joined = await c.join();
    assert.equal(joined.type, 'joined');
    assert.equal(joined.session, 's42');
    assert.equal(joined.room, 'main');
    assert.equal(typeof joined.epoch, 'string');
    assert.ok(joined.epoch.length > 0);
    assert.equal(typeof joined.server_time, 'number');
    assert.ok(Array.isArray(joined.members));
    const me = joined.members.find((m) => m.id === PEOPLE.anna.sub);
    assert.ok(me, 'members lists me');
    assert.equal(me.room, 'main');
    assert.equal(me.online, true);
    const main = joined.channels['room:main'];
    assert.ok(main, 'joined has room:main');
    assert.equal(main.recovered, false, 'a first join is not a recovery');
    assert.deepEqual(main.events, []);
    assert.equal(main.offset, 0, 'a new room has no events');
    assert.ok(joined.channels[`user:${PEOPLE.anna.sub}`], 'joined has my private channel');
    await c.close();
});

test('ping is answered with pong, before and after auth, with ref copied', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const c = stack.client('s1', 'anna');
    await c.connect();
    const p1 = await c.ping();
    assert.equal(typeof p1.server_time, 'number');
    await c.auth();
    const p2 = await c.ping();
    assert.equal(p2.type, 'pong');
    await c.close();
});

test('messages before auth, a second auth and chat before join are refused', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const c = stack.client('s1', 'anna');
    await c.connect();
    let e = await c.expectError({ type: 'chat', id: 'x1', text: 'too early', ref: 'r1' });
    assert.equal(e.code, 'not_authenticated');
    assert.equal(e.ref, 'r1');
    assert.equal(e.id, 'x1');
    e = await c.expectError({ type: 'join', ref: 'r2' });
    assert.equal(e.code, 'not_authenticated');

    await c.auth(); // an error changes nothing: auth still works
    e = await c.expectError({ type: 'auth', v: 1, token: c.token, ref: 'r3' });
    assert.equal(e.code, 'already_authenticated');
    e = await c.expectError({ type: 'chat', id: 'x2', text: 'before join', ref: 'r4' });
    assert.equal(e.code, 'not_joined');
    e = await c.expectError({ type: 'history', channel: 'room:main', ref: 'r5' });
    assert.equal(e.code, 'not_joined');
    assert.ok(c.isOpen, 'these errors do not close the connection');
    await c.join();
    await c.close();
});

/** Opens a socket that never authenticates; checks it is closed with 4001
 * after between min and max ms. */
async function closedUnauthenticated(stack, min, max) {
    const c = stack.client('s1', 'anna');
    const t0 = Date.now();
    await c.connect();
    const { code } = await c.closed;
    assert.equal(code, 4001);
    const took = Date.now() - t0;
    assert.ok(took >= min && took < max, `closed after ${took} ms, not in [${min}, ${max})`);
}

test('no auth within the auth timeout closes with 4001', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--auth-timeout-ms', '800'] } });
    await closedUnauthenticated(stack, 600, 6000);

    // A client that authenticates in time stays.
    const d = stack.client('s1', 'rasa');
    await d.connect();
    await d.auth();
    await d.join();
    await sleep(1500);
    assert.ok(d.isOpen);
    await d.ping();
    await d.close();
});

test('by default a socket gets 10 s to authenticate', { timeout: 60000 }, async (t) => {
    await closedUnauthenticated(await startStack(t), 9000, 16000);
});

test('the handshake needs the kopa.v1 subprotocol and a valid session id', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const token = stack.token('anna');
    for (const protocol of [null, 'kopa.v2', 'chat']) {
        const c = new Client({ url: stack.kopa.url, session: 's1', token, protocol });
        await assert.rejects(c.connect(), (err) => err.status === 403, `subprotocol ${protocol}`);
    }
    // A session id outside [A-Za-z0-9_-]{1,64} never gets in.
    for (const session of ['a'.repeat(65), 'bad.id', 'bad%20id']) {
        const c = new Client({ url: stack.kopa.url, session, token });
        let welcomed = false;
        try {
            await c.connect();
            c.send({ type: 'auth', v: 1, token });
            const m = await c.next((x) => x.type === 'welcome' || x.type === 'error');
            welcomed = m.type === 'welcome';
        } catch {
            // refused at the handshake or closed: both fine
        }
        c.terminate();
        assert.equal(welcomed, false, `session id ${session} was accepted`);
    }
});

test('SIGTERM closes every socket with 1001 and exits 0 within 5 s', { timeout: 60000 }, async (t) => {
    const redis = await startRedis();
    t.after(() => redis.stop());
    const kopa = await startKopa({ redisPort: redis.port });
    t.after(() => kopa.kill9());
    const clients = [];
    for (const who of ['anna', 'rasa', 'mikael']) {
        const c = new Client({ url: kopa.url, session: 's1', token: mintToken(kopa.secret, PEOPLE[who]), label: who });
        await c.enter();
        clients.push(c);
    }
    const waiting = new Client({ url: kopa.url, session: 's1', token: 'x' });
    await waiting.connect(); // not yet authenticated: closed too
    const res = await kopa.stop({ graceMs: 5000 });
    assert.equal(res.signal, null, 'exited by itself');
    assert.equal(res.code, 0, `exit code ${res.code}:\n${kopa.tail(20)}`);
    for (const c of [...clients, waiting]) {
        const { code } = await c.closed;
        assert.equal(code, 1001, `${c.label} closed with ${code}`);
    }
});

test('a socket that connects while the server drains is closed with 1001 too', { timeout: 60000 }, async (t) => {
    const redis = await startRedis();
    t.after(() => redis.stop());
    const kopa = await startKopa({ redisPort: redis.port });
    t.after(() => kopa.kill9());
    // A WebSocket that never answers the close keeps the drain going.
    const raw = net.connect(kopa.port, '127.0.0.1');
    t.after(() => raw.destroy());
    raw.on('error', () => {});
    await once(raw, 'connect');
    raw.write(`GET /ws/s1 HTTP/1.1\r\nHost: 127.0.0.1:${kopa.port}\r\nUpgrade: websocket\r\n`
        + 'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
        + 'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: kopa.v1\r\n\r\n');
    await once(raw, 'data'); // 101 Switching Protocols
    const stopped = kopa.stop({ graceMs: 8000 });
    await sleep(300);
    const late = new Client({ url: kopa.url, session: 's1', token: mintToken(kopa.secret, PEOPLE.anna) });
    let code;
    try {
        await late.connect();
        ({ code } = await late.closed);
    } catch {
        code = 'refused'; // the listener may already be gone
    }
    assert.ok(code === 1001 || code === 'refused', `the late socket got ${code}`);
    const res = await stopped;
    assert.equal(res.signal, null, `exited by itself:\n${kopa.tail(20)}`);
    assert.equal(res.code, 0, `exit code ${res.code}:\n${kopa.tail(20)}`);
});

test('kopa --help prints usage and exits 0; a bad flag exits non-zero', { timeout: 30000 }, async () => {
    const help = await runKopa(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout + help.stderr, /--port/);
    assert.match(help.stdout + help.stderr, /--redis/);
    const bad = await runKopa(['serve', '--port', 'not-a-port'], { env: { KOPA_SECRET: 'x'.repeat(40) } });
    assert.notEqual(bad.code, 0);
});
