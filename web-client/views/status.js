// The banner under the header: connection trouble (with a countdown, what
// happens to messages written meanwhile and a "reconnect now" button), the
// end of reconnecting when the sign-in expired or was refused, and server
// errors, translated by their code. A live region announces each change of
// the connection's state (connecting, reconnecting and what is being
// recovered, recovered, expired, signed out), not every countdown tick.
import { h, setText, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { connectionLabel } from '../lib/state.js';

// A live region's first words are only announced once it is in the accessibility tree.
const FIRST_SAY_MS = 250;

export function errorText(ui, code) {
  const key = `error.${code}`;
  const s = ui.t(key);
  return s === key ? ui.t('error.unknown', { code }) : s;
}

/**
 * What the connection banner shows and its live region says:
 * {banner: null | {text, hint, retry (whether "reconnect now" applies),
 * rejoin (whether "join again" applies)}, live}.
 */
export function connectionNotice(state, ui, now) {
  const st = state.conn.status;
  if (st === 'reconnecting') {
    const waiting = state.conn.retryAt > now;
    const seconds = Math.max(1, Math.ceil((state.conn.retryAt - now) / 1000));
    const label = connectionLabel(state, now);
    return {
      banner: {
        text: waiting ? ui.t('conn.reconnecting', { seconds }) : ui.t('conn.reconnectingSoon'),
        hint: ui.t('conn.reconnectingHint'),
        retry: waiting,
      },
      live: ui.t(label.key, label.values),
    };
  }
  if (st === 'failed') {
    const expired = state.fatal === 'token_expired';
    const reason = state.fatal && !expired ? errorText(ui, state.fatal) : '';
    const text = [ui.t(expired ? 'conn.expiredBanner' : 'conn.signedOutBanner'), reason].filter(Boolean).join(' ');
    const hint = ui.t('conn.failedHint');
    return { banner: { text, hint, retry: false }, live: `${text} ${hint}` };
  }
  if (st === 'left') {
    const unsent = state.pending.length;
    const hint = unsent ? ui.t('conn.leftUnsent', { count: unsent }) : ui.t('conn.leftHint');
    return { banner: { text: ui.t('conn.leftBanner'), hint, retry: false, rejoin: true }, live: ui.t('conn.leftBanner') };
  }
  if (st === 'online') return { banner: null, live: ui.t(state.conn.recoveredAt ? 'conn.recovered' : 'conn.online') };
  if (st === 'connecting') return { banner: null, live: ui.t('conn.connecting') };
  return { banner: null, live: '' };
}

export function mount(el, actions) {
  const connBox = h('div', { className: 'banner banner-conn' });
  const connText = h('p', { className: 'banner-text' });
  const connHint = h('p', { className: 'banner-hint' });
  const retry = h('button', { className: 'btn', attrs: { type: 'button' }, on: { click: () => actions.retryNow() } });
  const rejoin = h('button', { className: 'btn btn-primary', attrs: { type: 'button' }, on: { click: () => actions.rejoin() } });
  connBox.append(connText, connHint, retry, rejoin);
  const live = h('p', { className: 'sr-only', attrs: { role: 'status' } });
  const errors = h('ul', { className: 'error-list' });
  const alert = h('div', { attrs: { role: 'alert' } }, [errors]);
  el.append(live, connBox, alert);
  const mountedAt = Date.now();
  let liveWanted = '';
  let liveTimer = null;

  function say(text) {
    liveWanted = text;
    const wait = mountedAt + FIRST_SAY_MS - Date.now();
    if (wait <= 0) {
      setText(live, text);
    } else if (liveTimer === null) {
      liveTimer = setTimeout(() => setText(live, liveWanted), wait);
    }
  }

  return {
    update({ state, ui, now }) {
      const notice = connectionNotice(state, ui, now);
      const st = state.conn.status;
      show(connBox, !!notice.banner);
      connBox.dataset.status = st;
      if (notice.banner) {
        setText(connText, notice.banner.text);
        setText(connHint, notice.banner.hint);
      }
      show(retry, !!(notice.banner && notice.banner.retry));
      setText(retry, ui.t('conn.retryNow'));
      show(rejoin, !!(notice.banner && notice.banner.rejoin));
      setText(rejoin, ui.t('conn.rejoin'));
      say(notice.live);

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
