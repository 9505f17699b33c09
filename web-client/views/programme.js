// The programme tab (docs/protocol.md section 10.8): the network's planned
// sessions, each at its time in the member's own time zone and locale
// (Intl), this session marked. Coordinators also get a small editor: add a
// session, remove one, export the programme as JSON and import it back
// (`put`). The server answers every change with the whole programme.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';

const KINDS = ['peer-learning', 'workshop'];
const MAX_IMPORT_BYTES = 1 << 20;

function downloadJson(obj, filename) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(obj, null, 2)], { type: 'application/json' }));
  const a = h('a', { attrs: { href: url, download: filename } });
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

export function mount(el, actions) {
  const heading = h('h3', { className: 'panel-heading', attrs: { id: 'programme-heading' } });
  const zone = h('p', { className: 'panel-note', attrs: { id: 'programme-zone' } });
  const list = h('ul', { className: 'panel-list programme-list', attrs: { id: 'programme-list', 'aria-labelledby': 'programme-heading' } });
  const empty = h('p', { className: 'panel-note' });
  const status = h('p', { className: 'panel-note', attrs: { role: 'status', id: 'programme-status' } });

  // The coordinator's editor.
  const tLabel = h('label', { attrs: { for: 'programme-title' } });
  const tInput = h('input', { attrs: { type: 'text', id: 'programme-title', maxlength: '120', autocomplete: 'off' } });
  const kLabel = h('label', { attrs: { for: 'programme-kind' } });
  const kSelect = h('select', { attrs: { id: 'programme-kind' } }, KINDS.map((k) => h('option', { attrs: { value: k } })));
  const sLabel = h('label', { attrs: { for: 'programme-start' } });
  const sInput = h('input', { attrs: { type: 'datetime-local', id: 'programme-start' } });
  const dLabel = h('label', { attrs: { for: 'programme-minutes' } });
  const dInput = h('input', { attrs: { type: 'number', id: 'programme-minutes', min: '5', max: '720', value: '120' } });
  const hLabel = h('label', { attrs: { for: 'programme-host' } });
  const hSelect = h('select', { attrs: { id: 'programme-host' } });
  const add = h('button', { className: 'btn btn-small', attrs: { type: 'submit', id: 'programme-add' } });
  const form = h('form', { className: 'panel-form programme-form' }, [
    h('div', {}, [tLabel, tInput]), h('div', {}, [kLabel, kSelect]), h('div', {}, [sLabel, sInput]), h('div', {}, [dLabel, dInput]), h('div', {}, [hLabel, hSelect]), h('div', {}, [add])]);
  const exportBtn = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'programme-export' } });
  const importLabel = h('label', { className: 'btn btn-small', attrs: { for: 'programme-import' } });
  const importInput = h('input', { className: 'sr-only', attrs: { type: 'file', id: 'programme-import', accept: 'application/json,.json' } });
  const tools = h('div', { className: 'panel-form programme-tools' }, [exportBtn, importLabel, importInput]);
  const editor = h('div', { className: 'programme-editor' }, [form, tools]);
  el.append(heading, zone, list, empty, editor, status);

  let last = null;
  let ui = null;
  const zoneName = Intl.DateTimeFormat().resolvedOptions().timeZone;

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const start = new Date(sInput.value).getTime(); // datetime-local: the member's own time zone
    const minutes = Number(dInput.value);
    const title = tInput.value.trim();
    if (!title || !Number.isFinite(start) || !(minutes >= 5 && minutes <= 720)) {
      setText(status, ui.t('programme.invalid'));
      return;
    }
    const entry = { kind: kSelect.value, title, start, tz: zoneName, duration_ms: minutes * 60000, host: hSelect.value };
    if (actions.request({ type: 'programme', op: 'add', entry, ref: 'programme' })) tInput.value = '';
  });
  exportBtn.addEventListener('click', () => {
    if (last) downloadJson({ sessions: last.sessions }, 'kopa-programme.json');
  });
  importInput.addEventListener('change', async () => {
    const file = importInput.files && importInput.files[0];
    importInput.value = '';
    if (!file) return;
    try {
      if (file.size > MAX_IMPORT_BYTES) throw new Error('too big');
      const data = JSON.parse(await file.text());
      const sessions = Array.isArray(data) ? data : data && Array.isArray(data.sessions) ? data.sessions : null;
      if (!sessions) throw new Error('no sessions');
      actions.request({ type: 'programme', op: 'put', sessions, ref: 'programme' });
      setText(status, ui.t('programme.imported', { count: sessions.length }));
    } catch (e) {
      setText(status, ui.t('programme.badFile'));
    }
  });

  return {
    update(vm) {
      const { state } = vm;
      ui = vm.ui;
      const p = state.live.programme;
      last = p;
      const coordinator = !!state.me && state.me.role === 'coordinator';
      const day = new Intl.DateTimeFormat(ui.locale, { dateStyle: 'full', timeStyle: 'short' });
      const end = new Intl.DateTimeFormat(ui.locale, { timeStyle: 'short' });
      setText(heading, ui.t('programme.heading'));
      setText(zone, ui.t('programme.zone', { zone: zoneName }));
      const sessions = p ? p.sessions : [];
      const names = (id) => {
        const m = state.members.find((x) => x.id === id);
        return (m && m.name) || state.names[id] || id;
      };
      reconcile(list, sessions, {
        key: (e) => String(e.id),
        create: () => {
          const li = h('li', { className: 'programme-entry' });
          const title = h('p', { className: 'programme-title' });
          const when = h('p', { className: 'programme-when' });
          const meta = h('p', { className: 'programme-meta' });
          const remove = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' } });
          li.append(title, when, meta, remove);
          li.refs = { title, when, meta, remove };
          return li;
        },
        update: (li, e) => {
          const r = li.refs;
          setText(r.title, e.title);
          setText(r.when, `${day.format(new Date(e.start))} – ${end.format(new Date(e.start + (e.duration_ms || 0)))}`);
          setText(r.meta, [ui.t(`programme.kind.${e.kind === 'workshop' ? 'workshop' : 'peer'}`), e.host ? ui.t('programme.host', { name: names(e.host) }) : '',
            e.session === state.session ? ui.t('programme.thisSession') : ''].filter(Boolean).join(' · '));
          li.dataset.current = e.session === state.session ? 'true' : 'false';
          show(r.remove, coordinator);
          setText(r.remove, ui.t('programme.remove'));
          setAttr(r.remove, 'aria-label', ui.t('programme.removeEntry', { title: e.title }));
          r.remove.onclick = () => actions.request({ type: 'programme', op: 'remove', id: e.id, ref: 'programme' });
        },
      });
      show(empty, sessions.length === 0);
      setText(empty, p ? ui.t('programme.empty') : ui.t('programme.loading'));
      show(editor, coordinator);
      setText(tLabel, ui.t('programme.title'));
      setText(kLabel, ui.t('programme.kind'));
      KINDS.forEach((k, i) => setText(kSelect.options[i], ui.t(`programme.kind.${k === 'workshop' ? 'workshop' : 'peer'}`)));
      setText(sLabel, ui.t('programme.start'));
      setText(dLabel, ui.t('programme.minutes'));
      setText(hLabel, ui.t('programme.hostLabel'));
      // Hosts: the coordinators and experts present (me first).
      const hosts = state.members.filter((m) => m.role !== 'entrepreneur')
        .sort((a, b) => (b.id === (state.me && state.me.id)) - (a.id === (state.me && state.me.id)));
      const same = hSelect.options.length === hosts.length && hosts.every((m, i) => hSelect.options[i].value === m.id);
      if (!same) hSelect.replaceChildren(...hosts.map((m) => h('option', { text: m.name || m.id, attrs: { value: m.id } })));
      setText(add, ui.t('programme.add'));
      setText(exportBtn, ui.t('programme.export'));
      setText(importLabel, ui.t('programme.import'));
    },
  };
}
