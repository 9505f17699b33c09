// 33-audio-slow: a listener that stops reading while others speak and chat
// (protocol.md section 8.3). The server keeps at most 10 audio frames
// (200 ms) for it, dropping the oldest (counted as
// kopa_audio_dropped_total{reason="slow_listener"}), and never drops or
// holds back ordered JSON for audio. Once it reads again it is still
// connected, has every chat and private message in order, and its audio
// jumps forward: after what the kernel's socket buffers took before they
// filled, at most those 10 old frames, then current ones.
//
// The server writes audio into a socket only while less than 1 KiB waits
// unsent in it (server/net/ws.c), but the listener's own receive buffer
// takes what arrives before it fills: 20 ms of audio is about 100 bytes,
// so audio alone would need minutes to fill it. Big private messages to
// the listener fill it in a second or two; then the server's queues hold
// the rest.
//
// Time is read from the room's tick counter, not the wall clock: seq and
// ts count the mixer's ticks, which fall behind the wall clock when a
// loaded server skips ticks. Anna hears the same room (Rasa's packets
// forwarded, same ticks) and reads all along: the newest tick she has is
// what "now" was in the room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep, waitFor, checkContiguous, PEOPLE } from './lib/harness.mjs';
import { enterAudio, startSending, tonePackets, metrics, sample } from './lib/audio.mjs';

const QUEUE_MAX = 10;            // AUDIO_QUEUE_MAX, server/app/audio_app_int.h
const filler = 'ž'.repeat(1900); // 3,800 bytes of UTF-8
const ROUND = 100;               // private messages of filler per round: 380 kB
const MAX_ROUNDS = 20;           // 7.6 MB at most: past the kernel's buffers,
                                 // and the 4 MiB queue that closes (4008)
                                 // is not reached: rounds stop at the first drop
const SLOW = 'kopa_audio_dropped_total{reason="slow_listener"}';
const DM = `user:${PEOPLE.mikael.sub}`;

const texts = (c, channel, type) => c.log(channel).events.filter((e) => e.type === type).map((e) => e.text);

/** The frame's tick (ts counts the room's ticks x 960; it does not wrap
 * for 24 hours, seq would after 22 minutes). */
const tick = (f) => f.ts / 960;

/** The newest tick c had received by time t. */
const newest = (c, t) => Math.max(...c.audio.filter((f) => f.at < t).map(tick));

