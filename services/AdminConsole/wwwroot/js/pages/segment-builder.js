import { el, replace } from '../dom.js';
import { ApiError, request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { act, pageTitle } from '../ui.js';
import { conditionNode } from './condition-editor.js';

/** The segment builder: a condition tree, its JSON, the size preview before saving, and the save. */
export async function renderSegmentBuilder(main, segmentId = null) {
  const path = (p) => tenantPath('segmentation', tenant(), `/segments${p}`);
  const [segments, existing] = await Promise.all([
    request('GET', path('/')),
    segmentId ? request('GET', path(`/${encodeURIComponent(segmentId)}`)) : null,
  ]);
  const definition = existing?.definition ?? { name: '', condition: { and: [{ performed: 'Product Viewed', atLeast: 2, within: '7d' }] } };
  const id = el('input', { value: segmentId ?? '', disabled: Boolean(segmentId), attrs: { 'aria-label': 'Segment id', pattern: '[a-z0-9_-]{1,64}', placeholder: 'viewers' } });
  const name = el('input', { value: definition.name ?? '', attrs: { 'aria-label': 'Segment name', placeholder: 'Repeat viewers', size: 30 } });
  const description = el('input', { value: definition.description ?? '', attrs: { 'aria-label': 'Description', size: 50 } });
  const root = conditionNode(definition.condition, segments.filter((s) => s.id !== segmentId));
  const json = el('pre', { class: 'json-preview', attrs: { 'aria-label': 'Definition JSON' } });
  const result = el('div');
  const body = () => ({ name: name.value.trim(), ...(description.value.trim() ? { description: description.value.trim() } : {}), condition: root.value() });
  const refresh = () => {
    try {
      json.textContent = JSON.stringify(body(), null, 2);
    } catch (error) {
      json.textContent = `Not valid yet: ${error.message}`;
    }
  };
  const form = el('div', { class: 'builder', oninput: refresh, onchange: refresh, onclick: () => setTimeout(refresh) });

  const preview = el('button', { attrs: { type: 'button' }, onclick: () => act(preview, result, async () => {
    const estimate = await request('POST', path('/preview'), body());
    replace(result, estimateView(estimate));
  }) }, 'Preview size');
  const save = el('button', { class: 'primary', attrs: { type: 'button' }, onclick: () => act(save, result, async () => {
    const target = segmentId ?? id.value.trim();
    if (!target) throw new ApiError(400, { title: 'The segment needs an id', errors: { segmentId: ['Give 1 to 64 lower-case letters, digits, "-" or "_".'] } });
    await request('PUT', path(`/${encodeURIComponent(target)}`), body());
    location.hash = link('segments', target);
  }) }, 'Save segment');

  replace(form,
    el('div', { class: 'fields' }, el('label', {}, 'Id ', id), el('label', {}, 'Name ', name), el('label', {}, 'Description ', description)),
    el('h2', {}, 'Who is in it'),
    root.element,
    el('div', { class: 'actions' }, preview, save),
    result,
    el('details', {}, el('summary', {}, 'Definition JSON'), json));
  replace(main, pageTitle(segmentId ? `Edit ${segmentId}` : 'New segment', el('a', { attrs: { href: link('segments') } }, 'All segments')), form);
  refresh();
}

/** A preview's estimate: the count with its 95% interval, from how many sampled of how many. */
function estimateView(e) {
  return el('div', { class: 'estimate', attrs: { role: 'status' } },
    el('span', { class: 'tile-value' }, e.exact ? `${e.estimate}` : `≈ ${Math.round(e.estimate)}`),
    el('span', {}, e.exact
      ? ` people of ${e.population} (everyone was asked)`
      : ` people of ${e.population} (95% interval ${Math.round(e.low)}–${Math.round(e.high)}; ${e.matched} of ${e.sampled} sampled matched)`));
}
