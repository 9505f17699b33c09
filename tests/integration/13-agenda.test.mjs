// 13-agenda: the live agenda of protocol.md section 10.2. Every member
// sees the same agenda and the same timer (the same event frame, and the
// same state in joined for a late or reconnecting member); pause, resume,
// extend, next and auto-advance move the timer as the server's clock says;
// a member who reconnects mid-item gets the right time left; and after a
// SIGKILL and a restart the running item goes on with the right time left
// (the agenda is rebuilt from the stored ops).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep, waitFor } from './lib/harness.mjs';
import { act, refused, storedOps } from './lib/live.mjs';

const MIN = 60000;

/** The item of an agenda object by id. */
const item = (agenda, id) => agenda.items.find((x) => x.id === id);

/** Checks the arithmetic of a running or paused agenda object. */
function checkTimer(a) {
    assert.equal(a.total_ms - a.elapsed_ms, a.time_left_ms, 'time_left = total - elapsed');
    if (a.state === 'running') assert.equal(a.ends_at, a.server_time + a.time_left_ms, 'ends_at = server_time + time_left');
    else assert.equal(a.ends_at, undefined, 'no ends_at while paused');
}

test('two members see the same agenda and timer; pause, extend, next, auto-advance', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const ilze = await stack.enter('plenary', 'ilze');
    const anna = await stack.enter('plenary', 'anna');
    const rasa = await stack.enter('plenary', 'rasa');

    const added = await act(ilze, { type: 'agenda', op: 'add', title: 'Check-in round', kind: 'plenary', timebox_ms: 10 * MIN, lead: 'u-ilze' });
    assert.equal(added.item, 1);
    assert.deepEqual(added.by, { id: 'u-ilze', name: 'Ilze Kalniņa', role: 'coordinator' });
    await act(ilze, { type: 'agenda', op: 'add', title: 'Financing: what worked', kind: 'talk', timebox_ms: 20 * MIN });
    // Inserted before item 2: order 1, 3, 2.
    const third = await act(ilze, { type: 'agenda', op: 'add', title: 'Pairs', kind: 'breakout', timebox_ms: 15 * MIN, before: 2 });
    assert.deepEqual(third.agenda.items.map((x) => x.id), [1, 3, 2]);
    assert.equal(third.agenda.state, 'idle');
    assert.equal(third.agenda.current, null);

    const t0 = Date.now();
    const started = await act(ilze, { type: 'agenda', op: 'start' });
    const seenA = await anna.next({ type: 'agenda', op: 'start' });
    const seenR = await rasa.next({ type: 'agenda', op: 'start' });
    assert.deepEqual(seenA, started, 'every member gets the very same event');
    assert.deepEqual(seenR, started);
    const a = started.agenda;
    assert.equal(started.item, 1);
    assert.equal(a.current, 1);
    assert.equal(a.state, 'running');
    assert.equal(a.total_ms, 10 * MIN);
    assert.equal(a.time_left_ms, 10 * MIN);
    assert.equal(a.ends_at, a.started_at + 10 * MIN);
    assert.ok(Math.abs(a.started_at - t0) < 2000, 'started_at is the server clock now');
    assert.equal(item(a, 1).state, 'running');
    assert.equal(item(a, 1).lead, 'u-ilze');
    checkTimer(a);

    // Pause for a while: the time left stays, ends_at goes away.
    await sleep(300);
    const paused = await act(ilze, { type: 'agenda', op: 'pause' });
    assert.equal(paused.agenda.state, 'paused');
    checkTimer(paused.agenda);
    assert.ok(paused.agenda.elapsed_ms >= 250 && paused.agenda.elapsed_ms < 3000, `elapsed ${paused.agenda.elapsed_ms}`);
    await sleep(400);
    const resumed = await act(ilze, { type: 'agenda', op: 'resume' });
    assert.equal(resumed.agenda.state, 'running');
    assert.equal(resumed.agenda.elapsed_ms, paused.agenda.elapsed_ms, 'the pause does not count');
    assert.equal(resumed.agenda.started_at, a.started_at, 'started_at is the first start');
    checkTimer(resumed.agenda);
    assert.ok(resumed.agenda.ends_at >= a.ends_at + 350, 'the end moved by the pause');

    const extended = await act(ilze, { type: 'agenda', op: 'extend', ms: MIN });
    assert.equal(extended.agenda.total_ms, 11 * MIN);
    assert.equal(item(extended.agenda, 1).extended_ms, MIN);
    assert.ok(extended.agenda.ends_at - resumed.agenda.ends_at === MIN);
    checkTimer(extended.agenda);

    // Refusals change nothing and name the reason.
    assert.equal((await refused(ilze, { type: 'agenda', op: 'start' })).code, 'bad_state');
    assert.equal((await refused(ilze, { type: 'agenda', op: 'resume' })).code, 'bad_state');
    assert.equal((await refused(ilze, { type: 'agenda', op: 'skip', item: 99 })).code, 'not_found');
    assert.equal((await refused(ilze, { type: 'agenda', op: 'extend', ms: 10 })).code, 'bad_value');
    assert.equal((await refused(ilze, { type: 'agenda', op: 'add', title: 'x', kind: 'party', timebox_ms: MIN })).code, 'bad_value');
    assert.equal((await refused(ilze, { type: 'agenda', op: 'fly' })).code, 'bad_value');

    // next: item 1 done, the next in order (3) runs.
    const next = await act(ilze, { type: 'agenda', op: 'next' });
    assert.equal(next.agenda.current, 3);
    assert.equal(item(next.agenda, 1).state, 'done');
    assert.equal(item(next.agenda, 3).state, 'running');
    // A late member gets the same agenda in joined.
    const kadri = await stack.enter('plenary', 'kadri');
    const late = kadri.joinedMsg.state.agenda;
    assert.equal(late.current, 3);
    assert.equal(late.started_at, next.agenda.started_at);
    assert.equal(late.ends_at, next.agenda.ends_at);
    assert.deepEqual(late.items.map((x) => [x.id, x.state]), next.agenda.items.map((x) => [x.id, x.state]));
    checkTimer(late);

    // Reorder while running: the timer is untouched.
    const moved = await act(ilze, { type: 'agenda', op: 'move', item: 2, to: 0 });
    assert.deepEqual(moved.agenda.items.map((x) => x.id), [2, 1, 3]);
    assert.equal(moved.agenda.started_at, next.agenda.started_at);
    assert.equal(moved.agenda.ends_at, next.agenda.ends_at);

    // Auto-advance: two short items; the second starts at the exact
    // instant the first one ends, on every screen.
    const s1 = await act(ilze, { type: 'agenda', op: 'add', title: 'Short one', kind: 'qa', timebox_ms: 1500 });
    const s2 = await act(ilze, { type: 'agenda', op: 'add', title: 'Short two', kind: 'feedback', timebox_ms: 1500 });
    await act(ilze, { type: 'agenda', op: 'auto_advance', on: true });
    const jumped = await act(ilze, { type: 'agenda', op: 'jump', item: s1.item });
    assert.equal(jumped.agenda.auto_advance, true);
    assert.equal(item(jumped.agenda, 3).state, 'done');
    const endsAt = jumped.agenda.ends_at;
    const advA = await anna.next({ type: 'agenda', event: 'advanced' }, 8000);
    const advR = await rasa.next({ type: 'agenda', event: 'advanced' }, 8000);
    assert.deepEqual(advA, advR);
    assert.equal(advA.item, s2.item);
    assert.equal(advA.by, undefined, 'timer events come from the server');
    assert.equal(advA.agenda.current, s2.item);
    assert.equal(advA.agenda.started_at, endsAt, 'the next item starts when the first ended');
    const ended = await anna.next({ type: 'agenda', event: 'ended', item: s1.item }, 8000);
    assert.equal(ended.offset < advA.offset, true);
    // When the second ends, auto-advance goes on with the first pending
    // item from the top (2, moved there above).
    const back = await rasa.next({ type: 'agenda', event: 'advanced', item: 2 }, 8000);
    assert.equal(back.agenda.current, 2);
    assert.equal(back.agenda.started_at, advA.agenda.ends_at);
    assert.deepEqual(back.agenda.items.map((x) => x.state), ['running', 'done', 'done', 'done', 'done']);
});

