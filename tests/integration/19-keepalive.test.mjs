// 19-keepalive: the server's WebSocket keepalive (protocol.md section 2,
// README --keepalive-s): a socket silent for the keepalive gets a ping; a
// client that answers stays however long it says nothing; one that does
// not answer is closed after twice the keepalive and leaves the session
// like any lost connection. Run with --keepalive-s 1 to take seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep } from './lib/harness.mjs';

test('a silent member that answers pings stays; one that does not is closed and leaves', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--keepalive-s', '1'] } });
    const anna = await stack.enter('ka1', 'anna');
    const pings = { anna: 0, jonas: 0 };
    anna.ws.on('ping', () => { pings.anna += 1; });
    // Jonas's client gets the pings but never answers: a dead network as the server sees it.
    const jonas = await stack.enter('ka1', 'jonas', { wsOptions: { autoPong: false } });
    jonas.ws.on('ping', () => { pings.jonas += 1; });
    const t0 = Date.now();

    // Neither says a word. Jonas is closed between 2 s (2 x keepalive) and
    // 2 s plus a scan and a bit of slack; Anna answers the pings and stays.
    const closed = await jonas.closed;
    const after = Date.now() - t0;
    assert.ok(after >= 1900 && after < 6000, `closed after ${after} ms`);
    assert.ok(pings.jonas >= 1, 'the server pinged before giving up');
    assert.notEqual(closed.code, 1000, `an abnormal close (${closed.code})`);
    const left = await anna.next((m) => m.type === 'presence' && m.action === 'leave' && m.member.id === jonas.me.id, 5000);
    assert.ok(left);

    await sleep(4000);
    assert.equal(anna.isOpen, true, 'a member whose client answers pings is never dropped for silence');
    assert.ok(pings.anna >= 2, `pinged ${pings.anna} times in ${Date.now() - t0} ms of silence`);
    // And it still works.
    const id = anna.chat('still here');
    await anna.acked(id);
});
