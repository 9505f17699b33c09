// 18-programme: the network's programme and its memory (protocol.md
// sections 10.8, 10.9). Coordinators import a programme as JSON and export
// it again (the export imports back unchanged, ids kept by session link);
// invalid entries are refused with the field named and change nothing;
// everyone reads it; it survives a restart. Notes and commitments written
// in a session are shown again at the next session with the same people.
// Coordinators see who attended each session (with the name they joined
// under); nobody else does; the attendance survives a restart. Template
// items keep their breakout settings through export, import and restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep, redisCommand, PEOPLE } from './lib/harness.mjs';
import { act, refused, request, redisDump } from './lib/live.mjs';

const H = 3600000;
const PLAN = [
    {
        session: 'p-feb', kind: 'peer-learning', title: 'February: visibility', start: Date.UTC(2027, 1, 10, 13, 0),
        tz: 'Europe/Riga', duration_ms: 3 * H, host: 'u-ilze',
        agenda: [{ title: 'Check-in', kind: 'plenary', timebox_ms: 900000, lead: 'u-ilze' },
            { title: 'Pairs', kind: 'breakout', timebox_ms: 2700000, breakout: { mode: 'random', size: 3 } },
            { title: 'Trios', kind: 'breakout', timebox_ms: 1800000, breakout: { size: 4 } }],
    },
    {
        session: 'p-jan', kind: 'peer-learning', title: 'January: financing', start: Date.UTC(2027, 0, 13, 14, 0),
        tz: 'Europe/Stockholm', duration_ms: 3 * H, host: 'u-ilze',
        agenda: [{ title: 'Financing that worked', kind: 'talk', timebox_ms: 1800000 }],
    },
    {
        session: 'p-ws', kind: 'workshop', title: 'Public procurement for social enterprises', start: Date.UTC(2027, 2, 3, 12, 0),
        tz: 'Europe/Tallinn', duration_ms: 2 * H, host: 'u-mikael', agenda: [],
    },
];

/** An entry as the server exports it, without its id (and attendance). */
const strip = ({ id, attendees, ...rest }) => rest;
/** The plan of an entry: what everyone sees (no attendance). */
const plan = ({ attendees, ...rest }) => rest;

