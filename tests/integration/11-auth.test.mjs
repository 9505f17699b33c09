// 11-auth: tokens (protocol.md section 3 and section 2, step 1). Forged,
// expired, not-yet-valid, wrongly addressed and malformed tokens are refused
// with their error code and the connection is closed with 4003; the role
// comes only from the token; `kopa token` mints tokens this harness's own
// HS256 code accepts, and the server accepts them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    startStack, startKopa, Client, mintToken, badTokens, verifyJwt, runKopa, signJwt, makeClaims,
    healthz, PEOPLE,
} from './lib/harness.mjs';

let stack;
before(async () => { stack = await startStack(null); });
after(async () => { await stack?.stop(); });

/** Sends auth with token on a new connection; resolves {reply, close}. */
async function tryAuth(token, { session = 's1', v = 1, url = stack.kopa.url } = {}) {
    const c = new Client({ url, session, token });
    await c.connect();
    c.send({ type: 'auth', v, token });
    const reply = await c.next((m) => m.type === 'welcome' || m.type === 'error');
    if (reply.type === 'welcome') {
        await c.close();
        return { reply, close: null };
    }
    const close = await Promise.race([c.closed, new Promise((r) => setTimeout(() => r(null), 3000))]);
    c.terminate();
    return { reply, close };
}

async function expectRefused(token, code, opts) {
    const { reply, close } = await tryAuth(token, opts);
    assert.equal(reply.type, 'error', `accepted: ${JSON.stringify(reply).slice(0, 200)}`);
    assert.equal(reply.code, code);
    assert.equal(close?.code, 4003, `closed with ${close?.code}`);
}

test('a valid token is accepted and its claims become the member', { timeout: 30000 }, async () => {
    const { reply } = await tryAuth(mintToken(stack.secret, { ...PEOPLE.ilze, sessions: ['s1', 's2'] }));
    assert.equal(reply.type, 'welcome');
    assert.equal(reply.me.id, PEOPLE.ilze.sub);
    assert.equal(reply.me.name, PEOPLE.ilze.name);
    assert.equal(reply.me.role, 'coordinator');
    assert.equal(reply.me.country, 'LV');
    // aud may be an array holding the audience; nbf and iat in the past are fine.
    const now = Math.floor(Date.now() / 1000);
    const r2 = await tryAuth(mintToken(stack.secret, { ...PEOPLE.rasa, aud: ['other', 'kopa'], nbf: now - 10, iat: now - 10 }));
    assert.equal(r2.reply.type, 'welcome');
    // Optional claims may be left out.
    const r3 = await tryAuth(mintToken(stack.secret, { sub: 'u-min', name: 'M', role: 'expert', country: undefined, langs: undefined }));
    assert.equal(r3.reply.type, 'welcome');
});

test('forged, tampered and badly formed tokens are bad_token', { timeout: 60000 }, async () => {
    const good = mintToken(stack.secret, PEOPLE.rasa);
    await expectRefused(badTokens.forged(PEOPLE.rasa), 'bad_token');
    await expectRefused(badTokens.tampered(good, { role: 'coordinator' }), 'bad_token');
    await expectRefused(badTokens.tampered(good, { sessions: '*', exp: 9999999999 }), 'bad_token');
    await expectRefused(badTokens.algNone(PEOPLE.rasa), 'bad_token');
    await expectRefused(badTokens.alg(stack.secret, 'HS512', PEOPLE.rasa), 'bad_token');
    await expectRefused(badTokens.alg(stack.secret, 'hs256', PEOPLE.rasa), 'bad_token');
    await expectRefused(good.slice(0, -2), 'bad_token'); // truncated signature
    await expectRefused(good.split('.').slice(0, 2).join('.'), 'bad_token');
    await expectRefused('not.a.token', 'bad_token');
    await expectRefused('x', 'bad_token');
    await expectRefused(`${good}.extra`, 'bad_token');
    // Wrong issuer or audience.
    await expectRefused(mintToken(stack.secret, { ...PEOPLE.rasa, iss: 'someone-else' }), 'bad_token');
    await expectRefused(mintToken(stack.secret, { ...PEOPLE.rasa, aud: 'someone-else' }), 'bad_token');
    await expectRefused(mintToken(stack.secret, { ...PEOPLE.rasa, aud: ['a', 'b'] }), 'bad_token');
    // Claims of the wrong type or out of range.
    await expectRefused(mintToken(stack.secret, { ...PEOPLE.rasa, role: 'admin' }), 'bad_token');
    await expectRefused(mintToken(stack.secret, { ...PEOPLE.rasa, sub: 'has space' }), 'bad_token');
    await expectRefused(mintToken(stack.secret, { ...PEOPLE.rasa, exp: undefined }), 'bad_token');
    await expectRefused(mintToken(stack.secret, { ...PEOPLE.rasa, exp: '9999999999' }), 'bad_token');
    // A valid signature over a payload that is not JSON.
    await expectRefused(signJwt({ alg: 'HS256', typ: 'JWT' }, 'not json', stack.secret), 'bad_token');
    // A token too long to be one (the auth field's own limit may catch it first).
    const { reply } = await tryAuth(mintToken(stack.secret, { ...PEOPLE.rasa, pad: 'p'.repeat(5000) }));
    assert.equal(reply.type, 'error');
    assert.ok(['bad_token', 'too_long'].includes(reply.code), reply.code);
});

