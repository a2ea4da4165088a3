// "/models/<name>": one registered model: its versions with aliases, tags and source runs, the
// versions' metrics side by side (their tags and their source runs' metrics), and a form that
// moves an alias (MLflow's set-alias / delete-alias calls).

import {get, post, del} from '../api.js';
import {aliasChips, tagChips} from './models.js';
import {h, replace, fmtTime, fmtNum, num, errorBox, title, toast} from '../util.js';
import {permission, reason, gate} from '../auth.js';
import {shareButton} from '../components/share.js';

/** How many versions, newest first, the comparison fetches the source runs of. */
const COMPARED = 12;

export function render(root, {name}) {
  title(name, 'Models');
  replace(root, h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '/models'}, 'Models'), ' / ', name),
    h('p', {class: 'muted'}, 'Loading…'));
  load(root, name).catch(err => replace(root, h('nav', {class: 'crumbs'}, h('a', {href: '/models'}, 'Models'), ' / ', name),
    errorBox(err.status === 404 && err.code === 'ENDPOINT_NOT_FOUND' ? new Error('This server has no model registry yet.') : err)));
}

async function load(root, name) {
  const [{registered_model: model}, versions, perm] = await Promise.all([
    get('mlflow/registered-models/get', {name}),
    searchVersions(name),
    permission({name}),
  ]);
  versions.sort((a, b) => Number(b.version) - Number(a.version));
  const runs = await sourceRuns(versions.slice(0, COMPARED));
  const aliasesOf = v => (model.aliases || []).filter(a => String(a.version) === String(v.version)).map(a => a.alias)
    .concat(v.aliases || []).filter((a, i, all) => all.indexOf(a) === i);
  const reload = () => load(root, name).catch(err => toast(err.message, 'error'));

  replace(root,
    h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '/models'}, 'Models'), ' / ', model.name),
    h('div', {class: 'page-head'}, h('h1', null, model.name), h('span', {class: 'spacer'}),
      perm.can_manage && !perm.auth_off ? shareButton('model', model.name, 'this model') : null),
    h('div', {class: 'overview'},
      h('div', {class: 'col'}, h('section', {class: 'card'}, h('h2', null, 'Description'),
        model.description ? h('div', {class: 'description'}, model.description) : h('p', {class: 'muted'}, 'No description.'))),
      h('div', {class: 'col'}, h('section', {class: 'card'}, h('h2', null, 'Details'),
        h('dl', {class: 'facts'},
          h('dt', null, 'Created'), h('dd', null, fmtTime(model.creation_timestamp)),
          h('dt', null, 'Last modified'), h('dd', null, fmtTime(model.last_updated_timestamp)),
          h('dt', null, 'Aliases'), h('dd', null, (model.aliases || []).length ? aliasChips(model.aliases) : '—'),
          h('dt', null, 'Tags'), h('dd', null, (model.tags || []).length ? tagChips(model.tags) : '—'))))),
    h('section', {class: 'card flush'}, h('h2', null, `Versions (${versions.length})`),
      versions.length ? h('table', {class: 'grid', 'aria-label': 'Model versions'},
        h('thead', null, h('tr', null, ['Version', 'Aliases', 'Stage', 'Status', 'Created', 'Source run', 'Tags', 'Description'].map(c => h('th', {scope: 'col'}, c)))),
        h('tbody', null, versions.map(v => h('tr', {id: `v${v.version}`},
          h('th', {scope: 'row'}, `Version ${v.version}`),
          h('td', null, aliasesOf(v).map(a => h('span', {class: 'chip alias', 'data-alias': a}, `@${a}`,
            gate(h('button', {type: 'button', class: 'chip-remove', title: `Delete alias @${a}`, 'aria-label': `Delete alias ${a}`,
              onclick: () => deleteAlias(model.name, a, reload)}, '×'), perm.can_update, reason(perm, 'update'))))),
          h('td', null, v.current_stage && v.current_stage !== 'None' ? h('span', {class: 'chip'}, v.current_stage) : ''),
          h('td', null, h('span', {class: `badge ${v.status === 'READY' ? 'FINISHED' : v.status === 'FAILED_REGISTRATION' ? 'FAILED' : 'RUNNING'}`}, v.status || '')),
          h('td', null, fmtTime(v.creation_timestamp)),
          h('td', null, runLink(v)),
          h('td', null, tagChips(v.tags)),
          h('td', {class: 'muted clip'}, v.description || ''))))) : h('p', {class: 'muted'}, 'No versions.'),
      versions.length ? aliasForm(model, versions, reload, perm) : null),
    versions.length ? comparison(versions.slice(0, COMPARED), runs, aliasesOf) : null);
  document.body.dataset.modelReady = String(Date.now());
  if (location.hash) {
    const row = document.getElementById(location.hash.slice(1));
    if (row) { row.classList.add('target'); row.scrollIntoView({block: 'center'}); }
  }
}

