// Browser test of what the web client says about its connection, in Debian's
// Chromium against the real server and Redis: "connecting" on the first
// load; "reconnecting" and what is being recovered when the server is
// killed; "recovered" when it is back, with a message another member sent
// meanwhile shown exactly once; an expired sign-in and a sign-out (the
// server refuses the token) that end reconnecting for good with clear help;
// leaving on purpose and joining again; and a microphone the browser does
// not allow, with translated help while the rest of the page keeps working. Each state is checked as visible text and
// as an announcement of a live region (recorded in the page by lib.mjs).
// Screenshots go to ./artifacts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomSecret, startKopa, startStack, mintToken, person } from '../integration/lib/harness.mjs';
import { DICTIONARIES } from '../../web-client/i18n/index.js';
import {
  WAIT_MS, failureReport, launchBrowser, liveSaid, newContext, online, pollPage, recordLive, shot, sleep, waitSaid, watch,
} from './lib.mjs';

const SESSION = 'conn-s1';
const EN = DICTIONARIES.en;
const fill = (s, values) => s.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/* A RegExp for the English string of key (placeholders filled). */
const said = (key, values = {}, dict = EN) => new RegExp(escape(fill(dict[key], values)));

function headerLabel(page) {
  return page.evaluate(() => ({
    text: document.querySelector('.conn-label').textContent,
    dot: document.querySelector('.conn-dot').dataset.status,
  }));
}

async function waitLabel(page, text, { timeoutMs = WAIT_MS } = {}) {
  return pollPage(page, () => document.querySelector('.conn-label').textContent, null, (v) => v === text,
    { timeoutMs, what: `the header to say "${text}"` });
}

function banner(page) {
  return page.evaluate(() => {
    const box = document.querySelector('.banner-conn');
    return {
      shown: !box.hidden && box.getClientRects().length > 0,
      status: box.dataset.status,
      text: box.querySelector('.banner-text').textContent,
      hint: box.querySelector('.banner-hint').hidden ? '' : box.querySelector('.banner-hint').textContent,
    };
  });
}

/* How often a text is in the visible chat log. */
function countMessages(page, text) {
  return page.evaluate((t) => [...document.querySelectorAll('.chat-log .msg-text')].filter((p) => p.textContent === t).length, text);
}

async function waitMessage(page, text, status = null) {
  await page.waitForFunction(([t, st]) => [...document.querySelectorAll('.chat-log .msg')]
    .some((li) => li.querySelector('.msg-text').textContent === t && (!st || li.dataset.status === st)),
  [text, status], { timeout: WAIT_MS });
  return countMessages(page, text);
}

async function send(page, text) {
  await page.fill('#composer-text', text);
  await page.press('#composer-text', 'Enter');
}

/* Counts the WebSockets a page opens. */
function countSockets(page) {
  const n = { opened: 0 };
  page.on('websocket', () => { n.opened += 1; });
  return n;
}

/* Redis, kopa and a browser context (newContext options) that records what its live regions say; all stopped after t. */
async function setUp(t, contextOpts = {}) {
  const stack = await startStack(t);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ctx = await newContext(browser, contextOpts);
  await recordLive(ctx);
  return { stack, ctx };
}

