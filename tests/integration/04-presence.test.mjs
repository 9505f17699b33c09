// 04-presence: presence events (protocol.md section 6 "presence") and the
// members list of joined. Presence is not kept and carries no offset; a
// member with several tabs is present until the last one closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, PEOPLE, waitFor } from './lib/harness.mjs';
import { Redis } from './lib/live.mjs';

const isPresence = (action, id) => (m) => m.type === 'presence' && m.action === action && m.member?.id === id;

test('join and leave are announced; joined lists who is here', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('s1', 'anna');
    assert.deepEqual(anna.joinedMsg.members.map((m) => m.id), [PEOPLE.anna.sub]);

    const mikael = await stack.enter('s1', 'mikael');
    const ev = await anna.next(isPresence('join', PEOPLE.mikael.sub));
    assert.equal(ev.offset, undefined, 'presence carries no offset');
    assert.equal(ev.channel, undefined);
    assert.equal(ev.member.name, PEOPLE.mikael.name);
    assert.equal(ev.member.role, 'expert');
    assert.equal(ev.member.country, 'SE');
    assert.deepEqual(ev.member.langs, ['sv', 'en']);
    assert.equal(ev.member.room, 'main');
    assert.equal(ev.member.online, true);
    const ids = mikael.joinedMsg.members.map((m) => m.id).sort();
    assert.deepEqual(ids, [PEOPLE.anna.sub, PEOPLE.mikael.sub].sort());

    // A member in another session is not seen.
    const other = await stack.enter('s2', 'rasa');
    assert.deepEqual(other.joinedMsg.members.map((m) => m.id), [PEOPLE.rasa.sub]);
    assert.deepEqual((await anna.collect(300)).filter((m) => m.type === 'presence'), []);

    await mikael.close();
    const left = await anna.next(isPresence('leave', PEOPLE.mikael.sub));
    assert.equal(left.member.id, PEOPLE.mikael.sub);

    // A dropped TCP connection (no close frame) also leaves, in bounded time.
    const rasa = await stack.enter('s1', 'rasa');
    await anna.next(isPresence('join', PEOPLE.rasa.sub));
    rasa.terminate();
    await anna.next(isPresence('leave', PEOPLE.rasa.sub), 10000);

    // Presence is not kept: the room has no events.
    const h = await anna.history('room:main');
    assert.deepEqual(h.events, []);
});

test('a member with two tabs is present until the last closes', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('s1', 'anna');
    const tab1 = await stack.enter('s1', 'rasa');
    await anna.next(isPresence('join', PEOPLE.rasa.sub));
    const tab2 = await stack.enter('s1', 'rasa');
    const listed = tab2.joinedMsg.members.filter((m) => m.id === PEOPLE.rasa.sub);
    assert.equal(listed.length, 1, 'a member is listed once, however many tabs');

    await tab1.close();
    const early = (await anna.collect(600)).filter(isPresence('leave', PEOPLE.rasa.sub));
    assert.deepEqual(early, [], 'no leave while a tab is open');
    const fresh = await stack.enter('s1', 'kadri');
    assert.ok(fresh.joinedMsg.members.some((m) => m.id === PEOPLE.rasa.sub), 'still present');

    await tab2.close();
    await anna.next(isPresence('leave', PEOPLE.rasa.sub));
    const later = stack.client('s1', 'jonas');
    const j = await later.enter();
    assert.ok(!j.members.some((m) => m.id === PEOPLE.rasa.sub && m.online !== false), 'gone after the last tab');
    await later.close();
});

test('presence is kept in Redis under per-node keys with a TTL, and every key of a session shares its hash tag',
    { timeout: 60000 }, async (t) => {
        const stack = await startStack(t);
        const anna = await stack.enter('s7', 'anna');
        const mikael = await stack.enter('s7', 'mikael');
        await anna.acked(anna.chat('Tere!'));
        const r = await new Redis(stack.redis.port).connect();
        t.after(() => r.close());

        // The heartbeat renews every 5 s.
        const nodes = await waitFor(async () => {
            const k = await r.command('KEYS', 'kopa:node:*');
            return k.length ? k : null;
        }, { timeoutMs: 8000, what: 'the node heartbeat key' });
        assert.equal(nodes.length, 1, 'one node heartbeat key');
        const node = nodes[0].slice('kopa:node:'.length);
        assert.equal(await r.command('GET', nodes[0]), 'alive');
        const setKey = `kopa:{s7}:presence:${node}`;
        await waitFor(async () => (await r.command('SMEMBERS', setKey)).length === 2,
            { what: 'both members in the presence set' });
        assert.deepEqual((await r.command('SMEMBERS', setKey)).sort(), [PEOPLE.anna.sub, PEOPLE.mikael.sub].sort());
        for (const k of [nodes[0], setKey]) {
            const ttl = await r.command('TTL', k);
            assert.ok(ttl > 0 && ttl <= 15, `${k} expires (TTL ${ttl} s)`);
        }

        await mikael.close();
        await anna.next(isPresence('leave', PEOPLE.mikael.sub));
        await waitFor(async () => (await r.command('SMEMBERS', setKey)).length === 1,
            { what: 'the member who left is gone from the set' });

        // Redis Cluster keeps a session on one slot: every key names it in {}.
        const keys = await r.command('KEYS', '*');
        const sessionKeys = keys.filter((k) => k.includes('s7'));
        assert.ok(sessionKeys.length >= 3, `several keys for the session: ${sessionKeys}`);
        for (const k of sessionKeys) assert.match(k, /^kopa:\{s7\}:/, `${k} carries the session's hash tag`);

        // A node that dies stops renewing: its keys expire by themselves.
        await stack.kopa.kill9();
        await waitFor(async () => (await r.command('EXISTS', setKey)) === 0 && (await r.command('EXISTS', nodes[0])) === 0,
            { timeoutMs: 20000, intervalMs: 500, what: 'the dead node\'s presence keys expire' });
    });
