// What the browser tests for audio, agenda and breakouts share: Debian's
// Chromium with a fake microphone that plays a WAV file written here, pages
// with the web client's debug hook on, a record of every WebSocket frame a
// page sends and receives, screenshots, and waiting for conditions.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { tempDir } from '../integration/lib/harness.mjs';

export const CHROMIUM = process.env.KOPA_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = process.env.KOPA_ARTIFACTS || path.join(process.cwd(), 'artifacts');
export const WAIT_MS = 20000;

/**
 * A 16-bit PCM WAV (44.1 kHz stereo by default: what Debian's fake
 * microphone is usually fed) holding a sine of `freq` Hz, switched on for
 * onMs and off for offMs in turn (like syllables, so the browser's noise
 * suppression does not treat it as steady noise). Returns a Buffer.
 */
export function toneWav(freq, { seconds = 10, rate = 44100, channels = 2, amplitude = 0.4, onMs = 350, offMs = 150 } = {}) {
  const frames = Math.round(seconds * rate);
  const bytes = frames * channels * 2;
  const b = Buffer.alloc(44 + bytes);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + bytes, 4);
  b.write('WAVE', 8, 'ascii');
  b.write('fmt ', 12, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * channels * 2, 28);
  b.writeUInt16LE(channels * 2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(bytes, 40);
  const period = ((onMs + offMs) / 1000) * rate;
  const ramp = 0.01 * rate; // 10 ms fades, no clicks
  for (let i = 0; i < frames; i++) {
    const inPeriod = i % period;
    const onLen = (onMs / 1000) * rate;
    let gain = inPeriod < onLen ? 1 : 0;
    if (gain) gain = Math.min(1, inPeriod / ramp, (onLen - inPeriod) / ramp);
    const v = Math.round(Math.sin((2 * Math.PI * freq * i) / rate) * amplitude * gain * 32767);
    for (let c = 0; c < channels; c++) b.writeInt16LE(v, 44 + (i * channels + c) * 2);
  }
  return b;
}

