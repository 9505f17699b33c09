// 25-run-script: README command 1 (scripts/run.sh) as a newcomer meets it:
// it starts a private Redis with AOF, makes a token secret, starts the
// server, prints the URL and three join links that work, and Ctrl-C or
// SIGTERM stops the server and that Redis. The package check and the build
// are skipped here (KOPA_SKIP_DEPS, KOPA_BIN): the suite has done both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, freePort, healthz, tempDir, waitFor } from './lib/harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

test('scripts/run.sh starts Redis and the server, prints working join links, and stops both',
    { timeout: 90000 }, async (t) => {
        const varDir = path.join(tempDir('kopa-run-'), 'var');
        const port = await freePort();
        const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root' };
        Object.assign(env, {
            KOPA_SKIP_DEPS: '1', KOPA_BIN: process.env.KOPA_BIN, KOPA_VAR_DIR: varDir,
            KOPA_PORT: String(port), KOPA_WEB_ROOT: process.env.KOPA_WEB_ROOT,
        });
        const run = spawn('bash', [path.join(ROOT, 'scripts/run.sh')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        run.stdout.on('data', (d) => { out += d; });
        run.stderr.on('data', (d) => { out += d; });
        const exited = new Promise((resolve) => run.on('exit', (code, signal) => resolve({ code, signal })));
        const pidOf = (name) => {
            try {
                return Number(fs.readFileSync(path.join(varDir, `${name}.pid`), 'utf8'));
            } catch {
                return 0;
            }
        };
        let pids = [];
        t.after(() => {
            for (const pid of [run.pid, ...pids]) if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
        });

        await waitFor(() => /Stop with Ctrl-C/.test(out), { timeoutMs: 30000, what: `run.sh to print the links:\n${out}` });
        pids = [pidOf('kopa'), pidOf('redis')];
        assert.ok(pids.every((p) => p > 0 && alive(p)), 'the server and a private Redis run, their pids in var/');
        const url = out.match(/Kopa is running: (http:\/\/\S+)/)?.[1];
        assert.equal(url, `http://127.0.0.1:${port}`);
        assert.ok(fs.statSync(path.join(varDir, 'secret')).size >= 32, 'a token secret was made');
        assert.equal((fs.statSync(path.join(varDir, 'secret')).mode & 0o077), 0, 'the secret is private');
        assert.ok(fs.existsSync(path.join(varDir, 'redis')), 'the AOF folder');
        const h = await healthz(port);
        assert.equal(h.status, 200);
        assert.equal(h.body.redis, 'connected');

        // Each printed link lets its person into session "demo" with their role.
        const links = [...out.matchAll(/(http:\/\/\S+\/#session=(\w+)&token=(\S+))/g)];
        assert.equal(links.length, 3, `three demo links:\n${out}`);
        const roles = [];
        for (const [, link, session, token] of links) {
            assert.ok(link.startsWith(url));
            const c = new Client({ url: `ws://127.0.0.1:${port}`, session, token, label: session });
            const joined = await c.enter();
            assert.equal(joined.type, 'joined');
            roles.push(c.me.role);
            await c.close();
        }
        assert.deepEqual(roles.sort(), ['coordinator', 'entrepreneur', 'expert']);

        run.kill('SIGTERM');
        const { code, signal } = await exited;
        assert.ok(code !== null || signal !== null);
        await waitFor(() => pids.every((p) => !alive(p)), { timeoutMs: 10000, what: 'the server and Redis to stop' });
        assert.match(out, /stopping the server/);
        assert.match(out, /stopping Redis/);
    });
