// "/experiments/<id>/models": the logged models of an experiment (what MLflow 3 clients create
// with log_model, and labbook train for its models), filterable with MLflow's grammar.

import {get, post} from '../api.js';
import {experimentNav} from '../components/expnav.js';
import {searchLoggedModels, loggedModelTable} from '../components/loggedmodels.js';
import {h, replace, errorBox, title} from '../util.js';

export function render(root, {experimentId}, query) {
  const heading = h('h1', null, 'Models');
  const count = h('span', {class: 'muted count', 'aria-live': 'polite'});
  const filterInput = h('input', {type: 'search', class: 'filter', value: query.get('filter') || '', spellcheck: false,
    placeholder: "Filter models: metrics.accuracy > 0.9 AND params.lr = '0.01'", 'aria-label': 'Filter models (MLflow search syntax)'});
  const filterError = h('div', {class: 'filter-error', role: 'alert'});
  const body = h('div', {class: 'card flush'}, h('p', {class: 'muted pad'}, 'Loading…'));
  const form = h('form', {class: 'search', role: 'search', onsubmit: e => { e.preventDefault(); syncUrl(); load(); }},
    filterInput, h('button', {type: 'submit', class: 'btn'}, 'Search'));
  const crumbName = h('span', null, experimentId);
  replace(root,
    h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '/'}, 'Experiments'), ' / ',
      h('a', {href: `/experiments/${encodeURIComponent(experimentId)}`}, crumbName)),
    h('div', {class: 'page-head'}, heading, count),
    experimentNav(experimentId, 'models'),
    h('div', {class: 'toolbar'}, form), filterError, body);
  get('mlflow/experiments/get', {experiment_id: experimentId}).then(r => {
    crumbName.textContent = r.experiment.name;
    heading.textContent = `Models of ${r.experiment.name}`;
    title('Models', r.experiment.name);
  }).catch(() => {});

  function syncUrl() {
    const f = filterInput.value.trim();
    history.replaceState(null, '', location.pathname + (f ? '?filter=' + encodeURIComponent(f) : ''));
  }

  let gen = 0;
  async function load() {
    const mine = ++gen;
    filterError.textContent = '';
    try {
      const models = await searchLoggedModels([experimentId], filterInput.value.trim());
      const runNames = await runNamesOf(models.map(m => m.info.source_run_id).filter(Boolean), [experimentId]);
      if (mine !== gen) return;
      count.textContent = `${models.length} model${models.length === 1 ? '' : 's'}`;
      if (!models.length) {
        replace(body, h('p', {class: 'muted pad'}, filterInput.value.trim() ? 'No model matches the filter.'
          : 'No logged models yet. MLflow 3 clients create one with mlflow.<flavor>.log_model; labbook train logs one per run.'));
        return;
      }
      replace(body, loggedModelTable(models, {runNames}));
    } catch (err) {
      if (mine !== gen) return;
      if (err.code === 'INVALID_PARAMETER_VALUE') { filterError.textContent = err.message; replace(body); return; }
      replace(body, errorBox(err));
    }
  }
  load();
}

/** The names of the given runs of the given experiments, looked up 100 at a time. */
export async function runNamesOf(runIds, experimentIds) {
  const ids = [...new Set(runIds)];
  const out = new Map();
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const res = await post('mlflow/runs/search', {experiment_ids: experimentIds, run_view_type: 'ALL', max_results: chunk.length,
      filter: `attributes.run_id IN (${chunk.map(id => `'${id.replace(/'/g, '')}'`).join(',')})`}).catch(() => ({runs: []}));
    for (const r of res.runs || []) out.set(r.info.run_id, r.info.run_name || r.info.run_id.slice(0, 8));
  }
  return out;
}
