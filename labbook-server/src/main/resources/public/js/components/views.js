// Saved views: a page's address (which carries its filter, sort, columns, grouping, chart choices
// and pins) saved by name on the experiment, as the experiment tag labbook.view.<name>, so
// everyone who can read the experiment lists and opens them, through any MLflow client too.

import {get, post} from '../api.js';
import {navigate} from '../app.js';
import {h, replace, toast, fmtAgo} from '../util.js';

export const VIEW_PREFIX = 'labbook.view.';
const NAME = /^[A-Za-z0-9 _.\-]{1,80}$/;

/** The saved views of an experiment: [{name, path, saved}], newest first. */
export async function listViews(experimentId) {
  const {experiment} = await get('mlflow/experiments/get', {experiment_id: experimentId});
  const out = [];
  for (const t of experiment.tags || []) {
    if (!t.key.startsWith(VIEW_PREFIX) || !t.value) continue;
    try {
      const v = JSON.parse(t.value);
      if (typeof v.path === 'string' && v.path.startsWith('/')) out.push({name: t.key.slice(VIEW_PREFIX.length), path: v.path, saved: v.saved || 0});
    } catch (e) { /* a tag that is not a view */ }
  }
  return out.sort((a, b) => b.saved - a.saved);
}

/** Saves the current address as view {@code name} of the experiment. */
export function saveView(experimentId, name, path) {
  return post('mlflow/experiments/set-experiment-tag', {experiment_id: experimentId, key: VIEW_PREFIX + name,
    value: JSON.stringify({path, saved: Date.now()})});
}

/** Deletes a view: its tag is emptied (MLflow's REST API has no call that removes an experiment tag). */
export function deleteView(experimentId, name) {
  return post('mlflow/experiments/set-experiment-tag', {experiment_id: experimentId, key: VIEW_PREFIX + name, value: ''});
}

/** A "Views" menu: the experiment's saved views (open, delete) and saving the current address. */
export function viewsMenu(experimentId) {
  const list = h('div', {class: 'menu-list views-list'});
  const nameIn = h('input', {type: 'text', placeholder: 'Name of this view', 'aria-label': 'View name', maxlength: '80'});
  const form = h('form', {class: 'menu-actions', onsubmit: async e => {
    e.preventDefault();
    const name = nameIn.value.trim();
    if (!NAME.test(name)) { toast('A view name has letters, digits, spaces, dots, dashes or underscores', 'error'); return; }
    try {
      await saveView(experimentId, name, location.pathname + location.search);
      nameIn.value = '';
      toast(`View "${name}" saved`);
      await draw();
    } catch (err) { toast(err.message, 'error'); }
  }}, nameIn, h('button', {type: 'submit', class: 'btn small primary'}, 'Save view'));
  const menu = h('details', {class: 'menu views-menu'}, h('summary', {class: 'btn'}, 'Views'), h('div', {class: 'menu-pop'}, form, list));
  async function draw() {
    try {
      const views = await listViews(experimentId);
      replace(list, views.length ? views.map(v => h('div', {class: 'col-row view-row', dataset: {view: v.name}},
        h('a', {href: v.path, title: v.path, onclick: e => { e.preventDefault(); menu.open = false; navigate(v.path); }}, v.name),
        h('span', {class: 'muted small'}, fmtAgo(v.saved)),
        h('button', {type: 'button', class: 'pin-col', 'aria-label': `Delete view ${v.name}`, title: 'Delete this view', onclick: async () => {
          try { await deleteView(experimentId, v.name); await draw(); } catch (err) { toast(err.message, 'error'); }
        }}, '×'))) : h('p', {class: 'muted small'}, 'No saved views yet.'));
    } catch (err) {
      replace(list, h('p', {class: 'error-text small'}, err.message));
    }
  }
  menu.addEventListener('toggle', () => { if (menu.open) draw(); });
  return menu;
}
