// "/experiments/<id>": the runs table. All matching runs arrive in one compact request (a first
// screen of them in a parallel, smaller one); sorting, grouping and column choice happen in the
// browser, and the table is virtually scrolled, so 10,000 runs stay fast. The search box takes
// MLflow's filter grammar and is evaluated by the server. While the page is open, it asks every
// few seconds for the runs changed since its last answer and merges them in.

import {get, post} from '../api.js';
import {navigate} from '../app.js';
import {VirtualTable, esc} from '../components/vtable.js';
import {mergeChanges} from '../components/runtable.js';
import {experimentNav} from '../components/expnav.js';
import {h, replace, fmtTime, fmtDuration, fmtNum, compareValues, toast, confirmDialog, errorBox, title} from '../util.js';

const A = {id: 0, name: 1, status: 2, start: 3, end: 4, user: 5, stage: 6};
const MAX_COMPARE = 100;
const FIRST_SCREEN = 200;
const REFRESH_MS = 3000;

export function render(root, {experimentId}, query) {
  const state = {
    data: null, rows: [], selected: new Set(), collapsed: new Set(),
    filter: query.get('filter') || '', view: query.get('view') || 'ACTIVE_ONLY',
    sort: parseSort(query.get('sort')) || {col: 'start', dir: -1}, group: query.get('group') || '',
    hidden: new Set(JSON.parse(localStorage.getItem(`labbook.hidden.${experimentId}`) || '[]')),
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
  const compareBtn = h('button', {type: 'button', class: 'btn primary', disabled: true, onclick: compare}, 'Compare');
  const deleteBtn = h('button', {type: 'button', class: 'btn', disabled: true, onclick: () => lifecycle('delete')}, 'Delete');
  const restoreBtn = h('button', {type: 'button', class: 'btn', disabled: true, onclick: () => lifecycle('restore')}, 'Restore');
  const table = new VirtualTable({
    label: 'Runs', rowHeight: 30,
    onSort: col => {
      state.sort = state.sort.col === col ? {col, dir: -state.sort.dir} : {col, dir: col === 'name' || col.startsWith('p:') || col.startsWith('t:') ? 1 : -1};
      syncUrl();
      arrange();
    },
    isGroup: item => item.group !== undefined,
    renderGroup: g => `<button type="button" class="group-toggle" data-group="${esc(g.group)}" aria-expanded="${!state.collapsed.has(g.group)}">`
      + `<span aria-hidden="true">${state.collapsed.has(g.group) ? '▸' : '▾'}</span> ${esc(state.group)} = <b>${g.group === '' ? '<i>(none)</i>' : esc(g.group)}</b></button>`
      + ` <span class="muted">${g.count} run${g.count === 1 ? '' : 's'}</span>`,
    rowClass: r => (state.selected.has(r[A.id]) ? 'selected' : '') + (r[A.stage] === 'deleted' ? ' deleted' : ''),
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
  replace(root,
    h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '/'}, 'Experiments'), ' / ', h('span', {class: 'exp-name'}, experimentId)),
    h('div', {class: 'page-head'}, heading, count),
    experimentNav(experimentId, 'runs'),
    h('div', {class: 'toolbar'}, searchForm, viewSelect, h('label', {class: 'inline'}, 'Group by ', groupSelect), columnsMenu,
      h('span', {class: 'spacer'}), compareBtn, deleteBtn, restoreBtn),
    filterError, body);

  get('mlflow/experiments/get', {experiment_id: experimentId}).then(r => {
    heading.textContent = r.experiment.name;
    root.querySelector('.exp-name').textContent = r.experiment.name;
    title(r.experiment.name);
  }).catch(err => replace(body, errorBox(err)));

  function syncUrl() {
    const q = new URLSearchParams();
    if (state.filter) q.set('filter', state.filter);
    if (state.view !== 'ACTIVE_ONLY') q.set('view', state.view);
    if (state.sort.col !== 'start' || state.sort.dir !== -1) q.set('sort', `${state.sort.col}:${state.sort.dir > 0 ? 'asc' : 'desc'}`);
    if (state.group) q.set('group', state.group);
    const s = q.toString();
    history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
  }

  // The server's order for the first screen, when it sorts the same way the table does.
  function serverOrder() {
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
          if (gen === state.loading && !fullShown && first.truncated) show(first, true);
        }, () => { /* the full answer reports errors */ });
      }
      const data = await full;
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
    buildColumns();
    arrange();
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
    const cols = [
      {id: 'select', label: 'Select', width: 36, sticky: true, sortable: false, className: 'center',
        header: () => h('input', {type: 'checkbox', class: 'select-all', 'aria-label': 'Select all runs', onchange: e => selectAll(e.target.checked)}),
        html: r => `<input type="checkbox" class="select" aria-label="Select run ${esc(r[A.name])}"${state.selected.has(r[A.id]) ? ' checked' : ''}>`},
      {id: 'name', label: 'Run name', width: 210, sticky: true, value: r => r[A.name],
        html: r => `<a href="/runs/${esc(r[A.id])}" title="${esc(r[A.name])}">${esc(r[A.name] || r[A.id])}</a>`},
      {id: 'status', label: 'Status', width: 96, value: r => r[A.status], html: r => `<span class="badge ${esc(r[A.status])}">${esc(r[A.status])}</span>`},
      {id: 'start', label: 'Started', width: 162, value: r => r[A.start], html: r => esc(fmtTime(r[A.start]))},
      {id: 'duration', label: 'Duration', width: 96, className: 'num', value: r => duration(r, now), html: r => esc(fmtDuration(duration(r, now)))},
      {id: 'user', label: 'User', width: 100, value: r => r[A.user], html: r => esc(r[A.user])},
    ];
    d.params.forEach((k, i) => {
      const idx = base + i;
      cols.push({id: 'p:' + k, kind: 'param', label: k, width: 120, value: r => r[idx], html: r => esc(r[idx])});
    });
    d.metrics.forEach((k, i) => {
      const idx = base + d.params.length + i;
      cols.push({id: 'm:' + k, kind: 'metric', label: k, width: 110, className: 'num', value: r => r[idx],
        html: r => { const v = r[idx]; return v === null || v === undefined ? '' : `<span title="${esc(v)}">${esc(fmtNum(v))}</span>`; }});
    });
    d.tags.forEach((k, i) => {
      const idx = base + d.params.length + d.metrics.length + i;
      cols.push({id: 't:' + k, kind: 'tag', label: k, width: 120, value: r => r[idx], html: r => esc(r[idx])});
    });
    state.allColumns = cols;
    state.paramIndex = pIdx;
    drawGroupSelect();
    drawColumnsMenu();
  }

  function duration(r, now) {
    const end = r[A.end] || (r[A.status] === 'RUNNING' ? now : null);
    return end ? end - r[A.start] : null;
  }

  function visibleColumns() {
    return state.allColumns.filter(c => c.sticky || !state.hidden.has(c.id));
  }

  function arrange() {
    if (!state.data) return;
    const cols = visibleColumns();
    let col = state.allColumns.find(c => c.id === state.sort.col);
    if (!col || !col.value) { state.sort = {col: 'start', dir: -1}; col = state.allColumns.find(c => c.id === 'start'); }
    const dir = state.sort.dir;
    const value = col.value;
    const keyed = state.data.rows.map(r => [value(r), r]);
    keyed.sort((a, b) => {
      const am = a[0] === null || a[0] === undefined || a[0] === '', bm = b[0] === null || b[0] === undefined || b[0] === '';
      if (am || bm) return am === bm ? 0 : (am ? 1 : -1);
      return dir * compareValues(a[0], b[0]);
    });
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
      replace(list, state.allColumns.filter(c => !c.sticky && (!q || c.label.toLowerCase().includes(q))).map(c =>
        h('label', {class: 'check'}, h('input', {type: 'checkbox', checked: !state.hidden.has(c.id), onchange: e => {
          if (e.target.checked) state.hidden.delete(c.id); else state.hidden.add(c.id);
          localStorage.setItem(`labbook.hidden.${experimentId}`, JSON.stringify([...state.hidden]));
          table.setColumns(visibleColumns());
        }}), ' ', c.kind ? h('span', {class: 'kind'}, c.kind) : null, ' ', c.label)));
    };
    find.addEventListener('input', drawList);
    drawList();
    const shown = state.allColumns.filter(c => !c.sticky && !state.hidden.has(c.id)).length;
    replace(columnsMenu, h('summary', {class: 'btn'}, `Columns (${shown})`), h('div', {class: 'menu-pop'},
      h('div', {class: 'menu-actions'}, find,
        h('button', {type: 'button', class: 'btn small', onclick: () => { state.hidden.clear(); save(); }}, 'All'),
        h('button', {type: 'button', class: 'btn small', onclick: () => { state.allColumns.forEach(c => { if (c.kind) state.hidden.add(c.id); }); save(); }}, 'None')),
      list));
    function save() {
      localStorage.setItem(`labbook.hidden.${experimentId}`, JSON.stringify([...state.hidden]));
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
    deleteBtn.disabled = n < 1 || state.view === 'DELETED_ONLY';
    restoreBtn.disabled = n < 1 || state.view === 'ACTIVE_ONLY';
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

function parseSort(s) {
  if (!s) return null;
  const i = s.lastIndexOf(':');
  if (i < 0) return null;
  return {col: s.slice(0, i), dir: s.slice(i + 1) === 'asc' ? 1 : -1};
}