test('import and export the programme as JSON', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t);
    const ilze = await stack.enter('p-admin', 'ilze');
    const anna = await stack.enter('p-admin', 'anna');
    const other = await stack.enter('p-admin', 'rasa');

    const put = await request(ilze, { type: 'programme', op: 'put', sessions: PLAN }, 'programme');
    assert.equal(put.programme, 'main');
    assert.deepEqual(put.sessions.map((s) => s.session), ['p-jan', 'p-feb', 'p-ws'], 'ordered by start');
    assert.deepEqual(put.sessions.map((s) => s.id), [2, 1, 3], 'ids in the order given');
    assert.deepEqual(put.sessions.map(strip), [PLAN[1], PLAN[0], PLAN[2]], 'every field as imported');
    assert.deepEqual(put.notes, [], 'coordinators see notes');
    // Everyone else connected hears of the change; an entrepreneur may read
    // the programme but not its notes.
    assert.deepEqual(put.sessions.map((s) => s.attendees), [[], [], []], 'coordinators see the attendance');
    const event = await other.next({ type: 'programme' });
    assert.deepEqual(event.sessions, put.sessions.map(plan));
    assert.equal(event.ref, undefined);
    const got = await request(anna, { type: 'programme', op: 'get' }, 'programme');
    assert.deepEqual(got.sessions, put.sessions.map(plan));
    assert.equal(got.notes, undefined);

    // The export imports back unchanged: same ids (matched by session).
    const again = await request(ilze, { type: 'programme', op: 'put', sessions: got.sessions }, 'programme');
    assert.deepEqual(again.sessions, put.sessions);

    // Refused imports name the field and change nothing.
    const before = await redisDump(stack.redis.port);
    const bad = [
        [{ ...PLAN[0], tz: '+02:00' }, 'sessions[0]: '],
        [{ ...PLAN[0], duration_ms: 60000 }, 'sessions[0]: '],
        [{ ...PLAN[0], start: Date.UTC(1999, 0, 1) }, 'sessions[0]: '],
        [{ ...PLAN[0], agenda: [{ title: 'Too long', kind: 'talk', timebox_ms: 4 * H }] }, 'sessions[0]: '],
        [{ ...PLAN[0], kind: 'party' }, 'sessions[0].kind'],
        [{ ...PLAN[0], host: 'not an id' }, 'sessions[0].host'],
        [{ ...PLAN[0], agenda: [PLAN[0].agenda[0], { ...PLAN[0].agenda[1], breakout: { size: 7 } }] }, 'sessions[0].agenda[1].breakout.size'],
        [{ ...PLAN[0], agenda: [PLAN[0].agenda[0], { ...PLAN[0].agenda[1], breakout: { mode: 'pairs' } }] }, 'sessions[0].agenda[1].breakout.mode'],
    ];
    for (const [e, where] of bad) {
        const err = await refused(ilze, { type: 'programme', op: 'put', sessions: [e, PLAN[1]] });
        assert.equal(err.code, 'bad_value', JSON.stringify(err));
        assert.ok(err.message.startsWith(where), err.message);
    }
    const notObject = await refused(ilze, { type: 'programme', op: 'put', sessions: [{ ...PLAN[0], agenda: [{ ...PLAN[0].agenda[1], breakout: 'random' }] }] });
    assert.equal(notObject.code, 'wrong_type');
    assert.ok(notObject.message.startsWith('sessions[0].agenda[0].breakout'), notObject.message);
    const twice = await refused(ilze, { type: 'programme', op: 'put', sessions: [PLAN[0], PLAN[0]] });
    assert.equal(twice.code, 'bad_value');
    assert.match(twice.message, /named twice/);
    assert.equal((await refused(ilze, { type: 'programme', op: 'put' })).code, 'missing_field');
    assert.equal((await refused(ilze, { type: 'programme', op: 'put', sessions: {} })).code, 'wrong_type');
    assert.equal((await refused(ilze, { type: 'programme', op: 'edit', id: 99, entry: PLAN[0] })).code, 'not_found');
    assert.equal((await refused(ilze, { type: 'programme', op: 'add', entry: PLAN[0] })).code, 'bad_value',
        'a session is in the programme once');
    await sleep(200);
    assert.deepEqual(await redisDump(stack.redis.port), before);

    // One entry at a time: add, edit, remove. Ids are never reused.
    const added = await request(ilze, { type: 'programme', op: 'add', entry: { ...PLAN[2], session: 'p-apr', title: 'April', start: Date.UTC(2027, 3, 7, 12, 0) } }, 'programme');
    const apr = added.sessions.find((s) => s.session === 'p-apr');
    assert.equal(apr.id, 4);
    const edited = await request(ilze, { type: 'programme', op: 'edit', id: 4, entry: { ...strip(apr), title: 'April: procurement', host: 'u-ilze' } }, 'programme');
    assert.equal(edited.sessions.find((s) => s.id === 4).title, 'April: procurement');
    const removed = await request(ilze, { type: 'programme', op: 'remove', id: 3 }, 'programme');
    assert.deepEqual(removed.sessions.map((s) => s.id), [2, 1, 4]);
    // put drops the entries it does not name.
    const smaller = await request(ilze, { type: 'programme', op: 'put', sessions: [PLAN[1], { ...PLAN[2], session: 'p-may' }] }, 'programme');
    assert.deepEqual(smaller.sessions.map((s) => [s.id, s.session]), [[2, 'p-jan'], [5, 'p-may']]);

    // Stored: after a crash the export is the same.
    await sleep(300);
    await stack.kopa.kill9();
    await stack.kopa.restart();
    await anna.reconnect();
    const after = await request(anna, { type: 'programme', op: 'get' }, 'programme');
    assert.deepEqual(after.sessions, smaller.sessions.map(plan));
    await ilze.reconnect();
    const next = await request(ilze, { type: 'programme', op: 'add', entry: { ...PLAN[0], session: 'p-jun' } }, 'programme');
    assert.equal(next.sessions.find((s) => s.session === 'p-jun').id, 6, 'ids go on after a restart');
    // Breakout settings of template items are stored too.
    await sleep(300);
    await stack.kopa.kill9();
    await stack.kopa.restart();
    await anna.reconnect();
    const stored = await request(anna, { type: 'programme', op: 'get' }, 'programme');
    assert.deepEqual(stored.sessions.find((s) => s.session === 'p-jun').agenda, PLAN[0].agenda);
});

