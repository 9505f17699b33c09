// 12-http: the HTTP side (protocol.md sections 1 and 9): /healthz,
// /metrics, the web client's static files with a strict CSP, no way out of
// the web root, and the Origin check at the WebSocket handshake.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
    startStack, startKopa, Client, mintToken, httpRequest, healthz, tempDir, PEOPLE,
} from './lib/harness.mjs';

let stack;
let root;
const files = {
    'index.html': '<!doctype html><title>Kopa test</title><script type="module" src="app.js"></script>',
    'app.js': 'export const answer = 42;\n',
    'style.css': 'body { color: #123; }\n',
    'sub/icon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
};
before(async () => {
    const dir = tempDir('kopa-www-');
    root = path.join(dir, 'www');
    for (const [name, body] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        fs.writeFileSync(path.join(root, name), body);
    }
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET-OUTSIDE-ROOT');
    stack = await startStack(null, { kopa: { args: ['--web-root', root] } });
});
after(async () => { await stack?.stop(); });

test('/healthz reports ok with Redis connected', { timeout: 30000 }, async () => {
    const h = await healthz(stack.kopa.port);
    assert.equal(h.status, 200);
    assert.match(h.headers['content-type'], /^application\/json/);
    assert.equal(h.body.status, 'ok');
    assert.equal(h.body.redis, 'connected');
    for (const k of ['sessions', 'connections', 'queue']) assert.equal(typeof h.body[k], 'number', k);

    const c = new Client({ url: stack.kopa.url, session: 'hz', token: mintToken(stack.secret, PEOPLE.anna) });
    await c.enter();
    const h2 = await healthz(stack.kopa.port);
    assert.ok(h2.body.sessions >= 1);
    assert.ok(h2.body.connections >= 1);
    await c.close();
});

test('/metrics is Prometheus text with the documented series', { timeout: 30000 }, async () => {
    const c = new Client({ url: stack.kopa.url, session: 'mx', token: mintToken(stack.secret, PEOPLE.anna) });
    await c.enter();
    c.sendRaw('{oops');
    await c.next('error');
    const r = await httpRequest(stack.kopa.port, '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^text\/plain/);
    const value = (name) => {
        const m = r.body.match(new RegExp(`^${name}(\\{[^}]*\\})? ([0-9.e+]+)$`, 'm'));
        return m ? Number(m[2]) : undefined;
    };
    for (const name of ['kopa_connections', 'kopa_sessions', 'kopa_frames_in_total', 'kopa_frames_out_total',
        'kopa_redis_queue_depth']) {
        assert.notEqual(value(name), undefined, `${name} missing`);
    }
    assert.ok(value('kopa_connections') >= 1);
    assert.ok(value('kopa_frames_in_total') >= 3);
    assert.match(r.body, /^kopa_errors_total\{code="bad_json"\} [1-9][0-9]*$/m);
    await c.close();
});

test('static files with their types and a strict CSP', { timeout: 30000 }, async () => {
    const port = stack.kopa.port;
    const index = await httpRequest(port, '/');
    assert.equal(index.status, 200);
    assert.equal(index.body, files['index.html']);
    assert.match(index.headers['content-type'], /^text\/html/);
    const csp = index.headers['content-security-policy'];
    assert.ok(csp, 'Content-Security-Policy header on /');
    assert.match(csp, /default-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/, `CSP too lax: ${csp}`);

    const js = await httpRequest(port, '/app.js');
    assert.equal(js.status, 200);
    assert.equal(js.body, files['app.js']);
    assert.match(js.headers['content-type'], /^(text|application)\/javascript/);
    const css = await httpRequest(port, '/style.css');
    assert.match(css.headers['content-type'], /^text\/css/);
    assert.equal(css.body, files['style.css']);
    const sub = await httpRequest(port, '/sub/icon.svg');
    assert.equal(sub.status, 200);
    assert.equal(sub.body, files['sub/icon.svg']);
    assert.match(sub.headers['content-type'], /^image\/svg\+xml/);
    assert.equal((await httpRequest(port, '/index.html')).body, files['index.html']);
    assert.equal((await httpRequest(port, '/nope.js')).status, 404);
});

test('no file outside the web root is served', { timeout: 30000 }, async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/sub/../../secret.txt', '/..%2fsecret.txt',
        '/%2e%2e%2fsecret.txt', '/sub/%2e%2e/%2e%2e/secret.txt', '//etc/passwd', '/../../../../etc/passwd']) {
        const r = await httpRequest(stack.kopa.port, p);
        assert.ok(!r.body.includes('TOP-SECRET') && !r.body.includes('root:x:0'), `${p} leaked a file`);
        assert.notEqual(r.status, 200, `${p} answered 200`);
    }
    // The server is still fine.
    assert.equal((await healthz(stack.kopa.port)).status, 200);
});

