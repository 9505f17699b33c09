// Browser test of running a session (docs/protocol.md section 10) against
// the real server: a coordinator builds and starts the agenda and two other
// pages show the same countdown within a second, although one of them runs
// its clock 90 s fast; pause, extend and next reach everyone; a raised hand
// appears in the coordinator's queue and "call next" tells the person it is
// their turn; topics are proposed and voted; at the feedback item the form
// comes up, a pulse is sent, and the coordinator sees the results and
// downloads them as CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startStack, PEOPLE } from '../integration/lib/harness.mjs';
import { launchBrowser, newContext, watch, shot, openJoin, pollPage, checkTabsLabelled, refusals, failureReport, WAIT_MS } from './lib.mjs';

const SESSION = 'browser-agenda';
const SKEW_MS = 90000;

/* The countdown as two pages show it at (nearly) the same moment: [text, left ms] each. */
async function clocks(pages) {
  return Promise.all(pages.map((p) => p.evaluate(() => {
    const c = document.getElementById('agenda-clock');
    return c && !c.hidden ? [c.textContent, Number(c.dataset.leftMs)] : null;
  })));
}

async function currentTitle(page) {
  return page.textContent('#agenda-now-title');
}

async function addItem(page, title, kind, minutes) {
  await page.fill('#agenda-new-title', title);
  await page.selectOption('#agenda-new-kind', kind);
  await page.fill('#agenda-new-minutes', String(minutes));
  await page.getByRole('button', { name: 'Add item' }).click();
}

function itemTitles(page) {
  return page.evaluate(() => [...document.querySelectorAll('.agenda-item-title')].map((e) => e.textContent));
}

