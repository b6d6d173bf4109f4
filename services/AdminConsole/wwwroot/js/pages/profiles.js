import { el, replace, table } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { act, pageTitle } from '../ui.js';

/** Finding a person by the start of their user id, or by a trait value such as an email. */
export function renderProfileSearch(main, query = '') {
  const box = el('input', { value: query, attrs: { type: 'search', 'aria-label': 'Search people', placeholder: 'user id, or an email', size: 36 } });
  const results = el('div');
  const search = el('button', { class: 'primary', attrs: { type: 'submit' } }, 'Search');
  const form = el('form', { class: 'inline-form', onsubmit: (event) => {
    event.preventDefault();
    act(search, results, async () => {
      const matches = await request('GET', tenantPath('ingestion', tenant(), `/users?query=${encodeURIComponent(box.value.trim())}`));
      replace(results, matches.length
        ? table(['Person', 'Found by'], matches.map((m) => ({ cells: [el('a', { attrs: { href: link('profiles', m.userId) } }, m.userId), m.matchedBy] })))
        : el('p', { class: 'empty' }, 'Nobody matches.'));
    });
  } }, el('label', {}, 'Person ', box), search);
  replace(main, pageTitle('Profiles'), form, results);
  box.focus();
}
