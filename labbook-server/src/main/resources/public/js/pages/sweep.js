// "/sweeps/<id>": one hyperparameter sweep. Its state and best trial, the best value so far
// against the trial number, parallel coordinates of the parameters and the metric, the
// parameters' importance, every trial's intermediate values (pruned ones marked), and the trials
// (state, metric, parameters, duration, pruned at), refreshed every 3 s while the sweep runs.

import {get} from '../api.js';
import {h, replace, fmtNum, fmtDuration, errorBox, title} from '../util.js';
import {parallelCoordinates, importanceBars, intermediateValues} from '../components/sweepcharts.js';

const REFRESH_MS = 3000;

export function render(root, {sweepId}) {
  let timer = null;
  let stopped = false;
  const head = h('div');
  const chart = h('section', {class: 'card'});
  const parallel = h('section', {class: 'card'});
  const importance = h('section', {class: 'card'});
  const curves = h('section', {class: 'card'});
  const table = h('section', {class: 'card'});
  replace(root, head, chart, parallel, importance, curves, table);
  let importanceFor = -1; // the number of complete trials the importance shown was computed on

  async function load() {
    try {
      const [{sweep, trials = []}, {trials: values = []}] = await Promise.all([
        get('labbook/sweeps/get', {sweep_id: sweepId}), get('labbook/sweeps/values', {sweep_id: sweepId})]);
      if (stopped) return;
      draw(sweep, trials, values);
      const complete = trials.filter(t => t.state === 'COMPLETE').length;
      if (complete !== importanceFor) {
        const imp = await get('labbook/sweeps/importance', {sweep_id: sweepId});
        if (stopped) return;
        importanceFor = complete;
        replace(importance, h('h2', null, 'Parameter importance'), importanceBars(imp));
      }
      document.body.dataset.sweepReady = String(trials.length);
      if (sweep.state === 'RUNNING') timer = setTimeout(load, REFRESH_MS);
    } catch (e) {
      if (!stopped) replace(root, errorBox(e));
    }
  }

  function draw(sweep, trials, values) {
    const metric = sweep.config.metric || {};
    const goal = metric.goal === 'maximize' ? 'maximize' : 'minimize';
    title('Sweep', sweep.name);
    const best = trials.find(t => t.trial_id === sweep.best_trial_id);
    replace(head,
      h('h1', null, sweep.name, ' ', h('span', {class: `badge ${sweep.state}`, 'data-sweep-state': sweep.state}, sweep.state)),
      h('dl', {class: 'facts'},
        h('dt', null, 'Sweep ID'), h('dd', null, h('code', null, sweep.sweep_id)),
        h('dt', null, 'Method'), h('dd', null, sweep.config.method),
        h('dt', null, 'Metric'), h('dd', null, `${metric.name || '—'} (${goal})`),
        h('dt', null, 'Parent run'), h('dd', null, h('a', {href: `/runs/${encodeURIComponent(sweep.parent_run_id)}`}, sweep.parent_run_id)),
        h('dt', null, 'Experiment'), h('dd', null, h('a', {href: `/experiments/${encodeURIComponent(sweep.experiment_id)}`}, sweep.experiment_id),
          ' · ', h('a', {href: trialsTableHref(sweep), 'data-trials-link': ''}, 'its trials in the runs table')),
        h('dt', null, 'Best'), h('dd', {'data-best': best ? String(best.value) : ''},
          best ? [fmtNum(best.value), ' (trial ', h('a', {href: `/runs/${encodeURIComponent(best.run_id)}`}, String(best.number)), ')'] : '—')));
    replace(chart, h('h2', null, 'Best so far'), bestSoFar(trials, goal));
    replace(parallel, h('h2', null, 'Parallel coordinates'), parallelCoordinates(trials, metric.name || 'value', goal));
    replace(curves, h('h2', null, 'Intermediate values'), intermediateValues(values, metric.name || 'value'));
    replace(table, h('h2', null, `Trials (${trials.length})`), trialTable(trials, metric.name || 'value'));
  }

  load();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** The experiment's runs table filtered to the sweep's trials: the children of its parent run. */
export function trialsTableHref(sweep) {
  const filter = `tags.\`mlflow.parentRunId\` = '${sweep.parent_run_id}'`;
  return `/experiments/${encodeURIComponent(sweep.experiment_id)}?filter=${encodeURIComponent(filter)}`;
}

/** The running best of the complete trials against the trial number, as an SVG step line. */
function bestSoFar(trials, goal) {
  const points = [];
  let best = null;
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    if (t.state !== 'COMPLETE' || t.value === undefined || t.value === null) continue;
    if (best === null || (goal === 'maximize' ? t.value > best : t.value < best)) best = t.value;
    points.push([t.number, best, t.value]);
  }
  if (!points.length) return h('p', {class: 'muted'}, 'No complete trial yet.');
  const W = 640, H = 200, P = 56;
  const xs = points.map(p => p[0]);
  const ys = points.flatMap(p => [p[1], p[2]]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  const y0 = Math.min(...ys), y1 = Math.max(...ys, y0 + 1e-12);
  const sx = x => P + (x - x0) / (x1 - x0) * (W - 2 * P);
  const sy = y => H - P + (y0 - y) / (y1 - y0) * (H - 2 * P);
  let path = '';
  points.forEach(([x, b], i) => { path += (i ? ` H${sx(x)} V${sy(b)}` : `M${sx(x)} ${sy(b)}`); });
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'sweep-chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Best value so far by trial number');
  const el = (tag, attrs) => {
    const e = document.createElementNS(ns, tag);
    Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
    svg.appendChild(e);
    return e;
  };
  el('line', {x1: P, y1: H - P, x2: W - P, y2: H - P, stroke: '#d0d5dd'});
  el('line', {x1: P, y1: P, x2: P, y2: H - P, stroke: '#d0d5dd'});
  points.forEach(([x, , v]) => el('circle', {cx: sx(x), cy: sy(v), r: 3, fill: '#98a2b3'}));
  el('path', {d: path, fill: 'none', stroke: '#3867d6', 'stroke-width': 2});
  const label = (x, y, text, anchor) => { const t = el('text', {x, y, 'font-size': 11, fill: '#667085', 'text-anchor': anchor}); t.textContent = text; };
  label(P - 4, sy(y1) + 4, fmtNum(y1), 'end');
  label(P - 4, sy(y0) + 4, fmtNum(y0), 'end');
  label(sx(x0), H - P + 16, String(x0), 'middle');
  label(sx(x1), H - P + 16, String(x1), 'middle');
  return svg;
}

