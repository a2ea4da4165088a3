// What the dashboard knows about metric names: the experiment's primary metric and goal (the
// experiment tags labbook.primary_metric and labbook.primary_goal, or a guess from the names),
// which metrics are better high or low, the family a metric belongs to (train_*, val_*, test_*,
// system/*, the rest) and the charts a person pinned in an experiment (kept in the browser).

import {post} from '../api.js';

export const PRIMARY_TAG = 'labbook.primary_metric';
export const GOAL_TAG = 'labbook.primary_goal';

const GOOD = /accuracy|auc|f1|precision|recall|score|r2|map\b|ndcg|bleu|rouge/i;
const BAD = /loss|error|\berr|mse|mae|rmse|perplexity|wer\b|cer\b/i;

/** 'maximize', 'minimize', or null when the name does not tell. */
export function goalOf(key) {
  if (BAD.test(key)) return 'minimize';
  if (GOOD.test(key)) return 'maximize';
  return null;
}

/** The tags of an experiment as a map. */
export function experimentTags(experiment) {
  const out = {};
  for (const t of (experiment && experiment.tags) || []) out[t.key] = t.value;
  return out;
}

const PREFIX_RANK = [[/^test[_/.]/i, 0], [/^(val|valid|validation|eval|dev)[_/.]/i, 1], [/^train[_/.]/i, 3]];

function prefixRank(key) {
  for (const [re, r] of PREFIX_RANK) if (re.test(key)) return r;
  return 2;
}

/**
 * The primary metric among {@code keys}: the experiment's tag when set, else the best-ranked
 * metric whose name holds accuracy, auc or f1 (test_ before val_ before unprefixed before
 * train_), else the first loss the same way. Returns {key, goal, explicit} or null.
 */
export function primaryMetric(experiment, keys) {
  const tags = experimentTags(experiment);
  const tagged = tags[PRIMARY_TAG];
  if (tagged) {
    const goal = tags[GOAL_TAG] === 'minimize' || tags[GOAL_TAG] === 'maximize' ? tags[GOAL_TAG] : (goalOf(tagged) || 'maximize');
    return {key: tagged, goal, explicit: true};
  }
  const candidates = keys.filter(k => !k.startsWith('system/'));
  const pick = (re) => {
    const found = candidates.map(k => {
      const m = re.exec(k);
      return m ? {k, rank: [prefixRank(k), m.index === -1 ? 9 : termRank(m[0]), k.length]} : null;
    }).filter(Boolean);
    found.sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2] || (a.k < b.k ? -1 : 1));
    return found.length ? found[0].k : null;
  };
  const good = pick(/accuracy|auc|f1/i);
  if (good) return {key: good, goal: 'maximize', explicit: false};
  const loss = pick(/loss/i);
  if (loss) return {key: loss, goal: 'minimize', explicit: false};
  return null;
}

function termRank(term) {
  return {accuracy: 0, auc: 1, f1: 2}[term.toLowerCase()] ?? 3;
}

/** Saves the primary metric and goal as experiment tags. */
export async function savePrimary(experimentId, key, goal) {
  await post('mlflow/experiments/set-experiment-tag', {experiment_id: experimentId, key: PRIMARY_TAG, value: key});
  await post('mlflow/experiments/set-experiment-tag', {experiment_id: experimentId, key: GOAL_TAG, value: goal});
}

/** The best of {@code values} (numbers or null) for the goal, as an index, or -1. */
export function bestIndex(values, goal) {
  if (!goal) return -1;
  let best = -1;
  values.forEach((v, i) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    if (best < 0 || (goal === 'maximize' ? v > values[best] : v < values[best])) best = i;
  });
  return best;
}

export const FAMILIES = [
  {id: 'train', label: 'train_*', test: k => /^train[_/.]/i.test(k)},
  {id: 'val', label: 'val_*', test: k => /^(val|valid|validation|eval|dev)[_/.]/i.test(k)},
  {id: 'test', label: 'test_*', test: k => /^test[_/.]/i.test(k)},
  {id: 'system', label: 'system/*', test: k => k.startsWith('system/')},
  {id: 'other', label: 'Other metrics', test: () => true},
];

/** The family id of a metric key. */
export function familyOf(key) {
  return FAMILIES.find(f => f.test(key)).id;
}

/** The charts pinned in an experiment (a set of metric keys), kept in this browser; {@code initial} replaces them. */
export function pins(experimentId, initial = null) {
  const storageKey = `labbook.pins.${experimentId || 'none'}`;
  let set;
  try { set = new Set(JSON.parse(localStorage.getItem(storageKey) || '[]')); } catch (e) { set = new Set(); }
  // pins from the address (a shared link or a saved view) are adopted
  if (initial) {
    set = new Set(initial);
    localStorage.setItem(storageKey, JSON.stringify([...set]));
  }
  return {
    has: k => set.has(k),
    keys: () => [...set],
    toggle(k) {
      if (set.has(k)) set.delete(k); else set.add(k);
      localStorage.setItem(storageKey, JSON.stringify([...set]));
      return set.has(k);
    },
  };
}
