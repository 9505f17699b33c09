// The accessibility check: axe-core (WCAG 2.x A and AA, best practices) on
// every main view of the web client, in light and dark themes, against the
// real server: joining and the chat, the audio bar (joined to audio with a
// fake microphone), the session panel's tabs (agenda with its controls,
// hands, topics, the expert's workshop, feedback and its results), the
// self-assessment, the coordinator's round plan, its live rooms and help
// queue and the coverage, a member's breakout, the programme with its
// entry editor, and the coordinator's reports. Any serious or critical
// finding fails the test, with where it is and what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../integration/lib/harness.mjs';
import { launchBrowser, newContext, watch, shot, openJoin, pollPage, axeFindings, WAIT_MS } from './lib.mjs';

const SESSION = 'browser-a11y';

test('every main view has no serious or critical accessibility findings', { timeout: 410000 }, async (t) => {
  const stack = await startStack(t);
  const base = stack.kopa.httpUrl;
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const pages = {
    ilze: await (await newContext(browser, { mic: false })).newPage(),
    mikael: await (await newContext(browser, { mic: false })).newPage(),
    anna: await (await newContext(browser, { mic: true })).newPage(),
    rasa: await (await newContext(browser, { mic: false, colorScheme: 'dark' })).newPage(),
  };
  const { ilze, mikael, anna, rasa } = pages;
  const seen = Object.fromEntries(Object.entries(pages).map(([k, p]) => [k, watch(p, k)]));
  const findings = [];
  const check = async (who, view) => {
    for (const f of await axeFindings(pages[who])) findings.push(`${who} / ${view}: ${f}`);
  };
  const tab = async (who, name) => {
    await pages[who].getByRole('tab', { name }).click();
    await pages[who].getByRole('tab', { name, selected: true }).waitFor({ timeout: WAIT_MS });
  };
  try {
    for (const [who, page] of Object.entries(pages)) await openJoin(page, base, SESSION, stack.token(who));
    await anna.fill('#composer-text', 'Labdien!');
    await anna.press('#composer-text', 'Enter');
    await pollPage(rasa, () => document.querySelectorAll('.chat-log .msg-text').length, null, (n) => n >= 1, { what: 'the message' });
    await check('anna', 'chat');
    await check('rasa', 'chat (dark)');

    // The audio bar, off and then on with a fake microphone.
    await anna.click('#audio-join');
    await anna.waitForSelector('#audio-mute', { state: 'visible', timeout: WAIT_MS });
    await check('anna', 'audio on');

    // The agenda with the coordinator's controls, then running.
    await tab('ilze', 'Agenda');
    await check('ilze', 'agenda (empty, controls)');
    for (const [title, kind] of [['Check-in', 'plenary'], ['Pairs', 'breakout'], ['How was it?', 'feedback']]) {
      await ilze.fill('#agenda-new-title', title);
      await ilze.selectOption('#agenda-new-kind', kind);
      await ilze.fill('#agenda-new-minutes', '10');
      await ilze.getByRole('button', { name: 'Add item' }).click();
    }
    await ilze.getByRole('button', { name: 'Start the agenda' }).click();
    await pollPage(anna, () => document.getElementById('agenda-now-title').textContent, null, (v) => v === 'Check-in', { what: 'the first item' });
    await check('ilze', 'agenda (running)');
    await check('anna', 'agenda (running)');
    await check('rasa', 'agenda (running, dark)');

    // Hands: raised, in the coordinator's queue, called.
    await tab('anna', 'Hands');
    await anna.getByRole('button', { name: 'Raise hand' }).click();
    await tab('ilze', /Hands/);
    await ilze.waitForSelector('#hand-queue li', { timeout: WAIT_MS });
    await check('ilze', 'hands (queue)');
    await ilze.getByRole('button', { name: 'Call next' }).click();
    await anna.getByRole('button', { name: 'I am done' }).waitFor({ timeout: WAIT_MS });
    await check('anna', 'hands (called)');

    // Topics.
    await tab('rasa', 'Topics');
    await rasa.fill('#topic-new', 'Grants for social enterprises');
    await rasa.press('#topic-new', 'Enter');
    await rasa.waitForSelector('.topic-item, #panel-topics li', { timeout: WAIT_MS });
    await check('rasa', 'topics (dark)');

    // The expert's workshop view, with a question from a member.
    await tab('mikael', 'Workshop');
    await mikael.fill('#question-new', 'Who has applied for a grant?');
    await mikael.getByRole('button', { name: 'Ask', exact: true }).click();
    await mikael.waitForSelector('.question-vote', { timeout: WAIT_MS });
    await check('mikael', 'workshop with a question');

    // Self-assessment, then the coordinator's plan, rooms and coverage.
    for (const [page, marks] of [[anna, { financing: 'need' }], [rasa, { financing: 'offer' }]]) {
      await page.getByRole('tab', { name: 'Self-assessment' }).click();
      await page.waitForSelector('#profile-save', { timeout: WAIT_MS });
      for (const [topic, mark] of Object.entries(marks)) await page.check(`#profile-${topic}-${mark}`);
      await page.click('#profile-save');
      await pollPage(page, () => document.getElementById('profile-status').textContent, null, (v) => v === 'Saved.', { what: 'profile saved' });
    }
    await check('anna', 'self-assessment');
    await tab('ilze', 'Breakouts');
    await ilze.selectOption('#round-mode', 'complementary');
    await ilze.selectOption('#round-size', '2');
    await ilze.getByRole('button', { name: 'Propose groups' }).click();
    await ilze.waitForSelector('#round-groups .round-group', { timeout: WAIT_MS });
    await check('ilze', 'round plan');
    await ilze.getByRole('button', { name: 'Open the round' }).click();
    await anna.getByRole('tab', { name: 'My breakout', selected: true }).waitFor({ timeout: WAIT_MS });
    await rasa.getByRole('tab', { name: 'My breakout', selected: true }).waitFor({ timeout: WAIT_MS });
    await rasa.fill('#help-text', 'A question');
    await rasa.getByRole('button', { name: 'Ask for help' }).click();
    await ilze.waitForSelector('#help-queue .help-text', { timeout: WAIT_MS });
    await check('anna', 'breakout');
    await check('rasa', 'breakout (dark, help asked)');
    await check('ilze', 'live rooms and help queue');
    await shot(ilze, 'a11y-ilze-rooms');
    await ilze.getByRole('button', { name: 'Close the round now' }).click();
    await anna.getByRole('tab', { name: 'Feedback', selected: true }).waitFor({ timeout: WAIT_MS });
    await check('anna', 'feedback form');
    await ilze.getByRole('button', { name: 'Show coverage' }).click();
    await ilze.waitForSelector('#coverage-table td', { timeout: WAIT_MS });
    await check('ilze', 'coverage');

    // Feedback sent, and the coordinator's results.
    await anna.check('#pulse-use-4');
    await anna.check('#pulse-apply-yes');
    await anna.getByRole('button', { name: 'Send feedback' }).click();
    await pollPage(anna, () => document.querySelector('.pulse-status').textContent, null, (v) => /^Thank you/.test(v), { what: 'pulse stored' });
    await tab('ilze', 'Feedback');
    await ilze.getByRole('button', { name: 'Show results' }).click();
    await pollPage(ilze, () => document.getElementById('pulse-summary').textContent, null, (v) => /^Answers: 1\./.test(v), { what: 'results' });
    await check('ilze', 'feedback results');

    // The programme: the coordinator plans a session; members see it in their time zone.
    await tab('ilze', 'Programme');
    await ilze.fill('#programme-title', 'Meeting impact investors');
    await ilze.fill('#programme-start', '2027-03-04T10:00');
    await ilze.fill('#programme-minutes', '90');
    await ilze.getByRole('button', { name: 'Add session' }).click();
    await tab('anna', 'Programme');
    await pollPage(anna, () => [...document.querySelectorAll('#programme-list .programme-when')].map((e) => e.textContent).join(), null,
      (v) => /4 March 2027.* 10:00 – 11:30/.test(v), { what: 'the planned session in Riga time' });
    await check('ilze', 'programme editor');
    await check('anna', 'programme');
    await shot(ilze, 'a11y-ilze-programme');
    // Editing the entry in place, then the coordinator's reports (SVG charts and tables).
    await ilze.getByRole('button', { name: 'Edit Meeting impact investors' }).click();
    await ilze.waitForSelector('#programme-edit-title', { timeout: WAIT_MS });
    await check('ilze', 'programme entry editor');
    await ilze.click('#programme-edit-cancel');
    await tab('ilze', 'Reports');
    await ilze.waitForSelector('#report-pulse-chart .chart-row', { timeout: WAIT_MS });
    await ilze.waitForSelector('#report-attendance-chart .chart-row', { timeout: WAIT_MS });
    await check('ilze', 'reports');

    // Phone width.
    await rasa.setViewportSize({ width: 360, height: 740 });
    await check('rasa', 'phone width (dark)');

    assert.deepEqual(findings, [], `accessibility findings:\n${findings.join('\n')}`);
    assert.deepEqual(Object.values(seen).flatMap((s) => s.problems), []);
  } catch (err) {
    for (const [who, page] of Object.entries(pages)) await shot(page, `a11y-failure-${who}`).catch(() => {});
    throw err;
  }
});
