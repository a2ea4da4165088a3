// A line chart of one metric for one or more runs, drawn with uPlot. Points come from
// get-history-bulk-interval, which keeps each bucket's minimum and maximum so spikes survive
// downsampling; dragging over a range zooms in and fetches finer points for just that range,
// double-click zooms back out. Live points can be appended while a run is RUNNING. A metric of
// one point per run is a value, not a curve: it is drawn as a value card (one run) or as bars
// (one per run, labelled). Series of few points show their points. Runs can be grouped (mean
// line with a min-max band); with many runs the hover names the run nearest the cursor. Every
// chart exports as PNG, SVG and CSV.

import {history} from '../api.js';
import {h, replace, num, fmtNum, fmtDuration, fmtTime, rafThrottle, download, toCsv, fileName} from '../util.js';
import {goalOf, bestIndex} from './metrics.js';

/* global uPlot */

export const X_MODES = {step: 'Step', time: 'Wall time', relative: 'Relative time'};

export class MetricChart {
  /**
   * @param {object} o key; runs: [{id, name, color, start}]; xMode; log; smoothing (0..0.99);
   *   points: how many points per run to ask for; height; goal ('maximize'/'minimize', else
   *   guessed from the name) marks the best bar; groups: [{name, color, runIds}] draws each
   *   group's mean with a min-max band instead of one line per run.
   */
  constructor(o) {
    this.o = Object.assign({xMode: 'step', log: false, smoothing: 0, points: 1000, height: 220}, o);
    this.raw = {};
    this.zoom = null;
    this.plot = null;
    this.readout = h('div', {class: 'readout', 'aria-live': 'off'});
    this.status = h('span', {class: 'muted small'});
    this.holder = h('div', {class: 'plot', role: 'img', 'aria-label': `Chart of ${o.key}`});
    this.values = h('div', {class: 'values', hidden: true});
    this.tools = h('span', {class: 'chart-tools'}, exportMenu(this));
    this.caption = h('figcaption', null, h('span', {class: 'chart-title', title: o.key}, o.key), this.status, this.tools);
    this.el = h('figure', {class: 'chart card', dataset: {metric: o.key}}, this.caption, this.holder, this.values, this.readout);
    this.el.__chart = this;
    this.redraw = rafThrottle(() => this.render());
    this.resizeObs = new ResizeObserver(rafThrottle(() => {
      if (this.plot && this.holder.clientWidth) this.plot.setSize({width: this.holder.clientWidth, height: this.o.height});
    }));
    this.resizeObs.observe(this.holder);
  }

  /** Loads (or reloads) the points of the current zoom range and draws them. */
  async load() {
    const t0 = performance.now();
    this.loading = true;
    const range = this.zoom ? {startStep: this.zoom.startStep, endStep: this.zoom.endStep} : {};
    try {
      const res = await history(this.o.runs.map(r => r.id), this.o.key, Object.assign({maxResults: this.o.points}, range));
      if (this.destroyed) return;
      this.raw = {};
      for (const r of this.o.runs) {
        const pts = res[r.id] || [];
        const s = {step: new Array(pts.length), ts: new Array(pts.length), val: new Array(pts.length)};
        pts.forEach((p, i) => { s.step[i] = Number(p.step); s.ts[i] = Number(p.timestamp); s.val[i] = num(p.value); });
        this.raw[r.id] = s;
      }
      this.loadStarted = t0;
      this.render();
    } catch (e) {
      this.status.textContent = 'Failed to load: ' + e.message;
      this.status.classList.add('error-text');
    } finally {
      this.loading = false;
    }
  }

  /** Appends live points [[step, timestamp, value], ...] of one run. */
  append(runId, rows) {
    const s = this.raw[runId];
    if (!s) return;
    let added = 0;
    for (const [step, ts, value] of rows) {
      const n = s.step.length;
      if (n && (step < s.step[n - 1] || (step === s.step[n - 1] && ts <= s.ts[n - 1]))) continue;
      s.step.push(step); s.ts.push(ts); s.val.push(num(value));
      added++;
    }
    if (!added) return;
    if (!this.zoom && s.step.length > this.o.points * 3 && !this.loading) this.load();
    else this.redraw();
  }

