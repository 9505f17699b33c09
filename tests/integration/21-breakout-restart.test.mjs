// 21-breakout-restart: the server is killed with SIGKILL in the middle of
// an open breakout round and started again. The round comes back from
// Redis with its rooms, who is where and its deadline in wall-clock time:
// members who reconnect land in their breakout with its chat, a late
// joiner is still placed, the coordinator sees the same round and the
// timer closes it at the original deadline (not a full duration later).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep } from './lib/harness.mjs';
import { SIX, ask, roomOf } from './lib/breakout.mjs';

const SESSION = 'riga';
const DURATION = 12000;

test('SIGKILL mid-round: the round, its rooms and the time left survive', { timeout: 120000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '200', '--burst', '400'] } });
    const people = [];
    for (const p of SIX) people.push(await stack.enter(SESSION, p));
    const coord = await stack.enter(SESSION, 'ilze');
    const expert = await stack.enter(SESSION, 'mikael');

    await ask(coord, { type: 'round_propose', mode: 'complementary', group_size: 2, duration_ms: DURATION, seed: 11 });
    const opened = (await ask(coord, { type: 'round_open' })).round;
    const rooms = roomOf(opened);
    for (const c of people) assert.equal((await c.next((x) => x.type === 'moved')).room, rooms.get(c.me.id));

    // Some life in the breakouts before the crash: chat, a note, a visit,
    // a help request.
    const anna = people[0];
    const annaRoom = rooms.get('u-anna');
    const said = anna.chat('before the crash');
    await anna.acked(said);
    anna.send({ type: 'breakout_note', id: 'n-before', text: 'noted before the crash' });
    await anna.next((x) => x.type === 'ack' && x.id === 'n-before');
    const help = await ask(anna, { type: 'help_ask', text: 'help please' });
    expert.send({ type: 'visit', room: annaRoom });
    await expert.next((x) => x.type === 'moved' && x.room === annaRoom);
    await coord.next((x) => x.type === 'round' && x.round?.visitors?.length === 1);

    await sleep(300); // the round's writes reach Redis (appendfsync everysec is not needed: no Redis crash)
    await stack.kopa.kill9();
    await sleep(1500);
    await stack.kopa.restart();

    // Members reconnect and land in their breakout, with its history.
    for (const c of people) {
        const joined = await c.reconnect();
        assert.equal(joined.room, rooms.get(c.me.id), `${c.label} is back in the breakout`);
        const ch = joined.channels[`room:${joined.room}`];
        assert.ok(ch, 'joined carries the breakout channel');
        const b = await c.next((x) => x.type === 'breakout' && x.state === 'open');
        assert.equal(b.deadline, opened.deadline, 'the deadline is the same wall-clock time');
    }
    const annaLog = anna.log(`room:${annaRoom}`);
    assert.ok(annaLog.events.some((e) => e.type === 'chat' && e.id === said));
    assert.ok(annaLog.events.some((e) => e.type === 'breakout_note' && e.id === 'n-before'));
    const joinedExpert = await expert.reconnect();
    assert.equal(joinedExpert.room, annaRoom, 'the visitor is back in the room visited');

    // The coordinator sees the same round: groups, rooms, help, visitors.
    await coord.reconnect();
    const round = (await ask(coord, { type: 'round_get' })).round;
    assert.equal(round.state, 'open');
    assert.equal(round.deadline, opened.deadline);
    assert.deepEqual([...roomOf(round)].sort(), [...rooms].sort());
    assert.deepEqual(round.help.map((h) => h.id), [help.request.id]);
    assert.deepEqual(round.visitors, [{ user: 'u-mikael', room: annaRoom }]);
    assert.equal(round.notes, 1);
    assert.ok(round.groups.every((g) => g.reasons.length > 0), 'reasons survive');
    const left = round.deadline - Date.now();
    assert.ok(left > 0 && left < DURATION, `time left ${left} ms`);

    // Breakout chat still stays inside, and a late joiner is placed.
    const again = anna.chat('after the restart');
    const partner = people.find((c) => c !== anna && rooms.get(c.me.id) === annaRoom);
    await partner.next((x) => x.type === 'chat' && x.id === again);
    const late = stack.client(SESSION, { sub: 'u-mart', name: 'Mart Kuusk', role: 'entrepreneur', country: 'EE', langs: ['et', 'en'] });
    const lateJoined = await late.enter();
    assert.ok([...rooms.values()].includes(lateJoined.room));

    // The timer closes the round at the original deadline.
    for (const c of [...people, late]) {
        const m = await c.next((x) => x.type === 'moved' && x.room === 'main', DURATION + 5000);
        assert.equal(m.cause, 'close');
    }
    const late_ms = Date.now() - opened.deadline;
    assert.ok(late_ms > -500 && late_ms < 2000, `closed ${late_ms} ms after the deadline`);
    const notes = await coord.next((x) => x.type === 'breakout_notes');
    assert.deepEqual(notes.rooms.find((r) => r.room === annaRoom).notes.map((n) => n.text), ['noted before the crash']);
    await late.close();
});

