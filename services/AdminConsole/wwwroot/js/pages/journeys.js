import { el, replace, table, formatTime } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { pageTitle } from '../ui.js';

/** The tenant's journeys and their state. */
export async function renderJourneys(main) {
  const journeys = await request('GET', tenantPath('triggers', tenant(), '/journeys'));
  replace(main, pageTitle('Journeys'),
    journeys.length
      ? table(['Journey', 'Name', 'State', 'Latest version', 'Published version', 'Changed'], journeys.map((j) => ({
        cells: [el('a', { attrs: { href: link('journeys', j.id) } }, j.id), j.name, el('span', { class: `badge state-${j.status}` }, j.status),
          String(j.version), j.publishedVersion ? String(j.publishedVersion) : '—', formatTime(j.updatedAt)],
      })))
      : el('p', { class: 'empty' }, 'No journeys yet. Define one through the Triggers admin API (services/Triggers/README.md).'));
}
