// 23-agenda-breakout: breakout rounds run by the live agenda
// (docs/protocol.md section 11.9). A breakout item that starts proposes a
// round for the coordinators with the item's time left; opening it moves
// everyone and its deadline is the item's end; closing it early moves the
// agenda on; the item ending (or being skipped) closes the round; the link
// survives a SIGKILL. Also: late joiners placed by their stored profile,
// and a resent broadcast that is acknowledged but not delivered twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep, waitFor, redisCommand } from './lib/harness.mjs';
import { act, refused, request, storedOps } from './lib/live.mjs';
import { SIX, ask, errorOf, profileMsg, roomOf } from './lib/breakout.mjs';

const MIN = 60000;
const FOUR = SIX.filter((p) => p.sub !== 'u-jonas' && p.sub !== 'u-liis');

/** Waits for the next round event sent without a ref (a plan the server
 * made, or a change made by someone else) matching pred. */
const roundEvent = (c, pred = () => true, ms) =>
    c.next((x) => x.type === 'round' && x.ref === undefined && pred(x.round), ms);

/** Adds the items of a session with a breakout item in the middle. */
async function threeItems(coord, breakoutMs = 10 * MIN) {
    await act(coord, { type: 'agenda', op: 'add', title: 'Welcome', kind: 'plenary', timebox_ms: 5 * MIN });
    const b = await act(coord, {
        type: 'agenda', op: 'add', title: 'Peer pairs', kind: 'breakout', timebox_ms: breakoutMs,
        breakout: { mode: 'shared_interest', size: 2 },
    });
    await act(coord, { type: 'agenda', op: 'add', title: 'Harvest', kind: 'plenary', timebox_ms: 5 * MIN });
    return b.item;
}

test('a breakout item proposes its round; opening moves everyone; closing it moves the agenda on', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '200', '--burst', '400'] } });
    const coord = await stack.enter('ab1', 'ilze');
    const expert = await stack.enter('ab1', 'mikael');
    const people = [];
    for (const p of FOUR) people.push(await stack.enter('ab1', p));

    // Bad breakout settings are refused; nobody but the coordinator runs it.
    assert.equal((await refused(coord, { type: 'agenda', op: 'add', title: 'x', kind: 'breakout', timebox_ms: MIN, breakout: { size: 7 } })).code, 'bad_value');
    assert.equal((await refused(coord, { type: 'agenda', op: 'round', item: 1, round: 1 })).code, 'bad_value');
    assert.equal((await refused(people[0], { type: 'agenda', op: 'add', title: 'x', kind: 'breakout', timebox_ms: MIN })).code, 'forbidden');
    const itemId = await threeItems(coord);
    await act(coord, { type: 'agenda', op: 'start' });
    assert.equal((await refused(people[0], { type: 'agenda', op: 'next' })).code, 'forbidden');
    assert.equal((await coord.collect(300, (x) => x.type === 'round')).length, 0, 'a plenary item proposes nothing');

    // The breakout item starts: the coordinator gets the plan, with the
    // item's settings and its time left.
    const next = await act(coord, { type: 'agenda', op: 'next' });
    assert.equal(next.agenda.current, itemId);
    const plan = (await roundEvent(coord, (r) => r?.state === 'planned')).round;
    assert.equal(plan.item, itemId);
    assert.equal(plan.mode, 'shared_interest');
    assert.equal(plan.group_size, 2);
    assert.ok(plan.duration_ms <= 10 * MIN && plan.duration_ms > 10 * MIN - 5000, `duration ${plan.duration_ms}`);
    assert.deepEqual(plan.groups.flatMap((g) => g.members.map((m) => m.id)).sort(), FOUR.map((p) => p.sub).sort());
    assert.equal((await expert.collect(200, (x) => x.type === 'round')).length, 0, 'experts do not get the plan');

    // Only coordinators open it.
    assert.equal(await errorOf(expert, { type: 'round_open' }), 'forbidden');
    assert.equal(await errorOf(people[0], { type: 'round_open' }), 'forbidden');
    assert.equal(await errorOf(people[0], { type: 'round_close' }), 'forbidden');

    const opened = (await ask(coord, { type: 'round_open' })).round;
    assert.equal(opened.state, 'open');
    assert.equal(opened.item, itemId);
    assert.equal(opened.deadline, next.agenda.ends_at, 'the round ends with its item');
    const rooms = roomOf(opened);
    for (const c of people) {
        const moved = await c.next((x) => x.type === 'moved');
        assert.equal(moved.room, rooms.get(c.me.id));
        const b = await c.next((x) => x.type === 'breakout' && x.state === 'open');
        assert.equal(b.item, itemId);
        assert.equal(b.deadline, opened.deadline);
    }

    // round_extend gives the item the time: the agenda event comes from the
    // coordinator and the round's deadline follows.
    const ext = await ask(coord, { type: 'round_extend', ms: 2 * MIN });
    const agendaExt = await coord.next((x) => x.type === 'agenda' && x.op === 'extend');
    assert.equal(agendaExt.agenda.ends_at, next.agenda.ends_at + 2 * MIN);
    // The agenda shows the item's settings and the round it runs.
    const shown = agendaExt.agenda.items.find((x) => x.id === itemId);
    assert.deepEqual(shown.breakout, { mode: 'shared_interest', size: 2 });
    assert.equal(shown.round, opened.id);
    assert.equal(next.agenda.items.find((x) => x.kind === 'plenary').breakout, undefined, 'no settings, no object');
    assert.equal(ext.round.deadline, agendaExt.agenda.ends_at);

    // Closing the round early: everyone is back and the agenda moves on.
    const closed = await ask(coord, { type: 'round_close' });
    assert.equal(closed.round, null);
    const moved = await coord.next((x) => x.type === 'agenda' && x.op === 'next');
    assert.equal(moved.by.id, 'u-ilze');
    assert.equal(moved.agenda.current, itemId + 1);
    assert.equal(moved.agenda.items.find((x) => x.id === itemId).state, 'done');
    for (const c of people) {
        const back = await c.next((x) => x.type === 'moved' && x.cause === 'close');
        assert.equal(back.room, 'main');
    }
    // The plenary after it proposes nothing (and extend and close answered
    // the coordinator once each).
    assert.equal((await coord.collect(300, (x) => x.type === 'round' && x.round)).length, 0);
});

