// 22-profiles: the self-assessment (docs/protocol.md section 11).
// Entrepreneurs save and read their own profile; every stage (start,
// middle, end) is kept; coordinators read everyone's; other reads and
// writes are forbidden and change nothing. Profiles belong to the network,
// so they are the same from another session and after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, redisCommand } from './lib/harness.mjs';
import { ask, errorOf, profileMsg } from './lib/breakout.mjs';

const marksOf = (v) => Object.entries(v.marks).filter(([, m]) => m !== 'none');

test('own profile, versions kept, coordinators see all, forbidden cases', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('s1', 'anna');
    const rasa = await stack.enter('s1', 'rasa');
    const ilze = await stack.enter('s1', 'ilze');
    const mikael = await stack.enter('s1', 'mikael');

    // Nothing yet.
    const empty = await ask(anna, { type: 'profile_get' });
    assert.equal(empty.type, 'profile');
    assert.equal(empty.user.id, 'u-anna');
    assert.deepEqual(empty.versions, []);

    // Start: the token's country and languages unless the form says more.
    const start = await ask(anna, profileMsg('start',
        { financing: 'need', impact_investment: 'need', digital_tools: 'offer' },
        { text: 'Social bakery in Riga, 12 people' }));
    assert.equal(start.versions.length, 1);
    const v1 = start.versions[0];
    assert.equal(v1.stage, 'start');
    assert.equal(v1.country, 'LV');
    assert.deepEqual(v1.langs, ['lv', 'en']);
    assert.deepEqual(marksOf(v1), [['financing', 'need'], ['impact_investment', 'need'], ['digital_tools', 'offer']]);
    assert.equal(Object.keys(v1.marks).length, 10, 'every topic of the taxonomy is listed');
    assert.equal(v1.text, 'Social bakery in Riga, 12 people');
    assert.ok(Math.abs(v1.updated_at - Date.now()) < 5000);

    // Middle: a second version; the start one is kept as it was.
    const mid = await ask(anna, profileMsg('middle', { financing: 'offer', new_markets: 'both' },
        { langs: ['lv', 'en', 'ru'], country: 'LV' }));
    assert.deepEqual(mid.versions.map((v) => v.stage), ['start', 'middle']);
    assert.deepEqual(mid.versions[0], v1);
    assert.deepEqual(marksOf(mid.versions[1]), [['financing', 'offer'], ['new_markets', 'both']]);
    assert.deepEqual(mid.versions[1].langs, ['lv', 'en', 'ru']);
    // Saving a stage again replaces that stage only.
    const mid2 = await ask(anna, profileMsg('middle', { financing: 'both' }));
    assert.deepEqual(mid2.versions.map((v) => v.stage), ['start', 'middle']);
    assert.deepEqual(marksOf(mid2.versions[1]), [['financing', 'both']]);
    assert.deepEqual(mid2.versions[0], v1);

    await ask(rasa, profileMsg('start', { public_sector: 'offer' }));

    // Forbidden: another's profile, the whole list, saving as staff.
    assert.equal(await errorOf(rasa, { type: 'profile_get', user: 'u-anna' }), 'forbidden');
    assert.equal(await errorOf(rasa, { type: 'profile_list' }), 'forbidden');
    assert.equal(await errorOf(mikael, { type: 'profile_get', user: 'u-anna' }), 'forbidden');
    assert.equal(await errorOf(ilze, profileMsg('start', { financing: 'need' })), 'forbidden');
    assert.equal(await errorOf(mikael, profileMsg('start', { financing: 'need' })), 'forbidden');
    // Bad values change nothing.
    assert.equal(await errorOf(anna, profileMsg('start', { astrology: 'need' })), 'bad_value');
    assert.equal(await errorOf(anna, profileMsg('final', { financing: 'need' })), 'bad_value');
    assert.equal(await errorOf(anna, profileMsg('start', { financing: 'maybe' })), 'bad_value');
    assert.equal(await errorOf(anna, profileMsg('start', { financing: 'need' }, { country: 'Latvia' })), 'too_long');
    assert.equal(await errorOf(anna, profileMsg('start', { financing: 'need' }, { langs: ['en', 'en'] })), 'bad_value');
    assert.equal(await errorOf(anna, profileMsg('start', { financing: 'need' }, { text: 'x'.repeat(1001) })), 'too_long');
    assert.equal(await errorOf(anna, profileMsg('start', { financing: 'need' }, { text: 'bell\u0007' })), 'bad_value');
    assert.equal(await errorOf(anna, { type: 'profile_save', stage: 'start' }), 'missing_field');
    const still = await ask(anna, { type: 'profile_get' });
    assert.deepEqual(still.versions, mid2.versions);

    // The coordinator reads one and all.
    const seen = await ask(ilze, { type: 'profile_get', user: 'u-anna' });
    assert.deepEqual(seen.versions, mid2.versions);
    assert.equal(seen.user.name, 'Anna Bērziņa');
    const all = await ask(ilze, { type: 'profile_list' });
    assert.equal(all.type, 'profiles');
    assert.deepEqual(all.profiles.map((p) => p.user.id).sort(), ['u-anna', 'u-rasa']);
    const none = await ask(ilze, { type: 'profile_get', user: 'u-nobody' });
    assert.deepEqual(none.versions, []);

    // Another session of the network, and a restart: the same profiles.
    const other = await stack.enter('s2', 'anna');
    assert.deepEqual((await ask(other, { type: 'profile_get' })).versions, mid2.versions);
    await stack.kopa.restart();
    const again = stack.client('s1', 'ilze');
    await again.enter();
    const after = await ask(again, { type: 'profile_list' });
    assert.deepEqual(after.profiles.find((p) => p.user.id === 'u-anna').versions, mid2.versions);
    await again.close();
});

test('profiles belong to the configured network', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t, { kopa: { args: ['--network', 'nordic2027'] } });
    const anna = await stack.enter('s1', 'anna');
    await ask(anna, profileMsg('start', { visibility: 'need' }));
    const exists = async (key) => (await redisCommand(stack.redis.port, ['EXISTS', key])).trim();
    assert.equal(await exists('kopa:{net:nordic2027}:profile:u-anna'), ':1');
    assert.equal(await exists('kopa:{net:default}:profile:u-anna'), ':0');
    assert.equal(await exists('kopa:{net:nordic2027}:profiles'), ':1');
});
