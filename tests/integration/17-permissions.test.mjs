// 17-permissions: the role x action table of protocol.md section 10.1 on
// the wire. Every action a role may not take is sent by a member of that
// role and refused with `forbidden`, and Redis holds exactly what it held
// before (every key, type and value compared through a RESP client). Roles
// come only from the token: an expert is a host only in the session whose
// programme entry names him, and even there he may not edit the programme
// or read pulses. The same messages from a coordinator are accepted, so
// each refusal is about the role and not about the message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep, waitFor } from './lib/harness.mjs';
import { act, refused, request, redisDump, storedTop } from './lib/live.mjs';

const WS = 'perm-ws';     // a workshop hosted by Mikael
const OTHER = 'perm-pl';  // a peer-learning session hosted by Ilze

const entry = (session, host, kind = 'workshop') => ({
    session, kind, title: `Session ${session}`, start: Date.UTC(2027, 0, 20, 14, 0),
    tz: 'Europe/Vilnius', duration_ms: 2 * 3600000, host,
    agenda: [{ title: 'Opening', kind: 'plenary', timebox_ms: 600000 }],
});

/** What a host runs: agenda, other people's hands, stage, questions,
 * other people's topics, notes. */
const HOST_RUN = [
    ...['start', 'pause', 'resume', 'next', 'previous', 'template'].map((op) => ({ type: 'agenda', op })),
    { type: 'agenda', op: 'extend', ms: 60000 },
    { type: 'agenda', op: 'skip', item: 2 },
    { type: 'agenda', op: 'jump', item: 2 },
    { type: 'agenda', op: 'reset', item: 2 },
    { type: 'agenda', op: 'add', title: 'Extra', kind: 'talk', timebox_ms: 300000 },
    { type: 'agenda', op: 'edit', item: 2, title: 'Renamed', kind: 'qa', timebox_ms: 300000 },
    { type: 'agenda', op: 'remove', item: 2 },
    { type: 'agenda', op: 'move', item: 2, to: 0 },
    { type: 'agenda', op: 'auto_advance', on: true },
    { type: 'hand', op: 'lower', user: 'u-rasa' },
    { type: 'hand', op: 'call_next' },
    { type: 'hand', op: 'call', user: 'u-rasa' },
    { type: 'hand', op: 'clear' },
    { type: 'hand', op: 'stop_speaking', user: 'u-jonas' },
    { type: 'topic', op: 'remove', topic: 1 },
    { type: 'stage', op: 'add', user: 'u-rasa' },
    { type: 'stage', op: 'remove', user: 'u-jonas' },
    ...['answer', 'hide', 'pin'].map((op) => ({ type: 'question', op, question: 1 })),
    { type: 'note', op: 'add', text: 'Decided: meet again in March', item: 1 },
    { type: 'note', op: 'add', kind: 'commitment', text: 'I will send the deck', owner: 'u-rasa' },
    { type: 'note', op: 'remove', note: 1 },
    { type: 'note', op: 'done', note: 2 },
];

/** What only coordinators do. */
const COORDINATOR_ONLY = [
    { type: 'pulse_results' },
    { type: 'pulse_results', scope: 'session' },
    { type: 'programme', op: 'put', sessions: [entry(WS, 'u-mikael'), entry(OTHER, 'u-ilze', 'peer-learning')] },
    { type: 'programme', op: 'add', entry: entry('perm-new', 'u-ilze') },
    { type: 'programme', op: 'edit', id: 1, entry: entry(WS, 'u-anna') },
    { type: 'programme', op: 'remove', id: 1 },
];

/** Sets up both sessions with something in every feature. */
async function setup(stack) {
    const ilze = await stack.enter(WS, 'ilze');
    await request(ilze, { type: 'programme', op: 'put', sessions: [entry(WS, 'u-mikael'), entry(OTHER, 'u-ilze', 'peer-learning')] }, 'programme');
    const clients = { ilze };
    for (const [sid, key] of [[WS, ''], [OTHER, '2']]) {
        const c = key ? await stack.enter(sid, 'ilze') : ilze;
        clients[`ilze${key}`] = c;
        for (const n of ['mikael', 'anna', 'rasa', 'jonas']) clients[`${n}${key}`] = await stack.enter(sid, n);
        await act(c, { type: 'agenda', op: 'add', title: 'One', kind: 'plenary', timebox_ms: 600000 });
        await act(c, { type: 'agenda', op: 'add', title: 'Two', kind: 'talk', timebox_ms: 600000 });
        await act(c, { type: 'agenda', op: 'start' });
        await act(clients[`rasa${key}`], { type: 'hand', op: 'raise' });
        await act(clients[`jonas${key}`], { type: 'hand', op: 'raise' });
        await act(c, { type: 'hand', op: 'call', user: 'u-jonas' });
        await act(clients[`rasa${key}`], { type: 'topic', op: 'propose', title: 'Grant reporting' });
        await act(c, { type: 'stage', op: 'add', user: 'u-jonas' });
        await act(clients[`rasa${key}`], { type: 'question', op: 'ask', text: 'How do you price risk?' });
        await act(c, { type: 'note', op: 'add', text: 'A first note' });
        await act(c, { type: 'note', op: 'add', kind: 'commitment', text: 'A first commitment', owner: 'u-anna' });
    }
    return clients;
}