test('a member who reconnects mid-item gets the right time left', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const ilze = await stack.enter('riga', 'ilze');
    const anna = await stack.enter('riga', 'anna');
    await act(ilze, { type: 'agenda', op: 'add', title: 'Plenary', kind: 'plenary', timebox_ms: 10 * MIN });
    const started = await act(ilze, { type: 'agenda', op: 'start' });
    await anna.next({ type: 'agenda', op: 'start' });
    await sleep(1200);

    // Resuming with since: the start event is not sent again, and the state
    // in joined says how much time is left now.
    const before = anna.log().last;
    const joined = await anna.reconnect();
    const ch = joined.channels['room:main'];
    assert.equal(ch.recovered, true);
    assert.equal(ch.events.length, 0);
    assert.equal(anna.log().last, before);
    const a = joined.state.agenda;
    assert.equal(a.current, 1);
    assert.equal(a.state, 'running');
    assert.equal(a.started_at, started.agenda.started_at);
    assert.equal(a.ends_at, started.agenda.ends_at, 'the end did not move');
    checkTimer(a);
    assert.ok(a.elapsed_ms >= 1150 && a.elapsed_ms < 5000, `elapsed ${a.elapsed_ms}`);
    assert.equal(a.elapsed_ms, a.server_time - a.started_at);
    assert.ok(Math.abs(a.server_time - Date.now()) < 2000);

    // A member who joins for the first time sees the same timer.
    const rasa = await stack.enter('riga', 'rasa');
    assert.equal(rasa.joinedMsg.state.agenda.ends_at, started.agenda.ends_at);
    assert.equal(rasa.joinedMsg.channels['room:main'].events.at(-1).op, 'start');
});

