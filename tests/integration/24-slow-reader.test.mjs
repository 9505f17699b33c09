// 24-slow-reader: a member whose socket stops reading costs the others
// nothing, gets every event whole and in order once it reads again (the
// server writes at once while the socket takes it, and finishes a frame the
// socket took only in part before anything else), and is closed with 4008
// once its send queue passes 4 MiB (protocol.md, close codes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, checkContiguous, waitFor } from './lib/harness.mjs';

const FAST = { kopa: { args: ['--rate', '100000', '--burst', '100000'] } };
const filler = 'ž'.repeat(1700); // 3,400 bytes of UTF-8

function texts(c) {
    return c.log().events.filter((e) => e.type === 'chat').map((e) => e.text);
}

/** Anna writes, Rasa reads, Mikael's socket has stopped reading. */
async function roomWithStoppedReader(t) {
    const stack = await startStack(t, FAST);
    const anna = await stack.enter('s1', 'anna');
    const rasa = await stack.enter('s1', 'rasa');
    const stopped = await stack.enter('s1', 'mikael');
    stopped.ws._socket.pause();
    return { anna, rasa, stopped };
}

test('a member who stops reading gets every event, whole and in order, when it reads again',
    { timeout: 120000 }, async (t) => {
        const { anna, rasa, stopped: slow } = await roomWithStoppedReader(t);

        // About 2.7 MB: more than the kernel holds for a reader that does
        // not read, so the server keeps the rest and writes in parts.
        const sent = [];
        for (let i = 0; i < 800; i++) {
            sent.push(`${i} ${filler}`);
            anna.chat(sent[i]);
        }
        await waitFor(() => texts(rasa).length === sent.length,
            { timeoutMs: 60000, what: 'the reading member has every message' });
        assert.deepEqual(texts(rasa), sent);
        await waitFor(() => anna.pending.size === 0, { timeoutMs: 30000, what: 'every ack' });

        slow.ws._socket.resume();
        await waitFor(() => texts(slow).length === sent.length,
            { timeoutMs: 60000, what: 'the slow member has caught up' });
        assert.deepEqual(texts(slow), sent, 'every message once, whole and in order');
        assert.equal(checkContiguous(slow.log().events), null);
        assert.equal(slow.received.filter((m) => m.type === '<unparsable>').length, 0);
        assert.ok(slow.arrays > 0, 'a backlog leaves as JSON arrays of events');
        assert.ok(slow.isOpen, 'the slow member is still connected');

        // The connection works as before.
        const id = slow.chat('Atvainojiet, es biju lēns.');
        assert.equal((await anna.next({ type: 'chat', id })).text, 'Atvainojiet, es biju lēns.');
    });

test('a member who never reads is closed with 4008; the others are unaffected',
    { timeout: 120000 }, async (t) => {
        const { anna, rasa, stopped: stuck } = await roomWithStoppedReader(t);

        // Up to 17 MB, in rounds, until the server gives up on the reader.
        const sent = [];
        for (let round = 0; round < 50 && !stuck.closeInfo; round++) {
            for (let i = 0; i < 100; i++) {
                sent.push(`${sent.length} ${filler}`);
                anna.chat(sent[sent.length - 1]);
            }
            await waitFor(() => texts(rasa).length === sent.length,
                { timeoutMs: 30000, what: 'the reading member keeps up' });
        }
        stuck.ws._socket.resume();
        const { code } = await stuck.closed;
        assert.equal(code, 4008, 'closed as too slow');
        assert.ok(sent.length > 1000, `closed only past 4 MiB (${sent.length} messages)`);
        assert.deepEqual(texts(rasa), sent, 'the reading member lost nothing');
        const id = rasa.chat('Vēl šeit.');
        assert.equal((await anna.next({ type: 'chat', id })).text, 'Vēl šeit.');
    });
