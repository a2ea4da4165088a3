// Logged models (MLflow 3's model entity) as a table: name, status, source run, type, creation
// time, registrations and one column per metric (the latest value of each key), so the models
// of an experiment or of a run can be compared at a glance.

import {post} from '../api.js';
import {h, fmtAgo, fmtTime, fmtNum, compareValues} from '../util.js';

const MAX_MODELS = 5000;

/** Every logged model of the experiments that matches {@code filter}, newest first. */
export async function searchLoggedModels(experimentIds, filter) {
  const models = [];
  let token;
  do {
    const res = await post('mlflow/logged-models/search', {
      experiment_ids: experimentIds, filter: filter || undefined, max_results: 100, page_token: token,
      order_by: [{field_name: 'creation_timestamp', ascending: false}],
    });
    models.push(...(res.models || []));
    token = res.next_page_token;
  } while (token && models.length < MAX_MODELS);
  return models;
}

/** The address of a logged model's page. */
export function loggedModelHref(info) {
  return `/experiments/${encodeURIComponent(info.experiment_id)}/models/${encodeURIComponent(info.model_id)}`;
}

/** The latest value of each metric key of a model (by step, then timestamp). */
export function latestMetrics(model) {
  const out = new Map();
  for (const m of (model.data && model.data.metrics) || []) {
    const name = m.dataset_name ? `${m.key} (${m.dataset_name})` : m.key;
    const prev = out.get(name);
    if (!prev || Number(m.step || 0) > Number(prev.step || 0)
        || (Number(m.step || 0) === Number(prev.step || 0) && Number(m.timestamp || 0) >= Number(prev.timestamp || 0))) {
      out.set(name, m);
    }
  }
  return out;
}

/** A status badge: PENDING while its artifacts upload, READY, FAILED. */
export function statusBadge(status) {
  const s = String(status || 'LOGGED_MODEL_STATUS_UNSPECIFIED').replace(/^LOGGED_MODEL_/, '');
  const cls = s === 'READY' ? 'FINISHED' : s === 'UPLOAD_FAILED' || s === 'FAILED' ? 'FAILED' : s === 'PENDING' ? 'RUNNING' : '';
  return h('span', {class: `badge ${cls}`}, s.replace(/_/g, ' '));
}

/**
 * A sortable table of logged models. {@code runNames} maps run ids to names for the source-run
 * column; {@code showRun} false leaves that column out (on a run's own page).
 */
export function loggedModelTable(models, {runNames = new Map(), showRun = true, label = 'Logged models'} = {}) {
  const latest = new Map(models.map(m => [m.info.model_id, latestMetrics(m)]));
  const metricKeys = [...new Set([...latest.values()].flatMap(m => [...m.keys()]))].sort();
  const cols = [
    {id: 'name', label: 'Name', value: m => m.info.name, cell: m => h('a', {href: loggedModelHref(m.info)}, m.info.name || m.info.model_id)},
    {id: 'status', label: 'Status', value: m => m.info.status, cell: m => statusBadge(m.info.status)},
    showRun ? {id: 'run', label: 'Source run', value: m => runNames.get(m.info.source_run_id) || m.info.source_run_id,
      cell: m => m.info.source_run_id ? h('a', {href: `/runs/${encodeURIComponent(m.info.source_run_id)}`}, runNames.get(m.info.source_run_id) || m.info.source_run_id.slice(0, 8)) : '—'} : null,
    {id: 'type', label: 'Type', value: m => m.info.model_type, cell: m => m.info.model_type || ''},
    {id: 'created', label: 'Created', value: m => Number(m.info.creation_timestamp_ms || 0),
      cell: m => h('span', {title: fmtTime(m.info.creation_timestamp_ms)}, fmtAgo(m.info.creation_timestamp_ms))},
    models.some(m => (m.info.registrations || []).length) ? {id: 'registered', label: 'Registered as', value: m => (m.info.registrations || []).length,
      cell: m => (m.info.registrations || []).map(r => h('a', {class: 'chip', href: `/models/${encodeURIComponent(r.name)}#v${r.version}`}, `${r.name} v${r.version}`))} : null,
    {id: 'params', label: 'Params', value: m => ((m.data && m.data.params) || []).length, cell: m => String(((m.data && m.data.params) || []).length)},
    ...metricKeys.map(k => ({id: 'm:' + k, label: k, numeric: true, value: m => { const x = latest.get(m.info.model_id).get(k); return x ? Number(x.value) : null; },
      cell: m => { const x = latest.get(m.info.model_id).get(k); return x ? h('span', {title: `step ${x.step || 0}`}, fmtNum(x.value)) : ''; }})),
  ].filter(Boolean);
  let sort = {col: 'created', dir: -1};
  const thead = h('thead');
  const tbody = h('tbody');
  function draw() {
    const c = cols.find(x => x.id === sort.col);
    const rows = [...models].sort((a, b) => {
      const va = c.value(a), vb = c.value(b);
      const missing = (va === null || va === undefined || va === '') - (vb === null || vb === undefined || vb === '');
      return missing || sort.dir * compareValues(va, vb);
    });
    thead.replaceChildren(h('tr', null, cols.map(col => h('th', {scope: 'col', class: col.numeric ? 'num' : null,
      'aria-sort': col.id === sort.col ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none'},
      h('button', {type: 'button', class: 'th-sort', onclick: () => { sort = {col: col.id, dir: col.id === sort.col ? -sort.dir : (col.numeric ? -1 : 1)}; draw(); }},
        col.label, col.id === sort.col ? (sort.dir > 0 ? ' ▲' : ' ▼') : '')))));
    tbody.replaceChildren(...rows.map(m => h('tr', {dataset: {modelId: m.info.model_id}}, cols.map(col => h('td', {class: col.numeric ? 'num' : null}, col.cell(m))))));
  }
  draw();
  return h('div', {class: 'table-scroll'}, h('table', {class: 'grid', 'aria-label': label}, thead, tbody));
}
