// The whole monthly session in the browser, as people go through it, against
// the real server: a coordinator (Ilze, LV), an expert (Mikael, SE) and four
// entrepreneurs from four countries (Anna LV, Rasa LT, Kadri EE, Elsa SE) on
// six pages. They join and greet in the chat; the agenda starts; hands are
// raised and called; a pairs breakout opens on the self-assessment; the
// partners see why they were paired, chat, and hear each other's tone
// through fake microphones (Anna's browser plays 440 Hz, Rasa's 660 Hz);
// help is asked and the expert answers it; the round closes; everyone sends
// the feedback form; the coordinator downloads the feedback and the coverage.
// Screenshots of the main views are saved; then the key screens again in
// Latvian and Swedish, at a phone's 360 px width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startStack, PEOPLE } from '../integration/lib/harness.mjs';
import { launchBrowser, newContext, writeTone, watch, shot, openJoin, pollPage, failureReport, WAIT_MS } from './lib.mjs';
import lv from '../../web-client/i18n/lv.js';
import sv from '../../web-client/i18n/sv.js';

const SESSION = 'browser-journey';
const ELSA = { sub: 'u-elsa', name: 'Elsa Lindqvist', role: 'entrepreneur', country: 'SE', langs: ['sv', 'en'] };
const TONES = { anna: 440, rasa: 660 };

async function waitMessage(page, text) {
  await pollPage(page, (t) => [...document.querySelectorAll('.chat-log .msg-text')].some((e) => e.textContent === t), text, (v) => v, { what: `message ${text}` });
}

async function say(page, text) {
  await page.fill('#composer-text', text);
  await page.press('#composer-text', 'Enter');
}

async function saveProfile(page, marks) {
  await page.getByRole('tab', { name: 'Self-assessment' }).click();
  await page.waitForSelector('#profile-save', { timeout: WAIT_MS });
  for (const [topic, mark] of Object.entries(marks)) await page.check(`#profile-${topic}-${mark}`);
  await page.click('#profile-save');
  await pollPage(page, () => document.getElementById('profile-status').textContent, null, (v) => v === 'Saved.', { what: 'profile saved' });
}

/* Waits until the page decodes and plays `freq` clearly above `other`. */
function hears(page, freq, other) {
  return pollPage(page, (f) => window.kopaDebug.audio(f), [freq, other], (d) => d && d.decoded && d.output
    && d.decoded.freq === freq && d.decoded.powers[freq] > 1e-5 && d.decoded.powers[freq] > 20 * d.decoded.powers[other]
    && d.output.freq === freq, { what: `${freq} Hz heard`, timeoutMs: 30000, everyMs: 500 });
}

async function download(page, buttonName) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: buttonName }).click()]);
  return fs.readFileSync(await d.path(), 'utf8').replace(/^\ufeff/, '').split('\r\n').filter(Boolean);
}