function trialTable(trials, metric) {
  if (!trials.length) return h('p', {class: 'muted'}, 'No trial yet.');
  const names = [...new Set(trials.flatMap(t => Object.keys(t.params || {})))];
  const rows = trials.map(t => h('tr', {'data-trial': String(t.number), 'data-state': t.state},
    h('td', {class: 'num'}, String(t.number)),
    h('td', null, h('span', {class: `badge ${t.state}`}, t.state)),
    h('td', {class: 'num'}, t.value === undefined || t.value === null ? '—' : fmtNum(t.value)),
    ...names.map(n => h('td', null, t.params && n in t.params ? (typeof t.params[n] === 'number' ? fmtNum(t.params[n]) : String(t.params[n])) : '')),
    h('td', {class: 'num'}, t.start_time ? fmtDuration((t.end_time || Date.now()) - t.start_time) : '—'),
    h('td', {class: 'num'}, t.pruned_at_step === undefined || t.pruned_at_step === null ? '' : String(t.pruned_at_step)),
    h('td', null, t.run_id ? h('a', {href: `/runs/${encodeURIComponent(t.run_id)}`}, 'run') : '')));
  return h('div', {class: 'table-scroll'}, h('table', {class: 'grid compact', 'aria-label': 'Trials'},
    h('thead', null, h('tr', null, h('th', {class: 'num'}, '#'), h('th', null, 'State'), h('th', {class: 'num'}, metric),
      ...names.map(n => h('th', null, n)), h('th', {class: 'num'}, 'Duration'), h('th', {class: 'num'}, 'Pruned at'), h('th', null, 'Run'))),
    h('tbody', null, rows)));
}