test('the item ending or being skipped closes its round; a discarded plan stays discarded', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '200', '--burst', '400'] } });
    const coord = await stack.enter('ab2', 'ilze');
    const people = [];
    for (const p of FOUR) people.push(await stack.enter('ab2', p));

    // A short breakout item with auto-advance: the round closes when the
    // item's time is up, and the agenda goes on by itself.
    await act(coord, { type: 'agenda', op: 'auto_advance', on: true });
    await act(coord, { type: 'agenda', op: 'add', title: 'Pairs', kind: 'breakout', timebox_ms: 5000 });
    await act(coord, { type: 'agenda', op: 'add', title: 'Skipped pairs', kind: 'breakout', timebox_ms: 10 * MIN });
    await act(coord, { type: 'agenda', op: 'add', title: 'Last pairs', kind: 'breakout', timebox_ms: 10 * MIN });
    const started = await act(coord, { type: 'agenda', op: 'start' });
    const plan = (await roundEvent(coord, (r) => r?.state === 'planned')).round;
    assert.equal(plan.item, 1);
    assert.equal(plan.mode, 'complementary', 'the default mode');
    const opened = (await ask(coord, { type: 'round_open' })).round;
    assert.equal(opened.deadline, started.agenda.ends_at);
    for (const c of people) await c.next((x) => x.type === 'moved' && x.cause === 'open');
    for (const c of people) {
        const back = await c.next((x) => x.type === 'moved' && x.cause === 'close', 10000);
        assert.equal(back.room, 'main');
    }
    const adv = await coord.next((x) => x.type === 'agenda' && x.event === 'advanced', 5000);
    assert.equal(adv.agenda.current, 2);
    const closedAt = Date.now();
    assert.ok(Math.abs(closedAt - started.agenda.ends_at) < 2000, 'closed at the item\'s end');

    // The next breakout item got its own plan; skipping the item drops it.
    const plan2 = (await roundEvent(coord, (r) => r?.state === 'planned' && r.item === 2)).round;
    const opened2 = (await ask(coord, { type: 'round_open' })).round;
    assert.equal(opened2.id, plan2.id);
    assert.equal(opened2.item, 2);
    for (const c of people) await c.next((x) => x.type === 'moved' && x.cause === 'open');
    const skipped = await act(coord, { type: 'agenda', op: 'skip', item: 2 });
    assert.equal(skipped.agenda.current, 3);
    await roundEvent(coord, (r) => r === null);
    for (const c of people) assert.equal((await c.next((x) => x.type === 'moved' && x.cause === 'close')).room, 'main');

    // Item 3 proposes; discarding the plan leaves the agenda alone and
    // proposes nothing more for the item.
    await roundEvent(coord, (r) => r?.state === 'planned' && r.item === 3);
    const discarded = await ask(coord, { type: 'round_close' });
    assert.equal(discarded.round, null);
    coord.drain();
    await act(coord, { type: 'agenda', op: 'pause' });
    await act(coord, { type: 'agenda', op: 'resume' });
    assert.equal((await coord.collect(400, (x) => x.type === 'round' && x.round)).length, 0);
    assert.equal((await coord.collect(100, (x) => x.type === 'agenda' && x.op === 'next')).length, 0);
});