/** Launches Chromium whose fake microphone plays `wav` (a file path; none: the built-in beep). */
export async function launchBrowser({ wav } = {}) {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'];
  if (wav) args.push(`--use-file-for-fake-audio-capture=${wav}`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/**
 * A browser context; mic: whether the microphone permission is granted;
 * colorScheme 'light' or 'dark'; locale and timezoneId as a member's
 * computer has them. The debug hook is on.
 */
export async function newContext(browser, { mic = true, locale = 'en-GB', viewport = { width: 1200, height: 820 },
  colorScheme = 'light', timezoneId = 'Europe/Riga' } = {}) {
  const ctx = await browser.newContext({
    permissions: mic ? ['microphone'] : [],
    locale,
    timezoneId,
    viewport,
    colorScheme,
  });
  await ctx.addInitScript(() => localStorage.setItem('kopa.debug', '1'));
  return ctx;
}

/** Writes a tone WAV into a temporary folder and returns its path. */
export function writeTone(freq) {
  const file = path.join(tempDir('kopa-tone-'), `tone-${freq}.wav`);
  fs.writeFileSync(file, toneWav(freq));
  return file;
}

/**
 * Records what a page sends and receives on its WebSockets: sent and got
 * (parsed JSON objects, arrays flattened), binarySent [{at, bytes}],
 * binaryGot count, and problems (page errors, CSP violations).
 */
export function watch(page, label) {
  const seen = { sent: [], got: [], binarySent: [], binaryGot: 0, problems: [] };
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => {
      if (typeof f.payload === 'string') {
        try { seen.sent.push(JSON.parse(f.payload)); } catch { /* not JSON */ }
      } else {
        seen.binarySent.push({ at: Date.now(), bytes: Buffer.from(f.payload) });
      }
    });
    ws.on('framereceived', (f) => {
      if (typeof f.payload !== 'string') {
        seen.binaryGot += 1;
        return;
      }
      try {
        const v = JSON.parse(f.payload);
        for (const m of Array.isArray(v) ? v : [v]) seen.got.push(m);
      } catch { /* not JSON */ }
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

export async function shot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

export async function online(page) {
  await page.waitForSelector('.conn-dot[data-status="online"]', { timeout: WAIT_MS });
}

/** Opens the join link of `session` for a token and waits until the page is online. */
export async function openJoin(page, base, session, token) {
  await page.goto(`${base}/#session=${session}&token=${token}`);
  await online(page);
}

/** Polls fn (run in the page with arg) until check(value) is true; returns the last value. */
export async function pollPage(page, fn, arg, check, { timeoutMs = WAIT_MS, everyMs = 250, what = 'a condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let value;
  for (;;) {
    value = await page.evaluate(fn, arg);
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until the page's WebSocket received a server message matching pred; returns it. */
export async function waitGot(seen, pred, { timeoutMs = WAIT_MS, what = 'a message' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = seen.got.find(pred);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Form controls on the page that are shown but have no accessible name (label, aria-label or aria-labelledby). */
export function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button, meter, progress')]
    .filter((el) => el.offsetParent !== null || el.getClientRects().length > 0)
    .filter((el) => {
      if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
      if (el.labels && el.labels.length && [...el.labels].some((l) => l.textContent.trim())) return false;
      if (el.tagName === 'BUTTON' && el.textContent.trim()) return false;
      return true;
    })
    .map((el) => el.id || `${el.tagName.toLowerCase()}.${el.className}`));
}

/** Clicks through every tab shown on each page and checks that no control on it lacks a name. */
export async function checkTabsLabelled(pages, assert) {
  for (const [who, page] of Object.entries(pages)) {
    for (const tab of await page.$$eval('[role="tab"]:not([hidden])', (ts) => ts.map((x) => x.id))) {
      await page.click(`#${tab}`);
      assert.deepEqual(await unlabelled(page), [], `${who}, ${tab}: unlabelled controls`);
    }
  }
}

/** The server's errors that the watched pages (watch()) received, as "who: code message" lines. */
export function refusals(seen) {
  return Object.entries(seen).flatMap(([who, s]) => s.got.filter((m) => m.type === 'error').map((m) => `${who}: ${m.code} ${m.message}`));
}

/** On a failure: prints what the watched pages noticed and saves a screenshot of each open page. */
export async function failureReport(seen, pages, prefix) {
  for (const s of Object.values(seen)) for (const p of s.problems) console.error(p);
  for (const [who, page] of Object.entries(pages)) {
    if (!page.isClosed()) await shot(page, `${prefix}-failure-${who}`).catch(() => {});
  }
}

const AXE_SOURCE = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'node_modules', 'axe-core', 'axe.min.js');
let axeSource = null;

/**
 * Runs axe-core (WCAG 2.x A and AA rules, best practices) on the whole page
 * and returns its serious and critical findings as short lines ('' none).
 * The page's Content-Security-Policy forbids inline scripts, so axe is not
 * added as a <script>; the driver evaluates it in the page instead.
 */
export async function axeFindings(page) {
  if (!axeSource) axeSource = fs.readFileSync(AXE_SOURCE, 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.filter((n) => n.impact === 'serious' || n.impact === 'critical')
        .map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}`) }));
  });
  return violations.filter((v) => v.nodes.length).flatMap((v) => v.nodes.map((n) => `[${v.impact}] ${v.id} (${v.help}) ${n}`));
}

/**
 * Keeps, in the page, everything its live regions (role status or alert,
 * aria-live) said: window.__live = [{text, at, kind}], one entry each time
 * a shown region's text changes to something non-empty. Call before the
 * page loads (an init script of ctx); read it with liveSaid(page).
 */
export async function recordLive(ctx) {
  await ctx.addInitScript(() => {
    window.__live = [];
    const last = new WeakMap();
    const scan = () => {
      for (const el of document.querySelectorAll('[role="status"], [role="alert"], [aria-live]')) {
        if (el.getAttribute('aria-live') === 'off' || el.closest('[hidden]')) continue;
        const text = el.innerText.replace(/\s+/g, ' ').trim(); // what is shown, not hidden parts
        if (last.get(el) === text) continue;
        last.set(el, text);
        if (text) window.__live.push({ text, at: Date.now(), kind: el.getAttribute('role') || el.getAttribute('aria-live') });
      }
    };
    new MutationObserver(scan).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** What the page's live regions said so far (see recordLive): [{text, at, kind}]. */
export function liveSaid(page) {
  return page.evaluate(() => window.__live || []);
}

/** Waits until a live region of the page said something matching re (a RegExp); returns that entry. */
export async function waitSaid(page, re, { timeoutMs = WAIT_MS } = {}) {
  const said = await pollPage(page, () => window.__live || [], null, (list) => list.some((e) => re.test(e.text)),
    { timeoutMs, what: `a live announcement matching ${re}` });
  return said.find((e) => re.test(e.text));
}
