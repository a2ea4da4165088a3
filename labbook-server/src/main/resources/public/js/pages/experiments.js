// "/": the experiments, with search, run counts and last activity; create, rename, delete, restore.

import {get, post} from '../api.js';
import {h, replace, fmtAgo, fmtTime, toast, confirmDialog, errorBox, title} from '../util.js';

export function render(root) {
  title('Experiments');
  const state = {experiments: [], activity: {}, query: '', deleted: false, editing: null};
  const search = h('input', {type: 'search', placeholder: 'Search experiments by name', 'aria-label': 'Search experiments',
    oninput: () => { state.query = search.value.trim().toLowerCase(); draw(); }});
  const newName = h('input', {type: 'text', placeholder: 'New experiment name', 'aria-label': 'New experiment name', required: true});
  const createForm = h('form', {class: 'inline-form', onsubmit: async e => {
    e.preventDefault();
    const name = newName.value.trim();
    if (!name) return;
    try {
      await post('mlflow/experiments/create', {name});
      newName.value = '';
      toast(`Created experiment ${name}`);
      await load();
    } catch (err) {
      toast(err.message, 'error');
    }
  }}, newName, h('button', {type: 'submit', class: 'btn primary'}, 'Create'));
  const showDeleted = h('input', {type: 'checkbox', id: 'show-deleted', onchange: () => { state.deleted = showDeleted.checked; load(); }});
  const body = h('div', {class: 'card flush'}, h('p', {class: 'muted pad'}, 'Loading…'));
  replace(root,
    h('div', {class: 'page-head'}, h('h1', null, 'Experiments'), createForm),
    h('div', {class: 'toolbar'}, search, h('label', {class: 'check'}, showDeleted, ' Show deleted')),
    body);

  async function load() {
    try {
      const [exps, act] = await Promise.all([
        post('mlflow/experiments/search', {max_results: 50000, view_type: state.deleted ? 'DELETED_ONLY' : 'ACTIVE_ONLY'}),
        get('labbook/experiments/activity'),
      ]);
      state.experiments = exps.experiments || [];
      state.activity = Object.fromEntries((act.experiments || []).map(a => [a.experiment_id, a]));
      draw();
    } catch (err) {
      replace(body, errorBox(err));
    }
  }

  function lastActivity(e) {
    const a = state.activity[e.experiment_id];
    return Math.max(Number(e.last_update_time || 0), a && a.last_activity ? Number(a.last_activity) : 0);
  }

  function draw() {
    const rows = state.experiments
      .filter(e => !state.query || e.name.toLowerCase().includes(state.query) || e.experiment_id === state.query)
      .sort((a, b) => lastActivity(b) - lastActivity(a));
    if (rows.length === 0) {
      replace(body, h('p', {class: 'muted pad'}, state.experiments.length ? 'No experiment matches the search.' : 'No experiments yet.'));
      return;
    }
    replace(body, h('table', {class: 'grid', 'aria-label': 'Experiments'},
      h('thead', null, h('tr', null,
        h('th', {scope: 'col'}, 'Name'), h('th', {scope: 'col', class: 'num'}, 'ID'), h('th', {scope: 'col', class: 'num'}, 'Runs'),
        h('th', {scope: 'col', class: 'num'}, 'Running'), h('th', {scope: 'col'}, 'Last activity'), h('th', {scope: 'col'}, 'Created'),
        h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Actions')))),
      h('tbody', null, rows.map(row))));
  }

  function row(e) {
    const a = state.activity[e.experiment_id] || {runs: 0, running: 0};
    const id = e.experiment_id;
    let nameCell;
    if (state.editing === id) {
      const input = h('input', {type: 'text', value: e.name, 'aria-label': `New name for ${e.name}`});
      nameCell = h('form', {class: 'inline-form', onsubmit: async ev => {
        ev.preventDefault();
        try {
          await post('mlflow/experiments/update', {experiment_id: id, new_name: input.value.trim()});
          state.editing = null;
          toast('Renamed');
          await load();
        } catch (err) {
          toast(err.message, 'error');
        }
      }}, input, h('button', {type: 'submit', class: 'btn small primary'}, 'Save'),
      h('button', {type: 'button', class: 'btn small', onclick: () => { state.editing = null; draw(); }}, 'Cancel'));
      setTimeout(() => input.focus(), 0);
    } else {
      nameCell = state.deleted ? h('span', null, e.name) : h('a', {href: `/experiments/${encodeURIComponent(id)}`}, e.name);
    }
    const actions = state.deleted
      ? [h('button', {type: 'button', class: 'btn small', 'aria-label': `Restore experiment ${e.name}`, onclick: async () => {
          try { await post('mlflow/experiments/restore', {experiment_id: id}); toast('Restored'); load(); } catch (err) { toast(err.message, 'error'); }
        }}, 'Restore')]
      : [h('button', {type: 'button', class: 'btn small', 'aria-label': `Rename experiment ${e.name}`, onclick: () => { state.editing = id; draw(); }}, 'Rename'),
         id === '0' ? null : h('button', {type: 'button', class: 'btn small danger-text', 'aria-label': `Delete experiment ${e.name}`, onclick: async () => {
           if (!await confirmDialog('Delete experiment?', `"${e.name}" and its ${a.runs} runs will be moved to the deleted experiments, from where they can be restored.`)) return;
           try { await post('mlflow/experiments/delete', {experiment_id: id}); toast('Deleted'); load(); } catch (err) { toast(err.message, 'error'); }
         }}, 'Delete')];
    return h('tr', {dataset: {experimentId: id}},
      h('td', null, nameCell),
      h('td', {class: 'num muted'}, id),
      h('td', {class: 'num'}, String(a.runs || 0)),
      h('td', {class: 'num'}, a.running ? h('span', {class: 'badge RUNNING'}, String(a.running)) : '0'),
      h('td', {title: fmtTime(lastActivity(e))}, fmtAgo(lastActivity(e))),
      h('td', {title: fmtTime(e.creation_time)}, fmtTime(e.creation_time).slice(0, 10)),
      h('td', {class: 'actions'}, actions));
  }

  load();
}
