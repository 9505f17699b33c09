// Browser test of the coordinator's reports and of editing the programme
// (docs/protocol.md sections 10.7, 10.8, 11.7) against the real server: a
// coordinator edits a planned session in place with the keyboard (a rule
// broken before sending is named, Escape gives up), and a member in another
// time zone sees the change at once; the reports tab shows who attended
// the session (the members whose pages joined it, and one more client), a
// chart of it that a screen reader can read, the feedback given, and the
// attendance CSV downloads with the right people. No axe finding on the
// tab, light and dark, at desk and phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startStack, PEOPLE } from '../integration/lib/harness.mjs';
import { request } from '../integration/lib/live.mjs';
import { launchBrowser, newContext, watch, shot, openJoin, pollPage, axeFindings, unlabelled, WAIT_MS } from './lib.mjs';

const H = 3600000;
const PLAN = [
  { session: 'rep-jan', kind: 'peer-learning', title: 'January: financing', start: Date.UTC(2027, 0, 13, 12, 0), tz: 'Europe/Riga',
    duration_ms: 2 * H, host: 'u-ilze', agenda: [{ title: 'Check-in', kind: 'plenary', timebox_ms: 900000 }] },
  { session: 'rep-feb', kind: 'workshop', title: 'February: visibility', start: Date.UTC(2027, 1, 10, 12, 0), tz: 'Europe/Tallinn',
    duration_ms: 2 * H, host: 'u-ilze', agenda: [] },
];

async function download(page, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  assert.match(dl.suggestedFilename(), /\.csv$/);
  return { name: dl.suggestedFilename(), lines: fs.readFileSync(await dl.path(), 'utf8').replace(/^\ufeff/, '').split('\r\n') };
}

const entryTexts = (page) => page.evaluate(() => [...document.querySelectorAll('#programme-list .programme-entry')]
  .map((li) => `${li.querySelector('.programme-title').textContent} @ ${li.querySelector('.programme-when').textContent}`));