  /** Changes the x axis, log scale or smoothing; the chart is rebuilt. */
  setOptions(opts) {
    Object.assign(this.o, opts);
    if (this.plot) { this.plot.destroy(); this.plot = null; }
    if (Object.keys(this.raw).length) this.render();
  }

  xOf(r, s, i) {
    switch (this.o.xMode) {
      case 'time': return s.ts[i] / 1000;
      case 'relative': return (s.ts[i] - (r.start || s.ts[0] || 0)) / 1000;
      default: return s.step[i];
    }
  }

  /** Each run's points as [x[], y[]] in x order. */
  runTable(r) {
    const s = this.raw[r.id] || {step: [], ts: [], val: []};
    const n = s.step.length;
    const idx = [...Array(n).keys()];
    const xs = idx.map(i => this.xOf(r, s, i));
    if (this.o.xMode !== 'step') idx.sort((a, b) => xs[a] - xs[b]);
    return [idx.map(i => xs[i]), idx.map(i => clean(s.val[i], this.o.log))];
  }

  data() {
    const sm = this.o.smoothing;
    let total = 0;
    const perRun = this.o.runs.map(r => {
      const t = this.runTable(r);
      total += t[0].length;
      return t;
    });
    this.total = total;
    if (this.o.groups) return this.groupData(perRun);
    const tables = perRun.map(([x, y]) => (sm > 0 ? [x, y, smooth(y, sm)] : [x, y]));
    if (tables.length === 1) return tables[0];
    return uPlot.join(tables);
  }

  /** Per group: min, max and mean over its runs at each x (the runs' x values joined). */
  groupData(perRun) {
    const joined = perRun.length === 1 ? perRun[0] : uPlot.join(perRun);
    const xs = joined[0];
    const col = new Map(this.o.runs.map((r, i) => [r.id, joined[1 + i]]));
    const out = [xs];
    for (const g of this.o.groups) {
      const ys = g.runIds.map(id => col.get(id)).filter(Boolean);
      const lo = new Array(xs.length), hi = new Array(xs.length), mean = new Array(xs.length);
      for (let i = 0; i < xs.length; i++) {
        let n = 0, sum = 0, mn = Infinity, mx = -Infinity;
        for (const y of ys) {
          const v = y[i];
          if (v === null || v === undefined) continue;
          n++; sum += v; if (v < mn) mn = v; if (v > mx) mx = v;
        }
        lo[i] = n ? mn : null; hi[i] = n ? mx : null; mean[i] = n ? sum / n : null;
      }
      out.push(lo, hi);
      if (this.o.smoothing > 0) out.push(mean, smooth(mean, this.o.smoothing));
      else out.push(mean);
    }
    return out;
  }

  pointsOf(line) {
    let n = 0;
    for (const id of line.runIds) n = Math.max(n, (this.raw[id] || {step: []}).step.length);
    return n;
  }

  /** Which lines show their points, as a string: the plot is rebuilt when it changes. */
  fewPointsKey() {
    return this.lines().map(l => (this.pointsOf(l) <= 60 ? '1' : '0')).join('');
  }


  /** The drawn lines: per run, or per group (band edges, then the mean); smoothing adds a faint raw line first. */
  lines() {
    if (this.o.groups) {
      return this.o.groups.map(g => ({name: g.name, color: g.color, runIds: g.runIds, group: true}));
    }
    return this.o.runs.map(r => ({name: r.name, color: r.color, runIds: [r.id]}));
  }

  series() {
    const out = [{label: X_MODES[this.o.xMode]}];
    this.shownFewPoints = this.fewPointsKey();
    for (const l of this.lines()) {
      // a line of few points shows them (a lone point has no line to draw)
      const n = this.pointsOf(l);
      const pts = n <= 1 ? {show: true, size: 9, fill: l.color} : (n <= 60 ? {show: true, size: 6} : {show: false});
      if (l.group) {
        out.push({label: l.name + ' (min)', stroke: l.color + '55', width: 0.5, spanGaps: true, points: {show: false}});
        out.push({label: l.name + ' (max)', stroke: l.color + '55', width: 0.5, spanGaps: true, points: {show: false}});
      }
      if (this.o.smoothing > 0) {
        out.push({label: l.name + ' (raw)', stroke: l.color + '40', width: 1, spanGaps: true, points: {show: false}});
        out.push({label: l.name, stroke: l.color, width: 1.6, spanGaps: true, points: pts});
      } else {
        out.push({label: l.name, stroke: l.color, width: 1.4, spanGaps: true, points: pts});
      }
    }
    return out;
  }

