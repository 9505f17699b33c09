// The coordinator's breakouts tab: plan a round (mode, group size,
// duration), read why Kopa grouped people and move people between groups,
// open it, then watch the rooms with their deadline (paused while the
// round's agenda item is): extend, close, place
// people, visit or listen in, speak to every breakout (text or voice), and
// answer help requests. Experts see the help queue and can visit.
// The coverage (who has met whom) is in views/coverage.js.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { serverNow } from '../lib/clock.js';
import { formatClock } from '../lib/timefmt.js';
import { roundTimer } from '../lib/breakout-state.js';
import { speakingIn } from '../lib/audio-state.js';
import { languageName } from './breakout.js';
import { mount as mountCoverage } from './coverage.js';

const MODES = ['complementary', 'shared_interest', 'random', 'manual'];

/** A plan's reason as a sentence in the user's language (the server's `text` is English). */
export function planReason(ui, r, name) {
  const a = r.a ? name(r.a) : '';
  const b = r.b ? name(r.b) : '';
  const topic = r.topic ? ui.t(`topic.${r.topic}`) : '';
  switch (r.kind) {
    case 'complement': return ui.t('round.why.complement', { a, b, topic });
    case 'shared_interest': return ui.t('round.why.shared', { a, b, topic });
    case 'cross_country': return ui.t('round.why.crossCountry', { a, b });
    case 'same_country': return ui.t('round.why.sameCountry', { a, b });
    case 'shared_language': return ui.t('round.why.language', { language: languageName(ui, r.language || '') });
    case 'no_common_language': return ui.t('round.why.noLanguage', { a, language: languageName(ui, r.language || '') });
    case 'repeat': return ui.t('round.why.repeat', { a, b, count: r.met || 1 });
    case 'random': return ui.t('round.why.random');
    case 'odd_count': return ui.t('round.why.odd', { a });
    case 'manual': return ui.t('round.why.manual');
    default: return r.text || r.kind;
  }
}

function select(id, options, value) {
  const el = h('select', { attrs: { id } });
  for (const [v, label] of options) el.appendChild(h('option', { text: label, attrs: { value: v } }));
  if (value !== undefined) el.value = value;
  return el;
}

function setOptions(sel, options) {
  const same = sel.options.length === options.length && options.every(([v, t], i) => sel.options[i].value === v && sel.options[i].textContent === t);
  if (!same) sel.replaceChildren(...options.map(([v, t]) => h('option', { text: t, attrs: { value: v } })));
}