test('a coordinator edits a planned session in place and reads attendance, feedback and coverage reports', { timeout: 240000 }, async (t) => {
  const stack = await startStack(t);
  const base = stack.kopa.httpUrl;
  // The programme, planned over the protocol by another coordinator's client.
  const admin = await stack.enter('rep-admin', { sub: 'u-laura', name: 'Laura Ozola', role: 'coordinator' });
  await request(admin, { type: 'programme', op: 'put', sessions: PLAN }, 'programme');

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ilze = await (await newContext(browser, { mic: false })).newPage();
  // Rasa's computer is in Stockholm, one hour behind Riga.
  const rasa = await (await newContext(browser, { mic: false, timezoneId: 'Europe/Stockholm', colorScheme: 'dark' })).newPage();
  const anna = await (await newContext(browser, { mic: false })).newPage();
  const pages = { ilze, rasa, anna };
  const seen = Object.fromEntries(Object.entries(pages).map(([k, p]) => [k, watch(p, k)]));
  try {
    for (const [who, page] of Object.entries(pages)) await openJoin(page, base, 'rep-jan', stack.token(who));
    // Kadri joins February from another client and gives feedback there... and in January.
    const kadri = await stack.enter('rep-feb', 'kadri');
    await request(kadri, { type: 'pulse', usefulness: 5, will_apply: true, text: 'Great pairs' }, 'pulse');
    const kadriJan = await stack.enter('rep-jan', 'kadri');
    await request(kadriJan, { type: 'pulse', usefulness: 4, will_apply: false }, 'pulse');

    // Everyone sees the plan; only the coordinator may edit it.
    await rasa.getByRole('tab', { name: 'Programme' }).click();
    await pollPage(rasa, () => document.querySelectorAll('#programme-list .programme-entry').length, null, (n) => n === 2, { what: 'the programme' });
    assert.equal(await rasa.getByRole('button', { name: /^Edit / }).count(), 0, 'no edit buttons for a member');
    assert.match((await entryTexts(rasa))[0], /^January: financing @ .*13:00/, 'Stockholm time');

    await ilze.getByRole('tab', { name: 'Programme' }).click();
    const editJan = ilze.getByRole('button', { name: 'Edit January: financing' });
    await editJan.waitFor({ timeout: WAIT_MS });
    // Keyboard: open with Enter, the title has focus; Escape closes and gives focus back.
    await editJan.focus();
    await ilze.keyboard.press('Enter');
    await ilze.waitForSelector('#programme-edit:not([hidden])', { timeout: WAIT_MS });
    assert.equal(await ilze.evaluate(() => document.activeElement.id), 'programme-edit-title');
    assert.equal(await editJan.getAttribute('aria-expanded'), 'true');
    assert.equal(await ilze.inputValue('#programme-edit-start'), '2027-01-13T14:00', 'the start in Riga time');
    assert.equal(await ilze.inputValue('#programme-edit-tz'), 'Europe/Riga');
    assert.equal(await ilze.inputValue('#programme-edit-minutes'), '120');
    await ilze.keyboard.press('Escape');
    await ilze.waitForSelector('#programme-edit', { state: 'detached', timeout: WAIT_MS });
    assert.equal(await ilze.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Edit January: financing');

    // Edit for real: title, start, length, zone, host and one more agenda item.
    await ilze.keyboard.press('Enter');
    await ilze.fill('#programme-edit-title', 'January: financing that worked');
    await ilze.fill('#programme-edit-start', '2027-01-20T15:00');
    await ilze.fill('#programme-edit-tz', 'Europe/Vilnius');
    await ilze.selectOption('#programme-edit-kind', 'workshop');
    await ilze.getByRole('button', { name: 'Add item' }).last().click();
    assert.equal(await ilze.evaluate(() => document.activeElement.id), 'programme-edit-item-2-title', 'the new item has focus');
    await ilze.keyboard.type('Pairs');
    await ilze.selectOption('#programme-edit-item-2-kind', 'breakout');
    await ilze.fill('#programme-edit-item-2-minutes', '45');
    // A rule broken before sending: named, and the field marked.
    await ilze.fill('#programme-edit-minutes', '30');
    await ilze.getByRole('button', { name: 'Save changes' }).click();
    await pollPage(ilze, () => document.getElementById('programme-edit-error').textContent, null,
      (v) => v === 'The agenda takes 60 minutes, longer than the session (30 minutes).', { what: 'the check' });
    assert.ok(!seen.ilze.sent.some((m) => m.type === 'programme' && m.op === 'edit'), 'nothing sent');
    await ilze.fill('#programme-edit-minutes', '150');
    await ilze.getByRole('button', { name: 'Save changes' }).click();
    await pollPage(ilze, () => document.getElementById('programme-status').textContent, null,
      (v) => v === 'Saved: January: financing that worked.', { what: 'saved' });
    await ilze.waitForSelector('#programme-edit', { state: 'detached', timeout: WAIT_MS });
    const sent = seen.ilze.sent.find((m) => m.type === 'programme' && m.op === 'edit');
    assert.deepEqual(sent.entry, {
      kind: 'workshop', title: 'January: financing that worked', start: Date.UTC(2027, 0, 20, 13, 0), tz: 'Europe/Vilnius',
      duration_ms: 150 * 60000, host: 'u-ilze', session: 'rep-jan',
      agenda: [{ title: 'Check-in', kind: 'plenary', timebox_ms: 900000 }, { title: 'Pairs', kind: 'breakout', timebox_ms: 2700000 }],
    });
    // The others see it at once, in their own time.
    await pollPage(rasa, () => document.querySelector('#programme-list .programme-title').textContent, null,
      (v) => v === 'January: financing that worked', { what: 'the edit reaches Rasa' });
    assert.match((await entryTexts(rasa))[0], /@ .*14:00 – 16:30$/, 'Stockholm: 14:00 to 16:30');
    // The header names the session the programme plans, at its start in the member's own time.
    await pollPage(rasa, () => document.querySelector('.app-session').textContent, null,
      (v) => /^January: financing that worked · .*14:00/.test(v), { what: "Rasa's header" });
    await pollPage(ilze, () => document.querySelector('.app-session').textContent, null,
      (v) => /^January: financing that worked · .*15:00/.test(v), { what: "Ilze's header (Riga)" });
    const metas = (page) => page.evaluate(() => [...document.querySelectorAll('#programme-list .programme-meta')].map((e) => e.textContent));
    assert.match((await metas(ilze))[0], /· attended by 4$/, 'the coordinator sees how many attended');
    assert.ok((await metas(rasa)).every((m) => !m.includes('attended')), 'a member does not');
    const stored = await request(admin, { type: 'programme', op: 'get' }, 'programme');
    assert.equal(stored.sessions[0].title, 'January: financing that worked');
    assert.equal(stored.sessions[0].duration_ms, 150 * 60000);
    await shot(ilze, 'reports-01-ilze-programme-edited');
    await shot(rasa, 'reports-02-rasa-programme');

    // The reports tab: coordinators only; it loads by itself.
    assert.equal(await anna.getByRole('tab', { name: 'Reports' }).count(), 0, 'no reports for a member');
    await ilze.getByRole('tab', { name: 'Reports' }).click();
    await pollPage(ilze, () => [...document.querySelectorAll('#report-attendance-table tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
      null, (rows) => rows.length === 2 && rows[0][2] === '4', { what: 'the attendance table' });
    const rows = await ilze.evaluate(() => [...document.querySelectorAll('#report-attendance-table tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent)));
    assert.equal(rows[0][0], 'January: financing that worked');
    assert.deepEqual(rows[0][3].split(', ').sort(), [PEOPLE.anna.name, PEOPLE.ilze.name, PEOPLE.kadri.name, PEOPLE.rasa.name].sort());
    assert.deepEqual(rows[1].slice(2), ['1', PEOPLE.kadri.name]);
    assert.equal(await ilze.textContent('#report-attendance-summary'), '2 planned sessions; 4 people attended at least one.');
    // The chart: an image with a text summary, one bar per session.
    const chart = await ilze.evaluate(() => {
      const svg = document.getElementById('report-attendance-chart');
      return { role: svg.getAttribute('role'), label: svg.getAttribute('aria-label'), ns: svg.namespaceURI,
        bars: [...svg.querySelectorAll('.chart-row')].map((g) => [g.dataset.value, !!g.querySelector('rect')]) };
    });
    assert.equal(chart.role, 'img');
    assert.equal(chart.ns, 'http://www.w3.org/2000/svg');
    assert.match(chart.label, /^People who attended each session: 20 Jan January: financing that worked: 4, 10 Feb February: visibility: 1$/);
    assert.deepEqual(chart.bars, [['4', true], ['1', true]]);
    // Feedback: both pulses of this session, a bar per rating.
    await pollPage(ilze, () => document.getElementById('report-pulse-summary').textContent, null,
      (v) => v === 'Answers: 1. Usefulness 4.0 of 5. Will apply something: 0 %.', { what: 'the feedback report' });
    assert.deepEqual(await ilze.evaluate(() => [...document.querySelectorAll('#report-pulse-chart .chart-row')].map((g) => g.dataset.value)),
      ['0', '0', '0', '1', '0']);
    // Coverage: no round yet, a summary all the same.
    await pollPage(ilze, () => document.getElementById('report-coverage-summary').textContent, null, (v) => /^Rounds: 0\./.test(v), { what: 'coverage' });

    // The attendance CSV: one line per attendee, with names.
    const csv = await download(ilze, 'Download CSV: Attendance');
    assert.equal(csv.name, 'kopa-attendance.csv');
    assert.equal(csv.lines[0], 'entry,session,title,start,attendees,user,name');
    const jan = csv.lines.filter((l) => l.startsWith('1,rep-jan,January: financing that worked,2027-01-20T13:00:00.000Z,4,'));
    assert.deepEqual(jan.map((l) => l.split(',').slice(5).join(',')).sort(),
      ['anna', 'ilze', 'kadri', 'rasa'].map((w) => `${PEOPLE[w].sub},${PEOPLE[w].name}`).sort());
    assert.ok(csv.lines.includes(`2,rep-feb,February: visibility,2027-02-10T12:00:00.000Z,1,${PEOPLE.kadri.sub},${PEOPLE.kadri.name}`), csv.lines.join('\n'));
    const pulses = await download(ilze, 'Download CSV: Feedback');
    assert.equal(pulses.lines[0], 'scope,user,name,usefulness,will_apply,comment,submitted_at');
    assert.ok(pulses.lines[1].startsWith(`session,${PEOPLE.kadri.sub},`), pulses.lines[1]);

    // A newcomer joins: Refresh shows her.
    const jonas = await stack.enter('rep-jan', 'jonas');
    await ilze.getByRole('button', { name: 'Refresh reports' }).click();
    await pollPage(ilze, () => document.querySelector('#report-attendance-table tbody tr td:nth-child(3)').textContent, null, (v) => v === '5',
      { what: 'the newcomer counted' });
    jonas.terminate();
    await ilze.locator('#report-attendance-chart').scrollIntoViewIfNeeded();
    await shot(ilze, 'reports-03-ilze-reports');

    // Accessible, in light and dark, at desk and phone width.
    assert.deepEqual(await unlabelled(ilze), []);
    assert.deepEqual(await axeFindings(ilze), [], 'axe: reports, light, desk');
    await ilze.emulateMedia({ colorScheme: 'dark' });
    await ilze.setViewportSize({ width: 360, height: 740 });
    assert.deepEqual(await axeFindings(ilze), [], 'axe: reports, dark, phone');
    const overflow = await ilze.evaluate(() => {
      const r = document.getElementById('report-attendance-chart').getBoundingClientRect();
      return r.right <= document.documentElement.clientWidth + 1 && r.width > 200;
    });
    assert.ok(overflow, 'the chart fits a 360 px screen');
    await ilze.locator('#report-attendance-chart').scrollIntoViewIfNeeded();
    await shot(ilze, 'reports-04-ilze-reports-phone-dark');
    await ilze.getByRole('tab', { name: 'Programme' }).click();
    await ilze.getByRole('button', { name: 'Edit January: financing that worked' }).click();
    assert.deepEqual(await axeFindings(ilze), [], 'axe: the entry editor, dark, phone');
    await shot(ilze, 'reports-05-ilze-edit-phone-dark');

    for (const s of Object.values(seen)) assert.deepEqual(s.problems, []);
  } catch (e) {
    for (const [who, page] of Object.entries(pages)) await shot(page, `reports-fail-${who}`).catch(() => {});
    throw e;
  }
});
