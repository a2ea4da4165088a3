// "/experiments/<id>/models/<model_id>": one logged model: its details, the run that produced it,
// its registrations, params, metrics (with the dataset each was computed on), tags and artifacts.

import {get} from '../api.js';
import {experimentNav} from '../components/expnav.js';
import {statusBadge} from '../components/loggedmodels.js';
import {loggedModelArtifacts} from '../components/artifacts.js';
import {h, replace, fmtTime, fmtNum, errorBox, title} from '../util.js';

export function render(root, {experimentId, modelId}) {
  const body = h('div', null, h('p', {class: 'muted'}, 'Loading…'));
  const crumbName = h('span', null, experimentId);
  replace(root,
    h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '/'}, 'Experiments'), ' / ',
      h('a', {href: `/experiments/${encodeURIComponent(experimentId)}`}, crumbName), ' / ',
      h('a', {href: `/experiments/${encodeURIComponent(experimentId)}/models`}, 'Models')),
    body);
  get('mlflow/experiments/get', {experiment_id: experimentId}).then(r => { crumbName.textContent = r.experiment.name; }).catch(() => {});

  get(`mlflow/logged-models/${encodeURIComponent(modelId)}`).then(async ({model}) => {
    const info = model.info;
    title(info.name || info.model_id, 'Models');
    let runName = null;
    if (info.source_run_id) {
      runName = await get('mlflow/runs/get', {run_id: info.source_run_id}).then(r => r.run.info.run_name).catch(() => null);
    }
    const data = model.data || {};
    const tags = (info.tags || []).filter(t => !t.key.startsWith('mlflow.')).sort((a, b) => a.key.localeCompare(b.key));
    replace(body,
      h('div', {class: 'page-head'}, h('h1', null, info.name || info.model_id), statusBadge(info.status)),
      experimentNav(experimentId, 'models'),
      h('div', {class: 'overview'},
        h('div', {class: 'col'},
          card('Details', dl([
            ['Model ID', h('code', null, info.model_id)],
            ['Source run', info.source_run_id ? h('a', {href: `/runs/${encodeURIComponent(info.source_run_id)}`}, runName || info.source_run_id) : '—'],
            ['Type', info.model_type],
            ['Created', fmtTime(info.creation_timestamp_ms)],
            ['Last updated', fmtTime(info.last_updated_timestamp_ms)],
            ['Created by', info.creator_id],
            ['Status message', info.status_message],
            ['Registered as', (info.registrations || []).length ? (info.registrations || []).map(r =>
              h('a', {class: 'chip', href: `/models/${encodeURIComponent(r.name)}#v${r.version}`}, `${r.name} v${r.version}`)) : null],
            ['Artifact URI', h('code', {class: 'small'}, info.artifact_uri)],
          ])),
          card(`Tags (${tags.length})`, tags.length ? h('table', {class: 'kv', 'aria-label': 'Tags'},
            h('tbody', null, tags.map(t => h('tr', null, h('th', {scope: 'row'}, t.key), h('td', null, t.value))))) : h('p', {class: 'muted'}, 'No tags.'))),
        h('div', {class: 'col'},
          card(`Parameters (${(data.params || []).length})`, paramTable(data.params || [])),
          card(`Metrics (${(data.metrics || []).length})`, metricTable(data.metrics || [])))),
      h('div', {class: 'section-head'}, h('h2', null, 'Artifacts')),
      loggedModelArtifacts(model));
  }).catch(err => replace(body, errorBox(err.status === 404 ? new Error(`No logged model ${modelId} on this server.`) : err)));
}

function card(heading, content) {
  return h('section', {class: 'card'}, h('h2', null, heading), content);
}

function dl(rows) {
  return h('dl', {class: 'facts'}, rows.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

function paramTable(params) {
  if (!params.length) return h('p', {class: 'muted'}, 'No parameters.');
  return h('table', {class: 'kv', 'aria-label': 'Parameters'}, h('tbody', null, [...params].sort((a, b) => a.key.localeCompare(b.key))
    .map(p => h('tr', null, h('th', {scope: 'row'}, p.key), h('td', null, p.value)))));
}

function metricTable(metrics) {
  if (!metrics.length) return h('p', {class: 'muted'}, 'No metrics.');
  const rows = [...metrics].sort((a, b) => a.key.localeCompare(b.key) || Number(a.step || 0) - Number(b.step || 0));
  return h('table', {class: 'grid compact', 'aria-label': 'Model metrics'},
    h('thead', null, h('tr', null, ['Metric', 'Value', 'Step', 'Dataset', 'Run'].map(c => h('th', {scope: 'col'}, c)))),
    h('tbody', null, rows.map(m => h('tr', null, h('th', {scope: 'row'}, m.key), h('td', {class: 'num'}, fmtNum(m.value)),
      h('td', {class: 'num'}, String(m.step || 0)),
      h('td', null, m.dataset_name ? h('span', {title: m.dataset_digest ? `digest ${m.dataset_digest}` : null}, m.dataset_name) : ''),
      h('td', null, m.run_id ? h('a', {href: `/runs/${encodeURIComponent(m.run_id)}`}, m.run_id.slice(0, 8)) : '')))));
}
