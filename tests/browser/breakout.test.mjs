// Browser test of breakouts (docs/protocol.md section 11) against the real
// server: two entrepreneurs fill in their self-assessment, the coordinator
// proposes a round (and sees why Kopa paired them), opens it, and both land
// in the same breakout on their open page, see each other, why they are
// together and the same countdown, and chat there without the main room
// seeing it. Help is asked and resolved, a note is kept for the main room,
// the coordinator's text reaches every breakout; closing the round brings
// everyone back with the notes and the feedback form for the breakout; the
// coverage shows who met whom, as a table and CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startStack, PEOPLE } from '../integration/lib/harness.mjs';
import { launchBrowser, newContext, watch, shot, openJoin, pollPage, checkTabsLabelled, refusals, failureReport, WAIT_MS } from './lib.mjs';

const SESSION = 'browser-breakout';

async function saveProfile(page, marks) {
  await page.getByRole('tab', { name: 'Self-assessment' }).click();
  await page.waitForSelector('#profile-save', { timeout: WAIT_MS });
  for (const [topic, mark] of Object.entries(marks)) await page.check(`#profile-${topic}-${mark}`);
  await page.fill('#profile-text', 'A social enterprise');
  await page.click('#profile-save');
  await pollPage(page, () => document.getElementById('profile-status').textContent, null, (v) => v === 'Saved.', { what: 'profile saved' });
}

function messages(page) {
  return page.evaluate(() => [...document.querySelectorAll('.chat-log .msg-text')].map((e) => e.textContent));
}

async function waitMessage(page, text) {
  await pollPage(page, (t) => [...document.querySelectorAll('.chat-log .msg-text')].some((e) => e.textContent === t), text, (v) => v, { what: `message ${text}` });
}

