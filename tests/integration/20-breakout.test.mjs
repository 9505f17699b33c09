// 20-breakout: a breakout round of six entrepreneurs from four countries,
// run by a coordinator over real WebSockets (docs/protocol.md section 11).
// The plan pairs people by needs and offers with a common language; when
// it opens everyone lands in the planned room on the same socket; breakout
// chat stays inside its breakout; the coordinator's broadcast reaches every
// breakout; ask-for-help reaches the coordinator and an expert, who can
// visit; notes are shown in the main room when the round closes and
// everyone is back there. Forbidden actions change nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep } from './lib/harness.mjs';
import { SIX, ask, errorOf, profileMsg, groupIds, roomOf } from './lib/breakout.mjs';

const SESSION = 'month3';

async function setup(t) {
    const stack = await startStack(t, { kopa: { args: ['--rate', '200', '--burst', '400'] } });
    const people = [];
    for (const p of SIX) people.push(await stack.enter(SESSION, p));
    const by = new Map(people.map((c, i) => [SIX[i].sub, c]));
    // Needs and offers: Anna needs financing, Erik offers it; Kadri needs
    // visibility, Liis offers it; Rasa and Jonas have no profile (their
    // token's country and languages count).
    await ask(by.get('u-anna'), profileMsg('start', { financing: 'need', digital_tools: 'offer' }));
    await ask(by.get('u-erik'), profileMsg('start', { financing: 'offer', digital_tools: 'need' }));
    await ask(by.get('u-kadri'), profileMsg('start', { visibility: 'need' }));
    await ask(by.get('u-liis'), profileMsg('start', { visibility: 'offer' }));
    const coord = await stack.enter(SESSION, 'ilze');
    const expert = await stack.enter(SESSION, 'mikael');
    return { stack, people, by, coord, expert };
}

