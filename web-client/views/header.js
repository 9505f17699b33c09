// The top bar: product name, the session (its title and start in the
// member's own time zone once the programme plans it), connection dot,
// "leave" and the language switch.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { LANGUAGES } from '../lib/i18n.js';
import { LANGUAGE_NAMES } from '../i18n/index.js';
import { connectionLabel } from '../lib/state.js';

/** The programme's entry for this session, if the programme plans it (section 10.8). */
export function plannedEntry(state) {
  const p = state.live && state.live.programme;
  if (!state.session || !p || !Array.isArray(p.sessions)) return null;
  return p.sessions.find((e) => e && e.session === state.session && typeof e.title === 'string' && Number.isFinite(e.start)) || null;
}

export function mount(el, actions) {
  const title = h('h1', { className: 'app-title' });
  const session = h('span', { className: 'app-session' });
  const dot = h('span', { className: 'conn-dot', attrs: { 'aria-hidden': 'true' } });
  const conn = h('span', { className: 'conn-label' });
  const select = h('select', { attrs: { id: 'lang-select' } });
  for (const code of LANGUAGES) {
    select.appendChild(h('option', { text: LANGUAGE_NAMES[code], attrs: { value: code, lang: code } }));
  }
  select.addEventListener('change', () => actions.setLanguage(select.value));
  const label = h('label', { className: 'lang-label', attrs: { for: 'lang-select' } });
  const leave = h('button', { className: 'btn btn-quiet leave-session', attrs: { type: 'button' }, on: { click: () => actions.leave() } });
  el.appendChild(h('div', { className: 'brand' }, [title, session]));
  el.appendChild(h('div', { className: 'header-tools' }, [
    h('span', { className: 'conn' }, [dot, conn]),
    leave,
    h('span', { className: 'lang' }, [label, select]),
  ]));

  return {
    update({ state, ui, now }) {
      setText(title, ui.t('app.title'));
      const planned = plannedEntry(state);
      setText(session, planned ? ui.t('app.sessionPlanned', { title: planned.title, when: ui.fmt.when(planned.start, now || Date.now()) })
        : state.session ? ui.t('app.session', { session: state.session }) : '');
      setAttr(session, 'title', planned ? ui.fmt.full(planned.start) : null);
      const status = state.session ? state.conn.status : 'idle';
      setAttr(dot, 'data-status', status);
      const said = connectionLabel(state, now || Date.now());
      setText(conn, ui.t(said.key, said.values));
      conn.dataset.key = said.key;
      show(conn.parentNode, !!state.session);
      setText(leave, ui.t('conn.leave'));
      show(leave, !!state.session && status !== 'left' && status !== 'failed' && status !== 'idle');
      setText(label, ui.t('lang.label'));
      if (select.value !== ui.lang) select.value = ui.lang;
    },
  };
}
