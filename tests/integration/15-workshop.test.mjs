// 15-workshop: an expert-led workshop (protocol.md sections 10.5, 10.6).
// The programme names the expert the host; the host puts people on the
// stage; the audience asks questions and votes (one vote per member per
// question); questions are listed pinned first, then by votes, then by
// time; the host or a coordinator answers, hides and pins them; a hidden
// question's text is withheld. Everything is still there after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, waitFor } from './lib/harness.mjs';
import { act, refused, request, storedOps } from './lib/live.mjs';

const SESSION = 'ws-investors';

async function workshop(t) {
    const stack = await startStack(t);
    const ilze = await stack.enter(SESSION, 'ilze');
    await request(ilze, { type: 'programme', op: 'add', entry: {
        session: SESSION, kind: 'workshop', title: 'Talking to impact investors',
        start: Date.UTC(2027, 4, 12, 12, 0), tz: 'Europe/Riga', duration_ms: 2 * 3600000, host: 'u-mikael',
        agenda: [{ title: 'What investors look for', kind: 'talk', timebox_ms: 1800000, lead: 'u-mikael' },
            { title: 'Questions', kind: 'qa', timebox_ms: 1800000 }],
    } }, 'programme');
    const mikael = await stack.enter(SESSION, 'mikael');
    const anna = await stack.enter(SESSION, 'anna');
    const rasa = await stack.enter(SESSION, 'rasa');
    const kadri = await stack.enter(SESSION, 'kadri');
    return { stack, ilze, mikael, anna, rasa, kadri };
}

test('stage: the expert host puts people on it; anyone may step down', { timeout: 60000 }, async (t) => {
    const { stack, ilze, mikael, anna, rasa } = await workshop(t);
    assert.equal(mikael.joinedMsg.state.host, 'u-mikael');
    assert.equal(anna.joinedMsg.state.entry.kind, 'workshop');
    assert.deepEqual(anna.joinedMsg.state.stage, { max: 8, speakers: [] });

    const on = await act(mikael, { type: 'stage', op: 'add', user: 'u-anna' });
    assert.equal(on.user, 'u-anna');
    assert.deepEqual(on.stage.speakers.map((x) => x.user), ['u-anna']);
    assert.equal(typeof on.stage.speakers[0].since, 'number');
    const on2 = await act(ilze, { type: 'stage', op: 'add', user: 'u-rasa' });
    assert.deepEqual(on2.stage.speakers.map((x) => x.user), ['u-anna', 'u-rasa']);
    assert.deepEqual((await anna.next({ type: 'stage', op: 'add', user: 'u-rasa' })).stage, on2.stage);

    assert.equal((await refused(anna, { type: 'stage', op: 'add', user: 'u-kadri' })).code, 'forbidden');
    assert.equal((await refused(anna, { type: 'stage', op: 'remove', user: 'u-rasa' })).code, 'forbidden');
    assert.equal((await refused(mikael, { type: 'stage', op: 'add', user: 'u-ghost' })).code, 'unknown_member');
    const down = await act(rasa, { type: 'stage', op: 'remove', user: 'u-rasa' });
    assert.deepEqual(down.stage.speakers.map((x) => x.user), ['u-anna']);
    assert.equal((await refused(mikael, { type: 'stage', op: 'remove', user: 'u-rasa' })).code, 'bad_state');

    // The template of the entry becomes the live agenda on request.
    const tpl = await act(mikael, { type: 'agenda', op: 'template' });
    assert.deepEqual(tpl.agenda.items.map((x) => [x.title, x.kind, x.timebox_ms, x.lead]),
        [['What investors look for', 'talk', 1800000, 'u-mikael'], ['Questions', 'qa', 1800000, undefined]]);
    const started = await act(mikael, { type: 'agenda', op: 'start' });
    assert.equal(started.agenda.current, tpl.agenda.items[0].id);

    // The stage is there after a restart.
    await waitFor(async () => Object.keys(await storedOps(stack.redis.port, SESSION)).length >= 6, { what: 'the ops stored' });
    await stack.kopa.kill9();
    await stack.kopa.restart();
    const joined = await rasa.reconnect();
    assert.deepEqual(joined.state.stage, down.stage);
    assert.equal(joined.state.agenda.started_at, started.agenda.started_at);
});