/** Sends every message from c, each refused with forbidden, and checks
 * that Redis did not change at all. */
async function allRefused(stack, c, messages, label) {
    const before = await redisDump(stack.redis.port);
    for (const m of messages) {
        const err = await refused(c, m);
        assert.equal(err.code, 'forbidden', `${label}: ${JSON.stringify(m)} gave ${err.code}: ${err.message}`);
    }
    await sleep(300); // anything wrongly stored would be written by now
    const after = await redisDump(stack.redis.port);
    assert.deepEqual(after, before, `${label}: Redis changed`);
    assert.ok(Object.keys(before).some((k) => k.endsWith(':ops')), 'the dump sees the stored state');
}

test('every action a role may not take is refused and changes nothing in Redis', { timeout: 120000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '1000', '--burst', '1000'] } });
    const c = await setup(stack);
    await waitFor(async () => (await storedTop(stack.redis.port, OTHER)) >= 11, { what: 'the setup stored' });
    await sleep(300);

    // Entrepreneurs: everything a host runs and everything coordinators do,
    // in both sessions; also other people's hands, topics and stage places.
    await allRefused(stack, c.anna, [...HOST_RUN, ...COORDINATOR_ONLY], 'entrepreneur');
    await allRefused(stack, c.anna2, [...HOST_RUN, ...COORDINATOR_ONLY], 'entrepreneur (other session)');
    // An expert in a session he does not host is like an entrepreneur here.
    await allRefused(stack, c.mikael2, [...HOST_RUN, ...COORDINATOR_ONLY], 'expert, not host');
    // An expert host still may not edit the programme or read pulses.
    await allRefused(stack, c.mikael, COORDINATOR_ONLY, 'expert host');

    // The same messages are accepted from those allowed: the host in his
    // workshop, a coordinator anywhere (proof that each refusal was about
    // the role: each one of them changes something).
    const check = async (client, m) => {
        const ref = `ok-${Math.random()}`;
        client.send({ ...m, ref });
        await client.ping(); // answered after any error of m
        const err = client.queue.find((x) => x.type === 'error' && x.ref === ref);
        assert.ok(!err || err.code !== 'forbidden', `${client.label}: ${JSON.stringify(m)} refused: ${err?.message}`);
    };
    for (const m of HOST_RUN) await check(c.mikael, m);
    for (const m of [...HOST_RUN, ...COORDINATOR_ONLY.filter((x) => x.op !== 'remove' && x.op !== 'put')]) await check(c.ilze2, m);
});

test('roles come from the token only; a claimed role in a message is ignored', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('perm-token', 'anna');
    const before = await redisDump(stack.redis.port);
    for (const m of [
        { type: 'agenda', op: 'start', role: 'coordinator' },
        { type: 'pulse_results', role: 'coordinator', user: 'u-ilze' },
        { type: 'programme', op: 'add', role: 'coordinator', entry: entry('x', 'u-anna') },
    ]) assert.equal((await refused(anna, m)).code, 'forbidden');
    // An entrepreneur whose id is named host of a session is still not a
    // host: only experts and coordinators can be (host_runs_session).
    const ilze = await stack.enter('perm-token', 'ilze');
    await request(ilze, { type: 'programme', op: 'add', entry: entry('perm-token', 'u-anna') }, 'programme');
    const again = stack.client('perm-token', 'anna');
    await again.enter();
    assert.equal(again.joinedMsg.state.host, 'u-anna');
    assert.equal((await refused(again, { type: 'agenda', op: 'add', title: 'Mine', kind: 'talk', timebox_ms: 60000 })).code, 'forbidden');
    assert.notDeepEqual(await redisDump(stack.redis.port), before, 'the programme change itself was stored');
    await again.close();
});
