// Reconnect delays: exponential growth, a cap, and jitter within bounds.
import test from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, BACKOFF_BASE_MS, BACKOFF_CAP_MS } from '../../web-client/lib/backoff.js';

test('the ceiling doubles from 0.5 s up to 10 s', () => {
  const top = (n) => backoffDelay(n, () => 0.999999);
  const bottom = (n) => backoffDelay(n, () => 0);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 20].map(top), [500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(bottom), [250, 500, 1000, 2000, 4000, 5000]);
  assert.equal(BACKOFF_BASE_MS, 500);
  assert.equal(BACKOFF_CAP_MS, 10000);
});

test('jitter spreads clients over the upper half of the ceiling', () => {
  let seed = 1;
  const rnd = () => { seed = (seed * 16807) % 2147483647; return (seed - 1) / 2147483646; };
  for (let attempt = 0; attempt < 10; attempt++) {
    const ceiling = Math.min(10000, 500 * 2 ** attempt);
    const seen = new Set();
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(attempt, rnd);
      assert.ok(d >= ceiling / 2 && d <= ceiling, `attempt ${attempt}: ${d}`);
      seen.add(d);
    }
    assert.ok(seen.size > 20, 'delays differ from client to client');
  }
});

test('odd inputs stay within bounds', () => {
  assert.equal(backoffDelay(-3, () => 0), 250);
  assert.equal(backoffDelay(1e9, () => 1), 10000);
  assert.equal(backoffDelay(2.7, () => 0.5), 1500);
  assert.equal(backoffDelay(0, () => 2), 500, 'a broken random source is clamped');
});