  /** How many series each line has in the plot's data. */
  perLine() {
    return (this.o.groups ? 2 : 0) + (this.o.smoothing > 0 ? 2 : 1);
  }

  bands() {
    if (!this.o.groups) return undefined;
    const per = this.perLine();
    return this.o.groups.map((g, i) => ({series: [1 + i * per + 1, 1 + i * per], fill: g.color + '22'}));
  }

  /** True when every run has at most one point (and one has one): a value per run, not a curve. */
  isValue() {
    if (this.zoom) return false;
    let any = false;
    for (const r of this.o.runs) {
      const n = (this.raw[r.id] || {step: []}).step.length;
      if (n > 1) return false;
      if (n === 1) any = true;
    }
    return any;
  }

  render() {
    if (this.destroyed) return;
    const value = this.isValue();
    this.el.classList.toggle('value-chart', value);
    this.holder.hidden = value;
    this.values.hidden = !value;
    if (value) {
      if (this.plot) { this.plot.destroy(); this.plot = null; }
      this.total = this.o.runs.reduce((n, r) => n + ((this.raw[r.id] || {step: []}).step.length), 0);
      this.drawValues();
      this.el.dataset.points = String(this.total);
      this.el.dataset.kind = this.o.runs.length === 1 ? 'card' : 'bars';
      this.status.textContent = this.o.runs.length === 1 ? `step ${this.raw[this.o.runs[0].id].step[0]}` : `${this.total} run${this.total === 1 ? '' : 's'}`;
      if (this.loadStarted !== undefined) { this.el.dataset.renderMs = (performance.now() - this.loadStarted).toFixed(1); this.loadStarted = undefined; }
      return;
    }
    this.el.dataset.kind = 'line';
    const data = this.data();
    this.fewPoints = this.fewPointsKey();
    if (this.plot) {
      this.plot.setData(data, !this.zoom);
      if (this.zoom) this.plot.setScale('x', {min: this.zoom.min, max: this.zoom.max});
    } else {
      this.create(data);
    }
    if (this.plot && this.plot.series.length > 1 && this.fewPoints !== this.shownFewPoints) {
      // points appear or disappear as a series grows past a few dozen points
      this.plot.destroy(); this.plot = null; this.create(data);
    }
    const pts = this.total;
    this.el.dataset.points = String(pts);
    this.status.textContent = `${pts.toLocaleString('en-US')} points${this.zoom ? ' · zoomed (double-click to reset)' : ''}`;
    this.status.classList.remove('error-text');
  }

  create(data) {
    const time = this.o.xMode === 'time';
    const xfmt = this.o.xMode === 'relative' ? (v => fmtDuration(v * 1000)) : (time ? (v => fmtTime(v * 1000)) : (v => String(v)));
    const opts = {
      width: this.holder.clientWidth || 400,
      height: this.o.height,
      legend: {show: false},
      cursor: {drag: {x: true, y: false, setScale: false}, bind: {dblclick: () => () => null}, focus: {prox: 24}},
      scales: {
        x: {time, range: (u, min, max) => (this.zoom ? [this.zoom.min, this.zoom.max] : (min === max ? [min - 1, max + 1] : [min, max]))},
        y: this.o.log ? {distr: 3} : {},
      },
      axes: [
        {stroke: '#666', grid: {stroke: '#eee'}, ticks: {stroke: '#ddd'}, incrs: this.o.xMode === 'step' ? STEP_INCRS : undefined,
          values: time ? undefined : (u, vals) => vals.map(v => (this.o.xMode === 'relative' ? fmtDuration(v * 1000) : fmtNum(v)))},
        {stroke: '#666', grid: {stroke: '#eee'}, ticks: {stroke: '#ddd'}, size: axisSize, values: (u, vals) => vals.map(v => fmtNum(v))},
      ],
      series: this.series(),
      bands: this.bands(),
      focus: {alpha: 0.25},
      hooks: {
        setSelect: [u => {
          if (u.select.width > 3) {
            const min = u.posToVal(u.select.left, 'x');
            const max = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({left: 0, top: 0, width: 0, height: 0}, false);
            this.zoomTo(min, max);
          }
        }],
        setCursor: [u => this.showReadout(u, xfmt)],
        setSeries: [(u, i) => { this.focused = i; this.showReadout(u, xfmt); }],
        draw: [() => {
          if (this.loadStarted !== undefined) {
            this.el.dataset.renderMs = (performance.now() - this.loadStarted).toFixed(1);
            this.loadStarted = undefined;
          }
        }],
      },
    };
    this.plot = new uPlot(opts, data, this.holder);
    this.plot.over.addEventListener('dblclick', () => this.resetZoom());
    this.plot.over.title = 'Drag to zoom in; double-click to zoom out';
  }

