// The clock offset: the shortest round trip wins; one-way samples only until
// a round trip exists; server time <-> local time.
import test from 'node:test';
import assert from 'node:assert/strict';
import { initialClock, addClockSample, serverNow, localTime } from '../../web-client/lib/clock.js';

test('a fresh clock has no offset', () => {
  const c = initialClock();
  assert.equal(c.offset, 0);
  assert.equal(serverNow(c, 1000), 1000);
  assert.equal(serverNow(null, 1000), 1000);
});

test('a round trip gives the offset to its midpoint', () => {
  // Local 1000 -> 1100, the server said 5050: the server is 4000 ms ahead.
  const c = addClockSample(initialClock(), 1000, 1100, 5050);
  assert.equal(c.offset, 4000);
  assert.equal(c.rtt, 100);
  assert.equal(serverNow(c, 2000), 6000);
  assert.equal(localTime(c, 6000), 2000);
});

test('the sample with the shortest round trip wins, and one-way samples lose to any round trip', () => {
  let c = addClockSample(initialClock(), 500, 500, 4700); // from joined: offset 4200, unknown error
  assert.equal(c.offset, 4200);
  assert.equal(c.rtt, null);
  c = addClockSample(c, 1000, 1400, 5300); // rtt 400: offset 4100
  assert.equal(c.offset, 4100);
  c = addClockSample(c, 2000, 2020, 6005); // rtt 20: offset 3995
  assert.equal(c.offset, 3995);
  c = addClockSample(c, 3000, 3300, 7400); // worse rtt: ignored
  assert.equal(c.offset, 3995);
  assert.equal(c.rtt, 20);
});

test('old samples age out; junk is ignored', () => {
  let c = addClockSample(initialClock(), 0, 2, 1001); // a very good sample
  for (let i = 1; i <= 8; i++) c = addClockSample(c, i * 1000, i * 1000 + 50, i * 1000 + 25 + 300);
  assert.equal(c.offset, 300, 'after eight newer samples the old best is forgotten');
  assert.equal(addClockSample(c, 10, 5, 100), c, 'received before sent');
  assert.equal(addClockSample(c, 10, 20, NaN), c);
  assert.equal(addClockSample(c, 10, 20, undefined), c);
});
