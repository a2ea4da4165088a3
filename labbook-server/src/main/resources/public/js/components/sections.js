// A grid of metric charts in sections: the primary metric and the pinned charts first, then one
// section per family (train_*, val_*, test_*, system/*, the rest). Sections collapse (a
// collapsed section loads no chart) and the choice and the pins are remembered per experiment.

import {h, compareValues} from '../util.js';
import {FAMILIES, familyOf, pins as pinStore} from './metrics.js';

/**
 * @param {object} o keys: metric keys; primary: {key} or null; experimentId (where pins are
 *   kept); make(key): a MetricChart; observe(chart): loads it when in view; onPins(keys): told
 *   when the pins change; initialPins: pins from the address, adopted.
 * @returns {{el, charts: Map, add(key), filter(query), sections: Map}}
 */
export function chartSections(o) {
  const pins = pinStore(o.experimentId, o.initialPins || null);
  const collapsedKey = `labbook.collapsed.${o.experimentId || 'none'}`;
  let collapsed;
  try { collapsed = new Set(JSON.parse(localStorage.getItem(collapsedKey) || '[]')); } catch (e) { collapsed = new Set(); }
  const charts = new Map();
  const sections = new Map();
  const el = h('div', {class: 'chart-sections'});
  const defs = [{id: 'pinned', label: 'Primary and pinned'}, ...FAMILIES];
  for (const d of defs) {
    const grid = h('div', {class: 'chart-grid'});
    const count = h('span', {class: 'muted small count'});
    const sec = h('details', {class: 'chart-section', dataset: {section: d.id}, open: !collapsed.has(d.id)},
      h('summary', null, h('span', {class: 'section-title'}, d.label), ' ', count), grid);
    sec.addEventListener('toggle', () => {
      if (sec.open) collapsed.delete(d.id); else collapsed.add(d.id);
      localStorage.setItem(collapsedKey, JSON.stringify([...collapsed]));
    });
    sections.set(d.id, {el: sec, grid, count, keys: []});
    el.append(sec);
  }
  let query = '';

  const isPrimary = k => !!(o.primary && o.primary.key === k);
  const sectionOf = k => (isPrimary(k) || pins.has(k) ? 'pinned' : familyOf(k));

  function place() {
    for (const s of sections.values()) s.keys = [];
    for (const k of charts.keys()) sections.get(sectionOf(k)).keys.push(k);
    for (const s of sections.values()) {
      s.keys.sort((a, b) => (isPrimary(b) - isPrimary(a)) || compareValues(a, b));
      for (const k of s.keys) s.grid.append(charts.get(k).el);
      const shown = s.keys.filter(k => !charts.get(k).el.hidden).length;
      s.count.textContent = query ? `${shown} of ${s.keys.length}` : String(s.keys.length);
      s.el.hidden = shown === 0;
      s.el.dataset.count = String(s.keys.length);
    }
  }

  function add(key) {
    if (charts.has(key)) return charts.get(key);
    const c = o.make(key);
    const pinBtn = h('button', {type: 'button', class: 'pin', 'aria-pressed': String(pins.has(key)),
      title: 'Pin this chart to the top', 'aria-label': `Pin ${key}`, onclick: () => {
        const on = pins.toggle(key);
        pinBtn.setAttribute('aria-pressed', String(on));
        pinBtn.textContent = on ? '★' : '☆';
        place();
        if (o.onPins) o.onPins(pins.keys());
      }}, pins.has(key) ? '★' : '☆');
    if (isPrimary(key)) c.caption.insertBefore(h('span', {class: 'badge primary', title: 'The experiment\'s primary metric'}, 'primary'), c.status);
    else c.tools.prepend(pinBtn);
    c.el.hidden = !!query && !key.toLowerCase().includes(query);
    charts.set(key, c);
    o.observe(c);
    return c;
  }

  for (const k of o.keys) add(k);
  place();

  return {
    el, charts, sections,
    add(key) { const c = add(key); place(); return c; },
    filter(q) {
      query = q;
      for (const [k, c] of charts) c.el.hidden = !!q && !k.toLowerCase().includes(q);
      place();
    },
  };
}
