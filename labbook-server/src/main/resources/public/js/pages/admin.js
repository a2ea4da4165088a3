// "/admin": users, teams and tokens of a server with access control on, and the audit log.
// Users go through MLflow's own auth API (users/create, update-admin, delete); teams, tokens and
// the log through Labbook's (/api/labbook/auth/).

import {post, del, patch, authGet, authPost} from '../api.js';
import {session} from '../auth.js';
import {h, replace, fmtTime, title, toast, confirmDialog, errorBox} from '../util.js';

export function render(root) {
  title('Admin');
  replace(root, h('h1', null, 'Admin'), h('p', {class: 'muted'}, 'Loading…'));
  session().then(s => {
    if (!s.enabled) {
      replace(root, h('h1', null, 'Admin'), h('p', null, 'Access control is off on this server (start it with --auth).'));
    } else if (!s.user || !s.user.is_admin) {
      replace(root, h('h1', null, 'Admin'), h('div', {class: 'error', role: 'alert'}, 'Only admins may manage users and teams.'),
        tokensCard(s, false));
    } else {
      const users = h('section', {class: 'card', id: 'admin-users'});
      const teams = h('section', {class: 'card', id: 'admin-teams'});
      const audit = h('section', {class: 'card', id: 'admin-audit'});
      replace(root, h('h1', null, 'Admin'), users, teams, tokensCard(s, true), audit);
      loadUsers(users);
      loadTeams(teams);
      loadAudit(audit);
    }
  }).catch(err => replace(root, errorBox(err)));
}

async function loadUsers(card) {
  const {users} = await authGet('users/list');
  const name = h('input', {name: 'username', placeholder: 'username', required: true, 'aria-label': 'New username'});
  const pass = h('input', {name: 'password', type: 'password', placeholder: 'password', required: true, 'aria-label': 'Password'});
  const reload = () => loadUsers(card).catch(err => toast(err.message, 'error'));
  replace(card, h('h2', null, 'Users'),
    h('table', {class: 'grid'}, h('thead', null, h('tr', null, h('th', null, 'User'), h('th', null, 'Admin'), h('th', null, 'Created'), h('th'))),
      h('tbody', null, users.map(u => h('tr', {dataset: {user: u.username}},
        h('td', null, u.username),
        h('td', null, h('input', {type: 'checkbox', checked: u.is_admin, 'aria-label': `${u.username} is an admin`, onchange: async e => {
          try { await patch('mlflow/users/update-admin', {username: u.username, is_admin: e.target.checked}); } catch (err) { toast(err.message, 'error'); reload(); }
        }})),
        h('td', null, fmtTime(u.creation_time)),
        h('td', null, h('button', {type: 'button', class: 'btn small', onclick: async () => {
          if (!await confirmDialog(`Delete ${u.username}?`, 'Their grants, team memberships and tokens go with them.')) return;
          try { await del('mlflow/users/delete', {username: u.username}); reload(); } catch (err) { toast(err.message, 'error'); }
        }}, 'Delete')))))),
    h('form', {class: 'toolbar', 'aria-label': 'Create a user', onsubmit: async e => {
      e.preventDefault();
      try {
        await post('mlflow/users/create', {username: name.value.trim(), password: pass.value});
        toast(`Created ${name.value.trim()}`);
        reload();
      } catch (err) { toast(err.message, 'error'); }
    }}, name, pass, h('button', {type: 'submit', class: 'btn primary small'}, 'Create user')));
}

