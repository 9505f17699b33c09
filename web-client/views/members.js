// The member list: who is present, their role and country, and a button to
// message each one privately.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { sortedMembers } from '../lib/state.js';
import { speakingIn } from '../lib/audio-state.js';

export function mount(el, actions) {
  const heading = h('h2', { className: 'members-heading', attrs: { id: 'members-heading' } });
  const list = h('ul', { className: 'member-list', attrs: { 'aria-labelledby': 'members-heading' } });
  const empty = h('p', { className: 'members-empty' });
  el.append(heading, list, empty);

  function create(m) {
    const li = h('li', { className: 'member' });
    const name = h('span', { className: 'member-name' });
    const you = h('span', { className: 'member-you' });
    const speaking = h('span', { className: 'member-speaking' });
    const role = h('span', { className: 'member-role' });
    const where = h('span', { className: 'member-where' });
    const btn = h('button', { className: 'btn btn-small', attrs: { type: 'button' }, on: { click: () => actions.openPrivate(m.id) } });
    li.append(h('div', { className: 'member-line' }, [name, you, speaking]), h('div', { className: 'member-info' }, [role, where]), btn);
    li.refs = { name, you, role, where, btn, speaking };
    return li;
  }

  return {
    update({ state, ui }) {
      const members = sortedMembers(state);
      setText(heading, ui.t('members.heading', { count: members.length }));
      const meId = state.me ? state.me.id : null;
      const speakers = new Set(speakingIn(state.audio, state.room));
      if (state.audio.local.speaking) speakers.add(meId);
      reconcile(list, members, {
        key: (m) => m.id,
        create,
        update: (li, m) => {
          const r = li.refs;
          const isMe = m.id === meId;
          setText(r.name, m.name || m.id);
          setText(r.you, isMe ? `(${ui.t('members.you')})` : '');
          const talking = speakers.has(m.id) && (!m.room || m.room === state.room);
          li.dataset.speaking = talking ? 'true' : 'false';
          setText(r.speaking, talking ? ui.t('members.speaking') : '');
          show(r.speaking, talking);
          setText(r.role, ui.t(`role.${m.role}`) === `role.${m.role}` ? '' : ui.t(`role.${m.role}`));
          setAttr(r.role, 'data-role', m.role || null);
          const parts = [];
          const country = ui.fmt.country(m.country);
          if (country) parts.push(country);
          if (m.room && state.room && m.room !== state.room) parts.push(m.room === 'main' ? ui.t('members.inMain') : ui.t('members.otherRoom', { room: m.room }));
          setText(r.where, parts.join(' · '));
          setAttr(r.where, 'title', m.country || null);
          show(r.btn, !isMe);
          setText(r.btn, ui.t('members.message'));
          setAttr(r.btn, 'aria-label', ui.t('members.messageTo', { name: m.name || m.id }));
        },
      });
      show(empty, members.length === 0);
      setText(empty, ui.t('members.empty'));
    },
  };
}