test('the WebSocket handshake checks Origin: same origin by default', { timeout: 30000 }, async () => {
    const token = mintToken(stack.secret, PEOPLE.anna);
    const port = stack.kopa.port;
    for (const origin of [`http://127.0.0.1:${port}`, undefined]) {
        const c = new Client({ url: stack.kopa.url, session: 'o', token, origin });
        await c.enter();
        await c.close();
    }
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, `http://localhost.evil:${port}`, 'null']) {
        const c = new Client({ url: stack.kopa.url, session: 'o', token, origin });
        await assert.rejects(c.connect(), (err) => err.status === 403, `origin ${origin}: want HTTP 403`);
    }
});

test('an origin allowlist lets in exactly the listed origins', { timeout: 60000 }, async (t) => {
    const kopa = await startKopa({ redisPort: stack.redis.port,
        args: ['--web-root', root, '--origins', 'http://app.example,https://kopa.example.org'] });
    t.after(() => kopa.stop());
    const token = mintToken(kopa.secret, PEOPLE.anna);
    for (const origin of ['http://app.example', 'https://kopa.example.org', undefined]) {
        const c = new Client({ url: kopa.url, session: 'o', token, origin });
        await c.enter();
        await c.close();
    }
    for (const origin of ['http://evil.example', 'http://app.example.evil', 'https://app.example', 'http://kopa.example.org']) {
        const c = new Client({ url: kopa.url, session: 'o', token, origin });
        await assert.rejects(c.connect(), (err) => err.status === 403, `origin ${origin}: want HTTP 403`);
    }
});

test('the real web client is served from the default web root', { timeout: 30000 }, async (t) => {
    const webRoot = process.env.KOPA_WEB_ROOT;
    if (!webRoot || !fs.existsSync(path.join(webRoot, 'index.html'))) {
        t.skip(`no index.html in ${webRoot}`);
        return;
    }
    const kopa = await startKopa({ redisPort: stack.redis.port });
    t.after(() => kopa.stop());
    const r = await httpRequest(kopa.port, '/');
    assert.equal(r.status, 200);
    assert.equal(r.body, fs.readFileSync(path.join(webRoot, 'index.html'), 'utf8'));
    assert.ok(r.headers['content-security-policy']);
});

/** Sends raw bytes on a fresh TCP connection; resolves with what came
 * back before the server closed it (or after 2 s). */
function rawExchange(port, bytes) {
    return new Promise((resolve) => {
        const sock = net.connect(port, '127.0.0.1');
        let got = '';
        const done = () => { clearTimeout(timer); sock.destroy(); resolve(got); };
        const timer = setTimeout(done, 2000);
        sock.on('connect', () => sock.write(bytes));
        sock.on('data', (d) => { got += d.toString('latin1'); });
        sock.on('close', done);
        sock.on('error', done);
    });
}

test('HTTP/1.1 only: an HTTP/2 preface, an h2c upgrade and garbage are refused; the server stays up',
    { timeout: 30000 }, async () => {
        const c = new Client({ url: stack.kopa.url, session: 'h2', token: mintToken(stack.secret, PEOPLE.anna) });
        await c.enter();
        const requests = {
            'HTTP/2 prior knowledge': 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
            'h2c upgrade': 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n'
                + 'Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n',
            'garbage': 'GARBAGE\r\n\r\n',
            'binary noise': Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff)),
        };
        for (const [what, bytes] of Object.entries(requests)) {
            const answer = await rawExchange(stack.kopa.port, bytes);
            assert.doesNotMatch(answer, /^HTTP\/1\.1 101/, `${what}: no protocol switch`);
            assert.ok(stack.kopa.running, `the server survives ${what}`);
            assert.equal((await healthz(stack.kopa.port)).status, 200, `${what}: /healthz still answers`);
        }
        const id = c.chat('still here');
        assert.equal((await c.acked(id)).offset, 1, 'a member connected throughout is unaffected');
        await c.close();
    });