async function loadTeams(card) {
  const {teams} = await authGet('teams/list');
  const reload = () => loadTeams(card).catch(err => toast(err.message, 'error'));
  const act = async (endpoint, body) => {
    try { await authPost(endpoint, body); reload(); } catch (err) { toast(err.message, 'error'); }
  };
  const name = h('input', {name: 'team', placeholder: 'team name', required: true, 'aria-label': 'New team'});
  replace(card, h('h2', null, 'Teams'),
    teams.length ? h('ul', {class: 'teams'}, teams.map(t => {
      const member = h('input', {placeholder: 'username', 'aria-label': `Add a member to ${t.name}`, size: 12});
      return h('li', {dataset: {team: t.name}}, h('b', null, t.name), ': ',
        t.members.length ? t.members.map(m => h('span', {class: 'chip'}, m, ' ',
          h('button', {type: 'button', class: 'chip-remove', 'aria-label': `Remove ${m} from ${t.name}`,
            onclick: () => act('teams/remove-member', {team: t.name, username: m})}, '×'))) : h('span', {class: 'muted'}, 'no members'),
        h('form', {class: 'inline', onsubmit: e => { e.preventDefault(); act('teams/add-member', {team: t.name, username: member.value.trim()}); }},
          member, h('button', {type: 'submit', class: 'btn small'}, 'Add')),
        h('button', {type: 'button', class: 'btn small', onclick: () => act('teams/delete', {name: t.name})}, 'Delete team'));
    })) : h('p', {class: 'muted'}, 'No teams yet.'),
    h('form', {class: 'toolbar', 'aria-label': 'Create a team', onsubmit: e => { e.preventDefault(); act('teams/create', {name: name.value.trim()}); }},
      name, h('button', {type: 'submit', class: 'btn primary small'}, 'Create team')));
}

/** Tokens: yours (anyone), everyone's (admins); a new one is shown once. */
function tokensCard(s, all) {
  const card = h('section', {class: 'card', id: 'admin-tokens'});
  const reload = async () => {
    const {tokens} = await authGet('tokens/list', all ? {all_users: true} : {});
    const name = h('input', {name: 'name', placeholder: 'what it is for', required: true, 'aria-label': 'Token name'});
    const days = h('input', {name: 'days', type: 'number', min: 1, placeholder: 'days (blank: never)', 'aria-label': 'Expires in days'});
    const ro = h('input', {type: 'checkbox', name: 'read_only', 'aria-label': 'Read-only'});
    const shown = h('div', {class: 'new-token', hidden: true});
    replace(card, h('h2', null, all ? 'Tokens' : 'Your tokens'),
      h('table', {class: 'grid'}, h('thead', null, h('tr', null, ['Id', 'Name', 'User', 'Scope', 'State', 'Expires', ''].map(x => h('th', null, x)))),
        h('tbody', null, tokens.map(t => h('tr', {dataset: {token: t.id}},
          h('td', null, h('code', null, t.id)), h('td', null, t.name), h('td', null, t.username),
          h('td', null, t.read_only ? 'read-only' : 'full'),
          h('td', null, t.active ? 'active' : t.revoked_time ? 'revoked' : 'expired'),
          h('td', null, t.expiry_time ? fmtTime(t.expiry_time) : 'never'),
          h('td', null, t.active ? h('button', {type: 'button', class: 'btn small', onclick: async () => {
            try { await authPost('tokens/revoke', {token_id: t.id}); reload(); } catch (err) { toast(err.message, 'error'); }
          }}, 'Revoke') : null))))),
      h('form', {class: 'toolbar', 'aria-label': 'Create a token', onsubmit: async e => {
        e.preventDefault();
        try {
          const body = {name: name.value.trim(), read_only: ro.checked};
          if (days.value) body.expires_in_days = Number(days.value);
          const {token} = await authPost('tokens/create', body);
          await reload();
          const box = card.querySelector('.new-token');
          replace(box, h('p', null, 'Copy the token now: it is not shown again.'), h('code', {class: 'token-value'}, token));
          box.hidden = false;
        } catch (err) { toast(err.message, 'error'); }
      }}, name, days, h('label', null, ro, ' read-only'), h('button', {type: 'submit', class: 'btn primary small'}, 'Create token')),
      shown);
  };
  reload().catch(err => replace(card, errorBox(err)));
  return card;
}

async function loadAudit(card) {
  const {events} = await authGet('audit', {max_results: 100});
  replace(card, h('h2', null, 'Audit log'),
    h('table', {class: 'grid'}, h('thead', null, h('tr', null, ['When', 'Who', 'What', 'Target', 'Detail'].map(x => h('th', null, x)))),
      h('tbody', null, events.map(e => h('tr', null, h('td', null, fmtTime(e.time)), h('td', null, e.actor), h('td', null, e.action),
        h('td', null, e.target), h('td', null, e.detail || ''))))));
}
