// 16-pulse: the feedback pulse of protocol.md section 10.7. Members answer
// (usefulness 1-5, will apply yes/no, an optional comment) per scope, once
// each (a second answer replaces the first); the answer is private: only
// the member gets it back, after it is stored; coordinators read the
// results per scope with every pulse and a CSV that holds every pulse;
// entrepreneurs and experts cannot read them. Pulses survive a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep, waitFor } from './lib/harness.mjs';
import { refused, request, storedOps } from './lib/live.mjs';

/** Parses RFC 4180 CSV (CRLF rows, quoted cells with doubled quotes). */
function parseCsv(text) {
    const rows = [];
    let row = [], cell = '', quoted = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
            if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
            else if (ch === '"') quoted = false;
            else cell += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') { row.push(cell); cell = ''; }
        else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
        else cell += ch;
    }
    assert.equal(cell, '', 'the CSV ends with CRLF');
    return rows;
}

test('pulses: private answers, coordinator results, CSV with every pulse', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t);
    const SID = 'pulse-s';
    const ilze = await stack.enter(SID, 'ilze');
    const mikael = await stack.enter(SID, 'mikael');
    const names = ['anna', 'rasa', 'kadri', 'jonas'];
    const members = [];
    for (const n of names) members.push(await stack.enter(SID, n));
    const [anna, rasa, kadri, jonas] = members;

    const answers = [
        [anna, { usefulness: 5, will_apply: true, text: 'Great pairs, "very" useful, thanks' }],
        [rasa, { usefulness: 3, will_apply: false }],
        [kadri, { usefulness: 4, will_apply: true, text: '=cmd|calc, a formula?\nsecond line' }],
        [jonas, { usefulness: 2, will_apply: false, text: 'Per trumpai — too short' }],
        [anna, { scope: 'b1', usefulness: 4, will_apply: true, text: 'Breakout with Kadri' }],
        [kadri, { scope: 'b1', usefulness: 5, will_apply: true }],
    ];
    for (const [c, a] of answers) {
        const reply = await request(c, { type: 'pulse', ...a }, 'pulse');
        assert.equal(reply.user, c.me.id);
        assert.equal(reply.scope, a.scope ?? 'session');
        assert.equal(reply.usefulness, a.usefulness);
        assert.equal(reply.will_apply, a.will_apply);
        assert.equal(reply.text, a.text);
    }
    // Private: nobody else saw anything.
    await sleep(200);
    for (const c of [ilze, mikael, ...members]) {
        assert.equal(c.received.filter((m) => m.type === 'pulse' && m.user !== c.me.id).length, 0, c.label);
    }
    // Answering again replaces the answer (rasa changes her mind).
    const changed = await request(rasa, { type: 'pulse', usefulness: 4, will_apply: true, text: 'On reflection: useful' }, 'pulse');
    assert.equal(changed.usefulness, 4);

    // Refusals.
    assert.equal((await refused(anna, { type: 'pulse', usefulness: 6, will_apply: true })).code, 'bad_value');
    assert.equal((await refused(anna, { type: 'pulse', usefulness: 3 })).code, 'missing_field');
    assert.equal((await refused(anna, { type: 'pulse', usefulness: 3, will_apply: 'yes' })).code, 'wrong_type');
    assert.equal((await refused(anna, { type: 'pulse', usefulness: 3, will_apply: true, text: 'x'.repeat(1001) })).code, 'too_long');
    // Entrepreneurs and experts never read the results.
    assert.equal((await refused(anna, { type: 'pulse_results' })).code, 'forbidden');
    assert.equal((await refused(mikael, { type: 'pulse_results' })).code, 'forbidden');

    const res = await request(ilze, { type: 'pulse_results' }, 'pulse_results');
    assert.equal(res.session, SID);
    assert.equal(res.total.count, 6);
    assert.deepEqual(res.total.histogram, [0, 1, 0, 3, 2]);
    assert.equal(res.total.will_apply, 5);
    assert.ok(Math.abs(res.total.mean_usefulness - 24 / 6) < 0.001);
    assert.ok(Math.abs(res.total.will_apply_share - 5 / 6) < 0.001);
    assert.deepEqual(res.scopes.map((s) => [s.scope, s.count]), [['session', 4], ['b1', 2]]);
    assert.equal(res.pulses.length, 6);
    assert.deepEqual(res.pulses.map((p) => [p.scope, p.user]),
        [['session', 'u-anna'], ['session', 'u-rasa'], ['session', 'u-kadri'], ['session', 'u-jonas'],
            ['b1', 'u-anna'], ['b1', 'u-kadri']], 'in the order first answered');
    assert.equal(res.pulses[1].text, 'On reflection: useful');

    // The CSV holds every pulse, exactly.
    const rows = parseCsv(res.csv);
    assert.deepEqual(rows[0], ['session', 'scope', 'user', 'submitted_at', 'usefulness', 'will_apply', 'comment']);
    assert.equal(rows.length, 1 + res.pulses.length);
    for (let i = 0; i < res.pulses.length; i++) {
        const p = res.pulses[i], r = rows[i + 1];
        assert.equal(r[0], SID);
        assert.equal(r[1], p.scope);
        assert.equal(r[2], p.user);
        assert.equal(r[3], new Date(Math.floor(p.submitted_at / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
        assert.equal(r[4], String(p.usefulness));
        assert.equal(r[5], p.will_apply ? 'yes' : 'no');
        const text = p.text ?? '';
        assert.equal(r[6], /^[=+\-@\t\r]/.test(text) ? `'${text}` : text, 'formulas are neutralised');
    }

    const only = await request(ilze, { type: 'pulse_results', scope: 'b1' }, 'pulse_results');
    assert.equal(only.total.count, 2);
    assert.equal(only.pulses.length, 2);

    // Stored: after a crash and restart the results are the same, and each
    // member sees their own answers in joined.
    await waitFor(async () => Object.keys(await storedOps(stack.redis.port, SID)).length === 7, { what: 'seven pulses stored' });
    await stack.kopa.kill9();
    await stack.kopa.restart();
    const joined = await anna.reconnect();
    assert.deepEqual(joined.state.pulses.map((p) => [p.scope, p.usefulness]), [['session', 5], ['b1', 4]]);
    await ilze.reconnect();
    const again = await request(ilze, { type: 'pulse_results' }, 'pulse_results');
    assert.deepEqual(again.pulses, res.pulses);
    assert.equal(again.csv, res.csv);
});