test('SIGKILL mid-round: the agenda and its round come back linked; time that ran out while down closes it', { timeout: 120000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '200', '--burst', '400'] } });
    const coord = await stack.enter('ab3', 'ilze');
    const people = [];
    for (const p of FOUR) people.push(await stack.enter('ab3', p));
    const itemId = await threeItems(coord);
    await act(coord, { type: 'agenda', op: 'jump', item: itemId });
    await roundEvent(coord, (r) => r?.state === 'planned');
    const opened = (await ask(coord, { type: 'round_open' })).round;
    const rooms = roomOf(opened);
    for (const c of people) await c.next((x) => x.type === 'moved');
    await waitFor(async () => Object.values(await storedOps(stack.redis.port, 'ab3')).some((op) => op.includes('"op":"round"')),
        { what: 'the link stored' });
    await sleep(300);
    await stack.kopa.kill9();
    await sleep(1000);
    await stack.kopa.restart();

    for (const c of people) {
        const joined = await c.reconnect();
        assert.equal(joined.room, rooms.get(c.me.id), `${c.label} is back in the breakout`);
        assert.equal(joined.state.agenda.current, itemId);
        const b = await c.next((x) => x.type === 'breakout' && x.state === 'open');
        assert.equal(b.deadline, opened.deadline);
        assert.equal(b.item, itemId);
    }
    const joinedCoord = await coord.reconnect();
    assert.equal(joinedCoord.state.agenda.current, itemId);
    const r = (await coord.next((x) => x.type === 'round' && x.round?.state === 'open')).round;
    assert.equal(r.item, itemId, 'the link survived');
    assert.equal(r.deadline, joinedCoord.state.agenda.ends_at);

    // Closing it still moves the agenda on.
    await ask(coord, { type: 'round_close' });
    const moved = await coord.next((x) => x.type === 'agenda' && x.op === 'next');
    assert.equal(moved.agenda.current, itemId + 1);
    for (const c of people) assert.equal((await c.next((x) => x.type === 'moved' && x.cause === 'close')).room, 'main');

    // A short breakout item whose time runs out while the server is down:
    // after the restart the round is closed and the agenda went on.
    await act(coord, { type: 'agenda', op: 'auto_advance', on: true });
    const short = await act(coord, { type: 'agenda', op: 'add', title: 'Short pairs', kind: 'breakout', timebox_ms: 4000 });
    await act(coord, { type: 'agenda', op: 'jump', item: short.item });
    await roundEvent(coord, (x) => x?.state === 'planned' && x.item === short.item);
    await ask(coord, { type: 'round_open' });
    for (const c of people) await c.next((x) => x.type === 'moved' && x.cause === 'open');
    await sleep(300);
    await stack.kopa.kill9();
    await sleep(5000);
    await stack.kopa.restart();
    for (const c of people) {
        const joined = await c.reconnect();
        assert.equal(joined.room, 'main', `${c.label} is in the main room`);
        const a = joined.state.agenda;
        assert.notEqual(a.current, short.item, 'the agenda went on');
        assert.equal(a.items.find((x) => x.id === short.item).state, 'done');
    }
    await coord.reconnect();
    const get = await ask(coord, { type: 'round_get' });
    assert.equal(get.round, null);
});

