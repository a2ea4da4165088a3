// Calls to the server: MLflow's REST API under /api/2.0/mlflow/ and Labbook's own under
// /api/2.0/labbook/. Failures become ApiError with the server's message.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// With access control on, the session's CSRF token goes with every write (the cookie alone is
// not enough), and the dashboard says who it is so that a 401 does not open the browser's own
// sign-in dialog.
let csrfToken = null;

/** Sets the CSRF token of the signed-in session (from the sign-in or "me" answer). */
export function setCsrf(token) {
  csrfToken = token || null;
}

async function call(url, init = {}) {
  const headers = Object.assign({'X-Labbook-Dashboard': '1'}, init.headers || {});
  if (csrfToken && init.method && init.method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  init = Object.assign({}, init, {headers});
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached');
  }
  const text = await res.text();
  let body = {};
  if (text) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      body = {message: text};
    }
  }
  if (res.status === 401 && !init.noSignIn && !location.pathname.startsWith('/login')) {
    // the session ended (or never began): sign in, then come back here
    location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
  }
  if (!res.ok) {
    throw new ApiError(res.status, body.error_code || 'HTTP_' + res.status, body.message || res.statusText);
  }
  return body;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach(x => q.append(k, x));
    else q.append(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** GET an endpoint such as 'mlflow/runs/get' with query parameters. */
export function get(endpoint, params) {
  return call(`/api/2.0/${endpoint}${query(params)}`, {headers: {Accept: 'application/json'}});
}

/** POST a JSON body to an endpoint such as 'mlflow/runs/search'. */
export function post(endpoint, body) {
  return call(`/api/2.0/${endpoint}`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: JSON.stringify(body || {}),
  });
}

/** DELETE with a JSON body, as MLflow's clients send it (e.g. 'mlflow/registered-models/alias'). */
export function del(endpoint, body) {
  return call(`/api/2.0/${endpoint}`, {
    method: 'DELETE',
    headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: JSON.stringify(body || {}),
  });
}

/** GET one of Labbook's auth endpoints such as 'me' (under /api/labbook/auth/). */
export function authGet(endpoint, params) {
  return call(`/api/labbook/auth/${endpoint}${query(params)}`, {headers: {Accept: 'application/json'}, noSignIn: endpoint === 'me'});
}

/** POST to one of Labbook's auth endpoints such as 'login'. */
export function authPost(endpoint, body) {
  return call(`/api/labbook/auth/${endpoint}`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: JSON.stringify(body || {}),
    noSignIn: endpoint === 'login',
  });
}

/** PATCH a JSON body to an MLflow endpoint (MLflow's auth API uses it for updates). */
export function patch(endpoint, body) {
  return call(`/api/2.0/${endpoint}`, {
    method: 'PATCH',
    headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: JSON.stringify(body || {}),
  });
}

/** GET an MLflow 3 endpoint such as 'traces/get' (under /api/3.0/mlflow/). */
export function getV3(endpoint, params) {
  return call(`/api/3.0/mlflow/${endpoint}${query(params)}`, {headers: {Accept: 'application/json'}});
}

/** POST a JSON body to an MLflow 3 endpoint such as 'traces/search'. */
export function postV3(endpoint, body) {
  return call(`/api/3.0/mlflow/${endpoint}`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: JSON.stringify(body || {}),
  });
}

/** The tags of a run as a map. */
export function tagMap(run) {
  const out = {};
  for (const t of (run.data && run.data.tags) || []) out[t.key] = t.value;
  return out;
}

/** The URL that downloads one artifact of a run. */
export function artifactUrl(run, path) {
  const uri = run.info.artifact_uri || '';
  const enc = path.split('/').map(encodeURIComponent).join('/');
  const m = /^mlflow-artifacts:\/+(.*)$/.exec(uri);
  if (m) {
    const base = m[1].replace(/\/$/, '');
    return `/api/2.0/mlflow-artifacts/artifacts/${base.split('/').map(encodeURIComponent).join('/')}/${enc}`;
  }
  return `/get-artifact?run_uuid=${encodeURIComponent(run.info.run_id)}&path=${encodeURIComponent(path)}`;
}

/** Fetches sampled metric histories for charts: {runId: [{step, timestamp, value}]}, 100 runs a request. */
export async function history(runIds, key, {maxResults = 1000, startStep, endStep} = {}) {
  const out = {};
  for (const id of runIds) out[id] = [];
  const chunks = [];
  for (let i = 0; i < runIds.length; i += 100) chunks.push(runIds.slice(i, i + 100));
  const answers = await Promise.all(chunks.map(ids => get('mlflow/metrics/get-history-bulk-interval', {
    run_ids: ids, metric_key: key, max_results: maxResults, start_step: startStep, end_step: endStep,
  })));
  for (const res of answers) for (const m of res.metrics || []) (out[m.run_id] || (out[m.run_id] = [])).push(m);
  return out;
}
