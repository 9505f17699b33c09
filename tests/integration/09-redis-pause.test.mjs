// 09-redis-pause: Redis hangs (SIGSTOP) for 10 s while chat goes on, then
// resumes (SIGCONT). During the pause members keep chatting live and no
// message sent during the pause is acknowledged; afterwards every message is
// acknowledged and stored exactly once (DESIGN.md 5 "Redis down or hung").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, checkContiguous, idCounts, sleep } from './lib/harness.mjs';

const PAUSE_MS = 10000;

test('Redis paused for 10 s: chat goes on, everything acknowledged is stored', { timeout: 150000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '1000', '--burst', '1000'] } });
    const { redis } = stack;
    const anna = await stack.enter('hang', 'anna');
    const rasa = await stack.enter('hang', 'rasa');
    const before = [];
    for (let i = 0; i < 5; i++) before.push(anna.chat(`before ${i}`));
    await anna.allAcked();

    redis.pause();
    const pausedAt = Date.now();
    const during = { anna: [], rasa: [] };
    let lateDeliveries = 0;
    let n = 0;
    while (Date.now() - pausedAt < PAUSE_MS) {
        const sender = n % 2 === 0 ? anna : rasa;
        const reader = sender === anna ? rasa : anna;
        const id = sender.chat(`during the pause ${n}`);
        during[sender.label].push(id);
        n++;
        // Fan-out does not wait for Redis.
        const t0 = Date.now();
        await reader.next({ type: 'chat', id }, 3000);
        if (Date.now() - t0 > 1000) lateDeliveries++;
        await sleep(150);
    }
    const ackedDuring = [...during.anna.filter((id) => anna.acks.has(id)),
        ...during.rasa.filter((id) => rasa.acks.has(id))];
    assert.ok(stack.kopa.running, 'the server is up');
    redis.resume();
    assert.deepEqual(ackedDuring, [], 'acknowledged while Redis was stopped');
    assert.ok(lateDeliveries <= 1, `${lateDeliveries} live deliveries took over a second`);
    assert.ok(n >= 30, `only ${n} messages went through in ${PAUSE_MS} ms`);

    await anna.allAcked(30000);
    await rasa.allAcked(30000);
    const after = anna.chat('after the pause');
    await anna.acked(after, 10000);

    const fresh = await stack.enter('hang', 'kadri');
    const history = await fresh.fetchAll('room:main');
    const all = [...before, ...during.anna, ...during.rasa, after];
    assert.equal(checkContiguous(history), null);
    const counts = idCounts(history);
    for (const id of all) assert.equal(counts.get(id), 1, `${id} stored ${counts.get(id) ?? 0} times`);
    assert.equal(history.length, all.length);
    // Stored in the order everyone saw live, and the acks agree.
    for (const c of [anna, rasa]) {
        const log = c.log();
        assert.deepEqual(log.gaps, []);
        assert.deepEqual(log.events.map((e) => `${e.offset} ${e.id}`), history.map((e) => `${e.offset} ${e.id}`));
        const byId = new Map(history.map((e) => [e.id, e.offset]));
        for (const [id, ack] of c.acks) assert.equal(ack.offset, byId.get(id), `ack of ${id}`);
    }
});

test('while Redis is away the write queue is bounded: past it chat is refused, not lost, and taken again later',
    { timeout: 120000 }, async (t) => {
        const stack = await startStack(t, { kopa: { args: ['--store-queue', '40', '--rate', '1000', '--burst', '1000'] } });
        const { redis } = stack;
        const anna = await stack.enter('full', 'anna');
        const rasa = await stack.enter('full', 'rasa');
        await anna.acked(anna.chat('before'));

        redis.pause();
        const taken = [];
        let refused = null;
        for (let i = 0; i < 200 && !refused; i++) {
            const id = anna.chat(`queued ${i}`);
            const m = await anna.next((x) => (x.type === 'chat' || x.type === 'error') && x.id === id, 3000);
            if (m.type === 'error') refused = { id, m };
            else taken.push(id);
        }
        assert.ok(refused, 'a message is refused once the queue is full');
        assert.equal(refused.m.code, 'store_unavailable');
        assert.ok(taken.length >= 5 && taken.length < 40, `${taken.length} messages fit in a queue of 40 writes`);
        assert.deepEqual([...anna.acks.keys()].filter((id) => taken.includes(id)), [], 'none acknowledged while Redis is away');
        const seen = (await rasa.collect(300)).filter((m) => m.type === 'chat').map((m) => m.id);
        assert.ok(!seen.includes(refused.id), 'a refused message reaches nobody');
        assert.ok(stack.kopa.running);

        redis.resume();
        for (const id of taken) await anna.acked(id, 30000);
        // The refused message, sent again with the same id, is taken now.
        anna.pending.set(refused.id, { type: 'chat', id: refused.id, text: 'refused, then resent' });
        anna.send(anna.pending.get(refused.id));
        const ack = await anna.acked(refused.id, 10000);
        const ev = await rasa.next({ type: 'chat', id: refused.id });
        assert.equal(ev.offset, ack.offset);
        const history = await (await stack.enter('full', 'kadri')).fetchAll('room:main');
        assert.equal(checkContiguous(history), null);
        assert.deepEqual(history.map((e) => e.id), [...anna.sent.filter((id) => id !== refused.id).slice(0, 1 + taken.length), refused.id]);
    });
