// The topics tab: propose a topic for the session and vote for others'
// (one vote each, press again to take it back); the list is ordered by
// votes. Authors, coordinators and the host can remove a topic.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { canHost, topicList } from '../lib/live-state.js';

const MAX_TITLE = 160;

export function mount(el, actions) {
  const send = (op, fields) => actions.live('topic', op, fields);
  const label = h('label', { attrs: { for: 'topic-new' } });
  const input = h('input', { attrs: { type: 'text', id: 'topic-new', maxlength: String(MAX_TITLE), autocomplete: 'off' } });
  const submit = h('button', { className: 'btn btn-small', attrs: { type: 'submit' } });
  const form = h('form', { className: 'panel-form' }, [label, h('div', { className: 'panel-row' }, [input, submit])]);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const title = input.value.trim();
    if (title && send('propose', { title })) input.value = '';
    input.focus();
  });
  const heading = h('h3', { className: 'panel-heading', attrs: { id: 'topics-heading' } });
  const list = h('ol', { className: 'panel-list topic-list', attrs: { 'aria-labelledby': 'topics-heading' } });
  const empty = h('p', { className: 'panel-empty' });
  el.append(form, heading, list, empty);

  function create(t) {
    const li = h('li', { className: 'topic' });
    const title = h('span', { className: 'topic-title' });
    const by = h('span', { className: 'topic-by' });
    // The count is the visible part of the button's name (the arrow before it is drawn by the stylesheet).
    const count = h('span', { className: 'topic-count' });
    const vote = h('button', { className: 'btn btn-small topic-vote', attrs: { type: 'button', 'aria-pressed': 'false' } }, [count]);
    vote.addEventListener('click', () => send(vote.getAttribute('aria-pressed') === 'true' ? 'unvote' : 'vote', { topic: t.id }));
    const remove = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' }, on: { click: () => send('remove', { topic: t.id }) } });
    li.append(vote, h('div', { className: 'topic-body' }, [title, by]), remove);
    li.refs = { title, by, vote, count, remove };
    return li;
  }

  return {
    update({ state, ui }) {
      const host = canHost(state);
      const topics = topicList(state);
      setText(label, ui.t('topics.propose'));
      setText(submit, ui.t('topics.add'));
      setText(heading, ui.t('topics.heading'));
      reconcile(list, topics, {
        key: (t) => String(t.id),
        create,
        update: (li, t) => {
          const r = li.refs;
          setText(r.title, t.title);
          setText(r.by, t.mine ? ui.t('topics.byYou') : ui.t('topics.by', { name: state.names[t.author] || t.author }));
          setText(r.count, String(t.votes));
          setAttr(r.vote, 'aria-pressed', t.voted ? 'true' : 'false');
          setAttr(r.vote, 'aria-label', ui.t(t.voted ? 'topics.unvote' : 'topics.vote', { title: t.title, count: t.votes }));
          show(r.remove, host || t.mine);
          setText(r.remove, ui.t('topics.remove'));
          setAttr(r.remove, 'aria-label', ui.t('topics.removeTopic', { title: t.title }));
        },
      });
      show(empty, topics.length === 0);
      setText(empty, ui.t('topics.empty'));
    },
  };
}