test('connecting, reconnecting with what is being recovered, and recovered with nothing lost or doubled', { timeout: 150000 }, async (t) => {
  const { stack, ctx } = await setUp(t);
  const base = stack.kopa.httpUrl;
  const pages = {};
  try {
    // First load on a slow network: the WebSocket is held until released, so "connecting" stays.
    const slow = await ctx.newPage();
    pages.slow = slow;
    let release;
    const gate = new Promise((r) => { release = r; });
    await slow.routeWebSocket(/\/ws\//, async (ws) => {
      await gate;
      ws.connectToServer();
    });
    await slow.goto(`${base}/#session=${SESSION}&token=${stack.token('rasa')}`);
    await waitLabel(slow, EN['conn.connecting']);
    assert.equal((await headerLabel(slow)).dot, 'connecting');
    await waitSaid(slow, said('conn.connecting'));
    assert.equal((await banner(slow)).shown, false, 'connecting is not trouble: no banner');
    await shot(slow, 'conn-01-connecting');
    release();
    await online(slow);
    await waitLabel(slow, EN['conn.online']);
    await waitSaid(slow, new RegExp(`^${escape(EN['conn.online'])}$`));
    const firstSaid = (await liveSaid(slow)).filter((e) => e.kind === 'status').map((e) => e.text);
    assert.ok(!firstSaid.some((s) => said('conn.recovered').test(s)), `a first connection is not a recovery: ${firstSaid}`);
    await slow.close();

    // Jonas (a plain client) and Anna (the page) are in the room.
    const jonas = await stack.enter(SESSION, 'jonas');
    const anna = await ctx.newPage();
    pages.anna = anna;
    const seen = watch(anna, 'anna');
    const sockets = countSockets(anna);
    await anna.goto(`${base}/#session=${SESSION}&token=${stack.token('anna')}`);
    await online(anna);
    jonas.chat('Before the outage');
    assert.equal(await waitMessage(anna, 'Before the outage'), 1);

    // The server dies (SIGKILL): the header and the banner say so, and what is being recovered.
    await stack.kopa.kill9();
    await anna.waitForSelector('.banner-conn[data-status="reconnecting"]', { state: 'visible', timeout: WAIT_MS });
    await waitLabel(anna, EN['conn.recovering']);
    assert.equal((await headerLabel(anna)).dot, 'reconnecting');
    const lost = await banner(anna);
    assert.match(lost.text, /^Connection lost\. Reconnecting/);
    assert.equal(lost.hint, EN['conn.reconnectingHint'], 'what happens to messages written now');
    await waitSaid(anna, said('conn.recovering'));
    await send(anna, 'Written during the outage');
    assert.equal(await waitMessage(anna, 'Written during the outage', 'sending'), 1);
    const unsent = fill(EN['conn.recoveringUnsent'], { count: 1 });
    await waitLabel(anna, unsent);
    await waitSaid(anna, said('conn.recoveringUnsent', { count: 1 }));
    await shot(anna, 'conn-02-reconnecting');

    // While the page retries, its label must not fall back to a bare "connecting".
    const labels = new Set();
    for (let i = 0; i < 12; i++) {
      const l = await headerLabel(anna);
      labels.add(`${l.dot}: ${l.text}`);
      await sleep(250);
    }
    assert.deepEqual([...labels], [`reconnecting: ${unsent}`], 'the header keeps saying what is being recovered');

    // Wait until Anna's next attempt is a few seconds away, bring the server back, and let
    // Jonas (reconnecting at once) send a message while Anna is still away.
    await pollPage(anna, () => {
      const c = window.kopaDebug.state().conn;
      return c.retryAt - Date.now();
    }, null, (ms) => ms > 3500, { timeoutMs: 40000, what: 'a backoff wait over 3.5 s' });
    const socketsBefore = sockets.opened;
    await stack.kopa.restart();
    await jonas.reconnect();
    const missedId = jonas.chat('Sent while Anna was away');
    await jonas.acked(missedId);
    const st = await anna.evaluate(() => window.kopaDebug.state().conn.status);
    assert.equal(st, 'reconnecting', 'Anna was still away when Jonas wrote');
    assert.equal(sockets.opened, socketsBefore, 'Anna had not tried again yet');

    // Anna comes back by herself: "recovered", the missed message once, her own one sent once.
    await online(anna);
    await waitLabel(anna, EN['conn.recovered']);
    await waitSaid(anna, said('conn.recovered'));
    assert.equal((await banner(anna)).shown, false);
    assert.equal(await waitMessage(anna, 'Sent while Anna was away'), 1);
    assert.equal(await waitMessage(anna, 'Written during the outage', 'sent'), 1);
    assert.equal(await countMessages(anna, 'Before the outage'), 1);
    await shot(anna, 'conn-03-recovered');
    const resumed = seen.got.filter((m) => m.type === 'joined').at(-1);
    assert.equal(resumed.channels['room:main'].recovered, true, 'the join resumed from where the page was');
    assert.ok(resumed.channels['room:main'].events.some((e) => e.text === 'Sent while Anna was away'),
      'the missed message came with the resumed join');
    const got = await jonas.next((m) => m.type === 'chat' && m.text === 'Written during the outage');
    assert.ok(got);
    await sleep(1500);
    assert.equal(jonas.received.filter((m) => m.type === 'chat' && m.text === 'Written during the outage').length, 1);
    assert.equal(await countMessages(anna, 'Sent while Anna was away'), 1, 'still exactly once');
    // "Recovered" shows for a moment, then the plain "connected" again.
    await waitLabel(anna, EN['conn.online'], { timeoutMs: 10000 });
    assert.deepEqual(seen.problems, []);
  } catch (err) {
    await failureReport({}, pages, 'conn');
    throw err;
  }
});

