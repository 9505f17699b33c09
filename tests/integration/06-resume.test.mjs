// 06-resume: a client drops and comes back with join.since (protocol.md
// section 4) and gets exactly the events it missed, in order, on every
// channel it reads; a stale or unknown position gets the latest page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, PEOPLE, checkContiguous, idCounts } from './lib/harness.mjs';

test('a dropped client resumes with exactly the missed events', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('res', 'anna');
    const rasa = await stack.enter('res', 'rasa');

    const before = [];
    for (let i = 0; i < 5; i++) before.push(anna.chat(`before ${i}`));
    await anna.allAcked();
    await waitUntil(() => rasa.log().last === 5, 'rasa sees the first 5');
    const sinceAtDrop = rasa.since();
    const epoch = rasa.joinedMsg.epoch;
    assert.deepEqual(sinceAtDrop['room:main'], { epoch, offset: 5 });

    rasa.terminate(); // no close frame: a network drop
    await rasa.closed;
    const missed = [];
    for (let i = 0; i < 7; i++) missed.push(anna.chat(`while away ${i}`));
    const dms = [anna.dm(PEOPLE.rasa.sub, 'dm 1 while away'), anna.dm(PEOPLE.rasa.sub, 'dm 2 while away')];
    await anna.allAcked();

    const joined = await rasa.reconnect();
    assert.equal(joined.epoch, epoch, 'same epoch: the server lost nothing');
    const main = joined.channels['room:main'];
    assert.equal(main.recovered, true);
    assert.deepEqual(main.events.map((e) => e.id), missed, 'exactly the 7 missed, in order');
    assert.deepEqual(main.events.map((e) => e.offset), [6, 7, 8, 9, 10, 11, 12]);
    assert.equal(main.offset, 12);
    const priv = joined.channels[`user:${PEOPLE.rasa.sub}`];
    assert.equal(priv.recovered, true);
    assert.deepEqual(priv.events.map((e) => e.id), dms);

    const log = rasa.log('room:main');
    assert.deepEqual(log.events.map((e) => e.id), [...before, ...missed]);
    assert.equal(checkContiguous(log.events), null);
    assert.deepEqual(log.gaps, []);

    // Live events go on after the recovered ones.
    const after = anna.chat('after the return');
    const live = await rasa.next({ type: 'chat', id: after });
    assert.equal(live.offset, 13);
    assert.equal(rasa.log().last, 13);
    await anna.acked(after);

    // Resuming from the old position again is idempotent.
    const again = stack.client('res', 'rasa');
    await again.connect();
    await again.auth();
    const j2 = await again.join({ since: sinceAtDrop });
    assert.equal(j2.channels['room:main'].recovered, true);
    assert.deepEqual(j2.channels['room:main'].events.map((e) => e.id), [...missed, after]);
    await again.close();
});

test('nothing missed: recovered with no events; an up-to-date resume repeats nothing', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('res', 'anna');
    for (let i = 0; i < 3; i++) anna.chat(`m${i}`);
    await anna.allAcked();
    await waitUntil(() => anna.log().last === 3, 'anna sees her 3');
    await anna.close();
    const joined = await anna.reconnect();
    assert.equal(joined.channels['room:main'].recovered, true);
    assert.deepEqual(joined.channels['room:main'].events, []);
    assert.equal(anna.log().events.length, 3);
    for (const [id, n] of idCounts(anna.log().events)) assert.equal(n, 1, id);
});

test('an unknown epoch or a position from the future gets the latest page', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('res', 'anna');
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(anna.chat(`m${i}`));
    await anna.allAcked();

    const c = stack.client('res', 'rasa');
    await c.connect();
    await c.auth();
    const j = await c.join({ since: { 'room:main': { epoch: 'nosuchepoch0', offset: 2 } } });
    const main = j.channels['room:main'];
    assert.equal(main.recovered, false);
    assert.deepEqual(main.events.map((e) => e.id), ids);
    await c.close();

    const d = stack.client('res', 'rasa');
    await d.connect();
    await d.auth();
    const j2 = await d.join({ since: { 'room:main': { epoch: j.epoch, offset: 999 } } });
    assert.equal(j2.channels['room:main'].recovered, false, 'the server cannot prove what the client has');
    assert.deepEqual(j2.channels['room:main'].events.map((e) => e.id), ids);
    await d.close();
});

async function waitUntil(fn, what, ms = 5000) {
    const deadline = Date.now() + ms;
    while (!fn()) {
        if (Date.now() > deadline) assert.fail(`timed out: ${what}`);
        await new Promise((r) => setTimeout(r, 20));
    }
}
