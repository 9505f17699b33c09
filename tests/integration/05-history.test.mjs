// 05-history: the latest page on join and older pages with `history`
// (protocol.md sections 4, 5 "history" and 6 "history"), and that stored
// history survives a restart of the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, checkContiguous, sleep } from './lib/harness.mjs';

/** Sends n chats at about 16 a second, under the default rate limit
 * (20 a second), and waits for their acks. */
async function sendMany(c, n, prefix) {
    const ids = [];
    for (let i = 0; i < n; i++) {
        ids.push(c.chat(`${prefix} ${i}`));
        await sleep(60);
    }
    await c.allAcked(10000);
    return ids;
}

test('a new member gets the latest page on join, and older pages on request', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('hist', 'anna');
    const ids = await sendMany(anna, 60, 'message');

    const rasa = stack.client('hist', 'rasa');
    const joined = await rasa.enter();
    const main = joined.channels['room:main'];
    assert.equal(main.recovered, false);
    assert.equal(main.offset, 60);
    assert.ok(main.events.length >= 1 && main.events.length <= 100, `page of ${main.events.length}`);
    assert.equal(checkContiguous(main.events), null);
    assert.equal(main.events.at(-1).offset, 60, 'the page ends with the latest event');
    assert.deepEqual(main.events.map((e) => e.id), ids.slice(60 - main.events.length));
    for (const e of main.events) {
        assert.equal(e.type, 'chat');
        assert.equal(e.channel, 'room:main');
    }

    // The newest 50 by default, in ascending order.
    const h = await rasa.history('room:main');
    assert.equal(h.type, 'history');
    assert.equal(h.channel, 'room:main');
    assert.deepEqual(h.events.map((e) => e.offset), [...Array(50).keys()].map((i) => i + 11));
    assert.equal(h.more, true);

    // before and limit.
    const h2 = await rasa.history('room:main', { before: 30, limit: 10 });
    assert.deepEqual(h2.events.map((e) => e.offset), [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    assert.deepEqual(h2.events.map((e) => e.text), [...Array(10).keys()].map((i) => `message ${19 + i}`));
    assert.equal(h2.more, true);
    const h3 = await rasa.history('room:main', { before: 11, limit: 100 });
    assert.deepEqual(h3.events.map((e) => e.offset), [...Array(10).keys()].map((i) => i + 1));
    assert.equal(h3.more, false);
    const h4 = await rasa.history('room:main', { before: 1 });
    assert.deepEqual(h4.events, []);
    assert.equal(h4.more, false);

    // Everything, paged.
    const all = await rasa.fetchAll('room:main');
    assert.deepEqual(all.map((e) => e.id), ids);
    assert.deepEqual(all.map((e) => e.offset), [...Array(60).keys()].map((i) => i + 1));

    // The reply carries the request's ref.
    rasa.send({ type: 'history', channel: 'room:main', limit: 1, ref: 'the-ref' });
    const withRef = await rasa.next('history');
    assert.equal(withRef.ref, 'the-ref');
    assert.equal(withRef.events.length, 1);

    // My own private channel is readable (and empty).
    const mine = await rasa.history(`user:${rasa.me.id}`);
    assert.deepEqual(mine.events, []);
    assert.equal(mine.more, false);
});

test('history requests are checked', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('hist', 'anna');
    await sendMany(anna, 3, 'x');
    const cases = [
        [{ limit: 0 }, 'bad_value'],
        [{ limit: 101 }, 'bad_value'],
        [{ limit: -5 }, 'bad_value'],
        [{ limit: '10' }, 'wrong_type'],
        [{ before: 'ten' }, 'wrong_type'],
        [{ channel: 42 }, 'wrong_type'],
        [{ channel: 'user:u-someone-else' }, 'forbidden_channel'],
        [{ channel: 'room:breakout-7' }, 'forbidden_channel'],
    ];
    let n = 0;
    for (const [fields, code] of cases) {
        const ref = `c${++n}`;
        const e = await anna.expectError({ type: 'history', channel: 'room:main', ref, ...fields });
        assert.equal(e.code, code, `${JSON.stringify(fields)} -> ${e.code}`);
        assert.equal(e.ref, ref);
    }
    const missing = await anna.expectError({ type: 'history', ref: 'm' });
    assert.equal(missing.code, 'missing_field');
    const ok = await anna.history('room:main', { limit: 100 });
    assert.equal(ok.events.length, 3);
    assert.equal(ok.more, false);
});

test('stored history survives a server restart', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('keep', 'anna');
    const ids = await sendMany(anna, 12, 'kept');
    await anna.close();

    await stack.kopa.stop();
    await stack.kopa.restart();

    const rasa = stack.client('keep', 'rasa');
    const joined = await rasa.enter();
    assert.equal(joined.channels['room:main'].offset, 12);
    const all = await rasa.fetchAll('room:main');
    assert.deepEqual(all.map((e) => e.id), ids);
    assert.deepEqual(all.map((e) => e.text), [...Array(12).keys()].map((i) => `kept ${i}`));
    await rasa.close();
});