test('expired and not-yet-valid tokens are token_expired', { timeout: 30000 }, async () => {
    await expectRefused(badTokens.expired(stack.secret, PEOPLE.rasa), 'token_expired');
    await expectRefused(badTokens.notYetValid(stack.secret, PEOPLE.rasa), 'token_expired');
});

test('a token for other sessions is session_not_allowed', { timeout: 30000 }, async () => {
    const token = mintToken(stack.secret, { ...PEOPLE.rasa, sessions: ['s2', 's3'] });
    await expectRefused(token, 'session_not_allowed', { session: 's1' });
    const ok = await tryAuth(token, { session: 's3' });
    assert.equal(ok.reply.type, 'welcome');
    const star = await tryAuth(mintToken(stack.secret, { ...PEOPLE.rasa, sessions: '*' }), { session: 'any-session' });
    assert.equal(star.reply.type, 'welcome');
});

test('auth with the wrong version or shape', { timeout: 30000 }, async () => {
    const token = mintToken(stack.secret, PEOPLE.rasa);
    await expectRefused(token, 'unsupported_version', { v: 2 });
    await expectRefused(token, 'unsupported_version', { v: '1' });
    const c = new Client({ url: stack.kopa.url, session: 's1', token });
    await c.connect();
    let e = await c.expectError({ type: 'auth', v: 1, ref: 'a1' });
    assert.equal(e.code, 'missing_field');
    assert.equal(e.ref, 'a1');
    e = await c.expectError({ type: 'auth', v: 1, token: 12345, ref: 'a2' });
    assert.equal(e.code, 'wrong_type');
    c.terminate();
});

test('the role comes from the token, never from a message', { timeout: 30000 }, async () => {
    const c = new Client({ url: stack.kopa.url, session: 'roles', token: mintToken(stack.secret, PEOPLE.rasa) });
    await c.connect();
    c.send({ type: 'auth', v: 1, token: c.token, role: 'coordinator', me: { role: 'coordinator' } });
    const w = await c.next('welcome');
    assert.equal(w.me.role, 'entrepreneur');
    const j = await (c.send({ type: 'join', role: 'coordinator' }), c.next('joined'));
    assert.equal(j.members.find((m) => m.id === PEOPLE.rasa.sub).role, 'entrepreneur');
    c.send({ type: 'chat', id: 'r1', text: 'hi', from: { id: 'u-ilze', role: 'coordinator' } });
    const ev = await c.next({ type: 'chat', id: 'r1' });
    assert.deepEqual([ev.from.id, ev.from.role], [PEOPLE.rasa.sub, 'entrepreneur']);
    await c.close();
});