test('notes and commitments are shown at the next session with the same people', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t);
    const admin = await stack.enter('p-admin', 'ilze');
    await request(admin, { type: 'programme', op: 'put', sessions: PLAN }, 'programme');

    // January: Ilze, Anna and Rasa.
    const ilze = await stack.enter('p-jan', 'ilze');
    const anna = await stack.enter('p-jan', 'anna');
    const rasa = await stack.enter('p-jan', 'rasa');
    assert.equal(ilze.joinedMsg.state.entry.title, 'January: financing');
    assert.equal(ilze.joinedMsg.state.previous, undefined, 'nothing before January');
    const tpl = await act(ilze, { type: 'agenda', op: 'template' });
    const itemId = tpl.agenda.items[0].id;
    const n1 = await act(ilze, { type: 'note', op: 'add', item: itemId, text: 'Decided: a shared list of\nNordic impact funds' });
    assert.equal(n1.note, 1);
    assert.deepEqual(n1.notes.map((n) => [n.id, n.kind, n.item, n.item_title, n.author]),
        [[1, 'note', itemId, 'Financing that worked', 'u-ilze']]);
    const n2 = await act(ilze, { type: 'note', op: 'add', kind: 'commitment', owner: 'u-anna', text: 'Anna shares her grant template' });
    assert.equal((await anna.next({ type: 'notes', op: 'add', note: n2.note })).notes.length, 2);
    const n3 = await act(ilze, { type: 'note', op: 'add', text: 'Draft, to be removed' });
    await act(ilze, { type: 'note', op: 'remove', note: n3.note });
    const done = await act(ilze, { type: 'note', op: 'done', note: n2.note });
    assert.equal(done.notes.find((n) => n.id === n2.note).done, true);
    assert.equal((await refused(ilze, { type: 'note', op: 'done', note: n1.note })).code, 'bad_state', 'only commitments are done');
    assert.equal((await refused(ilze, { type: 'note', op: 'remove', note: 99 })).code, 'not_found');
    assert.equal((await refused(ilze, { type: 'note', op: 'add', item: 99, text: 'x' })).code, 'not_found');
    assert.equal((await refused(rasa, { type: 'note', op: 'add', text: 'mine' })).code, 'forbidden');
    const inJan = done.notes;

    // February, with Anna again (and Kadri, new): January's notes come back.
    const annaFeb = await stack.enter('p-feb', 'anna');
    const prev = annaFeb.joinedMsg.state.previous;
    assert.ok(prev, 'notes carried over');
    assert.equal(prev.entry.session, 'p-jan');
    assert.deepEqual(prev.notes, inJan);
    assert.deepEqual(annaFeb.joinedMsg.state.notes, [], "February's own notes start empty");
    const kadri = await stack.enter('p-feb', 'kadri');
    assert.deepEqual(kadri.joinedMsg.state.previous.notes, inJan);

    // A session with none of the same people gets nothing carried over.
    const jonas = await stack.enter('p-ws', 'jonas');
    assert.equal(jonas.joinedMsg.state.previous, undefined);
    // A session that is not in the programme has no entry and no notes.
    const loose = await stack.enter('p-loose', 'anna');
    assert.equal(loose.joinedMsg.state.entry, undefined);
    assert.equal((await refused(await stack.enter('p-loose', 'ilze'), { type: 'note', op: 'add', text: 'x' })).code, 'not_found');

    // Coordinators see every note in the export.
    const exp = await request(admin, { type: 'programme', op: 'get' }, 'programme');
    assert.deepEqual(exp.notes, inJan);

    // All of it is stored: after a crash February still shows January's
    // notes, and the note ids go on.
    await sleep(300);
    await stack.kopa.kill9();
    await stack.kopa.restart();
    const again = await annaFeb.reconnect();
    assert.deepEqual(again.state.previous.notes, inJan);
    await ilze.reconnect();
    const n4 = await act(ilze, { type: 'note', op: 'add', text: 'After the restart' });
    assert.equal(n4.note, n3.note + 1, 'a removed note id is not reused');
});

