// 31-audio-breakout: audio follows members into breakouts (protocol.md
// sections 8 and 11). Four entrepreneurs send tones; when a round opens
// each hears only their partner; the coordinator's broadcast reaches every
// breakout; listening in hears one breakout without being heard there; when
// the round closes everyone is back in the main room's mix, across pairs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep } from './lib/harness.mjs';
import { ask } from './lib/breakout.mjs';
import { enterAudio, startSending, tonePackets } from './lib/audio.mjs';

const HEARD_DB = -25;
const ABSENT_DB = -40;
const PEOPLE = ['anna', 'rasa', 'kadri', 'jonas'];
const TONE = { anna: 440, rasa: 660, kadri: 880, jonas: 550, ilze: 1100 };
const ALL = Object.values(TONE);

/** What c heard since t: {tone: dB}, with the stream it came on. */
function heard(c, t) {
    const h = c.hear(t, ALL);
    assert.ok(h.frames >= 40, `${c.label}: too few frames: ${JSON.stringify(h)}`);
    return h;
}

function assertOnly(c, t, want, label) {
    const h = heard(c, t);
    for (const f of ALL) {
        const level = h.tones[String(f)];
        if (want.includes(f)) assert.ok(level > HEARD_DB, `${label}: ${c.label} misses ${f} Hz: ${JSON.stringify(h)}`);
        else assert.ok(level < ABSENT_DB, `${label}: ${c.label} hears ${f} Hz: ${JSON.stringify(h)}`);
    }
    return h;
}

async function window(ms = 1500, settle = 1000) {
    await sleep(settle);
    const t = Date.now();
    await sleep(ms);
    return t;
}

test('moving into a breakout switches the mix; broadcast reaches every breakout; listen-in hears one',
    { timeout: 120000 }, async (t) => {
        const stack = await startStack(t, { kopa: { args: ['--rate', '200', '--burst', '400'] } });
        const by = {};
        for (const n of [...PEOPLE, 'ilze']) by[n] = await enterAudio(stack, 'month4', n);
        t.after(() => Object.values(by).forEach((c) => c.terminate()));
        const streams = {};
        for (const n of [...PEOPLE, 'ilze']) streams[n] = (await by[n].audioOp('enable')).stream;
        const senders = PEOPLE.map((n) => startSending(by[n], tonePackets(TONE[n], 100)));
        let ilzeSends = null;
        try {
            await ask(by.ilze, { type: 'round_propose', mode: 'random', group_size: 2, duration_ms: 120000, seed: 5 });
            for (const c of Object.values(by)) c.drain();
            const opened = (await ask(by.ilze, { type: 'round_open' })).round;
            const roomOf = {};
            const partner = {};
            for (const g of opened.groups) {
                const ids = g.members.map((m) => m.id.slice(2));
                assert.equal(ids.length, 2, JSON.stringify(opened.groups));
                for (const n of ids) {
                    roomOf[n] = g.room;
                    partner[n] = ids.find((x) => x !== n);
                }
            }
            // Each member's audio moved with it, at once.
            for (const n of PEOPLE) {
                const a = await by[n].next((m) => m.type === 'audio' && m.room === roomOf[n]);
                assert.equal(a.enabled, true);
                assert.equal(a.stream, streams[n], 'the stream id stays');
                assert.equal((await by[n].next('moved')).room, roomOf[n]);
            }

            // In a pair each hears the partner only (forwarded as it came).
            const t1 = await window();
            for (const n of PEOPLE) {
                const h = assertOnly(by[n], t1, [TONE[partner[n]]], 'pairs');
                assert.deepEqual([h.key.kind, h.key.stream], [2, streams[partner[n]]]);
            }
            assert.equal(by.ilze.since(t1).length, 0, 'the coordinator, alone in main, hears nobody');
            // But the coordinator's console sees who speaks in every breakout;
            // members only see their own room's speakers.
            const rooms = [...new Set(Object.values(roomOf))];
            for (const room of rooms) {
                const sp = await by.ilze.next((m) => m.type === 'speakers' && m.room === room && m.speakers.length > 0, 3000);
                const inRoom = PEOPLE.filter((n) => roomOf[n] === room).map((n) => `u-${n}`);
                assert.ok(sp.speakers.every((x) => inRoom.includes(x.id)), JSON.stringify(sp));
            }
            const otherRoom = rooms.find((r) => r !== roomOf.anna);
            assert.equal(by.anna.received.filter((m) => m.type === 'speakers' && m.room === otherRoom).length, 0,
                'a member does not get another breakout\'s speakers');

            // Broadcast: the coordinator's voice reaches every breakout.
            const b = await by.ilze.audioOp('broadcast', { on: true });
            assert.equal(b.broadcast, true);
            ilzeSends = startSending(by.ilze, tonePackets(TONE.ilze, 100));
            const t2 = await window();
            for (const n of PEOPLE) assertOnly(by[n], t2, [TONE[partner[n]], TONE.ilze], 'broadcast');

            // Listen in to one breakout without being heard there (the
            // broadcast ends first).
            await by.ilze.audioOp('broadcast', { on: false });
            const target = roomOf.anna;
            const l = await by.ilze.audioOp('listen', { room: target });
            assert.equal(l.listen, target);
            const t3 = await window();
            assertOnly(by.ilze, t3, [TONE.anna, TONE[partner.anna]], 'listening in');
            for (const n of PEOPLE) assertOnly(by[n], t3, [TONE[partner[n]]], 'listened to');
            // The coordinator gets every breakout's speakers (from the broadcast
            // on too, with her in them): the latest list is the pair's alone.
            const sp = by.ilze.received.filter((m) => m.type === 'speakers' && m.room === target).at(-1);
            assert.ok(sp && sp.speakers.length > 0 && sp.speakers.every((s) => [`u-anna`, `u-${partner.anna}`].includes(s.id)),
                JSON.stringify(sp));

            // Close: everyone is back in main, the listen-in ends.
            for (const c of Object.values(by)) c.drain();
            await ask(by.ilze, { type: 'round_close' });
            for (const n of PEOPLE) {
                const a = await by[n].next((m) => m.type === 'audio' && m.room === 'main');
                assert.equal(a.stream, streams[n]);
            }
            const back = await by.ilze.next((m) => m.type === 'audio' && m.listen === undefined);
            assert.equal(back.room, 'main');
            await ilzeSends.stop();
            ilzeSends = null;
            // Back in one mix: Anna and someone from the other pair keep
            // talking, the others fall silent. The two hear each other,
            // everyone else hears both.
            const other = PEOPLE.find((n) => n !== 'anna' && n !== partner.anna);
            const silent = PEOPLE.filter((n) => n !== 'anna' && n !== other);
            await Promise.all(silent.map((n) => senders[PEOPLE.indexOf(n)].stop()));
            const t4 = await window(2000, 1500);
            assertOnly(by.anna, t4, [TONE[other]], 'back in main');
            assertOnly(by[other], t4, [TONE.anna], 'back in main');
            for (const n of [...silent, 'ilze']) assertOnly(by[n], t4, [TONE.anna, TONE[other]], 'back in main');
        } finally {
            if (ilzeSends) await ilzeSends.stop();
            await Promise.all(senders.map((s) => s.stop()));
        }
    });
