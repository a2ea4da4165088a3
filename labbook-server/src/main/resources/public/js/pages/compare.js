// "/compare?runs=a,b,c": the selected runs side by side. Overlaid charts per metric, a diff table
// of attributes, params and metrics that highlights what differs, parallel coordinates (params
// to a chosen metric), a scatter of any param or metric against any metric, and a bar chart of
// final metric values.

import {get} from '../api.js';
import {MetricChart, lazyLoader, chartControls} from '../components/chart.js';
import {mount} from '../components/echarts.js';
import {h, replace, num, fmtNum, fmtTime, fmtDuration, color, compareValues, errorBox, title} from '../util.js';

export function render(root, _args, query) {
  const ids = [...new Set((query.get('runs') || '').split(',').map(s => s.trim()).filter(Boolean))];
  title('Compare runs');
  const disposers = [];
  const loader = lazyLoader();
  const charts = [];
  if (!ids.length) {
    replace(root, h('h1', null, 'Compare runs'), h('p', null, 'No runs selected. Select runs in an experiment\'s runs table and press Compare.'));
    return;
  }
  replace(root, h('h1', null, 'Compare runs'), h('p', {class: 'muted'}, 'Loading…'));

  (async () => {
    const results = await Promise.allSettled(ids.map(id => get('mlflow/runs/get', {run_id: id})));
    const runs = results.filter(r => r.status === 'fulfilled').map(r => r.value.run);
    const missing = ids.filter((id, i) => results[i].status === 'rejected');
    if (!runs.length) {
      replace(root, h('h1', null, 'Compare runs'), errorBox(new Error('None of the runs exist: ' + ids.join(', '))));
      return;
    }
    runs.forEach((r, i) => { r.color = color(i); r.label = r.info.run_name || r.info.run_id.slice(0, 8); });
    const params = unionKeys(runs, r => r.data.params);
    const metrics = unionKeys(runs, r => r.data.metrics);
    const val = (r, kind, k) => {
      const item = r.data[kind].find(x => x.key === k);
      return item ? (kind === 'metrics' ? num(item.value) : item.value) : null;
    };
    const legend = h('ul', {class: 'run-chips', 'aria-label': 'Compared runs'}, runs.map(r => h('li', null,
      h('span', {class: 'chip-dot', style: {background: r.color}, 'aria-hidden': 'true'}),
      h('a', {href: `/runs/${encodeURIComponent(r.info.run_id)}`}, r.label))));
    const sections = {
      charts: h('section', {class: 'block', 'aria-labelledby': 'h-charts'}),
      diff: h('section', {class: 'block', 'aria-labelledby': 'h-diff'}),
      parallel: h('section', {class: 'block', 'aria-labelledby': 'h-parallel'}),
      scatter: h('section', {class: 'block', 'aria-labelledby': 'h-scatter'}),
      bars: h('section', {class: 'block', 'aria-labelledby': 'h-bars'}),
    };
    const nav = h('nav', {class: 'jump', 'aria-label': 'Sections'}, [['charts', 'Charts'], ['diff', 'Differences'], ['parallel', 'Parallel coordinates'],
      ['scatter', 'Scatter'], ['bars', 'Final metrics']].map(([id, l]) => h('a', {href: `#sec-${id}`, onclick: e => { e.preventDefault(); sections[id].scrollIntoView({behavior: 'smooth'}); }}, l)));
    Object.entries(sections).forEach(([id, el]) => { el.id = `sec-${id}`; });
    replace(root,
      h('div', {class: 'page-head'}, h('h1', null, `Compare ${runs.length} run${runs.length === 1 ? '' : 's'}`)),
      missing.length ? h('div', {class: 'error', role: 'alert'}, `Not found: ${missing.join(', ')}`) : null,
      legend, nav, ...Object.values(sections));
    drawCharts(sections.charts, runs, metrics);
    drawDiff(sections.diff, runs, params, metrics, val);
    await drawParallel(sections.parallel, runs, params, metrics, val);
    await drawScatter(sections.scatter, runs, params, metrics, val);
    await drawBars(sections.bars, runs, metrics, val);
  })().catch(err => replace(root, h('h1', null, 'Compare runs'), errorBox(err)));

  function drawCharts(sec, runs, metrics) {
    const grid = h('div', {class: 'chart-grid'});
    const controls = chartControls((s, what) => {
      for (const c of charts) {
        if (what === 'filter') c.el.hidden = !!s.query && !c.o.key.toLowerCase().includes(s.query);
        else c.setOptions({xMode: s.xMode, log: s.log, smoothing: s.smoothing});
      }
    });
    replace(sec, h('h2', {id: 'h-charts'}, 'Charts'), controls.el, metrics.length ? grid : h('p', {class: 'muted'}, 'No metrics.'));
    const chartRuns = runs.map(r => ({id: r.info.run_id, name: r.label, color: r.color, start: Number(r.info.start_time)}));
    for (const k of metrics) {
      const holders = runs.filter(r => r.data.metrics.some(m => m.key === k)).map(r => r.info.run_id);
      const c = new MetricChart({key: k, runs: chartRuns.filter(r => holders.includes(r.id)), points: 600});
      charts.push(c);
      grid.append(c.el);
      loader.observe(c);
    }
  }

  function drawDiff(sec, runs, params, metrics, val) {
    const onlyDiff = h('input', {type: 'checkbox', checked: runs.length > 1, onchange: () => draw()});
    const table = h('div', {class: 'table-scroll'});
    replace(sec, h('div', {class: 'section-head'}, h('h2', {id: 'h-diff'}, 'Differences'),
      h('label', {class: 'check'}, onlyDiff, ' Only rows that differ')), table);
    const now = Date.now();
    const rows = [
      ['attr', 'Status', r => r.info.status],
      ['attr', 'User', r => r.info.user_id],
      ['attr', 'Started', r => fmtTime(r.info.start_time)],
      ['attr', 'Duration', r => fmtDuration((r.info.end_time || (r.info.status === 'RUNNING' ? now : null)) - r.info.start_time)],
      ...params.map(k => ['param', k, r => val(r, 'params', k)]),
      ...metrics.map(k => ['metric', k, r => val(r, 'metrics', k)]),
    ];
    function draw() {
      const body = [];
      let section = null;
      for (const [kind, key, f] of rows) {
        const values = runs.map(f);
        const differs = new Set(values.map(v => (v === null || v === undefined ? '∅' : String(v)))).size > 1;
        if (onlyDiff.checked && !differs && kind !== 'attr') continue;
        if (kind !== section) {
          section = kind;
          body.push(h('tr', {class: 'section'}, h('th', {scope: 'colgroup', colspan: String(runs.length + 1)}, {attr: 'Run', param: 'Parameters', metric: 'Metrics'}[kind])));
        }
        let best = null;
        if (kind === 'metric' && differs) {
          const nums = values.filter(v => Number.isFinite(v));
          best = {min: Math.min(...nums), max: Math.max(...nums)};
        }
        body.push(h('tr', {class: differs ? 'differs' : ''}, h('th', {scope: 'row'}, key),
          values.map(v => h('td', {class: [kind === 'metric' ? 'num' : '', best && v === best.max ? 'hi' : '', best && v === best.min ? 'lo' : ''].join(' ')},
            kind === 'metric' ? fmtNum(v) : (v === null || v === undefined ? '' : String(v))))));
      }
      replace(table, h('table', {class: 'grid diff', 'aria-label': 'Differences between runs'},
        h('thead', null, h('tr', null, h('th', {scope: 'col'}, ''), runs.map(r => h('th', {scope: 'col'},
          h('span', {class: 'chip-dot', style: {background: r.color}, 'aria-hidden': 'true'}), r.label)))),
        h('tbody', null, body)));
    }
    draw();
  }

  async function drawParallel(sec, runs, params, metrics, val) {
    const metricSel = select('Metric', metrics, metrics[0]);
    const box = h('div', {class: 'echart', role: 'img', 'aria-label': 'Parallel coordinates of params and a metric'});
    replace(sec, h('div', {class: 'section-head'}, h('h2', {id: 'h-parallel'}, 'Parallel coordinates'), label('Metric', metricSel)), box);
    if (!metrics.length && !params.length) { replace(box, h('p', {class: 'muted'}, 'Nothing to compare.')); return; }
    const {chart, dispose} = await mount(box);
    disposers.push(dispose);
    const varying = params.filter(k => new Set(runs.map(r => val(r, 'params', k))).size > 1);
    const dims = (varying.length ? varying : params).slice(0, 12);
    const draw = () => {
      const m = metricSel.value;
      const axes = dims.map((k, i) => axis(i, k, runs.map(r => val(r, 'params', k))));
      if (m) axes.push({dim: axes.length, name: m, type: 'value', scale: true, nameTextStyle: {fontWeight: 'bold'}});
      chart.setOption({
        animation: false,
        parallel: {left: 60, right: 90, top: 40, bottom: 30, parallelAxisDefault: {nameLocation: 'start', nameGap: 18, nameTextStyle: {fontSize: 11}}},
        parallelAxis: axes,
        tooltip: {trigger: 'item', formatter: p => runs[p.dataIndex] ? runs[p.dataIndex].label : ''},
        series: [{type: 'parallel', lineStyle: {width: 2, opacity: 0.8},
          data: runs.map(r => ({value: [...dims.map((k, i) => {
            const v = val(r, 'params', k);
            return v === null ? null : (axes[i].type === 'value' ? Number(v) : String(v));
          }), ...(m ? [val(r, 'metrics', m)] : [])], lineStyle: {color: r.color}}))}],
      }, true);
    };
    metricSel.addEventListener('change', draw);
    draw();
  }

  async function drawScatter(sec, runs, params, metrics, val) {
    const options = [...params.map(k => 'params.' + k), ...metrics.map(k => 'metrics.' + k)];
    const varying = params.filter(k => new Set(runs.map(r => val(r, 'params', k))).size > 1);
    const xSel = select('X axis', options, varying.length ? 'params.' + varying[0] : (params.length ? 'params.' + params[0] : options[0]));
    const ySel = select('Y axis', metrics.map(k => 'metrics.' + k), metrics.length ? 'metrics.' + metrics[0] : undefined);
    const box = h('div', {class: 'echart', role: 'img', 'aria-label': 'Scatter plot'});
    replace(sec, h('div', {class: 'section-head'}, h('h2', {id: 'h-scatter'}, 'Scatter'), label('X', xSel), label('Y', ySel)), box);
    if (!metrics.length) { replace(box, h('p', {class: 'muted'}, 'No metrics.')); return; }
    const {chart, dispose} = await mount(box);
    disposers.push(dispose);
    const get1 = (r, sel) => {
      const [kind, ...rest] = sel.split('.');
      return val(r, kind, rest.join('.'));
    };
    const draw = () => {
      const xs = runs.map(r => get1(r, xSel.value));
      const numeric = xs.every(v => v === null || !Number.isNaN(Number(v)));
      const cats = numeric ? null : [...new Set(xs.filter(v => v !== null).map(String))].sort(compareValues);
      chart.setOption({
        animation: false,
        grid: {left: 70, right: 30, top: 20, bottom: 50},
        xAxis: numeric ? {type: 'value', scale: true, name: xSel.value, nameLocation: 'middle', nameGap: 30} : {type: 'category', data: cats, name: xSel.value, nameLocation: 'middle', nameGap: 30},
        yAxis: {type: 'value', scale: true, name: ySel.value, nameLocation: 'middle', nameGap: 55},
        tooltip: {trigger: 'item', formatter: p => `${runs[p.data.i].label}<br>${xSel.value}: ${p.data.value[0]}<br>${ySel.value}: ${fmtNum(p.data.value[1])}`},
        series: [{type: 'scatter', symbolSize: 12,
          data: runs.map((r, i) => ({i, value: [numeric ? num(xs[i]) : String(xs[i]), get1(r, ySel.value)], itemStyle: {color: r.color}}))
            .filter(d => d.value[0] !== null && d.value[0] !== 'null' && d.value[1] !== null)}],
      }, true);
    };
    xSel.addEventListener('change', draw);
    ySel.addEventListener('change', draw);
    draw();
  }

  async function drawBars(sec, runs, metrics, val) {
    const sel = select('Metric', metrics, metrics[0]);
    const box = h('div', {class: 'echart', role: 'img', 'aria-label': 'Bar chart of final metric values'});
    replace(sec, h('div', {class: 'section-head'}, h('h2', {id: 'h-bars'}, 'Final metrics'), label('Metric', sel)), box);
    if (!metrics.length) { replace(box, h('p', {class: 'muted'}, 'No metrics.')); return; }
    const {chart, dispose} = await mount(box);
    disposers.push(dispose);
    const draw = () => {
      const m = sel.value;
      chart.setOption({
        animation: false,
        grid: {left: 70, right: 30, top: 20, bottom: 70},
        xAxis: {type: 'category', data: runs.map(r => r.label), axisLabel: {rotate: runs.length > 6 ? 30 : 0, interval: 0}},
        yAxis: {type: 'value', scale: false, name: m, nameLocation: 'middle', nameGap: 55},
        tooltip: {trigger: 'item', formatter: p => `${p.name}<br>${m}: ${fmtNum(p.value)}`},
        series: [{type: 'bar', barMaxWidth: 48, data: runs.map(r => ({value: val(r, 'metrics', m), itemStyle: {color: r.color}})),
          label: {show: runs.length <= 12, position: 'top', formatter: p => fmtNum(p.value)}}],
      }, true);
    };
    sel.addEventListener('change', draw);
    draw();
  }

  return () => {
    loader.disconnect();
    charts.forEach(c => c.destroy());
    disposers.forEach(d => d());
  };
}

function unionKeys(runs, items) {
  const s = new Set();
  runs.forEach(r => items(r).forEach(x => s.add(x.key)));
  return [...s].sort(compareValues);
}

function select(name, values, selected) {
  const s = h('select', {'aria-label': name}, values.map(v => h('option', {value: v}, v)));
  if (selected !== undefined) s.value = selected;
  return s;
}

function label(text, control) {
  return h('label', {class: 'inline'}, text + ' ', control);
}

/** A parallel axis: numeric when every value is a number, else categories. */
function axis(i, name, values) {
  const present = values.filter(v => v !== null && v !== undefined);
  const numeric = present.length && present.every(v => !Number.isNaN(Number(v)));
  if (numeric) return {dim: i, name, type: 'value', scale: true};
  return {dim: i, name, type: 'category', data: [...new Set(present.map(String))].sort(compareValues)};
}
