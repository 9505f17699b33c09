// The audio bar: join audio (or listen only), a microphone test that the
// room does not hear (level, microphone choice, "we hear you" or not), the
// microphone permission help, mute, push-to-talk (hold Space when not typing), the input level
// meter, microphone and speaker choice, leaving audio, and the recording
// indicator with its start/stop control for hosts.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { heard, testing } from '../lib/audio-state.js';
import { canHost } from '../lib/live-state.js';

const PROBLEMS = new Set(['denied', 'missing', 'busy', 'failed']);

/* Whether a key press belongs to a text field (then Space types a space). */
function typingIn(target) {
  if (!target || !target.tagName) return false;
  const tag = target.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select' || target.isContentEditable) return true;
  if (tag !== 'input') return false;
  return !['checkbox', 'radio', 'button', 'submit', 'range', 'color', 'file'].includes((target.type || '').toLowerCase());
}

function fillSelect(select, items, value, emptyLabel) {
  const wanted = items.length ? items : [{ id: '', label: emptyLabel }];
  const same = select.options.length === wanted.length
    && wanted.every((d, i) => select.options[i].value === d.id && select.options[i].textContent === d.label);
  if (!same) select.replaceChildren(...wanted.map((d) => h('option', { text: d.label, attrs: { value: d.id } })));
  if (select.value !== value && wanted.some((d) => d.id === value)) select.value = value;
}

/*
 * The microphone test in the off state: one button starts and stops it (so
 * keyboard focus stays put); while it runs, the level, the microphone choice
 * and the verdict in words (a status the screen reader reads). update()
 * returns whether the level meter should run.
 */
function micTest(actions) {
  let on = false;
  const button = h('button', { className: 'btn', attrs: { type: 'button', id: 'audio-test' }, on: { click: () => actions.audioTest(!on) } });
  const meterLabel = h('label', { className: 'sr-only', attrs: { for: 'audio-test-level' } });
  const meter = h('meter', { className: 'audio-meter', attrs: { id: 'audio-test-level', min: '0', max: '1', low: '0.25', high: '0.9', optimum: '0.5', value: '0' } });
  const micLabel = h('label', { attrs: { for: 'audio-test-input' } });
  const mic = h('select', { attrs: { id: 'audio-test-input' }, on: { change: () => actions.audioInput(mic.value) } });
  const levelWrap = h('span', { className: 'audio-field' }, [meterLabel, meter]);
  const micWrap = h('span', { className: 'audio-field' }, [micLabel, mic]);
  const verdict = h('p', { className: 'audio-verdict', attrs: { id: 'audio-test-verdict', role: 'status' } });
  const privacy = h('p', { className: 'audio-intro' });
  const box = h('div', { className: 'audio-test', attrs: { id: 'audio-test-box' } }, [
    h('div', { className: 'audio-row' }, [levelWrap, verdict]),
    h('div', { className: 'audio-row' }, [micWrap, privacy]),
  ]);
  return {
    button,
    box,
    meter,
    update(a, ui) {
      const l = a.local;
      on = testing(a);
      const live = on && l.check === 'on' && l.mic === 'on';
      setText(button, ui.t(on ? 'audio.testStop' : 'audio.test'));
      show(box, on);
      setText(meterLabel, ui.t('audio.testLevel'));
      show(levelWrap, live);
      setText(micLabel, ui.t('audio.microphone'));
      fillSelect(mic, l.inputs, l.inputId, ui.t('audio.defaultDevice'));
      show(micWrap, live);
      setText(privacy, ui.t('audio.testPrivate'));
      let key = null;
      if (on && l.check === 'asking') key = 'audio.asking';
      else if (on) key = { heard: 'audio.testHeard', silent: 'audio.testSilent' }[l.checkVerdict] || 'audio.testWaiting';
      verdict.dataset.key = key || '';
      setText(verdict, key ? ui.t(key) : '');
      return live;
    },
  };
}