  showReadout(u, xfmt) {
    const i = u.cursor.idx;
    if (i === null || i === undefined) { this.readout.textContent = ''; return; }
    const parts = [`${this.o.xMode === 'step' ? 'step' : ''} ${xfmt(u.data[0][i])}`.trim()];
    const lines = this.lines();
    const per = this.perLine();
    const valueOf = k => u.data[1 + k * per + (per - 1)][i];
    const label = l => (l.group ? `${l.name} (mean of ${l.runIds.length})` : l.name);
    // with many lines, name the one nearest the cursor rather than list them all
    if (lines.length > 6) {
      const k = this.focused !== null && this.focused !== undefined && this.focused > 0 ? Math.floor((this.focused - 1) / per) : -1;
      if (k >= 0 && lines[k]) parts.push(`${label(lines[k])}: ${fmtNum(valueOf(k))}`);
      else parts.push(`${lines.length} ${this.o.groups ? 'groups' : 'runs'} (point at a line to name it)`);
      this.readout.dataset.focused = k >= 0 && lines[k] ? lines[k].name : '';
    } else {
      lines.forEach((l, k) => {
        const v = valueOf(k);
        if (v !== null && v !== undefined) parts.push(`${lines.length > 1 ? label(l) + ': ' : ''}${fmtNum(v)}`);
      });
    }
    this.readout.textContent = parts.join('  ·  ');
  }

  /** A value card (one run) or one labelled bar per run, the best marked when the goal is known. */
  drawValues() {
    const runs = this.o.runs.filter(r => (this.raw[r.id] || {step: []}).step.length);
    const vals = runs.map(r => this.raw[r.id].val[0]);
    if (this.o.runs.length === 1) {
      replace(this.values, h('div', {class: 'value-card'}, h('span', {class: 'big', title: String(vals[0])}, fmtNum(vals[0]))));
      return;
    }
    const goal = this.o.goal || goalOf(this.o.key);
    const best = bestIndex(vals, goal);
    replace(this.values, barsSvg(runs, vals, best));
  }

  /** Zooms to the x range [min, max], fetching finer points for the steps it covers. */
  zoomTo(min, max) {
    let startStep, endStep;
    if (this.o.xMode === 'step') {
      startStep = Math.floor(min);
      endStep = Math.ceil(max);
    } else {
      for (const r of this.o.runs) {
        const s = this.raw[r.id];
        if (!s) continue;
        for (let i = 0; i < s.step.length; i++) {
          const x = this.xOf(r, s, i);
          const inside = x >= min && x <= max;
          const near = (i + 1 < s.step.length && this.xOf(r, s, i + 1) >= min && x < min) || (i > 0 && this.xOf(r, s, i - 1) <= max && x > max);
          if (inside || near) {
            startStep = startStep === undefined ? s.step[i] : Math.min(startStep, s.step[i]);
            endStep = endStep === undefined ? s.step[i] : Math.max(endStep, s.step[i]);
          }
        }
      }
      if (startStep === undefined) return;
    }
    this.zoom = {min, max, startStep, endStep};
    this.load();
  }

