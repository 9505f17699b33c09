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
