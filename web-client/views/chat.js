// The chat pane: the selected conversation's messages (with "sending" and
// "not sent" states), "show older", the composer, and a live region that
// announces incoming messages to screen readers.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { conversationView } from '../lib/state.js';
import { errorText } from './status.js';
import { mount as mountConversations } from './conversations.js';

const NEAR_BOTTOM_PX = 48;

/** The notice a room event without text shows in the log. */
export function systemText(ui, e) {
  if (e.type === 'breakout_notes') {
    const rooms = Array.isArray(e.rooms) ? e.rooms : [];
    const lines = [ui.t('chat.breakoutNotes')];
    for (const r of rooms) {
      const notes = Array.isArray(r.notes) ? r.notes : [];
      const who = (Array.isArray(r.members) ? r.members : []).map((m) => m.name || m.id).join(', ');
      lines.push(`${r.room}${who ? ` (${who})` : ''}:`);
      if (!notes.length) lines.push(`  ${ui.t('chat.breakoutNoNotes')}`);
      for (const n of notes) lines.push(`  • ${n.text}${n.from && n.from.name ? ` — ${n.from.name}` : ''}`);
    }
    return lines.join('\n');
  }
  if (e.type === 'recording') {
    const name = e.by && (e.by.name || e.by.id);
    if (e.state === 'started') return name ? ui.t('chat.recordingStartedBy', { name }) : ui.t('chat.recordingStarted');
    const minutes = Math.max(1, Math.round((Number(e.duration_ms) || 0) / 60000));
    if (e.error) return ui.t('chat.recordingFailed', { minutes });
    return name ? ui.t('chat.recordingStoppedBy', { name, minutes }) : ui.t('chat.recordingStopped', { minutes });
  }
  return '';
}