test('an expired sign-in and a sign-out end reconnecting with a clear message', { timeout: 150000 }, async (t) => {
  const { stack, ctx } = await setUp(t);
  const base = stack.kopa.httpUrl;
  const pages = {};
  let second = null;
  t.after(async () => { if (second) await second.stop(); });
  try {
    // A link that has already expired: said at once, and no second try.
    const late = await ctx.newPage();
    pages.late = late;
    const lateSockets = countSockets(late);
    const old = mintToken(stack.secret, { ...person('kadri'), exp: Math.floor(Date.now() / 1000) - 3600 });
    await late.goto(`${base}/#session=${SESSION}&token=${old}`);
    await waitLabel(late, EN['conn.expired']);
    assert.equal((await headerLabel(late)).dot, 'failed');
    const lateBanner = await banner(late);
    assert.equal(lateBanner.shown, true);
    assert.equal(lateBanner.status, 'failed');
    assert.match(lateBanner.text, said('conn.expiredBanner'));
    assert.match(lateBanner.hint, said('conn.failedHint'));
    await waitSaid(late, said('conn.expiredBanner'));
    assert.equal(await late.isVisible('.banner-conn button'), false, 'no "reconnect now" for an expired sign-in');
    await shot(late, 'conn-04-expired-link');

    // Rasa's sign-in lasts 10 s more (the server allows 30 s of clock skew past exp); Anna's a day.
    const exp = Math.floor(Date.now() / 1000) - 20;
    const rasa = await ctx.newPage();
    pages.rasa = rasa;
    const rasaSockets = countSockets(rasa);
    await rasa.goto(`${base}/#session=${SESSION}&token=${mintToken(stack.secret, { ...person('rasa'), exp })}`);
    await online(rasa);
    const anna = await ctx.newPage();
    pages.anna = anna;
    const annaSockets = countSockets(anna);
    await anna.goto(`${base}/#session=${SESSION}&token=${stack.token('anna')}`);
    await online(anna);
    while (Date.now() / 1000 < exp + 31) await sleep(250);

    // The server restarts: Rasa's sign-in has expired meanwhile; Anna recovers.
    await stack.kopa.kill9();
    await rasa.waitForSelector('.banner-conn[data-status="reconnecting"]', { state: 'visible', timeout: WAIT_MS });
    await stack.kopa.restart();
    await online(anna);
    await waitLabel(rasa, EN['conn.expired']);
    const rasaBanner = await banner(rasa);
    assert.equal(rasaBanner.status, 'failed');
    assert.match(rasaBanner.text, said('conn.expiredBanner'));
    assert.match(rasaBanner.hint, said('conn.failedHint'));
    await waitSaid(rasa, said('conn.expiredBanner'));
    // Nothing pretends to wait for the connection: the composer says so and cannot send, audio cannot be joined.
    assert.equal(await rasa.textContent('.composer-hint'), EN['chat.stopped']);
    assert.equal(await rasa.isDisabled('.composer-send'), true, 'send is off once the page has given up');
    assert.equal(await rasa.getByRole('button', { name: EN['audio.join'] }).isDisabled(), true, 'no audio without a connection');
    await shot(rasa, 'conn-05-expired-while-away');

    // Signed out: the server comes back with another secret, so Anna's token is no longer valid.
    await stack.kopa.kill9();
    await anna.waitForSelector('.banner-conn[data-status="reconnecting"]', { state: 'visible', timeout: WAIT_MS });
    second = await startKopa({ redisPort: stack.redis.port, port: stack.kopa.port, secret: randomSecret() });
    await waitLabel(anna, EN['conn.signedOut']);
    assert.equal((await headerLabel(anna)).dot, 'failed');
    const annaBanner = await banner(anna);
    assert.equal(annaBanner.status, 'failed');
    assert.match(annaBanner.text, said('conn.signedOutBanner'));
    assert.match(annaBanner.text, said('error.bad_token'));
    assert.match(annaBanner.hint, said('conn.failedHint'));
    await waitSaid(anna, said('conn.signedOutBanner'));
    await shot(anna, 'conn-06-signed-out');

    // None of them keeps trying.
    const counts = [lateSockets.opened, rasaSockets.opened, annaSockets.opened];
    await sleep(12000);
    assert.deepEqual([lateSockets.opened, rasaSockets.opened, annaSockets.opened], counts, 'no reconnect loop');
    assert.equal(lateSockets.opened, 1);
    for (const page of [late, rasa, anna]) {
      assert.equal(await page.evaluate(() => window.kopaDebug.state().conn.status), 'failed');
    }
  } catch (err) {
    await failureReport({}, pages, 'conn');
    throw err;
  }
});

