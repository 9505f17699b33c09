// Notes and commitments (part of the agenda tab): what was decided or
// promised last time with the same people, this session's notes, and for
// coordinators and the host a form to write one (attached to the current
// agenda item) and to mark a commitment done. Only sessions in the
// programme keep notes.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { canHost } from '../lib/live-state.js';

const MAX_NOTE = 1000;

export function mount(el, actions) {
  const send = (op, fields) => actions.live('note', op, fields);
  const prevHeading = h('h3', { className: 'panel-heading', attrs: { id: 'notes-prev-heading' } });
  const prevList = h('ul', { className: 'panel-list notes-list', attrs: { 'aria-labelledby': 'notes-prev-heading' } });
  const prevBox = h('section', { className: 'notes-previous' }, [prevHeading, prevList]);
  const heading = h('h3', { className: 'panel-heading', attrs: { id: 'notes-heading' } });
  const list = h('ul', { className: 'panel-list notes-list', attrs: { 'aria-labelledby': 'notes-heading' } });
  const empty = h('p', { className: 'panel-empty' });

  const kindLegend = h('legend');
  const kindNote = h('input', { attrs: { type: 'radio', name: 'note-kind', id: 'note-kind-note', value: 'note', checked: '' } });
  const kindCommit = h('input', { attrs: { type: 'radio', name: 'note-kind', id: 'note-kind-commitment', value: 'commitment' } });
  const noteText = h('span');
  const commitText = h('span');
  const kindSet = h('fieldset', {}, [kindLegend,
    h('label', { className: 'choice', attrs: { for: 'note-kind-note' } }, [kindNote, noteText]),
    h('label', { className: 'choice', attrs: { for: 'note-kind-commitment' } }, [kindCommit, commitText])]);
  const ownerLabel = h('label', { attrs: { for: 'note-owner' } });
  const owner = h('select', { attrs: { id: 'note-owner' } });
  const ownerRow = h('div', {}, [ownerLabel, owner]);
  const textLabel = h('label', { attrs: { for: 'note-text' } });
  const text = h('textarea', { attrs: { id: 'note-text', rows: '2', maxlength: String(MAX_NOTE) } });
  const submit = h('button', { className: 'btn btn-small', attrs: { type: 'submit' } });
  const form = h('form', { className: 'panel-form notes-form' }, [kindSet, ownerRow, textLabel, text, h('div', {}, [submit])]);
  let currentItem = null;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const t = text.value.trim();
    if (!t) { text.focus(); return; }
    const fields = { text: t, kind: kindCommit.checked ? 'commitment' : 'note' };
    if (currentItem) fields.item = currentItem;
    if (kindCommit.checked && owner.value) fields.owner = owner.value;
    if (send('add', fields)) text.value = '';
  });
  for (const r of [kindNote, kindCommit]) r.addEventListener('change', () => show(ownerRow, kindCommit.checked));
  el.append(prevBox, heading, list, empty, form);

  function createNote(n, editable) {
    const li = h('li', { className: 'note' });
    const kind = h('span', { className: 'note-kind' });
    const body = h('span', { className: 'note-text' });
    const meta = h('span', { className: 'note-meta' });
    li.append(kind, body, meta);
    const refs = { kind, body, meta };
    if (editable) {
      refs.done = h('input', { attrs: { type: 'checkbox', id: `note-done-${n.id}` } });
      refs.doneLabel = h('label', { className: 'choice', attrs: { for: `note-done-${n.id}` } });
      refs.done.addEventListener('change', () => send('done', { note: n.id, on: refs.done.checked }));
      refs.remove = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' }, on: { click: () => send('remove', { note: n.id }) } });
      refs.tools = h('div', { className: 'tools' }, [h('span', {}, [refs.done, refs.doneLabel]), refs.remove]);
      li.append(refs.tools);
    }
    li.refs = refs;
    return li;
  }

  function updateNote(li, n, ui, names, host) {
    const r = li.refs;
    li.dataset.kind = n.kind;
    li.dataset.done = n.done ? 'true' : 'false';
    setText(r.kind, n.kind === 'commitment' ? (n.done ? '☑ ' : '☐ ') : '• ');
    setText(r.body, n.text);
    const parts = [];
    if (n.kind === 'commitment' && n.owner) parts.push(ui.t('notes.owner', { name: names[n.owner] || n.owner }));
    if (n.kind === 'commitment') parts.push(n.done ? ui.t('notes.done') : ui.t('notes.open'));
    if (n.item_title) parts.push(n.item_title);
    setText(r.meta, parts.length ? ` (${parts.join(' · ')})` : '');
    if (r.tools) {
      show(r.tools, host);
      show(r.done.parentNode, n.kind === 'commitment');
      r.done.checked = !!n.done;
      setText(r.doneLabel, ui.t('notes.markDone'));
      setText(r.remove, ui.t('notes.remove'));
      setAttr(r.remove, 'aria-label', ui.t('notes.removeNote', { text: n.text.slice(0, 40) }));
    }
  }

  return {
    update({ state, ui }) {
      const live = state.live;
      const host = canHost(state);
      const prev = live.previous && Array.isArray(live.previous.notes) ? live.previous.notes : [];
      const notes = Array.isArray(live.notes) ? live.notes : [];
      const inProgramme = !!live.entry;
      show(el, inProgramme || prev.length > 0 || notes.length > 0);
      show(prevBox, prev.length > 0);
      const prevTitle = live.previous && live.previous.entry ? live.previous.entry.title : '';
      setText(prevHeading, prevTitle ? ui.t('notes.previousOf', { title: prevTitle }) : ui.t('notes.previous'));
      reconcile(prevList, prev, { key: (n) => String(n.id), create: (n) => createNote(n, false), update: (li, n) => updateNote(li, n, ui, state.names, false) });
      setText(heading, ui.t('notes.heading'));
      reconcile(list, notes, { key: (n) => String(n.id), create: (n) => createNote(n, true), update: (li, n) => updateNote(li, n, ui, state.names, host) });
      show(empty, notes.length === 0);
      setText(empty, ui.t('notes.empty'));

      show(form, host && inProgramme);
      currentItem = live.agenda && live.agenda.current ? live.agenda.current : null;
      setText(kindLegend, ui.t('notes.kind'));
      setText(noteText, ui.t('notes.kindNote'));
      setText(commitText, ui.t('notes.kindCommitment'));
      setText(ownerLabel, ui.t('notes.ownerLabel'));
      const opts = [['', ui.t('notes.nobody')]].concat(state.members.map((m) => [m.id, m.name || m.id]));
      const same = owner.options.length === opts.length && opts.every(([v, t], i) => owner.options[i].value === v && owner.options[i].textContent === t);
      if (!same) {
        const keep = owner.value;
        owner.replaceChildren(...opts.map(([v, t]) => h('option', { text: t, attrs: { value: v } })));
        owner.value = opts.some(([v]) => v === keep) ? keep : '';
      }
      show(ownerRow, kindCommit.checked);
      setText(textLabel, ui.t('notes.text'));
      setText(submit, ui.t('notes.add'));
    },
  };
}
