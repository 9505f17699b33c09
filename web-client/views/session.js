// The session panel: tabs (agenda, hands, topics, workshop, feedback,
// breakouts, ...) following the ARIA tabs pattern (arrow keys, Home, End),
// each tab a view of its own. A tab appears only when its feature has
// something to show; a badge tells of news in a tab that is not open.
import { h, setText, setAttr, show } from '../lib/dom.js';

/**
 * panels: [{id, label(ui) -> string, visible(state) -> bool, badge(state) ->
 * string | null, mount(el, actions) -> {update(vm)}}]. The first visible
 * panel is open until the user picks another (or actions.openTab(id) opens
 * one, for example when a breakout starts); if the picked one hides, the
 * first visible is open until it shows again.
 */
export function mount(el, actions, panels) {
  const tablist = h('div', { className: 'tabs', attrs: { role: 'tablist' } });
  const bodies = h('div', { className: 'tab-bodies' });
  el.append(tablist, bodies);
  let open = null;
  let wanted = null;

  const tabs = panels.map((p) => {
    const label = h('span', { className: 'tab-label' });
    const badge = h('span', { className: 'tab-badge' });
    const btn = h('button', {
      className: 'tab',
      attrs: { type: 'button', role: 'tab', id: `tab-${p.id}`, 'aria-controls': `panel-${p.id}`, 'aria-selected': 'false', tabindex: '-1' },
      on: { click: () => select(p.id, false) },
    }, [label, badge]);
    const body = h('div', { className: 'tab-panel', attrs: { role: 'tabpanel', id: `panel-${p.id}`, 'aria-labelledby': `tab-${p.id}`, tabindex: '0' } });
    body.hidden = true;
    tablist.appendChild(btn);
    bodies.appendChild(body);
    return { p, btn, label, badge, body, view: p.mount(body, actions) };
  });

  let lastVm = null;
  function select(id, focus) {
    wanted = id;
    if (lastVm) render(lastVm);
    const t = tabs.find((x) => x.p.id === open);
    if (focus && t) t.btn.focus();
  }

  tablist.addEventListener('keydown', (ev) => {
    const visible = tabs.filter((t) => !t.btn.hidden);
    const i = visible.findIndex((t) => t.btn === document.activeElement);
    if (i < 0) return;
    let j = null;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') j = (i + 1) % visible.length;
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') j = (i - 1 + visible.length) % visible.length;
    else if (ev.key === 'Home') j = 0;
    else if (ev.key === 'End') j = visible.length - 1;
    if (j === null) return;
    ev.preventDefault();
    select(visible[j].p.id, true);
  });

  function render(vm) {
    const { state, ui } = vm;
    setAttr(tablist, 'aria-label', ui.t('session.tabs'));
    const visible = tabs.filter((t) => t.p.visible(state));
    // The tab asked for (by the user or by an event) while it can show; else the first one.
    open = wanted && visible.some((t) => t.p.id === wanted) ? wanted : visible.length ? visible[0].p.id : null;
    show(el, visible.length > 0);
    for (const t of tabs) {
      const isVisible = visible.includes(t);
      const isOpen = t.p.id === open;
      show(t.btn, isVisible);
      setText(t.label, t.p.label(ui));
      setAttr(t.btn, 'aria-selected', isOpen ? 'true' : 'false');
      setAttr(t.btn, 'tabindex', isOpen ? '0' : '-1');
      const badge = !isOpen && t.p.badge ? t.p.badge(state) : null;
      setText(t.badge, badge || '');
      show(t.badge, !!badge);
      show(t.body, isOpen && isVisible);
      // Hidden panels still update: their live regions and timers stay right.
      if (isVisible) t.view.update(vm);
    }
  }

  actions.openTab = (id) => select(id, false);

  return {
    update(vm) {
      lastVm = vm;
      render(vm);
    },
    tick(vm) {
      for (const t of tabs) if (t.view.tick && !t.btn.hidden) t.view.tick(vm);
    },
  };
}
