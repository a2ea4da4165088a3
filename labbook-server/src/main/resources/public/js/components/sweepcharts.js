// The sweep page's charts, as plain SVG (a few hundred trials at most): parallel coordinates of
// the parameters and the metric, the parameters' importance as bars, and every trial's
// intermediate values (the curves the pruner judged), pruned trials marked.

import {h, fmtNum} from '../util.js';

const NS = 'http://www.w3.org/2000/svg';

function svg(W, H, label, cls) {
  const s = document.createElementNS(NS, 'svg');
  s.setAttribute('viewBox', `0 0 ${W} ${H}`);
  s.setAttribute('class', `sweep-chart ${cls}`);
  s.setAttribute('role', 'img');
  s.setAttribute('aria-label', label);
  return s;
}

function el(parent, tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) e.textContent = text;
  parent.appendChild(e);
  return e;
}

/** A colour from bad (0: dark purple) through teal to good (1: yellow), as viridis runs. */
export function metricColor(t) {
  const stops = [[68, 1, 84], [33, 145, 140], [253, 231, 37]];
  const x = Math.max(0, Math.min(1, t)) * 2;
  const i = Math.min(1, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `rgb(${c.join(',')})`;
}

/** How good each trial's value is, 0 (worst) to 1 (best), for the sweep's goal. */
function goodness(values, goal) {
  const lo = Math.min(...values), hi = Math.max(...values);
  return v => hi === lo ? 1 : (goal === 'maximize' ? (v - lo) / (hi - lo) : (hi - v) / (hi - lo));
}

/** One axis per parameter (in order of appearance) and one for the metric; a line per complete trial. */
export function parallelCoordinates(trials, metricName, goal) {
  const done = trials.filter(t => t.state === 'COMPLETE' && typeof t.value === 'number');
  if (done.length < 2) return h('p', {class: 'muted'}, 'Parallel coordinates need two complete trials.');
  const names = [...new Set(done.flatMap(t => Object.keys(t.params || {})))];
  const axes = names.map(n => axis(n, done.map(t => (t.params || {})[n])));
  axes.push(axis(metricName, done.map(t => t.value)));
  const W = Math.max(480, 120 * axes.length), H = 300, top = 36, bottom = 236, left = 50, right = W - 50;
  const s = svg(W, H, 'Parallel coordinates of the parameters and the metric', 'sweep-parallel');
  const xs = axes.map((_, i) => axes.length === 1 ? left : left + i * (right - left) / (axes.length - 1));
  axes.forEach((a, i) => {
    el(s, 'line', {x1: xs[i], y1: top, x2: xs[i], y2: bottom, stroke: '#98a2b3'});
    el(s, 'text', {x: xs[i], y: top - 14, 'font-size': 12, 'text-anchor': 'middle', fill: '#344054', 'data-axis': a.name}, a.name);
    a.ticks.forEach(([label, y]) => el(s, 'text', {x: xs[i] - 6, y: top + y * (bottom - top) + 4, 'font-size': 10, 'text-anchor': 'end', fill: '#667085'}, label));
    if (a.hasMissing) el(s, 'text', {x: xs[i] - 6, y: bottom + 28, 'font-size': 10, 'text-anchor': 'end', fill: '#98a2b3'}, 'absent');
  });
  const good = goodness(done.map(t => t.value), goal);
  // the best trials last, so they are drawn on top
  [...done].sort((a, b) => good(a.value) - good(b.value)).forEach(t => {
    const pts = axes.map((a, i) => {
      const v = i === axes.length - 1 ? t.value : (t.params || {})[a.name];
      const y = a.pos(v);
      return `${xs[i]},${y === null ? bottom + 24 : top + y * (bottom - top)}`;
    });
    const line = el(s, 'polyline', {points: pts.join(' '), fill: 'none', stroke: metricColor(good(t.value)), 'stroke-width': 1.5,
      'stroke-opacity': 0.85, 'data-trial': String(t.number)});
    el(line, 'title', {}, `trial ${t.number}: ${metricName} ${fmtNum(t.value)}`);
  });
  return h('div', {class: 'table-scroll'}, s,
    h('p', {class: 'muted'}, `One line per complete trial, coloured by ${metricName} (yellow best, purple worst).`));
}

/** Where values sit on an axis, 0 (top) to 1 (bottom), and its tick labels; null for an absent value. */
function axis(name, values) {
  const present = values.filter(v => v !== undefined && v !== null);
  const hasMissing = present.length < values.length;
  if (present.length && present.every(v => typeof v === 'number')) {
    const log = present.every(v => v > 0) && Math.max(...present) / Math.min(...present) > 100;
    const f = v => log ? Math.log10(v) : v;
    const lo = Math.min(...present.map(f)), hi = Math.max(...present.map(f));
    const pos = v => v === undefined || v === null ? null : (hi === lo ? 0.5 : (hi - f(v)) / (hi - lo));
    const label = v => fmtNum(log ? Math.pow(10, v) : v);
    return {name, pos, hasMissing, ticks: hi === lo ? [[label(lo), 0.5]] : [[label(hi), 0], [label(lo), 1]]};
  }
  const cats = [...new Set(present.map(String))].sort();
  const pos = v => v === undefined || v === null ? null : (cats.length === 1 ? 0.5 : cats.indexOf(String(v)) / (cats.length - 1));
  return {name, pos, hasMissing, ticks: cats.map(c => [c, pos(c)])};
}

/** Horizontal bars of the parameters' importance, most important first. */
export function importanceBars(data) {
  const rows = (data && data.importances) || [];
  if (!rows.length || !data.trials || rows.every(r => !r.importance)) {
    return h('p', {class: 'muted'}, 'Importance needs at least four complete trials whose parameters vary.');
  }
  return h('div', null,
    h('table', {class: 'grid compact', 'aria-label': 'Parameter importance'},
      h('tbody', null, rows.map(r => h('tr', {'data-param': r.param, 'data-importance': String(r.importance)},
        h('td', null, r.param),
        h('td', {style: 'width: 60%'}, h('div', {class: 'importance-bar', style: `width: ${(100 * r.importance).toFixed(1)}%; background: #3867d6; height: 10px; border-radius: 2px`})),
        h('td', {class: 'num'}, (100 * r.importance).toFixed(1) + ' %'))))),
    h('p', {class: 'muted'}, `${data.method}, over ${data.trials} complete trials: how much the forest's error grows when a parameter's values are shuffled.`));
}

/** Every trial's intermediate values against the step; pruned trials in red, ending in a cross. */
export function intermediateValues(curves, metricName) {
  const withValues = (curves || []).filter(c => c.values && c.values.length);
  if (!withValues.length) return h('p', {class: 'muted'}, 'No intermediate value reported yet.');
  const steps = withValues.flatMap(c => c.values.map(p => p.step));
  const ys = withValues.flatMap(c => c.values.map(p => p.value)).filter(Number.isFinite);
  const W = 640, H = 240, P = 56;
  const x0 = Math.min(...steps), x1 = Math.max(...steps, x0 + 1);
  const y0 = Math.min(...ys), y1 = Math.max(...ys, y0 + 1e-12);
  const sx = x => P + (x - x0) / (x1 - x0) * (W - 2 * P);
  const sy = y => H - P + (y0 - y) / (y1 - y0) * (H - 2 * P);
  const s = svg(W, H, `Intermediate values of ${metricName} by step, per trial`, 'sweep-curves');
  el(s, 'line', {x1: P, y1: H - P, x2: W - P, y2: H - P, stroke: '#d0d5dd'});
  el(s, 'line', {x1: P, y1: P, x2: P, y2: H - P, stroke: '#d0d5dd'});
  const colour = {PRUNED: '#d92d20', COMPLETE: '#3867d6', RUNNING: '#12b76a'};
  for (const c of withValues) {
    const pts = c.values.filter(p => Number.isFinite(p.value)).map(p => `${sx(p.step)},${sy(p.value)}`);
    if (!pts.length) continue;
    const line = el(s, 'polyline', {points: pts.join(' '), fill: 'none', stroke: colour[c.state] || '#98a2b3', 'stroke-width': 1.5,
      'stroke-opacity': 0.8, 'data-trial': String(c.number), 'data-state': c.state});
    el(line, 'title', {}, `trial ${c.number} (${c.state})`);
    if (c.state === 'PRUNED') {
      const [x, y] = pts[pts.length - 1].split(',').map(Number);
      el(s, 'path', {d: `M${x - 4} ${y - 4} L${x + 4} ${y + 4} M${x - 4} ${y + 4} L${x + 4} ${y - 4}`, stroke: '#d92d20',
        'stroke-width': 2, 'data-pruned': String(c.number)});
    }
  }
  const label = (x, y, text, anchor) => el(s, 'text', {x, y, 'font-size': 11, fill: '#667085', 'text-anchor': anchor}, text);
  label(P - 4, sy(y1) + 4, fmtNum(y1), 'end');
  label(P - 4, sy(y0) + 4, fmtNum(y0), 'end');
  label(sx(x0), H - P + 16, `step ${x0}`, 'middle');
  label(sx(x1), H - P + 16, `step ${x1}`, 'middle');
  return h('div', null, s, h('p', {class: 'muted'}, 'Blue: complete; red, ending in ×: pruned there; green: running.'));
}
