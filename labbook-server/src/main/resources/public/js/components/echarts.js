// Loads ECharts (from its WebJar) on first use: only the compare page needs it.

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
