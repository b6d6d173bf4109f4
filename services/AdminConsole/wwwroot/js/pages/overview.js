import { el, replace, table } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { errorBox, pageTitle } from '../ui.js';
import { lineChart } from '../charts.js';

const SPANS = [['1', 'Last hour'], ['24', 'Last day']];
const CONSUMERS = ['segmentation', 'triggers', 'recommendation'];
const pct = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);
const count = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));

/** The tenant at a glance: events per second, relay and consumer lag, people, sends per channel, CTR and conversion. */
export async function renderOverview(main, hours = '1') {
  const [ingestion, messages, ...queues] = await Promise.all([
    settle(request('GET', tenantPath('ingestion', tenant(), `/overview?hours=${hours}`))),
    settle(request('GET', tenantPath('triggers', tenant(), `/messages/stats?hours=${hours}`))),
    ...CONSUMERS.map((service) => settle(request('GET', `/api/${service}/queues`))),
  ]);
  const span = el('select', { attrs: { 'aria-label': 'Span' }, onchange: () => renderOverview(main, span.value) },
    SPANS.map(([value, label]) => el('option', { value, selected: value === hours }, label)));
  const tile = (label, value, hint) => el('div', { class: 'tile' }, el('span', { class: 'tile-value', attrs: { 'aria-label': label } }, value),
    el('span', { class: 'tile-label' }, label), hint ? el('span', { class: 'hint' }, hint) : null);

  const i = ingestion.value;
  const m = messages.value;
  const perSecond = i ? i.events.map((e) => ({ at: e.at, value: e.events / i.intervalSeconds })) : [];
  const total = i ? i.events.reduce((sum, e) => sum + e.events, 0) : 0;
  const sent = m ? m.channels.reduce((sum, c) => sum + c.sent, 0) : 0;
  const clicked = m ? m.channels.reduce((sum, c) => sum + c.clicked, 0) : 0;
  const lag = queues.map((q, n) => [CONSUMERS[n], q]);

  replace(main,
    pageTitle('Overview', span),
    el('div', { class: 'tiles' },
      i ? [tile('events per second', (perSecond.at(-1)?.value ?? 0).toFixed(1), `${total} stored in the span`),
        tile('people', String(i.people)), tile('relay lag', String(i.relayLag), 'events stored, not yet published')] : null,
      m ? [tile('messages sent', String(sent)), tile('click-through', pct(sent ? clicked / sent : null)),
        tile('journey conversion', pct(m.conversionRate), `${m.converted} of ${m.entered} entered`)] : null),
    ingestion.error ? errorBox(ingestion.error) : null,
    messages.error ? errorBox(messages.error) : null,
    el('div', { class: 'charts' },
      i ? el('figure', {}, lineChart('Events per second', [{ name: 'events/s', points: perSecond }], (v) => v.toFixed(v < 1 ? 2 : 1)),
        el('figcaption', {}, `Stored events per second, in ${i.intervalSeconds}-second intervals.`)) : null,
      m ? el('figure', {}, lineChart('Messages sent', [{ name: 'sent', points: m.sent.map((s) => ({ at: s.at, value: s.sent })) }], count),
        el('figcaption', {}, `Messages sent per ${m.intervalSeconds}-second interval.`)) : null),
    el('div', { class: 'columns' },
      el('section', {}, el('h2', {}, 'Sends per channel'), m && m.channels.length
        ? table(['Channel', 'Sent', 'Opened', 'Clicked', 'CTR'], m.channels.map((c) => ({ cells: [c.channel, String(c.sent), String(c.opened), String(c.clicked), pct(c.clickThroughRate)] })))
        : el('p', { class: 'empty' }, 'Nothing sent in the span.')),
      el('section', {}, el('h2', {}, 'Consumer lag'),
        table(['Service', 'Queue', 'Waiting'], lag.flatMap(([service, q]) => (q.error
          ? [{ cells: [service, '—', q.error.message] }]
          : Object.entries(q.value).map(([queue, depth]) => ({ cells: [service, queue, String(depth)] }))))))));
}
