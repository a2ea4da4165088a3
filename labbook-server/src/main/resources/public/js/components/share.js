// The Share panel of an experiment or a registered model: who holds which permission (users
// and teams), grant one, change one, take one away. Shown only to those who may manage the
// resource; the server checks again.

import {authGet, authPost} from '../api.js';
import {h, replace, toast} from '../util.js';

const LEVELS = ['READ', 'USE', 'EDIT', 'MANAGE', 'NO_PERMISSIONS'];

/**
 * A "Share" button opening the panel; {@code kind} 'experiment' or 'model', {@code target} the
 * experiment id or the model's name.
 */
export function shareButton(kind, target, label) {
  const base = kind === 'experiment' ? 'experiments/grants' : 'registered-models/grants';
  const key = kind === 'experiment' ? {experiment_id: target} : {name: target};
  const list = h('ul', {class: 'grants'});
  const who = h('input', {name: 'who', placeholder: 'username or team', required: true, 'aria-label': 'User or team', size: 16});
  const asTeam = h('select', {name: 'kind', 'aria-label': 'Grant to'}, h('option', {value: 'username'}, 'User'), h('option', {value: 'team'}, 'Team'));
  const level = h('select', {name: 'permission', 'aria-label': 'Permission'}, LEVELS.map(l => h('option', {value: l}, l)));
  const dlg = h('dialog', {class: 'dialog share', 'aria-labelledby': 'share-title'});

  async function refresh() {
    const {grants} = await authGet(base, key);
    replace(list, grants.length ? grants.map(g => h('li', null,
      h('span', {class: 'grantee'}, g.team ? `team ${g.team}` : g.username), ' ',
      h('b', {class: 'level'}, g.permission), ' ',
      h('button', {type: 'button', class: 'btn small', 'aria-label': `Remove ${g.team || g.username}`, onclick: async () => {
        try {
          await authPost(base + '/delete', Object.assign({}, key, g.team ? {team: g.team} : {username: g.username}));
          await refresh();
        } catch (err) { toast(err.message, 'error'); }
      }}, 'Remove'))) : h('li', {class: 'muted'}, 'Nobody has a grant yet: everyone has the default permission.'));
  }

  const form = h('form', {class: 'toolbar', onsubmit: async e => {
    e.preventDefault();
    try {
      await authPost(base + '/set', Object.assign({}, key, {[asTeam.value]: who.value.trim(), permission: level.value}));
      toast(`Shared ${label} with ${who.value.trim()} (${level.value})`);
      who.value = '';
      await refresh();
    } catch (err) { toast(err.message, 'error'); }
  }}, asTeam, who, level, h('button', {type: 'submit', class: 'btn primary small'}, 'Grant'));

  dlg.append(h('h2', {id: 'share-title'}, `Share ${label}`), list, form,
    h('div', {class: 'actions'}, h('button', {type: 'button', class: 'btn', onclick: () => dlg.close()}, 'Close')));
  const button = h('button', {type: 'button', class: 'btn share-btn', onclick: async () => {
    if (!dlg.isConnected) document.body.append(dlg);
    try {
      await refresh();
      dlg.showModal();
    } catch (err) { toast(err.message, 'error'); }
  }}, 'Share');
  return button;
}
