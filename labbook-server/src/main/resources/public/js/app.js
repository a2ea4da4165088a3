// The dashboard's router: maps the shareable addresses to pages, handles in-app links without
// reloading, and gives each page a chance to clean up (close live streams, destroy charts).

import {h, replace, errorBox} from './util.js';
import {session, renderUserBox} from './auth.js';

const ROUTES = [
  {re: /^\/$/, nav: 'experiments', load: () => import('./pages/experiments.js'), args: () => ({})},
  {re: /^\/experiments\/([^/]+)\/?$/, nav: 'experiments', load: () => import('./pages/runs.js'), args: m => ({experimentId: decodeURIComponent(m[1])})},
  {re: /^\/experiments\/([^/]+)\/charts\/?$/, nav: 'experiments', load: () => import('./pages/expcharts.js'), args: m => ({experimentId: decodeURIComponent(m[1])})},
  {re: /^\/experiments\/([^/]+)\/models\/?$/, nav: 'experiments', load: () => import('./pages/loggedmodels.js'), args: m => ({experimentId: decodeURIComponent(m[1])})},
  {re: /^\/experiments\/([^/]+)\/models\/([^/]+)\/?$/, nav: 'experiments', load: () => import('./pages/loggedmodel.js'),
    args: m => ({experimentId: decodeURIComponent(m[1]), modelId: decodeURIComponent(m[2])})},
  {re: /^\/experiments\/([^/]+)\/traces\/?$/, nav: 'experiments', load: () => import('./pages/traces.js'), args: m => ({experimentId: decodeURIComponent(m[1])})},
  {re: /^\/runs\/([^/]+)\/?$/, nav: 'experiments', load: () => import('./pages/run.js'), args: m => ({runId: decodeURIComponent(m[1])})},
  {re: /^\/sweeps\/([^/]+)\/?$/, nav: 'experiments', load: () => import('./pages/sweep.js'), args: m => ({sweepId: decodeURIComponent(m[1])})},
  {re: /^\/compare\/?$/, nav: 'experiments', load: () => import('./pages/compare.js'), args: () => ({})},
  {re: /^\/login\/?$/, nav: '', load: () => import('./pages/login.js'), args: () => ({})},
  {re: /^\/admin\/?$/, nav: 'admin', load: () => import('./pages/admin.js'), args: () => ({})},
  {re: /^\/models\/?$/, nav: 'models', load: () => import('./pages/models.js'), args: () => ({})},
  {re: /^\/models\/(.+)$/, nav: 'models', load: () => import('./pages/model.js'), args: m => ({name: decodeURIComponent(m[1])})},
];

const main = document.getElementById('main');
let cleanup = null;
let generation = 0;

async function route() {
  const gen = ++generation;
  if (cleanup) {
    try { cleanup(); } catch (e) { /* a page failing to clean up must not block navigation */ }
    cleanup = null;
  }
  const path = location.pathname;
  const r = ROUTES.find(x => x.re.test(path));
  document.querySelectorAll('[data-nav]').forEach(a => {
    if (r && a.dataset.nav === r.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  if (!r) {
    replace(main, h('h1', null, 'Not found'), h('p', null, 'No page at ', h('code', null, path), '. ', h('a', {href: '/'}, 'Go to the experiments.')));
    return;
  }
  window.__labbook = {route: path, started: performance.now()};
  try {
    const s = await session();
    if (s.enabled && !s.user && path !== '/login') {
      location.assign('/login?next=' + encodeURIComponent(path + location.search));
      return;
    }
    const page = await r.load();
    if (gen !== generation) return;
    const root = h('div', {class: 'page'});
    replace(main, root);
    cleanup = page.render(root, r.args(r.re.exec(path)), new URLSearchParams(location.search)) || null;
  } catch (e) {
    if (gen === generation) replace(main, errorBox(e));
  }
}

/** Navigates within the app (pushes history and renders the page). */
export function navigate(url, {replaceState = false} = {}) {
  if (replaceState) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route();
  main.focus({preventScroll: true});
  window.scrollTo(0, 0);
}

document.addEventListener('click', e => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/get-artifact')) return;
  e.preventDefault();
  if (url.pathname + url.search === location.pathname + location.search) return;
  navigate(url.pathname + url.search + url.hash);
});

window.addEventListener('popstate', route);
session().then(renderUserBox, () => { /* the page shows the failure */ });
route();
