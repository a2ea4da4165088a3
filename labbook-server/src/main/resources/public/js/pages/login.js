// "/login": the dashboard's sign-in. A session cookie (HttpOnly, SameSite=Strict) comes back;
// the page then returns to where the visitor was going.

import {authPost} from '../api.js';
import {session} from '../auth.js';
import {h, replace, title} from '../util.js';

export function render(root, args, query) {
  title('Sign in');
  const next = safeNext(query.get('next'));
  session().then(s => {
    if (!s.enabled) {
      replace(root, h('h1', null, 'Sign in'), h('p', null, 'Access control is off on this server: there is nothing to sign in to. ',
        h('a', {href: '/'}, 'Go to the experiments.')));
      return;
    }
    if (s.user) {
      replace(root, h('h1', null, 'Signed in'), h('p', null, `You are signed in as ${s.user.username}. `, h('a', {href: next}, 'Continue.')));
      return;
    }
    const user = h('input', {id: 'login-user', name: 'username', autocomplete: 'username', required: true});
    const pass = h('input', {id: 'login-pass', name: 'password', type: 'password', autocomplete: 'current-password', required: true});
    const error = h('div', {class: 'error login-error', role: 'alert', hidden: true});
    const submit = h('button', {type: 'submit', class: 'btn primary'}, 'Sign in');
    const form = h('form', {class: 'login card', 'aria-label': 'Sign in', onsubmit: async e => {
      e.preventDefault();
      submit.disabled = true;
      error.hidden = true;
      try {
        await authPost('login', {username: user.value, password: pass.value});
        location.assign(next);
      } catch (err) {
        error.textContent = err.status === 429 ? err.message : err.status === 401 ? 'Wrong username or password.' : err.message;
        error.hidden = false;
        submit.disabled = false;
        pass.select();
      }
    }},
    h('label', {for: 'login-user'}, 'Username'), user,
    h('label', {for: 'login-pass'}, 'Password'), pass,
    error, submit,
    h('p', {class: 'muted small'}, 'Scripts sign in with a personal access token (MLFLOW_TRACKING_TOKEN) instead.'));
    replace(root, h('h1', null, 'Sign in to Labbook'), form);
    user.focus();
  });
}

/** Only addresses of this dashboard: never an open redirect to another site. */
function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