test('refused clients do not disturb members', { timeout: 30000 }, async () => {
    const anna = new Client({ url: stack.kopa.url, session: 'calm', token: mintToken(stack.secret, PEOPLE.anna) });
    await anna.enter();
    for (let i = 0; i < 5; i++) await expectRefused(badTokens.forged(PEOPLE.mikael), 'bad_token', { session: 'calm' });
    const seen = (await anna.collect(300)).filter((m) => m.type === 'presence');
    assert.deepEqual(seen, [], 'refused clients never appear as present');
    await anna.ping();
    assert.equal((await healthz(stack.kopa.port)).status, 200);
    await anna.close();
});

test('issuer and audience come from the configuration', { timeout: 60000 }, async (t) => {
    const kopa = await startKopa({ redisPort: stack.redis.port, args: ['--issuer', 'acme', '--audience', 'acme-rooms'] });
    t.after(() => kopa.stop());
    const url = kopa.url;
    await expectRefused(mintToken(kopa.secret, PEOPLE.rasa), 'bad_token', { url });
    const ok = await tryAuth(mintToken(kopa.secret, { ...PEOPLE.rasa, iss: 'acme', aud: 'acme-rooms' }), { url });
    assert.equal(ok.reply.type, 'welcome');
});

test('kopa token mints a token the server and this harness accept', { timeout: 60000 }, async () => {
    const r = await runKopa(['token', '--secret', stack.secret, '--sub', 'u1', '--name', 'Anna', '--role', 'coordinator',
        '--country', 'LV', '--langs', 'lv,en', '--session', 's1', '--ttl', '600', '--url', 'http://kopa.test:8080']);
    assert.equal(r.code, 0, r.stderr);
    const [token, link] = r.stdout.trim().split('\n');
    const claims = verifyJwt(token, stack.secret);
    assert.equal(claims.sub, 'u1');
    assert.equal(claims.name, 'Anna');
    assert.equal(claims.role, 'coordinator');
    assert.equal(claims.country, 'LV');
    assert.deepEqual(claims.langs, ['lv', 'en']);
    assert.ok(claims.sessions === 's1' || (Array.isArray(claims.sessions) && claims.sessions.includes('s1')));
    assert.equal(claims.iss, 'kopa');
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    assert.ok(aud.includes('kopa'));
    const now = Math.floor(Date.now() / 1000);
    assert.ok(claims.exp > now + 500 && claims.exp <= now + 700, `exp ${claims.exp - now} s from now`);
    assert.equal(link, `http://kopa.test:8080/#session=s1&token=${token}`);

    const { reply } = await tryAuth(token, { session: 's1' });
    assert.equal(reply.type, 'welcome');
    assert.equal(reply.me.role, 'coordinator');
    await expectRefused(token, 'session_not_allowed', { session: 's2' });

    // A wrong secret cannot be used to mint a working token.
    const other = await runKopa(['token', '--secret', 'z'.repeat(40), '--sub', 'u1', '--name', 'Anna',
        '--role', 'coordinator', '--session', 's1']);
    assert.equal(other.code, 0, other.stderr);
    await expectRefused(other.stdout.split('\n')[0], 'bad_token');
    // Bad claims are refused by the command itself.
    const bad = await runKopa(['token', '--secret', stack.secret, '--sub', 'u1', '--name', 'A', '--role', 'admin', '--session', 's1']);
    assert.notEqual(bad.code, 0);
});

test('makeClaims builds the documented claim set', () => {
    // A check of this harness itself, so that the tests above mean what they say.
    const c = makeClaims({ ...PEOPLE.rasa, sessions: ['s1'] });
    assert.deepEqual(Object.keys(c).sort(), ['aud', 'country', 'exp', 'iat', 'iss', 'langs', 'name', 'role', 'sessions', 'sub']);
    const token = mintToken('k'.repeat(40), { ...PEOPLE.rasa });
    assert.equal(verifyJwt(token, 'k'.repeat(40)).sub, PEOPLE.rasa.sub);
    assert.throws(() => verifyJwt(badTokens.forged(PEOPLE.rasa), 'k'.repeat(40)));
    assert.throws(() => verifyJwt(badTokens.tampered(token, { role: 'coordinator' }), 'k'.repeat(40)));
});
