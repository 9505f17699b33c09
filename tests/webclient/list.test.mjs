// The keyed list reconciliation helper, on a small fake DOM.
import test from 'node:test';
import assert from 'node:assert/strict';
import { reconcile } from '../../web-client/lib/list.js';
import { FakeNode } from './fakedom.mjs';

function render(parent, keys, log = []) {
  return reconcile(parent, keys.map((k) => ({ k, label: `item ${k}` })), {
    key: (item) => item.k,
    create: (item) => new FakeNode(item.k),
    update: (node, item, index) => {
      node.label = item.label;
      node.index = index;
      log.push(item.k);
    },
  });
}
const names = (parent) => parent.children.map((n) => n.name);

test('creates nodes in order and updates each once', () => {
  const ul = new FakeNode('ul');
  const log = [];
  const stats = render(ul, ['a', 'b', 'c'], log);
  assert.deepEqual(names(ul), ['a', 'b', 'c']);
  assert.deepEqual(stats, { created: 3, moved: 0, removed: 0 });
  assert.deepEqual(log, ['a', 'b', 'c']);
  assert.deepEqual(ul.children.map((n) => n.index), [0, 1, 2]);
});

test('the same items again touch no node positions (idempotent)', () => {
  const ul = new FakeNode('ul');
  render(ul, ['a', 'b', 'c']);
  const nodes = ul.children.slice();
  const ops = { ...ul.ops };
  const stats = render(ul, ['a', 'b', 'c']);
  assert.deepEqual(stats, { created: 0, moved: 0, removed: 0 });
  assert.deepEqual(ul.ops, ops);
  assert.ok(ul.children.every((n, i) => n === nodes[i]), 'the very same nodes');
});

test('appending and prepending keep existing nodes where they are', () => {
  const ul = new FakeNode('ul');
  render(ul, ['c', 'd']);
  const [c, d] = ul.children;
  let stats = render(ul, ['c', 'd', 'e']);
  assert.deepEqual(stats, { created: 1, moved: 0, removed: 0 });
  stats = render(ul, ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(stats, { created: 2, moved: 0, removed: 0 });
  assert.deepEqual(names(ul), ['a', 'b', 'c', 'd', 'e']);
  assert.equal(ul.children[2], c);
  assert.equal(ul.children[3], d);
});

test('removals and reorders', () => {
  const ul = new FakeNode('ul');
  render(ul, ['a', 'b', 'c', 'd']);
  const b = ul.children[1];
  let stats = render(ul, ['b', 'd']);
  assert.deepEqual(stats, { created: 0, moved: 0, removed: 2 });
  assert.deepEqual(names(ul), ['b', 'd']);
  assert.equal(ul.children[0], b);
  stats = render(ul, ['d', 'x', 'b']);
  assert.deepEqual(names(ul), ['d', 'x', 'b']);
  assert.equal(stats.created, 1);
  assert.equal(stats.moved, 1, 'one move is enough to swap two');
  stats = render(ul, []);
  assert.deepEqual(names(ul), []);
  assert.equal(stats.removed, 3);
});

test('a key that comes back after removal gets a new node', () => {
  const ul = new FakeNode('ul');
  render(ul, ['a']);
  const first = ul.children[0];
  render(ul, []);
  render(ul, ['a']);
  assert.notEqual(ul.children[0], first);
});

test('random sequences always end in the requested order', () => {
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const ul = new FakeNode('ul');
  const pool = 'abcdefghijklmnop'.split('');
  for (let round = 0; round < 300; round++) {
    const keys = pool.filter(() => rnd() < 0.6).sort(() => rnd() - 0.5);
    render(ul, keys);
    assert.deepEqual(names(ul), keys);
  }
});

test('duplicate keys are a programming error', () => {
  assert.throws(() => render(new FakeNode('ul'), ['a', 'a']), /duplicate key a/);
});

test('separate parents keep separate registries', () => {
  const one = new FakeNode('one');
  const two = new FakeNode('two');
  render(one, ['a', 'b']);
  render(two, ['a']);
  assert.deepEqual(names(one), ['a', 'b']);
  assert.deepEqual(names(two), ['a']);
  assert.notEqual(one.children[0], two.children[0]);
});
