// The runs table as the server sends it (labbook/runs/table): rows of the attributes, then one
// cell per param, metric and tag key of the table's key lists. mergeChanges applies an answer
// to since_seq (the runs changed since the table was read, and the run that held the table's
// change number, changed or not) to a table in place, so that an open table stays current
// without reading every run again.

const KINDS = ['params', 'metrics', 'tags'];

/** How many attributes every row starts with (run_id ... experiment_id). */
export function attributeCount(table) {
  return table.attributes.length;
}

/**
 * Applies changes to a table: rows of changed runs replace theirs or are added, runs listed as
 * changed but absent from the rows (they no longer match) are removed, and keys the table did
 * not have yet become columns. Returns {columns, rows}: whether the columns and whether any row
 * changed.
 */
export function mergeChanges(table, changes) {
  const keys = {};
  let widened = false;
  for (const kind of KINDS) {
    const known = new Set(table[kind]);
    const added = changes[kind].filter(k => !known.has(k));
    keys[kind] = added.length ? [...table[kind], ...added].sort(byCodeUnits) : table[kind];
    widened = widened || added.length > 0;
  }
  if (widened) {
    table.rows = relayout(table.rows, table, keys);
    for (const kind of KINDS) table[kind] = keys[kind];
  }
  const fresh = relayout(changes.rows, changes, table);
  const byId = new Map(fresh.map(r => [r[0], r]));
  const gone = new Set((changes.changed || []).filter(id => !byId.has(id)));
  let changed = gone.size > 0;
  const rows = [];
  for (const r of table.rows) {
    if (gone.has(r[0])) continue;
    const update = byId.get(r[0]);
    if (update) {
      byId.delete(r[0]);
      changed = changed || !sameRow(r, update);
    }
    rows.push(update || r);
  }
  changed = changed || byId.size > 0;
  for (const r of byId.values()) rows.push(r);
  table.rows = rows;
  if (changes.change_seq !== undefined) table.change_seq = changes.change_seq;
  return {columns: widened, rows: changed};
}

function sameRow(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The rows laid out for the key lists of `to` instead of those of `from`. */
function relayout(rows, from, to) {
  const a = attributeCount(from);
  const width = a + KINDS.reduce((n, kind) => n + to[kind].length, 0);
  const map = [];
  for (let i = 0; i < a; i++) map.push(i);
  let target = a;
  for (const kind of KINDS) {
    const pos = new Map(to[kind].map((k, i) => [k, target + i]));
    for (const k of from[kind]) map.push(pos.get(k));
    target += to[kind].length;
  }
  return rows.map(r => {
    const out = new Array(width).fill(null);
    for (let i = 0; i < r.length; i++) out[map[i]] = r[i];
    return out;
  });
}

/** The server's key order (Java's String order: UTF-16 code units), which is also JS's default sort. */
function byCodeUnits(x, y) {
  return x < y ? -1 : (x > y ? 1 : 0);
}