test('a late joiner is placed by the stored profile, else by the token', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '200', '--burst', '400'] } });
    const coord = await stack.enter('ab4', 'ilze');
    // Two Estonian speakers and two Latvian speakers: groups by language.
    const ET = [{ sub: 'u-e1', name: 'Eve', role: 'entrepreneur', country: 'EE', langs: ['et'] },
        { sub: 'u-e2', name: 'Evi', role: 'entrepreneur', country: 'EE', langs: ['et'] }];
    const LV = [{ sub: 'u-l1', name: 'Laura', role: 'entrepreneur', country: 'LV', langs: ['lv'] },
        { sub: 'u-l2', name: 'Liga', role: 'entrepreneur', country: 'LV', langs: ['lv'] }];
    // The late joiner's token says Estonian; her stored profile says Latvian.
    const late = { sub: 'u-late', name: 'Late', role: 'entrepreneur', country: 'LT', langs: ['et'] };
    const early = await stack.enter('ab4', late);
    await ask(early, profileMsg('start', { financing: 'need' }, { langs: ['lv'] }));
    await early.close();
    const people = [];
    for (const p of [...ET, ...LV]) people.push(await stack.enter('ab4', p));
    await ask(coord, { type: 'round_propose', mode: 'complementary', group_size: 2, duration_ms: 10 * MIN, seed: 3 });
    const opened = (await ask(coord, { type: 'round_open' })).round;
    const rooms = roomOf(opened);
    assert.equal(rooms.get('u-e1'), rooms.get('u-e2'));
    assert.equal(rooms.get('u-l1'), rooms.get('u-l2'));
    await sleep(500); // everyone's profiles are read after the open

    const lateClient = stack.client('ab4', late);
    const joined = await lateClient.enter();
    assert.equal(joined.room, rooms.get('u-l1'), 'placed with the Latvian speakers, by the profile');

    // No profile: the token's languages decide (Latvian again, although
    // the Estonian group is now the smaller one).
    const noProfile = { sub: 'u-late2', name: 'Late Two', role: 'entrepreneur', country: 'SE', langs: ['lv'] };
    const joined2 = await stack.client('ab4', noProfile).enter();
    assert.equal(joined2.room, rooms.get('u-l1'), 'placed by the token\'s languages');
    // And with only Estonian in the token it is the Estonian group.
    const joined3 = await stack.client('ab4', { sub: 'u-late3', name: 'Late Three', role: 'entrepreneur', country: 'SE', langs: ['et'] }).enter();
    assert.equal(joined3.room, rooms.get('u-e1'));
});

test('a resent broadcast gets the original ack and is delivered once', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '200', '--burst', '400'] } });
    const coord = await stack.enter('ab5', 'ilze');
    const people = [];
    for (const p of FOUR) people.push(await stack.enter('ab5', p));
    await ask(coord, { type: 'round_propose', mode: 'complementary', group_size: 2, duration_ms: 10 * MIN, seed: 5 });
    const opened = (await ask(coord, { type: 'round_open' })).round;
    for (const c of people) await c.next((x) => x.type === 'moved');

    const msg = { type: 'broadcast', id: 'bc-1', text: 'Five minutes left' };
    const first = await ask(coord, msg);
    assert.equal(first.type, 'broadcast_ack');
    assert.equal(first.channels.length, opened.groups.length);
    // A retry on the same connection, and one after a reconnect.
    const again = await ask(coord, msg);
    assert.deepEqual(again.channels, first.channels);
    await coord.reconnect();
    const afterReconnect = await ask(coord, msg);
    assert.deepEqual(afterReconnect.channels, first.channels);
    // A new id is a new broadcast.
    const second = await ask(coord, { type: 'broadcast', id: 'bc-2', text: 'Wrap up' });
    assert.notDeepEqual(second.channels, first.channels);

    for (const c of people) {
        const got = await c.collect(500, (x) => x.type === 'broadcast');
        assert.deepEqual(got.map((x) => x.id), ['bc-1', 'bc-2'], `${c.label} got each broadcast once`);
    }
    // The breakout channel of each member holds one copy of bc-1.
    for (const c of people) {
        const room = opened.groups.find((g) => g.members.some((m) => m.id === c.me.id)).room;
        const events = await c.fetchAll(`room:${room}`);
        assert.equal(events.filter((e) => e.type === 'broadcast' && e.id === 'bc-1').length, 1);
    }

    // After a SIGKILL the retry is still not delivered again.
    await sleep(300);
    await stack.kopa.kill9();
    await sleep(500);
    await stack.kopa.restart();
    for (const c of people) await c.reconnect();
    await coord.reconnect();
    const afterRestart = await ask(coord, msg);
    assert.equal(afterRestart.type, 'broadcast_ack');
    assert.ok(afterRestart.channels.length >= 1);
    assert.ok(first.channels.some((x) => x.channel === afterRestart.channels[0].channel && x.offset === afterRestart.channels[0].offset));
    for (const c of people) {
        const got = await c.collect(500, (x) => x.type === 'broadcast');
        assert.equal(got.length, 0, `${c.label} got no second copy`);
    }
});

