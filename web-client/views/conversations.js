// The conversation switcher: the room chat and one entry per private chat,
// with unread counts.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { conversations } from '../lib/state.js';

export function mount(el, actions) {
  const nav = h('nav', { className: 'conv-nav' });
  const list = h('ul', { className: 'conv-list' });
  nav.appendChild(list);
  el.appendChild(nav);

  function create(c) {
    const label = h('span', { className: 'conv-label' });
    const badge = h('span', { className: 'conv-badge', attrs: { 'aria-hidden': 'true' } });
    const btn = h('button', { className: 'conv-btn', attrs: { type: 'button' }, on: { click: () => actions.select(c.key) } }, [label, badge]);
    const li = h('li', { className: 'conv-item' }, [btn]);
    li.refs = { btn, label, badge };
    return li;
  }

  return {
    update({ state, ui }) {
      setAttr(nav, 'aria-label', ui.t('conv.label'));
      reconcile(list, conversations(state), {
        key: (c) => c.key,
        create,
        update: (li, c) => {
          const r = li.refs;
          const roomLabel = state.room && state.room !== 'main' ? ui.t('conv.breakout') : ui.t('conv.room');
          setText(r.label, c.peer ? c.name : roomLabel);
          const full = c.peer ? ui.t('conv.privateWith', { name: c.name }) : roomLabel;
          const unread = c.unread > 0 ? `, ${ui.t('conv.unread', { count: c.unread })}` : '';
          setAttr(r.btn, 'title', full);
          setAttr(r.btn, 'aria-label', full + unread);
          setAttr(r.btn, 'aria-current', c.key === state.active ? 'true' : null);
          setAttr(r.btn, 'data-kind', c.peer ? 'private' : 'room');
          show(r.badge, c.unread > 0);
          setText(r.badge, c.unread > 99 ? '99+' : String(c.unread));
        },
      });
    },
  };
}
