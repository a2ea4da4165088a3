// The artifact browser of a run or of a logged model: a folder tree on the left (folders load when
// opened) and a preview on the right for images, text, JSON and CSV/TSV tables, with a download link.

import {get, artifactUrl} from '../api.js';
import {h, replace, fmtBytes, errorBox} from '../util.js';

const IMAGE = /\.(png|jpe?g|gif|svg|webp|bmp)$/i;
const JSON_EXT = /\.(json|jsonl|ipynb)$/i;
const TABLE = /\.(csv|tsv)$/i;
const TEXT = /(\.(txt|log|md|py|java|kt|scala|yaml|yml|xml|sh|toml|ini|cfg|conf|properties|html|css|js|sql|r)$)|(^|\/)(MLmodel|requirements[^/]*|Dockerfile|LICENSE|README)$/i;
const MAX_PREVIEW_BYTES = 2 << 20;
const MAX_TABLE_ROWS = 500;

/** The artifact browser of a run. */
export function artifactBrowser(run) {
  const runId = run.info.run_id;
  return artifactBrowserOf({
    list: path => allPages(token => get('mlflow/artifacts/list', {run_id: runId, path, page_token: token})),
    url: path => artifactUrl(run, path),
  });
}

/** The artifact browser of a logged model (MLflow 3): its own listing and download routes. */
export function loggedModelArtifacts(model) {
  const id = encodeURIComponent(model.info.model_id);
  return artifactBrowserOf({
    list: path => allPages(token => get(`mlflow/logged-models/${id}/artifacts/directories`, {artifact_directory_path: path, page_token: token})),
    url: path => `/api/2.0/mlflow/logged-models/${id}/artifacts/files?artifact_file_path=${encodeURIComponent(path)}`,
  });
}

/** Every file of a paged listing. */
async function allPages(page) {
  const files = [];
  let token;
  do {
    const res = await page(token);
    files.push(...(res.files || []));
    token = res.next_page_token;
  } while (token);
  return files;
}

/**
 * A folder tree and a preview pane over any artifact source: {@code list(path)} resolves to the
 * files directly under path, {@code url(path)} is where a file downloads from.
 */
