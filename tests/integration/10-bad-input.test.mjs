// 10-bad-input: every kind of bad input gets its documented error code or
// close code (protocol.md sections 1, 5 and 7); the server stays up, other
// members see nothing, nothing is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, healthz, sleep } from './lib/harness.mjs';

/** Stored events of room:main as a fresh member sees them. */
async function storedCount(stack, session) {
    const c = stack.client(session, 'jonas');
    const j = await c.enter();
    const n = j.channels['room:main'].offset;
    await c.close();
    return n;
}

/** A chat frame of exactly size bytes (text padded with 'x'). */
function chatFrameOfSize(size, id) {
    const empty = JSON.stringify({ type: 'chat', id, text: '' });
    return JSON.stringify({ type: 'chat', id, text: 'x'.repeat(size - Buffer.byteLength(empty)) });
}

test('malformed, mistyped, unknown and over-long messages get their error codes', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('bad', 'anna');
    const rasa = await stack.enter('bad', 'rasa');
    const okId = anna.chat('a good message first');
    await anna.acked(okId);
    await rasa.next({ type: 'chat', id: okId });
    rasa.drain();
    const long64 = 'a'.repeat(65);
    const since17 = Object.fromEntries([...Array(17).keys()].map((i) => [`room:r${i}`, { epoch: 'e', offset: 1 }]));

    // [frame (string or object), expected code, expected ref, expected id]
    const cases = [
        ['{"type":"chat","id":"b1","text":"unterminated', 'bad_json'],
        ['not json at all', 'bad_json'],
        ['', 'bad_json'],
        ['{"type":"chat"} trailing', 'bad_json'],
        ['[{"type":"ping"}]', 'bad_message'],
        ['"chat"', 'bad_message'],
        ['null', 'bad_message'],
        ['42', 'bad_message'],
        [{ id: 'b2', text: 'no type' }, 'bad_message'],
        [{ type: 7, ref: 'r-t' }, 'bad_message'],
        [{ type: 'explode', ref: 'r-u' }, 'unknown_type', 'r-u'],
        [{ type: 'CHAT', id: 'b3', text: 'case matters', ref: 'r-c' }, 'unknown_type', 'r-c'],
        [{ type: 'chat', text: 'no id', ref: 'r-m1' }, 'missing_field', 'r-m1'],
        [{ type: 'chat', id: 'b4', ref: 'r-m2' }, 'missing_field', 'r-m2', 'b4'],
        [{ type: 'dm', id: 'b5', text: 'no to', ref: 'r-m3' }, 'missing_field', 'r-m3', 'b5'],
        [{ type: 'chat', id: 'b6', text: 12, ref: 'r-w1' }, 'wrong_type', 'r-w1', 'b6'],
        [{ type: 'chat', id: 'b7', text: ['a'], ref: 'r-w2' }, 'wrong_type', 'r-w2', 'b7'],
        [{ type: 'chat', id: 8, text: 'id is a number', ref: 'r-w3' }, 'wrong_type', 'r-w3'],
        [{ type: 'chat', id: 'b9', text: 'room is a number', room: 1, ref: 'r-w4' }, 'wrong_type', 'r-w4', 'b9'],
        [{ type: 'dm', id: 'b10', to: null, text: 'to is null', ref: 'r-w5' }, 'wrong_type', 'r-w5', 'b10'],
        [{ type: 'join', since: 'yesterday', ref: 'r-w6' }, 'wrong_type', 'r-w6'],
        [{ type: 'chat', id: 'b11', text: '', ref: 'r-v1' }, 'bad_value', 'r-v1', 'b11'],
        [{ type: 'chat', id: 'has space', text: 'bad id', ref: 'r-v2' }, 'bad_value', 'r-v2'],
        [{ type: 'dm', id: 'b12', to: 'u/../x', text: 'bad to', ref: 'r-v3' }, 'bad_value', 'r-v3', 'b12'],
        [{ type: 'chat', id: 'b13', text: 'x'.repeat(4001), ref: 'r-l1' }, 'too_long', 'r-l1', 'b13'],
        [{ type: 'chat', id: 'b14', text: 'ā'.repeat(2001), ref: 'r-l2' }, 'too_long', 'r-l2', 'b14'],
        [{ type: 'chat', id: long64, text: 'id too long', ref: 'r-l3' }, ['too_long', 'bad_value'], 'r-l3'],
        [{ type: 'join', since: since17, ref: 'r-n1' }, 'too_many', 'r-n1'],
        [{ type: 'chat', id: 'b15', room: 'breakout-9', text: 'not my room', ref: 'r-r1' }, 'not_in_room', 'r-r1', 'b15'],
        [{ type: 'dm', id: 'b16', to: 'u-nobody', text: 'who?', ref: 'r-k1' }, 'unknown_member', 'r-k1', 'b16'],
        [{ type: 'history', channel: 'user:u-rasa', ref: 'r-f1' }, 'forbidden_channel', 'r-f1'],
        [{ type: 'auth', v: 1, token: 'x', ref: 'r-a1' }, 'already_authenticated', 'r-a1'],
        // The reading rules of protocol.md section 5, "How a frame is read".
        ['\ufeff{"type":"ping"}', 'bad_json'],
        ['{"type":"chat","id":"j1","text":"lone \\ud800 surrogate"}', 'bad_json'],
        ['{"type":"chat","id":"j2","text":"raw \u0001 control"}', 'bad_json'],
        ['{"type":"history","channel":"room:main","limit":+1}', 'bad_json'],
        ['{"type":"history","channel":"room:main","limit":01}', 'bad_json'],
        [`{"type":"ping","deep":${'['.repeat(40)}${']'.repeat(40)}}`, 'bad_json'],
        ['{"type":"ping","type":"ping"}', 'bad_message'],
        [{ type: 'ping', ref: 5 }, 'wrong_type'],
        [{ type: 'ping', ref: 'r'.repeat(65) }, 'too_long'],
        ['{"type":"chat","id":"j3","id":"j4","text":"twice","ref":"r-d1"}', 'bad_value', 'r-d1'],
        [{ type: 'chat', id: 'j5', text: 'nul \u0000 inside', ref: 'r-z1' }, 'bad_value', 'r-z1'],
        [{ type: 'history', channel: 'room:main', limit: 1.5, ref: 'r-i1' }, 'bad_value', 'r-i1'],
        [{ type: 'history', channel: 'room:main', before: 0, ref: 'r-i2' }, 'bad_value', 'r-i2'],
        [{ type: 'history', channel: 'room:main', before: 2 ** 53 + 2, ref: 'r-i3' }, 'bad_value', 'r-i3'],
        [{ type: 'history', channel: 'lobby', ref: 'r-i4' }, ['bad_value', 'forbidden_channel'], 'r-i4'],
        [{ type: 'join', since: { 'room:main': { epoch: 'e', offset: -1 } }, ref: 'r-s1' }, 'bad_value', 'r-s1'],
        [{ type: 'join', since: { 'room:main': { epoch: 'not-valid', offset: 1 } }, ref: 'r-s2' }, 'bad_value', 'r-s2'],
        [{ type: 'join', since: { 'room:main': { offset: 1 } }, ref: 'r-s3' }, 'missing_field', 'r-s3'],
    ];
    for (const [frame, code, ref, id] of cases) {
        const raw = typeof frame === 'string' ? frame : JSON.stringify(frame);
        anna.sendRaw(raw);
        const e = await anna.next('error');
        const codes = Array.isArray(code) ? code : [code];
        assert.ok(codes.includes(e.code), `${raw.slice(0, 80)} -> ${e.code}, want ${codes.join(' or ')}`);
        assert.equal(typeof e.message, 'string');
        if (ref !== undefined) assert.equal(e.ref, ref, `ref echoed for ${raw.slice(0, 60)}`);
        if (id !== undefined) assert.equal(e.id, id, `id echoed for ${raw.slice(0, 60)}`);
        await sleep(40); // stay well under the rate limit (20/s)
    }
    // A frame of exactly 65,536 bytes is within the frame limit: its text is
    // too long, but the connection stays.
    const exact = chatFrameOfSize(65536, 'b-exact');
    assert.equal(Buffer.byteLength(exact), 65536);
    anna.sendRaw(exact);
    assert.equal((await anna.next('error')).code, 'too_long');

    // Integers may be written as 1e0 or 2.0.
    anna.sendRaw('{"type":"history","channel":"room:main","limit":1e0,"before":2.0,"ref":"exp"}');
    const exp = await anna.next({ type: 'history', ref: 'exp' });
    assert.deepEqual(exp.events.map((e) => e.offset), [1]);

    // A binary frame that is not an audio packet (protocol.md section 8):
    // bad_audio, and the connection stays.
    anna.sendRaw(Buffer.from([1, 2, 3, 4]), { binary: true });
    assert.equal((await anna.next('error')).code, 'bad_audio');

    // Unknown fields are ignored.
    const extra = anna.newId();
    anna.send({ type: 'chat', id: extra, text: 'with extra fields', mood: 'happy', role: 'coordinator' });
    const ev = await rasa.next({ type: 'chat', id: extra });
    assert.equal(ev.from.role, 'entrepreneur', 'the role comes from the token, never from a message');

    // The connection still works, the other member saw nothing else, and
    // only the two good messages are stored.
    await anna.ping();
    assert.ok(anna.isOpen);
    const seen = (await rasa.collect(300)).filter((m) => m.type === 'chat' || m.type === 'dm');
    assert.deepEqual(seen, []);
    await anna.acked(extra);
    assert.equal(await storedCount(stack, 'bad'), 2);
    const h = await healthz(stack.kopa.port);
    assert.equal(h.status, 200);
});