test('coordinators see who attended each session; nobody else does', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t);
    const admin = await stack.enter('p-admin', 'ilze');
    const laura = await stack.enter('p-admin', { sub: 'u-laura', name: 'Laura Ozola', role: 'coordinator' });
    const put = await request(admin, { type: 'programme', op: 'put', sessions: PLAN }, 'programme');
    const idOf = (sid) => put.sessions.find((s) => s.session === sid).id;
    await laura.next({ type: 'programme' });

    // January: Anna and Rasa; February: Kadri and Anna; the workshop: its
    // host Mikael (an expert). The coordinator's own p-admin is not planned.
    const anna = await stack.enter('p-jan', 'anna');
    await stack.enter('p-jan', 'rasa');
    await stack.enter('p-feb', 'kadri');
    const annaFeb = await stack.enter('p-feb', 'anna');
    const mikael = await stack.enter('p-ws', 'mikael');
    await stack.enter('p-jan', 'anna'); // a second tab counts once

    const who = (p) => Object.fromEntries(p.sessions.map((s) => [s.session, s.attendees]));
    const expected = {
        'p-jan': [{ id: 'u-anna', name: PEOPLE.anna.name }, { id: 'u-rasa', name: PEOPLE.rasa.name }],
        'p-feb': [{ id: 'u-anna', name: PEOPLE.anna.name }, { id: 'u-kadri', name: PEOPLE.kadri.name }],
        'p-ws': [{ id: 'u-mikael', name: PEOPLE.mikael.name }],
    };
    const got = await request(admin, { type: 'programme', op: 'get' }, 'programme');
    assert.deepEqual(who(got), expected);

    // Nobody but coordinators sees it: not in their answers, not in the
    // change events; other coordinators get it with the event.
    for (const c of [anna, annaFeb, mikael]) {
        const mine = await request(c, { type: 'programme', op: 'get' }, 'programme');
        assert.ok(mine.sessions.length === 3 && mine.sessions.every((s) => !('attendees' in s)), JSON.stringify(mine.sessions));
        assert.equal(mine.notes, undefined);
    }
    const edit = { ...strip(got.sessions.find((s) => s.session === 'p-jan')), title: 'January: financing that worked' };
    const edited = await request(admin, { type: 'programme', op: 'edit', id: idOf('p-jan'), entry: edit }, 'programme');
    assert.deepEqual(who(edited), expected, 'an edit keeps the attendance');
    const seen = await anna.next({ type: 'programme' });
    assert.ok(seen.sessions.every((s) => !('attendees' in s)), 'the event to a member has no attendance');
    const toLaura = await laura.next({ type: 'programme' });
    assert.deepEqual(who(toLaura), expected, 'the event to another coordinator has it');
    assert.deepEqual(toLaura.notes, []);

    // A later join under a new display name updates the name.
    await stack.enter('p-jan', { ...PEOPLE.rasa, name: 'Rasa Ž.' });
    const renamed = await request(admin, { type: 'programme', op: 'get' }, 'programme');
    expected['p-jan'][1].name = 'Rasa Ž.';
    assert.deepEqual(who(renamed), expected);

    // Stored: after a crash it is all there. A record written before names
    // were kept ("1", no name) is still read, as an attendee without one.
    await sleep(300);
    await stack.kopa.kill9();
    await redisCommand(stack.redis.port, ['HSET', 'kopa:{prog:main}:attend', `${idOf('p-ws')} u-old`, '1']);
    await stack.kopa.restart();
    await admin.reconnect();
    const after = await request(admin, { type: 'programme', op: 'get' }, 'programme');
    expected['p-ws'] = [{ id: 'u-mikael', name: PEOPLE.mikael.name }, { id: 'u-old' }];
    assert.deepEqual(who(after), expected);
    await anna.reconnect();
    const plain = await request(anna, { type: 'programme', op: 'get' }, 'programme');
    assert.ok(plain.sessions.every((s) => !('attendees' in s)));

    // Removing an entry removes its attendance with it.
    const removed = await request(admin, { type: 'programme', op: 'remove', id: idOf('p-ws') }, 'programme');
    assert.deepEqual(removed.sessions.map((s) => s.session), ['p-jan', 'p-feb']);
});
