// 00-harness: checks of the harness itself, so that the exactly-once and
// ordering checks of the other tests mean what they say: the client-side
// recovery rule of protocol.md section 4 (append on recovered, replace on
// not recovered, ignore offsets not above the last), array frames, acks,
// and the private Redis's pause, kill and restart with its AOF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startRedis, redisCommand, checkContiguous, idCounts } from './lib/harness.mjs';

const ev = (offset, id, channel = 'room:main') => ({ type: 'chat', channel, offset, id, text: id });
const frame = (c, v) => c.onFrame(Buffer.from(JSON.stringify(v)), false);

test('the client log applies the recovery rule', () => {
    const c = new Client({ label: 't' });
    frame(c, { type: 'joined', epoch: 'e1', channels: { 'room:main': { offset: 2, recovered: false, events: [ev(1, 'a'), ev(2, 'b')] } } });
    frame(c, [ev(3, 'c'), ev(3, 'c'), ev(2, 'b')]); // an array frame, with repeats
    assert.deepEqual(c.log().events.map((e) => e.id), ['a', 'b', 'c']);
    assert.equal(c.log().ignored, 2);
    assert.deepEqual(c.since(), { 'room:main': { epoch: 'e1', offset: 3 } });

    // recovered: append, skipping what was shown.
    frame(c, { type: 'joined', epoch: 'e1', channels: { 'room:main': { offset: 5, recovered: true, events: [ev(3, 'c'), ev(4, 'd'), ev(5, 'e')] } } });
    assert.deepEqual(c.log().events.map((e) => `${e.offset}${e.id}`), ['1a', '2b', '3c', '4d', '5e']);
    assert.deepEqual(c.log().gaps, []);

    // A gap is recorded.
    frame(c, ev(7, 'g'));
    assert.deepEqual(c.log().gaps, [{ after: 5, got: 7 }]);

    // Not recovered: replace, new epoch.
    frame(c, { type: 'joined', epoch: 'e2', channels: { 'room:main': { offset: 9, recovered: false, events: [ev(8, 'x'), ev(9, 'y')] } } });
    assert.deepEqual(c.log().events.map((e) => e.id), ['x', 'y']);
    assert.equal(c.log().epoch, 'e2');
    assert.deepEqual(c.log().gaps, []);
    assert.equal(c.log().replaced, 1);
    // An empty page still sets the position.
    frame(c, { type: 'joined', epoch: 'e3', channels: { 'user:u1': { offset: 4, recovered: false, events: [] } } });
    assert.deepEqual(c.since()['user:u1'], { epoch: 'e3', offset: 4 });
    frame(c, ev(5, 'dm', 'user:u1'));
    assert.deepEqual(c.log('user:u1').gaps, []);
});

test('acks clear pending messages; next() and collect() take from the queue', async () => {
    const c = new Client({ label: 't' });
    c.pending.set('m1', { type: 'chat', id: 'm1' });
    c.sent.push('m1');
    frame(c, { type: 'ack', id: 'm1', channel: 'room:main', offset: 1 });
    assert.equal(c.pending.size, 0);
    assert.equal(c.acks.get('m1').offset, 1);
    frame(c, [{ type: 'pong', ref: 'a' }, { type: 'error', code: 'x' }]);
    assert.equal((await c.next('error', 100)).code, 'x');
    assert.deepEqual((await c.collect(0)).map((m) => m.type), ['ack', 'pong']);
    await assert.rejects(c.next('error', 50), /no message matching/);
});

test('checkContiguous and idCounts find gaps and repeats', () => {
    assert.equal(checkContiguous([ev(1, 'a'), ev(2, 'b')]), null);
    assert.match(checkContiguous([ev(1, 'a'), ev(3, 'b')]), /offset 3 follows 1/);
    assert.equal(idCounts([ev(1, 'a'), ev(2, 'a')]).get('a'), 2);
});

test('the private Redis pauses, dies and comes back with its AOF', { timeout: 60000 }, async (t) => {
    const redis = await startRedis({ appendfsync: 'always' });
    t.after(() => redis.stop());
    assert.match(await redisCommand(redis.port, ['SET', 'k', 'v']), /^\+OK/);
    redis.pause();
    await assert.rejects(redisCommand(redis.port, ['PING'], { timeoutMs: 300 }), /timed out/);
    redis.resume();
    assert.match(await redisCommand(redis.port, ['PING']), /^\+PONG/);
    const pid = redis.pid;
    await redis.kill('SIGKILL');
    assert.equal(redis.running, false);
    await assert.rejects(redisCommand(redis.port, ['PING'], { timeoutMs: 300 }));
    await redis.restart();
    assert.notEqual(redis.pid, pid);
    assert.match(await redisCommand(redis.port, ['GET', 'k']), /^\$1\r\nv\r\n/);
});
