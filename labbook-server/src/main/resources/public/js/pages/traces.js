// "/experiments/<id>/traces": the traces an MLflow 3 client logged with @mlflow.trace or
// mlflow.start_span, newest first, filtered with MLflow's trace grammar. Choosing one shows its
// span tree as a waterfall (each span's start and length against the whole trace), and choosing a
// span shows its inputs, outputs and attributes. The list comes from traces/search; a trace's
// spans from traces/get, which reads the traces.json the client uploaded through the artifact
// proxy. "?trace=<id>" opens a trace, so the address can be shared.

import {get, getV3, postV3} from '../api.js';
import {experimentNav} from '../components/expnav.js';
import {h, replace, fmtTime, fmtDuration, errorBox, title} from '../util.js';

const PAGE = 100;

export function render(root, {experimentId}, query) {
  const state = {filter: query.get('filter') || '', traces: [], token: null, selected: query.get('trace') || null};
  const expLink = h('a', {href: `/experiments/${encodeURIComponent(experimentId)}`}, experimentId);
  const heading = h('h1', null, 'Traces');
  const count = h('span', {class: 'muted count', 'aria-live': 'polite'});
  const filterInput = h('input', {type: 'search', class: 'filter', value: state.filter, spellcheck: false,
    placeholder: "Filter traces: trace.status = 'OK' AND tags.topic = 'math'", 'aria-label': 'Filter traces (MLflow search syntax)'});
  const filterError = h('div', {class: 'filter-error', role: 'alert'});
  const searchForm = h('form', {class: 'search', role: 'search', onsubmit: e => {
    e.preventDefault();
    state.filter = filterInput.value.trim();
    syncUrl();
    load(false);
  }}, filterInput, h('button', {type: 'submit', class: 'btn'}, 'Search'));
  const tbody = h('tbody');
  const more = h('button', {type: 'button', class: 'btn small', onclick: () => load(true)}, 'Load more');
  const moreBar = h('div', {class: 'pad', hidden: true}, more);
  const list = h('section', {class: 'card flush traces-list', 'aria-label': 'Traces'},
    h('table', {class: 'grid compact'},
      h('thead', null, h('tr', null, h('th', null, 'Time'), h('th', null, 'Name'), h('th', {class: 'num'}, 'Duration'),
        h('th', null, 'Status'), h('th', null, 'Request'))),
      tbody),
    moreBar);
  const detail = h('section', {class: 'card trace-detail', 'aria-label': 'Trace', 'aria-live': 'polite'},
    h('p', {class: 'muted'}, 'Choose a trace to see its spans.'));
  replace(root,
    h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '/'}, 'Experiments'), ' / ', expLink, ' / Traces'),
    h('div', {class: 'page-head'}, heading, count),
    experimentNav(experimentId, 'traces'),
    h('div', {class: 'toolbar'}, searchForm),
    filterError,
    h('div', {class: 'traces-body'}, list, detail));

  get('mlflow/experiments/get', {experiment_id: experimentId}).then(r => {
    expLink.textContent = r.experiment.name;
    title('Traces', r.experiment.name);
  }).catch(() => {});

  function syncUrl() {
    const q = new URLSearchParams();
    if (state.filter) q.set('filter', state.filter);
    if (state.selected) q.set('trace', state.selected);
    const s = q.toString();
    history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
  }

  async function load(append) {
    filterError.textContent = '';
    try {
      const res = await postV3('traces/search', {
        locations: [{type: 'MLFLOW_EXPERIMENT', mlflow_experiment: {experiment_id: experimentId}}],
        filter: state.filter || undefined, max_results: PAGE, order_by: ['timestamp_ms DESC'],
        page_token: append ? state.token : undefined,
      });
      state.traces = append ? state.traces.concat(res.traces || []) : (res.traces || []);
      state.token = res.next_page_token || null;
    } catch (e) {
      if (e.code === 'INVALID_PARAMETER_VALUE') { filterError.textContent = e.message; return; }
      replace(tbody, h('tr', null, h('td', {colspan: 5}, errorBox(e))));
      return;
    }
    count.textContent = `${state.traces.length}${state.token ? '+' : ''} trace${state.traces.length === 1 ? '' : 's'}`;
    moreBar.hidden = !state.token;
    replace(tbody, state.traces.length ? state.traces.map(row)
      : h('tr', null, h('td', {colspan: 5, class: 'muted'}, state.filter ? 'No trace matches the filter.' : 'No traces logged to this experiment yet.')));
    if (state.selected) show(state.selected);
  }

  function row(t) {
    const tr = h('tr', {class: 'trace-row' + (t.trace_id === state.selected ? ' selected' : ''), dataset: {traceId: t.trace_id}},
      h('td', {class: 'nowrap'}, h('a', {href: `?trace=${encodeURIComponent(t.trace_id)}`, onclick: e => { e.preventDefault(); select(t.trace_id); }},
        fmtTime(Date.parse(t.request_time)))),
      h('td', {class: 'clip'}, (t.tags || {})['mlflow.traceName'] || h('span', {class: 'muted'}, t.trace_id)),
      h('td', {class: 'num'}, fmtMs(durationMs(t.execution_duration))),
      h('td', null, h('span', {class: `badge ${stateClass(t.state)}`}, t.state)),
      h('td', {class: 'clip mono muted'}, t.request_preview || ''));
    return tr;
  }

  function select(traceId) {
    state.selected = traceId;
    syncUrl();
    tbody.querySelectorAll('tr.trace-row').forEach(tr => tr.classList.toggle('selected', tr.dataset.traceId === traceId));
    show(traceId);
  }

  async function show(traceId) {
    replace(detail, h('p', {class: 'muted'}, 'Loading…'));
    let trace;
    try {
      trace = (await getV3('traces/get', {trace_id: traceId})).trace;
    } catch (e) {
      replace(detail, errorBox(e));
      return;
    }
    if (state.selected !== traceId) return;
    replace(detail, traceView(trace));
  }

  load(false);
  return () => {};
}

