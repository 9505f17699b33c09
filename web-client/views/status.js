// The banner under the header: connection trouble (with a countdown and a
// "reconnect now" button) and server errors, translated by their code.
import { h, setText, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';

export function errorText(ui, code) {
  const key = `error.${code}`;
  const s = ui.t(key);
  return s === key ? ui.t('error.unknown', { code }) : s;
}

export function mount(el, actions) {
  const connBox = h('div', { className: 'banner banner-conn' });
  const connText = h('p', { className: 'banner-text' });
  const connHint = h('p', { className: 'banner-hint' });
  const retry = h('button', { className: 'btn', attrs: { type: 'button' }, on: { click: () => actions.retryNow() } });
  connBox.append(connText, connHint, retry);
  // Announces only changes of status, not every tick of the countdown.
  const live = h('p', { className: 'sr-only', attrs: { role: 'status' } });
  const errors = h('ul', { className: 'error-list' });
  const alert = h('div', { attrs: { role: 'alert' } }, [errors]);
  el.append(live, connBox, alert);

  return {
    update({ state, ui, now }) {
      const st = state.conn.status;
      const trouble = st === 'reconnecting' || st === 'failed';
      show(connBox, trouble);
      connBox.dataset.status = st;
      if (st === 'reconnecting') {
        const seconds = Math.max(1, Math.ceil((state.conn.retryAt - now) / 1000));
        setText(connText, state.conn.retryAt > now ? ui.t('conn.reconnecting', { seconds }) : ui.t('conn.reconnectingSoon'));
        setText(connHint, '');
      } else if (st === 'failed') {
        setText(connText, state.fatal ? `${ui.t('conn.failed')} ${errorText(ui, state.fatal)}` : ui.t('conn.failed'));
        setText(connHint, ui.t('conn.failedHint'));
      }
      show(connHint, st === 'failed');
      show(retry, st === 'reconnecting');
      setText(retry, ui.t('conn.retryNow'));
      setText(live, st === 'reconnecting' ? ui.t('conn.reconnectingSoon') : st === 'failed' ? ui.t('conn.failed') : '');

      const shown = state.errors.filter((e) => !(st === 'failed' && e.code === state.fatal));
      reconcile(errors, shown, {
        key: (e) => String(e.seq),
        create: (e) => {
          const li = h('li', { className: 'error-item' });
          const text = h('span', { className: 'error-text' });
          const close = h('button', { className: 'btn btn-quiet', attrs: { type: 'button' }, on: { click: () => actions.dismissError(e.seq) } });
          li.append(text, close);
          return li;
        },
        update: (li, e) => {
          setText(li.firstChild, errorText(ui, e.code));
          setText(li.lastChild, ui.t('error.dismiss'));
        },
      });
      show(errors, shown.length > 0);
    },
  };
}
