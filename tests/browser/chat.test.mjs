// Browser test of the web client against the real server: Debian's Chromium
// (through playwright-core) opens two join links for one session, the two
// people chat in the room and privately, a message that looks like HTML stays
// text, a reload keeps the session, and a server restart shows "reconnecting"
// and recovers by itself without losing or doubling a message.
// Screenshots go to ./artifacts (ctest runs this in the build folder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startStack, tempDir, PEOPLE } from '../integration/lib/harness.mjs';

const CHROMIUM = process.env.KOPA_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = process.env.KOPA_ARTIFACTS || path.join(process.cwd(), 'artifacts');
const WAIT_MS = 20000;
const SESSION = 'browser-s1';
const XSS = '<img src=x onerror="window.__xss=1">';

async function launch() {
  const profile = tempDir('kopa-chromium-');
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    locale: 'en-GB',
    timezoneId: 'Europe/Riga',
    viewport: { width: 1100, height: 760 },
  });
}

/* Records what a page asked the network for and what it complained about. */
function watch(page, label) {
  const seen = { urls: [], sockets: [], sent: [], problems: [] };
  page.on('request', (r) => seen.urls.push(r.url()));
  page.on('websocket', (ws) => {
    seen.sockets.push(ws.url());
    ws.on('framesent', (f) => {
      try { seen.sent.push(JSON.parse(f.payload)); } catch { /* binary */ }
    });
  });
  page.on('pageerror', (e) => seen.problems.push(`${label} page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) {
      seen.problems.push(`${label} CSP: ${m.text()}`);
    }
  });
  return seen;
}

async function shot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

async function online(page) {
  await page.waitForSelector('.conn-dot[data-status="online"]', { timeout: WAIT_MS });
}

/* Waits until a message with exactly this text is in the visible log; returns how many there are. */
async function waitMessage(page, text, status = null) {
  await page.waitForFunction(([t, st]) => [...document.querySelectorAll('.chat-log .msg')]
    .some((li) => li.querySelector('.msg-text').textContent === t && (!st || li.dataset.status === st)),
  [text, status], { timeout: WAIT_MS });
  return countMessages(page, text);
}

function countMessages(page, text) {
  return page.evaluate((t) => [...document.querySelectorAll('.chat-log .msg-text')]
    .filter((p) => p.textContent === t).length, text);
}

async function send(page, text) {
  await page.fill('#composer-text', text);
  await page.press('#composer-text', 'Enter');
}

function memberNames(page) {
  return page.evaluate(() => [...document.querySelectorAll('.member-name')].map((e) => e.textContent));
}

test('two people chat in the room and privately through the web client', { timeout: 150000 }, async (t) => {
  const stack = await startStack(t);
  const ctx = await launch();
  t.after(() => ctx.close());
  const base = stack.kopa.httpUrl;
  const tokens = { anna: stack.token('anna'), jonas: stack.token('jonas') };
  const a = await ctx.newPage();
  const b = await ctx.newPage();
  const seenA = watch(a, 'anna');
  const seenB = watch(b, 'jonas');
  const pages = { anna: a, jonas: b };

  try {
    // The page itself is served with a strict Content-Security-Policy.
    const res = await a.goto(`${base}/#session=${SESSION}&token=${tokens.anna}`);
    assert.equal(res.status(), 200);
    const csp = res.headers()['content-security-policy'] || '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    await b.goto(`${base}/#session=${SESSION}&token=${tokens.jonas}`);
    await online(a);
    await online(b);

    // Joining by link: the token left the address bar for sessionStorage and never went to the server in a URL.
    for (const [who, page] of Object.entries(pages)) {
      assert.equal(new URL(page.url()).hash, '', `${who}: the fragment is removed`);
      const stored = await page.evaluate(() => sessionStorage.getItem('kopa.join'));
      assert.equal(JSON.parse(stored).token, tokens[who]);
    }
    for (const seen of [seenA, seenB]) {
      assert.ok(seen.sockets.some((u) => u.endsWith(`/ws/${SESSION}`)), seen.sockets.join(' '));
      for (const u of seen.urls.concat(seen.sockets)) {
        assert.ok(!u.includes(tokens.anna) && !u.includes(tokens.jonas), `token in a URL: ${u}`);
      }
    }

    for (const seen of [seenA, seenB]) {
      assert.equal(seen.sent[0].type, 'auth', 'the first message is auth');
      assert.equal(seen.sent[0].v, 1);
    }

    // Both see each other in the member list.
    await a.waitForFunction((n) => [...document.querySelectorAll('.member-name')].some((e) => e.textContent === n),
      PEOPLE.jonas.name, { timeout: WAIT_MS });
    await b.waitForFunction((n) => [...document.querySelectorAll('.member-name')].some((e) => e.textContent === n),
      PEOPLE.anna.name, { timeout: WAIT_MS });
    assert.deepEqual((await memberNames(a)).sort(), [PEOPLE.anna.name, PEOPLE.jonas.name].sort());
    await shot(a, '01-anna-joined');

    // Room chat both ways; the sender's copy goes from "sending" to sent.
    await send(a, 'Labdien, Jonas!');
    assert.equal(await waitMessage(b, 'Labdien, Jonas!'), 1);
    assert.equal(await waitMessage(a, 'Labdien, Jonas!', 'sent'), 1);
    await send(b, 'Laba diena, Anna! 🌲');
    assert.equal(await waitMessage(a, 'Laba diena, Anna! 🌲'), 1);
    assert.equal(await waitMessage(b, 'Laba diena, Anna! 🌲', 'sent'), 1);

    // Text that looks like HTML is shown as text and runs nothing.
    await send(b, XSS);
    assert.equal(await waitMessage(a, XSS), 1);
    assert.equal(await waitMessage(b, XSS, 'sent'), 1);
    for (const page of [a, b]) {
      assert.equal(await page.evaluate(() => window.__xss), undefined);
      assert.equal(await page.evaluate(() => document.querySelectorAll('.chat-log img').length), 0);
    }
    await shot(a, '02-anna-room-chat');

    // Private chat: Anna picks Jonas from the member list, with the keyboard.
    await a.getByRole('button', { name: `Send a private message to ${PEOPLE.jonas.name}` }).press('Enter');
    assert.equal(await a.evaluate(() => document.activeElement.id), 'composer-text', 'the composer has the focus');
    await a.keyboard.type('Only for you, Jonas.');
    await a.keyboard.press('Enter');
    assert.equal(await waitMessage(a, 'Only for you, Jonas.', 'sent'), 1);
    assert.equal(await countMessages(a, 'Labdien, Jonas!'), 0, 'the private view shows no room messages');
    // Jonas gets a new conversation with an unread mark, opens it and answers.
    const tab = b.getByRole('button', { name: new RegExp(`Private chat with ${PEOPLE.anna.name}.*Unread messages: 1`) });
    await tab.waitFor({ timeout: WAIT_MS });
    assert.equal(await countMessages(b, 'Only for you, Jonas.'), 0, 'not in the room view');
    await tab.click();
    assert.equal(await waitMessage(b, 'Only for you, Jonas.'), 1);
    await send(b, 'Got it, Anna.');
    assert.equal(await waitMessage(a, 'Got it, Anna.'), 1);
    assert.equal(await waitMessage(b, 'Got it, Anna.', 'sent'), 1);
    await shot(b, '03-jonas-private-chat');
    await b.getByRole('button', { name: /^Room chat/ }).click();
    assert.equal(await waitMessage(b, 'Labdien, Jonas!'), 1);
    assert.equal(await countMessages(b, 'Got it, Anna.'), 0);

    // A reload keeps the session (token in sessionStorage) and shows history once.
    await a.reload();
    await online(a);
    assert.equal(await waitMessage(a, 'Labdien, Jonas!'), 1);
    assert.equal(await waitMessage(a, XSS), 1);
    assert.equal(await a.evaluate(() => window.__xss), undefined);

    // Redis stalls: the message reaches Jonas at once but is not acknowledged, so it stays
    // "sending"; it is kept in sessionStorage, a reload sends it again with the same id,
    // and when Redis is back it is acknowledged once and shown once.
    stack.redis.pause();
    await send(a, 'Stored a bit later');
    assert.equal(await waitMessage(b, 'Stored a bit later'), 1);
    assert.equal(await waitMessage(a, 'Stored a bit later', 'sending'), 1);
    const keptBefore = await a.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('kopa.pending')));
    assert.equal(keptBefore.length, 1, 'the unacknowledged message is kept for a reload');
    await a.reload();
    await online(a);
    assert.equal(await waitMessage(a, 'Stored a bit later', 'sending'), 1);
    stack.redis.resume();
    assert.equal(await waitMessage(a, 'Stored a bit later', 'sent'), 1);
    assert.equal(await countMessages(b, 'Stored a bit later'), 1);
    const sends = seenA.sent.filter((m) => m.type === 'chat' && m.text === 'Stored a bit later');
    assert.equal(sends.length, 2, 'sent before the reload and again after it');
    assert.equal(sends[0].id, sends[1].id, 'with the same id');

    // The server goes away: both show "reconnecting"; a message written now waits as "sending".
    await stack.kopa.stop();
    await a.waitForSelector('.banner-conn[data-status="reconnecting"]', { state: 'visible', timeout: WAIT_MS });
    await b.waitForSelector('.banner-conn[data-status="reconnecting"]', { state: 'visible', timeout: WAIT_MS });
    await send(a, 'Written while offline');
    assert.equal(await waitMessage(a, 'Written while offline', 'sending'), 1);
    await shot(a, '04-anna-reconnecting');

    // It comes back on the same port: both recover by themselves, the message arrives exactly once.
    await stack.kopa.restart();
    await online(a);
    await online(b);
    assert.equal(await waitMessage(b, 'Written while offline'), 1);
    assert.equal(await waitMessage(a, 'Written while offline', 'sent'), 1);
    assert.equal(await a.isVisible('.banner-conn'), false);
    for (const text of ['Labdien, Jonas!', 'Laba diena, Anna! 🌲', XSS]) {
      assert.equal(await countMessages(b, text), 1, `${text} once after recovery`);
    }
    const leftover = await a.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('kopa.pending')));
    assert.deepEqual(leftover, [], 'nothing is left unacknowledged');
    await shot(b, '05-jonas-after-recovery');

    // Narrow screens (360 px) and the dark theme: nothing overflows sideways.
    await a.setViewportSize({ width: 360, height: 740 });
    await a.emulateMedia({ colorScheme: 'dark' });
    assert.ok(await a.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scrolling at 360 px');
    await shot(a, '06-anna-narrow-dark');

    // Jonas closes his tab: he leaves Anna's member list.
    await b.close();
    await a.waitForFunction((n) => ![...document.querySelectorAll('.member-name')].some((e) => e.textContent === n),
      PEOPLE.jonas.name, { timeout: WAIT_MS });

    assert.deepEqual(seenA.problems.concat(seenB.problems), []);
  } catch (err) {
    for (const [who, page] of Object.entries(pages)) {
      await shot(page, `failure-${who}`).catch(() => {});
    }
    throw err;
  }
});

