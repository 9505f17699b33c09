// The coordinator's reports tab: feedback (pulse_results), who met whom
// (coverage) and attendance per planned session (the coordinators'
// programme answer), each as a summary, a bar chart, a table and a CSV
// download. The data is shaped in lib/report.js; this file only draws it.
// Charts are SVG made with createElementNS (no styles in attributes, so the
// CSP holds; colours come from styles/reports.css, light and dark), with
// role="img" and a text summary; the table next to each is the full
// alternative. The tab asks for fresh data the first time it opens and on
// "Refresh".
import { h, setText, setAttr, show } from '../lib/dom.js';
import { reconcile } from '../lib/list.js';
import {
  attendanceBars, attendanceCsv, attendanceRows, attendeeTotals, barLayout, coverageRows, coverageRowsCsv,
  coverageShare, describeBars, hasAttendance, pulseScopeRows, pulsesCsv, usefulnessBars,
} from '../lib/report.js';

const SVG = 'http://www.w3.org/2000/svg';

/** Offers text as a file download (a Blob behind a temporary link). */
export function downloadFile(text, filename, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { attrs: { href: url, download: filename } });
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * A horizontal bar chart in an <svg> (role img, aria-label summary).
 * bars: [{key, label, value}]; tone(bar) -> a class suffix for its colour.
 */
function mountChart(id, layout = {}) {
  const el = svg('svg', { class: 'chart', id, role: 'img', focusable: 'false', preserveAspectRatio: 'xMinYMin meet' });
  let lastKey = null;
  return {
    el,
    update(bars, summary, tone = () => 'main') {
      setAttr(el, 'aria-label', summary);
      const key = JSON.stringify([bars, bars.map(tone)]);
      if (key === lastKey) return;
      lastKey = key;
      const g = barLayout(bars, layout);
      el.setAttribute('viewBox', `0 0 ${g.width} ${Math.max(g.height, 1)}`);
      el.setAttribute('data-bars', String(bars.length));
      const kids = [svg('line', { class: 'chart-axis', x1: g.axisX, x2: g.axisX, y1: 0, y2: g.height })];
      for (const [i, b] of g.bars.entries()) {
        const row = svg('g', { class: 'chart-row', 'data-key': b.key, 'data-value': b.value });
        row.appendChild(svg('title', {}, `${b.full}: ${b.value}`));
        row.appendChild(svg('text', { class: 'chart-label', x: b.tx, y: b.y + b.h / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' }, b.label));
        if (b.w > 0) row.appendChild(svg('rect', { class: `chart-bar chart-bar-${tone(bars[i])}`, x: b.x, y: b.y + 2, width: b.w, height: b.h - 4, rx: 2 }));
        row.appendChild(svg('text', { class: 'chart-value', x: b.vx, y: b.y + b.h / 2, 'dominant-baseline': 'central' }, String(b.value)));
        kids.push(row);
      }
      el.replaceChildren(...kids);
    },
  };
}

/** A table (caption, header row, keyed body rows); cols: [{key (i18n), cell(row, ui) -> text, head?: true}]. */
function mountTable(id, cols) {
  const caption = h('caption', { className: 'sr-only' });
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { className: 'report-table', attrs: { id } }, [caption, thead, tbody]);
  const wrap = h('div', { className: 'report-table-wrap', attrs: { tabindex: '0', role: 'region' } }, [table]);
  let lang = null;
  return {
    el: wrap,
    update(rows, key, ui, captionText) {
      setText(caption, captionText);
      setAttr(wrap, 'aria-label', captionText);
      if (lang !== ui.lang) {
        lang = ui.lang;
        thead.replaceChildren(h('tr', {}, cols.map((c) => h('th', { text: ui.t(c.key), attrs: { scope: 'col' } }))));
      }
      reconcile(tbody, rows, {
        key,
        create: () => h('tr', {}, cols.map((c) => h(c.head ? 'th' : 'td', c.head ? { attrs: { scope: 'row' } } : {}))),
        update: (tr, r) => cols.forEach((c, i) => setText(tr.children[i], c.cell(r, ui))),
      });
    },
  };
}

/** One report: a heading, a summary line, the chart, the table and a CSV button. */
function section(id, chart, table) {
  const heading = h('h4', { className: 'panel-heading', attrs: { id: `${id}-heading` } });
  const summary = h('p', { className: 'report-summary', attrs: { id: `${id}-summary` } });
  const empty = h('p', { className: 'panel-note', attrs: { id: `${id}-empty` } });
  const csv = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: `${id}-csv` } });
  const figure = h('figure', { className: 'report-figure' }, [chart.el]);
  const body = h('div', { className: 'report-body' }, [summary, figure, table.el, h('div', { className: 'tools' }, [csv])]);
  const el = h('section', { className: 'report', attrs: { 'aria-labelledby': `${id}-heading` } }, [heading, empty, body]);
  return { el, heading, summary, empty, csv, body };
}

