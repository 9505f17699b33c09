// 02-chat: two and more members chat in the main room (protocol.md section
// 5 "chat" and 6 "chat (event)", "ack"): everyone, the sender included, gets
// the event; the sender gets an ack with the same offset once it is stored;
// resending an id never makes a second message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, PEOPLE, checkContiguous, idCounts } from './lib/harness.mjs';

test('two members chat: events, acks and offsets', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('riga', 'anna');
    const mikael = await stack.enter('riga', 'mikael');

    const id = anna.chat('Labdien, Mikael!', { ref: 'r-1' });
    const evA = await anna.next({ type: 'chat', id });
    const evM = await mikael.next({ type: 'chat', id });
    const ack = await anna.acked(id);
    for (const ev of [evA, evM]) {
        assert.equal(ev.channel, 'room:main');
        assert.equal(ev.offset, 1, 'the first event of a channel has offset 1');
        assert.equal(ev.text, 'Labdien, Mikael!');
        assert.deepEqual({ id: ev.from.id, name: ev.from.name, role: ev.from.role },
            { id: PEOPLE.anna.sub, name: PEOPLE.anna.name, role: 'entrepreneur' });
        assert.equal(typeof ev.ts, 'number');
    }
    assert.equal(ack.channel, 'room:main');
    assert.equal(ack.offset, 1);
    assert.equal(ack.ref, 'r-1', 'the ack is the reply and carries ref');

    const id2 = mikael.chat('Hej Anna — hur mår du? 🌲');
    const ev2 = await anna.next({ type: 'chat', id: id2 });
    assert.equal(ev2.offset, 2);
    assert.equal(ev2.text, 'Hej Anna — hur mår du? 🌲');
    assert.equal(ev2.from.role, 'expert');
    assert.equal((await mikael.acked(id2)).offset, 2);

    // The explicit room "main" is the same room.
    const id3 = anna.chat('  spaces are kept  \n', { room: 'main' });
    const ev3 = await mikael.next({ type: 'chat', id: id3 });
    assert.equal(ev3.text, '  spaces are kept  \n');
    assert.equal(ev3.offset, 3);
    await anna.acked(id3);
});

test('text of exactly 4000 bytes of UTF-8 is accepted unchanged', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('s1', 'anna');
    const rasa = await stack.enter('s1', 'rasa');
    const text = 'ā'.repeat(1999) + 'xy'; // 3998 + 2 bytes
    assert.equal(Buffer.byteLength(text), 4000);
    const id = anna.chat(text);
    const ev = await rasa.next({ type: 'chat', id });
    assert.equal(ev.text, text);
    await anna.acked(id);
});

test('resending an id gives the original ack and no second message', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('s1', 'anna');
    const rasa = await stack.enter('s1', 'rasa');
    const id = anna.chat('only once');
    const first = await anna.acked(id);
    await rasa.next({ type: 'chat', id });

    anna.acks.delete(id);
    anna.send({ type: 'chat', id, text: 'only once' });
    const again = await anna.next({ type: 'ack', id });
    assert.equal(again.offset, first.offset);
    assert.equal(again.channel, first.channel);
    // Even with another text, the id decides.
    anna.send({ type: 'chat', id, text: 'changed my mind' });
    const third = await anna.next({ type: 'ack', id });
    assert.equal(third.offset, first.offset);

    const later = anna.chat('next one');
    assert.equal((await anna.acked(later)).offset, first.offset + 1);
    const seen = await rasa.collect(300, 'chat');
    assert.deepEqual(seen.map((e) => e.id), [later], 'rasa saw no duplicate');
    const stored = await rasa.fetchAll('room:main');
    assert.deepEqual(stored.map((e) => e.id), [id, later]);
});

test('concurrent senders: every member sees the same order, contiguous', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t);
    const names = ['anna', 'rasa', 'mikael', 'ilze'];
    const cs = [];
    for (const n of names) cs.push(await stack.enter('busy', n));
    const perClient = 25;
    for (let i = 0; i < perClient; i++) {
        for (const c of cs) c.chat(`${c.label} #${i}`);
    }
    for (const c of cs) await c.allAcked(20000);
    const total = perClient * cs.length;
    for (const c of cs) {
        await waitForLog(c, total);
    }
    const ref = cs[0].log().events.map((e) => `${e.offset}:${e.id}`);
    for (const c of cs) {
        const log = c.log();
        assert.equal(checkContiguous(log.events), null);
        assert.deepEqual(log.gaps, []);
        assert.equal(log.events[0].offset, 1);
        assert.deepEqual(log.events.map((e) => `${e.offset}:${e.id}`), ref, `${c.label} saw another order`);
        for (const [id, n] of idCounts(log.events)) assert.equal(n, 1, `${id} shown ${n} times`);
        // Each sender's own messages keep their order, and acks match offsets.
        const mine = log.events.filter((e) => e.from.id === c.me.id);
        assert.deepEqual(mine.map((e) => e.text), [...Array(perClient).keys()].map((i) => `${c.label} #${i}`));
        for (const e of mine) assert.equal(c.acks.get(e.id).offset, e.offset);
    }
});

async function waitForLog(c, n) {
    const deadline = Date.now() + 10000;
    while (c.log().events.length < n) {
        if (Date.now() > deadline) assert.fail(`${c.label} has ${c.log().events.length} of ${n} events`);
        await new Promise((r) => setTimeout(r, 20));
    }
}
