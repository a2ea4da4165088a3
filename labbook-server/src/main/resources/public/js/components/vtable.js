// A virtually scrolled table: only the rows in view (plus a margin) are in the DOM, so tens of
// thousands of rows scroll smoothly. Rows have a fixed height; the body is rebuilt from HTML
// strings on scroll, and events are delegated to the container.

import {h, replace, rafThrottle} from '../util.js';

const ESC = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};
export function esc(s) {
  return s === null || s === undefined ? '' : String(s).replace(/[&<>"']/g, c => ESC[c]);
}

export class VirtualTable {
  /**
   * @param {object} opts label: accessible name; rowHeight; onSort(colId); renderGroup(item)
   *   returns the HTML of a group header row's content; isGroup(item).
   */
  constructor(opts) {
    this.opts = Object.assign({rowHeight: 30, overscan: 12}, opts);
    this.columns = [];
    this.items = [];
    this.sort = null;
    this.el = h('div', {class: 'vt', tabindex: '0', role: 'region', 'aria-label': opts.label});
    this.table = h('table', {class: 'vt-table', 'aria-label': opts.label});
    this.colgroup = h('colgroup');
    this.thead = h('thead');
    this.tbody = h('tbody');
    this.table.append(this.colgroup, this.thead, this.tbody);
    this.el.append(this.table);
    this.el.addEventListener('scroll', rafThrottle(() => this.drawBody()));
    this.lastWindow = '';
    new ResizeObserver(rafThrottle(() => this.drawBody(true))).observe(this.el);
  }

  setColumns(columns) {
    this.columns = columns;
    let left = 0;
    for (const c of columns) {
      if (c.sticky) { c.left = left; left += c.width; }
    }
    const width = columns.reduce((s, c) => s + c.width, 0);
    this.table.style.width = width + 'px';
    replace(this.colgroup, columns.map(c => h('col', {style: {width: c.width + 'px'}})));
    this.drawHead();
    this.drawBody(true);
  }

  setItems(items) {
    this.items = items;
    this.table.setAttribute('aria-rowcount', String(items.length + 1));
    this.drawBody(true);
  }

  setSort(sort) {
    this.sort = sort;
    this.drawHead();
  }

  drawHead() {
    // a row of column groups (consecutive columns of the same group) above the column headers
    let groupRow = null;
    if (this.columns.some(c => c.group)) {
      groupRow = h('tr', {class: 'col-groups'});
      let i = 0;
      while (i < this.columns.length) {
        const g = this.columns[i].group || '';
        let j = i;
        while (j < this.columns.length && (this.columns[j].group || '') === g) j++;
        const sticky = this.columns[i].sticky;
        groupRow.append(h('th', {scope: 'colgroup', colspan: String(j - i), class: sticky ? 'sticky' : '',
          style: sticky ? {left: this.columns[i].left + 'px'} : null, dataset: {group: g}}, g));
        i = j;
      }
    }
    const tr = h('tr', {'aria-rowindex': '1'});
    for (const c of this.columns) {
      const sorted = this.sort && this.sort.col === c.id;
      const th = h('th', {scope: 'col', class: [c.className, c.sticky ? 'sticky' : ''].join(' '), title: c.title || c.label,
        'aria-sort': sorted ? (this.sort.dir > 0 ? 'ascending' : 'descending') : (c.sortable === false ? null : 'none'),
        style: c.sticky ? {left: c.left + 'px'} : null});
      if (c.header) th.append(c.header());
      else if (c.sortable === false) th.append(c.label);
      else {
        th.append(h('button', {type: 'button', class: 'sort', 'aria-label': `Sort by ${c.title || c.label}`,
          onclick: () => this.opts.onSort && this.opts.onSort(c.id)},
          c.kind ? h('span', {class: 'kind'}, c.kind) : null,
          h('span', {class: 'label'}, c.label),
          h('span', {class: 'arrow', 'aria-hidden': 'true'}, sorted ? (this.sort.dir > 0 ? '▲' : '▼') : '')));
      }
      tr.append(th);
    }
    replace(this.thead, groupRow, tr);
  }

  /** Re-renders the rows in view; force redraws even when the window did not move. */
  drawBody(force = false) {
    const rh = this.opts.rowHeight;
    const n = this.items.length;
    const view = this.el.clientHeight || 600;
    const top = Math.max(0, this.el.scrollTop - (this.thead.offsetHeight || 0));
    const first = Math.max(0, Math.floor(top / rh) - this.opts.overscan);
    const last = Math.min(n, Math.ceil((top + view) / rh) + this.opts.overscan);
    const key = first + ':' + last;
    if (!force && key === this.lastWindow) return;
    this.lastWindow = key;
    const parts = [];
    if (first > 0) parts.push(`<tr class="spacer" aria-hidden="true"><td colspan="${this.columns.length}" style="height:${first * rh}px"></td></tr>`);
    for (let i = first; i < last; i++) {
      const item = this.items[i];
      if (this.opts.isGroup && this.opts.isGroup(item)) {
        parts.push(`<tr class="group" aria-rowindex="${i + 2}" data-index="${i}"><td colspan="${this.columns.length}">${this.opts.renderGroup(item)}</td></tr>`);
        continue;
      }
      let row = `<tr aria-rowindex="${i + 2}" data-index="${i}"${this.opts.rowClass ? ` class="${this.opts.rowClass(item)}"` : ''}>`;
      for (const c of this.columns) {
        const cls = c.className || '';
        if (c.sticky) row += `<td class="sticky ${cls}" style="left:${c.left}px">${c.html(item)}</td>`;
        else row += `<td class="${cls}">${c.html(item)}</td>`;
      }
      parts.push(row + '</tr>');
    }
    if (last < n) parts.push(`<tr class="spacer" aria-hidden="true"><td colspan="${this.columns.length}" style="height:${(n - last) * rh}px"></td></tr>`);
    this.tbody.innerHTML = parts.join('');
  }

  /** The item a DOM event happened in, or undefined. */
  itemOf(target) {
    const tr = target.closest('tr[data-index]');
    return tr ? this.items[Number(tr.dataset.index)] : undefined;
  }
}
