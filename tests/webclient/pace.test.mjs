// The audio uplink pacer: bursts up to the limit, the sustained rate, refill.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createPacer, UPLINK_RATE, UPLINK_BURST } from '../../web-client/lib/pace.js';

test('a burst passes up to its size, then packets are dropped', () => {
  const p = createPacer();
  const sent = Array.from({ length: 40 }, () => p.take(1000)).filter(Boolean).length;
  assert.equal(sent, UPLINK_BURST);
  assert.ok(UPLINK_BURST < 25 && UPLINK_RATE < 75, 'under the server limit');
});

test('the normal 50 packets a second all pass; 100 a second are held to the rate', () => {
  const p = createPacer();
  let sent = 0;
  for (let i = 0; i < 500; i++) if (p.take(i * 20)) sent += 1; // 10 s at 20 ms
  assert.equal(sent, 500);
  const q = createPacer();
  sent = 0;
  for (let i = 0; i < 1000; i++) if (q.take(i * 10)) sent += 1; // 10 s at 10 ms
  assert.ok(sent <= UPLINK_BURST + UPLINK_RATE * 10 + 1 && sent >= UPLINK_RATE * 10 - 1, `sent ${sent}`);
});

test('after a stall the bucket is full again, never more; time going back gives nothing', () => {
  const p = createPacer({ rate: 50, burst: 5 });
  for (let i = 0; i < 5; i++) assert.equal(p.take(0), true);
  assert.equal(p.take(0), false);
  assert.equal(p.take(-1000), false);
  assert.equal(p.take(10), false); // half a token
  assert.equal(p.take(20), true);
  const after = Array.from({ length: 10 }, () => p.take(60000)).filter(Boolean).length;
  assert.equal(after, 5);
});
