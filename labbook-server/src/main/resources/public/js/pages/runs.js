// "/experiments/<id>": the runs table. All matching runs arrive in one compact request (a first
// screen of them in a parallel, smaller one); sorting, grouping and column choice happen in the
// browser, and the table is virtually scrolled, so 10,000 runs stay fast. The search box takes
// MLflow's filter grammar and is evaluated by the server. While the page is open, it asks every
// few seconds for the runs changed since its last answer and merges them in. The experiment's
// primary metric (its tag, editable here, else a guess from the names) is the default sort, the
// first metric column and pinned beside the run name, and its best run is starred; metrics come
// before params, in column groups, and the view exports as CSV.

import {get, post} from '../api.js';
import {permission, reason} from '../auth.js';
import {shareButton} from '../components/share.js';
import {navigate} from '../app.js';
import {VirtualTable, esc} from '../components/vtable.js';
import {mergeChanges} from '../components/runtable.js';
import {experimentNav} from '../components/expnav.js';
import {viewsMenu} from '../components/views.js';
import {primaryMetric, savePrimary, bestIndex} from '../components/metrics.js';
import {h, replace, num, fmtTime, fmtDuration, fmtNum, compareValues, toast, confirmDialog, errorBox, title, download, toCsv, fileName} from '../util.js';
import {sweepLinks} from '../components/sweeplinks.js';

const A = {id: 0, name: 1, status: 2, start: 3, end: 4, user: 5, stage: 6};
const MAX_COMPARE = 100;
const FIRST_SCREEN = 200;
const REFRESH_MS = 3000;