  resetZoom() {
    if (!this.zoom) return;
    this.zoom = null;
    this.load();
  }

  destroy() {
    this.destroyed = true;
    this.resizeObs.disconnect();
    if (this.plot) this.plot.destroy();
  }
}

/** Steps are whole numbers: their axis never ticks at 0.2. */
const STEP_INCRS = [];
for (let e = 0; e < 12; e++) for (const m of [1, 2, 5]) STEP_INCRS.push(m * 10 ** e);

/** The y axis wide enough for its longest label (long numbers like 145,207 never clip). */
function axisSize(u, values, axisIdx, cycleNum) {
  const axis = u.axes[axisIdx];
  if (cycleNum > 1) return axis._size;
  let longest = 0;
  for (const v of values || []) longest = Math.max(longest, String(v).length);
  return Math.max(40, Math.ceil(longest * 7.2) + 18);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** Horizontal bars, one per run, with the run's name and its value; the best one starred. */
function barsSvg(runs, vals, best) {
  const n = runs.length;
  const rowH = n <= 8 ? 24 : (n <= 30 ? 16 : 11);
  const font = rowH >= 16 ? 12 : 10;
  const labelW = Math.min(170, Math.max(60, Math.max(...runs.map(r => String(r.name).length)) * (font * 0.6) + 16));
  const width = 460, valueW = 78, pad = 6;
  const height = n * rowH + 2 * pad;
  const finite = vals.filter(v => Number.isFinite(v));
  const lo = Math.min(0, ...finite), hi = Math.max(0, ...finite);
  const span = hi - lo || 1;
  const plotW = width - labelW - valueW;
  const x = v => labelW + ((v - lo) / span) * plotW;
  const el = svg('svg', {class: 'bars', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img',
    'aria-label': 'One bar per run', preserveAspectRatio: 'xMinYMin meet', style: `max-height:${Math.max(height, 60)}px`});
  el.append(svg('line', {x1: x(0), x2: x(0), y1: pad / 2, y2: height - pad / 2, stroke: '#bbb'}));
  runs.forEach((r, i) => {
    const v = vals[i];
    const y = pad + i * rowH;
    const ok = Number.isFinite(v);
    const x0 = ok ? Math.min(x(0), x(v)) : x(0);
    const w = ok ? Math.max(1, Math.abs(x(v) - x(0))) : 0;
    const name = String(r.name).length > 28 ? String(r.name).slice(0, 27) + '…' : String(r.name);
    el.append(svg('g', {class: 'bar' + (i === best ? ' best' : ''), 'data-run': r.id, 'data-value': String(v)},
      svg('title', null, `${r.name}: ${fmtNum(v)}${i === best ? ' (best)' : ''}`),
      svg('text', {x: labelW - 6, y: y + rowH / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', 'font-size': font, fill: '#344054'}, name),
      svg('rect', {x: x0, y: y + 2, width: w, height: Math.max(2, rowH - 4), fill: r.color, rx: 2}),
      svg('text', {x: Math.max(x(0), ok ? x(v) : x(0)) + 4, y: y + rowH / 2, 'dominant-baseline': 'middle', 'font-size': font,
        fill: '#1d2430', 'font-weight': i === best ? '700' : '400'}, (i === best ? '★ ' : '') + fmtNum(v))));
  });
  return el;
}

/** The chart's menu of exports: PNG and SVG of what it shows, CSV of its points. */
function exportMenu(chart) {
  const menu = h('details', {class: 'menu export'});
  const act = (label, fn) => h('button', {type: 'button', class: 'btn small', dataset: {export: label.toLowerCase()},
    onclick: () => { menu.open = false; fn(); }}, label);
  menu.append(h('summary', {class: 'btn small', title: 'Export this chart', 'aria-label': `Export ${chart.o.key}`}, '⤓'),
    h('div', {class: 'menu-pop'}, act('PNG', () => exportPng(chart)), act('SVG', () => exportSvg(chart)), act('CSV', () => exportCsv(chart))));
  return menu;
}

function chartSvg(chart) {
  if (chart.isValue() && chart.values.firstChild && chart.values.firstChild.tagName === 'svg') {
    const out = chart.values.firstChild.cloneNode(true);
    out.setAttribute('xmlns', SVG_NS);
    out.prepend(svg('rect', {x: 0, y: 0, width: '100%', height: '100%', fill: '#fff'}));
    return out;
  }
  return lineSvg(chart);
}

/** The chart's lines as a standalone SVG (axes with min and max, a legend). */
function lineSvg(chart) {
  const W = 800, H = 360, L = 70, R = 20, T = 30, B = 40;
  const out = svg('svg', {xmlns: SVG_NS, viewBox: `0 0 ${W} ${H}`, width: W, height: H, 'font-family': 'sans-serif'});
  out.append(svg('rect', {x: 0, y: 0, width: W, height: H, fill: '#fff'}), svg('text', {x: L, y: 18, 'font-size': 14, 'font-weight': 700}, chart.o.key));
  if (chart.isValue()) {
    const v = chart.raw[chart.o.runs[0].id].val[0];
    out.append(svg('text', {x: W / 2, y: H / 2, 'font-size': 40, 'text-anchor': 'middle'}, fmtNum(v)));
    return out;
  }
  const data = chart.data();
  const xs = data[0];
  const lines = chart.lines();
  const per = chart.perLine();
  let ymin = Infinity, ymax = -Infinity;
  for (let s = 1; s < data.length; s++) for (const v of data[s]) if (v !== null && v !== undefined) { ymin = Math.min(ymin, v); ymax = Math.max(ymax, v); }
  if (ymin === Infinity) { ymin = 0; ymax = 1; }
  if (ymin === ymax) { ymin -= 1; ymax += 1; }
  const xmin = xs[0], xmax = xs[xs.length - 1] === xmin ? xmin + 1 : xs[xs.length - 1];
  const px = v => L + (v - xmin) / (xmax - xmin) * (W - L - R);
  const py = v => T + (1 - (v - ymin) / (ymax - ymin)) * (H - T - B);
  out.append(svg('rect', {x: L, y: T, width: W - L - R, height: H - T - B, fill: 'none', stroke: '#ccc'}),
    svg('text', {x: L - 6, y: T + 4, 'font-size': 11, 'text-anchor': 'end'}, fmtNum(ymax)),
    svg('text', {x: L - 6, y: H - B, 'font-size': 11, 'text-anchor': 'end'}, fmtNum(ymin)),
    svg('text', {x: L, y: H - B + 16, 'font-size': 11}, fmtNum(xmin)),
    svg('text', {x: W - R, y: H - B + 16, 'font-size': 11, 'text-anchor': 'end'}, fmtNum(xmax)),
    svg('text', {x: (L + W - R) / 2, y: H - 8, 'font-size': 11, 'text-anchor': 'middle'}, X_MODES[chart.o.xMode]));
  lines.forEach((l, k) => {
    const ys = data[1 + k * per + per - 1];
    let d = '';
    let pen = false;
    ys.forEach((v, i) => {
      if (v === null || v === undefined) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${px(xs[i]).toFixed(1)},${py(v).toFixed(1)}`;
      pen = true;
    });
    out.append(svg('path', {d, fill: 'none', stroke: l.color, 'stroke-width': 1.5}, svg('title', null, l.name)));
    if (k < 12) out.append(svg('text', {x: W - R - 4, y: T + 14 + k * 14, 'font-size': 11, 'text-anchor': 'end', fill: l.color}, l.name));
  });
  return out;
}

function exportSvg(chart) {
  const text = new XMLSerializer().serializeToString(chartSvg(chart));
  download(fileName(chart.o.key) + '.svg', new Blob([text], {type: 'image/svg+xml'}));
}

function exportPng(chart) {
  const title = chart.o.key;
  const finish = canvas => canvas.toBlob(b => download(fileName(title) + '.png', b), 'image/png');
  if (chart.plot && !chart.isValue()) {
    const src = chart.plot.ctx.canvas;
    const c = document.createElement('canvas');
    const head = 28 * devicePixelRatio;
    c.width = src.width; c.height = src.height + head;
    const g = c.getContext('2d');
    g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = '#1d2430'; g.font = `${13 * devicePixelRatio}px sans-serif`;
    g.fillText(title, 8 * devicePixelRatio, 19 * devicePixelRatio);
    g.drawImage(src, 0, head);
    finish(c);
    return;
  }
  // the SVG drawn on a canvas
  const el = chartSvg(chart);
  const img = new Image();
  img.onload = () => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth || 800; c.height = img.naturalHeight || 360;
    const g = c.getContext('2d');
    g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height);
    g.drawImage(img, 0, 0);
    finish(c);
  };
  const vb = (el.getAttribute('viewBox') || '0 0 800 360').split(' ').map(Number);
  el.setAttribute('width', vb[2] * 2); el.setAttribute('height', vb[3] * 2);
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(el));
}

/** Every point of every run, as fetched (what the chart draws before smoothing). */
function exportCsv(chart) {
  const rows = [['run_id', 'run_name', 'metric', 'step', 'timestamp', 'value']];
  for (const r of chart.o.runs) {
    const s = chart.raw[r.id];
    if (!s) continue;
    for (let i = 0; i < s.step.length; i++) rows.push([r.id, r.name, chart.o.key, s.step[i], s.ts[i], s.val[i]]);
  }
  download(fileName(chart.o.key) + '.csv', new Blob([toCsv(rows)], {type: 'text/csv'}));
}

function clean(v, log) {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  if (log && v <= 0) return null;
  return v;
}

/** Exponential moving average with TensorBoard's debiasing; gaps stay gaps. */
function smooth(ys, weight) {
  const out = new Array(ys.length);
  let last = 0, n = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (y === null) { out[i] = null; continue; }
    last = last * weight + (1 - weight) * y;
    n++;
    out[i] = last / (1 - Math.pow(weight, n));
  }
  return out;
}

/**
 * Creates charts lazily: each is loaded when it scrolls into view, so a run with hundreds of
 * metrics opens quickly. Returns {observe(chart), disconnect()}.
 */
export function lazyLoader() {
  const io = new IntersectionObserver(entries => {
    for (const e of entries) {
      if (e.isIntersecting) {
        io.unobserve(e.target);
        e.target.__chart.load();
      }
    }
  }, {rootMargin: '300px'});
  return {observe: c => io.observe(c.el), disconnect: () => io.disconnect()};
}

/** Controls shared by a grid of charts: x axis, log scale, smoothing and a metric filter. */
export function chartControls(onChange, {filter = true, initial = {}} = {}) {
  const state = Object.assign({xMode: 'step', log: false, smoothing: 0, query: ''}, initial);
  const xSel = h('select', {'aria-label': 'X axis', onchange: () => { state.xMode = xSel.value; onChange(state, 'options'); }},
    Object.entries(X_MODES).map(([v, l]) => h('option', {value: v}, l)));
  const log = h('input', {type: 'checkbox', onchange: () => { state.log = log.checked; onChange(state, 'options'); }});
  const smoothOut = h('output', {class: 'muted small'}, '0');
  const smoothIn = h('input', {type: 'range', min: '0', max: '0.99', step: '0.01', value: '0', 'aria-label': 'Smoothing',
    oninput: () => { smoothOut.textContent = smoothIn.value; }, onchange: () => { state.smoothing = Number(smoothIn.value); onChange(state, 'options'); }});
  const find = filter ? h('input', {type: 'search', placeholder: 'Filter metrics', 'aria-label': 'Filter metrics',
    oninput: () => { state.query = find.value.trim().toLowerCase(); onChange(state, 'filter'); }}) : null;
  xSel.value = state.xMode;
  log.checked = state.log;
  smoothIn.value = String(state.smoothing);
  smoothOut.textContent = String(state.smoothing);
  if (find) find.value = state.query;
  const el = h('div', {class: 'toolbar chart-controls'},
    find,
    h('label', {class: 'inline'}, 'X axis ', xSel),
    h('label', {class: 'check'}, log, ' Log scale'),
    h('label', {class: 'inline'}, 'Smoothing ', smoothIn, smoothOut),
    h('span', {class: 'muted small hint'}, 'Drag on a chart to zoom in; double-click to zoom out'));
  return {el, state};
}