const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)} %`);

export function mount(el, actions) {
  const heading = h('h3', { className: 'panel-heading', attrs: { id: 'reports-heading' } });
  const intro = h('p', { className: 'panel-note' });
  const refresh = h('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'reports-refresh' } });
  const status = h('p', { className: 'panel-note', attrs: { role: 'status', id: 'reports-status' } });

  // Feedback.
  const pChart = mountChart('report-pulse-chart');
  const pTable = mountTable('report-pulse-table', [
    { key: 'pulse.colScope', head: true, cell: (r, ui) => (r.scope === 'session' ? ui.t('pulse.rowSession') : r.scope) },
    { key: 'pulse.colCount', cell: (r) => String(r.count) },
    { key: 'pulse.colMean', cell: (r) => (r.mean === null ? '–' : r.mean.toFixed(1)) },
    { key: 'pulse.colApply', cell: (r) => pct(r.applyShare) },
  ]);
  const pulse = section('report-pulse', pChart, pTable);

  // Coverage.
  const cChart = mountChart('report-coverage-chart');
  const cTable = mountTable('report-coverage-table', [
    { key: 'coverage.person', head: true, cell: (r) => `${r.name || r.id}${r.country ? ` (${r.country})` : ''}` },
    { key: 'reports.colMet', cell: (r) => String(r.met) },
    { key: 'reports.colAcross', cell: (r) => String(r.across) },
    { key: 'reports.colMeetings', cell: (r) => String(r.meetings) },
  ]);
  const coverage = section('report-coverage', cChart, cTable);

  // Attendance.
  const aChart = mountChart('report-attendance-chart', { labelWidth: 150, labelChars: 23 });
  let day = null;
  const aTable = mountTable('report-attendance-table', [
    { key: 'reports.colSession', head: true, cell: (r) => r.title },
    { key: 'reports.colDate', cell: (r) => (day && Number.isFinite(r.start) ? day.format(new Date(r.start)) : '') },
    { key: 'reports.colCount', cell: (r) => String(r.attendees.length) },
    { key: 'reports.colWho', cell: (r) => r.attendees.map((a) => a.name || a.id).join(', ') },
  ]);
  const attendance = section('report-attendance', aChart, aTable);

  el.append(heading, intro, h('div', { className: 'tools' }, [refresh]), status, pulse.el, coverage.el, attendance.el);

  let ui = null;
  let requested = false;
  let askedAt = 0; // when the last refresh was sent
  let current = { results: null, cov: null, rows: [], coverageRows: [], session: null };
  function load() {
    requested = true;
    askedAt = Date.now();
    const ok = actions.request({ type: 'pulse_results', ref: 'pulse_results' })
      && actions.request({ type: 'coverage', ref: 'coverage' })
      && actions.request({ type: 'programme', op: 'get', ref: 'programme' });
    if (ui) setText(status, ok ? ui.t('reports.loading') : ui.t('reports.offline'));
  }
  refresh.addEventListener('click', load);
  pulse.csv.addEventListener('click', () => {
    if (current.results) downloadFile(pulsesCsv(current.results, current.names), `kopa-feedback-${current.session || 'session'}.csv`);
  });
  coverage.csv.addEventListener('click', () => downloadFile(coverageRowsCsv(current.coverageRows), 'kopa-coverage-people.csv'));
  attendance.csv.addEventListener('click', () => downloadFile(attendanceCsv(current.rows), 'kopa-attendance.csv'));

  function updatePulse(res) {
    setText(pulse.heading, ui.t('reports.pulse.heading'));
    setText(pulse.csv, ui.t('reports.csv'));
    setAttr(pulse.csv, 'aria-label', ui.t('reports.csvOf', { what: ui.t('reports.pulse.heading') }));
    const total = res && res.total;
    show(pulse.body, !!total);
    show(pulse.empty, !total);
    setText(pulse.empty, requested && !res ? ui.t('reports.loading') : ui.t('reports.pulse.none'));
    if (!total) return;
    setText(pulse.summary, ui.t('pulse.summary', {
      count: total.count || 0,
      mean: Number.isFinite(total.mean_usefulness) && total.count ? total.mean_usefulness.toFixed(1) : '–',
      share: Number.isFinite(total.will_apply_share) ? Math.round(total.will_apply_share * 100) : 0,
    }));
    const bars = usefulnessBars(res);
    pChart.update(bars, ui.t('reports.pulse.chart', { bars: describeBars(bars) }));
    pTable.update(pulseScopeRows(res), (r) => r.scope, ui, ui.t('reports.pulse.table'));
  }

  function updateCoverage(cov) {
    setText(coverage.heading, ui.t('coverage.heading'));
    setText(coverage.csv, ui.t('reports.csv'));
    setAttr(coverage.csv, 'aria-label', ui.t('reports.csvOf', { what: ui.t('coverage.heading') }));
    const has = !!(cov && Array.isArray(cov.people));
    show(coverage.body, has);
    show(coverage.empty, !has);
    setText(coverage.empty, requested && !cov ? ui.t('reports.loading') : ui.t('reports.coverage.none'));
    if (!has) return;
    const share = coverageShare(cov);
    setText(coverage.summary, ui.t('coverage.summary', {
      rounds: cov.rounds || 0, pairs: share.pairs, cross: share.bars[0].value, share: share.share === null ? 0 : Math.round(share.share * 100),
    }));
    const bars = share.bars.map((b) => ({ ...b, label: ui.t(`reports.coverage.${b.key}`) }));
    cChart.update(bars, ui.t('reports.coverage.chart', { bars: describeBars(bars), share: pct(share.share) }), (b) => b.key);
    current.coverageRows = coverageRows(cov);
    show(cTable.el, current.coverageRows.length > 0);
    cTable.update(current.coverageRows, (r) => r.id, ui, ui.t('reports.coverage.table'));
  }

  function updateAttendance(state) {
    setText(attendance.heading, ui.t('reports.attendance.heading'));
    setText(attendance.csv, ui.t('reports.csv'));
    setAttr(attendance.csv, 'aria-label', ui.t('reports.csvOf', { what: ui.t('reports.attendance.heading') }));
    const p = state.live.programme;
    const has = !!(p && hasAttendance(p.sessions));
    show(attendance.body, has);
    show(attendance.empty, !has);
    setText(attendance.empty, !p ? ui.t('reports.loading')
      : p.sessions.length ? ui.t('reports.loading') : ui.t('reports.attendance.none'));
    if (!has) return;
    day = new Intl.DateTimeFormat(ui.locale, { dateStyle: 'medium' });
    const short = new Intl.DateTimeFormat(ui.locale, { day: 'numeric', month: 'short' });
    const rows = attendanceRows(p.sessions, state.names);
    current.rows = rows;
    const people = attendeeTotals(rows);
    setText(attendance.summary, ui.t('reports.attendance.summary', { sessions: rows.length, people: people.length }));
    const bars = attendanceBars(rows, (r) => (Number.isFinite(r.start) ? `${short.format(new Date(r.start))} ${r.title}` : r.title));
    aChart.update(bars, ui.t('reports.attendance.chart', { bars: describeBars(bars) }));
    aTable.update(rows, (r) => String(r.id), ui, ui.t('reports.attendance.table'));
  }

  return {
    update(vm) {
      const { state } = vm;
      ui = vm.ui;
      // The first time the tab is open, ask for everything.
      if (!requested && !el.hidden) load();
      setText(heading, ui.t('reports.heading'));
      setText(intro, ui.t('reports.intro'));
      setText(refresh, ui.t('reports.refresh'));
      const res = state.live.results;
      const cov = state.breakout.coverage;
      current = { ...current, results: res, cov, names: state.names, session: state.session };
      // "Updated at ..." once an answer newer than the last refresh came.
      const got = Math.max(res ? res.receivedAt || 0 : 0, cov ? cov.at || 0 : 0,
        state.live.programme ? state.live.programme.receivedAt || 0 : 0);
      if (askedAt && got >= askedAt) {
        setText(status, ui.t('reports.updated', { time: new Intl.DateTimeFormat(ui.locale, { timeStyle: 'short' }).format(new Date(got)) }));
      }
      updatePulse(res);
      updateCoverage(cov);
      updateAttendance(state);
    },
  };
}
