// 30-audio: members talk through the server's mixer (protocol.md section
// 8). Real clients send libopus-encoded tones (tools/opus_tone.c) as
// binary frames; what each one receives is decoded and measured
// (tools/opus_analyse.c, Goertzel): everyone hears the others' tones and
// never their own, a muted member is not heard, invalid packets are refused
// with the documented errors while the others keep hearing each other,
// /metrics shows the work (encode and tick time grow), and a recording
// makes a valid Ogg Opus file that everyone is told about, with its
// metadata in Redis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { startStack, tempDir, sleep, waitFor, httpRequest, redisCommand } from './lib/harness.mjs';
import { audioFrame, enterAudio, startSending, tonePackets, analyse, metrics, sample } from './lib/audio.mjs';

const TONES = [440, 660, 880];
const HEARD_DB = -25;  // a tone sent at 0.3 of full scale is about -10.5 dBFS
const ABSENT_DB = -40; // what is left of a tone that is not in the mix

function describeHeard(who, h) {
    return `${who} heard ${JSON.stringify(h)}`;
}

/** Asserts that client c, since t, hears exactly the tones in want. */
function assertHears(c, t, want, label) {
    const h = c.hear(t, TONES);
    if (process.env.KOPA_AUDIO_DEBUG) console.log(label, c.label, JSON.stringify(h));
    assert.ok(h.frames >= 40, `${label}: too few frames (${h.frames}); ${describeHeard(c.label, h)}`);
    for (const f of TONES) {
        const level = h.tones[String(f)];
        if (want.includes(f)) assert.ok(level > HEARD_DB, `${label}: ${f} Hz missing; ${describeHeard(c.label, h)}`);
        else assert.ok(level < ABSENT_DB, `${label}: ${f} Hz should be absent; ${describeHeard(c.label, h)}`);
    }
    return h;
}

async function threeSpeakers(t) {
    const stack = await startStack(t);
    const names = ['anna', 'rasa', 'kadri'];
    const clients = [];
    for (const n of names) clients.push(await enterAudio(stack, 'talk', n));
    t.after(() => clients.forEach((c) => c.terminate()));
    const states = [];
    for (const c of clients) states.push(await c.audioOp('enable'));
    return { stack, clients, states };
}

