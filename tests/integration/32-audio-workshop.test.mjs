// 32-audio-workshop: in a workshop's main room only the host (the expert
// the programme entry names) and the people on the stage are heard
// (protocol.md sections 8.5 and 10.5); putting someone on the stage lets
// them be heard at once; the host may record the workshop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep, tempDir } from './lib/harness.mjs';
import { act, request } from './lib/live.mjs';
import { enterAudio, startSending, tonePackets } from './lib/audio.mjs';

const SESSION = 'ws-audio';
const TONES = [440, 660];

function levels(c, t) {
    const h = c.hear(t, TONES);
    assert.ok(h.frames >= 40, `${c.label}: ${JSON.stringify(h)}`);
    return h;
}

test('workshop: the host and the stage are heard, the audience is not until put on stage',
    { timeout: 90000 }, async (t) => {
        const dir = tempDir('kopa-rec-');
        const stack = await startStack(t, { kopa: { args: ['--recordings', dir] } });
        const ilze = await enterAudio(stack, SESSION, 'ilze');
        await request(ilze, { type: 'programme', op: 'add', entry: {
            session: SESSION, kind: 'workshop', title: 'Talking to impact investors',
            start: Date.UTC(2027, 4, 12, 12, 0), tz: 'Europe/Riga', duration_ms: 3600000, host: 'u-mikael',
            agenda: [{ title: 'Questions', kind: 'qa', timebox_ms: 1800000 }],
        } }, 'programme');
        const mikael = await enterAudio(stack, SESSION, 'mikael');
        const anna = await enterAudio(stack, SESSION, 'anna');
        const rasa = await enterAudio(stack, SESSION, 'rasa');
        t.after(() => [ilze, mikael, anna, rasa].forEach((c) => c.terminate()));
        const host = await mikael.audioOp('enable');
        assert.equal(host.may_speak, true, 'the host may speak');
        const aud = await anna.audioOp('enable');
        assert.equal(aud.may_speak, false, 'the audience may not');
        await rasa.audioOp('enable');

        const senders = [startSending(mikael, tonePackets(440, 100)), startSending(anna, tonePackets(660, 100))];
        try {
            const e = await anna.next((m) => m.type === 'error', 3000);
            assert.equal(e.code, 'not_speaker');
            assert.match(e.message, /may not be heard/);
            await sleep(800);
            const t1 = Date.now();
            await sleep(1500);
            const h1 = levels(rasa, t1);
            assert.ok(h1.tones['440'] > -25 && h1.tones['660'] < -40, JSON.stringify(h1));

            // On stage, Anna is heard at once and told so.
            await act(mikael, { type: 'stage', op: 'add', user: 'u-anna' });
            const on = await anna.next((m) => m.type === 'audio' && m.may_speak === true);
            assert.equal(on.enabled, true);
            await sleep(800);
            const t2 = Date.now();
            await sleep(1500);
            const h2 = levels(rasa, t2);
            assert.ok(h2.tones['440'] > -25 && h2.tones['660'] > -25, JSON.stringify(h2));

            // Stepping down silences her again.
            await act(anna, { type: 'stage', op: 'remove', user: 'u-anna' });
            assert.equal((await anna.next((m) => m.type === 'audio' && m.may_speak === false)).enabled, true);

            // The host records the workshop.
            mikael.send({ type: 'recording', op: 'start' });
            const rec = await rasa.next({ type: 'recording', state: 'started' });
            assert.equal(rec.by.id, 'u-mikael');
            mikael.send({ type: 'recording', op: 'stop' });
            assert.equal((await rasa.next({ type: 'recording', state: 'stopped' })).id, rec.id);
            anna.send({ type: 'recording', op: 'start', ref: 'no' });
            assert.equal((await anna.next((m) => m.ref === 'no')).code, 'forbidden');
        } finally {
            await Promise.all(senders.map((s) => s.stop()));
        }
    });