test('leaving on purpose and joining again: nothing is sent meanwhile, nothing is missed', { timeout: 120000 }, async (t) => {
  const { stack, ctx } = await setUp(t);
  const pages = {};
  try {
    const jonas = await stack.enter(SESSION, 'jonas');
    const anna = await ctx.newPage();
    pages.anna = anna;
    const seen = watch(anna, 'anna');
    const sockets = countSockets(anna);
    await anna.goto(`${stack.kopa.httpUrl}/#session=${SESSION}&token=${stack.token('anna')}`);
    await online(anna);
    jonas.chat('Before Anna left');
    assert.equal(await waitMessage(anna, 'Before Anna left'), 1);

    await anna.getByRole('button', { name: EN['conn.leave'] }).click();
    await waitLabel(anna, EN['conn.left']);
    const left = await banner(anna);
    assert.equal(left.status, 'left');
    assert.equal(left.text, EN['conn.leftBanner']);
    assert.equal(left.hint, EN['conn.leftHint']);
    await waitSaid(anna, said('conn.leftBanner'));
    assert.equal(await anna.isVisible('.leave-session'), false, 'no "leave" once left');
    // Written while away: kept in the tab, counted in the banner, not sent.
    await send(anna, 'Written after leaving');
    await anna.waitForFunction((t) => document.querySelector('.banner-conn .banner-hint').textContent === t,
      fill(EN['conn.leftUnsent'], { count: 1 }), { timeout: WAIT_MS });
    const missedId = jonas.chat('Sent while Anna had left');
    await jonas.acked(missedId);
    const opened = sockets.opened;
    await sleep(3000);
    assert.equal(sockets.opened, opened, 'a member who left does not reconnect');
    assert.equal(jonas.received.filter((m) => m.type === 'chat' && m.text === 'Written after leaving').length, 0);
    await shot(anna, 'conn-09-left');

    await anna.getByRole('button', { name: EN['conn.rejoin'] }).click();
    await online(anna);
    await waitLabel(anna, EN['conn.online']);
    assert.equal((await banner(anna)).shown, false);
    assert.equal(await waitMessage(anna, 'Sent while Anna had left'), 1);
    assert.equal(await waitMessage(anna, 'Written after leaving', 'sent'), 1);
    assert.equal(await countMessages(anna, 'Before Anna left'), 1);
    await jonas.next((m) => m.type === 'chat' && m.text === 'Written after leaving');
    await sleep(1000);
    assert.equal(jonas.received.filter((m) => m.type === 'chat' && m.text === 'Written after leaving').length, 1);
    assert.deepEqual(seen.problems, []);
  } catch (err) {
    await failureReport({}, pages, 'conn-leave');
    throw err;
  }
});

