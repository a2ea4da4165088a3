// "/experiments/<id>/charts": one metric overlaid for every run of the current filter (or just the
// runs chosen: the runs table's selection arrives as ?runs=), each run's points sampled by
// get-history-bulk-interval. Runs can be grouped by a param (mean line with a min-max band),
// smoothed (the raw curve stays faint behind), drawn against step, wall time or relative time;
// the hover names the run nearest the cursor. Everything chosen is in the address.

import {post, get} from '../api.js';
import {MetricChart, X_MODES} from '../components/chart.js';
import {experimentNav} from '../components/expnav.js';
import {primaryMetric} from '../components/metrics.js';
import {viewsMenu} from '../components/views.js';
import {h, replace, color, compareValues, errorBox, title, debounce} from '../util.js';

const MAX_DRAWN = 500;

/**
 * Points to ask for per run: a chart ~1,200 px wide shows about that many per line, but hundreds
 * of overlapping lines need far fewer each (the sampler keeps each bucket's extremes), and every
 * point is ~100 bytes of JSON: 500 runs x 100 points is 5 MB.
 */
function pointsPerRun(runs) {
  if (runs > 200) return 100;
  if (runs > 100) return 150;
  if (runs > 20) return 400;
  return 1000;
}

export function render(root, {experimentId}, query) {
  const state = {
    filter: query.get('filter') || '', metric: query.get('metric') || '', group: query.get('group') || '',
    xMode: X_MODES[query.get('x')] ? query.get('x') : 'step', smoothing: Number(query.get('smooth') || 0),
    chosen: query.get('runs') ? new Set(query.get('runs').split(',').filter(Boolean)) : null,
    data: null, experiment: null, chart: null,
  };
  const heading = h('h1', null, 'Charts');
  const crumbName = h('span', null, experimentId);
  const filterInput = h('input', {type: 'search', class: 'filter', value: state.filter, spellcheck: false,
    placeholder: 'Filter runs: params.model = "fasttext"', 'aria-label': 'Filter runs (MLflow search syntax)'});
  const filterError = h('div', {class: 'filter-error', role: 'alert'});
  const metricSel = h('select', {'aria-label': 'Metric'});
  const groupSel = h('select', {'aria-label': 'Group runs by param'});
  const xSel = h('select', {'aria-label': 'X axis'}, Object.entries(X_MODES).map(([v, l]) => h('option', {value: v}, l)));
  xSel.value = state.xMode;
  const smoothOut = h('output', {class: 'muted small'}, String(state.smoothing));
  const smoothIn = h('input', {type: 'range', min: '0', max: '0.99', step: '0.01', value: String(state.smoothing), 'aria-label': 'Smoothing'});
  const info = h('span', {class: 'muted small', 'aria-live': 'polite'});
  const runList = h('div', {class: 'menu-list run-picker'});
  const picker = h('details', {class: 'menu'}, h('summary', {class: 'btn'}, 'Runs drawn'), h('div', {class: 'menu-pop wide'},
    h('div', {class: 'menu-actions'},
      h('button', {type: 'button', class: 'btn small', onclick: () => { state.chosen = null; drawPicker(); changed(); }}, 'All'),
      h('button', {type: 'button', class: 'btn small', onclick: () => { state.chosen = new Set(); drawPicker(); changed(); }}, 'None')),
    runList));
  const holder = h('div', {class: 'exp-chart'});
  replace(root,
    h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '/'}, 'Experiments'), ' / ', crumbName),
    h('div', {class: 'page-head'}, heading),
    experimentNav(experimentId, 'charts'),
    h('form', {class: 'toolbar', role: 'search', onsubmit: e => { e.preventDefault(); state.filter = filterInput.value.trim(); load(); }},
      h('span', {class: 'search'}, filterInput, h('button', {type: 'submit', class: 'btn'}, 'Search')), picker, viewsMenu(experimentId)),
    filterError,
    h('div', {class: 'toolbar chart-controls'},
      h('label', {class: 'inline'}, 'Metric ', metricSel),
      h('label', {class: 'inline'}, 'Group by ', groupSel),
      h('label', {class: 'inline'}, 'X axis ', xSel),
      h('label', {class: 'inline'}, 'Smoothing ', smoothIn, smoothOut),
      info),
    holder);

  metricSel.addEventListener('change', () => { state.metric = metricSel.value; changed(); });
  groupSel.addEventListener('change', () => { state.group = groupSel.value; changed(); });
  xSel.addEventListener('change', () => { state.xMode = xSel.value; syncUrl(); if (state.chart) state.chart.setOptions({xMode: state.xMode}); });
  smoothIn.addEventListener('input', () => { smoothOut.textContent = smoothIn.value; });
  smoothIn.addEventListener('change', () => { state.smoothing = Number(smoothIn.value); syncUrl(); if (state.chart) state.chart.setOptions({smoothing: state.smoothing}); });
  runList.addEventListener('change', debounce(() => {
    state.chosen = new Set([...runList.querySelectorAll('input:checked')].map(i => i.value));
    changed();
  }, 150));

  function syncUrl() {
    const q = new URLSearchParams();
    if (state.filter) q.set('filter', state.filter);
    if (state.metric) q.set('metric', state.metric);
    if (state.group) q.set('group', state.group);
    if (state.xMode !== 'step') q.set('x', state.xMode);
    if (state.smoothing) q.set('smooth', String(state.smoothing));
    if (state.chosen) q.set('runs', [...state.chosen].join(','));
    const s = q.toString();
    history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
  }

  async function load() {
    try {
      if (!state.experiment) {
        state.experiment = (await get('mlflow/experiments/get', {experiment_id: experimentId})).experiment;
        heading.textContent = `${state.experiment.name}: charts`;
        crumbName.textContent = state.experiment.name;
        title('Charts', state.experiment.name);
      }
      const data = await post('labbook/runs/table', {experiment_id: experimentId, filter: state.filter, run_view_type: 'ACTIVE_ONLY'});
      if (data.filter_error) {
        filterError.textContent = data.filter_error;
        filterInput.setAttribute('aria-invalid', 'true');
        return;
      }
      filterError.textContent = '';
      filterInput.removeAttribute('aria-invalid');
      state.data = data;
      const primary = primaryMetric(state.experiment, data.metrics);
      if (!state.metric || !data.metrics.includes(state.metric)) {
        state.metric = primary && data.metrics.includes(primary.key) ? primary.key : (data.metrics[0] || '');
      }
      replace(metricSel, data.metrics.map(k => h('option', {value: k}, k + (primary && primary.key === k ? ' (primary)' : ''))));
      metricSel.value = state.metric;
      replace(groupSel, h('option', {value: ''}, 'None'), data.params.map(k => h('option', {value: k}, k)));
      groupSel.value = data.params.includes(state.group) ? state.group : '';
      drawPicker();
      changed();
    } catch (err) {
      replace(holder, errorBox(err));
    }
  }

  /** The runs of the filter as rows {id, name, start, params}, newest first. */
  function runsOf() {
    const d = state.data;
    const a = d.attributes.length;
    const mi = d.metrics.indexOf(state.metric);
    return d.rows.map(r => ({id: r[0], name: r[1] || r[0].slice(0, 8), start: r[3], has: mi >= 0 && r[a + d.params.length + mi] !== null && r[a + d.params.length + mi] !== undefined,
      param: k => { const i = d.params.indexOf(k); return i < 0 ? null : r[a + i]; }}))
      .sort((x, y) => y.start - x.start);
  }

  function drawPicker() {
    if (!state.data) return;
    replace(runList, runsOf().map(r => h('label', {class: 'check'},
      h('input', {type: 'checkbox', value: r.id, checked: !state.chosen || state.chosen.has(r.id)}), ' ', r.name)));
  }

  function changed() {
    syncUrl();
    if (state.chart) { state.chart.destroy(); state.chart = null; }
    if (!state.data) return;
    if (!state.metric) { replace(holder, h('p', {class: 'muted'}, 'No metrics in these runs.')); info.textContent = ''; return; }
    const all = runsOf().filter(r => r.has);
    let runs = state.chosen ? all.filter(r => state.chosen.has(r.id)) : all;
    const capped = runs.length > MAX_DRAWN;
    runs = runs.slice(0, MAX_DRAWN);
    const chartRuns = runs.map((r, i) => ({id: r.id, name: r.name, color: color(i), start: Number(r.start)}));
    let groups;
    if (state.group) {
      const by = new Map();
      for (const r of runs) {
        const v = r.param(state.group);
        const g = v === null || v === undefined || v === '' ? '(none)' : String(v);
        if (!by.has(g)) by.set(g, []);
        by.get(g).push(r.id);
      }
      groups = [...by.keys()].sort(compareValues).map((g, i) => ({name: `${state.group}=${g}`, color: color(i), runIds: by.get(g)}));
    }
    info.textContent = `${runs.length} of ${all.length} runs with ${state.metric}${capped ? ` (the first ${MAX_DRAWN})` : ''}`
      + (groups ? ` in ${groups.length} groups` : '');
    if (!runs.length) { replace(holder, h('p', {class: 'muted'}, 'No run to draw: choose runs that logged this metric.')); return; }
    const chart = new MetricChart({key: state.metric, runs: chartRuns, groups, xMode: state.xMode, smoothing: state.smoothing,
      points: pointsPerRun(runs.length), height: 420});
    chart.el.classList.add('exp-chart-figure');
    state.chart = chart;
    const items = groups ? groups.map(g => [g.color, `${g.name} (${g.runIds.length})`]) : (chartRuns.length <= 30 ? chartRuns.map(r => [r.color, r.name]) : []);
    replace(holder, chart.el, items.length ? h('ul', {class: 'run-chips', 'aria-label': groups ? 'Groups' : 'Runs'},
      items.map(([c, l]) => h('li', null, h('span', {class: 'chip-dot', style: {background: c}, 'aria-hidden': 'true'}), l))) : null);
    chart.load();
  }

  load();
  return () => { if (state.chart) state.chart.destroy(); };
}