test('a breakout round from the self-assessment to the notes back in the main room', { timeout: 170000 }, async (t) => {
  const stack = await startStack(t);
  const base = stack.kopa.httpUrl;
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const pages = {};
  for (const who of ['ilze', 'anna', 'rasa']) pages[who] = await (await newContext(browser, { mic: false })).newPage();
  const { ilze, anna, rasa } = pages;
  const seen = Object.fromEntries(Object.entries(pages).map(([k, p]) => [k, watch(p, k)]));
  try {
    for (const [who, page] of Object.entries(pages)) await openJoin(page, base, SESSION, stack.token(who));

    // The self-assessment: Anna needs financing, Rasa offers it.
    await saveProfile(anna, { financing: 'need', visibility: 'offer' });
    await saveProfile(rasa, { financing: 'offer', digital_tools: 'need' });
    await shot(anna, 'breakout-01-anna-self-assessment');
    // After a reload the saved answers come back from the server.
    await anna.reload();
    await anna.getByRole('tab', { name: 'Self-assessment' }).click();
    await anna.waitForFunction(() => document.getElementById('profile-financing-need').checked, null, { timeout: WAIT_MS });
    assert.equal(await anna.isChecked('#profile-visibility-offer'), true);

    // The coordinator proposes pairs and sees why Kopa put them together.
    await ilze.getByRole('tab', { name: 'Breakouts' }).click();
    await ilze.selectOption('#round-mode', 'complementary');
    await ilze.selectOption('#round-size', '2');
    await ilze.fill('#round-minutes', '10');
    await ilze.getByRole('button', { name: 'Propose groups' }).click();
    await ilze.waitForSelector('#round-groups .round-group', { timeout: WAIT_MS });
    const plan = await ilze.evaluate(() => [...document.querySelectorAll('#round-groups .round-group')].map((g) => ({
      people: [...g.querySelectorAll('.round-person-name')].map((e) => e.textContent),
      reasons: [...g.querySelectorAll('.round-reason')].map((e) => e.textContent),
    })));
    assert.equal(plan.length, 1, JSON.stringify(plan));
    assert.deepEqual(plan[0].people.map((p) => p.replace(/ \(.*\)$/, '')).sort(), [PEOPLE.anna.name, PEOPLE.rasa.name].sort());
    assert.ok(plan[0].reasons.some((r) => r === `${PEOPLE.anna.name} needs specialised financing; ${PEOPLE.rasa.name} offers it.`), plan[0].reasons.join(' | '));
    assert.ok(plan[0].reasons.some((r) => /different countries/.test(r)), plan[0].reasons.join(' | '));
    await shot(ilze, 'breakout-02-ilze-plan');

    // Open: both land in the same breakout, see each other, why, and the same countdown.
    await ilze.getByRole('button', { name: 'Open the round' }).click();
    for (const [page, other] of [[anna, PEOPLE.rasa.name], [rasa, PEOPLE.anna.name]]) {
      await page.getByRole('tab', { name: 'My breakout', selected: true }).waitFor({ timeout: WAIT_MS });
      await pollPage(page, () => [...document.querySelectorAll('#breakout-people .breakout-name')].map((e) => e.textContent), null,
        (v) => v.length === 1 && v[0] === other, { what: 'the partner' });
    }
    const roomA = await anna.textContent('.breakout-heading');
    assert.equal(roomA, await rasa.textContent('.breakout-heading'), 'the same breakout');
    assert.match(roomA, /^Breakout \S+$/);
    const why = await anna.evaluate(() => [...document.querySelectorAll('#breakout-why li')].map((e) => e.textContent));
    // The group's own reasons come with the move: needs and offers, countries.
    assert.ok(why.includes(`${PEOPLE.anna.name} needs specialised financing; ${PEOPLE.rasa.name} offers it.`), why.join(' | '));
    assert.ok(why.some((w) => /different countries/.test(w)), why.join(' | '));
    const [la, lr] = await Promise.all([anna, rasa].map((p) => p.evaluate(() => Number(document.getElementById('breakout-clock').dataset.leftMs))));
    assert.ok(Math.abs(la - lr) < 1000 && la > 9 * 60000 && la <= 10 * 60000 + 1000, `countdowns ${la} / ${lr}`);
    assert.equal(await anna.textContent('.conv-label'), 'Breakout chat');

    // Chat inside the breakout: the partner sees it, the main room does not.
    await anna.fill('#composer-text', 'Sveiki from our breakout');
    await anna.press('#composer-text', 'Enter');
    await waitMessage(rasa, 'Sveiki from our breakout');
    await rasa.fill('#composer-text', 'Labas! Let us start with financing.');
    await rasa.press('#composer-text', 'Enter');
    await waitMessage(anna, 'Labas! Let us start with financing.');
    assert.ok(!(await messages(ilze)).includes('Sveiki from our breakout'), 'breakout chat stays in the breakout');
    await shot(anna, 'breakout-03-anna-in-breakout');

    // Rasa asks for help; the coordinator sees it and resolves it.
    await rasa.fill('#help-text', 'A question about impact investors');
    await rasa.getByRole('button', { name: 'Ask for help' }).click();
    await pollPage(rasa, () => document.getElementById('help-status').textContent, null, (v) => /^Help is on the way/.test(v), { what: 'help asked' });
    await pollPage(ilze, () => [...document.querySelectorAll('#help-queue .help-text')].map((e) => e.textContent), null,
      (v) => v.length === 1 && v[0].startsWith(`${PEOPLE.rasa.name} in `) && v[0].endsWith(': A question about impact investors'), { what: 'the help queue' });
    await shot(ilze, 'breakout-04-ilze-rooms-and-help');
    await ilze.getByRole('button', { name: `Mark the request of ${PEOPLE.rasa.name} resolved` }).click();
    await pollPage(rasa, () => document.getElementById('help-status').textContent, null,
      (v) => v === `${PEOPLE.ilze.name} has taken care of your request.`, { what: 'help resolved' });

    // A note for the main room, and the coordinator's message to every breakout.
    await anna.fill('#breakout-note', 'Rasa shares her grant template');
    await anna.getByRole('button', { name: 'Add note' }).click();
    await waitMessage(rasa, 'Rasa shares her grant template');
    await ilze.fill('#round-broadcast', 'Five minutes left, please wrap up');
    await ilze.getByRole('button', { name: 'Send to all' }).click();
    for (const page of [anna, rasa]) await waitMessage(page, 'Five minutes left, please wrap up');
    assert.equal(await anna.evaluate(() => [...document.querySelectorAll('.chat-log .msg[data-kind="broadcast"] .msg-tag')].map((e) => e.textContent).join()), 'to every breakout');

    // Closing brings everyone back: the main room's chat, the notes, and feedback about the breakout.
    await ilze.getByRole('button', { name: 'Close the round now' }).click();
    for (const page of [anna, rasa]) {
      await pollPage(page, () => document.querySelector('.conv-label').textContent, null, (v) => v === 'Room chat', { what: 'back in the main room' });
      await pollPage(page, () => [...document.querySelectorAll('.msg-system[data-kind="breakout_notes"]')].map((e) => e.textContent).join(), null,
        (v) => v.includes('Rasa shares her grant template'), { what: 'the breakout notes in the main room' });
    }
    await anna.getByRole('tab', { name: 'Feedback', selected: true }).waitFor({ timeout: WAIT_MS });
    assert.notEqual(await anna.inputValue('#pulse-scope'), 'session', 'the feedback form is about the breakout');
    assert.equal(await anna.isVisible('#breakout-people'), false);
    await shot(anna, 'breakout-05-anna-back');

    // Coverage: one round, one pair across countries; as a table and as CSV.
    await ilze.getByRole('button', { name: 'Show coverage' }).click();
    await pollPage(ilze, () => document.getElementById('coverage-summary').textContent, null,
      (v) => v === 'Rounds: 1. Pairs that met: 1, across countries: 1 (100 %).', { what: 'coverage' });
    const met = await ilze.evaluate(() => [...document.querySelectorAll('#coverage-table td[data-met="yes"]')].length);
    assert.equal(met, 2, 'the pair in both halves of the matrix');
    const [download] = await Promise.all([ilze.waitForEvent('download'), ilze.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').split('\r\n');
    assert.match(csv[0], /^id,name,country,/);
    assert.ok(csv.some((l) => l.startsWith(`${PEOPLE.anna.sub},${PEOPLE.anna.name},LV,`) && l.split(',').includes('1')), csv.join('\n'));
    await shot(ilze, 'breakout-06-ilze-coverage');

    // Every control on screen has a name a screen reader can say.
    await checkTabsLabelled({ ilze: pages.ilze, anna: pages.anna }, assert);
    assert.deepEqual(Object.values(seen).flatMap((s) => s.problems), []);
    assert.deepEqual(refusals(seen), [], 'the server refused nothing');
  } catch (err) {
    await failureReport(seen, pages, 'breakout');
    throw err;
  }
});