test('history on arrival and "show older" bring every message once, in order', { timeout: 90000 }, async (t) => {
  const stack = await startStack(t);
  const ilze = await stack.enter(SESSION, 'ilze');
  const texts = [];
  for (let i = 1; i <= 64; i++) {
    texts.push(`Agenda note ${i}`);
    ilze.chat(`Agenda note ${i}`);
    await new Promise((r) => setTimeout(r, 60)); // under the default rate limit
  }
  await ilze.allAcked(10000);
  const ctx = await launch();
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  const seen = watch(page, 'rasa');
  const shown = () => page.evaluate(() => [...document.querySelectorAll('.chat-log .msg-text')].map((e) => e.textContent));
  try {
    await page.goto(`${stack.kopa.httpUrl}/#session=${SESSION}&token=${stack.token('rasa')}`);
    await online(page);
    await waitMessage(page, 'Agenda note 64');
    const first = await shown();
    assert.ok(first.length < texts.length, `the first page is not everything (${first.length})`);
    assert.deepEqual(first, texts.slice(texts.length - first.length), 'the latest page, in order');
    const older = page.getByRole('button', { name: 'Show older messages' });
    for (let i = 0; i < 5 && await older.isVisible(); i++) {
      const before = (await shown()).length;
      await older.click();
      await page.waitForFunction((n) => document.querySelectorAll('.chat-log .msg').length > n, before, { timeout: WAIT_MS });
    }
    assert.deepEqual(await shown(), texts, 'everything once, oldest first');
    await page.waitForSelector('.chat-start', { state: 'visible', timeout: WAIT_MS });
    assert.equal(await older.isVisible(), false);
    await shot(page, '07-rasa-all-history');
    // A live message after that is appended, once.
    ilze.chat('Live after history');
    assert.equal(await waitMessage(page, 'Live after history'), 1);

    // The language switch translates the page and is remembered across a reload.
    await page.selectOption('#lang-select', 'lt');
    await page.waitForFunction(() => document.documentElement.lang === 'lt', null, { timeout: WAIT_MS });
    assert.equal(await page.textContent('.members-heading'), 'Dalyviai (2)');
    await page.reload();
    await online(page);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'lt');
    assert.equal(await page.textContent('label[for="composer-text"]'), 'Žinutė visam kambariui');
    await shot(page, '08-rasa-lithuanian');
    assert.deepEqual(seen.problems, []);
  } catch (err) {
    await shot(page, 'failure-history').catch(() => {});
    throw err;
  }
});
