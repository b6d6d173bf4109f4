import { el, replace, table, formatTime } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { act, pageTitle } from '../ui.js';
import { barChart, scatterChart, legend } from '../charts.js';

const fixed = (v, d = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');

/** The discovery reports: the RFM grid, K-Means with its silhouettes and PCA scatter, DBSCAN, the mixture and the predictions. */
export async function renderDiscovery(main, notice = null) {
  const path = tenantPath('segmentation', tenant(), '/discovery');
  const status = await request('GET', path);
  const message = el('div', {}, notice);
  const run = el('button', { class: 'primary', attrs: { type: 'button' }, onclick: () => act(run, message, async () => {
    const asked = await request('POST', path);
    await renderDiscovery(main, el('p', { class: 'ok', attrs: { role: 'status' } }, `Discovery run ${asked.request?.state ?? 'requested'}; reload for its reports.`));
  }) }, 'Run now');
  const byMethod = new Map(status.runs.map((r) => [r.method, r]));
  const views = { rfm: rfmView, kmeans: kmeansView, dbscan: dbscanView, gmm: mixtureView, predictive: predictiveView };
  replace(main,
    pageTitle('Discovery', run, el('a', { attrs: { href: link('segments') } }, 'All segments')),
    el('p', { class: 'hint' }, status.request ? `Latest request: ${status.request.state}, asked ${formatTime(status.request.requestedAt)}.` : 'Never run for this tenant.'),
    message,
    Object.entries(views).map(([method, view]) => (byMethod.has(method) ? section(byMethod.get(method), view) : null)));
}

function section(run, view) {
  return el('section', { class: 'discovery', dataset: { method: run.method } },
    el('h2', {}, `${run.method} · run ${run.run} as of ${formatTime(run.asOf)} · ${run.customers} customers`),
    view(run.report, run.segments),
    table(['Segment', 'Name', 'Members', 'What sets it apart'], run.segments.map((s) => ({
      cells: [el('a', { attrs: { href: link('segments', s.id) } }, s.id), s.name, String(s.members), s.description],
    }))));
}

function rfmView(report) {
  const cells = report.cells ?? [];
  if (cells.length === 0) return el('p', { class: 'empty' }, 'This run predates the grid\'s cells.');
  const groups = [...new Set(cells.map((c) => c.segment))];
  return el('figure', {},
    el('table', { class: 'rfm-grid', attrs: { 'aria-label': 'RFM grid' } },
      el('thead', {}, el('tr', {}, el('th', {}, 'R \\ FM'), [1, 2, 3, 4, 5].map((fm) => el('th', {}, String(fm))))),
      el('tbody', {}, [5, 4, 3, 2, 1].map((r) => el('tr', {}, el('th', {}, String(r)),
        cells.filter((c) => c.r === r).sort((a, b) => a.fm - b.fm).map((c) => el('td', { class: `rfm g${groups.indexOf(c.segment)}`, attrs: { title: c.segment } },
          el('span', { class: 'rfm-count' }, String(c.customers)), el('span', { class: 'rfm-group' }, c.segment.replace('rfm.', '')))))))),
    el('figcaption', {}, 'Customers per cell: recency score (rows) against the frequency and spend score (columns), 5 best; the colour is the cell\'s group.'));
}

function kmeansView(report, segments) {
  const names = segments.map((s) => s.id);
  const points = (report.plot ?? []).map((p) => ({ x: p.x, y: p.y, group: Math.max(0, names.indexOf(p.segment)), label: p.segment }));
  return el('div', { class: 'charts' },
    el('figure', {}, barChart('Silhouette by k', report.candidates.map((c) => ({ label: `k=${c.k}`, value: Math.max(0, c.silhouette), color: c.k === report.chosenK ? '#2b8a3e' : undefined })),
      (v) => v.toFixed(2)), el('figcaption', {}, `Silhouette of each k tried; k = ${report.chosenK} was chosen.${report.pca ? ` Clustered on ${report.pca.components} principal components.` : ''}`)),
    points.length ? el('figure', {}, scatterChart('Customers on the first two principal components', points), legend(names),
      el('figcaption', {}, `A sample of ${points.length} customers on the first two principal components of their features, coloured by segment.`)) : null);
}

function dbscanView(report) {
  return el('p', {}, `eps ${fixed(report.eps)}, at least ${report.minPoints} neighbours: ${report.clusters} clusters (sizes ${report.sizes.join(', ')}), noise ${(report.noiseShare * 100).toFixed(1)}%.`);
}

function mixtureView(report) {
  const lowest = Math.min(...report.candidates.map((c) => c.bic));
  return el('figure', {}, barChart('BIC above the lowest, by number of components', report.candidates.map((c) => ({ label: String(c.components), value: c.bic - lowest })),
    (v) => v.toFixed(0)), el('figcaption', {}, `Each mixture's BIC less the lowest; the lowest, ${report.chosenComponents} components, was chosen.`));
}

function predictiveView(report) {
  return table(['Segment', 'Horizon', 'AUC', 'Brier', 'Calibration error', 'Precision', 'Recall', 'Members', 'Note'], report.targets.map((t) => ({
    cells: [t.segment, `${t.horizonDays} d`, fixed(t.auc), fixed(t.calibration.brier), fixed(t.calibration.expectedCalibrationError), fixed(t.testPrecision), fixed(t.testRecall),
      String(t.members), t.skipped ?? ''],
  })));
}