test('a whole session: six people, agenda, hands, a pairs breakout with chat and audio, help, feedback, reports', { timeout: 280000 }, async (t) => {
  const stack = await startStack(t);
  const base = stack.kopa.httpUrl;
  // Two browsers: each fake microphone plays its own tone.
  const browserA = await launchBrowser({ wav: writeTone(TONES.anna) });
  t.after(() => browserA.close());
  const browserB = await launchBrowser({ wav: writeTone(TONES.rasa) });
  t.after(() => browserB.close());
  const people = { ilze: 'ilze', mikael: 'mikael', anna: 'anna', rasa: 'rasa', kadri: 'kadri', elsa: ELSA };
  const pages = {};
  for (const who of Object.keys(people)) {
    const browser = who === 'rasa' ? browserB : browserA;
    pages[who] = await (await newContext(browser, { mic: who === 'anna' || who === 'rasa' })).newPage();
  }
  const { ilze, mikael, anna, rasa, kadri, elsa } = pages;
  const seen = Object.fromEntries(Object.entries(pages).map(([k, p]) => [k, watch(p, k)]));
  try {
    // Join and greet.
    for (const [who, page] of Object.entries(pages)) await openJoin(page, base, SESSION, stack.token(people[who]));
    await pollPage(ilze, () => document.querySelectorAll('.member').length, null, (n) => n === 6, { what: 'six members present' });
    await say(ilze, 'Welcome to the March session!');
    await say(kadri, 'Tere from Tartu');
    for (const page of Object.values(pages)) await waitMessage(page, 'Tere from Tartu');
    await shot(anna, 'journey-01-anna-joined');

    // The self-assessment that the pairs are made from.
    await saveProfile(anna, { financing: 'need' });
    await saveProfile(rasa, { financing: 'offer' });
    await saveProfile(kadri, { digital_tools: 'need' });
    await saveProfile(elsa, { digital_tools: 'offer' });

    // The agenda: built and started by the coordinator.
    await ilze.getByRole('tab', { name: 'Agenda' }).click();
    for (const [title, kind, minutes] of [['Check-in round', 'plenary', 10], ['Pairs on financing and tools', 'breakout', 15], ['How was it?', 'feedback', 5]]) {
      await ilze.fill('#agenda-new-title', title);
      await ilze.selectOption('#agenda-new-kind', kind);
      await ilze.fill('#agenda-new-minutes', String(minutes));
      await ilze.getByRole('button', { name: 'Add item' }).click();
    }
    await ilze.getByRole('button', { name: 'Start the agenda' }).click();
    for (const page of Object.values(pages)) {
      await page.getByRole('tab', { name: 'Agenda' }).click();
      await pollPage(page, () => document.getElementById('agenda-now-title').textContent, null, (v) => v === 'Check-in round', { what: 'the first item' });
    }
    await shot(ilze, 'journey-02-ilze-agenda');

    // Hands: Elsa and Kadri raise theirs; the coordinator calls the first.
    for (const page of [elsa, kadri]) {
      await page.getByRole('tab', { name: 'Hands' }).click();
      await page.getByRole('button', { name: 'Raise hand' }).click();
    }
    await ilze.getByRole('tab', { name: /Hands/ }).click();
    await pollPage(ilze, () => document.querySelectorAll('#hand-queue li').length, null, (n) => n === 2, { what: 'two hands' });
    await shot(ilze, 'journey-03-ilze-hands');
    await ilze.getByRole('button', { name: 'Call next' }).click();
    await elsa.getByRole('button', { name: 'I am done' }).waitFor({ timeout: WAIT_MS });
    await shot(elsa, 'journey-04-elsa-called');
    await elsa.getByRole('button', { name: 'I am done' }).click();

    // The agenda's breakout item starts and proposes its pairs by itself:
    // from the self-assessment, with reasons; the coordinator opens them.
    await ilze.getByRole('tab', { name: 'Agenda' }).click();
    await ilze.getByRole('button', { name: 'Next item' }).click();
    await ilze.getByRole('tab', { name: 'Breakouts' }).click();
    await pollPage(ilze, () => document.querySelectorAll('#round-groups .round-group').length, null, (n) => n === 2, { what: 'two pairs' });
    const plan = await ilze.evaluate(() => [...document.querySelectorAll('#round-groups .round-group')].map((g) =>
      [...g.querySelectorAll('.round-person-name')].map((e) => e.textContent.replace(/ \(.*\)$/, '')).sort().join(' + ')));
    assert.deepEqual(plan.sort(), [[PEOPLE.anna.name, PEOPLE.rasa.name].sort().join(' + '), [ELSA.name, PEOPLE.kadri.name].sort().join(' + ')].sort());
    await shot(ilze, 'journey-05-ilze-plan');
    await ilze.getByRole('button', { name: 'Open the round' }).click();
    for (const [page, partner] of [[anna, PEOPLE.rasa.name], [rasa, PEOPLE.anna.name], [kadri, ELSA.name], [elsa, PEOPLE.kadri.name]]) {
      await page.getByRole('tab', { name: 'My breakout', selected: true }).waitFor({ timeout: WAIT_MS });
      await pollPage(page, () => [...document.querySelectorAll('#breakout-people .breakout-name')].map((e) => e.textContent).join(), null,
        (v) => v === partner, { what: 'the partner' });
    }
    const why = await anna.evaluate(() => [...document.querySelectorAll('#breakout-why li')].map((e) => e.textContent));
    assert.ok(why.includes(`${PEOPLE.anna.name} needs specialised financing; ${PEOPLE.rasa.name} offers it.`), why.join(' | '));
    assert.ok(why.includes(`${PEOPLE.anna.name} and ${PEOPLE.rasa.name} come from different countries.`), why.join(' | '));

    // Partners chat in their breakout, and hear each other.
    await say(anna, 'Sveiki, Rasa!');
    await waitMessage(rasa, 'Sveiki, Rasa!');
    await say(rasa, 'Labas, Anna! Shall we start with grants?');
    await waitMessage(anna, 'Labas, Anna! Shall we start with grants?');
    for (const page of [anna, rasa]) {
      await page.click('#audio-join');
      await page.waitForSelector('#audio-status[data-key="audio.live"]', { timeout: WAIT_MS });
    }
    await hears(anna, TONES.rasa, TONES.anna);
    await hears(rasa, TONES.anna, TONES.rasa);
    await shot(anna, 'journey-06-anna-breakout-audio');
    // The coordinator's console shows who is speaking in which breakout.
    await pollPage(ilze, () => [...document.querySelectorAll('#round-groups .round-person[data-speaking="true"] .round-person-name')]
      .map((e) => e.textContent.replace(/ \(.*\)$/, '')).sort().join(' + '), null,
    (v) => v === [PEOPLE.anna.name, PEOPLE.rasa.name].sort().join(' + '), { what: 'Anna and Rasa speaking in the console' });
    await shot(ilze, 'journey-06-ilze-live-rooms');
    assert.ok(!(await kadri.evaluate(() => [...document.querySelectorAll('.chat-log .msg-text')].map((e) => e.textContent))).includes('Sveiki, Rasa!'),
      'the other pair does not see this chat');

    // Kadri asks for help; the expert sees it, visits and answers it.
    await kadri.fill('#help-text', 'How do we compare booking tools?');
    await kadri.getByRole('button', { name: 'Ask for help' }).click();
    await mikael.getByRole('tab', { name: /Breakouts/ }).click();
    await pollPage(mikael, () => [...document.querySelectorAll('#help-queue .help-text')].map((e) => e.textContent).join(), null,
      (v) => v.endsWith(': How do we compare booking tools?'), { what: 'the help request' });
    await shot(mikael, 'journey-07-mikael-help');
    await mikael.locator('#help-queue').getByRole('button', { name: /^Visit room / }).click();
    const kadriRoom = await kadri.evaluate(() => window.kopaDebug.state().room);
    await pollPage(mikael, () => window.kopaDebug.state().room, null, (v) => v === kadriRoom, { what: 'the expert in the breakout' });
    await say(mikael, 'Try both for a week, then compare no-shows.');
    await waitMessage(kadri, 'Try both for a week, then compare no-shows.');
    await mikael.getByRole('tab', { name: /Breakouts/ }).click();
    await mikael.getByRole('button', { name: `Mark the request of ${PEOPLE.kadri.name} resolved` }).click();
    await pollPage(kadri, () => document.getElementById('help-status').textContent, null,
      (v) => v === `${PEOPLE.mikael.name} has taken care of your request.`, { what: 'help answered' });
    await shot(kadri, 'journey-08-kadri-helped');

    // The round closes: back in the main room, the feedback form comes up.
    await ilze.getByRole('tab', { name: /Breakouts/ }).click();
    await ilze.getByRole('button', { name: 'Close the round now' }).click();
    const entrepreneurs = { anna, rasa, kadri, elsa };
    for (const [i, page] of Object.values(entrepreneurs).entries()) {
      await page.getByRole('tab', { name: 'Feedback', selected: true }).waitFor({ timeout: WAIT_MS });
      await page.check(`#pulse-use-${5 - (i % 2)}`);
      await page.check('#pulse-apply-yes');
      await page.fill('#pulse-comment', `Useful pair number ${i + 1}`);
      await page.getByRole('button', { name: 'Send feedback' }).click();
      await pollPage(page, () => document.querySelector('.pulse-status').textContent, null, (v) => /^Thank you/.test(v), { what: 'pulse stored' });
    }
    await shot(anna, 'journey-09-anna-feedback');

    // The coordinator's reports: feedback and coverage, shown and downloaded.
    await ilze.getByRole('tab', { name: 'Feedback' }).click();
    await ilze.getByRole('button', { name: 'Show results' }).click();
    await pollPage(ilze, () => document.getElementById('pulse-summary').textContent, null, (v) => /^Answers: 4\. Usefulness 4\.5 of 5\./.test(v), { what: 'the results' });
    const pulses = await download(ilze, 'Download CSV');
    assert.equal(pulses.length, 5, pulses.join('\n'));
    for (const who of ['anna', 'rasa', 'kadri']) assert.ok(pulses.some((l) => l.includes(`,${PEOPLE[who].sub},${PEOPLE[who].name},`)), `${who} in the report`);
    await shot(ilze, 'journey-10-ilze-feedback-report');
    await ilze.getByRole('tab', { name: /Breakouts/ }).click();
    await ilze.getByRole('button', { name: 'Show coverage' }).click();
    await pollPage(ilze, () => document.getElementById('coverage-summary').textContent, null,
      (v) => v === 'Rounds: 1. Pairs that met: 2, across countries: 2 (100 %).', { what: 'coverage' });
    const coverage = await download(ilze, 'Download CSV');
    assert.match(coverage[0], /^id,name,country,/);
    await shot(ilze, 'journey-11-ilze-coverage');

    // The key screens in Latvian and Swedish, on a phone.
    for (const [who, locale, dict] of [['anna', 'lv-LV', lv], ['elsa', 'sv-SE', sv]]) {
      const browser = browserA;
      const page = await (await newContext(browser, { mic: false, locale, viewport: { width: 360, height: 760 } })).newPage();
      const s = watch(page, `${who}-${locale}`);
      await openJoin(page, base, SESSION, stack.token(people[who]));
      assert.equal(await page.getAttribute('html', 'lang'), locale.slice(0, 2));
      await page.getByRole('tab', { name: dict['tab.agenda'] }).click();
      await pollPage(page, () => document.getElementById('agenda-now-title').textContent, null, (v) => v === 'How was it?' || v === 'Pairs on financing and tools', { what: 'the agenda' });
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), `${locale}: no sideways scrolling at 360 px`);
      await shot(page, `journey-12-${who}-${locale}-agenda-phone`);
      await page.getByRole('tab', { name: dict['tab.pulse'] }).click();
      await page.getByRole('button', { name: dict['pulse.send'] }).waitFor({ timeout: WAIT_MS });
      await shot(page, `journey-13-${who}-${locale}-feedback-phone`);
      assert.equal(await page.textContent('.composer-send'), dict['chat.send']);
      await page.locator('.chat-log').scrollIntoViewIfNeeded();
      await shot(page, `journey-14-${who}-${locale}-chat-phone`);
      assert.deepEqual(s.problems, []);
      await page.context().close();
    }

    assert.deepEqual(Object.values(seen).flatMap((s) => s.problems), []);
    // On a busy machine a page's audio packets can reach the server bunched
    // together; the server drops what is over its burst and says so
    // (audio_rate, protocol.md 8.2). That is its design, not a refusal.
    const errors = Object.entries(seen).flatMap(([who, s]) => s.got.filter((m) => m.type === 'error').map((m) => ({ who, ...m })));
    const bunched = errors.filter((m) => m.code === 'audio_rate');
    if (bunched.length) console.log(`audio packets dropped by the server's burst limit: ${bunched.map((m) => m.who).join(', ')}`);
    assert.deepEqual(errors.filter((m) => m.code !== 'audio_rate').map((m) => `${m.who}: ${m.code} ${m.message}`), [], 'the server refused nothing');
  } catch (err) {
    await failureReport(seen, pages, 'journey');
    throw err;
  }
});
