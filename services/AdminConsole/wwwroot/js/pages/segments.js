import { el, replace, table, formatTime } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { pageTitle } from '../ui.js';

/** Rule segments with their sizes, and the discovered ones of the latest runs. */
export async function renderSegments(main) {
  const path = (p) => tenantPath('segmentation', tenant(), p);
  const [rules, discovery] = await Promise.all([request('GET', path('/segments')), request('GET', path('/discovery'))]);
  const sizes = await Promise.all(rules.map((s) => request('GET', path(`/segments/${encodeURIComponent(s.id)}/size?hours=24`))));
  const discovered = discovery.runs.flatMap((run) => run.segments.map((s) => ({ ...s, method: run.method })));
  replace(main,
    pageTitle('Segments', el('a', { class: 'button primary', attrs: { href: link('segments', 'new') } }, 'New segment'),
      el('a', { attrs: { href: link('discovery') } }, 'Discovery reports')),
    rules.length
      ? table(['Segment', 'Name', 'Members', 'Version', 'Changed'], rules.map((s, i) => ({
        cells: [el('a', { attrs: { href: link('segments', s.id) } }, s.id), s.name, String(sizes[i].members), String(s.version), formatTime(s.updatedAt)],
      })))
      : el('p', { class: 'empty' }, 'No rule segments yet.'),
    el('h2', {}, 'Discovered'),
    discovered.length
      ? table(['Segment', 'Name', 'Members', 'Method'], discovered.map((s) => ({
        cells: [el('a', { attrs: { href: link('segments', s.id) } }, s.id), s.name, String(s.members), s.method],
      })))
      : el('p', { class: 'empty' }, 'No discovery run yet (Discovery reports → Run now).'));
}