test('a proposal lost in a crash is made again when someone joins', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '200', '--burst', '400'] } });
    const coord = await stack.enter('ab6', 'ilze');
    const people = [];
    for (const p of FOUR) people.push(await stack.enter('ab6', p));
    await act(coord, { type: 'agenda', op: 'add', title: 'Pairs', kind: 'breakout', timebox_ms: 10 * MIN, breakout: { size: 2 } });
    await act(coord, { type: 'agenda', op: 'start' });
    const first = (await roundEvent(coord, (r) => r?.state === 'planned')).round;
    await waitFor(async () => Object.values(await storedOps(stack.redis.port, 'ab6')).some((op) => op.includes('"op":"round"')),
        { what: 'the link stored' });
    await sleep(300);
    await stack.kopa.kill9();
    // The round's own record is lost (as if the crash came between the
    // link and the round): only the agenda knows the item had a round.
    await redisCommand(stack.redis.port, ['DEL', 'kopa:{ab6}:round']);
    await stack.kopa.restart();
    await coord.reconnect();
    const again = (await roundEvent(coord, (r) => r?.state === 'planned', 10000)).round;
    assert.equal(again.item, 1);
    assert.equal(again.id, first.id, 'the same round number again');
    // Nobody to pair yet; as the entrepreneurs come back, the server's
    // (unedited) plan is made again with them.
    assert.equal(again.groups.length, 0);
    for (const c of people) await c.reconnect();
    const full = (await roundEvent(coord, (r) => r?.state === 'planned' &&
        r.groups.reduce((n, g) => n + g.members.length, 0) === FOUR.length, 10000)).round;
    assert.equal(full.id, first.id);
    assert.equal(full.seed, again.seed, 'the same draw');
    const opened = (await ask(coord, { type: 'round_open' })).round;
    const placed = opened.groups.flatMap((g) => g.members.map((m) => m.id)).sort();
    assert.deepEqual(placed, FOUR.map((p) => p.sub).sort());
});

test('a programme template brings its breakout settings to the live agenda and the round', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '200', '--burst', '400'] } });
    const coord = await stack.enter('ab7', 'ilze');
    const entry = {
        session: 'ab7', kind: 'peer-learning', title: 'Pairs from the plan', start: Date.UTC(2027, 4, 5, 12, 0),
        tz: 'Europe/Vilnius', duration_ms: 2 * 60 * MIN, host: 'u-ilze',
        agenda: [{ title: 'Welcome', kind: 'plenary', timebox_ms: 5 * MIN },
            { title: 'Trios', kind: 'breakout', timebox_ms: 20 * MIN, breakout: { mode: 'random', size: 3 } },
            { title: 'Any size', kind: 'breakout', timebox_ms: 10 * MIN, breakout: { mode: 'manual' } }],
    };
    const put = await request(coord, { type: 'programme', op: 'put', sessions: [entry] }, 'programme');
    assert.deepEqual(put.sessions[0].agenda, entry.agenda, 'the export carries the settings');
    const again = await request(coord, { type: 'programme', op: 'put', sessions: put.sessions }, 'programme');
    assert.deepEqual(again.sessions, put.sessions, 'and imports back unchanged');
    const people = [];
    for (const p of SIX) people.push(await stack.enter('ab7', p));

    // The template: the items show the settings of the entry.
    const tpl = await act(coord, { type: 'agenda', op: 'template' });
    const items = tpl.agenda.items;
    assert.deepEqual(items.map((x) => x.breakout), [undefined, { mode: 'random', size: 3 }, { mode: 'manual' }]);
    const adds = Object.values(await storedOps(stack.redis.port, 'ab7')).filter((op) => op.includes('"op":"add"'));
    assert.equal(adds.length, 3);
    assert.ok(adds.some((op) => op.includes('"breakout":{"mode":"random","size":3}')), 'the recorded add frames carry them');

    // The op log replays them after a SIGKILL.
    await sleep(300);
    await stack.kopa.kill9();
    await stack.kopa.restart();
    const joined = await coord.reconnect();
    assert.deepEqual(joined.state.agenda.items.map((x) => x.breakout), [undefined, { mode: 'random', size: 3 }, { mode: 'manual' }]);
    for (const c of people) await c.reconnect();

    // The breakout item proposes its round with that mode and size.
    await act(coord, { type: 'agenda', op: 'jump', item: items[1].id });
    const plan = (await roundEvent(coord, (r) => r?.state === 'planned' && r.item === items[1].id)).round;
    assert.equal(plan.mode, 'random');
    assert.equal(plan.group_size, 3);
    assert.ok(plan.duration_ms <= 20 * MIN && plan.duration_ms > 20 * MIN - 5000, `duration ${plan.duration_ms}`);
    assert.equal(plan.groups.reduce((n, g) => n + g.members.length, 0), SIX.length);
    assert.ok(plan.groups.length < SIX.length / 2, 'fewer groups than pairs would make');
});