test('a listener that pauses loses only old audio, never chat, and is current again when it reads',
    { timeout: 60000 }, async (t) => {
        const started = Date.now();
        const stack = await startStack(t, { kopa: { args: ['--rate', '100000', '--burst', '100000'] } });
        const anna = await enterAudio(stack, 'slow', 'anna');
        const rasa = await enterAudio(stack, 'slow', 'rasa');
        const mikael = await enterAudio(stack, 'slow', 'mikael');
        t.after(() => [anna, rasa, mikael].forEach((c) => c.terminate()));
        for (const c of [anna, rasa, mikael]) await c.audioOp('enable');
        const senders = [startSending(anna, tonePackets(440, 100)), startSending(rasa, tonePackets(660, 100))];
        const chats = [];
        const dms = [];
        let paused, resumed, firstDrop, dropsBefore, dropsPaused = 0;
        let chatting = true;
        let stopAt;
        const chatter = (async () => {
            for (let i = 0; chatting; i++) {
                const text = `${chats.length} kamēr Mikaels neklausās`;
                chats.push(text);
                (i % 2 ? anna : rasa).chat(text);
                await sleep(100);
            }
        })();
        try {
            await sleep(1500); // mikael hears the shared mix of the two
            const ms = mikael.mainStream(started + 1000);
            assert.ok(ms && ms.kind === 0 && ms.stream === 0 && ms.count > 10, `the shared mix: ${JSON.stringify(ms)}`);
            dropsBefore = sample(await metrics(stack.kopa.port), SLOW);

            paused = Date.now();
            mikael.ws._socket.pause();
            // Rounds of big private messages for mikael until the kernel's
            // buffers for his socket are full and his audio queue drops.
            for (let round = 0; round < MAX_ROUNDS && !firstDrop; round++) {
                for (let i = 0; i < ROUND; i++) {
                    dms.push(`${dms.length} ${filler}`);
                    anna.dm(PEOPLE.mikael.sub, dms[dms.length - 1]);
                }
                await anna.allAcked(10000);
                dropsPaused = sample(await metrics(stack.kopa.port), SLOW) - dropsBefore;
                if (dropsPaused > 0) firstDrop = Date.now();
            }
            assert.ok(dropsPaused > 0, `no slow_listener drops while paused ${Date.now() - paused} ms`);
            await sleep(1000); // 50 more frames: the queue keeps only 10
            dropsPaused = sample(await metrics(stack.kopa.port), SLOW) - dropsBefore;
            assert.ok(dropsPaused >= 3 * QUEUE_MAX, `${dropsPaused} dropped in the last second`);
            assert.equal(mikael.closeInfo, null, 'still connected while paused');

            resumed = Date.now();
            mikael.ws._socket.resume();
            await waitFor(() => texts(mikael, DM, 'dm').length === dms.length,
                { what: 'mikael has every private message', timeoutMs: 15000 });
            await sleep(1000); // current audio again
        } finally {
            stopAt = Date.now();
            chatting = false;
            await chatter;
            await Promise.all(senders.map((s) => s.stop()));
        }
        await waitFor(() => texts(mikael, 'room:main', 'chat').length === chats.length,
            { what: 'mikael has every chat' });
        if (process.env.KOPA_AUDIO_DEBUG) {
            console.log(`paused ${resumed - paused} ms, first drop after ${firstDrop - paused} ms, ` +
                `${dropsPaused} dropped, ${dms.length} dms, ${chats.length} chats`);
        }

        // Ordered data: all of it, once, in order; the connection is as it was.
        assert.ok(mikael.isOpen, 'mikael is still connected');
        assert.deepEqual(texts(mikael, DM, 'dm'), dms, 'every private message once and in order');
        // Chats from two connections: the room's order is the order they
        // reached the server, the same for everyone; each one's own chats
        // keep the order they were sent in.
        const roomOrder = texts(rasa, 'room:main', 'chat');
        assert.deepEqual([...roomOrder].sort(), [...chats].sort(), 'rasa has every chat once');
        assert.deepEqual(texts(mikael, 'room:main', 'chat'), roomOrder, 'every chat once, in the room\'s order');
        for (const parity of [0, 1]) {
            const own = chats.filter((_, i) => i % 2 === parity);
            assert.deepEqual(roomOrder.filter((x) => own.includes(x)), own, 'each sender\'s chats in order');
        }
        assert.equal(checkContiguous(mikael.log(DM).events), null);
        assert.equal(checkContiguous(mikael.log('room:main').events), null);
        const id = mikael.chat('Atvainojiet, es biju lēns.');
        assert.equal((await anna.next({ type: 'chat', id })).text, 'Atvainojiet, es biju lēns.');

        // Audio after resuming: in order, with one jump forward that holds
        // every dropped frame (other gaps are ticks the mixer had nothing to
        // send: this process also plays both speakers and may stall).
        // The last frame read before the pause is where the jump may start.
        const before = mikael.audio.filter((f) => f.at < resumed);
        const after = [...before.slice(-1), ...mikael.audio.filter((f) => f.at >= resumed)];
        const what = `ticks after resuming: ${after.map(tick).join(' ')}; anna's newest when paused ` +
            `${newest(anna, paused)}, at the first drop ${newest(anna, firstDrop)}, when resumed ${newest(anna, resumed)}`;
        if (process.env.KOPA_AUDIO_DEBUG) console.log(what);
        let cut = -1;
        for (let i = 1; i < after.length; i++) {
            const d = tick(after[i]) - tick(after[i - 1]);
            assert.ok(d >= 1, `out of order at ${i}; ${what}`);
            if (cut < 0 || d > tick(after[cut]) - tick(after[cut - 1])) cut = i;
        }
        assert.ok(cut > 0, `frames after resuming; ${what}`);
        const skipped = tick(after[cut]) - tick(after[cut - 1]) - 1;
        const drops = sample(await metrics(stack.kopa.port), SLOW) - dropsBefore;
        assert.ok(skipped >= drops, `the jump (${skipped} ticks) holds every drop (${drops}); ${what}`);
        // Before the jump: what the kernel took before its buffers filled,
        // all made before the queue started dropping.
        assert.ok(tick(after[cut - 1]) <= newest(anna, firstDrop) + 1,
            `frames before the jump were made before the drops began; ${what}`);
        // After it: at most the queue's 10 frames made before mikael read
        // again (anna had them by then), then current ones.
        const old = after.slice(cut).filter((f) => tick(f) <= newest(anna, resumed));
        assert.ok(old.length <= QUEUE_MAX, `${old.length} frames after the jump made before resuming; ${what}`);
        // In all, little stale audio: the server's socket never held much
        // more than the queue (at most 1 KiB unsent), so what came late is
        // the queue and the little the listener's own buffer took.
        const stale = after.slice(1).filter((f) => tick(f) <= newest(anna, resumed));
        assert.ok(stale.length <= 2 * QUEUE_MAX, `${stale.length} frames made before resuming came after it; ${what}`);
        const last = after.filter((f) => f.at > stopAt - 1000 && f.at <= stopAt);
        assert.ok(last.length >= 30, `${last.length} frames in the last second; ${what}`);
        assert.ok(tick(last[last.length - 1]) >= newest(anna, stopAt) - 3, `mikael is current; ${what}`);
        // What mikael hears now is the two speakers again.
        const h = mikael.hear(resumed + 500, [440, 660, 880]);
        assert.ok(h.tones['440'] > -25 && h.tones['660'] > -25, JSON.stringify(h));
        assert.ok(Date.now() - started < 30000, `bounded: ${Date.now() - started} ms`);
    });
