import { el, replace, table } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { pageTitle } from '../ui.js';
import { barChart } from '../charts.js';

const pct = (v) => `${(v * 100).toFixed(2)}%`;
const interval = (c) => (c ? `${pct(c.difference)} [${pct(c.low)}, ${pct(c.high)}], p = ${c.pValue.toFixed(3)}${c.significant ? ' ✓' : ''}` : '—');

/** An experiment's results: per variant its CTR and conversion with intervals against the control, and the verdict. */
export async function renderExperiment(main, id) {
  const results = await request('GET', tenantPath('recommendation', tenant(), `/experiments/${encodeURIComponent(id)}/results`));
  const bars = (metric, comparison) => results.variants.map((v) => {
    const c = v[comparison];
    // The variant's own value with the interval of its difference from the control, shifted onto it.
    return c ? { label: v.name, value: v[metric], low: c.control + c.low, high: c.control + c.high } : { label: v.name, value: v[metric] };
  });
  replace(main,
    pageTitle(`Experiment ${results.experiment}`, el('span', { class: 'badge' }, results.state), el('a', { attrs: { href: link('models') } }, 'Models')),
    el('p', { class: `verdict ${results.enough ? 'enough' : 'wait'}`, attrs: { role: 'status' } }, results.verdict),
    results.enough ? null : el('p', { class: 'hint' }, `Each variant needs ${results.impressionsNeededPerVariant ?? '?'} impressions to detect the expected effect.`),
    table(['Variant', 'People', 'Impressions', 'CTR', 'CTR vs control (95% interval)', 'Conversion', 'Conversion vs control', 'Revenue / person'],
      results.variants.map((v) => ({
        cells: [v.control ? `${v.name} (control)` : v.name, String(v.people), String(v.impressions), pct(v.ctr), interval(v.ctrVersusControl),
          pct(v.conversion), interval(v.conversionVersusControl), v.revenuePerPerson.toFixed(2)],
      }))),
    el('div', { class: 'charts' },
      el('figure', {}, barChart('CTR per variant', bars('ctr', 'ctrVersusControl'), pct), el('figcaption', {}, 'CTR per variant; whiskers: 95% interval against the control.')),
      el('figure', {}, barChart('Conversion per variant', bars('conversion', 'conversionVersusControl'), pct), el('figcaption', {}, 'Conversion per variant; whiskers: 95% interval against the control.'))));
}
