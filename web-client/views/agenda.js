// The agenda tab: the running item with a live countdown in server time
// (the same on every screen), the list of items, and, for coordinators and
// the session's host, the controls (start, pause, extend, next, previous,
// jump, skip, reorder, add, remove, auto-advance). A live region announces
// a new item, one minute left and time up.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { serverNow } from '../lib/clock.js';
import { timeLeft, formatClock, minutesOf, countdownCue } from '../lib/timefmt.js';
import { agendaTimer, canHost } from '../lib/live-state.js';
import { agendaRound } from '../lib/breakout-state.js';
import { mount as mountNotes } from './notes.js';

export const AGENDA_KINDS = ['plenary', 'breakout', 'talk', 'qa', 'feedback'];
const MAX_TITLE_BYTES = 120;

export function mount(el, actions) {
  const send = (op, fields = {}) => actions.live('agenda', op, fields);

  // Now: the current item and its clock.
  const nowLabel = h('p', { className: 'agenda-now-label' });
  const nowTitle = h('p', { className: 'agenda-now-title', attrs: { id: 'agenda-now-title' } });
  const nowMeta = h('p', { className: 'agenda-now-meta' });
  const clock = h('p', { className: 'agenda-clock', attrs: { role: 'timer', id: 'agenda-clock', 'aria-labelledby': 'agenda-now-title' } });
  const bar = h('progress', { className: 'agenda-progress', attrs: { max: '1', value: '0' } });
  const stateText = h('p', { className: 'agenda-state' });
  const nowBox = h('div', { className: 'agenda-now' }, [nowLabel, nowTitle, nowMeta, clock, bar, stateText]);

  // Host controls.
  const btn = (cls, on) => h('button', { className: `btn btn-small ${cls}`, attrs: { type: 'button' }, on: { click: on } });
  const startBtn = btn('btn-primary agenda-start', () => send('start'));
  const pauseBtn = btn('agenda-pause', () => send('pause'));
  const resumeBtn = btn('btn-primary agenda-resume', () => send('resume'));
  const plus1 = btn('agenda-plus1', () => send('extend', { ms: 60000 }));
  const plus5 = btn('agenda-plus5', () => send('extend', { ms: 300000 }));
  const prevBtn = btn('agenda-prev', () => send('previous'));
  const nextBtn = btn('agenda-next', () => send('next'));
  const autoBox = h('input', { attrs: { type: 'checkbox', id: 'agenda-auto' }, on: { change: () => send('auto_advance', { on: autoBox.checked }) } });
  const autoLabel = h('label', { attrs: { for: 'agenda-auto' } });
  const controls = h('div', { className: 'agenda-controls' }, [
    h('div', { className: 'tools' }, [startBtn, pauseBtn, resumeBtn, plus1, plus5, prevBtn, nextBtn]),
    h('span', { className: 'choice' }, [autoBox, autoLabel]),
  ]);

  // The items.
  const listHeading = h('h3', { className: 'panel-heading', attrs: { id: 'agenda-list-heading' } });
  const list = h('ol', { className: 'panel-list agenda-items', attrs: { 'aria-labelledby': 'agenda-list-heading' } });
  const empty = h('p', { className: 'panel-empty' });

  // Adding an item (hosts).
  const fTitleLabel = h('label', { attrs: { for: 'agenda-new-title' } });
  const fTitle = h('input', { attrs: { type: 'text', id: 'agenda-new-title', maxlength: String(MAX_TITLE_BYTES), autocomplete: 'off' } });
  const fKindLabel = h('label', { attrs: { for: 'agenda-new-kind' } });
  const fKind = h('select', { attrs: { id: 'agenda-new-kind' } }, AGENDA_KINDS.map((k) => h('option', { attrs: { value: k } })));
  const fMinLabel = h('label', { attrs: { for: 'agenda-new-minutes' } });
  const fMin = h('input', { attrs: { type: 'number', id: 'agenda-new-minutes', min: '1', max: '480', step: '1', value: '10' } });
  const fSubmit = h('button', { className: 'btn btn-small', attrs: { type: 'submit' } });
  const form = h('form', { className: 'panel-form agenda-add' }, [
    h('div', {}, [fTitleLabel, fTitle]),
    h('div', { className: 'panel-row' }, [h('div', {}, [fKindLabel, fKind]), h('div', {}, [fMinLabel, fMin])]),
    h('div', {}, [fSubmit]),
  ]);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const title = fTitle.value.trim();
    const minutes = Math.round(Number(fMin.value));
    if (!title || !(minutes >= 1 && minutes <= 480)) {
      (title ? fMin : fTitle).focus();
      return;
    }
    if (send('add', { title, kind: fKind.value, timebox_ms: minutes * 60000 })) fTitle.value = '';
    fTitle.focus();
  });

  const live = h('p', { className: 'sr-only', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });
  const notesBox = h('div', { className: 'agenda-notes' });
  el.append(nowBox, controls, listHeading, list, empty, form, notesBox, live);
  const notes = mountNotes(notesBox, actions);

  let ui = null;
  let lastLeft = null;
  let lastCurrent = undefined;
  let lastVm = null;

  function createItem(item) {
    const li = h('li', { className: 'agenda-item' });
    const mark = h('span', { className: 'agenda-mark', attrs: { 'aria-hidden': 'true' } });
    const title = h('span', { className: 'agenda-item-title' });
    const meta = h('span', { className: 'agenda-item-meta' });
    const state = h('span', { className: 'sr-only' });
    const roundTag = h('span', { className: 'agenda-item-meta agenda-item-round' });
    const jump = btn('btn-quiet agenda-jump', () => send('jump', { item: item.id }));
    const skip = btn('btn-quiet agenda-skip', () => send('skip', { item: item.id }));
    const up = btn('btn-quiet agenda-up', () => send('move', { item: item.id, to: Math.max(0, li.index - 1) }));
    const down = btn('btn-quiet agenda-down', () => send('move', { item: item.id, to: li.index + 1 }));
    const remove = btn('btn-quiet agenda-remove', () => send('remove', { item: item.id }));
    const tools = h('div', { className: 'tools agenda-item-tools' }, [jump, skip, up, down, remove]);
    li.append(h('div', { className: 'agenda-item-line' }, [mark, title, state]), meta, roundTag, tools);
    li.refs = { mark, title, meta, state, roundTag, tools, jump, skip, up, down, remove };
    return li;
  }

  function updateItem(li, item, index, count, host, names, round) {
    const r = li.refs;
    // The breakout round this item runs (planned: coordinators; open: everyone).
    const mine = round && round.item === item.id ? round.state : null;
    li.dataset.round = mine || '';
    show(r.roundTag, !!mine);
    setText(r.roundTag, mine ? ui.t(`agenda.round.${mine}`) : '');
    li.index = index;
    li.dataset.state = item.state;
    setText(r.mark, { running: '▶', paused: '⏸', done: '✓', skipped: '–' }[item.state] || '•');
    setText(r.title, item.title);
    setText(r.state, `, ${ui.t(`agenda.state.${item.state}`)}`);
    const parts = [ui.t(`agenda.kind.${item.kind}`), ui.t('agenda.minutes', { minutes: minutesOf(item.timebox_ms + (item.extended_ms || 0)) })];
    if (item.lead) parts.push(ui.t('agenda.ledBy', { name: names[item.lead] || item.lead }));
    setText(r.meta, parts.join(' · '));
    show(r.tools, host);
    const current = item.state === 'running' || item.state === 'paused';
    show(r.jump, !current && item.state !== 'done');
    setText(r.jump, ui.t('agenda.jump'));
    setAttr(r.jump, 'aria-label', ui.t('agenda.jumpTo', { title: item.title }));
    show(r.skip, item.state === 'pending');
    setText(r.skip, ui.t('agenda.skip'));
    setAttr(r.skip, 'aria-label', ui.t('agenda.skipItem', { title: item.title }));
    r.up.disabled = index === 0;
    r.down.disabled = index === count - 1;
    setText(r.up, '↑');
    setText(r.down, '↓');
    setAttr(r.up, 'aria-label', ui.t('agenda.moveUp', { title: item.title }));
    setAttr(r.down, 'aria-label', ui.t('agenda.moveDown', { title: item.title }));
    setText(r.remove, ui.t('agenda.remove'));
    setAttr(r.remove, 'aria-label', ui.t('agenda.removeItem', { title: item.title }));
  }

  /* The clock only: runs several times a second while an item is current. */
  function tickClock(vm) {
    const a = vm.state.live.agenda;
    const timer = agendaTimer(a);
    const t = timer ? timeLeft(timer, serverNow(vm.state.clock, vm.now)) : null;
    setText(clock, t ? formatClock(t.leftMs) : '');
    show(clock, !!t);
    show(bar, !!(t && t.fraction !== null));
    if (t && t.fraction !== null) bar.value = t.fraction;
    clock.dataset.overtime = t && t.overtime ? 'true' : 'false';
    clock.dataset.paused = t && t.paused ? 'true' : 'false';
    setAttr(clock, 'data-left-ms', t ? Math.round(t.leftMs) : null);
    if (t) setText(stateText, t.paused ? ui.t('agenda.paused') : t.overtime ? ui.t('agenda.overtime') : ui.t('agenda.running'));
    const cue = t && !t.paused ? countdownCue(lastLeft, t.leftMs) : null;
    if (cue) setText(live, ui.t(cue === 'ended' ? 'agenda.cueEnded' : 'agenda.cueOneMinute', { title: timer.item ? timer.item.title : '' }));
    lastLeft = t ? t.leftMs : null;
  }

  return {
    update(vm) {
      lastVm = vm;
      ui = vm.ui;
      const { state } = vm;
      const a = state.live.agenda;
      const host = canHost(state);
      const items = a && Array.isArray(a.items) ? a.items : [];
      const timer = agendaTimer(a);
      const item = timer ? timer.item : null;

      setText(nowLabel, item ? ui.t('agenda.now') : '');
      show(nowLabel, !!item);
      setText(nowTitle, item ? item.title : a && a.state === 'finished' ? ui.t('agenda.finished') : ui.t('agenda.notStarted'));
      const lead = item && item.lead ? ui.t('agenda.ledBy', { name: state.names[item.lead] || item.lead }) : '';
      setText(nowMeta, item ? [ui.t(`agenda.kind.${item.kind}`), lead].filter(Boolean).join(' · ') : '');
      show(nowMeta, !!item);
      show(stateText, !!item);
      nowBox.dataset.state = a ? a.state : 'none';
      setAttr(clock, 'aria-label', ui.t('agenda.timeLeft'));
      setAttr(bar, 'aria-label', ui.t('agenda.progress'));
      tickClock(vm);

      // A new current item is announced once (not on the first render).
      const current = a ? a.current || null : null;
      if (lastCurrent !== undefined && current !== lastCurrent && item) {
        setText(live, ui.t('agenda.cueStarted', { title: item.title, minutes: minutesOf(timer.totalMs) }));
      }
      lastCurrent = current;

      show(controls, host);
      const st = a ? a.state : 'idle';
      show(startBtn, host && !current && items.some((i) => i.state === 'pending'));
      setText(startBtn, ui.t('agenda.start'));
      show(pauseBtn, st === 'running');
      setText(pauseBtn, ui.t('agenda.pause'));
      show(resumeBtn, st === 'paused');
      setText(resumeBtn, ui.t('agenda.resume'));
      for (const b of [plus1, plus5, nextBtn]) show(b, !!current);
      setText(plus1, ui.t('agenda.plus', { minutes: 1 }));
      setText(plus5, ui.t('agenda.plus', { minutes: 5 }));
      setAttr(plus1, 'aria-label', ui.t('agenda.extendBy', { minutes: 1 }));
      setAttr(plus5, 'aria-label', ui.t('agenda.extendBy', { minutes: 5 }));
      show(prevBtn, items.some((i) => i.state === 'done' || i.state === 'skipped'));
      setText(prevBtn, ui.t('agenda.previous'));
      setText(nextBtn, ui.t('agenda.next'));
      autoBox.checked = !!(a && a.auto_advance);
      setText(autoLabel, ui.t('agenda.autoAdvance'));

      setText(listHeading, ui.t('agenda.items'));
      show(listHeading, items.length > 0);
      reconcile(list, items, {
        key: (i) => String(i.id),
        create: createItem,
        update: (li, i, index) => updateItem(li, i, index, items.length, host, state.names, agendaRound(state)),
      });
      show(empty, items.length === 0);
      setText(empty, host ? ui.t('agenda.emptyHost') : ui.t('agenda.empty'));

      show(form, host);
      setText(fTitleLabel, ui.t('agenda.newTitle'));
      setText(fKindLabel, ui.t('agenda.newKind'));
      AGENDA_KINDS.forEach((k, i) => setText(fKind.options[i], ui.t(`agenda.kind.${k}`)));
      setText(fMinLabel, ui.t('agenda.newMinutes'));
      setText(fSubmit, ui.t('agenda.add'));
      notes.update(vm);
    },
    /** Called several times a second while a timer runs. */
    tick(vm) {
      if (!ui || !lastVm) return;
      tickClock(vm);
    },
  };
}
