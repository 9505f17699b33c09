// 07-server-kill: the server is killed with SIGKILL while three clients
// send chat continuously. It is started again on the same port; the clients
// reconnect with join.since and resend what was not acknowledged. In the
// end every acknowledged message is in every client's log exactly once, in
// offset order, and a fresh client sees the same history (DESIGN.md 5:
// acked only once stored; resends de-duplicated by id).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, PEOPLE, checkContiguous, idCounts, sleep } from './lib/harness.mjs';

const SESSION = 'crash';
const PER_CLIENT = 90;

test('SIGKILL mid-chat: no acknowledged message lost or shown twice', { timeout: 150000 }, async (t) => {
    // A high rate limit: this test is about crashes, not flooding.
    const stack = await startStack(t, { kopa: { args: ['--rate', '1000', '--burst', '1000'] } });
    const names = ['anna', 'rasa', 'mikael'];
    const clients = [];
    for (const n of names) clients.push(await stack.enter(SESSION, n));

    let killed = false;
    const reconnections = new Map(names.map((n) => [n, 0]));
    const senders = clients.map(async (c) => {
        for (let i = 0; i < PER_CLIENT; i++) {
            if (!c.isOpen) {
                await c.reconnect({ retryForMs: 30000 }); // resends what is pending
                reconnections.set(c.label, reconnections.get(c.label) + 1);
            }
            c.chat(`${c.label} says ${i}`);
            await sleep(15);
        }
        // Finish: reconnect if the last sends hit a dead server, and wait
        // until everything is acknowledged.
        const deadline = Date.now() + 40000;
        while (c.pending.size > 0) {
            if (Date.now() > deadline) throw new Error(`${c.label}: ${c.pending.size} never acknowledged`);
            if (!c.isOpen) {
                await c.reconnect({ retryForMs: 30000 });
                reconnections.set(c.label, reconnections.get(c.label) + 1);
            }
            await sleep(50);
        }
    });

    // Kill once about a third of the messages are acknowledged.
    const total = PER_CLIENT * clients.length;
    const deadline = Date.now() + 30000;
    while (clients.reduce((n, c) => n + c.acks.size, 0) < total / 3) {
        if (Date.now() > deadline) assert.fail('chat did not get going');
        await sleep(10);
    }
    await stack.kopa.kill9();
    killed = true;
    const ackedBeforeKill = new Set(clients.flatMap((c) => [...c.acks.keys()]));
    await sleep(300);
    await stack.kopa.restart();
    await Promise.all(senders);
    assert.ok(killed);
    for (const n of names) assert.ok(reconnections.get(n) >= 1, `${n} reconnected`);

    // Every sent message is acknowledged now. A fresh client reads the
    // whole history; every client's log must match it.
    const sentIds = clients.flatMap((c) => c.sent);
    assert.equal(sentIds.length, total);
    assert.equal(new Set(sentIds).size, total);
    const fresh = stack.client(SESSION, 'ilze');
    await fresh.enter();
    const history = await fresh.fetchAll('room:main');
    assert.equal(checkContiguous(history), null, `history: ${checkContiguous(history)}`);
    const counts = idCounts(history);
    for (const id of sentIds) assert.equal(counts.get(id) ?? 0, 1, `history holds ${id} ${counts.get(id) ?? 0} times`);
    assert.equal(history.length, total, `history holds ${history.length} events`);

    const lastOffset = history.at(-1).offset;
    const line = (e) => `${e.offset} ${e.id} ${e.from.id} ${e.text}`;
    for (const c of clients) {
        assert.equal(c.pending.size, 0);
        await waitLog(c, lastOffset);
        const log = await c.fillLog('room:main');
        assert.equal(checkContiguous(log.events), null, `${c.label}: ${checkContiguous(log.events)}`);
        const mine = idCounts(log.events);
        for (const id of sentIds) assert.equal(mine.get(id) ?? 0, 1, `${c.label} shows ${id} ${mine.get(id) ?? 0} times`);
        assert.deepEqual(log.events.map(line), history.map(line), `${c.label}'s log differs from the history`);
    }

    const byId = new Map(history.map((e) => [e.id, e]));
    for (const id of ackedBeforeKill) assert.ok(byId.has(id), `acked before the kill and lost: ${id}`);
    const epoch = fresh.joinedMsg.epoch;
    for (const c of clients) {
        for (const [id, ack] of c.acks) {
            if (ack.epoch !== epoch) continue; // offsets compare only within an epoch
            assert.equal(ack.offset, byId.get(id).offset, `ack of ${id}`);
        }
        // Each sender's messages keep the order they were first sent in.
        const mine = history.filter((e) => e.from.id === PEOPLE[c.label].sub).map((e) => e.id);
        assert.deepEqual(mine, c.sent, `${c.label}'s messages are out of order`);
    }
    await fresh.close();
});

async function waitLog(c, offset) {
    const deadline = Date.now() + 10000;
    while (c.log().last < offset) {
        if (Date.now() > deadline) break; // the checks that follow say what is missing
        await sleep(20);
    }
}
