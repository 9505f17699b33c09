// The feedback tab: the short pulse form (how useful, will you apply
// something, a comment) for the session or a breakout, which can be sent
// again to change the answer; and, for coordinators, the results with a
// CSV download (a Blob behind a link).
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import { myPulse } from '../lib/live-state.js';
import { pulsesCsv, usefulnessBars } from '../lib/report.js';
import { downloadFile as download } from './reports.js';

const MAX_COMMENT = 1000;

// The CSV is shaped in lib/report.js (the reports tab downloads the same file).
export { pulsesCsv };

export function mount(el, actions) {
  // The form.
  const scopeLabel = h('label', { attrs: { for: 'pulse-scope' } });
  const scope = h('select', { attrs: { id: 'pulse-scope' } });
  const scopeRow = h('div', {}, [scopeLabel, scope]);
  const useLegend = h('legend');
  const useRow = h('div', { className: 'pulse-scale' });
  const useInputs = [1, 2, 3, 4, 5].map((n) => {
    const input = h('input', { attrs: { type: 'radio', name: 'pulse-usefulness', id: `pulse-use-${n}`, value: String(n) } });
    const label = h('label', { className: 'choice', attrs: { for: `pulse-use-${n}` } }, [input, h('span', { text: String(n) })]);
    useRow.appendChild(label);
    return input;
  });
  const useHint = h('p', { className: 'panel-note' });
  const useSet = h('fieldset', {}, [useLegend, useRow, useHint]);
  const applyLegend = h('legend');
  const applyYes = h('input', { attrs: { type: 'radio', name: 'pulse-apply', id: 'pulse-apply-yes', value: 'yes' } });
  const applyNo = h('input', { attrs: { type: 'radio', name: 'pulse-apply', id: 'pulse-apply-no', value: 'no' } });
  const yesText = h('span');
  const noText = h('span');
  const applySet = h('fieldset', {}, [applyLegend,
    h('label', { className: 'choice', attrs: { for: 'pulse-apply-yes' } }, [applyYes, yesText]),
    h('label', { className: 'choice', attrs: { for: 'pulse-apply-no' } }, [applyNo, noText])]);
  const commentLabel = h('label', { attrs: { for: 'pulse-comment' } });
  const comment = h('textarea', { attrs: { id: 'pulse-comment', rows: '3', maxlength: String(MAX_COMMENT) } });
  const submit = h('button', { className: 'btn btn-primary', attrs: { type: 'submit' } });
  const status = h('p', { className: 'panel-note pulse-status', attrs: { role: 'status' } });
  const form = h('form', { className: 'panel-form pulse-form' }, [scopeRow, useSet, applySet, h('div', {}, [commentLabel, comment]), h('div', {}, [submit]), status]);

  let ui = null;
  let problem = null;
  let shownScope = null;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const use = useInputs.find((i) => i.checked);
    if (!use) { problem = 'pulse.needUsefulness'; useInputs[0].focus(); }
    else if (!applyYes.checked && !applyNo.checked) { problem = 'pulse.needApply'; applyYes.focus(); }
    else {
      problem = null;
      const msg = { type: 'pulse', ref: 'pulse', scope: scope.value || 'session', usefulness: Number(use.value), will_apply: applyYes.checked };
      if (comment.value.trim()) msg.text = comment.value.trim();
      if (!actions.request(msg)) problem = 'pulse.offline';
    }
    if (ui) setText(status, problem ? ui.t(problem) : ui.t('pulse.sending'));
  });

  // Coordinators: results.
  const resHeading = h('h3', { className: 'panel-heading', attrs: { id: 'pulse-results-heading' } });
  const load = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'pulse-load' }, on: { click: () => actions.request({ type: 'pulse_results', ref: 'pulse_results' }) } });
  const csvBtn = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'pulse-csv' } });
  const summary = h('p', { className: 'pulse-summary', attrs: { id: 'pulse-summary' } });
  const histo = h('ul', { className: 'panel-list pulse-histogram' });
  const table = h('table', { className: 'pulse-table' });
  const thead = h('thead');
  const tbody = h('tbody');
  table.append(thead, tbody);
  const comments = h('ul', { className: 'panel-list pulse-comments' });
  const results = h('section', { className: 'pulse-results', attrs: { 'aria-labelledby': 'pulse-results-heading' } },
    [resHeading, h('div', { className: 'tools' }, [load, csvBtn]), summary, histo, table, comments]);
  el.append(form, results);

  let lastResults = null;
  csvBtn.addEventListener('click', () => {
    if (!lastResults) return;
    download(pulsesCsv(lastResults.results, lastResults.names), `kopa-feedback-${lastResults.session || 'session'}.csv`);
  });

  let lastMove = 0;
  function fillScopes(state) {
    const opts = [['session', ui.t('pulse.scopeSession')]];
    for (const r of (state.breakout && state.breakout.visited) || []) opts.push([r.id, ui.t('pulse.scopeRoom', { room: r.name || r.id })]);
    const same = scope.options.length === opts.length && opts.every(([v, t], i) => scope.options[i].value === v && scope.options[i].textContent === t);
    if (!same) {
      const keep = scope.value;
      scope.replaceChildren(...opts.map(([v, t]) => h('option', { text: t, attrs: { value: v } })));
      if (opts.some(([v]) => v === keep)) scope.value = keep;
    }
    show(scopeRow, opts.length > 1);
    // Just back from a breakout: the form is about that breakout.
    const move = state.breakout && state.breakout.move;
    if (move && move.seq !== lastMove) {
      lastMove = move.seq;
      if (move.cause === 'close' && opts.some(([v]) => v === move.from)) scope.value = move.from;
    }
  }

  return {
    update({ state, ui: u }) {
      ui = u;
      fillScopes(state);
      setText(scopeLabel, ui.t('pulse.scope'));
      setText(useLegend, ui.t('pulse.usefulness'));
      setText(useHint, ui.t('pulse.usefulnessHint'));
      setText(applyLegend, ui.t('pulse.willApply'));
      setText(yesText, ui.t('pulse.yes'));
      setText(noText, ui.t('pulse.no'));
      setText(commentLabel, ui.t('pulse.comment'));
      const mine = myPulse(state, scope.value || 'session');
      setText(submit, mine ? ui.t('pulse.update') : ui.t('pulse.send'));
      if (mine && shownScope !== `${scope.value}:${mine.submitted_at}`) {
        // Show what was sent (after a reload too), so it can be changed.
        shownScope = `${scope.value}:${mine.submitted_at}`;
        for (const i of useInputs) i.checked = Number(i.value) === mine.usefulness;
        applyYes.checked = mine.will_apply === true;
        applyNo.checked = mine.will_apply !== true;
        comment.value = mine.text || '';
        problem = null;
      }
      if (!problem) setText(status, mine ? ui.t('pulse.thanks') : '');

      const coordinator = state.me && state.me.role === 'coordinator';
      show(results, !!coordinator);
      if (!coordinator) return;
      // Coordinators come here for the results: they go first.
      if (el.firstChild !== results) el.prepend(results);
      const res = state.live.results;
      setText(resHeading, ui.t('pulse.results'));
      setText(load, res ? ui.t('pulse.refresh') : ui.t('pulse.load'));
      setText(csvBtn, ui.t('pulse.csv'));
      show(csvBtn, !!res);
      lastResults = res ? { results: res, names: state.names, session: state.session } : null;
      const total = res ? res.total : null;
      show(summary, !!total);
      if (total) {
        setText(summary, ui.t('pulse.summary', {
          count: total.count,
          mean: Number.isFinite(total.mean_usefulness) ? total.mean_usefulness.toFixed(1) : '–',
          share: Number.isFinite(total.will_apply_share) ? Math.round(total.will_apply_share * 100) : 0,
        }));
      }
      const bars = total ? usefulnessBars(res).map((b) => ({ k: b.key, n: b.value })) : [];
      reconcile(histo, bars, {
        key: (b) => b.k,
        create: () => {
          const label = h('span', { className: 'pulse-bar-label' });
          const meter = h('meter', { className: 'pulse-bar', attrs: { min: '0', max: '1', value: '0' } });
          const count = h('span', { className: 'pulse-bar-count' });
          const li = h('li', { className: 'pulse-bar-row' }, [label, meter, count]);
          li.refs = { label, meter, count };
          return li;
        },
        update: (li, b) => {
          setText(li.refs.label, b.k);
          li.refs.meter.max = Math.max(1, total.count);
          li.refs.meter.value = b.n;
          setAttr(li.refs.meter, 'aria-label', ui.t('pulse.barLabel', { value: b.k, count: b.n }));
          setText(li.refs.count, String(b.n));
        },
      });
      const scopes = res && Array.isArray(res.scopes) ? res.scopes : [];
      show(table, scopes.length > 0);
      if (!thead.firstChild || thead.dataset.lang !== ui.lang) {
        thead.dataset.lang = ui.lang;
        thead.replaceChildren(h('tr', {}, ['pulse.colScope', 'pulse.colCount', 'pulse.colMean', 'pulse.colApply']
          .map((k) => h('th', { text: ui.t(k), attrs: { scope: 'col' } }))));
      }
      reconcile(tbody, scopes, {
        key: (s) => String(s.scope),
        create: () => {
          const tr = h('tr');
          for (let i = 0; i < 4; i++) tr.appendChild(h(i === 0 ? 'th' : 'td', i === 0 ? { attrs: { scope: 'row' } } : {}));
          return tr;
        },
        update: (tr, s) => {
          const c = tr.children;
          setText(c[0], s.scope === 'session' ? ui.t('pulse.rowSession') : s.scope);
          setText(c[1], String(s.count));
          setText(c[2], Number.isFinite(s.mean_usefulness) ? s.mean_usefulness.toFixed(1) : '–');
          setText(c[3], Number.isFinite(s.will_apply_share) ? `${Math.round(s.will_apply_share * 100)} %` : '–');
        },
      });
      const texts = res && Array.isArray(res.pulses) ? res.pulses.filter((p) => typeof p.text === 'string' && p.text) : [];
      reconcile(comments, texts, {
        key: (p) => `${p.scope}:${p.user}`,
        create: () => h('li', { className: 'pulse-comment' }),
        update: (li, p) => setText(li, `${p.usefulness}/5 — ${p.text}`),
      });
    },
  };
}