/** The trace's header, its span waterfall and the chosen span's details. */
function traceView(trace) {
  const info = trace.trace_info;
  const spans = (trace.spans || []).map(normalize);
  const head = h('div', {class: 'trace-head'},
    h('h2', null, (info.tags || {})['mlflow.traceName'] || info.trace_id),
    h('span', {class: `badge ${stateClass(info.state)}`}, info.state),
    h('span', {class: 'muted small'}, `${fmtTime(Date.parse(info.request_time))} · ${fmtMs(durationMs(info.execution_duration))}`),
    h('code', {class: 'muted small'}, info.trace_id));
  if (!spans.length) {
    return h('div', null, head, h('p', {class: 'muted'}, 'This trace has no span data (traces.json was not uploaded).'));
  }
  const start = Math.min(...spans.map(s => s.start));
  const end = Math.max(...spans.map(s => s.end));
  const total = Math.max(end - start, 1e-6);
  const spanDetail = h('div', {class: 'span-detail'});
  const rows = h('ol', {class: 'span-tree', 'aria-label': 'Spans'});
  const order = tree(spans);
  for (const {span, depth} of order) {
    const left = ((span.start - start) / total) * 100;
    const width = Math.max(((span.end - span.start) / total) * 100, 0.5);
    const button = h('button', {type: 'button', class: 'span-row', dataset: {spanId: span.id}, 'aria-pressed': 'false',
      onclick: () => {
        rows.querySelectorAll('button.span-row').forEach(b => b.setAttribute('aria-pressed', String(b === button)));
        replace(spanDetail, spanView(span));
      }},
      h('span', {class: 'span-name', style: {paddingLeft: `${depth * 16}px`}},
        h('span', {class: 'span-type'}, span.type || 'SPAN'), ' ', span.name),
      h('span', {class: 'span-bar-track'}, h('span', {class: `span-bar ${span.error ? 'error' : ''}`, style: {left: `${left}%`, width: `${width}%`}})),
      h('span', {class: 'span-time num'}, fmtMs(span.end - span.start)));
    rows.append(h('li', null, button));
  }
  replace(spanDetail, spanView(order[0].span));
  rows.querySelector('button.span-row').setAttribute('aria-pressed', 'true');
  return h('div', null, head, rows, spanDetail);
}

function spanView(span) {
  const attrs = Object.entries(span.attributes).filter(([k]) => !k.startsWith('mlflow.span') && k !== 'mlflow.traceRequestId');
  return h('div', null,
    h('h2', null, span.name, ' ', h('span', {class: 'muted small'}, `${fmtMs(span.end - span.start)}${span.error ? ' · error' : ''}`)),
    h('div', {class: 'span-io'},
      h('div', null, h('h3', null, 'Inputs'), h('pre', {class: 'json span-inputs'}, pretty(span.inputs))),
      h('div', null, h('h3', null, 'Outputs'), h('pre', {class: 'json span-outputs'}, pretty(span.outputs)))),
    attrs.length ? h('table', {class: 'kv'}, h('tbody', null, attrs.map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, pretty(v)))))) : null);
}

/** One span in a common shape, from OpenTelemetry's JSON form (what traces/get answers). */
function normalize(s) {
  const attributes = {};
  if (Array.isArray(s.attributes)) {
    for (const a of s.attributes) attributes[a.key] = a.value && (a.value.string_value ?? a.value.stringValue ?? JSON.stringify(a.value));
  } else {
    for (const [k, v] of Object.entries(s.attributes || {})) attributes[k] = decode(v);
  }
  const code = String((s.status && s.status.code) || '');
  return {
    id: s.span_id, parent: s.parent_span_id || null, name: s.name,
    start: Number(s.start_time_unix_nano) / 1e6, end: Number(s.end_time_unix_nano) / 1e6,
    type: attributes['mlflow.spanType'], inputs: attributes['mlflow.spanInputs'], outputs: attributes['mlflow.spanOutputs'],
    error: code.endsWith('ERROR'), attributes,
  };
}

/** MLflow stores span attribute values as JSON text; shows them as values. */
function decode(v) {
  if (typeof v !== 'string') return v;
  try { return JSON.parse(v); } catch (e) { return v; }
}

/** Depth-first order of the spans, children by start time; spans whose parent is missing are roots. */
function tree(spans) {
  const ids = new Set(spans.map(s => s.id));
  const children = new Map();
  for (const s of spans) {
    const p = s.parent && ids.has(s.parent) ? s.parent : null;
    if (!children.has(p)) children.set(p, []);
    children.get(p).push(s);
  }
  const out = [];
  const walk = (parent, depth) => {
    for (const s of (children.get(parent) || []).sort((a, b) => a.start - b.start)) {
      out.push({span: s, depth});
      walk(s.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

function pretty(v) {
  if (v === undefined || v === null) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

/** Milliseconds of a protobuf Duration in JSON ("0.25s"). */
function durationMs(d) {
  if (d === undefined || d === null) return null;
  return parseFloat(String(d)) * 1000;
}

function fmtMs(ms) {
  if (!Number.isFinite(ms)) return '';
  return ms < 1000 ? `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms` : fmtDuration(ms);
}

function stateClass(state) {
  return state === 'OK' ? 'FINISHED' : state === 'ERROR' ? 'FAILED' : state === 'IN_PROGRESS' ? 'RUNNING' : '';
}
