// "/runs/<id>": one run. Overview (details, description, params, metrics, tags, system
// information, datasets, logged models), a chart per metric, system metrics and the artifact browser.
// While the run is RUNNING, a Server-Sent Events stream appends new points and refreshes the page's facts.

import {get, post, tagMap, history as metricHistory} from '../api.js';
import {MetricChart, lazyLoader, chartControls} from '../components/chart.js';
import {chartSections} from '../components/sections.js';
import {primaryMetric, goalOf} from '../components/metrics.js';
import {artifactBrowser} from '../components/artifacts.js';
import {searchLoggedModels, loggedModelTable} from '../components/loggedmodels.js';
import {h, replace, num, fmtTime, fmtDuration, fmtNum, toast, errorBox, title, color, compareValues} from '../util.js';

const SYSTEM_PREFIX = 'system/';
const TABS = {overview: 'Overview', charts: 'Charts', system: 'System metrics', artifacts: 'Artifacts'};

export function render(root, {runId}) {
  const state = {run: null, experiment: null, tab: (location.hash || '#overview').slice(1), charts: new Map(), stream: null, stats: {}};
  if (!TABS[state.tab]) state.tab = 'overview';
  const head = h('div', {class: 'page-head'});
  const crumbs = h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '/'}, 'Experiments'));
  const tabList = h('div', {class: 'tabs', role: 'tablist', 'aria-label': 'Run sections'});
  const panels = {};
  for (const [id, label] of Object.entries(TABS)) {
    panels[id] = h('section', {class: 'panel', role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, hidden: true});
    tabList.append(h('button', {type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': `panel-${id}`, class: 'tab',
      onclick: () => selectTab(id), onkeydown: e => arrowKeys(e, id)}, label));
  }
  replace(root, crumbs, head, tabList, ...Object.values(panels));
  const loaders = {charts: lazyLoader(), system: lazyLoader()};
  const built = {};

  function selectTab(id, focus = false) {
    state.tab = id;
    history.replaceState(null, '', location.pathname + location.search + (id === 'overview' ? '' : '#' + id));
    for (const t of Object.keys(TABS)) {
      const btn = tabList.querySelector(`#tab-${t}`);
      btn.setAttribute('aria-selected', String(t === id));
      btn.tabIndex = t === id ? 0 : -1;
      panels[t].hidden = t !== id;
    }
    if (focus) tabList.querySelector(`#tab-${id}`).focus();
    if (state.run && !built[id]) build(id);
  }

  function arrowKeys(e, id) {
    const ids = Object.keys(TABS);
    const i = ids.indexOf(id);
    if (e.key === 'ArrowRight') selectTab(ids[(i + 1) % ids.length], true);
    else if (e.key === 'ArrowLeft') selectTab(ids[(i + ids.length - 1) % ids.length], true);
  }

  async function load() {
    try {
      const {run} = await get('mlflow/runs/get', {run_id: runId});
      state.run = run;
      try {
        state.experiment = (await get('mlflow/experiments/get', {experiment_id: run.info.experiment_id})).experiment;
      } catch (e) { state.experiment = null; }
      drawHead();
      // builds the tab in view only: the overview's metric summary samples every metric, which
      // would compete with the charts for the server when the page opens on them
      selectTab(state.tab);
      if (run.info.status === 'RUNNING') connect();
    } catch (err) {
      replace(root, crumbs, errorBox(err));
    }
  }

  function drawHead() {
    const {info} = state.run;
    const exp = state.experiment;
    replace(crumbs, h('a', {href: '/'}, 'Experiments'), ' / ',
      h('a', {href: `/experiments/${encodeURIComponent(info.experiment_id)}`}, exp ? exp.name : info.experiment_id), ' / ',
      h('span', null, info.run_name || info.run_id));
    title(info.run_name || info.run_id);
    const live = state.stream ? h('span', {class: 'live', title: 'Updating live'}, h('span', {class: 'dot', 'aria-hidden': 'true'}), 'Live') : null;
    replace(head, h('h1', null, info.run_name || info.run_id),
      h('span', {class: `badge ${info.status}`}, info.status),
      info.lifecycle_stage === 'deleted' ? h('span', {class: 'badge deleted'}, 'deleted') : null,
      live,
      h('span', {class: 'spacer'}),
      h('a', {class: 'btn', href: `/compare?runs=${encodeURIComponent(info.run_id)}`}, 'Compare…'));
  }

  function build(id) {
    built[id] = true;
    if (id === 'overview') drawOverview();
    else if (id === 'charts') drawCharts('charts', k => !k.startsWith(SYSTEM_PREFIX));
    else if (id === 'system') drawCharts('system', k => k.startsWith(SYSTEM_PREFIX));
    else if (id === 'artifacts') replace(panels.artifacts, artifactBrowser(state.run));
  }

  // ----- overview -----

  function drawOverview() {
    const run = state.run;
    const tags = tagMap(run);
    const info = run.info;
    const duration = (info.end_time || (info.status === 'RUNNING' ? Date.now() : null)) - info.start_time;
    const details = dl([
      ['Run ID', h('code', null, info.run_id)],
      ['Experiment', h('a', {href: `/experiments/${encodeURIComponent(info.experiment_id)}`}, state.experiment ? state.experiment.name : info.experiment_id)],
      ['Status', h('span', {class: `badge ${info.status}`}, info.status)],
      ['User', info.user_id || tags['mlflow.user']],
      ['Started', fmtTime(info.start_time)],
      ['Ended', info.end_time ? fmtTime(info.end_time) : '—'],
      ['Duration', fmtDuration(duration)],
      ['Source', tags['mlflow.source.name'] ? h('code', null, tags['mlflow.source.name']) : null],
      ['Git commit', tags['mlflow.source.git.commit'] ? h('code', {class: 'commit'}, tags['mlflow.source.git.commit']) : null],
      ['Git branch', tags['mlflow.source.git.branch']],
      ['Repository', tags['mlflow.source.git.repoURL']],
      ['Command line', commandLine(tags) ? h('pre', {class: 'cmd'}, commandLine(tags)) : null],
      ['Sweep', tags['labbook.sweep.id'] ? h('a', {href: `/sweeps/${encodeURIComponent(tags['labbook.sweep.id'])}`, 'data-sweep-link': ''},
        tags['labbook.sweep.id'] + (tags['labbook.sweep.trial'] ? ` (trial ${tags['labbook.sweep.trial']})` : '')) : null],
      ['Artifact URI', h('code', {class: 'small'}, info.artifact_uri)],
    ]);
    replace(panels.overview, h('div', {class: 'overview'},
      h('div', {class: 'col'},
        card('Details', details),
        card('Description', description(tags['mlflow.note.content'] || '')),
        card('Tags', tagEditor(run)),
        card('System information', systemInfo(run)),
        card('Datasets', datasets(run)),
        card('Logged models', loggedModels(run))),
      h('div', {class: 'col'},
        card(`Parameters (${run.data.params.length})`, keyValueTable(run.data.params, 'Parameters')),
        card(`Metrics (${run.data.metrics.length})`, metricSummary(run)))));
  }

  function description(text) {
    const view = h('div', {class: 'description'}, text ? text : h('span', {class: 'muted'}, 'No description.'));
    const edit = h('button', {type: 'button', class: 'btn small', onclick: () => {
      const area = h('textarea', {rows: 5, 'aria-label': 'Run description'}, text);
      replace(box, h('form', {class: 'stack', onsubmit: async e => {
        e.preventDefault();
        try {
          await post('mlflow/runs/set-tag', {run_id: runId, key: 'mlflow.note.content', value: area.value});
          await refresh();
          toast('Description saved');
        } catch (err) { toast(err.message, 'error'); }
      }}, area, h('div', {class: 'actions'},
        h('button', {type: 'button', class: 'btn', onclick: () => drawOverview()}, 'Cancel'),
        h('button', {type: 'submit', class: 'btn primary'}, 'Save'))));
      area.focus();
    }}, 'Edit description');
    const box = h('div', null, view, edit);
    return box;
  }

  function tagEditor(run) {
    const tags = run.data.tags.filter(t => !isSystemTag(t.key)).sort((a, b) => a.key.localeCompare(b.key));
    const key = h('input', {type: 'text', placeholder: 'key', 'aria-label': 'New tag key', required: true});
    const value = h('input', {type: 'text', placeholder: 'value', 'aria-label': 'New tag value'});
    const rows = tags.map(t => h('tr', null, h('th', {scope: 'row'}, t.key), h('td', null, t.value),
      h('td', {class: 'actions'}, h('button', {type: 'button', class: 'btn small danger-text', 'aria-label': `Delete tag ${t.key}`, onclick: async () => {
        try { await post('mlflow/runs/delete-tag', {run_id: runId, key: t.key}); await refresh(); toast('Tag deleted'); } catch (err) { toast(err.message, 'error'); }
      }}, 'Delete'))));
    return h('div', null,
      tags.length ? h('table', {class: 'kv', 'aria-label': 'Tags'}, h('tbody', null, rows)) : h('p', {class: 'muted'}, 'No tags.'),
      h('form', {class: 'inline-form', onsubmit: async e => {
        e.preventDefault();
        try {
          await post('mlflow/runs/set-tag', {run_id: runId, key: key.value.trim(), value: value.value});
          await refresh();
          toast('Tag saved');
        } catch (err) { toast(err.message, 'error'); }
      }}, key, value, h('button', {type: 'submit', class: 'btn small'}, 'Set tag')));
  }

  function systemInfo(run) {
    const tags = run.data.tags.filter(t => isSystemTag(t.key) && t.key !== 'mlflow.note.content' && t.key !== 'mlflow.runName')
      .sort((a, b) => a.key.localeCompare(b.key));
    if (!tags.length) return h('p', {class: 'muted'}, 'No system information was logged.');
    return h('table', {class: 'kv', 'aria-label': 'System information'},
      h('tbody', null, tags.map(t => h('tr', null, h('th', {scope: 'row'}, t.key), h('td', null, h('code', {class: 'wrap'}, t.value))))));
  }

  /**
   * The logged models this run produced or logged as outputs (MLflow 3), loaded after the page;
   * the overview redraws on every live update, so the answer is kept until the outputs change.
   */
  function loggedModels(run) {
    const box = h('div', null, h('p', {class: 'muted'}, 'Loading…'));
    const outputs = ((run.outputs && run.outputs.model_outputs) || []).map(o => o.model_id);
    const key = outputs.join(',');
    if (!state.models || state.models.key !== key) {
      state.models = {key, load: searchLoggedModels([run.info.experiment_id], `source_run_id = '${run.info.run_id}'`).catch(() => [])};
    }
    state.models.load.then(async found => {
      const models = [...found];
      const known = new Set(models.map(m => m.info.model_id));
      for (const id of outputs.filter(x => !known.has(x))) {
        const m = await get(`mlflow/logged-models/${encodeURIComponent(id)}`).then(r => r.model).catch(() => null);
        if (m) { models.push(m); known.add(id); }
      }
      replace(box, models.length ? loggedModelTable(models, {showRun: false, label: 'Logged models of this run'})
        : h('p', {class: 'muted'}, 'No logged models.'));
    });
    return box;
  }

  function datasets(run) {
    const inputs = (run.inputs && run.inputs.dataset_inputs) || [];
    if (!inputs.length) return h('p', {class: 'muted'}, 'No dataset inputs were logged.');
    return h('table', {class: 'grid compact', 'aria-label': 'Datasets'},
      h('thead', null, h('tr', null, ['Name', 'Context', 'Digest', 'Source'].map(c => h('th', {scope: 'col'}, c)))),
      h('tbody', null, inputs.map(i => {
        const ctx = (i.tags || []).find(t => t.key === 'mlflow.data.context');
        const d = i.dataset;
        return h('tr', null, h('td', null, d.name), h('td', null, ctx ? ctx.value : ''), h('td', null, h('code', null, d.digest)),
          h('td', null, h('details', null, h('summary', null, d.source_type || 'source'),
            h('pre', {class: 'wrap small'}, pretty(d.source)), d.schema ? h('pre', {class: 'wrap small'}, pretty(d.schema)) : null,
            d.profile ? h('pre', {class: 'wrap small'}, pretty(d.profile)) : null)));
      })));
  }

  function keyValueTable(items, label) {
    if (!items.length) return h('p', {class: 'muted'}, `No ${label.toLowerCase()}.`);
    const sorted = [...items].sort((a, b) => a.key.localeCompare(b.key));
    const tbody = h('tbody');
    const find = h('input', {type: 'search', placeholder: `Filter ${label.toLowerCase()}`, 'aria-label': `Filter ${label.toLowerCase()}`,
      oninput: () => draw(find.value.trim().toLowerCase())});
    const draw = q => replace(tbody, sorted.filter(p => !q || p.key.toLowerCase().includes(q) || String(p.value).toLowerCase().includes(q))
      .map(p => h('tr', null, h('th', {scope: 'row'}, p.key), h('td', null, p.value))));
    draw('');
    return h('div', null, sorted.length > 8 ? find : null, h('table', {class: 'kv', 'aria-label': label}, tbody));
  }

  function metricSummary(run) {
    const metrics = [...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key));
    if (!metrics.length) return h('p', {class: 'muted'}, 'No metrics.');
    const rows = metrics.map(m => {
      const s = state.stats[m.key];
      return h('tr', {dataset: {metric: m.key}}, h('th', {scope: 'row'}, m.key), h('td', {class: 'num', title: String(m.value)}, fmtNum(m.value)),
        h('td', {class: 'num muted'}, s ? fmtNum(s.min) : '…'), h('td', {class: 'num muted'}, s ? fmtNum(s.max) : '…'),
        h('td', {class: 'num muted'}, String(m.step)));
    });
    if (metrics.some(m => !state.stats[m.key])) loadStats(metrics.map(m => m.key));
    return h('table', {class: 'grid compact', 'aria-label': 'Metric summary'},
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Metric'), h('th', {scope: 'col', class: 'num'}, 'Latest'),
        h('th', {scope: 'col', class: 'num'}, 'Min'), h('th', {scope: 'col', class: 'num'}, 'Max'), h('th', {scope: 'col', class: 'num'}, 'Step'))),
      h('tbody', null, rows));
  }

  // Min and max come from the sampled history, which keeps every bucket's extremes: exact.
  async function loadStats(keys) {
    if (state.statsLoading) return;
    state.statsLoading = true;
    const todo = keys.filter(k => !state.stats[k]).slice(0, 200);
    for (let i = 0; i < todo.length; i += 4) {
      await Promise.all(todo.slice(i, i + 4).map(async k => {
        try {
          const res = await metricHistory([runId], k, {maxResults: 320});
          let min = Infinity, max = -Infinity;
          for (const p of res[runId] || []) { const v = num(p.value); if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); } }
          state.stats[k] = {min: min === Infinity ? null : min, max: max === -Infinity ? null : max};
        } catch (e) { state.stats[k] = {min: null, max: null}; }
      }));
    }
    state.statsLoading = false;
    fillStats();
  }

  function fillStats() {
    for (const tr of panels.overview.querySelectorAll('tr[data-metric]')) {
      const st = state.stats[tr.dataset.metric];
      if (!st) continue;
      tr.cells[2].textContent = fmtNum(st.min);
      tr.cells[3].textContent = fmtNum(st.max);
    }
  }

  async function refresh() {
    const {run} = await get('mlflow/runs/get', {run_id: runId});
    state.run = run;
    drawHead();
    if (state.tab === 'overview') drawOverview();
    else built.overview = false;
  }

  // ----- charts -----

  // Charts in sections (primary and pinned first, then train_*, val_*, test_*, the rest); a
  // metric of one point shows as a value card.
  function drawCharts(tab, accept) {
    const keys = state.run.data.metrics.map(m => m.key).filter(accept).sort(compareValues);
    const primary = primaryMetric(state.experiment, state.run.data.metrics.map(m => m.key));
    const controls = chartControls((s, what) => {
      if (what === 'filter') grid.filter(s.query);
      else for (const c of state.charts.values()) if (c.tab === tab) c.setOptions({xMode: s.xMode, log: s.log, smoothing: s.smoothing});
    });
    // the pins live in the address too, so a shared link shows the same charts first
    const query = new URLSearchParams(location.search);
    const grid = chartSections({keys: [], primary: primary && accept(primary.key) ? primary : null, experimentId: state.run.info.experiment_id,
      initialPins: query.has('pins') ? query.get('pins').split(',').filter(Boolean) : null,
      onPins: pinned => {
        const q = new URLSearchParams(location.search);
        if (pinned.length) q.set('pins', pinned.join(',')); else q.delete('pins');
        const search = q.toString().replace(/%2C/g, ',');
        history.replaceState(null, '', location.pathname + (search ? '?' + search : '') + location.hash);
      },
      make: key => makeChart(tab, key, controls.state, primary), observe: c => loaders[tab].observe(c)});
    const empty = h('p', {class: 'muted'}, tab === 'system' ? 'No system metrics (metrics named system/…) were logged.' : 'No metrics were logged.');
    replace(panels[tab], controls.el, keys.length ? grid.el : empty);
    panels[tab].__grid = grid;
    panels[tab].__controls = controls;
    for (const k of keys) grid.add(k);
  }

  function makeChart(tab, key, s, primary) {
    const run = state.run;
    const chart = new MetricChart({key, runs: [{id: runId, name: run.info.run_name, color: color(0), start: Number(run.info.start_time)}],
      xMode: s.xMode, log: s.log, smoothing: s.smoothing, goal: primary && primary.key === key ? primary.goal : goalOf(key)});
    chart.tab = tab;
    state.charts.set(key, chart);
    return chart;
  }

  function addChart(tab, key) {
    const panel = panels[tab];
    if (!panel.__grid) return;
    if (!panel.__grid.el.isConnected) replace(panel, panel.__controls.el, panel.__grid.el);
    panel.__grid.add(key);
  }

  // ----- live updates -----

  function connect() {
    const es = new EventSource(`/api/2.0/labbook/runs/stream?run_id=${encodeURIComponent(runId)}`);
    state.stream = es;
    drawHead();
    es.addEventListener('points', e => {
      const points = JSON.parse(e.data);
      for (const [key, rows] of Object.entries(points)) {
        const c = state.charts.get(key);
        if (c) c.append(runId, rows);
        else {
          const tab = key.startsWith(SYSTEM_PREFIX) ? 'system' : 'charts';
          if (built[tab]) addChart(tab, key);
        }
        const st = state.stats[key];
        if (st) {
          for (const [, , v] of rows) {
            const x = num(v);
            if (Number.isFinite(x)) { st.min = st.min === null ? x : Math.min(st.min, x); st.max = st.max === null ? x : Math.max(st.max, x); }
          }
        }
      }
    });
    es.addEventListener('reset', e => {
      for (const key of JSON.parse(e.data).keys) { const c = state.charts.get(key); if (c) c.load(); }
    });
    es.addEventListener('run', e => {
      const {run} = JSON.parse(e.data);
      const changed = run.info.status !== state.run.info.status || run.info.run_name !== state.run.info.run_name;
      state.run = run;
      if (changed) drawHead();
      if (state.tab === 'overview' && !panels.overview.querySelector(':focus')) drawOverview();
      else built.overview = false;
    });
    es.addEventListener('end', () => { disconnect(); refresh().catch(() => {}); });
    es.addEventListener('failure', () => disconnect());
  }

  function disconnect() {
    if (state.stream) {
      state.stream.close();
      state.stream = null;
      if (state.run) drawHead();
    }
  }

  load();
  return () => {
    disconnect();
    loaders.charts.disconnect();
    loaders.system.disconnect();
    for (const c of state.charts.values()) c.destroy();
  };
}

function isSystemTag(key) {
  return key.startsWith('mlflow.') || key.startsWith('labbook.');
}

function commandLine(tags) {
  return tags['labbook.command'] || tags['labbook.command_line'] || tags['mlflow.source.commandLine'] || '';
}

function card(title, body) {
  return h('section', {class: 'card'}, h('h2', null, title), body);
}

function dl(entries) {
  return h('dl', {class: 'facts'}, entries.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

function pretty(text) {
  if (!text) return '';
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
}
