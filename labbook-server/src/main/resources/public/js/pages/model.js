// "/models/<name>": one registered model, its versions with aliases, tags and source runs.

import {get} from '../api.js';
import {aliasChips, tagChips} from './models.js';
import {h, replace, fmtTime, errorBox, title} from '../util.js';

export function render(root, {name}) {
  title(name, 'Models');
  replace(root, h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '/models'}, 'Models'), ' / ', name),
    h('p', {class: 'muted'}, 'Loading…'));

  (async () => {
    const [{registered_model: model}, versions] = await Promise.all([
      get('mlflow/registered-models/get', {name}),
      searchVersions(name),
    ]);
    versions.sort((a, b) => Number(b.version) - Number(a.version));
    const aliasesOf = v => (model.aliases || []).filter(a => String(a.version) === String(v.version)).map(a => a.alias)
      .concat(v.aliases || []).filter((a, i, all) => all.indexOf(a) === i);
    replace(root,
      h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '/models'}, 'Models'), ' / ', model.name),
      h('div', {class: 'page-head'}, h('h1', null, model.name)),
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
            h('td', null, aliasesOf(v).map(a => h('span', {class: 'chip alias'}, `@${a}`))),
            h('td', null, v.current_stage && v.current_stage !== 'None' ? h('span', {class: 'chip'}, v.current_stage) : ''),
            h('td', null, h('span', {class: `badge ${v.status === 'READY' ? 'FINISHED' : v.status === 'FAILED_REGISTRATION' ? 'FAILED' : 'RUNNING'}`}, v.status || '')),
            h('td', null, fmtTime(v.creation_timestamp)),
            h('td', null, v.run_id ? h('a', {href: `/runs/${encodeURIComponent(v.run_id)}`, title: v.source || ''}, v.run_id.slice(0, 12)) : h('code', {class: 'small'}, v.source || '')),
            h('td', null, tagChips(v.tags)),
            h('td', {class: 'muted clip'}, v.description || ''))))) : h('p', {class: 'muted'}, 'No versions.')));
    if (location.hash) {
      const row = document.getElementById(location.hash.slice(1));
      if (row) { row.classList.add('target'); row.scrollIntoView({block: 'center'}); }
    }
  })().catch(err => replace(root, h('nav', {class: 'crumbs'}, h('a', {href: '/models'}, 'Models'), ' / ', name),
    errorBox(err.status === 404 && err.code === 'ENDPOINT_NOT_FOUND' ? new Error('This server has no model registry yet.') : err)));
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
