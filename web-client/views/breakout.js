// The breakout tab, for whoever is in a breakout room: who is here and why
// (what every member can see: countries and a shared language), the time
// left to the round's deadline (standing still, marked paused, while the
// round's agenda item is paused), "ask for help" (entrepreneurs), notes kept
// for the main room, and for visitors a way back. Chat in the breakout is
// the ordinary room chat (the server keeps it inside the breakout).
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { serverNow } from '../lib/clock.js';
import { formatClock, countdownCue } from '../lib/timefmt.js';
import { myBreakout, partners, visibleReasons, visiting, groupReasons, roundTimer } from '../lib/breakout-state.js';
import { planReason } from './round.js';

const MAX_HELP = 500;
const MAX_NOTE = 1000;

/** A reason as a sentence. */
export function reasonText(ui, r) {
  if (r.kind === 'cross_country') return ui.t('breakout.why.crossCountry', { countries: r.countries.map((c) => ui.fmt.country(c) || c).join(', ') });
  if (r.kind === 'same_country') return ui.t('breakout.why.sameCountry', { country: ui.fmt.country(r.country) || r.country });
  if (r.kind === 'shared_language') return ui.t('breakout.why.language', { language: languageName(ui, r.language) });
  return '';
}

export function languageName(ui, code) {
  try {
    return new Intl.DisplayNames([ui.locale], { type: 'language' }).of(code) || code;
  } catch (e) {
    return code;
  }
}

