import { el, replace, table, formatTime } from '../dom.js';
import { ApiError, request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { act, confirmDialog, errorBox, pageTitle } from '../ui.js';

const TIMELINE = 200;
const orNull = (promise) => promise.catch((error) => (error instanceof ApiError && error.status === 404 ? null : Promise.reject(error)));
const orError = (promise) => promise.catch((error) => ({ error }));

/** One person: profile, segments, identity, consent, recommendations with reasons, messages, event timeline; export and erase. */
export async function renderProfile(main, userId) {
  const user = encodeURIComponent(userId);
  const [person, exported, recommendations, messages] = await Promise.all([
    orNull(request('GET', tenantPath('segmentation', tenant(), `/profiles/${user}`))),
    request('GET', tenantPath('ingestion', tenant(), `/users/${user}/export`)),
    orError(request('GET', tenantPath('recommendation', tenant(), `/recommendations/users/${user}?count=5`))),
    orError(request('GET', tenantPath('triggers', tenant(), `/messages?userId=${user}&limit=50`))),
  ]);
  const message = el('div');
  const profile = person?.profile;
  const download = el('a', { class: 'button', attrs: {
    href: URL.createObjectURL(new Blob([JSON.stringify(exported, null, 2)], { type: 'application/json' })), download: `${userId}-export.json`,
  } }, 'Download export');
  const erase = el('button', { class: 'danger', attrs: { type: 'button' }, onclick: () => act(erase, message, async () => {
    if (!(await confirmDialog(`Erase ${userId}? Their events, identity links, profile and messages are deleted for good; only an audit record stays.`, 'Erase'))) return;
    const outcome = await request('DELETE', tenantPath('ingestion', tenant(), `/users/${user}`));
    replace(main, pageTitle(`${userId} erased`), el('p', { class: 'ok', attrs: { role: 'status' } },
      `Erased ${outcome.eventsErased} events in ${outcome.streamsErased} streams (erasure ${outcome.erasureId}); the other services forget them as the erasure reaches them.`));
  }) }, 'Erase…');

  const events = [...exported.events].sort((a, b) => (a.event.timestamp < b.event.timestamp ? 1 : -1));
  replace(main,
    pageTitle(userId, download, erase, el('a', { attrs: { href: link('profiles') } }, 'Search')),
    message,
    profile ? tiles(profile) : el('p', { class: 'empty' }, 'No profile yet: its events have not reached Segmentation.'),
    el('div', { class: 'columns' },
      el('section', {}, el('h2', {}, 'Traits'), profile && Object.keys(profile.traits).length
        ? table(['Trait', 'Value'], Object.entries(profile.traits).map(([k, v]) => ({ cells: [k, typeof v === 'string' ? v : JSON.stringify(v)] })))
        : el('p', { class: 'empty' }, 'None.')),
      el('section', {}, el('h2', {}, 'Segments'), person?.segments.length
        ? table(['Segment', 'Since', 'Version'], person.segments.map((s) => ({ cells: [el('a', { attrs: { href: link('segments', s.segmentId) } }, s.segmentId), formatTime(s.since), String(s.version)] })))
        : el('p', { class: 'empty' }, 'In no segment.'),
      person?.probabilities.length ? table(['Discovered segment', 'Probability'], person.probabilities.map((p) => ({ cells: [p.segmentId, p.probability.toFixed(2)] }))) : null)),
    el('div', { class: 'columns' },
      el('section', {}, el('h2', {}, 'Identity'), el('ul', { attrs: { 'aria-label': 'Streams' } }, exported.streams.map((s) => el('li', {}, el('code', {}, s))))),
      el('section', {}, el('h2', {}, 'Consent'), el('p', { attrs: { 'aria-label': 'Consent' } }, exported.consent
        ? `Personalization ${exported.consent.personalization ? 'allowed' : 'withheld'} (since ${formatTime(exported.consent.updatedAt)})`
        : 'No consent recorded: events decide (their consent context).'))),
    profile ? cartAndHistory(profile) : null,
    el('h2', {}, 'Recommendations'),
    recommendations.error ? errorBox(recommendations.error) : el('ol', { class: 'recommendations', attrs: { 'aria-label': 'Recommendations' } },
      recommendations.items.map((item) => el('li', {}, el('strong', {}, item.item?.title ?? item.itemId), ` (${item.itemId}, score ${item.score.toFixed(2)})`,
        el('ul', { class: 'reasons' }, item.reasons.map((r) => el('li', {}, r.text)))))),
    el('h2', {}, 'Messages'),
    messages.error ? errorBox(messages.error) : messages.length
      ? table(['Queued', 'Journey', 'Channel', 'Template', 'Status', 'Sent', 'Opened', 'Clicked'], messages.map((m) => ({
        cells: [formatTime(m.createdAt), el('a', { attrs: { href: link('journeys', m.journeyId) } }, m.journeyId), m.channel, m.templateId, m.status,
          formatTime(m.sentAt), formatTime(m.openedAt), formatTime(m.clickedAt)],
      })))
      : el('p', { class: 'empty' }, 'No messages.'),
    el('h2', {}, `Timeline (${events.length} events${events.length > TIMELINE ? `, latest ${TIMELINE} shown` : ''})`),
    el('ol', { class: 'live-list', attrs: { 'aria-label': 'Timeline' } }, events.slice(0, TIMELINE).map(timelineEntry)));
}

function tiles(p) {
  const tile = (label, value, small = false) => el('div', { class: 'tile' }, el('span', { class: small ? 'tile-value small' : 'tile-value' }, value),
    el('span', { class: 'tile-label' }, label));
  return el('div', { class: 'tiles' },
    tile('events', String(p.eventCount)), tile('sessions', String(p.sessionCount)),
    tile('orders', String(p.purchases.count)), tile('spent', String(p.purchases.monetaryTotal)),
    tile('first seen', formatTime(p.firstSeen), true), tile('last seen', formatTime(p.lastSeen), true), tile('cart', String(p.cartValue)));
}

function cartAndHistory(p) {
  const lines = Object.values(p.cart);
  return el('div', { class: 'columns' },
    el('section', {}, el('h2', {}, 'Cart'), lines.length
      ? table(['Item', 'Quantity', 'Price'], lines.map((l) => ({ cells: [l.name ?? l.itemId, String(l.quantity), String(l.price)] })))
      : el('p', { class: 'empty' }, 'Empty.')),
    el('section', {}, el('h2', {}, 'Recently viewed'), el('ul', {}, p.recentlyViewed.slice(0, 10).map((v) => el('li', {}, `${v.name ?? v.itemId} · ${formatTime(v.viewedAt)}`)))));
}

function timelineEntry({ event, sequence }) {
  return el('li', {}, el('details', {},
    el('summary', {}, el('time', {}, formatTime(event.timestamp)), ' ', el('strong', {}, event.type === 'track' ? event.name : event.type), ' ',
      el('span', { class: 'who' }, `from ${event.sourceId}`), ' ',
      String(event.flags) !== 'None' && event.flags ? el('span', { class: 'badge flag' }, String(event.flags)) : null),
    el('p', { class: 'hint' }, `log sequence ${sequence}, message ${event.messageId}`),
    el('pre', { class: 'payload' }, JSON.stringify(event.payload, null, 2))));
}