test('oversized frames close with 1009; invalid UTF-8 closes with 1007', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t);
    const rasa = await stack.enter('big', 'rasa');

    const a = await stack.enter('big', 'anna');
    a.sendRaw(chatFrameOfSize(65537, 'too-big'));
    assert.equal((await a.closed).code, 1009);

    // The same, in fragments (continuation frames count together).
    const b = await stack.enter('big', 'anna');
    const big = chatFrameOfSize(70000, 'too-big-2');
    b.sendRaw(big.slice(0, 30000), { fin: false });
    b.sendRaw(big.slice(30000, 60000), { fin: false });
    b.sendRaw(big.slice(60000), { fin: true });
    assert.equal((await b.closed).code, 1009);

    // Fragments within the limit are put together.
    const f = await stack.enter('big', 'anna');
    const frame = JSON.stringify({ type: 'chat', id: 'frag-1', text: 'in three pieces' });
    f.sendRaw(frame.slice(0, 10), { fin: false });
    f.sendRaw(frame.slice(10, 20), { fin: false });
    f.sendRaw(frame.slice(20), { fin: true });
    await f.acked('frag-1');
    await rasa.next({ type: 'chat', id: 'frag-1' });

    // Invalid UTF-8 in a text frame, whole or split across fragments.
    const u = await stack.enter('big', 'anna');
    u.sendRaw(Buffer.from('{"type":"chat","id":"u1","text":"\xff\xfe"}', 'latin1'));
    assert.equal((await u.closed).code, 1007);
    const u2 = await stack.enter('big', 'anna');
    const bytes = Buffer.from('{"type":"chat","id":"u2","text":"ā"}');
    const cut = bytes.indexOf(0xc4) + 1; // inside the two bytes of ā
    u2.sendRaw(Buffer.concat([bytes.subarray(0, cut), Buffer.from([0x41])]), { fin: false });
    u2.sendRaw(bytes.subarray(cut + 1), { fin: true });
    assert.equal((await u2.closed).code, 1007);
    // An overlong encoding and a UTF-16 surrogate are invalid UTF-8 too.
    const u3 = await stack.enter('big', 'anna');
    u3.sendRaw(Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x7d]));
    assert.equal((await u3.closed).code, 1007);
    const u4 = await stack.enter('big', 'anna');
    u4.sendRaw(Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]));
    assert.equal((await u4.closed).code, 1007);

    // Rasa was not affected and only the fragmented message is stored.
    const seen = (await rasa.collect(300)).filter((m) => m.type === 'chat');
    assert.deepEqual(seen, []);
    assert.ok(rasa.isOpen);
    const id = rasa.chat('still here');
    await rasa.acked(id);
    const all = await rasa.fetchAll('room:main');
    assert.deepEqual(all.map((e) => e.id), ['frag-1', id]);
    assert.equal((await healthz(stack.kopa.port)).status, 200);
});

