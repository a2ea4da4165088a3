// Loads ECharts (from its WebJar) on first use: only the compare page needs it.

import {h, download, toCsv, fileName} from '../util.js';

let loading = null;

export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/webjars/echarts/5.5.0/echarts.min.js';
      s.onload = () => resolve(window.echarts);
      s.onerror = () => { loading = null; reject(new Error('Could not load the chart library')); };
      document.head.append(s);
    });
  }
  return loading;
}

/** An ECharts instance in el that follows el's size; returns {chart, dispose()}. */
export async function mount(el) {
  const echarts = await loadECharts();
  const chart = echarts.init(el, null, {renderer: 'canvas'});
  const ro = new ResizeObserver(() => chart.resize());
  ro.observe(el);
  return {chart, dispose: () => { ro.disconnect(); chart.dispose(); }};
}

/**
 * Export buttons for an ECharts panel: PNG and SVG of what it shows (the SVG drawn again by
 * ECharts' SVG renderer from the same option) and CSV of rows() ([[header...], [cells...]]).
 */
export function exportButtons(getChart, name, rows) {
  const act = (label, fn) => h('button', {type: 'button', class: 'btn small', dataset: {export: label.toLowerCase()}, onclick: () => {
    const chart = getChart();
    if (chart) fn(chart);
  }}, label);
  return h('span', {class: 'export-buttons', 'aria-label': `Export ${name}`},
    act('PNG', chart => fetch(chart.getDataURL({type: 'png', pixelRatio: 2, backgroundColor: '#fff'}))
      .then(r => r.blob()).then(b => download(fileName(name) + '.png', b))),
    act('SVG', chart => {
      const el = document.createElement('div');
      const copy = window.echarts.init(el, null, {renderer: 'svg', width: chart.getWidth(), height: chart.getHeight()});
      copy.setOption(chart.getOption());
      const text = copy.renderToSVGString();
      copy.dispose();
      download(fileName(name) + '.svg', new Blob([text], {type: 'image/svg+xml'}));
    }),
    act('CSV', () => download(fileName(name) + '.csv', new Blob([toCsv(rows())], {type: 'text/csv'}))));
}
