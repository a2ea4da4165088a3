// Small DOM and formatting helpers shared by every page.

/** Creates an element: h('a', {href: '/', class: 'x', onclick: fn}, 'text', child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k in el && typeof v !== 'string') el[k] = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Removes every child of el and appends the given ones. */
export function replace(el, ...children) {
  el.textContent = '';
  append(el, children);
  return el;
}

/** A metric value from the wire (a number or "NaN"/"Infinity"). */
export function num(v) {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isNaN(n) && v !== 'NaN' ? null : n;
}

const NUM = new Intl.NumberFormat('en-US', {maximumSignificantDigits: 5});
const INT = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});

/** A metric value for display: 5 significant digits (integers whole), scientific when very large or small. */
export function fmtNum(v) {
  v = num(v);
  if (v === null || v === undefined) return '';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e7 || a < 1e-4)) return v.toExponential(3);
  return Number.isInteger(v) ? INT.format(v) : NUM.format(v);
}

/** A timestamp in milliseconds as local date and time. */
export function fmtTime(ms) {
  if (!ms) return '';
  const d = new Date(Number(ms));
  const p = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** How long ago a timestamp was, e.g. "5 min ago". */
export function fmtAgo(ms) {
  if (!ms) return '';
  const s = (Date.now() - Number(ms)) / 1000;
  if (s < 0) return fmtTime(ms);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 86400 * 30) return `${Math.floor(s / 86400)} d ago`;
  return fmtTime(ms).slice(0, 10);
}

/** A duration in milliseconds, e.g. "1h 02m", "3.2s". */
export function fmtDuration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const hr = Math.floor(m / 60);
  if (hr < 48) return `${hr}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(hr / 24)}d ${hr % 24}h`;
}

/** A byte count, e.g. "1.2 MB". */
export function fmtBytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  n = Number(n);
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/** Compares two cell values: numbers numerically, strings naturally; missing values last. */
export function compareValues(a, b) {
  const ma = a === null || a === undefined || a === '';
  const mb = b === null || b === undefined || b === '';
  if (ma || mb) return ma === mb ? 0 : (ma ? 1 : -1);
  const na = typeof a === 'number' ? a : Number(a);
  const nb = typeof b === 'number' ? b : Number(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return String(a).localeCompare(String(b), undefined, {numeric: true});
}

/** Colors for runs in charts; index by run order. */
export const PALETTE = ['#3867d6', '#e1703a', '#20a36b', '#c23a6b', '#8854d0', '#0fb9b1', '#b8860b', '#4b6584',
  '#eb3b5a', '#2d98da', '#26de81', '#a55eea', '#fd9644', '#45aaf2', '#778ca3', '#fa8231'];

export function color(i) {
  return PALETTE[i % PALETTE.length];
}

/** Shows a short message at the bottom of the window. */
export function toast(message, kind = 'info') {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.className = `show ${kind}`;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.className = ''; }, 4000);
}

/** Asks for confirmation in a modal dialog; resolves true when confirmed. */
export function confirmDialog(title, message, action = 'Delete') {
  return new Promise(resolve => {
    const dlg = h('dialog', {class: 'dialog', 'aria-labelledby': 'dlg-title'},
      h('h2', {id: 'dlg-title'}, title),
      h('p', null, message),
      h('div', {class: 'actions'},
        h('button', {type: 'button', class: 'btn', onclick: () => dlg.close('cancel')}, 'Cancel'),
        h('button', {type: 'button', class: 'btn danger', onclick: () => dlg.close('ok')}, action)));
    dlg.addEventListener('close', () => { dlg.remove(); resolve(dlg.returnValue === 'ok'); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

/** Limits how often fn runs: at most once per animation frame. */
export function rafThrottle(fn) {
  let queued = false;
  return (...args) => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; fn(...args); });
  };
}

export function debounce(fn, ms) {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

/** An error box for a failed load. */
export function errorBox(err) {
  return h('div', {class: 'error', role: 'alert'}, err && err.message ? err.message : String(err));
}

/** Sets the document title. */
export function title(...parts) {
  document.title = [...parts.filter(Boolean), 'Labbook'].join(' · ');
}

/** Offers a Blob as a download named {@code name}; the last ones are kept in window.__labbookDownloads. */
export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = h('a', {href: url, download: name, hidden: true});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
  const list = window.__labbookDownloads || (window.__labbookDownloads = []);
  list.push({name, type: blob.type, size: blob.size, blob});
  if (list.length > 20) list.shift();
}

/** Rows (arrays of cells) as CSV text, quoting cells that need it. */
export function toCsv(rows) {
  const cell = v => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  return rows.map(r => r.map(cell).join(',')).join('\n') + '\n';
}

/** A file name made of the given parts. */
export function fileName(...parts) {
  return parts.filter(Boolean).join('-').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}
