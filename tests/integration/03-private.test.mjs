// 03-private: private messages (protocol.md section 5 "dm"): delivered on
// the addressee's channel user:<to> and the sender's own channel, on no
// other connection; acknowledged once stored; readable later only by the
// two of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, PEOPLE } from './lib/harness.mjs';

test('a dm reaches only its addressee (every tab) and the sender', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('s1', 'anna');
    const rasa = await stack.enter('s1', 'rasa');
    const rasa2 = await stack.enter('s1', 'rasa'); // a second tab
    const mikael = await stack.enter('s1', 'mikael');
    const ilze = await stack.enter('s1', 'ilze'); // a coordinator sees no dm either
    for (const c of [anna, rasa, rasa2, mikael, ilze]) c.drain();

    const id = anna.dm(PEOPLE.rasa.sub, 'Shall we talk after?', { ref: 'd1' });
    const toRasa = await rasa.next({ type: 'dm', id });
    const toRasa2 = await rasa2.next({ type: 'dm', id });
    const toAnna = await anna.next({ type: 'dm', id });
    const ack = await anna.acked(id);
    assert.equal(ack.ref, 'd1');
    assert.equal(typeof ack.offset, 'number');

    for (const ev of [toRasa, toRasa2]) {
        assert.equal(ev.channel, `user:${PEOPLE.rasa.sub}`);
        assert.equal(ev.offset, 1);
        assert.equal(ev.to, PEOPLE.rasa.sub);
        assert.equal(ev.text, 'Shall we talk after?');
        assert.equal(ev.from.id, PEOPLE.anna.sub);
        assert.equal(ev.from.name, PEOPLE.anna.name);
    }
    assert.equal(toAnna.channel, `user:${PEOPLE.anna.sub}`);
    assert.equal(toAnna.to, PEOPLE.rasa.sub);
    assert.equal(toAnna.offset, 1);

    for (const c of [mikael, ilze]) {
        const leaked = (await c.collect(400)).filter((m) => m.type === 'dm' || JSON.stringify(m).includes('talk after'));
        assert.deepEqual(leaked, [], `${c.label} saw the private message`);
    }
    assert.deepEqual((await anna.collect(0)).filter((m) => m.type === 'dm'), [], 'the sender got exactly one copy');

    // A reply goes the other way; offsets grow per channel.
    const id2 = rasa.dm(PEOPLE.anna.sub, 'Jā, pēc plenārsesijas.');
    const back = await anna.next({ type: 'dm', id: id2 });
    assert.equal(back.channel, `user:${PEOPLE.anna.sub}`);
    assert.equal(back.offset, 2);
    const own = await rasa.next({ type: 'dm', id: id2 });
    assert.equal(own.channel, `user:${PEOPLE.rasa.sub}`);
    assert.equal(own.offset, 2);
    await rasa2.next({ type: 'dm', id: id2 }); // her other tab shows her own message
    await rasa.acked(id2);
    assert.deepEqual((await mikael.collect(300)).filter((m) => m.type === 'dm'), []);
});

test('dm to someone who never joined is unknown_member; to an absent member it waits', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('s1', 'anna');
    const e = await anna.expectError({ type: 'dm', id: 'd-x', to: 'u-nobody', text: 'hello?', ref: 'q' });
    assert.equal(e.code, 'unknown_member');
    assert.equal(e.id, 'd-x');
    assert.equal(e.ref, 'q');

    const jonas = await stack.enter('s1', 'jonas');
    await jonas.close();
    const id = anna.dm(PEOPLE.jonas.sub, 'Read this when you are back');
    await anna.acked(id);

    const back = stack.client('s1', 'jonas');
    const joined = await back.enter({ resume: false });
    const ch = joined.channels[`user:${PEOPLE.jonas.sub}`];
    assert.ok(ch, 'joined has the private channel');
    assert.deepEqual(ch.events.map((x) => x.id), [id]);
    assert.equal(ch.events[0].text, 'Read this when you are back');
    await back.close();
});

test('private channels are readable only by their owner', { timeout: 60000 }, async (t) => {
    const stack = await startStack(t);
    const anna = await stack.enter('s1', 'anna');
    const rasa = await stack.enter('s1', 'rasa');
    const mikael = await stack.enter('s1', 'mikael');
    const id = anna.dm(PEOPLE.rasa.sub, 'just for Rasa');
    await anna.acked(id);

    const e = await mikael.expectError({ type: 'history', channel: `user:${PEOPLE.rasa.sub}`, ref: 'h1' });
    assert.equal(e.code, 'forbidden_channel');
    const own = await rasa.history(`user:${PEOPLE.rasa.sub}`);
    assert.deepEqual(own.events.map((x) => x.id), [id]);
    const mine = await anna.history(`user:${PEOPLE.anna.sub}`);
    assert.deepEqual(mine.events.map((x) => x.id), [id]);

    // A fresh join of a third member shows no one else's private channel.
    const fresh = stack.client('s1', 'kadri');
    const joined = await fresh.enter();
    for (const ch of Object.keys(joined.channels)) {
        assert.ok(!ch.startsWith('user:') || ch === `user:${PEOPLE.kadri.sub}`, `kadri reads ${ch}`);
    }
    assert.ok(!JSON.stringify(joined).includes('just for Rasa'));
    // Nor does a resume that asks for someone else's channel.
    const sneaky = stack.client('s1', 'mikael');
    await sneaky.connect();
    await sneaky.auth();
    const j2 = await sneaky.join({ since: { [`user:${PEOPLE.rasa.sub}`]: { epoch: joined.epoch, offset: 0 } } });
    assert.equal(j2.channels[`user:${PEOPLE.rasa.sub}`], undefined);
    assert.ok(!JSON.stringify(j2).includes('just for Rasa'));
    await fresh.close();
    await sneaky.close();
});