test('SIGKILL during a running item: after the restart it runs on with the right time left', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t);
    const ilze = await stack.enter('crash-agenda', 'ilze');
    const anna = await stack.enter('crash-agenda', 'anna');
    await act(ilze, { type: 'agenda', op: 'add', title: 'Long talk', kind: 'talk', timebox_ms: 10 * MIN });
    await act(ilze, { type: 'agenda', op: 'add', title: 'Quick check', kind: 'qa', timebox_ms: 1500 });
    await act(ilze, { type: 'agenda', op: 'add', title: 'After', kind: 'plenary', timebox_ms: 5 * MIN });
    const started = await act(ilze, { type: 'agenda', op: 'start' });
    await act(ilze, { type: 'agenda', op: 'extend', ms: 2 * MIN });
    // Every op is in Redis before the crash.
    await waitFor(async () => Object.keys(await storedOps(stack.redis.port, 'crash-agenda')).length >= 5, { what: 'the ops stored' });
    await sleep(800);
    await stack.kopa.kill9();
    await sleep(1000);
    await stack.kopa.restart();

    const joined = await anna.reconnect();
    const a = joined.state.agenda;
    assert.equal(a.current, 1);
    assert.equal(a.state, 'running');
    assert.equal(a.started_at, started.agenda.started_at);
    assert.equal(a.total_ms, 12 * MIN, 'the extension survived');
    assert.equal(a.ends_at, started.agenda.ends_at + 2 * MIN, 'the end is where it was');
    checkTimer(a);
    const sinceStart = a.server_time - a.started_at;
    assert.equal(a.elapsed_ms, sinceStart, 'the time while the server was down counts');
    assert.ok(sinceStart >= 1800 && sinceStart < 15000, `elapsed ${sinceStart}`);
    assert.deepEqual(a.items.map((x) => [x.id, x.title, x.state]),
        [[1, 'Long talk', 'running'], [2, 'Quick check', 'pending'], [3, 'After', 'pending']]);

    // The restarted server keeps running the agenda: pause works and the
    // item after a crash mid-pause is still paused with the same time.
    const ilze2 = stack.client('crash-agenda', 'ilze');
    await ilze2.enter();
    const paused = await act(ilze2, { type: 'agenda', op: 'pause' });
    await waitFor(async () => Object.keys(await storedOps(stack.redis.port, 'crash-agenda')).length >= 6, { what: 'the pause stored' });
    await stack.kopa.kill9();
    await sleep(500);
    await stack.kopa.restart();
    const again = await anna.reconnect();
    assert.equal(again.state.agenda.state, 'paused');
    assert.equal(again.state.agenda.elapsed_ms, paused.agenda.elapsed_ms);
    assert.equal(again.state.agenda.time_left_ms, paused.agenda.time_left_ms);

    // Auto-advance that falls due while the server is down happens anyway,
    // at the instant the item ended.
    const ilze3 = stack.client('crash-agenda', 'ilze');
    await ilze3.enter();
    await act(ilze3, { type: 'agenda', op: 'auto_advance', on: true });
    const quick = await act(ilze3, { type: 'agenda', op: 'jump', item: 2 });
    await waitFor(async () => Object.keys(await storedOps(stack.redis.port, 'crash-agenda')).length >= 8, { what: 'the jump stored' });
    await stack.kopa.kill9();
    await sleep(2500);
    await stack.kopa.restart();
    const after = await anna.reconnect();
    const b = after.state.agenda;
    assert.equal(b.current, 3, JSON.stringify(b));
    assert.equal(b.started_at, quick.agenda.ends_at, 'item 3 started when item 2 ended');
    assert.equal(item(b, 2).state, 'done');
    checkTimer(b);
    assert.ok(!(await anna.collect(300)).some((m) => m.type === 'error'));
});

