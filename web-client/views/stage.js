// The workshop tab: who is on stage (the host puts people on and takes them
// off; only they and the host are heard), and the audience's questions,
// pinned first and then by votes. Everyone asks and votes; the host or a
// coordinator answers, pins or hides a question.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { canHost, onStage, questionList } from '../lib/live-state.js';

const MAX_QUESTION = 500;

export function mount(el, actions) {
  const stageSend = (op, user) => actions.live('stage', op, { user });
  const qSend = (op, fields) => actions.live('question', op, fields);

  const stageHeading = h('h3', { className: 'panel-heading', attrs: { id: 'stage-heading' } });
  const stageNote = h('p', { className: 'panel-note' });
  const speakers = h('ul', { className: 'panel-list stage-list', attrs: { 'aria-labelledby': 'stage-heading' } });
  const addLabel = h('label', { attrs: { for: 'stage-add' } });
  const addSelect = h('select', { attrs: { id: 'stage-add' } });
  const addBtn = h('button', { className: 'btn btn-small', attrs: { type: 'submit' } });
  const addForm = h('form', { className: 'panel-form' }, [addLabel, h('div', { className: 'panel-row' }, [addSelect, addBtn])]);
  addForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (addSelect.value) stageSend('add', addSelect.value);
  });

  const askLabel = h('label', { attrs: { for: 'question-new' } });
  const askText = h('textarea', { attrs: { id: 'question-new', rows: '2', maxlength: String(MAX_QUESTION) } });
  const askBtn = h('button', { className: 'btn btn-small', attrs: { type: 'submit' } });
  const askForm = h('form', { className: 'panel-form' }, [askLabel, askText, h('div', {}, [askBtn])]);
  askForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = askText.value.trim();
    if (text && qSend('ask', { text })) askText.value = '';
    askText.focus();
  });
  const qHeading = h('h3', { className: 'panel-heading', attrs: { id: 'questions-heading' } });
  const questions = h('ol', { className: 'panel-list question-list', attrs: { 'aria-labelledby': 'questions-heading' } });
  const qEmpty = h('p', { className: 'panel-empty' });
  el.append(stageHeading, stageNote, speakers, addForm, askForm, qHeading, questions, qEmpty);

  function createSpeaker(e) {
    const li = h('li', { className: 'stage-speaker' });
    const name = h('span', { className: 'stage-name' });
    const off = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' }, on: { click: () => stageSend('remove', e.user) } });
    li.append(name, off);
    li.refs = { name, off };
    return li;
  }

  function createQuestion(q) {
    const li = h('li', { className: 'question' });
    const vote = h('button', { className: 'btn btn-small question-vote', attrs: { type: 'button', 'aria-pressed': 'false' } });
    vote.addEventListener('click', () => qSend(vote.getAttribute('aria-pressed') === 'true' ? 'unvote' : 'vote', { question: q.id }));
    const text = h('p', { className: 'question-text' });
    const meta = h('p', { className: 'question-meta' });
    const answer = h('button', { className: 'btn btn-small', attrs: { type: 'button' } });
    answer.addEventListener('click', () => qSend('answer', { question: q.id, on: li.dataset.answered !== 'true' }));
    const pin = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' } });
    pin.addEventListener('click', () => qSend('pin', { question: q.id, on: pin.getAttribute('aria-pressed') !== 'true' }));
    const hide = h('button', { className: 'btn btn-small btn-quiet', attrs: { type: 'button' } });
    hide.addEventListener('click', () => qSend('hide', { question: q.id, on: li.dataset.hidden !== 'true' }));
    const tools = h('div', { className: 'tools' }, [answer, pin, hide]);
    li.append(vote, h('div', { className: 'question-body' }, [text, meta, tools]));
    li.refs = { vote, text, meta, tools, answer, pin, hide };
    return li;
  }

  return {
    update({ state, ui }) {
      const host = canHost(state);
      const stage = state.live.stage || { max: 0, speakers: [] };
      const list = Array.isArray(stage.speakers) ? stage.speakers : [];
      setText(stageHeading, ui.t('stage.heading', { count: list.length, max: stage.max || list.length }));
      setText(stageNote, onStage(state) ? ui.t('stage.youAreOn') : ui.t('stage.note'));
      reconcile(speakers, list, {
        key: (e) => e.user,
        create: createSpeaker,
        update: (li, e) => {
          const name = state.names[e.user] || e.user;
          setText(li.refs.name, name);
          show(li.refs.off, host);
          setText(li.refs.off, ui.t('stage.takeOff'));
          setAttr(li.refs.off, 'aria-label', ui.t('stage.takeOffPerson', { name }));
        },
      });
      // The host can bring anyone present up, except who is already there.
      const onIds = new Set(list.map((e) => e.user));
      const candidates = state.members.filter((m) => !onIds.has(m.id));
      const opts = candidates.map((m) => [m.id, m.name || m.id]);
      const same = addSelect.options.length === opts.length && opts.every(([id, n], i) => addSelect.options[i].value === id && addSelect.options[i].textContent === n);
      if (!same) addSelect.replaceChildren(...opts.map(([id, n]) => h('option', { text: n, attrs: { value: id } })));
      show(addForm, host);
      addBtn.disabled = candidates.length === 0 || (stage.max > 0 && list.length >= stage.max);
      setText(addLabel, ui.t('stage.add'));
      setText(addBtn, ui.t('stage.addButton'));

      setText(askLabel, ui.t('questions.ask'));
      setText(askBtn, ui.t('questions.send'));
      setText(qHeading, ui.t('questions.heading'));
      const qs = questionList(state).filter((q) => !q.hidden || host);
      reconcile(questions, qs, {
        key: (q) => String(q.id),
        create: createQuestion,
        update: (li, q) => {
          const r = li.refs;
          li.dataset.answered = q.answered ? 'true' : 'false';
          li.dataset.pinned = q.pinned ? 'true' : 'false';
          li.dataset.hidden = q.hidden ? 'true' : 'false';
          setText(r.text, q.hidden ? ui.t('questions.hidden') : q.text);
          const who = q.mine ? ui.t('questions.byYou') : ui.t('questions.by', { name: state.names[q.author] || q.author || '' });
          const flags = [q.pinned ? ui.t('questions.pinned') : null, q.answered ? ui.t('questions.answered') : null].filter(Boolean);
          setText(r.meta, [q.hidden ? null : who, ...flags].filter(Boolean).join(' · '));
          setText(r.vote, String(q.votes));
          setAttr(r.vote, 'aria-pressed', q.voted ? 'true' : 'false');
          setAttr(r.vote, 'aria-label', ui.t(q.voted ? 'questions.unvote' : 'questions.vote', { count: q.votes }));
          r.vote.disabled = q.hidden;
          show(r.tools, host);
          setAttr(r.answer, 'aria-pressed', q.answered ? 'true' : 'false');
          setText(r.answer, ui.t('questions.markAnswered'));
          setAttr(r.pin, 'aria-pressed', q.pinned ? 'true' : 'false');
          setText(r.pin, q.pinned ? ui.t('questions.unpin') : ui.t('questions.pin'));
          setText(r.hide, q.hidden ? ui.t('questions.unhide') : ui.t('questions.hide'));
        },
      });
      show(qEmpty, qs.length === 0);
      setText(qEmpty, ui.t('questions.empty'));
    },
  };
}