export function mount(el, actions) {
  const convs = h('div', { className: 'chat-convs' });
  const note = h('p', { className: 'chat-note' });
  const older = h('button', { className: 'btn btn-small chat-older', attrs: { type: 'button' }, on: { click: () => actions.loadOlder() } });
  const start = h('p', { className: 'chat-start' });
  const log = h('ol', { className: 'chat-log' });
  const empty = h('p', { className: 'chat-empty' });
  const scroller = h('div', { className: 'chat-scroll', attrs: { tabindex: '0' } }, [older, start, log, empty]);
  const label = h('label', { className: 'composer-label', attrs: { for: 'composer-text' } });
  const text = h('textarea', { className: 'composer-text', attrs: { id: 'composer-text', rows: '2', 'aria-describedby': 'composer-hint', autocomplete: 'off' } });
  const send = h('button', { className: 'btn btn-primary composer-send', attrs: { type: 'submit' } });
  const hint = h('p', { className: 'composer-hint', attrs: { id: 'composer-hint' } });
  const form = h('form', { className: 'composer' }, [label, h('div', { className: 'composer-row' }, [text, send]), hint]);
  const announcer = h('p', { className: 'sr-only', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });
  el.append(convs, note, scroller, form, announcer);
  const convView = mountConversations(convs, actions);

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    // After a refused sign-in nothing is sent; what was typed stays in the box.
    if (!send.disabled && actions.send(text.value)) text.value = '';
    text.focus();
  });
  text.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });

  // Whether the reader is at the newest message; then new messages and size changes keep them there.
  let pinned = true;
  const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  scroller.addEventListener('scroll', () => { pinned = atBottom(); }, { passive: true });
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(() => { if (pinned) scroller.scrollTop = scroller.scrollHeight; }).observe(scroller);
  }

  let shownConv = null;
  const drafts = new Map();
  let lastAnnounce = 0;
  let ui = null;

  function create(item) {
    if (item.system) {
      const text = h('p', { className: 'msg-system-text' });
      const time = h('time', { className: 'msg-time' });
      const li = h('li', { className: 'msg-system' }, [text, time]);
      li.refs = { text, time };
      return li;
    }
    const li = h('li', { className: 'msg' });
    const author = h('span', { className: 'msg-author' });
    const role = h('span', { className: 'msg-role' });
    const tag = h('span', { className: 'msg-tag' });
    const time = h('time', { className: 'msg-time' });
    const body = h('p', { className: 'msg-text' });
    const status = h('p', { className: 'msg-status' });
    const retry = h('button', { className: 'btn btn-small', attrs: { type: 'button' }, on: { click: () => actions.retry(item.id) } });
    const discard = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' }, on: { click: () => actions.discard(item.id) } });
    const tools = h('div', { className: 'msg-tools' }, [retry, discard]);
    li.append(h('div', { className: 'msg-meta' }, [author, role, tag, time]), body, status, tools);
    li.refs = { author, role, tag, time, body, status, tools, retry, discard };
    return li;
  }

  function updateSystem(li, item, now) {
    const r = li.refs;
    li.dataset.kind = item.system;
    setText(r.text, systemText(ui, item.event));
    setText(r.time, ui.fmt.when(item.ts, now));
    setAttr(r.time, 'datetime', Number.isFinite(item.ts) ? new Date(item.ts).toISOString() : null);
  }

  function updateItem(li, item, now) {
    if (item.system) {
      updateSystem(li, item, now);
      return;
    }
    const r = li.refs;
    li.classList.toggle('msg-mine', item.mine);
    li.dataset.status = item.status;
    li.dataset.kind = item.kind || 'chat';
    const tagKey = item.kind === 'broadcast' ? 'chat.tagBroadcast' : item.kind === 'breakout_note' ? 'chat.tagNote' : null;
    setText(r.tag, tagKey ? ui.t(tagKey) : '');
    show(r.tag, !!tagKey);
    setText(r.author, item.mine ? ui.t('chat.you') : (item.from.name || item.from.id || ''));
    const roleKey = `role.${item.from.role}`;
    setText(r.role, !item.mine && item.from.role && ui.t(roleKey) !== roleKey ? ui.t(roleKey) : '');
    setText(r.time, ui.fmt.when(item.ts, now));
    setAttr(r.time, 'datetime', Number.isFinite(item.ts) ? new Date(item.ts).toISOString() : null);
    setAttr(r.time, 'title', ui.fmt.full(item.ts) || null);
    setText(r.body, item.text);
    const statusText = item.status === 'sending' ? ui.t('chat.sending')
      : item.status === 'failed' ? ui.t('chat.failed', { reason: errorText(ui, item.error) }) : '';
    setText(r.status, statusText);
    show(r.status, statusText !== '');
    show(r.tools, item.status === 'failed');
    setText(r.retry, ui.t('chat.retry'));
    setText(r.discard, ui.t('chat.discard'));
  }

  return {
    update(vm) {
      const { state, now } = vm;
      ui = vm.ui;
      convView.update(vm);
      const view = conversationView(state, state.active);
      const peerName = view.peer ? (state.names[view.peer] || view.peer) : null;
      const inBreakout = state.room && state.room !== 'main';
      setText(note, view.peer ? ui.t('chat.privateNote', { name: peerName }) : inBreakout ? ui.t('chat.breakoutNote') : ui.t('chat.roomNote'));
      note.dataset.kind = view.peer ? 'private' : 'room';
      setAttr(scroller, 'aria-label', ui.t('chat.log'));
      setAttr(log, 'aria-label', ui.t('chat.log'));
      setText(label, view.peer ? ui.t('chat.composePrivate', { name: peerName }) : inBreakout ? ui.t('chat.composeBreakout') : ui.t('chat.composeRoom'));
      setText(send, ui.t('chat.send'));
      const st = state.conn.status;
      setText(hint, ui.t(st === 'online' ? 'chat.hint' : st === 'failed' ? 'chat.stopped' : 'chat.queued'));
      send.disabled = st === 'failed';
      const olderHadFocus = document.activeElement === older;
      show(older, view.more);
      if (olderHadFocus && !view.more) scroller.focus();
      older.disabled = view.loading;
      setText(older, view.loading ? ui.t('chat.loadingOlder') : ui.t('chat.loadOlder'));
      const loaded = !!view.channel && !!state.channels[view.channel];
      show(start, loaded && !view.more && view.items.length > 0);
      setText(start, ui.t('chat.start'));
      show(empty, view.items.length === 0);
      setText(empty, ui.t('chat.empty'));

      const switched = shownConv !== state.active;
      if (switched) {
        // Each conversation keeps its own unsent draft.
        if (shownConv !== null) drafts.set(shownConv, text.value);
        text.value = drafts.get(state.active) || '';
        drafts.delete(state.active);
      }
      shownConv = state.active;
      const nearBottom = pinned || atBottom();
      const firstBefore = log.firstChild;
      const heightBefore = scroller.scrollHeight;
      const topBefore = scroller.scrollTop;
      const lastBefore = log.lastChild;
      reconcile(log, view.items, { key: (i) => i.key, create, update: (li, item) => updateItem(li, item, now) });
      const lastIsMine = log.lastChild && log.lastChild !== lastBefore && log.lastChild.classList.contains('msg-mine');
      if (switched || nearBottom || lastIsMine) {
        scroller.scrollTop = scroller.scrollHeight;
        pinned = true;
      } else if (firstBefore && log.firstChild !== firstBefore) {
        // Older messages were put above: keep the ones being read in place.
        scroller.scrollTop = topBefore + (scroller.scrollHeight - heightBefore);
      }

      if (state.announce && state.announce.seq !== lastAnnounce) {
        lastAnnounce = state.announce.seq;
        const a = state.announce;
        setText(announcer, ui.t(a.private ? 'chat.announcePrivate' : 'chat.announceRoom', { name: a.name, text: a.text }));
      }
    },
  };
}