test('a paused item pauses its round: members and coordinators see it wait, with the time left', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '200', '--burst', '400'] } });
    const coord = await stack.enter('ab8', 'ilze');
    const people = [];
    for (const p of FOUR) people.push(await stack.enter('ab8', p));
    const itemId = await threeItems(coord);
    await act(coord, { type: 'agenda', op: 'jump', item: itemId });
    await roundEvent(coord, (r) => r?.state === 'planned');
    const opened = (await ask(coord, { type: 'round_open' })).round;
    assert.equal(opened.paused, undefined, 'a running round has no pause');
    for (const c of people) {
        const b = await c.next((x) => x.type === 'breakout' && x.state === 'open');
        assert.equal(b.paused, undefined);
        assert.equal(b.left_ms, undefined);
    }

    // Pausing the item: the round waits; everyone is told, with its time left.
    await sleep(500);
    const paused = await act(coord, { type: 'agenda', op: 'pause' });
    const left = paused.agenda.time_left_ms ?? paused.agenda.ends_at - paused.ts;
    const r = (await roundEvent(coord, (x) => x?.paused === true)).round;
    assert.equal(r.item, itemId);
    assert.ok(Math.abs(r.left_ms - left) < 1000, `left ${r.left_ms} vs ${left}`);
    assert.ok(r.left_ms < 10 * MIN - 400 && r.left_ms > 10 * MIN - 5000, `left ${r.left_ms}`);
    for (const c of people) {
        const b = await c.next((x) => x.type === 'breakout' && x.paused === true);
        assert.equal(b.state, 'open');
        assert.equal(b.item, itemId);
        assert.equal(b.left_ms, r.left_ms);
    }
    // A round_get and a member who comes back while paused see it too.
    const got = await ask(coord, { type: 'round_get' });
    assert.equal(got.round.paused, true);
    assert.equal(got.round.left_ms, r.left_ms, 'the time left stands still');
    await people[0].reconnect();
    const back = await people[0].next((x) => x.type === 'breakout' && x.state === 'open');
    assert.equal(back.paused, true);
    assert.equal(back.left_ms, r.left_ms);

    // Resuming: the deadline moved by the pause, and nobody is paused.
    await sleep(1000);
    const resumed = await act(coord, { type: 'agenda', op: 'resume' });
    const r2 = (await roundEvent(coord, (x) => x?.state === 'open' && x.paused === undefined)).round;
    assert.equal(r2.left_ms, undefined);
    assert.equal(r2.deadline, resumed.agenda.ends_at);
    assert.ok(r2.deadline >= opened.deadline + 1000, `deadline ${r2.deadline} vs ${opened.deadline}`);
    for (const c of people) {
        const b = await c.next((x) => x.type === 'breakout' && x.state === 'open' && x.paused === undefined);
        assert.equal(b.deadline, r2.deadline);
    }
});