test('questions: ordered by votes, one vote each, answer, hide and pin', { timeout: 60000 }, async (t) => {
    const { stack, ilze, mikael, anna, rasa, kadri } = await workshop(t);
    const q1 = await act(anna, { type: 'question', op: 'ask', text: 'What ticket sizes do you consider?' });
    const q2 = await act(rasa, { type: 'question', op: 'ask', text: 'Do you invest in\nBaltic cooperatives?' });
    const q3 = await act(kadri, { type: 'question', op: 'ask', text: 'How long does due diligence take?' });
    assert.deepEqual([q1.question, q2.question, q3.question], [1, 2, 3]);
    assert.deepEqual(q3.questions.map((x) => x.id), [1, 2, 3], 'equal votes: in the order asked');
    assert.equal(q2.questions.find((x) => x.id === 2).text, 'Do you invest in\nBaltic cooperatives?');

    await act(anna, { type: 'question', op: 'vote', question: 3 });
    await act(rasa, { type: 'question', op: 'vote', question: 3 });
    const v = await act(kadri, { type: 'question', op: 'vote', question: 2 });
    assert.deepEqual(v.questions.map((x) => [x.id, x.votes]), [[3, 2], [2, 1], [1, 0]]);
    assert.deepEqual(v.questions[0].voters.sort(), ['u-anna', 'u-rasa']);
    // A second vote by the same member changes nothing (and sends nothing).
    anna.send({ type: 'question', op: 'vote', question: 3 });
    const un = await act(rasa, { type: 'question', op: 'unvote', question: 3 });
    assert.deepEqual(un.questions.map((x) => [x.id, x.votes]), [[2, 1], [3, 1], [1, 0]],
        'votes tie: the earlier question first');
    assert.equal((await refused(anna, { type: 'question', op: 'vote', question: 42 })).code, 'not_found');

    // Moderation: entrepreneurs may not, the expert host and coordinators may.
    for (const op of ['answer', 'hide', 'pin']) {
        assert.equal((await refused(anna, { type: 'question', op, question: 1 })).code, 'forbidden');
    }
    const pinned = await act(mikael, { type: 'question', op: 'pin', question: 1 });
    assert.deepEqual(pinned.questions.map((x) => x.id), [1, 2, 3], 'pinned first');
    assert.equal(pinned.questions[0].pinned, true);
    const answered = await act(mikael, { type: 'question', op: 'answer', question: 1 });
    const q = answered.questions.find((x) => x.id === 1);
    assert.equal(q.answered, true);
    assert.equal(typeof q.answered_at, 'number');
    const hidden = await act(ilze, { type: 'question', op: 'hide', question: 2 });
    const h = hidden.questions.find((x) => x.id === 2);
    assert.equal(h.hidden, true);
    assert.equal(h.text, undefined, 'a hidden question is not shown');
    assert.equal(h.author, undefined);
    assert.equal(h.votes, 1);
    assert.equal((await refused(anna, { type: 'question', op: 'vote', question: 2 })).code, 'bad_state');
    const shown = await act(ilze, { type: 'question', op: 'hide', question: 2, on: false });
    assert.equal(shown.questions.find((x) => x.id === 2).text, 'Do you invest in\nBaltic cooperatives?');
    const unpinned = await act(mikael, { type: 'question', op: 'pin', question: 1, on: false });
    assert.deepEqual(unpinned.questions.map((x) => x.id), [2, 3, 1]);

    // The text limits are the protocol's.
    assert.equal((await refused(anna, { type: 'question', op: 'ask', text: 'x'.repeat(501) })).code, 'too_long');
    assert.equal((await refused(anna, { type: 'question', op: 'ask', text: '' })).code, 'bad_value');

    // After a restart everything is as it was.
    await waitFor(async () => Object.keys(await storedOps(stack.redis.port, SESSION)).length >= 12, { what: 'the ops stored' });
    await stack.kopa.kill9();
    await stack.kopa.restart();
    const joined = await kadri.reconnect();
    assert.deepEqual(joined.state.questions, unpinned.questions);
    assert.equal(joined.state.host, 'u-mikael');
});
