// "/models": the registered models with their latest versions, aliases and tags.

import {get} from '../api.js';
import {h, replace, fmtAgo, fmtTime, errorBox, title, debounce} from '../util.js';

export function render(root) {
  title('Models');
  const search = h('input', {type: 'search', placeholder: 'Search models by name', 'aria-label': 'Search models'});
  const body = h('div', {class: 'card flush'}, h('p', {class: 'muted pad'}, 'Loading…'));
  replace(root, h('div', {class: 'page-head'}, h('h1', null, 'Registered models')), h('div', {class: 'toolbar'}, search), body);
  let gen = 0;

  async function load() {
    const mine = ++gen;
    const q = search.value.trim();
    try {
      const models = [];
      let token;
      do {
        const res = await get('mlflow/registered-models/search', {max_results: 1000, page_token: token,
          filter: q ? `name ILIKE '%${q.replace(/'/g, "\\'")}%'` : undefined});
        models.push(...(res.registered_models || []));
        token = res.next_page_token;
      } while (token && models.length < 10000);
      if (mine !== gen) return;
      draw(models);
    } catch (err) {
      if (mine !== gen) return;
      replace(body, errorBox(err.status === 404 ? new Error('This server has no model registry yet.') : err));
    }
  }

  function draw(models) {
    if (!models.length) {
      replace(body, h('p', {class: 'muted pad'}, search.value ? 'No model matches the search.' : 'No registered models yet. Register one with an MLflow client or the Labbook SDK.'));
      return;
    }
    replace(body, h('table', {class: 'grid', 'aria-label': 'Registered models'},
      h('thead', null, h('tr', null, ['Name', 'Latest version', 'Aliases', 'Tags', 'Last modified', 'Description'].map(c => h('th', {scope: 'col'}, c)))),
      h('tbody', null, models.map(m => {
        const latest = (m.latest_versions || []).reduce((a, v) => (!a || Number(v.version) > Number(a.version) ? v : a), null);
        return h('tr', null,
          h('td', null, h('a', {href: `/models/${encodeURIComponent(m.name)}`}, m.name)),
          h('td', null, latest ? h('a', {href: `/models/${encodeURIComponent(m.name)}#v${latest.version}`}, `Version ${latest.version}`) : '—'),
          h('td', null, aliasChips(m.aliases)),
          h('td', null, tagChips(m.tags)),
          h('td', {title: fmtTime(m.last_updated_timestamp)}, fmtAgo(m.last_updated_timestamp)),
          h('td', {class: 'muted clip'}, m.description || ''));
      }))));
  }

  search.addEventListener('input', debounce(load, 250));
  load();
}

export function aliasChips(aliases) {
  return (aliases || []).map(a => h('span', {class: 'chip alias', title: `@${a.alias} → version ${a.version}`}, `@${a.alias}`, h('span', {class: 'muted'}, ` v${a.version}`)));
}

export function tagChips(tags) {
  return (tags || []).map(t => h('span', {class: 'chip'}, t.key, t.value ? `: ${t.value}` : ''));
}
