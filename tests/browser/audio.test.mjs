// Browser test of audio against the real server (docs/protocol.md section 8):
// two Chromium instances, each with a fake microphone playing its own tone
// (440 Hz and 660 Hz, written here as WAV files), join one session and turn
// audio on. Each page must decode, and play, the other page's tone. The
// uplink frames must follow the wire format, mute and push-to-talk must stop
// and start them, the member list must mark who speaks, and a page whose
// microphone is blocked must explain it and still be able to listen. Before
// joining, the microphone test shows the level and "We hear you" while the
// room hears nothing, releases the microphone when stopped, and Join audio
// from the test keeps the chosen microphone; a silent microphone is named
// as such. In the call, the level meter follows the tone; the voice gate
// sends (almost) nothing from a silent microphone, and a voice with pauses
// goes out in bursts whose seq and timestamp keep counting real time. When
// a coordinator records the room every page shows the indicator in its own
// language, and it goes when the recording stops.
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { startStack, PEOPLE, tempDir } from '../integration/lib/harness.mjs';
import { launchBrowser, newContext, writeTone, toneWav, watch, shot, openJoin, pollPage, waitGot, sleep, unlabelled, axeFindings, WAIT_MS } from './lib.mjs';
import en from '../../web-client/i18n/en.js';
import sv from '../../web-client/i18n/sv.js';
import et from '../../web-client/i18n/et.js';
import lv from '../../web-client/i18n/lv.js';
import lt from '../../web-client/i18n/lt.js';

const SESSION = 'browser-audio';
const TONES = [440, 660];

/* Waits until the page decodes and plays `freq` clearly above the other tone. */
async function waitHears(page, freq, what) {
  const other = TONES.find((f) => f !== freq);
  return pollPage(page, (f) => window.kopaDebug.audio(f), TONES, (d) => d && d.decoded && d.output
    && d.decoded.freq === freq && d.decoded.powers[freq] > 1e-5 && d.decoded.powers[freq] > 20 * d.decoded.powers[other]
    && d.output.freq === freq && d.output.powers[freq] > 20 * d.output.powers[other],
  { what, timeoutMs: 30000, everyMs: 400 });
}

/* Uplink frames sent since index `from`: checks the header of each (protocol.md 8.2). */
function checkUplink(frames) {
  let prev = null;
  for (const { bytes } of frames) {
    assert.ok(bytes.length >= 10, `a frame of ${bytes.length} bytes`);
    assert.equal(bytes[0], 1, 'type byte 1');
    assert.equal(bytes[1], 0, 'flags 0');
    const seq = bytes.readUInt16BE(2);
    const ts = bytes.readUInt32BE(4);
    if (prev) {
      const dSeq = (seq - prev.seq) & 0xffff;
      assert.ok(dSeq >= 1 && dSeq < 1000, `seq grows (${prev.seq} -> ${seq})`);
      assert.equal((ts - prev.ts) >>> 0, (dSeq * 960) >>> 0, 'the timestamp moves 960 samples per seq step');
    }
    prev = { seq, ts };
  }
}

async function countSentWhile(seen, ms) {
  const before = seen.binarySent.length;
  await sleep(ms);
  return seen.binarySent.length - before;
}

const STRINGS = { en, sv, et, lv, lt };

/* Waits until the page shows the recording indicator, and checks it speaks the page's language. */
async function recordingShown(page, who) {
  await page.waitForSelector('.audio-rec-text', { state: 'visible', timeout: WAIT_MS });
  const lang = await page.evaluate(() => document.documentElement.lang);
  assert.ok(STRINGS[lang], `${who}: a page in ${lang}`);
  const prefix = STRINGS[lang]['audio.recordingNow'].split('{since}')[0];
  const text = await page.textContent('.audio-rec-text');
  assert.ok(text.startsWith(prefix) && text.trim().length > prefix.trim().length + 2, `${who} (${lang}) shows "${text}"`);
  assert.equal(await page.getAttribute('.audio-rec', 'data-on'), 'true');
}

/* The in-call level meter sampled in the page every 25 ms for `ms`. */
function meterSamples(page, ms) {
  return page.evaluate(async (span) => {
    const out = [];
    for (let t = 0; t < span; t += 25) {
      out.push(Number(document.querySelector('#audio-level').value));
      await new Promise((r) => setTimeout(r, 25));
    }
    return out;
  }, ms);
}

