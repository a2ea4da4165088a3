// A line chart of one metric for one or more runs, drawn with uPlot. Points come from
// get-history-bulk-interval, which keeps each bucket's minimum and maximum so spikes survive
// downsampling; dragging over a range zooms in and fetches finer points for just that range,
// double-click zooms back out. Live points can be appended while a run is RUNNING.

import {history} from '../api.js';
import {h, num, fmtNum, fmtDuration, fmtTime, rafThrottle} from '../util.js';

/* global uPlot */

export const X_MODES = {step: 'Step', time: 'Wall time', relative: 'Relative time'};

export class MetricChart {
  /**
   * @param {object} o key; runs: [{id, name, color, start}]; xMode; log; smoothing (0..0.99);
   *   points: how many points per run to ask for; height.
   */
  constructor(o) {
    this.o = Object.assign({xMode: 'step', log: false, smoothing: 0, points: 1000, height: 220}, o);
    this.raw = {};
    this.zoom = null;
    this.plot = null;
    this.readout = h('div', {class: 'readout', 'aria-live': 'off'});
    this.status = h('span', {class: 'muted small'});
    this.holder = h('div', {class: 'plot', role: 'img', 'aria-label': `Chart of ${o.key}`});
    this.el = h('figure', {class: 'chart card', dataset: {metric: o.key}},
      h('figcaption', null, h('span', {class: 'chart-title', title: o.key}, o.key), this.status),
      this.holder, this.readout);
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

  data() {
    const tables = [];
    const sm = this.o.smoothing;
    let total = 0;
    for (const r of this.o.runs) {
      const s = this.raw[r.id] || {step: [], ts: [], val: []};
      const n = s.step.length;
      total += n;
      let idx = [...Array(n).keys()];
      const xs = idx.map(i => this.xOf(r, s, i));
      if (this.o.xMode !== 'step') idx.sort((a, b) => xs[a] - xs[b]);
      const x = idx.map(i => xs[i]);
      const y = idx.map(i => clean(s.val[i], this.o.log));
      if (sm > 0) tables.push([x, y, smooth(y, sm)]);
      else tables.push([x, y]);
    }
    this.total = total;
    if (tables.length === 1) return tables[0];
    return uPlot.join(tables);
  }

  series() {
    const out = [{label: X_MODES[this.o.xMode]}];
    for (const r of this.o.runs) {
      if (this.o.smoothing > 0) {
        out.push({label: r.name + ' (raw)', stroke: r.color + '40', width: 1, spanGaps: true, points: {show: false}});
        out.push({label: r.name, stroke: r.color, width: 1.6, spanGaps: true, points: {show: false}});
      } else {
        out.push({label: r.name, stroke: r.color, width: 1.4, spanGaps: true, points: {show: false}});
      }
    }
    return out;
  }

  render() {
    if (this.destroyed) return;
    const data = this.data();
    if (this.plot) {
      this.plot.setData(data, !this.zoom);
      if (this.zoom) this.plot.setScale('x', {min: this.zoom.min, max: this.zoom.max});
    } else {
      this.create(data);
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
      cursor: {drag: {x: true, y: false, setScale: false}, bind: {dblclick: () => () => null}},
      scales: {
        x: {time, range: (u, min, max) => (this.zoom ? [this.zoom.min, this.zoom.max] : (min === max ? [min - 1, max + 1] : [min, max]))},
        y: this.o.log ? {distr: 3} : {},
      },
      axes: [
        {stroke: '#666', grid: {stroke: '#eee'}, ticks: {stroke: '#ddd'},
          values: time ? undefined : (u, vals) => vals.map(v => (this.o.xMode === 'relative' ? fmtDuration(v * 1000) : fmtNum(v)))},
        {stroke: '#666', grid: {stroke: '#eee'}, ticks: {stroke: '#ddd'}, size: 58, values: (u, vals) => vals.map(v => fmtNum(v))},
      ],
      series: this.series(),
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
    const per = this.o.smoothing > 0 ? 2 : 1;
    this.o.runs.forEach((r, k) => {
      const v = u.data[1 + k * per + (per - 1)][i];
      if (v !== null && v !== undefined) parts.push(`${this.o.runs.length > 1 ? r.name + ': ' : ''}${fmtNum(v)}`);
    });
    this.readout.textContent = parts.join('  ·  ');
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
export function chartControls(onChange, {filter = true} = {}) {
  const state = {xMode: 'step', log: false, smoothing: 0, query: ''};
  const xSel = h('select', {'aria-label': 'X axis', onchange: () => { state.xMode = xSel.value; onChange(state, 'options'); }},
    Object.entries(X_MODES).map(([v, l]) => h('option', {value: v}, l)));
  const log = h('input', {type: 'checkbox', onchange: () => { state.log = log.checked; onChange(state, 'options'); }});
  const smoothOut = h('output', {class: 'muted small'}, '0');
  const smoothIn = h('input', {type: 'range', min: '0', max: '0.99', step: '0.01', value: '0', 'aria-label': 'Smoothing',
    oninput: () => { smoothOut.textContent = smoothIn.value; }, onchange: () => { state.smoothing = Number(smoothIn.value); onChange(state, 'options'); }});
  const find = filter ? h('input', {type: 'search', placeholder: 'Filter metrics', 'aria-label': 'Filter metrics',
    oninput: () => { state.query = find.value.trim().toLowerCase(); onChange(state, 'filter'); }}) : null;
  const el = h('div', {class: 'toolbar chart-controls'},
    find,
    h('label', {class: 'inline'}, 'X axis ', xSel),
    h('label', {class: 'check'}, log, ' Log scale'),
    h('label', {class: 'inline'}, 'Smoothing ', smoothIn, smoothOut),
    h('span', {class: 'muted small hint'}, 'Drag on a chart to zoom in; double-click to zoom out'));
  return {el, state};
}
