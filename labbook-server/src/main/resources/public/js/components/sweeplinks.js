// The sweeps of an experiment as links, for the experiment's runs page: each goes to its sweep
// page, which links back to the runs table filtered to its trials. Empty when there is none.

import {get} from '../api.js';
import {h, replace} from '../util.js';

/** An element that fills itself with links to the experiment's sweeps once they are known. */
export function sweepLinks(experimentId) {
  const box = h('div', {class: 'toolbar sweep-links', hidden: true});
  get('labbook/sweeps/list', {experiment_id: experimentId}).then(({sweeps = []}) => {
    if (!sweeps.length) return;
    replace(box, h('span', {class: 'muted'}, 'Sweeps:'), sweeps.map(s =>
      h('a', {href: `/sweeps/${encodeURIComponent(s.sweep_id)}`, 'data-sweep': s.sweep_id}, `${s.name || s.sweep_id} (${s.state})`)));
    box.hidden = false;
  }).catch(() => { /* a server without sweeps: nothing to show */ });
  return box;
}