test('a clean restart during a round exits cleanly and keeps the round', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const people = [];
    for (const p of SIX.slice(0, 4)) people.push(await stack.enter(SESSION, p));
    const coord = await stack.enter(SESSION, 'ilze');
    await ask(coord, { type: 'round_propose', mode: 'shared_interest', group_size: 2, duration_ms: 600000 });
    const opened = (await ask(coord, { type: 'round_open' })).round;
    const rooms = roomOf(opened);
    await people[0].next((x) => x.type === 'moved');
    await sleep(200);
    await stack.kopa.restart(); // SIGTERM: must exit 0 with the round's timer running
    for (const c of people) assert.equal((await c.reconnect()).room, rooms.get(c.me.id));
    await coord.reconnect();
    const round = await coord.next((x) => x.type === 'round' && x.round);
    assert.equal(round.round.deadline, opened.deadline);
    await ask(coord, { type: 'round_close' });
    for (const c of people) await c.next((x) => x.type === 'moved' && x.room === 'main');
});

test('a planned round survives a restart and can still be edited', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const people = [];
    for (const p of SIX) people.push(await stack.enter(SESSION, p));
    const coord = await stack.enter(SESSION, 'ilze');
    const plan = (await ask(coord, { type: 'round_propose', mode: 'complementary', group_size: 2, duration_ms: 60000, seed: 5 })).round;
    await sleep(200);
    await stack.kopa.kill9();
    await stack.kopa.restart();
    for (const c of people) assert.equal((await c.reconnect()).room, 'main', 'a planned round moves nobody');
    await coord.reconnect();
    const back = (await ask(coord, { type: 'round_get' })).round;
    assert.equal(back.state, 'planned');
    assert.deepEqual(back.groups, plan.groups);
    // The plan behind it is rebuilt from the stored profiles to edit it.
    const a = plan.groups[0].members[0].id;
    const b = plan.groups[1].members[0].id;
    const swapped = (await ask(coord, { type: 'round_swap', a, b })).round;
    assert.ok(swapped.groups[0].members.some((m) => m.id === b));
    assert.ok(swapped.groups[1].members.some((m) => m.id === a));
    assert.ok(swapped.groups.every((g) => g.members.length === 0 || g.reasons.length > 0));
    const moved = (await ask(coord, { type: 'round_move', user: a, group: -1 })).round;
    assert.deepEqual(moved.unassigned.map((u) => u.id), [a]);
    const opened = (await ask(coord, { type: 'round_open' })).round;
    assert.equal(opened.state, 'open');
    const left = people.find((c) => c.me.id === a);
    const stays = await left.collect(300, (x) => x.type === 'moved');
    assert.equal(stays.length, 0, 'someone taken out of the plan stays in main');
});
