// Countdowns and CSV: time left from the server's numbers and the clock
// offset, the m:ss text, the one-minute and time-up cues; CSV cells that
// are quoted and cannot run as formulas.
import test from 'node:test';
import assert from 'node:assert/strict';
import { timeLeft, formatClock, minutesOf, countdownCue } from '../../web-client/lib/timefmt.js';
import { csvCell, toCsv } from '../../web-client/lib/csv.js';

test('a running item counts down to its end in server time; a paused one stands still', () => {
  const running = { state: 'running', endsAt: 100000, leftMs: 60000, serverTime: 40000, totalMs: 120000 };
  assert.deepEqual(timeLeft(running, 70000), { leftMs: 30000, overtime: false, paused: false, fraction: 0.75 });
  assert.equal(timeLeft(running, 130000).leftMs, -30000);
  assert.equal(timeLeft(running, 130000).overtime, true);
  assert.equal(timeLeft(running, 130000).fraction, 1);
  // Without endsAt, the time left as of serverTime counts down from there.
  assert.equal(timeLeft({ state: 'running', leftMs: 60000, serverTime: 40000 }, 45000).leftMs, 55000);
  const paused = { state: 'paused', leftMs: 42000, serverTime: 40000 };
  assert.equal(timeLeft(paused, 99999).leftMs, 42000);
  assert.equal(timeLeft(paused, 99999).paused, true);
  assert.equal(timeLeft(null, 1), null);
  assert.equal(timeLeft({ state: 'pending' }, 1), null);
  assert.equal(timeLeft({ state: 'paused' }, 1), null);
});

test('two screens with different clocks show the same time left once corrected', () => {
  const item = { state: 'running', endsAt: 1_000_000, totalMs: 600000 };
  // Screen A runs 3 s fast, screen B 2 s slow; both know their offsets.
  const serverNow = 700_000;
  const a = timeLeft(item, (serverNow + 3000) + -3000);
  const b = timeLeft(item, (serverNow - 2000) + 2000);
  assert.equal(formatClock(a.leftMs), formatClock(b.leftMs));
  assert.equal(formatClock(a.leftMs), '5:00');
});

test('clock text', () => {
  assert.equal(formatClock(0), '0:00');
  assert.equal(formatClock(999), '0:01', 'counting down rounds up: 0:00 only at the end');
  assert.equal(formatClock(61000), '1:01');
  assert.equal(formatClock(600000), '10:00');
  assert.equal(formatClock(3723000), '1:02:03');
  assert.equal(formatClock(-42000), '+0:42');
  assert.equal(formatClock(-500), '0:00', 'less than a second over shows zero');
  assert.equal(formatClock(NaN), '');
  assert.equal(minutesOf(90000), 2);
  assert.equal(minutesOf(1000), 1);
  assert.equal(minutesOf(0), 0);
});

test('cues: one minute left and time up, each once', () => {
  assert.equal(countdownCue(null, 50000), null, 'nothing on the first render');
  assert.equal(countdownCue(61000, 60000), 'oneMinute');
  assert.equal(countdownCue(60000, 59000), null);
  assert.equal(countdownCue(1000, 0), 'ended');
  assert.equal(countdownCue(0, -1000), null);
  assert.equal(countdownCue(120000, -1000), 'ended', 'a jump past both says time is up');
});

test('CSV cells are quoted when needed and never start a formula', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvCell('+1'), '"\'+1"');
  assert.equal(csvCell('@cmd'), '"\'@cmd"');
  assert.equal(csvCell(-3), '-3', 'numbers are numbers');
  assert.equal(csvCell(4.5), '4.5');
  assert.equal(csvCell(true), 'true');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(NaN), '');
  assert.equal(csvCell('Žukauskienė'), 'Žukauskienė');
  assert.equal(toCsv([['a', 'b'], [1, 'x,y']]), '\ufeffa,b\r\n1,"x,y"\r\n');
});
