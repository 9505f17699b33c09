// Keyed list reconciliation: the one helper every view uses to show a list.
// It keeps one DOM node per key, reuses it across updates, moves only nodes
// that are out of place and removes nodes whose key disappeared, so focus and
// scroll position survive updates. Needs only firstChild, nextSibling,
// insertBefore and removeChild of the parent.

const registry = new WeakMap();

/**
 * Makes parent's children match items, in order.
 * key(item) -> string, unique within items;
 * create(item) -> a new node for that key (called once per key);
 * update(node, item, index) -> brings the node up to date (called for every item).
 * Returns the number of nodes created, moved and removed, for tests.
 */
export function reconcile(parent, items, { key, create, update }) {
  let nodes = registry.get(parent);
  if (!nodes) {
    nodes = new Map();
    registry.set(parent, nodes);
  }
  const stats = { created: 0, moved: 0, removed: 0 };
  const wanted = new Map();
  for (const item of items) {
    const k = key(item);
    if (wanted.has(k)) throw new Error(`reconcile: duplicate key ${k}`);
    wanted.set(k, item);
  }
  for (const [k, node] of nodes) {
    if (wanted.has(k)) continue;
    parent.removeChild(node);
    nodes.delete(k);
    stats.removed += 1;
  }
  let cursor = parent.firstChild;
  let index = 0;
  for (const [k, item] of wanted) {
    let node = nodes.get(k);
    if (!node) {
      node = create(item);
      nodes.set(k, node);
      stats.created += 1;
    }
    update(node, item, index);
    if (node === cursor) {
      cursor = cursor.nextSibling;
    } else {
      if (node.parentNode === parent) stats.moved += 1;
      parent.insertBefore(node, cursor);
    }
    index += 1;
  }
  return stats;
}