test('topic proposals: one vote per member per topic, ordered by votes, kept across a restart', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const ilze = await stack.enter('topics', 'ilze');
    const anna = await stack.enter('topics', 'anna');
    const rasa = await stack.enter('topics', 'rasa');
    const kadri = await stack.enter('topics', 'kadri');

    const t1 = await act(anna, { type: 'topic', op: 'propose', title: 'Reporting impact to funders' });
    const t2 = await act(rasa, { type: 'topic', op: 'propose', title: 'Selling to municipalities' });
    const t3 = await act(kadri, { type: 'topic', op: 'propose', title: 'Volunteers vs staff' });
    assert.deepEqual([t1.topic, t2.topic, t3.topic], [1, 2, 3]);
    assert.deepEqual(t3.topics.map((x) => [x.id, x.author, x.votes]),
        [[1, 'u-anna', 0], [2, 'u-rasa', 0], [3, 'u-kadri', 0]], 'no votes: in the order proposed');

    await act(anna, { type: 'topic', op: 'vote', topic: 2 });
    await act(kadri, { type: 'topic', op: 'vote', topic: 2 });
    const v = await act(rasa, { type: 'topic', op: 'vote', topic: 3 });
    assert.deepEqual(v.topics.map((x) => [x.id, x.votes]), [[2, 2], [3, 1], [1, 0]]);
    assert.deepEqual(v.topics[0].voters.sort(), ['u-anna', 'u-kadri']);
    // One vote per member per topic: a second vote changes nothing.
    anna.send({ type: 'topic', op: 'vote', topic: 2 });
    const un = await act(kadri, { type: 'topic', op: 'unvote', topic: 2 });
    assert.deepEqual(un.topics.map((x) => [x.id, x.votes]), [[2, 1], [3, 1], [1, 0]]);
    assert.equal((await refused(anna, { type: 'topic', op: 'vote', topic: 9 })).code, 'not_found');
    assert.equal((await refused(anna, { type: 'topic', op: 'propose', title: 'x'.repeat(161) })).code, 'too_long');

    // The author removes their own topic; someone else's only a coordinator.
    assert.equal((await refused(anna, { type: 'topic', op: 'remove', topic: 3 })).code, 'forbidden');
    const own = await act(kadri, { type: 'topic', op: 'remove', topic: 3 });
    assert.deepEqual(own.topics.map((x) => x.id), [2, 1]);
    const mod = await act(ilze, { type: 'topic', op: 'remove', topic: 1 });
    assert.deepEqual(mod.topics.map((x) => x.id), [2]);

    await waitFor(async () => Object.keys(await storedOps(stack.redis.port, 'topics')).length === 9, { what: 'nine ops stored' });
    await stack.kopa.kill9();
    await stack.kopa.restart();
    const joined = await anna.reconnect();
    assert.deepEqual(joined.state.topics, mod.topics);
    await rasa.reconnect();
    const next = await act(rasa, { type: 'topic', op: 'propose', title: 'After the restart' });
    assert.equal(next.topic, 4, 'ids are never reused');
});