test('two pages hear each other\'s tone; mute, push-to-talk, speaking marks, a blocked microphone', { timeout: 170000 }, async (t) => {
  const stack = await startStack(t, { kopa: { args: ['--recordings', tempDir('kopa-rec-')] } });
  const base = stack.kopa.httpUrl;
  const browserA = await launchBrowser({ wav: writeTone(440) });
  t.after(() => browserA.close());
  const browserB = await launchBrowser({ wav: writeTone(660) });
  t.after(() => browserB.close());
  const a = await (await newContext(browserA)).newPage();
  const b = await (await newContext(browserB)).newPage();
  const seenA = watch(a, 'anna');
  const seenB = watch(b, 'jonas');
  const pages = { anna: a, jonas: b };
  try {
    await openJoin(a, base, SESSION, stack.token('anna'));
    await openJoin(b, base, SESSION, stack.token('jonas'));

    // Before joining audio: an explanation and two ways in, nothing sent.
    await a.getByRole('button', { name: 'Join audio' }).waitFor({ timeout: WAIT_MS });
    assert.ok(await a.getByRole('button', { name: 'Listen only' }).isVisible());
    assert.equal(seenA.binarySent.length, 0);
    await shot(a, 'audio-01-before');

    // The microphone test, with the keyboard: the level rises and the page says it hears; the server gets nothing.
    await b.getByRole('button', { name: 'Join audio' }).click();
    await waitGot(seenB, (m) => m.type === 'audio' && m.enabled === true, { what: 'jonas: audio enabled' });
    const receivedBefore = (await b.evaluate(() => window.kopaDebug.audio())).counters.received;
    const testBtn = a.getByRole('button', { name: 'Test microphone' });
    await testBtn.focus();
    await a.keyboard.press('Enter');
    await a.getByRole('meter', { name: 'Microphone test level' }).waitFor({ timeout: WAIT_MS });
    await a.getByRole('combobox', { name: 'Microphone' }).waitFor();
    await a.getByRole('status').filter({ hasText: 'We hear you' }).waitFor({ timeout: WAIT_MS });
    const peak = await pollPage(a, () => Number(document.querySelector('#audio-test-level').value), null,
      (v) => v > 0.5, { what: 'the test meter rises with the tone' });
    assert.ok(peak > 0.5, `meter at ${peak}`);
    assert.equal(await a.evaluate(() => document.activeElement.id), 'audio-test', 'focus stays on the test button');
    assert.equal(await a.getAttribute('#audio', 'data-phase'), 'off', 'the test is not audio');
    assert.ok(await a.getByRole('button', { name: 'Join audio' }).isVisible());
    await sleep(1000);
    assert.equal(seenA.binarySent.length, 0, 'no audio frames during the test');
    assert.equal(seenA.sent.filter((m) => m.type === 'audio').length, 0, 'nothing asked of the server during the test');
    const during = await a.evaluate(() => window.kopaDebug.audio());
    assert.equal(during.counters.encoded, 0, 'nothing is even encoded');
    assert.deepEqual(during.mic, ['live']);
    const jonasGot = (await b.evaluate(() => window.kopaDebug.audio())).counters.received;
    assert.equal(jonasGot, receivedBefore, 'jonas (in audio) receives nothing from the test');
    assert.equal(await b.evaluate((n) => [...document.querySelectorAll('.member')]
      .some((li) => li.querySelector('.member-name').textContent === n && li.dataset.speaking === 'true'), PEOPLE.anna.name),
    false, 'jonas does not see anna speaking during her test');
    assert.deepEqual(await unlabelled(a), [], 'every test control has a name');
    assert.deepEqual(await axeFindings(a), [], 'axe: no serious or critical finding with the test open');
    await shot(a, 'audio-01b-mic-test');

    // Stop test (still the same focused button) releases the microphone.
    await a.keyboard.press('Enter');
    await a.getByRole('button', { name: 'Test microphone' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await a.isVisible('#audio-test-box'), false);
    const stopped = await a.evaluate(() => window.kopaDebug.audio());
    assert.deepEqual(stopped.mic, ['ended'], 'the microphone is released');
    assert.equal(stopped.check, 'off');

    // Test again, pick a microphone, and join audio from the test: the same microphone goes on, not asked again.
    await a.getByRole('button', { name: 'Test microphone' }).click();
    await a.getByRole('status').filter({ hasText: 'We hear you' }).waitFor({ timeout: WAIT_MS });
    const choices = await a.$$eval('#audio-test-input option', (os) => os.map((o) => o.value));
    const chosen = choices[choices.length - 1];
    t.diagnostic(`microphones offered in the test: ${choices.length}`);
    if (choices.length > 1) {
      const before = (await a.evaluate(() => window.kopaDebug.audio())).counters.micOpens;
      await a.selectOption('#audio-test-input', chosen);
      await a.waitForFunction(([id, n]) => window.kopaDebug.audio().counters.micOpens === n + 1
        && window.kopaDebug.state().audio.local.inputId === id, [chosen, before], { timeout: WAIT_MS });
      await a.getByRole('status').filter({ hasText: 'We hear you' }).waitFor({ timeout: WAIT_MS });
      assert.deepEqual((await a.evaluate(() => window.kopaDebug.audio())).mic, ['live'], 'the new microphone is open');
    }
    const opens = (await a.evaluate(() => window.kopaDebug.audio())).counters.micOpens;
    assert.equal(seenA.binarySent.length, 0);

    // Both join audio (jonas already has): enable is sent and answered, and the pages say the room hears them.
    await a.getByRole('button', { name: 'Join audio' }).click();
    for (const [who, seen] of [['anna', seenA], ['jonas', seenB]]) {
      await waitGot(seen, (m) => m.type === 'audio' && m.enabled === true, { what: `${who}: audio enabled` });
      assert.ok(seen.sent.some((m) => m.type === 'audio' && m.op === 'enable'), `${who} sent enable`);
    }
    await a.waitForSelector('#audio-status[data-key="audio.live"]', { timeout: WAIT_MS });
    await b.waitForSelector('#audio-status[data-key="audio.live"]', { timeout: WAIT_MS });
    const joined = await a.evaluate(() => window.kopaDebug.audio());
    assert.equal(joined.counters.micOpens, opens, 'Join audio from the test keeps the open microphone');
    assert.deepEqual(joined.mic, ['live']);
    if (choices.length > 1) assert.equal(await a.inputValue('#audio-input'), chosen, 'the microphone chosen in the test');

    // Each decodes and plays the other's tone, never its own.
    const heardByA = await waitHears(a, 660, 'anna hears 660 Hz');
    const heardByB = await waitHears(b, 440, 'jonas hears 440 Hz');
    assert.ok(heardByA.counters.decoded > 0 && heardByB.counters.decoded > 0);
    assert.equal(heardByA.contextRate, 48000);
    assert.equal(heardByA.capture.rate, 48000, 'the capture worklet runs at (or resamples to) 48 kHz');
    assert.ok(heardByA.capture.channels >= 1, 'the microphone\'s channels are mixed down to mono');

    // The in-call level meter follows the microphone: up with the tone, down in its short pauses.
    assert.ok(await a.isVisible('#audio-level'));
    const levels = await meterSamples(a, 1500);
    const hi = Math.max(...levels);
    const lo = Math.min(...levels);
    assert.ok(hi > 0.5, `the meter rises with the tone (${hi})`);
    assert.ok(hi - lo > 0.1, `the meter moves (${lo.toFixed(2)}..${hi.toFixed(2)})`);

    // The uplink follows the wire format: about 50 frames a second, seq +1, timestamp +960
    // (a steady voice keeps the gate open).
    const sent = await countSentWhile(seenA, 2000);
    assert.ok(sent >= 60 && sent <= 140, `about 100 frames in 2 s (${sent})`);
    checkUplink(seenA.binarySent.slice(-80));

    // The member list marks who is speaking (the server's speakers event).
    await pollPage(b, (n) => [...document.querySelectorAll('.member')]
      .some((li) => li.querySelector('.member-name').textContent === n && li.dataset.speaking === 'true'),
    PEOPLE.anna.name, (v) => v === true, { what: 'jonas sees anna speaking' });
    assert.deepEqual(await unlabelled(a), [], 'every audio control has a name');
    await shot(b, 'audio-02-jonas-hears-anna');
    await shot(a, 'audio-03-anna-live');

    // Mute: the server is told, the frames stop, the speaking mark goes.
    await a.getByRole('button', { name: 'Mute' }).click();
    assert.equal(await a.getAttribute('#audio-mute', 'aria-pressed'), 'true');
    await waitGot(seenA, (m) => m.type === 'audio' && m.muted === true, { what: 'muted echo' });
    assert.ok(seenA.sent.some((m) => m.type === 'audio' && m.op === 'mute'));
    await sleep(300);
    assert.equal(await countSentWhile(seenA, 1500), 0, 'no audio frames while muted');
    await pollPage(b, (n) => [...document.querySelectorAll('.member')]
      .some((li) => li.querySelector('.member-name').textContent === n && li.dataset.speaking === 'true'),
    PEOPLE.anna.name, (v) => v === false, { what: 'anna no longer marked speaking' });
    await a.waitForSelector('#audio-status[data-key="audio.muted"]');
    await shot(a, 'audio-04-anna-muted');

    // Unmute: frames and the tone come back.
    await a.getByRole('button', { name: 'Unmute' }).click();
    assert.ok(await countSentWhile(seenA, 1500) > 40, 'frames again after unmute');
    await waitHears(b, 440, 'jonas hears anna again');

    // Push-to-talk: silent until Space is held (not while typing in the composer).
    await a.check('#audio-ptt');
    await a.waitForSelector('#audio-status[data-key="audio.holdSpace"]');
    await a.locator('#audio-ptt').blur();
    await sleep(300);
    assert.equal(await countSentWhile(seenA, 1000), 0, 'push-to-talk: silent without the key');
    await a.keyboard.down('Space');
    await a.waitForSelector('#audio-status[data-key="audio.live"]');
    assert.ok(await countSentWhile(seenA, 1200) > 30, 'frames while Space is held');
    await a.keyboard.up('Space');
    await sleep(300);
    assert.equal(await countSentWhile(seenA, 1000), 0, 'silent again after release');
    await a.focus('#composer-text');
    await a.keyboard.down('Space');
    assert.equal(await countSentWhile(seenA, 800), 0, 'Space in the composer types, it does not talk');
    await a.keyboard.up('Space');
    assert.equal(await a.inputValue('#composer-text'), ' ');
    await a.fill('#composer-text', '');
    await a.uncheck('#audio-ptt');
    assert.ok(await countSentWhile(seenA, 1200) > 30, 'open microphone again');

    // A second person whose microphone is blocked: clear help, and listening still works.
    const denied = await (await newContext(browserA, { mic: false })).newPage();
    const seenR = watch(denied, 'rasa');
    pages.rasa = denied;
    await openJoin(denied, base, SESSION, stack.token('rasa'));
    // The test asks like Join audio does, with the same help.
    await denied.getByRole('button', { name: 'Test microphone' }).click();
    await denied.getByRole('alert').filter({ hasText: 'The microphone is blocked.' }).waitFor({ timeout: WAIT_MS });
    await denied.getByRole('button', { name: 'Test microphone' }).waitFor();
    assert.equal(await denied.isVisible('#audio-test-box'), false);
    await denied.getByRole('button', { name: 'Join audio' }).click();
    await denied.getByRole('alert').filter({ hasText: 'The microphone is blocked.' }).waitFor({ timeout: WAIT_MS });
    assert.match(await denied.textContent('.audio-help-body'), /allow the microphone/);
    assert.equal(seenR.sent.filter((m) => m.type === 'audio').length, 0, 'nothing asked of the server yet');
    await shot(denied, 'audio-05-rasa-blocked');
    await denied.getByRole('button', { name: 'Listen only' }).click();
    await denied.waitForSelector('#audio-status[data-key="audio.listening"]', { timeout: WAIT_MS });
    assert.ok(seenR.sent.some((m) => m.type === 'audio' && m.op === 'mute'), 'a listener tells the server it is muted');
    const rasaHears = await pollPage(denied, (f) => window.kopaDebug.audio(f), TONES,
      (d) => d && d.decoded && d.counters.decoded > 25, { what: 'rasa decodes audio', timeoutMs: 30000 });
    assert.ok(rasaHears.decoded.powers[440] > 1e-6 || rasaHears.decoded.powers[660] > 1e-6, JSON.stringify(rasaHears.decoded));
    assert.equal(seenR.binarySent.length, 0, 'a listener sends no audio');
    await shot(denied, 'audio-06-rasa-listening');

    // A microphone that gives only silence (a muted headset, say): the test says so after a few seconds, translated.
    const silentWav = path.join(tempDir('kopa-tone-'), 'silence.wav');
    fs.writeFileSync(silentWav, toneWav(440, { amplitude: 0 }));
    const browserC = await launchBrowser({ wav: silentWav });
    t.after(() => browserC.close());
    const quiet = await (await newContext(browserC)).newPage();
    const seenK = watch(quiet, 'kadri');
    pages.kadri = quiet;
    await openJoin(quiet, base, SESSION, stack.token('kadri'));
    await quiet.getByRole('button', { name: 'Test microphone' }).click();
    await quiet.getByRole('status').filter({ hasText: 'Say something or make a sound' }).waitFor({ timeout: WAIT_MS });
    await quiet.getByRole('status').filter({ hasText: 'No sound yet: check the microphone is not muted' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await quiet.isVisible('text=We hear you'), false);
    await quiet.selectOption('#lang-select', 'et');
    await quiet.waitForFunction(() => document.documentElement.lang === 'et');
    assert.equal(await quiet.textContent('#audio-test-verdict'), 'Heli veel pole: kontrolli, et mikrofon poleks vaigistatud');
    assert.equal(await quiet.textContent('#audio-test'), 'Lõpeta test');
    await shot(quiet, 'audio-06b-kadri-silent-test');
    await quiet.click('#audio-test');
    await quiet.waitForFunction(() => window.kopaDebug.audio().mic.join() === 'ended');
    assert.equal(seenK.binarySent.length, 0);
    assert.equal(seenK.sent.filter((m) => m.type === 'audio').length, 0);

    // In the call with that microphone: the voice gate stays closed, so (almost) nothing is encoded or sent.
    await quiet.click('#audio-join');
    await waitGot(seenK, (m) => m.type === 'audio' && m.enabled === true, { what: 'kadri: audio enabled' });
    await quiet.waitForSelector('#audio-status[data-key="audio.live"]', { timeout: WAIT_MS });
    await sleep(500);
    const kBefore = (await quiet.evaluate(() => window.kopaDebug.audio())).counters;
    const quietSent = await countSentWhile(seenK, 3000);
    const kAfter = (await quiet.evaluate(() => window.kopaDebug.audio())).counters;
    t.diagnostic(`silent microphone in the call: ${quietSent} frames sent in 3 s`);
    assert.ok(kAfter.captured - kBefore.captured >= 100, `the microphone runs (${kAfter.captured - kBefore.captured} frames captured)`);
    assert.ok(quietSent <= 3, `almost no audio frames from a silent microphone (${quietSent} in 3 s)`);
    assert.ok(kAfter.gated - kBefore.gated >= 100, `the gate holds the silent frames back (${kAfter.gated - kBefore.gated})`);
    assert.ok(kAfter.encoded - kBefore.encoded <= 3, 'and they are not even encoded');
    assert.ok(Math.max(...await meterSamples(quiet, 500)) < 0.05, 'the level meter stays down');
    assert.equal(await quiet.getAttribute('#audio-mute', 'aria-pressed'), 'false', 'not muted: just silent');

    // A voice with long pauses (0.6 s on, 1.4 s off): frames go out in bursts, and seq and the timestamp keep
    // counting through each pause (protocol.md 8.1), so the server sees the pause as the gap it is.
    const burstyWav = path.join(tempDir('kopa-tone-'), 'bursty.wav');
    fs.writeFileSync(burstyWav, toneWav(550, { onMs: 600, offMs: 1400 }));
    const browserD = await launchBrowser({ wav: burstyWav });
    t.after(() => browserD.close().catch(() => {}));
    const bursty = await (await newContext(browserD)).newPage();
    const seenM = watch(bursty, 'mikael');
    pages.mikael = bursty;
    await openJoin(bursty, base, SESSION, stack.token('mikael'));
    await bursty.getByRole('button', { name: 'Join audio' }).click();
    await waitGot(seenM, (m) => m.type === 'audio' && m.enabled === true, { what: 'mikael: audio enabled' });
    await bursty.waitForSelector('#audio-status[data-key="audio.live"]', { timeout: WAIT_MS });
    await sleep(1000);
    const fromM = seenM.binarySent.length;
    await sleep(7000);
    const burst = seenM.binarySent.slice(fromM);
    const capturedM = (await bursty.evaluate(() => window.kopaDebug.audio())).counters.captured;
    checkUplink(burst);
    let seq = 0;
    const steps = burst.map(({ at, bytes }, i) => {
      if (i > 0) seq += (bytes.readUInt16BE(2) - burst[i - 1].bytes.readUInt16BE(2)) & 0xffff;
      return { at, seq };
    });
    const pauses = steps.filter((x, i) => i > 0 && x.seq - steps[i - 1].seq >= 25).length;
    t.diagnostic(`voice with pauses: ${burst.length} frames in 7 s, ${pauses} pauses, last seq ${burst.length ? burst[burst.length - 1].bytes.readUInt16BE(2) : '-'} of ${capturedM} captured`);
    assert.ok(burst.length >= 40 && burst.length <= 260, `about half of the 350 frames of 7 s go out (${burst.length})`);
    assert.ok(pauses >= 2, `the gate closes in the pauses (${pauses})`);
    // seq is the number of the captured frame (this page's microphone started once): the last packet sent is one of
    // the last frames captured, not the count of packets sent, which falls behind by every pause.
    const lastSeq = burst[burst.length - 1].bytes.readUInt16BE(2);
    assert.ok(lastSeq <= capturedM && capturedM - lastSeq < 80,
      `seq counts captured frames across pauses (last seq ${lastSeq}, ${capturedM} frames captured, ${seenM.binarySent.length} sent)`);
    assert.deepEqual(seenM.got.filter((m) => m.type === 'error'), [], 'the server refuses nothing');
    await shot(bursty, 'audio-06c-mikael-pauses');
    await browserD.close();
    delete pages.mikael;

    // Leaving audio tells the server and releases the microphone.
    await a.getByRole('button', { name: 'Leave audio' }).click();
    await a.getByRole('button', { name: 'Join audio' }).waitFor({ timeout: WAIT_MS });
    assert.ok(seenA.sent.some((m) => m.type === 'audio' && m.op === 'disable'));
    assert.equal(await countSentWhile(seenA, 1000), 0);

    // Translated: the audio bar in Latvian.
    await b.selectOption('#lang-select', 'lv');
    await b.waitForFunction(() => document.documentElement.lang === 'lv');
    assert.equal(await b.textContent('#audio-leave'), 'Atstāt audio');
    await shot(b, 'audio-07-jonas-latvian');

    // A coordinator records the room: every page shows the indicator, in its own language, until it stops.
    const coord = await (await newContext(browserB, { mic: false })).newPage();
    const seenI = watch(coord, 'ilze');
    pages.ilze = coord;
    await openJoin(coord, base, SESSION, stack.token('ilze'));
    for (const [who, page] of Object.entries(pages)) {
      assert.equal(await page.isVisible('.audio-rec-text'), false, `${who}: no indicator before recording`);
    }
    await coord.getByRole('button', { name: 'Start recording' }).click();
    await waitGot(seenI, (m) => m.type === 'recording' && m.state === 'started', { what: 'recording started' });
    assert.ok(seenI.sent.some((m) => m.type === 'recording' && m.op === 'start'));
    for (const [who, page] of Object.entries(pages)) await recordingShown(page, who);
    for (const who of ['anna', 'jonas', 'rasa', 'kadri']) {
      assert.equal(await pages[who].isVisible('#audio-record'), false, `${who} may not stop it`);
    }
    await shot(b, 'audio-08-jonas-recording-latvian');
    await shot(quiet, 'audio-08b-kadri-recording-estonian');
    await coord.getByRole('button', { name: 'Stop recording' }).click();
    await waitGot(seenI, (m) => m.type === 'recording' && m.state === 'stopped', { what: 'recording stopped' });
    for (const [who, page] of Object.entries(pages)) {
      await page.waitForSelector('.audio-rec-text', { state: 'hidden', timeout: WAIT_MS })
        .catch(() => assert.fail(`${who}: the recording indicator stays after the stop`));
    }
    await coord.getByRole('button', { name: 'Start recording' }).waitFor({ timeout: WAIT_MS });

    assert.deepEqual(seenA.problems.concat(seenB.problems, seenR.problems, seenK.problems, seenM.problems, seenI.problems), []);
  } catch (err) {
    for (const p of seenA.problems.concat(seenB.problems)) console.error(p);
    for (const [who, page] of Object.entries(pages)) await shot(page, `audio-failure-${who}`).catch(() => {});
    throw err;
  }
});