export function mount(el, actions) {
  const send = (msg) => actions.request(msg);

  // Planning form.
  const modeLabel = h('label', { attrs: { for: 'round-mode' } });
  const mode = select('round-mode', MODES.map((m) => [m, m]), 'complementary');
  const sizeLabel = h('label', { attrs: { for: 'round-size' } });
  const size = select('round-size', [['2', '2'], ['3', '3'], ['4', '4']], '2');
  const minLabel = h('label', { attrs: { for: 'round-minutes' } });
  const minutes = h('input', { attrs: { type: 'number', id: 'round-minutes', min: '1', max: '240', value: '15' } });
  const propose = h('button', { className: 'btn btn-primary', attrs: { type: 'submit', id: 'round-propose' } });
  const planForm = h('form', { className: 'panel-form round-form' }, [
    h('div', { className: 'panel-row' }, [h('div', {}, [modeLabel, mode]), h('div', {}, [sizeLabel, size]), h('div', {}, [minLabel, minutes])]),
    h('div', {}, [propose])]);
  planForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const m = Math.round(Number(minutes.value));
    if (!(m >= 1 && m <= 240)) { minutes.focus(); return; }
    send({ type: 'round_propose', ref: 'round', mode: mode.value, group_size: Number(size.value), duration_ms: m * 60000 });
  });

  // The plan or the open round.
  const status = h('p', { className: 'round-status', attrs: { id: 'round-status' } });
  const forItem = h('p', { className: 'panel-note round-for-item', attrs: { id: 'round-for-item' } });
  const clock = h('p', { className: 'breakout-clock', attrs: { role: 'timer', id: 'round-clock' } });
  const open = h('button', { className: 'btn btn-primary', attrs: { type: 'button', id: 'round-open' }, on: { click: () => send({ type: 'round_open', ref: 'round' }) } });
  const extend = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'round-extend' }, on: { click: () => send({ type: 'round_extend', ref: 'round', ms: 300000 }) } });
  const close = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'round-close' }, on: { click: () => send({ type: 'round_close', ref: 'round' }) } });
  const warnings = h('ul', { className: 'panel-list round-warnings' });
  const groups = h('ol', { className: 'panel-list round-groups', attrs: { id: 'round-groups' } });
  const unassignedHeading = h('h4', { className: 'panel-heading' });
  const unassigned = h('ul', { className: 'panel-list round-unassigned' });
  const planBox = h('section', { className: 'round-plan' }, [status, forItem, clock, h('div', { className: 'tools' }, [open, extend, close]), warnings, groups, unassignedHeading, unassigned]);

  // Speaking to every breakout.
  const bcLabel = h('label', { attrs: { for: 'round-broadcast' } });
  const bcText = h('input', { attrs: { type: 'text', id: 'round-broadcast', maxlength: '2000', autocomplete: 'off' } });
  const bcBtn = h('button', { className: 'btn btn-small', attrs: { type: 'submit' } });
  const bcStatus = h('p', { className: 'panel-note', attrs: { role: 'status' } });
  const bcForm = h('form', { className: 'panel-form' }, [bcLabel, h('div', { className: 'panel-row' }, [bcText, bcBtn]), bcStatus]);
  bcForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = bcText.value.trim();
    if (text && actions.broadcast(text)) bcText.value = '';
  });
  const voice = h('input', { attrs: { type: 'checkbox', id: 'round-voice' }, on: { change: () => actions.live('audio', 'broadcast', { on: voice.checked }) } });
  const voiceLabel = h('label', { attrs: { for: 'round-voice' } });
  const voiceRow = h('p', { className: 'choice' }, [voice, voiceLabel]);

  // Help requests.
  const helpHeading = h('h4', { className: 'panel-heading', attrs: { id: 'help-queue-heading' } });
  const help = h('ul', { className: 'panel-list help-queue', attrs: { 'aria-labelledby': 'help-queue-heading', id: 'help-queue' } });
  const helpEmpty = h('p', { className: 'panel-empty' });
  const helpBox = h('section', { className: 'round-help' }, [helpHeading, help, helpEmpty]);
  const live = h('p', { className: 'sr-only', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });
  const coverageBox = h('section', { className: 'round-coverage' });
  el.append(planForm, planBox, bcForm, voiceRow, helpBox, coverageBox, live);
  const coverage = mountCoverage(coverageBox, actions);

  let ui = null;
  let seenHelp = null;
  let seenPlan; // the latest round id seen (undefined before the first render)

  function tickClock(vm) {
    const r = vm.state.breakout.round;
    const pub = vm.state.breakout.public;
    // The round object when it is open, else what everyone sees; paused while its agenda item is.
    const t = roundTimer(r && r.state === 'open' ? r : pub, serverNow(vm.state.clock, vm.now));
    show(clock, !!t);
    const time = t ? formatClock(Math.max(0, t.leftMs)) : '';
    setText(clock, t ? ui.t(t.paused ? 'breakout.timePaused' : 'breakout.timeLeft', { time }) : '');
    setAttr(clock, 'data-paused', t && t.paused ? 'true' : null);
  }

  function createGroup() {
    const li = h('li', { className: 'round-group' });
    const title = h('p', { className: 'round-group-title' });
    const members = h('ul', { className: 'panel-list round-members' });
    const reasons = h('ul', { className: 'panel-list round-reasons' });
    const actionsRow = h('div', { className: 'tools' });
    li.append(title, members, reasons, actionsRow);
    li.refs = { title, members, reasons, actionsRow, visit: null, listen: null };
    return li;
  }

  /* One person in the plan (planned: move between groups) or in an open room (place in a room). */
  function personRow(state, openRound, targets) {
    return {
      key: (p) => p.id,
      create: (p) => {
        const li = h('li', { className: 'round-person' });
        const name = h('span', { className: 'round-person-name' });
        // Who speaks in an open breakout (the server sends coordinators every breakout's speakers).
        const speaking = h('span', { className: 'member-speaking' });
        const label = h('label', { className: 'sr-only', attrs: { for: `round-move-${p.id}` } });
        const sel = h('select', { className: 'round-move', attrs: { id: `round-move-${p.id}` } });
        sel.addEventListener('change', () => {
          if (sel.dataset.open === 'true') send({ type: 'round_place', ref: 'round', user: p.id, room: sel.value });
          else send({ type: 'round_move', ref: 'round', user: p.id, group: Number(sel.value) });
        });
        li.append(name, speaking, label, sel);
        li.refs = { name, speaking, label, sel };
        return li;
      },
      update: (li, p) => {
        const who = p.name || state.names[p.id] || p.id;
        const country = ui.fmt.country(p.country);
        setText(li.refs.name, country ? `${who} (${country})` : who);
        li.dataset.speaking = p.speaking ? 'true' : 'false';
        setText(li.refs.speaking, p.speaking ? ui.t('members.speaking') : '');
        show(li.refs.speaking, !!p.speaking);
        setText(li.refs.label, ui.t('round.moveLabel', { name: who }));
        li.refs.sel.dataset.open = openRound ? 'true' : 'false';
        setOptions(li.refs.sel, targets);
        li.refs.sel.value = String(p.at);
      },
    };
  }

  return {
    update(vm) {
      ui = vm.ui;
      const { state } = vm;
      const coordinator = state.me && state.me.role === 'coordinator';
      const r = state.breakout.round;
      const pub = state.breakout.public;
      const isOpen = !!(r && r.state === 'open');
      const name = (id) => state.names[id] || id;

      show(planForm, coordinator && !isOpen);
      setText(modeLabel, ui.t('round.mode'));
      MODES.forEach((m, i) => setText(mode.options[i], ui.t(`round.mode.${m}`)));
      setText(sizeLabel, ui.t('round.groupSize'));
      setText(minLabel, ui.t('round.minutes'));
      setText(propose, r && r.state === 'planned' ? ui.t('round.proposeAgain') : ui.t('round.propose'));

      show(planBox, coordinator && !!r);
      if (coordinator && r) {
        setText(status, isOpen ? ui.t('round.isOpen', { count: r.groups.filter((g) => g.room).length })
          : ui.t('round.isPlanned', { count: r.groups.length, minutes: Math.round(r.duration_ms / 60000) }));
        // A round the agenda proposed (docs/protocol.md 11.9).
        const agendaItems = state.live.agenda && Array.isArray(state.live.agenda.items) ? state.live.agenda.items : [];
        const item = Number.isInteger(r.item) ? agendaItems.find((x) => x.id === r.item) : null;
        const itemTitle = item ? item.title : Number.isInteger(r.item) ? `#${r.item}` : '';
        show(forItem, !!itemTitle);
        setText(forItem, itemTitle ? ui.t('round.forItem', { title: itemTitle }) : '');
        if (itemTitle && r.state === 'planned' && seenPlan !== undefined && seenPlan !== r.id) {
          setText(live, ui.t('round.proposedFor', { title: itemTitle }));
        }
        show(open, !isOpen);
        setText(open, ui.t('round.open'));
        show(extend, isOpen);
        setText(extend, ui.t('round.extend'));
        setAttr(extend, 'title', ui.t('round.extendLabel'));
        setText(close, isOpen ? ui.t('round.close') : ui.t('round.discard'));
        const ws = Array.isArray(r.warnings) ? r.warnings : [];
        reconcile(warnings, ws.map((w, i) => ({ ...w, k: `${i}:${w.kind}:${w.person || ''}` })), {
          key: (w) => w.k, create: () => h('li', { className: 'round-warning' }),
          update: (li, w) => {
            const key = `round.warn.${w.kind}`;
            const said = ui.t(key, { name: w.person ? name(w.person) : '' });
            setText(li, said === key ? w.text : said);
          },
        });
        // Where a person can go: another group (planned) or another room (open).
        const targets = isOpen
          ? [['main', ui.t('room.main')]].concat(r.groups.filter((g) => g.room).map((g) => [g.room, ui.t('round.roomName', { room: g.room })]))
          : [['-1', ui.t('round.unassigned')]].concat(r.groups.map((g) => [String(g.index), ui.t('round.groupName', { n: g.index + 1 })]), [[String(r.groups.length), ui.t('round.newGroup')]]);
        reconcile(groups, r.groups, {
          key: (g) => String(g.index),
          create: createGroup,
          update: (li, g) => {
            const rf = li.refs;
            const lang = g.language ? languageName(ui, g.language) : '';
            setText(rf.title, [g.room ? ui.t('round.roomName', { room: g.room }) : ui.t('round.groupName', { n: g.index + 1 }), lang].filter(Boolean).join(' · '));
            li.dataset.languageOk = g.language_ok === false ? 'false' : 'true';
            const speakers = new Set(isOpen && g.room ? speakingIn(state.audio, g.room) : []);
            reconcile(rf.members, g.members.map((m) => ({ ...m, at: isOpen ? g.room : g.index, speaking: speakers.has(m.id) })),
              personRow(state, isOpen, targets));
            const reasons = Array.isArray(g.reasons) ? g.reasons : [];
            reconcile(rf.reasons, reasons.map((x, i) => ({ ...x, k: String(i) })), {
              key: (x) => x.k, create: () => h('li', { className: 'round-reason' }), update: (l2, x) => setText(l2, planReason(ui, x, name)),
            });
            if (!rf.visit) {
              rf.visit = h('button', { className: 'btn btn-small', attrs: { type: 'button' }, on: { click: () => send({ type: 'visit', ref: 'visit', room: li.dataset.room }) } });
              rf.listen = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' } });
              rf.listen.addEventListener('click', () => {
                if (rf.listen.getAttribute('aria-pressed') === 'true') actions.live('audio', 'unlisten');
                else actions.live('audio', 'listen', { room: li.dataset.room });
              });
              rf.actionsRow.append(rf.visit, rf.listen);
            }
            li.dataset.room = g.room || '';
            show(rf.actionsRow, isOpen && !!g.room);
            setText(rf.visit, ui.t('round.visit'));
            setAttr(rf.visit, 'aria-label', ui.t('round.visitRoom', { room: g.room || '' }));
            const audio = state.audio.server;
            const listening = !!(audio && audio.listen === g.room);
            show(rf.listen, !!(audio && audio.enabled));
            setAttr(rf.listen, 'aria-pressed', listening ? 'true' : 'false');
            setText(rf.listen, listening ? ui.t('round.stopListening') : ui.t('round.listen'));
            setAttr(rf.listen, 'aria-label', listening ? ui.t('round.stopListening') : ui.t('round.listenRoom', { room: g.room || '' }));
          },
        });
        const un = Array.isArray(r.unassigned) ? r.unassigned : [];
        show(unassignedHeading, un.length > 0);
        setText(unassignedHeading, ui.t('round.unassignedHeading', { count: un.length }));
        reconcile(unassigned, un.map((p) => ({ ...p, at: isOpen ? 'main' : -1 })), personRow(state, isOpen, targets));
      }
      seenPlan = r ? r.id : null;
      tickClock(vm);

      show(bcForm, coordinator && isOpen);
      setText(bcLabel, ui.t('round.broadcastLabel'));
      setText(bcBtn, ui.t('round.broadcastSend'));
      const ack = state.breakout.broadcastAck;
      setText(bcStatus, ack ? ui.t('round.broadcastSent', { count: ack.rooms }) : '');
      const audio = state.audio.server;
      show(voiceRow, coordinator && isOpen && !!(audio && audio.enabled));
      voice.checked = !!(audio && audio.broadcast);
      setText(voiceLabel, ui.t('round.voice'));

      // Help requests (coordinators and experts), newest announced.
      const queue = state.breakout.helpQueue;
      const helper = state.me && (state.me.role === 'coordinator' || state.me.role === 'expert');
      show(helpBox, helper && (isOpen || !!pub || queue.length > 0));
      setText(helpHeading, ui.t('round.help', { count: queue.length }));
      reconcile(help, queue, {
        key: (q) => String(q.id),
        create: (q) => {
          const li = h('li', { className: 'help-request' });
          const text = h('p', { className: 'help-text' });
          const go = h('button', { className: 'btn btn-small', attrs: { type: 'button' }, on: { click: () => send({ type: 'visit', ref: 'visit', room: q.room }) } });
          const done = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' }, on: { click: () => send({ type: 'help_resolve', ref: 'help', request: q.id }) } });
          li.append(text, h('div', { className: 'tools' }, [go, done]));
          li.refs = { text, go, done };
          return li;
        },
        update: (li, q) => {
          const who = (q.user && (q.user.name || q.user.id)) || '';
          setText(li.refs.text, q.text ? ui.t('round.helpItemText', { name: who, room: q.room, text: q.text }) : ui.t('round.helpItem', { name: who, room: q.room }));
          setText(li.refs.go, ui.t('round.visit'));
          setAttr(li.refs.go, 'aria-label', ui.t('round.visitRoom', { room: q.room }));
          show(li.refs.go, state.room !== q.room);
          setText(li.refs.done, ui.t('round.helpResolve'));
          setAttr(li.refs.done, 'aria-label', ui.t('round.helpResolveFor', { name: who }));
        },
      });
      show(helpEmpty, queue.length === 0);
      setText(helpEmpty, ui.t('round.helpEmpty'));
      const ids = queue.map((q) => q.id);
      if (helper && seenHelp !== null) {
        const fresh = queue.find((q) => !seenHelp.includes(q.id));
        if (fresh) setText(live, ui.t('round.helpAnnounce', { name: (fresh.user && (fresh.user.name || fresh.user.id)) || '', room: fresh.room }));
      }
      seenHelp = ids;
      show(coverageBox, !!coordinator);
      if (coordinator) coverage.update(vm);
    },
    tick(vm) {
      if (ui) tickClock(vm);
    },
  };
}
