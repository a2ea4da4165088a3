// Who is signed in, and what they may do. With access control off (the server has no auth
// endpoints) everyone may do everything and nothing of this shows.

import {authGet, authPost, setCsrf} from './api.js';
import {h} from './util.js';

let current = null;

/** The session: {enabled, user: {username, is_admin} | null, readOnly}. Asked once per page load. */
export function session() {
  if (!current) current = load();
  return current;
}

async function load() {
  try {
    const me = await authGet('me');
    if (me.auth_enabled === false) return {enabled: false, user: null, readOnly: false};
    setCsrf(me.csrf_token);
    return {enabled: true, user: me.user || null, readOnly: !!me.read_only};
  } catch (e) {
    if (e.status === 404) return {enabled: false, user: null, readOnly: false};
    throw e;
  }
}

const ALL = {permission: 'MANAGE', can_read: true, can_update: true, can_delete: true, can_manage: true, auth_off: true};

/** What the caller may do with an experiment ({experiment_id}) or a registered model ({name}). */
export async function permission(target) {
  const s = await session();
  if (!s.enabled) return ALL;
  return authGet('permission', target);
}

/** The reason shown on a control the caller may not use. */
export function reason(perm, action) {
  const needs = {update: 'EDIT', delete: 'MANAGE', manage: 'MANAGE'}[action] || 'READ';
  return `You have ${perm.permission} here; ${needs} is needed. Ask someone who manages it to share it with you.`;
}

/** Disables {@code control} with the reason as its tooltip when {@code allowed} is false. */
export function gate(control, allowed, why) {
  if (allowed) return control;
  control.disabled = true;
  control.title = why;
  control.setAttribute('aria-disabled', 'true');
  control.dataset.denied = 'true';
  return control;
}

/** The header's right side: the signed-in user, an admin link, sign-out. */
export function renderUserBox(s) {
  const box = document.getElementById('userbox');
  if (!box || !s.enabled || !s.user) return;
  box.replaceChildren(
    s.user.is_admin ? h('a', {href: '/admin', class: 'admin-link'}, 'Admin') : null,
    h('span', {class: 'user', title: s.readOnly ? 'Signed in with a read-only token' : 'Signed in'}, s.user.username),
    h('button', {type: 'button', class: 'btn small signout', onclick: async () => {
      try { await authPost('logout'); } finally { location.assign('/login'); }
    }}, 'Sign out'));
}
