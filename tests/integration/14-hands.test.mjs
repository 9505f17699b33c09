// 14-hands: the hand queue of protocol.md section 10.3. Hands are queued
// in the server's arrival order; raising twice keeps the place; members
// lower their own hands; coordinators and the session's host call the next
// person or a specific one (who is then "speaking"), end turns and clear
// the queue. The queue and the speakers survive a reconnect and a server
// restart in the same order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep, waitFor } from './lib/harness.mjs';
import { act, refused, request, storedOps } from './lib/live.mjs';

const users = (list) => list.map((x) => x.user);

test('raise in order, call next, call someone, speaking, clear', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const ilze = await stack.enter('hands', 'ilze');
    const anna = await stack.enter('hands', 'anna');
    const rasa = await stack.enter('hands', 'rasa');
    const kadri = await stack.enter('hands', 'kadri');

    const h1 = await act(anna, { type: 'hand', op: 'raise' });
    assert.equal(h1.user, 'u-anna');
    await act(rasa, { type: 'hand', op: 'raise' });
    const h3 = await act(kadri, { type: 'hand', op: 'raise' });
    assert.deepEqual(users(h3.hands.queue), ['u-anna', 'u-rasa', 'u-kadri']);
    const at = h3.hands.queue.map((x) => x.raised_at);
    assert.ok(at[0] <= at[1] && at[1] <= at[2]);
    const seen = await ilze.next({ type: 'hands', op: 'raise', user: 'u-kadri' });
    assert.deepEqual(seen.hands, h3.hands, 'the host sees the same queue');

    // Raising again keeps the place and sends nothing.
    ilze.drain();
    anna.send({ type: 'hand', op: 'raise' });
    await sleep(300);
    assert.equal((await ilze.collect(0, { type: 'hands', user: 'u-anna' })).length, 0);

    const lowered = await act(rasa, { type: 'hand', op: 'lower' });
    assert.deepEqual(users(lowered.hands.queue), ['u-anna', 'u-kadri']);
    assert.equal((await refused(rasa, { type: 'hand', op: 'lower' })).code, 'bad_state');
    assert.equal((await refused(kadri, { type: 'hand', op: 'lower', user: 'u-anna' })).code, 'forbidden');
    assert.equal((await refused(kadri, { type: 'hand', op: 'call_next' })).code, 'forbidden');

    const called = await act(ilze, { type: 'hand', op: 'call_next' });
    assert.equal(called.user, 'u-anna', 'the first to raise is called first');
    assert.deepEqual(users(called.hands.queue), ['u-kadri']);
    assert.deepEqual(users(called.hands.speaking), ['u-anna']);
    assert.equal((await anna.next({ type: 'hands', op: 'call_next' })).user, 'u-anna');

    // Calling someone whose hand is down makes them speak too.
    const direct = await act(ilze, { type: 'hand', op: 'call', user: 'u-rasa' });
    assert.deepEqual(users(direct.hands.speaking), ['u-anna', 'u-rasa']);
    assert.equal((await refused(ilze, { type: 'hand', op: 'call', user: 'u-nobody' })).code, 'unknown_member');
    assert.equal((await refused(ilze, { type: 'hand', op: 'call' })).code, 'missing_field');

    // A speaker ends their own turn; the host ends someone else's.
    const own = await act(anna, { type: 'hand', op: 'stop_speaking' });
    assert.deepEqual(users(own.hands.speaking), ['u-rasa']);
    const ended = await act(ilze, { type: 'hand', op: 'stop_speaking', user: 'u-rasa' });
    assert.deepEqual(ended.hands.speaking, []);
    assert.equal((await refused(ilze, { type: 'hand', op: 'stop_speaking', user: 'u-rasa' })).code, 'bad_state');

    await act(anna, { type: 'hand', op: 'raise' });
    const cleared = await act(ilze, { type: 'hand', op: 'clear' });
    assert.deepEqual(cleared.hands.queue, []);
    assert.equal((await refused(ilze, { type: 'hand', op: 'call_next' })).code, 'bad_state');
    assert.equal((await refused(ilze, { type: 'hand', op: 'wave' })).code, 'bad_value');
});

test('the queue and the speakers survive a reconnect and a restart', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const ilze = await stack.enter('hands-crash', 'ilze');
    const people = [];
    for (const n of ['kadri', 'anna', 'jonas', 'rasa']) {
        const c = await stack.enter('hands-crash', n);
        await act(c, { type: 'hand', op: 'raise' });
        people.push(c);
    }
    const call = await act(ilze, { type: 'hand', op: 'call_next' });
    assert.equal(call.user, 'u-kadri');
    const last = await act(people[2], { type: 'hand', op: 'lower' });
    assert.deepEqual(users(last.hands.queue), ['u-anna', 'u-rasa']);

    const joined = await people[1].reconnect();
    assert.deepEqual(joined.state.hands, last.hands);

    await waitFor(async () => Object.keys(await storedOps(stack.redis.port, 'hands-crash')).length === 6, { what: 'six ops stored' });
    await stack.kopa.kill9();
    await stack.kopa.restart();
    const after = await people[3].reconnect();
    assert.deepEqual(after.state.hands, last.hands, 'same queue, same speakers, same times');
    // Arrival order goes on after the restart.
    await people[2].reconnect();
    const again = await act(people[2], { type: 'hand', op: 'raise' });
    assert.deepEqual(users(again.hands.queue), ['u-anna', 'u-rasa', 'u-jonas']);
});

test("a workshop's expert host manages hands there, and only there", { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const ilze = await stack.enter('hands-ws', 'ilze');
    await request(ilze, { type: 'programme', op: 'add', entry: {
        session: 'hands-ws', kind: 'workshop', title: 'Meeting impact investors',
        start: Date.UTC(2027, 2, 4, 13, 0), tz: 'Europe/Stockholm', duration_ms: 90 * 60000, host: 'u-mikael',
    } }, 'programme');
    const mikael = await stack.enter('hands-ws', 'mikael');
    assert.equal(mikael.joinedMsg.state.host, 'u-mikael');
    const anna = await stack.enter('hands-ws', 'anna');
    await act(anna, { type: 'hand', op: 'raise' });
    const called = await act(mikael, { type: 'hand', op: 'call_next' });
    assert.equal(called.user, 'u-anna');
    assert.equal(called.by.role, 'expert');

    // In a session that is not his, the expert may not.
    const mikael2 = await stack.enter('hands-other', 'mikael');
    const rasa = await stack.enter('hands-other', 'rasa');
    assert.equal(mikael2.joinedMsg.state.host, undefined);
    await act(rasa, { type: 'hand', op: 'raise' });
    assert.equal((await refused(mikael2, { type: 'hand', op: 'call_next' })).code, 'forbidden');
    // But he may raise his own hand like anyone.
    await act(mikael2, { type: 'hand', op: 'raise' });
});
