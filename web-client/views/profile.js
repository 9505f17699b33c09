// The self-assessment tab (entrepreneurs): at the start, middle and end of
// the programme, what one needs from peers and what one can offer, per
// topic, plus country, languages and a short description. Breakout groups
// are proposed from it. Loaded from the server once per connection.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { TOPICS, MARKS, PROFILE_STAGES, latestVersion } from '../lib/breakout-state.js';
import { LANGUAGES } from '../lib/i18n.js';

const MAX_TEXT = 1000;
const EXTRA_LANGS = ['ru', 'de', 'fi'];

export function mount(el, actions) {
  const intro = h('p', { className: 'panel-note' });
  const stageLabel = h('label', { attrs: { for: 'profile-stage' } });
  const stage = h('select', { attrs: { id: 'profile-stage' } }, PROFILE_STAGES.map((s) => h('option', { attrs: { value: s } })));
  const countryLabel = h('label', { attrs: { for: 'profile-country' } });
  const country = h('input', { attrs: { type: 'text', id: 'profile-country', maxlength: '2', autocomplete: 'country', size: '3' } });
  const langLegend = h('legend');
  const langs = LANGUAGES.concat(EXTRA_LANGS).map((code) => {
    const box = h('input', { attrs: { type: 'checkbox', id: `profile-lang-${code}`, value: code } });
    const label = h('label', { className: 'choice', attrs: { for: `profile-lang-${code}` } }, [box, h('span')]);
    return { code, box, label };
  });
  const langSet = h('fieldset', {}, [langLegend, ...langs.map((l) => l.label)]);

  const marksLegend = h('p', { className: 'field-label' });
  const marksHint = h('p', { className: 'panel-note' });
  const topicRows = TOPICS.map((topic) => {
    const legend = h('legend');
    const inputs = MARKS.map((mark) => {
      const input = h('input', { attrs: { type: 'radio', name: `profile-${topic}`, id: `profile-${topic}-${mark}`, value: mark } });
      const span = h('span');
      const label = h('label', { className: 'choice', attrs: { for: `profile-${topic}-${mark}` } }, [input, span]);
      return { mark, input, span, label };
    });
    inputs[0].input.checked = true;
    const set = h('fieldset', { className: 'profile-topic' }, [legend, ...inputs.map((x) => x.label)]);
    return { topic, legend, inputs, set };
  });
  const textLabel = h('label', { attrs: { for: 'profile-text' } });
  const text = h('textarea', { attrs: { id: 'profile-text', rows: '3', maxlength: String(MAX_TEXT) } });
  const save = h('button', { className: 'btn btn-primary', attrs: { type: 'submit', id: 'profile-save' } });
  const status = h('p', { className: 'panel-note', attrs: { role: 'status', id: 'profile-status' } });
  const form = h('form', { className: 'panel-form profile-form' }, [
    intro, h('div', { className: 'panel-row' }, [h('div', {}, [stageLabel, stage]), h('div', {}, [countryLabel, country])]),
    langSet, marksLegend, marksHint, ...topicRows.map((r) => r.set), textLabel, text, h('div', {}, [save]), status]);
  el.appendChild(form);

  let ui = null;
  let asked = false;
  let filledFrom = null;
  let sending = false;

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const marks = {};
    for (const r of topicRows) {
      const picked = r.inputs.find((x) => x.input.checked);
      if (picked && picked.mark !== 'none') marks[r.topic] = picked.mark;
    }
    const msg = { type: 'profile_save', ref: 'profile-save', stage: stage.value, marks,
      langs: langs.filter((l) => l.box.checked).map((l) => l.code), text: text.value.trim() };
    const c = country.value.trim().toUpperCase();
    if (c) {
      if (!/^[A-Z]{2}$/.test(c)) { setText(status, ui.t('profile.badCountry')); country.focus(); return; }
      msg.country = c;
    }
    sending = actions.request(msg);
    setText(status, sending ? ui.t('profile.saving') : ui.t('pulse.offline'));
  });

  /* Puts a saved version (or the token's details) into the form. */
  function fill(version, me) {
    if (version && PROFILE_STAGES.includes(version.stage)) stage.value = version.stage;
    country.value = (version && version.country) || (me && me.country) || '';
    const chosen = (version && version.langs) || (me && me.langs) || [];
    for (const l of langs) l.box.checked = chosen.includes(l.code);
    for (const r of topicRows) {
      const mark = version && version.marks ? version.marks[r.topic] || 'none' : 'none';
      for (const x of r.inputs) x.input.checked = x.mark === mark;
    }
    text.value = (version && version.text) || '';
  }

  return {
    update({ state, ui: u, now }) {
      ui = u;
      if (!asked && state.conn.status === 'online') asked = actions.request({ type: 'profile_get', ref: 'profile-mine' });
      if (state.conn.status !== 'online') asked = false;
      const profile = state.breakout.profile;
      const version = latestVersion(profile);
      const key = version ? `${version.stage}:${version.updated_at}` : profile ? 'empty' : null;
      if (key !== null && key !== filledFrom) {
        filledFrom = key;
        fill(version, state.me);
        if (sending) setText(status, ui.t('profile.saved'));
        sending = false;
      } else if (filledFrom === null && state.me && !country.value) {
        fill(null, state.me);
      }
      setText(intro, ui.t('profile.intro'));
      setText(stageLabel, ui.t('profile.stage'));
      PROFILE_STAGES.forEach((s, i) => setText(stage.options[i], ui.t(`profile.stage.${s}`)));
      setText(countryLabel, ui.t('profile.country'));
      setAttr(country, 'placeholder', 'LV');
      setText(langLegend, ui.t('profile.languages'));
      for (const l of langs) setText(l.label.lastChild, new Intl.DisplayNames([ui.locale], { type: 'language' }).of(l.code) || l.code);
      setText(marksLegend, ui.t('profile.marks'));
      setText(marksHint, ui.t('profile.marksHint'));
      for (const r of topicRows) {
        setText(r.legend, ui.t(`topic.${r.topic}`));
        for (const x of r.inputs) setText(x.span, ui.t(`profile.mark.${x.mark}`));
      }
      setText(textLabel, ui.t('profile.text'));
      setText(save, ui.t('profile.save'));
      if (version && !sending && status.textContent === '') setText(status, ui.t('profile.savedAt', { when: ui.fmt.when(version.updated_at, now) }));
      show(status, status.textContent !== '');
    },
  };
}
