// The programme tab (docs/protocol.md section 10.8): the network's planned
// sessions, each at its time in the member's own time zone and locale
// (Intl), this session marked. Coordinators also get a small editor: add a
// session, edit one in place (mountEntryEditor below), remove one, export
// the programme as JSON and import it back (`put`). The server answers
// every change with the whole programme.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { downloadFile } from './reports.js';
import { BREAKOUT_MODES, BREAKOUT_SIZES, ENTRY_KINDS, ITEM_KINDS, ITEMS_MAX, editOutcome, entryToForm, formToEntry } from '../lib/programme-form.js';

const KINDS = ['peer-learning', 'workshop'];
const MAX_IMPORT_BYTES = 1 << 20;

/* The export is the plan: attendance is a report of its own (reports tab). */
const planOf = ({ attendees, ...entry }) => entry;

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
  const editor2 = mountEntryEditor(actions, { zone: zoneName, status });

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
    if (last) downloadFile(JSON.stringify({ sessions: last.sessions.map(planOf) }, null, 2), 'kopa-programme.json', 'application/json');
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
          const edit = h('button', { className: 'btn btn-small btn-quiet programme-edit-open', attrs: { type: 'button', 'aria-expanded': 'false' } });
          const remove = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' } });
          const slot = h('div', { className: 'programme-edit-slot' });
          li.append(title, when, meta, h('div', { className: 'programme-entry-tools' }, [edit, remove]), slot);
          li.refs = { title, when, meta, edit, remove, slot };
          return li;
        },
        update: (li, e) => {
          const r = li.refs;
          setText(r.title, e.title);
          setText(r.when, `${day.format(new Date(e.start))} – ${end.format(new Date(e.start + (e.duration_ms || 0)))}`);
          setText(r.meta, [ui.t(`programme.kind.${e.kind === 'workshop' ? 'workshop' : 'peer'}`), e.host ? ui.t('programme.host', { name: names(e.host) }) : '',
            e.session === state.session ? ui.t('programme.thisSession') : '',
            // Coordinators' programme carries the attendance (section 10.8).
            Array.isArray(e.attendees) ? ui.t('programme.attended', { count: e.attendees.length }) : ''].filter(Boolean).join(' · '));
          li.dataset.current = e.session === state.session ? 'true' : 'false';
          show(r.remove, coordinator);
          show(r.edit, coordinator);
          setText(r.edit, ui.t('programme.edit'));
          setAttr(r.edit, 'aria-label', ui.t('programme.editEntry', { title: e.title }));
          setAttr(r.edit, 'aria-expanded', editor2.editing() === e.id ? 'true' : 'false');
          r.edit.onclick = () => (editor2.editing() === e.id ? editor2.close(true) : editor2.open(e, r.slot, r.edit, vm));
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
      editor2.update(vm, coordinator ? sessions : []);
    },
  };
}

/* ---------- editing one entry in place ---------- */

const ZONES = ['Europe/Stockholm', 'Europe/Tallinn', 'Europe/Riga', 'Europe/Vilnius', 'Europe/Helsinki', 'Europe/Oslo', 'Europe/Copenhagen', 'UTC'];

function field(id, labelEl, input) {
  labelEl.setAttribute('for', id);
  input.id = id;
  return h('div', { className: 'programme-field' }, [labelEl, input]);
}

function options(select, values, label) {
  const same = select.options.length === values.length && values.every((v, i) => select.options[i].value === v);
  if (!same) select.replaceChildren(...values.map((v) => h('option', { attrs: { value: v } })));
  values.forEach((v, i) => setText(select.options[i], label(v)));
}

/**
 * The in-place editor of one entry (coordinators): one form, moved into the
 * entry being edited. open(entry, slot, opener, vm) fills it from the entry
 * and focuses the title; Escape or Cancel closes it and gives focus back to
 * the entry's Edit button. Save checks the values (lib/programme-form.js)
 * and sends `edit`; the editor closes when the programme shows the change,
 * or shows the server's error (translated) and stays open.
 */