export function render(root, {experimentId}, query) {
  const state = {
    data: null, rows: [], selected: new Set(), collapsed: new Set(),
    filter: query.get('filter') || '', view: query.get('view') || 'ACTIVE_ONLY',
    sort: parseSort(query.get('sort')), group: query.get('group') || '',
    experiment: null, primary: null, best: null,
    // extra metric columns: [{key, agg: 'min'|'max'|'step', step}], their values by column id
    extra: parseExtra(query.get('agg')), extraValues: new Map(),
    pinned: query.has('pin') ? query.get('pin').split(',').filter(Boolean) : JSON.parse(localStorage.getItem(`labbook.pinnedcols.${experimentId}`) || 'null'),
    // the address (a shared link, a saved view) wins over this browser's own choice
    hidden: new Set(query.has('hide') ? query.get('hide').split(',').filter(Boolean) : JSON.parse(localStorage.getItem(`labbook.hidden.${experimentId}`) || '[]')),
    loading: 0, refreshing: false,
  };
  const heading = h('h1', null, 'Runs');
  const count = h('span', {class: 'muted count', 'aria-live': 'polite'});
  const filterInput = h('input', {type: 'search', class: 'filter', value: state.filter, spellcheck: false,
    placeholder: 'Filter runs: metrics.accuracy > 0.9 AND params.lr = "0.01"', 'aria-label': 'Filter runs (MLflow search syntax)',
    'aria-describedby': 'filter-error'});
  const filterError = h('div', {id: 'filter-error', class: 'filter-error', role: 'alert'});
  const searchForm = h('form', {class: 'search', role: 'search', onsubmit: e => { e.preventDefault(); state.filter = filterInput.value.trim(); syncUrl(); load(); }},
    filterInput, h('button', {type: 'submit', class: 'btn'}, 'Search'));
  const viewSelect = h('select', {'aria-label': 'Which runs', onchange: () => { state.view = viewSelect.value; state.selected.clear(); syncUrl(); load(); }},
    h('option', {value: 'ACTIVE_ONLY'}, 'Active runs'), h('option', {value: 'DELETED_ONLY'}, 'Deleted runs'), h('option', {value: 'ALL'}, 'All runs'));
  viewSelect.value = state.view;
  const groupSelect = h('select', {'aria-label': 'Group by param', onchange: () => { state.group = groupSelect.value; state.collapsed.clear(); syncUrl(); arrange(); }});
  const columnsMenu = h('details', {class: 'menu'});
  const primaryBox = h('span', {class: 'primary-editor'});
  const csvBtn = h('button', {type: 'button', class: 'btn', title: 'Download the rows and columns in view as CSV', onclick: exportCsv}, 'CSV');
  const compareBtn = h('button', {type: 'button', class: 'btn primary', disabled: true, onclick: compare}, 'Compare');
  const chartBtn = h('button', {type: 'button', class: 'btn', title: 'Overlay a metric of the selected runs (or of every run of the filter)',
    onclick: () => {
      const q = new URLSearchParams();
      if (state.filter) q.set('filter', state.filter);
      if (state.selected.size) q.set('runs', [...state.selected].join(','));
      if (state.primary && !state.primary.absent) q.set('metric', state.primary.key);
      if (state.group) q.set('group', state.group);
      navigate(`/experiments/${encodeURIComponent(experimentId)}/charts?${q}`);
    }}, 'Chart');
  const deleteBtn = h('button', {type: 'button', class: 'btn', disabled: true, onclick: () => lifecycle('delete')}, 'Delete');
  const restoreBtn = h('button', {type: 'button', class: 'btn', disabled: true, onclick: () => lifecycle('restore')}, 'Restore');
  const table = new VirtualTable({
    label: 'Runs', rowHeight: 30,
    onSort: col => {
      state.sortSet = true;
      state.sort = state.sort.col === col ? {col, dir: -state.sort.dir} : {col, dir: col === 'name' || col.startsWith('p:') || col.startsWith('t:') ? 1 : -1};
      syncUrl();
      arrange();
    },
    isGroup: item => item.group !== undefined,
    renderGroup: g => `<button type="button" class="group-toggle" data-group="${esc(g.group)}" aria-expanded="${!state.collapsed.has(g.group)}">`
      + `<span aria-hidden="true">${state.collapsed.has(g.group) ? '▸' : '▾'}</span> ${esc(state.group)} = <b>${g.group === '' ? '<i>(none)</i>' : esc(g.group)}</b></button>`
      + ` <span class="muted">${g.count} run${g.count === 1 ? '' : 's'}</span>`,
    rowClass: r => (state.selected.has(r[A.id]) ? 'selected' : '') + (r[A.stage] === 'deleted' ? ' deleted' : '') + (r === state.best ? ' best' : ''),
  });
  table.el.addEventListener('change', e => {
    if (!e.target.matches('input.select')) return;
    const r = table.itemOf(e.target);
    if (!r) return;
    if (e.target.checked) state.selected.add(r[A.id]); else state.selected.delete(r[A.id]);
    e.target.closest('tr').classList.toggle('selected', e.target.checked);
    selectionChanged();
  });
  table.el.addEventListener('click', e => {
    const g = e.target.closest('button.group-toggle');
    if (!g) return;
    const key = g.dataset.group;
    if (state.collapsed.has(key)) state.collapsed.delete(key); else state.collapsed.add(key);
    arrange();
  });
  const body = h('div', {class: 'runs-body'}, table.el);
  // with access control on: Share for those who manage the experiment; deleting runs needs MANAGE
  const shareSlot = h('span', {class: 'share-slot'});
  state.perm = null;
  permission({experiment_id: experimentId}).then(perm => {
    state.perm = perm;
    if (perm.can_manage && !perm.auth_off) shareSlot.append(shareButton('experiment', experimentId, 'this experiment'));
    selectionChanged();
  }).catch(() => { /* the page shows what fails to load */ });
  replace(root,
    h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '/'}, 'Experiments'), ' / ', h('span', {class: 'exp-name'}, experimentId)),
    h('div', {class: 'page-head'}, heading, count, h('span', {class: 'spacer'}), shareSlot),
    experimentNav(experimentId, 'runs'),
    sweepLinks(experimentId),
    h('div', {class: 'toolbar'}, searchForm, viewSelect, h('label', {class: 'inline'}, 'Group by ', groupSelect), columnsMenu,
      h('span', {class: 'spacer'}), chartBtn, compareBtn, deleteBtn, restoreBtn),
    h('div', {class: 'toolbar'}, primaryBox, h('span', {class: 'spacer'}), csvBtn, viewsMenu(experimentId)),
    filterError, body);

  // the table waits for the experiment (its primary metric decides the default sort)
  const experimentReady = get('mlflow/experiments/get', {experiment_id: experimentId}).then(r => {
    state.experiment = r.experiment;
    heading.textContent = r.experiment.name;
    root.querySelector('.exp-name').textContent = r.experiment.name;
    title(r.experiment.name);
  }).catch(err => replace(body, errorBox(err)));

  /** The primary metric for the table's metric keys, and the default sort it implies. */
  function choosePrimary() {
    state.primary = state.data ? primaryMetric(state.experiment, state.data.metrics) : null;
    if (state.primary && !state.data.metrics.includes(state.primary.key)) state.primary = Object.assign({absent: true}, state.primary);
  }

  function defaultSort() {
    const p = state.primary;
    return p && !p.absent ? {col: 'm:' + p.key, dir: p.goal === 'minimize' ? 1 : -1} : {col: 'start', dir: -1};
  }

  function drawPrimary() {
    if (!state.data) return;
    const p = state.primary;
    const metricSel = h('select', {'aria-label': 'Primary metric'}, h('option', {value: ''}, '(none)'),
      state.data.metrics.map(k => h('option', {value: k}, k)));
    metricSel.value = p && !p.absent ? p.key : '';
    const goalSel = h('select', {'aria-label': 'Primary goal'}, h('option', {value: 'maximize'}, 'maximize'), h('option', {value: 'minimize'}, 'minimize'));
    goalSel.value = p ? p.goal : 'maximize';
    const save = async () => {
      if (!metricSel.value) return;
      try {
        await savePrimary(experimentId, metricSel.value, goalSel.value);
        const r = await get('mlflow/experiments/get', {experiment_id: experimentId});
        state.experiment = r.experiment;
        const wasDefault = !state.sortSet;
        choosePrimary();
        if (wasDefault) state.sort = defaultSort();
        buildColumns();
        arrange();
        drawPrimary();
        toast(`Primary metric: ${metricSel.value} (${goalSel.value})`);
      } catch (err) { toast(err.message, 'error'); }
    };
    metricSel.addEventListener('change', () => {
      if (!metricSel.value) return;
      const g = /loss|error|mse|mae|rmse|perplexity/i.test(metricSel.value) ? 'minimize' : 'maximize';
      goalSel.value = g;
      save();
    });
    goalSel.addEventListener('change', save);
    replace(primaryBox, h('label', {class: 'inline'}, 'Primary metric ', metricSel), goalSel,
      p && !p.absent ? h('span', {class: 'muted small'}, p.explicit ? '' : 'guessed from the names; choose one to save it on the experiment') : null,
      state.best ? h('span', {class: 'muted small best-run'}, '★ best: ', h('a', {href: `/runs/${state.best[A.id]}`}, state.best[A.name] || state.best[A.id])) : null);
  }

  function syncUrl() {
    if (!root.isConnected) return;  // the person went to another page meanwhile
    const q = new URLSearchParams();
    if (state.filter) q.set('filter', state.filter);
    if (state.view !== 'ACTIVE_ONLY') q.set('view', state.view);
    const d = defaultSort();
    if (state.sortSet && (state.sort.col !== d.col || state.sort.dir !== d.dir)) q.set('sort', `${state.sort.col}:${state.sort.dir > 0 ? 'asc' : 'desc'}`);
    if (state.group) q.set('group', state.group);
    if (state.hidden.size) q.set('hide', [...state.hidden].join(','));
    if (state.pinned) q.set('pin', state.pinned.join(','));
    if (state.extra.length) q.set('agg', state.extra.map(extraId).join(','));
    const s = q.toString();
    history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
  }

  // The server's order for the first screen, when it sorts the same way the table does.
  function serverOrder() {
    if (!state.sort) return null;
    const {col, dir} = state.sort;
    const attr = {start: 'attributes.start_time', name: 'attributes.run_name', status: 'attributes.status', user: 'attributes.user_id'}[col];
    const key = attr || (col.startsWith('m:') ? 'metrics.`' + col.slice(2) + '`' : null);
    return key ? [`${key} ${dir > 0 ? 'ASC' : 'DESC'}`] : null;
  }

  async function load({quiet = false} = {}) {
    const gen = ++state.loading;
    if (window.__labbook) window.__labbook.tableLoads = (window.__labbook.tableLoads || 0) + 1;
    if (!quiet) count.textContent = 'Loading…';
    const request = {experiment_id: experimentId, filter: state.filter, run_view_type: state.view};
    try {
      // Every run in one request; meanwhile, the first screen in the table's order in a small one.
      const full = post('labbook/runs/table', request);
      let fullShown = false;
      const order = serverOrder();
      if (!quiet && order && !state.group) {
        post('labbook/runs/table', Object.assign({max_results: FIRST_SCREEN, order_by: order}, request)).then(first => {
          experimentReady.then(() => { if (gen === state.loading && !fullShown && first.truncated) show(first, true); });
        }, () => { /* the full answer reports errors */ });
      }
      const data = await full;
      await experimentReady;
      if (gen !== state.loading) return;
      fullShown = true;
      show(data, false);
    } catch (err) {
      if (gen !== state.loading) return;
      replace(body, errorBox(err));
    }
  }

  /** Merges the runs changed since the table was read; a new load supersedes it. */
  async function refresh() {
    if (!state.data || state.partial || state.data.change_seq === undefined) return;
    if (state.refreshing) { state.refreshAgain = true; return; }
    const gen = state.loading;
    state.refreshing = true;
    try {
      const changes = await post('labbook/runs/table', {experiment_id: experimentId, filter: state.filter,
        run_view_type: state.view, since_seq: state.data.change_seq});
      if (gen !== state.loading || changes.filter_error) return;
      const merged = mergeChanges(state.data, changes);
      if (merged.columns) buildColumns();
      if (merged.columns || merged.rows) arrange();
    } catch (e) {
      /* the next refresh will tell */
    } finally {
      state.refreshing = false;
      if (state.refreshAgain) {
        state.refreshAgain = false;
        refresh();
      }
    }
  }

  /** Shows a table response; false when it was a filter error. */
  function show(data, partial) {
    if (data.filter_error) {
      filterError.textContent = data.filter_error;
      filterInput.setAttribute('aria-invalid', 'true');
      count.textContent = '';
      if (state.data) arrange();
      return false;
    }
    filterError.textContent = '';
    filterInput.removeAttribute('aria-invalid');
    state.data = data;
    state.partial = partial && data.truncated;
    choosePrimary();
    if (!state.sortSet) {
      if (state.sort) state.sortSet = true;
      else state.sort = defaultSort();
    }
    buildColumns();
    arrange();
    syncUrl();
    const mark = partial ? 'runsReadyMs' : 'runsFullMs';
    if (window.__labbook && window.__labbook[mark] === undefined) {
      requestAnimationFrame(() => {
        window.__labbook[mark] = performance.now();
        if (window.__labbook.runsReadyMs === undefined) window.__labbook.runsReadyMs = window.__labbook[mark];
        if (!partial) document.body.dataset.runsReady = String(data.rows.length);
      });
    }
    return true;
  }

  function buildColumns() {
    const d = state.data;
    const base = A.stage + 2;
    const pIdx = k => base + d.params.indexOf(k);
    const now = Date.now();
    const pk = state.primary && !state.primary.absent ? state.primary.key : null;
    const cols = [
      {id: 'select', label: 'Select', width: 36, sortable: false, className: 'center', group: 'Run',
        header: () => h('input', {type: 'checkbox', class: 'select-all', 'aria-label': 'Select all runs', onchange: e => selectAll(e.target.checked)}),
        html: r => `<input type="checkbox" class="select" aria-label="Select run ${esc(r[A.name])}"${state.selected.has(r[A.id]) ? ' checked' : ''}>`},
      {id: 'name', label: 'Run name', width: 210, value: r => r[A.name], group: 'Run',
        html: r => `<a href="/runs/${esc(r[A.id])}" title="${esc(r[A.name])}">${esc(r[A.name] || r[A.id])}</a>${r === state.best ? '<span class="best-star" title="Best by the primary metric">★</span>' : ''}`},
      {id: 'status', label: 'Status', width: 96, value: r => r[A.status], group: 'Run', html: r => `<span class="badge ${esc(r[A.status])}">${esc(r[A.status])}</span>`},
      {id: 'start', label: 'Started', width: 162, value: r => r[A.start], group: 'Run', html: r => esc(fmtTime(r[A.start])), csv: r => fmtTime(r[A.start])},
      {id: 'duration', label: 'Duration', width: 96, className: 'num', value: r => duration(r, now), group: 'Run', html: r => esc(fmtDuration(duration(r, now)))},
      {id: 'user', label: 'User', width: 100, value: r => r[A.user], group: 'Run', html: r => esc(r[A.user])},
    ];
    // metrics before params, the primary metric first
    const metricKeys = pk ? [pk, ...d.metrics.filter(k => k !== pk)] : d.metrics;
    for (const k of metricKeys) {
      const idx = base + d.params.length + d.metrics.indexOf(k);
      cols.push({id: 'm:' + k, kind: 'metric', label: k, width: k === pk ? 140 : 110, className: 'num', value: r => r[idx], group: 'Metrics', primary: k === pk,
        html: r => { const v = r[idx]; return v === null || v === undefined ? '' : `<span title="${esc(v)}">${esc(fmtNum(v))}</span>`; }});
    }
    // min, max or value-at-step columns, each after its metric's latest value
    for (const x of state.extra) {
      const id = 'a:' + extraId(x);
      const values = state.extraValues.get(id);
      const col = {id, kind: x.agg === 'step' ? `@${x.step}` : x.agg, label: x.key, title: `${x.key} (${x.agg === 'step' ? 'at step ' + x.step : x.agg})`,
        width: 110, className: 'num', group: 'Metrics', value: r => (values ? num(values[r[A.id]]) : null),
        html: r => { const v = values ? values[r[A.id]] : undefined; return v === null || v === undefined ? (values ? '' : '…') : `<span title="${esc(v)}">${esc(fmtNum(v))}</span>`; }};
      const at = cols.findIndex(c => c.id === 'm:' + x.key);
      if (at >= 0) cols.splice(at + 1 + state.extra.filter(y => y !== x && y.key === x.key && state.extra.indexOf(y) < state.extra.indexOf(x)).length, 0, col);
      else cols.push(col);
      if (!values) loadExtra(x);
    }
    d.params.forEach((k, i) => {
      const idx = base + i;
      cols.push({id: 'p:' + k, kind: 'param', label: k, width: 120, value: r => r[idx], group: 'Params', html: r => esc(r[idx])});
    });
    d.tags.forEach((k, i) => {
      const idx = base + d.params.length + d.metrics.length + i;
      cols.push({id: 't:' + k, kind: 'tag', label: k, width: 120, value: r => r[idx], group: 'Tags', html: r => esc(r[idx])});
    });
    // pinned columns stay at the left while scrolling: the run name and the primary metric unless chosen otherwise
    const pinned = new Set(state.pinned || ['name', ...(pk ? ['m:' + pk] : [])]);
    for (const c of cols) c.sticky = c.id === 'select' || pinned.has(c.id);
    const stuck = cols.filter(c => c.sticky).map(c => Object.assign(c, {group: 'Pinned'}));
    state.allColumns = [...stuck, ...cols.filter(c => !c.sticky)];
    state.paramIndex = pIdx;
    drawGroupSelect();
    drawColumnsMenu();
  }

  async function loadExtra(x) {
    const id = 'a:' + extraId(x);
    if (state.extraLoading && state.extraLoading.has(id)) return;
    (state.extraLoading || (state.extraLoading = new Set())).add(id);
    try {
      const res = await post('labbook/runs/metric-values', {experiment_id: experimentId, metric_key: x.key, aggregate: x.agg, step: x.agg === 'step' ? x.step : undefined});
      state.extraValues.set(id, res.values || {});
      buildColumns();
      arrange();
    } catch (err) {
      toast(err.message, 'error');
    } finally {
      state.extraLoading.delete(id);
    }
  }

  function addExtra(x) {
    if (state.extra.some(y => extraId(y) === extraId(x))) return;
    state.extra.push(x);
    syncUrl();
    buildColumns();
    arrange();
  }

  function removeExtra(id) {
    state.extra = state.extra.filter(x => 'a:' + extraId(x) !== id);
    state.extraValues.delete(id);
    syncUrl();
    buildColumns();
    arrange();
  }

  function togglePin(id) {
    const current = state.allColumns.filter(c => c.sticky && c.id !== 'select').map(c => c.id);
    state.pinned = current.includes(id) ? current.filter(x => x !== id) : [...current, id];
    localStorage.setItem(`labbook.pinnedcols.${experimentId}`, JSON.stringify(state.pinned));
    syncUrl();
    buildColumns();
    arrange();
  }

  /** The rows and columns in view, in their order, as CSV (raw values, not the rounded ones). */
  function exportCsv() {
    const cols = visibleColumns().filter(c => c.value);
    const rows = [['run_id', ...cols.map(c => (c.kind ? `${c.kind}s.${c.label}` : c.label))]];
    for (const r of state.rows) if (r.group === undefined) rows.push([r[A.id], ...cols.map(c => (c.csv ? c.csv(r) : c.value(r)))]);
    download(fileName(state.experiment ? state.experiment.name : experimentId, 'runs') + '.csv', new Blob([toCsv(rows)], {type: 'text/csv'}));
  }

  function duration(r, now) {
    const end = r[A.end] || (r[A.status] === 'RUNNING' ? now : null);
    return end ? end - r[A.start] : null;
  }

  function visibleColumns() {
    return state.allColumns.filter(c => c.sticky || !state.hidden.has(c.id) || c.id === 'name');
  }

  function arrange() {
    if (!state.data) return;
    const cols = visibleColumns();
    let col = state.allColumns.find(c => c.id === state.sort.col);
    if (!col || !col.value) { state.sort = {col: 'start', dir: -1}; col = state.allColumns.find(c => c.id === 'start'); }
    const dir = state.sort.dir;
    const value = col.value;
    // ties (and runs without the value) newest first
    const keyed = state.data.rows.map(r => [value(r), r]);
    keyed.sort((a, b) => {
      const am = a[0] === null || a[0] === undefined || a[0] === '', bm = b[0] === null || b[0] === undefined || b[0] === '';
      if (am || bm) return am === bm ? (b[1][A.start] - a[1][A.start]) : (am ? 1 : -1);
      return dir * compareValues(a[0], b[0]) || (b[1][A.start] - a[1][A.start]);
    });
    const pc = state.primary && !state.primary.absent ? state.allColumns.find(c => c.id === 'm:' + state.primary.key) : null;
    const bi = pc ? bestIndex(state.data.rows.map(r => (typeof pc.value(r) === 'number' ? pc.value(r) : null)), state.primary.goal) : -1;
    state.best = bi >= 0 ? state.data.rows[bi] : null;
    let items = keyed.map(x => x[1]);
    if (state.group && state.data.params.includes(state.group)) {
      const idx = state.paramIndex(state.group);
      const groups = new Map();
      for (const r of items) {
        const g = r[idx] === null || r[idx] === undefined ? '' : String(r[idx]);
        if (!groups.has(g)) groups.set(g, []);
        groups.get(g).push(r);
      }
      const keys = [...groups.keys()].sort(compareValues);
      items = [];
      for (const g of keys) {
        items.push({group: g, count: groups.get(g).length});
        if (!state.collapsed.has(g)) items.push(...groups.get(g));
      }
    }
    state.rows = items;
    table.setSort(state.sort);
    table.setColumns(cols);
    table.setItems(items);
    const n = state.data.rows.length;
    count.textContent = state.partial ? `first ${n} runs, loading the rest…`
      : `${n.toLocaleString('en-US')} run${n === 1 ? '' : 's'}${state.data.truncated ? ' (first ' + n.toLocaleString('en-US') + ' only)' : ''}`;
    selectionChanged();
    drawPrimary();
  }

  function drawGroupSelect() {
    replace(groupSelect, h('option', {value: ''}, 'None'), state.data.params.map(k => h('option', {value: k}, k)));
    groupSelect.value = state.data.params.includes(state.group) ? state.group : '';
  }

  function drawColumnsMenu() {
    const find = h('input', {type: 'search', placeholder: 'Find a column', 'aria-label': 'Find a column'});
    const list = h('div', {class: 'menu-list'});
    const drawList = () => {
      const q = find.value.trim().toLowerCase();
      replace(list, state.allColumns.filter(c => c.id !== 'select' && (!q || c.label.toLowerCase().includes(q))).map(c =>
        h('div', {class: 'col-row'}, h('label', {class: 'check'}, h('input', {type: 'checkbox', checked: c.sticky || !state.hidden.has(c.id), disabled: c.sticky || c.id === 'name', onchange: e => {
          if (e.target.checked) state.hidden.delete(c.id); else state.hidden.add(c.id);
          localStorage.setItem(`labbook.hidden.${experimentId}`, JSON.stringify([...state.hidden]));
          syncUrl();
          table.setColumns(visibleColumns());
        }}), ' ', c.kind ? h('span', {class: 'kind'}, c.kind) : null, ' ', c.label),
        h('button', {type: 'button', class: 'pin-col', 'aria-pressed': String(!!c.sticky), 'aria-label': `Pin column ${c.label}`,
          title: c.sticky ? 'Unpin this column' : 'Pin this column at the left', onclick: () => { togglePin(c.id); columnsMenu.open = true; }}, c.sticky ? '★' : '☆'))));
    };
    find.addEventListener('input', drawList);
    drawList();
    const shown = state.allColumns.filter(c => !c.sticky && !state.hidden.has(c.id)).length;
    const aggMetric = h('select', {'aria-label': 'Metric of the new column'}, state.data.metrics.map(k => h('option', {value: k}, k)));
    const aggKind = h('select', {'aria-label': 'Value of the new column'}, h('option', {value: 'min'}, 'min'), h('option', {value: 'max'}, 'max'),
      h('option', {value: 'step'}, 'at step'));
    const aggStep = h('input', {type: 'number', min: '0', value: '0', 'aria-label': 'Step of the new column', class: 'step-input'});
    const addForm = h('form', {class: 'menu-actions add-column', onsubmit: e => {
      e.preventDefault();
      if (!aggMetric.value) return;
      addExtra({key: aggMetric.value, agg: aggKind.value, step: aggKind.value === 'step' ? Math.max(0, Math.floor(Number(aggStep.value) || 0)) : undefined});
      columnsMenu.open = true;
    }}, aggMetric, aggKind, aggStep, h('button', {type: 'submit', class: 'btn small'}, 'Add'));
    const extras = state.extra.length ? h('div', {class: 'menu-list extras'}, state.extra.map(x => h('div', {class: 'col-row'},
      h('span', null, `${x.key} (${x.agg === 'step' ? 'at step ' + x.step : x.agg})`),
      h('button', {type: 'button', class: 'pin-col', 'aria-label': `Remove column ${x.key} ${x.agg}`, onclick: () => { removeExtra('a:' + extraId(x)); columnsMenu.open = true; }}, '×')))) : null;
    replace(columnsMenu, h('summary', {class: 'btn'}, `Columns (${shown})`), h('div', {class: 'menu-pop'}, addForm, extras,
      h('div', {class: 'menu-actions'}, find,
        h('button', {type: 'button', class: 'btn small', onclick: () => { state.hidden.clear(); save(); }}, 'All'),
        h('button', {type: 'button', class: 'btn small', onclick: () => { state.allColumns.forEach(c => { if (c.kind) state.hidden.add(c.id); }); save(); }}, 'None')),
      list));
    function save() {
      localStorage.setItem(`labbook.hidden.${experimentId}`, JSON.stringify([...state.hidden]));
      syncUrl();
      drawColumnsMenu();
      columnsMenu.open = true;
      table.setColumns(visibleColumns());
    }
  }

  function selectAll(on) {
    for (const r of state.rows) {
      if (r.group !== undefined) continue;
      if (on) state.selected.add(r[A.id]); else state.selected.delete(r[A.id]);
    }
    table.drawBody(true);
    selectionChanged();
  }

  function selectionChanged() {
    const n = state.selected.size;
    compareBtn.disabled = n < 1;
    compareBtn.textContent = n ? `Compare (${n})` : 'Compare';
    chartBtn.textContent = n ? `Chart (${n})` : 'Chart all';
    const mayDelete = !state.perm || state.perm.can_delete;
    deleteBtn.disabled = n < 1 || state.view === 'DELETED_ONLY' || !mayDelete;
    restoreBtn.disabled = n < 1 || state.view === 'ACTIVE_ONLY' || !mayDelete;
    deleteBtn.title = mayDelete ? '' : reason(state.perm, 'delete');
    restoreBtn.title = deleteBtn.title;
    restoreBtn.hidden = state.view === 'ACTIVE_ONLY';
  }

  function compare() {
    const ids = [...state.selected];
    if (ids.length > MAX_COMPARE) {
      toast(`Comparing the first ${MAX_COMPARE} of ${ids.length} selected runs`);
    }
    navigate('/compare?runs=' + ids.slice(0, MAX_COMPARE).join(','));
  }

  async function lifecycle(action) {
    const ids = [...state.selected];
    if (action === 'delete' && !await confirmDialog(`Delete ${ids.length} run${ids.length === 1 ? '' : 's'}?`,
      'Deleted runs can be restored from the "Deleted runs" view.')) return;
    let failed = 0;
    for (let i = 0; i < ids.length; i += 8) {
      const results = await Promise.allSettled(ids.slice(i, i + 8).map(id => post(`mlflow/runs/${action}`, {run_id: id})));
      failed += results.filter(r => r.status === 'rejected').length;
    }
    state.selected.clear();
    toast(failed ? `${failed} of ${ids.length} failed` : `${action === 'delete' ? 'Deleted' : 'Restored'} ${ids.length} run${ids.length === 1 ? '' : 's'}`, failed ? 'error' : 'info');
    refresh();
  }

  // Keep the table current: only the runs changed since the last answer travel.
  const poll = setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);

  load();
  return () => clearInterval(poll);
}

/** "loss:min,acc:step:5" as [{key, agg, step}]. */
function parseExtra(s) {
  if (!s) return [];
  return s.split(',').map(part => {
    const m = /^(.*):(min|max)$/.exec(part) || /^(.*):step:(\d+)$/.exec(part);
    if (!m) return null;
    return m[2] === 'min' || m[2] === 'max' ? {key: m[1], agg: m[2]} : {key: m[1], agg: 'step', step: Number(m[2])};
  }).filter(Boolean);
}

function extraId(x) {
  return x.agg === 'step' ? `${x.key}:step:${x.step}` : `${x.key}:${x.agg}`;
}

function parseSort(s) {
  if (!s) return null;
  const i = s.lastIndexOf(':');
  if (i < 0) return null;
  return {col: s.slice(0, i), dir: s.slice(i + 1) === 'asc' ? 1 : -1};
}
