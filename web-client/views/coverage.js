// Coverage (part of the coordinator's breakouts tab): who has met whom over
// every round of the network, as a table with a summary (how many pairs,
// how many across countries) and a CSV download.
import { h, setText, setAttr, show } from '../lib/dom.js';
import { coverageCsv } from '../lib/report.js';
import { downloadFile as download } from './reports.js';

// The matrix CSV is shaped in lib/report.js, next to the reports tab's.
export { coverageCsv };

export function mount(el, actions) {
  const heading = h('h4', { className: 'panel-heading', attrs: { id: 'coverage-heading' } });
  const load = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'coverage-load' }, on: { click: () => actions.request({ type: 'coverage', ref: 'coverage' }) } });
  const csvBtn = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'coverage-csv' } });
  const summary = h('p', { className: 'coverage-summary', attrs: { id: 'coverage-summary' } });
  const wrap = h('div', { className: 'coverage-wrap', attrs: { tabindex: '0' } });
  const table = h('table', { className: 'coverage-table', attrs: { id: 'coverage-table' } });
  const caption = h('caption', { className: 'sr-only' });
  wrap.appendChild(table);
  el.append(heading, h('div', { className: 'tools' }, [load, csvBtn]), summary, wrap);
  let shown = null;
  let lastLang = null;
  let cov = null;
  csvBtn.addEventListener('click', () => { if (cov) download(coverageCsv(cov), 'kopa-coverage.csv'); });

  return {
    update({ state, ui }) {
      cov = state.breakout.coverage;
      setText(heading, ui.t('coverage.heading'));
      setText(load, cov ? ui.t('coverage.refresh') : ui.t('coverage.load'));
      setText(csvBtn, ui.t('coverage.csv'));
      show(csvBtn, !!cov);
      show(summary, !!cov);
      show(wrap, !!(cov && cov.people.length));
      setAttr(wrap, 'aria-labelledby', 'coverage-heading');
      if (!cov) return;
      setText(summary, ui.t('coverage.summary', {
        rounds: cov.rounds, pairs: cov.pairs, cross: cov.cross_pairs,
        share: Number.isFinite(cov.cross_share) ? Math.round(cov.cross_share * 100) : 0,
      }));
      if (shown === cov && lastLang === ui.lang) return;
      shown = cov;
      lastLang = ui.lang;
      // The matrix: a header row of people, a row per person; the diagonal is empty.
      setText(caption, ui.t('coverage.caption'));
      const short = (p) => (p.name || p.id).split(' ')[0];
      const head = h('tr', {}, [h('th', { text: ui.t('coverage.person'), attrs: { scope: 'col' } })]
        .concat(cov.people.map((p) => h('th', { text: short(p), attrs: { scope: 'col', title: p.name || p.id } }))));
      const rows = cov.people.map((p, i) => h('tr', {}, [h('th', { text: `${p.name || p.id}${p.country ? ` (${p.country})` : ''}`, attrs: { scope: 'row' } })]
        .concat(cov.people.map((q, j) => {
          const n = (cov.matrix[i] || [])[j] || 0;
          const td = h('td', { text: i === j ? '' : String(n) });
          td.dataset.met = i === j ? 'self' : n > 0 ? 'yes' : 'no';
          if (i !== j) td.dataset.cross = p.country && q.country && p.country !== q.country ? 'true' : 'false';
          return td;
        }))));
      table.replaceChildren(caption, h('thead', {}, [head]), h('tbody', {}, rows));
    },
  };
}