test('three members each hear the other two tones and never their own; a muted member is not heard',
    { timeout: 60000 }, async (t) => {
        const { stack, clients, states } = await threeSpeakers(t);
        const [anna, rasa, kadri] = clients;
        for (const s of states) {
            assert.equal(s.enabled, true);
            assert.equal(s.room, 'main');
            assert.equal(s.muted, false);
            assert.equal(s.may_speak, true);
            assert.equal(s.broadcast, false);
            assert.ok(Number.isInteger(s.stream) && s.stream > 0);
        }
        assert.equal(new Set(states.map((s) => s.stream)).size, 3, 'stream ids are distinct');

        const senders = clients.map((c, i) => startSending(c, tonePackets(TONES[i], 100)));
        let m0, m0At;
        try {
            await sleep(1200); // jitter buffers fill, the active set settles
            m0 = await metrics(stack.kopa.port);
            m0At = Date.now();
            const t1 = Date.now();
            await sleep(1600);
            for (let i = 0; i < 3; i++) {
                const h = assertHears(clients[i], t1, TONES.filter((_, j) => j !== i), 'all talking');
                assert.deepEqual(h.key, { kind: 1, stream: states[i].stream, count: h.key.count },
                    'an active speaker gets its own everyone-but-you mix');
            }
            // Speaking indicators: everyone sees all three, with levels.
            const sp = await anna.next((m) => m.type === 'speakers' && m.speakers.length === 3, 3000);
            assert.equal(sp.room, 'main');
            assert.deepEqual(new Set(sp.speakers.map((s) => s.id)), new Set(['u-anna', 'u-rasa', 'u-kadri']));
            for (const s of sp.speakers) {
                assert.equal(typeof s.level_db, 'number');
                assert.ok(s.level_db > -30 && s.level_db <= 0, `level ${s.level_db}`);
                assert.equal(s.stream, states[['u-anna', 'u-rasa', 'u-kadri'].indexOf(s.id)].stream);
            }

            // Anna mutes but her client keeps sending: she is told once a
            // second, and nobody hears 440 Hz any more.
            rasa.drain();
            const muted = await anna.audioOp('mute');
            assert.equal(muted.muted, true);
            const err = await anna.next((m) => m.type === 'error' && m.code === 'not_speaker', 3000);
            assert.match(err.message, /muted/);
            await sleep(1000);
            const t2 = Date.now();
            await sleep(1600);
            assertHears(anna, t2, [660, 880], 'anna muted');
            assertHears(rasa, t2, [880], 'anna muted');
            assertHears(kadri, t2, [660], 'anna muted');
            const errs = anna.queue.filter((m) => m.type === 'error' && m.code === 'not_speaker').length;
            assert.ok(errs <= 4, `not_speaker at most once a second, got ${errs} in about 2.6 s`);
            // Her speaking indicator goes off for everyone.
            const quiet = await rasa.next((m) => m.type === 'speakers' && m.speakers.length === 2 &&
                m.speakers.every((s) => s.id !== 'u-anna'), 3000);
            assert.deepEqual(new Set(quiet.speakers.map((s) => s.id)), new Set(['u-rasa', 'u-kadri']));

            // Unmuted, she is heard again.
            assert.equal((await anna.audioOp('unmute')).muted, false);
            await sleep(1000);
            const t3 = Date.now();
            await sleep(1200);
            assertHears(rasa, t3, [440, 880], 'anna unmuted');
        } finally {
            await Promise.all(senders.map((s) => s.stop()));
        }
        const m = await httpRequest(stack.kopa.port, '/metrics');
        assert.match(m.body, /kopa_audio_mixers 1/);
        assert.match(m.body, /kopa_audio_frames_encoded_total [1-9]/);
        assert.match(m.body, /kopa_audio_frames_decoded_total [1-9]/);
        assert.match(m.body, /kopa_audio_dropped_total\{reason="not_speaker"\} [1-9]/);
        assert.match(m.body, /# TYPE kopa_audio_encode_seconds summary/);
        assert.match(m.body, /# TYPE kopa_audio_tick_seconds summary/);
        // Three speakers for about 6 s after m0: four encodes a tick (the
        // shared mix and three everyone-but-you mixes, fewer while Anna was
        // muted), each timed; and about 50 timer ticks a second.
        const m1 = await metrics(stack.kopa.port);
        const m1At = Date.now();
        const grew = (name) => sample(m1, name) - sample(m0, name);
        assert.ok(sample(m0, 'kopa_audio_encode_seconds_count') > 0, 'encodes before m0');
        assert.ok(grew('kopa_audio_encode_seconds_count') > 500,
            `encodes counted: ${grew('kopa_audio_encode_seconds_count')}`);
        assert.equal(sample(m1, 'kopa_audio_encode_seconds_count'), sample(m1, 'kopa_audio_frames_encoded_total'),
            'one timed encode per mix encoded');
        const perEncode = grew('kopa_audio_encode_seconds_sum') / grew('kopa_audio_encode_seconds_count');
        assert.ok(perEncode > 1e-6 && perEncode < 0.02, `seconds per encode: ${perEncode}`);
        assert.ok(grew('kopa_audio_tick_seconds_count') > 100, `ticks: ${grew('kopa_audio_tick_seconds_count')}`);
        assert.ok(grew('kopa_audio_tick_seconds_sum') > grew('kopa_audio_encode_seconds_sum'),
            'a tick takes longer than the encodes in it');
        assert.ok(sample(m1, 'kopa_audio_tick_seconds_max') > 0);
        // The timer is aimed at every 20 ms boundary from its start: 50
        // ticks a second, and the ticks keep their phase: a frame's arrival
        // minus 20 ms x its seq (the room's tick) stays put. A repeating
        // timer re-arms from when it ran, so its ticks drift later through
        // a whole 20 ms, then it runs two at once and drifts again.
        const ticks = grew('kopa_audio_ticks_total');
        const wall = (m1At - m0At) / 20;
        assert.ok(ticks > wall * 0.95 - 5 && ticks < wall * 1.02 + 5, `${ticks} ticks in ${wall} x 20 ms`);
        const heard = kadri.audio.filter((f) => f.at >= m0At && f.at <= m1At);
        const phase = [];
        for (let i = 0, tick = 0; i < heard.length; i++) {
            if (i > 0) tick += (heard[i].seq - heard[i - 1].seq) & 0xffff;
            phase.push(heard[i].at - heard[0].at - 20 * tick);
        }
        phase.sort((x, y) => x - y);
        const pct = (q) => phase[Math.floor(q * (phase.length - 1))];
        if (process.env.KOPA_AUDIO_DEBUG) {
            console.log('ticks', ticks, 'runs', grew('kopa_audio_tick_seconds_count'), 'wall ticks', wall,
                'frames', heard.length, 'phase p10/p50/p90', pct(0.1), pct(0.5), pct(0.9));
        }
        assert.ok(heard.length > 200, `kadri got ${heard.length} frames`);
        assert.ok(pct(0.9) - pct(0.1) <= 8, `tick phase wanders: p10 ${pct(0.1)} ms, p90 ${pct(0.9)} ms`);
    });

test('two members: packets are forwarded as they came', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await enterAudio(stack, 'pair', 'anna');
    const rasa = await enterAudio(stack, 'pair', 'rasa');
    t.after(() => [anna, rasa].forEach((c) => c.terminate()));
    const sa = await anna.audioOp('enable');
    await rasa.audioOp('enable');
    const packets = tonePackets(440, 50);
    const s = startSending(anna, packets);
    try {
        await sleep(1500);
    } finally {
        await s.stop();
    }
    const got = rasa.audio.filter((f) => f.kind === 2);
    assert.ok(got.length >= 40, `rasa got ${got.length} forwarded packets`);
    assert.ok(got.every((f) => f.stream === sa.stream), 'the stream id is anna\'s');
    const sent = new Set(packets.map((p) => p.toString('hex')));
    assert.ok(got.every((f) => sent.has(f.packet.toString('hex'))), 'forwarded byte for byte');
    assert.equal(anna.audio.length, 0, 'anna hears nothing of herself');
    const sp = await rasa.next((m) => m.type === 'speakers' && m.speakers.length === 1, 3000);
    assert.equal(sp.speakers[0].id, 'u-anna');
    assert.equal(sp.speakers[0].level_db, undefined, 'not decoded, so no level');
});

/** Sends frame from c and waits for the audio error it causes. */
async function refused(c, frame, code, what) {
    await sleep(1100); // one audio error a second per connection
    c.sendRaw(frame, { binary: true });
    const e = await c.next((m) => m.type === 'error', 3000).catch((err) => {
        throw new Error(`${what}: ${err.message}`);
    });
    assert.equal(e.code, code, `${what}: ${JSON.stringify(e)}`);
    return e;
}

const LAYOUT_REASONS = ['malformed', 'stereo', 'duration', 'too_long'];
const layoutDrops = (m) => LAYOUT_REASONS.reduce((n, r) => n + sample(m, `kopa_audio_dropped_total{reason="${r}"}`), 0);

/**
 * A valid header (type 1, flags 0, seq and timestamp counting up like a
 * microphone's), then 200 random bytes as the Opus packet, ten times. The
 * server checks a packet's layout (TOC byte, frame count and lengths,
 * section 8.8), not its content: most random packets fail it (a
 * malformed frame layout, stereo, not 20 ms) and are refused with one
 * bad_audio a second; the few that pass (about 7 in 100) are decoded like
 * any other. All ten passing is about 1 in 10^11.
 */
async function randomAfterHeader(stack, c) {
    await sleep(1100); // one audio error a second
    const before = layoutDrops(await metrics(stack.kopa.port));
    let seq = crypto.randomInt(0, 65536);
    let ts = crypto.randomInt(0, 2 ** 31);
    for (let i = 0; i < 10; i++) {
        c.sendRaw(audioFrame(seq, ts, crypto.randomBytes(200)), { binary: true });
        seq = (seq + 1) & 0xffff;
        ts += 960;
        await sleep(20);
    }
    const e = await c.next((m) => m.type === 'error', 3000);
    assert.equal(e.code, 'bad_audio', JSON.stringify(e));
    assert.match(e.message, /malformed|not mono|not 20 ms/, 'a refusal of the layout');
    await c.ping();
    const refusedNow = layoutDrops(await metrics(stack.kopa.port)) - before;
    assert.ok(refusedNow >= 1 && refusedNow <= 10, `${refusedNow} of 10 refused for their layout`);
    assert.ok(c.isOpen, 'the connection stays open');
    assert.equal(c.queue.filter((m) => m.type === 'error').length, 0, 'one error a second at most');
}

test('invalid packets are refused with the documented errors; the others keep hearing each other',
    { timeout: 90000 }, async (t) => {
        const { stack, clients } = await threeSpeakers(t);
        const [anna, rasa, kadri] = clients;
        const senders = [startSending(anna, tonePackets(440, 100)), startSending(rasa, tonePackets(660, 100))];
        const good = tonePackets(880, 50);
        const t1 = Date.now();
        try {
            const seqTs = () => [crypto.randomInt(0, 65536), crypto.randomInt(0, 2 ** 31)];
            const cases = [
                ['empty packet', audioFrame(...seqTs(), Buffer.alloc(0)), /empty|1, 0, seq/],
                ['one byte', audioFrame(...seqTs(), Buffer.from([0xfc])), /too short/],
                ['over-long', audioFrame(...seqTs(), Buffer.concat([good[0], crypto.randomBytes(1300)])), /too long/],
                ['a 120 ms packet', audioFrame(...seqTs(), Buffer.concat([Buffer.from([0x19]), crypto.randomBytes(40)])), /20 ms/],
                ['stereo', audioFrame(...seqTs(), Buffer.concat([Buffer.from([good[0][0] | 4]), good[0].subarray(1)])), /mono/],
                ['a header only', Buffer.from([1, 0, 0, 1, 0, 0, 3, 192]), /empty|1, 0, seq/],
                ['unknown type byte', Buffer.concat([Buffer.from([9, 0, 0, 1, 0, 0, 3, 192]), good[0]]), /1, 0, seq/],
                ['random bytes, no header', Buffer.concat([Buffer.from([0x5a]), crypto.randomBytes(200)]), /1, 0, seq/],
                // A header, then a code 3 packet (TOC 0xfb) that says it
                // holds no frames, then random bytes: libopus cannot parse it.
                ['a packet of no frames', audioFrame(...seqTs(), Buffer.concat([Buffer.from([0xfb, 0]), crypto.randomBytes(60)])), /malformed/],
                ['two bytes', Buffer.from([1, 0]), /1, 0, seq/],
            ];
            for (const [what, frame, message] of cases) {
                const e = await refused(kadri, frame, 'bad_audio', what);
                assert.match(e.message, message, what);
            }
            await randomAfterHeader(stack, kadri);
            // Ten times the normal rate: 500 packets a second for a second.
            await sleep(1100);
            const flood = startSending(kadri, good, { perTick: 10 });
            const e = await kadri.next((m) => m.type === 'error', 3000);
            await sleep(1000);
            await flood.stop();
            assert.equal(e.code, 'audio_rate');
            const rateErrors = kadri.queue.filter((m) => m.type === 'error').length;
            assert.ok(rateErrors <= 2, `errors at most once a second, got ${1 + rateErrors}`);
            // Anna and Rasa heard each other all along (Kadri's garbage
            // never reached them; her flood is her tone, rate-limited).
            for (const [c, want, own] of [[anna, 660, 440], [rasa, 440, 660]]) {
                const h = c.hear(t1 + 1200, TONES);
                assert.ok(h.frames > 150, describeHeard(c.label, h));
                assert.ok(h.tones[String(want)] > HEARD_DB, describeHeard(c.label, h));
                assert.ok(h.tones[String(own)] < ABSENT_DB, describeHeard(c.label, h));
            }
        } finally {
            await Promise.all(senders.map((s) => s.stop()));
        }
        // A member without audio enabled is refused too; the server is up.
        const jonas = await enterAudio(stack, 'talk', 'jonas');
        t.after(() => jonas.terminate());
        jonas.sendRaw(audioFrame(1, 960, good[0]), { binary: true });
        assert.equal((await jonas.next('error')).code, 'not_speaker');
        for (const c of [anna, rasa, kadri, jonas]) await c.ping();
        const m = await httpRequest(stack.kopa.port, '/metrics');
        for (const reason of ['bad_header', 'empty', 'too_short', 'too_long', 'malformed', 'duration', 'stereo', 'rate']) {
            assert.match(m.body, new RegExp(`kopa_audio_dropped_total\\{reason="${reason}"\\} [1-9]`), reason);
        }
    });

/** The packets of an Ogg stream (RFC 3533), in order. */
function oggPackets(buf) {
    const packets = [];
    let cur = [];
    let pos = 0;
    while (pos < buf.length) {
        assert.equal(buf.toString('latin1', pos, pos + 4), 'OggS', `an Ogg page at ${pos}`);
        const nseg = buf[pos + 26];
        const lacing = buf.subarray(pos + 27, pos + 27 + nseg);
        let data = pos + 27 + nseg;
        for (const l of lacing) {
            cur.push(buf.subarray(data, data + l));
            data += l;
            if (l < 255) {
                packets.push(Buffer.concat(cur));
                cur = [];
            }
        }
        pos = data;
    }
    return packets;
}

test('recording: coordinators start and stop it, everyone sees it, the file is valid Ogg Opus',
    { timeout: 60000 }, async (t) => {
        const dir = tempDir('kopa-rec-');
        const stack = await startStack(t, { kopa: { args: ['--recordings', dir] } });
        const ilze = await enterAudio(stack, 'ws1', 'ilze');
        const anna = await enterAudio(stack, 'ws1', 'anna');
        const rasa = await enterAudio(stack, 'ws1', 'rasa');
        t.after(() => [ilze, anna, rasa].forEach((c) => c.terminate()));
        await anna.audioOp('enable');
        await rasa.audioOp('enable');

        anna.send({ type: 'recording', op: 'start', ref: 'x1' });
        const no = await anna.next((m) => m.type === 'error' && m.ref === 'x1');
        assert.equal(no.code, 'forbidden');
        ilze.send({ type: 'recording', op: 'stop', ref: 'x2' });
        assert.equal((await ilze.next((m) => m.type === 'error' && m.ref === 'x2')).code, 'bad_value');

        const s = startSending(anna, tonePackets(440, 100));
        let started, stopped, asked, told;
        try {
            await sleep(300);
            asked = Date.now();
            ilze.send({ type: 'recording', op: 'start' });
            started = [];
            for (const c of [ilze, anna, rasa]) started.push(await c.next({ type: 'recording', state: 'started' }));
            told = Date.now();
            ilze.send({ type: 'recording', op: 'start', ref: 'x3' });
            assert.equal((await ilze.next((m) => m.type === 'error' && m.ref === 'x3')).code, 'bad_value');
            // Someone arriving now sees the indicator in joined.
            const late = await enterAudio(stack, 'ws1', 'kadri');
            t.after(() => late.terminate());
            assert.equal(late.joinedMsg.recording?.id, started[0].id);
            assert.equal(late.joinedMsg.recording?.room, 'main');
            await sleep(2000);
            ilze.send({ type: 'recording', op: 'stop' });
            stopped = [];
            for (const c of [ilze, anna, rasa, late]) stopped.push(await c.next({ type: 'recording', state: 'stopped' }));
        } finally {
            await s.stop();
        }
        const ev = started[0];
        assert.equal(ev.channel, 'room:main');
        assert.equal(ev.room, 'main');
        assert.equal(ev.by.id, 'u-ilze');
        assert.equal(typeof ev.offset, 'number');
        assert.ok(started.every((e) => e.id === ev.id && e.offset === ev.offset));
        const end = stopped[0];
        assert.equal(end.id, ev.id);
        assert.equal(end.offset, ev.offset + 1);
        assert.equal(end.by.id, 'u-ilze');
        assert.ok(end.duration_ms >= 1800 && end.duration_ms < 10000, `duration ${end.duration_ms}`);
        // Both events are kept: history has them.
        const hist = await rasa.history('room:main');
        assert.deepEqual(hist.events.filter((e) => e.type === 'recording').map((e) => e.state), ['started', 'stopped']);

        // The file: Ogg Opus with OpusHead, OpusTags and about 2 s of
        // audio in which anna's tone is what is heard.
        const file = path.join(dir, 'ws1', `${ev.id}.opus`);
        await waitFor(() => fs.existsSync(file) && fs.statSync(file).size > 0, { what: file });
        await sleep(300); // closed on a worker thread
        const ogg = fs.readFileSync(file);
        const packets = oggPackets(ogg);
        assert.equal(packets[0].toString('latin1', 0, 8), 'OpusHead');
        assert.equal(packets[0][9], 1, 'mono');
        assert.equal(packets[1].toString('latin1', 0, 8), 'OpusTags');
        const audio = packets.slice(2);
        const a = analyse(audio, TONES, { skip: 10 });
        assert.ok(audio.length >= 50 && audio.length < 500, `${audio.length} packets`);
        assert.equal(a.dominant, 440, JSON.stringify(a));
        assert.ok(a.tones['440'] > HEARD_DB, JSON.stringify(a));

        // The metadata is in Redis.
        const key = `kopa:{ws1}:recording:${ev.id}`;
        const hget = async (f) => (await redisCommand(stack.redis.port, ['HGET', key, f])).trim();
        const value = async (f) => (await hget(f)).split('\n').pop(); // after the RESP length line
        assert.equal(await value('session'), 'ws1');
        const startedMs = Number(await value('started_ms'));
        assert.ok(startedMs >= asked && startedMs <= told, `started_ms ${startedMs} not in [${asked}, ${told}]`);
        assert.equal(startedMs, ev.ts, 'started_ms is the started event\'s ts');
        assert.equal(Number(await value('ended_ms')) - startedMs, end.duration_ms, 'ended_ms - started_ms');
        assert.match(await hget('room'), /main/);
        assert.match(await hget('file'), new RegExp(`${ev.id}\\.opus`));
        assert.match(await hget('started_by'), /u-ilze/);
        assert.match(await hget('stopped_by'), /u-ilze/);
        assert.match(await hget('status'), /stopped/);
        const present = await hget('present');
        for (const u of ['u-ilze', 'u-anna', 'u-rasa', 'u-kadri']) assert.match(present, new RegExp(u));
        assert.ok(Number((await hget('ended_ms')).split('\n').pop()) > 0);
    });

test('a recording running at shutdown is finished: the server exits cleanly and the file is whole',
    { timeout: 60000 }, async (t) => {
        const dir = tempDir('kopa-rec-');
        const stack = await startStack(t, { kopa: { args: ['--recordings', dir] } });
        const ilze = await enterAudio(stack, 'ws2', 'ilze');
        const anna = await enterAudio(stack, 'ws2', 'anna');
        t.after(() => [ilze, anna].forEach((c) => c.terminate()));
        await anna.audioOp('enable');
        const s = startSending(anna, tonePackets(660, 100));
        let ev;
        try {
            ilze.send({ type: 'recording', op: 'start' });
            ev = await anna.next({ type: 'recording', state: 'started' });
            await sleep(1500);
            await stack.kopa.stop(); // SIGTERM; throws unless it exits 0
        } finally {
            await s.stop();
        }
        const packets = oggPackets(fs.readFileSync(path.join(dir, 'ws2', `${ev.id}.opus`)));
        assert.equal(packets[0].toString('latin1', 0, 8), 'OpusHead');
        const a = analyse(packets.slice(2), TONES, { skip: 10 });
        assert.ok(packets.length > 30, `${packets.length} packets`); // 75 unless the machine is slow
        assert.equal(a.dominant, 660, JSON.stringify(a));
    });

test('audio ops: errors for wrong roles and order, enable moves between tabs', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await enterAudio(stack, 's', 'anna');
    const tab2 = await enterAudio(stack, 's', 'anna');
    t.after(() => [anna, tab2].forEach((c) => c.terminate()));
    await assert.rejects(anna.audioOp('mute'), { code: 'not_speaker' });
    await assert.rejects(anna.audioOp('broadcast', { on: true }), { code: 'forbidden' });
    await assert.rejects(anna.audioOp('listen', { room: 'main' }), { code: 'forbidden' });
    anna.send({ type: 'audio', op: 'shout', ref: 'q' });
    assert.equal((await anna.next((m) => m.type === 'error' && m.ref === 'q')).code, 'bad_value');
    const on = await anna.audioOp('enable');
    const moved = await tab2.audioOp('enable');
    assert.equal(moved.stream, on.stream, 'the same member keeps its stream id');
    const gone = await anna.next((m) => m.type === 'audio' && m.reason === 'elsewhere');
    assert.equal(gone.enabled, false);
    const off = await tab2.audioOp('disable');
    assert.equal(off.enabled, false);
    const ilze = await enterAudio(stack, 's', 'ilze');
    t.after(() => ilze.terminate());
    await ilze.audioOp('enable');
    await assert.rejects(ilze.audioOp('listen', { room: 'main' }), { code: 'bad_value' });
    await assert.rejects(ilze.audioOp('listen', { room: 'nowhere' }), { code: 'bad_value' });
    const b = await ilze.audioOp('broadcast', { on: true });
    assert.equal(b.broadcast, true);
});
