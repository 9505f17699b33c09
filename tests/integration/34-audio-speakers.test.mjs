// 34-audio-speakers: K, the number of a room's loudest speakers mixed at
// once, is a server setting (--audio-speakers / KOPA_AUDIO_SPEAKERS, 1-8,
// default 3; README, protocol.md section 8). With K = 2 and three members
// sending tones at clearly different levels, the speakers event never lists
// more than two and what listeners hear is exactly the two loudest: the
// quietest tone is loud enough to be mixed when K allows it (it is well
// above the -50 dBFS threshold), so with K = 3 this test fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep, runKopa } from './lib/harness.mjs';
import { enterAudio, startSending, tonePackets } from './lib/audio.mjs';

const TONES = [440, 660, 880];
const HEARD_DB = -25;
const ABSENT_DB = -40;
// Loud, medium, quiet: 880 Hz at 0.03 is about -30 dBFS, 16 dB under
// 660 Hz, so it is mixed only when there is room for a third speaker.
const AMPLITUDE = { 440: 0.3, 660: 0.2, 880: 0.03 };

function hears(c, t, want, label) {
    const h = c.hear(t, TONES);
    const what = `${label}: ${c.label} heard ${JSON.stringify(h)}`;
    assert.ok(h.frames >= 40, `too few frames; ${what}`);
    for (const f of TONES) {
        const level = h.tones[String(f)];
        if (want.includes(f)) assert.ok(level > HEARD_DB, `${f} Hz missing; ${what}`);
        else assert.ok(level < ABSENT_DB, `${f} Hz should be absent; ${what}`);
    }
    return h;
}

test('--audio-speakers 2: the speakers event lists at most two and listeners hear exactly the two loudest',
    { timeout: 60000 }, async (t) => {
        // The flag wins over the variable (which alone would make K = 1).
        const stack = await startStack(t, {
            kopa: { args: ['--audio-speakers', '2'], env: { KOPA_AUDIO_SPEAKERS: '1' } },
        });
        const names = ['anna', 'rasa', 'kadri', 'jonas'];
        const clients = [];
        for (const n of names) clients.push(await enterAudio(stack, 'k2', n));
        t.after(() => clients.forEach((c) => c.terminate()));
        const [anna, rasa, kadri, jonas] = clients;
        const states = [];
        for (const c of clients) states.push(await c.audioOp('enable'));
        const senders = [anna, rasa, kadri].map((c, i) =>
            startSending(c, tonePackets(TONES[i], 100, { amplitude: AMPLITUDE[TONES[i]] })));
        try {
            await sleep(2000); // buffers fill; a quiet speaker who got in first is replaced after 600 ms
            const t1 = Date.now();
            await sleep(1600);
            // Jonas only listens: the shared mix of the two loudest.
            const hj = hears(jonas, t1, [440, 660], 'jonas');
            assert.deepEqual([hj.key.kind, hj.key.stream], [0, 0], 'the shared mix');
            // Kadri speaks but is not among the two: the same shared mix.
            const hk = hears(kadri, t1, [440, 660], 'kadri');
            assert.deepEqual([hk.key.kind, hk.key.stream], [0, 0], 'the shared mix');
            // Anna and Rasa are the two: each hears only the other, whose
            // packets are forwarded (nothing else is mixed).
            const ha = hears(anna, t1, [660], 'anna');
            assert.deepEqual([ha.key.kind, ha.key.stream], [2, states[1].stream], 'rasa forwarded');
            const hr = hears(rasa, t1, [440], 'rasa');
            assert.deepEqual([hr.key.kind, hr.key.stream], [2, states[0].stream], 'anna forwarded');
        } finally {
            await Promise.all(senders.map((s) => s.stop()));
        }
        // Every speakers event anyone got listed at most two, and the last
        // one while all three were sending named the two loudest.
        for (const c of clients) {
            const events = c.received.filter((m) => m.type === 'speakers');
            assert.ok(events.length > 0, `${c.label} got speakers events`);
            for (const e of events) assert.ok(e.speakers.length <= 2, `${c.label}: ${JSON.stringify(e)}`);
            const full = events.filter((e) => e.speakers.length === 2);
            assert.ok(full.length > 0, `${c.label} saw two speakers`);
            assert.deepEqual(full[full.length - 1].speakers.map((s) => s.id), ['u-anna', 'u-rasa'], 'loudest first');
        }
    });

test('--audio-speakers and KOPA_AUDIO_SPEAKERS refuse values outside 1-8 with a clear error', { timeout: 30000 },
    async () => {
        const env = { KOPA_SECRET: 'x'.repeat(40) };
        const help = await runKopa(['--help']);
        assert.match(help.stdout, /--audio-speakers N .*1-8/);
        assert.match(help.stdout, /KOPA_AUDIO_SPEAKERS, 3/);
        for (const [args, extra, got] of [
            [['serve', '--audio-speakers', '0'], {}, '0'],
            [['serve', '--audio-speakers', '9'], {}, '9'],
            [['serve', '--audio-speakers', '2x'], {}, '2x'],
            [['serve'], { KOPA_AUDIO_SPEAKERS: 'nine' }, 'nine'],
        ]) {
            const r = await runKopa(args, { env: { ...env, ...extra } });
            assert.notEqual(r.code, 0, `${args.join(' ')} ${JSON.stringify(extra)} exits non-zero`);
            assert.match(r.stderr, new RegExp(`--audio-speakers \\(KOPA_AUDIO_SPEAKERS\\) wants a number from 1 to 8, got '${got}'`));
        }
    });
