import { el, replace, table, formatTime } from '../dom.js';
import { ApiError, request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { act, confirmDialog, pageTitle, secretPanel } from '../ui.js';
import { planEditor } from './tracking-plan.js';

/** One source: its settings, its write keys (issue, rotate, revoke) and its tracking plan. */
export async function renderSource(main, sourceId, notice = null) {
  const path = (p = '') => tenantPath('ingestion', tenant(), `/sources/${encodeURIComponent(sourceId)}${p}`);
  const [sources, keys, plan] = await Promise.all([
    request('GET', tenantPath('ingestion', tenant(), '/sources')),
    request('GET', path('/keys')),
    request('GET', path('/tracking-plan')).catch((error) => (error instanceof ApiError && error.status === 404 ? null : Promise.reject(error))),
  ]);
  const source = sources.find((s) => s.sourceId === sourceId);
  const message = el('div', {}, notice);
  const again = (next) => renderSource(main, sourceId, next);
  const active = keys.filter((k) => !k.revokedAt);

  const issue = el('button', { attrs: { type: 'button' }, onclick: () => act(issue, message, async () => {
    const key = await request('POST', path('/keys'));
    await again(shownOnce(key));
  }) }, 'Issue another key');
  const rotate = el('button', { class: 'primary', attrs: { type: 'button' }, onclick: () => act(rotate, message, async () => {
    if (!(await confirmDialog(`Issue a new key and revoke the ${active.length} active one(s)? Senders using them get 401 at once.`, 'Rotate'))) return;
    const key = await request('POST', path('/keys'));
    for (const old of active) await request('DELETE', path(`/keys/${encodeURIComponent(old.keyId)}`));
    await again(shownOnce(key));
  }) }, 'Rotate keys');
  const revoke = (key) => {
    const button = el('button', { class: 'danger', attrs: { type: 'button' }, onclick: () => act(button, message, async () => {
      if (!(await confirmDialog(`Revoke key ${key.keyId}? Senders using it get 401 at once.`, 'Revoke'))) return;
      await request('DELETE', path(`/keys/${encodeURIComponent(key.keyId)}`));
      await again();
    }) }, 'Revoke');
    return button;
  };
  const strict = el('input', { checked: Boolean(source?.strictBatches), attrs: { type: 'checkbox', name: 'strictBatches' } });
  strict.addEventListener('change', () => act(strict, message, async () => {
    await request('PATCH', path(), { strictBatches: strict.checked });
  }));

  replace(main,
    pageTitle(`Source ${sourceId}`, el('a', { attrs: { href: link('debugger', sourceId) } }, 'Live events'), el('a', { attrs: { href: link('sources') } }, 'All sources')),
    source ? el('p', {}, el('span', { class: 'source-name' }, source.name), ` · created ${formatTime(source.createdAt)}`) : null,
    el('label', {}, strict, ' All-or-nothing batches (otherwise the valid messages of a batch are stored and the others dead-lettered)'),
    message,
    el('h2', {}, 'Write keys'),
    table(['Key', 'Created', 'State', ''], keys.map((k) => ({
      cells: [el('code', {}, k.keyId), formatTime(k.createdAt), k.revokedAt ? `revoked ${formatTime(k.revokedAt)}` : 'active', k.revokedAt ? '' : revoke(k)],
    }))),
    el('div', { class: 'actions' }, issue, rotate),
    el('h2', {}, 'Tracking plan'),
    planEditor(path('/tracking-plan'), plan, (saved) => again(el('p', { class: 'ok', attrs: { role: 'status' } }, `Tracking plan version ${saved.version} saved.`))));
}

const shownOnce = (key) => secretPanel(`New write key ${key.keyId}`, key.writeKey, 'Copy it now: it is shown only once.');