test('the agenda, its countdown, hands, topics and feedback through the web client', { timeout: 170000 }, async (t) => {
  const stack = await startStack(t);
  const base = stack.kopa.httpUrl;
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ilze = await (await newContext(browser, { mic: false })).newPage();
  const anna = await (await newContext(browser, { mic: false })).newPage();
  const jonasCtx = await newContext(browser, { mic: false });
  // Jonas's computer clock is 90 s fast: his countdown must still match.
  await jonasCtx.addInitScript((skew) => {
    const real = Date.now.bind(Date);
    Date.now = () => real() + skew;
  }, SKEW_MS);
  const jonas = await jonasCtx.newPage();
  const pages = { ilze, anna, jonas };
  const seen = Object.fromEntries(Object.entries(pages).map(([k, p]) => [k, watch(p, k)]));
  try {
    for (const [who, page] of Object.entries(pages)) await openJoin(page, base, SESSION, stack.token(who));
    assert.ok(await jonas.evaluate(() => Date.now() - performance.timeOrigin - performance.now()) > SKEW_MS - 5000, 'jonas runs fast');

    // Everyone has the session panel with the agenda; only the coordinator has its controls.
    for (const page of [ilze, anna, jonas]) await page.getByRole('tab', { name: 'Agenda' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await anna.isVisible('#agenda-new-title'), false, 'no agenda form for an entrepreneur');
    assert.equal(await anna.textContent('#agenda-now-title'), 'The agenda has not started yet.');

    // The coordinator builds the agenda with the keyboard-usable form.
    await addItem(ilze, 'Check-in round', 'plenary', 10);
    await addItem(ilze, 'Financing', 'talk', 20);
    await addItem(ilze, 'How was it?', 'feedback', 5);
    for (const page of [ilze, anna, jonas]) {
      await pollPage(page, () => [...document.querySelectorAll('.agenda-item-title')].map((e) => e.textContent).join('|'), null,
        (v) => v === 'Check-in round|Financing|How was it?', { what: 'three items' });
    }
    await shot(ilze, 'agenda-01-built');

    // Start: both others show the first item and the same countdown within a second.
    await ilze.getByRole('button', { name: 'Start the agenda' }).click();
    for (const page of [anna, jonas]) {
      await pollPage(page, () => document.getElementById('agenda-now-title').textContent, null, (v) => v === 'Check-in round', { what: 'item 1 current' });
      await page.waitForSelector('#agenda-clock:not([hidden])', { timeout: WAIT_MS });
    }
    // The clock offset comes from ping round trips just after joining; give them a moment.
    await pollPage(jonas, () => window.kopaDebug.state().clock.rtt, null, (v) => v !== null, { what: 'a round trip measured' });
    const [ca, cj] = await clocks([anna, jonas]);
    assert.ok(Math.abs(ca[1] - cj[1]) < 1000, `same countdown within a second: anna ${ca[0]} (${ca[1]}), jonas ${cj[0]} (${cj[1]})`);
    assert.ok(ca[1] > 9 * 60000 && ca[1] <= 10 * 60000 + 1000, `about ten minutes left (${ca[0]})`);
    assert.match(ca[0], /^\d+:\d\d$/);
    assert.equal(await anna.getAttribute('#agenda-clock', 'role'), 'timer');
    await shot(jonas, 'agenda-02-jonas-countdown');

    // Pause stops the clock on every screen; resume and +1 min move it on every screen.
    await ilze.getByRole('button', { name: 'Pause' }).click();
    await anna.waitForSelector('#agenda-clock[data-paused="true"]', { timeout: WAIT_MS });
    const p1 = (await clocks([anna]))[0][1];
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await clocks([anna]))[0][1], p1, 'paused: the time left does not move');
    await ilze.getByRole('button', { name: 'Resume' }).click();
    await anna.waitForSelector('#agenda-clock[data-paused="false"]', { timeout: WAIT_MS });
    const before = (await clocks([jonas]))[0][1];
    await ilze.getByRole('button', { name: 'Add 1 min to the current item' }).click();
    await pollPage(jonas, () => Number(document.getElementById('agenda-clock').dataset.leftMs), null,
      (v) => v > before + 55000, { what: 'one more minute on jonas\'s screen' });
    const [ea, ej] = await clocks([anna, jonas]);
    assert.ok(Math.abs(ea[1] - ej[1]) < 1000, `still the same after extending: ${ea[0]} / ${ej[0]}`);

    // Next: the second item runs everywhere.
    await ilze.getByRole('button', { name: 'Next item' }).click();
    for (const page of [anna, jonas]) {
      await pollPage(page, () => document.getElementById('agenda-now-title').textContent, null, (v) => v === 'Financing', { what: 'item 2 current' });
    }
    assert.equal(await anna.getAttribute('.agenda-item:nth-child(1)', 'data-state'), 'done');

    // Hands: Anna raises hers; it shows in the coordinator's queue (and the tab's badge).
    await anna.getByRole('tab', { name: 'Hands' }).click();
    await anna.getByRole('button', { name: 'Raise hand' }).click();
    await anna.waitForSelector('#hand-raise[aria-pressed="true"]', { timeout: WAIT_MS });
    assert.match(await anna.textContent('#hand-mine'), /number 1 of 1/);
    await ilze.waitForSelector('#tab-hands .tab-badge:not([hidden])', { timeout: WAIT_MS });
    assert.equal(await ilze.textContent('#tab-hands .tab-badge'), '1');
    await ilze.getByRole('tab', { name: /Hands/ }).click();
    await pollPage(ilze, () => [...document.querySelectorAll('#hand-queue .hand-name')].map((e) => e.textContent), null,
      (v) => v.length === 1 && v[0] === 'Anna Bērziņa', { what: 'anna in the queue' });
    await shot(ilze, 'agenda-03-ilze-hand-queue');
    // Call next: Anna is told it is her turn, in the page and in an assertive live region.
    await ilze.getByRole('button', { name: 'Call next' }).click();
    await anna.waitForSelector('.hand-turn:not([hidden])', { timeout: WAIT_MS });
    await pollPage(anna, () => document.querySelector('[aria-live="assertive"]').textContent, null,
      (v) => v === 'It is your turn to speak.', { what: 'anna hears it is her turn' });
    assert.equal(await anna.getAttribute('#hand-raise', 'aria-pressed'), 'false', 'out of the queue once called');
    await shot(anna, 'agenda-04-anna-called');
    await anna.getByRole('button', { name: 'I am done' }).click();
    await anna.waitForSelector('.hand-turn', { state: 'hidden', timeout: WAIT_MS });

    // Topics: Jonas proposes, Anna votes; both see one vote.
    await jonas.getByRole('tab', { name: 'Topics' }).click();
    await jonas.fill('#topic-new', 'Reporting to funders');
    await jonas.press('#topic-new', 'Enter');
    await anna.getByRole('tab', { name: 'Topics' }).click();
    await anna.getByRole('button', { name: 'Vote for Reporting to funders, 0 votes' }).click();
    await jonas.getByRole('button', { name: 'Vote for Reporting to funders, 1 votes' }).waitFor({ timeout: WAIT_MS });
    await anna.getByRole('button', { name: /Take back your vote for Reporting to funders/ }).waitFor({ timeout: WAIT_MS });

    // The feedback item: the form comes up by itself; Anna answers.
    await ilze.getByRole('tab', { name: 'Agenda' }).click();
    await ilze.getByRole('button', { name: 'Start How was it? now' }).click();
    await anna.getByRole('tab', { name: 'Feedback', selected: true }).waitFor({ timeout: WAIT_MS });
    await anna.check('#pulse-use-4');
    await anna.check('#pulse-apply-yes');
    await anna.fill('#pulse-comment', '=The pairs, "really" good');
    await anna.getByRole('button', { name: 'Send feedback' }).click();
    await pollPage(anna, () => document.querySelector('.pulse-status').textContent, null, (v) => /^Thank you/.test(v), { what: 'pulse stored' });
    await shot(anna, 'agenda-05-anna-feedback');

    // The coordinator's results and the CSV download.
    await ilze.getByRole('tab', { name: 'Feedback' }).click();
    await ilze.getByRole('button', { name: 'Show results' }).click();
    await pollPage(ilze, () => document.getElementById('pulse-summary').textContent, null, (v) => v === 'Answers: 1. Usefulness 4.0 of 5. Will apply something: 100 %.', { what: 'results' });
    const [download] = await Promise.all([ilze.waitForEvent('download'), ilze.getByRole('button', { name: 'Download CSV' }).click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.replace(/^\ufeff/, '').split('\r\n');
    assert.equal(lines[0], 'scope,user,name,usefulness,will_apply,comment,submitted_at');
    assert.ok(lines[1].startsWith(`session,${PEOPLE.anna.sub},${PEOPLE.anna.name},4,true,"'=The pairs, ""really"" good",`), lines[1]);
    await shot(ilze, 'agenda-06-ilze-results');

    // Keyboard: the tabs move with the arrow keys.
    await ilze.getByRole('tab', { name: 'Feedback' }).focus();
    await ilze.keyboard.press('Home');
    assert.equal(await ilze.evaluate(() => document.activeElement.id), 'tab-agenda');
    assert.equal(await ilze.getAttribute('#tab-agenda', 'aria-selected'), 'true');

    // Narrow screen: nothing overflows sideways.
    await jonas.setViewportSize({ width: 360, height: 740 });
    assert.ok(await jonas.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scrolling at 360 px');
    await shot(jonas, 'agenda-07-jonas-narrow');

    // Every control on screen has a name a screen reader can say.
    await checkTabsLabelled({ ilze: pages.ilze, anna: pages.anna }, assert);
    assert.deepEqual(Object.values(seen).flatMap((s) => s.problems), []);
    assert.deepEqual(refusals(seen), [], 'the server refused nothing');
  } catch (err) {
    await failureReport(seen, pages, 'agenda');
    throw err;
  }
});
