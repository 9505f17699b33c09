// proxy.test.mjs: runs nginx for real with nginx.conf.example (its ports,
// paths and node addresses rewritten to loopback) in front of three small
// stand-in nodes, and checks what the example promises: TLS, static files
// with a CSP, WebSocket upgrade with the kopa.v1 subprotocol and forwarded
// headers, and that one session id always reaches the same node while
// different sessions spread over the nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { freePort, tempDir, waitFor, sleep } from '../integration/lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const example = process.env.KOPA_NGINX_EXAMPLE ?? path.join(here, '../../nginx.conf.example');

function findNginx() {
    for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) {
        if (fs.existsSync(p)) return p;
    }
    return null;
}

/** A stand-in node: tells who it is on /healthz and in the first WebSocket message. */
async function startNode(name) {
    const port = await freePort();
    const server = http.createServer((req, res) => {
        res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ node: name, url: req.url }));
    });
    const wss = new WebSocketServer({ server, handleProtocols: (protocols) => (protocols.has('kopa.v1') ? 'kopa.v1' : false) });
    wss.on('connection', (ws, req) => {
        ws.send(JSON.stringify({ node: name, url: req.url, host: req.headers.host,
            proto: req.headers['x-forwarded-proto'], xff: req.headers['x-forwarded-for'] }));
        ws.on('message', (m) => ws.send(m.toString()));
    });
    server.listen(port, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return { name, port, close: () => new Promise((r) => { wss.close(); server.close(r); server.closeAllConnections(); }) };
}

function get(mod, port, urlPath, headers = {}) {
    return new Promise((resolve, reject) => {
        const req = mod.request({ host: '127.0.0.1', port, path: urlPath, headers: { host: 'kopa.example.org', ...headers },
            rejectUnauthorized: false, agent: false }, (res) => {
            let body = '';
            res.on('data', (d) => { body += d; });
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.setTimeout(3000, () => req.destroy(new Error('timeout')));
        req.end();
    });
}

async function wsFirstMessage(port, session) {
    const ws = new WebSocket(`wss://127.0.0.1:${port}/ws/${session}`, 'kopa.v1',
        { rejectUnauthorized: false, headers: { host: 'kopa.example.org' }, handshakeTimeout: 3000 });
    const first = await new Promise((resolve, reject) => {
        ws.once('message', (m) => resolve(JSON.parse(m.toString())));
        ws.once('error', reject);
        ws.once('unexpected-response', (req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    });
    assert.equal(ws.protocol, 'kopa.v1');
    ws.send('echo through nginx');
    const echo = await new Promise((resolve) => ws.once('message', (m) => resolve(m.toString())));
    assert.equal(echo, 'echo through nginx');
    ws.close();
    return first;
}

test('nginx.conf.example proxies WebSockets by session to one node', { timeout: 60000 }, async (t) => {
    const nginx = findNginx();
    if (!nginx) {
        t.skip('nginx is not installed');
        return;
    }
    const prefix = tempDir('kopa-nginx-');
    execFileSync('bash', [path.join(here, 'prepare-config.sh'), example, prefix]);
    const nodes = [await startNode('n1'), await startNode('n2'), await startNode('n3')];
    t.after(() => Promise.all(nodes.map((n) => n.close())));
    const httpPort = await freePort();
    const httpsPort = await freePort();

    // Loopback only: every node address and listen port is rewritten, and
    // nothing else is left to connect to.
    const confFile = path.join(prefix, 'conf/nginx.conf');
    let conf = fs.readFileSync(confFile, 'utf8');
    conf = conf.replace(/server 10\.0\.0\.1([1-3]):8080/g, (_, n) => `server 127.0.0.1:${nodes[Number(n) - 1].port}`);
    conf = conf.replace(/^\s*listen \[::\]:\d+.*$/gm, '');
    conf = conf.replace(/listen 80;/, `listen 127.0.0.1:${httpPort};`);
    conf = conf.replace(/listen 443 ssl;/, `listen 127.0.0.1:${httpsPort} ssl;`);
    conf = conf.replace(/^(\s*worker_processes) auto;/m, '$1 1;');
    const directives = conf.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    assert.ok(!/\b10\.\d+\.\d+\.\d+/.test(directives), 'a non-loopback node address is left');
    assert.ok(!/listen (80|443)\b/.test(directives), 'a public listen port is left');
    fs.writeFileSync(confFile, conf);
    fs.writeFileSync(path.join(prefix, 'www/index.html'), '<!doctype html><title>Kopa</title>');

    const child = spawn(nginx, ['-p', prefix, '-c', confFile, '-e', path.join(prefix, 'logs/error.log'),
        '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
    const exited = new Promise((r) => child.once('exit', r));
    t.after(async () => {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5000)]);
        child.kill('SIGKILL');
    });
    process.on('exit', () => child.kill('SIGKILL'));
    await waitFor(async () => (await get(https, httpsPort, '/healthz')).status === 200,
        { timeoutMs: 10000, what: 'nginx to answer' });

    // Plain HTTP redirects to HTTPS.
    const plain = await get(http, httpPort, '/x');
    assert.equal(plain.status, 301);
    assert.match(plain.headers.location, /^https:\/\/kopa\.example\.org\/x$/);

    // Static files with the CSP; metrics are not exposed.
    const index = await get(https, httpsPort, '/');
    assert.equal(index.status, 200);
    assert.equal(index.body, '<!doctype html><title>Kopa</title>');
    assert.match(index.headers['content-security-policy'], /default-src 'self'/);
    assert.ok(index.headers['strict-transport-security']);
    assert.equal((await get(https, httpsPort, '/metrics')).status, 404);
    assert.ok(['n1', 'n2', 'n3'].includes(JSON.parse((await get(https, httpsPort, '/healthz')).body).node));

    // WebSockets: the same session always lands on the same node, with the
    // forwarded headers; sessions spread over the nodes.
    const seen = new Map();
    for (let s = 0; s < 24; s++) {
        const session = `s${s}`;
        const a = await wsFirstMessage(httpsPort, session);
        const b = await wsFirstMessage(httpsPort, session);
        assert.equal(a.node, b.node, `session ${session} moved from ${a.node} to ${b.node}`);
        assert.equal(a.url, `/ws/${session}`);
        assert.equal(a.host, 'kopa.example.org');
        assert.equal(a.proto, 'https');
        assert.match(a.xff, /127\.0\.0\.1/);
        seen.set(session, a.node);
    }
    const used = new Set(seen.values());
    assert.ok(used.size >= 2, `all sessions went to ${[...used]}`);

    // Paths that are not /ws/<valid session id> never reach a node.
    await assert.rejects(wsFirstMessage(httpsPort, 'bad.id'), (err) => err.status === 404);
    await assert.rejects(wsFirstMessage(httpsPort, 'a/b'), (err) => err.status === 404);
});
