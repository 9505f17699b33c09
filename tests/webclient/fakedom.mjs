// A tiny stand-in for the DOM parts the list helper uses: a parent with
// ordered children, insertBefore (which moves a node already in place) and
// removeChild. It counts operations so tests can check that stable nodes are
// left alone.

export class FakeNode {
  constructor(name = '') {
    this.name = name;
    this.parentNode = null;
    this.children = [];
    this.ops = { insert: 0, remove: 0 };
  }

  get firstChild() {
    return this.children[0] || null;
  }

  get nextSibling() {
    if (!this.parentNode) return null;
    const list = this.parentNode.children;
    return list[list.indexOf(this) + 1] || null;
  }

  insertBefore(node, ref) {
    if (ref !== null && ref.parentNode !== this) throw new Error('reference is not a child');
    if (node === ref) throw new Error('insertBefore(node, node)');
    if (node.parentNode) node.parentNode.children.splice(node.parentNode.children.indexOf(node), 1);
    const at = ref === null ? this.children.length : this.children.indexOf(ref);
    this.children.splice(at, 0, node);
    node.parentNode = this;
    this.ops.insert += 1;
    return node;
  }

  appendChild(node) {
    return this.insertBefore(node, null);
  }

  removeChild(node) {
    const i = this.children.indexOf(node);
    if (i < 0) throw new Error('not a child');
    this.children.splice(i, 1);
    node.parentNode = null;
    this.ops.remove += 1;
    return node;
  }
}