test('a blocked microphone: translated help, and the rest of the page keeps working', { timeout: 120000 }, async (t) => {
  const { stack, ctx } = await setUp(t, { mic: false });
  const pages = {};
  try {
    const page = await ctx.newPage();
    pages.jonas = page;
    const seen = watch(page, 'jonas');
    await page.goto(`${stack.kopa.httpUrl}/#session=${SESSION}&token=${stack.token('jonas')}`);
    await online(page);
    const permission = await page.evaluate(async () => (await navigator.permissions.query({ name: 'microphone' })).state);
    assert.equal(permission, 'denied', 'this context denies the microphone');

    // Known before any click: a quiet one-line note, and no promise that the browser will ask.
    await page.waitForSelector('#audio-blocked-note', { state: 'visible', timeout: WAIT_MS });
    assert.equal(await page.textContent('#audio-blocked-note'), EN['audio.mic.denied.title']);
    assert.equal(await page.isVisible('.audio-intro'), false, 'no "your browser will ask"');
    assert.equal(await page.isVisible('.audio-help[role="alert"]'), false, 'no alert before a click');
    assert.ok(!(await liveSaid(page)).some((e) => e.text.includes(EN['audio.mic.denied.title'])), 'nothing announced on load');

    // Asking for the microphone: the browser refuses, and the page says what to do (an alert).
    await page.getByRole('button', { name: 'Join audio' }).click();
    const help = page.getByRole('alert').filter({ hasText: EN['audio.mic.denied.title'] });
    await help.waitFor({ timeout: WAIT_MS });
    assert.equal(await page.textContent('.audio-help-body'), EN['audio.mic.denied.body']);
    assert.equal(await page.isVisible('#audio-blocked-note'), false, 'the full help replaces the note');
    const alerted = await waitSaid(page, said('audio.mic.denied.body'));
    assert.equal(alerted.kind, 'alert');
    assert.equal(await page.evaluate(() => document.getElementById('audio').dataset.phase), 'off');
    assert.equal(seen.sent.filter((m) => m.type === 'audio').length, 0, 'nothing asked of the server');
    await shot(page, 'conn-07-mic-blocked');

    // The rest of the page works: chat, and listening without a microphone.
    const rasa = await stack.enter(SESSION, 'rasa');
    await send(page, 'I can still write');
    assert.equal(await waitMessage(page, 'I can still write', 'sent'), 1);
    await rasa.next((m) => m.type === 'chat' && m.text === 'I can still write');
    rasa.chat('And you can read');
    assert.equal(await waitMessage(page, 'And you can read'), 1);

    // Translated, in each language.
    for (const lang of ['sv', 'et', 'lv', 'lt']) {
      await page.selectOption('#lang-select', lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      const d = DICTIONARIES[lang];
      assert.equal(await page.textContent('.audio-help-title'), d['audio.mic.denied.title'], lang);
      assert.equal(await page.textContent('.audio-help-body'), d['audio.mic.denied.body'], lang);
      assert.notEqual(d['audio.mic.denied.body'], EN['audio.mic.denied.body'], `${lang} is translated`);
    }
    await shot(page, 'conn-08-mic-blocked-lithuanian');
    await page.selectOption('#lang-select', 'en');

    await page.getByRole('button', { name: 'Listen only' }).click();
    await page.waitForSelector('#audio-status[data-key="audio.listening"]', { timeout: WAIT_MS });
    assert.ok(seen.sent.some((m) => m.type === 'audio' && m.op === 'enable'), 'listening joins audio');
    assert.equal(await page.isVisible('.audio-help'), false, 'the help goes once audio is on');
    await page.getByRole('button', { name: 'Leave audio' }).click();
    await page.getByRole('button', { name: 'Join audio' }).waitFor({ timeout: WAIT_MS });

    // Allowed afterwards (as after the lock icon): joining audio with the microphone works.
    await ctx.grantPermissions(['microphone']);
    await page.getByRole('button', { name: 'Join audio' }).click();
    await page.waitForSelector('#audio-mute:not([disabled])', { timeout: WAIT_MS });
    assert.equal(await page.isVisible('.audio-help'), false);
    assert.deepEqual(seen.problems, []);
  } catch (err) {
    await failureReport({}, pages, 'conn-mic');
    throw err;
  }
});