test('a round of six: plan, open, chat inside, broadcast, help, notes, close', { timeout: 120000 }, async (t) => {
    const { stack, people, by, coord, expert } = await setup(t);

    // Forbidden first: nothing is planned by an entrepreneur or an expert.
    assert.equal(await errorOf(by.get('u-anna'), { type: 'round_propose', mode: 'complementary', group_size: 2, duration_ms: 60000 }), 'forbidden');
    assert.equal(await errorOf(expert, { type: 'round_open' }), 'forbidden');
    assert.equal(await errorOf(coord, { type: 'round_open' }), 'no_round');
    assert.equal((await ask(coord, { type: 'round_get' })).round, null);

    // Propose: three pairs, Jonas (Lithuanian only) with Rasa, needs met.
    const planned = await ask(coord, { type: 'round_propose', mode: 'complementary', group_size: 2, duration_ms: 120000, seed: 7 });
    const plan = planned.round;
    assert.equal(plan.state, 'planned');
    assert.equal(plan.mode, 'complementary');
    assert.equal(plan.seed, 7);
    assert.deepEqual(groupIds(plan), [['u-anna', 'u-erik'], ['u-jonas', 'u-rasa'], ['u-kadri', 'u-liis']]);
    for (const g of plan.groups) {
        assert.equal(g.language_ok, true);
        assert.ok(g.reasons.length > 0, 'every group carries its reasons');
    }
    const annaErik = plan.groups.find((g) => g.members.some((m) => m.id === 'u-anna'));
    const complement = annaErik.reasons.filter((r) => r.kind === 'complement');
    assert.ok(complement.some((r) => r.a === 'u-anna' && r.b === 'u-erik' && r.topic === 'financing' &&
        /Anna Bērziņa needs financing; Erik Lind offers it/.test(r.text)), JSON.stringify(complement));
    assert.ok(annaErik.reasons.some((r) => r.kind === 'cross_country'));
    assert.equal(annaErik.language, 'en');
    const rasaJonas = plan.groups.find((g) => g.members.some((m) => m.id === 'u-jonas'));
    assert.equal(rasaJonas.language, 'lt');

    // Edit: swap Anna and Kadri, then swap back (a plan edit is re-explained).
    const swapped = (await ask(coord, { type: 'round_swap', a: 'u-anna', b: 'u-kadri' })).round;
    assert.deepEqual(groupIds(swapped), [['u-anna', 'u-liis'], ['u-erik', 'u-kadri'], ['u-jonas', 'u-rasa']]);
    const back = (await ask(coord, { type: 'round_swap', a: 'u-anna', b: 'u-kadri' })).round;
    assert.deepEqual(groupIds(back), groupIds(plan));
    assert.equal(await errorOf(coord, { type: 'round_move', user: 'u-nobody', group: 0 }), 'unknown_member');

    // Open: every member is moved into the planned room on the same socket.
    for (const c of [...people, coord, expert]) c.drain();
    const opened = (await ask(coord, { type: 'round_open' })).round;
    assert.equal(opened.state, 'open');
    assert.ok(opened.deadline >= Date.now() + 110000 && opened.deadline <= Date.now() + 121000);
    const rooms = roomOf(opened);
    assert.equal(new Set(rooms.values()).size, 3);
    for (const c of people) {
        const m = await c.next((x) => x.type === 'moved');
        assert.equal(m.room, rooms.get(c.me.id), `${c.label} lands in the planned room`);
        assert.equal(m.from, 'main');
        assert.equal(m.cause, 'open');
        assert.ok(m.channels[`room:${m.room}`], 'moved carries the room channel state');
        const b = await c.next((x) => x.type === 'breakout' && x.state === 'open');
        assert.equal(b.deadline, opened.deadline);
        assert.equal(b.rooms.length, 3);
    }
    const presence = await coord.next((x) => x.type === 'presence' && x.action === 'move' && x.member.id === 'u-anna');
    assert.equal(presence.member.room, rooms.get('u-anna'));
    assert.equal(await errorOf(coord, { type: 'round_propose', mode: 'random', group_size: 2, duration_ms: 60000 }), 'round_open');

    // Breakout chat stays inside its breakout.
    const anna = by.get('u-anna');
    const erik = by.get('u-erik');
    const annaRoom = rooms.get('u-anna');
    const id = anna.chat('hello from our breakout');
    const ack = await anna.acked(id);
    assert.equal(ack.channel, `room:${annaRoom}`);
    const got = await erik.next((x) => x.type === 'chat' && x.id === id);
    assert.equal(got.channel, `room:${annaRoom}`);
    const notAnna = people.filter((c) => c !== anna && c !== erik);
    for (const c of [...notAnna, coord]) {
        const leaked = await c.collect(150, (x) => x.type === 'chat' && x.id === id);
        assert.equal(leaked.length, 0, `${c.label} must not see another breakout's chat`);
    }
    assert.equal(await errorOf(anna, { type: 'chat', id: 'x-main-1', room: 'main', text: 'to main' }), 'not_in_room');
    assert.equal(await errorOf(by.get('u-kadri'), { type: 'chat', id: 'x-other-1', room: annaRoom, text: 'peek' }), 'not_in_room');
    assert.equal(await errorOf(coord, { type: 'chat', id: 'x-coord-1', room: annaRoom, text: 'peek' }), 'not_in_room');

    // Broadcast reaches every breakout's channel.
    const bc = await ask(coord, { type: 'broadcast', id: 'bc-1', text: 'Five minutes left, write your notes' });
    assert.equal(bc.type, 'broadcast_ack');
    assert.deepEqual(bc.channels.map((x) => x.channel).sort(), [...new Set(rooms.values())].map((r) => `room:${r}`).sort());
    for (const c of people) {
        const e = await c.next((x) => x.type === 'broadcast' && x.id === 'bc-1');
        assert.equal(e.channel, `room:${rooms.get(c.me.id)}`);
        assert.equal(e.from.id, 'u-ilze');
        assert.equal(e.text, 'Five minutes left, write your notes');
    }
    assert.equal(await errorOf(anna, { type: 'broadcast', id: 'bc-2', text: 'me too' }), 'forbidden');

    // Ask for help: the coordinator and the expert see the queue.
    assert.equal(await errorOf(coord, { type: 'help_ask' }), 'forbidden');
    const asked = await ask(anna, { type: 'help_ask', text: 'We are stuck on impact investors' });
    assert.equal(asked.type, 'help_asked');
    assert.equal(asked.request.room, annaRoom);
    for (const staff of [coord, expert]) {
        const q = await staff.next((x) => x.type === 'help_queue' && x.requests.length === 1);
        assert.equal(q.requests[0].user.id, 'u-anna');
        assert.equal(q.requests[0].text, 'We are stuck on impact investors');
    }
    assert.equal(await errorOf(anna, { type: 'help_resolve', request: asked.request.id }), 'forbidden');

    // The expert visits Anna's breakout, chats there, and leaves.
    expert.send({ type: 'visit', room: annaRoom });
    const visit = await expert.next((x) => x.type === 'moved');
    assert.equal(visit.room, annaRoom);
    assert.equal(visit.cause, 'visit');
    const seen = await anna.next((x) => x.type === 'presence' && x.action === 'move' && x.member.id === 'u-mikael');
    assert.equal(seen.member.room, annaRoom);
    const hint = expert.chat('Try the Baltic impact fund list');
    await erik.next((x) => x.type === 'chat' && x.id === hint);
    const resolved = await ask(expert, { type: 'help_resolve', request: asked.request.id });
    assert.equal(resolved.type, 'help_resolved');
    const told = await anna.next((x) => x.type === 'help_resolved');
    assert.equal(told.by.id, 'u-mikael');
    await coord.next((x) => x.type === 'help_queue' && x.requests.length === 0);
    expert.send({ type: 'visit_leave' });
    assert.equal((await expert.next((x) => x.type === 'moved')).room, 'main');
    assert.equal(await errorOf(expert, { type: 'visit_leave' }), 'not_in_breakout');
    assert.equal(await errorOf(expert, { type: 'visit', room: 'nowhere' }), 'unknown_room');

    // Notes, kept in the breakout channel; a resend is acknowledged again.
    assert.equal(await errorOf(coord, { type: 'breakout_note', id: 'n-c', text: 'x' }), 'not_in_breakout');
    anna.send({ type: 'breakout_note', id: 'note-1', text: 'Erik shares his investor deck' });
    const noteAck = await anna.next((x) => x.type === 'ack' && x.id === 'note-1');
    assert.equal(noteAck.channel, `room:${annaRoom}`);
    const note = await erik.next((x) => x.type === 'breakout_note' && x.id === 'note-1');
    assert.equal(note.offset, noteAck.offset);
    anna.send({ type: 'breakout_note', id: 'note-1', text: 'Erik shares his investor deck' });
    assert.equal((await anna.next((x) => x.type === 'ack' && x.id === 'note-1')).offset, noteAck.offset);
    by.get('u-kadri').send({ type: 'breakout_note', id: 'note-2', text: 'Liis: three channels for visibility' });
    await by.get('u-kadri').next((x) => x.type === 'ack' && x.id === 'note-2');
    for (let i = 1; i <= 20; i++) {
        by.get('u-liis').send({ type: 'breakout_note', id: `liis-${i}`, text: `short note ${i}` });
    }
    await by.get('u-liis').next((x) => x.type === 'ack' && x.id === 'liis-20');
    assert.equal(await errorOf(by.get('u-liis'), { type: 'breakout_note', id: 'liis-21', text: 'one too many' }), 'too_many');

    // Extend, then close: everyone is back in main and the notes are shown.
    const extended = (await ask(coord, { type: 'round_extend', ms: 60000 })).round;
    assert.equal(extended.deadline, opened.deadline + 60000);
    await anna.next((x) => x.type === 'breakout' && x.deadline === extended.deadline);
    const closed = await ask(coord, { type: 'round_close' });
    assert.equal(closed.round, null);
    for (const c of people) {
        const m = await c.next((x) => x.type === 'moved' && x.room === 'main');
        assert.equal(m.cause, 'close');
        assert.ok(m.channels['room:main']);
        await c.next((x) => x.type === 'breakout' && x.state === 'closed');
    }
    const notes = await coord.next((x) => x.type === 'breakout_notes');
    assert.equal(notes.channel, 'room:main');
    const annaNotes = notes.rooms.find((r) => r.room === annaRoom);
    assert.deepEqual(annaNotes.notes.map((n) => n.text), ['Erik shares his investor deck']);
    assert.deepEqual(annaNotes.members.map((m) => m.id).sort(), ['u-anna', 'u-erik']);
    assert.equal(notes.rooms.reduce((n, r) => n + r.notes.length, 0), 22);
    await anna.next((x) => x.type === 'breakout_notes');
    const mainChat = anna.chat('back in the plenary');
    await coord.next((x) => x.type === 'chat' && x.id === mainChat && x.channel === 'room:main');
    // The notes stay in the main room's history.
    const history = await coord.history('room:main');
    assert.ok(history.events.some((e) => e.type === 'breakout_notes' && e.round === notes.round));

    // Coverage: the three pairs met once; one of three is cross-country.
    assert.equal(await errorOf(anna, { type: 'coverage' }), 'forbidden');
    const cov = await ask(coord, { type: 'coverage', format: 'csv' });
    assert.equal(cov.rounds, 1);
    assert.equal(cov.pairs, 3);
    assert.equal(cov.cross_pairs, 1);
    assert.equal(cov.cross_share, 0.333);
    const ix = new Map(cov.people.map((p, i) => [p.id, i]));
    assert.equal(cov.matrix[ix.get('u-anna')][ix.get('u-erik')], 1);
    assert.equal(cov.matrix[ix.get('u-anna')][ix.get('u-rasa')], 0);
    assert.match(cov.csv, /^id,name,country,/);
    assert.equal(cov.csv.trim().split('\n').length, cov.people.length + 1);
    void stack;
});

