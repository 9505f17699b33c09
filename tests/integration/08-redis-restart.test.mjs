// 08-redis-restart: Redis is killed (SIGKILL) while a session is live and
// started again later on the same port with the same AOF. The server keeps
// the live session going from memory, acknowledges nothing it has not
// stored, reports Redis as down on /healthz, reconnects by itself, then
// stores and acknowledges what waited (DESIGN.md 5, protocol.md "ack",
// "store_unavailable", section 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, healthz, waitFor, checkContiguous, idCounts, sleep } from './lib/harness.mjs';

test('Redis killed and restarted: the server recovers by itself', { timeout: 150000 }, async (t) => {
    const stack = await startStack(t, {
        redis: { appendfsync: 'always' },
        kopa: { args: ['--redis-timeout-ms', '1000'] },
    });
    const { redis, kopa } = stack;
    const anna = await stack.enter('live', 'anna');
    const rasa = await stack.enter('live', 'rasa');
    const early = [];
    for (let i = 0; i < 3; i++) early.push(anna.chat(`before ${i}`));
    await anna.allAcked();

    await redis.kill('SIGKILL');
    const down = await waitFor(async () => {
        const h = await healthz(kopa.port);
        return h.status === 503 && h.body && h.body.redis !== 'connected' ? h : null;
    }, { timeoutMs: 15000, what: '/healthz to report Redis down' });
    assert.notEqual(down.body.status, 'ok');

    // The live session goes on: fan-out now, acks later.
    const during = [];
    for (let i = 0; i < 5; i++) during.push(anna.chat(`during ${i}`));
    for (const id of during) await rasa.next({ type: 'chat', id });
    const rasaDuring = rasa.chat('rasa while Redis is down');
    await anna.next({ type: 'chat', id: rasaDuring });
    await sleep(1500);
    for (const id of [...during, rasaDuring]) {
        assert.ok(!anna.acks.has(id) && !rasa.acks.has(id), `${id} acknowledged while Redis was down`);
    }
    assert.ok(anna.isOpen && rasa.isOpen, 'members stay connected');

    // A session that is not in memory cannot be loaded now.
    const other = stack.client('cold', 'mikael');
    await other.connect();
    await other.auth();
    other.send({ type: 'join' });
    const refused = await other.next((m) => m.type === 'joined' || m.type === 'error', 15000);
    assert.equal(refused.type, 'error');
    assert.equal(refused.code, 'store_unavailable');
    assert.ok(other.isOpen, 'store_unavailable keeps the connection');

    await redis.restart();
    await waitFor(async () => {
        const h = await healthz(kopa.port);
        return h.status === 200 && h.body?.redis === 'connected' && h.body?.status === 'ok';
    }, { timeoutMs: 30000, what: '/healthz to report Redis connected again' });
    await anna.allAcked(20000);
    await rasa.allAcked(20000);

    // Everything acknowledged is stored once, in the order it was shown.
    const all = [...early, ...during, rasaDuring];
    const fresh = await stack.enter('live', 'kadri');
    const history = await fresh.fetchAll('room:main');
    assert.equal(checkContiguous(history), null);
    const counts = idCounts(history);
    for (const id of all) assert.equal(counts.get(id), 1, `${id} stored ${counts.get(id) ?? 0} times`);
    assert.equal(history.length, all.length);
    const shown = anna.log().events.map((e) => `${e.offset} ${e.id}`);
    assert.deepEqual(history.map((e) => `${e.offset} ${e.id}`), shown, 'stored as shown live');
    for (const id of during) assert.equal(anna.acks.get(id).offset, history.find((e) => e.id === id).offset);

    // The cold session loads now.
    const joined = await other.join();
    assert.equal(joined.type, 'joined');

    // A second outage, this time a clean Redis shutdown, while idle.
    await redis.stop();
    await waitFor(async () => (await healthz(kopa.port)).status === 503, { timeoutMs: 15000, what: '503' });
    await redis.restart();
    await waitFor(async () => (await healthz(kopa.port)).status === 200, { timeoutMs: 30000, what: '200' });
    const last = anna.chat('after the second outage');
    await anna.acked(last, 15000);
    const h2 = await fresh.fetchAll('room:main');
    assert.equal(h2.length, all.length + 1);
    assert.equal(h2.at(-1).id, last);
});

test('the server starts while Redis is down and connects when it appears', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t, { redis: { appendfsync: 'always' } });
    const { redis, kopa } = stack;
    await kopa.stop();
    await redis.stop();
    await kopa.restart({ ready: 'http' });
    // Started without Redis: it must run and say so.
    const h = await waitFor(async () => {
        const r = await healthz(kopa.port);
        return r.status === 503 ? r : null;
    }, { timeoutMs: 15000, what: 'a 503 from /healthz without Redis' });
    assert.notEqual(h.body.redis, 'connected');
    await redis.restart();
    await waitFor(async () => (await healthz(kopa.port)).body?.redis === 'connected', {
        timeoutMs: 30000, what: 'the server to find Redis',
    });
    const anna = await stack.enter('late', 'anna');
    const id = anna.chat('Redis came late');
    await anna.acked(id);
});
