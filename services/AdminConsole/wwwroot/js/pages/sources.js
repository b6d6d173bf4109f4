import { el, replace, table, formatTime } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { act, pageTitle, secretPanel } from '../ui.js';

/** The tenant's sources, and the form that creates one and shows its first write key once. */
export async function renderSources(main, notice = null) {
  const sources = await request('GET', tenantPath('ingestion', tenant(), '/sources'));
  const created = el('div', {}, notice);
  const list = sources.length
    ? table(['Source', 'Name', 'Created', 'Batches'], sources.map((s) => ({
      cells: [el('a', { attrs: { href: link('sources', s.sourceId) } }, s.sourceId), s.name, formatTime(s.createdAt), s.strictBatches ? 'all or nothing' : 'in part'],
    })))
    : el('p', { class: 'empty' }, 'No sources yet. Create one to get a write key.');
  replace(main, pageTitle('Sources'), list, createForm(main, created), created);
}

function createForm(main, created) {
  const id = el('input', { attrs: { name: 'sourceId', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._-]*', placeholder: 'web' } });
  const name = el('input', { attrs: { name: 'name', placeholder: 'Web shop' } });
  const strict = el('input', { attrs: { type: 'checkbox', name: 'strictBatches' } });
  const submit = el('button', { class: 'primary', attrs: { type: 'submit' } }, 'Create source');
  return el('form', { class: 'inline-form', onsubmit: (event) => {
    event.preventDefault();
    act(submit, created, async () => {
      const result = await request('POST', tenantPath('ingestion', tenant(), '/sources'),
        { sourceId: id.value.trim(), name: name.value.trim() || null, strictBatches: strict.checked });
      await renderSources(main, secretPanel(`Write key of ${result.source.sourceId}`, result.key.writeKey,
        'Copy it now: it is shown only once. SDKs send it as the HTTP Basic user name.'));
    });
  } },
  el('h2', {}, 'New source'),
  el('label', {}, 'Id ', id), el('label', {}, 'Name ', name), el('label', {}, strict, ' All-or-nothing batches'), submit);
}
