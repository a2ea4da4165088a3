// "/compare?runs=a,b,c": the selected runs side by side. Overlaid charts per metric, a diff table
// of attributes, params and metrics that highlights what differs, parallel coordinates (params
// to a chosen metric), a scatter of any param or metric against any metric, and a bar chart of
// final metric values. The primary metric of the runs' experiment leads everywhere (first chart,
// bars, scatter's Y, parallel coordinates' colour) and its best run is starred. Runs may come
// from several experiments, up to 100.

import {get, post} from '../api.js';
import {navigate} from '../app.js';
import {MetricChart, lazyLoader, chartControls, X_MODES} from '../components/chart.js';
import {mount, exportButtons} from '../components/echarts.js';
import {chartSections} from '../components/sections.js';
import {primaryMetric, goalOf, bestIndex} from '../components/metrics.js';
import {viewsMenu} from '../components/views.js';
import {h, replace, num, fmtNum, fmtTime, fmtDuration, color, compareValues, errorBox, title} from '../util.js';

const MAX_RUNS = 100;

export function render(root, _args, query) {
  const asked = [...new Set((query.get('runs') || '').split(',').map(s => s.trim()).filter(Boolean))];
  const ids = asked.slice(0, MAX_RUNS);
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
    const found = await loadRuns(ids);
    const runs = ids.map(id => found.get(id)).filter(Boolean);
    const missing = ids.filter(id => !found.has(id));
    if (!runs.length) {
      replace(root, h('h1', null, 'Compare runs'), errorBox(new Error('None of the runs exist: ' + ids.join(', '))));
      return;
    }
    const expIds = [...new Set(runs.map(r => r.info.experiment_id))];
    const exps = await Promise.all(expIds.map(id => get('mlflow/experiments/get', {experiment_id: id}).then(x => x.experiment, () => null)));
    const expName = new Map(exps.filter(Boolean).map(e => [e.experiment_id, e.name]));
    runs.forEach((r, i) => {
      r.color = color(i);
      r.label = r.info.run_name || r.info.run_id.slice(0, 8);
      if (expIds.length > 1) r.label = `${expName.get(r.info.experiment_id) || r.info.experiment_id}/${r.label}`;
    });
    const params = unionKeys(runs, r => r.data.params);
    const metrics = unionKeys(runs, r => r.data.metrics);
    // the first experiment's primary metric (its tag, else a guess from the names)
    const primary = primaryMetric(exps[0], metrics);
    if (primary && !metrics.includes(primary.key)) primary.missing = true;
    const pm = primary && !primary.missing ? primary.key : null;
    if (pm) { metrics.splice(metrics.indexOf(pm), 1); metrics.unshift(pm); }
    const metricMap = new Map(runs.map(r => [r, new Map(r.data.metrics.map(m => [m.key, num(m.value)]))]));
    const paramMap = new Map(runs.map(r => [r, new Map(r.data.params.map(p => [p.key, p.value]))]));
    const val = (r, kind, k) => {
      const v = (kind === 'metrics' ? metricMap : paramMap).get(r).get(k);
      return v === undefined || v === '' ? null : v;
    };
    const best = pm ? bestIndex(runs.map(r => val(r, 'metrics', pm)), primary.goal) : -1;
    runs.forEach((r, i) => { r.best = i === best; });
    const chips = h('ul', {class: 'run-chips', 'aria-label': 'Compared runs'}, runs.map(r => h('li', {class: r.best ? 'best' : null},
      h('span', {class: 'chip-dot', style: {background: r.color}, 'aria-hidden': 'true'}),
      h('a', {href: `/runs/${encodeURIComponent(r.info.run_id)}`}, r.label),
      r.best ? h('span', {class: 'best-mark', title: `Best ${pm} (${primary.goal})`}, ` ★ ${fmtNum(val(r, 'metrics', pm))}`) : null)));
    // many runs: their legend folds away (the best run stays named in the note above it)
    const legend = runs.length > 12 ? h('details', {class: 'legend-fold'}, h('summary', null, `Runs (${runs.length})`), chips) : chips;
    const bestRun = runs.find(r => r.best);
    const primaryNote = h('p', {class: 'muted small primary-note'}, pm
      ? ['Primary metric: ', h('b', null, pm), ` (${primary.goal}${primary.explicit ? '' : ', guessed from the names; set it on the experiment\'s runs page'})`,
        bestRun ? [' · best run: ', h('a', {href: `/runs/${encodeURIComponent(bestRun.info.run_id)}`, class: 'best-run'}, '★ ' + bestRun.label), ` ${fmtNum(val(bestRun, 'metrics', pm))}`] : null]
      : (primary ? `The primary metric ${primary.key} is not among these runs' metrics.` : 'No primary metric: set one on the experiment\'s runs page.'));
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
      h('div', {class: 'page-head'}, h('h1', null, `Compare ${runs.length} run${runs.length === 1 ? '' : 's'}`), h('span', {class: 'spacer'}),
        addRunsMenu(runs), viewsMenu(expIds[0])),
      missing.length ? h('div', {class: 'error', role: 'alert'}, `Not found: ${missing.join(', ')}`) : null,
      asked.length > MAX_RUNS ? h('div', {class: 'error', role: 'alert'}, `Comparing the first ${MAX_RUNS} of ${asked.length} runs.`) : null,
      expIds.length > 1 ? h('p', {class: 'muted small'}, `Runs from ${expIds.length} experiments: ${expIds.map(id => expName.get(id) || id).join(', ')}`) : null,
      primaryNote, legend, nav, ...Object.values(sections));
    drawCharts(sections.charts, runs, metrics, primary && !primary.missing ? primary : null, expIds[0]);
    drawDiff(sections.diff, runs, params, metrics, val);
    await drawParallel(sections.parallel, runs, params, metrics, val, pm);
    await drawScatter(sections.scatter, runs, params, metrics, val, pm);
    await drawBars(sections.bars, runs, metrics, val, pm, primary);
    window.__labbook.compareReadyMs = performance.now();
  })().catch(err => replace(root, h('h1', null, 'Compare runs'), errorBox(err)));

  function drawCharts(sec, runs, metrics, primary, experimentId) {
    const chartRuns = runs.map(r => ({id: r.info.run_id, name: r.label, color: r.color, start: Number(r.info.start_time), keys: new Set(r.data.metrics.map(m => m.key))}));
    // the chart choices live in the address with the runs and pins
    const state = {xMode: X_MODES[query.get('x')] ? query.get('x') : 'step', log: query.get('log') === '1', smoothing: Number(query.get('smooth')) || 0};
    const syncCharts = () => {
      const q = new URLSearchParams(location.search);
      for (const [k, v] of [['x', state.xMode !== 'step' ? state.xMode : ''], ['log', state.log ? '1' : ''], ['smooth', state.smoothing ? String(state.smoothing) : '']]) {
        if (v) q.set(k, v); else q.delete(k);
      }
      history.replaceState(null, '', location.pathname + '?' + q.toString().replace(/%2C/g, ','));
    };
    const grid = chartSections({
      keys: metrics, primary, experimentId,
      initialPins: query.has('pins') ? query.get('pins').split(',').filter(Boolean) : null,
      onPins: keys => {
        const q = new URLSearchParams(location.search);
        q.set('pins', keys.join(','));
        history.replaceState(null, '', location.pathname + '?' + q.toString().replace(/%2C/g, ','));
      },
      make: k => {
        const c = new MetricChart({key: k, runs: chartRuns.filter(r => r.keys.has(k)), points: runs.length > 20 ? 300 : 600,
          goal: primary && primary.key === k ? primary.goal : goalOf(k), xMode: state.xMode, log: state.log, smoothing: state.smoothing});
        charts.push(c);
        return c;
      },
      observe: c => loader.observe(c),
    });
    const controls = chartControls((s, what) => {
      Object.assign(state, {xMode: s.xMode, log: s.log, smoothing: s.smoothing});
      if (what === 'filter') grid.filter(s.query);
      else { syncCharts(); for (const c of charts) c.setOptions({xMode: s.xMode, log: s.log, smoothing: s.smoothing}); }
    }, {initial: state});
    replace(sec, h('h2', {id: 'h-charts'}, 'Charts'), controls.el, metrics.length ? grid.el : h('p', {class: 'muted'}, 'No metrics.'));
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
      replace(table, h('table', {class: 'grid diff' + (runs.length > 8 ? ' wide' : ''), 'aria-label': 'Differences between runs'},
        h('thead', null, h('tr', null, h('th', {scope: 'col'}, ''), runs.map(r => h('th', {scope: 'col', title: r.label},
          h('span', {class: 'chip-dot', style: {background: r.color}, 'aria-hidden': 'true'}), r.label)))),
        h('tbody', null, body)));
    }
    draw();
  }

  async function drawParallel(sec, runs, params, metrics, val, pm) {
    const metricSel = select('Metric', metrics, pm || metrics[0]);
    let chartRef = null;
    const exportEl = exportButtons(() => chartRef, 'parallel-coordinates', () => [['run', ...dims, metricSel.value],
      ...runs.map(r => [r.label, ...dims.map(k => val(r, 'params', k)), val(r, 'metrics', metricSel.value)])]);
    const box = h('div', {class: 'echart', role: 'img', 'aria-label': 'Parallel coordinates of params and a metric'});
    replace(sec, h('div', {class: 'section-head'}, h('h2', {id: 'h-parallel'}, 'Parallel coordinates'), label('Metric (colour)', metricSel), exportEl), box);
    if (!metrics.length && !params.length) { replace(box, h('p', {class: 'muted'}, 'Nothing to compare.')); return; }
    const {chart, dispose} = await mount(box);
    chartRef = chart;
    disposers.push(dispose);
    const varying = params.filter(k => new Set(runs.map(r => val(r, 'params', k))).size > 1);
    const dims = (varying.length ? varying : params).slice(0, 12);
    const draw = () => {
      const m = metricSel.value;
      const axes = dims.map((k, i) => axis(i, k, runs.map(r => val(r, 'params', k))));
      if (m) axes.push({dim: axes.length, name: m, type: 'value', scale: true, nameTextStyle: {fontWeight: 'bold'}});
      const mv = m ? runs.map(r => val(r, 'metrics', m)).filter(Number.isFinite) : [];
      const goal = goalOf(m || '') || 'maximize';
      chart.setOption({
        animation: false,
        // lines coloured by the chosen metric: the good end dark blue, the bad end light
        visualMap: mv.length ? {type: 'continuous', dimension: axes.length - 1, min: Math.min(...mv), max: Math.max(...mv) === Math.min(...mv) ? Math.min(...mv) + 1 : Math.max(...mv),
          inRange: {color: goal === 'minimize' ? ['#1a3a8f', '#7fa7e8', '#f0c27b'] : ['#f0c27b', '#7fa7e8', '#1a3a8f']},
          orient: 'vertical', right: 4, top: 'middle', itemHeight: 120, calculable: false, text: ['high', 'low'], textStyle: {fontSize: 10}} : undefined,
        parallel: {left: 60, right: 110, top: 40, bottom: 30, parallelAxisDefault: {nameLocation: 'start', nameGap: 18, nameTextStyle: {fontSize: 11}}},
        parallelAxis: axes,
        tooltip: {trigger: 'item', formatter: p => runs[p.dataIndex] ? runs[p.dataIndex].label : ''},
        series: [{type: 'parallel', lineStyle: {width: 2, opacity: 0.8},
          data: runs.map(r => ({value: [...dims.map((k, i) => {
            const v = val(r, 'params', k);
            return v === null ? null : (axes[i].type === 'value' ? Number(v) : String(v));
          }), ...(m ? [val(r, 'metrics', m)] : [])], lineStyle: mv.length ? {width: r.best ? 4 : 2} : {color: r.color}}))}],
      }, true);
    };
    metricSel.addEventListener('change', draw);
    draw();
  }

  async function drawScatter(sec, runs, params, metrics, val, pm) {
    let chartRef = null;
    const options = [...params.map(k => 'params.' + k), ...metrics.map(k => 'metrics.' + k)];
    // the default X: a param that varies, the one most runs have first
    const has = k => runs.filter(r => val(r, 'params', k) !== null).length;
    const varying = params.filter(k => new Set(runs.map(r => val(r, 'params', k))).size > 1).sort((a, b) => has(b) - has(a));
    const xSel = select('X axis', options, varying.length ? 'params.' + varying[0] : (params.length ? 'params.' + params[0] : options[0]));
    const ySel = select('Y axis', metrics.map(k => 'metrics.' + k), metrics.length ? 'metrics.' + (pm || metrics[0]) : undefined);
    const box = h('div', {class: 'echart', role: 'img', 'aria-label': 'Scatter plot'});
    const exportEl = exportButtons(() => chartRef, 'scatter', () => [['run', xSel.value, ySel.value], ...runs.map(r => [r.label, get1(r, xSel.value), get1(r, ySel.value)])]);
    replace(sec, h('div', {class: 'section-head'}, h('h2', {id: 'h-scatter'}, 'Scatter'), label('X', xSel), label('Y', ySel), exportEl), box);
    if (!metrics.length) { replace(box, h('p', {class: 'muted'}, 'No metrics.')); return; }
    const {chart, dispose} = await mount(box);
    chartRef = chart;
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
        grid: {left: 20, right: 30, top: 36, bottom: 50, containLabel: true},
        xAxis: numeric ? {type: 'value', scale: true, name: xSel.value, nameLocation: 'middle', nameGap: 30} : {type: 'category', data: cats, name: xSel.value, nameLocation: 'middle', nameGap: 30},
        yAxis: {type: 'value', scale: true, name: ySel.value, nameLocation: 'end', nameTextStyle: {align: 'left'}, axisLabel: {formatter: v => fmtNum(v)}},
        tooltip: {trigger: 'item', formatter: p => `${runs[p.data.i].label}<br>${xSel.value}: ${p.data.value[0]}<br>${ySel.value}: ${fmtNum(p.data.value[1])}`},
        series: [{type: 'scatter', symbolSize: 12,
          data: runs.map((r, i) => ({i, value: [numeric ? num(xs[i]) : String(xs[i]), get1(r, ySel.value)], itemStyle: {color: r.color},
            symbol: r.best && ySel.value === 'metrics.' + pm ? 'diamond' : 'circle', symbolSize: r.best && ySel.value === 'metrics.' + pm ? 20 : 12}))
            .filter(d => d.value[0] !== null && d.value[0] !== 'null' && d.value[1] !== null)}],
      }, true);
    };
    xSel.addEventListener('change', draw);
    ySel.addEventListener('change', draw);
    draw();
  }

  async function drawBars(sec, runs, metrics, val, pm, primary) {
    const sel = select('Metric', metrics, pm || metrics[0]);
    let chartRef = null;
    const exportEl = exportButtons(() => chartRef, 'final-' + sel.value, () => [['run', sel.value], ...runs.map(r => [r.label, val(r, 'metrics', sel.value)])]);
    const box = h('div', {class: 'echart', role: 'img', 'aria-label': 'Bar chart of final metric values'});
    replace(sec, h('div', {class: 'section-head'}, h('h2', {id: 'h-bars'}, 'Final metrics'), label('Metric', sel), exportEl), box);
    if (!metrics.length) { replace(box, h('p', {class: 'muted'}, 'No metrics.')); return; }
    const {chart, dispose} = await mount(box);
    chartRef = chart;
    disposers.push(dispose);
    const draw = () => {
      const m = sel.value;
      const vals = runs.map(r => val(r, 'metrics', m));
      const best = bestIndex(vals, m === pm ? primary.goal : goalOf(m));
      box.dataset.metric = m;
      box.dataset.best = best >= 0 ? runs[best].info.run_id : '';
      chart.setOption({
        animation: false,
        grid: {left: 20, right: 30, top: 36, bottom: 20, containLabel: true},
        xAxis: {type: 'category', data: runs.map(r => r.label), axisLabel: {rotate: runs.length > 6 ? 30 : 0, interval: runs.length > 30 ? 'auto' : 0}},
        yAxis: {type: 'value', scale: false, name: m, nameLocation: 'end', nameTextStyle: {align: 'left'}, axisLabel: {formatter: v => fmtNum(v)}},
        tooltip: {trigger: 'item', formatter: p => `${p.name}<br>${m}: ${fmtNum(p.value)}${p.dataIndex === best ? ' (best)' : ''}`},
        series: [{type: 'bar', barMaxWidth: 48, data: vals.map((v, i) => ({value: v, itemStyle: {color: runs[i].color,
          borderColor: i === best ? '#111' : undefined, borderWidth: i === best ? 2 : 0}})),
          label: {show: runs.length <= 24, position: 'top', fontSize: runs.length > 12 ? 9 : 12,
            formatter: p => (p.dataIndex === best ? '★ ' : '') + fmtNum(p.value)}}],
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

/**
 * The runs with the given ids: one search over every experiment (run_id IN ...), 100 ids a
 * request, instead of a request per run; a map of id to run.
 */
async function loadRuns(ids) {
  const out = new Map();
  try {
    const exps = await post('mlflow/experiments/search', {max_results: 50000, view_type: 'ALL'});
    const expIds = (exps.experiments || []).map(e => e.experiment_id);
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const res = await post('mlflow/runs/search', {experiment_ids: expIds, run_view_type: 'ALL', max_results: chunk.length,
        filter: `attributes.run_id IN (${chunk.map(id => `'${id.replace(/'/g, '')}'`).join(', ')})`});
      for (const r of res.runs || []) out.set(r.info.run_id, r);
    }
    return out;
  } catch (e) {
    // a server without that search: one request per run
    const results = await Promise.allSettled(ids.map(id => get('mlflow/runs/get', {run_id: id})));
    results.forEach((r, i) => { if (r.status === 'fulfilled') out.set(ids[i], r.value.run); });
    return out;
  }
}

/** A menu that adds runs of any experiment (this one or others) to the comparison. */
function addRunsMenu(runs) {
  const have = new Set(runs.map(r => r.info.run_id));
  const expSel = h('select', {'aria-label': 'Experiment to add runs from'});
  const list = h('div', {class: 'menu-list add-runs'});
  const addBtn = h('button', {type: 'button', class: 'btn small primary', onclick: () => {
    const chosen = [...list.querySelectorAll('input:checked')].map(i => i.value);
    if (!chosen.length) return;
    const ids = [...have, ...chosen].slice(0, MAX_RUNS);
    navigate('/compare?runs=' + ids.join(','));
  }}, 'Add to comparison');
  const menu = h('details', {class: 'menu add-runs-menu'}, h('summary', {class: 'btn'}, 'Add runs…'),
    h('div', {class: 'menu-pop wide right'}, h('div', {class: 'menu-actions'}, expSel, addBtn), list));
  const loadRuns = async () => {
    replace(list, h('p', {class: 'muted small'}, 'Loading…'));
    try {
      const t = await post('labbook/runs/table', {experiment_id: expSel.value, run_view_type: 'ACTIVE_ONLY'});
      const rows = t.rows.filter(r => !have.has(r[0])).sort((a, b) => b[3] - a[3]);
      replace(list, rows.length ? rows.map(r => h('label', {class: 'check'}, h('input', {type: 'checkbox', value: r[0]}), ' ', r[1] || r[0]))
        : h('p', {class: 'muted small'}, 'No other runs in this experiment.'));
    } catch (err) { replace(list, errorBox(err)); }
  };
  expSel.addEventListener('change', loadRuns);
  menu.addEventListener('toggle', async () => {
    if (!menu.open || expSel.options.length) return;
    try {
      const res = await post('mlflow/experiments/search', {max_results: 1000, view_type: 'ACTIVE_ONLY'});
      replace(expSel, (res.experiments || []).map(e => h('option', {value: e.experiment_id}, e.name)));
      expSel.value = runs[0].info.experiment_id;
      await loadRuns();
    } catch (err) { replace(list, errorBox(err)); }
  });
  return menu;
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