export function artifactBrowserOf(source) {
  const tree = h('ul', {class: 'tree', role: 'tree', 'aria-label': 'Artifacts'});
  const preview = h('div', {class: 'preview', 'aria-live': 'polite'}, h('p', {class: 'muted'}, 'Select a file to preview it.'));
  const el = h('div', {class: 'artifacts'}, h('div', {class: 'card tree-pane'}, tree), h('div', {class: 'card preview-pane'}, preview));
  let selected = null;

  async function list(path) {
    const files = await source.list(path);
    return files.sort((a, b) => (b.is_dir - a.is_dir) || a.path.localeCompare(b.path));
  }

  async function fill(ul, path, level) {
    replace(ul, h('li', {class: 'muted', role: 'none'}, 'Loading…'));
    try {
      const files = await list(path);
      if (!files.length && level === 1) {
        replace(ul, h('li', {class: 'muted', role: 'none'}, 'No artifacts were logged.'));
        return;
      }
      replace(ul, files.map(f => node(f, level)));
      if (level === 1) {
        const first = files.find(f => !f.is_dir);
        if (first) show(first, ul.querySelector(`[data-path="${CSS.escape(first.path)}"]`));
      }
    } catch (err) {
      replace(ul, h('li', {role: 'none'}, errorBox(err.status === 404 ? new Error('This server has no artifact listing.') : err)));
    }
  }

  function node(f, level) {
    const name = f.path.split('/').pop();
    if (f.is_dir) {
      const sub = h('ul', {role: 'group', hidden: true});
      const btn = h('button', {type: 'button', class: 'tree-item dir', role: 'treeitem', 'aria-expanded': 'false', 'aria-level': String(level), dataset: {path: f.path},
        onclick: () => {
          const open = btn.getAttribute('aria-expanded') !== 'true';
          btn.setAttribute('aria-expanded', String(open));
          sub.hidden = !open;
          if (open && !sub.dataset.loaded) { sub.dataset.loaded = '1'; fill(sub, f.path, level + 1); }
        }}, h('span', {class: 'icon', 'aria-hidden': 'true'}, '▸'), name);
      return h('li', {role: 'none'}, btn, sub);
    }
    const btn = h('button', {type: 'button', class: 'tree-item file', role: 'treeitem', 'aria-level': String(level), 'aria-selected': 'false', dataset: {path: f.path},
      onclick: () => show(f, btn)}, h('span', {class: 'icon', 'aria-hidden': 'true'}, '·'), name, h('span', {class: 'muted small size'}, fmtBytes(f.file_size)));
    return h('li', {role: 'none'}, btn);
  }

  async function show(f, btn) {
    if (selected) selected.setAttribute('aria-selected', 'false');
    selected = btn;
    if (btn) btn.setAttribute('aria-selected', 'true');
    const url = source.url(f.path);
    const headerEl = h('div', {class: 'preview-head'}, h('h2', null, f.path), h('span', {class: 'muted small'}, fmtBytes(f.file_size)),
      h('a', {class: 'btn small', href: url, download: f.path.split('/').pop()}, 'Download'));
    const content = h('div', {class: 'preview-body'});
    replace(preview, headerEl, content);
    if (IMAGE.test(f.path)) {
      replace(content, h('img', {src: url, alt: `Artifact ${f.path}`, class: 'artifact-image'}));
      return;
    }
    const kind = JSON_EXT.test(f.path) ? 'json' : TABLE.test(f.path) ? 'table' : TEXT.test(f.path) ? 'text' : null;
    if (!kind) {
      replace(content, h('p', {class: 'muted'}, 'No preview for this file type.'));
      return;
    }
    if (f.file_size && f.file_size > MAX_PREVIEW_BYTES) {
      replace(content, h('p', {class: 'muted'}, `Too large to preview (${fmtBytes(f.file_size)}); download it instead.`));
      return;
    }
    replace(content, h('p', {class: 'muted'}, 'Loading…'));
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`Download failed: ${res.status} ${res.statusText}`);
      const text = await res.text();
      if (kind === 'json') replace(content, h('pre', {class: 'code'}, prettyJson(text, f.path)));
      else if (kind === 'table') replace(content, csvTable(text, /\.tsv$/i.test(f.path) ? '\t' : ','));
      else replace(content, h('pre', {class: 'code'}, text));
    } catch (err) {
      replace(content, errorBox(err));
    }
  }

  fill(tree, '', 1);
  return el;
}

function prettyJson(text, path) {
  if (/\.jsonl$/i.test(path)) {
    return text.split('\n').filter(Boolean).slice(0, 1000).map(l => { try { return JSON.stringify(JSON.parse(l)); } catch (e) { return l; } }).join('\n');
  }
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
}

/** Parses CSV/TSV (RFC 4180 quoting) into a table of at most MAX_TABLE_ROWS rows. */
export function parseDelimited(text, sep) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length && rows.length <= MAX_TABLE_ROWS; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      rows.push(row); row = [];
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function csvTable(text, sep) {
  const rows = parseDelimited(text, sep);
  if (!rows.length) return h('p', {class: 'muted'}, 'Empty file.');
  const [head, ...body] = rows;
  const shown = body.slice(0, MAX_TABLE_ROWS);
  return h('div', {class: 'table-scroll'},
    h('table', {class: 'grid compact', 'aria-label': 'Table preview'},
      h('thead', null, h('tr', null, head.map(c => h('th', {scope: 'col'}, c)))),
      h('tbody', null, shown.map(r => h('tr', null, r.map(c => h('td', null, c)))))),
    body.length > MAX_TABLE_ROWS ? h('p', {class: 'muted small'}, `First ${MAX_TABLE_ROWS} rows shown.`) : null);
}
