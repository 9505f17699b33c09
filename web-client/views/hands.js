// The hands tab: everyone's "raise hand" button with their place in the
// queue; for coordinators and the host, the queue in server order with
// "call next", call or lower one person, and who has the floor. A live
// region announces hand calls: to the person called, loudly; to the host,
// each new raised hand.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { canHost, handPosition, isCalled } from '../lib/live-state.js';

export function mount(el, actions) {
  const send = (op, fields = {}) => actions.live('hand', op, fields);
  const raise = h('button', { className: 'btn btn-primary hand-raise', attrs: { type: 'button', id: 'hand-raise', 'aria-pressed': 'false' } });
  raise.addEventListener('click', () => send(raise.getAttribute('aria-pressed') === 'true' ? 'lower' : 'raise'));
  const mine = h('p', { className: 'hand-mine', attrs: { id: 'hand-mine' } });
  const turn = h('div', { className: 'hand-turn' });
  const turnText = h('p', { className: 'hand-turn-text' });
  const done = h('button', { className: 'btn btn-small', attrs: { type: 'button' }, on: { click: () => send('stop_speaking') } });
  turn.append(turnText, done);

  const callNext = h('button', { className: 'btn btn-primary hand-call-next', attrs: { type: 'button', id: 'hand-call-next' }, on: { click: () => send('call_next') } });
  const clear = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' }, on: { click: () => send('clear') } });
  const queueHeading = h('h3', { className: 'panel-heading', attrs: { id: 'hand-queue-heading' } });
  const queue = h('ol', { className: 'panel-list hand-queue', attrs: { 'aria-labelledby': 'hand-queue-heading', id: 'hand-queue' } });
  const queueEmpty = h('p', { className: 'panel-empty' });
  const floorHeading = h('h3', { className: 'panel-heading', attrs: { id: 'hand-floor-heading' } });
  const floor = h('ul', { className: 'panel-list hand-floor', attrs: { 'aria-labelledby': 'hand-floor-heading' } });
  const hostBox = h('div', { className: 'hand-host' }, [
    h('div', { className: 'tools' }, [callNext, clear]), queueHeading, queue, queueEmpty, floorHeading, floor,
  ]);
  const polite = h('p', { className: 'sr-only', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });
  const loud = h('p', { className: 'sr-only', attrs: { 'aria-live': 'assertive', 'aria-atomic': 'true' } });
  el.append(h('div', { className: 'panel-row' }, [raise, mine]), turn, hostBox, polite, loud);

  let ui = null;
  let wasCalled = null;
  let seenQueue = null;
  let lastCue = 0;

  function person(entry, names) {
    return names[entry.user] || entry.user;
  }

  function createQueued(e) {
    const li = h('li', { className: 'hand-item' });
    const name = h('span', { className: 'hand-name' });
    const when = h('span', { className: 'hand-when' });
    const call = h('button', { className: 'btn btn-small', attrs: { type: 'button' }, on: { click: () => send('call', { user: e.user }) } });
    const lower = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' }, on: { click: () => send('lower', { user: e.user }) } });
    li.append(h('div', { className: 'hand-line' }, [name, when]), h('div', { className: 'tools' }, [call, lower]));
    li.refs = { name, when, call, lower };
    return li;
  }

  function createSpeaking(e) {
    const li = h('li', { className: 'hand-item hand-speaking' });
    const name = h('span', { className: 'hand-name' });
    const stop = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' }, on: { click: () => send('stop_speaking', { user: e.user }) } });
    li.append(name, stop);
    li.refs = { name, stop };
    return li;
  }

  return {
    update({ state, ui: u, now }) {
      ui = u;
      const hands = state.live.hands || { queue: [], speaking: [] };
      const q = Array.isArray(hands.queue) ? hands.queue : [];
      const speaking = Array.isArray(hands.speaking) ? hands.speaking : [];
      const host = canHost(state);
      const pos = handPosition(state);
      const called = isCalled(state);

      setAttr(raise, 'aria-pressed', pos > 0 ? 'true' : 'false');
      setText(raise, pos > 0 ? ui.t('hands.lower') : ui.t('hands.raise'));
      raise.disabled = state.conn.status !== 'online';
      setText(mine, pos > 0 ? ui.t('hands.position', { position: pos, count: q.length }) : q.length ? ui.t('hands.waiting', { count: q.length }) : '');
      show(turn, called);
      setText(turnText, ui.t('hands.yourTurn'));
      setText(done, ui.t('hands.doneSpeaking'));

      // The person called hears it at once; the rest of the room politely.
      if (wasCalled !== null && called && !wasCalled) setText(loud, ui.t('hands.yourTurn'));
      wasCalled = called;
      const cue = state.live.cue;
      if (cue && cue.feature === 'hands' && cue.seq !== lastCue) {
        lastCue = cue.seq;
        const who = cue.user ? (state.names[cue.user] || cue.user) : null;
        if ((cue.op === 'call' || cue.op === 'call_next') && who && !called) setText(polite, ui.t('hands.calledAnnounce', { name: who }));
      }
      // The host hears of each new hand in the queue.
      const ids = q.map((e) => e.user);
      if (host && seenQueue !== null) {
        const added = ids.filter((id) => !seenQueue.includes(id) && id !== (state.me && state.me.id));
        if (added.length) setText(polite, ui.t('hands.raisedAnnounce', { name: state.names[added[0]] || added[0], count: q.length }));
      }
      seenQueue = ids;

      show(hostBox, host);
      setText(callNext, ui.t('hands.callNext'));
      callNext.disabled = q.length === 0;
      setText(clear, ui.t('hands.clear'));
      show(clear, q.length > 0);
      setText(queueHeading, ui.t('hands.queue', { count: q.length }));
      reconcile(queue, host ? q : [], {
        key: (e) => e.user,
        create: createQueued,
        update: (li, e) => {
          const r = li.refs;
          const name = person(e, state.names);
          setText(r.name, name);
          setText(r.when, Number.isFinite(e.raised_at) ? ui.t('hands.since', { minutes: Math.max(0, Math.floor((now - e.raised_at) / 60000)) }) : '');
          setText(r.call, ui.t('hands.call'));
          setAttr(r.call, 'aria-label', ui.t('hands.callPerson', { name }));
          setText(r.lower, ui.t('hands.lowerOther'));
          setAttr(r.lower, 'aria-label', ui.t('hands.lowerPerson', { name }));
        },
      });
      show(queueEmpty, q.length === 0);
      setText(queueEmpty, ui.t('hands.queueEmpty'));
      setText(floorHeading, ui.t('hands.floor'));
      show(floorHeading, speaking.length > 0);
      reconcile(floor, host ? speaking : [], {
        key: (e) => e.user,
        create: createSpeaking,
        update: (li, e) => {
          const name = person(e, state.names);
          setText(li.refs.name, name);
          setText(li.refs.stop, ui.t('hands.doneOther'));
          setAttr(li.refs.stop, 'aria-label', ui.t('hands.donePerson', { name }));
        },
      });
    },
  };
}