export function mount(el, actions) {
  const heading = h('h3', { className: 'panel-heading breakout-heading', attrs: { id: 'breakout-heading' } });
  const clock = h('p', { className: 'breakout-clock', attrs: { role: 'timer', id: 'breakout-clock' } });
  const withLabel = h('p', { className: 'field-label' });
  const people = h('ul', { className: 'panel-list breakout-people', attrs: { id: 'breakout-people' } });
  const whyLabel = h('p', { className: 'field-label' });
  const why = h('ul', { className: 'panel-list breakout-why', attrs: { id: 'breakout-why' } });
  const whyNote = h('p', { className: 'panel-note' });

  // Ask for help.
  const helpLabel = h('label', { attrs: { for: 'help-text' } });
  const helpText = h('input', { attrs: { type: 'text', id: 'help-text', maxlength: String(MAX_HELP), autocomplete: 'off' } });
  const helpBtn = h('button', { className: 'btn', attrs: { type: 'submit', id: 'help-ask' } });
  const helpForm = h('form', { className: 'panel-form breakout-help' }, [helpLabel, h('div', { className: 'panel-row' }, [helpText, helpBtn])]);
  helpForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const msg = { type: 'help_ask', ref: 'help' };
    if (helpText.value.trim()) msg.text = helpText.value.trim();
    if (actions.request(msg)) helpText.value = '';
  });
  const helpStatus = h('p', { className: 'breakout-help-status', attrs: { role: 'status', id: 'help-status' } });

  // Notes for the main room.
  const noteLabel = h('label', { attrs: { for: 'breakout-note' } });
  const noteHint = h('p', { className: 'panel-note', attrs: { id: 'breakout-note-hint' } });
  const noteText = h('textarea', { attrs: { id: 'breakout-note', rows: '2', maxlength: String(MAX_NOTE), 'aria-describedby': 'breakout-note-hint' } });
  const noteBtn = h('button', { className: 'btn btn-small', attrs: { type: 'submit' } });
  const noteForm = h('form', { className: 'panel-form' }, [noteLabel, noteHint, noteText, h('div', {}, [noteBtn])]);
  noteForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (actions.breakoutNote(noteText.value)) noteText.value = '';
  });

  const leave = h('button', { className: 'btn', attrs: { type: 'button', id: 'visit-leave' }, on: { click: () => actions.request({ type: 'visit_leave', ref: 'visit' }) } });
  const idle = h('p', { className: 'panel-empty' });
  const live = h('p', { className: 'sr-only', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });
  const inRoom = h('div', { className: 'breakout-in' }, [heading, clock, withLabel, people, whyLabel, why, whyNote, helpForm, helpStatus, noteForm, leave]);
  el.append(inRoom, idle, live);

  let ui = null;
  let lastLeft = null;
  let lastMoveSeq = 0;
  let lastWarning = false;
  let lastPaused = false;

  function tickClock(vm) {
    const mine = myBreakout(vm.state);
    const t = mine ? roundTimer(mine, serverNow(vm.state.clock, vm.now)) : null;
    show(clock, !!t);
    const time = t ? formatClock(Math.max(0, t.leftMs)) : '';
    setText(clock, t ? ui.t(t.paused ? 'breakout.timePaused' : 'breakout.timeLeft', { time }) : '');
    setAttr(clock, 'data-left-ms', t ? Math.round(t.leftMs) : null);
    setAttr(clock, 'data-paused', t && t.paused ? 'true' : null);
    const cue = t && !t.paused ? countdownCue(lastLeft, t.leftMs) : null;
    if (cue === 'ended') setText(live, ui.t('breakout.cueEnded'));
    lastLeft = t ? t.leftMs : null;
  }

  return {
    update(vm) {
      ui = vm.ui;
      const { state } = vm;
      const mine = myBreakout(state);
      const b = state.breakout;
      const visitor = visiting(state);
      show(inRoom, !!mine);
      show(idle, !mine);
      setText(idle, b.public ? ui.t('breakout.inMain') : ui.t('breakout.none'));
      tickClock(vm);
      if (!mine) {
        lastMoveSeq = b.move ? b.move.seq : lastMoveSeq;
        return;
      }
      const others = partners(state);
      setText(heading, visitor ? ui.t('breakout.visiting', { room: mine.room }) : ui.t('breakout.youAreIn', { room: mine.room }));
      setText(withLabel, ui.t('breakout.with'));
      reconcile(people, others, {
        key: (m) => m.id,
        create: () => {
          const li = h('li', { className: 'breakout-person' });
          li.refs = { name: h('span', { className: 'breakout-name' }), info: h('span', { className: 'breakout-info' }) };
          li.append(li.refs.name, li.refs.info);
          return li;
        },
        update: (li, m) => {
          setText(li.refs.name, m.name || m.id);
          const info = [ui.fmt.country(m.country), Array.isArray(m.langs) ? m.langs.map((l) => languageName(ui, l)).join(', ') : ''].filter(Boolean).join(' · ');
          setText(li.refs.info, info ? ` — ${info}` : '');
        },
      });
      const me = state.members.find((m) => state.me && m.id === state.me.id) || state.me;
      // The group's own reasons (needs and offers) when the server sent them, else what everyone can see.
      const full = visitor ? null : groupReasons(state);
      const nameOf = (id) => {
        const m = state.members.find((x) => x.id === id);
        return (m && m.name) || state.names[id] || id;
      };
      const first = (r) => (r.kind === 'complement' || r.kind === 'shared_interest' ? 0 : 1); // needs and offers lead
      const reasons = full ? [...full].sort((x, y) => first(x) - first(y)).map((r, i) => ({ key: `${i}-${r.kind}`, text: planReason(ui, r, nameOf) }))
        : (visitor ? [] : visibleReasons(me, others)).map((r) => ({ key: r.kind, text: reasonText(ui, r) }));
      show(whyLabel, reasons.length > 0);
      setText(whyLabel, ui.t('breakout.why'));
      reconcile(why, reasons, { key: (r) => r.key, create: () => h('li', { className: 'breakout-reason' }), update: (li, r) => setText(li, r.text) });
      show(whyNote, !visitor && !full);
      setText(whyNote, ui.t('breakout.whyNote'));

      // Help: entrepreneurs ask; the answer shows until it is resolved.
      const entrepreneur = state.me && state.me.role === 'entrepreneur';
      show(helpForm, entrepreneur && !b.myHelp);
      setText(helpLabel, ui.t('breakout.helpLabel'));
      setText(helpBtn, ui.t('breakout.helpAsk'));
      let status = '';
      if (b.myHelp) status = ui.t('breakout.helpWaiting');
      else if (b.helpResolved) status = b.helpResolved.by ? ui.t('breakout.helpResolvedBy', { name: b.helpResolved.by.name || b.helpResolved.by.id }) : ui.t('breakout.helpResolved');
      setText(helpStatus, status);
      show(helpStatus, entrepreneur && !!status);

      setText(noteLabel, ui.t('breakout.noteLabel'));
      setText(noteHint, ui.t('breakout.noteHint'));
      setText(noteBtn, ui.t('breakout.noteAdd'));
      show(leave, visitor);
      setText(leave, ui.t('breakout.leaveVisit'));

      // Arriving in a breakout, and the one-minute warning, are announced.
      if (b.move && b.move.seq !== lastMoveSeq && b.move.room === mine.room) {
        const names = others.map((m) => m.name || m.id).join(', ');
        setText(live, names ? ui.t('breakout.cueArrived', { room: mine.room, names }) : ui.t('breakout.cueArrivedAlone', { room: mine.room }));
      }
      lastMoveSeq = b.move ? b.move.seq : lastMoveSeq;
      if (mine.warning && !lastWarning) setText(live, ui.t('breakout.cueWarning'));
      lastWarning = mine.warning;
      // The round waits while its agenda item is paused, and goes on after.
      if (mine.paused !== lastPaused) setText(live, ui.t(mine.paused ? 'breakout.cuePaused' : 'breakout.cueResumed'));
      lastPaused = mine.paused;
    },
    tick(vm) {
      if (ui) tickClock(vm);
    },
  };
}