export function mount(el, actions) {
  const heading = h('h2', { className: 'sr-only', attrs: { id: 'audio-heading' } });
  el.setAttribute('aria-labelledby', 'audio-heading');

  // Off: join, listen only, permission help.
  const join = h('button', { className: 'btn btn-primary', attrs: { type: 'button', id: 'audio-join' }, on: { click: () => actions.audioStart(false) } });
  const listen = h('button', { className: 'btn', attrs: { type: 'button', id: 'audio-listen' }, on: { click: () => actions.audioStart(true) } });
  const intro = h('p', { className: 'audio-intro' });
  const check = micTest(actions);
  const helpTitle = h('p', { className: 'audio-help-title' });
  const helpBody = h('p', { className: 'audio-help-body' });
  // The help after a click is an alert that is always one (a role that changes is not announced
  // reliably); a microphone already blocked before any click gets a quiet one-line note instead.
  const help = h('div', { className: 'audio-help', attrs: { role: 'alert' } }, [helpTitle, helpBody]);
  const note = h('p', { className: 'audio-help audio-note', attrs: { id: 'audio-blocked-note' } });
  const offBox = h('div', { className: 'audio-off' }, [h('div', { className: 'audio-row' }, [join, listen, check.button, intro]), check.box, note, help]);

  // On: controls.
  const mute = h('button', { className: 'btn audio-mute', attrs: { type: 'button', id: 'audio-mute' }, on: { click: () => actions.audioMute() } });
  const pttBox = h('input', { attrs: { type: 'checkbox', id: 'audio-ptt' }, on: { change: () => actions.audioPtt(pttBox.checked) } });
  const pttLabel = h('label', { attrs: { for: 'audio-ptt' } });
  const meterLabel = h('label', { className: 'sr-only', attrs: { for: 'audio-level' } });
  const meter = h('meter', { className: 'audio-meter', attrs: { id: 'audio-level', min: '0', max: '1', low: '0.25', high: '0.9', optimum: '0.5', value: '0' } });
  const micLabel = h('label', { attrs: { for: 'audio-input' } });
  const mic = h('select', { attrs: { id: 'audio-input' }, on: { change: () => actions.audioInput(mic.value) } });
  const outLabel = h('label', { attrs: { for: 'audio-output' } });
  const out = h('select', { attrs: { id: 'audio-output' }, on: { change: () => actions.audioOutput(out.value) } });
  const outWrap = h('span', { className: 'audio-field' }, [outLabel, out]);
  const leave = h('button', { className: 'btn btn-quiet', attrs: { type: 'button', id: 'audio-leave' }, on: { click: () => actions.audioStop() } });
  const status = h('p', { className: 'audio-status', attrs: { id: 'audio-status' } });
  const micWrap = h('span', { className: 'audio-field' }, [micLabel, mic]);
  const onBox = h('div', { className: 'audio-on' }, [
    h('div', { className: 'audio-row' }, [mute, h('span', { className: 'audio-field' }, [meterLabel, meter]), status]),
    h('div', { className: 'audio-row audio-settings' }, [h('span', { className: 'audio-field' }, [pttBox, pttLabel]), micWrap, outWrap, leave]),
  ]);

  // Audio moved to another tab.
  const movedText = h('p', { className: 'audio-intro' });
  const reclaim = h('button', { className: 'btn', attrs: { type: 'button' }, on: { click: () => actions.audioStart(false) } });
  const movedBox = h('div', { className: 'audio-row' }, [movedText, reclaim]);

  // Recording: indicator for everyone, start/stop for hosts.
  const recText = h('span', { className: 'audio-rec-text' });
  const recBtn = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'audio-record' }, on: { click: () => actions.recordToggle() } });
  const recBox = h('div', { className: 'audio-rec' }, [recText, recBtn]);
  const live = h('p', { className: 'sr-only', attrs: { 'aria-live': 'polite' } });
  const box = h('div', { className: 'audio-box' }, [h('div', { className: 'audio-main' }, [offBox, movedBox, onBox]), recBox]);
  el.append(heading, box, live);

  // Push-to-talk: Space held anywhere but in a text field.
  let pttActive = false;
  document.addEventListener('keydown', (ev) => {
    if (!pttActive || ev.code !== 'Space' || typingIn(ev.target) || ev.ctrlKey || ev.altKey || ev.metaKey) return;
    ev.preventDefault();
    if (!ev.repeat) actions.audioTalk(true);
  });
  document.addEventListener('keyup', (ev) => {
    if (!pttActive || ev.code !== 'Space') return;
    if (!typingIn(ev.target)) ev.preventDefault();
    actions.audioTalk(false);
  });
  window.addEventListener('blur', () => { if (pttActive) actions.audioTalk(false); });

  // The meter follows the microphone at screen rate while audio is on.
  let raf = 0;
  function tick() {
    const v = actions.audioLevel();
    meter.value = v;
    check.meter.value = v;
    raf = requestAnimationFrame(tick);
  }

  let lastSaid = null;
  let lastRec = null;

  return {
    update({ state, ui, now }) {
      const a = state.audio;
      const l = a.local;
      const srv = a.server;
      setText(heading, ui.t('audio.heading'));
      const on = l.phase === 'on' || l.phase === 'starting';
      show(offBox, l.phase === 'off');
      show(movedBox, l.phase === 'moved');
      show(onBox, on);
      el.dataset.phase = l.phase;

      setText(join, ui.t('audio.join'));
      setText(listen, ui.t('audio.listenOnly'));
      // Audio goes over the session's connection: nothing to join once the page has given up connecting.
      join.disabled = listen.disabled = state.conn.status === 'failed';
      setText(intro, ui.t('audio.intro'));
      // Known before any click: a one-line note; the full help comes with a click on Join audio.
      const blocked = l.mic === 'blocked';
      const problem = PROBLEMS.has(l.mic) ? `mic.${l.mic}` : l.problem ? `problem.${l.problem}` : null;
      show(note, blocked);
      setText(note, blocked ? ui.t('audio.mic.denied.title') : '');
      show(help, !!problem);
      help.dataset.problem = problem || '';
      if (problem) {
        setText(helpTitle, ui.t(`audio.${problem}.title`));
        setText(helpBody, ui.t(`audio.${problem}.body`));
      }
      const testLive = check.update(a, ui);
      el.dataset.check = testing(a) ? l.check : 'off';
      // "Your browser will ask for the microphone" is not true once it has said no, nor during the test.
      show(intro, !blocked && !problem && !testing(a));
      setText(movedText, ui.t('audio.moved'));
      setText(reclaim, ui.t('audio.useHere'));

      const isHeard = heard(a);
      const micOn = l.mic === 'on';
      setText(mute, l.muted ? ui.t('audio.unmute') : ui.t('audio.mute'));
      setAttr(mute, 'aria-pressed', l.muted ? 'true' : 'false');
      mute.disabled = l.phase !== 'on' || !micOn;
      mute.dataset.heard = isHeard ? 'true' : 'false';
      pttActive = l.phase === 'on' && micOn && l.ptt && !l.muted;
      pttBox.checked = l.ptt;
      pttBox.disabled = !micOn;
      setText(pttLabel, ui.t('audio.ptt'));
      setText(meterLabel, ui.t('audio.level'));
      show(meter.parentNode, micOn);
      setText(micLabel, ui.t('audio.microphone'));
      fillSelect(mic, l.inputs, l.inputId, ui.t('audio.defaultDevice'));
      show(micWrap, micOn);
      setText(outLabel, ui.t('audio.speaker'));
      fillSelect(out, l.outputs, l.outputId, ui.t('audio.defaultDevice'));
      show(outWrap, l.canPickOutput && l.outputs.length > 0);
      setText(leave, ui.t('audio.leave'));

      let key;
      if (l.phase === 'starting') key = l.mic === 'asking' ? 'audio.asking' : 'audio.starting';
      else if (!srv || !srv.enabled) key = 'audio.connecting';
      else if (!micOn) key = 'audio.listening';
      else if (!srv.maySpeak) key = 'audio.offStage';
      else if (l.muted) key = 'audio.muted';
      else if (l.ptt && !l.talking) key = 'audio.holdSpace';
      else key = 'audio.live';
      if (srv && srv.listen && l.phase === 'on') key = 'audio.listeningIn';
      else if (srv && srv.reason === 'room_closed' && l.phase === 'on') key = 'audio.listenEnded';
      setText(status, ui.t(key, { room: srv && srv.listen ? srv.listen : '' }));
      status.dataset.key = key;
      if (a.lastError && now - a.lastError.at < 5000 && l.phase === 'on') setText(status, `${status.textContent} ${ui.t(`audio.error.${a.lastError.code}`)}`);

      // Announce the state that matters to a screen reader user: heard or not.
      const say = l.phase === 'on' ? (isHeard ? 'audio.saidLive' : 'audio.saidMuted') : null;
      if (say !== lastSaid) {
        lastSaid = say;
        setText(live, say ? ui.t(say) : '');
      }
      const metering = (l.phase === 'on' || testLive) && micOn;
      if (metering && !raf) raf = requestAnimationFrame(tick);
      if (!metering && raf) {
        cancelAnimationFrame(raf);
        raf = 0;
        meter.value = 0;
        check.meter.value = 0;
      }

      const rec = a.recording && a.recording.room === state.room ? a.recording : null;
      const role = state.me ? state.me.role : null;
      // Coordinators record any room; the session's host (an expert) the room they are in.
      const mayRecord = role === 'coordinator' || (role === 'expert' && canHost(state));
      show(recBox, !!rec || mayRecord);
      recBox.dataset.on = rec ? 'true' : 'false';
      setText(recText, rec ? ui.t('audio.recordingNow', { since: ui.fmt.when(rec.since, now) }) : '');
      show(recText, !!rec);
      show(recBtn, mayRecord);
      setText(recBtn, rec ? ui.t('audio.recordStop') : ui.t('audio.recordStart'));
      const recId = rec ? rec.id || 'on' : null;
      if (recId !== lastRec) {
        if (lastRec !== null || recId !== null) setText(live, ui.t(recId ? 'audio.recordingStarted' : 'audio.recordingStopped'));
        lastRec = recId;
      }
    },
  };
}
