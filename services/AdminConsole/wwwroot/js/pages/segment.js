import { el, replace, table, formatTime } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { act, confirmDialog, pageTitle } from '../ui.js';
import { lineChart } from '../charts.js';

const SPANS = [['24', 'Last day'], ['168', 'Last week'], ['720', 'Last 30 days']];

/** One segment: its size over time, its members a page at a time, and (a rule segment) its definition and versions. */
export async function renderSegment(main, segmentId, hours = '24') {
  const path = (p = '') => tenantPath('segmentation', tenant(), `/segments/${encodeURIComponent(segmentId)}${p}`);
  const rule = !segmentId.includes('.');
  const [size, details] = await Promise.all([
    request('GET', path(`/size?hours=${hours}`)),
    rule ? request('GET', path()) : null,
  ]);
  const members = el('div');
  const message = el('div');
  const span = el('select', { attrs: { 'aria-label': 'Span' }, onchange: () => renderSegment(main, segmentId, span.value) },
    SPANS.map(([value, label]) => el('option', { value, selected: value === hours }, label)));
  const remove = rule ? el('button', { class: 'danger', attrs: { type: 'button' }, onclick: () => act(remove, message, async () => {
    if (!(await confirmDialog(`Delete segment ${segmentId}? Its members leave it at their next evaluation.`, 'Delete'))) return;
    await request('DELETE', path());
    location.hash = link('segments');
  }) }, 'Delete') : null;

  replace(main,
    pageTitle(details?.definition.name ?? segmentId, rule ? el('a', { class: 'button', attrs: { href: link('segments', segmentId, 'edit') } }, 'Edit') : null, remove,
      el('a', { attrs: { href: link('segments') } }, 'All segments')),
    message,
    el('div', { class: 'tiles' },
      el('div', { class: 'tile' }, el('span', { class: 'tile-value', attrs: { 'aria-label': 'Members' } }, String(size.members)), el('span', { class: 'tile-label' }, 'members now')),
      details ? el('div', { class: 'tile' }, el('span', { class: 'tile-value' }, `v${details.version}`), el('span', { class: 'tile-label' }, `changed ${formatTime(details.updatedAt)}`)) : null,
      details?.catchUp ? el('div', { class: 'tile' }, el('span', { class: 'tile-value' }, details.catchUp.state),
        el('span', { class: 'tile-label' }, `catch-up: ${details.catchUp.done} of ${details.catchUp.total ?? '?'} people`)) : null),
    el('figure', {}, el('div', { class: 'actions' }, span),
      lineChart('Members over time', [{ name: 'members', points: size.history.map((p) => ({ at: p.at, value: p.members })) }], (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1))),
      el('figcaption', {}, 'Members at the end of each interval, from the segment\'s entries and exits.')),
    details ? [el('h2', {}, 'Definition'), el('pre', {}, JSON.stringify(details.definition, null, 2))] : null,
    el('h2', {}, 'Members'),
    members);
  await membersPage(members, path, null);
}

async function membersPage(container, path, after) {
  const page = await request('GET', path(`/members?limit=50${after ? `&after=${encodeURIComponent(after)}` : ''}`));
  const next = page.next ? el('button', { attrs: { type: 'button' }, onclick: () => membersPage(container, path, page.next) }, 'Next page') : null;
  replace(container,
    page.members.length
      ? table(['Person', 'Member since'], page.members.map((m) => ({
        cells: [m.userId ? el('a', { attrs: { href: link('profiles', m.userId) } }, m.userId) : `anonymous ${m.anonymousId}`, formatTime(m.since)],
      })))
      : el('p', { class: 'empty' }, 'Nobody is in it now.'),
    next);
}