function mountEntryEditor(actions, { zone, status }) {
  const L = (k) => h('label', { attrs: { 'data-key': k } });
  const lTitle = L('programme.title');
  const iTitle = h('input', { attrs: { type: 'text', maxlength: '120', autocomplete: 'off', required: '' } });
  const lKind = L('programme.kind');
  const iKind = h('select');
  const lStart = L('programme.edit.start');
  const iStart = h('input', { attrs: { type: 'datetime-local', required: '' } });
  const lTz = L('programme.edit.tz');
  const zones = h('datalist', { attrs: { id: 'programme-edit-zones' } });
  const iTz = h('input', { attrs: { type: 'text', list: 'programme-edit-zones', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'programme-edit-tz-hint' } });
  const tzHint = h('p', { className: 'panel-note', attrs: { id: 'programme-edit-tz-hint' } });
  const lMinutes = L('programme.minutes');
  const iMinutes = h('input', { attrs: { type: 'number', min: '5', max: '720', step: '1', required: '' } });
  const lHost = L('programme.hostLabel');
  const iHost = h('select');
  const itemsLegend = h('legend');
  const itemsList = h('ol', { className: 'programme-items', attrs: { id: 'programme-edit-items' } });
  const addItem = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'programme-edit-add-item' } });
  const itemsSet = h('fieldset', { className: 'programme-items-set' }, [itemsLegend, itemsList, addItem]);
  const error = h('p', { className: 'programme-edit-error', attrs: { id: 'programme-edit-error', role: 'alert' } });
  const save = h('button', { className: 'btn btn-small btn-primary', attrs: { type: 'submit', id: 'programme-edit-save' } });
  const cancel = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'programme-edit-cancel' } });
  const heading = h('h4', { className: 'panel-heading', attrs: { id: 'programme-edit-heading' } });
  const form = h('form', { className: 'panel-form programme-edit', attrs: { id: 'programme-edit', 'aria-labelledby': 'programme-edit-heading', novalidate: '' } }, [
    heading,
    field('programme-edit-title', lTitle, iTitle), field('programme-edit-kind', lKind, iKind),
    field('programme-edit-start', lStart, iStart),
    h('div', { className: 'programme-field' }, [lTz, iTz, zones, tzHint]),
    field('programme-edit-minutes', lMinutes, iMinutes), field('programme-edit-host', lHost, iHost),
    itemsSet, error, h('div', { className: 'programme-edit-buttons' }, [save, cancel])]);
  lTz.setAttribute('for', 'programme-edit-tz');
  iTz.id = 'programme-edit-tz';
  form.hidden = true;

  let ui = null;
  let state = null;
  let editing = null; // {id, entry (as shown when opened), opener}
  let pending = null; // {id, entry sent, errorSeq at sending}
  let items = []; // the template rows' values while editing

  const fields = { title: iTitle, kind: iKind, start: iStart, tz: iTz, minutes: iMinutes, host: iHost };

  function readItems() {
    items = [...itemsList.children].map((li) => ({
      title: li.refs.title.value, kind: li.refs.kind.value, minutes: li.refs.minutes.value, lead: li.refs.lead.value,
      mode: li.refs.mode.value, size: li.refs.size.value,
    }));
    return items;
  }

  function memberName(id) {
    const m = state && state.members.find((x) => x.id === id);
    return (m && m.name) || (state && state.names[id]) || id;
  }

  function renderItems(focusIndex = null) {
    const people = state ? state.members.map((m) => m.id) : [];
    itemsList.replaceChildren(...items.map((it, i) => {
      const n = i + 1;
      const id = (k) => `programme-edit-item-${n}-${k}`;
      const title = h('input', { attrs: { type: 'text', id: id('title'), maxlength: '120', autocomplete: 'off' } });
      const kind = h('select', { attrs: { id: id('kind') } });
      const minutes = h('input', { attrs: { type: 'number', id: id('minutes'), min: '1', max: '480', step: '1' } });
      const lead = h('select', { attrs: { id: id('lead') } });
      // A breakout item's round: how people are grouped and how many per group ('' = the default).
      const mode = h('select', { attrs: { id: id('mode') } });
      const size = h('select', { attrs: { id: id('size') } });
      const remove = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' } });
      title.value = it.title;
      options(kind, ITEM_KINDS, (k) => ui.t(`agenda.kind.${k}`));
      kind.value = it.kind;
      minutes.value = it.minutes;
      const leads = [''].concat(people, it.lead && !people.includes(it.lead) ? [it.lead] : []);
      options(lead, leads, (v) => (v ? memberName(v) : ui.t('programme.edit.noLead')));
      lead.value = it.lead;
      options(mode, [''].concat(BREAKOUT_MODES), (v) => (v ? ui.t(`round.mode.${v}`) : ui.t('programme.edit.default')));
      mode.value = it.mode || '';
      options(size, [''].concat(BREAKOUT_SIZES.map(String)), (v) => v || ui.t('programme.edit.default'));
      size.value = it.size || '';
      setText(remove, ui.t('programme.edit.removeItem'));
      setAttr(remove, 'aria-label', ui.t('programme.edit.removeItemN', { n }));
      remove.addEventListener('click', () => {
        readItems();
        items.splice(i, 1);
        renderItems(items.length ? Math.min(i, items.length - 1) : null);
        if (!items.length) addItem.focus();
      });
      const lab = (k, input) => h('label', { text: ui.t(k, { n }), attrs: { for: input.id } });
      const modeField = h('div', { className: 'programme-field' }, [lab('programme.edit.itemMode', mode), mode]);
      const sizeField = h('div', { className: 'programme-field' }, [lab('programme.edit.itemSize', size), size]);
      const breakoutShown = () => {
        show(modeField, kind.value === 'breakout');
        show(sizeField, kind.value === 'breakout');
      };
      breakoutShown();
      kind.addEventListener('change', breakoutShown);
      const li = h('li', { className: 'programme-item' }, [
        h('div', { className: 'programme-field' }, [lab('programme.edit.itemTitle', title), title]),
        h('div', { className: 'programme-field' }, [lab('programme.edit.itemKind', kind), kind]),
        h('div', { className: 'programme-field' }, [lab('programme.edit.itemMinutes', minutes), minutes]),
        h('div', { className: 'programme-field' }, [lab('programme.edit.itemLead', lead), lead]),
        modeField, sizeField,
        remove]);
      li.refs = { title, kind, minutes, lead, mode, size };
      return li;
    }));
    if (focusIndex !== null && itemsList.children[focusIndex]) itemsList.children[focusIndex].refs.title.focus();
    show(addItem, items.length < ITEMS_MAX);
  }

  addItem.addEventListener('click', () => {
    readItems();
    items.push({ title: '', kind: 'plenary', minutes: '15', lead: '', mode: '', size: '' });
    renderItems(items.length - 1);
  });

  function showError(text, fieldName) {
    setText(error, text);
    for (const [k, input] of Object.entries(fields)) setAttr(input, 'aria-invalid', k === fieldName ? 'true' : null);
    for (const li of itemsList.children) for (const input of Object.values(li.refs)) setAttr(input, 'aria-invalid', null);
    const m = /^items\[(\d+)\]\.(\w+)$/.exec(fieldName || '');
    const target = m ? itemsList.children[Number(m[1])] && itemsList.children[Number(m[1])].refs[m[2]]
      : fieldName === 'items' ? (itemsList.children[0] ? itemsList.children[0].refs.minutes : addItem) : fields[fieldName];
    if (target) {
      if (m) setAttr(target, 'aria-invalid', 'true');
      target.focus();
    }
  }

  function close(focusOpener) {
    if (!editing) return;
    const opener = editing.opener;
    editing = null;
    pending = null;
    form.hidden = true;
    form.remove();
    if (opener) setAttr(opener, 'aria-expanded', 'false');
    if (focusOpener && opener && opener.isConnected) opener.focus();
  }

  function open(entry, slot, opener, vm) {
    if (editing) close(false);
    ui = vm.ui;
    state = vm.state;
    editing = { id: entry.id, entry, opener };
    pending = null;
    const f = entryToForm(entry);
    iTitle.value = f.title;
    iKind.value = f.kind;
    iStart.value = f.start;
    iTz.value = f.tz;
    iMinutes.value = f.minutes;
    items = f.items;
    fillHosts(f.host);
    iHost.value = f.host;
    setText(error, '');
    for (const input of Object.values(fields)) setAttr(input, 'aria-invalid', null);
    renderTexts();
    renderItems();
    slot.appendChild(form);
    form.hidden = false;
    setAttr(opener, 'aria-expanded', 'true');
    iTitle.focus();
  }

  function fillHosts(current) {
    const ids = state.members.filter((m) => m.role !== 'entrepreneur').map((m) => m.id);
    if (current && !ids.includes(current)) ids.unshift(current);
    options(iHost, ids, memberName);
  }

  function renderTexts() {
    for (const l of form.querySelectorAll('label[data-key]')) setText(l, ui.t(l.getAttribute('data-key')));
    setText(heading, ui.t('programme.edit.heading', { title: editing ? editing.entry.title : '' }));
    options(iKind, ENTRY_KINDS, (k) => ui.t(`programme.kind.${k === 'workshop' ? 'workshop' : 'peer'}`));
    setText(tzHint, ui.t('programme.edit.tzHint', { zone }));
    const zs = ZONES.includes(zone) ? ZONES : [zone].concat(ZONES);
    if (zones.children.length !== zs.length) zones.replaceChildren(...zs.map((z) => h('option', { attrs: { value: z } })));
    setText(itemsLegend, ui.t('programme.edit.items'));
    setText(addItem, ui.t('programme.edit.addItem'));
    setText(save, pending ? ui.t('programme.edit.saving') : ui.t('programme.edit.save'));
    setText(cancel, ui.t('programme.edit.cancel'));
  }

  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      close(true);
    }
  });
  cancel.addEventListener('click', () => close(true));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!editing || pending) return;
    const values = { title: iTitle.value, kind: iKind.value, start: iStart.value, tz: iTz.value, minutes: iMinutes.value, host: iHost.value, items: readItems() };
    const r = formToEntry(values, editing.entry);
    if (r.error) {
      showError(ui.t(r.error, r.vars), r.field);
      return;
    }
    if (!actions.request({ type: 'programme', op: 'edit', id: editing.id, entry: r.entry, ref: 'programme:edit' })) {
      showError(ui.t('programme.edit.offline'), null);
      return;
    }
    pending = { id: editing.id, entry: r.entry, errorSeq: state.errorSeq };
    setText(error, '');
    renderTexts();
  });

  return {
    editing: () => (editing ? editing.id : null),
    open,
    close,
    update(vm, sessions) {
      ui = vm.ui;
      state = vm.state;
      if (!editing) return;
      renderTexts();
      const still = sessions.find((e) => e.id === editing.id);
      if (!still) {
        close(false);
        setText(status, ui.t('programme.edit.gone'));
        return;
      }
      if (!pending) return;
      const outcome = editOutcome(pending, state);
      if (outcome && outcome.error) {
        pending = null;
        renderTexts();
        const known = ui.t(`error.${outcome.error}`);
        const reason = known === `error.${outcome.error}` ? ui.t('error.unknown', { code: outcome.error }) : known;
        showError(ui.t('programme.edit.refused', { reason }), null);
      } else if (outcome === 'saved') {
        const title = pending.entry.title;
        close(true);
        setText(status, ui.t('programme.edit.saved', { title }));
      }
    },
  };
}