test('the timer warns, ends the round and a late joiner is placed', { timeout: 60000 }, async (t) => {
    const { stack, people, coord } = await setup(t);
    await ask(coord, { type: 'round_propose', mode: 'random', group_size: 3, duration_ms: 4000, seed: 3 });
    const opened = (await ask(coord, { type: 'round_open' })).round;
    assert.deepEqual(opened.groups.map((g) => g.members.length).sort(), [3, 3]);
    // Shorter than a minute: the warning comes at once.
    const warn = await people[0].next((x) => x.type === 'breakout' && x.warning === true);
    assert.equal(warn.deadline, opened.deadline);

    // A late joiner lands in a breakout, and everyone's room list shows it.
    const late = stack.client(SESSION, { sub: 'u-mart', name: 'Mart Kuusk', role: 'entrepreneur', country: 'EE', langs: ['et', 'en'] });
    const joined = await late.enter();
    const lateRoom = joined.room;
    assert.match(lateRoom, /^b\d+-\d$/);
    assert.ok(joined.channels[`room:${lateRoom}`]);
    const b = await people[0].next((x) => x.type === 'breakout' && x.rooms.some((r) => r.members.includes('u-mart')));
    assert.equal(b.rooms.find((r) => r.members.includes('u-mart')).room, lateRoom);
    assert.ok(joined.members.find((m) => m.id === 'u-anna').room.startsWith('b'));

    // The coordinator places him in the other breakout by hand.
    const other = opened.groups.map((g) => g.room).find((r) => r !== lateRoom);
    await ask(coord, { type: 'round_place', user: 'u-mart', room: other });
    assert.equal((await late.next((x) => x.type === 'moved')).room, other);
    assert.equal(await errorOf(coord, { type: 'round_place', user: 'u-mart', room: 'b99-1' }), 'unknown_room');

    // At the deadline everyone is back in main, without a coordinator.
    const t0 = Date.now();
    for (const c of [...people, late]) {
        const m = await c.next((x) => x.type === 'moved' && x.room === 'main', 10000);
        assert.equal(m.cause, 'close');
    }
    assert.ok(Math.abs(Date.now() - opened.deadline) < 1500, `closed ${Date.now() - opened.deadline} ms after the deadline`);
    assert.ok(Date.now() - t0 < 5000);
    await coord.next((x) => x.type === 'round' && x.round === null);
    await sleep(50);
    const after = await ask(people[1], { type: 'chat', id: 'after-1', text: 'in main again' });
    assert.equal(after.channel, 'room:main');
});