function runLink(v) {
  return v.run_id ? h('a', {href: `/runs/${encodeURIComponent(v.run_id)}`, title: v.source || ''}, v.run_id.slice(0, 12))
    : h('code', {class: 'small'}, v.source || '');
}

/** "Set alias [name] on version [n]": moves the alias if it exists, creates it if not. */
function aliasForm(model, versions, reload, perm) {
  const aliasInput = h('input', {type: 'text', name: 'alias', list: 'model-aliases', placeholder: 'champion', required: true,
    'aria-label': 'Alias', pattern: '[A-Za-z0-9_\\-]+', size: 14});
  const versionSelect = h('select', {name: 'version', 'aria-label': 'Version'},
    versions.map(v => h('option', {value: v.version}, `Version ${v.version}`)));
  const submit = gate(h('button', {type: 'submit', class: 'btn small primary'}, 'Set alias'), perm.can_update, reason(perm, 'update'));
  const form = h('form', {class: 'toolbar alias-form', 'aria-label': 'Move an alias', onsubmit: async e => {
    e.preventDefault();
    const alias = aliasInput.value.trim();
    if (!alias) return;
    submit.disabled = true;
    try {
      await post('mlflow/registered-models/alias', {name: model.name, alias, version: versionSelect.value});
      toast(`@${alias} now points at version ${versionSelect.value}`);
      await reload();
    } catch (err) {
      toast(err.message, 'error');
      submit.disabled = false;
    }
  }},
  h('span', {class: 'muted'}, 'Set alias'), aliasInput,
  h('datalist', {id: 'model-aliases'}, (model.aliases || []).map(a => h('option', {value: a.alias}))),
  h('span', {class: 'muted'}, 'on'), versionSelect, submit,
  h('span', {class: 'muted small'}, 'Servers following models:/' + model.name + '@ALIAS switch within seconds.'));
  return form;
}

async function deleteAlias(name, alias, reload) {
  try {
    await del('mlflow/registered-models/alias', {name, alias});
    toast(`Alias @${alias} deleted`);
    await reload();
  } catch (err) {
    toast(err.message, 'error');
  }
}

/** The source run of each version (by run id), or none where the run is gone or there is no run. */
async function sourceRuns(versions) {
  const ids = [...new Set(versions.map(v => v.run_id).filter(Boolean))];
  const found = await Promise.all(ids.map(id => get('mlflow/runs/get', {run_id: id}).then(r => r.run, () => null)));
  return new Map(ids.map((id, i) => [id, found[i]]));
}

/** Versions as columns; their tags, then their source runs' latest metrics, as rows. */
function comparison(versions, runs, aliasesOf) {
  const tagKeys = [...new Set(versions.flatMap(v => (v.tags || []).map(t => t.key)))].sort();
  const metricsOf = v => {
    const run = v.run_id && runs.get(v.run_id);
    return new Map(((run && run.data && run.data.metrics) || []).map(m => [m.key, m.value]));
  };
  const metrics = versions.map(metricsOf);
  const metricKeys = [...new Set(metrics.flatMap(m => [...m.keys()]))].sort();
  const tagValue = (v, k) => ((v.tags || []).find(t => t.key === k) || {}).value;
  const cell = value => {
    const n = value === undefined ? null : num(value);
    return h('td', {class: 'num'}, value === undefined ? '—' : n === null ? String(value) : fmtNum(n));
  };
  const group = label => h('tr', {class: 'group'}, h('th', {scope: 'rowgroup', colspan: versions.length + 1}, label));
  return h('section', {class: 'card flush'}, h('h2', null, 'Metrics side by side'),
    h('table', {class: 'grid compare-versions', 'aria-label': 'Version metrics'},
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, ''), versions.map(v => h('th', {scope: 'col', class: 'num'},
        h('a', {href: `#v${v.version}`}, `Version ${v.version}`), ' ', aliasesOf(v).map(a => h('span', {class: 'chip alias'}, `@${a}`)))))),
      h('tbody', null,
        h('tr', null, h('th', {scope: 'row'}, 'Source run'), versions.map(v => h('td', {class: 'num'}, runLink(v)))),
        tagKeys.length ? group('Version tags') : null,
        tagKeys.map(k => h('tr', {'data-tag': k}, h('th', {scope: 'row'}, k), versions.map(v => cell(tagValue(v, k))))),
        metricKeys.length ? group('Source run metrics') : null,
        metricKeys.map(k => h('tr', {'data-metric': k}, h('th', {scope: 'row'}, k), metrics.map(m => cell(m.get(k))))),
        !tagKeys.length && !metricKeys.length ? h('tr', null, h('td', {class: 'muted', colspan: versions.length + 1},
          'No tags or source-run metrics to compare.')) : null)));
}

async function searchVersions(name) {
  const out = [];
  let token;
  do {
    const res = await get('mlflow/model-versions/search', {filter: `name='${name.replace(/'/g, "\\'")}'`, max_results: 1000, page_token: token});
    out.push(...(res.model_versions || []));
    token = res.next_page_token;
  } while (token && out.length < 10000);
  return out;
}
