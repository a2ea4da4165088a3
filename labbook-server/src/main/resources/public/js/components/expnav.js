// The sections of one experiment (runs, logged models, traces) as a row of links under its
// heading, so each section has its own shareable address.

import {h} from '../util.js';

const SECTIONS = [
  {id: 'runs', label: 'Runs', path: ''},
  {id: 'charts', label: 'Charts', path: '/charts'},
  {id: 'models', label: 'Models', path: '/models'},
  {id: 'traces', label: 'Traces', path: '/traces'},
];

/** Links to the sections of experiment {@code experimentId}; {@code current} is marked. */
export function experimentNav(experimentId, current) {
  const base = `/experiments/${encodeURIComponent(experimentId)}`;
  return h('nav', {class: 'subnav', 'aria-label': 'Experiment sections'},
    SECTIONS.map(s => h('a', {href: base + s.path, 'aria-current': s.id === current ? 'page' : null, dataset: {section: s.id}}, s.label)));
}