test('flooding is rate limited, then closed with 1008', { timeout: 90000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--rate', '5', '--burst', '10'] } });
    const anna = await stack.enter('flood', 'anna');
    const rasa = await stack.enter('flood', 'rasa');
    await sleep(2500); // a full bucket after auth, join and pings

    const ids = [];
    for (let i = 0; i < 60; i++) ids.push(anna.chat(`flood ${i}`));
    const { code } = await anna.closed;
    assert.equal(code, 1008);
    const errors = anna.received.filter((m) => m.type === 'error');
    const limited = errors.filter((m) => m.code === 'rate_limited');
    assert.ok(limited.length >= 1, 'rate_limited errors came before the close');
    assert.deepEqual(errors.filter((m) => m.code !== 'rate_limited'), []);
    for (const e of limited) assert.ok(ids.includes(e.id), 'the error names the dropped message');

    // Rasa saw only the accepted messages and can still talk; only they are stored.
    await sleep(500);
    const accepted = rasa.received.filter((m) => m.type === 'chat').map((m) => m.id);
    assert.ok(accepted.length >= 5 && accepted.length <= 15, `${accepted.length} accepted with a burst of 10`);
    assert.deepEqual(accepted.slice(0, 5), ids.slice(0, 5), 'the first ones were accepted');
    for (const id of accepted) assert.ok(ids.includes(id));
    for (const e of limited) assert.ok(!accepted.includes(e.id), `${e.id} was both limited and delivered`);
    const own = rasa.chat('I was not flooding');
    await rasa.acked(own);
    const all = await rasa.fetchAll('room:main');
    assert.deepEqual(all.map((e) => e.id), [...accepted, own]);

    // Sending at the allowed rate is never limited.
    const calm = await stack.enter('flood', 'mikael');
    await sleep(2200);
    for (let i = 0; i < 12; i++) {
        const id = calm.chat(`calm ${i}`);
        await calm.acked(id);
        await sleep(250);
    }
    assert.deepEqual(calm.received.filter((m) => m.type === 'error'), []);
});
